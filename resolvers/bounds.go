package resolvers

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// DocumentBounds is a gqlgen extension that refuses, before any cost is
// computed or anything runs, an operation whose expanded size or depth is
// over its bounds. Each fragment is measured once and its measure reused
// wherever it is spread, so the check is linear in the document even when
// fragments spread each other twice, thirty deep — an operation of a
// billion fields is refused in microseconds, where expanding it (as the
// cost limit does) would take minutes. Register it before the cost limit.
type DocumentBounds struct {
	MaxFields  int // fields once every fragment is expanded
	MaxDepth   int // nested selections
	MaxAliases int // aliased fields written in the document
}

var (
	_ graphql.HandlerExtension        = DocumentBounds{}
	_ graphql.OperationContextMutator = DocumentBounds{}
)

// ExtensionName implements graphql.HandlerExtension.
func (DocumentBounds) ExtensionName() string { return "DocumentBounds" }

// Validate implements graphql.HandlerExtension.
func (DocumentBounds) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext implements graphql.OperationContextMutator.
func (b DocumentBounds) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	m := measurer{doc: oc.Doc, memo: map[string]extent{}, open: map[string]bool{}}
	e := m.set(oc.Operation.SelectionSet)
	switch {
	case e.fields > b.MaxFields:
		return boundError("COMPLEXITY_LIMIT_EXCEEDED", fmt.Sprintf("查询展开后有 %s 个字段，上限 %d", atLeast(e.fields), b.MaxFields))
	case e.depth > b.MaxDepth:
		return boundError("DEPTH_LIMIT_EXCEEDED", fmt.Sprintf("查询嵌套 %d 层，上限 %d", e.depth, b.MaxDepth))
	case m.aliases > b.MaxAliases:
		return boundError("ALIAS_LIMIT_EXCEEDED", fmt.Sprintf("查询有 %d 个别名，上限 %d", m.aliases, b.MaxAliases))
	}
	return nil
}

func boundError(code, message string) *gqlerror.Error {
	return &gqlerror.Error{Message: message, Extensions: map[string]any{"code": code}}
}

// fieldCap saturates counts, so a doubling chain cannot overflow.
const fieldCap = 1 << 40

func atLeast(n int) string {
	if n >= fieldCap {
		return fmt.Sprintf("超过 %d", fieldCap)
	}
	return fmt.Sprint(n)
}

// extent is what a selection set expands to.
type extent struct{ fields, depth int }

type measurer struct {
	doc     *ast.QueryDocument
	memo    map[string]extent // fragments measured
	open    map[string]bool   // fragments being measured: a cycle counts nothing more
	aliases int
	seen    map[*ast.Field]bool
}

func (m *measurer) set(set ast.SelectionSet) extent {
	var e extent
	for _, sel := range set {
		var s extent
		switch x := sel.(type) {
		case *ast.Field:
			if x.Alias != "" && x.Alias != x.Name {
				if m.seen == nil {
					m.seen = map[*ast.Field]bool{}
				}
				if !m.seen[x] { // a field in a fragment is written once, however often spread
					m.seen[x] = true
					m.aliases++
				}
			}
			c := m.set(x.SelectionSet)
			s = extent{fields: min(c.fields+1, fieldCap), depth: c.depth + 1}
		case *ast.InlineFragment:
			s = m.set(x.SelectionSet)
		case *ast.FragmentSpread:
			s = m.fragment(x.Name)
		}
		e.fields = min(e.fields+s.fields, fieldCap)
		e.depth = max(e.depth, s.depth)
	}
	return e
}

func (m *measurer) fragment(name string) extent {
	if e, ok := m.memo[name]; ok {
		return e
	}
	def := m.doc.Fragments.ForName(name)
	if def == nil || m.open[name] {
		return extent{}
	}
	m.open[name] = true
	e := m.set(def.SelectionSet)
	delete(m.open, name)
	m.memo[name] = e
	return e
}
