package search

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Pairings implements Engine.
//
// Sorting is what costs: Bleve sorts every match on the rank's doc value,
// and reading the doc values of matches scattered over the index costs
// microseconds each (a 5,000-match page took 24 ms at Henan scale), while
// counting matches is cheap. So a page first narrows the scores: it looks
// for the highest range of whole points, from the cursor's down, holding
// enough matches for the page but not many more (lowEnough), and sorts
// only that range; the next range follows when the page is not full.
func (b *Bleve) Pairings(ctx context.Context, q PairingQuery) (PairingPage, error) {
	n, err := first(q.First, 0)
	if err != nil {
		return PairingPage{}, err
	}
	var after *position
	if q.After != "" {
		p, err := decodeCursor(q.After)
		if err != nil {
			return PairingPage{}, err
		}
		after = &p
	}
	r := ranges{ctx: ctx, conds: pairingConds(q.Text, q.Filter)}
	if q.Filter.MinScore != nil {
		r.floor = min(max(minCenti(*q.Filter.MinScore), 0), maxCenti+1)
	}
	top := maxCenti / 100
	if after != nil {
		top = after.centi / 100
	}

	g, release, err := b.acquire()
	if err != nil {
		return PairingPage{}, err
	}
	defer release()
	r.idx = g.pair
	var total int
	if len(r.conds) == 0 && r.floor == 0 {
		n, err := g.pair.DocCount()
		if err != nil {
			return PairingPage{}, fmt.Errorf("search: count pairings: %w", err)
		}
		total = int(n)
	} else if total, err = r.count(0, maxCenti/100); err != nil {
		return PairingPage{}, err
	}
	page := PairingPage{Hits: make([]PairingHit, 0, n), Total: total}
	need := n + 1 // one more tells whether there is a next page
	var hits []*bsearch.DocumentMatch
	for hi := top; len(hits) < need && hi >= r.floor/100; {
		lo, err := r.lowEnough(hi, need-len(hits))
		if err != nil {
			return PairingPage{}, err
		}
		req := bleve.NewSearchRequestOptions(r.within(lo, hi), need-len(hits), 0, false)
		req.Score = "none"
		req.SortBy([]string{fRank})
		if after != nil && hi == top {
			req.SearchAfter = []string{after.rankKey()}
		}
		res, err := g.pair.SearchInContext(ctx, req)
		if err != nil {
			return PairingPage{}, fmt.Errorf("search: search pairings: %w", err)
		}
		hits = append(hits, res.Hits...)
		hi = lo - 1
	}
	for i, h := range hits {
		if i == n {
			page.HasNextPage = true
			break
		}
		kind, ent, resID, ok := parsePairingID(h.ID)
		if !ok || len(h.Sort) != 1 {
			return PairingPage{}, fmt.Errorf("search: unexpected pairing hit %q", h.ID)
		}
		p, ok := parseRankKey(h.Sort[0])
		if !ok {
			return PairingPage{}, fmt.Errorf("search: unexpected rank of pairing %q", h.ID)
		}
		page.Hits = append(page.Hits, PairingHit{
			ID: h.ID, Kind: kind, EnterpriseID: ent, ResourceID: resID,
			Score: float64(p.centi) / 100, Cursor: p.cursor(),
		})
	}
	return page, nil
}

// maxCenti is a score of 100 in hundredths.
const maxCenti = 100_00

// ranges counts and selects the matches of a filter by whole points of
// score, never below floor (hundredths).
type ranges struct {
	ctx   context.Context
	idx   bleve.Index
	conds []query.Query
	floor int
}

// within matches the filter with a score from point lo to point hi, both
// included (and at least floor).
func (r ranges) within(lo, hi int) query.Query {
	qs := r.conds
	if from, to := max(lo*100, r.floor), min(hi*100+99, maxCenti); from > 0 || to < maxCenti {
		qs = append(qs[:len(qs):len(qs)], scoreRange(from, to))
	}
	switch len(qs) {
	case 0:
		return bleve.NewMatchAllQuery()
	case 1:
		return qs[0]
	}
	return bleve.NewConjunctionQuery(qs...)
}

