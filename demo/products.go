package demo

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/yurong/yurong/catalog"
)

// programSpec says what kind of product a programme offers, which kinds of
// institution offer it, the names it goes by and how it is described.
type programSpec struct {
	kind      catalog.ProductKind
	providers []catalog.InstitutionKind
	names     []string
	blurb     string
}

var (
	banks   = []catalog.InstitutionKind{catalog.Bank}
	lenders = []catalog.InstitutionKind{catalog.Bank, catalog.Guarantor}
	funds   = []catalog.InstitutionKind{catalog.GovernmentFund, catalog.VentureCapital}
	vcs     = []catalog.InstitutionKind{catalog.VentureCapital, catalog.GovernmentFund}
	insurer = []catalog.InstitutionKind{catalog.Insurer}
)

var programSpecs = map[catalog.Program]programSpec{
	catalog.TechLoan: {catalog.Loan, banks, []string{"科技贷", "科技信用贷", "科创快贷", "科技贷·初创版", "科技贷·成长版"},
		"河南省科技贷业务，面向科技型中小企业发放贷款，省级风险补偿资金按比例分担损失。"},
	catalog.ScoreLoan: {catalog.Loan, banks, []string{"积分贷", "豫科积分贷", "科创积分贷"},
		"依据豫科积分评价结果授信，积分越高额度越高、利率越优。"},
	catalog.ScoreInvestment: {catalog.Equity, funds, []string{"积分投", "豫科积分投", "积分投·早期项目专项"},
		"依据豫科积分筛选早、小、硬项目，优先投资高积分科技企业。"},
	catalog.ScoreInsurance: {catalog.Insurance, insurer, []string{"积分险", "豫科积分险"},
		"依据豫科积分差异化定价，为研发活动和知识产权提供风险保障。"},
	catalog.SubsidyLoan: {catalog.Loan, banks, []string{"积分奖补贷", "科技奖补贷", "奖补信用贷"},
		"豫科积分达标且今年或去年获得财政科技补助的企业，可按补助金额的5倍申请信用贷款。"},
	catalog.ContestLoan: {catalog.Loan, banks, []string{"创赛贷", "创赛贷·赛前预授信", "创赛贷·获奖企业专享"},
		"中国创新创业大赛（河南赛区）参赛企业专属信用贷款：赛前预授信、赛中快审批、赛后跟进贷，支持无还本续贷。"},
	catalog.WarrantLoan: {catalog.Loan, banks, []string{"认股权贷款", "投贷联动认股权贷", "科创认股权贷"},
		"银企事先约定估值、行权窗口和认股比例，认股权由第三方持有，借款企业优先进入股权融资项目库。"},
	catalog.TransferLoan: {catalog.Loan, banks, []string{"科技成果转化贷款", "成果转化贷", "中试贷"},
		"支持高校院所科技成果在豫转化、中试熟化和产业化。"},
	catalog.Yukebao: {catalog.Insurance, insurer, []string{"豫科保", "豫科保·研发险", "豫科保·首台套险"},
		"依托省科技保险共保体，覆盖研发、经营、市场推广和知识产权保护等风险。"},
	catalog.Kehuibao: {catalog.Insurance, insurer, []string{"科惠保", "科惠保·中试险", "科惠保·概念验证险"},
		"普惠型科技保险，为研发费用损失、概念验证、中试和成果产业化提供定制保障。"},
	catalog.VentureFund: {catalog.Equity, vcs, []string{"创投基金", "天使投资基金", "科创成长基金", "种子基金"},
		"聚焦河南重点产业链的早中期科技企业，提供股权投资与投后赋能。"},
	catalog.OtherProgram: {catalog.Loan, lenders, []string{"知识产权质押贷", "人才贷", "科技担保贷", "订单贷"},
		"面向科技企业的特色融资产品，可与科技贷、投贷联动组合使用。"},
}

