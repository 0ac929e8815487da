package matching

import (
	"slices"
	"time"

	"github.com/yurong/yurong/catalog"
)

// Pairing is one enterprise paired with one resource: a financial product
// (FINANCING), an incubator (INCUBATION) or a supply-chain demand
// (INDUSTRY_CHAIN).
type Pairing struct {
	Kind         catalog.PairingKind
	EnterpriseID int64
	ResourceID   int64
	// Score is the sum of the reasons' contributions clamped to 0–100.
	Score    float64
	Eligible bool // iff Blockers is empty, when explained with BlockerWords
	// Reasons are the factors that moved the score, largest absolute
	// contribution first; empty unless explained with ReasonFactors, their
	// messages empty unless with ReasonWords (see Detail).
	Reasons []Reason
	// Blockers say in Chinese why the pairing is not eligible, one per
	// failed rule, with the numbers; empty unless explained with
	// BlockerWords.
	Blockers []string
	// PublicBlockers are the Blockers rendered without the enterprise's
	// private figures (docs/adr/010-public-texts.md): same length, same
	// order, never nil.
	PublicBlockers []string
	// SuggestedAmount is the credit line or ticket of a FINANCING pairing.
	SuggestedAmount *catalog.Amount
	// GreenChannel: the enterprise won an award this year or last year.
	GreenChannel bool
	ComputedAt   time.Time
	// Model is the institution model a FINANCING pairing was scored with
	// (the version it was at), nil for the province's score alone.
	Model *ModelRef
}

// Reason is one factor's contribution to a pairing's score.
type Reason struct {
	Factor       string  // stable English code, e.g. "track_fit"
	Contribution float64 // score points, positive or negative
	Message      string  // Chinese, e.g. "与产品支持赛道「新材料」一致 +12"
	// Public is Message without the enterprise's private figures (its
	// reports, subsidies, financing need and the suggested amount), ending
	// with the same signed contribution; it equals Message when Message
	// holds none. See docs/adr/010-public-texts.md.
	Public string
}

// maxCenti is a score of 100 in centi-points. Contributions are kept in
// integer centi-points so a score is exactly the sum of its reasons.
const maxCenti = 100 * 100

// Detail is what of a pairing's explanation a read computes beside its
// score, eligibility and amount. The Chinese words are most of a pairing's
// cost: a reader that shows none of them asks for less (issue 16).
type Detail uint8

const (
	// ReasonFactors fills Reasons with each factor and its contribution,
	// their messages left empty.
	ReasonFactors Detail = 1 << iota
	// ReasonWords fills Reasons' Message and Public too (it implies
	// ReasonFactors).
	ReasonWords
	// BlockerWords fills Blockers and PublicBlockers.
	BlockerWords

	// Explained is the whole explanation, what every read but those given
	// a Detail returns.
	Explained = ReasonFactors | ReasonWords | BlockerWords
)

// acc accumulates one pairing's evaluation. With explain false it only adds
// numbers (no allocation): the full rematch evaluates tens of millions of
// pairs that way, and explains only those it serves.
type acc struct {
	centi   int
	blocked bool
	explain bool // record reasons (their factors and contributions)
	words   bool // write the reasons' messages
	// blockerWords: write the blockers.
	blockerWords bool
	last         int // the contribution of the reason recorded last
	reasons      []Reason
	blockers     []string
	// publicBlockers parallels blockers (see Pairing.PublicBlockers).
	publicBlockers []string
}

// explaining returns the accumulator of an evaluation explained to d.
func explaining(d Detail) acc {
	return acc{
		explain:      d&(ReasonFactors|ReasonWords) != 0,
		words:        d&ReasonWords != 0,
		blockerWords: d&BlockerWords != 0,
	}
}

// add adds weight × frac, rounded to a centi-point, and returns it.
func (a *acc) add(weight, frac float64) int {
	c := int(roundHalfAway(weight * frac * 100))
	a.centi += c
	return c
}

// reason records factor's contribution c when explaining and c is not zero,
// and reports whether to write its message: then say or sayPrivate must
// follow. The words are built only when they are wanted.
func (a *acc) reason(factor string, c int) bool {
	if !a.explain || c == 0 {
		return false
	}
	a.reasons = append(a.reasons, Reason{Factor: factor, Contribution: float64(c) / 100})
	a.last = c
	return a.words
}

// say writes the message of the reason recorded last. It must hold no
// private figure: it is the public rendering too.
func (a *acc) say(message string) {
	m := message + " " + signed(a.last)
	r := &a.reasons[len(a.reasons)-1]
	r.Message, r.Public = m, m
}

// sayPrivate writes the message of the reason recorded last, which cites a
// private figure, with public, its rendering without one.
func (a *acc) sayPrivate(message, public string) {
	s := " " + signed(a.last)
	r := &a.reasons[len(a.reasons)-1]
	r.Message, r.Public = message+s, public+s
}

// block marks the pairing ineligible and reports whether to write the
// blocker's message.
func (a *acc) block() bool {
	a.blocked = true
	return a.blockerWords
}

// blocker records a blocker whose message holds no private figure.
func (a *acc) blocker(message string) { a.blockerPrivate(message, message) }

// blockerPrivate records a blocker whose message cites a private figure,
// with public, its rendering without one.
func (a *acc) blockerPrivate(message, public string) {
	a.blockers = append(a.blockers, message)
	a.publicBlockers = append(a.publicBlockers, public)
}

// score is the clamped sum in centi-points.
func (a *acc) score() int32 { return int32(min(max(a.centi, 0), maxCenti)) }

// pairing turns an explained evaluation into a Pairing.
func (a *acc) pairing(kind catalog.PairingKind, e *entView, resourceID int64, at time.Time) Pairing {
	slices.SortStableFunc(a.reasons, func(x, y Reason) int {
		ax, ay := abs(x.Contribution), abs(y.Contribution)
		switch {
		case ax > ay:
			return -1
		case ax < ay:
			return 1
		}
		return 0
	})
	return Pairing{
		Kind:           kind,
		EnterpriseID:   e.id,
		ResourceID:     resourceID,
		Score:          float64(a.score()) / 100,
		Eligible:       !a.blocked,
		Reasons:        nonNil(a.reasons),
		Blockers:       nonNil(a.blockers),
		PublicBlockers: nonNil(a.publicBlockers),
		GreenChannel:   e.green,
		ComputedAt:     at,
	}
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

func roundHalfAway(f float64) float64 {
	if f < 0 {
		return -float64(int64(-f + 0.5))
	}
	return float64(int64(f + 0.5))
}
