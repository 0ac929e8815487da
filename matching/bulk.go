package matching

import "github.com/yurong/yurong/catalog"

// Ranking one enterprise costs about 7 ms at Henan scale (its row, its
// place in every resource's column, its cohort), a full rematch about
// 0.1 ms per enterprise of the marketplace spread over every core; a batch
// above 1/bulkShare of the marketplace, and at least bulkMin strong, is
// cheaper to rematch than to rank one by one.
const (
	bulkShare = 64
	bulkMin   = 64
)

// UpsertEnterprises applies a batch of committed enterprise writes (an
// import, or another instance's writes read from the change log): one at a
// time, or as a full rematch when that is cheaper. A later duplicate of an
// id wins. The listeners hear of every enterprise of the batch either way.
func (e *Engine) UpsertEnterprises(ents []*catalog.Enterprise) {
	e.write(func() []Change {
		if len(ents) < bulkMin || len(ents)*bulkShare <= len(e.ents) {
			var changes []Change
			for _, ent := range ents {
				changes = append(changes, e.upsertEnterprise(ent)...)
			}
			return changes
		}
		d := e.dataset()
		d.Enterprises = append(d.Enterprises, ents...)
		e.rebuild(d, e.asOf)
		changes := make([]Change, 0, len(ents)*kindCount)
		for _, ent := range ents {
			for _, k := range pairingKinds {
				changes = append(changes, Change{EnterpriseID: ent.ID, Kind: k})
			}
		}
		return changes
	})
}
