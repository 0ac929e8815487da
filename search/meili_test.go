package search

import (
	"context"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"
)

var meiliTestIndexes atomic.Int64

// openRealMeili opens the adapter on the server at YURONG_MEILI_URL with
// index names of its own, and drops them after the test.
func openRealMeili(t *testing.T) Engine {
	t.Helper()
	url := os.Getenv("YURONG_MEILI_URL")
	prefix := fmt.Sprintf("yurong_test_%d_%d_", time.Now().UnixNano(), meiliTestIndexes.Add(1))
	ctx := context.Background()
	m, err := OpenMeili(ctx, url, os.Getenv("YURONG_MEILI_KEY"), MeiliOptions{IndexPrefix: prefix})
	if err != nil {
		t.Fatalf("OpenMeili(%s): %v", url, err)
	}
	t.Cleanup(func() {
		for _, typ := range meiliTypes {
			m.dropIndex(ctx, m.uid(typ))
			m.dropIndex(ctx, m.nextUID(typ))
		}
		m.Close()
	})
	return m
}

// TestMeiliContract runs the port's contract suite on a real Meilisearch.
// The wire tests (meili_wire_test.go) run without one.
func TestMeiliContract(t *testing.T) {
	if os.Getenv("YURONG_MEILI_URL") == "" {
		t.Skip("YURONG_MEILI_URL is not set: the contract suite runs against a real Meilisearch only " +
			"(e.g. YURONG_MEILI_URL=http://127.0.0.1:7700 YURONG_MEILI_KEY=masterKey go test ./search -run Meili); " +
			"the wire-level tests of the adapter ran without it")
	}
	runContract(t, openRealMeili)
}
