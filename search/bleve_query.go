package search

import (
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Query building blocks shared by the catalogue search and the pairings.

// termQuery matches documents whose field holds the term exactly.
func termQuery(field, term string) *query.TermQuery {
	q := bleve.NewTermQuery(term)
	q.SetField(field)
	return q
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
