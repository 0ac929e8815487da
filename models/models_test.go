package models

import (
	"testing"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/matching"
)

func TestInputsBecomeVersions(t *testing.T) {
	def := matching.DefaultIndicatorWeights()
	t.Run("a shared model starts from the growth stage's weights", func(t *testing.T) {
		v, p := Input{Name: "甲", Shared: true, Weights: map[string]float64{"revenue": 3}}.version()
		if len(p) > 0 {
			t.Fatal(p)
		}
		want := def.Growth
		want[8] = 3
		if v.Weights.Startup != want || v.Weights.Growth != want || v.Weights.Stable != want || !v.Shared {
			t.Fatalf("weights %+v", v.Weights)
		}
	})
	t.Run("ignored indicators weigh nothing in every stage", func(t *testing.T) {
		v, p := Input{Name: "乙", StageWeights: map[catalog.GrowthStage]map[string]float64{catalog.Startup: {"rd_expense": 5}},
			Ignored: []string{"return_on_equity", "return_on_equity"}}.version()
		if len(p) > 0 {
			t.Fatal(p)
		}
		if v.Weights.Startup[0] != 5 || v.Weights.Growth[0] != def.Growth[0] || v.Weights.Startup[12] != 0 || v.Weights.Stable[12] != 0 {
			t.Fatalf("weights %+v", v.Weights)
		}
		if len(v.Ignored) != 1 {
			t.Fatalf("ignored %v", v.Ignored)
		}
	})
	for _, c := range []struct {
		name string
		in   Input
		code string
		path []string
	}{
		{"an unknown indicator's weight", Input{Name: "丙", Shared: true, Weights: map[string]float64{"profit": 1}}, CodeUnknownIndicator, []string{"input", "weights", "profit"}},
		{"an unknown indicator ignored", Input{Name: "丙", Shared: true, Ignored: []string{"profit"}}, CodeUnknownIndicator, []string{"input", "ignored"}},
		{"an unknown stage", Input{Name: "丙", StageWeights: map[catalog.GrowthStage]map[string]float64{"MATURE": {}}}, catalog.CodeInvalid, []string{"input", "stageWeights"}},
		{"a negative weight", Input{Name: "丙", Shared: true, Weights: map[string]float64{"revenue": -0.5}}, CodeInvalidWeights, []string{"input", "weights"}},
		{"a minimum above 1000", Input{Name: "丙", Shared: true, MinScore: 1200}, catalog.CodeOutOfRange, []string{"input", "minScore"}},
		{"a blank name", Input{Name: "  ", Shared: true}, catalog.CodeRequired, []string{"input", "name"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, p := c.in.version()
			if len(p) != 1 || p[0].Code != c.code || len(p[0].Field) != len(c.path) {
				t.Fatalf("problems %+v, want %s at %v", p, c.code, c.path)
			}
			for i := range c.path {
				if p[0].Field[i] != c.path[i] {
					t.Fatalf("field %v, want %v", p[0].Field, c.path)
				}
			}
		})
	}
}
