package catalog

// The natural keys of the entities without a credit code: what an import
// finds a stored product, incubator or demand by (ADR 022). The sheets
// read them from rows and the marketplace looks them up; both use these.

// ProductKey finds a product: its institution's name and its own name.
type ProductKey struct{ Institution, Name string }

// IncubatorKey finds an incubator: its name and city.
type IncubatorKey struct {
	Name string
	City City
}

// DemandKey finds a supply-chain demand: who published it and its title.
type DemandKey struct{ OwnerName, Title string }

// Key is the incubator's natural key.
func (in *Incubator) Key() IncubatorKey { return IncubatorKey{Name: in.Name, City: in.City} }

// Key is the demand's natural key.
func (d *SupplyChainDemand) Key() DemandKey { return DemandKey{OwnerName: d.OwnerName, Title: d.Title} }
