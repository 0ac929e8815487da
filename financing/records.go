package financing

import (
	"time"

	"github.com/yurong/yurong/catalog"
)

// Status is where an application stands.
type Status string

// Statuses move only along PRE_APPLIED → SUBMITTED → APPROVED/REJECTED →
// DISBURSED, and to WITHDRAWN from any open status (see CanMove).
const (
	PreApplied Status = "PRE_APPLIED"
	Submitted  Status = "SUBMITTED"
	Approved   Status = "APPROVED"
	Rejected   Status = "REJECTED"
	Disbursed  Status = "DISBURSED"
	Withdrawn  Status = "WITHDRAWN"
)

// Phase is where a competition's calendar stands on a day.
type Phase string

// The 创赛贷 phases.
const (
	Before Phase = "BEFORE" // 赛前预申报: before the first stage starts
	During Phase = "DURING" // 赛中快审批: from the first stage's start to the last stage's end
	After  Phase = "AFTER"  // 赛后跟踪贷: after the last stage ends
)

// StageDates are the first and last day of one stage, both inclusive,
// as calendar dates at 00:00 UTC.
type StageDates struct {
	Stage    catalog.CompetitionStage
	StartsOn time.Time
	EndsOn   time.Time
}

// Competition is one year's innovation competition in Henan.
type Competition struct {
	ID        int64
	Year      int
	Name      string
	Stages    []StageDates // in the order of catalog's CompetitionStage values
	CreatedAt time.Time
}

// Resource kinds a stage offer names.
const (
	OfferProduct   = "product"
	OfferIncubator = "incubator"
	OfferDemand    = "demand"
)

// StageOffer is a resource offered to the entrants of one stage.
type StageOffer struct {
	ID            int64
	CompetitionID int64
	Stage         catalog.CompetitionStage
	ResourceKind  string // OfferProduct, OfferIncubator or OfferDemand
	ResourceID    int64
	Note          string
}

// Application is an enterprise's application for one financial product.
type Application struct {
	ID              int64
	EnterpriseID    int64
	ProductID       int64
	InstitutionID   int64 // the product's provider when the application was made
	Program         catalog.Program
	Status          Status
	RequestedAmount catalog.Amount
	Purpose         string
	ApprovedAmount  *catalog.Amount
	AnnualRate      *float64 // percent
	RejectionReason string
	// ContestPhase and ContestYear: contest loans only, fixed when the
	// application is made from the competition of the enterprise's entry
	// year.
	ContestPhase *Phase
	ContestYear  int
	PairingScore float64
	GreenChannel bool
	CreatedAt    time.Time
	SubmittedAt  *time.Time
	DecisionDue  *time.Time
	DecidedAt    *time.Time
	// ClosedAt is when the application reached REJECTED, DISBURSED or
	// WITHDRAWN.
	ClosedAt *time.Time
	// LossCompensation is the province's share of a loss, 科技贷 loans only,
	// fixed at approval.
	LossCompensation *float64
	DisbursedAmount  *catalog.Amount
	DisbursedOn      *time.Time // a calendar date at 00:00 UTC
	// EarlySmallHard: the enterprise was on the early-small-hard list when
	// the loan was disbursed.
	EarlySmallHard bool
	Events         []Event // oldest first
}

// Event is one status change of an application.
type Event struct {
	At        time.Time
	Status    Status
	AccountID int64 // 0 for the system (the scheduler)
	Note      string
}

// HolidayYear is one year's calendar of days off beyond the weekends, and
// of the weekend days that are working days (调休).
type HolidayYear struct {
	Year            int
	Holidays        []time.Time // calendar dates at 00:00 UTC
	WorkingWeekends []time.Time
}
