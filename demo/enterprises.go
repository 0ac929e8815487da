package demo

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/yurong/yurong/catalog"
)

// enterpriseGen holds what one run of genEnterprises shares between
// enterprises: the draws, the day, and the names and codes already taken.
type enterpriseGen struct {
	r          rnd
	today, day time.Time
	cities     chooser
	segments   map[catalog.City]chooser // segment weights, boosted in hub cities
	names      map[string]bool
	codes      map[string]bool
}

func genEnterprises(r rnd, n int, today, day time.Time) []*catalog.Enterprise {
	g := &enterpriseGen{r: r, today: today, day: day,
		segments: map[catalog.City]chooser{}, names: make(map[string]bool, n), codes: make(map[string]bool, n)}
	cw := make([]float64, len(cityWeights))
	for i, c := range cityWeights {
		cw[i] = c.weight
		sw := make([]float64, len(segments))
		for j, s := range segments {
			sw[j] = s.weight
			if slices.Contains(s.hubs, c.city) {
				sw[j] *= hubBoost
			}
		}
		g.segments[c.city] = newChooser(sw)
	}
	g.cities = newChooser(cw)

	out := make([]*catalog.Enterprise, n)
	for i := range out {
		out[i] = g.enterprise()
	}
	g.ensureVariety(out)
	return out
}

// profile is the latent shape of an enterprise the visible fields derive from.
type profile struct {
	seg         *segment
	age         float64 // years since founding
	founded     time.Time
	revenue     float64 // latest annual revenue in yuan; 0 for pre-revenue start-ups
	rdIntensity float64 // R&D expense over revenue
	employees   int
	highTech    bool
}

func (g *enterpriseGen) enterprise() *catalog.Enterprise {
	r := g.r
	city := cityWeights[g.cities.draw(r)].city
	p := profile{seg: &segments[g.segments[city].draw(r)]}

	if r.chance(0.42) {
		p.age = r.uniform(0.1, 5)
	} else {
		p.age = 5 + 20*math.Pow(r.Float64(), 1.4)
	}
	p.founded = g.day.AddDate(0, 0, -max(30, int(p.age*365.25)))

	if !(p.age < 3 && r.chance(0.25)) {
		p.revenue = min(5e9, r.lognormal(1.1e6*(1+p.age), 1.4))
	}
	p.rdIntensity = 0.01 + 0.24*math.Pow(r.Float64(), 1.8)
	if p.seg.track == catalog.OtherTrack {
		p.rdIntensity = max(0.01, p.rdIntensity*0.5)
	}
	if p.revenue > 0 {
		p.employees = int(math.Round(p.revenue/r.lognormal(300_000, 0.6))) + r.between(3, 12)
	} else {
		p.employees = r.between(3, 40)
	}
	p.employees = min(max(p.employees, 3), 20_000)

	e := &catalog.Enterprise{
		City:         city,
		FoundedOn:    p.founded,
		Employees:    p.employees,
		Track:        p.seg.track,
		CreditStatus: catalog.CreditGood,
		CreatedAt:    g.today,
		UpdatedAt:    g.today,
	}
	if p.seg.chain != "" && r.chance(0.85) {
		e.IndustryChain = ptr(p.seg.chain)
	}
	e.Qualifications = g.qualifications(&p)
	e.Name, e.CreditCode = g.nameAndCode(&p, city)
	e.Keywords = g.keywords(&p)
	e.Description = g.description(&p, e.Keywords)
	e.Reports = g.reports(&p)
	e.Subsidies = g.subsidies(&p)
	e.FinancingNeed = g.financingNeed(&p, e.Keywords[0])
	e.CompetitionEntries = g.competitionEntries(&p)
	if r.chance(0.01) {
		e.CreditStatus = catalog.CreditDishonest
	}
	e.HasWarrantLoan = e.CreditStatus == catalog.CreditGood && r.chance(0.03)
	return e
}

