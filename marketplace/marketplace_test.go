package marketplace

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/store"
)

var today = time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC)

func newService(t *testing.T, dir string) *Service {
	t.Helper()
	st, err := store.Open(context.Background(), "", dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s := New(st, nil, func() time.Time { return today })
	if err := s.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

func enterprise(n int, city catalog.City, quals ...catalog.Qualification) *catalog.Enterprise {
	prefix := fmt.Sprintf("91410100%09d", n)
	c, _ := catalog.CreditCodeCheckChar(prefix)
	return &catalog.Enterprise{
		Name: fmt.Sprintf("测试%d科技有限公司", n), CreditCode: prefix + string(c), City: city,
		FoundedOn: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), Employees: 10, Track: catalog.NewMaterials,
		Qualifications: quals, CreditStatus: catalog.CreditGood,
	}
}

func TestPagesWalkEveryMatchOnce(t *testing.T) {
	ctx := context.Background()
	s := newService(t, t.TempDir())
	for i := range 25 {
		city := catalog.Zhengzhou
		if i%3 == 0 {
			city = catalog.Luoyang
		}
		quals := []catalog.Qualification{catalog.TechSME}
		if i%4 == 0 {
			quals = append(quals, catalog.HighTech)
		}
		if _, p, err := s.CreateEnterprise(ctx, enterprise(i+1, city, quals...)); err != nil || len(p) > 0 {
			t.Fatal(err, p)
		}
	}
	tests := []struct {
		name   string
		filter EnterpriseFilter
		want   int
	}{
		{"no filter", EnterpriseFilter{}, 25},
		{"one city", EnterpriseFilter{Cities: []catalog.City{catalog.Luoyang}}, 9},
		{"either of two qualifications", EnterpriseFilter{Qualifications: []catalog.Qualification{catalog.HighTech, catalog.Gazelle}}, 7},
		{"city and qualification together", EnterpriseFilter{Cities: []catalog.City{catalog.Luoyang}, Qualifications: []catalog.Qualification{catalog.HighTech}}, 3},
		{"a name fragment", EnterpriseFilter{NameContains: "测试1"}, 11},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seen := map[int64]bool{}
			var after int64
			for page := 0; ; page++ {
				p := s.Enterprises(tt.filter, after, 4)
				if p.TotalCount != tt.want {
					t.Fatalf("totalCount %d, want %d", p.TotalCount, tt.want)
				}
				if (page > 0) != p.HasPrev {
					t.Errorf("page %d: hasPrev %v", page, p.HasPrev)
				}
				for _, e := range p.Items {
					if seen[e.ID] || e.ID <= after {
						t.Fatalf("enterprise %d repeated or out of order", e.ID)
					}
					seen[e.ID] = true
					after = e.ID
				}
				if !p.HasNext {
					break
				}
			}
			if len(seen) != tt.want {
				t.Errorf("walked %d, want %d", len(seen), tt.want)
			}
		})
	}
}

func TestRefusedWritesLeaveTheReadModelAlone(t *testing.T) {
	ctx := context.Background()
	s := newService(t, t.TempDir())
	e := enterprise(1, catalog.Zhengzhou)
	if _, p, err := s.CreateEnterprise(ctx, e); err != nil || len(p) > 0 {
		t.Fatal(err, p)
	}
	dup := enterprise(1, catalog.Kaifeng)
	dup.Name = "另一家"
	_, p, err := s.CreateEnterprise(ctx, dup)
	if err != nil || len(p) != 1 || p[0].Code != catalog.CodeDuplicate {
		t.Fatalf("duplicate credit code: problems %+v, err %v", p, err)
	}
	_, p, _ = s.UpdateEnterprise(ctx, e.ID, func(e *catalog.Enterprise) { e.Employees = -5 })
	if len(p) != 1 || p[0].Code != catalog.CodeNegative {
		t.Fatalf("negative employees: %+v", p)
	}
	if got := s.Enterprise(e.ID); got.Employees != 10 || s.Counts()["enterprise"] != 1 {
		t.Errorf("read model changed by refused writes: %+v", got)
	}
}

func TestRefreshAppliesAnotherInstancesWrite(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a, b := newService(t, dir), newService(t, dir)
	var heard []Change
	b.OnChange(func(c Change) { heard = append(heard, c) })

	e, _, err := a.CreateEnterprise(ctx, enterprise(7, catalog.Anyang))
	if err != nil {
		t.Fatal(err)
	}
	if b.Enterprise(e.ID) != nil {
		t.Fatal("b knew the enterprise before the change reached it")
	}
	if err := b.Refresh(ctx, EntityEnterprise, e.ID); err != nil {
		t.Fatal(err)
	}
	if got := b.Enterprise(e.ID); got == nil || got.Name != e.Name {
		t.Fatalf("after Refresh b reads %+v", got)
	}
	if len(heard) != 1 || !heard[0].Remote {
		t.Errorf("listeners heard %+v, want one remote change", heard)
	}
	if err := b.Refresh(ctx, EntityDemand, 999); err == nil {
		t.Error("refreshing a demand that does not exist succeeded")
	}
}
