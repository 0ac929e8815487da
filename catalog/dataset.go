package catalog

// Dataset is the whole marketplace at one moment: what the store loads at
// start, what the demo generator makes, and what the matching engine ranks.
type Dataset struct {
	Institutions []*Institution
	Enterprises  []*Enterprise
	Products     []*FinancialProduct
	Incubators   []*Incubator
	Demands      []*SupplyChainDemand
}