func (r ranges) count(lo, hi int) (int, error) {
	req := bleve.NewSearchRequestOptions(r.within(lo, hi), 0, 0, false)
	req.Score = "none"
	res, err := r.idx.SearchInContext(r.ctx, req)
	if err != nil {
		return 0, fmt.Errorf("search: count pairings: %w", err)
	}
	return int(res.Total), nil
}

// scoreRange matches the scores in [lo, hi] hundredths with few, small
// clauses: whole tens of points as band10 terms, whole points as band
// terms, and only a fraction of a point at either end as a numeric range
// (a numeric range is a union of many terms: even over one point it costs
// more than a page).
func scoreRange(lo, hi int) query.Query {
	var qs []query.Query
	numeric := func(a, b int) {
		incl := true
		l, h := float64(a)/100, float64(b)/100
		q := bleve.NewNumericRangeInclusiveQuery(&l, &h, &incl, &incl)
		q.SetField(fScore)
		qs = append(qs, q)
	}
	if lo%100 != 0 { // the fraction of a point at the bottom
		end := min(hi, lo-lo%100+99)
		numeric(lo, end)
		lo = end + 1
	}
	if lo <= hi && hi%100 != 99 && hi != maxCenti { // and at the top
		start := max(lo, hi-hi%100)
		numeric(start, hi)
		hi = start - 1
	}
	for p := lo / 100; lo <= hi && p <= hi/100; {
		if p%10 == 0 && p+9 <= hi/100 {
			qs = append(qs, termQuery(fBand10, strconv.Itoa(p/10)))
			p += 10
		} else {
			qs = append(qs, termQuery(fBand, strconv.Itoa(p)))
			p++
		}
	}
	switch len(qs) {
	case 0:
		return bleve.NewMatchNoneQuery()
	case 1:
		return qs[0]
	}
	return bleve.NewDisjunctionQuery(qs...)
}

// spread is how many times more matches than needed a range may hold.
const spread = 8

// lowEnough returns the point lo ≤ hi such that points lo to hi hold at
// least need matches and, when it can, at most spread × need; the floor's
// point when even that range holds fewer. It widens the range fourfold
// from one point, then bisects when the last step overshot.
func (r ranges) lowEnough(hi, need int) (int, error) {
	floor := r.floor / 100
	above := hi + 1 // every lo ≥ above holds fewer than need
	for w := 1; ; w *= 4 {
		lo := max(hi-w+1, floor)
		c, err := r.count(lo, hi)
		if err != nil {
			return 0, err
		}
		if c < need {
			if lo == floor {
				return floor, nil
			}
			above = lo
			continue
		}
		for c > spread*need && above-lo > 1 {
			mid := (lo + above) / 2
			mc, err := r.count(mid, hi)
			if err != nil {
				return 0, err
			}
			if mc < need {
				above = mid
			} else {
				lo, c = mid, mc
			}
		}
		return lo, nil
	}
}

// pairingConds turns a text and a filter, but its minimum score, into the
// conditions of a conjunction.
func pairingConds(text string, f PairingFilter) []query.Query {
	var qs []query.Query
	if text = strings.TrimSpace(text); text != "" {
		qs = append(qs, matchQuery(fText, text, true, 1))
	}
	if len(f.Kinds) > 0 {
		qs = append(qs, anyOf(fKind, stringsOf(f.Kinds)))
	}
	if f.EnterpriseID != 0 {
		qs = append(qs, termQuery(fEnterprise, idString(f.EnterpriseID)))
	}
	if f.Resource != nil {
		qs = append(qs, termQuery(fResource, resourceKey(f.Resource.Kind, f.Resource.ID)))
	}
	if len(f.Tracks) > 0 {
		qs = append(qs, anyOf(fTrack, stringsOf(f.Tracks)))
	}
	if len(f.Cities) > 0 {
		qs = append(qs, anyOf(fCity, stringsOf(f.Cities)))
	}
	if f.EligibleOnly {
		qs = append(qs, boolQuery(fEligible))
	}
	if f.GreenChannelOnly {
		qs = append(qs, boolQuery(fGreen))
	}
	return qs
}
