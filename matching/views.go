package matching

import (
	"slices"
	"strings"
	"time"

	"github.com/yurong/yurong/catalog"
)

// The views below are the engine's own read-only digests of the catalog
// entities: what the evaluator needs, precomputed once per write so the
// per-pair work is a handful of comparisons. A view is never modified after
// it is built; a write replaces it.

// Bit sets of enumerations. Unknown values map to no bit, so they match no
// list (and an empty list still means any).
var (
	trackBits = bitsOf(append(slices.Clone(catalog.Tracks), catalog.OtherTrack))
	cityBits  = bitsOf(append(slices.Clone(catalog.Cities), catalog.OtherCity))
	stageBits = bitsOf(catalog.Stages)
	qualBits  = bitsOf([]catalog.Qualification{catalog.TechSME, catalog.HighTech, catalog.Specialized,
		catalog.LittleGiant, catalog.Gazelle, catalog.Unicorn})
)

func bitsOf[T comparable](xs []T) map[T]uint32 {
	m := make(map[T]uint32, len(xs))
	for i, x := range xs {
		m[x] = 1 << i
	}
	return m
}

func maskOf[T comparable](xs []T, bits map[T]uint32) uint32 {
	var m uint32
	for _, x := range xs {
		m |= bits[x]
	}
	return m
}

// entView digests an enterprise.
type entView struct {
	src    *catalog.Enterprise // engine-owned copy, never modified
	id     int64
	stage  catalog.GrowthStage
	values [IndicatorCount]float64
	// total is the innovation total the enterprise's pairings were last
	// computed with, and the value kept in its cohort's sorted totals.
	total int

	track, city, stageBit, quals uint32
	chain                        string // normalised industry chain, "" when none
	dishonest                    bool
	green                        bool // award above NONE this year or last year
	entered                      bool // competition entry this year or last year
	lastEntry                    int  // year of the latest entry, 0 when none
	warrant                      bool
	listed                       bool // on the early-small-hard list
	employees                    int
	revenue                      catalog.Amount // latest report, 0 without one
	subsidies                    catalog.Amount // this year and last year
	capacity                     catalog.Amount // credit capacity of loans other than the subsidy loan
	needKind                     catalog.ProductKind
	need                         catalog.Amount // 0 when no stated need
	text                         string         // lower-cased keywords and description
	// The links (Engine.SetLinks): the incubator the enterprise resides in
	// (0 when none), the banks it borrowed from and the funds interested
	// in it, sorted.
	resident                   int64
	borrowedFrom, interestFrom []int64
	// modelTotals are the enterprise's scores under the institutions'
	// models, by model slot (models.go).
	modelTotals []int32
}

func newEntView(src *catalog.Enterprise, cfg *Config, today time.Time, rel *relations) *entView {
	return deriveEntView(src, cfg, today, rel, enterpriseText(src))
}

// deriveEntView is newEntView with the text given: counterfactual advice
// derives views of changed copies whose text is the original's.
func deriveEntView(src *catalog.Enterprise, cfg *Config, today time.Time, rel *relations, text string) *entView {
	year := today.Year()
	v := &entView{
		src:       src,
		id:        src.ID,
		stage:     StageOf(src),
		values:    indicatorValues(src),
		track:     trackBits[src.Track],
		city:      cityBits[src.City],
		quals:     maskOf(src.Qualifications, qualBits),
		chain:     normChain(src.IndustryChain),
		dishonest: src.CreditStatus == catalog.CreditDishonest,
		warrant:   src.HasWarrantLoan,
		employees: src.Employees,
	}
	v.stageBit = stageBits[v.stage]
	for _, c := range src.CompetitionEntries {
		v.lastEntry = max(v.lastEntry, c.Year)
		if c.Year == year || c.Year == year-1 {
			v.entered = true
			v.green = v.green || c.GreenChannel()
		}
	}
	if r := src.LatestReport(); r != nil {
		v.revenue = r.Revenue
	}
	for _, s := range src.Subsidies {
		if s.Year == year || s.Year == year-1 {
			v.subsidies += s.Amount
		}
	}
	if n := src.FinancingNeed; n != nil {
		v.needKind, v.need = n.Kind, n.Amount
	}
	v.listed = earlySmallHard(src, cfg.EarlySmallHard, today, false).Listed
	v.capacity = creditCapacity(v.revenue, v.listed, v.green, cfg)
	v.text = text
	v.resident = rel.links.Residents[src.ID]
	v.borrowedFrom, v.interestFrom = rel.links.Borrowers[src.ID], rel.links.Interest[src.ID]
	return v
}

