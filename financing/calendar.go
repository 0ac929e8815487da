package financing

import (
	"fmt"
	"strconv"
	"time"

	"github.com/yurong/yurong/catalog"
)

// DecisionWorkingDays is how many working days a bank has to decide on a
// submitted application, not counting the day of submission.
const DecisionWorkingDays = 3

// Calendar tells working days from days off: Monday to Friday work and
// weekends rest, except where a HolidayYear says otherwise. The zero or
// nil Calendar knows only weekends.
type Calendar struct {
	holidays        map[time.Time]bool // dates at 00:00 UTC
	workingWeekends map[time.Time]bool
}

// NewCalendar returns a calendar with the days off and working weekends
// of years.
func NewCalendar(years ...HolidayYear) *Calendar {
	c := &Calendar{holidays: map[time.Time]bool{}, workingWeekends: map[time.Time]bool{}}
	for _, y := range years {
		for _, d := range y.Holidays {
			c.holidays[dateOf(d)] = true
		}
		for _, d := range y.WorkingWeekends {
			c.workingWeekends[dateOf(d)] = true
		}
	}
	return c
}

// WorkingDay reports whether day's date (in UTC) is a working day: a
// weekday that is not a holiday, or a weekend day worked in exchange for a
// holiday (调休).
func (c *Calendar) WorkingDay(day time.Time) bool {
	d := dateOf(day)
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return c != nil && c.workingWeekends[d]
	}
	return c == nil || !c.holidays[d]
}

// AddWorkingDays returns the n-th working day strictly after day's date,
// as a date at 00:00 UTC. For n < 1 it returns day's date.
func (c *Calendar) AddWorkingDays(day time.Time, n int) time.Time {
	d := dateOf(day)
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if c.WorkingDay(d) {
			n--
		}
	}
	return d
}

// DecisionDue returns the deadline of the decision on an application
// submitted at submittedAt: the last second (23:59:59 UTC) of the
// DecisionWorkingDays-th working day after the day of submission. The day
// of submission never counts, so an application submitted late in the day
// loses nothing, and one submitted on a day off gains nothing.
func DecisionDue(c *Calendar, submittedAt time.Time) time.Time {
	d := c.AddWorkingDays(submittedAt, DecisionWorkingDays)
	return d.Add(24*time.Hour - time.Second)
}

// Validate checks a year's calendar before it replaces the shipped one.
func (h HolidayYear) Validate() catalog.Problems {
	var p catalog.Problems
	holidays := map[time.Time]bool{}
	for i, day := range h.Holidays {
		at := []string{"holidays", strconv.Itoa(i)}
		d := dateOf(day)
		if d.Year() != h.Year {
			p.Add(catalog.CodeOutOfRange, fmt.Sprintf("日期 %s 不在 %d 年内", d.Format(time.DateOnly), h.Year), at...)
		}
		if holidays[d] {
			p.Add(catalog.CodeDuplicate, fmt.Sprintf("放假日期 %s 重复", d.Format(time.DateOnly)), at...)
		}
		holidays[d] = true
	}
	working := map[time.Time]bool{}
	for i, day := range h.WorkingWeekends {
		at := []string{"workingWeekends", strconv.Itoa(i)}
		d := dateOf(day)
		if d.Year() != h.Year {
			p.Add(catalog.CodeOutOfRange, fmt.Sprintf("日期 %s 不在 %d 年内", d.Format(time.DateOnly), h.Year), at...)
		}
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			p.Add(catalog.CodeInvalid, "调休上班日必须是周六或周日", at...)
		}
		if holidays[d] {
			p.Add(catalog.CodeInvalid, fmt.Sprintf("日期 %s 不能既放假又上班", d.Format(time.DateOnly)), at...)
		}
		if working[d] {
			p.Add(catalog.CodeDuplicate, fmt.Sprintf("调休上班日 %s 重复", d.Format(time.DateOnly)), at...)
		}
		working[d] = true
	}
	return p
}

// dateOf returns t's calendar date in UTC at 00:00 UTC, the form in which
// the system keeps dates.
func dateOf(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
