package events

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/matching"
	"github.com/yurong/yurong/scheduling"
)

// Store is the system of record as events use it. Every write runs in one
// transaction and raises the event's Version.
type Store interface {
	// CreateEvent stores e without hosts, participants or schedule and
	// sets e.ID, e.CreatedAt and e.Version.
	CreateEvent(ctx context.Context, e *Event) error
	// MatchmakingEvent reads an event with its hosts, participants and
	// schedule; an unknown id is an error matching ErrNoEvent.
	MatchmakingEvent(ctx context.Context, id int64) (*Event, error)
	// AddEventHost adds h to the event and sets h.ID.
	AddEventHost(ctx context.Context, eventID int64, h *Host) error
	// AddEventParticipants adds every one of ps or, when one of them takes
	// part already (ErrDuplicate), none.
	AddEventParticipants(ctx context.Context, eventID int64, ps []*Participant) error
	// RemoveEventParticipant drops the enterprise from the event and its
	// meetings and unplaced requests from the current schedule, whose
	// objective becomes the sum of the meetings left; ErrNotParticipant
	// when it does not take part.
	RemoveEventParticipant(ctx context.Context, eventID, enterpriseID int64) error
	// SaveSchedule makes s the event's schedule if the event is still at
	// version; ErrConflict when another write came in between.
	SaveSchedule(ctx context.Context, eventID, version int64, s *Schedule) error
}

// Errors of the Store, matched with errors.Is.
var (
	ErrNoEvent        = errors.New("events: no such event")
	ErrDuplicate      = errors.New("events: the enterprise takes part already")
	ErrNotParticipant = errors.New("events: the enterprise does not take part")
	ErrConflict       = errors.New("events: the event changed meanwhile")
)

// Catalog is the read model: what hosts bring and who takes part.
type Catalog interface {
	Enterprise(id int64) *catalog.Enterprise
	FinancialProduct(id int64) *catalog.FinancialProduct
	Incubator(id int64) *catalog.Incubator
	Demand(id int64) *catalog.SupplyChainDemand
}

// Pairings is the matching engine as events consult it;
// *matching.Engine is one.
type Pairings interface {
	// Pairing computes one pairing, whether or not it is in a top list.
	Pairing(kind catalog.PairingKind, enterpriseID, resourceID int64) (matching.Pairing, bool)
	// Candidates are a resource's best enterprises, eligible ones first.
	Candidates(kind catalog.PairingKind, resourceID int64, first int, eligibleOnly bool) []matching.Pairing
}

// Codes of the userErrors particular to events; the others are catalog's.
const (
	// CodeDishonest refuses a dishonest (失信) enterprise as a participant.
	CodeDishonest = "DISHONEST"
	// CodeConflict: the event changed while it was being scheduled.
	CodeConflict = "CONFLICT"
)

// Bounds of an event.
const (
	MaxSlots            = 48
	MinSlotMinutes      = 10
	MaxSlotMinutes      = 60
	MaxTables           = 500
	MaxHosts            = 200
	MaxResourcesPerHost = 50
	MaxParticipants     = 1000
	MaxInvite           = 500
	MaxIndustryChainLen = 100
	MinTimeLimitMs      = 1
	MaxTimeLimitMs      = 30000
	DefaultTimeLimitMs  = 2000
	// candidatesPerResource is how deep inviting reads each host
	// resource's ranked candidates (the engine keeps 200).
	candidatesPerResource = 200
)

// Service runs matchmaking events.
type Service struct {
	store    Store
	catalog  Catalog
	pairings Pairings
	now      func() time.Time
}

// New returns the events service over its collaborators; now is the clock.
func New(st Store, c Catalog, p Pairings, now func() time.Time) *Service {
	return &Service{store: st, catalog: c, pairings: p, now: now}
}

// Event reads an event; an unknown id matches ErrNoEvent.
func (s *Service) Event(ctx context.Context, id int64) (*Event, error) {
	return s.store.MatchmakingEvent(ctx, id)
}

// CreateInput is a new event as its organiser describes it.
type CreateInput struct {
	Name          string
	Track         catalog.Track
	IndustryChain *string
	City          catalog.City
	Date          time.Time
	Slots         int
	SlotMinutes   int
	StartsAt      time.Time
	Tables        int
	By            int64 // the account creating it
}

