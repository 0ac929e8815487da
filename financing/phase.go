package financing

import (
	"fmt"
	"strconv"
	"time"

	"github.com/yurong/yurong/catalog"
)

// PhaseOn returns where a competition with the given stages stands on day.
// Only the calendar date counts: the whole of the first start day and of
// the last end day is DURING, whatever the time of day. A competition with
// no stages has not begun, so it is BEFORE.
func PhaseOn(stages []StageDates, day time.Time) Phase {
	if len(stages) == 0 {
		return Before
	}
	d := dateOf(day)
	switch {
	case d.Before(FirstStart(stages)):
		return Before
	case d.After(LastEnd(stages)):
		return After
	}
	return During
}

// FirstStart returns the earliest StartsOn of stages as a date at 00:00
// UTC, or the zero time when there are none. Stages need not be in order.
func FirstStart(stages []StageDates) time.Time {
	var first time.Time
	for i, s := range stages {
		if d := dateOf(s.StartsOn); i == 0 || d.Before(first) {
			first = d
		}
	}
	return first
}

// LastEnd returns the latest EndsOn of stages as a date at 00:00 UTC, or
// the zero time when there are none.
func LastEnd(stages []StageDates) time.Time {
	var last time.Time
	for i, s := range stages {
		if d := dateOf(s.EndsOn); i == 0 || d.After(last) {
			last = d
		}
	}
	return last
}

// stageOrder is the position of a stage in the competition, or -1 when s
// is not a stage.
func stageOrder(s catalog.CompetitionStage) int {
	switch s {
	case catalog.Preliminary:
		return 0
	case catalog.CitySemifinal:
		return 1
	case catalog.ProvincialSemifinal:
		return 2
	case catalog.ProvincialFinal:
		return 3
	case catalog.National:
		return 4
	}
	return -1
}

// ValidateStages checks the stage calendar of the competition of year.
// The national final is often held the year after the provincial
// contest, so only NATIONAL may run into the following year.
func ValidateStages(stages []StageDates, year int) catalog.Problems {
	var p catalog.Problems
	if len(stages) == 0 {
		p.Add(catalog.CodeRequired, "至少需要一个赛段", "stages")
		return p
	}
	seen := map[catalog.CompetitionStage]int{}
	for i, s := range stages {
		at := func(f string) []string { return []string{"stages", strconv.Itoa(i), f} }
		if !s.Stage.Valid() {
			p.Add(catalog.CodeInvalid, fmt.Sprintf("%q 不是有效的赛段", string(s.Stage)), at("stage")...)
		} else if j, ok := seen[s.Stage]; ok {
			p.Add(catalog.CodeDuplicate, fmt.Sprintf("赛段 %s 与第 %d 项重复", s.Stage, j+1), at("stage")...)
		} else {
			seen[s.Stage] = i
		}

		start, end := dateOf(s.StartsOn), dateOf(s.EndsOn)
		if end.Before(start) {
			p.Add(catalog.CodeOutOfRange, "结束日期早于开始日期", at("endsOn")...)
		}
		last := year
		if s.Stage == catalog.National {
			last = year + 1
		}
		for _, f := range []struct {
			name string
			d    time.Time
		}{{"startsOn", start}, {"endsOn", end}} {
			if d := f.d; d.Year() < year || d.Year() > last {
				msg := fmt.Sprintf("日期 %s 不在 %d 年内", d.Format(time.DateOnly), year)
				if last != year {
					msg = fmt.Sprintf("日期 %s 不在 %d–%d 年内", d.Format(time.DateOnly), year, last)
				}
				p.Add(catalog.CodeOutOfRange, msg, at(f.name)...)
			}
		}

		// A later stage may start on the day an earlier one ends, not before.
		if stageOrder(s.Stage) < 0 {
			continue
		}
		for _, e := range stages {
			if stageOrder(e.Stage) >= 0 && stageOrder(e.Stage) < stageOrder(s.Stage) && start.Before(dateOf(e.EndsOn)) {
				p.Add(catalog.CodeOutOfRange,
					fmt.Sprintf("%s 的开始日期早于前一赛段 %s 的结束日期 %s", s.Stage, e.Stage, dateOf(e.EndsOn).Format(time.DateOnly)),
					at("startsOn")...)
				break
			}
		}
	}
	return p
}
