package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yurong/yurong/ratelimit"
	"github.com/yurong/yurong/statebackend"
)

// updateEnterprise patches an enterprise as the administrator; patch is
// the input's fields after the id, in GraphQL syntax.
func updateEnterprise(t *testing.T, srv *httptest.Server, id, patch string) {
	t.Helper()
	var p payload
	post(t, srv, testToken, `mutation($id: ID!) { updateEnterprise(input: {id: $id, `+patch+`}) { enterprise { id } userErrors { field code message } } }`,
		map[string]any{"id": id}).decode(t, "updateEnterprise", &p)
	if p.Enterprise == nil {
		t.Fatalf("updateEnterprise: %+v", p.UserErrors)
	}
}

// TestApplyingRefusesWhatTheRulesForbid: each refusal is a userError with
// its code and field, and leaves nothing behind.
func TestApplyingRefusesWhatTheRulesForbid(t *testing.T) {
	srv, a := testServer(t, 0)
	bank := createBank(t, srv, "郑州银行", "ZHENGZHOU")
	techLoan := createProduct(t, srv, bank, `{"name": "郑州银行科技贷", "kind": "LOAN", "program": "TECH_LOAN", "providerId": "PROVIDER", "maxAmount": "3000000"}`)
	subsidyLoan := createProduct(t, srv, bank, `{"name": "郑州银行积分奖补贷", "kind": "LOAN", "program": "SUBSIDY_LOAN", "providerId": "PROVIDER",
		"maxAmount": "5000000", "eligibility": {"requiresSubsidy": true}}`)
	demanding := createProduct(t, srv, bank, `{"name": "郑州银行领军贷", "kind": "LOAN", "program": "SCORE_LOAN", "providerId": "PROVIDER",
		"maxAmount": "5000000", "eligibility": {"minInnovationScore": 1000}}`)
	good := createTestEnterprise(t, srv, "郑州超硬材料有限公司", "91410100MA47BBBB0")
	updateEnterprise(t, srv, good, `subsidies: [{program: "研发费用后补助", amount: "150000", year: 2025}, {program: "创新券", amount: "50000", year: 2026}, {program: "旧补助", amount: "900000", year: 2023}]`)
	dishonest := createTestEnterprise(t, srv, "郑州失信科技有限公司", "91410100MA47BBBB1")
	updateEnterprise(t, srv, dishonest, `creditStatus: DISHONEST`)
	apply(t, srv, testToken, good, techLoan, "1000000", false) // the open application DUPLICATE meets

	rows := []struct {
		name, enterprise, product, amount string
		preApply                          bool
		code                              string
		field                             string
		message                           []string // the message holds each
	}{
		{"a dishonest enterprise", dishonest, techLoan, "1000000", false, "DISHONEST", "enterpriseId", []string{"失信"}},
		{"a pairing that is not eligible", good, demanding, "1000000", false, "NOT_ELIGIBLE", "productId", []string{"1000"}},
		{"above the product's maximum", good, subsidyLoan, "6000000", false, "OVER_CAP", "requestedAmount", []string{"600万元", "500万元"}},
		{"a subsidy loan above 5 × this year's and last year's subsidies", good, subsidyLoan, "1000000.01", false, "OVER_CAP", "requestedAmount",
			[]string{"100万元", "20万元", "5 倍"}},
		{"a second open application to the same product", good, techLoan, "500000", false, "DUPLICATE", "productId", nil},
		{"a pre-application for a product other than a contest loan", good, subsidyLoan, "500000", true, "INVALID_PHASE", "preApply", nil},
		{"no amount", good, subsidyLoan, "0", false, "OUT_OF_RANGE", "requestedAmount", nil},
		{"an enterprise that does not exist", "RW50ZXJwcmlzZTo5OTk", techLoan, "500000", false, "NOT_FOUND", "enterpriseId", nil},
		{"a product ID of another type", good, bank, "500000", false, "NOT_FOUND", "productId", nil},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			before, _ := a.store.LogHead(context.Background())
			e := wantRefusal(t, row.name, apply(t, srv, testToken, row.enterprise, row.product, row.amount, row.preApply), row.code)
			if strings.Join(e.Field, ".") != "input."+row.field {
				t.Errorf("field %v, want input.%s", e.Field, row.field)
			}
			for _, s := range row.message {
				if !strings.Contains(e.Message, s) {
					t.Errorf("message %q lacks %q", e.Message, s)
				}
			}
			if after, _ := a.store.LogHead(context.Background()); after != before {
				t.Errorf("a refused application wrote to the change log: %d → %d", before, after)
			}
		})
	}
	t.Run("exactly 5 × the subsidies of this year and last is accepted", func(t *testing.T) {
		wantStatus(t, "at the cap", apply(t, srv, testToken, good, subsidyLoan, "1000000", false), "SUBMITTED")
	})
	var all struct{ TotalCount int }
	post(t, srv, testToken, `{ applications { totalCount } }`, nil).decode(t, "applications", &all)
	if all.TotalCount != 2 {
		t.Fatalf("%d applications stored, want the 2 accepted", all.TotalCount)
	}
}

