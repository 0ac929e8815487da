package marketplace

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/store"
)

// productMatcher records the products the write path ranks.
type productMatcher struct {
	countingMatcher
	products []int64
}

func (m *productMatcher) UpsertProduct(p *catalog.FinancialProduct) {
	m.products = append(m.products, p.ID)
}

// productUpsert writes p's fields over the stored product, as a file row
// holding every column does.
func productUpsert(institution string, p catalog.FinancialProduct) KeyedUpsert[ProductKey, catalog.FinancialProduct] {
	return KeyedUpsert[ProductKey, catalog.FinancialProduct]{
		Key: ProductKey{Institution: institution, Name: p.Name},
		Merge: func(cur *catalog.FinancialProduct) *catalog.FinancialProduct {
			c := p.Clone()
			if cur != nil {
				c.Coverages = append(cur.Coverages[:0:0], p.Coverages...) // a fresh slice, like a file's cell
			}
			return c
		},
	}
}

func TestImportProducts(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	m := &productMatcher{}
	s := New(st, m, func() time.Time { return today })
	if err := s.Load(ctx); err != nil {
		t.Fatal(err)
	}
	bank, _, err := s.CreateInstitution(ctx, &catalog.Institution{Name: "中原银行", Kind: catalog.Bank, City: catalog.Zhengzhou})
	if err != nil {
		t.Fatal(err)
	}
	var heard []Change
	s.OnChange(func(c Change) { heard = append(heard, c) })
	rate := 3.6
	loan := catalog.FinancialProduct{Name: "科技贷", Kind: catalog.Loan, Program: catalog.TechLoan, MaxAmount: 5_000_000_00,
		AnnualRatePercent: &rate, Coverages: []catalog.Coverage{}, Eligibility: catalog.Eligibility{Cities: []catalog.City{catalog.Luoyang}}}
	fund := catalog.FinancialProduct{Name: "创投基金", Kind: catalog.Equity, Program: catalog.VentureFund, MaxAmount: 1}

	batch := []KeyedUpsert[ProductKey, catalog.FinancialProduct]{
		productUpsert("中原银行", loan), productUpsert("不存在的银行", fund), productUpsert("中原银行", fund),
	}
	head, _ := st.LogHead(ctx)
	checked := s.CheckProducts(batch)
	if checked[0].Outcome != Created || checked[1].Outcome != Refused || checked[2].Outcome != Created {
		t.Fatalf("the check: %+v", checked)
	}
	if h, _ := st.LogHead(ctx); h != head || len(m.products) != 0 || s.FinancialProducts(ProductFilter{}, 0, 1).TotalCount != 0 {
		t.Fatal("the check wrote")
	}
	res, err := s.ImportProducts(ctx, batch, false)
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Outcome != Created || res[2].Outcome != Created || res[0].Value.ProviderID != bank.ID {
		t.Fatalf("results %+v, want the first and third created for the bank", res)
	}
	if p := res[1].Problems; res[1].Outcome != Refused || len(p) != 1 || p[0].Code != catalog.CodeNotFound || !reflect.DeepEqual(p[0].Field, []string{"providerId"}) {
		t.Fatalf("an unknown institution: %+v, want NOT_FOUND at providerId", res[1])
	}
	if !reflect.DeepEqual(m.products, []int64{res[0].Value.ID, res[2].Value.ID}) {
		t.Fatalf("the matcher ranked %v, want each new product once", m.products)
	}
	if len(heard) != 2 || heard[0].Entity != EntityProduct || len(s.ProductsOf(bank.ID)) != 2 {
		t.Fatalf("listeners heard %+v; the bank lists %d products", heard, len(s.ProductsOf(bank.ID)))
	}

	t.Run("the same batch again changes nothing", func(t *testing.T) {
		head, _ := st.LogHead(ctx)
		m.products = nil
		res, err := s.ImportProducts(ctx, []KeyedUpsert[ProductKey, catalog.FinancialProduct]{
			productUpsert("中原银行", loan), productUpsert("中原银行", fund),
		}, false)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range res {
			if r.Outcome != Unchanged {
				t.Fatalf("upsert %d: outcome %d, want unchanged", i, r.Outcome)
			}
		}
		if h, _ := st.LogHead(ctx); h != head || len(m.products) != 0 {
			t.Fatalf("the log moved from %d to %d; %d products ranked", head, h, len(m.products))
		}
	})

	t.Run("a changed product is updated in place", func(t *testing.T) {
		id := s.ProductsOf(bank.ID)[0].ID
		changed := loan
		changed.MaxAmount = 8_000_000_00
		res, err := s.ImportProducts(ctx, []KeyedUpsert[ProductKey, catalog.FinancialProduct]{productUpsert("中原银行", changed)}, false)
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Outcome != Updated || res[0].Value.ID != id {
			t.Fatalf("result %+v, want product %d updated", res[0], id)
		}
		if got := s.FinancialProduct(id); got.MaxAmount != 8_000_000_00 {
			t.Fatalf("the read model holds %s", got.MaxAmount)
		}
		if stored, _ := st.FinancialProduct(ctx, id); stored.MaxAmount != 8_000_000_00 {
			t.Fatalf("the store holds %s", stored.MaxAmount)
		}
		if n := s.FinancialProducts(ProductFilter{}, 0, 10).TotalCount; n != 2 {
			t.Fatalf("%d products listed, want 2", n)
		}
	})

	t.Run("all or nothing writes nothing when one is bad", func(t *testing.T) {
		head, _ := st.LogHead(ctx)
		bad := fund
		bad.Name, bad.MaxAmount = "负额度", -1
		res, err := s.ImportProducts(ctx, []KeyedUpsert[ProductKey, catalog.FinancialProduct]{
			productUpsert("中原银行", catalog.FinancialProduct{Name: "新产品", Kind: catalog.Loan, Program: catalog.ScoreLoan, MaxAmount: 100}),
			productUpsert("中原银行", bad),
		}, true)
		if err != nil {
			t.Fatal(err)
		}
		if res[0].Outcome != Refused || res[1].Outcome != Refused || res[1].Problems[0].Code != catalog.CodeNegative {
			t.Fatalf("results %+v, want both refused, the second NEGATIVE", res)
		}
		if h, _ := st.LogHead(ctx); h != head {
			t.Fatal("something was written")
		}
	})

	t.Run("incubators and demands are found by their keys", func(t *testing.T) {
		in := catalog.Incubator{Name: "中原智慧岛", Kind: catalog.SmartIsland, Level: catalog.NationalLevel, City: catalog.Zhengzhou, Vacancies: 3}
		up := KeyedUpsert[IncubatorKey, catalog.Incubator]{Key: IncubatorKey{Name: in.Name, City: in.City},
			Merge: func(*catalog.Incubator) *catalog.Incubator { c := in; return &c }}
		first, err := s.ImportIncubators(ctx, []KeyedUpsert[IncubatorKey, catalog.Incubator]{up}, false)
		if err != nil || first[0].Outcome != Created {
			t.Fatalf("%v %+v", err, first)
		}
		again, err := s.ImportIncubators(ctx, []KeyedUpsert[IncubatorKey, catalog.Incubator]{up}, false)
		if err != nil || again[0].Outcome != Unchanged || again[0].Value.ID != first[0].Value.ID {
			t.Fatalf("%v %+v", err, again)
		}
		deadline := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
		d := catalog.SupplyChainDemand{Title: "采购衬底", Description: "年需 1 万片", Kind: catalog.PurchaseOrder, IndustryChain: "新材料",
			Track: catalog.NewMaterials, City: catalog.Xuchang, OwnerName: "链主", Deadline: &deadline}
		dup := KeyedUpsert[DemandKey, catalog.SupplyChainDemand]{Key: DemandKey{OwnerName: d.OwnerName, Title: d.Title},
			Merge: func(*catalog.SupplyChainDemand) *catalog.SupplyChainDemand { c := d; return &c }}
		res, err := s.ImportDemands(ctx, []KeyedUpsert[DemandKey, catalog.SupplyChainDemand]{dup, dup}, false)
		if err != nil || res[0].Outcome != Created || res[1].Outcome != Refused || res[1].Problems[0].Code != catalog.CodeDuplicate {
			t.Fatalf("%v %+v", err, res)
		}
		res, err = s.ImportDemands(ctx, []KeyedUpsert[DemandKey, catalog.SupplyChainDemand]{dup}, false)
		if err != nil || res[0].Outcome != Unchanged {
			t.Fatalf("the demand imported again: %v %+v", err, res)
		}
	})
}
