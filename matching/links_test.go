package matching

import (
	"testing"

	"github.com/yurong/yurong/catalog"
)

// The players of the link tests: a fund, a bank, an incubator.
const (
	linkFund      = int64(51)
	linkBank      = int64(52)
	linkIncubator = int64(61)
)

// TestLinkBonuses pairs twin enterprises (1 without the link, 2 with it)
// with one equity product of the fund: they differ by exactly the pinned
// weight, with the reason in Chinese; a loan of the fund is untouched.
func TestLinkBonuses(t *testing.T) {
	b := DefaultConfig().LinkBonuses
	tests := []struct {
		name    string
		links   Links
		factor  string
		message string
		weight  float64
	}{
		{"孵化+投资: a resident of an incubator the fund has an investment–incubation agreement with",
			Links{IncubationPartners: map[int64][]int64{linkFund: {linkIncubator}}, Residents: map[int64]int64{2: linkIncubator}},
			"incubation_link", "孵化+投资：所在孵化器与该基金签有投孵联动协议 +3", b.Incubation},
		{"以贷促投: a borrower of a bank the fund has a loan–investment agreement with",
			Links{LoanPartners: map[int64][]int64{linkFund: {linkBank}}, Borrowers: map[int64][]int64{2: {linkBank}}},
			"loan_link", "以贷促投：已获该基金投贷联动合作银行的贷款 +3", b.Loan},
		{"early due diligence: the fund expressed interest",
			Links{Interest: map[int64][]int64{2: {linkFund}}},
			"fund_interest", "该基金已对企业表达尽调意向 +2", b.Interest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := engineWith([]*catalog.Enterprise{enterprise(1), enterprise(2)},
				[]*catalog.FinancialProduct{bankProduct(7, catalog.Equity, linkFund), bankProduct(8, catalog.Loan, linkFund)}, nil, nil)
			if !e.SetLinks(tt.links) {
				t.Fatal("setting the links reported no change")
			}
			plain, linked := mustPairing(e, catalog.Financing, 1, 7), mustPairing(e, catalog.Financing, 2, 7)
			if linked.Score >= 100 || linked.Score-plain.Score != tt.weight {
				t.Fatalf("linked %v, plain %v: difference want %v", linked.Score, plain.Score, tt.weight)
			}
			r := reasonOf(linked, tt.factor)
			if r == nil || r.Message != tt.message || r.Public != r.Message || r.Contribution != tt.weight {
				t.Fatalf("reason %+v, want %q", r, tt.message)
			}
			if reasonOf(plain, tt.factor) != nil {
				t.Errorf("the twin without the link has the reason: %+v", plain.Reasons)
			}
			if loanA, loanB := mustPairing(e, catalog.Financing, 1, 8), mustPairing(e, catalog.Financing, 2, 8); loanA.Score != loanB.Score {
				t.Errorf("a loan of the fund moved: %v vs %v", loanA.Score, loanB.Score)
			}
			// Taking the link away takes the bonus away, without a rebuild.
			if !e.SetLinks(Links{}) {
				t.Fatal("removing the links reported no change")
			}
			if again := mustPairing(e, catalog.Financing, 2, 7); again.Score != plain.Score || reasonOf(again, tt.factor) != nil {
				t.Errorf("after the links are gone: %v (%+v), want %v", again.Score, again.Reasons, plain.Score)
			}
		})
	}
}

func TestSetLinks(t *testing.T) {
	l := Links{IncubationPartners: map[int64][]int64{linkFund: {linkIncubator, linkIncubator}}, Residents: map[int64]int64{2: linkIncubator, 3: 0}}
	e := engineWith([]*catalog.Enterprise{enterprise(1), enterprise(2)},
		[]*catalog.FinancialProduct{bankProduct(7, catalog.Equity, linkFund)}, nil, nil)
	if !e.SetLinks(l) {
		t.Fatal("the first links reported no change")
	}
	t.Run("the same links, said differently, change nothing", func(t *testing.T) {
		same := Links{IncubationPartners: map[int64][]int64{linkFund: {linkIncubator}}, Residents: map[int64]int64{2: linkIncubator},
			Borrowers: map[int64][]int64{1: {}}}
		if e.SetLinks(same) {
			t.Error("equal links reported a change")
		}
	})
	t.Run("a rebuild keeps the links", func(t *testing.T) {
		before := mustPairing(e, catalog.Financing, 2, 7)
		e.Rebuild(&catalog.Dataset{Enterprises: []*catalog.Enterprise{enterprise(1), enterprise(2)},
			Products: []*catalog.FinancialProduct{bankProduct(7, catalog.Equity, linkFund)}})
		if after := mustPairing(e, catalog.Financing, 2, 7); after.Score != before.Score || reasonOf(after, "incubation_link") == nil {
			t.Errorf("after a rebuild %v (%+v), before %v", after.Score, after.Reasons, before.Score)
		}
	})
	t.Run("the candidates of the fund's product reorder", func(t *testing.T) {
		ps := e.Candidates(catalog.Financing, 7, 2, false)
		if len(ps) != 2 || ps[0].EnterpriseID != 2 {
			t.Fatalf("candidates %v, want the resident first", enterpriseIDs(ps))
		}
	})
}
