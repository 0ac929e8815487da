package matching

import (
	"math/rand/v2"
	"reflect"
	"testing"
)

// TestIncubationRankedByClassIsThePairwiseRanking: a full rematch ranks
// incubation by class (incubation.go); every row's and column's lists,
// floors included, are those of evaluating every pair one by one.
func TestIncubationRankedByClassIsThePairwiseRanking(t *testing.T) {
	clamping := smallTopConfig()
	clamping.Weights.InnovationIncubation = 150 // a high total alone passes 100 points
	negative := smallTopConfig()
	negative.Weights.IncubatorCity = -40 // a far city can take a score below 0
	for _, tt := range []struct {
		name    string
		cfg     Config
		byClass bool
	}{
		{"default weights, ranked by class", smallTopConfig(), true},
		{"weights that clamp above 100, evaluated pair by pair", clamping, false},
		{"weights that clamp below 0, evaluated pair by pair", negative, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for seed := range 12 {
				rng := rand.New(rand.NewPCG(16, uint64(seed)))
				d := randomDataset(rng, 160, 2, 30, 3)
				e := New(tt.cfg)
				e.Rebuild(d)
				if got := e.planIncubation() != nil; got != tt.byClass {
					t.Fatalf("seed %d: ranked by class = %v, want %v", seed, got, tt.byClass)
				}
				rows, cols := pairwiseIncubation(e)
				for i := range e.rows {
					got := e.rows[i].lists[kIncubation]
					normalizeList(&got[0])
					normalizeList(&got[1])
					if !reflect.DeepEqual(got, rows[i]) {
						t.Fatalf("seed %d, enterprise %d: row\n%v\nwant\n%v", seed, e.ents[i].id, got, rows[i])
					}
				}
				for r := range e.cols[kIncubation] {
					got := e.cols[kIncubation][r].lists
					normalizeList(&got[0])
					normalizeList(&got[1])
					if !reflect.DeepEqual(got, cols[r]) {
						t.Fatalf("seed %d, incubator %d: column\n%v\nwant\n%v", seed, e.incs[r].id, got, cols[r])
					}
				}
			}
		})
	}
}

// pairwiseIncubation evaluates every enterprise against every incubator and
// returns the rows' and columns' incubation lists that gives.
func pairwiseIncubation(e *Engine) (rows, cols [][2]topList) {
	rowTops := make([][2]collector, len(e.ents))
	colTops := make([][2]collector, len(e.incs))
	for i := range rowTops {
		rowTops[i][0].reset(e.rowCap)
		rowTops[i][1].reset(e.rowCap)
	}
	for r := range colTops {
		colTops[r][0].reset(e.colCap)
		colTops[r][1].reset(e.colCap)
	}
	for i, v := range e.ents {
		for r, in := range e.incs {
			score, ok := e.x.quickIncubator(v, in)
			rowTops[i][listOf(ok)].push(newEntry(in.id, score))
			colTops[r][listOf(ok)].push(newEntry(v.id, score))
		}
	}
	lists := func(c [][2]collector) [][2]topList {
		out := make([][2]topList, len(c))
		for n := range c {
			for j := range 2 {
				out[n][j] = c[n][j].list()
				normalizeList(&out[n][j])
			}
		}
		return out
	}
	return lists(rowTops), lists(colTops)
}
