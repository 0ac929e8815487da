package catalog

import (
	"fmt"
	"strconv"
	"strings"
)

// Valid reports whether a value is one of its enumeration's: the API
// refuses others before they reach the store, and the store's start-up
// check reports any that an older version let through.

// Valid reports whether v is a City of the API.
func (v City) Valid() bool {
	switch v {
	case Zhengzhou, Kaifeng, Luoyang, Pingdingshan, Anyang, Hebi, Xinxiang, Jiaozuo, Puyang, Xuchang, Luohe, Sanmenxia, Nanyang, Shangqiu, Xinyang, Zhoukou, Zhumadian, Jiyuan, OtherCity:
		return true
	}
	return false
}

// Valid reports whether v is a Track of the API.
func (v Track) Valid() bool {
	switch v {
	case NextGenIT, HighEndManufacturing, NewMaterials, Biomedicine, NewEnergyEnvironment, OtherTrack:
		return true
	}
	return false
}

// Valid reports whether v is a Qualification of the API.
func (v Qualification) Valid() bool {
	switch v {
	case TechSME, HighTech, Specialized, LittleGiant, Gazelle, Unicorn:
		return true
	}
	return false
}

// Valid reports whether v is a CreditStatus of the API.
func (v CreditStatus) Valid() bool {
	switch v {
	case CreditGood, CreditDishonest:
		return true
	}
	return false
}

// Valid reports whether v is a GrowthStage of the API.
func (v GrowthStage) Valid() bool {
	switch v {
	case Startup, Growth, Stable:
		return true
	}
	return false
}

// Valid reports whether v is a ScoreGrade of the API.
func (v ScoreGrade) Valid() bool {
	switch v {
	case Leading, Racing, Advancing, Baseline:
		return true
	}
	return false
}

// Valid reports whether v is a CompetitionGroup of the API.
func (v CompetitionGroup) Valid() bool {
	switch v {
	case StartupGroup, GrowthGroup:
		return true
	}
	return false
}

// Valid reports whether v is a CompetitionStage of the API.
func (v CompetitionStage) Valid() bool {
	switch v {
	case Preliminary, CitySemifinal, ProvincialSemifinal, ProvincialFinal, National:
		return true
	}
	return false
}

// Valid reports whether v is a Award of the API.
func (v Award) Valid() bool {
	switch v {
	case NoAward, Excellence, Third, Second, First:
		return true
	}
	return false
}

// Valid reports whether v is a InstitutionKind of the API.
func (v InstitutionKind) Valid() bool {
	switch v {
	case Bank, VentureCapital, GovernmentFund, Insurer, Guarantor:
		return true
	}
	return false
}

// Valid reports whether v is a ProductKind of the API.
func (v ProductKind) Valid() bool {
	switch v {
	case Loan, Equity, Insurance:
		return true
	}
	return false
}

// Valid reports whether v is a Program of the API.
func (v Program) Valid() bool {
	switch v {
	case TechLoan, ScoreLoan, ScoreInvestment, ScoreInsurance, SubsidyLoan, ContestLoan, WarrantLoan, TransferLoan, Yukebao, Kehuibao, VentureFund, OtherProgram:
		return true
	}
	return false
}

// Valid reports whether v is a Coverage of the API.
func (v Coverage) Valid() bool {
	switch v {
	case CoverRD, CoverOperation, CoverMarketPromotion, CoverIPProtection, CoverRDExpenseLoss, CoverProofOfConcept, CoverPilotScale, CoverCommercialization:
		return true
	}
	return false
}

// Valid reports whether v is a IncubatorKind of the API.
func (v IncubatorKind) Valid() bool {
	switch v {
	case SmartIsland, IncubatorCarrier, Makerspace, UniversitySciencePark, Accelerator, PilotBase:
		return true
	}
	return false
}

// Valid reports whether v is a CarrierLevel of the API.
func (v CarrierLevel) Valid() bool {
	switch v {
	case NationalLevel, ProvincialLevel, MunicipalLevel:
		return true
	}
	return false
}

// Valid reports whether v is a DemandKind of the API.
func (v DemandKind) Valid() bool {
	switch v {
	case TechTransfer, PurchaseOrder, JointRD, Supplier:
		return true
	}
	return false
}

// Valid reports whether v is a PairingKind of the API.
func (v PairingKind) Valid() bool {
	switch v {
	case Financing, Incubation, IndustryChain:
		return true
	}
	return false
}

// InvalidEnumValues lists, as "enterprise 42: city \"zhengzhou\"", every
// enumeration field of d that holds a value the API does not accept: what
// an older version let through, to report at start-up.
func (d *Dataset) InvalidEnumValues() []string {
	var out []string
	report := func(entity string, id int64, p Problems) {
		for _, fe := range p {
			out = append(out, fmt.Sprintf("%s %d: %s %s", entity, id, strings.Join(fe.Field, "."), fe.Message))
		}
	}
	for _, e := range d.Enterprises {
		var p Problems
		enum(&p, e.City, "city")
		enum(&p, e.Track, "track")
		enum(&p, e.CreditStatus, "creditStatus")
		enums(&p, e.Qualifications, "qualifications")
		if e.FinancingNeed != nil {
			enum(&p, e.FinancingNeed.Kind, "financingNeed", "kind")
		}
		for i, c := range e.CompetitionEntries {
			at := []string{"competitionEntries", strconv.Itoa(i)}
			enum(&p, c.Group, append(at, "group")...)
			enum(&p, c.Track, append(at, "track")...)
			enum(&p, c.StageReached, append(at, "stageReached")...)
			enum(&p, c.Award, append(at, "award")...)
		}
		report("enterprise", e.ID, p)
	}
	for _, in := range d.Institutions {
		var p Problems
		enum(&p, in.Kind, "kind")
		enum(&p, in.City, "city")
		report("institution", in.ID, p)
	}
	for _, fp := range d.Products {
		var p Problems
		enum(&p, fp.Kind, "kind")
		enum(&p, fp.Program, "program")
		enums(&p, fp.Coverages, "coverages")
		enums(&p, fp.Eligibility.Tracks, "eligibility", "tracks")
		enums(&p, fp.Eligibility.Cities, "eligibility", "cities")
		enums(&p, fp.Eligibility.Stages, "eligibility", "stages")
		enums(&p, fp.Eligibility.Qualifications, "eligibility", "qualifications")
		report("product", fp.ID, p)
	}
	for _, in := range d.Incubators {
		var p Problems
		enum(&p, in.Kind, "kind")
		enum(&p, in.Level, "level")
		enum(&p, in.City, "city")
		enums(&p, in.FocusTracks, "focusTracks")
		report("incubator", in.ID, p)
	}
	for _, dm := range d.Demands {
		var p Problems
		enum(&p, dm.Kind, "kind")
		enum(&p, dm.Track, "track")
		enum(&p, dm.City, "city")
		report("demand", dm.ID, p)
	}
	return out
}
