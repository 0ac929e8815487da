package matching

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/yurong/yurong/catalog"
)

// sliceCopy is what a search index holds of the slice: kept up to date
// only through TakeSliceChanges and SlicePairing, as the indexer does.
type sliceCopy map[PairingKey]Pairing

func (c sliceCopy) follow(e *Engine, full func() sliceCopy) sliceCopy {
	ch := e.TakeSliceChanges()
	if ch.All {
		c = full()
	}
	for _, k := range ch.Pairings {
		if p, ok := e.SlicePairing(k); ok {
			c[k] = p
		} else {
			delete(c, k)
		}
	}
	return c
}

func keyOf(p Pairing) PairingKey {
	return PairingKey{Kind: p.Kind, EnterpriseID: p.EnterpriseID, ResourceID: p.ResourceID}
}

// ids are the entities a test has written, by kind.
type ids struct {
	ents []int64
	res  [kindCount][]int64
}

// publicSlice is the slice as documented: the first PerEnterprise of
// Matches per enterprise and kind, and the first PerResource of
// Candidates per resource, both with ineligible pairings.
func publicSlice(e *Engine, w *ids, s Slice) sliceCopy {
	out := sliceCopy{}
	for _, id := range w.ents {
		for _, kind := range catalog.PairingKinds {
			for _, p := range e.Matches(id, &kind, s.PerEnterprise, false) {
				out[keyOf(p)] = p
			}
		}
	}
	for k, rs := range w.res {
		for _, id := range rs {
			for _, p := range e.Candidates(pairingKinds[k], id, s.PerResource, false) {
				out[keyOf(p)] = p
			}
		}
	}
	return out
}

// listedSlice is the slice read straight from the lists, without the lazy
// refresh Matches does: what a lazy cohort's index follows.
func listedSlice(e *Engine, w *ids) sliceCopy {
	out := sliceCopy{}
	for _, id := range w.ents {
		for _, p := range e.EnterpriseSlice(id) {
			out[keyOf(p)] = p
		}
	}
	return out
}

