package search

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/demo"
	"github.com/yurong/yurong/matching"
	"github.com/yurong/yurong/store"
)

// Benchmarks at Henan scale: 60,000 enterprises, 150 institutions, 600
// products, 500 incubators, 5,000 demands, ranked by the matching engine,
// indexed with the default Limits. They only run with -bench:
//
//	go test ./search -run '^$' -bench 'ReindexHenan' -benchtime 1x -timeout 30m
//	go test ./search -run '^$' -bench 'Henan/' -benchtime 2000x -timeout 30m
//
// The first builds the index from scratch (the full reindex) and reports
// its throughput; the second reuses one index built once and reports the
// latency percentiles of single requests.

var henanSizes = demo.Sizes{Enterprises: 60000, Institutions: 150, Products: 600, Incubators: 500, Demands: 5000}

// henanFixture is the dataset, the ranked engine and an index of them,
// built once per test binary.
type henanFixture struct {
	once     sync.Once
	err      error
	dir      string
	data     *catalog.Dataset
	m        *matching.Engine
	src      Source
	eng      *Bleve
	rebuild  time.Duration
	reindex  time.Duration
	docs     int
	pairings int
}

var henan henanFixture

// cleanups are run by TestMain after the tests and benchmarks.
var benchCleanups []func()

func TestMain(m *testing.M) {
	code := m.Run()
	for _, f := range benchCleanups {
		f()
	}
	os.Exit(code)
}

// buildHenan generates the data, ranks it and returns a Source over it.
func buildHenan(tb testing.TB) (*catalog.Dataset, *matching.Engine, Source, time.Duration) {
	tb.Helper()
	d := demo.GenerateSizes(1, henanSizes, testToday)
	demo.AssignIDs(d)
	m := matching.New(matching.Config{Today: func() time.Time { return testToday }})
	start := time.Now()
	m.Rebuild(d)
	return d, m, DatasetSource(d, m, Limits{}), time.Since(start)
}

// reindexInto runs a full reindex of src into a fresh engine in dir.
func reindexInto(tb testing.TB, dir string, src Source) (*Bleve, Progress, time.Duration) {
	tb.Helper()
	ctx := context.Background()
	eng, err := OpenBleve(filepath.Join(dir, "search"))
	if err != nil {
		tb.Fatal(err)
	}
	st, err := store.Open(ctx, "", dir) // an empty outbox: nothing to replay
	if err != nil {
		tb.Fatal(err)
	}
	defer st.Close()
	ix := NewIndexer(eng, src, NewCheckpoint(st, "bench"), IndexerOptions{Logger: quietLogger()})
	var last Progress
	start := time.Now()
	if err := ix.Reindex(ctx, func(p Progress) { last = p }); err != nil {
		tb.Fatal(err)
	}
	return eng, last, time.Since(start)
}

func (h *henanFixture) get(b *testing.B) *henanFixture {
	b.Helper()
	h.once.Do(func() {
		h.dir, h.err = os.MkdirTemp("", "yurong-search-bench-")
		if h.err != nil {
			return
		}
		benchCleanups = append(benchCleanups, func() {
			if h.eng != nil {
				h.eng.Close()
			}
			os.RemoveAll(h.dir)
		})
		h.data, h.m, h.src, h.rebuild = buildHenan(b)
		var p Progress
		h.eng, p, h.reindex = reindexInto(b, h.dir, h.src)
		h.docs = p.Documents
		st, err := h.eng.Stats(context.Background())
		if err != nil {
			h.err = err
			return
		}
		h.pairings = st.Documents[TypePairing]
	})
	if h.err != nil {
		b.Fatal(h.err)
	}
	return h
}

