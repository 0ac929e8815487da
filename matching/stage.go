package matching

import "github.com/yurong/yurong/catalog"

// Revenue thresholds of the growth stages (DESIGN.md).
var (
	growthRevenue = catalog.Yuan(5_000_000)   // from here on GROWTH
	stableRevenue = catalog.Yuan(100_000_000) // from here on STABLE
)

// StageOf is the growth stage of e from its latest annual report's revenue:
// below 5,000,000 STARTUP, below 100,000,000 GROWTH, otherwise STABLE. An
// enterprise without a report is a STARTUP.
func StageOf(e *catalog.Enterprise) catalog.GrowthStage {
	r := e.LatestReport()
	switch {
	case r == nil || r.Revenue < growthRevenue:
		return catalog.Startup
	case r.Revenue < stableRevenue:
		return catalog.Growth
	}
	return catalog.Stable
}

// stageIndex numbers the stages 0, 1, 2 for arrays indexed by stage.
func stageIndex(s catalog.GrowthStage) int {
	switch s {
	case catalog.Growth:
		return 1
	case catalog.Stable:
		return 2
	}
	return 0
}
