package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
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
