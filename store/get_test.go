package store

import (
	"context"
	"errors"
	"testing"

	"github.com/yurong/yurong/catalog"
)

func TestSingleReads(t *testing.T) {
	forEachBackend(t, func(t *testing.T, loc location) {
		ctx := context.Background()
		s := open(t, loc)
		bank := &catalog.Institution{Name: "郑州银行", Kind: catalog.Bank, City: catalog.Zhengzhou}
		if err := s.CreateInstitution(ctx, bank); err != nil {
			t.Fatal(err)
		}
		p, in, d := fullProduct(bank.ID), fullIncubator(), fullDemand()
		for _, err := range []error{s.CreateFinancialProduct(ctx, p), s.CreateIncubator(ctx, in), s.CreateDemand(ctx, d)} {
			if err != nil {
				t.Fatal(err)
			}
		}
		t.Run("each entity reads back as written", func(t *testing.T) {
			gotBank, err := s.Institution(ctx, bank.ID)
			if err != nil {
				t.Fatal(err)
			}
			mustEqual(t, "institution", gotBank, bank)
			gotP, err := s.FinancialProduct(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			mustEqual(t, "product", gotP, p)
			gotIn, err := s.Incubator(ctx, in.ID)
			if err != nil {
				t.Fatal(err)
			}
			mustEqual(t, "incubator", gotIn, in)
			gotD, err := s.Demand(ctx, d.ID)
			if err != nil {
				t.Fatal(err)
			}
			mustEqual(t, "demand", gotD, d)
		})
		t.Run("an unknown id is ErrNotFound", func(t *testing.T) {
			for name, err := range map[string]error{
				"institution": func() error { _, err := s.Institution(ctx, 999); return err }(),
				"product":     func() error { _, err := s.FinancialProduct(ctx, 999); return err }(),
				"incubator":   func() error { _, err := s.Incubator(ctx, 999); return err }(),
				"demand":      func() error { _, err := s.Demand(ctx, 999); return err }(),
			} {
				if !errors.Is(err, ErrNotFound) {
					t.Errorf("%s 999: err = %v, want ErrNotFound", name, err)
				}
			}
		})
	})
}
