package search

import (
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
)

// The Chinese analysis of the embedded engine. Text is split by Unicode
// word boundaries (UAX #29), which makes every Han character a token and
// keeps Latin words and numbers whole ("SiC功率器件" → SiC 功 率 器 件);
// full-width forms are folded and everything is lowercased; then adjacent
// Han characters are joined into bigrams (功率 率器 器件).
//
//   - analyzerIndex, for catalogue fields, also keeps every Han character
//     as a unigram, so a one-character query is found.
//   - analyzerText emits bigrams only (a lone Han character stays a
//     unigram): it analyses every query, and the pairings' text.
//
// A query matches when every one of its tokens is in the document, so
// "功率器件" (功率 率器 器件) is found inside "碳化硅功率器件" and "SiC功率器件"
// (sic 功率 率器 器件) inside "车规级SiC功率器件模块", without a dictionary.
const (
	analyzerIndex = "zh_index"
	analyzerText  = "zh"

	filterUniBigram = "zh_unigram_bigram"
	filterBigram    = "zh_bigram"
)

// Field names of the catalogue index.
const (
	fType        = "type"
	fName        = "name"
	fKeywords    = "keywords"
	fDescription = "description"
	fLabels      = "labels"
	fCreditCode  = "creditCode"
	fCity        = "city"
	fTrack       = "track"
	fAll         = "all"
)

// Field names of the pairings index.
const (
	fKind       = "kind"
	fEnterprise = "enterprise"
	fResource   = "resource"
	fScore      = "score"
	fBand       = "band"   // whole points of the score: "0"…"100"
	fBand10     = "band10" // tens of points: "0"…"10"
	fEligible   = "eligible"
	fGreen      = "green"
	fRank       = "rank"
	fText       = "text"
)

// highlightFields are the stored catalogue fields highlights are cut from,
// in the order their fragments are listed.
var highlightFields = []string{fName, fKeywords, fDescription, fLabels}

