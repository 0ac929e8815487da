package marketplace

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/store"
)

// writeEverything makes n writes of every kind on s, in an order drawn
// from rng: institutions and their products, enterprises created, updated
// and entered in the competition, incubators and demands.
func writeEverything(t *testing.T, s *Service, rng *rand.Rand, n int) {
	base := rng.IntN(1_000_000) * 1000
	t.Helper()
	ctx := context.Background()
	var banks, ents []int64
	check := func(what string, p catalog.Problems, err error) {
		t.Helper()
		if err != nil || len(p) > 0 {
			t.Fatalf("%s: %v %v", what, err, p)
		}
	}
	for i := range n {
		switch k := rng.IntN(7); {
		case k == 0 || len(banks) == 0:
			in, p, err := s.CreateInstitution(ctx, &catalog.Institution{Name: fmt.Sprintf("银行%d", i), Kind: catalog.Bank, City: catalog.Zhengzhou})
			check("institution", p, err)
			banks = append(banks, in.ID)
		case k == 1:
			_, p, err := s.CreateFinancialProduct(ctx, &catalog.FinancialProduct{Name: fmt.Sprintf("科技贷%d", i), ProviderID: banks[rng.IntN(len(banks))],
				Kind: catalog.Loan, Program: catalog.TechLoan, MaxAmount: catalog.Amount(rng.IntN(1000)+1) * 1_000_000_00})
			check("product", p, err)
		case k == 2 || len(ents) == 0:
			e, p, err := s.CreateEnterprise(ctx, enterprise(base+i, catalog.Luoyang))
			check("enterprise", p, err)
			ents = append(ents, e.ID)
		case k == 3:
			_, p, err := s.UpdateEnterprise(ctx, ents[rng.IntN(len(ents))], func(e *catalog.Enterprise) { e.Employees = rng.IntN(500) })
			check("update", p, err)
		case k == 4:
			_, p, err := s.RecordCompetitionEntry(ctx, ents[rng.IntN(len(ents))], catalog.CompetitionEntry{Year: today.Year(),
				Group: catalog.StartupGroup, Track: catalog.NewMaterials, StageReached: catalog.Preliminary, Award: catalog.NoAward})
			check("competition entry", p, err)
		case k == 5:
			_, p, err := s.CreateIncubator(ctx, &catalog.Incubator{Name: fmt.Sprintf("众创空间%d", i), Kind: catalog.Makerspace,
				Level: catalog.MunicipalLevel, City: catalog.Hebi, Vacancies: rng.IntN(5)})
			check("incubator", p, err)
		default:
			_, p, err := s.CreateDemand(ctx, &catalog.SupplyChainDemand{Title: fmt.Sprintf("采购%d", i), Kind: catalog.PurchaseOrder,
				IndustryChain: "新材料", Track: catalog.NewMaterials, City: catalog.Xuchang, OwnerName: "链主", Keywords: []string{"碳化硅"}})
			check("demand", p, err)
		}
	}
}

func TestFollowingTheLog(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a, b := newService(t, dir), newService(t, dir)
	var remote, local int
	a.OnChange(func(c Change) {
		if c.Remote {
			remote++
		} else {
			local++
		}
	})

	t.Run("another instance's writes arrive whole, its own are not applied twice", func(t *testing.T) {
		writeEverything(t, a, rand.New(rand.NewPCG(1, 2)), 60)
		if a.Digest() == b.Digest() {
			t.Fatal("b matches a before following the log")
		}
		pos, err := b.CatchUp(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if a.Digest() != b.Digest() {
			t.Fatalf("after catching up b differs from a: %v and %v", b.Counts(), a.Counts())
		}
		head, _ := a.store.LogHead(ctx)
		if pos != head || b.Applied() != head {
			t.Errorf("b is at %d (Applied %d), want the head %d", pos, b.Applied(), head)
		}
		if _, err := a.CatchUp(ctx); err != nil {
			t.Fatal(err)
		}
		if remote != 0 || local != 60 {
			t.Errorf("a heard %d changes of its own and %d remote ones, want 60 and 0", local, remote)
		}
	})
	t.Run("a read model behind the horizon reloads", func(t *testing.T) {
		writeEverything(t, a, rand.New(rand.NewPCG(3, 4)), 30)
		st := a.store.(*store.Store)
		if _, err := st.PruneLog(ctx, time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if _, err := b.CatchUp(ctx); err != nil {
			t.Fatal(err)
		}
		if a.Digest() != b.Digest() {
			t.Fatal("after the reload b differs from a")
		}
	})
	t.Run("following runs until its context ends and catches up at every wake-up", func(t *testing.T) {
		fctx, cancel := context.WithCancel(ctx)
		wake := make(chan struct{})
		done := make(chan struct{})
		go func() { b.Follow(fctx, wake, time.Hour, discard); close(done) }()
		writeEverything(t, a, rand.New(rand.NewPCG(5, 6)), 10)
		head, _ := a.store.LogHead(ctx)
		for b.Applied() < head {
			wake <- struct{}{}
		}
		cancel()
		<-done
		if a.Digest() != b.Digest() {
			t.Fatal("after following b differs from a")
		}
	})
}

var discard = slog.New(slog.DiscardHandler)
