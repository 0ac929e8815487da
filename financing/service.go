package financing

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"strings"
	"time"

	"github.com/yurong/yurong/catalog"
)

// Store is the system of record as the workflow uses it.
type Store interface {
	CompetitionOfYear(ctx context.Context, year int) (*Competition, error)
	// CreateApplication refuses a second open application of the same
	// enterprise to the same product with an error matching ErrOpen.
	CreateApplication(ctx context.Context, a *Application) error
	// UpdateApplication runs change on the committed application, locked,
	// and commits what it changed with the event it returns; an error of
	// change rolls everything back and is returned as is.
	UpdateApplication(ctx context.Context, id int64, change func(a *Application) (Event, error)) (*Application, error)
	PreAppliedDue(ctx context.Context, today time.Time) ([]int64, error)
	Holidays(ctx context.Context, fromYear, toYear int) ([]HolidayYear, error)
	// ApplicationsOfYear returns the applications decided or disbursed
	// within the year.
	ApplicationsOfYear(ctx context.Context, year int) ([]*Application, error)
}

// ErrOpen is what Store.CreateApplication returns for a duplicate.
var ErrOpen = errors.New("financing: an open application to the product exists")

// Catalog is the read model: the enterprises and products applications name.
type Catalog interface {
	Enterprise(id int64) *catalog.Enterprise
	FinancialProduct(id int64) *catalog.FinancialProduct
}

// Verdict is what an application needs of the matching engine's pairing
// of the enterprise with the product.
type Verdict struct {
	Eligible     bool
	Blockers     []string // Chinese, with the numbers
	Score        float64
	GreenChannel bool
}

// Pairings is the matching engine as the workflow consults it.
type Pairings interface {
	Verdict(enterpriseID, productID int64) (Verdict, bool)
	// EarlySmallHard reports whether the enterprise is on the
	// early-small-hard list now.
	EarlySmallHard(enterpriseID int64) bool
}

// Codes of the userErrors the workflow returns, part of the public API.
const (
	CodeDishonest         = "DISHONEST"
	CodeNotEligible       = "NOT_ELIGIBLE"
	CodeOverCap           = "OVER_CAP"
	CodeInvalidTransition = "INVALID_TRANSITION"
	// CodeInvalidPhase refuses a pre-application outside the BEFORE phase
	// of the competition of the enterprise's entry year.
	CodeInvalidPhase = "INVALID_PHASE"
)

// DefaultSubsidyMultiple caps a subsidy loan at this multiple of the
// enterprise's subsidies of this year and last, unless the product says
// otherwise; the matching engine's default is the same.
const DefaultSubsidyMultiple = 5

// Bounds of an application's free texts, in characters.
const (
	MaxPurposeLen = 500
	MaxReasonLen  = 500
)

// Service runs the financing workflow. Every change it commits is
// announced through OnChange, after the commit.
type Service struct {
	store    Store
	catalog  Catalog
	pairings Pairings
	now      func() time.Time
	// OnChange hears the ID of every application a call changed, after
	// the change committed. Set it before the first call.
	OnChange func(applicationID int64)
}

// New returns the workflow over its collaborators; now is the clock.
func New(st Store, c Catalog, p Pairings, now func() time.Time) *Service {
	return &Service{store: st, catalog: c, pairings: p, now: now}
}

// today is the clock's date at 00:00 UTC, the form dates are kept in.
func (s *Service) today() time.Time { return dateOf(s.now()) }

func (s *Service) stamp() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

func (s *Service) changed(id int64) {
	if s.OnChange != nil {
		s.OnChange(id)
	}
}

// ApplyInput is an application as the enterprise makes it.
type ApplyInput struct {
	EnterpriseID    int64
	ProductID       int64
	RequestedAmount catalog.Amount
	Purpose         string
	PreApply        bool
	By              int64 // the account applying
}