// extraPrograms weights the programmes of the products beyond the first one
// per programme: tech loans are the most common.
var (
	extraPrograms = []catalog.Program{catalog.TechLoan, catalog.ScoreLoan, catalog.SubsidyLoan, catalog.ContestLoan,
		catalog.WarrantLoan, catalog.TransferLoan, catalog.ScoreInvestment, catalog.VentureFund,
		catalog.ScoreInsurance, catalog.Yukebao, catalog.Kehuibao, catalog.OtherProgram}
	extraProgramChooser = newChooser([]float64{25, 12, 6, 6, 5, 6, 6, 12, 5, 5, 5, 7})
)

var (
	rdCoverages         = []catalog.Coverage{catalog.CoverRD, catalog.CoverRDExpenseLoss, catalog.CoverIPProtection}
	yukebaoCoverages    = []catalog.Coverage{catalog.CoverRD, catalog.CoverOperation, catalog.CoverMarketPromotion, catalog.CoverIPProtection}
	kehuibaoCoverages   = []catalog.Coverage{catalog.CoverRDExpenseLoss, catalog.CoverProofOfConcept, catalog.CoverPilotScale, catalog.CoverCommercialization}
	otherCoverages      = []catalog.Coverage{catalog.CoverIPProtection, catalog.CoverPilotScale, catalog.CoverCommercialization}
	qualificationRules  = []catalog.Qualification{catalog.TechSME, catalog.HighTech, catalog.Specialized}
	stageRules          = [][]catalog.GrowthStage{{catalog.Startup}, {catalog.Startup, catalog.Growth}, {catalog.Growth, catalog.Stable}}
	coverageOrder       = []catalog.Coverage{catalog.CoverRD, catalog.CoverOperation, catalog.CoverMarketPromotion, catalog.CoverIPProtection, catalog.CoverRDExpenseLoss, catalog.CoverProofOfConcept, catalog.CoverPilotScale, catalog.CoverCommercialization}
	otherEquityNames    = []string{"股权直投", "天使跟投"}
	otherInsuranceNames = []string{"专利执行保险", "关键研发设备保险", "首台套综合保险"}
)

// productGen makes products; it remembers which names are taken.
type productGen struct {
	r      rnd
	today  time.Time
	insts  []*catalog.Institution
	shorts []string
	byKind map[catalog.InstitutionKind][]int // institution indexes (0-based) per kind
	names  map[string]bool
}

// genProducts makes n products, first one per programme in catalog.Programs
// order, then programmes weighted by how common they are.
func genProducts(r rnd, n int, insts []*catalog.Institution, shorts []string, today time.Time) []*catalog.FinancialProduct {
	g := &productGen{r: r, today: today, insts: insts, shorts: shorts,
		byKind: map[catalog.InstitutionKind][]int{}, names: map[string]bool{}}
	for i, in := range insts {
		g.byKind[in.Kind] = append(g.byKind[in.Kind], i)
	}
	out := make([]*catalog.FinancialProduct, n)
	for i := range out {
		prog := extraPrograms[extraProgramChooser.draw(r)]
		if i < len(catalog.Programs) {
			prog = catalog.Programs[i]
		}
		out[i] = g.product(prog)
	}
	return out
}

