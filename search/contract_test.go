package search

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/yurong/yurong/catalog"
)

// engineFactory opens a fresh, empty engine for one test.
type engineFactory func(t *testing.T) Engine

// runContract is the contract test suite of the port: every engine must
// pass it. It runs on the embedded engine always (bleve_test.go) and on
// Meilisearch when YURONG_MEILI_URL is set (meili_test.go).
func runContract(t *testing.T, open engineFactory) {
	t.Run("ChineseCompounds", func(t *testing.T) { testChineseCompounds(t, open(t)) })
	t.Run("MixedChineseLatin", func(t *testing.T) { testMixedChineseLatin(t, open(t)) })
	t.Run("ObviousDocumentFirst", func(t *testing.T) { testObviousFirst(t, open(t)) })
	t.Run("TypesAndHighlights", func(t *testing.T) { testTypesAndHighlights(t, open(t)) })
	t.Run("UpsertAndDelete", func(t *testing.T) { testUpsertDelete(t, open(t)) })
	t.Run("PairingFilters", func(t *testing.T) { testPairingFilters(t, open(t)) })
	t.Run("PairingCursorWalk", func(t *testing.T) { testPairingWalk(t, open(t)) })
	t.Run("PairingText", func(t *testing.T) { testPairingText(t, open(t)) })
	t.Run("PairingErrors", func(t *testing.T) { testPairingErrors(t, open(t)) })
	t.Run("DeletePairings", func(t *testing.T) { testDeletePairings(t, open(t)) })
	t.Run("Rebuild", func(t *testing.T) { testRebuild(t, open(t)) })
}

func mustIndex(t *testing.T, e Engine, docs ...Document) {
	t.Helper()
	if err := e.Index(context.Background(), docs); err != nil {
		t.Fatalf("Index: %v", err)
	}
}

func find(t *testing.T, e Engine, text string, types ...DocType) Result {
	t.Helper()
	res, err := e.Search(context.Background(), Query{Text: text, Types: types, First: 20})
	if err != nil {
		t.Fatalf("Search(%q): %v", text, err)
	}
	return res
}

func hitIDs(hs []Hit) []string {
	ids := make([]string, len(hs))
	for i, h := range hs {
		ids[i] = h.ID
	}
	return ids
}

func ent(id int64, name string, keywords []string, description string) *CatalogDoc {
	return EnterpriseDoc(&catalog.Enterprise{
		ID: id, Name: name, Keywords: keywords, Description: description,
		City: catalog.Zhengzhou, Track: catalog.NewMaterials, CreditCode: fmt.Sprintf("91410100MA%08dX", id),
	})
}

// chineseCorpus is a small catalogue with compounds that share characters.
func chineseCorpus() []Document {
	return []Document{
		ent(1, "郑州碳化硅功率器件有限公司", []string{"碳化硅功率器件", "SiC MOSFET"}, "专注第三代半导体碳化硅功率器件的研发与生产。"),
		ent(2, "洛阳光电科技有限公司", []string{"激光器", "光学模组"}, "主营大功率激光器件与光学模组，服务工业加工。"),
		ent(3, "鹤壁博峰汽车科技有限公司", []string{"整车控制器", "车规级SiC功率模块"}, "主要从事整车控制器的研发、生产与销售。"),
		ent(4, "新乡电源科技有限公司", []string{"开关电源", "电源管理"}, "从事开关电源设计，兼做功率器件封装测试。"),
		ent(5, "许昌芯动SiC功率器件有限公司", []string{"SiC功率器件", "IGBT"}, "车规级SiC功率器件设计。"),
		DemandDoc(&catalog.SupplyChainDemand{ID: 1, Title: "碳化硅衬底供应商征集", Keywords: []string{"碳化硅", "衬底"},
			Description: "面向全省征集碳化硅衬底配套供应商。", Kind: catalog.Supplier, IndustryChain: "新型材料",
			Track: catalog.NewMaterials, City: catalog.Luoyang, OwnerName: "中原材料"}),
		ProductDoc(&catalog.FinancialProduct{ID: 1, Name: "中原银行科技贷", Kind: catalog.Loan, Program: catalog.TechLoan,
			Description: "面向科技型中小企业发放贷款。"}, &catalog.Institution{ID: 1, Name: "中原银行"}),
		IncubatorDoc(&catalog.Incubator{ID: 1, Name: "郑州新材料众创空间", Kind: catalog.Makerspace, Level: catalog.ProvincialLevel,
			City: catalog.Zhengzhou, FocusTracks: []catalog.Track{catalog.NewMaterials}, Description: "重点孵化碳化硅等新材料企业。"}),
	}
}

