package marketplace

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/yurong/yurong/catalog"
)

// The catalogue lists are answered from indexes; their meaning is the
// filter's match, a sort by (key, ID) and Relay's slicing. These tests hold
// the indexed pages to that meaning over random catalogues under random
// updates.

// fakeScores is the engine's innovation totals, as a map.
type fakeScores map[int64]int

func (f fakeScores) InnovationTotal(id int64) (int, bool) {
	t, ok := f[id]
	return t, ok
}

var (
	testNames = []string{"洛阳Alpha科技", "郑州beta材料", "Gamma医药", "开封ALPHA装备", "南阳delta能源", "许昌Beta"}
	testQuals = []catalog.Qualification{catalog.TechSME, catalog.HighTech, catalog.Specialized, catalog.LittleGiant, catalog.Gazelle, catalog.Unicorn}
	baseDay   = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
)

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// some returns a random subset of xs, often empty.
func some[T any](r *rand.Rand, xs []T, maxN int) []T {
	n := r.IntN(maxN + 1)
	var out []T
	for range n {
		out = append(out, pick(r, xs))
	}
	return out
}

// randomEnterprise is a fresh value for id; few distinct names, dates and
// times, so orders have many ties for the ID to break.
func randomEnterprise(r *rand.Rand, id int64) *catalog.Enterprise {
	e := &catalog.Enterprise{
		ID: id, Name: pick(r, testNames) + fmt.Sprint(r.IntN(3)),
		City:           pick(r, catalog.Cities[:6]),
		Track:          pick(r, catalog.Tracks),
		Qualifications: slices.Compact(slices.Sorted(slices.Values(some(r, testQuals, 3)))),
		FoundedOn:      baseDay.AddDate(0, 0, r.IntN(20)),
		UpdatedAt:      baseDay.Add(time.Duration(r.IntN(30)) * time.Second),
	}
	if r.IntN(2) == 0 {
		// Names that begin with the city, as the demo's do: the order
		// by name then correlates with the filter by city.
		e.Name = string(e.City) + e.Name
	}
	switch r.IntN(3) {
	case 1:
		e.Reports = []catalog.AnnualReport{{Year: 2025, Revenue: catalog.Yuan(int64(r.IntN(200)) * 1_000_000)}}
	case 2:
		e.Reports = []catalog.AnnualReport{{Year: 2025, Revenue: catalog.Yuan(1_000)}}
	}
	return e
}

func randomFilter(r *rand.Rand) EnterpriseFilter {
	f := EnterpriseFilter{
		Cities:         some(r, catalog.Cities[:7], 2), // the seventh city holds nobody
		Tracks:         some(r, catalog.Tracks, 2),
		Qualifications: some(r, testQuals, 2),
		Stages:         some(r, catalog.Stages, 1),
	}
	if r.IntN(5) == 0 {
		f.NameContains = pick(r, []string{"alpha", "BETA", "科技", "1"})
	}
	if r.IntN(6) == 0 {
		f.Keep = func(e *catalog.Enterprise) bool { return e.ID%3 != 0 }
	}
	return f
}

// referenceKey is an enterprise's sort key under an order, from its value.
func referenceKey(e *catalog.Enterprise, o Order) sortKey {
	switch o.By {
	case ByName:
		return sortKey{S: e.Name}
	case ByFoundedOn:
		return sortKey{N: e.FoundedOn.Unix()}
	case ByUpdatedAt:
		return sortKey{N: e.UpdatedAt.UnixNano()}
	case ByInnovationScore:
		t, ok := o.Scores.InnovationTotal(e.ID)
		if !ok {
			t = unscored
		}
		return sortKey{N: int64(t)}
	}
	return sortKey{}
}

// referenceList is the brute force: every enterprise, filtered, sorted.
func referenceList(es map[int64]*catalog.Enterprise, f EnterpriseFilter, o Order) []Cursor {
	var out []Cursor
	for id, e := range es {
		if f.match(e) {
			out = append(out, Cursor{referenceKey(e, o), id})
		}
	}
	slices.SortFunc(out, compareCursors)
	if o.Desc {
		slices.Reverse(out)
	}
	return out
}

// referencePage slices list (in the requested order) as Relay does.
func referencePage(list []Cursor, a PageArgs, desc bool) (page []Cursor, hasPrev, hasNext bool) {
	before := func(x, y Cursor) bool { // x comes before y in the list's order
		if desc {
			return compareCursors(x, y) > 0
		}
		return compareCursors(x, y) < 0
	}
	l, h := 0, len(list)
	if a.After != nil {
		l = 0
		for l < len(list) && !before(*a.After, list[l]) {
			l++
		}
	}
	if a.Before != nil {
		h = 0
		for h < len(list) && before(list[h], *a.Before) {
			h++
		}
	}
	// When the cursors cross, the empty page sits at the one it starts from.
	var start, end int
	if a.FromEnd {
		l = min(l, h)
		start, end = max(h-a.Limit, l), h
	} else {
		h = max(h, l)
		start, end = l, min(l+a.Limit, h)
	}
	return list[start:end], start > 0, end < len(list)
}

