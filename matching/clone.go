package matching

import (
	"slices"

	"github.com/yurong/yurong/catalog"
)

// The engine keeps its own deep copies of what it is given (catalog's Clone
// methods), so a caller that later modifies its values cannot change the
// engine's view behind its lock.

// cloneEnterprise copies e with its reports oldest first: readers assume
// that order, and the engine does not rely on its caller having validated
// (the catalog validator sorts).
func cloneEnterprise(e *catalog.Enterprise) *catalog.Enterprise {
	c := e.Clone()
	slices.SortStableFunc(c.Reports, func(a, b catalog.AnnualReport) int { return a.Year - b.Year })
	return c
}
