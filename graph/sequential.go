package graph

import (
	"context"
	"io"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/yurong/yurong/matching"
)

// sequentialLists are the GraphQL types whose lists are marshalled on the
// calling goroutine, element after element. gqlgen marshals every list of
// objects with a goroutine per element (graphql.MarshalSliceConcurrently);
// for lists of plain values, whose fields resolve in memory, starting and
// waiting for a goroutine costs more than the element: a page of ten
// pairings with their reasons started sixty of them (issue 16).
// seqlists.go rewrites these types' list marshallers in generated.go after
// every generation (generate.go at the root runs it), and
// TestSequentialLists fails when generated.go was generated without it.
var sequentialLists = []string{"MatchReason"}

// marshalSliceSequentially is graphql.MarshalSliceConcurrently, same
// signature and results, without goroutines: each element under its own
// field context, and a panic in one is its error unless omitPanicHandler.
func marshalSliceSequentially(ctx context.Context, length int, _ int64, omitPanicHandler bool, marshalElement func(ctx context.Context, i int) graphql.Marshaler) graphql.Array {
	ret := make(graphql.Array, length)
	for i := range length {
		ctx := graphql.WithFieldContext(ctx, &graphql.FieldContext{Index: &i})
		if omitPanicHandler {
			ret[i] = marshalElement(ctx, i)
			continue
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					graphql.AddError(ctx, graphql.Recover(ctx, r))
					ret[i] = graphql.Null
				}
			}()
			ret[i] = marshalElement(ctx, i)
		}()
	}
	return ret
}

// plainObjects are the GraphQL types whose objects seqlists.go has
// marshalled by a hand-written marshaller of plain fields instead of
// gqlgen's executor: a MatchReason is three values, and gqlgen's field
// context, middleware chain and field set per field cost more than a
// page of pairings' scores (issue 16). The marshaller writes what the
// executor would, and hands back to it whatever it does not handle.
var plainObjects = map[string]string{"MatchReason": "marshalPlainMatchReason"}

// marshalPlainMatchReason is _MatchReason for selections of its plain
// fields (every field of MatchReason and __typename, under any alias,
// through fragments, with @skip and @include applied by CollectFields);
// a deferred fragment goes to _MatchReason.
func (ec *executionContext) marshalPlainMatchReason(ctx context.Context, sel ast.SelectionSet, obj *matching.Reason) graphql.Marshaler {
	fields := graphql.CollectFields(ec.OperationContext, sel, matchReasonImplementors)
	for _, f := range fields {
		if f.IsDeferred() {
			return ec._MatchReason(ctx, sel, obj)
		}
		switch f.Name {
		case "__typename", "factor", "contribution", "message":
		default:
			return ec._MatchReason(ctx, sel, obj)
		}
	}
	return graphql.WriterFunc(func(w io.Writer) {
		io.WriteString(w, "{")
		for i, f := range fields {
			if i > 0 {
				io.WriteString(w, ",")
			}
			graphql.MarshalString(f.Alias).MarshalGQL(w)
			io.WriteString(w, ":")
			switch f.Name {
			case "__typename":
				graphql.MarshalString("MatchReason").MarshalGQL(w)
			case "factor":
				graphql.MarshalString(obj.Factor).MarshalGQL(w)
			case "contribution":
				ec.marshalNFloat2float64(ctx, f.Selections, obj.Contribution).MarshalGQL(w)
			case "message":
				graphql.MarshalString(obj.Message).MarshalGQL(w)
			}
		}
		io.WriteString(w, "}")
	})
}
