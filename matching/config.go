package matching

import (
	"crypto/sha256"
	"fmt"
	"time"

	"github.com/yurong/yurong/catalog"
)

// Config is the engine's configuration: the clock, every weight and every
// threshold, in one documented place. DefaultConfig gives the values pinned
// by DESIGN.md.
type Config struct {
	// Today is the clock. Dates count from today, and "this year and last
	// year" are Today's calendar year and the one before.
	Today func() time.Time

	// Weights are the factor weights of the pairing score.
	Weights Weights

	// TopBankBonus is the points a FINANCING pairing gains when the
	// product's provider is in the top quarter of the 科技贷 bank
	// evaluation (Engine.SetTopBanks) and the enterprise is on the
	// early-small-hard list: the evaluation ranks banks by their lending to
	// those enterprises, so the bonus steers them to the banks that serve
	// them best. It is not in Weights because it depends on the engine's
	// set of banks, not on the pair alone. Zero or less means the default.
	TopBankBonus float64

	// LinkBonuses are the points an EQUITY pairing gains from the links
	// between the marketplace's players (Engine.SetLinks). Zero fields
	// mean the defaults.
	LinkBonuses LinkBonuses

	// IndicatorWeights weight the 18 indicators' points per growth stage.
	// Each stage's weights sum to 10, so a total is at most 1000.
	IndicatorWeights IndicatorWeights

	// EarlySmallHard holds the thresholds of the 早小硬 list.
	EarlySmallHard EarlySmallHardRule

	// DefaultSubsidyMultiple caps a subsidy loan at this multiple of the
	// subsidies of this year and last year, unless the product sets its own.
	DefaultSubsidyMultiple float64

	// CreditCapacityShare is the share of the latest annual revenue a loan
	// other than the subsidy loan lends at most (default 0.5).
	CreditCapacityShare float64
	// CreditCapacityFloor is the least credit capacity of an enterprise on
	// the early-small-hard list or with an award this year or last year,
	// whatever its revenue (default 1,000,000 yuan): the policy loans exist
	// for pre-revenue hard tech.
	CreditCapacityFloor catalog.Amount

	// TopPerEnterprise is how many pairings are kept per enterprise and
	// kind, and so the most Matches returns per kind.
	TopPerEnterprise int
	// TopPerResource is how many pairings are kept per resource, and so the
	// most Candidates returns.
	TopPerResource int

	// EagerCohortLimit: after an enterprise write, a growth-stage cohort of
	// at most this many enterprises has every member's total refreshed at
	// once (and their pairings recomputed when a total moved). Larger
	// cohorts are refreshed lazily; see docs/adr/023-matching-cohort-refresh.md.
	// Zero means the default; a negative limit makes every cohort lazy.
	EagerCohortLimit int

	// SharedInputs: the caller never modifies a value after giving it to
	// the engine (the read model's values are immutable once put, see
	// marketplace/table.go), so the engine keeps the values themselves
	// instead of deep copies. Off, the engine copies everything it is given.
	SharedInputs bool
}

// LinkBonuses are the points of the links between funds, incubators,
// banks and enterprises in an equity pairing with a fund's product.
type LinkBonuses struct {
	// Incubation (孵化+投资): the enterprise resides in an incubator the fund
	// has an investment–incubation agreement with.
	Incubation float64
	// Loan (以贷促投): the enterprise holds a loan from a bank the fund has a
	// loan–investment agreement with.
	Loan float64
	// Interest: the fund expressed interest in the enterprise (early due
	// diligence of a contest project).
	Interest float64
}

func (b LinkBonuses) sum() float64 { return b.Incubation + b.Loan + b.Interest }

// EarlySmallHardRule holds the thresholds of the early-small-hard flags.
type EarlySmallHardRule struct {
	MaxAgeYears    int            // early: founded less than this many years ago
	MaxEmployees   int            // small: fewer than this many employees…
	MaxRevenue     catalog.Amount // …and latest revenue below this
	MinRDIntensity float64        // hard: latest rdExpense / revenue at least this
}

// DefaultConfig returns the configuration with DESIGN.md's defaults.
func DefaultConfig() Config {
	return Config{
		Today:            time.Now,
		Weights:          DefaultWeights(),
		TopBankBonus:     3,
		LinkBonuses:      LinkBonuses{Incubation: 3, Loan: 3, Interest: 2},
		IndicatorWeights: DefaultIndicatorWeights(),
		EarlySmallHard: EarlySmallHardRule{
			MaxAgeYears:    5,
			MaxEmployees:   300,
			MaxRevenue:     catalog.Yuan(20_000_000),
			MinRDIntensity: 0.05,
		},
		DefaultSubsidyMultiple: 5,
		CreditCapacityShare:    0.5,
		CreditCapacityFloor:    catalog.Yuan(1_000_000),
		TopPerEnterprise:       20,
		TopPerResource:         200,
		EagerCohortLimit:       1000,
	}
}

// ModelVersion names the scoring model: a fixed prefix and a hash of every
// weight, so any change of weights changes the version.
func (c Config) ModelVersion() string {
	h := sha256.New()
	fmt.Fprintf(h, "%v|%v|%v|%v", c.IndicatorWeights, c.Weights, c.TopBankBonus, c.LinkBonuses)
	return fmt.Sprintf("yk-2026.1-%x", h.Sum(nil)[:4])
}

// withDefaults fills the zero values a caller may leave out: a zero
// Config is the default configuration.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.Today == nil {
		c.Today = d.Today
	}
	if c.Weights == (Weights{}) {
		c.Weights = d.Weights
	}
	if c.TopBankBonus <= 0 {
		c.TopBankBonus = d.TopBankBonus
	}
	for _, b := range []struct{ v, def *float64 }{
		{&c.LinkBonuses.Incubation, &d.LinkBonuses.Incubation},
		{&c.LinkBonuses.Loan, &d.LinkBonuses.Loan},
		{&c.LinkBonuses.Interest, &d.LinkBonuses.Interest},
	} {
		if *b.v <= 0 {
			*b.v = *b.def
		}
	}
	if c.IndicatorWeights == (IndicatorWeights{}) {
		c.IndicatorWeights = d.IndicatorWeights
	}
	if c.EarlySmallHard == (EarlySmallHardRule{}) {
		c.EarlySmallHard = d.EarlySmallHard
	}
	if c.DefaultSubsidyMultiple <= 0 {
		c.DefaultSubsidyMultiple = d.DefaultSubsidyMultiple
	}
	if c.CreditCapacityShare <= 0 {
		c.CreditCapacityShare = d.CreditCapacityShare
	}
	if c.CreditCapacityFloor <= 0 {
		c.CreditCapacityFloor = d.CreditCapacityFloor
	}
	if c.TopPerEnterprise <= 0 {
		c.TopPerEnterprise = d.TopPerEnterprise
	}
	if c.TopPerResource <= 0 {
		c.TopPerResource = d.TopPerResource
	}
	if c.EagerCohortLimit == 0 {
		c.EagerCohortLimit = d.EagerCohortLimit
	}
	return c
}

// today returns Today's date at 00:00 UTC, the form FoundedOn is kept in.
func (c Config) today() time.Time {
	t := c.Today()
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
