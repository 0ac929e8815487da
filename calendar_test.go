package main

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// TestTheDayMovesWithoutAWrite: at midnight every date rule moves to the
// new day by itself, cached answers included; no write is needed.
func TestTheDayMovesWithoutAWrite(t *testing.T) {
	var clock atomic.Pointer[time.Time]
	start := testNow()
	clock.Store(&start)
	now := func() time.Time { return *clock.Load() }
	a, err := openApp(context.Background(), Config{DataDir: t.TempDir(), AdminToken: testToken}, slog.New(slog.NewTextHandler(io.Discard, nil)), now)
	if err != nil {
		t.Fatal(err)
	}
	a.dayCheck = 5 * time.Millisecond
	a.start()
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(func() { srv.Close(); a.Close() })

	// Five years old tomorrow: early today, no longer early tomorrow.
	in := enterpriseInput("郑州明日科技有限公司", "91410100MA46CCCC1"+checkChar(t, "91410100MA46CCCC1"))
	in["foundedOn"] = start.AddDate(-5, 0, 1).Format(time.DateOnly)
	var p payload
	post(t, srv, testToken, createEnterprise, map[string]any{"input": in}).decode(t, "createEnterprise", &p)
	if p.Enterprise == nil {
		t.Fatalf("create: %+v", p.UserErrors)
	}
	early := func() bool {
		var e struct {
			EarlySmallHard struct{ Early bool } `json:"earlySmallHard"`
		}
		post(t, srv, "", `query($id: ID!) { node(id: $id) { ... on Enterprise { earlySmallHard { early } } } }`,
			map[string]any{"id": p.Enterprise.ID}).decode(t, "node", &e)
		return e.EarlySmallHard.Early
	}
	if !early() || !early() { // the second answer comes from the response cache
		t.Fatal("an enterprise under five years old is not early")
	}
	tomorrow := start.Add(24 * time.Hour)
	clock.Store(&tomorrow)
	waitUntil(t, 10*time.Second, "the enterprise to stop being early on its fifth anniversary", func() bool { return !early() })
}
