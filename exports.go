package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/yurong/yurong/events"
	"github.com/yurong/yurong/graph/relay"
	"github.com/yurong/yurong/ratelimit"
	"github.com/yurong/yurong/resolvers"
)

// The exports of a matchmaking event's schedule, served beside /graphql
// behind the same chain (principal, rate limit, deadline): like the
// schedule they export, they are public reads.
//
//	GET /events/{id}/schedule.xlsx                the event's day, one row per meeting
//	GET /events/{id}/agenda/{participantId}.ics   a participant's (Enterprise ID) or host's (EventHost ID) meetings

// The cost of an export against the client's rate budget: about what the
// GraphQL query reading the same meetings with their pairings costs.
const (
	exportWorkbookCost = 1000
	exportCalendarCost = 100
)

// Content types of the exports.
const (
	xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	icsType  = "text/calendar; charset=utf-8"
)

type eventExports struct {
	events *events.Service
	limits *ratelimit.Extension
	log    *slog.Logger
}

// exportError answers an export with a status and a body shaped like a
// GraphQL error, so clients read both the same way.
func exportError(w http.ResponseWriter, status int, code, message string) {
	body, _ := json.Marshal(map[string]any{"errors": []any{map[string]any{"message": message, "extensions": map[string]any{"code": code}}}})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(body)
}

// event reads the event of the request's path after charging cost; false
// when it answered the request instead (400, 404, 409, 429, 500).
func (x eventExports) event(w http.ResponseWriter, r *http.Request, cost int) (*events.Event, bool) {
	id, err := relay.ParseIntID(resolvers.EventType, r.PathValue("id"))
	if err != nil {
		exportError(w, http.StatusBadRequest, resolvers.CodeBadUserInput, "活动 ID 无效")
		return nil, false
	}
	if ok, secs := x.limits.Charge(r.Context(), cost); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		exportError(w, http.StatusTooManyRequests, ratelimit.CodeRateLimited, fmt.Sprintf("请求过于频繁，请 %d 秒后重试", secs))
		return nil, false
	}
	ev, err := x.events.Event(r.Context(), id)
	switch {
	case errors.Is(err, events.ErrNoEvent):
		exportError(w, http.StatusNotFound, resolvers.CodeNotFound, "活动不存在")
		return nil, false
	case err != nil:
		x.fail(w, r.Context(), err)
		return nil, false
	}
	return ev, true
}

func (x eventExports) fail(w http.ResponseWriter, ctx context.Context, err error) {
	x.log.ErrorContext(ctx, "event export failed", "err", err)
	exportError(w, http.StatusInternalServerError, resolvers.CodeInternal, "internal error")
}

func notScheduled(w http.ResponseWriter) {
	exportError(w, http.StatusConflict, "NOT_SCHEDULED", "活动尚未排程，暂无日程可导出；请先调用 scheduleEvent")
}

// workbook serves GET /events/{id}/schedule.xlsx.
func (x eventExports) workbook(w http.ResponseWriter, r *http.Request) {
	ev, ok := x.event(w, r, exportWorkbookCost)
	if !ok {
		return
	}
	if ev.Schedule == nil {
		notScheduled(w)
		return
	}
	b, err := x.events.Workbook(ev)
	if err != nil {
		x.fail(w, r.Context(), err)
		return
	}
	serveFile(w, xlsxType, fmt.Sprintf("event-%d-schedule.xlsx", ev.ID), ev.Name+"-日程.xlsx", b)
}

// calendar serves GET /events/{id}/agenda/{participantId}.ics.
func (x eventExports) calendar(w http.ResponseWriter, r *http.Request) {
	pid, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok {
		exportError(w, http.StatusNotFound, resolvers.CodeNotFound, "只提供 .ics 日历：/events/{id}/agenda/{participantId}.ics")
		return
	}
	typ, key, err := relay.ParseID(pid)
	n, perr := strconv.ParseInt(key, 10, 64)
	if err != nil || perr != nil || n <= 0 || (typ != "Enterprise" && typ != resolvers.EventHostType) {
		exportError(w, http.StatusBadRequest, resolvers.CodeBadUserInput, "参会方 ID 无效：须为企业（Enterprise）或主办方（EventHost）的 ID")
		return
	}
	ev, ok := x.event(w, r, exportCalendarCost)
	if !ok {
		return
	}
	var ent, host int64
	var name string
	if typ == "Enterprise" {
		if p := ev.Participant(n); p != nil {
			ent, name = n, fmt.Sprintf("enterprise-%d", n)
		}
	} else if h := ev.Host(n); h != nil {
		host, name = n, fmt.Sprintf("host-%d", n)
	}
	if name == "" {
		exportError(w, http.StatusNotFound, resolvers.CodeNotFound, "该企业或主办方不在本场活动中")
		return
	}
	if ev.Schedule == nil {
		notScheduled(w)
		return
	}
	party := x.events.EnterpriseName(ent)
	if h := ev.Host(host); h != nil {
		party = h.Name
	}
	serveFile(w, icsType, fmt.Sprintf("event-%d-%s.ics", ev.ID, name), ev.Name+"-"+party+".ics", x.events.Calendar(ev, ent, host))
}

// serveFile writes a download: an ASCII file name for old clients and the
// real one in UTF-8 (RFC 6266, RFC 8187).
func serveFile(w http.ResponseWriter, contentType, asciiName, name string, b []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, asciiName, rfc8187(name)))
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(b)
}

// rfc8187 percent-encodes a value for an ext-value: every octet but
// attr-char.
func rfc8187(s string) string {
	const attr = "!#$&+-.^_`|~"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte(attr, c) >= 0 {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}
