package resolvers

import (
	"fmt"
	"strconv"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/graph/model"
	"github.com/yurong/yurong/graph/relay"
	"github.com/yurong/yurong/marketplace"
)

// node resolves a global ID; an ID of a missing object is null, an ID this
// API never issued is an error.
func (r *Resolver) node(id string) (relay.Node, error) {
	typ, key, err := relay.ParseID(id)
	if err != nil {
		return nil, err
	}
	if typ == "Pairing" {
		return r.pairingNode(key)
	}
	n, err := strconv.ParseInt(key, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("%w: %q", relay.ErrInvalidID, id)
	}
	switch typ {
	case "Enterprise":
		if v := r.Market.Enterprise(n); v != nil {
			return v, nil
		}
	case "Institution":
		if v := r.Market.Institution(n); v != nil {
			return v, nil
		}
	case "FinancialProduct":
		if v := r.Market.FinancialProduct(n); v != nil {
			return v, nil
		}
	case "Incubator":
		if v := r.Market.Incubator(n); v != nil {
			return v, nil
		}
	case "SupplyChainDemand":
		if v := r.Market.Demand(n); v != nil {
			return v, nil
		}
	default:
		return nil, fmt.Errorf("%w: unknown type in %q", relay.ErrInvalidID, id)
	}
	return nil, nil
}

func (r *Resolver) enterpriseFilter(f *model.EnterpriseFilter) (marketplace.EnterpriseFilter, error) {
	if f == nil {
		return marketplace.EnterpriseFilter{}, nil
	}
	return marketplace.EnterpriseFilter{Cities: f.Cities, Tracks: f.Tracks, Qualifications: f.Qualifications,
		NameContains: deref(f.NameContains, ""), Keep: r.scoreFilter(f)}, nil
}

func invalidID(field string) catalog.Problems {
	var p catalog.Problems
	p.Add(catalog.CodeNotFound, "ID 无效或不存在", field)
	return p
}
