package catalog

import "slices"

// Clone methods copy an entity deeply enough that changing the copy never
// changes the original, which readers may still hold: the read model and
// the matching engine keep their own copies, and writes patch a copy.

// Clone returns a deep copy of e.
func (e *Enterprise) Clone() *Enterprise {
	c := *e
	c.IndustryChain = clonePtr(e.IndustryChain)
	c.Keywords = slices.Clone(e.Keywords)
	c.Qualifications = slices.Clone(e.Qualifications)
	c.Reports = slices.Clone(e.Reports)
	c.Subsidies = slices.Clone(e.Subsidies)
	c.FinancingNeed = clonePtr(e.FinancingNeed)
	c.CompetitionEntries = slices.Clone(e.CompetitionEntries)
	return &c
}

// Clone returns a deep copy of p.
func (p *FinancialProduct) Clone() *FinancialProduct {
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

// Clone returns a deep copy of in.
func (in *Incubator) Clone() *Incubator {
	c := *in
	c.FocusTracks = slices.Clone(in.FocusTracks)
	c.ServicePackage = clonePtr(in.ServicePackage)
	return &c
}

// Clone returns a deep copy of d.
func (d *SupplyChainDemand) Clone() *SupplyChainDemand {
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
