package events_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/events"
	"github.com/yurong/yurong/marketplace"
	"github.com/yurong/yurong/matching"
	"github.com/yurong/yurong/scheduling"
	"github.com/yurong/yurong/store"
)

// today is the tests' clock: this year is 2026.
var today = time.Date(2026, 6, 15, 9, 30, 0, 0, time.UTC)

func now() time.Time { return today }

// world is a small marketplace in a real store (SQLite in a temporary
// directory), its read model and matching engine, and the events service
// over them.
type world struct {
	st     *store.Store
	engine *matching.Engine
	svc    *events.Service
	ctx    context.Context

	// Resources: a product every new-materials enterprise is eligible
	// for, one none of them is (Luoyang only), an incubator with room and
	// one without, and a chain leader's demand for 金刚石.
	loan, luoyangLoan, incubator, fullIncubator, demand events.Resource
	// Enterprises: five honest diamond makers, a dishonest one, the chain
	// leader itself, and a food maker neither the demand nor the loans
	// want.
	honest              []int64
	dishonest, own, off int64
}

const leaderName = "中原金刚石集团"

func enterprise(n int, name string, keywords ...string) *catalog.Enterprise {
	prefix := fmt.Sprintf("91410100%09d", n)
	c, _ := catalog.CreditCodeCheckChar(prefix)
	return &catalog.Enterprise{
		Name: name, CreditCode: prefix + string(c), City: catalog.Zhengzhou, FoundedOn: time.Date(2022, 3, 1, 0, 0, 0, 0, time.UTC),
		Employees: 40 + n, Track: catalog.NewMaterials, Description: "专注于" + strings.Join(keywords, "、") + "的研发与生产",
		Keywords: keywords, Qualifications: []catalog.Qualification{catalog.TechSME}, CreditStatus: catalog.CreditGood,
		Reports: []catalog.AnnualReport{{Year: 2025, Revenue: catalog.Yuan(int64(3_000_000 + 500_000*n)), RDExpense: catalog.Yuan(int64(300_000 + 80_000*n)),
			TechStaff: 10 + n, InventionPatentApplications: n}},
	}
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	d := &catalog.Dataset{
		Institutions: []*catalog.Institution{{Name: "中原银行", Kind: catalog.Bank, City: catalog.Zhengzhou}},
		Products: []*catalog.FinancialProduct{
			{Name: "中原银行科技贷", Kind: catalog.Loan, Program: catalog.TechLoan, ProviderID: 1, MaxAmount: catalog.Yuan(5_000_000),
				Eligibility: catalog.Eligibility{Tracks: []catalog.Track{catalog.NewMaterials}}},
			{Name: "洛阳专享贷", Kind: catalog.Loan, Program: catalog.TechLoan, ProviderID: 1, MaxAmount: catalog.Yuan(5_000_000),
				Eligibility: catalog.Eligibility{Cities: []catalog.City{catalog.Luoyang}}},
		},
		Incubators: []*catalog.Incubator{
			{Name: "郑州新材料孵化器", Kind: catalog.IncubatorCarrier, Level: catalog.ProvincialLevel, City: catalog.Zhengzhou,
				FocusTracks: []catalog.Track{catalog.NewMaterials}, Vacancies: 10},
			{Name: "满员孵化器", Kind: catalog.IncubatorCarrier, Level: catalog.MunicipalLevel, City: catalog.Zhengzhou, Vacancies: 0},
		},
		Demands: []*catalog.SupplyChainDemand{{Title: "征集金刚石供应商", Description: "用于超硬刀具", Kind: catalog.Supplier,
			IndustryChain: "超硬材料", Track: catalog.NewMaterials, City: catalog.Zhengzhou, OwnerName: leaderName, Keywords: []string{"金刚石"}}},
	}
	for i := range 5 {
		d.Enterprises = append(d.Enterprises, enterprise(i+1, fmt.Sprintf("郑州金刚石%d号科技有限公司", i+1), "金刚石", "超硬材料"))
	}
	cheat := enterprise(6, "郑州失信金刚石有限公司", "金刚石", "超硬材料")
	cheat.CreditStatus = catalog.CreditDishonest
	food := enterprise(8, "郑州食品有限公司", "速冻食品")
	food.Track = catalog.OtherTrack
	d.Enterprises = append(d.Enterprises, cheat, enterprise(7, leaderName, "金刚石", "超硬材料"), food)
	if err := st.BulkInsert(ctx, d); err != nil {
		t.Fatal(err)
	}
	cfg := matching.DefaultConfig()
	cfg.Today = now
	eng := matching.New(cfg)
	market := marketplace.New(st, eng, now)
	if err := market.Load(ctx); err != nil {
		t.Fatal(err)
	}
	w := &world{st: st, engine: eng, svc: events.New(st, market, eng, now),
		ctx:  store.WithActor(ctx, store.Actor{Action: "test"}),
		loan: events.Resource{Kind: events.ProductResource, ID: d.Products[0].ID}, luoyangLoan: events.Resource{Kind: events.ProductResource, ID: d.Products[1].ID},
		incubator: events.Resource{Kind: events.IncubatorResource, ID: d.Incubators[0].ID}, fullIncubator: events.Resource{Kind: events.IncubatorResource, ID: d.Incubators[1].ID},
		demand:    events.Resource{Kind: events.DemandResource, ID: d.Demands[0].ID},
		dishonest: cheat.ID, own: d.Enterprises[6].ID, off: d.Enterprises[7].ID}
	for _, e := range d.Enterprises[:5] {
		w.honest = append(w.honest, e.ID)
	}
	return w
}

