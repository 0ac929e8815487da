package graphiql

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func TestThePageLoadsOnlyEmbeddedAssets(t *testing.T) {
	page, files := Handler("Yurong", "/graphql", nil)
	mux := http.NewServeMux()
	mux.Handle("/", page)
	mux.Handle(AssetPrefix, files)
	srv := httptest.NewServer(mux)
	defer srv.Close()

	body := html.UnescapeString(get(t, srv.URL+"/"))
	if strings.Contains(body, "cdn.jsdelivr.net") || strings.Contains(body, "https://") {
		t.Error("the page still loads something from the internet")
	}
	for _, name := range []string{"graphiql.min.js", "graphiql.min.css", "react.production.min.js", "react-dom.production.min.js"} {
		t.Run(name+" is served with its integrity hash in the page", func(t *testing.T) {
			if !strings.Contains(body, AssetPrefix+name) {
				t.Fatalf("the page does not reference %s", name)
			}
			asset := get(t, srv.URL+AssetPrefix+name)
			sum := sha256.Sum256([]byte(asset))
			if sri := "sha256-" + base64.StdEncoding.EncodeToString(sum[:]); !strings.Contains(body, sri) {
				t.Errorf("the page lacks the integrity %s of %s", sri, name)
			}
		})
	}
}

func TestThePageOpensWithTheExampleTabs(t *testing.T) {
	showcase := "RW50ZXJwcmlzZTo0Mg"
	page, _ := Handler("Yurong", "/graphql", func() string { return showcase })
	srv := httptest.NewServer(page)
	defer srv.Close()

	tabs := pageTabs(t, get(t, srv.URL+"/"))
	want := []struct{ title, operation string }{
		{"早小硬企业名单", "EarlySmallHardList"},
		{"企业匹配与理由", "EnterpriseMatches"},
		{"赛道配对", "TrackPairings"},
		{"一企一策", "FinancingPlan"},
	}
	if len(tabs) != len(want) {
		t.Fatalf("the page opens with %d tabs, want %d", len(tabs), len(want))
	}
	for i, w := range want {
		t.Run(w.title+" is a named tab", func(t *testing.T) {
			q := tabs[i].Query
			if first, _, _ := strings.Cut(q, "\n"); first != "# "+w.title {
				t.Errorf("the query opens with %q, want its Chinese name as a comment", first)
			}
			if got := graphiqlTabTitle(q); got != w.operation {
				t.Errorf("GraphiQL would title the tab %q, want %q", got, w.operation)
			}
		})
	}
	t.Run("the tabs about one enterprise show the showcase", func(t *testing.T) {
		for _, i := range []int{1, 3} {
			if got := tabs[i].variables(t)["enterpriseId"]; got != showcase {
				t.Errorf("tab %d: enterpriseId %v, want %s", i+1, got, showcase)
			}
		}
	})
	t.Run("the showcase is read at each page load", func(t *testing.T) {
		showcase = "RW50ZXJwcmlzZTo5"
		tabs := pageTabs(t, get(t, srv.URL+"/"))
		if got := tabs[3].variables(t)["enterpriseId"]; got != showcase {
			t.Errorf("enterpriseId %v after the showcase changed, want %s", got, showcase)
		}
	})
	t.Run("the track tab names its track", func(t *testing.T) {
		if got := tabs[2].variables(t)["track"]; got != "NEXT_GEN_IT" {
			t.Errorf("track %v", got)
		}
	})
	t.Run("the first tab says where the demo tokens are", func(t *testing.T) {
		for _, s := range []string{"Demo accounts", `{"Authorization": "Bearer …"}`, "Headers", "YURONG_ADMIN_TOKEN"} {
			if !strings.Contains(tabs[0].Query, s) {
				t.Errorf("the first tab does not mention %s", s)
			}
		}
	})
}

func TestThePageWithoutAShowcaseStillOpensTheExamples(t *testing.T) {
	page, _ := Handler("Yurong", "/graphql", func() string { return "" })
	srv := httptest.NewServer(page)
	defer srv.Close()
	if tabs := pageTabs(t, get(t, srv.URL+"/")); len(tabs) != len(Examples("")) {
		t.Errorf("%d tabs", len(tabs))
	}
}

// graphiqlTitle is the expression GraphiQL 4.1.2 titles a tab with
// (fuzzyExtractOperationName in @graphiql/react); Go's regexp has no
// lookahead, so lines opening with "#" are skipped by hand.
var graphiqlTitle = regexp.MustCompile(`.*(query|subscription|mutation)\s+([a-zA-Z0-9_]+)`)

func graphiqlTabTitle(q string) string {
	for line := range strings.Lines(q) {
		if strings.HasPrefix(line, "#") {
			continue
		}
		if m := graphiqlTitle.FindStringSubmatch(line); m != nil {
			return m[2]
		}
	}
	return "<untitled>"
}

type pageTab struct {
	Query     string  `json:"query"`
	Variables *string `json:"variables"`
}

func (p pageTab) variables(t *testing.T) map[string]any {
	t.Helper()
	if p.Variables == nil {
		t.Fatal("the tab has no variables")
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(*p.Variables), &v); err != nil {
		t.Fatalf("the tab's variables are not JSON: %v", err)
	}
	return v
}

// pageTabs reads the defaultTabs the page hands GraphiQL.
func pageTabs(t *testing.T, body string) []pageTab {
	t.Helper()
	_, rest, ok := strings.Cut(body, "const tabs = ")
	if !ok {
		t.Fatal("the page hands GraphiQL no tabs")
	}
	var tabs []pageTab
	if err := json.NewDecoder(strings.NewReader(rest)).Decode(&tabs); err != nil {
		t.Fatalf("the page's tabs are not JSON: %v", err)
	}
	return tabs
}

func get(t *testing.T, url string) string {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("GET %s: %d", url, res.StatusCode)
	}
	b, _ := io.ReadAll(res.Body)
	return string(b)
}
