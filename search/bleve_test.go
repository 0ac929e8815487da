package search

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/yurong/yurong/catalog"
)

func openBleve(t *testing.T) Engine {
	t.Helper()
	b, err := OpenBleve(filepath.Join(t.TempDir(), "search"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return b
}

func TestBleveContract(t *testing.T) { runContract(t, openBleve) }

func TestBleveReopen(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "search")
	b, err := OpenBleve(dir)
	if err != nil {
		t.Fatal(err)
	}
	mustIndex(t, b, chineseCorpus()...)
	// A second process cannot open the index while this one holds it.
	start := time.Now()
	if _, err := OpenBleve(dir); err == nil {
		t.Fatal("opened an index held by another handle")
	} else if time.Since(start) > 10*time.Second {
		t.Errorf("a locked index took %v to fail", time.Since(start))
	}
	r, err := b.Rebuild(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Rebuild(ctx); !errors.Is(err, ErrRebuilding) {
		t.Errorf("second rebuild: %v, want ErrRebuilding", err)
	}
	if err := r.Index(ctx, chineseCorpus()[:3]); err != nil {
		t.Fatal(err)
	}
	if err := r.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	// A crashed rebuild leaves a directory behind.
	if err := os.MkdirAll(filepath.Join(dir, "gen-000999"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if err := b.Ping(ctx); !errors.Is(err, ErrClosed) {
		t.Errorf("Ping after Close: %v", err)
	}

	b, err = OpenBleve(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	st, err := b.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Documents[TypeEnterprise] != 3 {
		t.Errorf("after reopen: %v, want the rebuilt 3 enterprises", st.Documents)
	}
	gens, err := generations(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(gens) != 1 || gens[0] != "gen-000002" {
		t.Errorf("generations after reopen: %v", gens)
	}
}

func TestMarkup(t *testing.T) {
	text := "专注第三代半导体碳化硅功率器件的研发与生产。"
	at := func(s string) span {
		j := indexOf(text, s)
		return span{j, j + len(s)}
	}
	got := markup(text, []span{at("功率"), at("率器"), at("器件")}, 0)
	if want := "专注第三代半导体碳化硅<em>功率器件</em>的研发与生产。"; got != want {
		t.Errorf("markup = %q, want %q", got, want)
	}
	long := "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥" + text + "<b>" + text
	got = markup(long, []span{{indexOf(long, "器件"), indexOf(long, "器件") + len("器件")}, {indexOf(long, "<b>"), indexOf(long, "<b>") + 3}}, 20)
	// 12 runes of context, 20 in all; the second span is beyond the window.
	if want := "…注第三代半导体碳化硅功率<em>器件</em>的研发与生产…"; got != want {
		t.Errorf("cropped markup = %q, want %q", got, want)
	}
	got = markup("a<b>&c", []span{{1, 4}}, 0)
	if want := "a<em>&lt;b&gt;</em>&amp;c"; got != want {
		t.Errorf("escaped markup = %q, want %q", got, want)
	}
}

func indexOf(s, sub string) int { return strings.Index(s, sub) }

func TestCursorRoundTrip(t *testing.T) {
	p := position{centi: 7345, kindOrder: 2, ent: 42, res: 7}
	got, err := decodeCursor(p.cursor())
	if err != nil || got != p {
		t.Fatalf("decode(cursor(%v)) = %v, %v", p, got, err)
	}
	if q, ok := parseRankKey(p.rankKey()); !ok || q != p {
		t.Errorf("parseRankKey(rankKey(%v)) = %v, %v", p, q, ok)
	}
	keys := []string{
		position{centi: 10000}.rankKey(),
		position{centi: 7345, kindOrder: 0, ent: 99}.rankKey(),
		position{centi: 7345, kindOrder: 1, ent: 1}.rankKey(),
		position{centi: 7345, kindOrder: 1, ent: 2, res: 1}.rankKey(),
		position{centi: 0, kindOrder: 0}.rankKey(),
	}
	if !slices.IsSorted(keys) {
		t.Errorf("rank keys out of order: %v", keys)
	}
	for _, c := range []float64{60, 60.004, 59.995, 0, 100} {
		m := minCenti(c)
		if float64(m)/100 < c || float64(m-1)/100 >= c {
			t.Errorf("minCenti(%v) = %d", c, m)
		}
	}
}

func TestScoreRanges(t *testing.T) {
	e := openBleve(t).(*Bleve)
	ctx := context.Background()
	scores := []int{0, 1, 99, 100, 101, 950, 999, 1000, 1001, 4000, 4050, 4099, 4100, 5555, 9899, 9900, 9901, 9999, 10000}
	for c := 0; c <= maxCenti; c += 137 {
		scores = append(scores, c)
	}
	var docs []Document
	for i, c := range scores {
		docs = append(docs, &PairingDoc{ID: PairingDocID(catalog.Financing, int64(i+1), 1), Kind: catalog.Financing,
			EnterpriseID: int64(i + 1), ResourceID: 1, Score: float64(c) / 100})
	}
	mustIndex(t, e, docs...)
	g := e.live
	bounds := []int{0, 1, 50, 99, 100, 101, 999, 1000, 1001, 3999, 4000, 4050, 4099, 4100, 5000, 9899, 9900, 9999, 10000}
	for _, floor := range []int{0, 1, 4050, 4100} {
		r := ranges{ctx: ctx, idx: g.pair, floor: floor}
		for _, lo := range bounds {
			for _, hi := range bounds {
				lo, hi := lo/100, hi/100
				want := 0
				for _, c := range scores {
					if lo*100 <= c && c <= hi*100+99 && c >= floor {
						want++
					}
				}
				got, err := r.count(lo, hi)
				if err != nil {
					t.Fatal(err)
				}
				if got != want {
					t.Errorf("floor %d, points %d to %d: %d matches, want %d", floor, lo, hi, got, want)
				}
			}
		}
	}
	// scoreRange itself, on hundredths.
	for _, lo := range bounds {
		for _, hi := range bounds {
			want := 0
			for _, c := range scores {
				if lo <= c && c <= hi {
					want++
				}
			}
			req := bleve.NewSearchRequestOptions(scoreRange(lo, hi), 0, 0, false)
			res, err := g.pair.SearchInContext(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			if int(res.Total) != want {
				t.Errorf("scoreRange(%d, %d): %d matches, want %d", lo, hi, res.Total, want)
			}
		}
	}
	// lowEnough finds a range holding enough, but not too many.
	r := ranges{ctx: ctx, idx: g.pair}
	for _, need := range []int{1, 5, 20, 200} {
		lo, err := r.lowEnough(100, need)
		if err != nil {
			t.Fatal(err)
		}
		c, _ := r.count(lo, 100)
		above, _ := r.count(lo+1, 100)
		if c < min(need, len(scores)) || c > spread*need && above >= need {
			t.Errorf("need %d: points %d to 100 hold %d, from %d %d", need, lo, c, lo+1, above)
		}
	}
}

func TestOpenChoosesTheEngine(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	e, err := Open(ctx, Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	if e.Name() != "bleve" {
		t.Errorf("no Meilisearch URL: %s", e.Name())
	}
	if _, err := os.Stat(filepath.Join(dir, "search", currentFile)); err != nil {
		t.Errorf("no index in DataDir/search: %v", err)
	}
	f := newFakeMeili(t)
	m, err := Open(ctx, Config{DataDir: dir, MeiliURL: f.URL(), MeiliKey: "k", Meili: MeiliOptions{TaskPoll: time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if m.Name() != "meilisearch" {
		t.Errorf("with a Meilisearch URL: %s", m.Name())
	}
}
