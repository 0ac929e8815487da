package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/yurong/yurong/search"
)

// heldRebuild is a search engine whose rebuilds wait for the test.
type heldRebuild struct {
	search.Engine
	release chan struct{}
}

func (e heldRebuild) Rebuild(ctx context.Context) (search.Rebuild, error) {
	select {
	case <-e.release:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return e.Engine.Rebuild(ctx)
}

// TestNotReadyWhileTheFirstIndexIsBuilt: an instance whose index is still
// being built would answer every search with nothing, so it is not ready.
func TestNotReadyWhileTheFirstIndexIsBuilt(t *testing.T) {
	a, err := openApp(context.Background(), Config{DataDir: t.TempDir(), AdminToken: testToken, Demo: true, DemoSize: 100},
		slog.New(slog.NewTextHandler(io.Discard, nil)), testNow)
	if err != nil {
		t.Fatal(err)
	}
	held := heldRebuild{Engine: a.search, release: make(chan struct{})}
	a.search = held
	a.indexer = search.NewIndexer(held, search.NewSource(a.market, a.engine, a.market.Snapshot, search.Limits{}), a.checkpoint,
		search.IndexerOptions{Logger: a.log})
	a.start()
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(func() { srv.Close(); a.Close() })

	readyz := func() (int, map[string]any) {
		res, err := http.Get(srv.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var body struct {
			Search map[string]any `json:"search"`
		}
		json.NewDecoder(res.Body).Decode(&body)
		return res.StatusCode, body.Search
	}
	if code, s := readyz(); code != http.StatusServiceUnavailable || s["building"] != true {
		t.Fatalf("while the index is built: /readyz %d %v, want 503 and building", code, s)
	}
	close(held.release)
	waitUntil(t, time.Minute, "/readyz to answer 200 once the index is built", func() bool {
		code, _ := readyz()
		return code == http.StatusOK
	})
	var hits []struct{ Score float64 }
	post(t, srv, "", `{ search(query: "科技", types: [ENTERPRISE]) { score } }`, nil).decode(t, "search", &hits)
	if len(hits) == 0 {
		t.Error("ready, but search finds nothing")
	}
}
