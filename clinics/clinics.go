// Package clinics runs the 一企一策诊疗会: a service corps of experts
// (EXPERT accounts with their specialities) holds clinics in a city, a
// high-tech zone or an incubator; the matching engine proposes the
// enterprises to invite (a stated financing need, not yet served); each
// one-to-one diagnosis keeps the experts' notes, a snapshot of the
// engine's financing plan at that moment and a growth plan of concrete
// steps. Applications an enterprise makes after its diagnosis are its
// follow-ups, so a clinic's outcome (money raised within six months) is
// measurable.
//
// It owns the clinics' rules: validation with stable codes, proposals, which
// applications a diagnosis links and what it raised. It imports only
// catalog, financing and matching; it must not import store, marketplace,
// search, resolvers or graph, which reach it through the small interfaces
// defined here.
package clinics

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/financing"
	"github.com/yurong/yurong/matching"
)

// Speciality is an expert's field.
type Speciality string

// The specialities of the corps.
const (
	Finance                   Speciality = "FINANCE"
	Investment                Speciality = "INVESTMENT"
	ListingCoaching           Speciality = "LISTING_COACHING"
	EntrepreneurshipMentoring Speciality = "ENTREPRENEURSHIP_MENTORING"
	Policy                    Speciality = "POLICY"
)

// Specialities lists every speciality in the schema's order.
var Specialities = []Speciality{Finance, Investment, ListingCoaching, EntrepreneurshipMentoring, Policy}

// Valid reports whether s is a known speciality.
func (s Speciality) Valid() bool { return slices.Contains(Specialities, s) }

// Clinic is one diagnosis day. IncubatorID is 0 and Zone "" when it is
// held for a whole city; ExpertIDs are the EXPERT accounts serving on it.
type Clinic struct {
	ID          int64
	Name        string
	City        catalog.City
	IncubatorID int64
	Zone        string // a high-tech zone (高新区), "" for none
	HeldOn      time.Time
	ExpertIDs   []int64
	CreatedBy   int64
	CreatedAt   time.Time
}

// HasExpert reports whether the account serves on the clinic.
func (c *Clinic) HasExpert(accountID int64) bool {
	return accountID != 0 && slices.Contains(c.ExpertIDs, accountID)
}

// Diagnosis is one enterprise's one-to-one diagnosis at a clinic. Plan is
// the JSON of the engine's financing plan when it was recorded, kept as
// it was: later rescoring does not change it.
type Diagnosis struct {
	ID           int64
	ClinicID     int64
	EnterpriseID int64
	Notes        string
	Plan         string
	GrowthPlan   []string
	RecordedBy   int64
	CreatedAt    time.Time
}

// Snapshot decodes the stored plan.
func (d *Diagnosis) Snapshot() (matching.FinancingPlan, error) {
	var p matching.FinancingPlan
	err := json.Unmarshal([]byte(d.Plan), &p)
	return p, err
}

// FollowUpMonths is how long after a diagnosis its enterprise's
// applications count as its follow-ups.
const FollowUpMonths = 6

// Proposal is an enterprise the engine proposes to invite, with why.
type Proposal struct {
	EnterpriseID int64
	Score        int // the innovation total
	Reason       string
}

// Errors the store returns, matched with errors.Is.
var (
	ErrNotFound  = errors.New("clinics: not found")
	ErrDuplicate = errors.New("clinics: the enterprise was diagnosed at this clinic already")
)

// Codes of the userErrors beyond catalog's, part of the public API.
const (
	CodeNotExpert = "NOT_EXPERT"
	CodeNotHeld   = "NOT_HELD"
)

// Bounds of the inputs.
const (
	MaxExperts     = 20
	MaxNotesLen    = 5000
	MaxSteps       = 30
	MaxStepLen     = 500
	MaxNameLen     = 100
	MaxProposals   = 100
	maxPlanPairing = 50
)

