package catalog

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestEnumerationsAreCheckedOnEveryWrite(t *testing.T) {
	now := time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC)
	e := &Enterprise{Name: "郑州甲科技有限公司", CreditCode: "91410100MA44AAAA1X", FoundedOn: now.AddDate(-1, 0, 0),
		City: "zhengzhou", Track: "next_gen_it", CreditStatus: CreditGood, Qualifications: []Qualification{HighTech, "high_tech"},
		CompetitionEntries: []CompetitionEntry{{Year: 2026, Group: StartupGroup, Track: NewMaterials, StageReached: "final", Award: First}}}
	got := map[string]bool{}
	for _, fe := range ValidateEnterprise(e, now) {
		if fe.Code == CodeInvalid {
			got[strings.Join(fe.Field, ".")] = true
		}
	}
	for _, want := range []string{"city", "track", "qualifications.1", "competitionEntries.0.stageReached"} {
		if !got[want] {
			t.Errorf("%s was not refused; refused %v", want, got)
		}
	}
	if got["qualifications.0"] || got["creditStatus"] {
		t.Errorf("a valid value was refused: %v", got)
	}

	t.Run("stored values the API does not accept are reported", func(t *testing.T) {
		e.ID = 42
		d := &Dataset{Enterprises: []*Enterprise{e}, Incubators: []*Incubator{{ID: 7, Kind: SmartIsland, Level: "provincial", City: Zhengzhou}}}
		bad := d.InvalidEnumValues()
		for _, want := range []string{`enterprise 42: city "zhengzhou" 不是有效的取值`, `incubator 7: level "provincial" 不是有效的取值`} {
			if !slices.Contains(bad, want) {
				t.Errorf("%q missing from %q", want, bad)
			}
		}
		if len(bad) != 5 {
			t.Errorf("%d reported, want 5: %q", len(bad), bad)
		}
	})
}
