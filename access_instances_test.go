package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"github.com/yurong/yurong/ratelimit"
	"github.com/yurong/yurong/statebackend"
)

// clock is a test clock that can be moved forward while servers run.
type clock struct{ at atomic.Int64 }

func newClock(t time.Time) *clock {
	c := &clock{}
	c.at.Store(t.UnixNano())
	return c
}

func (c *clock) Now() time.Time          { return time.Unix(0, c.at.Load()).UTC() }
func (c *clock) Advance(d time.Duration) { c.at.Add(int64(d)) }

func startInstanceAt(t *testing.T, cfg Config, now func() time.Time) *httptest.Server {
	t.Helper()
	a, err := newApp(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), now)
	if err != nil {
		t.Fatalf("newApp: %v", err)
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(func() { srv.Close(); a.Close() })
	return srv
}

// accountToken creates an account through the API and returns its id and
// token.
func accountToken(t *testing.T, srv *httptest.Server, name, role, org string) (id, token string) {
	t.Helper()
	vars := map[string]any{"name": name, "role": role}
	if org != "" {
		vars["org"] = org
	}
	var p struct {
		Account    *struct{ ID string } `json:"account"`
		Token      *string              `json:"token"`
		UserErrors []userError          `json:"userErrors"`
	}
	post(t, srv, testToken, `mutation($name: String!, $role: Role!, $org: ID) {
	  createAccount(input: {name: $name, role: $role, organizationId: $org}) { account { id } token userErrors { field code message } } }`, vars).
		decode(t, "createAccount", &p)
	if p.Account == nil || p.Token == nil {
		t.Fatalf("createAccount(%s): %+v", role, p.UserErrors)
	}
	return p.Account.ID, *p.Token
}

func grantConsent(t *testing.T, srv *httptest.Server, token, enterprise, institution, expiresOn string) string {
	t.Helper()
	var p struct {
		Consent    *struct{ ID string } `json:"consent"`
		UserErrors []userError          `json:"userErrors"`
	}
	vars := map[string]any{"e": enterprise, "d": expiresOn}
	if institution != "" {
		vars["i"] = institution
	}
	post(t, srv, token, `mutation($e: ID!, $i: ID, $d: Date!) { grantConsent(input: {enterpriseId: $e, institutionId: $i, expiresOn: $d}) {
	  consent { id } userErrors { field code message } } }`, vars).
		decode(t, "grantConsent", &p)
	if p.Consent == nil {
		t.Fatalf("grantConsent: %+v", p.UserErrors)
	}
	return p.Consent.ID
}

const reportsQuery = `query($id: ID!) { node(id: $id) { ... on Enterprise { name reports { revenue } } } }`

// readsReports reports whether token reads the enterprise's reports on
// srv: true when they come back, false when they are withheld with
// FORBIDDEN; anything else fails the test.
func readsReports(t *testing.T, srv *httptest.Server, token, enterprise string) bool {
	t.Helper()
	r, err := tryPost(srv, token, reportsQuery, map[string]any{"id": enterprise})
	if err != nil {
		t.Fatal(err)
	}
	var e struct {
		Name    string
		Reports []struct{ Revenue string }
	}
	if err := json.Unmarshal(r.Data["node"], &e); err != nil {
		t.Fatalf("reports read: %v in %s", err, r.Data["node"])
	}
	switch {
	case len(r.Errors) == 0 && len(e.Reports) == 1 && e.Reports[0].Revenue == "3000000.00":
		return true
	case len(r.Errors) == 1 && r.code() == "FORBIDDEN" && e.Reports == nil && e.Name != "":
		return false
	}
	t.Fatalf("reports read: data %s, errors %+v", r.Data["node"], r.Errors)
	return false
}

