package matching

import (
	"math"

	"github.com/yurong/yurong/catalog"
)

// IndicatorCount is the number of indicators of the innovation score.
const IndicatorCount = 18

// Indicator describes one of the 18 indicators of the innovation score.
type Indicator struct {
	Code string // stable English code
	Name string // Chinese name
}

// Indicators returns the 18 indicators in their fixed order: seven of
// technology innovation, six of growth and operations, five auxiliary.
func Indicators() [IndicatorCount]Indicator { return indicators }

var indicators = [IndicatorCount]Indicator{
	{"rd_expense", "研发费用总额"},
	{"rd_expense_growth", "研发费用增长率"},
	{"rd_intensity", "研发费用占营业收入比重"},
	{"tech_staff_share", "科技人员占职工总数比重"},
	{"invention_patent_applications", "发明专利申请量"},
	{"pct_applications", "PCT 专利申请量"},
	{"tech_contract_turnover", "技术合同成交额"},
	{"high_tech_product_revenue", "高新技术产品收入"},
	{"revenue", "营业收入"},
	{"revenue_growth", "营业收入增长率"},
	{"postgraduate_share", "研究生学历人员占比"},
	{"rd_tax_deduction", "研发费用加计扣除额"},
	{"return_on_equity", "净资产收益率"},
	{"graduates_hired", "吸纳高校应届毕业生人数"},
	{"innovation_platforms", "省级以上研发平台"},
	{"science_awards", "省级以上科技奖励"},
	{"equity_financing", "股权融资额"},
	{"science_plan_projects", "省级以上科技计划项目"},
}

// absent marks an indicator without a value: no report, no previous year
// for a growth rate, no employees for a share.
var absent = math.NaN()

// indicatorValues derives the 18 indicator values of e from its two latest
// annual reports and its head count. Amounts are in yuan, rates and shares
// are fractions (0.05 is 5 %), return on equity is in percent as reported.
func indicatorValues(e *catalog.Enterprise) [IndicatorCount]float64 {
	var v [IndicatorCount]float64
	latest := e.LatestReport()
	if latest == nil {
		for i := range v {
			v[i] = absent
		}
		return v
	}
	var prev *catalog.AnnualReport
	if n := len(e.Reports); n >= 2 && e.Reports[n-2].Year == latest.Year-1 {
		prev = &e.Reports[n-2]
	}
	growth := func(cur, old catalog.Amount) float64 {
		if prev == nil || old <= 0 {
			return absent // a rate needs last year's figure, and a positive one
		}
		return float64(cur-old) / float64(old)
	}
	share := func(n int) float64 {
		if e.Employees <= 0 {
			return absent
		}
		return float64(n) / float64(e.Employees)
	}
	var prevRD, prevRevenue catalog.Amount
	if prev != nil {
		prevRD, prevRevenue = prev.RDExpense, prev.Revenue
	}
	v[0] = latest.RDExpense.Float()
	v[1] = growth(latest.RDExpense, prevRD)
	v[2] = rdIntensity(latest)
	v[3] = share(latest.TechStaff)
	v[4] = float64(latest.InventionPatentApplications)
	v[5] = float64(latest.PCTApplications)
	v[6] = latest.TechContractTurnover.Float()
	v[7] = latest.HighTechProductRevenue.Float()
	v[8] = latest.Revenue.Float()
	v[9] = growth(latest.Revenue, prevRevenue)
	v[10] = share(latest.Postgraduates)
	v[11] = latest.RDTaxDeduction.Float()
	v[12] = latest.ReturnOnEquityPercent
	v[13] = float64(latest.GraduatesHired)
	v[14] = float64(latest.InnovationPlatforms)
	v[15] = float64(latest.ScienceAwards)
	v[16] = latest.EquityFinancing.Float()
	v[17] = float64(latest.SciencePlanProjects)
	return v
}

// rdIntensity is rdExpense / revenue. Zero revenue divides by one yuan
// instead, so R&D spending without revenue ranks high rather than vanishing,
// and the value stays finite and monotone in rdExpense.
func rdIntensity(r *catalog.AnnualReport) float64 {
	revenue := max(r.Revenue, catalog.Yuan(1))
	return float64(r.RDExpense) / float64(revenue)
}
