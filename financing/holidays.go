package financing

import "time"

// officialHolidays are the arrangements of the General Office of the State
// Council, as its notices word them (国务院办公厅关于部分节假日安排的通知):
//
//   - 2025: 国办发明电〔2024〕12号, 12 November 2024
//   - 2026: 国办发明电〔2025〕7号, 4 November 2025
//
// Each break is given by its first and last day, both inclusive; the
// weekend days inside a break are days off anyway.
var officialHolidays = map[int]struct {
	breaks          [][2]string
	workingWeekends []string
}{
	2025: {
		breaks: [][2]string{
			{"2025-01-01", "2025-01-01"}, // 元旦
			{"2025-01-28", "2025-02-04"}, // 春节
			{"2025-04-04", "2025-04-06"}, // 清明节
			{"2025-05-01", "2025-05-05"}, // 劳动节
			{"2025-05-31", "2025-06-02"}, // 端午节
			{"2025-10-01", "2025-10-08"}, // 国庆节、中秋节
		},
		workingWeekends: []string{"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"},
	},
	2026: {
		breaks: [][2]string{
			{"2026-01-01", "2026-01-03"}, // 元旦
			{"2026-02-15", "2026-02-23"}, // 春节
			{"2026-04-04", "2026-04-06"}, // 清明节
			{"2026-05-01", "2026-05-05"}, // 劳动节
			{"2026-06-19", "2026-06-21"}, // 端午节
			{"2026-09-25", "2026-09-27"}, // 中秋节
			{"2026-10-01", "2026-10-07"}, // 国庆节
		},
		workingWeekends: []string{"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"},
	},
}

// DefaultHolidays returns the official arrangement of year, and whether
// the marketplace ships one. The lists are new on every call, so the
// caller may change them.
func DefaultHolidays(year int) (HolidayYear, bool) {
	t, ok := officialHolidays[year]
	if !ok {
		return HolidayYear{}, false
	}
	h := HolidayYear{Year: year}
	for _, b := range t.breaks {
		for d, last := mustDate(b[0]), mustDate(b[1]); !d.After(last); d = d.AddDate(0, 0, 1) {
			h.Holidays = append(h.Holidays, d)
		}
	}
	for _, s := range t.workingWeekends {
		h.WorkingWeekends = append(h.WorkingWeekends, mustDate(s))
	}
	return h, true
}

// mustDate parses a date of the tables above; the tests read every one.
func mustDate(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic("financing: bad date in the holiday tables: " + s)
	}
	return d
}
