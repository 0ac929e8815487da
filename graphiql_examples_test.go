package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"

	"github.com/yurong/yurong/auth"
	"github.com/yurong/yurong/graph"
	"github.com/yurong/yurong/graph/relay"
	"github.com/yurong/yurong/graphiql"
	"github.com/yurong/yurong/resolvers"
)

// TestGraphiQLExamplesRunOnTheDemo: every tab GraphiQL opens with is valid
// against the schema and returns data on the demo, with the tokens its
// comments say it needs; the page shows the first early-small-hard
// enterprise.
func TestGraphiQLExamplesRunOnTheDemo(t *testing.T) {
	srv, a := testServer(t, 200)
	<-a.indexReady // the track tab reads the pairings index

	listed := a.engine.EarlySmallHardList()
	if len(listed) == 0 {
		t.Fatal("the demo has no early-small-hard enterprise to show")
	}
	enterprise := relay.IntID("Enterprise", listed[0])
	t.Run("the page shows the first early-small-hard enterprise", func(t *testing.T) {
		res, err := http.Get(srv.URL + "/")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		if !strings.Contains(string(body), enterprise) {
			t.Errorf("the page does not hold %s", enterprise)
		}
	})

	tokens := map[auth.Role]string{auth.Administrator: testToken}
	for _, acc := range a.demoAccounts {
		tokens[acc.role] = acc.token
	}
	schema := graph.NewExecutableSchema(graph.Config{Resolvers: &resolvers.Resolver{}}).Schema()
	examples := graphiql.Examples(enterprise)
	// What each tab must return: a check of its data, and the roles it is
	// run as ("" for no token).
	want := map[string]struct {
		roles []auth.Role
		check func(t *testing.T, data []byte)
	}{
		"早小硬企业名单": {[]auth.Role{""}, func(t *testing.T, data []byte) {
			var d struct {
				EarlySmallHardEnterprises struct {
					Edges []struct {
						Node struct{ InnovationScore struct{ Total int } }
					}
				}
			}
			decode(t, data, &d)
			if len(d.EarlySmallHardEnterprises.Edges) == 0 || d.EarlySmallHardEnterprises.Edges[0].Node.InnovationScore.Total == 0 {
				t.Errorf("no early-small-hard enterprise with a score: %s", data)
			}
		}},
		"企业匹配与理由": {[]auth.Role{""}, func(t *testing.T, data []byte) {
			var d struct {
				Node struct {
					Matches []struct {
						Reasons  []struct{ Message string }
						Resource struct {
							Typename string `json:"__typename"`
						}
					}
				}
			}
			decode(t, data, &d)
			if len(d.Node.Matches) == 0 || len(d.Node.Matches[0].Reasons) == 0 || d.Node.Matches[0].Resource.Typename == "" {
				t.Errorf("no match with reasons and a resource: %s", data)
			}
		}},
		"赛道配对": {[]auth.Role{""}, func(t *testing.T, data []byte) {
			var d struct {
				Pairings struct {
					Edges []struct {
						Node struct{ Enterprise struct{ Track string } }
					}
				}
			}
			decode(t, data, &d)
			if len(d.Pairings.Edges) == 0 {
				t.Errorf("no pairing on the track: %s", data)
			}
			for _, e := range d.Pairings.Edges {
				if e.Node.Enterprise.Track != "NEXT_GEN_IT" {
					t.Errorf("a pairing of an enterprise on %s", e.Node.Enterprise.Track)
				}
			}
		}},
		"一企一策": {[]auth.Role{auth.Administrator, auth.ExpertRole}, func(t *testing.T, data []byte) {
			var d struct {
				FinancingPlan struct {
					Enterprise struct{ Name string }
					Summary    string
				}
			}
			decode(t, data, &d)
			if d.FinancingPlan.Enterprise.Name == "" || d.FinancingPlan.Summary == "" {
				t.Errorf("no plan: %s", data)
			}
		}},
	}
	if len(examples) != len(want) {
		t.Fatalf("%d examples, want %d", len(examples), len(want))
	}
	for _, ex := range examples {
		w, ok := want[ex.Title]
		if !ok {
			t.Errorf("an example this test does not know: %s", ex.Title)
			continue
		}
		t.Run(ex.Title+" is valid against the schema", func(t *testing.T) {
			if _, errs := gqlparser.LoadQuery(schema, ex.Query); errs != nil {
				t.Fatal(errs)
			}
		})
		var vars map[string]any
		if ex.Variables != "" {
			decode(t, []byte(ex.Variables), &vars)
		}
		for _, role := range w.roles {
			as := string(role)
			if role == "" {
				as = "an anonymous caller"
			}
			t.Run(ex.Title+" returns data to "+as, func(t *testing.T) {
				token, ok := tokens[role]
				if role != "" && !ok {
					t.Fatalf("the demo has no %s account", role)
				}
				r := post(t, srv, token, ex.Query, vars)
				if len(r.Errors) > 0 {
					t.Fatalf("errors: %+v", r.Errors)
				}
				data, _ := json.Marshal(r.Data)
				w.check(t, data)
			})
		}
	}

	t.Run("the plan needs the token its comment says", func(t *testing.T) {
		plan := examples[len(examples)-1]
		if r := post(t, srv, "", plan.Query, map[string]any{"enterpriseId": enterprise}); len(r.Errors) == 0 {
			t.Error("an anonymous caller read a financing plan")
		}
		// An enterprise account reads its own, found through viewer.
		r := post(t, srv, tokens[auth.EnterpriseRole], `{ viewer { organization { id } } }`, nil)
		var v struct {
			Viewer struct{ Organization struct{ ID string } }
		}
		decode(t, r.Data["viewer"], &v.Viewer)
		if v.Viewer.Organization.ID == "" {
			t.Fatalf("the enterprise account has no organization: %+v", r.Errors)
		}
		if r := post(t, srv, tokens[auth.EnterpriseRole], plan.Query, map[string]any{"enterpriseId": v.Viewer.Organization.ID}); len(r.Errors) > 0 {
			t.Errorf("the enterprise account cannot read its own plan: %+v", r.Errors)
		}
	})

	t.Run("the first tab points at what the server prints", func(t *testing.T) {
		var out bytes.Buffer
		printDemoAccounts(&out, a.demoAccounts, "")
		for _, s := range []string{"Demo accounts", `{"Authorization": "Bearer `, "Headers", "YURONG_ADMIN_TOKEN"} {
			if !strings.Contains(out.String(), s) {
				t.Errorf("the demo accounts' lines no longer hold %q", s)
			}
			if !strings.Contains(examples[0].Query, s) {
				t.Errorf("the first tab does not mention %q", s)
			}
		}
	})
}

func decode(t *testing.T, data []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("decode %s: %v", data, err)
	}
}
