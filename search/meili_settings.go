package search

import (
	"strconv"
	"strings"

	"github.com/meilisearch/meilisearch-go"
)

// Index uids of the Meilisearch adapter (before MeiliOptions.IndexPrefix).
var meiliIndexes = map[DocType]string{
	TypeEnterprise: "enterprises",
	TypeProduct:    "financial_products",
	TypeIncubator:  "incubators",
	TypeDemand:     "supply_chain_demands",
	TypePairing:    "pairings",
}

// meiliTypes lists the document types in a fixed order.
var meiliTypes = []DocType{TypeEnterprise, TypeProduct, TypeIncubator, TypeDemand, TypePairing}

// chinese is the locale Meilisearch segments Chinese text in (jieba).
var chinese = []string{"cmn"}

var (
	catalogSearchable = []string{"name", "keywords", "creditCode", "labels", "description"}
	pairingSearchable = []string{"enterpriseName", "resourceName", "enterpriseKeywords", "resourceKeywords",
		"resourceLabels", "enterpriseDescription"}
	// pairingSort is the order of the ranked list: the pairing score, then
	// the parts of the pairing id.
	pairingSort = []string{"score:desc", "kindOrder:asc", "enterpriseId:asc", "resourceId:asc"}
)

// catalogSettings are the settings of the four catalogue indexes. Text
// relevance ranks; words are matched in the order of searchableAttributes
// (a name outranks a description); credit codes are matched exactly.
func catalogSettings() *meilisearch.Settings {
	return &meilisearch.Settings{
		SearchableAttributes: catalogSearchable,
		FilterableAttributes: []string{"type", "city", "track"},
		SortableAttributes:   []string{"entityId"},
		RankingRules:         []string{"words", "typo", "proximity", "attribute", "sort", "exactness"},
		TypoTolerance: &meilisearch.TypoTolerance{
			Enabled:             true,
			MinWordSizeForTypos: meilisearch.MinWordSizeForTypos{OneTypo: 5, TwoTypos: 9},
			DisableOnWords:      []string{},
			DisableOnAttributes: []string{"creditCode"},
			DisableOnNumbers:    true,
		},
		LocalizedAttributes: []*meilisearch.LocalizedAttributes{
			{AttributePatterns: []string{"name", "keywords", "labels", "description"}, Locales: chinese},
		},
	}
}

// pairingSettings are the settings of the pairings index. The list is
// ordered by score, never by text relevance: "sort" is the first ranking
// rule and every query sorts by pairingSort; the text only filters
// (matchingStrategy "all"), so typo tolerance is off.
func pairingSettings() *meilisearch.Settings {
	return &meilisearch.Settings{
		SearchableAttributes: pairingSearchable,
		FilterableAttributes: []string{"id", "kind", "kindOrder", "enterpriseId", "resourceId", "track", "city",
			"score", "eligible", "greenChannel"},
		SortableAttributes: []string{"score", "kindOrder", "enterpriseId", "resourceId"},
		RankingRules:       []string{"sort", "words", "typo", "proximity", "attribute", "exactness"},
		TypoTolerance: &meilisearch.TypoTolerance{
			Enabled:             false,
			MinWordSizeForTypos: meilisearch.MinWordSizeForTypos{OneTypo: 5, TwoTypos: 9},
			DisableOnWords:      []string{},
			DisableOnAttributes: []string{},
			DisableOnNumbers:    true,
		},
		LocalizedAttributes: []*meilisearch.LocalizedAttributes{
			{AttributePatterns: pairingSearchable, Locales: chinese},
		},
	}
}

// meiliCatalogDoc is a CatalogDoc as Meilisearch stores it.
type meiliCatalogDoc struct {
	ID          string   `json:"id"`
	Type        string   `json:"type"`
	EntityID    int64    `json:"entityId"`
	Name        string   `json:"name"`
	Keywords    []string `json:"keywords"`
	Description string   `json:"description"`
	Labels      []string `json:"labels"`
	CreditCode  string   `json:"creditCode,omitempty"`
	City        string   `json:"city,omitempty"`
	Track       string   `json:"track,omitempty"`
}

func toMeiliCatalog(d *CatalogDoc) meiliCatalogDoc {
	return meiliCatalogDoc{
		ID: d.ID, Type: string(d.Type), EntityID: d.EntityID,
		Name: d.Name, Keywords: nonNil(d.Keywords), Description: d.Description, Labels: nonNil(d.Labels),
		CreditCode: d.CreditCode, City: string(d.City), Track: string(d.Track),
	}
}

