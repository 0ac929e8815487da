package graphiql

import (
	"embed"
	"encoding/json"
	"fmt"
	"strings"
)

// The example queries, one file a tab, in tab order. Each opens with a
// comment line holding the tab's Chinese name: GraphiQL 4.1.2 titles a tab
// with its operation name, which GraphQL keeps to ASCII letters, so the
// Chinese name can only sit in the query text.
//
//go:embed examples/*.graphql
var exampleFiles embed.FS

// Example is one tab the page opens with.
type Example struct {
	// Title is the tab's Chinese name, the first line of Query.
	Title string
	Query string
	// Variables is a JSON object, or "" when the query takes none.
	Variables string
}

// Examples returns the example tabs; the ones about a single enterprise
// show the enterprise of global ID enterpriseID.
func Examples(enterpriseID string) []Example {
	one := map[string]any{"enterpriseId": enterpriseID}
	return []Example{
		example("1-early-small-hard.graphql", nil),
		example("2-matches.graphql", one),
		example("3-track-pairings.graphql", map[string]any{"track": "NEXT_GEN_IT"}),
		example("4-financing-plan.graphql", one),
	}
}

// example reads an embedded example; a missing or malformed file is a
// programming error the package's tests catch, so it panics.
func example(file string, vars map[string]any) Example {
	b, err := exampleFiles.ReadFile("examples/" + file)
	if err != nil {
		panic(fmt.Sprintf("graphiql: example %s: %v", file, err))
	}
	q := string(b)
	first, _, _ := strings.Cut(q, "\n")
	title, ok := strings.CutPrefix(first, "# ")
	if !ok {
		panic(fmt.Sprintf("graphiql: example %s does not open with its title as a comment", file))
	}
	e := Example{Title: title, Query: q}
	if vars != nil {
		v, _ := json.MarshalIndent(vars, "", "  ")
		e.Variables = string(v)
	}
	return e
}
