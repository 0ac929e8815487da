package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/events"
)

// eventFixture is a store with three enterprises and one event of two
// hosts, written under an actor so every write is audited.
type eventFixture struct {
	s    *Store
	ctx  context.Context
	ents []*catalog.Enterprise
	ev   *events.Event
}

func newEventFixture(t *testing.T, loc location) *eventFixture {
	t.Helper()
	s := open(t, loc)
	ctx := WithActor(context.Background(), Actor{Action: "test"})
	f := &eventFixture{s: s, ctx: ctx}
	for i := range 3 {
		e := fullEnterprise(2000 + i)
		if err := s.CreateEnterprise(ctx, e); err != nil {
			t.Fatal(err)
		}
		f.ents = append(f.ents, e)
	}
	f.ev = &events.Event{Name: "2026 新材料产业链专场对接会", Track: catalog.NewMaterials, IndustryChain: ptr("超硬材料"),
		City: catalog.Zhengzhou, Date: date(2026, 9, 15), Slots: 6, SlotMinutes: 20,
		StartsAt: time.Date(2026, 9, 15, 1, 30, 0, 0, time.UTC), Tables: 3, CreatedBy: 7}
	if err := s.CreateEvent(ctx, f.ev); err != nil {
		t.Fatal(err)
	}
	return f
}

