package resolvers

import (
	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/graph/model"
	"github.com/yurong/yurong/graph/relay"
	"github.com/yurong/yurong/marketplace"
)

// page reads the Relay arguments of a catalogue list.
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

// edges maps a page of the read model onto Relay edges and page info; the
// cursor of an item is its ID, so pages stay stable while items are added.
func edges[T, E any](p marketplace.Page[T], id func(*T) int64, edge func(cursor string, v *T) E) ([]E, *model.PageInfo) {
	out := make([]E, len(p.Items))
	for i, v := range p.Items {
		out[i] = edge(relay.Cursor(id(v)), v)
	}
	var first, last int64
	if n := len(p.Items); n > 0 {
		first, last = id(p.Items[0]), id(p.Items[n-1])
	}
	return out, pageInfo(p.HasNext, p.HasPrev, first, last, len(p.Items) == 0)
}

func enterpriseConnection(p marketplace.Page[catalog.Enterprise]) *model.EnterpriseConnection {
	es, pi := edges(p, func(v *catalog.Enterprise) int64 { return v.ID },
		func(c string, v *catalog.Enterprise) *model.EnterpriseEdge {
			return &model.EnterpriseEdge{Cursor: c, Node: v}
		})
	return &model.EnterpriseConnection{Edges: es, PageInfo: pi, TotalCount: p.TotalCount}
}

func productConnection(p marketplace.Page[catalog.FinancialProduct]) *model.FinancialProductConnection {
	es, pi := edges(p, func(v *catalog.FinancialProduct) int64 { return v.ID },
		func(c string, v *catalog.FinancialProduct) *model.FinancialProductEdge {
			return &model.FinancialProductEdge{Cursor: c, Node: v}
		})
	return &model.FinancialProductConnection{Edges: es, PageInfo: pi, TotalCount: p.TotalCount}
}

func incubatorConnection(p marketplace.Page[catalog.Incubator]) *model.IncubatorConnection {
	es, pi := edges(p, func(v *catalog.Incubator) int64 { return v.ID },
		func(c string, v *catalog.Incubator) *model.IncubatorEdge {
			return &model.IncubatorEdge{Cursor: c, Node: v}
		})
	return &model.IncubatorConnection{Edges: es, PageInfo: pi, TotalCount: p.TotalCount}
}

func demandConnection(p marketplace.Page[catalog.SupplyChainDemand]) *model.SupplyChainDemandConnection {
	es, pi := edges(p, func(v *catalog.SupplyChainDemand) int64 { return v.ID },
		func(c string, v *catalog.SupplyChainDemand) *model.SupplyChainDemandEdge {
			return &model.SupplyChainDemandEdge{Cursor: c, Node: v}
		})
	return &model.SupplyChainDemandConnection{Edges: es, PageInfo: pi, TotalCount: p.TotalCount}
}