// Apply checks an application against the rules and records it. Problems
// are the applicant's to fix, and nothing was written.
func (s *Service) Apply(ctx context.Context, in ApplyInput) (*Application, catalog.Problems, error) {
	var p catalog.Problems
	e := s.catalog.Enterprise(in.EnterpriseID)
	if e == nil {
		p.Add(catalog.CodeNotFound, "企业不存在", "enterpriseId")
	}
	prod := s.catalog.FinancialProduct(in.ProductID)
	if prod == nil {
		p.Add(catalog.CodeNotFound, "金融产品不存在", "productId")
	}
	if in.RequestedAmount <= 0 {
		p.Add(catalog.CodeOutOfRange, "申请金额必须大于 0", "requestedAmount")
	}
	p.Text(in.Purpose, MaxPurposeLen, true, "purpose")
	if len(p) > 0 {
		return nil, p, nil
	}
	if e.CreditStatus == catalog.CreditDishonest {
		p.Add(CodeDishonest, "企业被列为失信主体，不能申请融资", "enterpriseId")
		return nil, p, nil
	}
	v, ok := s.pairings.Verdict(e.ID, prod.ID)
	if !ok {
		return nil, nil, fmt.Errorf("financing: no pairing of enterprise %d with product %d", e.ID, prod.ID)
	}
	if !v.Eligible {
		p.Add(CodeNotEligible, strings.Join(v.Blockers, "；"), "productId")
		return nil, p, nil
	}
	if p = s.checkCaps(e, prod, in.RequestedAmount, "requestedAmount"); len(p) > 0 {
		return nil, p, nil
	}

	t := s.stamp()
	a := &Application{
		EnterpriseID: e.ID, ProductID: prod.ID, InstitutionID: prod.ProviderID, Program: prod.Program,
		Status: Submitted, RequestedAmount: in.RequestedAmount, Purpose: strings.TrimSpace(in.Purpose),
		PairingScore: v.Score, CreatedAt: t, SubmittedAt: &t,
	}
	var comp *Competition
	if prod.Program == catalog.ContestLoan {
		// An eligible contest loan has an entry this year or last; the
		// calendar of that entry's competition sets the phase.
		var err error
		if comp, err = s.entryCompetition(ctx, e); err != nil {
			return nil, nil, err
		}
		a.GreenChannel = v.GreenChannel
		if comp != nil {
			ph := PhaseOn(comp.Stages, t)
			a.ContestPhase, a.ContestYear = &ph, comp.Year
		}
	}
	note := "提交申请"
	switch {
	case in.PreApply && (a.ContestPhase == nil || *a.ContestPhase != Before):
		p.Add(CodeInvalidPhase, "只有创赛贷可以赛前预申报，且须在大赛首个赛段开始之前", "preApply")
		return nil, p, nil
	case in.PreApply:
		a.Status, a.SubmittedAt, note = PreApplied, nil, "赛前预申报，首个赛段开始之日自动提交"
	case a.ContestPhase != nil && *a.ContestPhase == During:
		cal, err := s.calendar(ctx, t)
		if err != nil {
			return nil, nil, err
		}
		due := DecisionDue(cal, t)
		a.DecisionDue, note = &due, "赛中快审批：3 个工作日内答复"
	}
	a.Events = []Event{{At: t, Status: a.Status, AccountID: in.By, Note: note}}
	if err := s.store.CreateApplication(ctx, a); err != nil {
		if errors.Is(err, ErrOpen) {
			p.Add(catalog.CodeDuplicate, "该企业对这一产品已有未结束的申请", "productId")
			return nil, p, nil
		}
		return nil, nil, fmt.Errorf("financing: apply: %w", err)
	}
	s.changed(a.ID)
	return a, nil, nil
}

// entryCompetition returns the competition of the enterprise's latest
// entry of this year or last, nil when there is no such entry or no
// competition of its year.
func (s *Service) entryCompetition(ctx context.Context, e *catalog.Enterprise) (*Competition, error) {
	year := 0
	this := s.today().Year()
	for _, c := range e.CompetitionEntries {
		if (c.Year == this || c.Year == this-1) && c.Year > year {
			year = c.Year
		}
	}
	if year == 0 {
		return nil, nil
	}
	c, err := s.store.CompetitionOfYear(ctx, year)
	if err != nil {
		if errors.Is(err, ErrNoCompetition) {
			return nil, nil
		}
		return nil, fmt.Errorf("financing: competition of %d: %w", year, err)
	}
	return c, nil
}