func testChineseCompounds(t *testing.T, e Engine) {
	mustIndex(t, e, chineseCorpus()...)

	res := find(t, e, "功率器件")
	ids := hitIDs(res.Hits)
	for _, want := range []string{"enterprise-1", "enterprise-4", "enterprise-5"} {
		if !slices.Contains(ids, want) {
			t.Errorf("功率器件: %s not found in %v", want, ids)
		}
	}
	// "大功率激光器件" holds 功率 and 器件 but not 功率器件.
	if slices.Contains(ids, "enterprise-2") {
		t.Errorf("功率器件 matched 大功率激光器件: %v", ids)
	}
	if res.Total != len(res.Hits) {
		t.Errorf("total %d, %d hits", res.Total, len(res.Hits))
	}
	// A sub-word at the end of a compound, and a single character.
	if ids := hitIDs(find(t, e, "器件").Hits); !slices.Contains(ids, "enterprise-2") || !slices.Contains(ids, "enterprise-1") {
		t.Errorf("器件: %v", ids)
	}
	if ids := hitIDs(find(t, e, "衬底").Hits); len(ids) == 0 || ids[0] != "demand-1" {
		t.Errorf("衬底: %v, want demand-1 first", ids)
	}
	// A word that is in no document.
	if ids := hitIDs(find(t, e, "生物医药疫苗").Hits); len(ids) != 0 {
		t.Errorf("生物医药疫苗: %v, want nothing", ids)
	}
}

func testMixedChineseLatin(t *testing.T, e Engine) {
	mustIndex(t, e, chineseCorpus()...)

	ids := hitIDs(find(t, e, "SiC").Hits)
	for _, want := range []string{"enterprise-1", "enterprise-3", "enterprise-5"} {
		if !slices.Contains(ids, want) {
			t.Errorf("SiC: %s not found in %v", want, ids)
		}
	}
	if lower := hitIDs(find(t, e, "sic").Hits); !slices.Equal(sortedCopy(lower), sortedCopy(ids)) {
		t.Errorf("sic %v ≠ SiC %v", lower, ids)
	}
	ids = hitIDs(find(t, e, "SiC功率器件").Hits)
	if len(ids) == 0 || ids[0] != "enterprise-5" {
		t.Fatalf("SiC功率器件: %v, want enterprise-5 first", ids)
	}
	// 车规级SiC功率模块 has SiC and 功率 but not 器件.
	if slices.Contains(ids, "enterprise-3") {
		t.Errorf("SiC功率器件 matched SiC功率模块: %v", ids)
	}
	// Full-width Latin letters fold to half-width.
	if fw := hitIDs(find(t, e, "ＳｉＣ功率器件").Hits); len(fw) == 0 || fw[0] != "enterprise-5" {
		t.Errorf("ＳｉＣ功率器件: %v", fw)
	}
}

func sortedCopy(xs []string) []string {
	ys := slices.Clone(xs)
	slices.Sort(ys)
	return ys
}

