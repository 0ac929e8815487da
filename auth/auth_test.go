package auth

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/yurong/yurong/store"
)

func TestPrincipals(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	boot, err := st.BootstrapAdministrator(ctx)
	if err != nil {
		t.Fatal(err)
	}
	expertToken, hash, err := NewToken()
	if err != nil {
		t.Fatal(err)
	}
	expert := &store.Account{Name: "专家", Role: string(ExpertRole)}
	if err := st.CreateAccount(ctx, expert, hash); err != nil {
		t.Fatal(err)
	}
	revokedToken, hash, _ := NewToken()
	revoked := &store.Account{Name: "已注销", Role: string(ExpertRole)}
	if err := st.CreateAccount(ctx, revoked, hash); err != nil {
		t.Fatal(err)
	}
	if _, err := st.RevokeAccount(ctx, revoked.ID); err != nil {
		t.Fatal(err)
	}

	a := NewAuthenticator("s3cret", boot.ID, st)
	tests := []struct {
		name    string
		header  string
		role    Role
		account int64
		bad     bool
	}{
		{"no header is anonymous", "", Anonymous, 0, false},
		{"the administrator's token is the bootstrap administrator", "Bearer s3cret", Administrator, boot.ID, false},
		{"an account's token is that account", "Bearer " + expertToken, ExpertRole, expert.ID, false},
		{"a revoked account's token is a bad credential", "Bearer " + revokedToken, Anonymous, 0, true},
		{"a wrong token is anonymous with a bad credential", "Bearer guess", Anonymous, 0, true},
		{"another scheme is not a token", "Basic s3cret", Anonymous, 0, true},
		{"an empty token is a bad credential", "Bearer ", Anonymous, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/graphql", nil)
			if tt.header != "" {
				r.Header.Set("Authorization", tt.header)
			}
			p, err := a.Principal(r)
			if err != nil || p.Role != tt.role || p.AccountID != tt.account || p.BadCredential != tt.bad {
				t.Errorf("Principal = %+v, %v", p, err)
			}
		})
	}
	t.Run("an empty administrator token matches nothing", func(t *testing.T) {
		if p, _ := NewAuthenticator("", boot.ID, st).FromHeader(ctx, "Bearer "); p.Role != Anonymous {
			t.Errorf("Principal = %+v", p)
		}
	})
	t.Run("a store that cannot be read is an error, not an anonymous caller", func(t *testing.T) {
		closed, _ := store.Open(ctx, "", t.TempDir())
		closed.Close()
		if _, err := NewAuthenticator("s3cret", boot.ID, closed).FromHeader(ctx, "Bearer "+expertToken); err == nil {
			t.Error("FromHeader on a closed store returned no error")
		}
	})
	t.Run("only the hash is stored", func(t *testing.T) {
		if HashToken(expertToken) == expertToken || len(HashToken(expertToken)) != 64 {
			t.Errorf("HashToken(%q) = %q", expertToken, HashToken(expertToken))
		}
	})
}

func TestRequire(t *testing.T) {
	ctx := context.Background()
	if err := Require(ctx, Administrator); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("anonymous: %v, want ErrUnauthenticated", err)
	}
	if err := Require(With(ctx, Principal{Role: EnterpriseRole}), Administrator); !errors.Is(err, ErrForbidden) {
		t.Errorf("an enterprise: %v, want ErrForbidden", err)
	}
	if err := Require(With(ctx, Principal{Role: Administrator}), Administrator); err != nil {
		t.Errorf("the administrator: %v", err)
	}
}
