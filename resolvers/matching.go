package resolvers

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/graph/model"
	"github.com/yurong/yurong/graph/relay"
	"github.com/yurong/yurong/matching"
)

// Bounds of `first` on the matching lists. The engine keeps the top 20
// pairings per enterprise and kind (60 across kinds) and the top 200 per
// resource; asking for more than it keeps returns what it keeps.
const (
	maxMatches    = relay.MaxPageSize
	maxCandidates = 200
)

func listSize(first *int, limit int) (int, error) {
	n := deref(first, 0)
	if n < 0 || n > limit {
		return 0, fmt.Errorf("%w: first must be between 0 and %d, got %d", relay.ErrInvalidPage, limit, n)
	}
	return n, nil
}

func pointers[T any](vs []T) []*T {
	out := make([]*T, len(vs))
	for i := range vs {
		out[i] = &vs[i]
	}
	return out
}

func (r *Resolver) candidates(ctx context.Context, kind catalog.PairingKind, resourceID int64, first *int, eligibleOnly *bool) ([]*model.Pairing, error) {
	n, err := listSize(first, maxCandidates)
	if err != nil {
		return nil, err
	}
	return model.Pairings(r.Engine.CandidatesTo(kind, resourceID, n, deref(eligibleOnly, true), pairingDetail(ctx)), r.join), nil
}

// pairingImplementors are the types a fragment on a Pairing may name.
var pairingImplementors = []string{"Pairing", "Node"}

// pairingDetail is what of the pairings' explanation the selection of the
// field being resolved, a list of Pairing, reads: the reasons, with their
// messages or not, and the blockers. The engine writes no words nobody
// reads (issue 16). Fragments count, and @skip and @include are applied;
// outside an operation it is the whole explanation.
func pairingDetail(ctx context.Context) matching.Detail {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || !graphql.HasOperationContext(ctx) {
		return matching.Explained
	}
	oc := graphql.GetOperationContext(ctx)
	var d matching.Detail
	for _, f := range graphql.CollectFields(oc, fc.Field.Selections, pairingImplementors) {
		switch f.Name {
		case "reasons":
			d |= matching.ReasonFactors
			for _, g := range graphql.CollectFields(oc, f.Selections, []string{"MatchReason"}) {
				if g.Name == "message" {
					d |= matching.ReasonWords
				}
			}
		case "blockers":
			d |= matching.BlockerWords
		}
	}
	return d
}

func (r *Resolver) enterprise(id int64) (*catalog.Enterprise, error) {
	if e := r.Market.Enterprise(id); e != nil {
		return e, nil
	}
	return nil, fmt.Errorf("enterprise %d is missing from the read model", id)
}

// resource returns the product, incubator or demand a pairing of kind joins.
func (r *Resolver) resource(kind catalog.PairingKind, id int64) (relay.Node, error) {
	var v relay.Node
	switch kind {
	case catalog.Financing:
		if p := r.Market.FinancialProduct(id); p != nil {
			v = p
		}
	case catalog.Incubation:
		if in := r.Market.Incubator(id); in != nil {
			v = in
		}
	case catalog.IndustryChain:
		if d := r.Market.Demand(id); d != nil {
			v = d
		}
	}
	if v == nil {
		return nil, fmt.Errorf("%s resource %d is missing from the read model", kind, id)
	}
	return v, nil
}

// join finds what a pairing joins in the read model (model.Join).
func (r *Resolver) join(p *matching.Pairing) (*catalog.Enterprise, relay.Node) {
	n, _ := r.resource(p.Kind, p.ResourceID)
	return r.Market.Enterprise(p.EnterpriseID), n
}

func (r *Resolver) pairingNode(key string) (relay.Node, error) {
	kind, ent, res, ok := catalog.ParsePairingKey(key, ":")
	if !ok {
		return nil, fmt.Errorf("%w: pairing %q", relay.ErrInvalidID, key)
	}
	if p, ok := r.Engine.Pairing(kind, ent, res); ok {
		v := model.NewPairing(p, r.join)
		return &v, nil
	}
	return nil, nil
}

