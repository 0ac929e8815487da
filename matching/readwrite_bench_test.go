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
			var all []time.Duration
			var next atomic.Int64
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				var lat []time.Duration
				for pb.Next() {
					id := int64(1 + (next.Add(1)*7919)%int64(len(d.Enterprises)))
					start := time.Now()
					e.MatchesTo(id, nil, 10, true, ReasonFactors)
					lat = append(lat, time.Since(start))
				}
				mu.Lock()
				all = append(all, lat...)
				mu.Unlock()
			})
			b.StopTimer()
			close(stop)
			wg.Wait()
			slices.Sort(all)
			at := func(q float64) float64 {
				return float64(all[min(len(all)-1, int(q*float64(len(all))))].Microseconds())
			}
			b.ReportMetric(at(0.50), "p50-µs")
			b.ReportMetric(at(0.99), "p99-µs")
			b.ReportMetric(at(0.999), "p99.9-µs")
			b.ReportMetric(float64(all[len(all)-1].Microseconds()), "max-µs")
			if n := writes.Load(); n > 0 {
				b.ReportMetric(float64(n), "writes")
				b.ReportMetric(float64(writeTime.Load())/float64(n)/1e6, "ms/write")
			}
		})
	}
}
