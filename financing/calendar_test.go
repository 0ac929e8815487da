package financing

import (
	"testing"
	"time"
)

// official returns the calendar of the shipped 2025 and 2026 arrangements.
func official(t *testing.T) *Calendar {
	t.Helper()
	var years []HolidayYear
	for _, y := range []int{2025, 2026} {
		h, ok := DefaultHolidays(y)
		if !ok {
			t.Fatalf("DefaultHolidays(%d) missing", y)
		}
		years = append(years, h)
	}
	return NewCalendar(years...)
}

func TestWorkingDay(t *testing.T) {
	c := official(t)
	tests := []struct {
		name string
		day  string
		want bool
	}{
		{"a plain Monday", "2026-06-08T00:00:00Z", true},
		{"a plain Friday afternoon", "2026-06-12T15:00:00Z", true},
		{"a plain Saturday", "2026-06-13T00:00:00Z", false},
		{"a plain Sunday", "2026-06-14T00:00:00Z", false},
		{"New Year's Day, a Thursday", "2026-01-01T00:00:00Z", false},
		{"a weekday of the National Day break", "2026-10-07T12:00:00Z", false},
		{"the weekday after the National Day break", "2026-10-08T00:00:00Z", true},
		{"a working Saturday (调休)", "2026-10-10T00:00:00Z", true},
		{"a working Sunday (调休)", "2026-09-20T08:00:00Z", true},
		{"the Sunday after a working Saturday", "2026-10-11T00:00:00Z", false},
		{"a 2025 holiday", "2025-10-08T00:00:00Z", false},
		{"a 2025 working Sunday", "2025-01-26T00:00:00Z", true},
		// 2026-10-08T02:00+08:00 is still 7 October, a holiday, in UTC.
		{"the UTC date counts", "2026-10-08T02:00:00+08:00", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.WorkingDay(instant(t, tt.day)); got != tt.want {
				t.Errorf("WorkingDay(%s) = %v, want %v", tt.day, got, tt.want)
			}
		})
	}
}

func TestAddWorkingDays(t *testing.T) {
	c := official(t)
	tests := []struct {
		name string
		day  string
		n    int
		want string
	}{
		{"one day from a Monday", "2026-06-08T09:00:00Z", 1, "2026-06-09"},
		{"one day from a Friday", "2026-06-12T09:00:00Z", 1, "2026-06-15"},
		{"five days from a Monday", "2026-06-08T09:00:00Z", 5, "2026-06-15"},
		{"over the Spring Festival", "2026-02-13T09:00:00Z", 1, "2026-02-14"},
		{"over the Spring Festival, two days", "2026-02-13T09:00:00Z", 2, "2026-02-24"},
		{"none", "2026-06-08T09:00:00Z", 0, "2026-06-08"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.AddWorkingDays(instant(t, tt.day), tt.n)
			if want := date(t, tt.want); !got.Equal(want) || got.Location() != time.UTC {
				t.Errorf("AddWorkingDays(%s, %d) = %v, want %v", tt.day, tt.n, got, want)
			}
		})
	}
}

func TestDecisionDue(t *testing.T) {
	c := official(t)
	tests := []struct {
		name      string
		submitted string
		want      string
	}{
		// Tue 29 Sep → Wed 30 Sep, (1–7 Oct off), Thu 8 Oct, Fri 9 Oct.
		{"across the National Day break", "2026-09-29T15:30:00Z", "2026-10-09T23:59:59Z"},
		// Fri 9 Oct → Sat 10 Oct (调休), (Sun 11 Oct off), Mon 12 Oct, Tue 13 Oct.
		{"across a working Saturday", "2026-10-09T10:00:00Z", "2026-10-13T23:59:59Z"},
		// Sat 6 Jun → Mon 8, Tue 9, Wed 10 Jun.
		{"submitted on a Saturday", "2026-06-06T11:00:00Z", "2026-06-10T23:59:59Z"},
		// Sun 7 Jun → Mon 8, Tue 9, Wed 10 Jun.
		{"submitted on a Sunday", "2026-06-07T23:00:00Z", "2026-06-10T23:59:59Z"},
		// Sat 14 Feb is worked but is the day of submission, so it does not
		// count; 15–23 Feb off → Tue 24, Wed 25, Thu 26 Feb.
		{"submitted on a working Saturday", "2026-02-14T09:00:00Z", "2026-02-26T23:59:59Z"},
		// Thu 1 Oct (holiday) → Thu 8, Fri 9, Sat 10 Oct (调休).
		{"submitted during a holiday", "2026-10-01T09:00:00Z", "2026-10-10T23:59:59Z"},
		// Mon 8 Jun → Tue 9, Wed 10, Thu 11 Jun.
		{"a plain week", "2026-06-08T09:00:00Z", "2026-06-11T23:59:59Z"},
		{"a plain week, submitted at the first second", "2026-06-08T00:00:00Z", "2026-06-11T23:59:59Z"},
		{"a plain week, submitted at the last second", "2026-06-08T23:59:59Z", "2026-06-11T23:59:59Z"},
		// 01:00 on Tue 9 Jun in Beijing is Mon 8 Jun in UTC.
		{"the UTC date of submission counts", "2026-06-09T01:00:00+08:00", "2026-06-11T23:59:59Z"},
		// Wed 31 Dec 2025 → (1–3 Jan off), Sun 4 Jan (调休), Mon 5, Tue 6 Jan.
		{"across the new year", "2025-12-31T09:00:00Z", "2026-01-06T23:59:59Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := DecisionDue(c, instant(t, tt.submitted))
			if want := instant(t, tt.want); !got.Equal(want) || got.Location() != time.UTC {
				t.Errorf("DecisionDue(%s) = %v, want %v", tt.submitted, got, want)
			}
		})
	}
}

