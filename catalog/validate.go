package catalog

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Stable codes of FieldError, part of the public API.
const (
	CodeInvalidCreditCode = "INVALID_CREDIT_CODE"
	CodeDuplicate         = "DUPLICATE"
	CodeRequired          = "REQUIRED"
	CodeNegative          = "NEGATIVE"
	CodeOutOfRange        = "OUT_OF_RANGE"
	CodeTooLong           = "TOO_LONG"
	CodeNotFound          = "NOT_FOUND"
	CodeInvalid           = "INVALID"
)

// FieldError is one problem with one input field. Field is the path from the
// input's root, e.g. ["reports", "0", "revenue"]; resolvers prefix "input".
type FieldError struct {
	Field   []string
	Code    string
	Message string
}

func (e FieldError) Error() string {
	return fmt.Sprintf("%s: %s (%s)", strings.Join(e.Field, "."), e.Message, e.Code)
}

// Problems collects FieldErrors while a validator walks an input.
type Problems []FieldError

// Add records a problem at path.
func (p *Problems) Add(code, message string, path ...string) {
	*p = append(*p, FieldError{Field: path, Code: code, Message: message})
}

// Limits of free text, so a single write cannot bloat the store or the index.
const (
	MaxNameLen        = 200
	MaxDescriptionLen = 5000
	MaxKeywords       = 50
	MaxKeywordLen     = 50
	MinYear           = 1949
)

func (p *Problems) name(s string, path ...string) { p.Text(s, MaxNameLen, false, path...) }

func (p *Problems) text(s string, path ...string) {
	switch {
	case utf8.RuneCountInString(s) > MaxDescriptionLen:
		p.Add(CodeTooLong, fmt.Sprintf("不能超过 %d 个字符", MaxDescriptionLen), path...)
	case hasControl(s, true):
		p.Add(CodeInvalid, "不能包含控制字符（如 NUL）", path...)
	}
}

// Text checks a free text of an input: present, at most max characters,
// one line when lines is false, no control characters.
func (p *Problems) Text(s string, max int, lines bool, path ...string) {
	switch {
	case strings.TrimSpace(s) == "":
		p.Add(CodeRequired, "不能为空", path...)
	case utf8.RuneCountInString(s) > max:
		p.Add(CodeTooLong, fmt.Sprintf("不能超过 %d 个字符", max), path...)
	case hasControl(s, lines) && lines:
		p.Add(CodeInvalid, "不能包含控制字符（如 NUL）", path...)
	case hasControl(s, lines):
		p.Add(CodeInvalid, "不能包含控制字符（如 NUL、换行）", path...) // a one-line text
	}
}

// hasControl reports a control character or invalid UTF-8 in s; line
// breaks and tabs count only where lines are not allowed.
func hasControl(s string, lines bool) bool {
	if !utf8.ValidString(s) {
		return true
	}
	for _, r := range s {
		if lines && (r == '\n' || r == '\r' || r == '\t') {
			continue
		}
		if unicode.IsControl(r) {
			return true
		}
	}
	return false
}

func (p *Problems) nonNegative(v int64, path ...string) {
	if v < 0 {
		p.Add(CodeNegative, fmt.Sprintf("不能为负数（收到 %d）", v), path...)
	}
}

func (p *Problems) amount(a Amount, path ...string) {
	if a < 0 {
		p.Add(CodeNegative, fmt.Sprintf("金额不能为负数（收到 %s）", a), path...)
	}
}

func (p *Problems) year(y int, now time.Time, path ...string) {
	if y < MinYear || y > now.Year() {
		p.Add(CodeOutOfRange, fmt.Sprintf("年份 %d 不在 %d–%d 之间", y, MinYear, now.Year()), path...)
	}
}

func (p *Problems) keywords(ks []string, path ...string) {
	if len(ks) > MaxKeywords {
		p.Add(CodeOutOfRange, fmt.Sprintf("关键词不能超过 %d 个", MaxKeywords), path...)
		return
	}
	for i, k := range ks {
		at := append(slices.Clone(path), strconv.Itoa(i))
		switch {
		case strings.TrimSpace(k) == "":
			p.Add(CodeRequired, "关键词不能为空", at...)
		case utf8.RuneCountInString(k) > MaxKeywordLen:
			p.Add(CodeTooLong, fmt.Sprintf("关键词不能超过 %d 个字符", MaxKeywordLen), at...)
		}
	}
}

