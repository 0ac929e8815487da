package financing

import (
	"testing"
	"time"

	"github.com/yurong/yurong/catalog"
)

// contest2026 is a 2026 calendar with a gap between stages, given out of
// order.
func contest2026(t *testing.T) []StageDates {
	t.Helper()
	return []StageDates{
		{Stage: catalog.ProvincialFinal, StartsOn: date(t, "2026-09-01"), EndsOn: date(t, "2026-09-15")},
		{Stage: catalog.Preliminary, StartsOn: date(t, "2026-05-10"), EndsOn: date(t, "2026-06-30")},
		{Stage: catalog.CitySemifinal, StartsOn: date(t, "2026-07-01"), EndsOn: date(t, "2026-07-31")},
	}
}

func TestPhaseOn(t *testing.T) {
	stages := contest2026(t)
	tests := []struct {
		name string
		day  string
		want Phase
	}{
		{"long before", "2026-01-01T00:00:00Z", Before},
		{"last second of the day before the first start", "2026-05-09T23:59:59Z", Before},
		{"first start day at midnight", "2026-05-10T00:00:00Z", During},
		{"first start day in the evening", "2026-05-10T22:30:00Z", During},
		{"between two stages", "2026-08-15T12:00:00Z", During},
		{"last end day at midnight", "2026-09-15T00:00:00Z", During},
		{"last second of the last end day", "2026-09-15T23:59:59Z", During},
		{"day after the last end", "2026-09-16T00:00:00Z", After},
		{"day after the last end in the evening", "2026-09-16T20:00:00Z", After},
		{"next year", "2027-03-01T00:00:00Z", After},
		// 07:00 in Beijing on the first start day is still the day before in UTC.
		{"the UTC date counts, not the local one", "2026-05-10T07:00:00+08:00", Before},
		{"a local time on the UTC last end day", "2026-09-16T07:00:00+08:00", During},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PhaseOn(stages, instant(t, tt.day)); got != tt.want {
				t.Errorf("PhaseOn(%s) = %s, want %s", tt.day, got, tt.want)
			}
		})
	}
}

func TestPhaseOnNoStages(t *testing.T) {
	if got := PhaseOn(nil, date(t, "2026-05-10")); got != Before {
		t.Errorf("PhaseOn(no stages) = %s, want %s", got, Before)
	}
}

func TestFirstStartLastEnd(t *testing.T) {
	stages := contest2026(t)
	if got, want := FirstStart(stages), date(t, "2026-05-10"); !got.Equal(want) {
		t.Errorf("FirstStart = %v, want %v", got, want)
	}
	if got, want := LastEnd(stages), date(t, "2026-09-15"); !got.Equal(want) {
		t.Errorf("LastEnd = %v, want %v", got, want)
	}
	if !FirstStart(nil).IsZero() || !LastEnd(nil).IsZero() {
		t.Error("FirstStart or LastEnd of no stages is not the zero time")
	}
}

func TestValidateStages(t *testing.T) {
	stage := func(s catalog.CompetitionStage, from, to string) StageDates {
		return StageDates{Stage: s, StartsOn: date(t, from), EndsOn: date(t, to)}
	}
	tests := []struct {
		name   string
		stages []StageDates
		want   []string
	}{
		{"no stages", nil, []string{"REQUIRED stages"}},
		{"one stage", []StageDates{stage(catalog.Preliminary, "2026-05-10", "2026-06-30")}, nil},
		{"a one-day stage", []StageDates{stage(catalog.ProvincialFinal, "2026-09-01", "2026-09-01")}, nil},
		{"all five stages, the national one the next year", []StageDates{
			stage(catalog.Preliminary, "2026-05-10", "2026-06-30"),
			stage(catalog.CitySemifinal, "2026-07-01", "2026-07-31"),
			stage(catalog.ProvincialSemifinal, "2026-08-01", "2026-08-20"),
			stage(catalog.ProvincialFinal, "2026-09-01", "2026-09-15"),
			stage(catalog.National, "2026-12-20", "2027-01-10"),
		}, nil},
		{"a later stage starts on the day the earlier ends", []StageDates{
			stage(catalog.Preliminary, "2026-05-10", "2026-06-30"),
			stage(catalog.CitySemifinal, "2026-06-30", "2026-07-31"),
		}, nil},
		{"stages given out of order", []StageDates{
			stage(catalog.CitySemifinal, "2026-07-01", "2026-07-31"),
			stage(catalog.Preliminary, "2026-05-10", "2026-06-30"),
		}, nil},
		{"a stage twice", []StageDates{
			stage(catalog.Preliminary, "2026-05-10", "2026-05-20"),
			stage(catalog.Preliminary, "2026-05-21", "2026-06-30"),
		}, []string{"DUPLICATE stages.1.stage"}},
		{"not a stage", []StageDates{stage("FINAL", "2026-05-10", "2026-06-30")},
			[]string{"INVALID stages.0.stage"}},
		{"ends before it starts", []StageDates{stage(catalog.Preliminary, "2026-06-30", "2026-05-10")},
			[]string{"OUT_OF_RANGE stages.0.endsOn"}},
		{"a later stage starts before an earlier ends", []StageDates{
			stage(catalog.Preliminary, "2026-05-10", "2026-06-30"),
			stage(catalog.ProvincialFinal, "2026-06-29", "2026-07-31"),
		}, []string{"OUT_OF_RANGE stages.1.startsOn"}},
		{"going backwards, the later stage given first", []StageDates{
			stage(catalog.CitySemifinal, "2026-05-01", "2026-05-31"),
			stage(catalog.Preliminary, "2026-06-01", "2026-06-30"),
		}, []string{"OUT_OF_RANGE stages.0.startsOn"}},
		{"starts the year before", []StageDates{stage(catalog.Preliminary, "2025-12-31", "2026-01-31")},
			[]string{"OUT_OF_RANGE stages.0.startsOn"}},
		{"a provincial stage ends the next year", []StageDates{stage(catalog.ProvincialFinal, "2026-12-20", "2027-01-05")},
			[]string{"OUT_OF_RANGE stages.0.endsOn"}},
		{"the national stage wholly the next year", []StageDates{stage(catalog.National, "2027-01-05", "2027-01-10")}, nil},
		{"the national stage two years on", []StageDates{stage(catalog.National, "2027-12-20", "2028-01-10")},
			[]string{"OUT_OF_RANGE stages.0.endsOn"}},
		{"the national stage the year before", []StageDates{stage(catalog.National, "2025-12-20", "2026-01-10")},
			[]string{"OUT_OF_RANGE stages.0.startsOn"}},
		{"several problems at once", []StageDates{
			stage(catalog.Preliminary, "2026-05-10", "2026-06-30"),
			stage(catalog.Preliminary, "2026-07-10", "2026-07-01"),
			stage(catalog.CitySemifinal, "2026-06-01", "2027-01-01"),
		}, []string{
			"DUPLICATE stages.1.stage",
			"OUT_OF_RANGE stages.1.endsOn",
			"OUT_OF_RANGE stages.2.endsOn",
			"OUT_OF_RANGE stages.2.startsOn",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkProblems(t, ValidateStages(tt.stages, 2026), tt.want)
		})
	}
}

func TestValidateStagesIgnoresTimeOfDay(t *testing.T) {
	stages := []StageDates{{
		Stage:    catalog.Preliminary,
		StartsOn: time.Date(2026, 5, 10, 18, 0, 0, 0, time.UTC),
		EndsOn:   time.Date(2026, 5, 10, 9, 0, 0, 0, time.UTC),
	}}
	checkProblems(t, ValidateStages(stages, 2026), nil)
}