func (g *enterpriseGen) qualifications(p *profile) []catalog.Qualification {
	r := g.r
	var q []catalog.Qualification
	if p.employees <= 500 && p.revenue <= 2e8 && r.chance(0.72) {
		q = append(q, catalog.TechSME)
	}
	if p.age >= 1 {
		ph := 0.2
		if p.revenue >= 5e6 {
			ph += 0.25
		}
		if p.rdIntensity >= 0.06 {
			ph += 0.15
		}
		if p.seg.track == catalog.OtherTrack {
			ph /= 2
		}
		p.highTech = r.chance(ph)
	}
	if p.highTech {
		q = append(q, catalog.HighTech)
	}
	if p.age >= 2 && p.revenue >= 5e6 && r.chance(0.14) {
		q = append(q, catalog.Specialized)
		if p.revenue >= 2e7 && r.chance(0.25) {
			q = append(q, catalog.LittleGiant)
		}
	}
	if p.age <= 12 && p.revenue >= 1e7 && r.chance(0.08) {
		q = append(q, catalog.Gazelle)
	}
	if p.age <= 10 && p.revenue >= 1e8 && r.chance(0.005) {
		q = append(q, catalog.Unicorn)
	}
	return q
}

// nameAndCode makes a unique company name, "郑州芯睿半导体科技有限公司", and a
// unique, valid unified social credit code registered in the company's city.
func (g *enterpriseGen) nameAndCode(p *profile, city catalog.City) (string, string) {
	r := g.r
	prefix, admin := catalog.CityNames[city], adminCodes[city]
	if city == catalog.OtherCity {
		o := pick(r, outsideCities)
		prefix, admin = o.name, o.code
	}
	suffix := "科技有限公司"
	switch {
	case (p.revenue >= 1e8 && r.chance(0.5)) || r.chance(0.06):
		suffix = "股份有限公司"
	case r.chance(0.12):
		suffix = "技术有限公司"
	}
	name := uniqueName(g.names, func() string {
		return prefix + string(pick(r, brandFirst)) + string(pick(r, brandSecond)) + pick(r, p.seg.nameWords) + suffix
	})

	var code string
	for {
		var b strings.Builder
		b.WriteString("91")
		b.WriteString(admin)
		if p.founded.Year() >= 2015 { // codes issued since the reform start with "MA"
			b.WriteString("MA")
			for range 7 {
				b.WriteByte(creditCodeAlphabet[r.IntN(len(creditCodeAlphabet))])
			}
		} else { // the old organisation code: eight digits and its check character
			for range 8 {
				b.WriteByte(byte('0' + r.IntN(10)))
			}
			b.WriteByte("0123456789X"[r.IntN(11)])
		}
		check, _ := catalog.CreditCodeCheckChar(b.String())
		b.WriteByte(check)
		code = b.String()
		if !g.codes[code] {
			g.codes[code] = true
			return name, code
		}
	}
}

// keywords draws 2–6 technical terms of the enterprise's segment, sometimes
// one from a neighbouring segment of the same track.
func (g *enterpriseGen) keywords(p *profile) []string {
	r := g.r
	ks := sample(r, p.seg.terms, r.between(2, 6))
	if len(ks) < 6 && r.chance(0.15) {
		other := &segments[r.IntN(len(segments))]
		if other.track == p.seg.track && other != p.seg {
			if t := pick(r, other.terms); !slices.Contains(ks, t) {
				ks = append(ks, t)
			}
		}
	}
	return ks
}

var (
	leadSentences = []string{
		"专注于%[1]s的研发与制造，产品应用于%[2]s。",
		"主要从事%[1]s的研发、生产与销售，服务%[2]s等领域客户。",
		"致力于%[1]s技术的自主研发与产业化，产品广泛用于%[2]s。",
		"以%[1]s为核心业务，为%[2]s提供整体解决方案。",
	}
	partners = []string{"郑州大学", "河南大学", "河南科技大学", "河南理工大学", "河南工业大学", "河南农业大学",
		"华北水利水电大学", "郑州轻工业大学", "中原工学院", "河南省科学院"}
)

