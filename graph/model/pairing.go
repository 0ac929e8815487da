package model

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"

	"github.com/99designs/gqlgen/graphql"

	"github.com/yurong/yurong/access"
	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/graph/relay"
	"github.com/yurong/yurong/matching"
)

// Pairing is a matching.Pairing as the API serves it, with what it joins.
// Its fields that are plain data are methods without a context, which
// gqlgen calls in line, and `reasons` is a list that writes itself
// (MatchReasons): gqlgen's executor would otherwise spend a goroutine on
// each reason and on each field resolved concurrently (ADR 031).
type Pairing struct {
	matching.Pairing
	enterprise *catalog.Enterprise
	resource   relay.Node
}

// Join finds the enterprise and the resource a pairing joins in the read
// model, nil for one it no longer holds.
type Join func(p *matching.Pairing) (*catalog.Enterprise, relay.Node)

// Pairings wraps the engine's pairings for the API, in order.
func Pairings(ps []matching.Pairing, join Join) []*Pairing {
	vs := make([]Pairing, len(ps))
	out := make([]*Pairing, len(ps))
	for i := range ps {
		vs[i] = NewPairing(ps[i], join)
		out[i] = &vs[i]
	}
	return out
}

// NewPairing wraps one of the engine's pairings for the API.
func NewPairing(p matching.Pairing, join Join) Pairing {
	v := Pairing{Pairing: p}
	v.enterprise, v.resource = join(&v.Pairing)
	return v
}

// ID is "Pairing:KIND:enterprise:resource".
func (p *Pairing) ID() string {
	return relay.ID("Pairing", catalog.FormatPairingKey(p.Kind, p.EnterpriseID, p.ResourceID, ":"))
}

// Enterprise is the enterprise paired.
func (p *Pairing) Enterprise() (*catalog.Enterprise, error) {
	if p.enterprise == nil {
		return nil, fmt.Errorf("enterprise %d is missing from the read model", p.EnterpriseID)
	}
	return p.enterprise, nil
}

// Resource is the product, incubator or demand paired.
func (p *Pairing) Resource() (relay.Node, error) {
	if p.resource == nil {
		return nil, fmt.Errorf("%s resource %d is missing from the read model", p.Kind, p.ResourceID)
	}
	return p.resource, nil
}

// ReasonList resolves `Pairing.reasons`. Messages keep the enterprise's
// private figures only for a viewer who may read them (ADR 010); such a
// read is recorded when the texts differ.
func (p *Pairing) ReasonList(ctx context.Context) (MatchReasons, error) {
	differ := false
	for i := range p.Reasons {
		differ = differ || p.Reasons[i].Public != p.Reasons[i].Message
	}
	full, err := access.Figures(ctx, p.EnterpriseID, differ, "Pairing.reasons")
	if err != nil {
		return MatchReasons{}, err
	}
	return MatchReasons{list: p.Reasons, public: differ && !full}, nil
}

// MatchReasons is a `[MatchReason!]!` that writes itself: each reason's
// selected fields, in the order and under the aliases of the selection,
// byte for byte what gqlgen's executor would write for them. Reasons are
// plain data, so nothing of the executor (field contexts, middleware,
// goroutines) is needed to write them.
type MatchReasons struct {
	list   []matching.Reason
	public bool // messages are the public renderings
}

var (
	matchReasonTypes = []string{"MatchReason"}
	errOutputOnly    = errors.New("MatchReason is an output type")
)

// MarshalGQLContext writes the list for the field in ctx.
func (rs MatchReasons) MarshalGQLContext(ctx context.Context, w io.Writer) error {
	fields := graphql.CollectFields(graphql.GetOperationContext(ctx), graphql.GetFieldContext(ctx).Field.Selections, matchReasonTypes)
	// Contributions are finite by construction; check before writing so
	// an error never leaves half a list behind.
	for i := range rs.list {
		if c := rs.list[i].Contribution; math.IsInf(c, 0) || math.IsNaN(c) {
			return fmt.Errorf("reason %s: contribution %v is not a Float", rs.list[i].Factor, c)
		}
	}
	io.WriteString(w, "[")
	for i := range rs.list {
		if i > 0 {
			io.WriteString(w, ",")
		}
		rs.writeReason(ctx, w, &rs.list[i], fields)
	}
	io.WriteString(w, "]")
	return nil
}

func (rs MatchReasons) writeReason(ctx context.Context, w io.Writer, r *matching.Reason, fields []graphql.CollectedField) {
	io.WriteString(w, "{")
	for j, f := range fields {
		if j > 0 {
			io.WriteString(w, ",")
		}
		graphql.MarshalString(f.Alias).MarshalGQL(w)
		io.WriteString(w, ":")
		switch f.Name {
		case "__typename":
			graphql.MarshalString("MatchReason").MarshalGQL(w)
		case "factor":
			graphql.MarshalString(r.Factor).MarshalGQL(w)
		case "contribution":
			_ = marshalFloat(ctx, r.Contribution, w) // checked before writing
		case "message":
			if rs.public {
				graphql.MarshalString(r.Public).MarshalGQL(w)
			} else {
				graphql.MarshalString(r.Message).MarshalGQL(w)
			}
		default:
			// Validation admits no other field of MatchReason.
			graphql.Null.MarshalGQL(w)
		}
	}
	io.WriteString(w, "}")
}

// marshalFloat writes a Float as gqlgen does.
func marshalFloat(ctx context.Context, f float64, w io.Writer) error {
	return graphql.MarshalFloatContext(f).MarshalGQLContext(ctx, w)
}

// UnmarshalGQLContext refuses: MatchReason is never an input.
func (*MatchReasons) UnmarshalGQLContext(context.Context, any) error { return errOutputOnly }
