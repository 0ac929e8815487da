package catalog

// Revenue thresholds of the growth stages (DESIGN.md).
var (
	growthRevenue = Yuan(5_000_000)   // from here on GROWTH
	stableRevenue = Yuan(100_000_000) // from here on STABLE
)

// Stage is the growth stage of e from its latest annual report's revenue:
// below 5,000,000 STARTUP, below 100,000,000 GROWTH, otherwise STABLE. An
// enterprise without a report is a STARTUP.
func (e *Enterprise) Stage() GrowthStage {
	r := e.LatestReport()
	switch {
	case r == nil || r.Revenue < growthRevenue:
		return Startup
	case r.Revenue < stableRevenue:
		return Growth
	}
	return Stable
}
