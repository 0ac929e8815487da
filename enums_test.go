package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/graph"
	"github.com/yurong/yurong/resolvers"
)

// TestEnumValuesAreExact: an enum value in a variable is the schema's to
// the letter, on every path — an input, a filter, a list, a nested input —
// or the request is refused before anything runs and nothing is written.
func TestEnumValuesAreExact(t *testing.T) {
	srv, a := testServer(t, 0)
	code := "91410100MA44FFFF1" + checkChar(t, "91410100MA44FFFF1")
	lower := enterpriseInput("郑州小写科技有限公司", code)
	lower["city"], lower["track"] = "zhengzhou", "next_gen_it"

	tests := []struct {
		name, token, query string
		vars               map[string]any
	}{
		{"a lowercase city and track in an input", testToken, createEnterprise, map[string]any{"input": lower}},
		{"a lowercase value in a nested list", testToken, createEnterprise, map[string]any{"input": func() map[string]any {
			in := enterpriseInput("郑州嵌套科技有限公司", code)
			in["qualifications"] = []string{"TECH_SME", "high_tech"}
			return in
		}()}},
		{"a lowercase value in a filter", "", `query($c: [City!]) { enterprises(filter: {cities: $c}) { totalCount } }`,
			map[string]any{"c": []string{"zhengzhou"}}},
		{"a lowercase value standing for a list of one", "", `query($c: [City!]) { enterprises(filter: {cities: $c}) { totalCount } }`,
			map[string]any{"c": "Zhengzhou"}},
		{"a lowercase argument", "", `query($k: PairingKind) { pairings(filter: {kinds: [$k]}) { totalCount } }`,
			map[string]any{"k": "financing"}},
	}
	before := a.market.Counts()["enterprise"]
	for _, tt := range tests {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			r := post(t, srv, tt.token, tt.query, tt.vars)
			if r.status != http.StatusOK || r.code() != "GRAPHQL_VALIDATION_FAILED" || len(r.Data) > 0 && string(r.Data["createEnterprise"]) != "" {
				t.Fatalf("status %d, code %q, data %v, errors %+v", r.status, r.code(), r.Data, r.Errors)
			}
		})
	}
	if after := a.market.Counts()["enterprise"]; after != before {
		t.Fatalf("%d enterprises written by refused requests", after-before)
	}
	t.Run("the schema's own values pass", func(t *testing.T) {
		var p payload
		post(t, srv, testToken, createEnterprise, map[string]any{"input": enterpriseInput("郑州大写科技有限公司", code)}).decode(t, "createEnterprise", &p)
		if p.Enterprise == nil {
			t.Fatalf("userErrors %+v", p.UserErrors)
		}
		var c struct{ TotalCount int }
		post(t, srv, "", `query($c: [City!]) { enterprises(filter: {cities: $c}) { totalCount } }`, map[string]any{"c": []string{"ZHENGZHOU"}}).
			decode(t, "enterprises", &c)
		if c.TotalCount != 1 {
			t.Fatalf("ZHENGZHOU filter: %d enterprises, want 1", c.TotalCount)
		}
	})
}

// TestCatalogEnumsAreTheSchemas: the store's check of an enumeration
// (catalog's Valid) accepts exactly the schema's values.
func TestCatalogEnumsAreTheSchemas(t *testing.T) {
	schema := graph.NewExecutableSchema(graph.Config{Resolvers: &resolvers.Resolver{}}).Schema()
	valid := map[string]func(string) bool{
		"City": func(s string) bool { return catalog.City(s).Valid() }, "Track": func(s string) bool { return catalog.Track(s).Valid() },
		"Qualification": func(s string) bool { return catalog.Qualification(s).Valid() }, "CreditStatus": func(s string) bool { return catalog.CreditStatus(s).Valid() },
		"GrowthStage": func(s string) bool { return catalog.GrowthStage(s).Valid() }, "CompetitionGroup": func(s string) bool { return catalog.CompetitionGroup(s).Valid() },
		"CompetitionStage": func(s string) bool { return catalog.CompetitionStage(s).Valid() }, "Award": func(s string) bool { return catalog.Award(s).Valid() },
		"InstitutionKind": func(s string) bool { return catalog.InstitutionKind(s).Valid() }, "ProductKind": func(s string) bool { return catalog.ProductKind(s).Valid() },
		"Program": func(s string) bool { return catalog.Program(s).Valid() }, "Coverage": func(s string) bool { return catalog.Coverage(s).Valid() },
		"IncubatorKind": func(s string) bool { return catalog.IncubatorKind(s).Valid() }, "CarrierLevel": func(s string) bool { return catalog.CarrierLevel(s).Valid() },
		"DemandKind": func(s string) bool { return catalog.DemandKind(s).Valid() }, "PairingKind": func(s string) bool { return catalog.PairingKind(s).Valid() },
		"ScoreGrade": func(s string) bool { return catalog.ScoreGrade(s).Valid() },
	}
	for name, ok := range valid {
		def := schema.Types[name]
		if def == nil {
			t.Errorf("%s is not in the schema", name)
			continue
		}
		for _, v := range def.EnumValues {
			if !ok(v.Name) {
				t.Errorf("%s.%s is refused by the catalog", name, v.Name)
			}
			if ok(strings.ToLower(v.Name)) {
				t.Errorf("%s accepts %q", name, strings.ToLower(v.Name))
			}
		}
	}
}
