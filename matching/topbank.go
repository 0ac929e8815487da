package matching

import "maps"

// SetTopBanks replaces the set of 科技贷 partner banks in the top quarter
// of the bank evaluation (institution ids; only true values count). Their
// products gain Config.TopBankBonus with early-small-hard enterprises.
// When the set changed, the FINANCING pairings of the products whose
// provider entered or left it are recomputed as an upsert of those
// products would (columns, rows, slice notes, listeners) and it returns
// true; an unchanged set costs a read lock and returns false. A Rebuild
// keeps the set.
func (e *Engine) SetTopBanks(institutionIDs map[int64]bool) bool {
	top := make(map[int64]bool, len(institutionIDs))
	for id, in := range institutionIDs {
		if in {
			top[id] = true
		}
	}
	e.mu.RLock()
	same := maps.Equal(top, e.rel.topBanks)
	e.mu.RUnlock()
	if same {
		return false
	}
	changed := false
	e.write(func() []Change {
		if maps.Equal(top, e.rel.topBanks) {
			return nil // another caller set it meanwhile
		}
		changed = true
		old := e.rel.topBanks
		e.rel.topBanks = top
		var changes []Change
		for _, p := range e.prods {
			if id := p.src.ProviderID; old[id] != top[id] {
				// The upsert path rebuilds the view, which reads the new set.
				changes = append(changes, e.upsertProduct(p.src)...)
			}
		}
		return dedupeChanges(changes)
	})
	return changed
}