func (g *productGen) product(prog catalog.Program) *catalog.FinancialProduct {
	r := g.r
	spec := programSpecs[prog]
	if prog == catalog.OtherProgram { // other programmes: mostly loans, some equity or insurance
		switch x := r.Float64(); {
		case x < 0.2:
			spec = programSpec{catalog.Equity, vcs, otherEquityNames, "面向科技企业的股权投资产品，投后提供融资对接与上市辅导。"}
		case x < 0.4:
			spec = programSpec{catalog.Insurance, insurer, otherInsuranceNames, "面向科技企业的专项保险，分担研发与产业化风险。"}
		}
	}
	var candidates []int
	for _, k := range spec.providers {
		candidates = append(candidates, g.byKind[k]...)
	}
	slices.Sort(candidates)
	pi := pick(r, candidates)
	provider := g.insts[pi]

	p := &catalog.FinancialProduct{
		Kind:       spec.kind,
		Program:    prog,
		ProviderID: int64(pi + 1),
		CreatedAt:  g.today,
	}
	p.Name = uniqueName(g.names, func() string { return g.shorts[pi] + pick(r, spec.names) })
	el := &p.Eligibility
	switch prog {
	case catalog.TechLoan:
		p.MaxAmount = catalog.Yuan(5_000_000)
		if r.chance(0.3) {
			p.MaxAmount = catalog.Yuan(10_000_000)
		}
		g.loanTerms(p, 3.2, 4.5, r.chance(0.6))
	case catalog.ScoreLoan:
		p.MaxAmount = catalog.Yuan(pick(r, []int64{1, 2, 3, 5, 10}) * 1_000_000)
		g.loanTerms(p, 3.2, 4.0, true)
		el.MinInnovationScore = g.minScore()
	case catalog.SubsidyLoan:
		p.MaxAmount = catalog.Yuan(pick(r, []int64{3, 5, 10}) * 1_000_000)
		g.loanTerms(p, 3.2, 3.9, true)
		el.RequiresSubsidy, el.SubsidyMultiple = true, ptr(5.0)
		if r.chance(0.5) {
			el.MinInnovationScore = g.minScore()
		}
	case catalog.ContestLoan:
		p.MaxAmount = catalog.Yuan(pick(r, []int64{3, 5, 10}) * 1_000_000)
		g.loanTerms(p, 3.2, 3.8, true)
		el.RequiresCompetitionEntry = true
		el.RequiresCompetitionAward = r.chance(0.4)
	case catalog.WarrantLoan:
		p.MaxAmount = catalog.Yuan(pick(r, []int64{2, 3, 5, 10}) * 1_000_000)
		g.loanTerms(p, 3.5, 4.5, true)
		if r.chance(0.6) {
			el.Stages = []catalog.GrowthStage{catalog.Startup, catalog.Growth}
		}
		if r.chance(0.4) {
			el.MaxCompanyAgeYears = ptr(10)
		}
	case catalog.TransferLoan:
		p.MaxAmount = catalog.Yuan(pick(r, []int64{5, 10}) * 1_000_000)
		g.loanTerms(p, 3.4, 4.5, r.chance(0.4))
	case catalog.ScoreInvestment:
		g.equityTerms(p, 5e6, 3e7)
		el.MinInnovationScore = g.minScore()
	case catalog.VentureFund:
		g.equityTerms(p, 1e7, 1e8)
		if r.chance(0.6) {
			el.Tracks = g.tracks()
		}
	case catalog.ScoreInsurance:
		g.insuranceTerms(p, rdCoverages)
		el.MinInnovationScore = g.minScore()
	case catalog.Yukebao:
		g.insuranceTerms(p, yukebaoCoverages)
	case catalog.Kehuibao:
		g.insuranceTerms(p, kehuibaoCoverages)
	default:
		switch spec.kind {
		case catalog.Loan:
			p.MaxAmount = catalog.Yuan(pick(r, []int64{1, 2, 3, 5, 10}) * 1_000_000)
			g.loanTerms(p, 3.5, 5.0, r.chance(0.5))
		case catalog.Equity:
			g.equityTerms(p, 5e6, 5e7)
		default:
			g.insuranceTerms(p, otherCoverages)
		}
	}
	g.restrict(p, provider)
	p.Description = spec.blurb + g.details(p)
	return p
}

func (g *productGen) minScore() *int { return ptr(50 * g.r.between(6, 14)) }

func (g *productGen) tracks() []catalog.Track {
	ts := sample(g.r, catalog.Tracks, g.r.between(1, 2))
	slices.SortFunc(ts, func(a, b catalog.Track) int {
		return slices.Index(catalog.Tracks, a) - slices.Index(catalog.Tracks, b)
	})
	return ts
}

