package store

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/yurong/yurong/catalog"
)

func TestSaveResources(t *testing.T) {
	forEachBackend(t, func(t *testing.T, loc location) {
		ctx := context.Background()
		s := open(t, loc)
		bank := &catalog.Institution{Name: "中原银行", Kind: catalog.Bank, City: catalog.Zhengzhou}
		if err := s.CreateInstitution(ctx, bank); err != nil {
			t.Fatal(err)
		}
		head, _ := s.LogHead(ctx)

		t.Run("new ones are inserted, each with its log entry", func(t *testing.T) {
			ps := []*catalog.FinancialProduct{fullProduct(bank.ID), minimalProduct(bank.ID)}
			if err := s.SaveFinancialProducts(ctx, ps); err != nil {
				t.Fatal(err)
			}
			ins := []*catalog.Incubator{fullIncubator(), minimalIncubator()}
			if err := s.SaveIncubators(ctx, ins); err != nil {
				t.Fatal(err)
			}
			ds := []*catalog.SupplyChainDemand{fullDemand(), minimalDemand()}
			if err := s.SaveDemands(ctx, ds); err != nil {
				t.Fatal(err)
			}
			for _, p := range ps {
				got, err := s.FinancialProduct(ctx, p.ID)
				if err != nil || p.ID == 0 || p.CreatedAt.IsZero() {
					t.Fatalf("product %d: %v (%+v)", p.ID, err, p)
				}
				if !reflect.DeepEqual(got, p) {
					t.Fatalf("stored %+v\nwant %+v", got, p)
				}
			}
			for _, in := range ins {
				if got, err := s.Incubator(ctx, in.ID); err != nil || !reflect.DeepEqual(got, in) {
					t.Fatalf("incubator %d: %v\n got %+v\nwant %+v", in.ID, err, got, in)
				}
			}
			for _, d := range ds {
				if got, err := s.Demand(ctx, d.ID); err != nil || !reflect.DeepEqual(got, d) {
					t.Fatalf("demand %d: %v\n got %+v\nwant %+v", d.ID, err, got, d)
				}
			}
			if h, _ := s.LogHead(ctx); h != head+6 {
				t.Fatalf("the log moved from %d to %d, want 6 entries", head, h)
			}
		})

		t.Run("stored ones are replaced, keeping their id and creation time", func(t *testing.T) {
			p := fullProduct(bank.ID)
			if err := s.CreateFinancialProduct(ctx, p); err != nil {
				t.Fatal(err)
			}
			in := fullIncubator()
			if err := s.CreateIncubator(ctx, in); err != nil {
				t.Fatal(err)
			}
			created := p.CreatedAt
			p.MaxAmount, p.Coverages, p.AnnualRatePercent = 9_000_000_00, nil, nil
			in.Vacancies, in.ServicePackage = 1, nil
			newOne := minimalProduct(bank.ID)
			if err := s.SaveFinancialProducts(ctx, []*catalog.FinancialProduct{p, newOne}); err != nil {
				t.Fatal(err)
			}
			if err := s.SaveIncubators(ctx, []*catalog.Incubator{in}); err != nil {
				t.Fatal(err)
			}
			got, _ := s.FinancialProduct(ctx, p.ID)
			if !got.CreatedAt.Equal(created) || got.MaxAmount != 9_000_000_00 || got.AnnualRatePercent != nil || len(got.Coverages) != 0 {
				t.Fatalf("updated product: %+v", got)
			}
			if newOne.ID == 0 || newOne.ID == p.ID {
				t.Fatalf("the new product got id %d", newOne.ID)
			}
			if got, _ := s.Incubator(ctx, in.ID); got.Vacancies != 1 || got.ServicePackage != nil {
				t.Fatalf("updated incubator: %+v", got)
			}
		})

		t.Run("a failed batch writes none of it", func(t *testing.T) {
			before, _ := s.LogHead(ctx)
			good, orphan := minimalProduct(bank.ID), minimalProduct(bank.ID+1000)
			err := s.SaveFinancialProducts(ctx, []*catalog.FinancialProduct{good, orphan})
			if !errors.Is(err, ErrProviderNotFound) {
				t.Fatalf("an unknown provider: %v, want ErrProviderNotFound", err)
			}
			if good.ID != 0 {
				t.Fatal("the struct was given an id of a rolled-back write")
			}
			gone := minimalDemand()
			gone.ID = 99999
			if err := s.SaveDemands(ctx, []*catalog.SupplyChainDemand{minimalDemand(), gone}); !errors.Is(err, ErrNotFound) {
				t.Fatalf("an unknown id: %v, want ErrNotFound", err)
			}
			if h, _ := s.LogHead(ctx); h != before {
				t.Fatalf("the log moved from %d to %d", before, h)
			}
		})
	})
}
