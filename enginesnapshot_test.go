package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/yurong/yurong/matching"
)

// TestRestartRestoresTheEngineSnapshot: a start rematches and writes the
// engine's snapshot; a restart on the same data restores it and answers as
// the start before did; a restart with a damaged snapshot rematches.
func TestRestartRestoresTheEngineSnapshot(t *testing.T) {
	dir := t.TempDir()
	cfg := Config{DataDir: dir, AdminToken: testToken, Demo: true, DemoSize: 300, NoResponseCache: true}
	start := func() (*app, string) {
		t.Helper()
		var log lockedBuffer // background work logs too
		a, err := newApp(context.Background(), cfg, slog.New(slog.NewTextHandler(&log, nil)), testNow)
		if err != nil {
			t.Fatal(err)
		}
		<-a.indexReady
		return a, log.take()
	}
	// The demo's start writes after the engine's load (its financing
	// history, events and links), so its snapshot is of other data than
	// the next start's.
	demo, _ := start()
	demo.Close()
	first, log := start()
	if !strings.Contains(log, "engine snapshot written") {
		t.Fatalf("the start after the demo's wrote no snapshot:\n%s", log)
	}
	want := allMatches(t, first)
	first.Close()

	second, log := start()
	if !strings.Contains(log, "engine restored from its snapshot") {
		t.Fatalf("the restart did not restore the snapshot:\n%s", log)
	}
	// The relations (top banks, links, scoring models) were in the
	// snapshot: nothing is rescored after it is restored.
	for _, moved := range []string{"the top quarter of the bank evaluation changed", "the links changed", "the scoring models changed"} {
		if strings.Contains(log, moved) {
			t.Errorf("the restored start rescored after the load (%q):\n%s", moved, log)
		}
	}
	if got := allMatches(t, second); !reflect.DeepEqual(got, want) {
		t.Error("the restored engine answers otherwise than the start before")
	}
	second.Close()

	path := filepath.Join(dir, engineSnapshotFile)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 1
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	third, log := start()
	defer third.Close()
	if !strings.Contains(log, "engine rematched: no usable snapshot") || !strings.Contains(log, "engine snapshot written") {
		t.Fatalf("a damaged snapshot was not rematched and rewritten:\n%s", log)
	}
	if got := allMatches(t, third); !reflect.DeepEqual(got, want) {
		t.Error("the rematched engine answers otherwise than the start before")
	}
}

// allMatches is every enterprise's pairings, eligible or not, as the engine
// keeps them.
func allMatches(t *testing.T, a *app) [][]matching.Pairing {
	t.Helper()
	d, err := a.market.Snapshot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out [][]matching.Pairing
	for _, e := range d.Enterprises {
		out = append(out, a.engine.Matches(e.ID, nil, 100, false))
	}
	return out
}