// loanTerms sets a loan's rate (in 0.05-point steps), term of at most three
// years, a minimum amount for some, and whether it is a pure credit loan.
func (g *productGen) loanTerms(p *catalog.FinancialProduct, loRate, hiRate float64, collateralFree bool) {
	r := g.r
	p.AnnualRatePercent = ptr(math.Round(r.uniform(loRate, hiRate)*20) / 20)
	p.TermMonths = ptr(pick(r, []int{12, 24, 36}))
	p.CollateralFree = collateralFree
	if r.chance(0.7) {
		p.MinAmount = ptr(catalog.MinAmount(p.MaxAmount, catalog.Yuan(pick(r, []int64{10, 20, 30, 50})*10_000)))
	}
}

func (g *productGen) equityTerms(p *catalog.FinancialProduct, lo, hi float64) {
	r := g.r
	p.MaxAmount = yuan(r.logUniform(lo, hi), 1_000_000)
	p.MinAmount = ptr(catalog.MinAmount(p.MaxAmount, catalog.Yuan(pick(r, []int64{1, 2, 3, 5})*1_000_000)))
	if r.chance(0.5) {
		el := &p.Eligibility
		el.Stages = []catalog.GrowthStage{catalog.Startup, catalog.Growth}
	}
}

func (g *productGen) insuranceTerms(p *catalog.FinancialProduct, from []catalog.Coverage) {
	r := g.r
	p.MaxAmount = catalog.Yuan(pick(r, []int64{1, 2, 3, 5}) * 1_000_000)
	p.TermMonths = ptr(12)
	p.Coverages = sample(r, from, r.between(min(2, len(from)), len(from)))
	slices.SortFunc(p.Coverages, func(a, b catalog.Coverage) int {
		return slices.Index(coverageOrder, a) - slices.Index(coverageOrder, b)
	})
}

// restrict adds the hard rules many products carry, leaving most lists empty:
// local institutions lend locally, some products target tracks, stages,
// qualifications, young or small firms.
func (g *productGen) restrict(p *catalog.FinancialProduct, provider *catalog.Institution) {
	r := g.r
	el := &p.Eligibility
	if provider.City != catalog.Zhengzhou && r.chance(0.7) {
		el.Cities = []catalog.City{provider.City}
	} else if r.chance(0.08) {
		el.Cities = sample(r, catalog.Cities, r.between(1, 3))
		slices.SortFunc(el.Cities, func(a, b catalog.City) int {
			return slices.Index(catalog.Cities, a) - slices.Index(catalog.Cities, b)
		})
	}
	if el.Tracks == nil && r.chance(0.2) {
		el.Tracks = g.tracks()
	}
	if el.Stages == nil && r.chance(0.2) {
		el.Stages = slices.Clone(pick(r, stageRules))
	}
	if r.chance(0.15) {
		el.Qualifications = []catalog.Qualification{pick(r, qualificationRules)}
	}
	if el.MaxCompanyAgeYears == nil && r.chance(0.12) {
		el.MaxCompanyAgeYears = ptr(pick(r, []int{3, 5, 8, 10}))
	}
	if r.chance(0.1) {
		el.MaxEmployees = ptr(pick(r, []int{300, 500, 1000}))
	}
	if r.chance(0.12) {
		el.MaxRevenue = ptr(catalog.Yuan(pick(r, []int64{20, 50, 200}) * 1_000_000))
	}
}

// details is the second sentence of a description: amounts, term and rate.
func (g *productGen) details(p *catalog.FinancialProduct) string {
	wan := func(a catalog.Amount) int64 { return int64(a) / 100 / 10_000 }
	switch p.Kind {
	case catalog.Loan:
		s := fmt.Sprintf("单户额度最高%d万元，期限最长%d个月，年利率%.2f%%起", wan(p.MaxAmount), *p.TermMonths, *p.AnnualRatePercent)
		if p.CollateralFree {
			s += "，纯信用、免抵押"
		}
		return s + "。"
	case catalog.Equity:
		return fmt.Sprintf("单笔投资%d–%d万元，可与合作银行开展投贷联动。", wan(*p.MinAmount), wan(p.MaxAmount))
	default:
		return fmt.Sprintf("保额最高%d万元，保险期限%d个月，保费享受省级补贴。", wan(p.MaxAmount), *p.TermMonths)
	}
}
