package resolvers

import (
	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/graph/model"
)

// This file maps GraphQL inputs onto catalogue values. Optional inputs take
// the API's documented defaults here and nowhere else.

func deref[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

func reportsFromInput(in []*model.AnnualReportInput) []catalog.AnnualReport {
	out := make([]catalog.AnnualReport, len(in))
	for i, r := range in {
		out[i] = catalog.AnnualReport{
			Year: r.Year, Revenue: r.Revenue, RDExpense: r.RdExpense, TechStaff: r.TechStaff,
			Postgraduates: r.Postgraduates, InventionPatentApplications: r.InventionPatentApplications,
			PCTApplications: r.PctApplications, TechContractTurnover: r.TechContractTurnover,
			HighTechProductRevenue: r.HighTechProductRevenue, RDTaxDeduction: r.RdTaxDeduction,
			ReturnOnEquityPercent: r.ReturnOnEquityPercent, GraduatesHired: r.GraduatesHired,
			InnovationPlatforms: r.InnovationPlatforms, ScienceAwards: r.ScienceAwards,
			EquityFinancing: r.EquityFinancing, SciencePlanProjects: r.SciencePlanProjects,
		}
	}
	return out
}

func subsidiesFromInput(in []*model.SubsidyInput) []catalog.Subsidy {
	out := make([]catalog.Subsidy, len(in))
	for i, s := range in {
		out[i] = catalog.Subsidy{Program: s.Program, Amount: s.Amount, Year: s.Year}
	}
	return out
}

func needFromInput(in *model.FinancingNeedInput) *catalog.FinancingNeed {
	if in == nil {
		return nil
	}
	return &catalog.FinancingNeed{Kind: in.Kind, Amount: in.Amount, Purpose: in.Purpose}
}

func enterpriseFromInput(in model.CreateEnterpriseInput) *catalog.Enterprise {
	return &catalog.Enterprise{
		Name: in.Name, CreditCode: in.CreditCode, City: in.City, FoundedOn: in.FoundedOn,
		Employees: in.Employees, Track: in.Track, IndustryChain: in.IndustryChain,
		Description: in.Description, Keywords: in.Keywords, Qualifications: in.Qualifications,
		CreditStatus: deref(in.CreditStatus, catalog.CreditGood),
		Reports:      reportsFromInput(in.Reports), Subsidies: subsidiesFromInput(in.Subsidies),
		FinancingNeed: needFromInput(in.FinancingNeed), HasWarrantLoan: deref(in.HasWarrantLoan, false),
	}
}

// patchFromInput returns the update: every given field replaces the stored value.
func patchFromInput(in model.UpdateEnterpriseInput) func(*catalog.Enterprise) {
	return func(e *catalog.Enterprise) {
		if in.Name != nil {
			e.Name = *in.Name
		}
		if in.City != nil {
			e.City = *in.City
		}
		if in.Employees != nil {
			e.Employees = *in.Employees
		}
		if in.Track != nil {
			e.Track = *in.Track
		}
		if in.IndustryChain != nil {
			e.IndustryChain = in.IndustryChain
		}
		if in.Description != nil {
			e.Description = *in.Description
		}
		if in.Keywords != nil {
			e.Keywords = in.Keywords
		}
		if in.Qualifications != nil {
			e.Qualifications = in.Qualifications
		}
		if in.CreditStatus != nil {
			e.CreditStatus = *in.CreditStatus
		}
		if in.Reports != nil {
			e.Reports = reportsFromInput(in.Reports)
		}
		if in.Subsidies != nil {
			e.Subsidies = subsidiesFromInput(in.Subsidies)
		}
		if in.FinancingNeed != nil {
			e.FinancingNeed = needFromInput(in.FinancingNeed)
		}
		if in.HasWarrantLoan != nil {
			e.HasWarrantLoan = *in.HasWarrantLoan
		}
	}
}

func eligibilityFromInput(in *model.EligibilityInput) catalog.Eligibility {
	if in == nil {
		return catalog.Eligibility{}
	}
	return catalog.Eligibility{
		MinInnovationScore: in.MinInnovationScore, Tracks: in.Tracks, Cities: in.Cities,
		Stages: in.Stages, Qualifications: in.Qualifications, MaxCompanyAgeYears: in.MaxCompanyAgeYears,
		MaxEmployees: in.MaxEmployees, MaxRevenue: in.MaxRevenue,
		RequiresCompetitionEntry: deref(in.RequiresCompetitionEntry, false),
		RequiresCompetitionAward: deref(in.RequiresCompetitionAward, false),
		RequiresSubsidy:          deref(in.RequiresSubsidy, false),
		SubsidyMultiple:          in.SubsidyMultiple,
	}
}

func servicePackageFromInput(in *model.ServicePackageInput) *catalog.ServicePackage {
	if in == nil {
		return nil
	}
	return &catalog.ServicePackage{FreeWorkstations: in.FreeWorkstations, RentFreeMonths: in.RentFreeMonths,
		Mentorship: in.Mentorship, PolicyAgent: in.PolicyAgent, PilotBaseAccess: in.PilotBaseAccess}
}
