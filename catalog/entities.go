package catalog

import (
	"fmt"
	"time"
)

// Enterprise is a technology enterprise on the marketplace.
type Enterprise struct {
	ID             int64
	Name           string
	CreditCode     string
	City           City
	FoundedOn      time.Time // a calendar date at 00:00 UTC
	Employees      int
	Track          Track
	IndustryChain  *string
	Description    string
	Keywords       []string
	Qualifications []Qualification
	CreditStatus   CreditStatus
	// Reports are kept sorted by year, oldest first; at most one per year.
	Reports            []AnnualReport
	Subsidies          []Subsidy
	FinancingNeed      *FinancingNeed
	CompetitionEntries []CompetitionEntry
	HasWarrantLoan     bool
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// LatestReport returns the most recent annual report, or nil.
func (e *Enterprise) LatestReport() *AnnualReport {
	if len(e.Reports) == 0 {
		return nil
	}
	return &e.Reports[len(e.Reports)-1]
}

// HasQualification reports whether e holds q.
func (e *Enterprise) HasQualification(q Qualification) bool {
	for _, h := range e.Qualifications {
		if h == q {
			return true
		}
	}
	return false
}

// AnnualReport is one year's figures, the input of the innovation score.
type AnnualReport struct {
	Year                        int     `json:"year"`
	Revenue                     Amount  `json:"revenue"`
	RDExpense                   Amount  `json:"rdExpense"`
	TechStaff                   int     `json:"techStaff"`
	Postgraduates               int     `json:"postgraduates"`
	InventionPatentApplications int     `json:"inventionPatentApplications"`
	PCTApplications             int     `json:"pctApplications"`
	TechContractTurnover        Amount  `json:"techContractTurnover"`
	HighTechProductRevenue      Amount  `json:"highTechProductRevenue"`
	RDTaxDeduction              Amount  `json:"rdTaxDeduction"`
	ReturnOnEquityPercent       float64 `json:"returnOnEquityPercent"`
	GraduatesHired              int     `json:"graduatesHired"`
	InnovationPlatforms         int     `json:"innovationPlatforms"`
	ScienceAwards               int     `json:"scienceAwards"`
	EquityFinancing             Amount  `json:"equityFinancing"`
	SciencePlanProjects         int     `json:"sciencePlanProjects"`
}

// Subsidy is a fiscal subsidy an enterprise received.
type Subsidy struct {
	Program string `json:"program"`
	Amount  Amount `json:"amount"`
	Year    int    `json:"year"`
}

// FinancingNeed is the money an enterprise says it is looking for.
type FinancingNeed struct {
	Kind    ProductKind `json:"kind"`
	Amount  Amount      `json:"amount"`
	Purpose string      `json:"purpose"`
}

// CompetitionEntry is one year's entry in the innovation competition.
type CompetitionEntry struct {
	Year         int              `json:"year"`
	Group        CompetitionGroup `json:"group"`
	Track        Track            `json:"track"`
	StageReached CompetitionStage `json:"stageReached"`
	Award        Award            `json:"award"`
}

// GreenChannel is true for every award above NONE.
func (c CompetitionEntry) GreenChannel() bool { return c.Award.Rank() > 0 }

// Institution is a bank, fund, insurer or guarantor offering products.
type Institution struct {
	ID        int64
	Name      string
	Kind      InstitutionKind
	City      City
	CreatedAt time.Time
}

// Eligibility holds a product's hard rules; an empty list means any.
type Eligibility struct {
	MinInnovationScore       *int            `json:"minInnovationScore,omitempty"`
	Tracks                   []Track         `json:"tracks"`
	Cities                   []City          `json:"cities"`
	Stages                   []GrowthStage   `json:"stages"`
	Qualifications           []Qualification `json:"qualifications"`
	MaxCompanyAgeYears       *int            `json:"maxCompanyAgeYears,omitempty"`
	MaxEmployees             *int            `json:"maxEmployees,omitempty"`
	MaxRevenue               *Amount         `json:"maxRevenue,omitempty"`
	RequiresCompetitionEntry bool            `json:"requiresCompetitionEntry"`
	RequiresCompetitionAward bool            `json:"requiresCompetitionAward"`
	RequiresSubsidy          bool            `json:"requiresSubsidy"`
	SubsidyMultiple          *float64        `json:"subsidyMultiple,omitempty"`
}

// FinancialProduct is a loan, equity or insurance product of an institution.
type FinancialProduct struct {
	ID                int64
	Name              string
	Kind              ProductKind
	Program           Program
	ProviderID        int64
	Description       string
	MinAmount         *Amount
	MaxAmount         Amount
	AnnualRatePercent *float64
	TermMonths        *int
	CollateralFree    bool
	Coverages         []Coverage
	Eligibility       Eligibility
	CreatedAt         time.Time
}

// ServicePackage is an incubator's 育新服务包.
type ServicePackage struct {
	FreeWorkstations int  `json:"freeWorkstations"`
	RentFreeMonths   int  `json:"rentFreeMonths"`
	Mentorship       bool `json:"mentorship"`
	PolicyAgent      bool `json:"policyAgent"`
	PilotBaseAccess  bool `json:"pilotBaseAccess"`
}

// Incubator is a smart island, incubator, makerspace, science park,
// accelerator or pilot base.
type Incubator struct {
	ID             int64
	Name           string
	Kind           IncubatorKind
	Level          CarrierLevel
	City           City
	FocusTracks    []Track
	Vacancies      int
	ServicePackage *ServicePackage
	Description    string
	CreatedAt      time.Time
}

// SupplyChainDemand is a chain leader's demand for technology, supplies or
// joint R&D.
type SupplyChainDemand struct {
	ID            int64
	Title         string
	Description   string
	Kind          DemandKind
	IndustryChain string
	Track         Track
	City          City
	OwnerName     string
	Keywords      []string
	Budget        *Amount
	Deadline      *time.Time
	CreatedAt     time.Time
}

// Offers names, in Chinese, what the service package gives, e.g.
// ["免费工位 4 个", "免租 6 个月", "创业导师"]; nil for an empty package.
func (sp *ServicePackage) Offers() []string {
	if sp == nil {
		return nil
	}
	var out []string
	if sp.FreeWorkstations > 0 {
		out = append(out, fmt.Sprintf("免费工位 %d 个", sp.FreeWorkstations))
	}
	if sp.RentFreeMonths > 0 {
		out = append(out, fmt.Sprintf("免租 %d 个月", sp.RentFreeMonths))
	}
	if sp.Mentorship {
		out = append(out, "创业导师")
	}
	if sp.PolicyAgent {
		out = append(out, "政策代办")
	}
	if sp.PilotBaseAccess {
		out = append(out, "中试基地使用")
	}
	return out
}
