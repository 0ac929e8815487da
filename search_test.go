package main

import (
	"strings"
	"testing"
	"time"
)

// TestSearchFollowsWrites creates entities through the API and finds them
// through search and pairings within the promised two seconds.
func TestSearchFollowsWrites(t *testing.T) {
	s := newScenario(t)
	type hit struct {
		Highlights []string `json:"highlights"`
		Node       struct {
			Typename string `json:"__typename"`
			ID       string `json:"id"`
		} `json:"node"`
	}
	find := func(query string) []hit {
		var hits []hit
		post(t, s.srv, "", `query($q: String!) { search(query: $q, first: 5) { highlights node { __typename ... on Enterprise { id } ... on SupplyChainDemand { id } ... on FinancialProduct { id } ... on Incubator { id } } } }`,
			map[string]any{"q": query}).decode(t, "search", &hits)
		return hits
	}

	t.Run("a word inside a Chinese compound is found, best match first", func(t *testing.T) {
		start := time.Now()
		eventually(t, 2*time.Second, func() bool {
			hits := find("功率器件")
			return len(hits) > 0 && hits[0].Node.ID == s.withNeed
		})
		t.Logf("searchable %v after the write", time.Since(start))
		hits := find("功率器件")
		if !strings.Contains(strings.Join(hits[0].Highlights, " "), "<em>") {
			t.Errorf("no highlight in %+v", hits[0].Highlights)
		}
	})

	t.Run("mixed Chinese and Latin text is found", func(t *testing.T) {
		hits := find("SiC功率器件")
		if len(hits) == 0 || hits[0].Node.ID != s.withNeed {
			t.Errorf("SiC功率器件: %+v", hits)
		}
	})

	t.Run("types restrict the hits", func(t *testing.T) {
		var hits []hit
		post(t, s.srv, "", `{ search(query: "功率", types: [SUPPLY_CHAIN_DEMAND]) { node { __typename } } }`, nil).decode(t, "search", &hits)
		if len(hits) != 1 || hits[0].Node.Typename != "SupplyChainDemand" {
			t.Errorf("demands only: %+v", hits)
		}
	})

	t.Run("pairings are filtered and ranked by the search engine", func(t *testing.T) {
		type conn struct {
			TotalCount int
			Edges      []struct {
				Node pairing `json:"node"`
			} `json:"edges"`
		}
		q := `query($f: PairingFilter) { pairings(filter: $f, first: 50) { totalCount edges { node { ` + pairingFields + ` } } } }`
		var c conn
		eventually(t, 2*time.Second, func() bool {
			post(t, s.srv, "", q, map[string]any{"f": map[string]any{"enterpriseId": s.withNeed, "eligibleOnly": true}}).decode(t, "pairings", &c)
			return c.TotalCount > 0
		})
		for i, e := range c.Edges {
			if e.Node.Enterprise.ID != s.withNeed || !e.Node.Eligible {
				t.Errorf("pairing %+v escapes the filter", e.Node)
			}
			if i > 0 && e.Node.Score > c.Edges[i-1].Node.Score {
				t.Errorf("pairings out of order at %d", i)
			}
		}
		post(t, s.srv, "", q, map[string]any{"f": map[string]any{"enterpriseId": s.liar, "eligibleOnly": true}}).decode(t, "pairings", &c)
		if c.TotalCount != 0 {
			t.Errorf("the dishonest enterprise has %d eligible pairings in the index", c.TotalCount)
		}
	})

	t.Run("the index lag is reported", func(t *testing.T) {
		if v := metric(t, s.srv, "yurong_search_outbox_pending"); v != 0 {
			t.Errorf("%v events still pending", v)
		}
	})
}
