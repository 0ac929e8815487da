package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strings"

	"github.com/yurong/yurong/events"
)

// The records of package events: matchmaking events with their hosts,
// participants and current schedule (migration 0005). They are kept here
// only and read from here: nothing caches them and no other instance needs
// to hear of a change, so their writes append no change-log entry. Every
// write raises the event's version and is audited as a write of the
// MatchmakingEvent.

const eventSubject = "MatchmakingEvent"

const matchmakingEventCols = "id, name, track, industry_chain, city, day, slots, slot_minutes, starts_at, table_count, created_by, " +
	"created_at, version, scheduled_at, schedule_objective, schedule_upper_bound, schedule_elapsed_ms, schedule_unplaced"

// noEvent adds events.ErrNoEvent to a not-found error, so both match.
func noEvent(err error) error {
	if errors.Is(err, ErrNotFound) && !errors.Is(err, events.ErrNoEvent) {
		return fmt.Errorf("%w: %w", err, events.ErrNoEvent)
	}
	return err
}

// wrapEvents is wrap that lets the events sentinels through unchanged.
func wrapEvents(op string, err error) error {
	if errors.Is(err, events.ErrDuplicate) || errors.Is(err, events.ErrNotParticipant) || errors.Is(err, events.ErrConflict) ||
		errors.Is(err, events.ErrNoEvent) {
		return err
	}
	return wrap(op, err)
}

// CreateEvent stores e's own fields (not its hosts, participants or
// schedule) and sets e.ID, e.CreatedAt and e.Version.
func (s *Store) CreateEvent(ctx context.Context, e *events.Event) error {
	t := now()
	var id int64
	err := s.write(ctx, func(c conn) error {
		err := c.queryRow(ctx, `INSERT INTO matchmaking_events (name, track, industry_chain, city, day, slots, slot_minutes,
			starts_at, table_count, created_by, created_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1) RETURNING id`,
			e.Name, string(e.Track), nullString(e.IndustryChain), string(e.City), dateArg(e.Date), int64(e.Slots), int64(e.SlotMinutes),
			timeArg(e.StartsAt), int64(e.Tables), nullIfZero(e.CreatedBy), timeArg(t)).Scan(&id)
		if err != nil {
			return err
		}
		return audit(ctx, c, eventSubject, id, t)
	})
	if err != nil {
		return wrap("create matchmaking event", err)
	}
	e.ID, e.CreatedAt, e.Version = id, t, 1
	return nil
}

// touchEvent raises the event's version; a missing event is ErrNotFound.
// On PostgreSQL the update holds the event's row lock until the
// transaction ends, so the writes to one event follow one another.
func touchEvent(ctx context.Context, c conn, id int64) error {
	res, err := c.exec(ctx, "UPDATE matchmaking_events SET version = version + 1 WHERE id = $1", id)
	if err != nil {
		return err
	}
	return noEvent(notFoundUnlessAffected(res, "matchmaking event", id))
}

// AddEventHost adds h, with its resources in order, to the event and sets
// h.ID; a missing event is ErrNotFound (and events.ErrNoEvent).
func (s *Store) AddEventHost(ctx context.Context, eventID int64, h *events.Host) error {
	t := now()
	var id int64
	err := s.write(ctx, func(c conn) error {
		if err := touchEvent(ctx, c, eventID); err != nil {
			return err
		}
		slots, err := jsonArg(jsonInts(h.AvailableSlots))
		if err != nil {
			return err
		}
		if err := c.queryRow(ctx, "INSERT INTO event_hosts (event_id, name, capacity, available_slots) VALUES ($1, $2, $3, $4) RETURNING id",
			eventID, h.Name, int64(h.Capacity), slots).Scan(&id); err != nil {
			return err
		}
		b := newBatch(c, "event_host_resources", "host_id, position, resource_kind, resource_id")
		for i, r := range h.Resources {
			if err := b.add(ctx, id, int64(i), string(r.Kind), r.ID); err != nil {
				return err
			}
		}
		if err := b.flush(ctx); err != nil {
			return err
		}
		return audit(ctx, c, eventSubject, eventID, t)
	})
	if err != nil {
		return wrapEvents("add event host", err)
	}
	h.ID = id
	return nil
}

