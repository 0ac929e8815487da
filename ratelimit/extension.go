package ratelimit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// rateLimited is the package's only package-level state, a metric.
var rateLimited = promauto.NewCounter(prometheus.CounterOpts{
	Name: "yurong_cache_rate_limited_total",
	Help: "Operations refused because the client's cost budget was spent.",
})

// CodeRateLimited is the extensions.code of an operation refused because
// its client's budget is spent; extensions.retryAfterSeconds says when to
// try again, and over HTTP the answer is 429 with a Retry-After header.
const CodeRateLimited = "RATE_LIMITED"

// Extension is a gqlgen extension that charges each operation's cost
// against its client's budget in a Limiter, and reports the cost in the
// response's extensions.cost. The cost is what
// github.com/99designs/gqlgen/complexity computes from the schema's
// complexity functions (connections weighed by their page size), at least
// 1. A refused operation is not executed.
//
// Add it with Use, and wrap the GraphQL HTTP handler in Middleware, which
// identifies the client and turns a refusal into HTTP 429.
type Extension struct {
	limiter Limiter
	es      graphql.ExecutableSchema

	// Identify names the client of a request; nil means ClientID. A
	// server that can tell valid tokens from invented ones should count
	// the latter by address, or a client could mint itself budgets.
	Identify func(*http.Request) string
}

// New returns the extension charging l.
func New(l Limiter) *Extension { return &Extension{limiter: l} }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
	graphql.ResponseInterceptor
} = (*Extension)(nil)

// CostStats is an operation's cost as reported in extensions.cost.
type CostStats struct {
	// Requested is the cost computed from the operation before it ran.
	Requested int `json:"requested"`
	// Actual is what was charged: the requested cost (the budget is
	// taken before execution, so a short page is not refunded).
	Actual int `json:"actual"`
	// Remaining and Limit are the client's budget after the operation.
	Remaining int `json:"remaining"`
	Limit     int `json:"limit"`
}

const costStatsKey = "Cost"

// GetCostStats returns the cost of the operation in ctx, or nil.
func GetCostStats(ctx context.Context) *CostStats {
	if !graphql.HasOperationContext(ctx) {
		return nil
	}
	s, _ := graphql.GetOperationContext(ctx).Stats.GetExtension(costStatsKey).(*CostStats)
	return s
}

// ExtensionName implements graphql.HandlerExtension.
func (*Extension) ExtensionName() string { return "RateLimit" }

// Validate implements graphql.HandlerExtension.
func (r *Extension) Validate(es graphql.ExecutableSchema) error {
	if r.limiter == nil {
		return errors.New("ratelimit: the extension needs a Limiter")
	}
	r.es = es
	return nil
}

// MutateOperationContext implements graphql.OperationContextMutator: it
// charges the operation and refuses it when the budget is spent.
func (r *Extension) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	cost := r.cost(ctx, oc)
	st := requestStateFrom(ctx)
	client := "unknown"
	if st != nil {
		client = st.client
	}
	d, err := r.limiter.Allow(ctx, client, cost)
	if err != nil {
		return nil // limiters fall back rather than fail; never refuse for our own fault
	}
	oc.Stats.SetExtension(costStatsKey, &CostStats{Requested: cost, Actual: cost, Remaining: d.Remaining, Limit: d.Limit})
	if d.Allowed {
		return nil
	}
	rateLimited.Inc()
	secs := max(int(math.Ceil(d.RetryAfter.Seconds())), 1)
	if st != nil {
		st.refuse(secs)
	}
	gerr := gqlerror.Errorf("rate limit exceeded: this operation costs %d and %d of the budget of %d is left; retry in %d s", cost, d.Remaining, d.Limit, secs)
	gerr.Extensions = map[string]any{"code": CodeRateLimited, "retryAfterSeconds": secs}
	return gerr
}

// Charge takes cost from the budget of the request's client for a request
// that is no GraphQL operation (a download served beside the API). The
// handler calling it must be wrapped in Middleware, which identifies the
// client. It reports whether the request may go on and, when it may not,
// in how many seconds to retry; a failing limiter lets it through, as it
// does operations.
func (r *Extension) Charge(ctx context.Context, cost int) (ok bool, retryAfter int) {
	client := "unknown"
	if st := requestStateFrom(ctx); st != nil {
		client = st.client
	}
	d, err := r.limiter.Allow(ctx, client, max(cost, 1))
	if err != nil || d.Allowed {
		return true, 0
	}
	rateLimited.Inc()
	return false, max(int(math.Ceil(d.RetryAfter.Seconds())), 1)
}

// cost reuses the complexity gqlgen's ComplexityLimit computed, if it ran
// first, and computes it otherwise.
func (r *Extension) cost(ctx context.Context, oc *graphql.OperationContext) int {
	if s := extension.GetComplexityStats(ctx); s != nil {
		return max(s.Complexity, 1)
	}
	op := oc.Doc.Operations.ForName(oc.OperationName)
	if op == nil {
		return 1
	}
	return max(complexity.Calculate(ctx, r.es, op, oc.Variables), 1)
}

// InterceptResponse implements graphql.ResponseInterceptor: it adds
// extensions.cost to the responses of queries and mutations.
func (r *Extension) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	if s := GetCostStats(ctx); s != nil && graphql.GetExtension(ctx, "cost") == nil {
		if op := graphql.GetOperationContext(ctx).Operation; op == nil || op.Operation != ast.Subscription {
			graphql.RegisterExtension(ctx, "cost", s)
		}
	}
	return next(ctx)
}

// ClientID names the client of r for rate limits: "token:" and the
// SHA-256 of its bearer token when it sends one, else "ip:" and the
// address it connects from (RemoteAddr; X-Forwarded-For is not trusted).
func ClientID(r *http.Request) string {
	if token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok && token != "" {
		sum := sha256.Sum256([]byte(token))
		return "token:" + hex.EncodeToString(sum[:16])
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return "ip:" + host
}

// Middleware identifies each request's client for the extension and, when
// the operation was refused, answers HTTP 429 with a Retry-After header in
// place of gqlgen's status. It must wrap the handler the extension is in.
func (r *Extension) Middleware(next http.Handler) http.Handler {
	identify := r.Identify
	if identify == nil {
		identify = ClientID
	}
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		st := &requestState{client: identify(req)}
		ctx := context.WithValue(req.Context(), requestStateKey{}, st)
		next.ServeHTTP(&limitWriter{ResponseWriter: w, st: st}, req.WithContext(ctx))
	})
}

type requestStateKey struct{}

// requestState carries the client's name to the extension and a refusal
// back to the middleware.
type requestState struct {
	client string

	mu         sync.Mutex
	retryAfter int // seconds; > 0 once an operation was refused
}

func requestStateFrom(ctx context.Context) *requestState {
	st, _ := ctx.Value(requestStateKey{}).(*requestState)
	return st
}

func (s *requestState) refuse(secs int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.retryAfter = secs
}

func (s *requestState) refused() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.retryAfter
}

// limitWriter turns the 200 of a refused operation into 429.
type limitWriter struct {
	http.ResponseWriter
	st    *requestState
	wrote bool
}

func (w *limitWriter) WriteHeader(code int) {
	if !w.wrote {
		w.wrote = true
		if secs := w.st.refused(); secs > 0 && code == http.StatusOK {
			w.Header().Set("Retry-After", strconv.Itoa(secs))
			code = http.StatusTooManyRequests
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *limitWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Flush lets streaming transports flush through the wrapper.
func (w *limitWriter) Flush() {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController and WebSocket upgrades reach the
// underlying writer.
func (w *limitWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
