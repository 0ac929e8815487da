package main

import (
	"cmp"
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

// The catalogue lists through the public API: orderBy on enterprises,
// backward paging (last/before) on every catalogue connection, and the
// refusals of arguments that name no page (issue 16).

type pagedEnterprise struct {
	ID              string `json:"id"`
	Name            string `json:"name"`
	FoundedOn       string `json:"foundedOn"`
	UpdatedAt       string `json:"updatedAt"`
	City            string `json:"city"`
	InnovationScore struct {
		Total int `json:"total"`
	} `json:"innovationScore"`
}

type enterprisePage struct {
	TotalCount int `json:"totalCount"`
	PageInfo   struct {
		HasNextPage     bool    `json:"hasNextPage"`
		HasPreviousPage bool    `json:"hasPreviousPage"`
		StartCursor     *string `json:"startCursor"`
		EndCursor       *string `json:"endCursor"`
	} `json:"pageInfo"`
	Edges []struct {
		Cursor string          `json:"cursor"`
		Node   pagedEnterprise `json:"node"`
	} `json:"edges"`
}

const enterprisePageQuery = `query($first: Int, $last: Int, $after: Cursor, $before: Cursor, $order: EnterpriseOrder, $filter: EnterpriseFilter) {
  enterprises(first: $first, last: $last, after: $after, before: $before, orderBy: $order, filter: $filter) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id name foundedOn updatedAt city innovationScore { total } } } } }`

func enterprisesPage(t *testing.T, srv *httptest.Server, vars map[string]any) enterprisePage {
	t.Helper()
	r := post(t, srv, "", enterprisePageQuery, vars)
	var p enterprisePage
	r.decode(t, "enterprises", &p)
	return p
}

// orderKey compares two enterprises under an order, the ID breaking ties
// in the order's direction.
func orderKey(t *testing.T, order string) func(a, b pagedEnterprise) int {
	field, desc := strings.CutSuffix(order, "_DESC")
	field = strings.TrimSuffix(field, "_ASC")
	by := map[string]func(a, b pagedEnterprise) int{
		"ID":         func(a, b pagedEnterprise) int { return 0 },
		"NAME":       func(a, b pagedEnterprise) int { return strings.Compare(a.Name, b.Name) },
		"FOUNDED_ON": func(a, b pagedEnterprise) int { return strings.Compare(a.FoundedOn, b.FoundedOn) },
		"UPDATED_AT": func(a, b pagedEnterprise) int {
			ta, _ := time.Parse(time.RFC3339Nano, a.UpdatedAt)
			tb, _ := time.Parse(time.RFC3339Nano, b.UpdatedAt)
			return ta.Compare(tb)
		},
		"INNOVATION_SCORE": func(a, b pagedEnterprise) int { return cmp.Compare(a.InnovationScore.Total, b.InnovationScore.Total) },
	}[field]
	if by == nil {
		t.Fatalf("no key for order %s", order)
	}
	return func(a, b pagedEnterprise) int {
		c := by(a, b)
		if c == 0 {
			c = cmp.Compare(mustIntID(t, a.ID), mustIntID(t, b.ID))
		}
		if desc {
			c = -c
		}
		return c
	}
}

// Every order of enterprises lists each enterprise the filter selects
// exactly once, sorted by its field with the ID breaking ties, whether
// paged forwards with first/after or backwards with last/before; and
// totalCount is the same under every order.
func TestEnterprisesPageInEveryOrderBothWays(t *testing.T) {
	// Some hundred pages: more than the default rate budget allows at once.
	srv, _ := testServerWith(t, 200, func(c *Config) { c.Cache.Rate.Limit, c.Cache.Rate.PerSecond = 10_000_000, 1_000_000 })
	filters := []map[string]any{nil, {"cities": []string{"ZHENGZHOU", "LUOYANG"}}, {"qualifications": []string{"HIGH_TECH"}, "stages": []string{"STARTUP"}}}
	orders := []string{"ID_ASC", "ID_DESC", "NAME_ASC", "NAME_DESC", "FOUNDED_ON_ASC", "FOUNDED_ON_DESC",
		"UPDATED_AT_ASC", "UPDATED_AT_DESC", "INNOVATION_SCORE_ASC", "INNOVATION_SCORE_DESC"}
	for fi, filter := range filters {
		all := enterprisesPage(t, srv, map[string]any{"first": 100, "filter": filter})
		for all.PageInfo.HasNextPage {
			next := enterprisesPage(t, srv, map[string]any{"first": 100, "after": *all.PageInfo.EndCursor, "filter": filter})
			all.Edges, all.PageInfo = append(all.Edges, next.Edges...), next.PageInfo
		}
		if len(all.Edges) != all.TotalCount || all.TotalCount == 0 {
			t.Fatalf("filter %d: %d enterprises listed, totalCount %d", fi, len(all.Edges), all.TotalCount)
		}
		for _, order := range orders {
			t.Run(fmt.Sprint("filter", fi, "/", order), func(t *testing.T) {
				want := make([]pagedEnterprise, len(all.Edges))
				for i, e := range all.Edges {
					want[i] = e.Node
				}
				slices.SortFunc(want, orderKey(t, order))

				var fwd, bwd []pagedEnterprise
				vars := map[string]any{"first": 13, "order": order, "filter": filter}
				for {
					p := enterprisesPage(t, srv, vars)
					if p.TotalCount != len(want) {
						t.Fatalf("totalCount %d under %s, %d by ID", p.TotalCount, order, len(want))
					}
					for _, e := range p.Edges {
						fwd = append(fwd, e.Node)
					}
					if len(fwd) > 13 && !p.PageInfo.HasPreviousPage {
						t.Fatal("a page after the first has no previous page")
					}
					if !p.PageInfo.HasNextPage {
						break
					}
					vars["after"] = *p.PageInfo.EndCursor
				}
				vars = map[string]any{"last": 13, "order": order, "filter": filter}
				for {
					p := enterprisesPage(t, srv, vars)
					var page []pagedEnterprise
					for _, e := range p.Edges {
						page = append(page, e.Node)
					}
					bwd = append(page, bwd...)
					if len(bwd) > 13 && !p.PageInfo.HasNextPage {
						t.Fatal("a page before the last has no next page")
					}
					if !p.PageInfo.HasPreviousPage {
						break
					}
					vars["before"] = *p.PageInfo.StartCursor
				}
				ids := func(es []pagedEnterprise) []string {
					out := make([]string, len(es))
					for i, e := range es {
						out[i] = e.ID
					}
					return out
				}
				if !slices.Equal(ids(fwd), ids(want)) || !slices.Equal(ids(bwd), ids(want)) {
					t.Fatalf("%s:\nforwards  %v\nbackwards %v\nwant      %v", order, ids(fwd), ids(bwd), ids(want))
				}
			})
		}
	}
}

// The other catalogue connections page backwards too: the last items are
// the tail of the list, and a page before a cursor ends just before it.
func TestResourceListsPageBackwards(t *testing.T) {
	srv, _ := testServer(t, 200)
	for _, list := range []string{"financialProducts", "incubators", "supplyChainDemands"} {
		t.Run(list, func(t *testing.T) {
			q := `query($first: Int, $last: Int, $before: Cursor) { ` + list + `(first: $first, last: $last, before: $before) {
			  totalCount pageInfo { hasNextPage hasPreviousPage startCursor } edges { node { id } } } }`
			type page struct {
				TotalCount int
				PageInfo   struct {
					HasNextPage, HasPreviousPage bool
					StartCursor                  *string
				}
				Edges []struct{ Node struct{ ID string } }
			}
			var all, tail, before page
			post(t, srv, "", q, map[string]any{"first": 100}).decode(t, list, &all)
			post(t, srv, "", q, map[string]any{"last": 3}).decode(t, list, &tail)
			if len(all.Edges) < 5 || all.TotalCount != len(all.Edges) {
				t.Fatalf("%d items of %d listed; the test needs between 5 and 100", len(all.Edges), all.TotalCount)
			}
			n := len(all.Edges)
			if !slices.Equal(tail.Edges, all.Edges[n-3:]) || tail.PageInfo.HasNextPage || !tail.PageInfo.HasPreviousPage || tail.TotalCount != n {
				t.Fatalf("last 3: %+v, want the tail of %d", tail, n)
			}
			post(t, srv, "", q, map[string]any{"last": 2, "before": *tail.PageInfo.StartCursor}).decode(t, list, &before)
			if !slices.Equal(before.Edges, all.Edges[n-5:n-3]) || !before.PageInfo.HasNextPage || !before.PageInfo.HasPreviousPage {
				t.Fatalf("last 2 before the tail: %+v, want items %d and %d", before, n-5, n-4)
			}
		})
	}
}

// Arguments that name no page are refused with BAD_USER_INPUT, and a
// cursor of another order says so in extensions.reason.
func TestPageArgumentsThatNameNoPageAreRefused(t *testing.T) {
	srv, _ := testServer(t, 50)
	byName := enterprisesPage(t, srv, map[string]any{"first": 2, "order": "NAME_ASC"})
	byID := enterprisesPage(t, srv, map[string]any{"first": 2})
	if byName.PageInfo.EndCursor == nil || byID.PageInfo.EndCursor == nil {
		t.Fatal("no cursors to test with")
	}
	for _, c := range []struct {
		name   string
		vars   map[string]any
		reason string
	}{
		{"first and last together", map[string]any{"first": 2, "last": 2}, ""},
		{"negative first", map[string]any{"first": -1}, ""},
		{"negative last", map[string]any{"last": -1}, ""},
		{"last above the page size", map[string]any{"last": 101}, ""},
		{"a malformed cursor", map[string]any{"after": "not a cursor!"}, ""},
		{"a malformed cursor of an order", map[string]any{"after": "a0FfTkFNRV9BU0M", "order": "NAME_ASC"}, ""},
		{"a cursor of a ranked list", map[string]any{"before": "bzM"}, ""},
		{"a name cursor under another order", map[string]any{"after": *byName.PageInfo.EndCursor, "order": "FOUNDED_ON_ASC"}, "CURSOR_ORDER_MISMATCH"},
		{"a name cursor under its reverse", map[string]any{"before": *byName.PageInfo.EndCursor, "order": "NAME_DESC"}, "CURSOR_ORDER_MISMATCH"},
		{"a name cursor under the default order", map[string]any{"after": *byName.PageInfo.EndCursor}, "CURSOR_ORDER_MISMATCH"},
		{"an ID cursor under an order by name", map[string]any{"after": *byID.PageInfo.EndCursor, "order": "NAME_ASC"}, "CURSOR_ORDER_MISMATCH"},
	} {
		r := post(t, srv, "", enterprisePageQuery, c.vars)
		if len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "BAD_USER_INPUT" {
			t.Errorf("%s: %+v, want one BAD_USER_INPUT", c.name, r.Errors)
			continue
		}
		if got, _ := r.Errors[0].Extensions["reason"].(string); got != c.reason {
			t.Errorf("%s: reason %q, want %q (%s)", c.name, got, c.reason, r.Errors[0].Message)
		}
	}
	// The same refusals on the other catalogue lists.
	for _, q := range []string{`{ financialProducts(first: 1, last: 1) { totalCount } }`, `{ incubators(last: -2) { totalCount } }`,
		`{ supplyChainDemands(last: 1, before: "xyz") { totalCount } }`} {
		if r := post(t, srv, "", q, nil); len(r.Errors) != 1 || r.Errors[0].Extensions["code"] != "BAD_USER_INPUT" {
			t.Errorf("%s: %+v, want one BAD_USER_INPUT", q, r.Errors)
		}
	}
}

// last weighs a page as first does: a document too costly with first: 100
// is as costly with last: 100.
func TestLastCostsWhatFirstCosts(t *testing.T) {
	srv, _ := testServer(t, 0)
	for _, arg := range []string{"first", "last"} {
		q := `{ enterprises(` + arg + `: 100) { edges { node { name matches(first: 100) { score reasons { factor contribution message } resource { __typename } } } } } }`
		r := post(t, srv, "", q, nil)
		if len(r.Errors) == 0 || r.Errors[0].Extensions["code"] != "COMPLEXITY_LIMIT_EXCEEDED" {
			t.Errorf("%s: 100: %+v, want COMPLEXITY_LIMIT_EXCEEDED", arg, r.Errors)
		}
		small := strings.Replace(q, arg+": 100", arg+": 10", 1)
		if r := post(t, srv, "", small, nil); len(r.Errors) > 0 {
			t.Errorf("%s: 10: %+v", arg, r.Errors)
		}
	}
}

// An update moves an enterprise between the indexes: out of its old
// city's list and count, into its new city's, and to its new place in
// the order by name.
func TestAnUpdateMovesAnEnterpriseBetweenLists(t *testing.T) {
	srv, _ := testServer(t, 60)
	count := func(city string) int {
		return enterprisesPage(t, srv, map[string]any{"first": 0, "filter": map[string]any{"cities": []string{city}}}).TotalCount
	}
	p := enterprisesPage(t, srv, map[string]any{"first": 1, "filter": map[string]any{"cities": []string{"ZHENGZHOU"}}})
	if len(p.Edges) != 1 {
		t.Fatal("no enterprise in Zhengzhou")
	}
	e := p.Edges[0].Node
	zz, jy := count("ZHENGZHOU"), count("JIYUAN")
	updateEnterprise(t, srv, e.ID, `city: JIYUAN, name: "济源！排序测试有限公司"`)
	if got := count("ZHENGZHOU"); got != zz-1 {
		t.Errorf("Zhengzhou counts %d after the move, want %d", got, zz-1)
	}
	if got := count("JIYUAN"); got != jy+1 {
		t.Errorf("Jiyuan counts %d after the move, want %d", got, jy+1)
	}
	last := enterprisesPage(t, srv, map[string]any{"last": 1, "order": "NAME_ASC", "filter": map[string]any{"cities": []string{"JIYUAN"}}})
	if len(last.Edges) != 1 || last.Edges[0].Node.ID != e.ID {
		t.Errorf("the last of Jiyuan by name is %+v, want the renamed %s", last.Edges, e.ID)
	}
}