// pairing is the engine's pairing of an enterprise with a resource.
func (w *world) pairing(t *testing.T, enterpriseID int64, r events.Resource) matching.Pairing {
	t.Helper()
	p, ok := w.engine.Pairing(r.Kind.PairingKind(), enterpriseID, r.ID)
	if !ok {
		t.Fatalf("no pairing of enterprise %d with %+v", enterpriseID, r)
	}
	return p
}

var eventInput = events.CreateInput{Name: "2026 新材料产业链专场对接会", Track: catalog.NewMaterials, City: catalog.Zhengzhou,
	Date: time.Date(2026, 9, 15, 0, 0, 0, 0, time.UTC), Slots: 6, SlotMinutes: 20,
	StartsAt: time.Date(2026, 9, 15, 9, 0, 0, 0, time.FixedZone("CST", 8*3600)), Tables: 3, By: 1}

func (w *world) event(t *testing.T) *events.Event {
	t.Helper()
	ev, p, err := w.svc.Create(w.ctx, eventInput)
	if err != nil || len(p) > 0 {
		t.Fatalf("create: %v %+v", err, p)
	}
	return ev
}

func (w *world) host(t *testing.T, ev *events.Event, in events.HostInput) (*events.Event, int64) {
	t.Helper()
	ev, p, err := w.svc.AddHost(w.ctx, ev, in)
	if err != nil || len(p) > 0 {
		t.Fatalf("add host %s: %v %+v", in.Name, err, p)
	}
	return ev, ev.Hosts[len(ev.Hosts)-1].ID
}

func (w *world) participant(t *testing.T, ev *events.Event, in events.ParticipantInput) *events.Event {
	t.Helper()
	ev, p, err := w.svc.AddParticipant(w.ctx, ev, in)
	if err != nil || len(p) > 0 {
		t.Fatalf("add participant %d: %v %+v", in.EnterpriseID, err, p)
	}
	return ev
}

func field(fe catalog.FieldError) string { return strings.Join(fe.Field, ".") }