// description writes one or two Chinese sentences built from the keywords.
func (g *enterpriseGen) description(p *profile, ks []string) string {
	r := g.r
	s := fmt.Sprintf(pick(r, leadSentences), ks[0], pick(r, p.seg.uses))
	if len(ks) < 2 || r.chance(0.35) {
		return s
	}
	rest := strings.Join(ks[1:min(len(ks), 3)], "、")
	switch r.IntN(3) {
	case 0:
		return s + fmt.Sprintf("公司已掌握%s等核心技术，累计申请发明专利%d项。", rest, r.between(3, 60))
	case 1:
		return s + fmt.Sprintf("公司与%s共建研发平台，围绕%s开展联合攻关。", pick(r, partners), rest)
	default:
		return s + fmt.Sprintf("%s产品已通过ISO 9001质量体系认证，进入多家龙头企业供应链。", rest)
	}
}

// reports makes 0–3 consecutive annual reports ending last year, oldest
// first, walking revenue back from the latest year by plausible growth.
func (g *enterpriseGen) reports(p *profile) []catalog.AnnualReport {
	r := g.r
	last := g.today.Year() - 1
	n := min(reportCountChooser.draw(r), last-p.founded.Year()+1)
	if n <= 0 {
		return nil
	}

	techShare := r.uniform(0.15, 0.65)
	pgShare := r.uniform(0.02, 0.3)
	patentsPerMillion := r.lognormal(1.0, 0.7)
	contracts := r.chance(0.35)
	platformChance := 0.05
	if p.highTech {
		platformChance = 0.2
	}

	out := make([]catalog.AnnualReport, n)
	revenue, employees := p.revenue, float64(p.employees)
	for i := n - 1; i >= 0; i-- {
		year := last - (n - 1 - i)
		rd := revenue * min(0.25, max(0.01, p.rdIntensity*r.uniform(0.85, 1.15)))
		if revenue == 0 {
			rd = r.logUniform(200_000, 3_000_000)
		}
		emp := max(1, min(p.employees, int(math.Round(employees))))
		tech := max(1, min(emp, int(math.Round(float64(emp)*techShare*r.uniform(0.9, 1.1)))))
		inventions := min(300, r.poissonish(rd/1e6*patentsPerMillion+0.2))
		rep := catalog.AnnualReport{
			Year:                        year,
			Revenue:                     yuan(revenue, 100),
			RDExpense:                   rdExpense(revenue, rd),
			TechStaff:                   tech,
			Postgraduates:               min(tech, int(math.Round(float64(tech)*pgShare))),
			InventionPatentApplications: inventions,
			GraduatesHired:              min(tech, r.poissonish(float64(tech)*0.08)),
			ReturnOnEquityPercent:       g.returnOnEquity(revenue),
		}
		if r.chance(0.08) {
			rep.PCTApplications = r.between(1, 1+inventions/5)
		}
		if contracts {
			if revenue > 0 {
				rep.TechContractTurnover = yuan(revenue*r.uniform(0.01, 0.15), 100)
			} else {
				rep.TechContractTurnover = yuan(r.logUniform(50_000, 500_000), 100)
			}
		}
		if p.highTech {
			rep.HighTechProductRevenue = yuan(revenue*r.uniform(0.6, 0.95), 100)
		} else {
			rep.HighTechProductRevenue = yuan(revenue*r.uniform(0, 0.5), 100)
		}
		rep.HighTechProductRevenue = min(rep.HighTechProductRevenue, rep.Revenue)
		if revenue > 0 && r.chance(0.85) {
			rate := 0.25
			if p.highTech {
				rate = 0.15
			}
			rep.RDTaxDeduction = yuan(rd*rate*r.uniform(0.7, 1.0), 100)
		}
		if r.chance(platformChance) {
			rep.InnovationPlatforms = 1 + r.IntN(2)
		}
		if r.chance(0.04) {
			rep.ScienceAwards = 1
		}
		if r.chance(0.06) {
			rep.EquityFinancing = yuan(r.logUniform(1e6, 3e7), 10_000)
		}
		if r.chance(0.2) {
			rep.SciencePlanProjects = r.between(1, 2)
		}
		out[i] = rep

		// The year before: revenue grew into this year's, staff grew with it.
		growth := min(2.0, max(-0.4, r.NormFloat64()*0.25+0.12+0.3/(1+p.age)))
		if revenue > 0 {
			employees /= math.Pow(1+growth, 0.5)
			revenue /= 1 + growth
		} else {
			employees = max(1, employees-float64(r.between(0, 3)))
		}
	}
	return out
}

