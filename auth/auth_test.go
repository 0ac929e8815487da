package auth

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
)

func TestPrincipals(t *testing.T) {
	a := NewAuthenticator("s3cret")
	tests := []struct {
		name   string
		header string
		role   Role
		bad    bool
	}{
		{"no header is anonymous", "", Anonymous, false},
		{"the administrator's token", "Bearer s3cret", Administrator, false},
		{"a wrong token is anonymous with a bad credential", "Bearer guess", Anonymous, true},
		{"another scheme is not a token", "Basic s3cret", Anonymous, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/graphql", nil)
			if tt.header != "" {
				r.Header.Set("Authorization", tt.header)
			}
			p := a.Principal(r)
			if p.Role != tt.role || p.BadCredential != tt.bad {
				t.Errorf("Principal = %+v", p)
			}
		})
	}
	t.Run("an empty administrator token matches nothing", func(t *testing.T) {
		if p := NewAuthenticator("").FromHeader("Bearer "); p.Role != Anonymous {
			t.Errorf("Principal = %+v", p)
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