// Store keeps clinics, diagnoses and the experts' specialities.
type Store interface {
	CreateClinic(ctx context.Context, c *Clinic) error
	// Clinic: ErrNotFound.
	Clinic(ctx context.Context, id int64) (*Clinic, error)
	// CreateDiagnosis: ErrDuplicate for a second diagnosis of the
	// enterprise at the clinic.
	CreateDiagnosis(ctx context.Context, d *Diagnosis) error
	// Diagnoses returns the clinic's diagnoses (clinicID != 0) or the
	// enterprise's (enterpriseID != 0), oldest first.
	Diagnoses(ctx context.Context, clinicID, enterpriseID int64) ([]*Diagnosis, error)
	// DiagnosedEnterprises returns the enterprises with a diagnosis.
	DiagnosedEnterprises(ctx context.Context) (map[int64]bool, error)
	// Residents returns the enterprises residing in the incubator now.
	Residents(ctx context.Context, incubatorID int64) (map[int64]bool, error)
	// EnterpriseApplications returns the enterprise's applications.
	EnterpriseApplications(ctx context.Context, enterpriseID int64) ([]*financing.Application, error)
	// IsExpert reports whether the account is a live EXPERT account.
	IsExpert(ctx context.Context, accountID int64) (bool, error)
	SetSpecialities(ctx context.Context, accountID int64, s []Speciality) error
}

// Catalog is the read model.
type Catalog interface {
	Enterprise(id int64) *catalog.Enterprise
	Incubator(id int64) *catalog.Incubator
	// EnterprisesIn returns the enterprises of the city.
	EnterprisesIn(city catalog.City) []*catalog.Enterprise
}

// Engine is the matching engine as the clinics use it.
type Engine interface {
	Plan(enterpriseID int64) (matching.FinancingPlan, bool)
	InnovationTotal(enterpriseID int64) (int, bool)
}

// Service runs the clinics.
type Service struct {
	store   Store
	catalog Catalog
	engine  Engine
	now     func() time.Time
}

// New returns the service; now is the clock.
func New(st Store, c Catalog, e Engine, now func() time.Time) *Service {
	return &Service{store: st, catalog: c, engine: e, now: now}
}

func (s *Service) today() time.Time {
	y, m, d := s.now().UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// SetSpecialities sets an EXPERT account's specialities (deduplicated, in
// the schema's order).
func (s *Service) SetSpecialities(ctx context.Context, accountID int64, sp []Speciality) ([]Speciality, catalog.Problems, error) {
	var p catalog.Problems
	ok, err := s.store.IsExpert(ctx, accountID)
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		p.Add(CodeNotExpert, "该账号不是有效的专家账号", "accountId")
	}
	var out []Speciality
	for _, x := range Specialities {
		if slices.Contains(sp, x) {
			out = append(out, x)
		}
	}
	if len(out) == 0 {
		p.Add(catalog.CodeRequired, "至少选择一个专业方向", "specialities")
	}
	if len(p) > 0 {
		return nil, p, nil
	}
	return out, nil, s.store.SetSpecialities(ctx, accountID, out)
}

