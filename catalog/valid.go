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

// InvalidEnumValues lists, as "enterprise 42: city \"zhengzhou\" …", every
// enumeration field of d that holds a value the API does not accept: what
// an older version let through, to report at start-up.
func (d *Dataset) InvalidEnumValues() []string {
	var out []string
	report := func(entity string, id int64, check func(*Problems)) {
		var p Problems
		check(&p)
		for _, fe := range p {
			out = append(out, fmt.Sprintf("%s %d: %s %s", entity, id, strings.Join(fe.Field, "."), fe.Message))
		}
	}
	for _, e := range d.Enterprises {
		report("enterprise", e.ID, func(p *Problems) { enterpriseEnums(p, e) })
	}
	for _, in := range d.Institutions {
		report("institution", in.ID, func(p *Problems) { institutionEnums(p, in) })
	}
	for _, fp := range d.Products {
		report("product", fp.ID, func(p *Problems) { productEnums(p, fp) })
	}
	for _, in := range d.Incubators {
		report("incubator", in.ID, func(p *Problems) { incubatorEnums(p, in) })
	}
	for _, dm := range d.Demands {
		report("demand", dm.ID, func(p *Problems) { demandEnums(p, dm) })
	}
	return out
}

// The enumeration fields of each entity, checked by its validator and by
// InvalidEnumValues.

func enterpriseEnums(p *Problems, e *Enterprise) {
	enum(p, e.City, "city")
	enum(p, e.Track, "track")
	enum(p, e.CreditStatus, "creditStatus")
	enums(p, e.Qualifications, "qualifications")
	if e.FinancingNeed != nil {
		enum(p, e.FinancingNeed.Kind, "financingNeed", "kind")
	}
	for i, c := range e.CompetitionEntries {
		var q Problems
		entryEnums(&q, c)
		for _, fe := range q {
			p.Add(fe.Code, fe.Message, append([]string{"competitionEntries", strconv.Itoa(i)}, fe.Field...)...)
		}
	}
}

func entryEnums(p *Problems, c CompetitionEntry) {
	enum(p, c.Group, "group")
	enum(p, c.Track, "track")
	enum(p, c.StageReached, "stageReached")
	enum(p, c.Award, "award")
}

func institutionEnums(p *Problems, in *Institution) {
	enum(p, in.Kind, "kind")
	enum(p, in.City, "city")
}

func productEnums(p *Problems, fp *FinancialProduct) {
	enum(p, fp.Kind, "kind")
	enum(p, fp.Program, "program")
	enums(p, fp.Coverages, "coverages")
	enums(p, fp.Eligibility.Tracks, "eligibility", "tracks")
	enums(p, fp.Eligibility.Cities, "eligibility", "cities")
	enums(p, fp.Eligibility.Stages, "eligibility", "stages")
	enums(p, fp.Eligibility.Qualifications, "eligibility", "qualifications")
}

func incubatorEnums(p *Problems, in *Incubator) {
	enum(p, in.Kind, "kind")
	enum(p, in.Level, "level")
	enum(p, in.City, "city")
	enums(p, in.FocusTracks, "focusTracks")
}

func demandEnums(p *Problems, d *SupplyChainDemand) {
	enum(p, d.Kind, "kind")
	enum(p, d.Track, "track")
	enum(p, d.City, "city")
}