// rdExpense rounds rd to the hundred yuan but keeps it within 1–25% of the
// rounded revenue, however small the revenue.
func rdExpense(revenue, rd float64) catalog.Amount {
	a := yuan(rd, 100)
	if rev := yuan(revenue, 100); rev > 0 {
		a = min(max(a, (rev+99)/100), rev/4)
	}
	return a
}

func (g *enterpriseGen) returnOnEquity(revenue float64) float64 {
	roe := 9 + 8*g.r.NormFloat64()
	if revenue < 5e6 {
		roe = -8 + 15*g.r.NormFloat64()
	}
	return math.Round(min(60, max(-90, roe))*10) / 10
}

// subsidies gives about 30% of enterprises one to three fiscal subsidies,
// mostly this year or last year.
func (g *enterpriseGen) subsidies(p *profile) []catalog.Subsidy {
	r := g.r
	if !r.chance(0.3) {
		return nil
	}
	n := 1 + subsidyCountChooser.draw(r)
	out := make([]catalog.Subsidy, 0, n)
	for _, prog := range sample(r, subsidyPrograms, n) {
		year := max(g.today.Year()-subsidyYearChooser.draw(r), p.founded.Year())
		out = append(out, catalog.Subsidy{Program: prog, Amount: yuan(r.logUniform(1e5, 2e6), 10_000), Year: year})
	}
	slices.SortStableFunc(out, func(a, b catalog.Subsidy) int { return a.Year - b.Year })
	return out
}

// financingNeed states what about 60% of enterprises look for: mostly loans
// sized to their revenue, some equity rounds, a few insurance covers.
func (g *enterpriseGen) financingNeed(p *profile, term string) *catalog.FinancingNeed {
	r := g.r
	if !r.chance(0.6) {
		return nil
	}
	switch x := r.Float64(); {
	case x < 0.75:
		amount := r.uniform(5e5, 3e6)
		if p.revenue > 0 {
			amount = min(1e7, max(3e5, p.revenue*r.uniform(0.05, 0.3)))
		}
		return &catalog.FinancingNeed{Kind: catalog.Loan, Amount: yuan(amount, 100_000),
			Purpose: fmt.Sprintf(pick(r, loanPurposes), term)}
	case x < 0.95:
		hi := min(5e7, max(5e6, p.revenue))
		return &catalog.FinancingNeed{Kind: catalog.Equity, Amount: yuan(r.logUniform(2e6, hi), 1_000_000),
			Purpose: fmt.Sprintf(pick(r, equityPurposes), term)}
	default:
		return &catalog.FinancingNeed{Kind: catalog.Insurance, Amount: yuan(r.logUniform(5e5, 5e6), 100_000),
			Purpose: fmt.Sprintf(pick(r, insurancePurposes), term)}
	}
}

// Read-only distributions: index i is drawn with the i-th weight.
var (
	reportCountChooser  = newChooser([]float64{0.07, 0.15, 0.28, 0.50}) // 0–3 reports
	subsidyCountChooser = newChooser([]float64{0.7, 0.25, 0.05})        // 1–3 subsidies
	subsidyYearChooser  = newChooser([]float64{0.3, 0.4, 0.15, 0.15})   // years before this one
	stageChooser        = newChooser([]float64{0.35, 0.30, 0.20, 0.12, 0.03})
	stages              = []catalog.CompetitionStage{catalog.Preliminary, catalog.CitySemifinal,
		catalog.ProvincialSemifinal, catalog.ProvincialFinal, catalog.National}
	finalAwards       = []catalog.Award{catalog.NoAward, catalog.Excellence, catalog.Third, catalog.Second, catalog.First}
	finalAwardChooser = newChooser([]float64{0.30, 0.30, 0.20, 0.13, 0.07})
	entryYearChooser  = newChooser([]float64{0.3, 0.4, 0.2, 0.1})
	entryCountChooser = newChooser([]float64{0.75, 0.2, 0.05})
)