// ErrNoCompetition is what Store.CompetitionOfYear returns (wrapped or as
// is) for a year without a competition.
var ErrNoCompetition = errors.New("financing: no competition that year")

// checkCaps refuses an amount above the product's maximum or, for a subsidy
// loan, above the multiple of the subsidies of this year and last; the
// message names both sums.
func (s *Service) checkCaps(e *catalog.Enterprise, prod *catalog.FinancialProduct, amount catalog.Amount, field string) catalog.Problems {
	var p catalog.Problems
	if amount > prod.MaxAmount {
		p.Add(CodeOverCap, fmt.Sprintf("申请金额 %s 超过产品「%s」的最高额度 %s", amount.Wan(), prod.Name, prod.MaxAmount.Wan()), field)
		return p
	}
	if prod.MinAmount != nil && amount < *prod.MinAmount {
		p.Add(catalog.CodeOutOfRange, fmt.Sprintf("申请金额 %s 低于产品「%s」的最低额度 %s", amount.Wan(), prod.Name, prod.MinAmount.Wan()), field)
		return p
	}
	if prod.Program == catalog.SubsidyLoan {
		multiple := float64(DefaultSubsidyMultiple)
		if m := prod.Eligibility.SubsidyMultiple; m != nil && *m > 0 {
			multiple = *m
		}
		this := s.today().Year()
		var sum catalog.Amount
		for _, sub := range e.Subsidies {
			if sub.Year == this || sub.Year == this-1 {
				sum += sub.Amount
			}
		}
		limit := catalog.Amount(math.Floor(float64(sum) * multiple))
		if amount > limit {
			p.Add(CodeOverCap, fmt.Sprintf("申请金额 %s 超过近两年（%d、%d 年）所获补贴 %s 的 %s 倍，即 %s",
				amount.Wan(), this-1, this, sum.Wan(), trim(multiple), limit.Wan()), field)
		}
	}
	return p
}

func trim(f float64) string {
	return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.2f", f), "0"), ".")
}

// calendar is the working-day calendar of the year of t and the next:
// the years set with setHolidays, else the table shipped with the code.
func (s *Service) calendar(ctx context.Context, t time.Time) (*Calendar, error) {
	y := t.UTC().Year()
	set, err := s.store.Holidays(ctx, y, y+1)
	if err != nil {
		return nil, fmt.Errorf("financing: read the holidays: %w", err)
	}
	years := make([]HolidayYear, 0, 2)
	for _, year := range []int{y, y + 1} {
		found := false
		for _, h := range set {
			if h.Year == year {
				years, found = append(years, h), true
			}
		}
		if !found {
			if h, ok := DefaultHolidays(year); ok {
				years = append(years, h)
			}
		}
	}
	return NewCalendar(years...), nil
}

// problemsError carries a change's problems out of the store's
// transaction, which it rolls back.
type problemsError struct{ catalog.Problems }

func (e problemsError) Error() string { return "financing: refused: " + e.Problems[0].Message }

// update runs change on the application and returns its problems apart
// from internal errors.
func (s *Service) update(ctx context.Context, id int64, change func(a *Application) (Event, error)) (*Application, catalog.Problems, error) {
	a, err := s.store.UpdateApplication(ctx, id, change)
	var pe problemsError
	if errors.As(err, &pe) {
		return nil, pe.Problems, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("financing: update application %d: %w", id, err)
	}
	s.changed(a.ID)
	return a, nil, nil
}

// statusNames are the statuses as the messages name them.
var statusNames = map[Status]string{
	PreApplied: "已预申报", Submitted: "已提交", Approved: "已批准", Rejected: "已拒绝", Disbursed: "已放款", Withdrawn: "已撤回",
}

func refuseMove(from, to Status) error {
	var p catalog.Problems
	p.Add(CodeInvalidTransition, fmt.Sprintf("申请状态为「%s」，不能改为「%s」", statusNames[from], statusNames[to]), "id")
	return problemsError{p}
}

// Decision is an institution's answer to an application.
type Decision struct {
	Approve        bool
	ApprovedAmount *catalog.Amount // default: the requested amount
	AnnualRate     *float64        // percent
	Reason         string
	By             int64
}

