package main

import (
	"strings"
	"testing"
	"time"
)

// TestSearchFollowsWrites creates entities through the API and finds them
// through search and pairings, then checks the index agrees with the
// engine once the outbox has drained.
//
// Search lags writes: a document is visible as soon as the indexer has
// upserted it, which is before the indexer acknowledges its outbox event,
// and the scenario's later writes may still be pending then. So nothing
// here assumes the index is complete because one document is visible: the
// checks that need every write indexed first wait for the outbox to drain
// (yurong_search_outbox_pending at 0), with a deadline that a loaded
// machine, -race and other packages' tests running beside do not reach.
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

	t.Run("a write is found within moments, a word inside a Chinese compound best match first", func(t *testing.T) {
		start := time.Now()
		waitUntil(t, searchCatchUp, "功率器件 to find the enterprise that wrote it", func() bool {
			hits := find("功率器件")
			return len(hits) > 0 && hits[0].Node.ID == s.withNeed
		})
		t.Logf("searchable %v after the write", time.Since(start))
		hits := find("功率器件")
		if !strings.Contains(strings.Join(hits[0].Highlights, " "), "<em>") {
			t.Errorf("no highlight in %+v", hits[0].Highlights)
		}
	})

	t.Run("the outbox drains and the lag says so", func(t *testing.T) {
		start := time.Now()
		waitUntil(t, searchCatchUp, "yurong_search_outbox_pending to reach 0", func() bool {
			return metric(t, s.srv, "yurong_search_outbox_pending") == 0
		})
		t.Logf("outbox drained %v after the search found the first write", time.Since(start))
	})
	// From here on every write of the scenario is indexed.

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
		pairings := func(enterprise string, eligibleOnly bool) conn {
			var c conn
			post(t, s.srv, testToken, q, map[string]any{"f": map[string]any{"enterpriseId": enterprise, "eligibleOnly": eligibleOnly}}).decode(t, "pairings", &c)
			return c
		}
		c := pairings(s.withNeed, true)
		if want := len(s.matches(t, s.withNeed, "FINANCING", true)) + len(s.matches(t, s.withNeed, "INCUBATION", true)) +
			len(s.matches(t, s.withNeed, "INDUSTRY_CHAIN", true)); c.TotalCount != want || want == 0 {
			t.Errorf("%d eligible pairings in the index, the engine has %d", c.TotalCount, want)
		}
		for i, e := range c.Edges {
			if e.Node.Enterprise.ID != s.withNeed || !e.Node.Eligible {
				t.Errorf("pairing %+v escapes the filter", e.Node)
			}
			if i > 0 && e.Node.Score > c.Edges[i-1].Node.Score {
				t.Errorf("pairings out of order at %d", i)
			}
		}
		// The dishonest enterprise is indexed (its pairings are there,
		// ineligible), so an empty eligible list means something.
		if all := pairings(s.liar, false); all.TotalCount == 0 {
			t.Fatal("the dishonest enterprise has no pairings in the index at all")
		}
		if c := pairings(s.liar, true); c.TotalCount != 0 {
			t.Errorf("the dishonest enterprise has %d eligible pairings in the index", c.TotalCount)
		}
	})
}
