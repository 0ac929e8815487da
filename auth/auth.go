// Package auth identifies who is calling. A request's bearer token maps to
// a Principal: the account behind it, its role and the organisation it acts
// for. What a principal may read and write is decided by package access.
//
// It owns identity: tokens, principals and the middleware that attaches them
// to a request. It imports only store (accounts are looked up there); it
// must not import access, marketplace, resolvers or graph.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/yurong/yurong/store"
)

// Role is what a principal may do; the values are the API's Role enum.
type Role string

const (
	Anonymous       Role = "ANONYMOUS"
	Administrator   Role = "ADMINISTRATOR"
	InstitutionRole Role = "INSTITUTION"
	IncubatorRole   Role = "INCUBATOR"
	EnterpriseRole  Role = "ENTERPRISE"
	ChainLeaderRole Role = "CHAIN_LEADER"
	ExpertRole      Role = "EXPERT"
)

// Roles are the roles an account may have.
var Roles = []Role{Administrator, InstitutionRole, IncubatorRole, EnterpriseRole, ChainLeaderRole, ExpertRole}

// Principal is the caller of one request.
type Principal struct {
	Role Role
	// AccountID is the account behind the token; 0 for anonymous callers.
	AccountID int64
	Name      string
	// OrgKind and OrgID name the organisation the account acts for
	// (store.OrgInstitution, …); "" and 0 when none.
	OrgKind string
	OrgID   int64
	// BadCredential is set when the request carried a token that matched no
	// live account, so errors can say "wrong token" rather than "no token".
	BadCredential bool
}

// ActsFor reports whether the principal acts for the organisation.
func (p Principal) ActsFor(kind string, id int64) bool {
	return p.OrgKind == kind && p.OrgID == id && id != 0
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

// Accounts finds the account a token belongs to.
type Accounts interface {
	AccountByTokenHash(ctx context.Context, tokenHash string) (*store.Account, error)
}

// Authenticator maps bearer tokens to principals: the operator's
// administrator token, and the tokens of accounts, looked up on every
// request so a revocation holds from the next request on, on every
// instance.
type Authenticator struct {
	adminHash [sha256.Size]byte
	hasAdmin  bool
	admin     Principal
	accounts  Accounts
}

// NewAuthenticator trusts adminToken as the token of the administrator
// account adminID, and looks other tokens up in accounts.
func NewAuthenticator(adminToken string, adminID int64, accounts Accounts) *Authenticator {
	return &Authenticator{
		adminHash: sha256.Sum256([]byte(adminToken)), hasAdmin: adminToken != "",
		admin:    Principal{Role: Administrator, AccountID: adminID},
		accounts: accounts,
	}
}

// Principal identifies the caller of r.
func (a *Authenticator) Principal(r *http.Request) (Principal, error) {
	return a.FromHeader(r.Context(), r.Header.Get("Authorization"))
}

// FromHeader identifies the caller from an Authorization value
// ("Bearer <token>"), as sent in a header or a WebSocket connection_init.
// An error means the accounts could not be read, not a bad token.
func (a *Authenticator) FromHeader(ctx context.Context, h string) (Principal, error) {
	if h == "" {
		return Principal{Role: Anonymous}, nil
	}
	bad := Principal{Role: Anonymous, BadCredential: true}
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || token == "" {
		return bad, nil
	}
	sum := sha256.Sum256([]byte(token))
	// SECURITY: compared as hashes in constant time, so the time taken says
	// nothing about how much of the administrator's token a guess got right.
	if a.hasAdmin && subtle.ConstantTimeCompare(sum[:], a.adminHash[:]) == 1 {
		return a.admin, nil
	}
	if a.accounts == nil {
		return bad, nil
	}
	// Account tokens are 256 random bits: the lookup by their hash leaks
	// nothing a guess could use.
	acc, err := a.accounts.AccountByTokenHash(ctx, hex.EncodeToString(sum[:]))
	switch {
	case errors.Is(err, store.ErrNotFound):
		return bad, nil
	case err != nil:
		return bad, fmt.Errorf("auth: identify the caller: %w", err)
	case acc.RevokedAt != nil:
		return bad, nil
	}
	return Principal{Role: Role(acc.Role), AccountID: acc.ID, Name: acc.Name, OrgKind: acc.OrgKind, OrgID: acc.OrgID}, nil
}

// Middleware puts the caller's principal in each request's context. When
// the accounts cannot be read it answers 503: a caller is never served as
// someone they are not.
func (a *Authenticator) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, err := a.Principal(r)
		if err != nil {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprint(w, `{"errors":[{"message":"暂时无法验证令牌，请稍后重试","extensions":{"code":"UNAVAILABLE"}}]}`)
			return
		}
		next.ServeHTTP(w, r.WithContext(With(r.Context(), p)))
	})
}

// NewToken returns a fresh bearer token (256 random bits in hex) and the
// hash that is stored in its place.
func NewToken() (token, hash string, err error) {
	token, err = RandomToken()
	if err != nil {
		return "", "", err
	}
	return token, HashToken(token), nil
}

// HashToken returns the hex SHA-256 of a token, as stored.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// RandomToken returns a fresh 32-byte token in hex.
func RandomToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}
