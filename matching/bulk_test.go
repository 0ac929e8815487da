package matching

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/yurong/yurong/catalog"
)

func TestUpsertEnterprisesEqualsRebuild(t *testing.T) {
	for _, tt := range []struct {
		name  string
		start int // enterprises before the batch
		batch int // of which half update existing ones
	}{
		{"a batch small for the marketplace ranks one by one", 200, 2},
		{"a batch under bulkMin ranks one by one however small the marketplace", 10, bulkMin - 1},
		{"a large batch rematches", 40, 3 * bulkMin},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(21, 22))
			d := randomDataset(rng, tt.start, 8, 5, 8)
			e := New(smallTopConfig())
			e.Rebuild(d)
			var heard []int64
			e.OnPairingsChanged(func(cs []Change) {
				for _, c := range cs {
					heard = append(heard, c.EnterpriseID)
				}
			})
			var batch []*catalog.Enterprise
			for i := range tt.batch {
				id := int64(len(d.Enterprises) + 1)
				if i%2 == 0 {
					id = int64(rng.IntN(len(d.Enterprises)) + 1) // an update
				}
				batch = append(batch, randomEnterprise(rng, id))
			}
			e.UpsertEnterprises(batch)
			for _, b := range batch {
				if i := slices.IndexFunc(d.Enterprises, func(x *catalog.Enterprise) bool { return x.ID == b.ID }); i >= 0 {
					d.Enterprises[i] = b
				} else {
					d.Enterprises = append(d.Enterprises, b)
				}
			}
			fresh := New(smallTopConfig())
			fresh.Rebuild(d)
			for _, ent := range d.Enterprises {
				got, want := e.Matches(ent.ID, nil, 12, false), fresh.Matches(ent.ID, nil, 12, false)
				if err := sameRanking(got, want); err != nil {
					t.Fatalf("enterprise %d: %v", ent.ID, err)
				}
				a, _ := e.InnovationScore(ent.ID)
				b, _ := fresh.InnovationScore(ent.ID)
				if a.Total != b.Total {
					t.Fatalf("enterprise %d: total %d, a rebuild gives %d", ent.ID, a.Total, b.Total)
				}
			}
			for _, b := range batch {
				if !slices.Contains(heard, b.ID) {
					t.Fatalf("listeners did not hear of enterprise %d (heard %s)", b.ID, fmt.Sprint(len(heard)))
				}
			}
		})
	}
}
