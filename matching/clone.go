package matching

import (
	"slices"

	"github.com/yurong/yurong/catalog"
)

// The engine keeps its own deep copies of what it is given, so a caller
// that later modifies its values cannot change the engine's view behind its
// lock.

func cloneEnterprise(e *catalog.Enterprise) *catalog.Enterprise {
	c := *e
	if e.IndustryChain != nil {
		s := *e.IndustryChain
		c.IndustryChain = &s
	}
	c.Keywords = slices.Clone(e.Keywords)
	c.Qualifications = slices.Clone(e.Qualifications)
	c.Reports = slices.Clone(e.Reports)
	// Readers assume the oldest report first; the catalog validator sorts,
	// but the engine does not rely on its caller having validated.
	slices.SortStableFunc(c.Reports, func(a, b catalog.AnnualReport) int { return a.Year - b.Year })
	c.Subsidies = slices.Clone(e.Subsidies)
	if e.FinancingNeed != nil {
		n := *e.FinancingNeed
		c.FinancingNeed = &n
	}
	c.CompetitionEntries = slices.Clone(e.CompetitionEntries)
	return &c
}

func cloneProduct(p *catalog.FinancialProduct) *catalog.FinancialProduct {
	c := *p
	c.MinAmount = clonePtr(p.MinAmount)
	c.AnnualRatePercent = clonePtr(p.AnnualRatePercent)
	c.TermMonths = clonePtr(p.TermMonths)
	c.Coverages = slices.Clone(p.Coverages)
	el := &c.Eligibility
	el.MinInnovationScore = clonePtr(p.Eligibility.MinInnovationScore)
	el.Tracks = slices.Clone(p.Eligibility.Tracks)
	el.Cities = slices.Clone(p.Eligibility.Cities)
	el.Stages = slices.Clone(p.Eligibility.Stages)
	el.Qualifications = slices.Clone(p.Eligibility.Qualifications)
	el.MaxCompanyAgeYears = clonePtr(p.Eligibility.MaxCompanyAgeYears)
	el.MaxEmployees = clonePtr(p.Eligibility.MaxEmployees)
	el.MaxRevenue = clonePtr(p.Eligibility.MaxRevenue)
	el.SubsidyMultiple = clonePtr(p.Eligibility.SubsidyMultiple)
	return &c
}

func cloneIncubator(in *catalog.Incubator) *catalog.Incubator {
	c := *in
	c.FocusTracks = slices.Clone(in.FocusTracks)
	c.ServicePackage = clonePtr(in.ServicePackage)
	return &c
}

func cloneDemand(d *catalog.SupplyChainDemand) *catalog.SupplyChainDemand {
	c := *d
	c.Keywords = slices.Clone(d.Keywords)
	c.Budget = clonePtr(d.Budget)
	c.Deadline = clonePtr(d.Deadline)
	return &c
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
