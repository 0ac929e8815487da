package linkage

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/financing"
	"github.com/yurong/yurong/matching"
)

// Errors the store returns, matched with errors.Is.
var (
	// ErrNoVacancy: the incubator has no vacancy left.
	ErrNoVacancy = errors.New("linkage: the incubator has no vacancy")
	// ErrResident: the enterprise resides in an incubator already.
	ErrResident = errors.New("linkage: the enterprise resides in an incubator")
	// ErrEnded: the residency has ended already.
	ErrEnded = errors.New("linkage: the residency has ended")
	// ErrDuplicate: the same agreement was recorded already.
	ErrDuplicate = errors.New("linkage: the agreement exists")
	// ErrNotFound: no such record.
	ErrNotFound = errors.New("linkage: not found")
)

// Store is the system of record as the service uses it. Every write
// commits its records and change-log entries in one transaction.
type Store interface {
	// CreateResidency records r and takes one vacancy of its incubator, in
	// one transaction, and returns the incubator as committed:
	// ErrNoVacancy, ErrResident.
	CreateResidency(ctx context.Context, r *Residency) (*catalog.Incubator, error)
	// EndResidency sets the residency's last day and gives its vacancy
	// back: ErrNotFound, ErrEnded.
	EndResidency(ctx context.Context, id int64, until time.Time) (*Residency, *catalog.Incubator, error)
	Residency(ctx context.Context, id int64) (*Residency, error)
	// CreateAgreement: ErrDuplicate for the same kind, parties and day.
	CreateAgreement(ctx context.Context, a *Agreement) error
	// ExpressInterest records the fund's open interest in the enterprise,
	// or moves the open one to i's stage and note; i gets its ID.
	ExpressInterest(ctx context.Context, i *Interest) error
	// WithdrawInterest closes the fund's open interest: ErrNotFound.
	WithdrawInterest(ctx context.Context, fundID, enterpriseID int64, at time.Time) (*Interest, error)
	// LinkRecords reads what the links are built from, in one snapshot.
	LinkRecords(ctx context.Context) (Records, error)
	// ResidenciesBetween returns the residencies covering a day of
	// [from, to].
	ResidenciesBetween(ctx context.Context, from, to time.Time) ([]*Residency, error)
	// ApplicationsOfYear returns the applications decided or disbursed
	// within the year.
	ApplicationsOfYear(ctx context.Context, year int) ([]*financing.Application, error)
}

// Catalog is the read model: the parties the records name.
type Catalog interface {
	Enterprise(id int64) *catalog.Enterprise
	Institution(id int64) *catalog.Institution
	Incubator(id int64) *catalog.Incubator
}

// Incubators is the marketplace's write path for an incubator: commit
// writes it (with other records) and returns it as committed, and the
// read model and the matcher then reflect it like any write of it.
type Incubators interface {
	CommitIncubator(ctx context.Context, commit func(ctx context.Context) (*catalog.Incubator, error)) (*catalog.Incubator, error)
}

// Entity names of the change log, shared with the store and the marketplace.
const (
	EntityResidency = "residency"
	EntityAgreement = "agreement"
	EntityInterest  = "interest"
)

// Codes of the userErrors beyond catalog's, part of the public API.
const (
	CodeNoVacancy  = "NO_VACANCY"
	CodeNotEntrant = "NOT_ENTRANT"
	CodeNotFund    = "NOT_FUND"
	CodeResident   = "RESIDENT"
	CodeEnded      = "ENDED"
)

// MaxNoteLen bounds an interest's note, in characters.
const MaxNoteLen = 500

// Service runs the writes and reads of the links.
type Service struct {
	store      Store
	catalog    Catalog
	incubators Incubators
	now        func() time.Time
	// OnChange hears every committed record (EntityResidency, …, id).
	// Set it before the first call.
	OnChange func(entity string, id int64)
}

// New returns the service over its collaborators; now is the clock.
func New(st Store, c Catalog, in Incubators, now func() time.Time) *Service {
	return &Service{store: st, catalog: c, incubators: in, now: now}
}

