package search

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"testing"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/store"
)

func institution(i int) *catalog.Institution {
	return &catalog.Institution{Name: fmt.Sprintf("银行%d", i), Kind: catalog.Bank, City: catalog.Zhengzhou}
}

func TestCheckpointFollowsTheLog(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, "", dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for i := range 5 {
		must(t, st.CreateInstitution(ctx, institution(i)))
	}
	a := NewCheckpoint(st, "index a")
	evs, err := a.PendingOutbox(ctx, 3)
	if err != nil || len(evs) != 3 {
		t.Fatalf("PendingOutbox(3) = %d events, %v", len(evs), err)
	}
	must(t, a.AckOutbox(ctx, []int64{evs[0].ID, evs[1].ID, evs[2].ID}))

	t.Run("acknowledged entries are passed, the rest pending", func(t *testing.T) {
		rest, err := a.PendingOutbox(ctx, 10)
		if err != nil || len(rest) != 2 || rest[0].ID <= evs[2].ID {
			t.Fatalf("after the acknowledgement: %+v, %v", rest, err)
		}
		if n, _, err := a.OutboxLag(ctx); err != nil || n != 2 {
			t.Errorf("OutboxLag() = %d, %v; want 2", n, err)
		}
	})
	t.Run("another index follows the same log from its own position", func(t *testing.T) {
		b := NewCheckpoint(st, "index b")
		all, err := b.PendingOutbox(ctx, 10)
		if err != nil || len(all) != 5 {
			t.Errorf("a new checkpoint sees %d entries, %v; want 5", len(all), err)
		}
	})
	t.Run("the position survives a restart", func(t *testing.T) {
		again := NewCheckpoint(st, "index a")
		rest, err := again.PendingOutbox(ctx, 10)
		if err != nil || len(rest) != 2 {
			t.Errorf("after a restart: %d entries pending, %v; want 2", len(rest), err)
		}
	})
	t.Run("a reset index starts where it is told", func(t *testing.T) {
		head, _ := st.LogHead(ctx)
		must(t, a.Reset(ctx, head))
		if rest, err := a.PendingOutbox(ctx, 10); err != nil || len(rest) != 0 {
			t.Errorf("after a reset to the head: %d entries pending, %v", len(rest), err)
		}
		must(t, st.CreateInstitution(ctx, institution(9)))
		if rest, _ := a.PendingOutbox(ctx, 10); len(rest) != 1 {
			t.Errorf("a write after the reset: %d entries pending, want 1", len(rest))
		}
	})
}

// Two instances sharing one index (one checkpoint name) take turns: only
// the lease holder sees entries, and the other takes over when it stops.
func TestCheckpointIsSharedOneHolderAtATime(t *testing.T) {
	base := os.Getenv("YURONG_DATABASE_URL")
	if base == "" {
		t.Skip("needs YURONG_DATABASE_URL (set by .ci/run): leases matter only on PostgreSQL")
	}
	ctx := context.Background()
	dbURL := freshPostgresSchema(t, base)
	a, err := store.Open(ctx, dbURL, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	b, err := store.Open(ctx, dbURL, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	for i := range 3 {
		must(t, a.CreateInstitution(ctx, institution(i)))
	}
	ca, cb := NewCheckpoint(a, "shared"), NewCheckpoint(b, "shared")
	evs, err := ca.PendingOutbox(ctx, 2)
	if err != nil || len(evs) != 2 {
		t.Fatalf("the first holder: %d entries, %v", len(evs), err)
	}
	must(t, ca.AckOutbox(ctx, []int64{evs[0].ID, evs[1].ID}))
	if got, err := cb.PendingOutbox(ctx, 10); err != nil || len(got) != 0 {
		t.Fatalf("while a holds the checkpoint b sees %d entries, %v", len(got), err)
	}
	a.Close() // the holder stops
	got, err := cb.PendingOutbox(ctx, 10)
	if err != nil || len(got) != 1 || got[0].ID <= evs[1].ID {
		t.Fatalf("after a stopped b sees %+v, %v; want the one entry a left", got, err)
	}
}

// freshPostgresSchema creates a schema of its own for the test and returns
// base with its search_path set to it.
func freshPostgresSchema(t *testing.T, base string) string {
	t.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("search_test_%d", os.Getpid())
	for i := 0; ; i++ {
		if _, err = admin.Exec("CREATE SCHEMA " + name + fmt.Sprint(i)); err == nil {
			name += fmt.Sprint(i)
			break
		}
		if i > 100 {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + name + " CASCADE")
		admin.Close()
	})
	u, _ := url.Parse(base)
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}
