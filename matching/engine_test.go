package matching

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"sync"
	"testing"

	"github.com/yurong/yurong/catalog"
)

// bruteMatches ranks every pairing of an enterprise by computing each one,
// the way Matches must order them.
func bruteMatches(e *Engine, d *catalog.Dataset, id int64, kinds []catalog.PairingKind, first int, eligibleOnly bool) []Pairing {
	var all []Pairing
	for _, kind := range kinds {
		var ids []int64
		switch kind {
		case catalog.Financing:
			for _, p := range d.Products {
				ids = append(ids, p.ID)
			}
		case catalog.Incubation:
			for _, in := range d.Incubators {
				ids = append(ids, in.ID)
			}
		case catalog.IndustryChain:
			e.mu.RLock()
			v := e.ents[e.entIdx[id]]
			for _, dm := range e.dems {
				if demandCandidate(v, dm, dm.hits(v)) {
					ids = append(ids, dm.id)
				}
			}
			e.mu.RUnlock()
		}
		for _, res := range ids {
			p := mustPairing(e, kind, id, res)
			if p.Eligible || !eligibleOnly {
				all = append(all, p)
			}
		}
	}
	slices.SortStableFunc(all, func(a, b Pairing) int {
		switch {
		case a.Eligible != b.Eligible:
			if a.Eligible {
				return -1
			}
			return 1
		case a.Score != b.Score:
			if a.Score > b.Score {
				return -1
			}
			return 1
		case a.ResourceID != b.ResourceID:
			return int(a.ResourceID - b.ResourceID)
		}
		return slices.Index(catalog.PairingKinds, a.Kind) - slices.Index(catalog.PairingKinds, b.Kind)
	})
	return all[:min(first, len(all))]
}

func sameRanking(a, b []Pairing) error {
	if len(a) != len(b) {
		return fmt.Errorf("%d pairings, want %d", len(a), len(b))
	}
	for i := range a {
		if a[i].Kind != b[i].Kind || a[i].ResourceID != b[i].ResourceID || a[i].EnterpriseID != b[i].EnterpriseID ||
			a[i].Score != b[i].Score || a[i].Eligible != b[i].Eligible {
			return fmt.Errorf("at %d: %s %d/%d %v %v, want %s %d/%d %v %v", i,
				a[i].Kind, a[i].EnterpriseID, a[i].ResourceID, a[i].Score, a[i].Eligible,
				b[i].Kind, b[i].EnterpriseID, b[i].ResourceID, b[i].Score, b[i].Eligible)
		}
	}
	return nil
}

func smallTopConfig() Config {
	cfg := testConfig()
	cfg.TopPerEnterprise = 4
	cfg.TopPerResource = 5
	return cfg
}

func TestMatchesAgreeWithBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	d := randomDataset(rng, 40, 15, 8, 12)
	e := New(smallTopConfig())
	e.Rebuild(d)
	for _, ent := range d.Enterprises {
		for _, eligibleOnly := range []bool{true, false} {
			for _, kind := range catalog.PairingKinds {
				got := e.Matches(ent.ID, &kind, 4, eligibleOnly)
				want := bruteMatches(e, d, ent.ID, []catalog.PairingKind{kind}, 4, eligibleOnly)
				if err := sameRanking(got, want); err != nil {
					t.Fatalf("enterprise %d %s eligibleOnly=%v: %v", ent.ID, kind, eligibleOnly, err)
				}
			}
			got := e.Matches(ent.ID, nil, 6, eligibleOnly)
			// Merged kinds: each kind contributes at most its top 4.
			var want []Pairing
			for _, kind := range catalog.PairingKinds {
				want = append(want, bruteMatches(e, d, ent.ID, []catalog.PairingKind{kind}, 4, eligibleOnly)...)
			}
			slices.SortStableFunc(want, func(a, b Pairing) int { return compareRanked(rankOf(a), rankOf(b)) })
			if err := sameRanking(got, want[:min(6, len(want))]); err != nil {
				t.Fatalf("enterprise %d all kinds eligibleOnly=%v: %v", ent.ID, eligibleOnly, err)
			}
		}
	}
}

func rankOf(p Pairing) ranked {
	k, _ := kindIndex(p.Kind)
	return ranked{entry: newEntry(p.ResourceID, int32(p.Score*100+0.5)), kind: k, eligible: p.Eligible}
}

