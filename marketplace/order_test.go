package marketplace

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/matching"
	"github.com/yurong/yurong/store"
)

// pausedMatcher is the real engine, with a pause in the middle of an
// enterprise's upsert: it says when the upsert has begun and waits for the
// test to let it go on.
type pausedMatcher struct {
	*matching.Engine
	begun, resume chan struct{}
}

func (m *pausedMatcher) UpsertEnterprise(e *catalog.Enterprise) {
	m.begun <- struct{}{}
	<-m.resume
	m.Engine.UpsertEnterprise(e)
}

// UpsertIncubator pauses after the engine has ranked the incubator.
func (m *pausedMatcher) UpsertIncubator(in *catalog.Incubator) {
	m.Engine.UpsertIncubator(in)
	m.begun <- struct{}{}
	<-m.resume
}

// A reader that finds an enterprise in the read model must find its score
// in the engine too: the engine learns of a write before the read model
// shows it, never after.
func TestAnEnterpriseListedIsAlreadyScored(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cfg := matching.DefaultConfig()
	cfg.Today = func() time.Time { return today }
	m := &pausedMatcher{Engine: matching.New(cfg), begun: make(chan struct{}), resume: make(chan struct{})}
	s := New(st, m, cfg.Today)
	if err := s.Load(ctx); err != nil {
		t.Fatal(err)
	}

	created := make(chan error, 1)
	go func() {
		_, p, err := s.CreateEnterprise(ctx, enterprise(1, catalog.Zhengzhou))
		if err == nil && len(p) > 0 {
			err = fmt.Errorf("refused: %v", p)
		}
		created <- err
	}()
	<-m.begun // the write is committed and half applied
	for _, e := range s.Enterprises(EnterpriseFilter{}, 0, 10).Items {
		if _, ok := m.InnovationScore(e.ID); !ok {
			t.Errorf("enterprise %d is listed before the engine scored it", e.ID)
		}
	}
	close(m.resume)
	if err := <-created; err != nil {
		t.Fatal(err)
	}
	p := s.Enterprises(EnterpriseFilter{}, 0, 10)
	if p.TotalCount != 1 {
		t.Fatalf("after the write the read model lists %d enterprises, want 1", p.TotalCount)
	}
	if _, ok := m.InnovationScore(p.Items[0].ID); !ok {
		t.Fatal("after the write the engine does not know the enterprise")
	}
}

// A pairing the engine ranks must name a resource the read model finds:
// the read model finds a new resource by ID before the engine ranks it.
func TestEveryPairingNamesAResourceTheReadModelFinds(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cfg := matching.DefaultConfig()
	cfg.Today = func() time.Time { return today }
	m := &pausedMatcher{Engine: matching.New(cfg), begun: make(chan struct{}), resume: make(chan struct{})}
	s := New(st, m, cfg.Today)
	if err := s.Load(ctx); err != nil {
		t.Fatal(err)
	}
	go func() { <-m.begun; m.resume <- struct{}{} }() // let the enterprise through
	e, _, err := s.CreateEnterprise(ctx, enterprise(1, catalog.Zhengzhou))
	if err != nil {
		t.Fatal(err)
	}

	created := make(chan error, 1)
	go func() {
		_, _, err := s.CreateIncubator(ctx, &catalog.Incubator{Name: "郑州众创空间", Kind: catalog.Makerspace,
			Level: catalog.MunicipalLevel, City: catalog.Zhengzhou, Vacancies: 3})
		created <- err
	}()
	<-m.begun // the engine has ranked the incubator; the write is not done
	kind := catalog.Incubation
	ps := m.Matches(e.ID, &kind, 10, false)
	if len(ps) == 0 {
		t.Fatal("the engine ranked no incubator for the enterprise")
	}
	for _, p := range ps {
		if s.Incubator(p.ResourceID) == nil {
			t.Errorf("the engine pairs the enterprise with incubator %d, which the read model does not find", p.ResourceID)
		}
	}
	close(m.resume)
	if err := <-created; err != nil {
		t.Fatal(err)
	}
}
