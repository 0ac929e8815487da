// Package auth identifies who is calling and what they may do. A request's
// bearer token maps to a Principal with a Role; resolvers ask Require before
// any write.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
)

// Role is what a principal may do. Only the administrator exists as a
// credential today; the other roles are the ones the marketplace will grant
// (an institution manages its products, an incubator its carrier, an
// enterprise its own record) and are checked by name already.
type Role string

const (
	Anonymous       Role = "ANONYMOUS"
	Administrator   Role = "ADMINISTRATOR"
	InstitutionRole Role = "INSTITUTION"
	IncubatorRole   Role = "INCUBATOR"
	EnterpriseRole  Role = "ENTERPRISE"
)

// Principal is the caller of one request.
type Principal struct {
	Role Role
	// BadCredential is set when the request carried a token that matched no
	// one, so errors can say "wrong token" rather than "no token".
	BadCredential bool
}

// Errors returned by Require; the API presents them with the codes
// UNAUTHENTICATED and FORBIDDEN.
var (
	ErrUnauthenticated = errors.New("auth: authentication required")
	ErrForbidden       = errors.New("auth: not allowed")
)

type ctxKey struct{}

// With returns ctx carrying p.
func With(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// From returns the principal in ctx, Anonymous when there is none.
func From(ctx context.Context) Principal {
	if p, ok := ctx.Value(ctxKey{}).(Principal); ok {
		return p
	}
	return Principal{Role: Anonymous}
}

// Require returns nil when the caller in ctx holds one of roles.
func Require(ctx context.Context, roles ...Role) error {
	p := From(ctx)
	for _, r := range roles {
		if p.Role == r {
			return nil
		}
	}
	if p.Role == Anonymous {
		return ErrUnauthenticated
	}
	return ErrForbidden
}

// Authenticator maps bearer tokens to principals.
type Authenticator struct {
	adminToken []byte
}

// NewAuthenticator trusts adminToken as the administrator's bearer token.
func NewAuthenticator(adminToken string) *Authenticator {
	return &Authenticator{adminToken: []byte(adminToken)}
}

// Principal identifies the caller of r.
func (a *Authenticator) Principal(r *http.Request) Principal {
	return a.FromHeader(r.Header.Get("Authorization"))
}

// FromHeader identifies the caller from an Authorization value
// ("Bearer <token>"), as sent in a header or a WebSocket connection_init.
func (a *Authenticator) FromHeader(h string) Principal {
	if h == "" {
		return Principal{Role: Anonymous}
	}
	token, ok := strings.CutPrefix(h, "Bearer ")
	if ok && len(a.adminToken) > 0 && subtle.ConstantTimeCompare([]byte(token), a.adminToken) == 1 {
		return Principal{Role: Administrator}
	}
	return Principal{Role: Anonymous, BadCredential: true}
}

// Middleware puts the caller's principal in each request's context.
func (a *Authenticator) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(With(r.Context(), a.Principal(r))))
	})
}

// RandomToken returns a fresh 32-byte token in hex, for an administrator
// token the operator did not set.
func RandomToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}
