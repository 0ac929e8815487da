package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
)

// TestPairingsIndexHoldsTheEngineSlice is issue 8's second defect, through
// the API: banks with four identical TECH_LOAN products each, then a
// Zhengzhou NEXT_GEN_IT enterprise and an unrelated one. Every product's
// best 20 holds both enterprises, so the pairings index must hold every
// financing pairing of each, whatever order the indexer saw the writes in:
// pairings(filter: {enterpriseId, kinds: [FINANCING]}) lists what
// matches(kind: FINANCING) lists.
func TestPairingsIndexHoldsTheEngineSlice(t *testing.T) {
	for banks := 1; banks <= 4; banks++ {
		for _, drainBetween := range []bool{false, true} {
			t.Run(fmt.Sprintf("%d banks, drained between writes %v", banks, drainBetween), func(t *testing.T) {
				srv, a := testServer(t, 0)
				ctx := context.Background()
				drain := func() {
					t.Helper()
					if err := a.indexer.Drain(ctx); err != nil {
						t.Fatal(err)
					}
				}
				products := 0
				for b := range banks {
					var inst struct {
						Institution struct{ ID string } `json:"institution"`
					}
					post(t, srv, testToken, fmt.Sprintf(`mutation { createInstitution(input: {name: "测试银行%d", kind: BANK, city: ZHENGZHOU}) { institution { id } } }`, b), nil).
						decode(t, "createInstitution", &inst)
					for p := range 4 {
						var out struct {
							FinancialProduct struct{ ID string } `json:"financialProduct"`
						}
						post(t, srv, testToken, `mutation($in: CreateFinancialProductInput!) { createFinancialProduct(input: $in) { financialProduct { id } } }`,
							map[string]any{"in": map[string]any{"name": fmt.Sprintf("测试银行%d科技贷%d号", b, p), "kind": "LOAN", "program": "TECH_LOAN",
								"providerId": inst.Institution.ID, "maxAmount": "3000000"}}).decode(t, "createFinancialProduct", &out)
						products++
					}
				}
				if drainBetween {
					drain()
				}
				enterprise := func(name, prefix, city, track string) string {
					in := enterpriseInput(name, prefix+checkChar(t, prefix))
					in["city"], in["track"] = city, track
					var p payload
					post(t, srv, testToken, createEnterprise, map[string]any{"input": in}).decode(t, "createEnterprise", &p)
					if p.Enterprise == nil {
						t.Fatalf("enterprise %s refused: %+v", name, p.UserErrors)
					}
					return p.Enterprise.ID
				}
				first := enterprise("郑州云帆信息技术有限公司", "91410100MA45BBBB1", "ZHENGZHOU", "NEXT_GEN_IT")
				if drainBetween {
					drain()
				}
				second := enterprise("洛阳金石新材料有限公司", "91410300MA45BBBB2", "LUOYANG", "NEW_MATERIALS")
				liar := enterprise("郑州失信信息技术有限公司", "91410100MA45BBBB3", "ZHENGZHOU", "NEXT_GEN_IT")
				post(t, srv, testToken, `mutation($id: ID!) { updateEnterprise(input: {id: $id, creditStatus: DISHONEST}) { userErrors { code } } }`,
					map[string]any{"id": liar}).decode(t, "updateEnterprise", &struct{}{})
				drain()

				for _, ent := range []string{first, second} {
					var e struct {
						Matches []pairing `json:"matches"`
					}
					post(t, srv, "", `query($id: ID!) { node(id: $id) { ... on Enterprise { matches(kind: FINANCING, first: 100) { id } } } }`,
						map[string]any{"id": ent}).decode(t, "node", &e)
					var c struct {
						TotalCount int
						Edges      []struct {
							Node pairing `json:"node"`
						} `json:"edges"`
					}
					post(t, srv, "", `query($f: PairingFilter) { pairings(filter: $f, first: 100) { totalCount edges { node { id } } } }`,
						map[string]any{"f": map[string]any{"enterpriseId": ent, "kinds": []string{"FINANCING"}}}).decode(t, "pairings", &c)
					var matched, indexed []string
					for _, p := range e.Matches {
						matched = append(matched, p.ID)
					}
					for _, edge := range c.Edges {
						indexed = append(indexed, edge.Node.ID)
					}
					slices.Sort(matched)
					slices.Sort(indexed)
					if len(matched) != products || c.TotalCount != products || !slices.Equal(matched, indexed) {
						t.Errorf("enterprise %s: matches %d %v; pairings totalCount %d %v; want all %d products",
							ent, len(matched), matched, c.TotalCount, indexed, products)
					}
				}

				// pairings lists eligible pairings only by default, as
				// matches and candidates do; its first pairings of one
				// enterprise and kind are matches', of one resource
				// candidates', in the same order.
				ids := func(ps []pairing) []string {
					out := []string{}
					for _, p := range ps {
						out = append(out, p.ID)
					}
					return out
				}
				page := func(f map[string]any, first int) []string {
					var c struct {
						Edges []struct {
							Node pairing `json:"node"`
						} `json:"edges"`
					}
					post(t, srv, "", `query($f: PairingFilter, $n: Int) { pairings(filter: $f, first: $n) { edges { node { id eligible } } } }`,
						map[string]any{"f": f, "n": first}).decode(t, "pairings", &c)
					out := []string{}
					for _, e := range c.Edges {
						out = append(out, e.Node.ID)
					}
					return out
				}
				for _, ent := range []string{first, second, liar} {
					for n := 1; n <= 3; n++ {
						var e struct {
							Matches []pairing `json:"matches"`
						}
						post(t, srv, "", `query($id: ID!, $n: Int) { node(id: $id) { ... on Enterprise { matches(kind: FINANCING, first: $n) { id } } } }`,
							map[string]any{"id": ent, "n": n}).decode(t, "node", &e)
						if got, want := page(map[string]any{"enterpriseId": ent, "kinds": []string{"FINANCING"}}, n), ids(e.Matches); !slices.Equal(got, want) {
							t.Errorf("enterprise %s, first %d: pairings %v, matches %v", ent, n, got, want)
						}
					}
				}
				if got := page(map[string]any{"enterpriseId": liar}, 20); len(got) != 0 {
					t.Errorf("the dishonest enterprise lists %d pairings by default, want none", len(got))
				}
				if got := page(map[string]any{"enterpriseId": liar, "eligibleOnly": false}, 100); len(got) < products {
					t.Errorf("the dishonest enterprise has %d pairings with eligibleOnly false, want at least %d", len(got), products)
				}
				var all struct {
					FinancialProducts struct {
						Edges []struct {
							Node struct {
								ID         string    `json:"id"`
								Candidates []pairing `json:"candidates"`
							} `json:"node"`
						} `json:"edges"`
					} `json:"financialProducts"`
				}
				res := post(t, srv, "", `{ financialProducts(first: 100) { edges { node { id candidates(first: 20) { id } } } } }`, nil)
				if err := json.Unmarshal(res.Data["financialProducts"], &all.FinancialProducts); err != nil || len(all.FinancialProducts.Edges) != products {
					t.Fatalf("products: %v, %s", err, res.Data["financialProducts"])
				}
				for _, p := range all.FinancialProducts.Edges {
					want := ids(p.Node.Candidates)
					if got := page(map[string]any{"resourceId": p.Node.ID}, 20); !slices.Equal(got, want) || len(want) != 2 {
						t.Errorf("product %s: pairings %v, candidates %v (both honest enterprises)", p.Node.ID, got, want)
					}
				}
				if got := page(nil, 100); len(got) != 2*products {
					t.Errorf("pairings without a filter: %d, want the %d eligible ones", len(got), 2*products)
				}
			})
		}
	}
}