func TestDecisionDueCustomCalendar(t *testing.T) {
	// One extra day off, Wed 10 Jun 2026, and nothing else: the official
	// holidays and working weekends do not apply.
	c := NewCalendar(HolidayYear{Year: 2026, Holidays: []time.Time{date(t, "2026-06-10")}})
	tests := []struct {
		name      string
		submitted string
		want      string
	}{
		// Mon 8 Jun → Tue 9, (Wed 10 off), Thu 11, Fri 12 Jun.
		{"across the custom day off", "2026-06-08T09:00:00Z", "2026-06-12T23:59:59Z"},
		// Tue 29 Sep → Wed 30 Sep, Thu 1 Oct, Fri 2 Oct: National Day is not known here.
		{"official holidays do not apply", "2026-09-29T09:00:00Z", "2026-10-02T23:59:59Z"},
		// Fri 9 Oct → Mon 12, Tue 13, Wed 14 Oct: Sat 10 Oct is not worked here.
		{"official working weekends do not apply", "2026-10-09T09:00:00Z", "2026-10-14T23:59:59Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := DecisionDue(c, instant(t, tt.submitted)), instant(t, tt.want); !got.Equal(want) {
				t.Errorf("DecisionDue(%s) = %v, want %v", tt.submitted, got, want)
			}
		})
	}
}

func TestCalendarWithoutYears(t *testing.T) {
	for name, c := range map[string]*Calendar{"empty": NewCalendar(), "nil": nil} {
		t.Run(name, func(t *testing.T) {
			// Thu 1 Oct 2026 is an ordinary Thursday without holiday tables.
			if !c.WorkingDay(date(t, "2026-10-01")) {
				t.Error("a Thursday is not a working day")
			}
			if c.WorkingDay(date(t, "2026-10-10")) {
				t.Error("a Saturday is a working day")
			}
			// Fri 2 Oct → Mon 5, Tue 6, Wed 7 Oct.
			if got, want := DecisionDue(c, date(t, "2026-10-02")), instant(t, "2026-10-07T23:59:59Z"); !got.Equal(want) {
				t.Errorf("DecisionDue = %v, want %v", got, want)
			}
		})
	}
}

func TestHolidayYearValidate(t *testing.T) {
	d := func(ss ...string) []time.Time {
		var out []time.Time
		for _, s := range ss {
			out = append(out, date(t, s))
		}
		return out
	}
	tests := []struct {
		name string
		h    HolidayYear
		want []string
	}{
		{"empty", HolidayYear{Year: 2027}, nil},
		{"a good year", HolidayYear{Year: 2026,
			Holidays:        d("2026-01-01", "2026-01-02"),
			WorkingWeekends: d("2026-01-04")}, nil},
		{"a holiday of another year", HolidayYear{Year: 2026, Holidays: d("2026-01-01", "2025-12-31")},
			[]string{"OUT_OF_RANGE holidays.1"}},
		{"a working weekend of another year", HolidayYear{Year: 2026, WorkingWeekends: d("2025-10-11")},
			[]string{"OUT_OF_RANGE workingWeekends.0"}},
		{"a working weekend on a Monday", HolidayYear{Year: 2026, WorkingWeekends: d("2026-10-10", "2026-10-12")},
			[]string{"INVALID workingWeekends.1"}},
		{"a day both off and worked", HolidayYear{Year: 2026,
			Holidays:        d("2026-10-10"),
			WorkingWeekends: d("2026-09-20", "2026-10-10")},
			[]string{"INVALID workingWeekends.1"}},
		{"a holiday twice", HolidayYear{Year: 2026, Holidays: d("2026-01-01", "2026-01-02", "2026-01-01")},
			[]string{"DUPLICATE holidays.2"}},
		{"a working weekend twice", HolidayYear{Year: 2026, WorkingWeekends: d("2026-01-04", "2026-01-04")},
			[]string{"DUPLICATE workingWeekends.1"}},
		{"the same day at two times of day", HolidayYear{Year: 2026, Holidays: []time.Time{
			time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)}},
			[]string{"DUPLICATE holidays.1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkProblems(t, tt.h.Validate(), tt.want)
		})
	}
}

func TestHolidayYearValidateWeekendMessage(t *testing.T) {
	p := HolidayYear{Year: 2026, WorkingWeekends: []time.Time{date(t, "2026-10-12")}}.Validate()
	if len(p) != 1 || p[0].Message != "调休上班日必须是周六或周日" {
		t.Errorf("problems = %v, want one saying 调休上班日必须是周六或周日", p)
	}
}
