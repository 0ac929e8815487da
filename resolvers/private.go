package resolvers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/yurong/yurong/access"
	"github.com/yurong/yurong/auth"
	"github.com/yurong/yurong/store"
)

// ErrPrivate is the error of a private field the viewer may not read: the
// field is null and the error, coded FORBIDDEN, sits at its path.
var ErrPrivate = fmt.Errorf("%w: the enterprise's financial data needs its consent", auth.ErrForbidden)

// private returns nil when the viewer may read the enterprise's private
// field (recording the read), else ErrPrivate.
func private(ctx context.Context, enterpriseID int64, field string) error {
	err := access.From(ctx).Read(ctx, enterpriseID, field)
	if errors.Is(err, access.ErrForbidden) {
		return ErrPrivate
	}
	return err
}

// ownOrAdmin returns nil when the viewer is an administrator or acts for
// the enterprise: who sees an enterprise's consents and data accesses.
func ownOrAdmin(ctx context.Context, enterpriseID int64, field string) error {
	if err := access.From(ctx).ReadOwn(enterpriseID, field); err != nil {
		return ErrPrivate
	}
	return nil
}

func differs(full, public []string) bool {
	for i := range full {
		if full[i] != public[i] {
			return true
		}
	}
	return false
}

// AccessControl is a gqlgen extension that gives each response its access
// view (access.Request) and, before the response leaves, writes the
// private reads it made to the audit log. A response whose reads cannot be
// recorded is withheld. Register it before CachedReads, which it must wrap
// (gqlgen makes the first extension the outermost).
type AccessControl struct {
	Grants access.Grants
	Audit  access.AuditLog
	// Accounts re-reads a subscriber's account before each event: a
	// WebSocket connection is authenticated once, and a revocation must
	// still hold from the next event on.
	Accounts interface {
		Accounts(ctx context.Context, ids []int64) ([]*store.Account, error)
	}
	Now func() time.Time
}

var (
	_ graphql.HandlerExtension     = AccessControl{}
	_ graphql.ResponseInterceptor  = AccessControl{}
	_ graphql.RootFieldInterceptor = AccessControl{}
)

// InterceptRootField implements graphql.RootFieldInterceptor: every write a
// mutation makes is audited, in its own transaction, as that mutation by
// the caller.
func (AccessControl) InterceptRootField(ctx context.Context, next graphql.RootResolver) graphql.Marshaler {
	oc := graphql.GetOperationContext(ctx)
	if oc.Operation != nil && oc.Operation.Operation == ast.Mutation {
		f := graphql.GetRootFieldContext(ctx)
		ctx = store.WithActor(ctx, store.Actor{AccountID: auth.From(ctx).AccountID, Action: f.Field.Name})
	}
	return next(ctx)
}

// ExtensionName implements graphql.HandlerExtension.
func (AccessControl) ExtensionName() string { return "AccessControl" }

// Validate implements graphql.HandlerExtension.
func (AccessControl) Validate(graphql.ExecutableSchema) error { return nil }

// InterceptResponse implements graphql.ResponseInterceptor.
func (a AccessControl) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if !graphql.HasOperationContext(ctx) {
		return next(ctx) // a request that never became an operation reads nothing
	}
	viewer := auth.From(ctx)
	if oc := graphql.GetOperationContext(ctx); viewer.AccountID != 0 && oc.Operation != nil &&
		oc.Operation.Operation == ast.Subscription && a.Accounts != nil {
		if as, err := a.Accounts.Accounts(ctx, []int64{viewer.AccountID}); err != nil || len(as) == 0 || as[0].RevokedAt != nil {
			return &graphql.Response{Errors: gqlerror.List{{
				Message:    "令牌无效",
				Extensions: map[string]any{"code": CodeUnauthenticated},
			}}}
		}
	}
	req := access.NewRequest(viewer, a.Grants, a.Now())
	resp := next(withLoader(access.With(ctx, req)))
	if reads := req.Reads(a.Now()); len(reads) > 0 {
		// The entries commit before the data leaves: no private read goes
		// unrecorded.
		if err := a.Audit.AppendAudit(context.WithoutCancel(ctx), reads); err != nil {
			slog.ErrorContext(ctx, "record private reads; response withheld", "err", err)
			return &graphql.Response{Errors: gqlerror.List{{
				Message:    "暂时无法记录数据访问，请稍后重试",
				Extensions: map[string]any{"code": "UNAVAILABLE"},
			}}}
		}
	}
	return resp
}