func (s *Service) today() time.Time {
	y, m, d := s.now().UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func (s *Service) stamp() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

func (s *Service) changed(entity string, id int64) {
	if s.OnChange != nil {
		s.OnChange(entity, id)
	}
}

// IsFund reports whether the institution may invest (a venture-capital or
// government fund).
func IsFund(in *catalog.Institution) bool {
	return in != nil && (in.Kind == catalog.VentureCapital || in.Kind == catalog.GovernmentFund)
}

// IsEntrant reports whether the enterprise entered the competition this
// year or last (year is this year).
func IsEntrant(e *catalog.Enterprise, year int) bool {
	return slices.ContainsFunc(e.CompetitionEntries, func(c catalog.CompetitionEntry) bool {
		return c.Year == year || c.Year == year-1
	})
}

// RecordIncubation records that the enterprise moved into the incubator on
// r.Since, granted r.Package (the incubator's package when r.Package is
// nil), and takes one of the incubator's vacancies.
func (s *Service) RecordIncubation(ctx context.Context, r *Residency, pkg *catalog.ServicePackage) (*Residency, catalog.Problems, error) {
	var p catalog.Problems
	e := s.catalog.Enterprise(r.EnterpriseID)
	if e == nil {
		p.Add(catalog.CodeNotFound, "企业不存在", "enterpriseId")
	}
	in := s.catalog.Incubator(r.IncubatorID)
	if in == nil {
		p.Add(catalog.CodeNotFound, "孵化载体不存在", "incubatorId")
	}
	if r.Since.IsZero() {
		r.Since = s.today()
	}
	if r.Since.After(s.today()) {
		p.Add(catalog.CodeOutOfRange, "入驻日期不能晚于今天", "since")
	} else if r.Since.Year() < 2000 {
		p.Add(catalog.CodeOutOfRange, "入驻日期不在有效范围内", "since")
	}
	if pkg != nil {
		if pkg.FreeWorkstations < 0 {
			p.Add(catalog.CodeNegative, "免费工位数不能为负", "servicePackage", "freeWorkstations")
		}
		if pkg.RentFreeMonths < 0 {
			p.Add(catalog.CodeNegative, "免租月数不能为负", "servicePackage", "rentFreeMonths")
		}
		if pkg.RentFreeMonths > 120 || pkg.FreeWorkstations > 1000 {
			p.Add(catalog.CodeOutOfRange, "服务包超出有效范围", "servicePackage")
		}
	}
	if len(p) > 0 {
		return nil, p, nil
	}
	switch {
	case pkg != nil:
		r.Package = *pkg
	case in.ServicePackage != nil:
		r.Package = *in.ServicePackage
	}
	r.CreatedAt = s.stamp()
	_, err := s.incubators.CommitIncubator(ctx, func(ctx context.Context) (*catalog.Incubator, error) {
		return s.store.CreateResidency(ctx, r)
	})
	switch {
	case errors.Is(err, ErrNoVacancy):
		p.Add(CodeNoVacancy, fmt.Sprintf("%s 已无空余工位", in.Name), "incubatorId")
		return nil, p, nil
	case errors.Is(err, ErrResident):
		p.Add(CodeResident, fmt.Sprintf("%s 已入驻孵化载体，须先结束原入驻记录", e.Name), "enterpriseId")
		return nil, p, nil
	case err != nil:
		return nil, nil, err
	}
	s.changed(EntityResidency, r.ID)
	return r, nil, nil
}

// EndIncubation ends a residency on until (today when zero) and gives the
// incubator its vacancy back.
func (s *Service) EndIncubation(ctx context.Context, id int64, until time.Time) (*Residency, catalog.Problems, error) {
	var p catalog.Problems
	r, err := s.store.Residency(ctx, id)
	if errors.Is(err, ErrNotFound) {
		p.Add(catalog.CodeNotFound, "入驻记录不存在", "id")
		return nil, p, nil
	}
	if err != nil {
		return nil, nil, err
	}
	if until.IsZero() {
		until = s.today()
	}
	if until.After(s.today()) {
		p.Add(catalog.CodeOutOfRange, "结束日期不能晚于今天", "until")
	} else if until.Before(r.Since) {
		p.Add(catalog.CodeOutOfRange, "结束日期不能早于入驻日期", "until")
	}
	if !r.Open() {
		p.Add(CodeEnded, "该入驻记录已结束", "id")
	}
	if len(p) > 0 {
		return nil, p, nil
	}
	var ended *Residency
	_, err = s.incubators.CommitIncubator(ctx, func(ctx context.Context) (*catalog.Incubator, error) {
		res, in, err := s.store.EndResidency(ctx, id, until)
		ended = res
		return in, err
	})
	if errors.Is(err, ErrEnded) {
		p.Add(CodeEnded, "该入驻记录已结束", "id")
		return nil, p, nil
	}
	if err != nil {
		return nil, nil, err
	}
	s.changed(EntityResidency, id)
	return ended, nil, nil
}

// SignAgreement records a fund's agreement with a bank or an incubator.
func (s *Service) SignAgreement(ctx context.Context, a *Agreement) (*Agreement, catalog.Problems, error) {
	p := s.ValidateAgreement(a)
	if len(p) > 0 {
		return nil, p, nil
	}
	a.CreatedAt = s.stamp()
	err := s.store.CreateAgreement(ctx, a)
	if errors.Is(err, ErrDuplicate) {
		p.Add(catalog.CodeDuplicate, "双方同日签订的同类协议已存在", "signedOn")
		return nil, p, nil
	}
	if err != nil {
		return nil, nil, err
	}
	s.changed(EntityAgreement, a.ID)
	return a, nil, nil
}

// ValidateAgreement checks an agreement about to be recorded.
func (s *Service) ValidateAgreement(a *Agreement) catalog.Problems {
	var p catalog.Problems
	if !a.Kind.Valid() {
		p.Add(catalog.CodeInvalid, "未知的协议类型", "kind")
	}
	if fund := s.catalog.Institution(a.FundID); fund == nil {
		p.Add(catalog.CodeNotFound, "投资机构不存在", "fundId")
	} else if !IsFund(fund) {
		p.Add(CodeNotFund, fmt.Sprintf("%s 不是创投或政府引导基金", fund.Name), "fundId")
	}
	switch a.Kind {
	case LoanInvestment:
		if bank := s.catalog.Institution(a.PartnerID); bank == nil {
			p.Add(catalog.CodeNotFound, "合作银行不存在", "partnerId")
		} else if bank.Kind != catalog.Bank {
			p.Add(catalog.CodeInvalid, fmt.Sprintf("投贷联动的合作方须为银行，%s 不是银行", bank.Name), "partnerId")
		}
	case InvestmentIncubation:
		if s.catalog.Incubator(a.PartnerID) == nil {
			p.Add(catalog.CodeNotFound, "合作孵化载体不存在", "partnerId")
		}
	}
	if a.SignedOn.After(s.today()) {
		p.Add(catalog.CodeOutOfRange, "签订日期不能晚于今天", "signedOn")
	} else if a.SignedOn.Year() < 2000 {
		p.Add(catalog.CodeOutOfRange, "签订日期不在有效范围内", "signedOn")
	}
	if a.ValidUntil != nil && a.ValidUntil.Before(a.SignedOn) {
		p.Add(catalog.CodeOutOfRange, "有效期不能早于签订日期", "validUntil")
	}
	return p
}

// ExpressInterest records a fund's interest in a contest entrant (an entry
// this year or last), or moves its open interest to a new stage.
func (s *Service) ExpressInterest(ctx context.Context, i *Interest) (*Interest, catalog.Problems, error) {
	var p catalog.Problems
	if fund := s.catalog.Institution(i.FundID); fund == nil {
		p.Add(catalog.CodeNotFound, "投资机构不存在", "fundId")
	} else if !IsFund(fund) {
		p.Add(CodeNotFund, fmt.Sprintf("%s 不是创投或政府引导基金，不能登记投资意向", fund.Name), "fundId")
	}
	if e := s.catalog.Enterprise(i.EnterpriseID); e == nil {
		p.Add(catalog.CodeNotFound, "企业不存在", "enterpriseId")
	} else if !IsEntrant(e, s.today().Year()) {
		p.Add(CodeNotEntrant, fmt.Sprintf("%s 不是今年或去年的大赛参赛企业", e.Name), "enterpriseId")
	}
	if !i.Stage.Valid() {
		p.Add(catalog.CodeInvalid, "未知的尽调阶段", "stage")
	}
	i.Note = strings.TrimSpace(i.Note)
	if i.Note != "" {
		p.Text(i.Note, MaxNoteLen, true, "note")
	}
	if len(p) > 0 {
		return nil, p, nil
	}
	i.At = s.stamp()
	if err := s.store.ExpressInterest(ctx, i); err != nil {
		return nil, nil, err
	}
	s.changed(EntityInterest, i.ID)
	return i, nil, nil
}

// WithdrawInterest closes the fund's open interest in the enterprise.
func (s *Service) WithdrawInterest(ctx context.Context, fundID, enterpriseID int64) (*Interest, catalog.Problems, error) {
	i, err := s.store.WithdrawInterest(ctx, fundID, enterpriseID, s.stamp())
	if errors.Is(err, ErrNotFound) {
		var p catalog.Problems
		p.Add(catalog.CodeNotFound, "该机构对该企业没有登记中的投资意向", "enterpriseId")
		return nil, p, nil
	}
	if err != nil {
		return nil, nil, err
	}
	s.changed(EntityInterest, i.ID)
	return i, nil, nil
}

// Links reads the records and builds the engine's links as of today.
func (s *Service) Links(ctx context.Context) (matching.Links, error) {
	recs, err := s.store.LinkRecords(ctx)
	if err != nil {
		return matching.Links{}, fmt.Errorf("linkage: read the links: %w", err)
	}
	return BuildLinks(recs, s.today()), nil
}

// BuildLinks turns the records into the engine's links: the agreements
// active on today, the open residencies and interests, and the loans.
func BuildLinks(r Records, today time.Time) matching.Links {
	l := matching.Links{IncubationPartners: map[int64][]int64{}, LoanPartners: map[int64][]int64{},
		Residents: map[int64]int64{}, Borrowers: map[int64][]int64{}, Interest: map[int64][]int64{}}
	for _, a := range r.Agreements {
		if !a.ActiveOn(today) {
			continue
		}
		switch a.Kind {
		case InvestmentIncubation:
			l.IncubationPartners[a.FundID] = append(l.IncubationPartners[a.FundID], a.PartnerID)
		case LoanInvestment:
			l.LoanPartners[a.FundID] = append(l.LoanPartners[a.FundID], a.PartnerID)
		}
	}
	for _, res := range r.Residencies {
		if res.Open() && !res.Since.After(today) {
			l.Residents[res.EnterpriseID] = res.IncubatorID
		}
	}
	for _, i := range r.Interests {
		if i.WithdrawnAt == nil {
			l.Interest[i.EnterpriseID] = append(l.Interest[i.EnterpriseID], i.FundID)
		}
	}
	for _, ln := range r.Loans {
		l.Borrowers[ln.EnterpriseID] = append(l.Borrowers[ln.EnterpriseID], ln.BankID)
	}
	return l
}

// Performance ranks the incubators that had residents in year.
func (s *Service) Performance(ctx context.Context, year int) ([]IncubatorPerformance, error) {
	from, to := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)
	res, err := s.store.ResidenciesBetween(ctx, from, to)
	if err != nil {
		return nil, fmt.Errorf("linkage: incubator performance: %w", err)
	}
	if len(res) == 0 {
		return []IncubatorPerformance{}, nil
	}
	apps, err := s.store.ApplicationsOfYear(ctx, year)
	if err != nil {
		return nil, fmt.Errorf("linkage: incubator performance: %w", err)
	}
	return Rank(year, res, apps, s.catalog.Enterprise), nil
}

