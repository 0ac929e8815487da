package events

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/yurong/yurong/catalog"
)

// Exports of a schedule: an iCalendar (RFC 5545) per participant or host
// and an Excel workbook per event. Both use the public rendering of the
// reasons, like any read of a pairing by a viewer without access to the
// enterprise's data.

// SheetName is the name of the workbook's one sheet.
const SheetName = "日程"

// SheetColumns are the columns of the schedule's rows.
var SheetColumns = []string{"时段", "开始", "结束", "桌号", "主办方", "企业", "匹配分", "理由"}

// SheetFirstRow is the row (1-based) of the first meeting; the rows above
// are the event's name, its date and place, a blank row and the columns'
// names.
const SheetFirstRow = 5

// Workbook renders ev's schedule as an Excel workbook: one sheet, 日程,
// headed by the event's name and date, then one row per meeting by slot,
// then table. Times are Beijing time.
func (s *Service) Workbook(ev *Event) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetName); err != nil {
		return nil, err
	}
	set := func(cell string, v any) error { return f.SetCellValue(SheetName, cell, v) }
	if err := set("A1", ev.Name); err != nil {
		return nil, err
	}
	info := fmt.Sprintf("日期：%s　地点：%s　赛道：%s　每个时段 %d 分钟，共 %d 个时段、%d 桌",
		ev.Date.Format(time.DateOnly), catalog.CityNames[ev.City], catalog.TrackNames[ev.Track], ev.SlotMinutes, ev.Slots, ev.Tables)
	if ev.IndustryChain != nil {
		info += "　产业链：" + *ev.IndustryChain
	}
	if err := set("A2", info); err != nil {
		return nil, err
	}
	header := make([]any, len(SheetColumns))
	for i, c := range SheetColumns {
		header[i] = c
	}
	if err := f.SetSheetRow(SheetName, "A"+strconv.Itoa(SheetFirstRow-1), &header); err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	if err := f.SetCellStyle(SheetName, "A1", "A1", bold); err != nil {
		return nil, err
	}
	if err := f.SetCellStyle(SheetName, "A"+strconv.Itoa(SheetFirstRow-1), "H"+strconv.Itoa(SheetFirstRow-1), bold); err != nil {
		return nil, err
	}
	if ev.Schedule != nil {
		ms := append([]Meeting(nil), ev.Schedule.Meetings...)
		SortMeetings(ms)
		for i, m := range ms {
			row := []any{m.Slot, clock(ev.SlotStart(m.Slot)), clock(ev.SlotEnd(m.Slot)), m.Table,
				hostName(ev, m.HostID), s.EnterpriseName(m.EnterpriseID), round2(m.Score), s.Reason(m)}
			if err := f.SetSheetRow(SheetName, "A"+strconv.Itoa(SheetFirstRow+i), &row); err != nil {
				return nil, err
			}
		}
	}
	for col, width := range map[string]float64{"A": 6, "B": 8, "C": 8, "D": 6, "E": 28, "F": 32, "G": 8, "H": 80} {
		if err := f.SetColWidth(SheetName, col, col, width); err != nil {
			return nil, err
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// clock is t's time of day in Beijing, "09:20".
func clock(t time.Time) string { return t.In(beijing).Format("15:04") }

func round2(f float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'f', 2, 64), 64)
	return v
}

// Calendar renders one side's agenda as an RFC 5545 calendar: the
// enterprise's when enterpriseID is not 0, else the host's. Each meeting
// is a VEVENT whose UID names the event, the host and the enterprise, so
// a meeting that moves keeps its UID; times are UTC.
func (s *Service) Calendar(ev *Event, enterpriseID, hostID int64) []byte {
	var b strings.Builder
	line := func(name, value string) { writeFolded(&b, name+":"+value) }
	party := hostName(ev, hostID)
	if enterpriseID != 0 {
		party = s.EnterpriseName(enterpriseID)
	}
	line("BEGIN", "VCALENDAR")
	line("VERSION", "2.0")
	line("PRODID", "-//Yurong//Matchmaking Events//ZH")
	line("CALSCALE", "GREGORIAN")
	line("METHOD", "PUBLISH")
	line("X-WR-CALNAME", escapeText(ev.Name+" — "+party))
	stamp := s.now()
	if ev.Schedule != nil {
		stamp = ev.Schedule.ComputedAt
	}
	for _, m := range Agenda(ev, enterpriseID, hostID) {
		other := s.EnterpriseName(m.EnterpriseID)
		if enterpriseID != 0 {
			other = hostName(ev, m.HostID)
		}
		line("BEGIN", "VEVENT")
		line("UID", fmt.Sprintf("matchmaking-event-%d-host-%d-enterprise-%d@yurong", ev.ID, m.HostID, m.EnterpriseID))
		line("DTSTAMP", icsTime(stamp))
		line("DTSTART", icsTime(ev.SlotStart(m.Slot)))
		line("DTEND", icsTime(ev.SlotEnd(m.Slot)))
		line("SUMMARY", escapeText(fmt.Sprintf("与%s会谈（第%d桌）", other, m.Table)))
		line("LOCATION", escapeText(fmt.Sprintf("%s · %s 第%d桌", catalog.CityNames[ev.City], ev.Name, m.Table)))
		line("DESCRIPTION", escapeText(s.Reason(m)))
		line("END", "VEVENT")
	}
	line("END", "VCALENDAR")
	return []byte(b.String())
}

// icsTime is a UTC DATE-TIME: 20260915T012000Z.
func icsTime(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// escapeText escapes a TEXT value (RFC 5545 §3.3.11): backslash,
// semicolon, comma and line breaks.
func escapeText(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// maxLineOctets is the longest content line RFC 5545 allows, line break
// excluded.
const maxLineOctets = 75

// writeFolded writes a content line folded at 75 octets (§3.1): each
// continuation starts with a space, which counts; a character is never
// split.
func writeFolded(b *strings.Builder, line string) {
	n := 0
	for _, r := range line {
		size := utf8.RuneLen(r)
		if n+size > maxLineOctets {
			b.WriteString("\r\n ")
			n = 1
		}
		b.WriteRune(r)
		n += size
	}
	b.WriteString("\r\n")
}
