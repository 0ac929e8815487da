package matching

import (
	"sync"
	"testing"

	"github.com/yurong/yurong/catalog"
)

var sliceBenchWrites int

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
		sliceBenchWrites++ // a new value at every write, across runs too
		ent.Employees += sliceBenchWrites
		if r := ent.LatestReport(); r != nil {
			r.RDExpense += catalog.Yuan(10_000)
		}
		e.UpsertEnterprise(ent)
		notes += len(e.TakeSliceChanges().Pairings)
		n++
	}
	b.ReportMetric(float64(notes)/float64(n), "notes/op")
}

// BenchmarkEnterpriseSlice reads an enterprise's whole part of the slice,
// as the indexer does for its event (its own best 3 of each kind, and the
// pairings where it is among a resource's best 20: a scan of every
// column), against BenchmarkEnterpriseOwnList, its own list alone (what
// the indexer read before).
func BenchmarkEnterpriseSlice(b *testing.B) {
	e := henanTracked()
	n, got := 0, 0
	for b.Loop() {
		got += len(e.EnterpriseSlice(int64(1 + (n*7919)%henanSizes.Enterprises)))
		n++
	}
	b.ReportMetric(float64(got)/float64(n), "pairings/op")
}

func BenchmarkEnterpriseOwnList(b *testing.B) {
	e := henanTracked()
	n, got := 0, 0
	for b.Loop() {
		for _, k := range catalog.PairingKinds {
			got += len(e.Matches(int64(1+(n*7919)%henanSizes.Enterprises), &k, DefaultSlicePerEnterprise, false))
		}
		n++
	}
	b.ReportMetric(float64(got)/float64(n), "pairings/op")
}
