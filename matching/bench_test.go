package matching

import (
	"io"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/demo"
)

// henanSizes is the scale of DESIGN.md: 60,000 enterprises, 600 products,
// 500 incubators and 5,000 demands.
var henanSizes = demo.Sizes{Enterprises: 60_000, Institutions: 150, Products: 600, Incubators: 500, Demands: 5_000}

var henan = sync.OnceValue(func() *catalog.Dataset {
	d := demo.GenerateSizes(1, henanSizes, today)
	demo.AssignIDs(d)
	return d
})

// heapSampler records the peak of HeapInuse while it runs.
type heapSampler struct {
	peak atomic.Uint64
	stop chan struct{}
	done sync.WaitGroup
}

func sampleHeap(every time.Duration) *heapSampler {
	s := &heapSampler{stop: make(chan struct{})}
	s.done.Go(func() {
		var ms runtime.MemStats
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > s.peak.Load() {
				s.peak.Store(ms.HeapInuse)
			}
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	})
	return s
}

func (s *heapSampler) finish() uint64 {
	close(s.stop)
	s.done.Wait()
	return s.peak.Load()
}

// BenchmarkRematchHenan runs the full rematch at Henan's scale and reports
// its time, the peak heap in use (dataset included) and the live heap the
// engine holds after it.
//
//	go test ./matching -run '^$' -bench RematchHenan -benchtime 1x -benchmem
func BenchmarkRematchHenan(b *testing.B) {
	benchmarkRematch(b, henan())
}

// BenchmarkRematchSample is BenchmarkRematchHenan with a tenth of the
// enterprises and all of Henan's resources: the same work per enterprise,
// small enough to repeat for benchstat when tuning the rematch's loops.
//
//	go test ./matching -run '^$' -bench RematchSample -cpu 1 -count 8
func BenchmarkRematchSample(b *testing.B) {
	sizes := henanSizes
	sizes.Enterprises /= 10
	d := demo.GenerateSizes(1, sizes, today)
	demo.AssignIDs(d)
	cfg := testConfig()
	cfg.SharedInputs = true
	for b.Loop() {
		New(cfg).Rebuild(d)
	}
}

// nationalSizes is the whole country's scale (issue 16): ten times Henan's
// enterprises and resources.
var nationalSizes = demo.Sizes{Enterprises: 600_000, Institutions: 1_500, Products: 6_000, Incubators: 5_000, Demands: 50_000}

// BenchmarkRematchNational is BenchmarkRematchHenan at nationalSizes, with
// the same top K. It needs several GiB of memory and minutes: run it alone,
// once.
//
//	go test ./matching -run '^$' -bench RematchNational -benchtime 1x -benchmem -timeout 60m
func BenchmarkRematchNational(b *testing.B) {
	d := demo.GenerateSizes(1, nationalSizes, today)
	demo.AssignIDs(d)
	benchmarkRematch(b, d)
}

// benchmarkRematch rematches d and reports the rematch's wall and CPU time,
// the peak heap in use while it ran, and the heap live after it: the whole
// (MiB-live, the dataset included) and the engine's share of it
// (engine-MiB-live), per enterprise and per kept pairing.
func benchmarkRematch(b *testing.B, d *catalog.Dataset) {
	base := liveHeap()
	sampler := sampleHeap(20 * time.Millisecond)
	cpu0 := processCPU()
	b.ResetTimer()
	var e *Engine
	cfg := testConfig()
	cfg.SharedInputs = true // as the server runs it: the dataset is the read model's
	for b.Loop() {
		e = nil
		e = New(cfg)
		e.Rebuild(d)
	}
	b.StopTimer()
	peak := sampler.finish()
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/rematch")
	b.ReportMetric((processCPU()-cpu0).Seconds()/float64(b.N), "cpu-s/rematch")
	live := liveHeap()
	engine := float64(live) - float64(base)
	b.ReportMetric(float64(live)/(1<<20), "MiB-live")
	b.ReportMetric(engine/(1<<20), "engine-MiB-live")
	b.ReportMetric(engine/float64(len(d.Enterprises)), "engine-B/enterprise")
	kept := reportLists(b, e)
	b.ReportMetric(engine/float64(kept), "engine-B/kept-pairing")
	rematched = e // live when -memprofile writes its profile
}

// rematched is the last engine benchmarkRematch built.
var rematched *Engine