// competitionRevenue is the most an entrant may have earned the year before.
const competitionRevenue = 2e8

// competitionEntries enters about 15% of enterprises (those on the five
// tracks with revenue within the rules) in one to three years' competitions.
// Awards are only won at the provincial final or the national stage.
func (g *enterpriseGen) competitionEntries(p *profile) []catalog.CompetitionEntry {
	r := g.r
	if p.seg.track == catalog.OtherTrack || p.revenue > competitionRevenue || !r.chance(0.16) {
		return nil
	}
	group := catalog.GrowthGroup
	if p.revenue < 5e6 {
		group = catalog.StartupGroup
	}
	var out []catalog.CompetitionEntry
	for range 1 + entryCountChooser.draw(r) {
		year := max(g.today.Year()-entryYearChooser.draw(r), p.founded.Year())
		if slices.ContainsFunc(out, func(c catalog.CompetitionEntry) bool { return c.Year == year }) {
			continue
		}
		stage := stages[stageChooser.draw(r)]
		award := catalog.NoAward
		if stage == catalog.ProvincialFinal || stage == catalog.National {
			award = finalAwards[finalAwardChooser.draw(r)]
		}
		out = append(out, catalog.CompetitionEntry{Year: year, Group: group, Track: p.seg.track, StageReached: stage, Award: award})
	}
	slices.SortFunc(out, func(a, b catalog.CompetitionEntry) int { return a.Year - b.Year })
	return out
}

// ensureVariety makes sure a dataset of ten or more enterprises has at least
// one dishonest enterprise, one award winner of this or last year and one
// warrant-loan holder, so every rule has something to act on.
func (g *enterpriseGen) ensureVariety(es []*catalog.Enterprise) {
	if len(es) < 10 {
		return
	}
	r := g.r
	lastYear := g.today.Year() - 1
	has := func(f func(*catalog.Enterprise) bool) bool { return slices.ContainsFunc(es, f) }
	// find returns a random enterprise satisfying f, or nil after enough tries.
	find := func(f func(*catalog.Enterprise) bool) *catalog.Enterprise {
		for range 10 * len(es) {
			if e := es[r.IntN(len(es))]; f(e) {
				return e
			}
		}
		return nil
	}
	good := func(e *catalog.Enterprise) bool { return e.CreditStatus == catalog.CreditGood }

	if !has(func(e *catalog.Enterprise) bool { return !good(e) }) {
		if e := find(func(e *catalog.Enterprise) bool { return !e.HasWarrantLoan }); e != nil {
			e.CreditStatus = catalog.CreditDishonest
		}
	}
	recentAward := func(e *catalog.Enterprise) bool {
		return slices.ContainsFunc(e.CompetitionEntries, func(c catalog.CompetitionEntry) bool {
			return c.Year >= lastYear && c.GreenChannel()
		})
	}
	if !has(recentAward) {
		if e := find(func(e *catalog.Enterprise) bool { return good(e) && e.Track != catalog.OtherTrack }); e != nil {
			year := max(lastYear, e.FoundedOn.Year())
			group := catalog.StartupGroup
			if e.Stage() != catalog.Startup {
				group = catalog.GrowthGroup
			}
			e.CompetitionEntries = slices.DeleteFunc(e.CompetitionEntries, func(c catalog.CompetitionEntry) bool { return c.Year == year })
			e.CompetitionEntries = append(e.CompetitionEntries, catalog.CompetitionEntry{Year: year, Group: group,
				Track: e.Track, StageReached: catalog.ProvincialFinal, Award: catalog.Excellence})
			slices.SortFunc(e.CompetitionEntries, func(a, b catalog.CompetitionEntry) int { return a.Year - b.Year })
		}
	}
	if !has(func(e *catalog.Enterprise) bool { return e.HasWarrantLoan }) {
		if e := find(good); e != nil {
			e.HasWarrantLoan = true
		}
	}
}