func testObviousFirst(t *testing.T, e Engine) {
	mustIndex(t, e,
		ent(10, "河南智能装备有限公司", []string{"工业机器人", "数控机床"},
			"为装备制造企业提供产线改造服务，配套少量碳化硅材料检测业务，另有锂电池回收、光伏组件清洗等业务。"),
		ent(11, "河南碳化硅材料有限公司", []string{"碳化硅", "第三代半导体"}, "碳化硅衬底与外延片的研发与生产。"),
		ent(12, "平顶山耐材有限公司", []string{"耐火材料"}, "耐火材料生产，原料含碳化硅。"),
	)
	ids := hitIDs(find(t, e, "碳化硅").Hits)
	if len(ids) != 3 || ids[0] != "enterprise-11" {
		t.Fatalf("碳化硅: %v, want enterprise-11 first of 3", ids)
	}
	byCode := hitIDs(find(t, e, ent(12, "", nil, "").CreditCode).Hits)
	if len(byCode) == 0 || byCode[0] != "enterprise-12" {
		t.Errorf("credit code: %v, want enterprise-12 first", byCode)
	}
}

func testTypesAndHighlights(t *testing.T, e Engine) {
	mustIndex(t, e, chineseCorpus()...)

	res := find(t, e, "碳化硅", TypeDemand, TypeIncubator)
	got := sortedCopy(hitIDs(res.Hits))
	if !slices.Equal(got, []string{"demand-1", "incubator-1"}) {
		t.Errorf("碳化硅 in demands and incubators: %v", got)
	}
	for _, h := range res.Hits {
		if _, id, _ := ParseDocID(h.ID); id != h.EntityID || !strings.HasPrefix(h.ID, string(h.Type)+"-") {
			t.Errorf("hit %+v: type or entity id do not match the id", h)
		}
	}

	res = find(t, e, "功率器件", TypeEnterprise)
	i := slices.IndexFunc(res.Hits, func(h Hit) bool { return h.ID == "enterprise-1" })
	if i < 0 {
		t.Fatalf("enterprise-1 not found: %v", hitIDs(res.Hits))
	}
	hl := strings.Join(res.Hits[i].Highlights, " | ")
	if !strings.Contains(hl, "<em>功率器件</em>") {
		t.Errorf("highlights %q lack <em>功率器件</em>", hl)
	}
	if strings.Contains(hl, "<em>功率</em><em>") {
		t.Errorf("highlights %q split one match", hl)
	}
	for _, h := range res.Hits {
		if len(h.Highlights) == 0 {
			t.Errorf("%s has no highlights", h.ID)
		}
	}
	if _, err := e.Search(context.Background(), Query{Text: "碳化硅", First: MaxFirst + 1}); !errors.Is(err, ErrPageSize) {
		t.Errorf("first %d: %v, want ErrPageSize", MaxFirst+1, err)
	}
	if res := find(t, e, "   "); len(res.Hits) != 0 {
		t.Errorf("blank query: %v", hitIDs(res.Hits))
	}
}

func testUpsertDelete(t *testing.T, e Engine) {
	ctx := context.Background()
	mustIndex(t, e, chineseCorpus()...)
	// The same ids again, one renamed: replaced, not duplicated.
	docs := chineseCorpus()
	docs[0].(*CatalogDoc).Name = "郑州第三代半导体有限公司"
	docs[0].(*CatalogDoc).Keywords = []string{"氮化镓"}
	docs[0].(*CatalogDoc).Description = "氮化镓外延。"
	mustIndex(t, e, docs...)
	st, err := e.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[DocType]int{TypeEnterprise: 5, TypeDemand: 1, TypeProduct: 1, TypeIncubator: 1, TypePairing: 0}
	for typ, n := range want {
		if st.Documents[typ] != n {
			t.Errorf("stats %v, want %v", st.Documents, want)
			break
		}
	}
	if ids := hitIDs(find(t, e, "氮化镓").Hits); !slices.Equal(ids, []string{"enterprise-1"}) {
		t.Errorf("after update 氮化镓: %v", ids)
	}
	if ids := hitIDs(find(t, e, "碳化硅功率器件").Hits); slices.Contains(ids, "enterprise-1") {
		t.Errorf("old text still found: %v", ids)
	}
	if err := e.Delete(ctx, []string{"enterprise-1", "demand-1", "enterprise-999"}); err != nil {
		t.Fatal(err)
	}
	if ids := hitIDs(find(t, e, "氮化镓").Hits); len(ids) != 0 {
		t.Errorf("deleted document found: %v", ids)
	}
	if ids := hitIDs(find(t, e, "衬底").Hits); slices.Contains(ids, "demand-1") {
		t.Errorf("deleted demand found: %v", ids)
	}
	if err := e.Ping(ctx); err != nil {
		t.Errorf("Ping: %v", err)
	}
	bad := ent(1, "x", nil, "")
	bad.ID = "enterprise 1"
	if err := e.Index(ctx, []Document{bad}); !errors.Is(err, ErrBadDocument) {
		t.Errorf("id with a space: %v, want ErrBadDocument", err)
	}
}

