package sheets

import (
	"github.com/yurong/yurong/catalog"
)

// The columns and rows of the exported lists: enterprises (the 早小硬 list,
// the equity project list, a filtered list) and the bank ranking. An
// enterprise's own fields come from EnterpriseColumns and its report's
// figures from ReportColumns, so each column is written in one place for
// the template, the import and the exports.

// RankHeader is the first column of every list: the row's position in it.
const RankHeader = "序号"

// Headers of the matching engine's columns of an enterprise list.
const (
	ScoreHeader          = "豫科积分"
	GradeHeader          = "等级"
	StageHeader          = "成长阶段"
	EarlySmallHardHeader = "早小硬"
)

// GradeNames gives the Chinese name of each innovation-score grade.
var GradeNames = map[catalog.ScoreGrade]string{
	catalog.Leading: "领跑", catalog.Racing: "竞跑", catalog.Advancing: "快跑", catalog.Baseline: "起跑",
}

// fieldKinds are the numeric columns of the enterprise workbook, by the
// API field they fill; every other column is text. A test keeps every
// column of ReportColumns here.
var fieldKinds = map[string]Kind{
	"employees":                           Integer,
	"reports.year":                        Integer,
	"reports.revenue":                     Amount,
	"reports.rdExpense":                   Amount,
	"reports.techStaff":                   Integer,
	"reports.postgraduates":               Integer,
	"reports.inventionPatentApplications": Integer,
	"reports.pctApplications":             Integer,
	"reports.techContractTurnover":        Amount,
	"reports.highTechProductRevenue":      Amount,
	"reports.rdTaxDeduction":              Amount,
	"reports.returnOnEquityPercent":       Decimal,
	"reports.graduatesHired":              Integer,
	"reports.innovationPlatforms":         Integer,
	"reports.scienceAwards":               Integer,
	"reports.equityFinancing":             Amount,
	"reports.sciencePlanProjects":         Integer,
	"subsidies.amount":                    Amount,
	"subsidies.year":                      Integer,
}

// KindOf is how an export writes the cells of the workbook column that
// fills field.
func KindOf(field string) Kind { return fieldKinds[field] }

// reportColumns are the report's columns of an enterprise list: every
// column of ReportColumns but the credit code, which the enterprise's
// columns hold already.
func reportColumns() []Column[ReportRow] {
	var out []Column[ReportRow]
	for _, c := range ReportColumns {
		if c.Field != "creditCode" {
			out = append(out, c)
		}
	}
	return out
}

// Derived is what the matching engine says of an enterprise, shown beside
// its own fields.
type Derived struct {
	Score          int
	Grade          catalog.ScoreGrade
	Stage          catalog.GrowthStage
	EarlySmallHard bool
}

// EnterpriseListColumns are the columns of an enterprise list: 序号, the
// enterprise's own columns, the engine's, and, when private, the latest
// annual report's (its year included: the reports are private as a
// whole, as in the API).
func EnterpriseListColumns(private bool) []ExportColumn {
	cols := []ExportColumn{{Header: RankHeader, Kind: Integer}}
	for _, c := range EnterpriseColumns {
		cols = append(cols, ExportColumn{Header: c.Header, Kind: KindOf(c.Field), Private: c.Private})
	}
	cols = append(cols,
		ExportColumn{Header: ScoreHeader, Kind: Integer},
		ExportColumn{Header: GradeHeader},
		ExportColumn{Header: StageHeader},
		ExportColumn{Header: EarlySmallHardHeader})
	if private {
		for _, c := range reportColumns() {
			cols = append(cols, ExportColumn{Header: c.Header, Kind: KindOf(c.Field), Private: true})
		}
	}
	return cols
}

// EnterpriseListRow is the row of an enterprise at position rank, matching
// EnterpriseListColumns(private). report is the latest annual report the
// reader may read; nil leaves the report's cells empty (no report, or not
// the reader's to see).
func EnterpriseListRow(rank int, e *catalog.Enterprise, d Derived, private bool, report *catalog.AnnualReport) []any {
	row := make([]any, 0, 1+len(EnterpriseColumns)+4+len(ReportColumns))
	row = append(row, rank)
	for _, c := range EnterpriseColumns {
		row = append(row, c.Get(e))
	}
	row = append(row, d.Score, GradeNames[d.Grade], catalog.StageNames[d.Stage], yesNo(d.EarlySmallHard))
	if private {
		cols := reportColumns()
		if report == nil {
			return append(row, make([]any, len(cols))...)
		}
		r := ReportRow{CreditCode: e.CreditCode, Report: *report}
		for _, c := range cols {
			row = append(row, c.Get(&r))
		}
	}
	return row
}

// BankRank is one bank of the 科技贷 partner-bank evaluation, as the API's
// BankPerformance gives it.
type BankRank struct {
	Rank                   int
	Bank                   string
	LoansToEarlySmallHard  int
	AmountToEarlySmallHard catalog.Amount
	EarlySmallHardShare    float64
	LoansTotal             int
	AmountTotal            catalog.Amount
	MedianHoursToDecision  *float64
	OnTimeShare            *float64
}

// BankRankColumns are the columns of the bank ranking.
var BankRankColumns = []ExportColumn{
	{Header: "排名", Kind: Integer},
	{Header: "银行"},
	{Header: "早小硬企业贷款笔数", Kind: Integer},
	{Header: "早小硬企业贷款金额（元）", Kind: Amount},
	{Header: "早小硬金额占比", Kind: Share},
	{Header: "贷款总笔数", Kind: Integer},
	{Header: "贷款总金额（元）", Kind: Amount},
	{Header: "审批用时中位数（小时）", Kind: Decimal},
	{Header: "按期审批占比", Kind: Share},
}

// Row is the bank's row under BankRankColumns; a median or share the API
// gives as null is an empty cell.
func (b BankRank) Row() []any {
	opt := func(p *float64) any {
		if p == nil {
			return nil
		}
		return *p
	}
	return []any{b.Rank, b.Bank, b.LoansToEarlySmallHard, b.AmountToEarlySmallHard, b.EarlySmallHardShare,
		b.LoansTotal, b.AmountTotal, opt(b.MedianHoursToDecision), opt(b.OnTimeShare)}
}