// normChain normalises an industry chain's name for comparison.
func normChain(s *string) string {
	if s == nil {
		return ""
	}
	return strings.ToLower(strings.TrimSpace(*s))
}

// enterpriseText is what demand keywords are looked for in: the keywords and
// the description, lower-cased (Latin letters match case-insensitively),
// separated by a byte no keyword contains.
func enterpriseText(e *catalog.Enterprise) string {
	var b strings.Builder
	for _, k := range e.Keywords {
		b.WriteString(strings.ToLower(k))
		b.WriteByte(0)
	}
	b.WriteString(strings.ToLower(e.Description))
	return b.String()
}

// prodView digests a financial product.
type prodView struct {
	src                         *catalog.FinancialProduct
	id                          int64
	kind                        catalog.ProductKind
	tracks, cities, stages      uint32 // 0 = any
	quals                       uint32 // 0 = none required; else at least one
	minScore                    int    // -1 = no minimum
	ageCutoff                   time.Time
	hasAgeLimit                 bool
	maxEmployees                int // -1 = no limit
	maxRevenue                  catalog.Amount
	hasMaxRevenue               bool
	needEntry, needAward        bool
	subsidyLoan                 bool // SUBSIDY_LOAN or requiresSubsidy
	multiple                    float64
	minAmount, maxAmount        catalog.Amount
	coverFit                    [3]float64 // share of the stage's covers offered, by stage index
	equity, insurance, loanLike bool
	// topBank: the provider is a top-quarter bank (Engine.SetTopBanks).
	// It is engine state, not the product's, so changing the set replaces
	// the views of the products it moves.
	topBank bool
	// incPartners and loanPartners: an equity product's fund's incubators
	// (投孵联动) and banks (投贷联动), sorted (Engine.SetLinks).
	incPartners, loanPartners []int64
	// model is the institution model the product scores with, nil for the
	// province's score alone (models.go).
	model     *modelView
	modelMode ModelMode
}

// stageCovers are the covers each growth stage needs most (indexed by stage).
var stageCovers = [3][]catalog.Coverage{
	{catalog.CoverProofOfConcept, catalog.CoverRD, catalog.CoverRDExpenseLoss},
	{catalog.CoverPilotScale, catalog.CoverCommercialization, catalog.CoverIPProtection},
	{catalog.CoverOperation, catalog.CoverMarketPromotion, catalog.CoverIPProtection},
}

// coversForFullFit is how many of the stage's covers earn the full weight.
const coversForFullFit = 2

func newProdView(src *catalog.FinancialProduct, cfg *Config, today time.Time, rel *relations) *prodView {
	el := &src.Eligibility
	p := &prodView{
		src:          src,
		id:           src.ID,
		kind:         src.Kind,
		tracks:       maskOf(el.Tracks, trackBits),
		cities:       maskOf(el.Cities, cityBits),
		stages:       maskOf(el.Stages, stageBits),
		quals:        maskOf(el.Qualifications, qualBits),
		minScore:     -1,
		maxEmployees: -1,
		needEntry:    el.RequiresCompetitionEntry || src.Program == catalog.ContestLoan,
		needAward:    el.RequiresCompetitionAward,
		subsidyLoan:  el.RequiresSubsidy || src.Program == catalog.SubsidyLoan,
		multiple:     cfg.DefaultSubsidyMultiple,
		maxAmount:    src.MaxAmount,
		equity:       src.Kind == catalog.Equity,
		insurance:    src.Kind == catalog.Insurance,
		loanLike:     src.Kind == catalog.Loan || src.Kind == catalog.Equity,
		topBank:      rel.topBanks[src.ProviderID],
	}
	// A list whose values are all unknown must still exclude everyone.
	if len(el.Tracks) > 0 && p.tracks == 0 {
		p.tracks = 1 << 31
	}
	if len(el.Cities) > 0 && p.cities == 0 {
		p.cities = 1 << 31
	}
	if len(el.Stages) > 0 && p.stages == 0 {
		p.stages = 1 << 31
	}
	if len(el.Qualifications) > 0 && p.quals == 0 {
		p.quals = 1 << 31
	}
	if el.MinInnovationScore != nil {
		p.minScore = *el.MinInnovationScore
	}
	if el.MaxCompanyAgeYears != nil {
		p.hasAgeLimit = true
		// Older than N years: founded before today minus N years.
		p.ageCutoff = today.AddDate(-*el.MaxCompanyAgeYears, 0, 0)
	}
	if el.MaxEmployees != nil {
		p.maxEmployees = *el.MaxEmployees
	}
	if el.MaxRevenue != nil {
		p.hasMaxRevenue, p.maxRevenue = true, *el.MaxRevenue
	}
	if el.SubsidyMultiple != nil && *el.SubsidyMultiple > 0 {
		p.multiple = *el.SubsidyMultiple
	}
	if src.MinAmount != nil {
		p.minAmount = *src.MinAmount
	}
	if p.insurance {
		for i, covers := range stageCovers {
			n := 0
			for _, c := range covers {
				if slices.Contains(src.Coverages, c) {
					n++
				}
			}
			p.coverFit[i] = min(1, float64(n)/coversForFullFit)
		}
	}
	if p.equity {
		p.incPartners, p.loanPartners = rel.links.IncubationPartners[src.ProviderID], rel.links.LoanPartners[src.ProviderID]
	}
	p.model, p.modelMode = rel.modelOf(src.ID)
	return p
}

