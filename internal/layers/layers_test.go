package layers

import (
	"bytes"
	"fmt"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"
)

// allowed is the layering: each package of the module (by its path inside
// the module, "." for the root) → the project packages it may import
// directly. Imports outside the module are not checked. Rows run from the
// bottom layer up; a package may import only rows above its own.
var allowed = map[string][]string{
	// Foundations: no project imports.
	"catalog":            {}, // the domain types every layer shares
	"scheduling":         {}, // pure optimisation; the caller gives the scores
	"metrics":            {},
	"tracing":            {},
	"graph/relay":        {},
	"graphiql":           {},
	"internal/redistest": {}, // imported by tests only
	"internal/progress":  {}, // the commands' progress bar
	"internal/layers":    {}, // this test
	"internal/lru":       {}, // the byte-bounded LRU of persisted and responsecache
	"internal/gqlpost":   {}, // gqlgen's POST transport without re-encoding the data
	"deploy":             {}, // files and their tests, no code

	// Pure domain rules over catalog values, no I/O.
	"matching":      {"catalog"}, // the "Done when": catalog only
	"graph/scalars": {"catalog"},
	"demo":          {"catalog"},
	"sheets":        {"catalog"},
	"training":      {"catalog"},
	"financing":     {"catalog"},
	"models":        {"catalog", "matching"},
	"linkage":       {"catalog", "financing", "matching"},
	"clinics":       {"catalog", "financing", "matching"},
	"events":        {"catalog", "matching", "scheduling"},

	// Backends: the system of record, identity, shared state, search.
	// The store persists the domain packages' records, so it imports their
	// types; they reach it only through interfaces of their own.
	"store":  {"catalog", "clinics", "events", "financing", "linkage", "matching", "models", "tracing", "training"},
	"auth":   {"store"},
	"access": {"auth", "store"},
	"search": {"catalog", "matching", "store", "tracing"}, // store: the change log's entry type only

	// Shared state: the Redis connection and its health, the parts with
	// their in-process and Redis sides, and their composition.
	"redisstate":                {"tracing"},
	"redisstate/redisstatetest": {"redisstate"}, // imported by tests only
	"persisted":                 {"internal/lru", "redisstate"},
	"responsecache":             {"internal/lru", "redisstate"},
	"pubsub":                    {"redisstate"},
	"ratelimit":                 {"redisstate"},
	"statebackend":              {"persisted", "pubsub", "ratelimit", "redisstate", "responsecache"},

	// The application core: write path and read model.
	"marketplace": {"catalog", "store"},

	// The GraphQL layer: generated schema and models, then the resolvers.
	// access: model.Pairing decides its reasons' privacy (ADR 031).
	"graph/model": {"access", "catalog", "clinics", "events", "financing", "graph/relay", "linkage", "matching", "models", "store", "training"},
	"graph": {"catalog", "clinics", "events", "financing", "graph/model", "graph/relay", "graph/scalars", "linkage",
		"matching", "models", "store", "training"},
	"resolvers": {"access", "auth", "catalog", "clinics", "events", "financing", "graph", "graph/model",
		"graph/relay", "graph/scalars", "linkage", "marketplace", "matching", "models", "responsecache", "search", "store", "training"},

	// The command wires everything.
	".": {"access", "auth", "catalog", "clinics", "demo", "events", "financing", "graph", "graph/model",
		"graph/relay", "graphiql", "internal/gqlpost", "internal/progress", "linkage", "marketplace", "matching", "metrics", "models", "persisted", "pubsub", "ratelimit", "resolvers", "search",
		"sheets", "statebackend", "store", "tracing", "training"},
}

// pureDomain are the packages whose whole dependency closure may hold no
// project package but catalog.
var pureDomain = []string{"matching", "scheduling"}

// TestEveryPackageImportsOnlyWhatItsLayerAllows holds each package of the
// module to its row of allowed.
func TestEveryPackageImportsOnlyWhatItsLayerAllows(t *testing.T) {
	root, module := moduleRoot(t)
	out := goList(t, root, "-f", "{{.ImportPath}} {{join .Imports \" \"}}", "./...")
	for _, v := range violations(module, out, allowed) {
		t.Error(v)
	}
}