func diffSlices(got, want sliceCopy) error {
	var msgs []string
	for k, w := range want {
		g, ok := got[k]
		switch {
		case !ok:
			msgs = append(msgs, fmt.Sprintf("missing %v (score %.2f eligible %v)", k, w.Score, w.Eligible))
		case g.Score != w.Score || g.Eligible != w.Eligible || g.GreenChannel != w.GreenChannel:
			msgs = append(msgs, fmt.Sprintf("stale %v: score %.2f eligible %v green %v, want %.2f %v %v", k,
				g.Score, g.Eligible, g.GreenChannel, w.Score, w.Eligible, w.GreenChannel))
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			msgs = append(msgs, fmt.Sprintf("extra %v", k))
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	slices.Sort(msgs)
	return fmt.Errorf("%d differences (%d held, %d in the slice): %v", len(msgs), len(got), len(want), msgs[:min(8, len(msgs))])
}

// TestSliceChangesKeepACopyExact is the engine's side of issue 8: random
// creates and updates of every entity, in random order, with a copy of the
// slice that follows only the noted changes (taken at random moments).
// Once writes stop, the copy is exactly the documented slice: the same
// pairings with the same score, eligibility and green channel.
func TestSliceChangesKeepACopyExact(t *testing.T) {
	for _, lazy := range []bool{false, true} {
		for seed := range uint64(40) {
			t.Run(fmt.Sprintf("lazy=%v/seed=%d", lazy, seed), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(seed, 0x51ce))
				cfg := smallTopConfig()
				if lazy {
					cfg.EagerCohortLimit = -1
				}
				e := New(cfg)
				w := &ids{}
				initial := randomDataset(rng, rng.IntN(12), rng.IntN(4), rng.IntN(3), rng.IntN(4))
				e.Rebuild(initial)
				for _, x := range initial.Enterprises {
					w.ents = append(w.ents, x.ID)
				}
				for _, x := range initial.Products {
					w.res[kFinancing] = append(w.res[kFinancing], x.ID)
				}
				for _, x := range initial.Incubators {
					w.res[kIncubation] = append(w.res[kIncubation], x.ID)
				}
				for _, x := range initial.Demands {
					w.res[kIndustryChain] = append(w.res[kIndustryChain], x.ID)
				}
				s := e.TrackSlice(Slice{PerEnterprise: 1 + rng.IntN(3), PerResource: 1 + rng.IntN(4)})
				want := func() sliceCopy {
					if lazy {
						return listedSlice(e, w)
					}
					return publicSlice(e, w, s)
				}
				held := want()
				steps := 40 + rng.IntN(120)
				for step := range steps {
					switch op := rng.IntN(21); {
					case op < 7: // a new enterprise, or a changed one
						id := int64(len(w.ents) + 1)
						if len(w.ents) > 0 && rng.IntN(2) == 0 {
							id = pickOf(rng, w.ents)
						} else {
							w.ents = append(w.ents, id)
						}
						e.UpsertEnterprise(randomEnterprise(rng, id))
					case op < 17: // a new resource, or a changed one
						k := rng.IntN(kindCount)
						id := int64(len(w.res[k]) + 1)
						if len(w.res[k]) > 0 && rng.IntN(3) == 0 {
							id = pickOf(rng, w.res[k])
						} else {
							w.res[k] = append(w.res[k], id)
						}
						switch k {
						case kFinancing:
							e.UpsertProduct(randomProduct(rng, id))
						case kIncubation:
							e.UpsertIncubator(randomIncubator(rng, id))
						default:
							e.UpsertDemand(randomDemand(rng, id))
						}
					case op < 19: // reads, which refresh lazy enterprises
						if len(w.ents) > 0 {
							e.Matches(pickOf(rng, w.ents), nil, 10, false)
						}
						if len(w.res[kFinancing]) > 0 {
							e.Candidates(catalog.Financing, pickOf(rng, w.res[kFinancing]), 10, false)
						}
					case op < 20: // a new bank evaluation
						e.SetTopBanks(randomTopBanks(rng))
					default: // a full rematch
						e.Rebuild(e.dataset())
					}
					if rng.IntN(4) == 0 {
						held = held.follow(e, want)
					}
					_ = step
				}
				held = held.follow(e, want)
				if err := diffSlices(held, want()); err != nil {
					t.Fatalf("seed %d, slice %+v, %d steps: %v", seed, s, steps, err)
				}
				if !lazy {
					if err := diffSlices(listedSlice(e, w), publicSlice(e, w, s)); err != nil {
						t.Fatalf("seed %d: EnterpriseSlice disagrees with Matches and Candidates: %v", seed, err)
					}
				}
				// Each entity's part, as the indexer reads it for an event.
				for _, id := range w.ents {
					got := sliceCopy{}
					for _, p := range e.EnterpriseSlice(id) {
						got[keyOf(p)] = p
					}
					part := maps.Clone(held)
					maps.DeleteFunc(part, func(k PairingKey, _ Pairing) bool { return k.EnterpriseID != id })
					if err := diffSlices(got, part); err != nil {
						t.Fatalf("seed %d: EnterpriseSlice(%d): %v", seed, id, err)
					}
				}
				for k, rs := range w.res {
					for _, id := range rs {
						got := sliceCopy{}
						for _, p := range e.ResourceSlice(pairingKinds[k], id) {
							got[keyOf(p)] = p
						}
						part := maps.Clone(held)
						maps.DeleteFunc(part, func(x PairingKey, _ Pairing) bool { return x.Kind != pairingKinds[k] || x.ResourceID != id })
						if err := diffSlices(got, part); err != nil {
							t.Fatalf("seed %d: ResourceSlice(%s, %d): %v", seed, pairingKinds[k], id, err)
						}
					}
				}
			})
		}
	}
}