func addAnalyzers(im *mapping.IndexMappingImpl) error {
	for name, unigrams := range map[string]bool{filterUniBigram: true, filterBigram: false} {
		if err := im.AddCustomTokenFilter(name, map[string]any{"type": cjk.BigramName, "output_unigram": unigrams}); err != nil {
			return err
		}
	}
	for name, filter := range map[string]string{analyzerIndex: filterUniBigram, analyzerText: filterBigram} {
		err := im.AddCustomAnalyzer(name, map[string]any{
			"type":          custom.Name,
			"tokenizer":     unicode.Name,
			"token_filters": []any{cjk.WidthName, lowercase.Name, filter},
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// newStaticMapping returns an index mapping that indexes only the fields
// mapped explicitly into its default document mapping.
func newStaticMapping() (*mapping.IndexMappingImpl, *mapping.DocumentMapping, error) {
	im := bleve.NewIndexMapping()
	if err := addAnalyzers(im); err != nil {
		return nil, nil, err
	}
	im.DefaultAnalyzer = analyzerText
	im.ScoringModel = index.BM25Scoring
	im.IndexDynamic, im.StoreDynamic, im.DocValuesDynamic = false, false, false
	dm := bleve.NewDocumentStaticMapping()
	// No "_all" composite field: queries name their fields (the catalogue
	// has its own "all"), and composing it costs a tenth of indexing.
	dm.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())
	im.DefaultMapping = dm
	return im, dm, nil
}

func keywordField(docValues bool) *mapping.FieldMapping {
	f := bleve.NewKeywordFieldMapping()
	f.Store, f.IncludeInAll, f.IncludeTermVectors, f.DocValues = false, false, false, docValues
	return f
}

func textField(analyzer string, stored bool) *mapping.FieldMapping {
	f := bleve.NewTextFieldMapping()
	f.Analyzer = analyzer
	f.Store, f.IncludeTermVectors = stored, stored // term vectors give highlight offsets
	f.IncludeInAll, f.DocValues = false, false
	return f
}

// catalogMapping maps bleveCatalogDoc.
func catalogMapping() (*mapping.IndexMappingImpl, error) {
	im, dm, err := newStaticMapping()
	if err != nil {
		return nil, err
	}
	dm.AddFieldMappingsAt(fType, keywordField(true)) // doc values: counted by a facet
	for _, f := range []string{fCreditCode, fCity, fTrack} {
		dm.AddFieldMappingsAt(f, keywordField(false))
	}
	for _, f := range highlightFields {
		dm.AddFieldMappingsAt(f, textField(analyzerIndex, true))
	}
	dm.AddFieldMappingsAt(fAll, textField(analyzerIndex, false))
	return im, nil
}

// pairingMapping maps blevePairingDoc. Nothing is stored: a hit is read
// from its id and its sort value.
func pairingMapping() (*mapping.IndexMappingImpl, error) {
	im, dm, err := newStaticMapping()
	if err != nil {
		return nil, err
	}
	for _, f := range []string{fKind, fEnterprise, fResource, fTrack, fCity, fBand, fBand10} {
		dm.AddFieldMappingsAt(f, keywordField(false))
	}
	dm.AddFieldMappingsAt(fRank, keywordField(true)) // doc values: sorted on
	score := bleve.NewNumericFieldMapping()
	score.Store, score.IncludeInAll, score.DocValues = false, false, false
	dm.AddFieldMappingsAt(fScore, score)
	for _, f := range []string{fEligible, fGreen} {
		b := bleve.NewBooleanFieldMapping()
		b.Store, b.IncludeInAll, b.DocValues = false, false, false
		dm.AddFieldMappingsAt(f, b)
	}
	text := textField(analyzerText, false)
	text.SkipFreqNorm = true // a filter, never scored
	dm.AddFieldMappingsAt(fText, text)
	return im, nil
}

// bleveCatalogDoc is what the catalogue index stores of a CatalogDoc.
type bleveCatalogDoc struct {
	Type        string   `json:"type"`
	Name        string   `json:"name"`
	Keywords    []string `json:"keywords"`
	Description string   `json:"description"`
	Labels      []string `json:"labels"`
	CreditCode  string   `json:"creditCode"`
	City        string   `json:"city"`
	Track       string   `json:"track"`
	// All is every searchable text of the document: a query must match
	// all its words here, wherever they are.
	All string `json:"all"`
}

func toBleveCatalog(d *CatalogDoc) *bleveCatalogDoc {
	all := make([]string, 0, 4+len(d.Keywords)+len(d.Labels))
	all = append(all, d.Name, d.Description, d.CreditCode)
	all = append(all, d.Keywords...)
	all = append(all, d.Labels...)
	return &bleveCatalogDoc{
		Type:        string(d.Type),
		Name:        d.Name,
		Keywords:    d.Keywords,
		Description: d.Description,
		Labels:      d.Labels,
		CreditCode:  d.CreditCode,
		City:        string(d.City),
		Track:       string(d.Track),
		All:         joinText(all),
	}
}

// blevePairingDoc is what the pairings index keeps of a PairingDoc.
type blevePairingDoc struct {
	Kind       string  `json:"kind"`
	Enterprise string  `json:"enterprise"`
	Resource   string  `json:"resource"`
	Track      string  `json:"track"`
	City       string  `json:"city"`
	Score      float64 `json:"score"`
	Band       string  `json:"band"`
	Band10     string  `json:"band10"`
	Eligible   bool    `json:"eligible"`
	Green      bool    `json:"green"`
	Rank       string  `json:"rank"`
	Text       string  `json:"text"`
}

func toBlevePairing(d *PairingDoc) *blevePairingDoc {
	c := centi(d.Score)
	text := make([]string, 0, 3+len(d.EnterpriseKeywords)+len(d.ResourceLabels)+len(d.ResourceKeywords))
	text = append(text, d.EnterpriseName, d.EnterpriseDescription, d.ResourceName)
	text = append(text, d.EnterpriseKeywords...)
	text = append(text, d.ResourceLabels...)
	text = append(text, d.ResourceKeywords...)
	return &blevePairingDoc{
		Kind:       string(d.Kind),
		Enterprise: idString(d.EnterpriseID),
		Resource:   resourceKey(d.Kind, d.ResourceID),
		Track:      string(d.Track),
		City:       string(d.City),
		Score:      float64(c) / 100,
		Band:       strconv.Itoa(c / 100),
		Band10:     strconv.Itoa(c / 1000),
		Eligible:   d.Eligible,
		Green:      d.GreenChannel,
		Rank:       positionOf(d).rankKey(),
		Text:       joinText(text),
	}
}

// joinText joins texts with a line break, which no bigram spans.
func joinText(xs []string) string { return strings.Join(clean(xs), "\n") }