func TestValidation(t *testing.T) {
	w := newWorld(t)
	ev := w.event(t)
	ev, bank := w.host(t, ev, events.HostInput{Name: "中原银行", Resources: []events.Resource{w.loan}, Capacity: 4})
	ev, leader := w.host(t, ev, events.HostInput{Name: leaderName, Resources: []events.Resource{w.demand}, Capacity: 4})
	ev = w.participant(t, ev, events.ParticipantInput{EnterpriseID: w.honest[0], Capacity: 2})

	create := func(edit func(*events.CreateInput)) func() catalog.Problems {
		return func() catalog.Problems {
			in := eventInput
			edit(&in)
			_, p, err := w.svc.Create(w.ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
	}
	host := func(in events.HostInput) func() catalog.Problems {
		return func() catalog.Problems {
			_, p, err := w.svc.AddHost(w.ctx, ev, in)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
	}
	goodHost := events.HostInput{Name: "郑州新材料孵化器", Resources: []events.Resource{w.incubator}, Capacity: 3}
	editHost := func(edit func(*events.HostInput)) func() catalog.Problems {
		in := goodHost
		edit(&in)
		return host(in)
	}
	part := func(edit func(*events.ParticipantInput)) func() catalog.Problems {
		return func() catalog.Problems {
			in := events.ParticipantInput{EnterpriseID: w.honest[1], Capacity: 2}
			edit(&in)
			_, p, err := w.svc.AddParticipant(w.ctx, ev, in)
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
	}
	tests := []struct {
		name  string
		call  func() catalog.Problems
		code  string
		field string
	}{
		{"an empty name", create(func(in *events.CreateInput) { in.Name = " " }), catalog.CodeRequired, "name"},
		{"a line break in the name", create(func(in *events.CreateInput) { in.Name = "对接会\n第二行" }), catalog.CodeInvalid, "name"},
		{"no slot", create(func(in *events.CreateInput) { in.Slots = 0 }), catalog.CodeOutOfRange, "slots"},
		{"49 slots", create(func(in *events.CreateInput) { in.Slots = 49 }), catalog.CodeOutOfRange, "slots"},
		{"9-minute slots", create(func(in *events.CreateInput) { in.SlotMinutes = 9 }), catalog.CodeOutOfRange, "slotMinutes"},
		{"61-minute slots", create(func(in *events.CreateInput) { in.SlotMinutes = 61 }), catalog.CodeOutOfRange, "slotMinutes"},
		{"no table", create(func(in *events.CreateInput) { in.Tables = 0 }), catalog.CodeOutOfRange, "tables"},
		{"an unknown track", create(func(in *events.CreateInput) { in.Track = "SPACE" }), catalog.CodeInvalid, "track"},
		{"a start on another day", create(func(in *events.CreateInput) { in.StartsAt = in.StartsAt.AddDate(0, 0, 3) }), catalog.CodeOutOfRange, "startsAt"},

		{"a host without resources", editHost(func(in *events.HostInput) { in.Resources = nil }), catalog.CodeRequired, "resourceIds"},
		{"a host bringing what is no resource", editHost(func(in *events.HostInput) {
			in.Resources = []events.Resource{w.incubator, {}}
		}), catalog.CodeNotFound, "resourceIds.1"},
		{"a host bringing a product that does not exist", editHost(func(in *events.HostInput) {
			in.Resources = []events.Resource{{Kind: events.ProductResource, ID: 9999}}
		}), catalog.CodeNotFound, "resourceIds.0"},
		{"a host bringing an incubator's id as a demand", editHost(func(in *events.HostInput) {
			in.Resources = []events.Resource{{Kind: events.DemandResource, ID: 9999}}
		}), catalog.CodeNotFound, "resourceIds.0"},
		{"a host bringing a resource twice", editHost(func(in *events.HostInput) {
			in.Resources = []events.Resource{w.incubator, w.incubator}
		}), catalog.CodeDuplicate, "resourceIds.1"},
		{"a host without capacity", editHost(func(in *events.HostInput) { in.Capacity = 0 }), catalog.CodeOutOfRange, "capacity"},
		{"a host present in slot 0", editHost(func(in *events.HostInput) { in.AvailableSlots = []int{1, 0} }), catalog.CodeOutOfRange, "availableSlots.1"},
		{"a host present in slot 7 of 6", editHost(func(in *events.HostInput) { in.AvailableSlots = []int{7} }), catalog.CodeOutOfRange, "availableSlots.0"},
		{"a host present in no slot", editHost(func(in *events.HostInput) { in.AvailableSlots = []int{} }), catalog.CodeRequired, "availableSlots"},
		{"a host without a name", editHost(func(in *events.HostInput) { in.Name = "" }), catalog.CodeRequired, "name"},

		{"an enterprise that does not exist", part(func(in *events.ParticipantInput) { in.EnterpriseID = 9999 }), catalog.CodeNotFound, "enterpriseId"},
		{"an enterprise ID the API could not read", part(func(in *events.ParticipantInput) { in.EnterpriseID = 0 }), catalog.CodeNotFound, "enterpriseId"},
		{"a dishonest enterprise", part(func(in *events.ParticipantInput) { in.EnterpriseID = w.dishonest }), events.CodeDishonest, "enterpriseId"},
		{"an enterprise taking part already", part(func(in *events.ParticipantInput) { in.EnterpriseID = w.honest[0] }), catalog.CodeDuplicate, "enterpriseId"},
		{"a participant without capacity", part(func(in *events.ParticipantInput) { in.Capacity = 0 }), catalog.CodeOutOfRange, "capacity"},
		{"a participant available in slot 9", part(func(in *events.ParticipantInput) { in.AvailableSlots = []int{2, 9} }), catalog.CodeOutOfRange, "availableSlots.1"},
		{"a host of no event to meet", part(func(in *events.ParticipantInput) { in.MustMeet = []int64{bank, 9999} }), catalog.CodeNotFound, "mustMeet.1"},
		{"a host of no event to avoid", part(func(in *events.ParticipantInput) { in.NeverMeet = []int64{0} }), catalog.CodeNotFound, "neverMeet.0"},
		{"a host both to meet and to avoid", part(func(in *events.ParticipantInput) {
			in.MustMeet, in.NeverMeet = []int64{bank}, []int64{leader, bank}
		}), catalog.CodeInvalid, "neverMeet.1"},
		{"the enterprise's own host to meet", part(func(in *events.ParticipantInput) {
			in.EnterpriseID, in.MustMeet = w.own, []int64{leader}
		}), catalog.CodeInvalid, "mustMeet.0"},

		{"no invitation", func() catalog.Problems { _, p, _ := w.svc.Invite(w.ctx, ev, 0, 2); return p }, catalog.CodeOutOfRange, "count"},
		{"501 invitations", func() catalog.Problems { _, p, _ := w.svc.Invite(w.ctx, ev, 501, 2); return p }, catalog.CodeOutOfRange, "count"},
		{"invitations without capacity", func() catalog.Problems { _, p, _ := w.svc.Invite(w.ctx, ev, 3, 0); return p }, catalog.CodeOutOfRange, "capacity"},
		{"a schedule without time", func() catalog.Problems {
			_, p, _ := w.svc.Schedule(w.ctx, ev, events.ScheduleInput{TimeLimitMs: 0})
			return p
		}, catalog.CodeOutOfRange, "timeLimitMs"},
		{"a schedule of 30.001 s", func() catalog.Problems {
			_, p, _ := w.svc.Schedule(w.ctx, ev, events.ScheduleInput{TimeLimitMs: 30001})
			return p
		}, catalog.CodeOutOfRange, "timeLimitMs"},
		{"removing an enterprise that does not take part", func() catalog.Problems {
			_, p, _ := w.svc.RemoveParticipant(w.ctx, ev, w.honest[4])
			return p
		}, catalog.CodeNotFound, "enterpriseId"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before, err := w.st.MatchmakingEvent(context.Background(), ev.ID)
			if err != nil {
				t.Fatal(err)
			}
			_, total, _, err := w.st.MatchmakingEvents(context.Background(), events.Query{Limit: 0})
			if err != nil {
				t.Fatal(err)
			}
			p := tc.call()
			if len(p) == 0 {
				t.Fatal("accepted")
			}
			found := false
			for _, fe := range p {
				if fe.Code == tc.code && field(fe) == tc.field {
					found = true
				}
				if fe.Message == "" {
					t.Errorf("problem %+v has no message", fe)
				}
			}
			if !found {
				t.Errorf("problems %+v, want %s at %s", p, tc.code, tc.field)
			}
			after, err := w.st.MatchmakingEvent(context.Background(), ev.ID)
			if err != nil {
				t.Fatal(err)
			}
			_, totalAfter, _, err := w.st.MatchmakingEvents(context.Background(), events.Query{Limit: 0})
			if err != nil {
				t.Fatal(err)
			}
			if after.Version != before.Version || totalAfter != total {
				t.Errorf("a refused write wrote: version %d → %d, events %d → %d", before.Version, after.Version, total, totalAfter)
			}
		})
	}

	t.Run("an event without hosts invites nobody and is not scheduled", func(t *testing.T) {
		bare := w.event(t)
		if _, p, _ := w.svc.Invite(w.ctx, bare, 3, 2); len(p) != 1 || p[0].Code != catalog.CodeInvalid || field(p[0]) != "eventId" {
			t.Errorf("invite: %+v", p)
		}
		if _, p, _ := w.svc.Schedule(w.ctx, bare, events.ScheduleInput{TimeLimitMs: 100}); len(p) != 1 || p[0].Code != catalog.CodeInvalid {
			t.Errorf("schedule: %+v", p)
		}
	})
	t.Run("a start read in UTC or Beijing time is on the day", func(t *testing.T) {
		for _, at := range []time.Time{time.Date(2026, 9, 15, 1, 0, 0, 0, time.UTC), time.Date(2026, 9, 14, 23, 30, 0, 0, time.UTC)} {
			in := eventInput
			in.StartsAt = at
			if _, p, err := w.svc.Create(w.ctx, in); err != nil || len(p) > 0 {
				t.Errorf("start %s refused: %v %+v", at, err, p)
			}
		}
	})
	t.Run("available slots come back sorted, each once; omitted is every slot", func(t *testing.T) {
		ev, _ := w.host(t, ev, events.HostInput{Name: "郑州新材料孵化器", Resources: []events.Resource{w.incubator}, Capacity: 3, AvailableSlots: []int{5, 2, 5}})
		if got := ev.Hosts[len(ev.Hosts)-1].AvailableSlots; !slices.Equal(got, []int{2, 5}) {
			t.Errorf("slots %v", got)
		}
		ev = w.participant(t, ev, events.ParticipantInput{EnterpriseID: w.honest[2], Capacity: 1})
		if got := ev.Participant(w.honest[2]).AvailableSlots; !slices.Equal(got, []int{1, 2, 3, 4, 5, 6}) {
			t.Errorf("slots %v", got)
		}
	})
}

func TestProblem(t *testing.T) {
	w := newWorld(t)
	ev := w.event(t)
	ev, bank := w.host(t, ev, events.HostInput{Name: "中原银行", Resources: []events.Resource{w.luoyangLoan, w.loan}, Capacity: 4})
	ev, leader := w.host(t, ev, events.HostInput{Name: leaderName, Resources: []events.Resource{w.demand}, Capacity: 4})
	ev, full := w.host(t, ev, events.HostInput{Name: "满员孵化器", Resources: []events.Resource{w.fullIncubator}, Capacity: 4, AvailableSlots: []int{2, 3}})
	ev, _ = w.host(t, ev, events.HostInput{Name: "郑州新材料孵化器", Resources: []events.Resource{w.incubator}, Capacity: 4})
	ev = w.participant(t, ev, events.ParticipantInput{EnterpriseID: w.honest[0], Capacity: 3, MustMeet: []int64{full}})
	ev = w.participant(t, ev, events.ParticipantInput{EnterpriseID: w.honest[1], Capacity: 3, NeverMeet: []int64{bank}, AvailableSlots: []int{1, 4}})
	ev = w.participant(t, ev, events.ParticipantInput{EnterpriseID: w.own, Capacity: 3})
	ev = w.participant(t, ev, events.ParticipantInput{EnterpriseID: w.off, Capacity: 3})
	_ = leader
	p := w.svc.Problem(ev)
	if p.Slots != 6 || p.Tables != 3 || len(p.Hosts) != 4 || len(p.Participants) != 4 || len(p.Keep) != 0 {
		t.Fatalf("problem %+v", p)
	}
	const bankH, leaderH, fullH, incH = 0, 1, 2, 3
	score := func(pi, h int) (float64, bool) { return p.Score(pi, h) }
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

	t.Run("a meeting scores the best eligible pairing with the host's resources", func(t *testing.T) {
		loan, luoyang := w.pairing(t, w.honest[0], w.loan), w.pairing(t, w.honest[0], w.luoyangLoan)
		if !loan.Eligible || luoyang.Eligible {
			t.Fatalf("fixture: the loan's pairing eligible %v, the Luoyang loan's %v", loan.Eligible, luoyang.Eligible)
		}
		s, ok := score(0, bankH)
		if !ok || !near(s, loan.Score) {
			t.Errorf("Score = %v, %v; want the eligible loan's %v (the Luoyang loan scores %v, ineligible)", s, ok, loan.Score, luoyang.Score)
		}
		d := w.pairing(t, w.honest[0], w.demand)
		if s, ok := score(0, leaderH); !d.Eligible || !ok || !near(s, d.Score) {
			t.Errorf("the chain leader: Score = %v, %v; pairing %v eligible %v", s, ok, d.Score, d.Eligible)
		}
		inc := w.pairing(t, w.honest[0], w.incubator)
		if s, ok := score(0, incH); !ok || !near(s, inc.Score) {
			t.Errorf("the incubator: Score = %v, %v; want %v", s, ok, inc.Score)
		}
	})
	t.Run("an ineligible pairing is no meeting", func(t *testing.T) {
		if d := w.pairing(t, w.off, w.demand); d.Eligible {
			t.Fatal("fixture: the food maker is eligible for the diamond demand")
		}
		if _, ok := score(3, leaderH); ok {
			t.Error("the food maker may meet the chain leader")
		}
		if _, ok := score(1, fullH); ok {
			t.Error("an enterprise that did not ask may meet the full incubator")
		}
	})
	t.Run("a requested meeting is allowed even when no pairing is eligible, with its best score", func(t *testing.T) {
		pr := w.pairing(t, w.honest[0], w.fullIncubator)
		if pr.Eligible {
			t.Fatal("fixture: the full incubator takes the enterprise")
		}
		s, ok := score(0, fullH)
		if !ok || !near(s, pr.Score) {
			t.Errorf("Score = %v, %v; want %v, allowed", s, ok, pr.Score)
		}
		if !slices.Equal(p.Participants[0].MustMeet, []int{fullH}) {
			t.Errorf("MustMeet %v", p.Participants[0].MustMeet)
		}
	})
	t.Run("neverMeet excludes the meeting", func(t *testing.T) {
		if _, ok := score(1, bankH); ok {
			t.Error("the enterprise may meet the host it never meets")
		}
		if !slices.Contains(p.Participants[1].NeverMeet, bankH) {
			t.Errorf("NeverMeet %v", p.Participants[1].NeverMeet)
		}
		if _, ok := score(1, leaderH); !ok {
			t.Error("the enterprise may not meet the chain leader")
		}
	})
	t.Run("a host never meets its own enterprise", func(t *testing.T) {
		if d := w.pairing(t, w.own, w.demand); !d.Eligible {
			t.Fatal("fixture: the chain leader's enterprise is not eligible for its own demand")
		}
		if _, ok := score(2, leaderH); ok {
			t.Error("the chain leader meets itself")
		}
		if !slices.Contains(p.Participants[2].NeverMeet, leaderH) {
			t.Errorf("NeverMeet %v", p.Participants[2].NeverMeet)
		}
	})
	t.Run("availability and capacities", func(t *testing.T) {
		if p.Hosts[bankH].Available != nil || p.Hosts[bankH].Capacity != 4 {
			t.Errorf("bank %+v", p.Hosts[bankH])
		}
		if !slices.Equal(p.Hosts[fullH].Available, []bool{false, true, true, false, false, false}) {
			t.Errorf("full incubator available %v", p.Hosts[fullH].Available)
		}
		if !slices.Equal(p.Participants[1].Available, []bool{true, false, false, true, false, false}) || p.Participants[1].Capacity != 3 {
			t.Errorf("participant %+v", p.Participants[1])
		}
	})
}

func TestInvite(t *testing.T) {
	w := newWorld(t)
	ev := w.event(t)
	ev, _ = w.host(t, ev, events.HostInput{Name: leaderName, Resources: []events.Resource{w.demand}, Capacity: 4})
	ev, _ = w.host(t, ev, events.HostInput{Name: "中原银行", Resources: []events.Resource{w.loan, w.luoyangLoan}, Capacity: 4})
	ev = w.participant(t, ev, events.ParticipantInput{EnterpriseID: w.honest[2], Capacity: 1})

	// The expected order: every honest diamond maker not taking part, by
	// its best eligible score over the hosts' resources, then id.
	value := map[int64]float64{}
	for _, id := range w.honest {
		for _, r := range []events.Resource{w.demand, w.loan, w.luoyangLoan} {
			if pr := w.pairing(t, id, r); pr.Eligible && pr.Score > value[id] {
				value[id] = pr.Score
			}
		}
	}
	var want []int64
	for _, id := range w.honest {
		if id != w.honest[2] {
			want = append(want, id)
		}
	}
	slices.SortFunc(want, func(a, b int64) int {
		if value[a] != value[b] {
			if value[a] > value[b] {
				return -1
			}
			return 1
		}
		return int(a - b)
	})
	if pr := w.pairing(t, w.own, w.demand); !pr.Eligible {
		t.Fatal("fixture: the chain leader's own enterprise is not a candidate")
	}

	got, p, err := w.svc.Invite(w.ctx, ev, 3, 2)
	if err != nil || len(p) > 0 {
		t.Fatal(err, p)
	}
	var ids []int64
	for _, part := range got.Participants[1:] {
		ids = append(ids, part.EnterpriseID)
		if part.Capacity != 2 || !slices.Equal(part.AvailableSlots, []int{1, 2, 3, 4, 5, 6}) || part.MustMeet != nil || part.NeverMeet != nil {
			t.Errorf("invited %+v", part)
		}
	}
	if !slices.Equal(ids, want[:3]) {
		t.Errorf("invited %v, want the three best %v of %v", ids, want[:3], value)
	}

	// Asking for more than there are adds every candidate left, and never
	// the dishonest enterprise, the host's own enterprise or the food
	// maker no host wants.
	got, p, err = w.svc.Invite(w.ctx, got, 50, 1)
	if err != nil || len(p) > 0 {
		t.Fatal(err, p)
	}
	ids = ids[:0]
	for _, part := range got.Participants {
		ids = append(ids, part.EnterpriseID)
	}
	for _, never := range []int64{w.dishonest, w.own, w.off} {
		if slices.Contains(ids, never) {
			t.Errorf("enterprise %d invited: %v", never, ids)
		}
	}
	slices.Sort(ids)
	if !slices.Equal(ids, w.honest) {
		t.Errorf("participants %v, want every honest diamond maker %v", ids, w.honest)
	}

	// Nobody is left: nothing is written.
	again, p, err := w.svc.Invite(w.ctx, got, 5, 1)
	if err != nil || len(p) > 0 || again.Version != got.Version || len(again.Participants) != len(got.Participants) {
		t.Errorf("a third invitation: %v %+v, version %d → %d", err, p, got.Version, again.Version)
	}
}

// checkSchedule verifies a stored schedule against its event, as an
// organiser would read it.
func checkSchedule(t *testing.T, ev *events.Event) {
	t.Helper()
	s := ev.Schedule
	if s == nil {
		t.Fatal("no schedule")
	}
	type key struct{ a, b int64 }
	busy := map[key]bool{}
	tables := map[key]bool{}
	count := map[int64]int{}
	sum := 0.0
	for _, m := range s.Meetings {
		h, p := ev.Host(m.HostID), ev.Participant(m.EnterpriseID)
		if h == nil || p == nil || m.Host != h {
			t.Fatalf("meeting %+v of no host or participant of the event", m)
		}
		for _, k := range []key{{-1, int64(m.Slot)*1e9 + m.HostID}, {-2, int64(m.Slot)*1e9 + m.EnterpriseID}} {
			if busy[k] {
				t.Errorf("double booking in slot %d: %+v", m.Slot, m)
			}
			busy[k] = true
		}
		if tables[key{int64(m.Slot), int64(m.Table)}] || m.Table < 1 || m.Table > ev.Tables {
			t.Errorf("table %d of slot %d taken twice or out of range", m.Table, m.Slot)
		}
		tables[key{int64(m.Slot), int64(m.Table)}] = true
		if !slices.Contains(h.AvailableSlots, m.Slot) || !slices.Contains(p.AvailableSlots, m.Slot) {
			t.Errorf("meeting %+v outside someone's slots", m)
		}
		if slices.Contains(p.NeverMeet, m.HostID) {
			t.Errorf("meeting %+v the enterprise never takes", m)
		}
		count[m.HostID]++
		count[-m.EnterpriseID]++
		sum += m.Score
	}
	for _, h := range ev.Hosts {
		if count[h.ID] > h.Capacity {
			t.Errorf("host %s: %d meetings, capacity %d", h.Name, count[h.ID], h.Capacity)
		}
	}
	for _, p := range ev.Participants {
		if count[-p.EnterpriseID] > p.Capacity {
			t.Errorf("enterprise %d: %d meetings, capacity %d", p.EnterpriseID, count[-p.EnterpriseID], p.Capacity)
		}
	}
	if math.Abs(sum-s.Objective) > 1e-6 || s.Objective > s.UpperBound+1e-6 {
		t.Errorf("objective %v, meetings sum to %v, upper bound %v", s.Objective, sum, s.UpperBound)
	}
}

func TestSchedule(t *testing.T) {
	w := newWorld(t)
	ev := w.event(t)
	ev, bank := w.host(t, ev, events.HostInput{Name: "中原银行", Resources: []events.Resource{w.loan}, Capacity: 3})
	ev, leader := w.host(t, ev, events.HostInput{Name: leaderName, Resources: []events.Resource{w.demand}, Capacity: 3, AvailableSlots: []int{1, 2, 3}})
	ev, full := w.host(t, ev, events.HostInput{Name: "满员孵化器", Resources: []events.Resource{w.fullIncubator}, Capacity: 2})
	ev, _ = w.host(t, ev, events.HostInput{Name: "郑州新材料孵化器", Resources: []events.Resource{w.incubator}, Capacity: 3})
	ev = w.participant(t, ev, events.ParticipantInput{EnterpriseID: w.honest[0], Capacity: 3, MustMeet: []int64{full}, NeverMeet: []int64{bank}})
	ev = w.participant(t, ev, events.ParticipantInput{EnterpriseID: w.honest[1], Capacity: 2, AvailableSlots: []int{4, 5, 6}, MustMeet: []int64{leader}})
	ev, p, err := w.svc.Invite(w.ctx, ev, 3, 2)
	if err != nil || len(p) > 0 {
		t.Fatal(err, p)
	}
	ev, p, err = w.svc.Schedule(w.ctx, ev, events.ScheduleInput{TimeLimitMs: 500})
	if err != nil || len(p) > 0 {
		t.Fatal(err, p)
	}
	checkSchedule(t, ev)
	s := ev.Schedule
	if len(s.Meetings) == 0 {
		t.Fatal("no meeting")
	}
	var placed bool
	for _, m := range s.Meetings {
		if m.EnterpriseID == w.honest[0] && m.HostID == full {
			placed = m.Requested
			if pr, ok := w.svc.Pairing(m); !ok || pr.Eligible || m.Resource != w.fullIncubator {
				t.Errorf("the requested meeting's pairing %+v (%v), resource %+v", pr, ok, m.Resource)
			}
		}
	}
	if !placed {
		t.Errorf("the requested meeting with the full incubator is not placed: %+v", s.Meetings)
	}
	// The second enterprise is there in slots 4–6 only, the chain leader
	// in 1–3: its request is unplaced, and says why.
	notes := w.svc.UnplacedNotes(s)
	want := "郑州金刚石2号科技有限公司 — " + leaderName + "：双方没有共同的空闲时段"
	if !slices.Contains(notes, want) {
		t.Errorf("unplaced %q, want %q among them", notes, want)
	}
	for _, m := range events.Agenda(ev, w.honest[0], 0) {
		if m.EnterpriseID != w.honest[0] {
			t.Errorf("agenda of enterprise %d holds %+v", w.honest[0], m)
		}
	}
	if r := w.svc.Reason(s.Meetings[0]); r == "" {
		t.Error("a meeting without a reason")
	}

	t.Run("a participant leaves and one joins; announced meetings stay", func(t *testing.T) {
		before := map[[2]int64][2]int{}
		leaving := w.honest[0]
		for _, m := range s.Meetings {
			if m.EnterpriseID != leaving {
				before[[2]int64{m.HostID, m.EnterpriseID}] = [2]int{m.Slot, m.Table}
			}
		}
		ev, p, err := w.svc.RemoveParticipant(w.ctx, ev, leaving)
		if err != nil || len(p) > 0 {
			t.Fatal(err, p)
		}
		for _, m := range ev.Schedule.Meetings {
			if m.EnterpriseID == leaving {
				t.Errorf("the leaver's meeting %+v stays", m)
			}
		}
		ev, p, err = w.svc.Invite(w.ctx, ev, 5, 2)
		if err != nil || len(p) > 0 {
			t.Fatal(err, p)
		}
		ev, p, err = w.svc.Schedule(w.ctx, ev, events.ScheduleInput{TimeLimitMs: 500, KeepAnnounced: true})
		if err != nil || len(p) > 0 {
			t.Fatal(err, p)
		}
		checkSchedule(t, ev)
		after := map[[2]int64][2]int{}
		for _, m := range ev.Schedule.Meetings {
			after[[2]int64{m.HostID, m.EnterpriseID}] = [2]int{m.Slot, m.Table}
		}
		for k, at := range before {
			if after[k] != at {
				t.Errorf("meeting %v moved from %v to %v", k, at, after[k])
			}
		}
		ev, p, err = w.svc.Schedule(w.ctx, ev, events.ScheduleInput{TimeLimitMs: 500, KeepAnnounced: false})
		if err != nil || len(p) > 0 {
			t.Fatal(err, p)
		}
		checkSchedule(t, ev)
	})

	t.Run("a write during the search refuses the schedule", func(t *testing.T) {
		stale, err := w.svc.Event(w.ctx, ev.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, p, err := w.svc.AddHost(w.ctx, stale, events.HostInput{Name: "迟到的主办方", Resources: []events.Resource{w.loan}, Capacity: 1}); err != nil || len(p) > 0 {
			t.Fatal(err, p)
		}
		_, p, err := w.svc.Schedule(w.ctx, stale, events.ScheduleInput{TimeLimitMs: 100})
		if err != nil || len(p) != 1 || p[0].Code != events.CodeConflict {
			t.Errorf("scheduling a stale event: %v %+v", err, p)
		}
	})
}

func TestScheduleMatchesTheScheduler(t *testing.T) {
	// The stored schedule is the scheduler's answer to the event's problem,
	// slots and tables from 1.
	w := newWorld(t)
	ev := w.event(t)
	ev, _ = w.host(t, ev, events.HostInput{Name: "中原银行", Resources: []events.Resource{w.loan}, Capacity: 2})
	ev, _ = w.host(t, ev, events.HostInput{Name: leaderName, Resources: []events.Resource{w.demand}, Capacity: 2})
	ev, p, err := w.svc.Invite(w.ctx, ev, 10, 2)
	if err != nil || len(p) > 0 {
		t.Fatal(err, p)
	}
	ev, p, err = w.svc.Schedule(w.ctx, ev, events.ScheduleInput{TimeLimitMs: 500, KeepAnnounced: true})
	if err != nil || len(p) > 0 {
		t.Fatal(err, p)
	}
	prob := w.svc.Problem(ev)
	sched := &scheduling.Schedule{Objective: ev.Schedule.Objective, UpperBound: ev.Schedule.UpperBound}
	index := func(id int64, of func(i int) int64, n int) int {
		for i := range n {
			if of(i) == id {
				return i
			}
		}
		t.Fatalf("id %d not found", id)
		return -1
	}
	for _, m := range ev.Schedule.Meetings {
		sched.Meetings = append(sched.Meetings, scheduling.Meeting{
			Participant: index(m.EnterpriseID, func(i int) int64 { return ev.Participants[i].EnterpriseID }, len(ev.Participants)),
			Host:        index(m.HostID, func(i int) int64 { return ev.Hosts[i].ID }, len(ev.Hosts)),
			Slot:        m.Slot - 1, Table: m.Table - 1, Requested: m.Requested, Score: m.Score})
	}
	if err := scheduling.Check(prob, sched); err != nil {
		t.Error(err)
	}
	if g := scheduling.Greedy(prob); g.Objective > ev.Schedule.Objective+1e-9 {
		t.Errorf("the greedy schedule scores %v, the stored one %v", g.Objective, ev.Schedule.Objective)
	}
}
