package search

import (
	"context"
	"fmt"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/matching"
)

// docBuilder builds documents, reading each entity from the Source once
// and remembering its document (nil when the entity does not exist).
type docBuilder struct {
	src  Source
	ents map[int64]*CatalogDoc
	res  map[ResourceRef]*CatalogDoc
}

func newDocBuilder(src Source) *docBuilder {
	return &docBuilder{src: src, ents: map[int64]*CatalogDoc{}, res: map[ResourceRef]*CatalogDoc{}}
}

// seed builds the documents of every entity of a snapshot.
func (b *docBuilder) seed(d *catalog.Dataset) {
	providers := make(map[int64]*catalog.Institution, len(d.Institutions))
	for _, in := range d.Institutions {
		providers[in.ID] = in
	}
	for _, e := range d.Enterprises {
		b.ents[e.ID] = EnterpriseDoc(e)
	}
	for _, p := range d.Products {
		b.res[ResourceRef{Kind: catalog.Financing, ID: p.ID}] = ProductDoc(p, providers[p.ProviderID])
	}
	for _, in := range d.Incubators {
		b.res[ResourceRef{Kind: catalog.Incubation, ID: in.ID}] = IncubatorDoc(in)
	}
	for _, dm := range d.Demands {
		b.res[ResourceRef{Kind: catalog.IndustryChain, ID: dm.ID}] = DemandDoc(dm)
	}
}

func (b *docBuilder) enterprise(ctx context.Context, id int64) (*CatalogDoc, error) {
	if d, ok := b.ents[id]; ok {
		return d, nil
	}
	e, err := b.src.Enterprise(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("search: read enterprise %d: %w", id, err)
	}
	var d *CatalogDoc
	if e != nil {
		d = EnterpriseDoc(e)
	}
	b.ents[id] = d
	return d, nil
}

func (b *docBuilder) resource(ctx context.Context, kind catalog.PairingKind, id int64) (*CatalogDoc, error) {
	ref := ResourceRef{Kind: kind, ID: id}
	if d, ok := b.res[ref]; ok {
		return d, nil
	}
	var d *CatalogDoc
	var err error
	switch kind {
	case catalog.Financing:
		var p *catalog.FinancialProduct
		if p, err = b.src.FinancialProduct(ctx, id); err == nil && p != nil {
			var provider *catalog.Institution
			if provider, err = b.src.Institution(ctx, p.ProviderID); err == nil {
				d = ProductDoc(p, provider)
			}
		}
	case catalog.Incubation:
		var in *catalog.Incubator
		if in, err = b.src.Incubator(ctx, id); err == nil && in != nil {
			d = IncubatorDoc(in)
		}
	case catalog.IndustryChain:
		var dm *catalog.SupplyChainDemand
		if dm, err = b.src.Demand(ctx, id); err == nil && dm != nil {
			d = DemandDoc(dm)
		}
	default:
		return nil, fmt.Errorf("%w: pairing kind %q", ErrBadDocument, kind)
	}
	if err != nil {
		return nil, fmt.Errorf("search: read %s %d: %w", ResourceType(kind), id, err)
	}
	b.res[ref] = d
	return d, nil
}

// pairings builds the documents of pairings, leaving out those whose
// enterprise or resource no longer exists.
func (b *docBuilder) pairings(ctx context.Context, ps []matching.Pairing) ([]*PairingDoc, error) {
	out := make([]*PairingDoc, 0, len(ps))
	for _, p := range ps {
		ent, err := b.enterprise(ctx, p.EnterpriseID)
		if err != nil {
			return nil, err
		}
		res, err := b.resource(ctx, p.Kind, p.ResourceID)
		if err != nil {
			return nil, err
		}
		if ent != nil && res != nil {
			out = append(out, NewPairingDoc(p, ent, res))
		}
	}
	return out, nil
}