// liveHeap is the heap allocated after a collection: what is live.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// processCPU is the CPU time the process has used: unlike wall time, other
// processes' load on the machine does not inflate it.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportLists reports how full the lists are, to show the rematch did its
// work, and returns how many pairings the rows and columns keep.
func reportLists(b *testing.B, e *Engine) int {
	eligible, kept := 0, 0
	for i := range e.rows {
		for k := range e.rows[i].lists {
			eligible += len(e.rows[i].lists[k][eligibleList].items)
			kept += len(e.rows[i].lists[k][eligibleList].items) + len(e.rows[i].lists[k][ineligibleList].items)
		}
	}
	b.ReportMetric(float64(eligible)/float64(len(e.rows)), "eligible-kept/enterprise")
	b.ReportMetric(float64(kept)/float64(len(e.rows)), "kept/enterprise")
	for k := range e.cols {
		for r := range e.cols[k] {
			kept += len(e.cols[k][r].lists[eligibleList].items) + len(e.cols[k][r].lists[ineligibleList].items)
		}
	}
	return kept
}

var henanEngine = sync.OnceValue(func() *Engine {
	e := New(testConfig())
	e.Rebuild(henan())
	return e
})

// BenchmarkUpsertEnterprise updates one enterprise at Henan's scale: its
// view, its cohort and every pairing in both directions.
func BenchmarkUpsertEnterprise(b *testing.B) {
	e := henanEngine()
	d := henan()
	n := 0
	for b.Loop() {
		ent := cloneEnterprise(d.Enterprises[(n*7919)%len(d.Enterprises)])
		ent.Employees++
		if r := ent.LatestReport(); r != nil {
			r.RDExpense += catalog.Yuan(10_000)
		}
		e.UpsertEnterprise(ent)
		n++
	}
}

// BenchmarkMatches reads an enterprise's ten best pairings of every kind, as
// Enterprise.matches(first: 10) does.
func BenchmarkMatches(b *testing.B) {
	e := henanEngine()
	n := 0
	for b.Loop() {
		e.Matches(int64(1+(n*7919)%henanSizes.Enterprises), nil, 10, true)
		n++
	}
}

// BenchmarkCandidates reads a product's twenty best enterprises.
func BenchmarkCandidates(b *testing.B) {
	e := henanEngine()
	n := 0
	for b.Loop() {
		e.Candidates(catalog.Financing, int64(1+n%henanSizes.Products), 20, true)
		n++
	}
}

// BenchmarkUpsertEnterpriseDemo updates one enterprise of the default demo
// (2,000 enterprises), where cohorts are small enough to be refreshed
// eagerly at every write.
func BenchmarkUpsertEnterpriseDemo(b *testing.B) {
	d := demo.Generate(1, 2000, today)
	demo.AssignIDs(d)
	e := New(testConfig())
	e.Rebuild(d)
	var sizes []int
	for s := range e.cohorts {
		sizes = append(sizes, e.cohorts[s].size())
	}
	b.Logf("cohort sizes %v", sizes)
	n := 0
	for b.Loop() {
		ent := cloneEnterprise(d.Enterprises[(n*7919)%len(d.Enterprises)])
		ent.Employees++
		if r := ent.LatestReport(); r != nil {
			r.RDExpense += catalog.Yuan(10_000)
		}
		e.UpsertEnterprise(ent)
		n++
	}
}

// BenchmarkAdviseBlockedHenan computes, at Henan's scale, the advice for
// every ineligible FINANCING pairing of one enterprise (every product it
// does not qualify for), enterprise after enterprise, and reports the
// 99th percentile of the time per enterprise: wall time, and the CPU time
// of the thread doing it (the advice runs on one goroutine, locked to its
// thread here), which other load on the machine does not inflate.
//
//	go test ./matching -run '^$' -bench AdviseBlockedHenan -benchtime 200x
func BenchmarkAdviseBlockedHenan(b *testing.B) {
	e := henanEngine()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var walls, cpus []time.Duration
	advices, paths := 0, 0
	n := 0
	for b.Loop() {
		id := int64(1 + (n*7919)%henanSizes.Enterprises)
		start, cpu0 := time.Now(), threadCPU()
		as := e.AdviseBlocked(id)
		walls = append(walls, time.Since(start))
		cpus = append(cpus, threadCPU()-cpu0)
		advices += len(as)
		for _, a := range as {
			paths += len(a.Paths)
		}
		n++
	}
	ms := func(ds []time.Duration, q int) float64 {
		slices.Sort(ds)
		return float64(ds[min(len(ds)-1, len(ds)*q/100)].Microseconds()) / 1000
	}
	b.ReportMetric(ms(walls, 99), "p99-ms")
	b.ReportMetric(ms(walls, 50), "p50-ms")
	b.ReportMetric(ms(cpus, 99), "p99-cpu-ms")
	b.ReportMetric(ms(cpus, 50), "p50-cpu-ms")
	b.ReportMetric(float64(advices)/float64(n), "blocked-products/enterprise")
	b.ReportMetric(float64(paths)/float64(n), "paths/enterprise")
}

