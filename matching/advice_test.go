package matching

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/yurong/yurong/catalog"
)

// moneyFigure finds the amounts a Chinese message cites: "250万元", "800元".
var moneyFigure = regexp.MustCompile(`[0-9]+(?:\.[0-9]+)?(?:万元|元)`)

// TestAdviceAgreesWithTheNumbers checks, over random marketplaces, that no
// reason and no plan contradicts a pairing's suggested amount:
//   - equity and insurance suggest an amount only for a stated need of
//     their own kind, and never more than it or the product's maximum;
//   - an amount-fit reason cites only the need, the suggested amount and
//     the product's minimum, and says "覆盖" only when the suggested amount
//     is the whole need; without a suggested amount there is no such reason;
//   - no reason cites the product's maximum when the suggested amount is
//     smaller (or absent);
//   - an eligible loan without an amount says why;
//   - a plan's LOAN items always suggest an amount and the credit line is
//     their sum, its equity and insurance items follow the rule above, the
//     needed kind comes first, and the summary cites for each item only its
//     suggested amount, the need and the gap between them.
func TestAdviceAgreesWithTheNumbers(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 6))
	for round := range 6 {
		d := randomDataset(rng, 40, 16, 3, 4)
		for _, p := range d.Products {
			p.Name = fmt.Sprintf("随机产品%d", p.ID)
			if p.Kind == catalog.Loan && rng.IntN(2) == 0 {
				p.Program = catalog.SubsidyLoan
			}
		}
		e := New(testConfig())
		e.Rebuild(d)
		e.SetTopBanks(randomTopBanks(rng))
		for _, ent := range d.Enterprises {
			for _, prod := range d.Products {
				p := mustPairing(e, catalog.Financing, ent.ID, prod.ID)
				checkAdvice(t, fmt.Sprintf("round %d, enterprise %d, product %d (%s %s)", round, ent.ID, prod.ID, prod.Kind, prod.Program), p, ent, prod)
			}
			plan, _ := e.Plan(ent.ID)
			checkPlanAdvice(t, fmt.Sprintf("round %d, plan of %d", round, ent.ID), plan, ent, d)
		}
	}
}

func checkAdvice(t *testing.T, where string, p Pairing, ent *catalog.Enterprise, prod *catalog.FinancialProduct) {
	t.Helper()
	need := ent.FinancingNeed
	s := p.SuggestedAmount
	if s != nil && (*s <= 0 || *s > prod.MaxAmount) {
		t.Errorf("%s: suggested %s outside (0, %s]", where, s, prod.MaxAmount)
	}
	sameKindNeed := need != nil && need.Amount > 0 && need.Kind == prod.Kind
	if prod.Kind != catalog.Loan && !sameKindNeed && s != nil {
		t.Errorf("%s: suggests %s without a stated %s need (need %+v)", where, s, prod.Kind, need)
	}
	if sameKindNeed && s != nil && *s > need.Amount {
		t.Errorf("%s: suggests %s above the stated need %s", where, s, need.Amount)
	}
	min := catalog.Amount(0)
	if prod.MinAmount != nil {
		min = *prod.MinAmount
	}
	allowed := map[string]bool{}
	if sameKindNeed {
		allowed[wan(need.Amount)] = true
	}
	if s != nil {
		allowed[wan(*s)] = true
	}
	if min > 0 {
		allowed[wan(min)] = true
	}
	maxCited := s == nil || *s < prod.MaxAmount
	for _, r := range p.Reasons {
		figures := moneyFigure.FindAllString(r.Message, -1)
		if r.Factor == "amount_fit" {
			if s == nil {
				t.Errorf("%s: amount-fit reason %q without a suggested amount", where, r.Message)
			}
			for _, f := range figures {
				if !allowed[f] {
					t.Errorf("%s: amount-fit reason %q cites %s; suggested %s, need %+v", where, r.Message, f, amountText(s), need)
				}
			}
			if strings.Contains(r.Message, "覆盖") && (s == nil || !sameKindNeed || *s != need.Amount) {
				t.Errorf("%s: %q claims to cover the need %+v with a suggested amount of %s", where, r.Message, need, amountText(s))
			}
		}
		if s == nil && strings.Contains(r.Message, "覆盖") {
			t.Errorf("%s: %q claims coverage without a suggested amount", where, r.Message)
		}
		if maxCited && !allowed[wan(prod.MaxAmount)] && slices.Contains(figures, wan(prod.MaxAmount)) {
			t.Errorf("%s: %q cites the product's maximum %s beside a suggested amount of %s", where, r.Message, wan(prod.MaxAmount), amountText(s))
		}
	}
	subsidyLoan := prod.Program == catalog.SubsidyLoan || prod.Eligibility.RequiresSubsidy
	if prod.Kind == catalog.Loan && !subsidyLoan && s == nil && p.Eligible && reasonOf(p, "no_credit_capacity") == nil {
		t.Errorf("%s: an eligible loan without an amount does not say why: %+v", where, p.Reasons)
	}
}

