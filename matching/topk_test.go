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
			c.push(entry{id: id, score: set[id]})
		}
		l := c.list()
		want := func() []entry {
			var all []entry
			for id, s := range set {
				all = append(all, entry{id: id, score: s})
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
				l.offer(entry{id: id, score: set[id]}, capacity)
			}
			if l.incomplete(k) {
				var c collector
				c.reset(capacity)
				for id, s := range set {
					c.push(entry{id: id, score: s})
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