// threadCPU is the CPU time the calling thread has used.
func threadCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(rusageThread, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// rusageThread is RUSAGE_THREAD of Linux.
const rusageThread = 1

// BenchmarkRematchHenanModels is BenchmarkRematchHenan with 20
// institution models, each used by 5 products (100 of the 600), half
// replacing the province's score and half accompanying it.
//
//	go test ./matching -run '^$' -bench 'RematchHenan' -benchtime 1x -benchmem
func BenchmarkRematchHenanModels(b *testing.B) {
	d := henan()
	rng := rand.New(rand.NewPCG(20, 20))
	var models []ScoringModel
	uses := map[int64]ModelUse{}
	for m := range 20 {
		var w IndicatorWeights
		for i := range IndicatorCount {
			w.Startup[i], w.Growth[i], w.Stable[i] = rng.Float64(), rng.Float64(), rng.Float64()
		}
		models = append(models, ScoringModel{ID: int64(m + 1), InstitutionID: int64(m + 1), Version: 1, Name: "模型", Weights: w, MinScore: 100 * (m % 3)})
		for k := range 5 {
			mode := ModelReplaces
			if k%2 == 1 {
				mode = ModelAccompanies
			}
			uses[d.Products[(m*5+k)*len(d.Products)/100].ID] = ModelUse{ModelID: int64(m + 1), Mode: mode}
		}
	}
	runtime.GC()
	sampler := sampleHeap(20 * time.Millisecond)
	cpu0 := processCPU()
	b.ResetTimer()
	var e *Engine
	for b.Loop() {
		e = New(testConfig())
		e.SetScoringModels(models, uses)
		e.Rebuild(d)
	}
	b.StopTimer()
	peak := sampler.finish()
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/rematch")
	b.ReportMetric((processCPU()-cpu0).Seconds()/float64(b.N), "cpu-s/rematch")
	reportLists(b, e)
}

// BenchmarkRestoreHenan restores an engine at Henan's scale from the
// snapshot of a full rematch (RebuildFrom: the views, cohorts and text
// index built again, the inputs hashed, the rows and columns read), as a
// server's restart on unchanged data does, and reports the time to write
// the snapshot and its size.
//
//	go test ./matching -run '^$' -bench RestoreHenan -benchtime 3x
func BenchmarkRestoreHenan(b *testing.B) { benchmarkRestore(b, henan()) }

// BenchmarkRestoreNational is BenchmarkRestoreHenan at nationalSizes: the
// engine's part of a national restart. Its set-up is a national rematch
// (minutes, several GiB): run it alone, once.
//
//	go test ./matching -run '^$' -bench RestoreNational -benchtime 1x -timeout 60m
func BenchmarkRestoreNational(b *testing.B) {
	d := demo.GenerateSizes(1, nationalSizes, today)
	demo.AssignIDs(d)
	benchmarkRestore(b, d)
}

func benchmarkRestore(b *testing.B, d *catalog.Dataset) {
	cfg := testConfig()
	cfg.SharedInputs = true
	src := New(cfg)
	src.Rebuild(d)
	f, err := os.CreateTemp(b.TempDir(), "snapshot")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	start := time.Now()
	if err := src.WriteSnapshot(f); err != nil {
		b.Fatal(err)
	}
	write := time.Since(start)
	size, _ := f.Seek(0, io.SeekCurrent)
	src = nil
	runtime.GC()
	cpu0 := processCPU()
	b.ResetTimer()
	for b.Loop() {
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			b.Fatal(err)
		}
		e := New(cfg)
		if ok, why := e.RebuildFrom(d, f); !ok {
			b.Fatalf("the snapshot was not restored: %v", why)
		}
	}
	b.StopTimer()
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/restore")
	b.ReportMetric((processCPU()-cpu0).Seconds()/float64(b.N), "cpu-s/restore")
	b.ReportMetric(write.Seconds(), "s/write")
	b.ReportMetric(float64(size)/(1<<20), "snapshot-MiB")
}