// rankedEnterprises pages a ranked list of enterprise IDs. The cursor is a
// position in the ranking, which may move between pages as scores change.
func (r *Resolver) rankedEnterprises(ids []int64, first *int, after *string) (*model.EnterpriseConnection, error) {
	n, err := relay.First(first)
	if err != nil {
		return nil, err
	}
	start, err := relay.ParseOffsetCursor(after)
	if err != nil {
		return nil, err
	}
	start = min(start, len(ids))
	end := min(start+n, len(ids))
	ents := r.Market.EnterprisesByID(ids[start:end])
	c := &model.EnterpriseConnection{TotalCount: len(ids), Edges: make([]*model.EnterpriseEdge, len(ents))}
	for i, e := range ents {
		c.Edges[i] = &model.EnterpriseEdge{Cursor: relay.OffsetCursor(start + i + 1), Node: e}
	}
	c.PageInfo = &model.PageInfo{HasNextPage: end < len(ids), HasPreviousPage: start > 0}
	if len(c.Edges) > 0 {
		c.PageInfo.StartCursor, c.PageInfo.EndCursor = &c.Edges[0].Cursor, &c.Edges[len(c.Edges)-1].Cursor
	}
	return c, nil
}

// scoreFilter returns the matching engine's part of an enterprise filter.
func (r *Resolver) scoreFilter(f *model.EnterpriseFilter) func(*catalog.Enterprise) bool {
	var keeps []func(*catalog.Enterprise) bool
	if f.MinInnovationScore != nil {
		min := *f.MinInnovationScore
		keeps = append(keeps, func(e *catalog.Enterprise) bool { return r.Engine.ScoreAtLeast(e.ID, min) })
	}
	if f.EarlySmallHard != nil {
		listed := map[int64]bool{}
		for _, id := range r.Engine.EarlySmallHardList() {
			listed[id] = true
		}
		want := *f.EarlySmallHard
		keeps = append(keeps, func(e *catalog.Enterprise) bool { return listed[e.ID] == want })
	}
	if len(keeps) == 0 {
		return nil
	}
	return func(e *catalog.Enterprise) bool {
		for _, k := range keeps {
			if !k(e) {
				return false
			}
		}
		return true
	}
}

func notFoundError(what, id string) error {
	return &gqlerror.Error{Message: fmt.Sprintf("%s %s not found", what, id), Extensions: map[string]any{"code": CodeNotFound}}
}

// PairingsTopic is the broker topic of pairingsChanged notifications.
const PairingsTopic = "yurong.pairings"

// PairingsMessage is one pairingsChanged notification on the broker.
type PairingsMessage struct {
	EnterpriseID int64               `json:"enterpriseId"`
	Kind         catalog.PairingKind `json:"kind"`
	At           time.Time           `json:"at"`
}

// Broker carries pairingsChanged notifications, across instances when it
// is backed by Redis.
type Broker interface {
	Publish(ctx context.Context, topic string, msg []byte) error
	Subscribe(ctx context.Context, topic string) (<-chan []byte, func())
}

// PublishPairingChanges returns an engine listener that publishes each change.
func PublishPairingChanges(b Broker, now func() time.Time) func([]matching.Change) {
	return func(cs []matching.Change) {
		at := now()
		for _, c := range cs {
			msg, _ := json.Marshal(PairingsMessage{EnterpriseID: c.EnterpriseID, Kind: c.Kind, At: at})
			if err := b.Publish(context.Background(), PairingsTopic, msg); err != nil {
				slog.Warn("publish pairings change", "err", err)
			}
		}
	}
}

func (r *Resolver) pairingsChanged(ctx context.Context, enterpriseID *string) (<-chan *model.PairingsChange, error) {
	var only int64
	if enterpriseID != nil {
		id, err := relay.ParseIntID("Enterprise", *enterpriseID)
		if err != nil {
			return nil, err
		}
		only = id
	}
	msgs, cancel := r.Broker.Subscribe(ctx, PairingsTopic)
	out := make(chan *model.PairingsChange, 16)
	go func() {
		defer close(out)
		defer cancel()
		for raw := range msgs {
			var m PairingsMessage
			if json.Unmarshal(raw, &m) != nil || (only != 0 && m.EnterpriseID != only) {
				continue
			}
			e := r.Market.Enterprise(m.EnterpriseID)
			if e == nil {
				continue
			}
			select {
			case out <- &model.PairingsChange{Enterprise: e, Kind: m.Kind, At: m.At}:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out, nil
}
