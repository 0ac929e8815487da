package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestRequestErrorsFollowGraphQLOverHTTP pins the SHOULDs of the
// GraphQL-over-HTTP specification that the graphql-http audit checks: 200
// for request errors under application/json, no data entry under
// application/graphql-response+json, and a code on every error.
func TestRequestErrorsFollowGraphQLOverHTTP(t *testing.T) {
	srv, _ := testServer(t, 0)
	bodies := map[string]string{
		"a document that does not parse":    `{"query": "{ institutions { id "}`,
		"a document that does not validate": `{"query": "{ nope }"}`,
		"variables that do not coerce":      `{"query": "query($n: Int!) { enterprises(first: $n) { totalCount } }", "variables": {"n": "x"}}`,
	}
	send := func(accept, body string) (int, map[string]json.RawMessage) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", accept)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out map[string]json.RawMessage
		b, _ := io.ReadAll(resp.Body)
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("not JSON: %s", b)
		}
		return resp.StatusCode, out
	}
	for name, body := range bodies {
		t.Run(name+" under application/json is 200 with the errors", func(t *testing.T) {
			status, out := send("application/json", body)
			if status != http.StatusOK || out["errors"] == nil {
				t.Fatalf("%d %v", status, out)
			}
		})
		t.Run(name+" under application/graphql-response+json is 400 without data", func(t *testing.T) {
			status, out := send("application/graphql-response+json", body)
			if _, hasData := out["data"]; status != http.StatusBadRequest || hasData || out["errors"] == nil {
				t.Fatalf("%d %v", status, out)
			}
		})
	}
	t.Run("a mutation over GET is 406 with a code", func(t *testing.T) {
		resp, err := http.Get(srv.URL + "/graphql?query=" + url.QueryEscape("mutation { rematch { enterprises } }"))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var r gqlResponse
		json.NewDecoder(resp.Body).Decode(&r)
		if resp.StatusCode != http.StatusNotAcceptable || r.code() != "METHOD_NOT_ALLOWED" {
			t.Fatalf("%d %+v", resp.StatusCode, r.Errors)
		}
	})
	t.Run("a good query passes untouched", func(t *testing.T) {
		status, out := send("application/json", `{"query": "{ __typename }"}`)
		if status != http.StatusOK || string(out["data"]) != `{"__typename":"Query"}` {
			t.Fatalf("%d %v", status, out)
		}
	})
}