var resourceNames = []string{"甲", "乙", "丙"}

// pairingCorpus is a set of pairings covering every filter, with ties.
func pairingCorpus() []*PairingDoc {
	tracks := []catalog.Track{catalog.NewMaterials, catalog.Biomedicine, catalog.NextGenIT}
	cities := []catalog.City{catalog.Zhengzhou, catalog.Luoyang, catalog.Xinxiang, catalog.Nanyang}
	scores := []float64{95, 80.5, 80.5, 72.25, 60, 59.99, 60.01, 45, 30, 0, 100, 80.5}
	var out []*PairingDoc
	n := 0
	for ent := int64(1); ent <= 12; ent++ {
		for k, kind := range catalog.PairingKinds {
			for res := int64(1); res <= 3; res++ {
				n++
				name := fmt.Sprintf("企业%d号科技有限公司", ent)
				if ent%4 == 0 {
					name = fmt.Sprintf("碳化硅%d号半导体有限公司", ent)
				}
				out = append(out, &PairingDoc{
					ID:   PairingDocID(kind, ent, res),
					Kind: kind, EnterpriseID: ent, ResourceID: res,
					Score:        scores[(int(ent)+k+int(res))%len(scores)],
					Eligible:     (int(ent)+int(res))%3 != 0,
					GreenChannel: ent%5 == 0,
					Track:        tracks[ent%int64(len(tracks))],
					City:         cities[ent%int64(len(cities))],

					EnterpriseName:     name,
					EnterpriseKeywords: []string{"新材料"},
					ResourceName:       "资源" + resourceNames[res-1],
					ResourceLabels:     []string{string(kind)},
				})
			}
		}
	}
	return out
}

func docsOf(ps []*PairingDoc) []Document {
	out := make([]Document, len(ps))
	for i, p := range ps {
		out[i] = p
	}
	return out
}

// expected is the reference implementation of a filter and the order.
func expected(ps []*PairingDoc, f PairingFilter) []string {
	var keep []*PairingDoc
	for _, p := range ps {
		if len(f.Kinds) > 0 && !slices.Contains(f.Kinds, p.Kind) ||
			f.EnterpriseID != 0 && p.EnterpriseID != f.EnterpriseID ||
			f.Resource != nil && (p.Kind != f.Resource.Kind || p.ResourceID != f.Resource.ID) ||
			len(f.Tracks) > 0 && !slices.Contains(f.Tracks, p.Track) ||
			len(f.Cities) > 0 && !slices.Contains(f.Cities, p.City) ||
			f.MinScore != nil && p.Score < *f.MinScore ||
			f.EligibleOnly && !p.Eligible ||
			f.GreenChannelOnly && !p.GreenChannel {
			continue
		}
		keep = append(keep, p)
	}
	slices.SortFunc(keep, func(a, b *PairingDoc) int {
		return cmp.Or(
			cmp.Compare(b.Score, a.Score),
			cmp.Compare(a.Kind.Order(), b.Kind.Order()),
			cmp.Compare(a.EnterpriseID, b.EnterpriseID),
			cmp.Compare(a.ResourceID, b.ResourceID))
	})
	ids := make([]string, len(keep))
	for i, p := range keep {
		ids[i] = p.ID
	}
	return ids
}

