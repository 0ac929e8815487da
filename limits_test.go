package main

import (
	"strings"
	"testing"
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
			if r.code() != "BAD_USER_INPUT" || !strings.Contains(r.Errors[0].Message, "at most") {
				t.Fatalf("code %q, errors %+v", r.code(), r.Errors)
			}
		})
	}
}
