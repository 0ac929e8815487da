package main

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/yurong/yurong/graph/relay"
)

// TestMatchesExplainWhatIsSelected: the engine explains matches only as far
// as the selection reads (issue 16), so every spelling of a selection —
// fields, fragments on Pairing and on MatchReason, aliases — reads the same
// reasons and blockers as the whole explanation, and a selection without
// messages the same factors and contributions.
func TestMatchesExplainWhatIsSelected(t *testing.T) {
	srv, _ := testServer(t, 50)
	const full = `query($id: ID!) { node(id: $id) { ... on Enterprise { matches(first: 30, eligibleOnly: false) {
	  score eligible reasons { factor contribution message } blockers } } } }`
	spellings := map[string]string{
		"fragments": `query($id: ID!) { node(id: $id) { ... on Enterprise { matches(first: 30, eligibleOnly: false) { ...P } } } }
	  fragment P on Pairing { score eligible ... on Node { ... on Pairing { reasons { ...R } } } blockers }
	  fragment R on MatchReason { factor contribution message }`,
		"aliases": `query($id: ID!) { node(id: $id) { ... on Enterprise { matches(first: 30, eligibleOnly: false) {
	  score eligible reasons { factor c: contribution message } why: blockers } } } }`,
		"directives": `query($id: ID!, $yes: Boolean = true) { node(id: $id) { ... on Enterprise { matches(first: 30, eligibleOnly: false) {
	  score eligible reasons { factor contribution @include(if: $yes) message ignored: message @skip(if: $yes) } blockers @include(if: $yes) } } } }`,
		"typename": `query($id: ID!) { node(id: $id) { ... on Enterprise { matches(first: 30, eligibleOnly: false) {
	  score eligible reasons { kind: __typename factor contribution message } blockers } } } }`,
	}
	type reason struct {
		Kind         string  `json:"kind,omitempty"`
		Ignored      *string `json:"ignored,omitempty"`
		Factor       string  `json:"factor"`
		Contribution float64 `json:"contribution"`
		C            float64 `json:"c"`
		Message      *string `json:"message"`
	}
	type pairing struct {
		Score    float64  `json:"score"`
		Eligible bool     `json:"eligible"`
		Reasons  []reason `json:"reasons"`
		Blockers []string `json:"blockers"`
		Why      []string `json:"why"`
	}
	read := func(t *testing.T, query string, id string) []pairing {
		t.Helper()
		var e struct {
			Matches []pairing `json:"matches"`
		}
		post(t, srv, testToken, query, map[string]any{"id": id}).decode(t, "node", &e)
		for i := range e.Matches {
			p := &e.Matches[i]
			if p.Why != nil {
				p.Blockers, p.Why = p.Why, nil
			}
			for j := range p.Reasons {
				r := &p.Reasons[j]
				if r.C != 0 {
					r.Contribution, r.C = r.C, 0
				}
				if r.Kind != "" && r.Kind != "MatchReason" {
					t.Errorf("__typename %q", r.Kind)
				}
				if r.Ignored != nil {
					t.Errorf("a skipped field was written: %q", *r.Ignored)
				}
				r.Kind = ""
			}
		}
		return e.Matches
	}
	blocked := 0
	for n := 1; n <= 50; n += 7 {
		id := relay.IntID("Enterprise", int64(n))
		want := read(t, full, id)
		if len(want) == 0 {
			t.Fatalf("enterprise %d: no matches", n)
		}
		for _, p := range want {
			if !p.Eligible && len(p.Blockers) == 0 {
				t.Errorf("enterprise %d: an ineligible pairing without blockers", n)
			}
			blocked += len(p.Blockers)
		}
		wantJSON, _ := json.Marshal(want)
		for name, q := range spellings {
			got, _ := json.Marshal(read(t, q, id))
			if string(got) != string(wantJSON) {
				t.Errorf("enterprise %d, %s:\n got %s\nwant %s", n, name, got, wantJSON)
			}
		}
		factors := read(t, `query($id: ID!) { node(id: $id) { ... on Enterprise { matches(first: 30, eligibleOnly: false) {
		  score eligible reasons { factor contribution } } } } }`, id)
		for i := range want {
			want[i].Blockers = nil
			for j := range want[i].Reasons {
				want[i].Reasons[j].Message = nil
			}
		}
		got, _ := json.Marshal(factors)
		if wantJSON, _ := json.Marshal(want); string(got) != string(wantJSON) {
			t.Errorf("enterprise %d, factors only:\n got %s\nwant %s", n, got, wantJSON)
		}
	}
	if blocked == 0 {
		t.Error("no blockers read: the test proves nothing about them")
	}
}

// TestProfilesAdministratorsOnly: the server's profiles (net/http/pprof)
// are served to administrators and to no one else.
func TestProfilesAdministratorsOnly(t *testing.T) {
	srv, _ := testServer(t, 0)
	for _, c := range []struct {
		path, token string
		want        int
	}{
		{"/debug/pprof/", "", http.StatusUnauthorized},
		{"/debug/pprof/heap?debug=1", "", http.StatusUnauthorized},
		{"/debug/pprof/heap?debug=1", "not-a-token", http.StatusUnauthorized},
		{"/debug/pprof/", testToken, http.StatusOK},
		{"/debug/pprof/heap?debug=1", testToken, http.StatusOK},
		{"/debug/pprof/mutex?debug=1", testToken, http.StatusOK},
	} {
		req, err := http.NewRequest(http.MethodGet, srv.URL+c.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if c.token != "" {
			req.Header.Set("Authorization", "Bearer "+c.token)
		}
		res, err := testClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != c.want {
			t.Errorf("GET %s with token %q: %d, want %d", c.path, c.token, res.StatusCode, c.want)
		}
	}
}