// TestStatusesMoveOnlyForward drives one application of each path and
// tries every move the machine refuses from where it stands.
func TestStatusesMoveOnlyForward(t *testing.T) {
	srv, _ := testServer(t, 0)
	bank := createBank(t, srv, "中原银行", "ZHENGZHOU")
	var products []string
	for i := range 3 {
		products = append(products, createProduct(t, srv, bank, fmt.Sprintf(`{"name": "中原银行科技贷%d号", "kind": "LOAN", "program": "TECH_LOAN",
			"providerId": "PROVIDER", "maxAmount": "3000000", "collateralFree": %v}`, i, i == 0)))
	}
	ent := createTestEnterprise(t, srv, "郑州金刚石科技有限公司", "91410100MA48CCCC0")
	decide := func(id string, approve bool) outcome {
		return applicationCall(t, srv, testToken, "decideApplication", fmt.Sprintf(`{id: $id, approve: %v, reason: "审批意见"}`, approve), map[string]any{"id": id})
	}
	disburse := func(id string) outcome {
		return applicationCall(t, srv, testToken, "recordDisbursement", `{id: $id, amount: $amount, on: $on}`,
			map[string]any{"id": id, "amount": "1000000", "on": "2026-06-15"})
	}
	withdraw := func(id string) outcome {
		return applicationCall(t, srv, testToken, "withdrawApplication", `{id: $id}`, map[string]any{"id": id})
	}
	moves := map[string]func(id string) outcome{
		"approve":  func(id string) outcome { return decide(id, true) },
		"reject":   func(id string) outcome { return decide(id, false) },
		"disburse": disburse,
		"withdraw": withdraw,
	}
	refused := func(t *testing.T, id, status string, names ...string) {
		t.Helper()
		for _, n := range names {
			wantRefusal(t, n+" from "+status, moves[n](id), "INVALID_TRANSITION")
		}
	}

	paid := wantStatus(t, "apply", apply(t, srv, testToken, ent, products[0], "1000000", false), "SUBMITTED")
	refused(t, paid.ID, "SUBMITTED", "disburse")
	approved := wantStatus(t, "approve", decide(paid.ID, true), "APPROVED")
	if approved.LossCompensationRatio == nil || *approved.LossCompensationRatio != 0.6 {
		t.Fatalf("a pure-credit 科技贷 to a ¥3m-revenue borrower: compensation %v, want 0.6", approved.LossCompensationRatio)
	}
	refused(t, paid.ID, "APPROVED", "approve", "reject")
	wantStatus(t, "disburse", disburse(paid.ID), "DISBURSED")
	refused(t, paid.ID, "DISBURSED", "approve", "reject", "disburse", "withdraw")

	rejected := wantStatus(t, "apply", apply(t, srv, testToken, ent, products[1], "1000000", false), "SUBMITTED")
	wantStatus(t, "reject", decide(rejected.ID, false), "REJECTED")
	refused(t, rejected.ID, "REJECTED", "approve", "reject", "disburse", "withdraw")

	withdrawn := wantStatus(t, "apply", apply(t, srv, testToken, ent, products[2], "1000000", false), "SUBMITTED")
	withdrawnApproved := wantStatus(t, "approve", decide(withdrawn.ID, true), "APPROVED")
	if withdrawnApproved.LossCompensationRatio == nil || *withdrawnApproved.LossCompensationRatio != 0.5 {
		t.Fatalf("a 科技贷 with collateral to a ¥3m-revenue borrower: compensation %v, want 0.5", withdrawnApproved.LossCompensationRatio)
	}
	final := wantStatus(t, "withdraw an approved loan", withdraw(withdrawn.ID), "WITHDRAWN")
	refused(t, withdrawn.ID, "WITHDRAWN", "approve", "reject", "disburse", "withdraw")
	var statuses []string
	for _, e := range final.Events {
		statuses = append(statuses, e.Status)
	}
	if strings.Join(statuses, " ") != "SUBMITTED APPROVED WITHDRAWN" {
		t.Fatalf("events %v", statuses)
	}
	// Withdrawn, the product may be applied for again.
	wantStatus(t, "apply again", apply(t, srv, testToken, ent, products[2], "1000000", false), "SUBMITTED")
}