// walk pages through the pairings, checking every page's total and
// cursors, and returns the ids in order.
func walk(t *testing.T, e Engine, text string, f PairingFilter, size int) []string {
	t.Helper()
	var ids []string
	after := ""
	total := -1
	for pages := 0; ; pages++ {
		if pages > 1000 {
			t.Fatal("the walk does not end")
		}
		page, err := e.Pairings(context.Background(), PairingQuery{Text: text, Filter: f, First: size, After: after})
		if err != nil {
			t.Fatalf("Pairings(%+v, after %q): %v", f, after, err)
		}
		if total >= 0 && page.Total != total {
			t.Errorf("total changed between pages: %d then %d", total, page.Total)
		}
		total = page.Total
		for _, h := range page.Hits {
			ids = append(ids, h.ID)
			if h.ID != PairingDocID(h.Kind, h.EnterpriseID, h.ResourceID) {
				t.Errorf("hit %+v: fields do not match the id", h)
			}
		}
		if !page.HasNextPage {
			if len(page.Hits) > size {
				t.Errorf("page of %d hits, asked %d", len(page.Hits), size)
			}
			break
		}
		if len(page.Hits) != size {
			t.Fatalf("a page with a next page has %d hits, want %d", len(page.Hits), size)
		}
		after = page.Hits[len(page.Hits)-1].Cursor
	}
	if total != len(ids) {
		t.Errorf("filter %+v: total %d, walked %d", f, total, len(ids))
	}
	return ids
}

func ptr[T any](v T) *T { return &v }

func testPairingFilters(t *testing.T, e Engine) {
	ps := pairingCorpus()
	mustIndex(t, e, docsOf(ps)...)
	filters := map[string]PairingFilter{
		"none":            {},
		"kinds":           {Kinds: []catalog.PairingKind{catalog.Financing, catalog.IndustryChain}},
		"enterprise":      {EnterpriseID: 7},
		"resource":        {Resource: &ResourceRef{Kind: catalog.Incubation, ID: 2}},
		"tracks":          {Tracks: []catalog.Track{catalog.Biomedicine}},
		"cities":          {Cities: []catalog.City{catalog.Luoyang, catalog.Nanyang}},
		"minScore60":      {MinScore: ptr(60.0)},
		"minScore60.01":   {MinScore: ptr(60.01)},
		"minScore59.995":  {MinScore: ptr(59.995)},
		"minScore0":       {MinScore: ptr(0.0)},
		"minScore100":     {MinScore: ptr(100.0)},
		"eligible":        {EligibleOnly: true},
		"green":           {GreenChannelOnly: true},
		"nothing matches": {EnterpriseID: 999},
		"all": {Kinds: []catalog.PairingKind{catalog.Financing, catalog.Incubation}, Tracks: []catalog.Track{catalog.NewMaterials, catalog.Biomedicine},
			Cities: []catalog.City{catalog.Zhengzhou, catalog.Luoyang, catalog.Xinxiang}, MinScore: ptr(45.0), EligibleOnly: true},
		"resource and enterprise": {EnterpriseID: 5, Resource: &ResourceRef{Kind: catalog.Financing, ID: 3}},
	}
	for name, f := range filters {
		t.Run(name, func(t *testing.T) {
			want := expected(ps, f)
			got := walk(t, e, "", f, 7)
			if !slices.Equal(got, want) {
				t.Errorf("got  %v\nwant %v", got, want)
			}
		})
	}
	// The boundary: exactly 60 is in at minScore 60, 59.99 is out.
	var at60, below bool
	for _, id := range walk(t, e, "", PairingFilter{MinScore: ptr(60.0)}, 100) {
		for _, p := range ps {
			if p.ID == id {
				at60 = at60 || p.Score == 60
				below = below || p.Score < 60
			}
		}
	}
	if !at60 || below {
		t.Errorf("minScore 60: a score of 60 included %v, one below included %v", at60, below)
	}
	// Scores are reported as indexed.
	page, err := e.Pairings(context.Background(), PairingQuery{First: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Hits) != 1 || page.Hits[0].Score != 100 || page.Total != len(ps) {
		t.Errorf("first pairing %+v, total %d", page.Hits, page.Total)
	}
	// first 0 counts without hits.
	page, err = e.Pairings(context.Background(), PairingQuery{First: 0, Filter: PairingFilter{EnterpriseID: 7}})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Hits) != 0 || page.Total != 9 || !page.HasNextPage {
		t.Errorf("first 0: %d hits, total %d, next %v", len(page.Hits), page.Total, page.HasNextPage)
	}
}

