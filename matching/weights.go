package matching

import "github.com/yurong/yurong/catalog"

// Weights are the most points each factor adds to a pairing's score (0–100).
// A fractional factor adds that share of its weight, e.g. the innovation
// score adds InnovationFinancing × total/1000.
//
// The defaults keep the largest possible sum of every kind below 100, so the
// clamp at 100 never hides a difference: an award winner or a warrant-loan
// holder always scores strictly higher than an otherwise identical
// enterprise. A configuration that breaks this loses that guarantee.
//
// One FINANCING factor is outside Weights: Config.TopBankBonus (default 3)
// for a product of a top-quarter 科技贷 bank paired with an early-small-hard
// enterprise, since it depends on the engine's set of top banks.
type Weights struct {
	// FINANCING: products.
	ProductTrack        float64 // the product lists the enterprise's track
	ProductCity         float64 // the product lists the enterprise's city
	ProductStage        float64 // the product lists the enterprise's stage
	AmountFit           float64 // the stated need of the product's kind fits its range
	InnovationFinancing float64 // × innovation total / 1000
	CoverageFit         float64 // insurance covers what the stage needs
	WarrantPriority     float64 // equity products: warrant-loan holders first
	EarlySmallHard      float64 // loans and equity: listed early-small-hard enterprises
	// NoCreditCapacity is subtracted from a loan other than the subsidy
	// loan when the enterprise has no credit capacity (no revenue, not on
	// the early-small-hard list, no award), so no amount can be suggested.
	NoCreditCapacity float64

	// INCUBATION: incubators.
	FocusTrack           float64 // the enterprise's track is a focus track
	OpenFocus            float64 // the incubator has no focus tracks
	IncubatorCity        float64 // same city
	IncubatorStage       float64 // the carrier suits the stage (table in scoring.go)
	ServicePackage       float64 // 育新服务包: a fifth per service offered
	Vacancies            float64 // saturates at 20 vacancies
	CarrierLevel         float64 // national; provincial 60 %, municipal 20 %
	InnovationIncubation float64 // × innovation total / 1000

	// INDUSTRY_CHAIN: supply-chain demands.
	KeywordOverlap   float64 // × share of the demand's keywords found
	DemandTrack      float64 // same track
	DemandChain      float64 // same industry chain
	DemandCity       float64 // same city
	InnovationDemand float64 // × innovation total / 1000

	// Every kind.
	GreenChannel float64 // award above NONE this year or last year
}

// DefaultWeights returns the documented default factor weights.
func DefaultWeights() Weights {
	return Weights{
		ProductTrack:        12,
		ProductCity:         6,
		ProductStage:        10,
		AmountFit:           15,
		InnovationFinancing: 20,
		CoverageFit:         12,
		WarrantPriority:     10,
		EarlySmallHard:      6,
		NoCreditCapacity:    5,

		FocusTrack:           15,
		OpenFocus:            7,
		IncubatorCity:        12,
		IncubatorStage:       10,
		ServicePackage:       10,
		Vacancies:            5,
		CarrierLevel:         5,
		InnovationIncubation: 10,

		KeywordOverlap:   40,
		DemandTrack:      15,
		DemandChain:      15,
		DemandCity:       8,
		InnovationDemand: 10,

		GreenChannel: 8,
	}
}

// maxSums returns the largest score each kind can reach before clamping.
func (c Config) maxSums() map[catalog.PairingKind]float64 {
	w := c.Weights
	financing := w.ProductTrack + w.ProductCity + w.ProductStage + w.AmountFit +
		w.InnovationFinancing + max(w.CoverageFit, w.WarrantPriority+w.EarlySmallHard+c.LinkBonuses.sum()) + c.TopBankBonus + w.GreenChannel
	incubation := max(w.FocusTrack, w.OpenFocus) + w.IncubatorCity + w.IncubatorStage + w.ServicePackage +
		w.Vacancies + w.CarrierLevel + w.InnovationIncubation + w.GreenChannel
	demand := w.KeywordOverlap + w.DemandTrack + w.DemandChain + w.DemandCity + w.InnovationDemand + w.GreenChannel
	return map[catalog.PairingKind]float64{
		catalog.Financing: financing, catalog.Incubation: incubation, catalog.IndustryChain: demand,
	}
}

// IndicatorWeights weight the 18 indicators per growth stage, in the order
// of Indicators. Each stage's weights sum to 10.
type IndicatorWeights struct {
	Startup, Growth, Stable [IndicatorCount]float64
}

// For returns the weights of stage.
func (w *IndicatorWeights) For(stage catalog.GrowthStage) *[IndicatorCount]float64 {
	switch stage {
	case catalog.Growth:
		return &w.Growth
	case catalog.Stable:
		return &w.Stable
	}
	return &w.Startup
}

// DefaultIndicatorWeights follow the national trial version's emphasis:
// start-ups are judged mostly on R&D effort, people and early financing,
// growth enterprises on R&D and growth, stable ones on output and returns.
func DefaultIndicatorWeights() IndicatorWeights {
	return IndicatorWeights{
		//        rd   rdΔ  rd%  tech pat  pct  tcon htr  rev  revΔ pg   tax  roe  grad plat awd  eq   plan
		Startup: [IndicatorCount]float64{0.6, 0.5, 1.0, 1.0, 0.9, 0.3, 0.5, 0.4, 0.3, 0.6, 0.6, 0.4, 0.2, 0.5, 0.4, 0.4, 0.9, 0.5},
		Growth:  [IndicatorCount]float64{0.7, 0.6, 0.8, 0.7, 0.8, 0.4, 0.6, 0.7, 0.5, 0.8, 0.5, 0.5, 0.4, 0.4, 0.5, 0.4, 0.4, 0.3},
		Stable:  [IndicatorCount]float64{0.8, 0.5, 0.6, 0.4, 0.8, 0.5, 0.7, 0.9, 0.7, 0.6, 0.3, 0.7, 0.6, 0.4, 0.6, 0.4, 0.2, 0.3},
	}
}