// TestParallelIdenticalApplicationsCreateOne sends 50 identical
// applications at once, on the embedded store and on PostgreSQL: one is
// created, 49 are DUPLICATE.
func TestParallelIdenticalApplicationsCreateOne(t *testing.T) {
	backends := map[string]func(t *testing.T) *httptest.Server{
		"sqlite": func(t *testing.T) *httptest.Server { srv, _ := testServer(t, 0); return srv },
		"postgres": func(t *testing.T) *httptest.Server {
			dbURL, redisURL, prefix := sharedBackends(t)
			return startInstance(t, Config{DatabaseURL: dbURL, RedisURL: redisURL, AdminToken: testToken, DataDir: t.TempDir(),
				Cache: statebackend.Options{Prefix: prefix, Rate: ratelimit.Rate{Limit: 50_000, PerSecond: 1}}})
		},
	}
	for name, start := range backends {
		t.Run(name, func(t *testing.T) {
			srv := start(t)
			bank := createBank(t, srv, "中原银行", "ZHENGZHOU")
			product := createProduct(t, srv, bank, `{"name": "中原银行科技贷", "kind": "LOAN", "program": "TECH_LOAN", "providerId": "PROVIDER", "maxAmount": "3000000"}`)
			ent := createTestEnterprise(t, srv, "郑州金刚石科技有限公司", "91410100MA49DDDD0")
			const n = 50
			var wg sync.WaitGroup
			codes := make([]string, n)
			for i := range n {
				wg.Go(func() {
					r, err := tryPost(srv, testToken, `mutation($e: ID!, $p: ID!) { applyForFinancing(input: {enterpriseId: $e, productId: $p,
					  requestedAmount: "1000000", purpose: "研发投入"}) { application { id } userErrors { code } } }`, map[string]any{"e": ent, "p": product})
					switch {
					case err != nil:
						codes[i] = err.Error()
					case len(r.Errors) > 0:
						codes[i] = r.code()
					case strings.Contains(string(r.Data["applyForFinancing"]), `"DUPLICATE"`):
						codes[i] = "DUPLICATE"
					case strings.Contains(string(r.Data["applyForFinancing"]), `"application":{"id"`):
						codes[i] = "CREATED"
					default:
						codes[i] = string(r.Data["applyForFinancing"])
					}
				})
			}
			wg.Wait()
			count := map[string]int{}
			for _, c := range codes {
				count[c]++
			}
			if count["CREATED"] != 1 || count["DUPLICATE"] != n-1 {
				t.Fatalf("outcomes %v, want 1 CREATED and %d DUPLICATE", count, n-1)
			}
			var all struct{ TotalCount int }
			post(t, srv, testToken, `{ applications { totalCount } }`, nil).decode(t, "applications", &all)
			if all.TotalCount != 1 {
				t.Fatalf("%d applications stored", all.TotalCount)
			}
		})
	}
}

