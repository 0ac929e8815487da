package matching

import (
	"sync"
	"testing"

	"github.com/yurong/yurong/catalog"
)

var henanTracked = sync.OnceValue(func() *Engine {
	e := New(testConfig())
	e.Rebuild(henan())
	e.TrackSlice(Slice{})
	return e
})

// BenchmarkUpsertEnterpriseSlice is BenchmarkUpsertEnterprise with the
// search index's slice tracked, as a server runs it: the write also notes
// what it moved in the slice, and the notes are taken after every write.
func BenchmarkUpsertEnterpriseSlice(b *testing.B) {
	e := henanTracked()
	d := henan()
	n, notes := 0, 0
	for b.Loop() {
		ent := cloneEnterprise(d.Enterprises[(n*7919)%len(d.Enterprises)])
		ent.Employees++
		if r := ent.LatestReport(); r != nil {
			r.RDExpense += catalog.Yuan(10_000)
		}
		e.UpsertEnterprise(ent)
		notes += len(e.TakeSliceChanges().Pairings)
		n++
	}
	b.ReportMetric(float64(notes)/float64(n), "notes/op")
}
