package matching

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/yurong/yurong/catalog"
)

// TestDetailAgreesWithFullExplanation: a pairing explained to less than
// the whole explanation has the same score, eligibility, amount, model and
// order, the same factors and contributions when it has reasons, and none
// of the words it was not asked for.
func TestDetailAgreesWithFullExplanation(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 28))
	e := New(testConfig())
	e.Rebuild(randomDataset(rng, 60, 12, 6, 10))
	details := []Detail{0, ReasonFactors, ReasonWords, BlockerWords, ReasonFactors | BlockerWords, Explained}
	check := func(t *testing.T, full, got []Pairing, d Detail) {
		t.Helper()
		if len(got) != len(full) {
			t.Fatalf("detail %03b: %d pairings, want %d", d, len(got), len(full))
		}
		for n := range full {
			f, g := full[n], got[n]
			if g.Kind != f.Kind || g.EnterpriseID != f.EnterpriseID || g.ResourceID != f.ResourceID ||
				g.Score != f.Score || g.Eligible != f.Eligible || g.GreenChannel != f.GreenChannel ||
				!g.ComputedAt.Equal(f.ComputedAt) || !equalAmounts(g.SuggestedAmount, f.SuggestedAmount) ||
				(g.Model == nil) != (f.Model == nil) || (g.Model != nil && *g.Model != *f.Model) {
				t.Fatalf("detail %03b, pairing %d: %+v, want %+v", d, n, g, f)
			}
			switch {
			case d&(ReasonFactors|ReasonWords) == 0:
				if len(g.Reasons) != 0 {
					t.Errorf("detail %03b: reasons %v unasked", d, g.Reasons)
				}
			default:
				if len(g.Reasons) != len(f.Reasons) {
					t.Fatalf("detail %03b: reasons %v, want %v", d, g.Reasons, f.Reasons)
				}
				for r := range f.Reasons {
					want := f.Reasons[r]
					if d&ReasonWords == 0 {
						want.Message, want.Public = "", ""
					}
					if g.Reasons[r] != want {
						t.Errorf("detail %03b: reason %+v, want %+v", d, g.Reasons[r], want)
					}
				}
			}
			if d&BlockerWords != 0 {
				if !slices.Equal(g.Blockers, f.Blockers) || !slices.Equal(g.PublicBlockers, f.PublicBlockers) {
					t.Errorf("detail %03b: blockers %q %q, want %q %q", d, g.Blockers, g.PublicBlockers, f.Blockers, f.PublicBlockers)
				}
			} else if len(g.Blockers) != 0 || g.PublicBlockers == nil || len(g.PublicBlockers) != 0 {
				t.Errorf("detail %03b: blockers %q %q unasked", d, g.Blockers, g.PublicBlockers)
			}
			if g.Reasons == nil || g.Blockers == nil {
				t.Errorf("detail %03b: nil lists", d)
			}
		}
	}
	for id := int64(1); id <= 60; id++ {
		for _, eligibleOnly := range []bool{true, false} {
			full := e.Matches(id, nil, 100, eligibleOnly)
			for _, d := range details {
				check(t, full, e.MatchesTo(id, nil, 100, eligibleOnly, d), d)
			}
		}
	}
	for _, kind := range catalog.PairingKinds {
		for id := int64(1); id <= 12; id++ {
			full := e.Candidates(kind, id, 200, false)
			for _, d := range details {
				check(t, full, e.CandidatesTo(kind, id, 200, false, d), d)
			}
		}
	}
}

func equalAmounts(a, b *catalog.Amount) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}