// Decide approves or rejects a SUBMITTED application. Approval re-checks
// the caps against the enterprise as it is now and fixes a 科技贷 loan's
// loss compensation.
func (s *Service) Decide(ctx context.Context, id int64, d Decision) (*Application, catalog.Problems, error) {
	to := Rejected
	if d.Approve {
		to = Approved
	}
	var p catalog.Problems
	if d.AnnualRate != nil && (math.IsNaN(*d.AnnualRate) || *d.AnnualRate < 0 || *d.AnnualRate > 36) {
		p.Add(catalog.CodeOutOfRange, "年利率须在 0% 到 36% 之间", "annualRatePercent")
	}
	if d.ApprovedAmount != nil && *d.ApprovedAmount <= 0 {
		p.Add(catalog.CodeOutOfRange, "批准金额必须大于 0", "approvedAmount")
	}
	// A rejection gives its reason; an approval may.
	if !d.Approve || d.Reason != "" {
		p.Text(d.Reason, MaxReasonLen, true, "reason")
	}
	if len(p) > 0 {
		return nil, p, nil
	}
	t := s.stamp()
	return s.update(ctx, id, func(a *Application) (Event, error) {
		if !CanMove(a.Status, to) {
			return Event{}, refuseMove(a.Status, to)
		}
		a.Status, a.DecidedAt = to, &t
		note := strings.TrimSpace(d.Reason)
		if !d.Approve {
			a.RejectionReason = note
			a.ClosedAt = &t
			return Event{At: t, Status: to, AccountID: d.By, Note: note}, nil
		}
		e, prod := s.catalog.Enterprise(a.EnterpriseID), s.catalog.FinancialProduct(a.ProductID)
		if e == nil || prod == nil {
			return Event{}, fmt.Errorf("financing: application %d names an enterprise or product the read model lacks", a.ID)
		}
		amount := a.RequestedAmount
		if d.ApprovedAmount != nil {
			amount = *d.ApprovedAmount
		}
		if p := s.checkCaps(e, prod, amount, "approvedAmount"); len(p) > 0 {
			return Event{}, problemsError{p}
		}
		a.ApprovedAmount, a.AnnualRate = &amount, d.AnnualRate
		if a.Program == catalog.TechLoan {
			r := LossCompensationRatio(prod.CollateralFree, latestRevenue(e))
			a.LossCompensation = &r
		}
		if note == "" {
			note = "批准 " + amount.Wan()
		}
		return Event{At: t, Status: to, AccountID: d.By, Note: note}, nil
	})
}

// latestRevenue is the revenue of the enterprise's latest annual report,
// zero without one.
func latestRevenue(e *catalog.Enterprise) catalog.Amount {
	var rev catalog.Amount
	year := 0
	for _, r := range e.Reports {
		if r.Year > year {
			year, rev = r.Year, r.Revenue
		}
	}
	return rev
}

// Disburse records the payment of an approved loan, noting whether the
// enterprise is on the early-small-hard list as it is paid.
func (s *Service) Disburse(ctx context.Context, id int64, amount catalog.Amount, on time.Time, by int64) (*Application, catalog.Problems, error) {
	var p catalog.Problems
	if amount <= 0 {
		p.Add(catalog.CodeOutOfRange, "放款金额必须大于 0", "amount")
	}
	on = dateOf(on)
	if on.After(s.today()) {
		p.Add(catalog.CodeOutOfRange, "放款日期不能晚于今天", "on")
	}
	if len(p) > 0 {
		return nil, p, nil
	}
	t := s.stamp()
	return s.update(ctx, id, func(a *Application) (Event, error) {
		if !CanMove(a.Status, Disbursed) {
			return Event{}, refuseMove(a.Status, Disbursed)
		}
		var p catalog.Problems
		if a.ApprovedAmount != nil && amount > *a.ApprovedAmount {
			p.Add(CodeOverCap, fmt.Sprintf("放款金额 %s 超过批准金额 %s", amount.Wan(), a.ApprovedAmount.Wan()), "amount")
		}
		if a.DecidedAt != nil && on.Before(dateOf(*a.DecidedAt)) {
			p.Add(catalog.CodeOutOfRange, "放款日期早于批准日期", "on")
		}
		if len(p) > 0 {
			return Event{}, problemsError{p}
		}
		a.Status, a.DisbursedAmount, a.DisbursedOn, a.ClosedAt = Disbursed, &amount, &on, &t
		a.EarlySmallHard = s.pairings.EarlySmallHard(a.EnterpriseID)
		return Event{At: t, Status: Disbursed, AccountID: by, Note: "放款 " + amount.Wan()}, nil
	})
}

