package search

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/yurong/yurong/catalog"
)

// Wire-level tests of the Meilisearch adapter against fakeMeili: the exact
// requests it sends, and how it reads the answers. They always run.

func openFakeMeili(t *testing.T, f *fakeMeili) *Meili {
	t.Helper()
	m, err := OpenMeili(context.Background(), f.URL(), "secret-key", MeiliOptions{TaskPoll: time.Millisecond})
	if err != nil {
		t.Fatalf("OpenMeili: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// jsonEqual compares a body with the expected JSON, ignoring formatting
// and key order.
func jsonEqual(t *testing.T, what string, got any, want string) {
	t.Helper()
	var w any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("%s: bad expectation: %v", what, err)
	}
	if !reflect.DeepEqual(got, w) {
		g, _ := json.Marshal(got)
		t.Errorf("%s:\ngot  %s\nwant %s", what, g, want)
	}
}

const wantCatalogSettings = `{
	"rankingRules": ["words", "typo", "proximity", "attribute", "sort", "exactness"],
	"searchableAttributes": ["name", "keywords", "creditCode", "labels", "description"],
	"filterableAttributes": ["type", "city", "track"],
	"sortableAttributes": ["entityId"],
	"localizedAttributes": [{"locales": ["cmn"], "attributePatterns": ["name", "keywords", "labels", "description"]}],
	"typoTolerance": {"enabled": true, "minWordSizeForTypos": {"oneTypo": 5, "twoTypos": 9},
		"disableOnWords": [], "disableOnAttributes": ["creditCode"], "disableOnNumbers": true}
}`

const wantPairingSettings = `{
	"rankingRules": ["sort", "words", "typo", "proximity", "attribute", "exactness"],
	"searchableAttributes": ["enterpriseName", "resourceName", "enterpriseKeywords", "resourceKeywords", "resourceLabels", "enterpriseDescription"],
	"filterableAttributes": ["id", "kind", "kindOrder", "enterpriseId", "resourceId", "track", "city", "score", "eligible", "greenChannel"],
	"sortableAttributes": ["score", "kindOrder", "enterpriseId", "resourceId"],
	"localizedAttributes": [{"locales": ["cmn"], "attributePatterns": ["enterpriseName", "resourceName", "enterpriseKeywords", "resourceKeywords", "resourceLabels", "enterpriseDescription"]}],
	"typoTolerance": {"enabled": false, "minWordSizeForTypos": {"oneTypo": 5, "twoTypos": 9},
		"disableOnWords": [], "disableOnAttributes": [], "disableOnNumbers": true}
}`

func TestMeiliOpenAppliesSettingsBeforeDocuments(t *testing.T) {
	f := newFakeMeili(t)
	// The indexes exist already: creating them fails, which is fine.
	f.failTask = func(r recorded) string {
		if r.Method == "POST" && r.Path == "/indexes" {
			return "index_already_exists"
		}
		return ""
	}
	m := openFakeMeili(t, f)
	mustIndex(t, m, chineseCorpus()[0], pairingCorpus()[0])
	rs := f.Requests()

	creates := requestsTo(rs, "POST", "/indexes")
	var uids []string
	for _, r := range creates {
		body := r.JSON(t).(map[string]any)
		uids = append(uids, body["uid"].(string))
		if body["primaryKey"] != "id" {
			t.Errorf("create %v: primary key %v", body["uid"], body["primaryKey"])
		}
	}
	if want := []string{"enterprises", "financial_products", "incubators", "supply_chain_demands", "pairings"}; !slices.Equal(uids, want) {
		t.Errorf("created %v, want %v", uids, want)
	}
	lastSettings, firstDocs := -1, -1
	for i, r := range rs {
		switch {
		case r.Method == "PATCH" && strings.HasSuffix(r.Path, "/settings"):
			lastSettings = i
			want := wantCatalogSettings
			if r.Path == "/indexes/pairings/settings" {
				want = wantPairingSettings
			}
			jsonEqual(t, r.Path, r.JSON(t), want)
		case strings.HasSuffix(r.Path, "/documents") && firstDocs < 0:
			firstDocs = i
		}
	}
	if n := len(requestsTo(rs, "PATCH", "/indexes/pairings/settings")); n != 1 {
		t.Errorf("%d settings requests for pairings", n)
	}
	if lastSettings < 0 || firstDocs < 0 || lastSettings > firstDocs {
		t.Errorf("settings at request %d, first documents at %d: settings must come first", lastSettings, firstDocs)
	}

	docs := requestsTo(rs, "POST", "/indexes/enterprises/documents")
	if len(docs) != 1 || docs[0].Query != "primaryKey=id" {
		t.Fatalf("enterprise documents: %+v", docs)
	}
	jsonEqual(t, "enterprise document", docs[0].JSON(t), `[{
		"id": "enterprise-1", "type": "enterprise", "entityId": 1,
		"name": "郑州碳化硅功率器件有限公司", "keywords": ["碳化硅功率器件", "SiC MOSFET"],
		"description": "专注第三代半导体碳化硅功率器件的研发与生产。",
		"labels": ["郑州", "新材料"], "creditCode": "91410100MA00000001X",
		"city": "ZHENGZHOU", "track": "NEW_MATERIALS"}]`)
	docs = requestsTo(rs, "POST", "/indexes/pairings/documents")
	if len(docs) != 1 {
		t.Fatalf("pairing documents: %+v", docs)
	}
	p := pairingCorpus()[0]
	jsonEqual(t, "pairing document", docs[0].JSON(t), `[{
		"id": "pairing-FINANCING-1-1", "kind": "FINANCING", "kindOrder": 0, "enterpriseId": 1, "resourceId": 1,
		"score": `+float(p.Score)+`, "eligible": true, "greenChannel": false, "track": "BIOMEDICINE", "city": "LUOYANG",
		"enterpriseName": "企业1号科技有限公司", "enterpriseKeywords": ["新材料"], "enterpriseDescription": "",
		"resourceName": "资源甲", "resourceLabels": ["FINANCING"], "resourceKeywords": []}]`)
}

func TestMeiliAPIKey(t *testing.T) {
	f := newFakeMeili(t)
	openFakeMeili(t, f)
	rs := f.Requests()
	if len(rs) == 0 {
		t.Fatal("no requests")
	}
	for _, r := range rs {
		if r.Auth != "Bearer secret-key" {
			t.Errorf("%s %s: Authorization %q", r.Method, r.Path, r.Auth)
		}
	}
}

func TestMeiliFailedTaskIsAnError(t *testing.T) {
	f := newFakeMeili(t)
	m := openFakeMeili(t, f)
	f.failTask = func(r recorded) string {
		if strings.HasSuffix(r.Path, "/documents") {
			return "invalid_document_id"
		}
		return ""
	}
	err := m.Index(context.Background(), []Document{chineseCorpus()[0]})
	if !errors.Is(err, ErrTaskFailed) || !strings.Contains(err.Error(), "invalid_document_id") {
		t.Errorf("Index with a failed task: %v, want ErrTaskFailed naming the code", err)
	}
	err = m.DeletePairings(context.Background(), PairingSelector{EnterpriseID: 1})
	if err != nil {
		t.Errorf("DeletePairings with a succeeded task: %v", err)
	}

	// Settings that fail make Open fail.
	f.failTask = func(r recorded) string {
		if r.Method == "PATCH" {
			return "invalid_settings_filterable_attributes"
		}
		return ""
	}
	if _, err := OpenMeili(context.Background(), f.URL(), "", MeiliOptions{TaskPoll: time.Millisecond}); !errors.Is(err, ErrTaskFailed) {
		t.Errorf("Open with failing settings: %v, want ErrTaskFailed", err)
	}
	// An unreachable server is an error, not a hang.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := OpenMeili(ctx, "http://127.0.0.1:1", "", MeiliOptions{}); err == nil {
		t.Error("Open of an unreachable server succeeded")
	}
}

func TestMeiliDocumentIDs(t *testing.T) {
	f := newFakeMeili(t)
	m := openFakeMeili(t, f)
	f.Requests()
	bad := ent(1, "x", nil, "")
	bad.ID = "enterprise/1"
	if err := m.Index(context.Background(), []Document{bad}); !errors.Is(err, ErrBadDocument) {
		t.Errorf("id with a slash: %v, want ErrBadDocument", err)
	}
	if rs := f.Requests(); len(rs) != 0 {
		t.Errorf("a bad document was sent: %+v", rs)
	}
	ids := []string{"enterprise-1", "pairing-FINANCING-42-7", "demand-3", "enterprise-2"}
	if err := m.Delete(context.Background(), ids); err != nil {
		t.Fatal(err)
	}
	rs := f.Requests()
	jsonEqual(t, "delete enterprises", requestsTo(rs, "POST", "/indexes/enterprises/documents/delete-batch")[0].JSON(t),
		`["enterprise-1", "enterprise-2"]`)
	jsonEqual(t, "delete pairings", requestsTo(rs, "POST", "/indexes/pairings/documents/delete-batch")[0].JSON(t),
		`["pairing-FINANCING-42-7"]`)
	jsonEqual(t, "delete demands", requestsTo(rs, "POST", "/indexes/supply_chain_demands/documents/delete-batch")[0].JSON(t),
		`["demand-3"]`)
}

func TestMeiliBatches(t *testing.T) {
	f := newFakeMeili(t)
	m, err := OpenMeili(context.Background(), f.URL(), "", MeiliOptions{TaskPoll: time.Millisecond, BatchSize: 20})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	f.Requests()
	mustIndex(t, m, docsOf(pairingCorpus())...) // 108 pairings
	var sizes []int
	for _, r := range requestsTo(f.Requests(), "POST", "/indexes/pairings/documents") {
		sizes = append(sizes, len(r.JSON(t).([]any)))
	}
	if !slices.Equal(sizes, []int{20, 20, 20, 20, 20, 8}) {
		t.Errorf("batch sizes %v", sizes)
	}
}

func TestMeiliFilterExpressions(t *testing.T) {
	f := PairingFilter{
		Kinds:        []catalog.PairingKind{catalog.Financing, catalog.Incubation},
		EnterpriseID: 42,
		Resource:     &ResourceRef{Kind: catalog.Financing, ID: 7},
		Tracks:       []catalog.Track{catalog.NewMaterials},
		Cities:       []catalog.City{catalog.Zhengzhou, catalog.Luoyang},
		MinScore:     ptr(60.004),
		EligibleOnly: true, GreenChannelOnly: true,
	}
	want := []string{
		`kind IN ["FINANCING", "INCUBATION"]`,
		`enterpriseId = 42`,
		`kind = "FINANCING"`, `resourceId = 7`,
		`track = "NEW_MATERIALS"`,
		`city IN ["ZHENGZHOU", "LUOYANG"]`,
		`score >= 60.01`,
		`eligible = true`,
		`greenChannel = true`,
	}
	if got := pairingFilter(f); !slices.Equal(got, want) {
		t.Errorf("pairingFilter:\ngot  %q\nwant %q", got, want)
	}
	if got := pairingFilter(PairingFilter{}); len(got) != 0 {
		t.Errorf("empty filter: %q", got)
	}
	if got, want := afterFilter(position{centi: 7345, kindOrder: 1, ent: 42, res: 7}),
		`(score < 73.45 OR (score = 73.45 AND (kindOrder > 1 OR (kindOrder = 1 AND (enterpriseId > 42 OR (enterpriseId = 42 AND resourceId > 7))))))`; got != want {
		t.Errorf("afterFilter:\ngot  %s\nwant %s", got, want)
	}
	if got, want := quote(`say "hi" \ bye`), `"say \"hi\" \\ bye"`; got != want {
		t.Errorf("quote = %s, want %s", got, want)
	}
	got, err := selectorFilter(PairingSelector{EnterpriseID: 42, Keep: []string{"pairing-FINANCING-42-7", "pairing-INCUBATION-42-1"}})
	if want := `enterpriseId = 42 AND NOT id IN ["pairing-FINANCING-42-7", "pairing-INCUBATION-42-1"]`; err != nil || got != want {
		t.Errorf("selectorFilter = %s, %v; want %s", got, err, want)
	}
	got, err = selectorFilter(PairingSelector{Resource: &ResourceRef{Kind: catalog.IndustryChain, ID: 3}})
	if want := `kind = "INDUSTRY_CHAIN" AND resourceId = 3`; err != nil || got != want {
		t.Errorf("selectorFilter = %s, %v; want %s", got, err, want)
	}
	if _, err := selectorFilter(PairingSelector{Keep: []string{"x"}}); !errors.Is(err, ErrBadSelector) {
		t.Errorf("empty selector: %v", err)
	}
}

func TestMeiliPairingsRequest(t *testing.T) {
	f := newFakeMeili(t)
	m := openFakeMeili(t, f)
	f.onSearch = func(r recorded) any {
		return map[string]any{"results": []any{
			map[string]any{"indexUid": "pairings", "hits": []any{
				map[string]any{"id": "pairing-FINANCING-42-7", "kind": "FINANCING", "kindOrder": 0, "enterpriseId": 42, "resourceId": 7, "score": 73.45},
				map[string]any{"id": "pairing-INDUSTRY_CHAIN-43-2", "kind": "INDUSTRY_CHAIN", "kindOrder": 2, "enterpriseId": 43, "resourceId": 2, "score": 73.45},
				map[string]any{"id": "pairing-INCUBATION-9-1", "kind": "INCUBATION", "kindOrder": 1, "enterpriseId": 9, "resourceId": 1, "score": 60},
			}, "estimatedTotalHits": 3, "processingTimeMs": 1, "query": "碳化硅"},
			map[string]any{"indexUid": "pairings", "hits": []any{}, "totalHits": 1000, "page": 1, "hitsPerPage": 0,
				"facetDistribution": map[string]any{"kind": map[string]any{"FINANCING": 1500, "INDUSTRY_CHAIN": 700}},
				"processingTimeMs":  1, "query": "碳化硅"},
		}}
	}
	f.Requests()
	after := position{centi: 8000, kindOrder: 0, ent: 1, res: 2}
	page, err := m.Pairings(context.Background(), PairingQuery{
		Text:   " 碳化硅 ",
		Filter: PairingFilter{Tracks: []catalog.Track{catalog.NewMaterials}, EligibleOnly: true},
		First:  2, After: after.cursor(),
	})
	if err != nil {
		t.Fatal(err)
	}
	rs := requestsTo(f.Requests(), "POST", "/multi-search")
	if len(rs) != 1 {
		t.Fatalf("%d multi-search requests", len(rs))
	}
	queries := rs[0].JSON(t).(map[string]any)["queries"].([]any)
	if len(queries) != 2 {
		t.Fatalf("%d queries", len(queries))
	}
	pageQ, countQ := queries[0].(map[string]any), queries[1].(map[string]any)
	check := func(q map[string]any, key string, want string) {
		t.Helper()
		jsonEqual(t, key, q[key], want)
	}
	check(pageQ, "indexUid", `"pairings"`)
	check(pageQ, "q", `"碳化硅"`)
	check(pageQ, "filter", `"track = \"NEW_MATERIALS\" AND eligible = true AND `+
		`(score < 80 OR (score = 80 AND (kindOrder > 0 OR (kindOrder = 0 AND (enterpriseId > 1 OR (enterpriseId = 1 AND resourceId > 2))))))"`)
	check(pageQ, "sort", `["score:desc", "kindOrder:asc", "enterpriseId:asc", "resourceId:asc"]`)
	check(pageQ, "limit", `3`)
	check(pageQ, "matchingStrategy", `"all"`)
	check(pageQ, "locales", `["cmn"]`)
	check(countQ, "filter", `"track = \"NEW_MATERIALS\" AND eligible = true"`)
	check(countQ, "facets", `["kind"]`)
	check(countQ, "hitsPerPage", `0`)
	check(countQ, "page", `1`)

	if page.Total != 2200 || !page.HasNextPage || len(page.Hits) != 2 {
		t.Fatalf("page: total %d, next %v, hits %+v", page.Total, page.HasNextPage, page.Hits)
	}
	h := page.Hits[1]
	if h.ID != "pairing-INDUSTRY_CHAIN-43-2" || h.Kind != catalog.IndustryChain || h.EnterpriseID != 43 || h.ResourceID != 2 || h.Score != 73.45 {
		t.Errorf("hit %+v", h)
	}
	if p, err := decodeCursor(h.Cursor); err != nil || p != (position{centi: 7345, kindOrder: 2, ent: 43, res: 2}) {
		t.Errorf("cursor of %s = %v, %v", h.ID, p, err)
	}

	// No filter and no cursor: no filter at all.
	if _, err := m.Pairings(context.Background(), PairingQuery{First: 20}); err != nil {
		t.Fatal(err)
	}
	queries = requestsTo(f.Requests(), "POST", "/multi-search")[0].JSON(t).(map[string]any)["queries"].([]any)
	for _, q := range queries {
		if v, ok := q.(map[string]any)["filter"]; ok {
			t.Errorf("filter %v sent for an empty filter", v)
		}
	}
	if _, err := m.Pairings(context.Background(), PairingQuery{First: 20, After: "nope"}); !errors.Is(err, ErrBadCursor) {
		t.Errorf("bad cursor: %v", err)
	}
}

func TestMeiliDeletePairingsRequest(t *testing.T) {
	f := newFakeMeili(t)
	m := openFakeMeili(t, f)
	f.Requests()
	err := m.DeletePairings(context.Background(), PairingSelector{EnterpriseID: 42, Keep: []string{"pairing-FINANCING-42-7"}})
	if err != nil {
		t.Fatal(err)
	}
	rs := requestsTo(f.Requests(), "POST", "/indexes/pairings/documents/delete")
	if len(rs) != 1 {
		t.Fatalf("%d delete-by-filter requests", len(rs))
	}
	jsonEqual(t, "delete by filter", rs[0].JSON(t), `{"filter": "enterpriseId = 42 AND NOT id = \"pairing-FINANCING-42-7\""}`)

	// Several selectors are OR-ed into one task.
	err = m.DeletePairings(context.Background(),
		PairingSelector{EnterpriseID: 1},
		PairingSelector{Resource: &ResourceRef{Kind: catalog.Incubation, ID: 2}, Keep: []string{"pairing-INCUBATION-5-2"}})
	if err != nil {
		t.Fatal(err)
	}
	rs = requestsTo(f.Requests(), "POST", "/indexes/pairings/documents/delete")
	if len(rs) != 1 {
		t.Fatalf("%d delete-by-filter requests for two selectors", len(rs))
	}
	jsonEqual(t, "delete by filter", rs[0].JSON(t),
		`{"filter": "(enterpriseId = 1) OR (kind = \"INCUBATION\" AND resourceId = 2 AND NOT id = \"pairing-INCUBATION-5-2\")"}`)
	if err := m.DeletePairings(context.Background()); err != nil || len(f.Requests()) != 0 {
		t.Errorf("no selector: %v, or a request was sent", err)
	}
}

func TestMeiliSearchRequest(t *testing.T) {
	f := newFakeMeili(t)
	m := openFakeMeili(t, f)
	f.onSearch = func(r recorded) any {
		return map[string]any{
			"hits": []any{
				map[string]any{"id": "enterprise-5", "type": "enterprise", "entityId": 5, "_rankingScore": 0.93,
					"_federation": map[string]any{"indexUid": "enterprises", "queriesPosition": 0},
					"_formatted": map[string]any{
						"name":        "许昌芯动\uE000SiC\uE001\uE000功率器件\uE001有限公司",
						"keywords":    []any{"\uE000SiC功率器件\uE001", "IGBT"},
						"description": "…车规级<b>\uE000SiC功率器件\uE001设计…",
						"labels":      []any{"许昌"},
					}},
				map[string]any{"id": "demand-1", "type": "demand", "entityId": 1, "_rankingScore": 0.5,
					"_formatted": map[string]any{"name": "碳化硅衬底"}},
			},
			"estimatedTotalHits": 2, "processingTimeMs": 1,
		}
	}
	f.Requests()
	res, err := m.Search(context.Background(), Query{Text: "SiC功率器件", Types: []DocType{TypeEnterprise, TypeDemand}, First: 5})
	if err != nil {
		t.Fatal(err)
	}
	body := requestsTo(f.Requests(), "POST", "/multi-search")[0].JSON(t).(map[string]any)
	jsonEqual(t, "federation", body["federation"], `{"limit": 5}`)
	queries := body["queries"].([]any)
	if len(queries) != 2 {
		t.Fatalf("%d queries, want one per type", len(queries))
	}
	q := queries[1].(map[string]any)
	for key, want := range map[string]string{
		"indexUid": `"supply_chain_demands"`, "q": `"SiC功率器件"`, "locales": `["cmn"]`, "matchingStrategy": `"all"`,
		"attributesToHighlight": `["name", "keywords", "description", "labels"]`,
		"highlightPreTag":       `"\uE000"`, "highlightPostTag": `"\uE001"`, "showRankingScore": `true`,
	} {
		jsonEqual(t, key, q[key], want)
	}
	if len(res.Hits) != 2 || res.Total != 2 {
		t.Fatalf("hits %+v, total %d", res.Hits, res.Total)
	}
	h := res.Hits[0]
	if h.ID != "enterprise-5" || h.Type != TypeEnterprise || h.EntityID != 5 || h.Score != 0.93 {
		t.Errorf("hit %+v", h)
	}
	want := []string{"许昌芯动<em>SiC功率器件</em>有限公司", "<em>SiC功率器件</em>", "…车规级&lt;b&gt;<em>SiC功率器件</em>设计…"}
	if !slices.Equal(h.Highlights, want) {
		t.Errorf("highlights\ngot  %q\nwant %q", h.Highlights, want)
	}
	if len(res.Hits[1].Highlights) != 0 {
		t.Errorf("unmatched fields highlighted: %q", res.Hits[1].Highlights)
	}
}

func TestMeiliRebuildSwaps(t *testing.T) {
	f := newFakeMeili(t)
	m := openFakeMeili(t, f)
	f.failTask = func(r recorded) string {
		if r.Method == "DELETE" {
			return "index_not_found"
		}
		return ""
	}
	f.Requests()
	ctx := context.Background()
	r, err := m.Rebuild(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Rebuild(ctx); !errors.Is(err, ErrRebuilding) {
		t.Errorf("second rebuild: %v", err)
	}
	if err := r.Index(ctx, append(chineseCorpus(), docsOf(pairingCorpus()[:3])...)); err != nil {
		t.Fatal(err)
	}
	rs := f.Requests()
	if len(requestsTo(rs, "POST", "/indexes/enterprises/documents")) != 0 {
		t.Error("a rebuild wrote to the live index")
	}
	if len(requestsTo(rs, "POST", "/indexes/enterprises_next/documents")) != 1 ||
		len(requestsTo(rs, "POST", "/indexes/pairings_next/documents")) != 1 {
		t.Errorf("rebuild documents not sent to the _next indexes: %+v", rs)
	}
	settings := requestsTo(rs, "PATCH", "/indexes/pairings_next/settings")
	if len(settings) != 1 {
		t.Fatalf("pairings_next settings: %d requests", len(settings))
	}
	jsonEqual(t, "pairings_next settings", settings[0].JSON(t), wantPairingSettings)
	if err := r.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	rs = f.Requests()
	swaps := requestsTo(rs, "POST", "/swap-indexes")
	if len(swaps) != 1 {
		t.Fatalf("%d swap requests", len(swaps))
	}
	jsonEqual(t, "swap", swaps[0].JSON(t), `[
		{"indexes": ["enterprises", "enterprises_next"], "rename": false},
		{"indexes": ["financial_products", "financial_products_next"], "rename": false},
		{"indexes": ["incubators", "incubators_next"], "rename": false},
		{"indexes": ["supply_chain_demands", "supply_chain_demands_next"], "rename": false},
		{"indexes": ["pairings", "pairings_next"], "rename": false}]`)
	if n := len(requestsTo(rs, "DELETE", "/indexes/pairings_next")); n != 1 {
		t.Errorf("old pairings not dropped after the swap (%d deletes)", n)
	}

	// A failed swap is an error and leaves the live indexes alone.
	f.failTask = func(r recorded) string {
		switch {
		case r.Path == "/swap-indexes":
			return "index_not_found"
		case r.Method == "DELETE":
			return "index_not_found"
		}
		return ""
	}
	r, err = m.Rebuild(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Commit(ctx); !errors.Is(err, ErrTaskFailed) {
		t.Errorf("failed swap: %v, want ErrTaskFailed", err)
	}
	if _, err := m.Rebuild(ctx); err != nil {
		t.Errorf("rebuild after a failed one: %v", err)
	}
}

func TestMeiliPingAndStats(t *testing.T) {
	f := newFakeMeili(t)
	m := openFakeMeili(t, f)
	if err := m.Ping(context.Background()); err != nil {
		t.Errorf("Ping: %v", err)
	}
	st, err := m.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Engine != "meilisearch" || st.Documents[TypeEnterprise] != 3 || st.Documents[TypePairing] != 7 || st.Documents[TypeDemand] != 0 {
		t.Errorf("stats %+v", st)
	}
}
