package main

import (
	"context"
	"log/slog"
	"os"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkServerHeap opens a whole server (store, read model, engine,
// search) and reports the heap live once it serves, after a collection
// (issue 16). It opens YURONG_BENCH_DATA_DIR when set, a store filled
// before (e.g. by YURONG_DEMO_SIZE=60000 go run .), and the 2,000
// enterprise demo in a fresh directory otherwise. -memprofile then shows
// where the live heap goes:
//
//	YURONG_BENCH_DATA_DIR=/tmp/y60k go test . -run '^$' -bench ServerHeap -benchtime 1x -memprofile /tmp/server.mem
//	go tool pprof -sample_index=inuse_space -top /tmp/server.mem
func BenchmarkServerHeap(b *testing.B) {
	cfg := Config{DataDir: os.Getenv("YURONG_BENCH_DATA_DIR"), AdminToken: testToken, NoResponseCache: true}
	if cfg.DataDir == "" {
		cfg.DataDir, cfg.Demo, cfg.DemoSize = b.TempDir(), true, defaultDemoSize
	}
	var a *app
	var log lockedBuffer // background work logs too
	cpu := func() float64 {
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
	}
	for b.Loop() {
		start, cpu0 := time.Now(), cpu()
		var err error
		if a, err = newApp(context.Background(), cfg, slog.New(slog.NewTextHandler(&log, nil)), time.Now); err != nil {
			b.Fatal(err)
		}
		<-a.indexReady
		b.ReportMetric(time.Since(start).Seconds(), "s-to-ready")
		b.ReportMetric(cpu()-cpu0, "cpu-s-to-ready")
	}
	defer a.Close()
	for line := range strings.Lines(log.take()) {
		if strings.Contains(line, "engine") || strings.Contains(line, "loaded") {
			b.Log(strings.TrimSpace(line))
		}
	}
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "MiB-live")
	serverHeld = a
}

// serverHeld keeps the last server BenchmarkServerHeap opened live for
// -memprofile.
var serverHeld *app