// meiliPairingDoc is a PairingDoc as Meilisearch stores it.
type meiliPairingDoc struct {
	ID                    string   `json:"id"`
	Kind                  string   `json:"kind"`
	KindOrder             int      `json:"kindOrder"`
	EnterpriseID          int64    `json:"enterpriseId"`
	ResourceID            int64    `json:"resourceId"`
	Score                 float64  `json:"score"`
	Eligible              bool     `json:"eligible"`
	GreenChannel          bool     `json:"greenChannel"`
	Track                 string   `json:"track"`
	City                  string   `json:"city"`
	EnterpriseName        string   `json:"enterpriseName"`
	EnterpriseKeywords    []string `json:"enterpriseKeywords"`
	EnterpriseDescription string   `json:"enterpriseDescription"`
	ResourceName          string   `json:"resourceName"`
	ResourceLabels        []string `json:"resourceLabels"`
	ResourceKeywords      []string `json:"resourceKeywords"`
}

func toMeiliPairing(d *PairingDoc) meiliPairingDoc {
	p := positionOf(d)
	return meiliPairingDoc{
		ID: d.ID, Kind: string(d.Kind), KindOrder: p.kindOrder, EnterpriseID: d.EnterpriseID, ResourceID: d.ResourceID,
		Score: float64(p.centi) / 100, Eligible: d.Eligible, GreenChannel: d.GreenChannel,
		Track: string(d.Track), City: string(d.City),
		EnterpriseName: d.EnterpriseName, EnterpriseKeywords: nonNil(d.EnterpriseKeywords),
		EnterpriseDescription: d.EnterpriseDescription,
		ResourceName:          d.ResourceName, ResourceLabels: nonNil(d.ResourceLabels),
		ResourceKeywords: nonNil(d.ResourceKeywords),
	}
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// Filter expressions. Strings are double-quoted with backslash escapes;
// numbers are written so that they parse back to the same float64.

func quote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

func float(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// in is "attr IN [v1, v2]", or "attr = v" for one value.
func in(attr string, values []string) string {
	if len(values) == 1 {
		return attr + " = " + quote(values[0])
	}
	qs := make([]string, len(values))
	for i, v := range values {
		qs[i] = quote(v)
	}
	return attr + " IN [" + strings.Join(qs, ", ") + "]"
}

// pairingFilter returns the conditions of a PairingFilter, to be joined by
// AND.
func pairingFilter(f PairingFilter) []string {
	var cs []string
	if len(f.Kinds) > 0 {
		cs = append(cs, in("kind", stringsOf(f.Kinds)))
	}
	if f.EnterpriseID != 0 {
		cs = append(cs, "enterpriseId = "+idString(f.EnterpriseID))
	}
	if f.Resource != nil {
		cs = append(cs, "kind = "+quote(string(f.Resource.Kind)), "resourceId = "+idString(f.Resource.ID))
	}
	if len(f.Tracks) > 0 {
		cs = append(cs, in("track", stringsOf(f.Tracks)))
	}
	if len(f.Cities) > 0 {
		cs = append(cs, in("city", stringsOf(f.Cities)))
	}
	if f.MinScore != nil {
		cs = append(cs, "score >= "+float(float64(minCenti(*f.MinScore))/100))
	}
	if f.EligibleOnly {
		cs = append(cs, "eligible = true")
	}
	if f.GreenChannelOnly {
		cs = append(cs, "greenChannel = true")
	}
	return cs
}

// afterFilter keeps the pairings that come after p in pairingSort order.
func afterFilter(p position) string {
	s, k, e, r := float(float64(p.centi)/100), strconv.Itoa(p.kindOrder), idString(p.ent), idString(p.res)
	return "(score < " + s + " OR (score = " + s +
		" AND (kindOrder > " + k + " OR (kindOrder = " + k +
		" AND (enterpriseId > " + e + " OR (enterpriseId = " + e +
		" AND resourceId > " + r + "))))))"
}

// selectorFilter is the delete-by-query filter of a PairingSelector.
func selectorFilter(sel PairingSelector) (string, error) {
	var cs []string
	if sel.EnterpriseID != 0 {
		cs = append(cs, "enterpriseId = "+idString(sel.EnterpriseID))
	}
	if sel.Resource != nil {
		cs = append(cs, "kind = "+quote(string(sel.Resource.Kind)), "resourceId = "+idString(sel.Resource.ID))
	}
	if len(cs) == 0 {
		return "", ErrBadSelector
	}
	if len(sel.Keep) > 0 {
		cs = append(cs, "NOT "+in("id", sel.Keep))
	}
	return strings.Join(cs, " AND "), nil
}