// TestWhoSeesAnApplication: the enterprise, its institution and the
// administrators; nobody else, through any field.
func TestWhoSeesAnApplication(t *testing.T) {
	srv, _ := testServer(t, 0)
	bank := createBank(t, srv, "中原银行", "ZHENGZHOU")
	otherBank := createBank(t, srv, "洛阳银行", "LUOYANG")
	product := createProduct(t, srv, bank, `{"name": "中原银行科技贷", "kind": "LOAN", "program": "TECH_LOAN", "providerId": "PROVIDER", "maxAmount": "3000000"}`)
	ent := createTestEnterprise(t, srv, "郑州金刚石科技有限公司", "91410100MA4AEEEE0")
	other := createTestEnterprise(t, srv, "洛阳碳化硅材料有限公司", "91410100MA4AEEEE1")
	_, entToken := accountToken(t, srv, "金刚石财务部", "ENTERPRISE", ent)
	_, otherToken := accountToken(t, srv, "碳化硅财务部", "ENTERPRISE", other)
	_, bankToken := accountToken(t, srv, "中原银行客户经理", "INSTITUTION", bank)
	_, otherBankToken := accountToken(t, srv, "洛阳银行客户经理", "INSTITUTION", otherBank)
	_, expertToken := accountToken(t, srv, "服务团专家", "EXPERT", "")

	const enterpriseApps = `query($id: ID!) { node(id: $id) { ... on Enterprise { name applications { id status } } } }`
	// Read once before applying: a response kept from now must not hide
	// the application.
	post(t, srv, entToken, enterpriseApps, map[string]any{"id": ent})
	app := wantStatus(t, "apply", apply(t, srv, entToken, ent, product, "1000000", false), "SUBMITTED")

	callers := []struct {
		name, token string
		sees        bool
		code        string // of a refusal of the node and the list
	}{
		{"the administrator", testToken, true, ""},
		{"the enterprise", entToken, true, ""},
		{"the institution applied to", bankToken, true, ""},
		{"another institution", otherBankToken, false, "FORBIDDEN"},
		{"another enterprise", otherToken, false, "FORBIDDEN"},
		{"an expert", expertToken, false, "FORBIDDEN"},
		{"an anonymous caller", "", false, "UNAUTHENTICATED"},
	}
	t.Run("the follow-up list is for banks, experts and administrators", func(t *testing.T) {
		const q = `{ contestFollowUps(year: 2026) { totalCount } }`
		for token, code := range map[string]string{"": "UNAUTHENTICATED", entToken: "FORBIDDEN", bankToken: "", expertToken: "", testToken: ""} {
			if r := post(t, srv, token, q, nil); r.code() != code {
				t.Errorf("code %q, want %q", r.code(), code)
			}
		}
	})
	for _, c := range callers {
		t.Run(c.name, func(t *testing.T) {
			node := post(t, srv, c.token, `query($id: ID!) { node(id: $id) { ... on Application { id requestedAmount } } }`, map[string]any{"id": app.ID})
			list := post(t, srv, c.token, `{ applications { totalCount edges { node { id } } } }`, nil)
			field := post(t, srv, c.token, enterpriseApps, map[string]any{"id": ent})
			var e struct {
				Name         string
				Applications []struct{ ID string }
			}
			json.Unmarshal(field.Data["node"], &e)
			if c.sees {
				var total struct{ TotalCount int }
				list.decode(t, "applications", &total)
				if len(node.Errors) > 0 || !strings.Contains(string(node.Data["node"]), app.ID) || total.TotalCount != 1 ||
					len(field.Errors) > 0 || len(e.Applications) != 1 || e.Applications[0].ID != app.ID {
					t.Fatalf("node %s %+v; list %s %+v; field %s %+v", node.Data["node"], node.Errors, list.Data["applications"], list.Errors, field.Data["node"], field.Errors)
				}
				return
			}
			if node.code() != c.code || strings.Contains(string(node.Data["node"]), "requestedAmount") {
				t.Errorf("node: code %q, data %s", node.code(), node.Data["node"])
			}
			if c.code == "UNAUTHENTICATED" && list.code() != c.code {
				t.Errorf("list: code %q", list.code())
			}
			if c.code == "FORBIDDEN" && list.code() == "" && strings.Contains(string(list.Data["applications"]), app.ID) {
				t.Errorf("list shows the application: %s", list.Data["applications"])
			}
			if e.Applications != nil || field.code() == "" {
				t.Errorf("Enterprise.applications: %+v, code %q", e.Applications, field.code())
			}
		})
	}
}

