package matching

import (
	"strings"
	"testing"

	"github.com/yurong/yurong/catalog"
)

// eshEnterprise meets all three criteria.
func eshEnterprise(id int64) *catalog.Enterprise {
	e := enterprise(id)
	e.FoundedOn = date(2023, 1, 10)
	e.Employees = 80
	e.Qualifications = []catalog.Qualification{catalog.HighTech}
	e.Reports = []catalog.AnnualReport{{Year: 2025, Revenue: catalog.Yuan(3_000_000), RDExpense: catalog.Yuan(300_000)}}
	return e
}

func TestEarlySmallHard(t *testing.T) {
	tests := []struct {
		name                       string
		change                     func(e *catalog.Enterprise)
		early, small, hard, listed bool
	}{
		{"all three criteria met", func(*catalog.Enterprise) {}, true, true, true, true},
		{"founded a day short of five years ago is early", func(e *catalog.Enterprise) { e.FoundedOn = date(2021, 6, 16) }, true, true, true, true},
		{"founded exactly five years ago is not early", func(e *catalog.Enterprise) { e.FoundedOn = date(2021, 6, 15) }, false, true, true, false},
		{"299 employees is small", func(e *catalog.Enterprise) { e.Employees = 299 }, true, true, true, true},
		{"300 employees is not small", func(e *catalog.Enterprise) { e.Employees = 300 }, true, false, true, false},
		{"revenue of twenty million is not small", func(e *catalog.Enterprise) {
			e.Reports[0].Revenue = catalog.Yuan(20_000_000)
			e.Reports[0].RDExpense = catalog.Yuan(2_000_000)
		}, true, false, true, false},
		{"revenue just below twenty million is small", func(e *catalog.Enterprise) {
			e.Reports[0].Revenue = catalog.Yuan(20_000_000) - 1
			e.Reports[0].RDExpense = catalog.Yuan(2_000_000)
		}, true, true, true, true},
		{"the OTHER track is not hard", func(e *catalog.Enterprise) { e.Track = catalog.OtherTrack }, true, true, false, false},
		{"without HIGH_TECH or a patent application it is not hard", func(e *catalog.Enterprise) { e.Qualifications = nil }, true, true, false, false},
		{"an invention patent application replaces HIGH_TECH", func(e *catalog.Enterprise) {
			e.Qualifications = nil
			e.Reports[0].InventionPatentApplications = 1
		}, true, true, true, true},
		{"R&D intensity of exactly 5 % is hard", func(e *catalog.Enterprise) { e.Reports[0].RDExpense = catalog.Yuan(150_000) }, true, true, true, true},
		{"R&D intensity below 5 % is not hard", func(e *catalog.Enterprise) { e.Reports[0].RDExpense = catalog.Yuan(149_999) }, true, true, false, false},
		{"zero revenue with R&D spending counts as hard", func(e *catalog.Enterprise) { e.Reports[0].Revenue = 0 }, true, true, true, true},
		{"zero revenue without R&D spending is not hard", func(e *catalog.Enterprise) {
			e.Reports[0].Revenue = 0
			e.Reports[0].RDExpense = 0
		}, true, true, false, false},
		{"no report: small but not hard", func(e *catalog.Enterprise) { e.Reports = nil }, true, true, false, false},
		{"a dishonest enterprise meeting all three is not listed", func(e *catalog.Enterprise) { e.CreditStatus = catalog.CreditDishonest }, true, true, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ent := eshEnterprise(1)
			tt.change(ent)
			e := engineWith([]*catalog.Enterprise{ent}, nil, nil, nil)
			got, ok := e.EarlySmallHard(1)
			if !ok {
				t.Fatal("enterprise not found")
			}
			if got.Early != tt.early || got.Small != tt.small || got.Hard != tt.hard || got.Listed != tt.listed {
				t.Errorf("got early=%v small=%v hard=%v listed=%v, want %v %v %v %v; reasons %q",
					got.Early, got.Small, got.Hard, got.Listed, tt.early, tt.small, tt.hard, tt.listed, got.Reasons)
			}
			if len(got.Reasons) < 3 {
				t.Errorf("want a reason per criterion, got %q", got.Reasons)
			}
			list := e.EarlySmallHardList()
			if inList := len(list) == 1; inList != tt.listed {
				t.Errorf("EarlySmallHardList = %v, want listed=%v", list, tt.listed)
			}
		})
	}
}

func TestEarlySmallHardReasonsCarryNumbers(t *testing.T) {
	e := engineWith([]*catalog.Enterprise{eshEnterprise(1)}, nil, nil, nil)
	got, _ := e.EarlySmallHard(1)
	all := strings.Join(got.Reasons, "\n")
	for _, want := range []string{"2023-01-10", "80 人", "300 人", "300万元", "2000万元", "10%", "5%", "新材料"} {
		if !strings.Contains(all, want) {
			t.Errorf("reasons lack %q:\n%s", want, all)
		}
	}
}

func TestEarlySmallHardThresholdsAreConfigurable(t *testing.T) {
	cfg := testConfig()
	cfg.EarlySmallHard.MaxEmployees = 50
	e := New(cfg)
	e.Rebuild(&catalog.Dataset{Enterprises: []*catalog.Enterprise{eshEnterprise(1)}})
	got, _ := e.EarlySmallHard(1)
	if got.Small || got.Listed {
		t.Errorf("80 employees with a limit of 50: small=%v listed=%v, want false", got.Small, got.Listed)
	}
}

func TestPercentAgainstNeverReadsAsTheThreshold(t *testing.T) {
	tests := []struct {
		f, threshold float64
		want         string
	}{
		{0.052, 0.05, "5.2%"},
		{0.0496, 0.05, "4.96%"},
		{0.04996, 0.05, "4.996%"},
		{0.05, 0.05, "5%"},
		{0.12, 0.05, "12%"},
	}
	for _, tt := range tests {
		if got := percentAgainst(tt.f, tt.threshold); got != tt.want {
			t.Errorf("percentAgainst(%v, %v) = %q, want %q", tt.f, tt.threshold, got, tt.want)
		}
	}
}
