package resolvers

import (
	"context"
	"reflect"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// StrictEnums is a gqlgen extension that refuses a variable holding an enum
// value in another case than the schema's ("zhengzhou" for ZHENGZHOU).
// gqlparser compares variables' enum values case-insensitively and passes
// them on as sent, so without it a lowercase value would be stored; enum
// literals in a document are already matched exactly by validation.
type StrictEnums struct {
	schema *ast.Schema
}

var (
	_ graphql.HandlerExtension        = &StrictEnums{}
	_ graphql.OperationContextMutator = &StrictEnums{}
)

// ExtensionName implements graphql.HandlerExtension.
func (*StrictEnums) ExtensionName() string { return "StrictEnums" }

// Validate implements graphql.HandlerExtension; it keeps the schema.
func (s *StrictEnums) Validate(es graphql.ExecutableSchema) error {
	s.schema = es.Schema()
	return nil
}

// MutateOperationContext implements graphql.OperationContextMutator: it
// runs after the variables are coerced, before anything executes.
func (s *StrictEnums) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	for _, def := range oc.Operation.VariableDefinitions {
		if err := s.check(def.Type, oc.Variables[def.Variable], ast.Path{ast.PathName("variable"), ast.PathName(def.Variable)}); err != nil {
			errcode.Set(err, errcode.ValidationFailed)
			return err
		}
	}
	return nil
}

// check walks a value along its type.
func (s *StrictEnums) check(typ *ast.Type, v any, path ast.Path) *gqlerror.Error {
	if v == nil {
		return nil
	}
	if typ.Elem != nil {
		list := reflect.ValueOf(v)
		if list.Kind() != reflect.Slice { // a single value stands for a list of one
			return s.check(typ.Elem, v, path)
		}
		for i := range list.Len() {
			if err := s.check(typ.Elem, list.Index(i).Interface(), append(path, ast.PathIndex(i))); err != nil {
				return err
			}
		}
		return nil
	}
	def := s.schema.Types[typ.NamedType]
	if def == nil {
		return nil
	}
	switch def.Kind {
	case ast.Enum:
		if str, ok := v.(string); ok && def.EnumValues.ForName(str) == nil {
			return gqlerror.ErrorPathf(path, "%q is not a value of %s: enum values are written as in the schema, in capitals", str, def.Name)
		}
	case ast.InputObject:
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		for _, f := range def.Fields {
			if err := s.check(f.Type, m[f.Name], append(path, ast.PathName(f.Name))); err != nil {
				return err
			}
		}
	}
	return nil
}

// SubscriptionsOverWebSocket refuses a subscription sent over plain HTTP at
// once: such a request would otherwise wait, headers unsent, for the first
// event. Mark the WebSocket transport's contexts with OverWebSocket.
type SubscriptionsOverWebSocket struct{}

var (
	_ graphql.HandlerExtension        = SubscriptionsOverWebSocket{}
	_ graphql.OperationContextMutator = SubscriptionsOverWebSocket{}
)

type webSocketKey struct{}

// OverWebSocket marks ctx as a WebSocket connection's.
func OverWebSocket(ctx context.Context) context.Context {
	return context.WithValue(ctx, webSocketKey{}, true)
}

// ExtensionName implements graphql.HandlerExtension.
func (SubscriptionsOverWebSocket) ExtensionName() string { return "SubscriptionsOverWebSocket" }

// Validate implements graphql.HandlerExtension.
func (SubscriptionsOverWebSocket) Validate(graphql.ExecutableSchema) error { return nil }

// MutateOperationContext implements graphql.OperationContextMutator.
func (SubscriptionsOverWebSocket) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil || oc.Operation.Operation != ast.Subscription || ctx.Value(webSocketKey{}) != nil {
		return nil
	}
	return &gqlerror.Error{
		Message:    "订阅须通过 WebSocket（graphql-transport-ws 协议）发送",
		Extensions: map[string]any{"code": "SUBSCRIPTION_NEEDS_WEBSOCKET"},
	}
}
