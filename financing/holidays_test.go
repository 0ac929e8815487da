package financing

import (
	"strconv"
	"testing"
	"time"
)

func TestDefaultHolidays(t *testing.T) {
	tests := []struct {
		year          int
		days, working int
		off, worked   []string // spot checks against the notices
		notOff        []string
	}{
		{
			year: 2025, days: 1 + 8 + 3 + 5 + 3 + 8, working: 5,
			off:    []string{"2025-01-01", "2025-01-28", "2025-02-04", "2025-04-04", "2025-05-05", "2025-05-31", "2025-06-02", "2025-10-01", "2025-10-08"},
			worked: []string{"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"},
			notOff: []string{"2025-01-02", "2025-01-27", "2025-02-05", "2025-04-07", "2025-05-06", "2025-06-03", "2025-10-09"},
		},
		{
			year: 2026, days: 3 + 9 + 3 + 5 + 3 + 3 + 7, working: 6,
			off:    []string{"2026-01-01", "2026-01-03", "2026-02-15", "2026-02-23", "2026-04-06", "2026-05-01", "2026-05-05", "2026-06-19", "2026-06-21", "2026-09-25", "2026-09-27", "2026-10-01", "2026-10-07"},
			worked: []string{"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"},
			notOff: []string{"2026-02-13", "2026-02-24", "2026-05-06", "2026-06-18", "2026-09-24", "2026-09-28", "2026-10-08"},
		},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.year), func(t *testing.T) {
			h, ok := DefaultHolidays(tt.year)
			if !ok || h.Year != tt.year {
				t.Fatalf("DefaultHolidays(%d) = year %d, %v", tt.year, h.Year, ok)
			}
			if p := h.Validate(); len(p) > 0 {
				t.Errorf("the official table does not validate: %v", p)
			}
			if len(h.Holidays) != tt.days || len(h.WorkingWeekends) != tt.working {
				t.Errorf("got %d days off and %d working weekends, want %d and %d",
					len(h.Holidays), len(h.WorkingWeekends), tt.days, tt.working)
			}
			off := map[time.Time]bool{}
			for _, d := range h.Holidays {
				off[d] = true
			}
			worked := map[time.Time]bool{}
			for _, d := range h.WorkingWeekends {
				worked[d] = true
			}
			for _, s := range tt.off {
				if !off[date(t, s)] {
					t.Errorf("%s is not a day off", s)
				}
			}
			for _, s := range tt.worked {
				if !worked[date(t, s)] {
					t.Errorf("%s is not a working weekend", s)
				}
			}
			for _, s := range tt.notOff {
				if off[date(t, s)] {
					t.Errorf("%s is a day off", s)
				}
			}
		})
	}
}

func TestDefaultHolidaysUnknownYear(t *testing.T) {
	if h, ok := DefaultHolidays(2024); ok {
		t.Errorf("DefaultHolidays(2024) = %v, true; want false", h)
	}
}

func TestDefaultHolidaysReturnsCopies(t *testing.T) {
	h, _ := DefaultHolidays(2026)
	h.Holidays[0] = time.Time{}
	h.WorkingWeekends[0] = time.Time{}
	again, _ := DefaultHolidays(2026)
	if again.Holidays[0].IsZero() || again.WorkingWeekends[0].IsZero() {
		t.Error("changing a returned table changed the shipped one")
	}
}