// Schedule validates and stores a clinic. A clinic at an incubator is in
// the incubator's city.
func (s *Service) Schedule(ctx context.Context, c *Clinic) (*Clinic, catalog.Problems, error) {
	var p catalog.Problems
	c.Name = strings.TrimSpace(c.Name)
	c.Zone = strings.TrimSpace(c.Zone)
	if c.Name == "" {
		p.Add(catalog.CodeRequired, "诊疗会名称不能为空", "name")
	} else if utf8.RuneCountInString(c.Name) > MaxNameLen {
		p.Add(catalog.CodeTooLong, fmt.Sprintf("诊疗会名称不能超过 %d 个字", MaxNameLen), "name")
	}
	if utf8.RuneCountInString(c.Zone) > MaxNameLen {
		p.Add(catalog.CodeTooLong, fmt.Sprintf("高新区名称不能超过 %d 个字", MaxNameLen), "highTechZone")
	}
	if c.IncubatorID != 0 {
		in := s.catalog.Incubator(c.IncubatorID)
		if in == nil {
			p.Add(catalog.CodeNotFound, "孵化载体不存在", "incubatorId")
		} else if c.City == "" {
			c.City = in.City
		} else if c.City != in.City {
			p.Add(catalog.CodeInvalid, "诊疗会所在城市与孵化载体所在城市不一致", "city")
		}
	}
	if c.City == "" {
		p.Add(catalog.CodeRequired, "须指定城市或孵化载体", "city")
	} else if !c.City.Valid() {
		p.Add(catalog.CodeInvalid, "城市无效", "city")
	}
	today := s.today()
	if c.HeldOn.Before(today.AddDate(-1, 0, 0)) || c.HeldOn.After(today.AddDate(1, 0, 0)) {
		p.Add(catalog.CodeOutOfRange, "诊疗会日期须在前后一年之内", "date")
	}
	ids := []int64{}
	for _, id := range c.ExpertIDs {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	c.ExpertIDs = ids
	switch {
	case len(ids) == 0:
		p.Add(catalog.CodeRequired, "至少需要一位专家", "expertIds")
	case len(ids) > MaxExperts:
		p.Add(catalog.CodeOutOfRange, fmt.Sprintf("专家不能超过 %d 位", MaxExperts), "expertIds")
	default:
		for _, id := range ids {
			ok, err := s.store.IsExpert(ctx, id)
			if err != nil {
				return nil, nil, err
			}
			if !ok {
				p.Add(CodeNotExpert, "所选账号不是有效的专家账号", "expertIds")
				break
			}
		}
	}
	if len(p) > 0 {
		return nil, p, nil
	}
	c.CreatedAt = s.now().UTC().Truncate(time.Microsecond)
	if err := s.store.CreateClinic(ctx, c); err != nil {
		return nil, nil, err
	}
	return c, nil, nil
}

// Record stores a diagnosis with the engine's financing plan of the
// enterprise as it is now.
func (s *Service) Record(ctx context.Context, c *Clinic, d *Diagnosis) (*Diagnosis, catalog.Problems, error) {
	var p catalog.Problems
	d.ClinicID = c.ID
	if c.HeldOn.After(s.today()) {
		p.Add(CodeNotHeld, "诊疗会尚未举行", "clinicId")
	}
	if s.catalog.Enterprise(d.EnterpriseID) == nil {
		p.Add(catalog.CodeNotFound, "企业不存在", "enterpriseId")
	}
	d.Notes = strings.TrimSpace(d.Notes)
	if d.Notes == "" {
		p.Add(catalog.CodeRequired, "专家诊断意见不能为空", "notes")
	} else if utf8.RuneCountInString(d.Notes) > MaxNotesLen {
		p.Add(catalog.CodeTooLong, fmt.Sprintf("专家诊断意见不能超过 %d 个字", MaxNotesLen), "notes")
	}
	steps := []string{}
	for _, st := range d.GrowthPlan {
		if st = strings.TrimSpace(st); st != "" {
			steps = append(steps, st)
		}
	}
	d.GrowthPlan = steps
	switch {
	case len(steps) == 0:
		p.Add(catalog.CodeRequired, "成长计划至少需要一个步骤", "growthPlan")
	case len(steps) > MaxSteps:
		p.Add(catalog.CodeOutOfRange, fmt.Sprintf("成长计划不能超过 %d 个步骤", MaxSteps), "growthPlan")
	case slices.ContainsFunc(steps, func(s string) bool { return utf8.RuneCountInString(s) > MaxStepLen }):
		p.Add(catalog.CodeTooLong, fmt.Sprintf("每个步骤不能超过 %d 个字", MaxStepLen), "growthPlan")
	}
	if len(p) > 0 {
		return nil, p, nil
	}
	plan, ok := s.engine.Plan(d.EnterpriseID)
	if !ok {
		p.Add(catalog.CodeNotFound, "企业尚未完成评分，无法生成融资方案", "enterpriseId")
		return nil, p, nil
	}
	if len(plan.Items) > maxPlanPairing {
		plan.Items = plan.Items[:maxPlanPairing]
	}
	raw, err := json.Marshal(plan)
	if err != nil {
		return nil, nil, err
	}
	d.Plan = string(raw)
	d.CreatedAt = s.now().UTC().Truncate(time.Microsecond)
	err = s.store.CreateDiagnosis(ctx, d)
	if errors.Is(err, ErrDuplicate) {
		p.Add(catalog.CodeDuplicate, "该企业已在本次诊疗会接受诊断", "enterpriseId")
		return nil, p, nil
	}
	if err != nil {
		return nil, nil, err
	}
	return d, nil, nil
}

// Propose returns up to n enterprises to invite to the clinic: those of
// its city (of a clinic at an incubator: its current residents) with a
// stated financing need, not dishonest, and never diagnosed, by
// innovation total (then the best score of their financing plan, then
// id), each with its reason in Chinese.
func (s *Service) Propose(ctx context.Context, c *Clinic, n int) ([]Proposal, error) {
	served, err := s.store.DiagnosedEnterprises(ctx)
	if err != nil {
		return nil, err
	}
	var residents map[int64]bool
	if c.IncubatorID != 0 {
		if residents, err = s.store.Residents(ctx, c.IncubatorID); err != nil {
			return nil, err
		}
	}
	type cand struct {
		Proposal
		best float64
	}
	var cs []cand
	for _, e := range s.catalog.EnterprisesIn(c.City) {
		if residents != nil && !residents[e.ID] {
			continue
		}
		if served[e.ID] || e.CreditStatus == catalog.CreditDishonest || e.FinancingNeed == nil || e.FinancingNeed.Amount <= 0 {
			continue
		}
		total, _ := s.engine.InnovationTotal(e.ID)
		plan, _ := s.engine.Plan(e.ID)
		best := 0.0
		for _, it := range plan.Items {
			best = max(best, it.Score)
		}
		reason := fmt.Sprintf("有融资需求（%s）；创新积分 %d 分", needKind(e.FinancingNeed.Kind), total)
		if len(plan.Items) > 0 {
			reason += fmt.Sprintf("；已有 %d 项可配对资源，最佳配对 %.0f 分", len(plan.Items), best)
		} else {
			reason += "；暂无可配对资源，需专家诊断破题"
		}
		if residents != nil {
			reason += "；在孵企业"
		}
		reason += "；尚未参加诊疗会"
		cs = append(cs, cand{Proposal{EnterpriseID: e.ID, Score: total, Reason: reason}, best})
	}
	slices.SortFunc(cs, func(a, b cand) int {
		return cmp.Or(cmp.Compare(b.Score, a.Score), cmp.Compare(b.best, a.best), cmp.Compare(a.EnterpriseID, b.EnterpriseID))
	})
	out := make([]Proposal, 0, min(n, len(cs)))
	for _, c := range cs[:min(n, len(cs))] {
		out = append(out, c.Proposal)
	}
	return out, nil
}

func needKind(k catalog.ProductKind) string {
	switch k {
	case catalog.Loan:
		return "债权融资"
	case catalog.Equity:
		return "股权融资"
	case catalog.Insurance:
		return "科技保险"
	}
	return "融资"
}

// FollowUps returns the applications linked to the diagnosis: those its
// enterprise created at or after it, within FollowUpMonths, and before
// the enterprise's next diagnosis (an application links to the latest
// diagnosis before it).
func (s *Service) FollowUps(ctx context.Context, d *Diagnosis) ([]*financing.Application, error) {
	ds, err := s.store.Diagnoses(ctx, 0, d.EnterpriseID)
	if err != nil {
		return nil, err
	}
	apps, err := s.store.EnterpriseApplications(ctx, d.EnterpriseID)
	if err != nil {
		return nil, err
	}
	return Linked(d, ds, apps), nil
}

// Linked picks, from the enterprise's applications, those linked to d
// among the enterprise's diagnoses ds; oldest first.
func Linked(d *Diagnosis, ds []*Diagnosis, apps []*financing.Application) []*financing.Application {
	end := d.CreatedAt.AddDate(0, FollowUpMonths, 0)
	for _, o := range ds {
		if o.ID != d.ID && o.CreatedAt.After(d.CreatedAt) && o.CreatedAt.Before(end) {
			end = o.CreatedAt
		}
		if o.ID > d.ID && o.CreatedAt.Equal(d.CreatedAt) {
			return nil // a later diagnosis at the same instant takes them
		}
	}
	var out []*financing.Application
	for _, a := range apps {
		if !a.CreatedAt.Before(d.CreatedAt) && a.CreatedAt.Before(end) {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(a, b *financing.Application) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// Raised sums what was disbursed on the applications within
// FollowUpMonths of the diagnosis.
func Raised(d *Diagnosis, apps []*financing.Application) catalog.Amount {
	end := d.CreatedAt.AddDate(0, FollowUpMonths, 0)
	var sum catalog.Amount
	for _, a := range apps {
		if a.Status == financing.Disbursed && a.DisbursedAmount != nil && a.DisbursedOn != nil && a.DisbursedOn.Before(end) {
			sum += *a.DisbursedAmount
		}
	}
	return sum
}

// Outcome is the money raised by the clinic's diagnosed enterprises on
// their follow-ups within FollowUpMonths, and how many were diagnosed.
func (s *Service) Outcome(ctx context.Context, c *Clinic) (catalog.Amount, int, error) {
	ds, err := s.store.Diagnoses(ctx, c.ID, 0)
	if err != nil {
		return 0, 0, err
	}
	var sum catalog.Amount
	for _, d := range ds {
		apps, err := s.FollowUps(ctx, d)
		if err != nil {
			return 0, 0, err
		}
		sum += Raised(d, apps)
	}
	return sum, len(ds), nil
}