// read reads the fixture's event back, failing the test on an error.
func (f *eventFixture) read(t *testing.T) *events.Event {
	t.Helper()
	ev, err := f.s.MatchmakingEvent(context.Background(), f.ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// audited is the number of audit entries about the fixture's event.
func (f *eventFixture) audited(t *testing.T) int {
	t.Helper()
	_, n, err := f.s.AuditLog(context.Background(), AuditFilter{SubjectType: "MatchmakingEvent", SubjectID: f.ev.ID}, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestMatchmakingEventRoundTrip(t *testing.T) {
	forEachBackend(t, func(t *testing.T, loc location) {
		f := newEventFixture(t, loc)
		s, ctx := f.s, f.ctx
		want := *f.ev
		if want.ID == 0 || want.CreatedAt.IsZero() || want.Version != 1 {
			t.Fatalf("ID, CreatedAt and Version not set: %+v", want)
		}
		mustEqual(t, "the new event", f.read(t), &want)
		if n := f.audited(t); n != 1 {
			t.Errorf("%d audit entries after creating, want 1", n)
		}

		bank := &events.Host{Name: "中原银行", Capacity: 4, AvailableSlots: []int{1, 2, 3, 4, 5, 6},
			Resources: []events.Resource{{Kind: events.ProductResource, ID: 12}, {Kind: events.ProductResource, ID: 3}}}
		leader := &events.Host{Name: "黄河旋风", Capacity: 2, AvailableSlots: []int{2, 4},
			Resources: []events.Resource{{Kind: events.DemandResource, ID: 8}, {Kind: events.IncubatorResource, ID: 1}}}
		for _, h := range []*events.Host{bank, leader} {
			if err := s.AddEventHost(ctx, f.ev.ID, h); err != nil {
				t.Fatal(err)
			}
			if h.ID == 0 {
				t.Fatal("host ID not set")
			}
		}
		parts := []*events.Participant{
			{EnterpriseID: f.ents[0].ID, Capacity: 3, AvailableSlots: []int{1, 2, 3, 4, 5, 6}, MustMeet: []int64{leader.ID}},
			{EnterpriseID: f.ents[1].ID, Capacity: 1, AvailableSlots: []int{5}, NeverMeet: []int64{bank.ID}},
		}
		if err := s.AddEventParticipants(ctx, f.ev.ID, parts); err != nil {
			t.Fatal(err)
		}
		want.Hosts, want.Participants, want.Version = []*events.Host{bank, leader}, parts, 4
		mustEqual(t, "the event with hosts and participants", f.read(t), &want)

		sched := &events.Schedule{
			Meetings: []events.Meeting{
				{Slot: 2, Table: 1, HostID: leader.ID, EnterpriseID: f.ents[0].ID, Score: 81.35, Requested: true,
					Resource: events.Resource{Kind: events.DemandResource, ID: 8}},
				{Slot: 2, Table: 2, HostID: bank.ID, EnterpriseID: f.ents[1].ID, Score: 34.4,
					Resource: events.Resource{Kind: events.ProductResource, ID: 3}},
				{Slot: 3, Table: 1, HostID: bank.ID, EnterpriseID: f.ents[0].ID, Score: 12.5,
					Resource: events.Resource{Kind: events.ProductResource, ID: 12}},
			},
			Objective: 128.25, UpperBound: 130, ElapsedMs: 17, ComputedAt: time.Date(2026, 9, 1, 8, 0, 0, 123456000, time.UTC),
			Unplaced: []events.Unplaced{{EnterpriseID: f.ents[1].ID, HostID: leader.ID, Reason: "双方没有共同的空闲时段"}},
		}
		if err := s.SaveSchedule(ctx, f.ev.ID, 4, sched); err != nil {
			t.Fatal(err)
		}
		got := f.read(t)
		wantSched := *sched
		wantSched.Meetings = append([]events.Meeting(nil), sched.Meetings...)
		for i := range wantSched.Meetings {
			wantSched.Meetings[i].Host = got.Host(wantSched.Meetings[i].HostID)
		}
		wantSched.Unplaced = []events.Unplaced{{EnterpriseID: f.ents[1].ID, HostID: leader.ID, Reason: "双方没有共同的空闲时段", Host: got.Host(leader.ID)}}
		want.Schedule, want.Version = &wantSched, 5
		mustEqual(t, "the scheduled event", got, &want)
		if got.Schedule.Meetings[0].Host == nil || got.Schedule.Meetings[0].Host.Name != "黄河旋风" {
			t.Errorf("a meeting's host is %+v", got.Schedule.Meetings[0].Host)
		}

		// Removing the second enterprise drops its meeting and its
		// unplaced request; the rest of the day stays.
		if err := s.RemoveEventParticipant(ctx, f.ev.ID, f.ents[1].ID); err != nil {
			t.Fatal(err)
		}
		got = f.read(t)
		if len(got.Participants) != 1 || got.Participants[0].EnterpriseID != f.ents[0].ID {
			t.Errorf("participants after the removal: %+v", got.Participants)
		}
		if s := got.Schedule; len(s.Meetings) != 2 || s.Meetings[0].EnterpriseID != f.ents[0].ID || s.Meetings[1].EnterpriseID != f.ents[0].ID ||
			s.Meetings[0].Slot != 2 || s.Meetings[0].Table != 1 || s.Meetings[1].Slot != 3 || s.Meetings[1].Table != 1 {
			t.Errorf("meetings after the removal: %+v", s.Meetings)
		}
		if s := got.Schedule; len(s.Unplaced) != 0 || s.Objective < 93.849 || s.Objective > 93.851 || s.UpperBound != 130 {
			t.Errorf("schedule after the removal: objective %v, bound %v, unplaced %+v", s.Objective, s.UpperBound, s.Unplaced)
		}
		if got.Version != 6 {
			t.Errorf("version %d, want 6", got.Version)
		}
		if n := f.audited(t); n != 6 {
			t.Errorf("%d audit entries after six writes, want 6", n)
		}

		// A schedule with no meetings and no unplaced requests.
		if err := s.SaveSchedule(ctx, f.ev.ID, 6, &events.Schedule{UpperBound: 0, ComputedAt: time.Date(2026, 9, 2, 0, 0, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}
		if got := f.read(t).Schedule; got == nil || len(got.Meetings) != 0 || len(got.Unplaced) != 0 || got.Objective != 0 {
			t.Errorf("an empty schedule reads back as %+v", got)
		}
	})
}

func TestMatchmakingEventsList(t *testing.T) {
	forEachBackend(t, func(t *testing.T, loc location) {
		f := newEventFixture(t, loc)
		s, ctx := f.s, f.ctx
		mk := func(track catalog.Track, city catalog.City) *events.Event {
			e := &events.Event{Name: "专场", Track: track, City: city, Date: date(2026, 10, 1), Slots: 4, SlotMinutes: 15,
				StartsAt: time.Date(2026, 10, 1, 1, 0, 0, 0, time.UTC), Tables: 2}
			if err := s.CreateEvent(ctx, e); err != nil {
				t.Fatal(err)
			}
			return e
		}
		bio := mk(catalog.Biomedicine, catalog.Luoyang)
		mat := mk(catalog.NewMaterials, catalog.Luoyang)
		if err := s.AddEventHost(ctx, mat.ID, &events.Host{Name: "洛阳钼业", Capacity: 1, AvailableSlots: []int{1},
			Resources: []events.Resource{{Kind: events.DemandResource, ID: 2}}}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name  string
			q     events.Query
			want  []int64
			total int
			next  bool
		}{
			{"all", events.Query{Limit: 10}, []int64{f.ev.ID, bio.ID, mat.ID}, 3, false},
			{"a first page", events.Query{Limit: 2}, []int64{f.ev.ID, bio.ID}, 3, true},
			{"the page after", events.Query{Limit: 2, AfterID: bio.ID}, []int64{mat.ID}, 3, false},
			{"an empty page", events.Query{Limit: 0}, nil, 3, true},
			{"by track", events.Query{Limit: 10, Track: catalog.NewMaterials}, []int64{f.ev.ID, mat.ID}, 2, false},
			{"by city", events.Query{Limit: 10, City: catalog.Luoyang}, []int64{bio.ID, mat.ID}, 2, false},
			{"by track and city", events.Query{Limit: 10, Track: catalog.NewMaterials, City: catalog.Luoyang}, []int64{mat.ID}, 1, false},
		} {
			t.Run(tc.name, func(t *testing.T) {
				evs, total, next, err := s.MatchmakingEvents(context.Background(), tc.q)
				if err != nil {
					t.Fatal(err)
				}
				var ids []int64
				for _, e := range evs {
					ids = append(ids, e.ID)
				}
				mustEqual(t, "ids", ids, tc.want)
				if total != tc.total || next != tc.next {
					t.Errorf("total %d, hasNext %v; want %d, %v", total, next, tc.total, tc.next)
				}
				for _, e := range evs {
					if e.ID == mat.ID && (len(e.Hosts) != 1 || e.Hosts[0].Name != "洛阳钼业" || len(e.Hosts[0].Resources) != 1) {
						t.Errorf("a listed event's hosts: %+v", e.Hosts)
					}
				}
			})
		}
	})
}

func TestMatchmakingEventFailedWritesWriteNothing(t *testing.T) {
	forEachBackend(t, func(t *testing.T, loc location) {
		f := newEventFixture(t, loc)
		s, ctx := f.s, f.ctx
		host := &events.Host{Name: "中原银行", Capacity: 4, AvailableSlots: []int{1, 2, 3},
			Resources: []events.Resource{{Kind: events.ProductResource, ID: 1}}}
		other := &events.Host{Name: "郑州三磨所", Capacity: 4, AvailableSlots: []int{1, 2, 3},
			Resources: []events.Resource{{Kind: events.DemandResource, ID: 1}}}
		for _, h := range []*events.Host{host, other} {
			if err := s.AddEventHost(ctx, f.ev.ID, h); err != nil {
				t.Fatal(err)
			}
		}
		part := func(i int) *events.Participant {
			return &events.Participant{EnterpriseID: f.ents[i].ID, Capacity: 2, AvailableSlots: []int{1, 2, 3}}
		}
		if err := s.AddEventParticipants(ctx, f.ev.ID, []*events.Participant{part(0), part(1)}); err != nil {
			t.Fatal(err)
		}
		meeting := func(slot, table int, ent int) events.Meeting {
			return events.Meeting{Slot: slot, Table: table, HostID: host.ID, EnterpriseID: f.ents[ent].ID, Score: 10,
				Resource: events.Resource{Kind: events.ProductResource, ID: 1}}
		}
		version := f.read(t).Version
		if err := s.SaveSchedule(ctx, f.ev.ID, version, &events.Schedule{Meetings: []events.Meeting{meeting(1, 1, 0)}, Objective: 10, UpperBound: 20}); err != nil {
			t.Fatal(err)
		}
		before, auditBefore := f.read(t), f.audited(t)

		cases := []struct {
			name  string
			write func() error
			is    []error
		}{
			{"a participant already taking part, with a new one", func() error {
				return s.AddEventParticipants(ctx, f.ev.ID, []*events.Participant{part(2), part(0)})
			}, []error{events.ErrDuplicate}},
			{"the same enterprise twice at once", func() error {
				return s.AddEventParticipants(ctx, f.ev.ID, []*events.Participant{part(2), part(2)})
			}, []error{events.ErrDuplicate}},
			{"an enterprise the store does not hold", func() error {
				return s.AddEventParticipants(ctx, f.ev.ID, []*events.Participant{{EnterpriseID: 999999, Capacity: 1, AvailableSlots: []int{1}}})
			}, []error{ErrNotFound}},
			{"a participant to a missing event", func() error {
				return s.AddEventParticipants(ctx, 999999, []*events.Participant{part(2)})
			}, []error{events.ErrNoEvent, ErrNotFound}},
			{"a host to a missing event", func() error {
				return s.AddEventHost(ctx, 999999, &events.Host{Name: "x", Capacity: 1, AvailableSlots: []int{1}})
			}, []error{events.ErrNoEvent, ErrNotFound}},
			{"a host with a resource twice", func() error {
				return s.AddEventHost(ctx, f.ev.ID, &events.Host{Name: "x", Capacity: 1, AvailableSlots: []int{1},
					Resources: []events.Resource{{Kind: events.DemandResource, ID: 1}, {Kind: events.DemandResource, ID: 1}}})
			}, nil},
			{"removing an enterprise that does not take part", func() error {
				return s.RemoveEventParticipant(ctx, f.ev.ID, f.ents[2].ID)
			}, []error{events.ErrNotParticipant}},
			{"a schedule computed from an older version", func() error {
				return s.SaveSchedule(ctx, f.ev.ID, version, &events.Schedule{Meetings: []events.Meeting{meeting(2, 1, 1)}})
			}, []error{events.ErrConflict}},
			{"a schedule of a missing event", func() error {
				return s.SaveSchedule(ctx, 999999, 1, &events.Schedule{})
			}, []error{events.ErrNoEvent, ErrNotFound}},
			{"a schedule with the host twice in a slot", func() error {
				return s.SaveSchedule(ctx, f.ev.ID, before.Version, &events.Schedule{Meetings: []events.Meeting{meeting(1, 1, 0), meeting(1, 2, 1)}})
			}, nil},
			{"a schedule with an enterprise twice in a slot", func() error {
				m := meeting(1, 2, 0)
				m.HostID = other.ID
				return s.SaveSchedule(ctx, f.ev.ID, before.Version, &events.Schedule{Meetings: []events.Meeting{meeting(1, 1, 0), m}})
			}, nil},
			{"a schedule naming a host of no event", func() error {
				m := meeting(2, 1, 1)
				m.HostID = other.ID + 1000
				return s.SaveSchedule(ctx, f.ev.ID, before.Version, &events.Schedule{Meetings: []events.Meeting{m}})
			}, nil},
			{"a schedule with two meetings at one table", func() error {
				m := meeting(1, 1, 1)
				m.HostID = other.ID
				return s.SaveSchedule(ctx, f.ev.ID, before.Version, &events.Schedule{Meetings: []events.Meeting{meeting(1, 1, 0), m}})
			}, nil},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				err := tc.write()
				if err == nil {
					t.Fatal("the write went through")
				}
				for _, target := range tc.is {
					if !errors.Is(err, target) {
						t.Errorf("error %v does not match %v", err, target)
					}
				}
				mustEqual(t, "the event after a failed write", f.read(t), before)
				if n := f.audited(t); n != auditBefore {
					t.Errorf("%d audit entries, want %d", n, auditBefore)
				}
			})
		}
		if _, err := s.MatchmakingEvent(context.Background(), 999999); !errors.Is(err, events.ErrNoEvent) || !errors.Is(err, ErrNotFound) {
			t.Errorf("reading a missing event: %v", err)
		}
	})
}
