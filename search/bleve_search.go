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
	text, n, err := q.checked()
	if err != nil || text == "" {
		return Result{Hits: []Hit{}}, err
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
