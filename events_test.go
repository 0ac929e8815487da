package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/xuri/excelize/v2"

	"github.com/yurong/yurong/graph/relay"
)

// The API's view of an event, as the end-to-end test reads it.
type apiMeeting struct {
	Slot      int     `json:"slot"`
	Table     int     `json:"table"`
	Score     float64 `json:"score"`
	Requested bool    `json:"requested"`
	Host      struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"host"`
	Enterprise struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"enterprise"`
	Pairing *struct {
		Kind    string  `json:"kind"`
		Score   float64 `json:"score"`
		Reasons []struct {
			Message string `json:"message"`
		} `json:"reasons"`
	} `json:"pairing"`
}

type apiEvent struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	City        string    `json:"city"`
	Date        string    `json:"date"`
	Slots       int       `json:"slots"`
	SlotMinutes int       `json:"slotMinutes"`
	StartsAt    time.Time `json:"startsAt"`
	Tables      int       `json:"tables"`
	Hosts       []struct {
		ID             string `json:"id"`
		Name           string `json:"name"`
		Capacity       int    `json:"capacity"`
		AvailableSlots []int  `json:"availableSlots"`
		Resources      []struct {
			ID string `json:"id"`
		} `json:"resources"`
	} `json:"hosts"`
	Participants []struct {
		Enterprise struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"enterprise"`
		Capacity       int   `json:"capacity"`
		AvailableSlots []int `json:"availableSlots"`
	} `json:"participants"`
	Schedule *struct {
		Meetings   []apiMeeting `json:"meetings"`
		Objective  float64      `json:"objective"`
		UpperBound float64      `json:"upperBound"`
		ComputedAt time.Time    `json:"computedAt"`
		ElapsedMs  int          `json:"elapsedMs"`
		Unplaced   []string     `json:"unplaced"`
	} `json:"schedule"`
}

const meetingFields = `slot table score requested host { id name } enterprise { id name } pairing { kind score reasons { message } }`

const eventFields = `id name city date slots slotMinutes startsAt tables
  hosts { id name capacity availableSlots resources { ... on Node { id } } }
  participants { enterprise { id name } capacity availableSlots }
  schedule { objective upperBound computedAt elapsedMs unplaced meetings { ` + meetingFields + ` } }`

const eventPayloadFields = `event { ` + eventFields + ` } userErrors { field code message }`

type eventPayload struct {
	Event      *apiEvent   `json:"event"`
	UserErrors []userError `json:"userErrors"`
}

// mutateEvent runs an event mutation as the administrator and fails the
// test on any error or userError.
func mutateEvent(t *testing.T, srv *httptest.Server, mutation, inputType string, input map[string]any) *apiEvent {
	t.Helper()
	q := fmt.Sprintf(`mutation($in: %s!) { %s(input: $in) { %s } }`, inputType, mutation, eventPayloadFields)
	var p eventPayload
	post(t, srv, testToken, q, map[string]any{"in": input}).decode(t, mutation, &p)
	if len(p.UserErrors) > 0 || p.Event == nil {
		t.Fatalf("%s refused: %+v", mutation, p.UserErrors)
	}
	return p.Event
}

// download GETs a path of the server.
func download(t *testing.T, srv *httptest.Server, path string) (*http.Response, []byte) {
	t.Helper()
	res, err := testClient.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, b
}

// checkDay verifies a schedule read through the API against its event:
// nobody double-booked, at most `tables` meetings per slot each at its own
// table, capacities, availability, objective = the sum of the scores ≤
// the upper bound.
func checkDay(t *testing.T, ev *apiEvent) {
	t.Helper()
	s := ev.Schedule
	if s == nil {
		t.Fatal("no schedule")
	}
	hosts := map[string]int{}
	for i, h := range ev.Hosts {
		hosts[h.ID] = i
	}
	parts := map[string]int{}
	for i, p := range ev.Participants {
		parts[p.Enterprise.ID] = i
	}
	seen := map[string]bool{}
	perSlot := map[int]int{}
	hostCount, partCount := map[string]int{}, map[string]int{}
	sum := 0.0
	for _, m := range s.Meetings {
		hi, okH := hosts[m.Host.ID]
		pi, okP := parts[m.Enterprise.ID]
		if !okH || !okP {
			t.Fatalf("meeting %+v of a host or enterprise not in the event", m)
		}
		for _, k := range []string{
			fmt.Sprintf("host %s slot %d", m.Host.ID, m.Slot), fmt.Sprintf("enterprise %s slot %d", m.Enterprise.ID, m.Slot),
			fmt.Sprintf("table %d slot %d", m.Table, m.Slot), fmt.Sprintf("pair %s %s", m.Host.ID, m.Enterprise.ID),
		} {
			if seen[k] {
				t.Errorf("twice: %s", k)
			}
			seen[k] = true
		}
		if m.Slot < 1 || m.Slot > ev.Slots || m.Table < 1 || m.Table > ev.Tables {
			t.Errorf("meeting %+v out of the day", m)
		}
		if !slices.Contains(ev.Hosts[hi].AvailableSlots, m.Slot) || !slices.Contains(ev.Participants[pi].AvailableSlots, m.Slot) {
			t.Errorf("meeting %+v outside someone's available slots", m)
		}
		perSlot[m.Slot]++
		hostCount[m.Host.ID]++
		partCount[m.Enterprise.ID]++
		sum += m.Score
		if m.Pairing == nil || len(m.Pairing.Reasons) == 0 {
			t.Errorf("meeting %+v without its pairing's reasons", m)
		}
	}
	for slot, n := range perSlot {
		if n > ev.Tables {
			t.Errorf("slot %d holds %d meetings at %d tables", slot, n, ev.Tables)
		}
	}
	for _, h := range ev.Hosts {
		if hostCount[h.ID] > h.Capacity {
			t.Errorf("host %s: %d meetings, capacity %d", h.Name, hostCount[h.ID], h.Capacity)
		}
	}
	for _, p := range ev.Participants {
		if partCount[p.Enterprise.ID] > p.Capacity {
			t.Errorf("%s: %d meetings, capacity %d", p.Enterprise.Name, partCount[p.Enterprise.ID], p.Capacity)
		}
	}
	if math.Abs(sum-s.Objective) > 1e-6 {
		t.Errorf("objective %v, the meetings' scores sum to %v", s.Objective, sum)
	}
	if s.Objective > s.UpperBound+1e-6 || s.UpperBound <= 0 {
		t.Errorf("objective %v above the upper bound %v", s.Objective, s.UpperBound)
	}
}

// TestMatchmakingEventEndToEnd runs the day through HTTP on the
// demo: an event of one track with the demo's chain leaders, banks and
// incubators of that track as hosts, invited participants, one with a
// request and an exclusion, a schedule, agendas, the .xlsx and .ics
// downloads parsed back, then a participant joining and one leaving and a
// re-schedule that keeps the announced meetings.
func TestMatchmakingEventEndToEnd(t *testing.T) {
	srv, _ := testServer(t, 2000)
	const track = "NEW_MATERIALS"

	// ---- Hosts from the demo: chain leaders (their demands of the track),
	// banks (their products), incubators of the track.
	var demands struct {
		Edges []struct {
			Node struct {
				ID        string `json:"id"`
				OwnerName string `json:"ownerName"`
			} `json:"node"`
		} `json:"edges"`
	}
	post(t, srv, "", `query($t: Track!) { supplyChainDemands(first: 100, filter: {tracks: [$t]}) { edges { node { id ownerName } } } }`,
		map[string]any{"t": track}).decode(t, "supplyChainDemands", &demands)
	leaders := map[string][]string{}
	var leaderOrder []string
	for _, e := range demands.Edges {
		if leaders[e.Node.OwnerName] == nil {
			leaderOrder = append(leaderOrder, e.Node.OwnerName)
		}
		leaders[e.Node.OwnerName] = append(leaders[e.Node.OwnerName], e.Node.ID)
	}
	var insts []struct {
		Name     string `json:"name"`
		Kind     string `json:"kind"`
		Products []struct {
			ID string `json:"id"`
		} `json:"products"`
	}
	post(t, srv, "", `{ institutions { name kind products { id } } }`, nil).decode(t, "institutions", &insts)
	var incs struct {
		Edges []struct {
			Node struct {
				ID   string `json:"id"`
				Name string `json:"name"`
			} `json:"node"`
		} `json:"edges"`
	}
	post(t, srv, "", `query($t: Track!) { incubators(first: 10, filter: {tracks: [$t]}) { edges { node { id name } } } }`,
		map[string]any{"t": track}).decode(t, "incubators", &incs)
	type hostSpec struct {
		name      string
		resources []string
		slots     []int
	}
	var specs []hostSpec
	for _, name := range leaderOrder[:min(3, len(leaderOrder))] {
		specs = append(specs, hostSpec{name: name, resources: leaders[name][:min(5, len(leaders[name]))]})
	}
	banks := 0
	for _, in := range insts {
		if in.Kind == "BANK" && len(in.Products) > 0 && banks < 3 {
			banks++
			ids := make([]string, 0, 5)
			for _, p := range in.Products[:min(5, len(in.Products))] {
				ids = append(ids, p.ID)
			}
			specs = append(specs, hostSpec{name: in.Name, resources: ids})
		}
	}
	for _, e := range incs.Edges[:min(2, len(incs.Edges))] {
		specs = append(specs, hostSpec{name: e.Node.Name, resources: []string{e.Node.ID}})
	}
	if len(leaderOrder) < 2 || banks < 2 || len(incs.Edges) < 1 {
		t.Fatalf("the demo lacks hosts for %s: %d chain leaders, %d banks, %d incubators", track, len(leaderOrder), banks, len(incs.Edges))
	}
	specs[len(specs)-1].slots = []int{1, 2, 3, 4} // an incubator present in the morning only

	// ---- The event, its hosts, its participants.
	ev := mutateEvent(t, srv, "createMatchmakingEvent", "CreateMatchmakingEventInput", map[string]any{
		"name": "2026 新材料产业链专场对接会", "track": track, "industryChain": "超硬材料", "city": "ZHENGZHOU",
		"date": "2026-09-15", "slots": 8, "slotMinutes": 20, "startsAt": "2026-09-15T09:00:00+08:00", "tables": 6})
	if ev.Schedule != nil || ev.StartsAt.UTC() != time.Date(2026, 9, 15, 1, 0, 0, 0, time.UTC) || ev.Slots != 8 {
		t.Fatalf("the new event %+v", ev)
	}
	for _, h := range specs {
		in := map[string]any{"eventId": ev.ID, "name": h.name, "resourceIds": h.resources, "capacity": 6}
		if h.slots != nil {
			in["availableSlots"] = h.slots
		}
		ev = mutateEvent(t, srv, "addEventHost", "EventHostInput", in)
	}
	if len(ev.Hosts) != len(specs) || ev.Hosts[0].Name != specs[0].name || len(ev.Hosts[0].Resources) != len(specs[0].resources) ||
		!slices.Equal(ev.Hosts[0].AvailableSlots, []int{1, 2, 3, 4, 5, 6, 7, 8}) {
		t.Fatalf("hosts %+v", ev.Hosts)
	}
	ev = mutateEvent(t, srv, "inviteParticipants", "InviteParticipantsInput", map[string]any{"eventId": ev.ID, "count": 30, "capacity": 3})
	if len(ev.Participants) != 30 {
		t.Fatalf("%d invited, want 30", len(ev.Participants))
	}
	invited := map[string]bool{}
	for _, p := range ev.Participants {
		invited[p.Enterprise.ID] = true
		if p.Capacity != 3 || len(p.AvailableSlots) != 8 {
			t.Errorf("invited %+v", p)
		}
	}
	// Invited enterprises are honest and none is a host's own.
	var honesty []struct {
		ID           string `json:"id"`
		Name         string `json:"name"`
		CreditStatus string `json:"creditStatus"`
	}
	for id := range invited {
		var e struct {
			ID           string `json:"id"`
			Name         string `json:"name"`
			CreditStatus string `json:"creditStatus"`
		}
		post(t, srv, "", `query($id: ID!) { node(id: $id) { ... on Enterprise { id name creditStatus } } }`, map[string]any{"id": id}).decode(t, "node", &e)
		honesty = append(honesty, e)
	}
	for _, e := range honesty {
		if e.CreditStatus == "DISHONEST" || leaders[e.Name] != nil {
			t.Errorf("invited %+v", e)
		}
	}

	// One more participant, by hand: it asks for the first chain leader
	// and never meets the first bank.
	var cands struct {
		Edges []struct {
			Node struct {
				ID           string `json:"id"`
				CreditStatus string `json:"creditStatus"`
			} `json:"node"`
		} `json:"edges"`
	}
	post(t, srv, "", `query($t: Track!) { enterprises(first: 100, filter: {tracks: [$t], cities: [ZHENGZHOU]}) { edges { node { id creditStatus } } } }`,
		map[string]any{"t": track}).decode(t, "enterprises", &cands)
	var picky string
	for _, e := range cands.Edges {
		if !invited[e.Node.ID] && e.Node.CreditStatus != "DISHONEST" {
			picky = e.Node.ID
			break
		}
	}
	leaderHost, bankHost := ev.Hosts[0].ID, ev.Hosts[len(leaderOrder[:min(3, len(leaderOrder))])].ID
	ev = mutateEvent(t, srv, "addEventParticipant", "EventParticipantInput", map[string]any{"eventId": ev.ID, "enterpriseId": picky,
		"capacity": 2, "availableSlots": []int{2, 3, 5, 6}, "mustMeet": []string{leaderHost}, "neverMeet": []string{bankHost}})

	// ---- Before a schedule the exports are a conflict.
	if res, b := download(t, srv, "/events/"+ev.ID+"/schedule.xlsx"); res.StatusCode != http.StatusConflict || !strings.Contains(string(b), "尚未排程") {
		t.Errorf("an unscheduled event's workbook: %d %s", res.StatusCode, b)
	}

	// ---- The schedule.
	ev = mutateEvent(t, srv, "scheduleEvent", "ScheduleEventInput", map[string]any{"eventId": ev.ID, "timeLimitMs": 2000})
	checkDay(t, ev)
	s := ev.Schedule
	if len(s.Meetings) < 20 {
		t.Errorf("only %d meetings", len(s.Meetings))
	}
	var pickyName string
	requested := false
	for _, p := range ev.Participants {
		if p.Enterprise.ID == picky {
			pickyName = p.Enterprise.Name
		}
	}
	for _, m := range s.Meetings {
		if m.Enterprise.ID == picky {
			if m.Host.ID == bankHost {
				t.Errorf("the enterprise meets the bank it never meets: %+v", m)
			}
			if m.Host.ID == leaderHost {
				requested = m.Requested
			}
		}
	}
	if !requested {
		named := false
		for _, u := range s.Unplaced {
			named = named || (strings.Contains(u, pickyName) && strings.Contains(u, ev.Hosts[0].Name))
		}
		if !named {
			t.Errorf("the requested meeting is neither placed nor unplaced: %q", s.Unplaced)
		}
	}

	t.Logf("%d hosts, %d participants: %d meetings, objective %.2f of at most %.2f, requested meeting placed: %v, unplaced %q",
		len(ev.Hosts), len(ev.Participants), len(s.Meetings), s.Objective, s.UpperBound, requested, s.Unplaced)

	// ---- Agendas: a participant's and a host's, by slot.
	agenda := func(id string) []apiMeeting {
		t.Helper()
		var got struct {
			Agenda []apiMeeting `json:"agenda"`
		}
		post(t, srv, "", `query($e: ID!, $p: ID!) { node(id: $e) { ... on MatchmakingEvent { agenda(participantId: $p) { `+meetingFields+` } } } }`,
			map[string]any{"e": ev.ID, "p": id}).decode(t, "node", &got)
		var want []apiMeeting
		for _, m := range s.Meetings {
			if m.Enterprise.ID == id || m.Host.ID == id {
				want = append(want, m)
			}
		}
		slices.SortFunc(want, func(a, b apiMeeting) int { return a.Slot - b.Slot })
		if len(got.Agenda) != len(want) {
			t.Fatalf("agenda of %s: %d meetings, want %d", id, len(got.Agenda), len(want))
		}
		for i := range want {
			if got.Agenda[i].Slot != want[i].Slot || got.Agenda[i].Table != want[i].Table || got.Agenda[i].Host.ID != want[i].Host.ID ||
				got.Agenda[i].Enterprise.ID != want[i].Enterprise.ID {
				t.Errorf("agenda of %s, meeting %d: %+v, want %+v", id, i, got.Agenda[i], want[i])
			}
		}
		return got.Agenda
	}
	busy := s.Meetings[0].Enterprise.ID
	if len(agenda(busy)) == 0 {
		t.Error("an enterprise with a meeting has an empty agenda")
	}
	if len(agenda(ev.Hosts[0].ID)) == 0 {
		t.Error("the first host has an empty agenda")
	}
	for _, tc := range []struct{ id, code string }{
		{relay.IntID("Enterprise", 999999), "NOT_FOUND"},
		{relay.IntID("EventHost", 999999), "NOT_FOUND"},
		{relay.IntID("Institution", 1), "BAD_USER_INPUT"},
		{"not-an-id", "BAD_USER_INPUT"},
	} {
		r := post(t, srv, "", `query($e: ID!, $p: ID!) { node(id: $e) { ... on MatchmakingEvent { agenda(participantId: $p) { slot } } } }`,
			map[string]any{"e": ev.ID, "p": tc.id})
		if r.code() != tc.code {
			t.Errorf("agenda of %s: code %q, want %s (%+v)", tc.id, r.code(), tc.code, r.Errors)
		}
	}

	// ---- The workbook, parsed back: one row per meeting, by slot then
	// table, under a header with the event's name and date.
	res, b := download(t, srv, "/events/"+ev.ID+"/schedule.xlsx")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" ||
		!strings.Contains(res.Header.Get("Content-Disposition"), "filename*=UTF-8''") {
		t.Fatalf("workbook: %d %v", res.StatusCode, res.Header)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("日程")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 4 || rows[0][0] != ev.Name || !strings.Contains(rows[1][0], "2026-09-15") {
		t.Fatalf("workbook header %q", rows[:min(4, len(rows))])
	}
	if !slices.Equal(rows[3], []string{"时段", "开始", "结束", "桌号", "主办方", "企业", "匹配分", "理由"}) {
		t.Errorf("columns %q", rows[3])
	}
	sorted := slices.Clone(s.Meetings)
	slices.SortFunc(sorted, func(a, b apiMeeting) int {
		if a.Slot != b.Slot {
			return a.Slot - b.Slot
		}
		return a.Table - b.Table
	})
	data := rows[4:]
	if len(data) != len(sorted) {
		t.Fatalf("%d rows, %d meetings", len(data), len(sorted))
	}
	beijing := time.FixedZone("CST", 8*3600)
	for i, m := range sorted {
		start := ev.StartsAt.Add(time.Duration((m.Slot-1)*ev.SlotMinutes) * time.Minute).In(beijing)
		want := []string{strconv.Itoa(m.Slot), start.Format("15:04"), start.Add(time.Duration(ev.SlotMinutes) * time.Minute).Format("15:04"),
			strconv.Itoa(m.Table), m.Host.Name, m.Enterprise.Name}
		row := data[i]
		if len(row) != 8 || !slices.Equal(row[:6], want) {
			t.Errorf("row %d %q, want %q…", i, row, want)
			continue
		}
		if score, err := strconv.ParseFloat(row[6], 64); err != nil || math.Abs(score-m.Score) > 0.006 {
			t.Errorf("row %d score %q, want %v", i, row[6], m.Score)
		}
		if row[7] == "" {
			t.Errorf("row %d has no reason", i)
		}
	}

	// ---- A participant's calendar, parsed back: one VEVENT per meeting
	// at the right times.
	checkCalendar := func(id string, summaryOf func(m apiMeeting) string) {
		t.Helper()
		res, b := download(t, srv, "/events/"+ev.ID+"/agenda/"+id+".ics")
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/calendar; charset=utf-8" ||
			!strings.Contains(res.Header.Get("Content-Disposition"), "filename*=UTF-8''") {
			t.Fatalf("calendar of %s: %d %v %s", id, res.StatusCode, res.Header, b)
		}
		raw := string(b)
		if !strings.HasSuffix(raw, "\r\n") || strings.Contains(strings.ReplaceAll(raw, "\r\n", ""), "\n") {
			t.Error("lines do not all end in CRLF")
		}
		for _, line := range strings.Split(strings.TrimSuffix(raw, "\r\n"), "\r\n") {
			if len(line) > 75 {
				t.Errorf("a line of %d octets: %q", len(line), line)
			}
		}
		cal, err := ics.ParseCalendar(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		var want []apiMeeting
		for _, m := range s.Meetings {
			if m.Enterprise.ID == id || m.Host.ID == id {
				want = append(want, m)
			}
		}
		slices.SortFunc(want, func(a, b apiMeeting) int { return a.Slot - b.Slot })
		vevents := cal.Events()
		if len(vevents) != len(want) || len(want) == 0 {
			t.Fatalf("calendar of %s: %d events, %d meetings", id, len(vevents), len(want))
		}
		uids := map[string]bool{}
		for i, e := range vevents {
			m := want[i]
			start, err1 := e.GetStartAt()
			end, err2 := e.GetEndAt()
			wantStart := ev.StartsAt.Add(time.Duration((m.Slot-1)*ev.SlotMinutes) * time.Minute)
			if err1 != nil || err2 != nil || !start.Equal(wantStart) || !end.Equal(wantStart.Add(time.Duration(ev.SlotMinutes)*time.Minute)) {
				t.Errorf("event %d: %v–%v (%v %v), want slot %d at %v", i, start, end, err1, err2, m.Slot, wantStart)
			}
			summary := ics.FromText(e.GetProperty(ics.ComponentPropertySummary).Value)
			if summary != summaryOf(m) {
				t.Errorf("event %d: summary %q, want %q", i, summary, summaryOf(m))
			}
			loc := ics.FromText(e.GetProperty(ics.ComponentPropertyLocation).Value)
			if !strings.Contains(loc, "郑州") || !strings.Contains(loc, fmt.Sprintf("第%d桌", m.Table)) {
				t.Errorf("event %d: location %q", i, loc)
			}
			if d := e.GetProperty(ics.ComponentPropertyDescription); d == nil || d.Value == "" {
				t.Errorf("event %d has no description", i)
			}
			uid := e.GetProperty(ics.ComponentPropertyUniqueId).Value
			if uid == "" || uids[uid] || e.GetProperty(ics.ComponentPropertyDtstamp) == nil {
				t.Errorf("event %d: UID %q repeated or DTSTAMP missing", i, uid)
			}
			uids[uid] = true
		}
	}
	checkCalendar(busy, func(m apiMeeting) string { return fmt.Sprintf("与%s会谈（第%d桌）", m.Host.Name, m.Table) })
	checkCalendar(ev.Hosts[0].ID, func(m apiMeeting) string { return fmt.Sprintf("与%s会谈（第%d桌）", m.Enterprise.Name, m.Table) })
	for _, tc := range []struct {
		path   string
		status int
	}{
		{"/events/" + relay.IntID("MatchmakingEvent", 999999) + "/schedule.xlsx", http.StatusNotFound},
		{"/events/not-an-id/schedule.xlsx", http.StatusBadRequest},
		{"/events/" + ev.ID + "/agenda/" + relay.IntID("Enterprise", 999999) + ".ics", http.StatusNotFound},
		{"/events/" + ev.ID + "/agenda/" + relay.IntID("Institution", 1) + ".ics", http.StatusBadRequest},
		{"/events/" + ev.ID + "/agenda/" + busy + ".txt", http.StatusNotFound},
	} {
		res, b := download(t, srv, tc.path)
		var body gqlResponse
		if res.StatusCode != tc.status || json.Unmarshal(b, &body) != nil || len(body.Errors) == 0 || body.code() == "" {
			t.Errorf("GET %s: %d %s, want %d with a JSON error", tc.path, res.StatusCode, b, tc.status)
		}
	}

	// ---- Changes after scheduling: one enterprise joins, one with
	// meetings leaves; scheduling again keeps every announced meeting
	// whose two sides remain.
	leaver := ""
	for _, m := range s.Meetings {
		if m.Enterprise.ID != picky {
			leaver = m.Enterprise.ID
			break
		}
	}
	var joiner string
	for _, e := range cands.Edges {
		if !invited[e.Node.ID] && e.Node.ID != picky && e.Node.CreditStatus != "DISHONEST" {
			joiner = e.Node.ID
			break
		}
	}
	ev = mutateEvent(t, srv, "addEventParticipant", "EventParticipantInput", map[string]any{"eventId": ev.ID, "enterpriseId": joiner, "capacity": 3})
	ev = mutateEvent(t, srv, "removeEventParticipant", "RemoveEventParticipantInput", map[string]any{"eventId": ev.ID, "enterpriseId": leaver})
	for _, m := range ev.Schedule.Meetings {
		if m.Enterprise.ID == leaver {
			t.Errorf("the leaver still meets %s", m.Host.Name)
		}
	}
	announced := map[string][2]int{}
	for _, m := range s.Meetings {
		if m.Enterprise.ID != leaver {
			announced[m.Host.ID+"/"+m.Enterprise.ID] = [2]int{m.Slot, m.Table}
		}
	}
	ev = mutateEvent(t, srv, "scheduleEvent", "ScheduleEventInput", map[string]any{"eventId": ev.ID, "timeLimitMs": 1000, "keepAnnounced": true})
	checkDay(t, ev)
	now := map[string][2]int{}
	for _, m := range ev.Schedule.Meetings {
		now[m.Host.ID+"/"+m.Enterprise.ID] = [2]int{m.Slot, m.Table}
	}
	for k, at := range announced {
		if now[k] != at {
			t.Errorf("announced meeting %s moved from %v to %v", k, at, now[k])
		}
	}
	ev = mutateEvent(t, srv, "scheduleEvent", "ScheduleEventInput", map[string]any{"eventId": ev.ID, "keepAnnounced": false})
	checkDay(t, ev)

	// ---- The list of events.
	var list struct {
		TotalCount int `json:"totalCount"`
		Edges      []struct {
			Node struct {
				ID string `json:"id"`
			} `json:"node"`
		} `json:"edges"`
	}
	post(t, srv, "", `query($t: Track) { matchmakingEvents(first: 5, track: $t, city: ZHENGZHOU) { totalCount edges { node { id } } } }`,
		map[string]any{"t": track}).decode(t, "matchmakingEvents", &list)
	// The demo has its own event of the track in Zhengzhou; this one is
	// the newest.
	if list.TotalCount != 2 || len(list.Edges) != 2 || list.Edges[1].Node.ID != ev.ID {
		t.Errorf("matchmakingEvents %+v", list)
	}
	post(t, srv, "", `{ matchmakingEvents(track: BIOMEDICINE) { totalCount } }`, nil).decode(t, "matchmakingEvents", &list)
	if list.TotalCount != 0 {
		t.Errorf("events of another track: %d", list.TotalCount)
	}
}
