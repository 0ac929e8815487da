package resolvers

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/yurong/yurong/auth"
	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/graph/relay"
	"github.com/yurong/yurong/graph/scalars"
	"github.com/yurong/yurong/marketplace"
	"github.com/yurong/yurong/search"
)

// Error codes in extensions.code, part of the public API.
const (
	CodeUnauthenticated = "UNAUTHENTICATED"
	CodeForbidden       = "FORBIDDEN"
	CodeBadUserInput    = "BAD_USER_INPUT"
	CodeNotFound        = "NOT_FOUND"
	CodeInternal        = "INTERNAL_SERVER_ERROR"
	CodeBadRequest      = "BAD_REQUEST"
)

// ReasonCursorOrderMismatch is extensions.reason of the BAD_USER_INPUT
// that refuses a cursor issued under another order of the list.
const ReasonCursorOrderMismatch = "CURSOR_ORDER_MISMATCH"

// ErrorPresenter gives every error a stable extensions.code and hides
// internal details from clients (they are logged instead).
func ErrorPresenter(ctx context.Context, err error) *gqlerror.Error {
	gqlErr := graphql.DefaultErrorPresenter(ctx, err)
	if gqlErr.Extensions != nil && gqlErr.Extensions["code"] != nil {
		return gqlErr
	}
	code := CodeInternal
	switch {
	case errors.Is(err, auth.ErrUnauthenticated):
		code = CodeUnauthenticated
		gqlErr.Message = "需要令牌：请在 Authorization 头中提供 Bearer 令牌"
		if auth.From(ctx).BadCredential {
			gqlErr.Message = "令牌无效"
		}
	case errors.As(err, new(forbiddenBecause)):
		var fb forbiddenBecause
		errors.As(err, &fb)
		code, gqlErr.Message = CodeForbidden, string(fb)
	case errors.Is(err, ErrPrivate):
		code = CodeForbidden
		gqlErr.Message = "无权查看该企业的财务数据：须经企业授权或由其本人申请"
	case errors.Is(err, auth.ErrForbidden):
		code = CodeForbidden
		gqlErr.Message = "无权执行此操作"
	case errors.Is(err, relay.ErrCursorOrder):
		// A client that changed the order must start again from the
		// first page: the reason says so apart from a malformed cursor.
		code = CodeBadUserInput
		if gqlErr.Extensions == nil {
			gqlErr.Extensions = map[string]any{}
		}
		gqlErr.Extensions["reason"] = ReasonCursorOrderMismatch
	case errors.Is(err, relay.ErrInvalidID), errors.Is(err, relay.ErrInvalidPage), errors.Is(err, marketplace.ErrInvalidOrder),
		errors.Is(err, catalog.ErrInvalidAmount), errors.Is(err, ErrTextTooLong),
		errors.Is(err, scalars.ErrInvalidDate), errors.Is(err, scalars.ErrIntRange), errors.Is(err, search.ErrBadCursor), errors.Is(err, search.ErrPageSize):
		code = CodeBadUserInput
	case errors.As(err, new(*http.MaxBytesError)):
		code = "REQUEST_TOO_LARGE"
	default:
		var ge *gqlerror.Error
		if errors.As(err, &ge) && ge.Rule != "" {
			return gqlErr // validation errors carry their own codes
		}
		if ge != nil && !graphql.HasOperationContext(ctx) {
			// The request never became an operation: its body is no
			// GraphQL request. The transport's message quotes the whole
			// body; the client and the log get a bounded reason.
			reason := excerpt(strings.SplitN(ge.Message, " body:", 2)[0], 200)
			slog.InfoContext(ctx, "malformed GraphQL request", "reason", reason)
			gqlErr.Message = "请求体不是有效的 GraphQL 请求：" + reason
			code = CodeBadRequest
			break
		}
		slog.ErrorContext(ctx, "resolver failed", "path", gqlErr.Path.String(), "err", err)
		gqlErr.Message = "internal error"
	}
	if gqlErr.Extensions == nil {
		gqlErr.Extensions = map[string]any{}
	}
	gqlErr.Extensions["code"] = code
	return gqlErr
}

// RecoverFunc turns a panic into an internal error without leaking it.
func RecoverFunc(ctx context.Context, v any) error {
	slog.ErrorContext(ctx, "resolver panicked", "panic", fmt.Sprint(v))
	return &gqlerror.Error{Message: "internal error", Extensions: map[string]any{"code": CodeInternal}}
}

// userErrors prefixes each problem's field path with "input".
func userErrors(p catalog.Problems) []*catalog.FieldError {
	out := make([]*catalog.FieldError, len(p))
	for i, fe := range p {
		fe.Field = append([]string{"input"}, fe.Field...)
		out[i] = &fe
	}
	return out
}

// ErrTextTooLong refuses a free-text argument longer than its bound: every
// such argument is scanned against many records, so its length is the
// client's lever on the server's time.
var ErrTextTooLong = errors.New("text argument too long")

// Bounds of the free-text arguments, in characters.
const (
	maxNameContains = 100
	maxSearchText   = 200
)

// boundText returns ErrTextTooLong, naming the argument, when s is longer
// than max characters.
func boundText(name, s string, max int) error {
	if n := utf8.RuneCountInString(s); n > max {
		return fmt.Errorf("%w: %s has %d characters, at most %d", ErrTextTooLong, name, n, max)
	}
	return nil
}

// excerpt cuts s to at most n characters, marking the cut.
func excerpt(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// forbiddenBecause is a FORBIDDEN error that says why, in Chinese.
type forbiddenBecause string

func (e forbiddenBecause) Error() string { return string(e) }
func (e forbiddenBecause) Unwrap() error { return auth.ErrForbidden }

// Reasons of the private reads of clinics and training.
const (
	errDiagnosisPrivate     = forbiddenBecause("诊断记录仅限企业本人、本场诊疗会专家和管理员查看")
	errProposalsPrivate     = forbiddenBecause("推荐邀请名单仅限专家和管理员查看")
	errRegistrationsPrivate = forbiddenBecause("报名名单仅限管理员查看")
)