// Create checks and stores a new event.
func (s *Service) Create(ctx context.Context, in CreateInput) (*Event, catalog.Problems, error) {
	e, p := validateCreate(in)
	if len(p) > 0 {
		return nil, p, nil
	}
	if err := s.store.CreateEvent(ctx, e); err != nil {
		return nil, nil, fmt.Errorf("events: create: %w", err)
	}
	return e, nil, nil
}

// HostInput is a host as the organiser adds it. Resources of an unknown
// kind or id (the zero Resource for an ID the API could not read) are
// refused; nil AvailableSlots is every slot.
type HostInput struct {
	Name           string
	Resources      []Resource
	Capacity       int
	AvailableSlots []int
}

// AddHost checks a host and adds it to ev.
func (s *Service) AddHost(ctx context.Context, ev *Event, in HostInput) (*Event, catalog.Problems, error) {
	h, p := s.validateHost(ev, in)
	if len(p) > 0 {
		return nil, p, nil
	}
	if err := s.store.AddEventHost(ctx, ev.ID, h); err != nil {
		return nil, nil, fmt.Errorf("events: add host: %w", err)
	}
	return s.reread(ctx, ev.ID)
}

// ParticipantInput is an enterprise as the organiser adds it. An ID the
// API could not read is 0; nil AvailableSlots is every slot.
type ParticipantInput struct {
	EnterpriseID   int64
	Capacity       int
	AvailableSlots []int
	MustMeet       []int64
	NeverMeet      []int64
}

// AddParticipant checks a participant and adds it to ev.
func (s *Service) AddParticipant(ctx context.Context, ev *Event, in ParticipantInput) (*Event, catalog.Problems, error) {
	part, p := s.validateParticipant(ev, in)
	if len(p) > 0 {
		return nil, p, nil
	}
	err := s.store.AddEventParticipants(ctx, ev.ID, []*Participant{part})
	if errors.Is(err, ErrDuplicate) {
		p.Add(catalog.CodeDuplicate, "该企业已在本场活动中", "enterpriseId")
		return nil, p, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("events: add participant: %w", err)
	}
	return s.reread(ctx, ev.ID)
}

// RemoveParticipant drops an enterprise from ev and its meetings from the
// current schedule; the others stay where they are, and the next
// scheduling fills the gaps.
func (s *Service) RemoveParticipant(ctx context.Context, ev *Event, enterpriseID int64) (*Event, catalog.Problems, error) {
	var p catalog.Problems
	if ev.Participant(enterpriseID) == nil {
		p.Add(catalog.CodeNotFound, "该企业不在本场活动中", "enterpriseId")
		return nil, p, nil
	}
	err := s.store.RemoveEventParticipant(ctx, ev.ID, enterpriseID)
	if errors.Is(err, ErrNotParticipant) {
		p.Add(catalog.CodeNotFound, "该企业不在本场活动中", "enterpriseId")
		return nil, p, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("events: remove participant: %w", err)
	}
	return s.reread(ctx, ev.ID)
}

// Invite adds up to count of the enterprises best paired with ev's hosts,
// each with the given capacity and every slot available. An enterprise's
// value is its best eligible pairing score over the hosts' resources, as
// the engine ranks their candidates; dishonest enterprises, enterprises
// taking part already and a host's own enterprise (named as the owner of a
// demand it brings) are never invited. Ties go to the lower id.
func (s *Service) Invite(ctx context.Context, ev *Event, count, capacity int) (*Event, catalog.Problems, error) {
	var p catalog.Problems
	if count < 1 || count > MaxInvite {
		p.Add(catalog.CodeOutOfRange, fmt.Sprintf("邀请数量须在 1 到 %d 之间", MaxInvite), "count")
	}
	if capacity < 1 {
		p.Add(catalog.CodeOutOfRange, "每家企业的会谈数须至少为 1", "capacity")
	}
	if len(ev.Hosts) == 0 {
		p.Add(catalog.CodeInvalid, "活动还没有主办方，无法按配对邀请企业", "eventId")
	}
	room := MaxParticipants - len(ev.Participants)
	if room <= 0 {
		p.Add(catalog.CodeOutOfRange, fmt.Sprintf("每场活动最多 %d 家参会企业", MaxParticipants), "count")
	}
	if len(p) > 0 {
		return nil, p, nil
	}
	ids := s.inviteList(ev)
	ids = ids[:min(len(ids), count, room)]
	if len(ids) == 0 {
		return ev, nil, nil
	}
	all := allSlots(ev.Slots)
	ps := make([]*Participant, len(ids))
	for i, id := range ids {
		ps[i] = &Participant{EnterpriseID: id, Capacity: capacity, AvailableSlots: all}
	}
	err := s.store.AddEventParticipants(ctx, ev.ID, ps)
	if errors.Is(err, ErrDuplicate) {
		p.Add(CodeConflict, "邀请期间有企业同时被加入本场活动，请重试", "eventId")
		return nil, p, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("events: invite: %w", err)
	}
	return s.reread(ctx, ev.ID)
}