// bruteCandidates ranks every enterprise for one resource.
func bruteCandidates(e *Engine, d *catalog.Dataset, kind catalog.PairingKind, res int64, first int, eligibleOnly bool) []Pairing {
	var all []Pairing
	for _, ent := range d.Enterprises {
		p := mustPairing(e, kind, ent.ID, res)
		if kind == catalog.IndustryChain {
			e.mu.RLock()
			v, dm := e.ents[e.entIdx[ent.ID]], e.dems[e.resIdx[kIndustryChain][res]]
			ok := demandCandidate(v, dm, dm.hits(v))
			e.mu.RUnlock()
			if !ok {
				continue
			}
		}
		if p.Eligible || !eligibleOnly {
			all = append(all, p)
		}
	}
	slices.SortStableFunc(all, func(a, b Pairing) int {
		return compareRanked(ranked{entry: newEntry(a.EnterpriseID, int32(a.Score*100+0.5)), eligible: a.Eligible},
			ranked{entry: newEntry(b.EnterpriseID, int32(b.Score*100+0.5)), eligible: b.Eligible})
	})
	return all[:min(first, len(all))]
}

func checkCandidates(t *testing.T, e *Engine, d *catalog.Dataset, first int) {
	t.Helper()
	for kind, n := range map[catalog.PairingKind]int{catalog.Financing: len(d.Products), catalog.Incubation: len(d.Incubators), catalog.IndustryChain: len(d.Demands)} {
		for res := int64(1); res <= int64(n); res++ {
			for _, eligibleOnly := range []bool{true, false} {
				got := e.Candidates(kind, res, first, eligibleOnly)
				want := bruteCandidates(e, d, kind, res, first, eligibleOnly)
				if err := sameRanking(got, want); err != nil {
					t.Fatalf("%s %d eligibleOnly=%v: %v", kind, res, eligibleOnly, err)
				}
			}
		}
	}
}

func checkMatches(t *testing.T, e *Engine, d *catalog.Dataset, first int) {
	t.Helper()
	for _, ent := range d.Enterprises {
		for _, eligibleOnly := range []bool{true, false} {
			for _, kind := range catalog.PairingKinds {
				got := e.Matches(ent.ID, &kind, first, eligibleOnly)
				want := bruteMatches(e, d, ent.ID, []catalog.PairingKind{kind}, first, eligibleOnly)
				if err := sameRanking(got, want); err != nil {
					t.Fatalf("enterprise %d %s eligibleOnly=%v: %v", ent.ID, kind, eligibleOnly, err)
				}
			}
		}
	}
}

func TestCandidatesAgreeWithBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	d := randomDataset(rng, 40, 10, 6, 10)
	e := New(smallTopConfig())
	e.Rebuild(d)
	checkCandidates(t, e, d, 5)
}

// TestIncrementalEqualsRebuild applies random writes one at a time and
// checks that the incrementally maintained lists equal those of a fresh
// full rematch of the same data, in both directions.
func TestIncrementalEqualsRebuild(t *testing.T) {
	for _, eager := range []bool{true, false} {
		t.Run(fmt.Sprintf("eager cohort refresh %v", eager), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(11, 12))
			d := randomDataset(rng, 30, 8, 5, 8)
			cfg := smallTopConfig()
			if !eager {
				cfg.EagerCohortLimit = -1
			}
			e := New(cfg)
			e.Rebuild(d)
			var top map[int64]bool
			var links Links
			for step := range 60 {
				switch rng.IntN(6) {
				case 0, 1:
					i := rng.IntN(len(d.Enterprises) + 1)
					if i == len(d.Enterprises) {
						d.Enterprises = append(d.Enterprises, randomEnterprise(rng, int64(i+1)))
					} else {
						d.Enterprises[i] = randomEnterprise(rng, int64(i+1))
					}
					e.UpsertEnterprise(d.Enterprises[i])
				case 2:
					i := rng.IntN(len(d.Products) + 1)
					p := randomProduct(rng, int64(i+1))
					if i == len(d.Products) {
						d.Products = append(d.Products, p)
					} else {
						d.Products[i] = p
					}
					e.UpsertProduct(p)
				case 3:
					i := rng.IntN(len(d.Incubators) + 1)
					in := randomIncubator(rng, int64(i+1))
					if i == len(d.Incubators) {
						d.Incubators = append(d.Incubators, in)
					} else {
						d.Incubators[i] = in
					}
					e.UpsertIncubator(in)
				case 4:
					i := rng.IntN(len(d.Demands) + 1)
					dm := randomDemand(rng, int64(i+1))
					if i == len(d.Demands) {
						d.Demands = append(d.Demands, dm)
					} else {
						d.Demands[i] = dm
					}
					e.UpsertDemand(dm)
				case 5:
					top = randomTopBanks(rng)
					e.SetTopBanks(top)
					links = randomLinks(rng, len(d.Enterprises))
					e.SetLinks(links)
				}
				if step%10 != 9 {
					continue
				}
				fresh := New(cfg)
				fresh.SetTopBanks(top) // before: the Rebuild must apply it
				fresh.SetLinks(links)
				fresh.Rebuild(d)
				for _, ent := range d.Enterprises {
					for _, eligibleOnly := range []bool{true, false} {
						got := e.Matches(ent.ID, nil, 12, eligibleOnly)
						want := fresh.Matches(ent.ID, nil, 12, eligibleOnly)
						if err := sameRanking(got, want); err != nil {
							t.Fatalf("step %d enterprise %d eligibleOnly=%v: %v", step, ent.ID, eligibleOnly, err)
						}
					}
					a, _ := e.InnovationScore(ent.ID)
					b, _ := fresh.InnovationScore(ent.ID)
					if a.Total != b.Total || (eager && (a.Grade != b.Grade || a.Percentile != b.Percentile)) {
						t.Fatalf("step %d enterprise %d: score %+v, rebuild gives %+v", step, ent.ID, a, b)
					}
				}
				if eager {
					checkCandidates(t, e, d, 5)
					for kind, n := range map[catalog.PairingKind]int{catalog.Financing: len(d.Products), catalog.Incubation: len(d.Incubators), catalog.IndustryChain: len(d.Demands)} {
						for res := int64(1); res <= int64(n); res++ {
							if err := sameRanking(e.Candidates(kind, res, 5, false), fresh.Candidates(kind, res, 5, false)); err != nil {
								t.Fatalf("step %d %s %d: %v", step, kind, res, err)
							}
						}
					}
				}
				checkMatches(t, e, d, 4)
			}
		})
	}
}

