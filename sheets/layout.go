package sheets

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/yurong/yurong/catalog"
)

// The sheets of an enterprise workbook. A CSV file holds one of them, told
// apart by its header row.
const (
	EnterpriseSheet = "企业"
	ReportSheet     = "年报"
	SubsidySheet    = "财政补贴"
)

// A Column is one column of a sheet: its Chinese header, the API input
// field it fills (so a bad cell carries the same path and code the API
// would give), and how a cell reads into and writes out of a row of type T.
type Column[T any] struct {
	Header string
	// Field is the path of the API input field the column fills, e.g.
	// "creditCode" or "reports.revenue" (the row index is added when
	// reporting).
	Field    string
	Required bool
	// Key marks a column of the key an import finds a row's entity by (the
	// first column is always one): a sheet without it is not imported.
	Key bool
	// Private marks an enterprise's confidential financial figures: an
	// export writes them only for readers of the enterprise's private data.
	Private bool
	// Note tells the format, shown as the header's comment in a template.
	Note string
	// Get writes the cell's text; Set reads a non-empty cell, returning a
	// *CellError (code and Chinese message) when it cannot.
	Get func(*T) string
	Set func(*T, string) error
}

// A CellError is a cell that cannot be read: its code is one of catalog's
// stable codes and its message is Chinese, as the API would give them.
type CellError struct {
	Code    string
	Message string
}

func (e *CellError) Error() string { return e.Message + " (" + e.Code + ")" }

func invalid(format string, args ...any) error {
	return &CellError{Code: catalog.CodeInvalid, Message: fmt.Sprintf(format, args...)}
}

// ReportRow is one row of the 年报 sheet: an annual report of the
// enterprise with the credit code.
type ReportRow struct {
	CreditCode string
	Report     catalog.AnnualReport
}

// SubsidyRow is one row of the 财政补贴 sheet.
type SubsidyRow struct {
	CreditCode string
	Subsidy    catalog.Subsidy
}

// EnterpriseColumns is the layout of the 企业 sheet. The first column, the
// credit code, is the key an import upserts by.
var EnterpriseColumns = []Column[catalog.Enterprise]{
	{Header: "统一社会信用代码", Field: "creditCode", Required: true, Note: "18 位，GB 32100-2015；重复导入按此更新",
		Get: func(e *catalog.Enterprise) string { return e.CreditCode },
		Set: func(e *catalog.Enterprise, s string) error { e.CreditCode = strings.ToUpper(s); return nil }},
	{Header: "企业名称", Field: "name", Required: true,
		Get: func(e *catalog.Enterprise) string { return e.Name },
		Set: func(e *catalog.Enterprise, s string) error { e.Name = s; return nil }},
	{Header: "所在地市", Field: "city", Required: true, Note: "如 郑州、洛阳；省外企业填 省外",
		Get: func(e *catalog.Enterprise) string { return catalog.CityNames[e.City] },
		Set: func(e *catalog.Enterprise, s string) error { return enumCell(&e.City, catalog.CityNames, s, "地市") }},
	{Header: "成立日期", Field: "foundedOn", Required: true, Note: "如 2019-03-15",
		Get: func(e *catalog.Enterprise) string { return e.FoundedOn.Format(time.DateOnly) },
		Set: func(e *catalog.Enterprise, s string) error { return dateCell(&e.FoundedOn, s) }},
	{Header: "从业人数", Field: "employees", Required: true,
		Get: func(e *catalog.Enterprise) string { return strconv.Itoa(e.Employees) },
		Set: func(e *catalog.Enterprise, s string) error { return intCell(&e.Employees, s) }},
	{Header: "赛道", Field: "track", Required: true, Note: "新一代信息技术、高端装备制造、新材料、生物医药、新能源及节能环保、其他",
		Get: func(e *catalog.Enterprise) string { return catalog.TrackNames[e.Track] },
		Set: func(e *catalog.Enterprise, s string) error {
			return enumCell(&e.Track, catalog.TrackNames, s, "赛道")
		}},
	{Header: "产业链", Field: "industryChain",
		Get: func(e *catalog.Enterprise) string { return deref(e.IndustryChain) },
		Set: func(e *catalog.Enterprise, s string) error { e.IndustryChain = &s; return nil }},
	{Header: "企业资质", Field: "qualifications", Note: "多项以顿号分隔，如 科技型中小企业、高新技术企业",
		Get: func(e *catalog.Enterprise) string { return names(e.Qualifications, catalog.QualificationNames) },
		Set: func(e *catalog.Enterprise, s string) error {
			return enumList(&e.Qualifications, catalog.QualificationNames, s, "资质")
		}},
	{Header: "信用状况", Field: "creditStatus", Note: "良好 或 失信；空为良好",
		Get: func(e *catalog.Enterprise) string { return creditNames[e.CreditStatus] },
		Set: func(e *catalog.Enterprise, s string) error {
			return enumCell(&e.CreditStatus, creditNames, s, "信用状况")
		}},
	{Header: "持有认股权贷款", Field: "hasWarrantLoan", Note: "是 或 否",
		Get: func(e *catalog.Enterprise) string { return yesNo(e.HasWarrantLoan) },
		Set: func(e *catalog.Enterprise, s string) error { return boolCell(&e.HasWarrantLoan, s) }},
	{Header: "关键词", Field: "keywords", Note: "多项以顿号分隔",
		Get: func(e *catalog.Enterprise) string { return strings.Join(e.Keywords, "、") },
		Set: func(e *catalog.Enterprise, s string) error { e.Keywords = splitList(s); return nil }},
	{Header: "企业简介", Field: "description",
		Get: func(e *catalog.Enterprise) string { return e.Description },
		Set: func(e *catalog.Enterprise, s string) error { e.Description = s; return nil }},
}

