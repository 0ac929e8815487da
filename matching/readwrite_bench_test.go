package matching

import (
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/yurong/yurong/catalog"
)

// BenchmarkMatchesWhileWriting reads enterprises' ten best matches with
// their reasons' factors (what Enterprise.matches { reasons { factor
// contribution } } asks the engine) from parallel readers at Henan's
// scale, alone and while a writer updates 100 enterprises a second, and
// reports the readers' latency percentiles and the writer's time per
// update (issue 16: readers never wait for writers).
//
//	go test ./matching -run '^$' -bench MatchesWhileWriting -benchtime 20000x
func BenchmarkMatchesWhileWriting(b *testing.B) {
	e := henanEngine()
	d := henan()
	for _, c := range []struct {
		name   string
		writes int // per second
	}{{"idle", 0}, {"100 writes a second", 100}} {
		b.Run(c.name, func(b *testing.B) {
			stop := make(chan struct{})
			var wg sync.WaitGroup
			var writes atomic.Int64
			var writeTime atomic.Int64
			if c.writes > 0 {
				wg.Go(func() {
					tick := time.NewTicker(time.Second / time.Duration(c.writes))
					defer tick.Stop()
					for n := 0; ; n++ {
						select {
						case <-stop:
							return
						case <-tick.C:
						}
						ent := cloneEnterprise(d.Enterprises[(n*7919+13)%len(d.Enterprises)])
						ent.Employees++
						if r := ent.LatestReport(); r != nil {
							r.RDExpense += catalog.Yuan(10_000)
						}
						start := time.Now()
						e.UpsertEnterprise(ent)
						writeTime.Add(int64(time.Since(start)))
						writes.Add(1)
					}
				})
			}
			var mu sync.Mutex
			var all, waits []time.Duration
			var next atomic.Int64
			began := time.Now()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				var lat, wait []time.Duration
				for pb.Next() {
					id := int64(1 + (next.Add(1)*7919)%int64(len(d.Enterprises)))
					start := time.Now()
					e.MatchesTo(id, nil, 10, true, ReasonFactors)
					lat = append(lat, time.Since(start))
					// The wait for the read lock alone, which a writer
					// holding the write lock makes long; the rest of a
					// read's tail is the CPU it shares with the writer.
					start = time.Now()
					e.mu.RLock()
					wait = append(wait, time.Since(start))
					e.mu.RUnlock()
				}
				mu.Lock()
				all = append(all, lat...)
				waits = append(waits, wait...)
				mu.Unlock()
			})
			b.StopTimer()
			elapsed := time.Since(began)
			close(stop)
			wg.Wait()
			slices.Sort(all)
			slices.Sort(waits)
			at := func(ds []time.Duration, q float64) float64 {
				return float64(ds[min(len(ds)-1, int(q*float64(len(ds))))].Microseconds())
			}
			b.ReportMetric(at(all, 0.50), "p50-µs")
			b.ReportMetric(at(all, 0.99), "p99-µs")
			b.ReportMetric(at(all, 0.999), "p99.9-µs")
			b.ReportMetric(float64(all[len(all)-1].Microseconds()), "max-µs")
			b.ReportMetric(at(waits, 0.99), "rlock-wait-p99-µs")
			b.ReportMetric(at(waits, 0.999), "rlock-wait-p99.9-µs")
			if n := writes.Load(); n > 0 {
				b.ReportMetric(float64(n)/elapsed.Seconds(), "writes/s")
				b.ReportMetric(float64(writeTime.Load())/float64(n)/1e6, "ms/write")
			}
		})
	}
}
