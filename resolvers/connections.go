package resolvers

import (
	"strconv"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/graph/model"
	"github.com/yurong/yurong/graph/relay"
	"github.com/yurong/yurong/marketplace"
)

// page reads the Relay arguments of a list in ID order that pages forwards
// only.
func page(first *int, after *string) (n int, afterID int64, err error) {
	if n, err = relay.First(first); err != nil {
		return 0, 0, err
	}
	afterID, err = relay.ParseCursor(after)
	return n, afterID, err
}

func pageInfo(hasNext, hasPrev bool, start, end int64, empty bool) *model.PageInfo {
	pi := &model.PageInfo{HasNextPage: hasNext, HasPreviousPage: hasPrev}
	if !empty {
		s, e := relay.Cursor(start), relay.Cursor(end)
		pi.StartCursor, pi.EndCursor = &s, &e
	}
	return pi
}

// cursors encodes and decodes the cursors of one order of a catalogue
// list. The default order, by ID ascending, keeps the cursors it always
// had (the ID alone); every other order puts its name and the item's key
// in the cursor, so a cursor is refused under an order it was not issued
// under.
type cursors struct {
	order string // the order's enum value; "" for the default order
	text  bool   // the key is a string (a name), not a number
}

var idCursors = cursors{}

func (c cursors) encode(mc marketplace.Cursor) string {
	switch {
	case c.order == "":
		return relay.Cursor(mc.ID)
	case c.text:
		return relay.KeyCursor(c.order, mc.Text(), mc.ID)
	}
	return relay.KeyCursor(c.order, strconv.FormatInt(mc.Number(), 10), mc.ID)
}

func (c cursors) decode(s *string) (*marketplace.Cursor, error) {
	if s == nil || *s == "" {
		return nil, nil
	}
	if c.order == "" {
		id, err := relay.ParseCursor(s)
		if err != nil {
			return nil, err
		}
		mc := marketplace.IDCursor(id)
		return &mc, nil
	}
	key, id, err := relay.ParseKeyCursor(s, c.order)
	if err != nil {
		return nil, err
	}
	if c.text {
		mc := marketplace.TextCursor(key, id)
		return &mc, nil
	}
	n, err := strconv.ParseInt(key, 10, 64)
	if err != nil {
		return nil, relay.ErrInvalidPage
	}
	mc := marketplace.NumberCursor(n, id)
	return &mc, nil
}

// window reads the Relay arguments of a catalogue list: first/after
// forwards, last/before backwards (after and before may bound either).
func (c cursors) window(first, last *int, after, before *string) (marketplace.PageArgs, error) {
	n, fromEnd, err := relay.Window(first, last)
	if err != nil {
		return marketplace.PageArgs{}, err
	}
	a := marketplace.PageArgs{Limit: n, FromEnd: fromEnd}
	if a.After, err = c.decode(after); err != nil {
		return marketplace.PageArgs{}, err
	}
	if a.Before, err = c.decode(before); err != nil {
		return marketplace.PageArgs{}, err
	}
	return a, nil
}

// enterpriseOrders maps each order of the API onto the read model's and
// its cursors.
var enterpriseOrders = map[model.EnterpriseOrder]struct {
	by   marketplace.OrderField
	desc bool
	text bool
}{
	model.EnterpriseOrderIDAsc:               {marketplace.ByID, false, false},
	model.EnterpriseOrderIDDesc:              {marketplace.ByID, true, false},
	model.EnterpriseOrderNameAsc:             {marketplace.ByName, false, true},
	model.EnterpriseOrderNameDesc:            {marketplace.ByName, true, true},
	model.EnterpriseOrderFoundedOnAsc:        {marketplace.ByFoundedOn, false, false},
	model.EnterpriseOrderFoundedOnDesc:       {marketplace.ByFoundedOn, true, false},
	model.EnterpriseOrderUpdatedAtAsc:        {marketplace.ByUpdatedAt, false, false},
	model.EnterpriseOrderUpdatedAtDesc:       {marketplace.ByUpdatedAt, true, false},
	model.EnterpriseOrderInnovationScoreAsc:  {marketplace.ByInnovationScore, false, false},
	model.EnterpriseOrderInnovationScoreDesc: {marketplace.ByInnovationScore, true, false},
}

// enterpriseOrder returns the read model's order for o (nil: by ID) and
// the cursors of that order.
func (r *Resolver) enterpriseOrder(o *model.EnterpriseOrder) (marketplace.Order, cursors) {
	if o == nil || *o == model.EnterpriseOrderIDAsc {
		return marketplace.Order{}, idCursors
	}
	m := enterpriseOrders[*o] // StrictEnums refuses any value not in the schema
	mo := marketplace.Order{By: m.by, Desc: m.desc}
	if r.Engine != nil {
		mo.Scores = r.Engine
	}
	return mo, cursors{order: string(*o), text: m.text}
}

// edges maps a page of the read model onto Relay edges and page info.
// Cursors name positions, not items, so pages stay stable while items are
// added, moved or removed.
func edges[T, E any](p marketplace.Page[T], c cursors, edge func(cursor string, v *T) E) ([]E, *model.PageInfo) {
	out := make([]E, len(p.Items))
	for i, v := range p.Items {
		out[i] = edge(c.encode(p.Cursors[i]), v)
	}
	pi := &model.PageInfo{HasNextPage: p.HasNext, HasPreviousPage: p.HasPrev}
	if n := len(p.Items); n > 0 {
		s, e := c.encode(p.Cursors[0]), c.encode(p.Cursors[n-1])
		pi.StartCursor, pi.EndCursor = &s, &e
	}
	return out, pi
}

func enterpriseConnection(p marketplace.Page[catalog.Enterprise], c cursors) *model.EnterpriseConnection {
	es, pi := edges(p, c, func(c string, v *catalog.Enterprise) *model.EnterpriseEdge {
		return &model.EnterpriseEdge{Cursor: c, Node: v}
	})
	return &model.EnterpriseConnection{Edges: es, PageInfo: pi, TotalCount: p.TotalCount}
}

func productConnection(p marketplace.Page[catalog.FinancialProduct]) *model.FinancialProductConnection {
	es, pi := edges(p, idCursors, func(c string, v *catalog.FinancialProduct) *model.FinancialProductEdge {
		return &model.FinancialProductEdge{Cursor: c, Node: v}
	})
	return &model.FinancialProductConnection{Edges: es, PageInfo: pi, TotalCount: p.TotalCount}
}

func incubatorConnection(p marketplace.Page[catalog.Incubator]) *model.IncubatorConnection {
	es, pi := edges(p, idCursors, func(c string, v *catalog.Incubator) *model.IncubatorEdge {
		return &model.IncubatorEdge{Cursor: c, Node: v}
	})
	return &model.IncubatorConnection{Edges: es, PageInfo: pi, TotalCount: p.TotalCount}
}

func demandConnection(p marketplace.Page[catalog.SupplyChainDemand]) *model.SupplyChainDemandConnection {
	es, pi := edges(p, idCursors, func(c string, v *catalog.SupplyChainDemand) *model.SupplyChainDemandEdge {
		return &model.SupplyChainDemandEdge{Cursor: c, Node: v}
	})
	return &model.SupplyChainDemandConnection{Edges: es, PageInfo: pi, TotalCount: p.TotalCount}
}