// Rank computes the year's performance of each incubator with residents:
// its residents (distinct enterprises whose residency covered a day of
// the year), the award winners among them (an entry of that year above
// NONE), and the amounts of their applications DISBURSED within the year;
// ranked by award winners, then financing raised, then incubator id.
func Rank(year int, res []*Residency, apps []*financing.Application, enterprise func(int64) *catalog.Enterprise) []IncubatorPerformance {
	raised := map[int64]catalog.Amount{}
	for _, a := range apps {
		if a.Status == financing.Disbursed && a.DisbursedAmount != nil && a.DisbursedOn != nil && a.DisbursedOn.Year() == year {
			raised[a.EnterpriseID] += *a.DisbursedAmount
		}
	}
	from, to := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)
	residents := map[int64]map[int64]bool{}
	for _, r := range res {
		if !r.Overlaps(from, to) {
			continue
		}
		if residents[r.IncubatorID] == nil {
			residents[r.IncubatorID] = map[int64]bool{}
		}
		residents[r.IncubatorID][r.EnterpriseID] = true
	}
	out := make([]IncubatorPerformance, 0, len(residents))
	for inc, ents := range residents {
		p := IncubatorPerformance{IncubatorID: inc, Year: year, Residents: len(ents)}
		for id := range ents {
			if e := enterprise(id); e != nil && wonIn(e, year) {
				p.AwardWinners++
			}
			p.FinancingRaised += raised[id]
		}
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b IncubatorPerformance) int {
		return cmp.Or(cmp.Compare(b.AwardWinners, a.AwardWinners), cmp.Compare(b.FinancingRaised, a.FinancingRaised),
			cmp.Compare(a.IncubatorID, b.IncubatorID))
	})
	for i := range out {
		out[i].Rank = i + 1
	}
	return out
}

func wonIn(e *catalog.Enterprise, year int) bool {
	return slices.ContainsFunc(e.CompetitionEntries, func(c catalog.CompetitionEntry) bool {
		return c.Year == year && c.Award.Rank() > 0
	})
}