// inviteList ranks the enterprises Invite may add, best first.
func (s *Service) inviteList(ev *Event) []int64 {
	taken := map[int64]bool{}
	for _, part := range ev.Participants {
		taken[part.EnterpriseID] = true
	}
	owners := map[string]bool{}
	for _, h := range ev.Hosts {
		for name := range s.owners(h) {
			owners[name] = true
		}
	}
	value := map[int64]float64{}
	skip := map[int64]bool{}
	for _, h := range ev.Hosts {
		for _, r := range h.Resources {
			for _, c := range s.pairings.Candidates(r.Kind.PairingKind(), r.ID, candidatesPerResource, true) {
				id := c.EnterpriseID
				if !c.Eligible || taken[id] || skip[id] {
					continue
				}
				if e := s.catalog.Enterprise(id); e == nil || e.CreditStatus == catalog.CreditDishonest || owners[e.Name] {
					skip[id] = true
					continue
				}
				if v, ok := value[id]; !ok || c.Score > v {
					value[id] = c.Score
				}
			}
		}
	}
	ids := make([]int64, 0, len(value))
	for id := range value {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b int64) int {
		return cmp.Or(cmp.Compare(value[b], value[a]), cmp.Compare(a, b))
	})
	return ids
}

// ScheduleInput asks for a schedule.
type ScheduleInput struct {
	TimeLimitMs int
	// KeepAnnounced keeps the meetings of the current schedule whose
	// enterprise and host still take part in their slot and table, and
	// schedules around them; false plans the day from scratch.
	KeepAnnounced bool
}

// storeTimeout bounds the store work after a search, which runs on its own
// clock (see Schedule).
const storeTimeout = 10 * time.Second

// Schedule computes ev's day with package scheduling and stores it as the
// event's schedule. The search runs for the time limit whatever the
// caller's deadline: a request deadline shorter than the limit the caller
// chose must not throw away the search it paid for, so the search and the
// store work after it are detached from ctx's cancellation (each with its
// own bound). A write to the event during the search refuses the schedule
// (CONFLICT), so a stored schedule always matches its event.
func (s *Service) Schedule(ctx context.Context, ev *Event, in ScheduleInput) (*Event, catalog.Problems, error) {
	var p catalog.Problems
	if in.TimeLimitMs < MinTimeLimitMs || in.TimeLimitMs > MaxTimeLimitMs {
		p.Add(catalog.CodeOutOfRange, fmt.Sprintf("排程时限须在 %d 到 %d 毫秒之间", MinTimeLimitMs, MaxTimeLimitMs), "timeLimitMs")
	}
	if len(ev.Hosts) == 0 || len(ev.Participants) == 0 {
		p.Add(catalog.CodeInvalid, "活动须至少有一个主办方和一家参会企业才能排程", "eventId")
	}
	if len(p) > 0 {
		return nil, p, nil
	}
	limit := time.Duration(in.TimeLimitMs) * time.Millisecond
	b := s.build(ev, in.KeepAnnounced)
	detached := context.WithoutCancel(ctx)
	solveCtx, cancel := context.WithTimeout(detached, limit+storeTimeout)
	sched, err := scheduling.Solve(solveCtx, b.problem, scheduling.Options{TimeLimit: limit})
	cancel()
	if err != nil {
		return nil, nil, fmt.Errorf("events: schedule event %d: %w", ev.ID, err)
	}
	if err := scheduling.Check(b.problem, sched); err != nil {
		return nil, nil, fmt.Errorf("events: the scheduler's answer for event %d breaks its constraints: %w", ev.ID, err)
	}
	out := b.schedule(sched, s.now().UTC().Truncate(time.Microsecond))
	storeCtx, cancel := context.WithTimeout(detached, storeTimeout)
	defer cancel()
	err = s.store.SaveSchedule(storeCtx, ev.ID, ev.Version, out)
	if errors.Is(err, ErrConflict) {
		p.Add(CodeConflict, "排程期间活动的主办方或参会企业有变动，请重新排程", "eventId")
		return nil, p, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("events: store the schedule of event %d: %w", ev.ID, err)
	}
	return s.reread(storeCtx, ev.ID)
}