func randomOrder(r *rand.Rand, scores Scores) Order {
	return Order{By: OrderField(r.IntN(int(ByInnovationScore) + 1)), Desc: r.IntN(2) == 0, Scores: scores}
}

// randomCursor is a cursor of an item of list, or a position no item holds.
func randomCursor(r *rand.Rand, list []Cursor, o Order) *Cursor {
	switch {
	case r.IntN(4) == 0:
		return nil
	case len(list) > 0 && r.IntN(3) > 0:
		c := list[r.IntN(len(list))]
		return &c
	}
	c := Cursor{ID: int64(r.IntN(700))}
	switch o.By {
	case ByName:
		c.Key.S = pick(r, testNames)
	case ByFoundedOn, ByUpdatedAt:
		c.Key.N = baseDay.Add(time.Duration(r.IntN(40)) * time.Second).UnixNano()
		if o.By == ByFoundedOn {
			c.Key.N = baseDay.AddDate(0, 0, r.IntN(25)).Unix()
		}
	case ByInnovationScore:
		c.Key.N = int64(r.IntN(12) - 1)
	}
	return &c
}

func cursorsOf(p Page[catalog.Enterprise]) []Cursor {
	out := make([]Cursor, len(p.Items))
	for i, e := range p.Items {
		out[i] = Cursor{p.Cursors[i].Key, e.ID}
	}
	return out
}

// An indexed page of enterprises is the brute-force filter, sort and slice
// of every enterprise, for random filters, orders, cursors and page sizes,
// while random updates move enterprises between cities, tracks,
// qualifications, stages, names, dates and scores, singly and in batches.
func TestEnterprisePagesEqualTheBruteForce(t *testing.T) {
	for seed := range uint64(4) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 16))
			es := map[int64]*catalog.Enterprise{}
			scores := fakeScores{}
			d := &catalog.Dataset{}
			for id := int64(1); id <= 400; id++ {
				if r.IntN(5) == 0 {
					continue // gaps in the IDs
				}
				e := randomEnterprise(r, id)
				es[id] = e
				d.Enterprises = append(d.Enterprises, e)
			}
			s := &Service{}
			s.newTables(d)
			for round := range 30 {
				// Updates: some single, some as a batch large enough to
				// re-sort the orders; some new IDs.
				var batch []int64
				n := r.IntN(20)
				if round%7 == 3 {
					n = bulkListThreshold + r.IntN(100)
				}
				for range n {
					id := int64(1 + r.IntN(600))
					e := randomEnterprise(r, id)
					es[id] = e
					s.enterprises.set(id, e)
					batch = append(batch, id)
				}
				if round%7 == 3 {
					s.enterprises.listMany(batch)
				} else {
					for _, id := range batch {
						s.enterprises.list(id)
					}
				}
				for id := range es {
					if r.IntN(3) == 0 {
						scores[id] = r.IntN(10) // ties
					} else if r.IntN(20) == 0 {
						delete(scores, id) // unscored
					}
				}
				for range 60 {
					f, o := randomFilter(r), randomOrder(r, scores)
					list := referenceList(es, f, o)
					a := PageArgs{After: randomCursor(r, list, o), Before: randomCursor(r, list, o),
						Limit: r.IntN(25), FromEnd: r.IntN(2) == 0}
					want, wantPrev, wantNext := referencePage(list, a, o.Desc)
					p, err := s.EnterprisePage(f, o, a)
					if err != nil {
						t.Fatal(err)
					}
					got := cursorsOf(p)
					if !slices.Equal(got, want) || p.TotalCount != len(list) || p.HasPrev != wantPrev || p.HasNext != wantNext {
						t.Fatalf("round %d, filter %+v, order %+v, args after %v before %v limit %d fromEnd %v:\n got %v total %d prev %v next %v\nwant %v total %d prev %v next %v",
							round, f, o, a.After, a.Before, a.Limit, a.FromEnd, got, p.TotalCount, p.HasPrev, p.HasNext,
							want, len(list), wantPrev, wantNext)
					}
					for i, e := range p.Items {
						if es[e.ID] != e {
							t.Fatalf("item %d is not the enterprise's current value", i)
						}
					}
				}
			}
			// Paging forwards and backwards through a list visits every
			// item once, in order.
			for range 40 {
				f, o := randomFilter(r), randomOrder(r, scores)
				list := referenceList(es, f, o)
				size := 1 + r.IntN(15)
				var fwd, bwd []Cursor
				var after, before *Cursor
				for {
					p, _ := s.EnterprisePage(f, o, PageArgs{After: after, Limit: size})
					fwd = append(fwd, cursorsOf(p)...)
					if !p.HasNext {
						break
					}
					after = &p.Cursors[len(p.Cursors)-1]
				}
				for {
					p, _ := s.EnterprisePage(f, o, PageArgs{Before: before, Limit: size, FromEnd: true})
					bwd = append(cursorsOf(p), bwd...)
					if !p.HasPrev {
						break
					}
					before = &p.Cursors[0]
				}
				if !slices.Equal(fwd, list) || !slices.Equal(bwd, list) {
					t.Fatalf("filter %+v order %+v page %d:\nforwards  %v\nbackwards %v\nwant      %v", f, o, size, fwd, bwd, list)
				}
			}
		})
	}
}

