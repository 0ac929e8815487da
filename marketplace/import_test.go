package marketplace

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/store"
)

// countingMatcher records what the write path asks of the matcher.
type countingMatcher struct {
	rebuilds int
	upserts  []int64 // one by one
	batches  [][]int64
}

func (m *countingMatcher) Rebuild(*catalog.Dataset) { m.rebuilds++ }
func (m *countingMatcher) UpsertEnterprise(e *catalog.Enterprise) {
	m.upserts = append(m.upserts, e.ID)
}
func (m *countingMatcher) UpsertEnterprises(es []*catalog.Enterprise) {
	var ids []int64
	for _, e := range es {
		ids = append(ids, e.ID)
	}
	m.batches = append(m.batches, ids)
}
func (m *countingMatcher) UpsertProduct(*catalog.FinancialProduct) {}
func (m *countingMatcher) UpsertIncubator(*catalog.Incubator)      {}
func (m *countingMatcher) UpsertDemand(*catalog.SupplyChainDemand) {}

func upsertOf(e *catalog.Enterprise) Upsert {
	return Upsert{CreditCode: e.CreditCode, Merge: func(cur *catalog.Enterprise) *catalog.Enterprise {
		c := e.Clone()
		if cur != nil {
			c.CompetitionEntries = cur.CompetitionEntries // what a file does not hold stays
		}
		return c
	}}
}

func TestImportEnterprises(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	m := &countingMatcher{}
	s := New(st, m, func() time.Time { return today })
	if err := s.Load(ctx); err != nil {
		t.Fatal(err)
	}
	var heard []int64
	s.OnChange(func(c Change) { heard = append(heard, c.ID) })

	// 200 new enterprises: the matcher takes them as one batch.
	var first []Upsert
	for i := range 200 {
		first = append(first, upsertOf(enterprise(i+1, catalog.Zhengzhou)))
	}
	res, err := s.ImportEnterprises(ctx, first, false)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range res {
		if r.Outcome != Created || r.Enterprise == nil || r.Enterprise.ID == 0 {
			t.Fatalf("upsert %d: %+v, want created", i, r)
		}
	}
	if len(m.batches) != 1 || len(m.batches[0]) != 200 || len(m.upserts) != 0 || m.rebuilds != 1 { // Load's rebuild
		t.Fatalf("the matcher got %d batches (%d upserts, %d rebuilds), want the 200 as one batch", len(m.batches), len(m.upserts), m.rebuilds)
	}
	if len(heard) != 200 || s.Enterprises(EnterpriseFilter{}, 0, 1).TotalCount != 200 {
		t.Fatalf("listeners heard %d changes and lists show %d, want 200", len(heard), s.Enterprises(EnterpriseFilter{}, 0, 1).TotalCount)
	}

	t.Run("the same batch again changes nothing", func(t *testing.T) {
		head, _ := st.LogHead(ctx)
		res, err := s.ImportEnterprises(ctx, first, false)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range res {
			if r.Outcome != Unchanged {
				t.Fatalf("upsert %d: outcome %d, want unchanged", i, r.Outcome)
			}
		}
		if h, _ := st.LogHead(ctx); h != head {
			t.Fatalf("the log moved from %d to %d", head, h)
		}
	})

	t.Run("a bad one is refused alone; the matcher gets the good ones", func(t *testing.T) {
		m.batches = nil
		changed := enterprise(3, catalog.Luoyang)
		bad := enterprise(500, catalog.Zhengzhou)
		bad.Employees = -1
		res, err := s.ImportEnterprises(ctx, []Upsert{upsertOf(changed), upsertOf(bad), upsertOf(enterprise(501, catalog.Anyang))}, false)
		if err != nil {
			t.Fatal(err)
		}
		want := []Outcome{Updated, Refused, Created}
		for i, r := range res {
			if r.Outcome != want[i] {
				t.Fatalf("upsert %d: outcome %d, want %d", i, r.Outcome, want[i])
			}
		}
		if p := res[1].Problems; len(p) != 1 || p[0].Code != catalog.CodeNegative || !reflect.DeepEqual(p[0].Field, []string{"employees"}) {
			t.Fatalf("problems %+v, want one NEGATIVE at employees", p)
		}
		if len(m.batches) != 1 || len(m.batches[0]) != 2 {
			t.Fatalf("the matcher got %v, want one batch of the 2 written", m.batches)
		}
		if got := s.Enterprise(res[0].Enterprise.ID); got.City != catalog.Luoyang {
			t.Fatalf("the read model holds %s, want the update", got.City)
		}
		if s.EnterpriseByCreditCode(bad.CreditCode) != nil {
			t.Fatal("the refused enterprise was written")
		}
	})

	t.Run("all or nothing writes nothing when one is bad", func(t *testing.T) {
		head, _ := st.LogHead(ctx)
		bad := enterprise(600, catalog.Zhengzhou)
		bad.Name = ""
		res, err := s.ImportEnterprises(ctx, []Upsert{upsertOf(enterprise(601, catalog.Anyang)), upsertOf(bad)}, true)
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Outcome != Refused || res[1].Outcome != Refused || len(res[1].Problems) == 0 {
			t.Fatalf("results %+v, want both refused, the second with problems", res)
		}
		if h, _ := st.LogHead(ctx); h != head {
			t.Fatal("something was written")
		}
	})

	t.Run("a credit code twice in a batch refuses the second", func(t *testing.T) {
		e := enterprise(700, catalog.Zhengzhou)
		res, err := s.ImportEnterprises(ctx, []Upsert{upsertOf(e), upsertOf(e)}, false)
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Outcome != Created || res[1].Outcome != Refused || res[1].Problems[0].Code != catalog.CodeDuplicate {
			t.Fatalf("results %+v", res)
		}
	})
}