// Withdraw withdraws an open application.
func (s *Service) Withdraw(ctx context.Context, id int64, by int64) (*Application, catalog.Problems, error) {
	t := s.stamp()
	return s.update(ctx, id, func(a *Application) (Event, error) {
		if !CanMove(a.Status, Withdrawn) {
			return Event{}, refuseMove(a.Status, Withdrawn)
		}
		a.Status, a.ClosedAt = Withdrawn, &t
		return Event{At: t, Status: Withdrawn, AccountID: by, Note: "申请人撤回"}, nil
	})
}

// errNotDue skips an application another instance submitted first.
var errNotDue = errors.New("financing: no longer pre-applied")

// SubmitDue turns every pre-application whose competition has started into
// a SUBMITTED application, submitted on the first stage's start day and
// due 3 working days later, and returns how many it turned. Several
// instances may run it at once: each change re-reads the committed status
// under the row's lock, so an application moves once.
func (s *Service) SubmitDue(ctx context.Context) (int, error) {
	ids, err := s.store.PreAppliedDue(ctx, s.today())
	if err != nil {
		return 0, fmt.Errorf("financing: find the pre-applications due: %w", err)
	}
	comps := map[int]*Competition{}
	n := 0
	for _, id := range ids {
		t := s.stamp()
		_, err := s.store.UpdateApplication(ctx, id, func(a *Application) (Event, error) {
			if a.Status != PreApplied {
				return Event{}, errNotDue
			}
			c, ok := comps[a.ContestYear]
			if !ok {
				var err error
				if c, err = s.store.CompetitionOfYear(ctx, a.ContestYear); err != nil {
					return Event{}, err
				}
				comps[a.ContestYear] = c
			}
			start := FirstStart(c.Stages)
			cal, err := s.calendar(ctx, start)
			if err != nil {
				return Event{}, err
			}
			due := DecisionDue(cal, start)
			a.Status, a.SubmittedAt, a.DecisionDue = Submitted, &start, &due
			return Event{At: t, Status: Submitted, Note: "大赛首个赛段开始，预申报自动提交：3 个工作日内答复"}, nil
		})
		switch {
		case errors.Is(err, errNotDue):
			continue
		case err != nil:
			return n, fmt.Errorf("financing: submit pre-application %d: %w", id, err)
		}
		n++
		s.changed(id)
	}
	return n, nil
}

// RunScheduler submits due pre-applications now and every interval until
// ctx ends. Every instance runs it; SubmitDue makes that safe.
func (s *Service) RunScheduler(ctx context.Context, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if n, err := s.SubmitDue(ctx); err != nil && ctx.Err() == nil {
			log.Warn("financing: submitting due pre-applications failed; retrying", "err", err)
		} else if n > 0 {
			log.Info("financing: pre-applications submitted as the competition started", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// BankPerformance is the year's evaluation of the banks (RankBanks).
func (s *Service) BankPerformance(ctx context.Context, year int) ([]BankPerformance, error) {
	apps, err := s.store.ApplicationsOfYear(ctx, year)
	if err != nil {
		return nil, fmt.Errorf("financing: the applications of %d: %w", year, err)
	}
	return RankBanks(year, apps), nil
}

// TopBanks is the top quarter of this year's evaluation, the banks whose
// products matching favours for early-small-hard enterprises.
func (s *Service) TopBanks(ctx context.Context) (map[int64]bool, error) {
	ranked, err := s.BankPerformance(ctx, s.today().Year())
	if err != nil {
		return nil, err
	}
	return TopQuarter(ranked), nil
}