// AddEventParticipants adds every participant of ps to the event, or none:
// one that takes part already is events.ErrDuplicate, however many are
// added at once; a missing event is ErrNotFound (and events.ErrNoEvent), a
// missing enterprise ErrNotFound.
func (s *Store) AddEventParticipants(ctx context.Context, eventID int64, ps []*events.Participant) error {
	t := now()
	err := s.write(ctx, func(c conn) error {
		if err := touchEvent(ctx, c, eventID); err != nil {
			return err
		}
		b := newBatch(c, "event_participants", "event_id, enterprise_id, capacity, available_slots, must_meet, never_meet")
		for _, p := range ps {
			var lists [3]string
			for i, l := range [][]any{jsonInts(p.AvailableSlots), jsonIDs(p.MustMeet), jsonIDs(p.NeverMeet)} {
				var err error
				if lists[i], err = jsonArg(l); err != nil {
					return err
				}
			}
			if err := b.add(ctx, eventID, p.EnterpriseID, int64(p.Capacity), lists[0], lists[1], lists[2]); err != nil {
				return err
			}
		}
		err := b.flush(ctx)
		switch {
		case uniqueViolation(err, "event_participants_enterprise", "event_participants.enterprise_id"):
			return fmt.Errorf("%w: event %d", events.ErrDuplicate, eventID)
		case isForeignKeyViolation(err):
			return fmt.Errorf("%w: an enterprise of event %d", ErrNotFound, eventID)
		case err != nil:
			return err
		}
		return audit(ctx, c, eventSubject, eventID, t)
	})
	return wrapEvents("add event participants", err)
}

// RemoveEventParticipant drops the enterprise from the event, with its
// meetings and unplaced requests in the current schedule, whose objective
// becomes the sum of the meetings left (its upper bound, still an upper
// bound, stays). An enterprise that does not take part is
// events.ErrNotParticipant; a missing event ErrNotFound (and
// events.ErrNoEvent).
func (s *Store) RemoveEventParticipant(ctx context.Context, eventID, enterpriseID int64) error {
	t := now()
	err := s.write(ctx, func(c conn) error {
		if err := touchEvent(ctx, c, eventID); err != nil {
			return err
		}
		res, err := c.exec(ctx, "DELETE FROM event_participants WHERE event_id = $1 AND enterprise_id = $2", eventID, enterpriseID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return fmt.Errorf("%w: enterprise %d in event %d", events.ErrNotParticipant, enterpriseID, eventID)
		}
		if _, err := c.exec(ctx, "DELETE FROM event_meetings WHERE event_id = $1 AND enterprise_id = $2", eventID, enterpriseID); err != nil {
			return err
		}
		var unplaced []events.Unplaced
		var scheduled timeCol
		if err := c.queryRow(ctx, "SELECT scheduled_at, schedule_unplaced FROM matchmaking_events WHERE id = $1", eventID).
			Scan(&scheduled, jsonCol{&unplaced}); err != nil {
			return err
		}
		if !scheduled.t.IsZero() {
			kept := []events.Unplaced{}
			for _, u := range unplaced {
				if u.EnterpriseID != enterpriseID {
					kept = append(kept, u)
				}
			}
			list, err := jsonArg(kept)
			if err != nil {
				return err
			}
			rows, err := c.query(ctx, "SELECT score FROM event_meetings WHERE event_id = $1", eventID)
			if err != nil {
				return err
			}
			sum := 0.0
			if err := eachRow(rows, func() error {
				var score float64
				err := rows.Scan(&score)
				sum += score
				return err
			}); err != nil {
				return err
			}
			// Scores are in hundredths; so is their sum.
			objective := math.Round(sum*100) / 100
			if _, err := c.exec(ctx, "UPDATE matchmaking_events SET schedule_unplaced = $2, schedule_objective = $3 WHERE id = $1",
				eventID, list, objective); err != nil {
				return err
			}
		}
		return audit(ctx, c, eventSubject, eventID, t)
	})
	return wrapEvents("remove event participant", err)
}

// SaveSchedule replaces the event's schedule with sched if the event is
// still at version; events.ErrConflict when a write came in between, and
// ErrNotFound (and events.ErrNoEvent) for a missing event.
func (s *Store) SaveSchedule(ctx context.Context, eventID, version int64, sched *events.Schedule) error {
	t := now()
	at := sched.ComputedAt
	if at.IsZero() {
		at = t
	}
	err := s.write(ctx, func(c conn) error {
		unplaced := sched.Unplaced
		if unplaced == nil {
			unplaced = []events.Unplaced{}
		}
		list, err := jsonArg(unplaced)
		if err != nil {
			return err
		}
		res, err := c.exec(ctx, `UPDATE matchmaking_events SET version = version + 1, scheduled_at = $3, schedule_objective = $4,
			schedule_upper_bound = $5, schedule_elapsed_ms = $6, schedule_unplaced = $7 WHERE id = $1 AND version = $2`,
			eventID, version, timeArg(at), sched.Objective, sched.UpperBound, int64(sched.ElapsedMs), list)
		if err != nil {
			return err
		}
		if err := notFoundUnlessAffected(res, "matchmaking event", eventID); err != nil {
			var one int
			if err := c.queryRow(ctx, "SELECT 1 FROM matchmaking_events WHERE id = $1", eventID).Scan(&one); errors.Is(err, sql.ErrNoRows) {
				return noEvent(fmt.Errorf("%w: matchmaking event %d", ErrNotFound, eventID))
			} else if err != nil {
				return err
			}
			return fmt.Errorf("%w: event %d is no longer at version %d", events.ErrConflict, eventID, version)
		}
		if _, err := c.exec(ctx, "DELETE FROM event_meetings WHERE event_id = $1", eventID); err != nil {
			return err
		}
		b := newBatch(c, "event_meetings", "event_id, slot, table_no, host_id, enterprise_id, score, requested, resource_kind, resource_id")
		for _, m := range sched.Meetings {
			if err := b.add(ctx, eventID, int64(m.Slot), int64(m.Table), m.HostID, m.EnterpriseID, m.Score, m.Requested,
				string(m.Resource.Kind), m.Resource.ID); err != nil {
				return err
			}
		}
		if err := b.flush(ctx); err != nil {
			return err
		}
		return audit(ctx, c, eventSubject, eventID, t)
	})
	return wrapEvents("save schedule", err)
}

