package resolvers

import (
	"context"
	"errors"
	"strconv"

	"github.com/yurong/yurong/auth"
	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/events"
	"github.com/yurong/yurong/graph/model"
	"github.com/yurong/yurong/graph/relay"
)

// Type names of the matchmaking events' global IDs.
const (
	EventType     = "MatchmakingEvent"
	EventHostType = "EventHost"
)

// eventPayload maps an events call's outcome onto the API's payload.
func eventPayload(ev *events.Event, p catalog.Problems, err error) (*model.MatchmakingEventPayload, error) {
	if err != nil {
		return nil, err
	}
	if len(p) > 0 {
		return &model.MatchmakingEventPayload{UserErrors: userErrors(p)}, nil
	}
	return &model.MatchmakingEventPayload{Event: ev, UserErrors: []*catalog.FieldError{}}, nil
}

// requireOrganiser refuses callers who may not organise events.
func requireOrganiser(ctx context.Context) error {
	// SECURITY: administrators and incubators (incubators and 智慧岛 run
	// these days) organise matchmaking events; nobody else writes them.
	return auth.Require(ctx, auth.Administrator, auth.IncubatorRole)
}

// managedEvent reads the event a write names, for a caller who may manage
// it: an administrator any event, an incubator's account the events it
// created. An unknown ID is a userError at eventId.
func (r *Resolver) managedEvent(ctx context.Context, id string) (*events.Event, catalog.Problems, error) {
	if err := requireOrganiser(ctx); err != nil {
		return nil, nil, err
	}
	n, err := relay.ParseIntID(EventType, id)
	if err != nil {
		return nil, invalidID("eventId"), nil
	}
	ev, err := r.Events.Event(ctx, n)
	if errors.Is(err, events.ErrNoEvent) {
		return nil, invalidID("eventId"), nil
	}
	if err != nil {
		return nil, nil, err
	}
	// SECURITY: an incubator's account manages only the events it created.
	if p := auth.From(ctx); p.Role != auth.Administrator && (ev.CreatedBy == 0 || ev.CreatedBy != p.AccountID) {
		return nil, nil, auth.ErrForbidden
	}
	return ev, nil, nil
}

// resourceRef reads the ID of a host's resource: a product, an incubator
// or a demand; the zero Resource for any other ID, which the events
// service refuses.
func resourceRef(id string) events.Resource {
	typ, key, err := relay.ParseID(id)
	if err != nil {
		return events.Resource{}
	}
	n, err := strconv.ParseInt(key, 10, 64)
	if err != nil || n <= 0 {
		return events.Resource{}
	}
	switch typ {
	case "FinancialProduct":
		return events.Resource{Kind: events.ProductResource, ID: n}
	case "Incubator":
		return events.Resource{Kind: events.IncubatorResource, ID: n}
	case "SupplyChainDemand":
		return events.Resource{Kind: events.DemandResource, ID: n}
	}
	return events.Resource{}
}

// intIDs reads IDs of one type; an ID of another type or none is 0, which
// the events service refuses at its position.
func intIDs(typ string, ids []string) []int64 {
	out := make([]int64, len(ids))
	for i, id := range ids {
		out[i], _ = relay.ParseIntID(typ, id)
	}
	return out
}

// agenda is one side's meetings of the event, by slot: an Enterprise ID
// names a participant, an EventHost ID a host. An ID of another type is
// BAD_USER_INPUT; one of neither side of this event NOT_FOUND.
func agenda(ev *events.Event, participantID string) ([]*events.Meeting, error) {
	typ, key, err := relay.ParseID(participantID)
	if err != nil {
		return nil, err
	}
	n, err := strconv.ParseInt(key, 10, 64)
	if err != nil {
		return nil, relay.ErrInvalidID
	}
	var ms []events.Meeting
	switch typ {
	case "Enterprise":
		if ev.Participant(n) == nil {
			return nil, notFoundError("participant", participantID)
		}
		ms = events.Agenda(ev, n, 0)
	case EventHostType:
		if ev.Host(n) == nil {
			return nil, notFoundError("host", participantID)
		}
		ms = events.Agenda(ev, 0, n)
	default:
		return nil, relay.ErrInvalidID
	}
	return pointers(ms), nil
}

// eventConnection pages the matchmaking events.
func (r *Resolver) eventConnection(ctx context.Context, first *int, after *string, track *catalog.Track, city *catalog.City) (*model.MatchmakingEventConnection, error) {
	n, afterID, err := page(first, after)
	if err != nil {
		return nil, err
	}
	q := events.Query{AfterID: afterID, Limit: n}
	if track != nil {
		q.Track = *track
	}
	if city != nil {
		q.City = *city
	}
	evs, total, hasNext, err := r.Store.MatchmakingEvents(ctx, q)
	if err != nil {
		return nil, err
	}
	c := &model.MatchmakingEventConnection{TotalCount: total, Edges: make([]*model.MatchmakingEventEdge, len(evs))}
	for i, ev := range evs {
		c.Edges[i] = &model.MatchmakingEventEdge{Cursor: relay.Cursor(ev.ID), Node: ev}
	}
	var start, end int64
	if len(evs) > 0 {
		start, end = evs[0].ID, evs[len(evs)-1].ID
	}
	c.PageInfo = pageInfo(hasNext, afterID > 0, start, end, len(evs) == 0)
	return c, nil
}