// TestTopBanksGainABonus: a bank that pays an early-small-hard enterprise
// out through the marketplace tops the evaluation, and its products then
// score higher for early-small-hard enterprises, with the reason named.
func TestTopBanksGainABonus(t *testing.T) {
	srv, _ := testServer(t, 0)
	bank := createBank(t, srv, "中原银行", "ZHENGZHOU")
	other := createBank(t, srv, "洛阳银行", "LUOYANG")
	loan := createProduct(t, srv, bank, `{"name": "中原银行科技贷", "kind": "LOAN", "program": "TECH_LOAN", "providerId": "PROVIDER", "maxAmount": "3000000"}`)
	twin := createProduct(t, srv, other, `{"name": "洛阳银行科技贷", "kind": "LOAN", "program": "TECH_LOAN", "providerId": "PROVIDER", "maxAmount": "3000000"}`)
	borrower := createTestEnterprise(t, srv, "郑州金刚石科技有限公司", "91410100MA4BFFFF0")
	peer := createTestEnterprise(t, srv, "洛阳碳化硅材料有限公司", "91410100MA4BFFFF1")

	const pairing = `query($e: ID!) { node(id: $e) { ... on Enterprise { earlySmallHard { listed } matches(kind: FINANCING) { score resource { ... on FinancialProduct { id } } reasons { factor contribution } } } } }`
	scores := func(t *testing.T) (top, plain float64, reason bool) {
		t.Helper()
		var e struct {
			EarlySmallHard struct{ Listed bool }
			Matches        []struct {
				Score    float64
				Resource struct{ ID string }
				Reasons  []struct {
					Factor       string
					Contribution float64
				}
			}
		}
		post(t, srv, testToken, pairing, map[string]any{"e": peer}).decode(t, "node", &e)
		if !e.EarlySmallHard.Listed {
			t.Fatal("the peer is not early-small-hard: the test proves nothing")
		}
		for _, m := range e.Matches {
			switch m.Resource.ID {
			case loan:
				top = m.Score
				for _, r := range m.Reasons {
					reason = reason || (r.Factor == "top_bank" && r.Contribution == 3)
				}
			case twin:
				plain = m.Score
			}
		}
		return top, plain, reason
	}
	if top, plain, reason := scores(t); top != plain || reason {
		t.Fatalf("before any loan: %v vs %v, reason %v", top, plain, reason)
	}
	app := wantStatus(t, "apply", apply(t, srv, testToken, borrower, loan, "1000000", false), "SUBMITTED")
	wantStatus(t, "approve", applicationCall(t, srv, testToken, "decideApplication", `{id: $id, approve: true}`, map[string]any{"id": app.ID}), "APPROVED")
	wantStatus(t, "disburse", applicationCall(t, srv, testToken, "recordDisbursement", `{id: $id, amount: $amount, on: $on}`,
		map[string]any{"id": app.ID, "amount": "1000000", "on": "2026-06-15"}), "DISBURSED")
	eventually(t, 10*time.Second, func() bool {
		top, plain, reason := scores(t)
		return reason && top == plain+3
	})
}

// TestApplicationPagesCostConstantQueries: a page of applications with
// their events and who made them costs the same statements for 2
// applications as for 8 (no query per row).
func TestApplicationPagesCostConstantQueries(t *testing.T) {
	// No background work: only the request may count statements.
	a, err := openApp(context.Background(), Config{DataDir: t.TempDir(), AdminToken: testToken}, slog.New(slog.NewTextHandler(io.Discard, nil)), testNow)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(func() { srv.Close(); a.Close() })
	bank := createBank(t, srv, "中原银行", "ZHENGZHOU")
	product := createProduct(t, srv, bank, `{"name": "中原银行科技贷", "kind": "LOAN", "program": "TECH_LOAN", "providerId": "PROVIDER", "maxAmount": "3000000"}`)
	const page = `{ applications(first: 50) { totalCount edges { node { id status enterprise { name } product { name } events { status by { name role } } } } } }`
	cost := func(t *testing.T) (statements int64, total int) {
		t.Helper()
		before := a.store.Queries()
		var c struct{ TotalCount int }
		post(t, srv, testToken, page, nil).decode(t, "applications", &c)
		return a.store.Queries() - before, c.TotalCount
	}
	applyAs := func(i int) {
		code := fmt.Sprintf("91410100MA4D%05d", i)
		ent := createTestEnterprise(t, srv, fmt.Sprintf("郑州第%d科技有限公司", i), code)
		_, token := accountToken(t, srv, fmt.Sprintf("第%d号企业财务", i), "ENTERPRISE", ent)
		wantStatus(t, "apply", apply(t, srv, token, ent, product, "1000000", false), "SUBMITTED")
	}
	for i := range 2 {
		applyAs(i)
	}
	few, n := cost(t)
	if n != 2 {
		t.Fatalf("%d applications", n)
	}
	for i := 2; i < 8; i++ {
		applyAs(i)
	}
	many, n := cost(t)
	if n != 8 || many != few {
		t.Fatalf("%d statements for 2 applications, %d for %d", few, many, n)
	}
}