// TestMatchingAndSchedulingDependOnCatalogAlone checks the dependency
// closure, not only the direct imports: nothing matching or scheduling
// reaches through a third package may be a project package but catalog.
func TestMatchingAndSchedulingDependOnCatalogAlone(t *testing.T) {
	root, module := moduleRoot(t)
	for _, pkg := range pureDomain {
		t.Run(pkg, func(t *testing.T) {
			out := goList(t, root, "-deps", "-f", "{{.ImportPath}}", "./"+pkg)
			deps := strings.Fields(out)
			if !slices.Contains(deps, module+"/"+pkg) {
				t.Fatalf("go list -deps ./%s did not list %s itself:\n%s", pkg, pkg, out)
			}
			for _, dep := range deps {
				rel, ok := inModule(module, dep)
				if ok && rel != pkg && rel != "catalog" {
					t.Errorf("%s depends on %s (directly or through another package); it may depend on no project package but catalog", pkg, rel)
				}
			}
		})
	}
}

// TestTheCheckCatchesWhatItShould feeds violations made-up `go list`
// output, so a check that passes everything cannot pass this test.
func TestTheCheckCatchesWhatItShould(t *testing.T) {
	const m = "example.com/m"
	table := map[string][]string{".": {"a", "b"}, "a": {}, "b": {"a"}}
	tests := []struct {
		name, list string
		want       []string // substrings, one per expected violation
	}{
		{"allowed imports pass", "example.com/m example.com/m/a example.com/m/b fmt\nexample.com/m/a strings\nexample.com/m/b example.com/m/a", nil},
		{"a forbidden import is named", "example.com/m example.com/m/a\nexample.com/m/a example.com/m/b os\nexample.com/m/b", []string{"a imports b"}},
		{"a package without a row must be added", "example.com/m\nexample.com/m/a\nexample.com/m/b\nexample.com/m/c example.com/m/a", []string{"c has no row"}},
		{"a row for a package that is gone", "example.com/m\nexample.com/m/a", []string{"b is gone"}},
		{"imports outside the module are not checked", "example.com/m\nexample.com/m/a example.com/mother\nexample.com/m/b", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := violations(m, tt.list, table)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d violations %q, want %d like %q", len(got), got, len(tt.want), tt.want)
			}
			for i, w := range tt.want {
				if !strings.Contains(got[i], w) {
					t.Errorf("violation %d = %q, want it to contain %q", i, got[i], w)
				}
			}
		})
	}
}

// violations compares `go list -f '{{.ImportPath}} {{join .Imports " "}}'`
// output with the table and returns what breaks it, in a stable order.
func violations(module, list string, table map[string][]string) []string {
	var out []string
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(list), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		pkg, ok := inModule(module, fields[0])
		if !ok {
			continue
		}
		seen[pkg] = true
		row, ok := table[pkg]
		if !ok {
			out = append(out, fmt.Sprintf("package %s has no row in the layering table (internal/layers/layers_test.go): add it with the project packages it may import, which declares its layer", pkg))
			continue
		}
		for _, imp := range fields[1:] {
			dep, ok := inModule(module, imp)
			if ok && !slices.Contains(row, dep) {
				out = append(out, fmt.Sprintf("%s imports %s, which its row in the layering table does not allow (internal/layers/layers_test.go; see docs/architecture.md)", pkg, dep))
			}
		}
	}
	var gone []string
	for pkg := range table {
		if !seen[pkg] {
			gone = append(gone, pkg)
		}
	}
	sort.Strings(gone)
	for _, pkg := range gone {
		out = append(out, fmt.Sprintf("the layering table has a row for %s, but package %s is gone: remove the row", pkg, pkg))
	}
	return out
}

// inModule returns path relative to the module ("." for its root) and
// whether it is in the module at all.
func inModule(module, path string) (string, bool) {
	if path == module {
		return ".", true
	}
	rel, ok := strings.CutPrefix(path, module+"/")
	return rel, ok
}

// moduleRoot returns the module's directory, two levels above this file,
// and its path.
func moduleRoot(t *testing.T) (dir, module string) {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot locate layers_test.go")
	}
	dir = filepath.Join(filepath.Dir(file), "..", "..")
	return dir, strings.TrimSpace(goList(t, dir, "-m", "-f", "{{.Path}}"))
}

func goList(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", append([]string{"list"}, args...)...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}