// TestSliceHoldsEveryColumnsEnterprises is the scenario: four
// identical products, then two enterprises. Each product's best 20 holds
// both, so each enterprise's part of the slice is all four products,
// though its own best 3 are three of them.
func TestSliceHoldsEveryColumnsEnterprises(t *testing.T) {
	e := New(testConfig())
	e.Rebuild(&catalog.Dataset{})
	s := e.TrackSlice(Slice{})
	if s != (Slice{PerEnterprise: DefaultSlicePerEnterprise, PerResource: DefaultSlicePerResource}) {
		t.Fatalf("default slice %+v", s)
	}
	for id := range int64(4) {
		e.UpsertProduct(product(id+1, catalog.Loan))
	}
	held := sliceCopy{}.follow(e, nil)
	if len(held) != 0 {
		t.Fatalf("pairings without enterprises: %v", held)
	}
	a, b := enterprise(1), enterprise(2)
	b.City, b.Track = catalog.Luoyang, catalog.Biomedicine
	e.UpsertEnterprise(a)
	held = held.follow(e, nil)
	e.UpsertEnterprise(b)
	held = held.follow(e, nil)
	for _, id := range []int64{1, 2} {
		n := 0
		for k := range held {
			if k.EnterpriseID == id && k.Kind == catalog.Financing {
				n++
			}
		}
		if n != 4 || len(e.Matches(id, ptr(catalog.Financing), 10, false)) != 4 {
			t.Errorf("enterprise %d: %d financing pairings in the slice, want 4", id, n)
		}
	}
	if err := diffSlices(held, publicSlice(e, &ids{ents: []int64{1, 2}, res: [kindCount][]int64{{1, 2, 3, 4}}}, s)); err != nil {
		t.Error(err)
	}
}

// TestSliceRefillsListsEmptiedByWrites drives lists below what the slice
// needs of them: the best enterprises of a product turn dishonest one by
// one, and the best products of every enterprise turn out of reach, until
// a truncated eligible list is empty. The engine must refill the list
// from scratch, and the copy still follows.
func TestSliceRefillsListsEmptiedByWrites(t *testing.T) {
	cfg := testConfig()
	cfg.TopPerEnterprise, cfg.TopPerResource = 1, 1 // keeps 6 per enterprise list, 11 per resource list
	e := New(cfg)
	d := &catalog.Dataset{}
	w := &ids{}
	for id := range int64(20) {
		d.Enterprises = append(d.Enterprises, enterprise(id+1))
		w.ents = append(w.ents, id+1)
	}
	for id := range int64(12) {
		d.Products = append(d.Products, product(id+1, catalog.Loan))
		w.res[kFinancing] = append(w.res[kFinancing], id+1)
	}
	e.Rebuild(d)
	s := e.TrackSlice(Slice{PerEnterprise: 1, PerResource: 1})
	held := publicSlice(e, w, s)
	check := func(what string) {
		t.Helper()
		held = held.follow(e, nil)
		if err := diffSlices(held, publicSlice(e, w, s)); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	for _, ent := range d.Enterprises[:15] {
		bad := *ent
		bad.CreditStatus = catalog.CreditDishonest
		e.UpsertEnterprise(&bad)
		check(fmt.Sprintf("enterprise %d dishonest", ent.ID))
	}
	for _, p := range d.Products[:9] {
		hard := *p
		hard.Eligibility.MinInnovationScore = ptr(1001)
		e.UpsertProduct(&hard)
		check(fmt.Sprintf("product %d out of reach", p.ID))
	}
	for _, id := range []int64{16, 20} {
		if got := e.Matches(id, ptr(catalog.Financing), 1, true); len(got) != 1 || got[0].ResourceID != 10 {
			t.Errorf("enterprise %d's best eligible product: %+v, want product 10", id, got)
		}
	}
}
