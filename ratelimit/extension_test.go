package ratelimit

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/testserver"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"
)

// gqlResponse is a GraphQL response as a client reads it.
type gqlResponse struct {
	Status int
	Header http.Header
	Data   map[string]any `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
	Extensions map[string]any `json:"extensions"`
}

func (r gqlResponse) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	code, _ := r.Errors[0].Extensions["code"].(string)
	return code
}

func serve(t *testing.T, h http.Handler, req *http.Request) gqlResponse {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var r gqlResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
		t.Fatalf("response %q: %v", rec.Body.String(), err)
	}
	r.Status, r.Header = rec.Code, rec.Header()
	return r
}

// costServer is gqlgen's test schema where every field costs 10, behind
// the rate-limit extension and its middleware.
func costServer(l Limiter, withComplexityLimit bool) http.Handler {
	srv := testserver.New()
	srv.SetCalculatedComplexity(10)
	srv.AddTransport(transport.Websocket{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	if withComplexityLimit {
		srv.Use(extension.FixedComplexityLimit(1000))
	}
	rl := New(l)
	srv.Use(rl)
	return rl.Middleware(srv)
}

// ask posts { name } (cost 10) as the client at addr with token.
func ask(t *testing.T, h http.Handler, addr, token string) gqlResponse {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewBufferString(`{"query":"{ name }"}`))
	req.Header.Set("Content-Type", "application/json")
	req.RemoteAddr = addr
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return serve(t, h, req)
}

// costOf returns extensions.cost in CostStats' field order.
func costOf(r gqlResponse) string {
	raw, ok := r.Extensions["cost"]
	if !ok {
		return "(none)"
	}
	b, _ := json.Marshal(raw)
	var c CostStats
	json.Unmarshal(b, &c)
	b, _ = json.Marshal(c)
	return string(b)
}

func TestRateLimit(t *testing.T) {
	forEachLimiter(t, func(t *testing.T, v variant) {
		// 25 units, refilling so slowly that the test never sees it.
		rate := Rate{Limit: 25, PerSecond: 0.01}

		t.Run("each response reports its cost, and an operation over budget is refused with 429", func(t *testing.T) {
			h := costServer(v.open(t, rate), false)
			steps := []struct {
				wantStatus int
				wantCode   string
				wantCost   string
			}{
				{200, "", `{"requested":10,"actual":10,"remaining":15,"limit":25}`},
				{200, "", `{"requested":10,"actual":10,"remaining":5,"limit":25}`},
				{429, CodeRateLimited, `{"requested":10,"actual":10,"remaining":5,"limit":25}`},
			}
			for i, s := range steps {
				r := ask(t, h, "192.0.2.1:1000", "")
				if r.Status != s.wantStatus || r.code() != s.wantCode || costOf(r) != s.wantCost {
					t.Errorf("request %d: status %d, code %q, cost %s; want %d, %q, %s",
						i+1, r.Status, r.code(), costOf(r), s.wantStatus, s.wantCode, s.wantCost)
				}
				if s.wantStatus != 429 {
					continue
				}
				retry, err := strconv.Atoi(r.Header.Get("Retry-After"))
				if err != nil || retry < 1 {
					t.Errorf("Retry-After = %q, want whole seconds", r.Header.Get("Retry-After"))
				}
				if got := r.Errors[0].Extensions["retryAfterSeconds"]; got != float64(retry) {
					t.Errorf("retryAfterSeconds = %v, want %d like Retry-After", got, retry)
				}
				if r.Data != nil {
					t.Errorf("a refused operation ran: data %v", r.Data)
				}
			}
		})
		t.Run("clients are told apart by address, and by bearer token before that", func(t *testing.T) {
			h := costServer(v.open(t, rate), false)
			for range 3 {
				ask(t, h, "192.0.2.1:1000", "")
			}
			cases := []struct {
				name, addr, token string
				wantStatus        int
			}{
				{"the same address on another port", "192.0.2.1:2000", "", 429},
				{"another address", "192.0.2.2:1000", "", 200},
				{"a token from the spent address", "192.0.2.1:1000", "secret", 200},
			}
			for _, c := range cases {
				if r := ask(t, h, c.addr, c.token); r.Status != c.wantStatus {
					t.Errorf("%s: status %d, want %d", c.name, r.Status, c.wantStatus)
				}
			}
		})
		t.Run("the cost gqlgen's complexity limit computed is reused", func(t *testing.T) {
			h := costServer(v.open(t, rate), true)
			if r := ask(t, h, "192.0.2.1:1000", ""); costOf(r) != `{"requested":10,"actual":10,"remaining":15,"limit":25}` {
				t.Errorf("cost = %s", costOf(r))
			}
		})
		t.Run("a download charges the same budget as the operations", func(t *testing.T) {
			l := v.open(t, rate)
			rl := New(l)
			var charged []bool
			download := rl.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				ok, secs := rl.Charge(r.Context(), 10)
				charged = append(charged, ok)
				if !ok && secs < 1 {
					t.Errorf("refused with retry after %d s", secs)
				}
			}))
			get := func() {
				req := httptest.NewRequest(http.MethodGet, "/events/1/schedule.xlsx", nil)
				req.RemoteAddr = "192.0.2.1:1000"
				download.ServeHTTP(httptest.NewRecorder(), req)
			}
			h := costServer(l, false)
			get()
			ask(t, h, "192.0.2.1:1000", "")
			get()
			if want := []bool{true, false}; len(charged) != 2 || charged[0] != want[0] || charged[1] != want[1] {
				t.Errorf("downloads allowed %v, want %v (25 units: 10 for the download, 10 for the query, 5 left)", charged, want)
			}
		})
		if v.shared {
			t.Run("the budget is shared across instances", func(t *testing.T) {
				a, b := costServer(v.open(t, rate), false), costServer(v.open(t, rate), false)
				ask(t, a, "192.0.2.1:1000", "")
				ask(t, a, "192.0.2.1:1000", "")
				if r := ask(t, b, "192.0.2.1:1000", ""); r.Status != 429 {
					t.Errorf("instance B answered %d after A spent the budget, want 429", r.Status)
				}
			})
		}
	})
}

func TestRateLimitMiddlewareLetsWebSocketsUpgrade(t *testing.T) {
	ts := httptest.NewServer(costServer(NewMemory(Rate{Limit: 100_000, PerSecond: 2_000}, maxClients), false))
	defer ts.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(ts.URL, "http"), &websocket.DialOptions{
		Subprotocols: []string{"graphql-transport-ws"},
	})
	if err != nil {
		t.Fatalf("dial through the middleware: %v", err)
	}
	defer conn.CloseNow()
	if err := conn.Write(ctx, websocket.MessageText, []byte(`{"type":"connection_init"}`)); err != nil {
		t.Fatal(err)
	}
	_, msg, err := conn.Read(ctx)
	if err != nil || !strings.Contains(string(msg), "connection_ack") {
		t.Fatalf("read = %s, %v; want connection_ack", msg, err)
	}
	conn.Close(websocket.StatusNormalClosure, "")
}

func TestClientID(t *testing.T) {
	cases := []struct {
		name, remote, auth, want string
	}{
		{"an address without a token", "192.0.2.1:1234", "", "ip:192.0.2.1"},
		{"an IPv6 address", "[2001:db8::1]:1234", "", "ip:2001:db8::1"},
		{"a bearer token, hashed", "192.0.2.1:1234", "Bearer abc", "token:ba7816bf8f01cfea414140de5dae2223"},
		{"another scheme counts by address", "192.0.2.1:1234", "Basic abc", "ip:192.0.2.1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.RemoteAddr = c.remote
			if c.auth != "" {
				r.Header.Set("Authorization", c.auth)
			}
			if got := ClientID(r); got != c.want {
				t.Errorf("ClientID = %q, want %q", got, c.want)
			}
		})
	}
}