// BenchmarkReindexHenan is the full reindex at Henan scale: documents of
// every entity and of the top pairings, built from the ranked engine and
// indexed into a fresh index, then swapped in.
func BenchmarkReindexHenan(b *testing.B) {
	d, _, src, rebuild := buildHenan(b)
	b.ResetTimer()
	var docs int
	var total time.Duration
	for range b.N {
		eng, p, took := reindexInto(b, b.TempDir(), src)
		eng.Close()
		docs, total = p.Documents, total+took
	}
	b.StopTimer()
	per := total / time.Duration(b.N)
	b.ReportMetric(float64(docs)/per.Seconds(), "docs/s")
	b.ReportMetric(per.Seconds(), "s/reindex")
	b.ReportMetric(float64(docs), "docs")
	b.ReportMetric(rebuild.Seconds(), "s-matching-rebuild")
	b.Logf("%d enterprises; %d documents in %v (%.0f docs/s); matching rebuild %v",
		len(d.Enterprises), docs, per.Round(time.Millisecond), float64(docs)/per.Seconds(), rebuild.Round(time.Millisecond))
}

// latencies runs one request per iteration and reports p50 and p99.
func latencies(b *testing.B, req func(i int) error) {
	b.Helper()
	ds := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		if err := req(i); err != nil {
			b.Fatal(err)
		}
		ds = append(ds, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(ds)
	pct := func(p float64) float64 {
		return float64(ds[min(len(ds)-1, int(p*float64(len(ds))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

func BenchmarkHenan(b *testing.B) {
	h := henan.get(b)
	ctx := context.Background()
	b.Logf("index: %d documents (%d pairings) built in %v; matching rebuild %v",
		h.docs, h.pairings, h.reindex.Round(time.Millisecond), h.rebuild.Round(time.Millisecond))

	// A page of an organiser's filtered list: a track, a city, eligible
	// pairings scoring at least 40, best first.
	b.Run("PairingsFiltered", func(b *testing.B) {
		cities := catalog.Cities
		latencies(b, func(i int) error {
			f := PairingFilter{
				Tracks:       []catalog.Track{catalog.Tracks[i%len(catalog.Tracks)]},
				Cities:       []catalog.City{cities[(i/len(catalog.Tracks))%len(cities)]},
				EligibleOnly: true,
				MinScore:     ptr(40.0),
			}
			_, err := h.eng.Pairings(ctx, PairingQuery{Filter: f, First: 20})
			return err
		})
	})
	// One kind on one track: a broad filter (tens of thousands of hits).
	b.Run("PairingsKindTrack", func(b *testing.B) {
		latencies(b, func(i int) error {
			f := PairingFilter{
				Kinds:  []catalog.PairingKind{catalog.PairingKinds[i%3]},
				Tracks: []catalog.Track{catalog.Tracks[(i/3)%len(catalog.Tracks)]},
			}
			_, err := h.eng.Pairings(ctx, PairingQuery{Filter: f, First: 20})
			return err
		})
	})
	// No filter at all: the whole list's first page.
	b.Run("PairingsUnfiltered", func(b *testing.B) {
		latencies(b, func(int) error {
			_, err := h.eng.Pairings(ctx, PairingQuery{First: 20})
			return err
		})
	})
	// A bank's view: one product's pairings.
	b.Run("PairingsResource", func(b *testing.B) {
		latencies(b, func(i int) error {
			f := PairingFilter{Resource: &ResourceRef{Kind: catalog.Financing, ID: int64(i%len(h.data.Products) + 1)}}
			_, err := h.eng.Pairings(ctx, PairingQuery{Filter: f, First: 20})
			return err
		})
	})
	// The fifth page of a filtered list, through cursors.
	b.Run("PairingsFilteredPage5", func(b *testing.B) {
		latencies(b, func(i int) error {
			q := PairingQuery{Filter: PairingFilter{Tracks: []catalog.Track{catalog.Tracks[i%len(catalog.Tracks)]}, EligibleOnly: true}, First: 20}
			for range 5 {
				page, err := h.eng.Pairings(ctx, q)
				if err != nil || !page.HasNextPage {
					return err
				}
				q.After = page.Hits[len(page.Hits)-1].Cursor
			}
			return nil
		})
	})
	words := benchWords(h.data)
	// Pairings by text and a city.
	b.Run("PairingsText", func(b *testing.B) {
		latencies(b, func(i int) error {
			q := PairingQuery{Text: words[i%len(words)], Filter: PairingFilter{Cities: []catalog.City{catalog.Cities[i%len(catalog.Cities)]}}, First: 20}
			_, err := h.eng.Pairings(ctx, q)
			return err
		})
	})
	// Full-text search over the catalogue with highlights.
	b.Run("Search", func(b *testing.B) {
		latencies(b, func(i int) error {
			_, err := h.eng.Search(ctx, Query{Text: words[i%len(words)], First: 20})
			return err
		})
	})
	// The indexer's work for one enterprise's event: its documents (its
	// whole part of the slice) upserted and its other pairings deleted,
	// durably.
	b.Run("IndexOneEnterprise", func(b *testing.B) {
		latencies(b, func(i int) error {
			e := h.data.Enterprises[(i*7919)%len(h.data.Enterprises)]
			bld := newDocBuilder(h.src)
			ent, _ := bld.enterprise(ctx, e.ID)
			ps, _ := h.src.EnterpriseSlice(ctx, e.ID)
			pds, err := bld.pairings(ctx, ps)
			if err != nil {
				return err
			}
			docs := []Document{ent}
			keep := make([]string, len(pds))
			for j, p := range pds {
				docs = append(docs, p)
				keep[j] = p.ID
			}
			if err := h.eng.Index(ctx, docs); err != nil {
				return err
			}
			return h.eng.DeletePairings(ctx, PairingSelector{EnterpriseID: e.ID, Keep: keep})
		})
	})
	// A whole enterprise write, as a server indexes it: the engine's
	// update, then one batch of the indexer with its event and the
	// pairings of others the write moved in or out of the slice.
	b.Run("IndexOneEnterpriseWrite", func(b *testing.B) {
		ix := NewIndexer(h.eng, h.src, nil, IndexerOptions{Logger: quietLogger()})
		h.m.TakeSliceChanges() // start from no notes
		moved := 0
		latencies(b, func(i int) error {
			e := *h.data.Enterprises[(i*7919)%len(h.data.Enterprises)]
			e.Employees++
			h.m.UpsertEnterprise(&e)
			keys := h.m.TakeSliceChanges().Pairings
			moved += len(keys)
			return ix.apply(ctx, []store.OutboxEvent{{ID: int64(i + 1), Entity: store.EntityEnterprise, EntityID: e.ID}}, keys)
		})
		b.ReportMetric(float64(moved)/float64(b.N), "moved/op")
	})
}

// benchWords are search terms taken from the data: enterprise keywords
// and sub-words of them.
func benchWords(d *catalog.Dataset) []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range d.Enterprises[:2000] {
		for _, k := range e.Keywords {
			for _, w := range []string{k, subword(k)} {
				if w != "" && !seen[w] {
					seen[w] = true
					out = append(out, w)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// subword is the last two characters of a Chinese keyword of four or more.
func subword(k string) string {
	r := []rune(k)
	if len(r) < 4 {
		return ""
	}
	return string(r[len(r)-2:])
}

// BenchmarkHenanSanity checks the Henan index answers sensibly, so the
// figures above measure real work.
func BenchmarkHenanSanity(b *testing.B) {
	h := henan.get(b)
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		page, err := h.eng.Pairings(ctx, PairingQuery{Filter: PairingFilter{Tracks: []catalog.Track{catalog.NewMaterials},
			Cities: []catalog.City{catalog.Zhengzhou}, EligibleOnly: true}, First: 20})
		if err != nil || page.Total == 0 || len(page.Hits) != 20 {
			b.Fatalf("filtered page: %v, %d hits of %d", err, len(page.Hits), page.Total)
		}
		res, err := h.eng.Search(ctx, Query{Text: h.data.Enterprises[100].Name, First: 5})
		if err != nil || len(res.Hits) == 0 || res.Hits[0].ID != DocID(TypeEnterprise, h.data.Enterprises[100].ID) {
			b.Fatalf("search by name: %v, %+v", err, res.Hits)
		}
	}
	b.Logf("%d pairings indexed", h.pairings)
}