// ValidateEnterprise checks an enterprise about to be written. Uniqueness of
// the credit code is the store's to check.
func ValidateEnterprise(e *Enterprise, now time.Time) Problems {
	var p Problems
	p.name(e.Name, "name")
	if !ValidCreditCode(e.CreditCode) {
		p.Add(CodeInvalidCreditCode, fmt.Sprintf("统一社会信用代码 %q 无效：应为 18 位且符合 GB 32100-2015 校验位", e.CreditCode), "creditCode")
	}
	if e.FoundedOn.After(now) {
		p.Add(CodeOutOfRange, "成立日期不能晚于今天", "foundedOn")
	} else if e.FoundedOn.Year() < MinYear {
		p.Add(CodeOutOfRange, fmt.Sprintf("成立日期不能早于 %d 年", MinYear), "foundedOn")
	}
	p.nonNegative(int64(e.Employees), "employees")
	enterpriseEnums(&p, e)
	if e.IndustryChain != nil && utf8.RuneCountInString(*e.IndustryChain) > MaxNameLen {
		p.Add(CodeTooLong, fmt.Sprintf("不能超过 %d 个字符", MaxNameLen), "industryChain")
	}
	p.text(e.Description, "description")
	p.keywords(e.Keywords, "keywords")
	seen := map[int]bool{}
	for i, r := range e.Reports {
		at := func(f string) []string { return []string{"reports", strconv.Itoa(i), f} }
		p.year(r.Year, now, at("year")...)
		if seen[r.Year] {
			p.Add(CodeDuplicate, fmt.Sprintf("%d 年的年报重复", r.Year), at("year")...)
		}
		seen[r.Year] = true
		for f, a := range map[string]Amount{"revenue": r.Revenue, "rdExpense": r.RDExpense,
			"techContractTurnover": r.TechContractTurnover, "highTechProductRevenue": r.HighTechProductRevenue,
			"rdTaxDeduction": r.RDTaxDeduction, "equityFinancing": r.EquityFinancing} {
			p.amount(a, at(f)...)
		}
		for f, n := range map[string]int{"techStaff": r.TechStaff, "postgraduates": r.Postgraduates,
			"inventionPatentApplications": r.InventionPatentApplications, "pctApplications": r.PCTApplications,
			"graduatesHired": r.GraduatesHired, "innovationPlatforms": r.InnovationPlatforms,
			"scienceAwards": r.ScienceAwards, "sciencePlanProjects": r.SciencePlanProjects} {
			p.nonNegative(int64(n), at(f)...)
		}
		if r.ReturnOnEquityPercent < -1000 || r.ReturnOnEquityPercent > 1000 {
			p.Add(CodeOutOfRange, "净资产收益率应在 -1000% 到 1000% 之间", at("returnOnEquityPercent")...)
		}
	}
	for i, s := range e.Subsidies {
		at := func(f string) []string { return []string{"subsidies", strconv.Itoa(i), f} }
		p.name(s.Program, at("program")...)
		p.amount(s.Amount, at("amount")...)
		p.year(s.Year, now, at("year")...)
	}
	if n := e.FinancingNeed; n != nil {
		p.amount(n.Amount, "financingNeed", "amount")
		p.text(n.Purpose, "financingNeed", "purpose")
	}
	for i, c := range e.CompetitionEntries {
		p.year(c.Year, now, "competitionEntries", strconv.Itoa(i), "year")
	}
	// Sorting here keeps every reader's assumption (oldest report first) true.
	slices.SortFunc(e.Reports, func(a, b AnnualReport) int { return a.Year - b.Year })
	return p
}

// ValidateCompetitionEntry checks one competition entry.
func ValidateCompetitionEntry(c CompetitionEntry, now time.Time) Problems {
	var p Problems
	p.year(c.Year, now, "year")
	entryEnums(&p, c)
	return p
}

