package matching

import (
	"github.com/yurong/yurong/catalog"
)

// A lever is one figure of the latest annual report an enterprise can move
// by its own effort: more R&D spending, patent applications, technical
// staff. Counterfactual advice (counterfactual.go) searches over levers
// only; the founding date, the track, the city, the head count and the
// revenue are not levers (the revenue is an outcome, and moving it moves
// the growth-stage cohort), nor are the growth rates and the return on
// equity, which follow from the figures. See
// docs/adr/020-institution-models-and-advice.md for the effort measure.
type lever struct {
	code   string // stable English code, the indicator's where it has one
	name   string // Chinese, as a step names it
	unit   string // Chinese unit of a step: 件, 人, 项, 个, 万元
	amount bool   // a unit is 10,000 yuan (万元); else a count
	effort float64
	// indicators are the indices of the indicators the lever moves.
	indicators []int
	get        func(r *catalog.AnnualReport) int64 // the figure: a count, or fen for amounts
	add        func(r *catalog.AnnualReport, units int)
	// room is the most units the lever can move, when something bounds it
	// (technical staff within the head count), or -1.
	room func(e *catalog.Enterprise, r *catalog.AnnualReport) int
}

// wanUnit is one unit of an amount lever: 10,000 yuan.
const wanUnit = catalog.Amount(10_000 * 100)

// maxLeverUnits bounds any lever's search: 100,000 units is 10亿元 of an
// amount, far beyond every cohort's maximum.
const maxLeverUnits = 100_000

func noRoom(*catalog.Enterprise, *catalog.AnnualReport) int { return -1 }

// staffRoom bounds a head-count share's numerator by the employees.
func staffRoom(n func(r *catalog.AnnualReport) int) func(e *catalog.Enterprise, r *catalog.AnnualReport) int {
	return func(e *catalog.Enterprise, r *catalog.AnnualReport) int { return max(0, e.Employees-n(r)) }
}

func countLever(code, name, unit string, effort float64, indicator int, field func(r *catalog.AnnualReport) *int) lever {
	return lever{code: code, name: name, unit: unit, effort: effort, indicators: []int{indicator},
		get:  func(r *catalog.AnnualReport) int64 { return int64(*field(r)) },
		add:  func(r *catalog.AnnualReport, u int) { *field(r) += u },
		room: noRoom}
}

func amountLever(code, name string, effort float64, indicators []int, field func(r *catalog.AnnualReport) *catalog.Amount) lever {
	return lever{code: code, name: name, unit: "万元", amount: true, effort: effort, indicators: indicators,
		get:  func(r *catalog.AnnualReport) int64 { return int64(*field(r)) },
		add:  func(r *catalog.AnnualReport, u int) { *field(r) += catalog.Amount(u) * wanUnit },
		room: noRoom}
}

// levers are the actionable figures with their effort per unit, in effort
// points: about one person-month of work, or 10万元 of spending, is one
// point (the table of ADR 020).
var levers = func() []lever {
	ls := []lever{
		amountLever("rd_expense", "研发费用", 0.1, []int{0, 1, 2}, func(r *catalog.AnnualReport) *catalog.Amount { return &r.RDExpense }),
		countLever("invention_patent_applications", "发明专利申请", "件", 2, 4, func(r *catalog.AnnualReport) *int { return &r.InventionPatentApplications }),
		countLever("tech_staff", "科技人员", "人", 2, 3, func(r *catalog.AnnualReport) *int { return &r.TechStaff }),
		countLever("pct_applications", "PCT 专利申请", "件", 5, 5, func(r *catalog.AnnualReport) *int { return &r.PCTApplications }),
		amountLever("tech_contract_turnover", "技术合同成交额", 0.1, []int{6}, func(r *catalog.AnnualReport) *catalog.Amount { return &r.TechContractTurnover }),
		amountLever("high_tech_product_revenue", "高新技术产品收入", 0.05, []int{7}, func(r *catalog.AnnualReport) *catalog.Amount { return &r.HighTechProductRevenue }),
		countLever("postgraduates", "研究生学历人员", "人", 3, 10, func(r *catalog.AnnualReport) *int { return &r.Postgraduates }),
		amountLever("rd_tax_deduction", "研发费用加计扣除额", 0.02, []int{11}, func(r *catalog.AnnualReport) *catalog.Amount { return &r.RDTaxDeduction }),
		countLever("graduates_hired", "吸纳高校应届毕业生", "人", 1.5, 13, func(r *catalog.AnnualReport) *int { return &r.GraduatesHired }),
		countLever("innovation_platforms", "省级以上研发平台", "个", 24, 14, func(r *catalog.AnnualReport) *int { return &r.InnovationPlatforms }),
		countLever("science_awards", "省级以上科技奖励", "项", 36, 15, func(r *catalog.AnnualReport) *int { return &r.ScienceAwards }),
		amountLever("equity_financing", "股权融资额", 0.05, []int{16}, func(r *catalog.AnnualReport) *catalog.Amount { return &r.EquityFinancing }),
		countLever("science_plan_projects", "省级以上科技计划项目", "项", 12, 17, func(r *catalog.AnnualReport) *int { return &r.SciencePlanProjects }),
	}
	// Shares of the head count cannot pass it.
	ls[2].room = staffRoom(func(r *catalog.AnnualReport) int { return r.TechStaff })
	ls[6].room = staffRoom(func(r *catalog.AnnualReport) int { return r.Postgraduates })
	// The additional deduction of R&D expense (加计扣除) is at most 100 %
	// of the R&D expense reported.
	ls[7].room = func(_ *catalog.Enterprise, r *catalog.AnnualReport) int {
		return max(0, int((r.RDExpense-r.RDTaxDeduction)/wanUnit))
	}
	return ls
}()

// leverCount is len(levers).
const leverCount = 13

// Lever indices the advice names directly.
const (
	leverRD      = 0
	leverPatents = 1
)

// qualificationEffort is the effort of obtaining a qualification, in the
// levers' effort points.
var qualificationEffort = map[catalog.Qualification]float64{
	catalog.TechSME: 3, catalog.HighTech: 12, catalog.Specialized: 12,
	catalog.Gazelle: 24, catalog.LittleGiant: 36, catalog.Unicorn: 120,
}

// entryEffort is the effort of entering this year's innovation competition.
const entryEffort = 4

// stepOverhead is the effort of taking up one more lever at all (planning,
// a new kind of work), whatever its amount: it makes a path of few steps
// cheaper than one of many tiny ones.
const stepOverhead = 1