func (s *Service) reread(ctx context.Context, id int64) (*Event, catalog.Problems, error) {
	e, err := s.store.MatchmakingEvent(ctx, id)
	if err != nil {
		return nil, nil, fmt.Errorf("events: read event %d back: %w", id, err)
	}
	return e, nil, nil
}

// Agenda returns the meetings of one side of ev's schedule, by slot: the
// enterprise's when enterpriseID is not 0, else the host's.
func Agenda(ev *Event, enterpriseID, hostID int64) []Meeting {
	var out []Meeting
	if ev.Schedule == nil {
		return out
	}
	for _, m := range ev.Schedule.Meetings {
		if (enterpriseID != 0 && m.EnterpriseID == enterpriseID) || (enterpriseID == 0 && m.HostID == hostID) {
			out = append(out, m)
		}
	}
	slices.SortStableFunc(out, func(a, b Meeting) int { return cmp.Or(cmp.Compare(a.Slot, b.Slot), cmp.Compare(a.Table, b.Table)) })
	return out
}

// UnplacedNotes are a schedule's unplaced requests as the organiser reads
// them: "郑州某某有限公司 — 中原银行：双方没有共同的空闲时段".
func (s *Service) UnplacedNotes(sched *Schedule) []string {
	out := []string{}
	for _, u := range sched.Unplaced {
		host := fmt.Sprintf("主办方 %d", u.HostID)
		if u.Host != nil {
			host = u.Host.Name
		}
		out = append(out, fmt.Sprintf("%s — %s：%s", s.EnterpriseName(u.EnterpriseID), host, u.Reason))
	}
	return out
}

// EnterpriseName is the enterprise's name, or a placeholder naming its id
// when the read model no longer holds it.
func (s *Service) EnterpriseName(id int64) string {
	if e := s.catalog.Enterprise(id); e != nil {
		return e.Name
	}
	return fmt.Sprintf("企业 %d", id)
}

func hostName(ev *Event, id int64) string {
	if h := ev.Host(id); h != nil {
		return h.Name
	}
	return fmt.Sprintf("主办方 %d", id)
}

// Pairing is the pairing that scored meeting m, as the engine computes it
// now; false when the engine no longer holds the enterprise or resource.
func (s *Service) Pairing(m Meeting) (matching.Pairing, bool) {
	return s.pairings.Pairing(m.Resource.Kind.PairingKind(), m.EnterpriseID, m.Resource.ID)
}

// maxReasons is how many of a pairing's reasons explain a meeting.
const maxReasons = 3

// Reason is the Chinese reason of a meeting: its pairing's top reasons, in
// their public rendering (no private figure of the enterprise).
func (s *Service) Reason(m Meeting) string {
	var parts []string
	if m.Requested {
		parts = append(parts, "企业点名约见")
	}
	if pr, ok := s.Pairing(m); ok {
		for _, r := range pr.Reasons[:min(len(pr.Reasons), maxReasons)] {
			parts = append(parts, r.Public)
		}
	}
	return strings.Join(parts, "；")
}

// owners are the names under which a host's demands were published: an
// enterprise of one of those names is the host's own.
func (s *Service) owners(h *Host) map[string]bool {
	out := map[string]bool{}
	for _, r := range h.Resources {
		if r.Kind != DemandResource {
			continue
		}
		if d := s.catalog.Demand(r.ID); d != nil && d.OwnerName != "" {
			out[d.OwnerName] = true
		}
	}
	return out
}

// allSlots is 1 … n.
func allSlots(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i + 1
	}
	return out
}
