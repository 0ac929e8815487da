package matching

import (
	"maps"
	"slices"
)

// Links are the marketplace's relations that move an equity pairing beyond
// what the enterprise and the product say themselves (the action plan's
// tasks 6 and 7): a fund's agreements with incubators (投孵联动) and with
// banks (投贷联动), the incubator an enterprise resides in, the banks it
// borrowed from, and the funds that expressed interest in it (early due
// diligence). Ids are institutions', incubators' and enterprises'.
type Links struct {
	// IncubationPartners: fund → incubators it has an
	// investment–incubation agreement with.
	IncubationPartners map[int64][]int64
	// LoanPartners: fund → banks it has a loan–investment agreement with.
	LoanPartners map[int64][]int64
	// Residents: enterprise → the incubator it resides in.
	Residents map[int64]int64
	// Borrowers: enterprise → the banks it holds a loan from.
	Borrowers map[int64][]int64
	// Interest: enterprise → the funds that expressed interest in it.
	Interest map[int64][]int64
}

// relations are the engine's state that is not the dataset's: the top
// banks (SetTopBanks) and the links (SetLinks). reset keeps them and a
// Rebuild applies them; views read them when they are built.
type relations struct {
	topBanks map[int64]bool
	links    Links
	// The institutions' scoring models (SetScoringModels), by slot, their
	// slots by id, and the products' uses of them.
	models   []*modelView
	modelIdx map[int64]int
	uses     map[int64]ModelUse
}

// normalised returns l with every list sorted and without duplicates, and
// empty entries dropped, so two Links are equal iff they say the same.
func (l Links) normalised() Links {
	lists := func(m map[int64][]int64) map[int64][]int64 {
		out := make(map[int64][]int64, len(m))
		for k, v := range m {
			if len(v) > 0 {
				out[k] = slices.Compact(slices.Sorted(slices.Values(v)))
			}
		}
		return out
	}
	res := make(map[int64]int64, len(l.Residents))
	for k, v := range l.Residents {
		if v != 0 {
			res[k] = v
		}
	}
	return Links{IncubationPartners: lists(l.IncubationPartners), LoanPartners: lists(l.LoanPartners),
		Residents: res, Borrowers: lists(l.Borrowers), Interest: lists(l.Interest)}
}

// SetLinks replaces the links. The enterprises and the products whose
// links changed are rescored as an upsert of them would be (lists, slice
// notes, listeners), and it reports whether anything changed.
func (e *Engine) SetLinks(l Links) bool {
	next := l.normalised()
	changed := false
	e.write(func() []Change {
		old := e.rel.links
		ents := movedKeys(old.Residents, next.Residents, func(a, b int64) bool { return a == b })
		for _, m := range [][2]map[int64][]int64{{old.Borrowers, next.Borrowers}, {old.Interest, next.Interest}} {
			for id := range movedKeys(m[0], m[1], slices.Equal) {
				ents[id] = true
			}
		}
		funds := movedKeys(old.IncubationPartners, next.IncubationPartners, slices.Equal)
		for id := range movedKeys(old.LoanPartners, next.LoanPartners, slices.Equal) {
			funds[id] = true
		}
		e.rel.links = next
		if len(ents) == 0 && len(funds) == 0 {
			return nil
		}
		changed = true
		var changes []Change
		for _, p := range e.prods {
			if funds[p.src.ProviderID] {
				changes = append(changes, e.upsertProduct(p.src)...)
			}
		}
		for _, id := range slices.Sorted(maps.Keys(ents)) {
			if i, ok := e.entIdx[id]; ok {
				changes = append(changes, e.upsertEnterprise(e.ents[i].src)...)
			}
		}
		return dedupeChanges(changes)
	})
	return changed
}

// movedKeys returns the keys whose values differ between a and b.
func movedKeys[V any](a, b map[int64]V, equal func(V, V) bool) map[int64]bool {
	out := map[int64]bool{}
	for k, v := range a {
		if w, ok := b[k]; !ok || !equal(v, w) {
			out[k] = true
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			out[k] = true
		}
	}
	return out
}

// shares reports whether the sorted lists a and b have an element in common.
func shares(a, b []int64) bool {
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			return true
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return false
}