// incView digests an incubator.
type incView struct {
	src       *catalog.Incubator
	id        int64
	city      uint32
	focus     uint32 // 0 = open to every track
	vacancies int
	services  int // services of the 育新服务包 offered, 0–5
	level     float64
	stageFit  [3]float64 // by stage index
}

// carrierStageFit says how well each kind of carrier suits each stage:
// makerspaces and incubators serve start-ups, accelerators and pilot bases
// serve enterprises that are scaling up.
var carrierStageFit = map[catalog.IncubatorKind][3]float64{
	catalog.Makerspace:            {1, 0.3, 0},
	catalog.IncubatorCarrier:      {1, 0.5, 0},
	catalog.SmartIsland:           {1, 0.7, 0.3},
	catalog.UniversitySciencePark: {1, 0.5, 0.2},
	catalog.Accelerator:           {0.5, 1, 0.3},
	catalog.PilotBase:             {0.3, 1, 0.6},
}

var levelFit = map[catalog.CarrierLevel]float64{
	catalog.NationalLevel: 1, catalog.ProvincialLevel: 0.6, catalog.MunicipalLevel: 0.2,
}

func newIncView(src *catalog.Incubator) *incView {
	in := &incView{
		src:       src,
		id:        src.ID,
		city:      cityBits[src.City],
		focus:     maskOf(src.FocusTracks, trackBits),
		vacancies: src.Vacancies,
		level:     levelFit[src.Level],
		stageFit:  carrierStageFit[src.Kind],
	}
	if len(src.FocusTracks) > 0 && in.focus == 0 {
		in.focus = 1 << 31
	}
	if sp := src.ServicePackage; sp != nil {
		for _, offered := range []bool{sp.FreeWorkstations > 0, sp.RentFreeMonths > 0, sp.Mentorship, sp.PolicyAgent, sp.PilotBaseAccess} {
			if offered {
				in.services++
			}
		}
	}
	return in
}

// demView digests a supply-chain demand.
type demView struct {
	src      *catalog.SupplyChainDemand
	id       int64
	keywords []string // lower-cased, trimmed, distinct, non-empty
	stored   []string // keywords[i] as the demand stores it (trimmed), for messages
	track    uint32
	city     uint32
	chain    string
}

func newDemView(src *catalog.SupplyChainDemand) *demView {
	d := &demView{
		src:   src,
		id:    src.ID,
		track: trackBits[src.Track],
		city:  cityBits[src.City],
		chain: normChain(&src.IndustryChain),
	}
	for _, k := range src.Keywords {
		k = strings.TrimSpace(k)
		if low := strings.ToLower(k); low != "" && !slices.Contains(d.keywords, low) {
			d.keywords = append(d.keywords, low)
			d.stored = append(d.stored, k)
		}
	}
	return d
}

// hits counts the demand's keywords found in the enterprise's text.
func (d *demView) hits(e *entView) int {
	n := 0
	for _, k := range d.keywords {
		if strings.Contains(e.text, k) {
			n++
		}
	}
	return n
}
