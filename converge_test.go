package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/internal/redistest"
	"github.com/yurong/yurong/marketplace"
	"github.com/yurong/yurong/pubsub"
	"github.com/yurong/yurong/search"
	"github.com/yurong/yurong/statebackend"
)

// slowBroker hands on a subscription's messages one per delay, as a
// subscriber too slow for the rate of writes would take them: the broker's
// buffer behind it overflows and drops messages.
type slowBroker struct {
	pubsub.Broker
	delay time.Duration
}

func (b slowBroker) Subscribe(ctx context.Context, topic string) (<-chan []byte, func()) {
	in, cancel := b.Broker.Subscribe(ctx, topic)
	out := make(chan []byte)
	go func() {
		defer close(out)
		for m := range in {
			select {
			case <-time.After(b.delay):
			case <-ctx.Done():
				return
			}
			select {
			case out <- m:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, cancel
}

// openInstance opens an instance, lets edit change it, then starts its
// background work.
func openInstance(t *testing.T, cfg Config, edit func(*app)) *app {
	t.Helper()
	a, err := openApp(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), testNow)
	if err != nil {
		t.Fatalf("open an instance: %v", err)
	}
	if edit != nil {
		edit(a)
	}
	a.start()
	t.Cleanup(func() { a.Close() })
	return a
}

// indexDigest hashes every pairing document of an instance's search index
// and the number of its catalogue documents of each type.
func indexDigest(t *testing.T, a *app) string {
	t.Helper()
	ctx := context.Background()
	var lines []string
	for after := ""; ; {
		p, err := a.search.Pairings(ctx, search.PairingQuery{First: search.MaxFirst, After: after})
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range p.Hits {
			lines = append(lines, fmt.Sprintf("%s %s %d %d %.6f", h.ID, h.Kind, h.EnterpriseID, h.ResourceID, h.Score))
		}
		if !p.HasNextPage || len(p.Hits) == 0 {
			break
		}
		after = p.Hits[len(p.Hits)-1].Cursor
	}
	slices.Sort(lines)
	st, err := a.search.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, ty := range search.CatalogTypes {
		lines = append(lines, fmt.Sprintf("%s %d", ty, st.Documents[ty]))
	}
	h := sha256.New()
	for _, l := range lines {
		fmt.Fprintln(h, l)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// caughtUp reports whether an instance reflects the whole change log: its
// read model and engine, and its search index.
func caughtUp(t *testing.T, a *app) bool {
	t.Helper()
	ctx := context.Background()
	head, err := a.store.LogHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if a.market.Applied() < head {
		return false
	}
	lag, err := a.indexer.Lag(ctx)
	return err == nil && lag.Pending == 0 && lag.LastError == ""
}

// TestInstancesConvergeWhateverTheBroker writes on one instance while the
// broker between the instances is killed and restarted and the other
// instance takes its messages too slowly to keep any of them: once writes
// stop, the second instance's read model, engine and index are the first's,
// without a restart.
func TestInstancesConvergeWhateverTheBroker(t *testing.T) {
	dbURL, _, prefix := sharedBackends(t)
	redis := redistest.Start(t)
	cfg := Config{DatabaseURL: dbURL, RedisURL: redis.URL(), AdminToken: testToken, Demo: true, DemoSize: convergeSize.demo,
		Cache: statebackend.Options{Prefix: prefix}}
	cfgB := cfg
	cfg.DataDir, cfgB.DataDir = t.TempDir(), t.TempDir()
	a := openInstance(t, cfg, nil)
	b := openInstance(t, cfgB, func(b *app) { b.feed = slowBroker{Broker: b.feed, delay: 50 * time.Millisecond} })
	waitUntil(t, time.Minute, "both instances to build their index", func() bool { return caughtUp(t, a) && caughtUp(t, b) })

	ctx := context.Background()
	rng := rand.New(rand.NewPCG(8, 1))
	writes := convergeSize.writes
	ents := a.market.Enterprises(marketplace.EnterpriseFilter{}, 0, 1000).Items
	banks := a.market.Institutions()
	for i := range writes {
		if i%100 == 0 {
			t.Logf("write %d at %v", i, time.Now().Format("15:04:05.000"))
		}
		switch i {
		case writes * 3 / 10:
			redis.Stop()
		case writes * 6 / 10:
			redis.Restart()
		}
		var p catalog.Problems
		var err error
		switch k := rng.IntN(10); {
		case k < 4:
			_, p, err = a.market.UpdateEnterprise(ctx, ents[rng.IntN(len(ents))].ID, func(e *catalog.Enterprise) {
				e.Employees = rng.IntN(400)
				e.HasWarrantLoan = rng.IntN(2) == 0
			})
		case k < 6:
			_, p, err = a.market.RecordCompetitionEntry(ctx, ents[rng.IntN(len(ents))].ID, catalog.CompetitionEntry{Year: testNow().Year(),
				Group: catalog.StartupGroup, Track: catalog.NewMaterials, StageReached: catalog.Preliminary, Award: catalog.NoAward})
		case k < 7:
			e := convergeEnterprise(t, i)
			_, p, err = a.market.CreateEnterprise(ctx, e)
			ents = append(ents, e)
		case k < 8:
			_, p, err = a.market.CreateFinancialProduct(ctx, &catalog.FinancialProduct{Name: fmt.Sprintf("收敛科技贷%d", i),
				ProviderID: banks[rng.IntN(len(banks))].ID, Kind: catalog.Loan, Program: catalog.TechLoan,
				MaxAmount: catalog.Yuan(int64(rng.IntN(900)+100) * 10_000)})
		case k < 9:
			_, p, err = a.market.CreateIncubator(ctx, &catalog.Incubator{Name: fmt.Sprintf("收敛众创空间%d", i), Kind: catalog.Makerspace,
				Level: catalog.MunicipalLevel, City: catalog.Luoyang, Vacancies: rng.IntN(4)})
		default:
			_, p, err = a.market.CreateDemand(ctx, &catalog.SupplyChainDemand{Title: fmt.Sprintf("收敛采购需求%d", i), Kind: catalog.PurchaseOrder,
				IndustryChain: "新材料", Track: catalog.NewMaterials, City: catalog.Xuchang, OwnerName: "链主集团", Keywords: []string{"碳化硅", "超硬材料"}})
		}
		if err != nil || len(p) > 0 {
			t.Fatalf("write %d on A: %v %v", i, err, p)
		}
	}

	t.Logf("writes done at %v", time.Now().Format("15:04:05.000"))
	waitUntil(t, 2*time.Minute, "B to catch up with every write", func() bool { return caughtUp(t, a) && caughtUp(t, b) })
	t.Logf("caught up at %v", time.Now().Format("15:04:05.000"))
	if got, want := b.market.Digest(), a.market.Digest(); got != want {
		t.Errorf("B's read model differs from A's (%v and %v)", b.market.Counts(), a.market.Counts())
	}
	if b.engine.Digest() != a.engine.Digest() {
		t.Error("B's engine differs from A's")
	}
	if b.search.Name() == a.search.Name() && indexDigest(t, b) != indexDigest(t, a) {
		t.Error("B's search index differs from A's")
	}
}

// convergeEnterprise is a valid new enterprise with a credit code of its
// own.
func convergeEnterprise(t *testing.T, i int) *catalog.Enterprise {
	t.Helper()
	prefix := fmt.Sprintf("91410300MA%07d", 4_000_000+i)
	return &catalog.Enterprise{Name: fmt.Sprintf("收敛测试%d科技有限公司", i), CreditCode: prefix + checkChar(t, prefix),
		City: catalog.Luoyang, FoundedOn: time.Date(2023, 3, 1, 0, 0, 0, 0, time.UTC), Employees: 20, Track: catalog.NewMaterials,
		Description: "碳化硅衬底研发", Keywords: []string{"碳化硅"}, CreditStatus: catalog.CreditGood}
}