// twoInstances starts instances A and B on shared PostgreSQL and Redis (B
// on its own clock), creates a bank and an enterprise with a report on A,
// and returns once B knows the enterprise.
func twoInstances(t *testing.T, clockB func() time.Time) (a, b *httptest.Server, bank, enterprise string) {
	t.Helper()
	dbURL, redisURL, prefix := sharedBackends(t)
	cfg := Config{DatabaseURL: dbURL, RedisURL: redisURL, AdminToken: testToken,
		Cache: statebackend.Options{Prefix: prefix, Rate: ratelimit.Rate{Limit: 50_000, PerSecond: 1}}}
	cfgB := cfg
	cfg.DataDir, cfgB.DataDir = t.TempDir(), t.TempDir()
	a, b = startInstanceAt(t, cfg, testNow), startInstanceAt(t, cfgB, clockB)
	bank = createBank(t, a, "中原银行", "ZHENGZHOU")
	enterprise = createTestEnterprise(t, a, "郑州授权科技有限公司", "91410100MA44CCCC1")
	eventually(t, 10*time.Second, func() bool {
		return string(post(t, b, "", reportsQuery, map[string]any{"id": enterprise}).Data["node"]) != "null"
	})
	return a, b, bank, enterprise
}

// TestAccessHoldsOnEveryInstance: access granted or withdrawn on one
// instance holds on the other from its next request — a revoked account,
// a revoked consent and a consent past its last day — with both sharing
// PostgreSQL and the Redis response cache.
func TestAccessHoldsOnEveryInstance(t *testing.T) {
	clockB := newClock(testNow())
	a, b, bankID, enterprise := twoInstances(t, clockB.Now)
	bankAccount, bank := accountToken(t, a, "中原银行客户经理", "INSTITUTION", bankID)
	_, owner := accountToken(t, a, "郑州授权科技", "ENTERPRISE", enterprise)

	t.Run("a consent granted on A lets the institution read on B", func(t *testing.T) {
		if readsReports(t, b, bank, enterprise) {
			t.Fatal("the institution read the reports before any consent")
		}
		grantConsent(t, a, owner, enterprise, bankID, "2026-06-15") // today is its last day
		if !readsReports(t, b, bank, enterprise) {
			t.Fatal("the institution cannot read on B with a live consent granted on A")
		}
	})

	t.Run("a consent past its last day lets nothing through", func(t *testing.T) {
		clockB.Advance(24 * time.Hour)
		if readsReports(t, b, bank, enterprise) {
			t.Fatal("B let the institution read the day after the consent expired")
		}
		clockB.Advance(-24 * time.Hour)
	})

	t.Run("a consent revoked on A holds on B at the next request", func(t *testing.T) {
		grantConsent(t, a, owner, enterprise, "", "2026-12-31") // every institution
		if !readsReports(t, b, bank, enterprise) {
			t.Fatal("a consent to every institution does not reach the institution")
		}
		// The enterprise withdraws both its consents.
		var e struct {
			Consents []struct{ ID string }
		}
		post(t, a, owner, `query($id: ID!) { node(id: $id) { ... on Enterprise { consents { id } } } }`, map[string]any{"id": enterprise}).
			decode(t, "node", &e)
		if len(e.Consents) != 2 {
			t.Fatalf("the enterprise sees %d consents, want 2", len(e.Consents))
		}
		for _, c := range e.Consents {
			var r struct {
				Consent struct{ RevokedAt *string } `json:"consent"`
			}
			post(t, a, owner, `mutation($id: ID!) { revokeConsent(input: {id: $id}) { consent { revokedAt } } }`, map[string]any{"id": c.ID}).
				decode(t, "revokeConsent", &r)
			if r.Consent.RevokedAt == nil {
				t.Fatal("revokeConsent did not stamp revokedAt")
			}
		}
		if readsReports(t, b, bank, enterprise) {
			t.Fatal("B let the institution read after every consent was revoked on A")
		}
	})

	t.Run("an account revoked on A is refused by B at the next request", func(t *testing.T) {
		var v struct{ ID string }
		post(t, b, bank, `{ viewer { id } }`, nil).decode(t, "viewer", &v)
		if v.ID != bankAccount {
			t.Fatalf("viewer on B = %q, want %q", v.ID, bankAccount)
		}
		post(t, a, testToken, `mutation($id: ID!) { revokeAccount(input: {id: $id}) { account { revokedAt } } }`, map[string]any{"id": bankAccount})
		r := post(t, b, bank, `{ viewer { id } }`, nil)
		if string(r.Data["viewer"]) != "null" {
			t.Fatalf("B still knows the revoked account: %s", r.Data["viewer"])
		}
		r = post(t, b, bank, `mutation { rematch { enterprises } }`, nil)
		if r.code() != "UNAUTHENTICATED" || !strings.Contains(r.Errors[0].Message, "令牌无效") {
			t.Fatalf("a revoked token's write on B: %+v", r.Errors)
		}
	})
}