// MatchmakingEvent reads one event with its hosts, participants and
// schedule, in one snapshot; ErrNotFound (and events.ErrNoEvent) when
// there is none.
func (s *Store) MatchmakingEvent(ctx context.Context, id int64) (*events.Event, error) {
	var evs []*events.Event
	err := s.readTx(ctx, func(c conn) error {
		var err error
		evs, err = readMatchmakingEvents(ctx, c, "WHERE id = $1", "", []any{id})
		return err
	})
	if err != nil {
		return nil, wrapEvents("read matchmaking event", err)
	}
	if len(evs) == 0 {
		return nil, noEvent(fmt.Errorf("%w: matchmaking event %d", ErrNotFound, id))
	}
	return evs[0], nil
}

// MatchmakingEvents returns a page of at most q.Limit of the events q
// selects, by id, each with its hosts, participants and schedule (six
// queries however long the page), with how many match in all and whether
// more follow.
func (s *Store) MatchmakingEvents(ctx context.Context, q events.Query) (evs []*events.Event, total int, hasNext bool, err error) {
	err = s.readTx(ctx, func(c conn) error {
		var args []any
		var conds []string
		if q.Track != "" {
			conds = append(conds, numbered("track = ?", &args, string(q.Track)))
		}
		if q.City != "" {
			conds = append(conds, numbered("city = ?", &args, string(q.City)))
		}
		where := ""
		if len(conds) > 0 {
			where = "WHERE " + strings.Join(conds, " AND ")
		}
		if err := c.queryRow(ctx, "SELECT COUNT(*) FROM matchmaking_events "+where, args...).Scan(&total); err != nil {
			return err
		}
		if q.AfterID > 0 {
			conds = append(conds, numbered("id > ?", &args, q.AfterID))
			where = "WHERE " + strings.Join(conds, " AND ")
		}
		limit := max(q.Limit, 0)
		var err error
		if evs, err = readMatchmakingEvents(ctx, c, where, fmt.Sprintf("ORDER BY id LIMIT %d", limit+1), args); err != nil {
			return err
		}
		if len(evs) > limit {
			evs, hasNext = evs[:limit], true
		}
		return nil
	})
	if err != nil {
		return nil, 0, false, wrap("list matchmaking events", err)
	}
	return evs, total, hasNext, nil
}