func checkPlanAdvice(t *testing.T, where string, plan FinancingPlan, ent *catalog.Enterprise, d *catalog.Dataset) {
	t.Helper()
	byID := map[int64]*catalog.FinancialProduct{}
	for _, p := range d.Products {
		byID[p.ID] = p
	}
	need := ent.FinancingNeed
	if need != nil && need.Amount > 0 && ent.CreditStatus != catalog.CreditDishonest && !strings.HasPrefix(plan.Summary, "融资需求：") {
		t.Errorf("%s: the summary does not open with the need: %s", where, plan.Summary)
	}
	var credit catalog.Amount
	first := true
	for _, it := range plan.Items {
		if it.Kind != catalog.Financing {
			continue
		}
		prod := byID[it.ResourceID]
		if first && need != nil && need.Amount > 0 && prod.Kind != need.Kind {
			for _, other := range plan.Items {
				if other.Kind == catalog.Financing && byID[other.ResourceID].Kind == need.Kind {
					t.Errorf("%s: the needed kind %s is not the first item", where, need.Kind)
				}
			}
		}
		first = false
		s := it.SuggestedAmount
		switch prod.Kind {
		case catalog.Loan:
			if s == nil {
				t.Errorf("%s: LOAN item %d without a suggested amount", where, prod.ID)
			} else {
				credit += *s
			}
		default:
			if (need == nil || need.Kind != prod.Kind) && s != nil {
				t.Errorf("%s: %s item %d suggests %s without a stated %s need", where, prod.Kind, prod.ID, s, prod.Kind)
			}
		}
		// The summary cites, for this item, only its amount, the need and
		// the gap.
		allowed := map[string]bool{}
		if s != nil {
			allowed[wan(*s)] = true
			if need != nil && need.Kind == prod.Kind && need.Amount > *s {
				allowed[wan(need.Amount-*s)] = true
			}
		}
		if need != nil {
			allowed[wan(need.Amount)] = true
		}
		name := "「" + prod.Name + "」"
		at := strings.Index(plan.Summary, name)
		if at < 0 {
			t.Errorf("%s: the summary does not name item %s: %s", where, name, plan.Summary)
			continue
		}
		seg := plan.Summary[at+len(name):]
		if end := strings.IndexAny(seg, "；。"); end >= 0 {
			seg = seg[:end]
		}
		for _, f := range moneyFigure.FindAllString(seg, -1) {
			if !allowed[f] {
				t.Errorf("%s: the summary cites %s for %s, which suggests %s: %s", where, f, name, amountText(s), plan.Summary)
			}
		}
	}
	if credit != plan.TotalCreditLine {
		t.Errorf("%s: credit line %s, LOAN items sum to %s", where, plan.TotalCreditLine, credit)
	}
}
