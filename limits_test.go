package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestFreeTextArgumentsAreBounded: a free-text argument is scanned against
// many records, so one past its bound is refused with BAD_USER_INPUT before
// any scan; one at its bound is served.
func TestFreeTextArgumentsAreBounded(t *testing.T) {
	srv, _ := testServer(t, 50)
	tests := []struct {
		name, query, arg string
		max              int
	}{
		{"enterprises(filter: {nameContains})", `query($s: String) { enterprises(filter: {nameContains: $s}) { totalCount } }`, "s", 100},
		{"supplyChainDemands(filter: {industryChain})", `query($s: String) { supplyChainDemands(filter: {industryChain: $s}) { totalCount } }`, "s", 100},
		{"search(query)", `query($s: String!) { search(query: $s) { highlights } }`, "s", 200},
		{"pairings(query)", `query($s: String) { pairings(query: $s) { totalCount } }`, "s", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name+" at its bound is served", func(t *testing.T) {
			r := post(t, srv, "", tt.query, map[string]any{tt.arg: strings.Repeat("郑", tt.max)})
			if len(r.Errors) > 0 {
				t.Fatalf("errors %+v", r.Errors)
			}
		})
		t.Run(tt.name+" past its bound is refused", func(t *testing.T) {
			r := post(t, srv, "", tt.query, map[string]any{tt.arg: strings.Repeat("郑", tt.max+1)})
			if r.status != http.StatusOK || r.code() != "BAD_USER_INPUT" || !strings.Contains(r.Errors[0].Message, "at most") {
				t.Fatalf("code %q, errors %+v", r.code(), r.Errors)
			}
		})
	}
}

// TestMalformedValuesAreInputErrors: a Date that is no calendar date and a
// cursor this API never issued are the client's mistakes, BAD_USER_INPUT,
// never an internal error; nothing is written.
func TestMalformedValuesAreInputErrors(t *testing.T) {
	srv, a := testServer(t, 20)
	before := a.market.Counts()["enterprise"]
	for _, date := range []string{"2024-13-45", "2024-02-30", "2024-03-01T00:00:00Z", "20240301"} {
		t.Run("foundedOn "+date, func(t *testing.T) {
			in := enterpriseInput("郑州日期科技有限公司", "91410100MA44GGGG1"+checkChar(t, "91410100MA44GGGG1"))
			in["foundedOn"] = date
			if r := post(t, srv, testToken, createEnterprise, map[string]any{"input": in}); r.status != http.StatusOK || r.code() != "BAD_USER_INPUT" {
				t.Fatalf("code %q, errors %+v", r.code(), r.Errors)
			}
		})
	}
	if after := a.market.Counts()["enterprise"]; after != before {
		t.Fatalf("%d enterprises written", after-before)
	}
	for _, q := range []string{
		`{ pairings(after: "garbage") { totalCount } }`,
		`{ enterprises(after: "garbage") { totalCount } }`,
	} {
		t.Run(q, func(t *testing.T) {
			if r := post(t, srv, "", q, nil); r.status != http.StatusOK || r.code() != "BAD_USER_INPUT" {
				t.Fatalf("code %q, errors %+v", r.code(), r.Errors)
			}
		})
	}
}

// TestASubscriptionOverHTTPIsRefusedAtOnce: a subscription belongs on the
// WebSocket transport; over POST it is refused at once with its own code,
// not left waiting for an event.
func TestASubscriptionOverHTTPIsRefusedAtOnce(t *testing.T) {
	srv, _ := testServer(t, 0)
	start := time.Now()
	r := post(t, srv, "", `subscription { pairingsChanged { kind } }`, nil)
	if r.status != http.StatusOK || r.code() != "SUBSCRIPTION_NEEDS_WEBSOCKET" || time.Since(start) > 2*time.Second {
		t.Fatalf("after %v: code %q, errors %+v", time.Since(start), r.code(), r.Errors)
	}
}

// TestClientNamesAreNotMetricLabels: operation names are the client's to
// choose, so /metrics labels an operation by its root field, and made-up
// names add no series.
func TestClientNamesAreNotMetricLabels(t *testing.T) {
	srv, _ := testServer(t, 0)
	for i := range 3 {
		post(t, srv, "", fmt.Sprintf(`query MadeUpName%d { institutions { id } }`, i), nil)
	}
	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if strings.Contains(string(body), "MadeUpName") {
		t.Fatal("a client's operation name became a metric label")
	}
	if !strings.Contains(string(body), `yurong_graphql_operations_total{operation="institutions",outcome="ok",type="query"}`) {
		t.Fatal("the operations are not counted by root field")
	}
}

// TestMalformedBodiesAreBadRequests: a body that is no GraphQL request is
// answered 400 BAD_REQUEST with a bounded reason, never an internal error,
// and nothing of it is echoed beyond that reason.
func TestMalformedBodiesAreBadRequests(t *testing.T) {
	srv, _ := testServer(t, 0)
	huge := `{"query": "` + strings.Repeat("郑", 100_000) // truncated, about 300 KB
	for _, body := range []string{`{"query": "{ institutions { id }"`, `garbage`, ``, `[1,2]`, `{"query": 123}`,
		`{"query": "{ __typename }", "variables": "{}"}`, huge} {
		name := body
		if len(name) > 40 {
			name = name[:40] + "…"
		}
		t.Run(name, func(t *testing.T) {
			resp, err := http.Post(srv.URL+"/graphql", "application/json", strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			var r gqlResponse
			if err := json.Unmarshal(b, &r); err != nil {
				t.Fatalf("not JSON: %s", b)
			}
			if resp.StatusCode != http.StatusBadRequest || r.code() != "BAD_REQUEST" || len(b) > 1000 {
				t.Fatalf("%d %s", resp.StatusCode, excerptOf(b))
			}
		})
	}
}

func excerptOf(b []byte) string {
	if len(b) > 300 {
		return string(b[:300]) + "…"
	}
	return string(b)
}

// TestIntsAre32Bit: Int is 32 bits in GraphQL; a larger value is refused,
// in a variable as in a literal, and nothing is written.
func TestIntsAre32Bit(t *testing.T) {
	srv, a := testServer(t, 0)
	in := enterpriseInput("郑州整数科技有限公司", "91410100MA44HHHH1"+checkChar(t, "91410100MA44HHHH1"))
	in["employees"] = 2147483648
	if r := post(t, srv, testToken, createEnterprise, map[string]any{"input": in}); r.code() != "BAD_USER_INPUT" && r.code() != "GRAPHQL_VALIDATION_FAILED" {
		t.Fatalf("employees 2147483648: code %q, errors %+v", r.code(), r.Errors)
	}
	if n := a.market.Counts()["enterprise"]; n != 0 {
		t.Fatalf("%d enterprises written", n)
	}
	for _, q := range []struct {
		query string
		vars  map[string]any
	}{
		{`query($n: Int) { enterprises(first: $n) { totalCount } }`, map[string]any{"n": 2147483648}},
		{`{ enterprises(first: 2147483648) { totalCount } }`, nil},
	} {
		if r := post(t, srv, "", q.query, q.vars); r.code() != "BAD_USER_INPUT" && r.code() != "GRAPHQL_VALIDATION_FAILED" {
			t.Fatalf("%s: code %q, errors %+v", q.query, r.code(), r.Errors)
		}
	}
	if r := post(t, srv, "", `query($n: Int) { enterprises(first: $n) { totalCount } }`, map[string]any{"n": 20}); len(r.Errors) > 0 {
		t.Fatalf("first: 20: %+v", r.Errors)
	}
}