// ValidateInstitution checks an institution about to be written.
func ValidateInstitution(in *Institution) Problems {
	var p Problems
	p.name(in.Name, "name")
	institutionEnums(&p, in)
	return p
}

// ValidateFinancialProduct checks a product about to be written; whether
// its provider exists is the store's to check.
func ValidateFinancialProduct(fp *FinancialProduct) Problems {
	var p Problems
	p.name(fp.Name, "name")
	p.text(fp.Description, "description")
	productEnums(&p, fp)
	p.amount(fp.MaxAmount, "maxAmount")
	if fp.MaxAmount == 0 {
		p.Add(CodeOutOfRange, "最高额度必须大于 0", "maxAmount")
	}
	if fp.MinAmount != nil {
		p.amount(*fp.MinAmount, "minAmount")
		if *fp.MinAmount > fp.MaxAmount {
			p.Add(CodeOutOfRange, fmt.Sprintf("最低额度 %s 高于最高额度 %s", *fp.MinAmount, fp.MaxAmount), "minAmount")
		}
	}
	if r := fp.AnnualRatePercent; r != nil && (*r < 0 || *r > 100) {
		p.Add(CodeOutOfRange, "年利率应在 0–100% 之间", "annualRatePercent")
	}
	if t := fp.TermMonths; t != nil && (*t <= 0 || *t > 600) {
		p.Add(CodeOutOfRange, "期限应在 1–600 个月之间", "termMonths")
	}
	el := fp.Eligibility
	if v := el.MinInnovationScore; v != nil && (*v < 0 || *v > 1000) {
		p.Add(CodeOutOfRange, "最低豫科积分应在 0–1000 之间", "eligibility", "minInnovationScore")
	}
	if v := el.MaxCompanyAgeYears; v != nil && *v < 0 {
		p.Add(CodeNegative, "成立年限不能为负数", "eligibility", "maxCompanyAgeYears")
	}
	if v := el.MaxEmployees; v != nil && *v < 0 {
		p.Add(CodeNegative, "员工人数不能为负数", "eligibility", "maxEmployees")
	}
	if v := el.MaxRevenue; v != nil {
		p.amount(*v, "eligibility", "maxRevenue")
	}
	if v := el.SubsidyMultiple; v != nil && (*v <= 0 || *v > 100) {
		p.Add(CodeOutOfRange, "奖补倍数应在 0–100 之间且大于 0", "eligibility", "subsidyMultiple")
	}
	return p
}

// ValidateIncubator checks an incubator about to be written.
func ValidateIncubator(in *Incubator) Problems {
	var p Problems
	p.name(in.Name, "name")
	p.text(in.Description, "description")
	p.nonNegative(int64(in.Vacancies), "vacancies")
	incubatorEnums(&p, in)
	if sp := in.ServicePackage; sp != nil {
		p.nonNegative(int64(sp.FreeWorkstations), "servicePackage", "freeWorkstations")
		p.nonNegative(int64(sp.RentFreeMonths), "servicePackage", "rentFreeMonths")
	}
	return p
}

// ValidateDemand checks a supply-chain demand about to be written.
func ValidateDemand(d *SupplyChainDemand, now time.Time) Problems {
	var p Problems
	p.name(d.Title, "title")
	p.text(d.Description, "description")
	p.name(d.IndustryChain, "industryChain")
	p.name(d.OwnerName, "ownerName")
	demandEnums(&p, d)
	p.keywords(d.Keywords, "keywords")
	if d.Budget != nil {
		p.amount(*d.Budget, "budget")
	}
	return p
}

// validEnum is an enumeration of the API.
type validEnum interface {
	~string
	Valid() bool
}

// enum records an INVALID problem when v is not a value of its enumeration.
func enum[E validEnum](p *Problems, v E, path ...string) {
	if !v.Valid() {
		p.Add(CodeInvalid, fmt.Sprintf("%q 不是有效的取值", string(v)), path...)
	}
}

// enums checks every value of a list, each at its index.
func enums[E validEnum](p *Problems, vs []E, path ...string) {
	for i, v := range vs {
		enum(p, v, append(slices.Clone(path), strconv.Itoa(i))...)
	}
}
