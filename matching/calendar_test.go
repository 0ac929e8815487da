package matching

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/yurong/yurong/catalog"
)

func TestRedateMovesTheDayWithoutAWrite(t *testing.T) {
	var now atomic.Pointer[time.Time]
	now.Store(&today)
	cfg := DefaultConfig()
	cfg.Today = func() time.Time { return *now.Load() }
	ent := enterprise(1)
	// Five years old tomorrow: early today, not early tomorrow.
	ent.FoundedOn = date(today.Year()-5, today.Month(), today.Day()+1)
	e := New(cfg)
	e.Rebuild(&catalog.Dataset{Enterprises: []*catalog.Enterprise{ent}})

	if esh, _ := e.EarlySmallHard(1); !esh.Early {
		t.Fatal("an enterprise founded under five years ago is not early")
	}
	if e.Redate() {
		t.Error("Redate moved the engine on the same day")
	}
	tomorrow := today.Add(24 * time.Hour)
	now.Store(&tomorrow)
	// Neither a write nor a rematch moves the date: if one did, Redate
	// would report nothing and the server would keep yesterday's cached
	// answers.
	e.UpsertEnterprise(enterprise(2))
	e.Rebuild(&catalog.Dataset{Enterprises: []*catalog.Enterprise{ent, enterprise(2)}})
	if !e.AsOf().Equal(date(today.Year(), today.Month(), today.Day())) {
		t.Fatalf("a write or a rematch moved the engine to %v", e.AsOf())
	}
	if !e.Redate() {
		t.Fatal("Redate did not move the engine to the next day")
	}
	if got := e.AsOf(); !got.Equal(date(tomorrow.Year(), tomorrow.Month(), tomorrow.Day())) {
		t.Errorf("the engine is dated %v, want %v", got, tomorrow)
	}
	if esh, _ := e.EarlySmallHard(1); esh.Early {
		t.Error("on its fifth anniversary the enterprise is still early")
	}
	if e.Redate() {
		t.Error("Redate moved the engine twice in one day")
	}
}