func TestDishonestEnterprisesAreInNoEligibleList(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	d := randomDataset(rng, 40, 10, 6, 10)
	for i, ent := range d.Enterprises {
		if i%3 == 0 {
			ent.CreditStatus = catalog.CreditDishonest
			ent.HasWarrantLoan = true
		}
	}
	e := New(testConfig())
	e.Rebuild(d)
	dishonest := map[int64]bool{}
	for _, ent := range d.Enterprises {
		if ent.CreditStatus == catalog.CreditDishonest {
			dishonest[ent.ID] = true
			if ms := e.Matches(ent.ID, nil, 100, true); len(ms) != 0 {
				t.Errorf("dishonest %d has %d eligible matches", ent.ID, len(ms))
			}
			plan, _ := e.Plan(ent.ID)
			if len(plan.Items) != 0 || plan.TotalCreditLine != 0 {
				t.Errorf("dishonest %d has a plan: %+v", ent.ID, plan)
			}
		}
	}
	for kind, n := range map[catalog.PairingKind]int{catalog.Financing: 10, catalog.Incubation: 6, catalog.IndustryChain: 10} {
		for res := int64(1); res <= int64(n); res++ {
			for _, p := range e.Candidates(kind, res, 200, true) {
				if dishonest[p.EnterpriseID] {
					t.Errorf("dishonest %d is an eligible candidate of %s %d", p.EnterpriseID, kind, res)
				}
			}
		}
	}
	for _, id := range append(e.EquityProjectList(), e.EarlySmallHardList()...) {
		if dishonest[id] {
			t.Errorf("dishonest %d is listed", id)
		}
	}
}

func TestEquityProjectList(t *testing.T) {
	var ents []*catalog.Enterprise
	for i := range 6 {
		ent := cohortEnterprise(int64(i+1), 5-i) // enterprise 1 scores best
		ent.HasWarrantLoan = i != 2
		ents = append(ents, ent)
	}
	ents[3].CreditStatus = catalog.CreditDishonest
	ents[5] = cohortEnterprise(6, 5) // ties with enterprise 1
	ents[5].HasWarrantLoan = true
	e := engineWith(ents, nil, nil, nil)
	want := []int64{1, 6, 2, 5}
	if got := e.EquityProjectList(); !slices.Equal(got, want) {
		t.Errorf("EquityProjectList = %v, want %v", got, want)
	}
}