// TestPrivateAnswersAreNeverShared: the response cache, shared by two
// instances through Redis, never hands one viewer's answer to a viewer
// with other access, in either direction, and an answer that hung on
// access is not kept past a change of that access.
func TestPrivateAnswersAreNeverShared(t *testing.T) {
	a, b, bankID, enterprise := twoInstances(t, testNow)
	_, bank := accountToken(t, a, "郑州银行客户经理", "INSTITUTION", bankID)
	_, owner := accountToken(t, a, "郑州缓存科技", "ENTERPRISE", enterprise)

	t.Run("the administrator's private answer is not served to anyone else", func(t *testing.T) {
		for range 2 { // a second read would hit the cache if the first were kept
			if !readsReports(t, a, testToken, enterprise) {
				t.Fatal("the administrator cannot read the reports")
			}
		}
		for _, who := range []struct{ name, token string }{{"anonymous", ""}, {"the institution without consent", bank}} {
			if readsReports(t, b, who.token, enterprise) || readsReports(t, a, who.token, enterprise) {
				t.Fatalf("%s was served the administrator's reports", who.name)
			}
		}
	})

	t.Run("a public answer cached for one viewer does not hide the figures from another", func(t *testing.T) {
		q := `query($id: ID!) { node(id: $id) { ... on Enterprise { earlySmallHard { reasons } } } }`
		reasons := func(srv *httptest.Server, token string) string {
			var e struct{ EarlySmallHard struct{ Reasons []string } }
			post(t, srv, token, q, map[string]any{"id": enterprise}).decode(t, "node", &e)
			return strings.Join(e.EarlySmallHard.Reasons, "；")
		}
		const revenue = "300万元" // the report's revenue of 3,000,000
		anon := reasons(a, "")
		if strings.Contains(anon, revenue) || anon == "" {
			t.Fatalf("anonymous reasons: %q", anon)
		}
		if again := reasons(b, ""); again != anon {
			t.Fatalf("anonymous reasons differ between instances: %q and %q", anon, again)
		}
		if got := reasons(b, testToken); !strings.Contains(got, revenue) {
			t.Fatalf("the administrator was served the public reasons: %q", got)
		}
		if got := reasons(b, owner); !strings.Contains(got, revenue) {
			t.Fatalf("the enterprise was served the public reasons: %q", got)
		}
		before := reasons(a, bank)
		if strings.Contains(before, revenue) {
			t.Fatalf("the institution without consent read the figures: %q", before)
		}
		grantConsent(t, a, owner, enterprise, bankID, "2026-12-31")
		if got := reasons(a, bank); !strings.Contains(got, revenue) {
			t.Fatalf("after the consent the institution still gets the public reasons (a stale cached answer?): %q", got)
		}
	})
}