// readMatchmakingEvents reads the events where selects, in order, and
// everything under them: five queries.
func readMatchmakingEvents(ctx context.Context, c conn, where, order string, args []any) ([]*events.Event, error) {
	rows, err := c.query(ctx, "SELECT "+matchmakingEventCols+" FROM matchmaking_events "+where+" "+order, args...)
	if err != nil {
		return nil, err
	}
	var evs []*events.Event
	byID := map[int64]*events.Event{}
	err = eachRow(rows, func() error {
		e, err := scanEvent(rows)
		if err != nil {
			return err
		}
		evs = append(evs, e)
		byID[e.ID] = e
		return nil
	})
	if err != nil || len(evs) == 0 {
		return evs, err
	}
	ids := make([]int64, len(evs))
	for i, e := range evs {
		ids[i] = e.ID
	}
	hosts := map[int64]*events.Host{}
	cond, arg := idsArg(c.backend, "event_id", ids)
	rows, err = c.query(ctx, "SELECT id, event_id, name, capacity, available_slots FROM event_hosts WHERE "+
		numbered(cond, new([]any), arg)+" ORDER BY id", arg)
	if err != nil {
		return nil, err
	}
	err = eachRow(rows, func() error {
		var h events.Host
		var eventID, capacity int64
		var slots []int
		if err := rows.Scan(&h.ID, &eventID, &h.Name, &capacity, jsonCol{&slots}); err != nil {
			return err
		}
		h.Capacity, h.AvailableSlots = int(capacity), slots
		if e := byID[eventID]; e != nil {
			e.Hosts = append(e.Hosts, &h)
			hosts[h.ID] = &h
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read event hosts: %w", err)
	}
	for _, e := range evs {
		if e.Schedule != nil {
			for i := range e.Schedule.Unplaced {
				e.Schedule.Unplaced[i].Host = hosts[e.Schedule.Unplaced[i].HostID]
			}
		}
	}
	if len(hosts) > 0 {
		hcond, harg := idsArg(c.backend, "h.event_id", ids)
		rows, err = c.query(ctx, "SELECT r.host_id, r.resource_kind, r.resource_id FROM event_host_resources r "+
			"JOIN event_hosts h ON h.id = r.host_id WHERE "+numbered(hcond, new([]any), harg)+" ORDER BY r.host_id, r.position", harg)
		if err != nil {
			return nil, err
		}
		err = eachRow(rows, func() error {
			var hostID int64
			var r events.Resource
			if err := rows.Scan(&hostID, &r.Kind, &r.ID); err != nil {
				return err
			}
			if h := hosts[hostID]; h != nil {
				h.Resources = append(h.Resources, r)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read event host resources: %w", err)
		}
	}
	rows, err = c.query(ctx, "SELECT event_id, enterprise_id, capacity, available_slots, must_meet, never_meet FROM event_participants WHERE "+
		numbered(cond, new([]any), arg)+" ORDER BY id", arg)
	if err != nil {
		return nil, err
	}
	err = eachRow(rows, func() error {
		var p events.Participant
		var eventID, capacity int64
		var slots []int
		var must, never []int64
		if err := rows.Scan(&eventID, &p.EnterpriseID, &capacity, jsonCol{&slots}, jsonCol{&must}, jsonCol{&never}); err != nil {
			return err
		}
		p.Capacity, p.AvailableSlots = int(capacity), slots
		if len(must) > 0 {
			p.MustMeet = must
		}
		if len(never) > 0 {
			p.NeverMeet = never
		}
		if e := byID[eventID]; e != nil {
			e.Participants = append(e.Participants, &p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read event participants: %w", err)
	}
	rows, err = c.query(ctx, "SELECT event_id, slot, table_no, host_id, enterprise_id, score, requested, resource_kind, resource_id "+
		"FROM event_meetings WHERE "+numbered(cond, new([]any), arg)+" ORDER BY event_id, slot, table_no", arg)
	if err != nil {
		return nil, err
	}
	err = eachRow(rows, func() error {
		var m events.Meeting
		var eventID, slot, table int64
		if err := rows.Scan(&eventID, &slot, &table, &m.HostID, &m.EnterpriseID, &m.Score, &m.Requested, &m.Resource.Kind, &m.Resource.ID); err != nil {
			return err
		}
		m.Slot, m.Table, m.Host = int(slot), int(table), hosts[m.HostID]
		if e := byID[eventID]; e != nil && e.Schedule != nil {
			e.Schedule.Meetings = append(e.Schedule.Meetings, m)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read event meetings: %w", err)
	}
	return evs, nil
}

func scanEvent(sc scanner) (*events.Event, error) {
	var (
		e                                   events.Event
		chain                               sql.NullString
		day                                 dateCol
		slots, slotMinutes, tables, version int64
		createdBy, elapsed                  sql.NullInt64
		startsAt, createdAt, scheduledAt    timeCol
		objective, upper                    sql.NullFloat64
		unplaced                            []events.Unplaced
	)
	err := sc.Scan(&e.ID, &e.Name, &e.Track, &chain, &e.City, &day, &slots, &slotMinutes, &startsAt, &tables, &createdBy,
		&createdAt, &version, &scheduledAt, &objective, &upper, &elapsed, jsonCol{&unplaced})
	if err != nil {
		return nil, err
	}
	if chain.Valid {
		e.IndustryChain = &chain.String
	}
	e.Date, e.Slots, e.SlotMinutes, e.StartsAt, e.Tables = day.t, int(slots), int(slotMinutes), startsAt.t, int(tables)
	e.CreatedBy, e.CreatedAt, e.Version = createdBy.Int64, createdAt.t, version
	if !scheduledAt.t.IsZero() {
		e.Schedule = &events.Schedule{Objective: objective.Float64, UpperBound: upper.Float64, ComputedAt: scheduledAt.t,
			ElapsedMs: int(elapsed.Int64)}
		if len(unplaced) > 0 {
			e.Schedule.Unplaced = unplaced
		}
	}
	return &e, nil
}

// jsonInts and jsonIDs are lists as JSON arrays: never null.
func jsonInts(vs []int) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = v
	}
	return out
}

func jsonIDs(vs []int64) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = v
	}
	return out
}
