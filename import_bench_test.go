package main

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/demo"
	"github.com/yurong/yurong/sheets"
)

// cpuTime is the CPU this process has used, user and system: on a shared
// machine it says what an operation costs when its wall time says how busy
// the machine was.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkImportHenan imports 60,000 enterprises with two years of annual
// reports each (and their subsidies) from one .xlsx file into an empty
// embedded store of a running instance: reading the workbook, validating,
// committing in batches with their change-log entries, the read model and
// the matching engine. Run with -benchtime 1x (BENCHMARKS.md).
func BenchmarkImportHenan(b *testing.B) {
	es := demo.Generate(2026, 60_000, testNow()).Enterprises
	var model *catalog.Enterprise // an enterprise with two reports, for those with none (just founded)
	for _, e := range es {
		if len(e.Reports) >= 2 {
			model = e
			break
		}
	}
	for _, e := range es {
		if len(e.Reports) == 0 {
			e.Reports = model.Reports
		}
		latest := e.Reports[len(e.Reports)-1]
		prev := latest
		prev.Year--
		if len(e.Reports) >= 2 {
			prev = e.Reports[len(e.Reports)-2]
		}
		e.Reports = []catalog.AnnualReport{prev, latest}
		if e.FoundedOn.Year() > prev.Year {
			e.FoundedOn = time.Date(prev.Year, 1, 1, 0, 0, 0, 0, time.UTC)
		}
	}
	path := filepath.Join(b.TempDir(), "henan.xlsx")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := sheets.WriteEnterprises(f, es); err != nil {
		b.Fatal(err)
	}
	f.Close()
	st, _ := os.Stat(path)
	b.ReportMetric(float64(st.Size())/(1<<20), "file-MiB")

	for b.Loop() {
		b.StopTimer()
		cfg := Config{DataDir: b.TempDir(), AdminToken: testToken}
		a, err := newApp(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), testNow)
		if err != nil {
			b.Fatal(err)
		}
		in, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		cpu := cpuTime()
		b.StartTimer()
		wb, err := sheets.Open(path, bufio.NewReader(in))
		if err != nil {
			b.Fatal(err)
		}
		rep, err := sheets.ImportEnterprises(context.Background(), importWriter{a.market}, wb, sheets.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		b.ReportMetric((cpuTime() - cpu).Seconds(), "cpu-s/op")
		wb.Close()
		in.Close()
		if rep.Created != len(es) || len(rep.Problems) != 0 {
			b.Fatalf("created %d of %d, problems %v", rep.Created, len(es), rep.Problems[:min(5, len(rep.Problems))])
		}
		if n := a.market.Counts()["enterprise"]; n != len(es) {
			b.Fatalf("the read model holds %d", n)
		}
		a.Close()
		b.StartTimer()
	}
}