// ReportColumns is the layout of the 年报 sheet, one row per enterprise and
// year; every figure but the year is confidential.
var ReportColumns = []Column[ReportRow]{
	{Header: "统一社会信用代码", Field: "creditCode", Required: true, Note: "企业表中或已入库的企业",
		Get: func(r *ReportRow) string { return r.CreditCode },
		Set: func(r *ReportRow, s string) error { r.CreditCode = strings.ToUpper(s); return nil }},
	{Header: "年度", Field: "reports.year", Required: true,
		Get: func(r *ReportRow) string { return strconv.Itoa(r.Report.Year) },
		Set: func(r *ReportRow, s string) error { return intCell(&r.Report.Year, s) }},
	amountColumn("营业收入（元）", "reports.revenue", func(r *ReportRow) *catalog.Amount { return &r.Report.Revenue }),
	amountColumn("研发费用（元）", "reports.rdExpense", func(r *ReportRow) *catalog.Amount { return &r.Report.RDExpense }),
	intColumn("科技人员数", "reports.techStaff", func(r *ReportRow) *int { return &r.Report.TechStaff }),
	intColumn("研究生人数", "reports.postgraduates", func(r *ReportRow) *int { return &r.Report.Postgraduates }),
	intColumn("发明专利申请数", "reports.inventionPatentApplications", func(r *ReportRow) *int { return &r.Report.InventionPatentApplications }),
	intColumn("PCT专利申请数", "reports.pctApplications", func(r *ReportRow) *int { return &r.Report.PCTApplications }),
	amountColumn("技术合同成交额（元）", "reports.techContractTurnover", func(r *ReportRow) *catalog.Amount { return &r.Report.TechContractTurnover }),
	amountColumn("高新技术产品收入（元）", "reports.highTechProductRevenue", func(r *ReportRow) *catalog.Amount { return &r.Report.HighTechProductRevenue }),
	amountColumn("研发费用加计扣除额（元）", "reports.rdTaxDeduction", func(r *ReportRow) *catalog.Amount { return &r.Report.RDTaxDeduction }),
	{Header: "净资产收益率（%）", Field: "reports.returnOnEquityPercent", Required: true, Private: true,
		Get: func(r *ReportRow) string { return strconv.FormatFloat(r.Report.ReturnOnEquityPercent, 'f', -1, 64) },
		Set: func(r *ReportRow, s string) error { return floatCell(&r.Report.ReturnOnEquityPercent, s) }},
	intColumn("吸纳高校毕业生数", "reports.graduatesHired", func(r *ReportRow) *int { return &r.Report.GraduatesHired }),
	intColumn("创新平台数", "reports.innovationPlatforms", func(r *ReportRow) *int { return &r.Report.InnovationPlatforms }),
	intColumn("科技奖励数", "reports.scienceAwards", func(r *ReportRow) *int { return &r.Report.ScienceAwards }),
	amountColumn("股权融资额（元）", "reports.equityFinancing", func(r *ReportRow) *catalog.Amount { return &r.Report.EquityFinancing }),
	intColumn("科技计划项目数", "reports.sciencePlanProjects", func(r *ReportRow) *int { return &r.Report.SciencePlanProjects }),
}

