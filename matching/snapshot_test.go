package matching

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/yurong/yurong/catalog"
)

// sameLists fails t unless a and b keep the same rows and columns (an
// empty list being nil or not, and a floor meaning nothing in a list never
// truncated).
func sameLists(t *testing.T, a, b *Engine) {
	t.Helper()
	for _, e := range []*Engine{a, b} {
		e.eachList(func(l *topList, _ int) error {
			normalizeList(l)
			return nil
		})
	}
	if len(a.rows) != len(b.rows) {
		t.Fatalf("%d rows, want %d", len(a.rows), len(b.rows))
	}
	for i := range a.rows {
		if !reflect.DeepEqual(a.rows[i].lists, b.rows[i].lists) {
			t.Fatalf("enterprise %d: row\n%v\nwant\n%v", a.ents[i].id, a.rows[i].lists, b.rows[i].lists)
		}
	}
	for k := range a.cols {
		for r := range a.cols[k] {
			if !reflect.DeepEqual(a.cols[k][r].lists, b.cols[k][r].lists) {
				t.Fatalf("kind %d resource %d: column\n%v\nwant\n%v", k, r, a.cols[k][r].lists, b.cols[k][r].lists)
			}
		}
	}
}

// sameAnswers fails t unless a and b answer every enterprise's matches and
// every resource's candidates alike.
func sameAnswers(t *testing.T, a, b *Engine, d *catalog.Dataset) {
	t.Helper()
	for _, ent := range d.Enterprises {
		if got, want := a.Matches(ent.ID, nil, 100, false), b.Matches(ent.ID, nil, 100, false); !reflect.DeepEqual(got, want) {
			t.Fatalf("enterprise %d: matches\n%v\nwant\n%v", ent.ID, got, want)
		}
	}
	for _, p := range d.Products {
		if got, want := a.Candidates(catalog.Financing, p.ID, 100, false), b.Candidates(catalog.Financing, p.ID, 100, false); !reflect.DeepEqual(got, want) {
			t.Fatalf("product %d: candidates\n%v\nwant\n%v", p.ID, got, want)
		}
	}
	for _, dm := range d.Demands {
		if got, want := a.Candidates(catalog.IndustryChain, dm.ID, 100, false), b.Candidates(catalog.IndustryChain, dm.ID, 100, false); !reflect.DeepEqual(got, want) {
			t.Fatalf("demand %d: candidates\n%v\nwant\n%v", dm.ID, got, want)
		}
	}
}

func normalizeList(l *topList) {
	if len(l.items) == 0 {
		l.items = nil
	}
	if !l.truncated {
		l.floor = 0
	}
}

func snapshotOf(t *testing.T, e *Engine) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := e.WriteSnapshot(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestRestoredEngineAnswersAsAFreshRematch(t *testing.T) {
	rng := rand.New(rand.NewPCG(29, 1))
	d := randomDataset(rng, 80, 10, 6, 12)
	fresh := New(smallTopConfig())
	fresh.SetTopBanks(map[int64]bool{d.Products[0].ProviderID: true})
	fresh.Rebuild(d)
	snap := snapshotOf(t, fresh)

	restored := New(smallTopConfig())
	restored.SetTopBanks(map[int64]bool{d.Products[0].ProviderID: true})
	restored.TrackSlice(Slice{PerEnterprise: 2, PerResource: 3})
	fresh.TrackSlice(Slice{PerEnterprise: 2, PerResource: 3})
	if ok, why := restored.RebuildFrom(d, bytes.NewReader(snap)); !ok {
		t.Fatalf("the snapshot of the same inputs was not used: %v", why)
	}
	sameLists(t, restored, fresh)
	sameAnswers(t, restored, fresh, d)
	if !bytes.Equal(snapshotOf(t, restored), snap) {
		t.Error("the restored engine's snapshot differs from the one it restored")
	}

	// Both take the same writes alike.
	for n := range 20 {
		ent := cloneEnterprise(d.Enterprises[rng.IntN(len(d.Enterprises))])
		ent.Employees += n
		restored.UpsertEnterprise(ent)
		fresh.UpsertEnterprise(ent)
	}
	sameLists(t, restored, fresh)
	sameAnswers(t, restored, fresh, fresh.dataset())
	if err := restored.WriteSnapshot(new(bytes.Buffer)); !errors.Is(err, ErrNotPristine) {
		t.Errorf("a snapshot after writes: %v, want ErrNotPristine", err)
	}
}

func TestStaleOrDamagedSnapshotIsRematched(t *testing.T) {
	rng := rand.New(rand.NewPCG(29, 2))
	d := randomDataset(rng, 60, 8, 5, 10)
	e := New(smallTopConfig())
	e.Rebuild(d)
	snap := snapshotOf(t, e)

	changed := randomDataset(rand.New(rand.NewPCG(29, 2)), 60, 8, 5, 10)
	changed.Enterprises[7].Employees++
	otherTop := smallTopConfig()
	otherTop.TopPerEnterprise++
	damaged := bytes.Clone(snap)
	damaged[len(damaged)/2] ^= 0x40
	for _, tt := range []struct {
		name string
		cfg  Config
		d    *catalog.Dataset
		snap []byte
		why  error
	}{
		{"an enterprise changed", smallTopConfig(), changed, snap, errStale},
		{"another top K", otherTop, d, snap, errStale},
		{"a damaged body", smallTopConfig(), d, damaged, nil},
		{"a truncated file", smallTopConfig(), d, snap[:len(snap)-9], nil},
		{"no snapshot", smallTopConfig(), d, nil, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := New(tt.cfg)
			ok, why := got.RebuildFrom(tt.d, bytes.NewReader(tt.snap))
			if ok || why == nil || (tt.why != nil && !errors.Is(why, tt.why)) {
				t.Fatalf("RebuildFrom = %v, %v; want false, %v", ok, why, tt.why)
			}
			want := New(tt.cfg)
			want.Rebuild(tt.d)
			sameLists(t, got, want)
			sameAnswers(t, got, want, tt.d)
		})
	}
}
