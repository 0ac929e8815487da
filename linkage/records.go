package linkage

import (
	"time"

	"github.com/yurong/yurong/catalog"
)

// Residency is an enterprise's stay in an incubator. Until is nil while
// the enterprise resides there; Package is the service package it was
// granted when it moved in.
type Residency struct {
	ID           int64
	EnterpriseID int64
	IncubatorID  int64
	Since        time.Time  // a calendar date at 00:00 UTC
	Until        *time.Time // the last day, nil while open
	Package      catalog.ServicePackage
	RecordedBy   int64 // the account
	CreatedAt    time.Time
}

// Open reports whether the enterprise still resides there.
func (r *Residency) Open() bool { return r.Until == nil }

// Overlaps reports whether the residency covers a day of [from, to], both
// calendar dates, inclusive.
func (r *Residency) Overlaps(from, to time.Time) bool {
	return !r.Since.After(to) && (r.Until == nil || !r.Until.Before(from))
}

// AgreementKind is the kind of a linkage agreement.
type AgreementKind string

const (
	// LoanInvestment is 投贷联动: a fund and a bank.
	LoanInvestment AgreementKind = "LOAN_INVESTMENT"
	// InvestmentIncubation is 投孵联动: a fund and an incubator.
	InvestmentIncubation AgreementKind = "INVESTMENT_INCUBATION"
)

// Valid reports whether k is a known kind.
func (k AgreementKind) Valid() bool { return k == LoanInvestment || k == InvestmentIncubation }

// PartnerType names the API type of the agreement's partner.
func (k AgreementKind) PartnerType() string {
	if k == InvestmentIncubation {
		return "Incubator"
	}
	return "Institution"
}

// Agreement is a fund's linkage agreement with a bank (LoanInvestment;
// PartnerID an institution) or an incubator (InvestmentIncubation;
// PartnerID an incubator).
type Agreement struct {
	ID         int64
	Kind       AgreementKind
	FundID     int64
	PartnerID  int64
	SignedOn   time.Time  // a calendar date
	ValidUntil *time.Time // the last day it holds; nil: until ended
	SignedBy   int64      // the account that recorded it
	CreatedAt  time.Time
}

// ActiveOn reports whether the agreement holds on the calendar date day.
func (a *Agreement) ActiveOn(day time.Time) bool {
	return !a.SignedOn.After(day) && (a.ValidUntil == nil || !a.ValidUntil.Before(day))
}

// InterestStage is how far a fund's early due diligence has gone.
type InterestStage string

const (
	Watching     InterestStage = "WATCHING"      // 关注
	DueDiligence InterestStage = "DUE_DILIGENCE" // 尽职调查
	TermSheet    InterestStage = "TERM_SHEET"    // 投资意向书
)

// Valid reports whether s is a known stage.
func (s InterestStage) Valid() bool { return s == Watching || s == DueDiligence || s == TermSheet }

// StageNames are the stages in Chinese.
var StageNames = map[InterestStage]string{Watching: "关注", DueDiligence: "尽职调查", TermSheet: "投资意向书"}

// Interest is a fund's interest in a contest entrant. A fund has at most
// one open interest in an enterprise; expressing it again moves its stage.
type Interest struct {
	ID           int64
	FundID       int64
	EnterpriseID int64
	Stage        InterestStage
	Note         string
	At           time.Time // when it was expressed or last moved
	WithdrawnAt  *time.Time
	By           int64 // the account
}

// IncubatorPerformance is one incubator's year: the residents it had, the
// award winners among them, and the financing they raised through the
// marketplace. Rank is 1-based.
type IncubatorPerformance struct {
	IncubatorID     int64
	Year            int
	Rank            int
	Residents       int
	AwardWinners    int
	FinancingRaised catalog.Amount
}

// Loan is a bank's loan the marketplace paid out to an enterprise.
type Loan struct {
	EnterpriseID int64
	BankID       int64
}

// Records are what the links are built from: the open residencies, every
// agreement, the open interests and the banks' disbursed loans.
type Records struct {
	Residencies []*Residency
	Agreements  []*Agreement
	Interests   []*Interest
	Loans       []Loan
}
