package catalog

import (
	"strconv"
	"strings"
)

// The pairing kinds and the resource each joins an enterprise to, stated
// once: the matching engine's per-kind arrays, the change log's resource
// entities, the search index's document types and the API's resource IDs
// all derive from this table, in the order of the API enum, which is also
// the order ties rank in.

// The resources' entity names: the change log's and the search index's.
const (
	ResourceProduct   = "product"
	ResourceIncubator = "incubator"
	ResourceDemand    = "demand"
)

var pairingResources = [...]struct {
	kind PairingKind
	// entity is the resource's entity name, typeName its type's name (the
	// Go type here, the GraphQL type and the Relay ID prefix).
	entity, typeName string
}{
	{Financing, ResourceProduct, "FinancialProduct"},
	{Incubation, ResourceIncubator, "Incubator"},
	{IndustryChain, ResourceDemand, "SupplyChainDemand"},
}

// PairingKinds lists the pairing kinds in the API enum's order.
var PairingKinds = func() []PairingKind {
	out := make([]PairingKind, len(pairingResources))
	for i, r := range pairingResources {
		out[i] = r.kind
	}
	return out
}()

// Order is the kind's place in PairingKinds (ties rank in this order), -1
// for an unknown kind.
func (k PairingKind) Order() int {
	for i, r := range pairingResources {
		if r.kind == k {
			return i
		}
	}
	return -1
}

// Resource is the entity name of the resources the kind pairs with:
// FINANCING pairs with products, INCUBATION with incubators, INDUSTRY_CHAIN
// with demands; "" for an unknown kind.
func (k PairingKind) Resource() string {
	if i := k.Order(); i >= 0 {
		return pairingResources[i].entity
	}
	return ""
}

// PairingKindOf is the kind of pairings the resource entity takes part in,
// false when the entity is not a resource.
func PairingKindOf(entity string) (PairingKind, bool) {
	for _, r := range pairingResources {
		if r.entity == entity {
			return r.kind, true
		}
	}
	return "", false
}

// PairingKindOfType is the kind of pairings the resources of the type
// (FinancialProduct, Incubator, SupplyChainDemand) take part in, false for
// another type.
func PairingKindOfType(typeName string) (PairingKind, bool) {
	for _, r := range pairingResources {
		if r.typeName == typeName {
			return r.kind, true
		}
	}
	return "", false
}

// FormatPairingKey writes a pairing's identity as
// KIND<sep>enterprise<sep>resource, the body of its Relay ID (sep ":") and
// of its search document's id (sep "-").
func FormatPairingKey(kind PairingKind, enterpriseID, resourceID int64, sep string) string {
	return string(kind) + sep + strconv.FormatInt(enterpriseID, 10) + sep + strconv.FormatInt(resourceID, 10)
}

// ParsePairingKey reads what FormatPairingKey wrote with sep: false unless
// it holds a known kind and two decimal ids.
func ParsePairingKey(s, sep string) (kind PairingKind, enterpriseID, resourceID int64, ok bool) {
	parts := strings.Split(s, sep)
	if len(parts) != 3 {
		return "", 0, 0, false
	}
	kind = PairingKind(parts[0])
	if kind.Order() < 0 {
		return "", 0, 0, false
	}
	ent, err1 := strconv.ParseInt(parts[1], 10, 64)
	res, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil {
		return "", 0, 0, false
	}
	return kind, ent, res, true
}
