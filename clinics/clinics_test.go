package clinics

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/financing"
	"github.com/yurong/yurong/matching"
)

func at(m time.Month, d int) time.Time { return time.Date(2026, m, d, 9, 0, 0, 0, time.UTC) }

func TestLinkedAndRaised(t *testing.T) {
	d1 := &Diagnosis{ID: 1, EnterpriseID: 7, CreatedAt: at(1, 10)}
	d2 := &Diagnosis{ID: 2, EnterpriseID: 7, CreatedAt: at(3, 1)}
	amount := func(a catalog.Amount) *catalog.Amount { return &a }
	on := func(t time.Time) *time.Time { return &t }
	apps := []*financing.Application{
		{ID: 10, CreatedAt: at(1, 5)},  // before any diagnosis
		{ID: 11, CreatedAt: at(1, 10)}, // the instant of d1: linked to it
		{ID: 12, CreatedAt: at(2, 1), Status: financing.Disbursed, DisbursedAmount: amount(500_000_00), DisbursedOn: on(at(8, 1))},
		{ID: 13, CreatedAt: at(3, 2), Status: financing.Disbursed, DisbursedAmount: amount(100_000_00), DisbursedOn: on(at(3, 20))}, // d2's
		{ID: 14, CreatedAt: at(9, 2)}, // more than six months after d2
	}
	ds := []*Diagnosis{d1, d2}
	ids := func(as []*financing.Application) (out []int64) {
		for _, a := range as {
			out = append(out, a.ID)
		}
		return out
	}
	if got := ids(Linked(d1, ds, apps)); len(got) != 2 || got[0] != 11 || got[1] != 12 {
		t.Fatalf("Linked(d1) = %v, want [11 12]", got)
	}
	if got := ids(Linked(d2, ds, apps)); len(got) != 1 || got[0] != 13 {
		t.Fatalf("Linked(d2) = %v, want [13]", got)
	}
	// Paid out after six months: not raised by d1's clinic.
	if got := Raised(d1, Linked(d1, ds, apps)); got != 0 {
		t.Fatalf("Raised(d1) = %v, want 0", got)
	}
	if got := Raised(d2, Linked(d2, ds, apps)); got != 100_000_00 {
		t.Fatalf("Raised(d2) = %v", got)
	}
}

type fakeStore struct {
	Store
	served, residents map[int64]bool
}

func (f fakeStore) DiagnosedEnterprises(context.Context) (map[int64]bool, error) {
	return f.served, nil
}
func (f fakeStore) Residents(context.Context, int64) (map[int64]bool, error) { return f.residents, nil }

type fakeCatalog struct{ ents []*catalog.Enterprise }

func (f fakeCatalog) Enterprise(int64) *catalog.Enterprise { return nil }
func (f fakeCatalog) Incubator(int64) *catalog.Incubator   { return nil }
func (f fakeCatalog) EnterprisesIn(c catalog.City) []*catalog.Enterprise {
	var out []*catalog.Enterprise
	for _, e := range f.ents {
		if e.City == c {
			out = append(out, e)
		}
	}
	return out
}

type fakeEngine map[int64]int

func (f fakeEngine) Plan(id int64) (matching.FinancingPlan, bool) {
	return matching.FinancingPlan{EnterpriseID: id, Items: []matching.Pairing{{Score: float64(id)}}}, true
}
func (f fakeEngine) InnovationTotal(id int64) (int, bool) { return f[id], true }

func TestPropose(t *testing.T) {
	need := &catalog.FinancingNeed{Kind: catalog.Loan, Amount: 100_000_00}
	ents := []*catalog.Enterprise{
		{ID: 1, City: catalog.Zhengzhou, FinancingNeed: need},
		{ID: 2, City: catalog.Zhengzhou, FinancingNeed: need}, // same score as 1, better plan
		{ID: 3, City: catalog.Zhengzhou, FinancingNeed: need}, // served
		{ID: 4, City: catalog.Zhengzhou},                      // no need
		{ID: 5, City: catalog.Zhengzhou, FinancingNeed: need, CreditStatus: catalog.CreditDishonest},
		{ID: 6, City: catalog.Luoyang, FinancingNeed: need}, // another city
		{ID: 7, City: catalog.Zhengzhou, FinancingNeed: need},
	}
	eng := fakeEngine{1: 500, 2: 500, 3: 900, 4: 900, 5: 900, 6: 900, 7: 600}
	st := fakeStore{served: map[int64]bool{3: true}, residents: map[int64]bool{1: true, 3: true}}
	s := New(st, fakeCatalog{ents}, eng, func() time.Time { return at(6, 15) })
	ids := func(ps []Proposal) (out []int64) {
		for _, p := range ps {
			out = append(out, p.EnterpriseID)
		}
		return out
	}
	ps, err := s.Propose(context.Background(), &Clinic{City: catalog.Zhengzhou}, 10)
	if got := ids(ps); err != nil || !slices.Equal(got, []int64{7, 2, 1}) {
		t.Fatalf("Propose = %v, %v; want [7 2 1]", got, err)
	}
	if !strings.Contains(ps[0].Reason, "创新积分 600 分") || !strings.Contains(ps[0].Reason, "债权融资") {
		t.Fatalf("reason: %s", ps[0].Reason)
	}
	// At an incubator: its residents only.
	ps, _ = s.Propose(context.Background(), &Clinic{City: catalog.Zhengzhou, IncubatorID: 9}, 10)
	if got := ids(ps); !slices.Equal(got, []int64{1}) || !strings.Contains(ps[0].Reason, "在孵企业") {
		t.Fatalf("Propose at an incubator = %v", ps)
	}
	if ps, _ = s.Propose(context.Background(), &Clinic{City: catalog.Zhengzhou}, 1); len(ps) != 1 {
		t.Fatalf("first 1: %d", len(ps))
	}
}
