package store

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/training"
)

var _ training.Store = (*Store)(nil)

func TestTrainingWaitingList(t *testing.T) {
	forEachBackend(t, func(t *testing.T, loc location) {
		ctx := context.Background()
		s := open(t, loc)
		var people []*Account
		for i := range 4 {
			a := &Account{Name: fmt.Sprintf("学员%d", i), Role: "ENTERPRISE"}
			if err := s.CreateAccount(ctx, a, fmt.Sprintf("hash%d", i)); err != nil {
				t.Fatal(err)
			}
			people = append(people, a)
		}
		ts := &training.Session{Title: "企业融资规划专题培训", Audience: training.EnterpriseLeaders, Topic: training.FinancingPlanning,
			City: catalog.Zhengzhou, HeldOn: date(2026, 6, 20), Capacity: 2, CreatedAt: at(2026, 6, 1, 9, 0)}
		if err := s.CreateTrainingSession(ctx, ts); err != nil {
			t.Fatal(err)
		}
		var regs []*training.Registration
		for _, a := range people[:3] {
			r := &training.Registration{SessionID: ts.ID, AccountID: a.ID, Name: a.Name, CreatedAt: at(2026, 6, 2, 9, 0)}
			if err := s.Register(ctx, r); err != nil {
				t.Fatal(err)
			}
			regs = append(regs, r)
		}
		if regs[0].Status != training.Registered || regs[1].Status != training.Registered || regs[2].Status != training.Waitlisted {
			t.Fatalf("statuses: %s %s %s", regs[0].Status, regs[1].Status, regs[2].Status)
		}
		if err := s.Register(ctx, &training.Registration{SessionID: ts.ID, AccountID: people[0].ID, Name: "x", CreatedAt: at(2026, 6, 2, 9, 0)}); !errors.Is(err, training.ErrRegistered) {
			t.Fatalf("second registration: %v", err)
		}
		if err := s.Register(ctx, &training.Registration{SessionID: 999, AccountID: people[0].ID, Name: "x", CreatedAt: at(2026, 6, 2, 9, 0)}); !errors.Is(err, training.ErrNotFound) {
			t.Fatalf("unknown session: %v", err)
		}
		// A seat freed goes to the first waiting.
		if _, err := s.CancelRegistration(ctx, ts.ID, people[0].ID); err != nil {
			t.Fatal(err)
		}
		rs, _ := s.Registrations(ctx, ts.ID)
		if rs[0].Status != training.Cancelled || rs[2].Status != training.Registered {
			t.Fatalf("after a cancellation: %s %s", rs[0].Status, rs[2].Status)
		}
		// A waiting place cancelled frees nothing; a seat with nobody waiting
		// goes back to the session.
		if _, err := s.CancelRegistration(ctx, ts.ID, people[1].ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.TrainingSession(ctx, ts.ID); got.Taken != 1 {
			t.Fatalf("taken = %d, want 1", got.Taken)
		}
		if _, err := s.CancelRegistration(ctx, ts.ID, people[1].ID); !errors.Is(err, training.ErrNotFound) {
			t.Fatalf("cancelled twice: %v", err)
		}
		if n, err := s.MarkAttended(ctx, ts.ID, []int64{people[2].ID, people[3].ID}); err != nil || n != 1 {
			t.Fatalf("MarkAttended: %d, %v", n, err)
		}
		// Growing the session seats the waiting list in order.
		for _, a := range people[:2] {
			if err := s.Register(ctx, &training.Registration{SessionID: ts.ID, AccountID: a.ID, Name: a.Name, CreatedAt: at(2026, 6, 3, 9, 0)}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.SetTrainingCapacity(ctx, ts.ID, 0); !errors.Is(err, ErrBelowTaken) {
			t.Fatalf("capacity below the seats taken: %v", err)
		}
		grown, err := s.SetTrainingCapacity(ctx, ts.ID, 2)
		if err != nil || grown.Taken != 2 || grown.Capacity != 2 {
			t.Fatalf("SetTrainingCapacity: %+v, %v", grown, err)
		}
		rs, _ = s.Registrations(ctx, ts.ID)
		if rs[3].Status != training.Registered || rs[4].Status != training.Waitlisted {
			t.Fatalf("after growing: %s %s", rs[3].Status, rs[4].Status)
		}
		if _, err := s.SetTrainingCapacity(ctx, 999, 2); !errors.Is(err, training.ErrNotFound) {
			t.Fatalf("unknown session: %v", err)
		}
		reach, err := s.TrainingReach(ctx, 2026)
		if err != nil || len(reach) != 1 || reach[0] != (training.Reach{Audience: training.EnterpriseLeaders, City: catalog.Zhengzhou, Sessions: 1, People: 1}) {
			t.Fatalf("TrainingReach: %+v, %v", reach, err)
		}
		if reach, _ = s.TrainingReach(ctx, 2025); len(reach) != 0 {
			t.Fatalf("reach of 2025: %+v", reach)
		}
	})
}
