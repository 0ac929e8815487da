package matching

import (
	"cmp"
	"slices"
	"sync"
	"testing"

	"github.com/yurong/yurong/catalog"
)

// The banks of the tests: topBank is put in the top quarter, otherBank never.
const (
	topBank   = int64(41)
	otherBank = int64(42)
)

const topBankMessage = "科技贷合作银行考核位列前四分之一，优先支持早小硬企业 +3"

// earlyEnterprise is enterprise(id) founded three years ago: small and hard
// already, so on the early-small-hard list.
func earlyEnterprise(id int64) *catalog.Enterprise {
	e := enterprise(id)
	e.FoundedOn = date(2023, 3, 1)
	return e
}

func bankProduct(id int64, kind catalog.ProductKind, provider int64) *catalog.FinancialProduct {
	p := product(id, kind)
	p.ProviderID = provider
	return p
}

// resourceIDs and enterpriseIDs give the order of a list of pairings.
func resourceIDs(ps []Pairing) []int64 {
	out := make([]int64, len(ps))
	for i, p := range ps {
		out[i] = p.ResourceID
	}
	return out
}

func enterpriseIDs(ps []Pairing) []int64 {
	out := make([]int64, len(ps))
	for i, p := range ps {
		out[i] = p.EnterpriseID
	}
	return out
}

// TestTopBankBonus pairs one enterprise with two products identical but for
// their provider, one of them a top bank.
func TestTopBankBonus(t *testing.T) {
	dishonest := earlyEnterprise(1)
	dishonest.CreditStatus = catalog.CreditDishonest
	tests := []struct {
		name   string
		ent    *catalog.Enterprise
		kind   catalog.ProductKind
		listed bool
	}{
		{"early-small-hard enterprise, loan", earlyEnterprise(1), catalog.Loan, true},
		{"early-small-hard enterprise, equity", earlyEnterprise(1), catalog.Equity, true},
		{"early-small-hard enterprise, insurance", earlyEnterprise(1), catalog.Insurance, true},
		{"enterprise not on the list", enterprise(1), catalog.Loan, false},
		{"dishonest enterprise meeting the criteria", dishonest, catalog.Loan, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := engineWith([]*catalog.Enterprise{tt.ent},
				[]*catalog.FinancialProduct{bankProduct(7, tt.kind, topBank), bankProduct(8, tt.kind, otherBank)}, nil, nil)
			if f, _ := e.EarlySmallHard(1); f.Listed != tt.listed {
				t.Fatalf("fixture: listed %v, want %v", f.Listed, tt.listed)
			}
			if !e.SetTopBanks(map[int64]bool{topBank: true}) {
				t.Fatal("setting the first top bank reported no change")
			}
			top, plain := mustPairing(e, catalog.Financing, 1, 7), mustPairing(e, catalog.Financing, 1, 8)
			bonus := 0.0
			if tt.listed {
				bonus = e.Config().TopBankBonus
			}
			if top.Score >= 100 {
				t.Fatalf("fixture: score %v is clamped", top.Score)
			}
			if top.Score-plain.Score != bonus {
				t.Errorf("top bank scores %v, other bank %v: difference want %v", top.Score, plain.Score, bonus)
			}
			if top.Score != sumContributions(top) {
				t.Errorf("score %v is not the sum of its reasons %+v", top.Score, top.Reasons)
			}
			r := reasonOf(top, "top_bank")
			if (r != nil) != tt.listed {
				t.Fatalf("top_bank reason %v, want %v: %+v", r != nil, tt.listed, top.Reasons)
			}
			if r != nil && (r.Contribution != bonus || r.Message != topBankMessage || r.Public != r.Message) {
				t.Errorf("reason %+v, want %v %q public as it stands", *r, bonus, topBankMessage)
			}
			if reasonOf(plain, "top_bank") != nil {
				t.Errorf("the other bank's product has the reason: %+v", plain.Reasons)
			}
			if top.Eligible != plain.Eligible || !slices.Equal(top.Blockers, plain.Blockers) ||
				!slices.Equal(top.PublicBlockers, plain.PublicBlockers) {
				t.Errorf("eligibility moved: %v %q, other bank %v %q", top.Eligible, top.Blockers, plain.Eligible, plain.Blockers)
			}
		})
	}
}