// The other catalogue lists, in ID order, equal the brute force too.
func TestResourcePagesEqualTheBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 27))
	kinds := []catalog.ProductKind{catalog.Loan, catalog.Equity, catalog.Insurance}
	ikinds := []catalog.IncubatorKind{catalog.SmartIsland, catalog.IncubatorCarrier, catalog.Makerspace}
	dkinds := []catalog.DemandKind{catalog.TechTransfer, catalog.PurchaseOrder, catalog.JointRD, catalog.Supplier}
	chains := []string{"Steel", "steel pipes", "医药", "材料"}
	s := &Service{}
	s.newTables(&catalog.Dataset{})
	ps, ins, ds := map[int64]*catalog.FinancialProduct{}, map[int64]*catalog.Incubator{}, map[int64]*catalog.SupplyChainDemand{}
	for round := range 40 {
		for range 15 {
			id := int64(1 + r.IntN(300))
			p := &catalog.FinancialProduct{ID: id, Kind: pick(r, kinds), Program: pick(r, catalog.Programs[:4]), ProviderID: int64(1 + r.IntN(4))}
			ps[id] = p
			s.products.put(id, p)
			in := &catalog.Incubator{ID: id, Kind: pick(r, ikinds), City: pick(r, catalog.Cities[:4]), FocusTracks: some(r, catalog.Tracks, 2)}
			ins[id] = in
			s.incubators.put(id, in)
			d := &catalog.SupplyChainDemand{ID: id, Kind: pick(r, dkinds), Track: pick(r, catalog.Tracks), City: pick(r, catalog.Cities[:4]), IndustryChain: pick(r, chains)}
			ds[id] = d
			s.demands.put(id, d)
		}
		for range 30 {
			a := PageArgs{Limit: r.IntN(12), FromEnd: r.IntN(2) == 0}
			if r.IntN(2) == 0 {
				a.After = &Cursor{ID: int64(r.IntN(320))}
			}
			if r.IntN(2) == 0 {
				a.Before = &Cursor{ID: int64(r.IntN(320))}
			}
			pf := ProductFilter{Kinds: some(r, kinds, 2), Programs: some(r, catalog.Programs[:5], 2)}
			if r.IntN(2) == 0 {
				pf.ProviderID = int64(1 + r.IntN(5))
			}
			checkIDPage(t, round, "products", ps, pf.match, s.FinancialProductPage(pf, a), a)
			inf := IncubatorFilter{Kinds: some(r, ikinds, 2), Cities: some(r, catalog.Cities[:5], 2), Tracks: some(r, catalog.Tracks, 2)}
			checkIDPage(t, round, "incubators", ins, inf.match, s.IncubatorPage(inf, a), a)
			df := DemandFilter{Kinds: some(r, dkinds, 2), Tracks: some(r, catalog.Tracks, 2), Cities: some(r, catalog.Cities[:5], 2)}
			if r.IntN(3) == 0 {
				df.IndustryChain = pick(r, []string{"STEEL", "pipe", "医"})
			}
			checkIDPage(t, round, "demands", ds, df.match, s.DemandPage(df, a), a)
		}
	}
}

func checkIDPage[T any](t *testing.T, round int, what string, all map[int64]*T, match func(*T) bool, p Page[T], a PageArgs) {
	t.Helper()
	var list []Cursor
	for id, v := range all {
		if match(v) {
			list = append(list, IDCursor(id))
		}
	}
	slices.SortFunc(list, func(x, y Cursor) int { return cmp.Compare(x.ID, y.ID) })
	want, wantPrev, wantNext := referencePage(list, a, false)
	if !slices.Equal(p.Cursors, want) || p.TotalCount != len(list) || p.HasPrev != wantPrev || p.HasNext != wantNext {
		t.Fatalf("round %d, %s after %v before %v limit %d fromEnd %v:\n got %v total %d prev %v next %v\nwant %v total %d prev %v next %v",
			round, what, a.After, a.Before, a.Limit, a.FromEnd, p.Cursors, p.TotalCount, p.HasPrev, p.HasNext, want, len(list), wantPrev, wantNext)
	}
	for i, v := range p.Items {
		if all[p.Cursors[i].ID] != v {
			t.Fatalf("%s: item %d is not the current value of %d", what, i, p.Cursors[i].ID)
		}
	}
}
