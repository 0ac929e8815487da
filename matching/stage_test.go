package matching

import (
	"testing"

	"github.com/yurong/yurong/catalog"
)

func TestStageOf(t *testing.T) {
	tests := []struct {
		name    string
		reports []catalog.AnnualReport
		want    catalog.GrowthStage
	}{
		{"no report is a start-up", nil, catalog.Startup},
		{"revenue just below five million is a start-up", []catalog.AnnualReport{{Year: 2025, Revenue: catalog.Yuan(5_000_000) - 1}}, catalog.Startup},
		{"revenue of exactly five million is growth", []catalog.AnnualReport{{Year: 2025, Revenue: catalog.Yuan(5_000_000)}}, catalog.Growth},
		{"revenue just below one hundred million is growth", []catalog.AnnualReport{{Year: 2025, Revenue: catalog.Yuan(100_000_000) - 1}}, catalog.Growth},
		{"revenue of exactly one hundred million is stable", []catalog.AnnualReport{{Year: 2025, Revenue: catalog.Yuan(100_000_000)}}, catalog.Stable},
		{"only the latest report counts", []catalog.AnnualReport{
			{Year: 2024, Revenue: catalog.Yuan(200_000_000)}, {Year: 2025, Revenue: catalog.Yuan(1_000_000)}}, catalog.Startup},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &catalog.Enterprise{Reports: tt.reports}
			if got := StageOf(e); got != tt.want {
				t.Errorf("StageOf = %s, want %s", got, tt.want)
			}
			if got := New(testConfig()).Stage(e); got != tt.want {
				t.Errorf("Engine.Stage = %s, want %s", got, tt.want)
			}
		})
	}
}