func testPairingWalk(t *testing.T, e Engine) {
	ps := pairingCorpus()
	mustIndex(t, e, docsOf(ps)...)
	want := expected(ps, PairingFilter{})
	for _, size := range []int{1, 5, 36, 100} {
		got := walk(t, e, "", PairingFilter{}, size)
		if !slices.Equal(got, want) {
			t.Errorf("page size %d:\ngot  %v\nwant %v", size, got, want)
		}
		seen := map[string]bool{}
		for _, id := range got {
			if seen[id] {
				t.Errorf("page size %d: %s twice", size, id)
			}
			seen[id] = true
		}
	}
	// A cursor stays valid when the pairing it points at is gone.
	page, err := e.Pairings(context.Background(), PairingQuery{First: 10})
	if err != nil {
		t.Fatal(err)
	}
	last := page.Hits[9]
	if err := e.Delete(context.Background(), []string{last.ID}); err != nil {
		t.Fatal(err)
	}
	next, err := e.Pairings(context.Background(), PairingQuery{First: 5, After: last.Cursor})
	if err != nil {
		t.Fatal(err)
	}
	if len(next.Hits) == 0 || next.Hits[0].ID != want[10] {
		t.Errorf("after a deleted cursor: %v, want %s first", next.Hits, want[10])
	}
}

