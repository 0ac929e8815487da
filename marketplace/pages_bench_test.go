package marketplace

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/demo"
)

// The catalogue pages at Henan scale (issue 16). These benchmarks use only
// the API every version of the read model has (Enterprises, Products, …
// with an ID cursor), so the same file measures the table walk they
// replaced; pages_order_bench_test.go measures the orders and backward
// pages that came with the indexes.

// datasetStore is a store that only loads a dataset.
type datasetStore struct {
	Store
	d *catalog.Dataset
}

func (s datasetStore) Load(context.Context) (*catalog.Dataset, error) { return s.d, nil }
func (s datasetStore) LogHead(context.Context) (int64, error)         { return 0, nil }
func (s datasetStore) OnCommit(func(int64))                           {}

var (
	henanOnce sync.Once
	henan     *Service
)

// henanService is a read model of the 60,000-enterprise demo, built once.
func henanService(b *testing.B) *Service {
	b.Helper()
	henanOnce.Do(func() {
		d := demo.Generate(1, 60_000, time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC))
		// The store numbers the entities as it saves them; so does this.
		number(d.Institutions, func(v *catalog.Institution, id int64) { v.ID = id })
		number(d.Enterprises, func(v *catalog.Enterprise, id int64) { v.ID = id })
		number(d.Products, func(v *catalog.FinancialProduct, id int64) { v.ID = id })
		number(d.Incubators, func(v *catalog.Incubator, id int64) { v.ID = id })
		number(d.Demands, func(v *catalog.SupplyChainDemand, id int64) { v.ID = id })
		henan = New(datasetStore{d: d}, nil, time.Now)
		if err := henan.Load(context.Background()); err != nil {
			b.Fatal(err)
		}
	})
	return henan
}

func number[T any](vs []*T, set func(*T, int64)) {
	for i, v := range vs {
		set(v, int64(i+1))
	}
}

func BenchmarkCataloguePage(b *testing.B) {
	s := henanService(b)
	mid := s.Enterprises(EnterpriseFilter{Cities: []catalog.City{catalog.Luoyang}}, 0, 2000).Items
	cases := []struct {
		name string
		page func() int
	}{
		{"enterprises/first20", func() int { return len(s.Enterprises(EnterpriseFilter{}, 0, 20).Items) }},
		{"enterprises/LUOYANG/first20", func() int {
			return len(s.Enterprises(EnterpriseFilter{Cities: []catalog.City{catalog.Luoyang}}, 0, 20).Items)
		}},
		{"enterprises/LUOYANG/totalCount", func() int {
			return s.Enterprises(EnterpriseFilter{Cities: []catalog.City{catalog.Luoyang}}, 0, 0).TotalCount
		}},
		{"enterprises/LUOYANG/after1000th/first20", func() int {
			return len(s.Enterprises(EnterpriseFilter{Cities: []catalog.City{catalog.Luoyang}}, mid[len(mid)/2].ID, 20).Items)
		}},
		{"enterprises/LUOYANG+NEXT_GEN_IT+HIGH_TECH/first20", func() int {
			return len(s.Enterprises(EnterpriseFilter{Cities: []catalog.City{catalog.Luoyang}, Tracks: []catalog.Track{catalog.NextGenIT},
				Qualifications: []catalog.Qualification{catalog.HighTech}}, 0, 20).Items)
		}},
		{"enterprises/ZHENGZHOU,LUOYANG/first20", func() int {
			return len(s.Enterprises(EnterpriseFilter{Cities: []catalog.City{catalog.Zhengzhou, catalog.Luoyang}}, 0, 20).Items)
		}},
		{"enterprises/nameContains/first20", func() int {
			return len(s.Enterprises(EnterpriseFilter{Cities: []catalog.City{catalog.Luoyang}, NameContains: "科技"}, 0, 20).Items)
		}},
		{"financialProducts/LOAN/first20", func() int {
			return len(s.FinancialProducts(ProductFilter{Kinds: []catalog.ProductKind{catalog.Loan}}, 0, 20).Items)
		}},
		{"incubators/LUOYANG/first20", func() int {
			return len(s.Incubators(IncubatorFilter{Cities: []catalog.City{catalog.Luoyang}}, 0, 20).Items)
		}},
		{"supplyChainDemands/NEXT_GEN_IT/first20", func() int {
			return len(s.Demands(DemandFilter{Tracks: []catalog.Track{catalog.NextGenIT}}, 0, 20).Items)
		}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				c.page()
			}
		})
	}
}
