package search

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Boosts of the catalogue fields: a word in the name says more than the
// same word in a description.
const (
	boostName        = 4
	boostKeywords    = 2
	boostLabels      = 1.5
	boostDescription = 1
	boostCreditCode  = 8
)

// Search implements Engine. A document matches when its text holds every
// word (bigram) of the query anywhere; matches in the name, keywords,
// labels and description add to the score in that order of weight.
func (b *Bleve) Search(ctx context.Context, q Query) (Result, error) {
	n, err := first(q.First, DefaultFirst)
	if err != nil {
		return Result{}, err
	}
	if err := checkTypes(q.Types); err != nil {
		return Result{}, err
	}
	text := strings.TrimSpace(q.Text)
	if text == "" {
		return Result{Hits: []Hit{}}, nil
	}
	should := []query.Query{
		matchQuery(fName, text, false, boostName),
		matchQuery(fKeywords, text, false, boostKeywords),
		matchQuery(fLabels, text, false, boostLabels),
		matchQuery(fDescription, text, false, boostDescription),
	}
	code := termQuery(fCreditCode, strings.ToUpper(text))
	code.SetBoost(boostCreditCode)
	should = append(should, code)
	bq := query.NewBooleanQuery([]query.Query{matchQuery(fAll, text, true, 1)}, should, nil)
	if len(q.Types) > 0 && len(q.Types) < len(CatalogTypes) {
		ts := make([]string, len(q.Types))
		for i, t := range q.Types {
			ts[i] = string(t)
		}
		bq.AddFilter(anyOf(fType, ts))
	}
	req := bleve.NewSearchRequestOptions(bq, n, 0, false)
	req.IncludeLocations = true
	req.Fields = highlightFields

	g, release, err := b.acquire()
	if err != nil {
		return Result{}, err
	}
	defer release()
	res, err := g.cat.SearchInContext(ctx, req)
	if err != nil {
		return Result{}, fmt.Errorf("search: search catalogue: %w", err)
	}
	out := Result{Hits: make([]Hit, 0, len(res.Hits)), Total: int(res.Total)}
	for _, h := range res.Hits {
		t, id, ok := ParseDocID(h.ID)
		if !ok {
			continue
		}
		out.Hits = append(out.Hits, Hit{ID: h.ID, Type: t, EntityID: id, Score: h.Score, Highlights: bleveHighlights(h)})
	}
	return out, nil
}

func checkTypes(ts []DocType) error {
	for _, t := range ts {
		if !slices.Contains(CatalogTypes, t) {
			return fmt.Errorf("%w: %q is not a catalogue type", ErrBadDocument, t)
		}
	}
	return nil
}

// matchQuery matches the analysed text in a field; with all set, every
// token must be there.
func matchQuery(field, text string, all bool, boost float64) *query.MatchQuery {
	q := bleve.NewMatchQuery(text)
	q.SetField(field)
	q.Analyzer = analyzerText
	if all {
		q.SetOperator(query.MatchQueryOperatorAnd)
	}
	q.SetBoost(boost)
	return q
}

// anyOf matches documents whose field is one of the terms.
func anyOf(field string, terms []string) query.Query {
	if len(terms) == 1 {
		return termQuery(field, terms[0])
	}
	qs := make([]query.Query, len(terms))
	for i, t := range terms {
		qs[i] = termQuery(field, t)
	}
	return bleve.NewDisjunctionQuery(qs...)
}

// bleveHighlights cuts the highlights of a hit from its stored fields and
// the offsets of the matched terms.
func bleveHighlights(h *bsearch.DocumentMatch) []string {
	var out []string
	for _, field := range highlightFields {
		// Spans per array element (keywords is an array; the others are
		// one element, 0).
		spans := map[int][]span{}
		for _, locs := range h.Locations[field] {
			for _, l := range locs {
				el := 0
				if len(l.ArrayPositions) > 0 {
					el = int(l.ArrayPositions[0])
				}
				spans[el] = append(spans[el], span{int(l.Start), int(l.End)})
			}
		}
		if len(spans) == 0 {
			continue
		}
		values := storedStrings(h.Fields[field])
		els := make([]int, 0, len(spans))
		for el := range spans {
			els = append(els, el)
		}
		slices.Sort(els)
		for _, el := range els {
			if el < len(values) {
				out = append(out, markup(values[el], spans[el], fragmentRunes))
			}
		}
	}
	return limitHighlights(out)
}

// storedStrings reads a stored field: a string, or a list of them.
func storedStrings(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		out := make([]string, 0, len(v))
		for _, x := range v {
			s, _ := x.(string)
			out = append(out, s)
		}
		return out
	}
	return nil
}

// Pairings implements Engine.
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
	req := bleve.NewSearchRequestOptions(pairingQuery(q.Text, q.Filter), n+1, 0, false)
	req.Score = "none"
	req.SortBy([]string{fRank})
	if after != nil {
		req.SearchAfter = []string{after.rankKey()}
	}

	g, release, err := b.acquire()
	if err != nil {
		return PairingPage{}, err
	}
	defer release()
	res, err := g.pair.SearchInContext(ctx, req)
	if err != nil {
		return PairingPage{}, fmt.Errorf("search: search pairings: %w", err)
	}
	page := PairingPage{Hits: make([]PairingHit, 0, min(n, len(res.Hits))), Total: int(res.Total)}
	for i, h := range res.Hits {
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

// pairingQuery turns a text and a filter into one conjunction.
func pairingQuery(text string, f PairingFilter) query.Query {
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
	if f.MinScore != nil {
		incl := true
		lo := float64(minCenti(*f.MinScore)) / 100
		r := bleve.NewNumericRangeInclusiveQuery(&lo, nil, &incl, nil)
		r.SetField(fScore)
		qs = append(qs, r)
	}
	if f.EligibleOnly {
		qs = append(qs, boolQuery(fEligible))
	}
	if f.GreenChannelOnly {
		qs = append(qs, boolQuery(fGreen))
	}
	switch len(qs) {
	case 0:
		return bleve.NewMatchAllQuery()
	case 1:
		return qs[0]
	}
	return bleve.NewConjunctionQuery(qs...)
}

func boolQuery(field string) query.Query {
	q := bleve.NewBoolFieldQuery(true)
	q.SetField(field)
	return q
}

func stringsOf[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}
