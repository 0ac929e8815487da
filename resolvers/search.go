package resolvers

import (
	"context"
	"fmt"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/graph/model"
	"github.com/yurong/yurong/graph/relay"
	"github.com/yurong/yurong/search"
)

var searchTypes = map[model.SearchableType]search.DocType{
	model.SearchableTypeEnterprise:        search.TypeEnterprise,
	model.SearchableTypeFinancialProduct:  search.TypeProduct,
	model.SearchableTypeIncubator:         search.TypeIncubator,
	model.SearchableTypeSupplyChainDemand: search.TypeDemand,
}

func (r *Resolver) search(ctx context.Context, text string, types []model.SearchableType, first *int) ([]*model.SearchHit, error) {
	n, err := relay.First(first)
	if err != nil {
		return nil, err
	}
	if err := boundText("query", text, maxSearchText); err != nil {
		return nil, err
	}
	q := search.Query{Text: text, First: n}
	for _, t := range types {
		q.Types = append(q.Types, searchTypes[t])
	}
	if n == 0 {
		return []*model.SearchHit{}, nil
	}
	res, err := r.Search.Search(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", text, err)
	}
	hits := make([]*model.SearchHit, 0, len(res.Hits))
	for _, h := range res.Hits {
		node := r.catalogNode(h.Type, h.EntityID)
		if node == nil {
			continue // indexed, then gone from this instance's view: skip rather than fail
		}
		score := h.Score
		hits = append(hits, &model.SearchHit{Node: node, Score: &score, Highlights: h.Highlights})
	}
	return hits, nil
}

// catalogNode returns the read model's object behind a search document.
func (r *Resolver) catalogNode(t search.DocType, id int64) relay.Node {
	switch t {
	case search.TypeEnterprise:
		if v := r.Market.Enterprise(id); v != nil {
			return v
		}
	case search.TypeProduct:
		if v := r.Market.FinancialProduct(id); v != nil {
			return v
		}
	case search.TypeIncubator:
		if v := r.Market.Incubator(id); v != nil {
			return v
		}
	case search.TypeDemand:
		if v := r.Market.Demand(id); v != nil {
			return v
		}
	}
	return nil
}

func (r *Resolver) pairings(ctx context.Context, text *string, filter *model.PairingFilter, first *int, after *string) (*model.PairingConnection, error) {
	n, err := relay.First(first)
	if err != nil {
		return nil, err
	}
	if err := boundText("query", deref(text, ""), maxSearchText); err != nil {
		return nil, err
	}
	q := search.PairingQuery{Text: deref(text, ""), First: n, After: deref(after, "")}
	if filter == nil {
		filter = &model.PairingFilter{}
	}
	if q.Filter, err = pairingFilter(filter); err != nil {
		return nil, err
	}
	page, err := r.Search.Pairings(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("pairings: %w", err)
	}
	conn := &model.PairingConnection{TotalCount: page.Total, Edges: make([]*model.PairingEdge, 0, len(page.Hits)),
		PageInfo: &model.PageInfo{HasNextPage: page.HasNextPage, HasPreviousPage: q.After != ""}}
	for _, h := range page.Hits {
		p, ok := r.Engine.Pairing(h.Kind, h.EnterpriseID, h.ResourceID)
		if !ok {
			continue // indexed, then gone from this instance's view
		}
		v := model.NewPairing(p, r.join)
		conn.Edges = append(conn.Edges, &model.PairingEdge{Cursor: h.Cursor, Node: &v})
	}
	if len(conn.Edges) > 0 {
		conn.PageInfo.StartCursor, conn.PageInfo.EndCursor = &conn.Edges[0].Cursor, &conn.Edges[len(conn.Edges)-1].Cursor
	}
	return conn, nil
}

func pairingFilter(f *model.PairingFilter) (search.PairingFilter, error) {
	out := search.PairingFilter{Kinds: f.Kinds, Tracks: f.Tracks, Cities: f.Cities, MinScore: f.MinScore,
		EligibleOnly: deref(f.EligibleOnly, true), GreenChannelOnly: deref(f.GreenChannelOnly, false)}
	if f.EnterpriseID != nil {
		id, err := relay.ParseIntID("Enterprise", *f.EnterpriseID)
		if err != nil {
			return out, err
		}
		out.EnterpriseID = id
	}
	if f.ResourceID != nil {
		typ, _, err := relay.ParseID(*f.ResourceID)
		if err != nil {
			return out, err
		}
		kind, ok := catalog.PairingKindOfType(typ)
		if !ok {
			return out, fmt.Errorf("%w: %q is not a product, incubator or demand", relay.ErrInvalidID, *f.ResourceID)
		}
		id, err := relay.ParseIntID(typ, *f.ResourceID)
		if err != nil {
			return out, err
		}
		out.Resource = &search.ResourceRef{Kind: kind, ID: id}
	}
	return out, nil
}
