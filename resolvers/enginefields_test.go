package resolvers

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2"
	gqlast "github.com/vektah/gqlparser/v2/ast"
)

// engineReaders returns the resolver fields, as "Type.field", whose
// resolver reads the matching engine (a selector .Engine) itself or through
// any function or method of the package it calls. Calls by method name are
// resolved to every method of that name: an over-approximation, which can
// only ask for a directive where none was needed. Calls into other packages
// are not followed: they cannot reach the resolver's engine unless handed
// it, and handing it over is itself a selector .Engine.
func engineReaders(files []*ast.File) []string {
	type fn struct {
		uses  bool
		calls []string // called names: functions by name, methods by ".name"
	}
	fns := map[string]*fn{}
	methods := map[string][]string{} // method name → keys
	for _, f := range files {
		imported := map[string]bool{}
		for _, imp := range f.Imports {
			path := strings.Trim(imp.Path.Value, `"`)
			name := path[strings.LastIndex(path, "/")+1:]
			if imp.Name != nil {
				name = imp.Name.Name
			}
			imported[name] = true
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			key := fd.Name.Name
			if fd.Recv != nil && len(fd.Recv.List) == 1 {
				t := fd.Recv.List[0].Type
				if st, ok := t.(*ast.StarExpr); ok {
					t = st.X
				}
				if id, ok := t.(*ast.Ident); ok {
					key = id.Name + "." + fd.Name.Name
					methods[fd.Name.Name] = append(methods[fd.Name.Name], key)
				}
			}
			v := &fn{}
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.SelectorExpr:
					if x.Sel.Name == "Engine" {
						v.uses = true
					}
				case *ast.CallExpr:
					switch c := x.Fun.(type) {
					case *ast.Ident:
						v.calls = append(v.calls, c.Name)
					case *ast.SelectorExpr:
						if pkg, ok := c.X.(*ast.Ident); ok && imported[pkg.Name] {
							break // another package's function
						}
						v.calls = append(v.calls, "."+c.Sel.Name)
					case *ast.IndexExpr: // a generic function
						if id, ok := c.X.(*ast.Ident); ok {
							v.calls = append(v.calls, id.Name)
						}
					}
				}
				return true
			})
			fns[key] = v
		}
	}
	for changed := true; changed; {
		changed = false
		for _, v := range fns {
			if v.uses {
				continue
			}
			for _, c := range v.calls {
				callees := []string{c}
				if name, ok := strings.CutPrefix(c, "."); ok {
					callees = methods[name]
				}
				if slices.ContainsFunc(callees, func(k string) bool { return fns[k] != nil && fns[k].uses }) {
					v.uses, changed = true, true
					break
				}
			}
		}
	}
	var out []string
	for key, v := range fns {
		recv, method, ok := strings.Cut(key, ".")
		typ, isResolver := strings.CutSuffix(recv, "Resolver")
		if !ok || !isResolver || typ == "" || !v.uses || !unicode.IsUpper(rune(method[0])) {
			continue
		}
		out = append(out, upperFirst(typ)+"."+lowerFirst(method))
	}
	slices.Sort(out)
	return out
}

func upperFirst(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// lowerFirst maps a resolver method to its field: InnovationScore →
// innovationScore, ID → id.
func lowerFirst(s string) string {
	if s == strings.ToUpper(s) {
		return strings.ToLower(s)
	}
	return strings.ToLower(s[:1]) + s[1:]
}

func parsePackage(t *testing.T, dir string) []*ast.File {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, n, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return files
}

// TestEngineFieldsAreMarked holds every resolver that reads the matching
// engine to an @engine field: the response cache drops answers holding
// such a field whenever scores move (readTags), so a field added without
// the directive would be served stale after a write. Mutations and
// subscriptions are never cached and are left out.
func TestEngineFieldsAreMarked(t *testing.T) {
	schema := loadSchema(t)
	for _, field := range engineReaders(parsePackage(t, ".")) {
		typ, name, _ := strings.Cut(field, ".")
		if typ == "Mutation" || typ == "Subscription" {
			continue
		}
		def := schema.Types[typ]
		if def == nil || def.Fields.ForName(name) == nil {
			t.Errorf("%s: a resolver reads the engine but the schema has no such field", field)
			continue
		}
		if def.Fields.ForName(name).Directives.ForName("engine") == nil {
			t.Errorf("%s reads the matching engine: mark it @engine in the schema, or a cached answer holding it outlives the scores it shows", field)
		}
	}
}

func TestEngineReadersAreFound(t *testing.T) {
	const src = `package resolvers
import "example.com/model"
func (r *enterpriseResolver) Score() int { return r.Engine.Total() }
func (r *enterpriseResolver) Wrapped() int { return model.Score() }
func (r *enterpriseResolver) Ranked() int { return r.helper() }
func (r *Resolver) helper() int { return ranked(r) }
func ranked(r *Resolver) int { return r.Engine.Rank() }
func (r *enterpriseResolver) Name() string { return r.Market.Name() }
func (r *queryResolver) ID() string { return "" }
`
	f, err := parser.ParseFile(token.NewFileSet(), "x.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	got := engineReaders([]*ast.File{f})
	want := []string{"Enterprise.ranked", "Enterprise.score"}
	if !slices.Equal(got, want) {
		t.Fatalf("engine readers %v, want %v (directly and through a method and a function, not through another package's function of a method's name)", got, want)
	}
}

func loadSchema(t *testing.T) *gqlast.Schema {
	t.Helper()
	names, err := filepath.Glob("../graph/schema/*.graphqls")
	if err != nil || len(names) == 0 {
		t.Fatal("no schema files", err)
	}
	var sources []*gqlast.Source
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		sources = append(sources, &gqlast.Source{Name: n, Input: string(b)})
	}
	s, gerr := gqlparser.LoadSchema(sources...)
	if gerr != nil {
		t.Fatal(gerr)
	}
	return s
}

func TestReadTagsFollowTheEngineDirective(t *testing.T) {
	schema := loadSchema(t)
	tests := []struct {
		name, query  string
		wantMatching bool
	}{
		{"a catalogue page", `{ enterprises(first: 5) { totalCount } }`, true}, // the field may filter by score
		{"products with their provider", `{ financialProducts(first: 5) { edges { node { name provider { name } } } } }`, false},
		{"scores nested in a page", `{ financialProducts(first: 5) { edges { node { candidates(first: 2) { score } } } } }`, true},
		{"scores through a fragment", `query { institutions { ...P } } fragment P on Institution { products { candidates { score } } }`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, errs := gqlparser.LoadQuery(schema, tt.query)
			if errs != nil {
				t.Fatal(errs)
			}
			oc := &graphql.OperationContext{Doc: doc, Operation: doc.Operations[0], Variables: map[string]any{}}
			tags, ok := readTags(oc)
			if !ok {
				t.Fatal("not cacheable")
			}
			if got := slices.Contains(tags, "matching"); got != tt.wantMatching {
				t.Fatalf("tags %v: matching %v, want %v", tags, got, tt.wantMatching)
			}
		})
	}
}