func testPairingText(t *testing.T, e Engine) {
	ps := pairingCorpus()
	mustIndex(t, e, docsOf(ps)...)
	got := walk(t, e, "碳化硅", PairingFilter{}, 10)
	var want []string
	for _, id := range expected(ps, PairingFilter{}) {
		if _, ent, _, _ := parsePairingID(id); ent%4 == 0 {
			want = append(want, id)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("碳化硅:\ngot  %v\nwant %v", got, want)
	}
	// Text and filters together; a resource's name.
	got = walk(t, e, "资源乙", PairingFilter{Kinds: []catalog.PairingKind{catalog.Incubation}}, 10)
	want = expected(ps, PairingFilter{Resource: &ResourceRef{Kind: catalog.Incubation, ID: 2}})
	if !slices.Equal(got, want) {
		t.Errorf("资源乙 incubation:\ngot  %v\nwant %v", got, want)
	}
}

func testPairingErrors(t *testing.T, e Engine) {
	ctx := context.Background()
	mustIndex(t, e, docsOf(pairingCorpus())...)
	for _, c := range []string{"x", "!!!", "cDE6MTAwMDA6MDox", position{centi: 5000}.cursor()[:6]} {
		if _, err := e.Pairings(ctx, PairingQuery{First: 5, After: c}); !errors.Is(err, ErrBadCursor) {
			t.Errorf("cursor %q: %v, want ErrBadCursor", c, err)
		}
	}
	for _, n := range []int{-1, MaxFirst + 1} {
		if _, err := e.Pairings(ctx, PairingQuery{First: n}); !errors.Is(err, ErrPageSize) {
			t.Errorf("first %d: %v, want ErrPageSize", n, err)
		}
	}
	if _, err := e.Pairings(ctx, PairingQuery{First: MaxFirst}); err != nil {
		t.Errorf("first %d: %v", MaxFirst, err)
	}
	if err := e.DeletePairings(ctx, PairingSelector{}); !errors.Is(err, ErrBadSelector) {
		t.Errorf("empty selector: %v, want ErrBadSelector", err)
	}
}

func testDeletePairings(t *testing.T, e Engine) {
	ctx := context.Background()
	ps := pairingCorpus()
	mustIndex(t, e, docsOf(ps)...)
	keep := PairingDocID(catalog.Incubation, 3, 2)
	if err := e.DeletePairings(ctx, PairingSelector{EnterpriseID: 3, Keep: []string{keep}}); err != nil {
		t.Fatal(err)
	}
	if got := walk(t, e, "", PairingFilter{EnterpriseID: 3}, 20); !slices.Equal(got, []string{keep}) {
		t.Errorf("enterprise 3 after delete: %v, want only %s", got, keep)
	}
	if err := e.DeletePairings(ctx, PairingSelector{Resource: &ResourceRef{Kind: catalog.Financing, ID: 1}},
		PairingSelector{EnterpriseID: 999}); err != nil {
		t.Fatal(err)
	}
	if got := walk(t, e, "", PairingFilter{Resource: &ResourceRef{Kind: catalog.Financing, ID: 1}}, 20); len(got) != 0 {
		t.Errorf("resource FINANCING-1 after delete: %v", got)
	}
	// Other resources with id 1 are untouched.
	if got := walk(t, e, "", PairingFilter{Resource: &ResourceRef{Kind: catalog.Incubation, ID: 1}}, 20); len(got) != 11 {
		t.Errorf("resource INCUBATION-1: %d pairings, want 11", len(got))
	}
	st, err := e.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := len(ps) - 8 - 11; st.Documents[TypePairing] != want {
		t.Errorf("%d pairings left, want %d", st.Documents[TypePairing], want)
	}
}

func testRebuild(t *testing.T, e Engine) {
	ctx := context.Background()
	mustIndex(t, e, chineseCorpus()...)
	ps := pairingCorpus()
	mustIndex(t, e, docsOf(ps[:10])...)

	r, err := e.Rebuild(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Index(ctx, []Document{ent(20, "开封氢能装备有限公司", []string{"氢燃料电池"}, "加氢站设备。")}); err != nil {
		t.Fatal(err)
	}
	if err := r.Index(ctx, docsOf(ps[10:15])); err != nil {
		t.Fatal(err)
	}
	// Until the commit, readers see the old index.
	if ids := hitIDs(find(t, e, "氢燃料电池").Hits); len(ids) != 0 {
		t.Errorf("rebuild visible before commit: %v", ids)
	}
	if ids := hitIDs(find(t, e, "碳化硅").Hits); len(ids) == 0 {
		t.Error("old index not visible during rebuild")
	}
	// Writes to the live index during a rebuild go to the live index.
	mustIndex(t, e, ent(21, "周口农机有限公司", nil, "农机。"))
	if err := r.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if ids := hitIDs(find(t, e, "氢燃料电池").Hits); !slices.Equal(ids, []string{"enterprise-20"}) {
		t.Errorf("after commit 氢燃料电池: %v", ids)
	}
	if ids := hitIDs(find(t, e, "碳化硅").Hits); len(ids) != 0 {
		t.Errorf("old documents after commit: %v", ids)
	}
	st, err := e.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Documents[TypePairing] != 5 || st.Documents[TypeEnterprise] != 1 {
		t.Errorf("stats after commit: %v", st.Documents)
	}
	if err := r.Commit(ctx); err == nil {
		t.Error("a second commit succeeded")
	}

	// An aborted rebuild changes nothing.
	r, err = e.Rebuild(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Index(ctx, []Document{ent(22, "商丘冷链有限公司", nil, "冷链物流。")}); err != nil {
		t.Fatal(err)
	}
	if err := r.Abort(ctx); err != nil {
		t.Fatal(err)
	}
	if ids := hitIDs(find(t, e, "冷链").Hits); len(ids) != 0 {
		t.Errorf("aborted rebuild visible: %v", ids)
	}
	if ids := hitIDs(find(t, e, "氢燃料电池").Hits); len(ids) != 1 {
		t.Errorf("after abort 氢燃料电池: %v", ids)
	}
}