// SubsidyColumns is the layout of the 财政补贴 sheet; amounts are
// confidential.
var SubsidyColumns = []Column[SubsidyRow]{
	{Header: "统一社会信用代码", Field: "creditCode", Required: true,
		Get: func(r *SubsidyRow) string { return r.CreditCode },
		Set: func(r *SubsidyRow, s string) error { r.CreditCode = strings.ToUpper(s); return nil }},
	{Header: "补贴项目", Field: "subsidies.program", Required: true,
		Get: func(r *SubsidyRow) string { return r.Subsidy.Program },
		Set: func(r *SubsidyRow, s string) error { r.Subsidy.Program = s; return nil }},
	{Header: "补贴金额（元）", Field: "subsidies.amount", Required: true, Private: true,
		Get: func(r *SubsidyRow) string { return r.Subsidy.Amount.String() },
		Set: func(r *SubsidyRow, s string) error { return amountCell(&r.Subsidy.Amount, s) }},
	{Header: "年度", Field: "subsidies.year", Required: true,
		Get: func(r *SubsidyRow) string { return strconv.Itoa(r.Subsidy.Year) },
		Set: func(r *SubsidyRow, s string) error { return intCell(&r.Subsidy.Year, s) }},
}

func amountColumn[T any](header, field string, at func(*T) *catalog.Amount) Column[T] {
	return Column[T]{Header: header, Field: field, Required: true, Private: true, Note: "单位：元，最多两位小数",
		Get: func(r *T) string { return at(r).String() },
		Set: func(r *T, s string) error { return amountCell(at(r), s) }}
}

func intColumn[T any](header, field string, at func(*T) *int) Column[T] {
	return Column[T]{Header: header, Field: field, Required: true, Private: true,
		Get: func(r *T) string { return strconv.Itoa(*at(r)) },
		Set: func(r *T, s string) error { return intCell(at(r), s) }}
}

var creditNames = map[catalog.CreditStatus]string{catalog.CreditGood: "良好", catalog.CreditDishonest: "失信"}

// enumCell reads an enumeration value by its Chinese name or its API name.
func enumCell[E ~string](v *E, names map[E]string, s, what string) error {
	for e, n := range names {
		if s == n || s == string(e) || strings.TrimSuffix(s, "市") == n {
			*v = e
			return nil
		}
	}
	return invalid("%s %q 不在可选范围内", what, s)
}

func enumList[E ~string](v *[]E, names map[E]string, s, what string) error {
	*v = nil
	for _, part := range splitList(s) {
		var e E
		if err := enumCell(&e, names, part, what); err != nil {
			return err
		}
		*v = append(*v, e)
	}
	return nil
}

func names[E comparable](vs []E, names map[E]string) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = names[v]
	}
	return strings.Join(out, "、")
}

// splitList splits a list cell on 、，, ; and ；, dropping empty parts.
func splitList(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return r == '、' || r == ',' || r == '，' || r == ';' || r == '；'
	})
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func intCell(v *int, s string) error {
	n, err := strconv.Atoi(strings.ReplaceAll(s, ",", ""))
	if err != nil {
		if f, ferr := strconv.ParseFloat(s, 64); ferr == nil && f == float64(int(f)) {
			*v = int(f) // spreadsheets store whole numbers as 12.0 at times
			return nil
		}
		return invalid("%q 不是整数", s)
	}
	*v = n
	return nil
}

func floatCell(v *float64, s string) error {
	f, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
	if err != nil {
		return invalid("%q 不是数字", s)
	}
	*v = f
	return nil
}

func amountCell(v *catalog.Amount, s string) error {
	a, err := catalog.ParseAmount(strings.ReplaceAll(s, ",", ""))
	if err != nil {
		return invalid("%q 不是金额：应为以元为单位、最多两位小数的数字", s)
	}
	*v = a
	return nil
}

// dateCell reads 2019-03-15, 2019/3/15 or 2019年3月15日.
func dateCell(v *time.Time, s string) error {
	for _, layout := range []string{"2006-01-02", "2006/1/2", "2006-1-2", "2006年1月2日", "2006.1.2"} {
		if t, err := time.Parse(layout, s); err == nil {
			*v = t
			return nil
		}
	}
	return invalid("%q 不是日期：应为 2019-03-15 这样的格式", s)
}

func boolCell(v *bool, s string) error {
	switch strings.ToLower(s) {
	case "是", "true", "1", "y", "yes":
		*v = true
	case "否", "false", "0", "n", "no":
		*v = false
	default:
		return invalid("%q 应为 是 或 否", s)
	}
	return nil
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
