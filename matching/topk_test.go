package matching

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestTopListsKeepTheBest checks the collector and the incrementally
// maintained topList against a sort of the whole set, under random offers,
// score changes and removals.
func TestTopListsKeepTheBest(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	for trial := range 200 {
		const k, capacity = 5, 8
		set := map[int64]int32{}
		var c collector
		c.reset(capacity)
		for range rng.IntN(60) {
			id := int64(rng.IntN(40))
			if _, dup := set[id]; dup {
				continue
			}
			set[id] = int32(rng.IntN(6))
			c.push(newEntry(id, set[id]))
		}
		l := c.list()
		want := func() []entry {
			var all []entry
			for id, s := range set {
				all = append(all, newEntry(id, s))
			}
			slices.SortFunc(all, compareEntries)
			return all
		}
		if w := want(); !slices.Equal(l.items, w[:min(capacity, len(w))]) {
			t.Fatalf("trial %d: collector kept %v, want %v", trial, l.items, w[:min(capacity, len(w))])
		}
		for step := range 100 {
			id := int64(rng.IntN(40))
			l.remove(id)
			if rng.IntN(4) == 0 {
				delete(set, id)
			} else {
				set[id] = int32(rng.IntN(6))
				l.offer(newEntry(id, set[id]), capacity)
			}
			if l.incomplete(k) {
				var c collector
				c.reset(capacity)
				for id, s := range set {
					c.push(newEntry(id, s))
				}
				l = c.list()
			}
			w := want()
			n := min(k, len(w))
			if len(l.items) < n || !slices.Equal(l.items[:n], w[:n]) {
				t.Fatalf("trial %d step %d: list %v, want top %v", trial, step, l.items, w[:n])
			}
		}
	}
}

func TestEntryPacksIDAndScore(t *testing.T) {
	ids := []int64{0, 1, 2, 1 << 31, 1<<idBits - 1}
	scores := []int32{0, 1, 4999, maxCenti - 1, maxCenti}
	var all []entry
	for _, id := range ids {
		for _, s := range scores {
			x := newEntry(id, s)
			if x.id() != id || x.score() != s {
				t.Fatalf("newEntry(%d, %d) unpacks to (%d, %d)", id, s, x.id(), x.score())
			}
			all = append(all, x)
		}
	}
	for _, a := range all {
		for _, b := range all {
			want := a.score() > b.score() || (a.score() == b.score() && a.id() < b.id())
			if better(a, b) != want {
				t.Errorf("better((%d, %d), (%d, %d)) = %v", a.id(), a.score(), b.id(), b.score(), !want)
			}
		}
	}
	for _, id := range []int64{-1, 1 << idBits} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("newEntry(%d, 0) did not panic", id)
				}
			}()
			newEntry(id, 0)
		}()
	}
}