// TestRateBudgetsArePerAccount: an account that spends its budget is
// refused while another account, and anonymous callers from the same
// address, keep theirs.
func TestRateBudgetsArePerAccount(t *testing.T) {
	srv, _ := testServerWith(t, 0, func(c *Config) {
		c.Cache.Rate = ratelimit.Rate{Limit: 2_000, PerSecond: 1}
	})
	_, spender := accountToken(t, srv, "专家甲", "EXPERT", "")
	_, other := accountToken(t, srv, "专家乙", "EXPERT", "")
	q := `{ enterprises(first: 100) { totalCount edges { node { name } } } }`
	refused := false
	for range 100 {
		if r := post(t, srv, spender, q, nil); r.status == http.StatusTooManyRequests {
			refused = true
			break
		}
	}
	if !refused {
		t.Fatal("the spending account was never refused")
	}
	for _, who := range []struct{ name, token string }{{"another account", other}, {"an anonymous caller", ""}} {
		if r := post(t, srv, who.token, q, nil); r.status != http.StatusOK || len(r.Errors) > 0 {
			t.Errorf("%s was refused after one account spent its budget: %d %+v", who.name, r.status, r.Errors)
		}
	}
}

// TestARevokedSubscriberHearsNothingMore: a WebSocket connection is
// authenticated once, at connection_init; a revocation still holds from the
// subscription's next event on.
func TestARevokedSubscriberHearsNothingMore(t *testing.T) {
	srv, a := testServer(t, 0)
	enterprise := createTestEnterprise(t, srv, "郑州订阅科技有限公司", "91410100MA44EEEE1")
	expertID, expert := accountToken(t, srv, "豫融服务团专家", "EXPERT", "")

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	init, _ := json.Marshal(map[string]any{"Authorization": "Bearer " + expert})
	wsjson.Write(ctx, conn, wsMessage{Type: "connection_init", Payload: init})
	var ack wsMessage
	if err := wsjson.Read(ctx, conn, &ack); err != nil || ack.Type != "connection_ack" {
		t.Fatalf("ack: %v %+v", err, ack)
	}
	sub, _ := json.Marshal(map[string]any{"query": `subscription($id: ID) { pairingsChanged(enterpriseId: $id) { enterprise { id reports { year } } } }`,
		"variables": map[string]any{"id": enterprise}})
	wsjson.Write(ctx, conn, wsMessage{ID: "1", Type: "subscribe", Payload: sub})
	waitUntil(t, 10*time.Second, "the server to start the subscription", func() bool { return liveSubscriptions(t, a) == 1 })

	next := func() gqlResponse {
		t.Helper()
		for {
			var m wsMessage
			if err := wsjson.Read(ctx, conn, &m); err != nil {
				t.Fatalf("no event: %v", err)
			}
			switch m.Type {
			case "ping":
				wsjson.Write(ctx, conn, wsMessage{Type: "pong"})
				continue
			case "next":
				var r gqlResponse
				if err := json.Unmarshal(m.Payload, &r); err != nil {
					t.Fatal(err)
				}
				return r
			}
			t.Fatalf("unexpected message %+v", m)
		}
	}
	update := func(employees int) {
		post(t, srv, testToken, `mutation($id: ID!, $n: Int) { updateEnterprise(input: {id: $id, employees: $n}) { userErrors { code } } }`,
			map[string]any{"id": enterprise, "n": employees})
	}

	update(55)
	if r := next(); len(r.Errors) > 0 || !strings.Contains(string(r.Data["pairingsChanged"]), `"reports":[{"year":2025}]`) {
		t.Fatalf("the expert's event: %s %+v", r.Data["pairingsChanged"], r.Errors)
	}
	post(t, srv, testToken, `mutation($id: ID!) { revokeAccount(input: {id: $id}) { account { revokedAt } } }`, map[string]any{"id": expertID})
	update(56)
	// Events of the first update already sent may still arrive; the first
	// one built after the revocation is refused (and none would be, were
	// the account not re-read: the read times out).
	for {
		r := next()
		if len(r.Errors) > 0 {
			if r.code() != "UNAUTHENTICATED" || string(r.Data["pairingsChanged"]) != "" && string(r.Data["pairingsChanged"]) != "null" {
				t.Fatalf("the revoked expert's event: %s %+v", r.Data["pairingsChanged"], r.Errors)
			}
			break
		}
	}
}