func TestMatchesEdgeCases(t *testing.T) {
	e := engineWith([]*catalog.Enterprise{enterprise(1)}, []*catalog.FinancialProduct{product(7, catalog.Loan)}, nil, nil)
	tests := []struct {
		name string
		got  []Pairing
		want int
	}{
		{"unknown enterprise", e.Matches(99, nil, 10, true), 0},
		{"first of zero", e.Matches(1, nil, 0, true), 0},
		{"negative first", e.Matches(1, nil, -3, true), 0},
		{"unknown kind", e.Matches(1, ptr(catalog.PairingKind("NOPE")), 10, true), 0},
		{"unknown resource", e.Candidates(catalog.Financing, 99, 10, true), 0},
		{"one product", e.Matches(1, nil, 10, true), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got == nil || len(tt.got) != tt.want {
				t.Errorf("got %d pairings (nil=%v), want %d", len(tt.got), tt.got == nil, tt.want)
			}
		})
	}
	if _, ok := e.Pairing(catalog.Financing, 1, 99); ok {
		t.Error("pairing with an unknown product")
	}
	if _, ok := e.Plan(99); ok {
		t.Error("plan of an unknown enterprise")
	}
}

func TestEngineKeepsItsOwnCopies(t *testing.T) {
	ent := enterprise(1)
	e := engineWith([]*catalog.Enterprise{ent}, nil, nil, []*catalog.SupplyChainDemand{demand(4, "金刚石")})
	ent.Description, ent.Keywords = "", nil
	if got := mustPairing(e, catalog.IndustryChain, 1, 4); !got.Eligible {
		t.Error("changing the caller's value changed the engine")
	}
}

func TestConcurrentReadsAndWrites(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	d := randomDataset(rng, 50, 10, 6, 10)
	e := New(smallTopConfig())
	e.Rebuild(d)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 17))
			for range 100 {
				id := int64(1 + r.IntN(50))
				switch r.IntN(7) {
				case 0:
					e.UpsertEnterprise(randomEnterprise(r, id))
				case 1:
					e.UpsertProduct(randomProduct(r, int64(1+r.IntN(10))))
				case 2:
					e.Candidates(catalog.Financing, int64(1+r.IntN(10)), 5, false)
				case 3:
					e.InnovationScore(id)
				case 4:
					e.Plan(id)
				case 5:
					e.SetTopBanks(randomTopBanks(r))
				default:
					e.Matches(id, nil, 10, false)
				}
			}
		})
	}
	wg.Wait()
}

// The write path drives the engine through an interface of this shape
// (marketplace.Matcher).
var _ interface {
	Rebuild(d *catalog.Dataset)
	UpsertEnterprise(e *catalog.Enterprise)
	UpsertProduct(p *catalog.FinancialProduct)
	UpsertIncubator(in *catalog.Incubator)
	UpsertDemand(d *catalog.SupplyChainDemand)
} = (*Engine)(nil)

func TestOnPairingsChanged(t *testing.T) {
	cfg := testConfig()
	cfg.EagerCohortLimit = -1
	e := New(cfg)
	e.Rebuild(&catalog.Dataset{Enterprises: []*catalog.Enterprise{enterprise(1), enterprise(2)}})
	var got []Change
	e.OnPairingsChanged(func(cs []Change) {
		// Listeners run outside the lock, so they may read the engine.
		e.Matches(1, nil, 1, true)
		got = append(got, cs...)
	})
	e.UpsertEnterprise(enterprise(1))
	want := []Change{{1, catalog.Financing}, {1, catalog.Incubation}, {1, catalog.IndustryChain}}
	if !slices.Equal(got, want) {
		t.Errorf("enterprise write: %v, want %v", got, want)
	}
	got = nil
	e.UpsertProduct(product(7, catalog.Loan))
	want = []Change{{1, catalog.Financing}, {2, catalog.Financing}}
	if !slices.Equal(got, want) {
		t.Errorf("product write: %v, want %v", got, want)
	}
}

func TestSharedInputsKeepTheCallersValues(t *testing.T) {
	rng := rand.New(rand.NewPCG(29, 29))
	d := randomDataset(rng, 60, 8, 5, 8)
	cfg := smallTopConfig()
	copied := New(cfg)
	copied.Rebuild(d)
	cfg.SharedInputs = true
	shared := New(cfg)
	shared.Rebuild(d)
	for i, v := range shared.ents {
		if src := d.Enterprises[i]; v.src != src && slices.IsSortedFunc(src.Reports, reportsByYear) {
			t.Fatalf("enterprise %d: the engine copied a shared value", src.ID)
		}
	}
	for _, p := range shared.prods {
		if !slices.Contains(d.Products, p.src) {
			t.Fatalf("product %d: the engine copied a shared value", p.id)
		}
	}
	for _, ent := range d.Enterprises {
		if got, want := shared.Matches(ent.ID, nil, 100, false), copied.Matches(ent.ID, nil, 100, false); !reflect.DeepEqual(got, want) {
			t.Fatalf("enterprise %d: shared inputs rank\n%v\nwant\n%v", ent.ID, got, want)
		}
	}
}
