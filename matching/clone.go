package matching

import (
	"slices"

	"github.com/yurong/yurong/catalog"
)

// The engine keeps its own deep copies of what it is given (catalog's Clone
// methods), so a caller that later modifies its values cannot change the
// engine's view behind its lock; with Config.SharedInputs it keeps the
// caller's values, which the caller promises never to modify.

// cloneEnterprise copies e with its reports oldest first: readers assume
// that order, and the engine does not rely on its caller having validated
// (the catalog validator sorts).
func cloneEnterprise(e *catalog.Enterprise) *catalog.Enterprise {
	c := e.Clone()
	slices.SortStableFunc(c.Reports, reportsByYear)
	return c
}

func reportsByYear(a, b catalog.AnnualReport) int { return a.Year - b.Year }

// ownEnterprise is the enterprise the engine keeps for e: e itself when
// inputs are shared and its reports are oldest first, else a copy.
func (eng *Engine) ownEnterprise(e *catalog.Enterprise) *catalog.Enterprise {
	if eng.cfg.SharedInputs && slices.IsSortedFunc(e.Reports, reportsByYear) {
		return e
	}
	return cloneEnterprise(e)
}

// own is the resource the engine keeps for v: v itself when inputs are
// shared, else its copy.
func own[T interface{ Clone() T }](eng *Engine, v T) T {
	if eng.cfg.SharedInputs {
		return v
	}
	return v.Clone()
}