// topBankMarket: enterprise 1 is not on the early-small-hard list, 2 is
// (otherwise identical, so they tie for the insurance product); loans 7 and
// 8 tie for both, 8 and the insurance 9 are of the top bank.
func topBankMarket() *catalog.Dataset {
	return &catalog.Dataset{
		Enterprises: []*catalog.Enterprise{enterprise(1), earlyEnterprise(2)},
		Products: []*catalog.FinancialProduct{bankProduct(7, catalog.Loan, otherBank), bankProduct(8, catalog.Loan, topBank),
			bankProduct(9, catalog.Insurance, topBank)},
	}
}

func TestSetTopBanks(t *testing.T) {
	financing := catalog.Financing
	top := map[int64]bool{topBank: true}
	tests := []struct {
		name string
		run  func(t *testing.T, e *Engine, changes func() []Change)
	}{
		{"the same set returns false and notifies no one", func(t *testing.T, e *Engine, changes func() []Change) {
			if e.SetTopBanks(nil) || e.SetTopBanks(map[int64]bool{topBank: false}) {
				t.Error("an empty set replacing none reported a change")
			}
			if !e.SetTopBanks(top) {
				t.Fatal("a new set reported no change")
			}
			changes()
			before := e.Digest()
			if e.SetTopBanks(map[int64]bool{topBank: true, otherBank: false}) {
				t.Error("the same set reported a change")
			}
			if got := changes(); len(got) != 0 || e.Digest() != before {
				t.Errorf("the same set notified %v", got)
			}
		}},
		{"a changed set notifies what an upsert of its products would", func(t *testing.T, e *Engine, changes func() []Change) {
			e.SetTopBanks(top)
			got := changes()
			twin := engineWith(topBankMarket().Enterprises, topBankMarket().Products, nil, nil)
			var want []Change
			twin.OnPairingsChanged(func(cs []Change) { want = append(want, cs...) })
			twin.UpsertProduct(bankProduct(8, catalog.Loan, topBank))
			twin.UpsertProduct(bankProduct(9, catalog.Insurance, topBank))
			want = dedupeChanges(want)
			sortChanges(got)
			sortChanges(want)
			if !slices.Equal(got, want) || len(got) == 0 {
				t.Errorf("notified %v, want %v", got, want)
			}
		}},
		{"a bank without products changes the set but no pairing", func(t *testing.T, e *Engine, changes func() []Change) {
			before := e.Digest()
			if !e.SetTopBanks(map[int64]bool{43: true}) {
				t.Error("a new set reported no change")
			}
			if got := changes(); len(got) != 0 || e.Digest() != before {
				t.Errorf("notified %v", got)
			}
		}},
		{"removing the bank removes the bonus", func(t *testing.T, e *Engine, changes func() []Change) {
			plain := mustPairing(e, financing, 2, 8)
			e.SetTopBanks(top)
			if got := mustPairing(e, financing, 2, 8); got.Score != plain.Score+e.Config().TopBankBonus {
				t.Fatalf("with the bank: %v, without %v", got.Score, plain.Score)
			}
			if !e.SetTopBanks(map[int64]bool{otherBank: true}) {
				t.Fatal("removing the bank reported no change")
			}
			got := mustPairing(e, financing, 2, 8)
			if reasonOf(got, "top_bank") != nil || got.Score != plain.Score {
				t.Errorf("after removal: %v %+v, want %v without the reason", got.Score, got.Reasons, plain.Score)
			}
			if p := mustPairing(e, financing, 2, 7); p.Score != plain.Score+e.Config().TopBankBonus {
				t.Errorf("the bank that entered: %v, want %v", p.Score, plain.Score+e.Config().TopBankBonus)
			}
		}},
		{"the lists follow without a rebuild", func(t *testing.T, e *Engine, changes func() []Change) {
			check := func(when string, listed, unlisted, candidates []int64) {
				t.Helper()
				if got := resourceIDs(e.Matches(2, &financing, 10, true)); !slices.Equal(got, listed) {
					t.Errorf("%s: matches of the listed enterprise %v, want %v", when, got, listed)
				}
				if got := resourceIDs(e.Matches(1, &financing, 10, true)); !slices.Equal(got, unlisted) {
					t.Errorf("%s: matches of the other enterprise %v, want %v", when, got, unlisted)
				}
				if got := enterpriseIDs(e.Candidates(financing, 9, 10, true)); !slices.Equal(got, candidates) {
					t.Errorf("%s: candidates of the insurance %v, want %v", when, got, candidates)
				}
			}
			check("before", []int64{7, 8, 9}, []int64{7, 8, 9}, []int64{1, 2})
			e.SetTopBanks(top)
			check("with the bank", []int64{8, 7, 9}, []int64{7, 8, 9}, []int64{2, 1})
			e.SetTopBanks(nil)
			check("after removal", []int64{7, 8, 9}, []int64{7, 8, 9}, []int64{1, 2})
		}},
		{"a rebuild keeps the set", func(t *testing.T, e *Engine, changes func() []Change) {
			e.SetTopBanks(top)
			incremental := e.Digest()
			e.Rebuild(topBankMarket())
			if reasonOf(mustPairing(e, financing, 2, 8), "top_bank") == nil {
				t.Fatal("the rebuild lost the bonus")
			}
			if e.Digest() != incremental {
				t.Error("the rebuild answers differently from the incremental update")
			}
			if e.SetTopBanks(top) {
				t.Error("the rebuild lost the set")
			}
		}},
		{"the slice notes the change", func(t *testing.T, e *Engine, changes func() []Change) {
			e.TrackSlice(Slice{PerEnterprise: 1, PerResource: 1})
			e.TakeSliceChanges()
			e.SetTopBanks(top)
			got := e.TakeSliceChanges().Pairings
			for _, k := range []PairingKey{{financing, 2, 8}, {financing, 2, 7}, {financing, 2, 9}, {financing, 1, 9}} {
				if !slices.Contains(got, k) {
					t.Errorf("%v not noted in %v", k, got)
				}
			}
			if p, ok := e.SlicePairing(PairingKey{financing, 2, 8}); !ok || p.Score != mustPairing(e, financing, 2, 8).Score {
				t.Errorf("slice pairing %v %v", p.Score, ok)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := topBankMarket()
			e := engineWith(d.Enterprises, d.Products, nil, nil)
			var mu sync.Mutex
			var got []Change
			e.OnPairingsChanged(func(cs []Change) {
				mu.Lock()
				defer mu.Unlock()
				got = append(got, cs...)
			})
			tt.run(t, e, func() []Change {
				mu.Lock()
				defer mu.Unlock()
				out := got
				got = nil
				return out
			})
		})
	}
}

func sortChanges(cs []Change) {
	slices.SortFunc(cs, func(a, b Change) int {
		if c := cmp.Compare(a.EnterpriseID, b.EnterpriseID); c != 0 {
			return c
		}
		return cmp.Compare(a.Kind, b.Kind)
	})
}

func TestTopBankConfig(t *testing.T) {
	tests := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"the default is 3", func(t *testing.T) {
			if got := New(Config{Today: testConfig().Today}).Config().TopBankBonus; got != 3 {
				t.Errorf("zero config: %v", got)
			}
		}},
		{"the weight is configurable", func(t *testing.T) {
			cfg := testConfig()
			cfg.TopBankBonus = 4.5
			e := New(cfg)
			e.Rebuild(&catalog.Dataset{Enterprises: []*catalog.Enterprise{earlyEnterprise(1)},
				Products: []*catalog.FinancialProduct{bankProduct(7, catalog.Loan, topBank), bankProduct(8, catalog.Loan, otherBank)}})
			e.SetTopBanks(map[int64]bool{topBank: true})
			top, plain := mustPairing(e, catalog.Financing, 1, 7), mustPairing(e, catalog.Financing, 1, 8)
			r := reasonOf(top, "top_bank")
			if top.Score-plain.Score != 4.5 || r == nil || r.Message != "科技贷合作银行考核位列前四分之一，优先支持早小硬企业 +4.5" {
				t.Errorf("difference %v, reasons %+v", top.Score-plain.Score, top.Reasons)
			}
		}},
		{"the weight is in the model version", func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.TopBankBonus++
			if cfg.ModelVersion() == DefaultConfig().ModelVersion() {
				t.Error("a change of the top-bank bonus kept the version")
			}
		}},
		{"the quick path does not allocate", func(t *testing.T) {
			e := engineWith([]*catalog.Enterprise{earlyEnterprise(1), enterprise(2)},
				[]*catalog.FinancialProduct{bankProduct(7, catalog.Loan, topBank), bankProduct(8, catalog.Insurance, topBank)}, nil, nil)
			e.SetTopBanks(map[int64]bool{topBank: true})
			allocs := testing.AllocsPerRun(100, func() {
				for _, v := range e.ents {
					for _, p := range e.prods {
						e.x.quickProduct(v, p)
					}
				}
			})
			if allocs != 0 {
				t.Errorf("the quick path allocates %v times per run", allocs)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, tt.run)
	}
}
