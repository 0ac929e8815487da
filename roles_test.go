package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/yurong/yurong/events"
	"github.com/yurong/yurong/store"
)

// The callers of the role matrix, named in plain words: the subtests read
// "institution without consent reads reports".
const (
	roleAnonymous              = "anonymous caller"
	roleAdministrator          = "administrator"
	roleOwnEnterprise          = "own enterprise"
	roleOtherEnterprise        = "other enterprise"
	roleConsentedInstitution   = "institution with consent"
	roleUnconsentedInstitution = "institution without consent"
	roleAppliedInstitution     = "institution with an application"
	roleIncubator              = "incubator"
	roleChainLeader            = "chain leader"
	roleExpert                 = "expert"
	roleRevokedAccount         = "revoked account"
)

// matrixRoles is the order the matrix walks its callers in.
var matrixRoles = []string{
	roleAnonymous, roleAdministrator, roleOwnEnterprise, roleOtherEnterprise,
	roleConsentedInstitution, roleUnconsentedInstitution, roleAppliedInstitution,
	roleIncubator, roleChainLeader, roleExpert, roleRevokedAccount,
}

// refusal is the code a refused write gets from each caller: callers
// without a live token are not authenticated, everyone else is forbidden.
func refusal(role string) string {
	if role == roleAnonymous || role == roleRevokedAccount {
		return "UNAUTHENTICATED"
	}
	return "FORBIDDEN"
}

// caller is one token of the matrix and the account behind it ("" for the
// anonymous caller).
type caller struct {
	token, account string
}

// TestRoleMatrix pins who may write what and who may read an enterprise's
// private data, for every role, through HTTP: a table of writes (mutation ×
// caller → ok or the refusal code, a refusal leaving the store as it was,
// a success leaving one audit entry) and a table of private fields (field ×
// caller → readable, or null with FORBIDDEN at its path while the rest of
// the response is data). Then the audit of reads, and consent revocation
// and expiry.
func TestRoleMatrix(t *testing.T) {
	ctx := context.Background()
	// A clock the test can move (consent expiry) and no background work, so
	// nothing but the requests changes the store between two snapshots.
	var clockNanos atomic.Int64
	clockNanos.Store(testNow().UnixNano())
	clock := func() time.Time { return time.Unix(0, clockNanos.Load()).UTC() }
	cfg := Config{DataDir: t.TempDir(), AdminToken: testToken}
	a, err := openApp(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), clock)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	defer func() { srv.Close(); a.Close() }()

	// ---- The marketplace: three banks, an incubator, three enterprises.
	bank := createBank(t, srv, "中原银行", "ZHENGZHOU")          // B: E consents to it
	otherBank := createBank(t, srv, "洛阳银行", "LUOYANG")       // B2: no consent
	thirdBank := createBank(t, srv, "平顶山银行", "PINGDINGSHAN") // named by the consents the write table grants and revokes
	appliedBank := createBank(t, srv, "郑州银行", "ZHENGZHOU")   // B3: E applied to it, without consent
	// B3's products, each the target of one application (see applied).
	appliedLoans := make([]string, 8)
	for i := range appliedLoans {
		appliedLoans[i] = createProduct(t, srv, appliedBank, fmt.Sprintf(`{"name": "郑州银行科技贷%d号", "kind": "LOAN", "program": "TECH_LOAN",
			"providerId": "PROVIDER", "maxAmount": "5000000"}`, i))
	}

	createProduct(t, srv, bank, `{"name": "中原银行积分奖补贷", "kind": "LOAN", "program": "SUBSIDY_LOAN", "providerId": "PROVIDER",
		"maxAmount": "3000000", "collateralFree": true, "eligibility": {"requiresSubsidy": true, "subsidyMultiple": 5}}`)
	createProduct(t, srv, bank, `{"name": "中原银行科技贷", "kind": "LOAN", "program": "TECH_LOAN", "providerId": "PROVIDER", "maxAmount": "5000000"}`)

	var inc struct {
		Incubator struct{ ID string } `json:"incubator"`
	}
	post(t, srv, testToken, `mutation { createIncubator(input: {name: "中原龙子湖智慧岛", kind: SMART_ISLAND, level: PROVINCIAL, city: ZHENGZHOU,
		focusTracks: [NEW_MATERIALS], vacancies: 12}) { incubator { id } } }`, nil).decode(t, "createIncubator", &inc)
	incubator := inc.Incubator.ID

	enterprise := func(name, prefix string, edit func(map[string]any)) string {
		in := enterpriseInput(name, prefix+checkChar(t, prefix))
		if edit != nil {
			edit(in)
		}
		var p payload
		post(t, srv, testToken, `mutation($input: CreateEnterpriseInput!) { createEnterprise(input: $input) { enterprise { id name creditCode } userErrors { field code message } } }`,
			map[string]any{"input": in}).decode(t, "createEnterprise", &p)
		if p.Enterprise == nil {
			t.Fatalf("enterprise %s refused: %+v", name, p.UserErrors)
		}
		return p.Enterprise.ID
	}
	const ownName, chainName = "郑州碳芯功率器件有限公司", "宇通客车股份有限公司"
	own := enterprise(ownName, "91410100MA46RRRR1", func(in map[string]any) {
		in["subsidies"] = []map[string]any{
			{"program": "研发费用后补助", "amount": "200000", "year": 2026},
			{"program": "高新技术企业认定奖励", "amount": "100000", "year": 2025},
		}
		in["financingNeed"] = map[string]any{"kind": "LOAN", "amount": "1000000", "purpose": "扩大SiC功率器件产线"}
	})
	other := enterprise("郑州金刚超硬材料有限公司", "91410100MA46RRRR2", nil)
	chain := enterprise(chainName, "91410100MA46RRRR3", func(in map[string]any) { in["track"] = "NEW_ENERGY_ENVIRONMENT" })

	// ---- The callers.
	account := func(name, role string, org string) caller {
		t.Helper()
		id, token := accountToken(t, srv, name, role, org)
		return caller{token: token, account: id}
	}
	var me struct{ ID string }
	post(t, srv, testToken, `{ viewer { id } }`, nil).decode(t, "viewer", &me)
	callers := map[string]caller{
		roleAnonymous:              {},
		roleAdministrator:          {token: testToken, account: me.ID},
		roleOwnEnterprise:          account("碳芯财务", "ENTERPRISE", own),
		roleOtherEnterprise:        account("金刚财务", "ENTERPRISE", other),
		roleConsentedInstitution:   account("中原银行客户经理", "INSTITUTION", bank),
		roleUnconsentedInstitution: account("洛阳银行客户经理", "INSTITUTION", otherBank),
		roleAppliedInstitution:     account("郑州银行客户经理", "INSTITUTION", appliedBank),
		roleIncubator:              account("智慧岛运营", "INCUBATOR", incubator),
		roleChainLeader:            account("宇通采购部", "CHAIN_LEADER", chain),
		roleExpert:                 account("服务团专家", "EXPERT", ""),
	}
	// The revoked account acted for E: it could have updated it.
	revoked := account("碳芯前员工", "ENTERPRISE", own)
	callers[roleRevokedAccount] = revoked
	// Accounts the write table revokes (the administrator's) or tries to.
	revokedByAdmin := account("临时专家", "EXPERT", "")
	kept := account("常驻专家", "EXPERT", "")
	for _, id := range []string{revoked.account} {
		var p struct {
			Account    *struct{ RevokedAt *string } `json:"account"`
			UserErrors []userError                  `json:"userErrors"`
		}
		post(t, srv, testToken, `mutation($id: ID!) { revokeAccount(input: {id: $id}) { account { revokedAt } userErrors { code } } }`,
			map[string]any{"id": id}).decode(t, "revokeAccount", &p)
		if p.Account == nil || p.Account.RevokedAt == nil {
			t.Fatalf("revoke %s: %+v", id, p)
		}
	}

	// ---- Consents: E's to B, granted by E, and three to the third bank
	// for the write table's revocations.
	grant := func(token, institutionID, expiresOn string) string {
		t.Helper()
		var p struct {
			Consent    *struct{ ID string } `json:"consent"`
			UserErrors []userError          `json:"userErrors"`
		}
		post(t, srv, token, `mutation($e: ID!, $i: ID, $on: Date!) { grantConsent(input: {enterpriseId: $e, institutionId: $i, expiresOn: $on}) { consent { id } userErrors { field code message } } }`,
			map[string]any{"e": own, "i": institutionID, "on": expiresOn}).decode(t, "grantConsent", &p)
		if p.Consent == nil {
			t.Fatalf("consent refused: %+v", p.UserErrors)
		}
		return p.Consent.ID
	}
	consent := grant(callers[roleOwnEnterprise].token, bank, "2026-12-31")
	revokeByAdmin := grant(testToken, thirdBank, "2027-06-30")
	revokeByOwn := grant(testToken, thirdBank, "2027-06-30")
	revokeTarget := grant(testToken, thirdBank, "2027-06-30") // what the refused callers try to revoke

	// ---- E's applications to B3, made by E: the first lets B3 read E's
	// data; the others are what the write table decides and withdraws.
	applied := make([]string, 6)
	for i := range applied {
		var p struct {
			Application *struct{ ID string } `json:"application"`
			UserErrors  []userError          `json:"userErrors"`
		}
		post(t, srv, callers[roleOwnEnterprise].token, `mutation($e: ID!, $p: ID!) { applyForFinancing(input: {enterpriseId: $e, productId: $p,
		  requestedAmount: "1000000", purpose: "扩大SiC功率器件产线"}) { application { id } userErrors { field code message } } }`,
			map[string]any{"e": own, "p": appliedLoans[i]}).decode(t, "applyForFinancing", &p)
		if p.Application == nil {
			t.Fatalf("application %d refused: %+v", i, p.UserErrors)
		}
		applied[i] = p.Application.ID
	}

	// ---- Matchmaking events: one the incubator's account created, one the
	// administrator's, each with a host and a participant.
	organise := func(token string) string {
		t.Helper()
		var p struct {
			Event *struct {
				ID string `json:"id"`
			} `json:"event"`
			UserErrors []userError `json:"userErrors"`
		}
		post(t, srv, token, `mutation { createMatchmakingEvent(input: {name: "新材料产业链专场对接会", track: NEW_MATERIALS, city: ZHENGZHOU,
		  date: "2026-09-15", slots: 4, slotMinutes: 20, startsAt: "2026-09-15T01:00:00Z", tables: 2}) { event { id } userErrors { field code message } } }`, nil).
			decode(t, "createMatchmakingEvent", &p)
		if p.Event == nil {
			t.Fatalf("event refused: %+v", p.UserErrors)
		}
		for _, m := range []struct{ name, query string }{
			{"addEventHost", `mutation($e: ID!, $r: ID!) { addEventHost(input: {eventId: $e, name: "中原龙子湖智慧岛", resourceIds: [$r], capacity: 3}) { userErrors { field code message } } }`},
			{"addEventParticipant", `mutation($e: ID!, $id: ID!) { addEventParticipant(input: {eventId: $e, enterpriseId: $id, capacity: 2}) { userErrors { field code message } } }`},
		} {
			var q struct {
				UserErrors []userError `json:"userErrors"`
			}
			post(t, srv, token, m.query, map[string]any{"e": p.Event.ID, "r": incubator, "id": own}).decode(t, m.name, &q)
			if len(q.UserErrors) > 0 {
				t.Fatalf("%s refused: %+v", m.name, q.UserErrors)
			}
		}
		return p.Event.ID
	}
	incubatorEvent, adminEvent := organise(callers[roleIncubator].token), organise(testToken)

	t.Run("each token is the account it was issued for", func(t *testing.T) {
		roles := map[string]string{roleAdministrator: "ADMINISTRATOR", roleOwnEnterprise: "ENTERPRISE", roleOtherEnterprise: "ENTERPRISE",
			roleConsentedInstitution: "INSTITUTION", roleUnconsentedInstitution: "INSTITUTION", roleAppliedInstitution: "INSTITUTION", roleIncubator: "INCUBATOR",
			roleChainLeader: "CHAIN_LEADER", roleExpert: "EXPERT"}
		for _, role := range matrixRoles {
			var v *struct{ ID, Role string }
			post(t, srv, callers[role].token, `{ viewer { id role } }`, nil).decode(t, "viewer", &v)
			switch want := roles[role]; {
			case want == "" && v != nil:
				t.Errorf("%s: viewer %+v, want none", role, v)
			case want != "" && (v == nil || v.ID != callers[role].account || v.Role != want):
				t.Errorf("%s: viewer %+v, want %s %s", role, v, callers[role].account, want)
			}
		}
	})

	// snapshot is everything a write could leave behind: the system of
	// record, the change log, the read model, the accounts, the consents
	// and the audit log (its size, read as the administrator).
	snapshot := func(t *testing.T) string {
		t.Helper()
		d, err := a.store.Load(ctx)
		if err != nil {
			t.Fatal(err)
		}
		head, err := a.store.LogHead(ctx)
		if err != nil {
			t.Fatal(err)
		}
		accounts, nAccounts, err := a.store.ListAccounts(ctx, "", 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		var consents []*store.Consent
		for _, e := range []string{own, other, chain} {
			cs, err := a.store.ConsentsOf(ctx, mustIntID(t, e))
			if err != nil {
				t.Fatal(err)
			}
			consents = append(consents, cs...)
		}
		var audit struct {
			TotalCount int `json:"totalCount"`
		}
		post(t, srv, testToken, `{ auditLog(first: 1) { totalCount } }`, nil).decode(t, "auditLog", &audit)
		evs, _, _, err := a.store.MatchmakingEvents(ctx, events.Query{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		raw, err := json.Marshal(map[string]any{"store": d, "log": head, "readModel": a.market.Counts(),
			"enterprise": a.market.Enterprise(mustIntID(t, own)), "accounts": accounts, "accountCount": nAccounts,
			"consents": consents, "auditCount": audit.TotalCount, "events": evs})
		if err != nil {
			t.Fatal(err)
		}
		return string(raw)
	}

	// newestAudit is the audit log's size and newest entry.
	type auditEntry struct {
		Action  string `json:"action"`
		Account *struct {
			ID string `json:"id"`
		} `json:"account"`
		Subject *struct {
			Typename string `json:"__typename"`
			ID       string `json:"id"`
			Provider *struct {
				ID string `json:"id"`
			} `json:"provider"`
		} `json:"subject"`
	}
	type auditPage struct {
		TotalCount int `json:"totalCount"`
		Edges      []struct {
			Node auditEntry `json:"node"`
		} `json:"edges"`
	}
	const auditQuery = `query($f: AuditFilter, $n: Int) { auditLog(first: $n, filter: $f) { totalCount edges { node { action account { id }
	  subject { __typename ... on Enterprise { id } ... on FinancialProduct { id provider { id } } ... on Account { id } ... on Consent { id } } } } } }`
	auditLog := func(t *testing.T, filter map[string]any, n int) auditPage {
		t.Helper()
		var p auditPage
		post(t, srv, testToken, auditQuery, map[string]any{"f": filter, "n": n}).decode(t, "auditLog", &p)
		return p
	}

	// ---- Writes.
	type writeRow struct {
		name     string // the mutation, and what sets this row apart
		mutation string
		query    string
		vars     func(role string) map[string]any
		ok       []string // who succeeds; everyone else gets refusal(role)
	}
	same := func(v map[string]any) func(string) map[string]any { return func(string) map[string]any { return v } }
	adminOnly := []string{roleAdministrator}
	newCode := "91410100MA46RRRR4"
	writes := []writeRow{
		{"createInstitution", "createInstitution",
			`mutation { createInstitution(input: {name: "许昌银行", kind: BANK, city: XUCHANG}) { institution { id } userErrors { code } } }`,
			same(nil), adminOnly},
		{"createEnterprise", "createEnterprise",
			`mutation($input: CreateEnterpriseInput!) { createEnterprise(input: $input) { enterprise { id } userErrors { code } } }`,
			same(map[string]any{"input": enterpriseInput("郑州新晶科技有限公司", newCode+checkChar(t, newCode))}), adminOnly},
		{"createIncubator", "createIncubator",
			`mutation { createIncubator(input: {name: "郑州众创空间", kind: MAKERSPACE, level: MUNICIPAL, city: ZHENGZHOU, vacancies: 3}) { incubator { id } userErrors { code } } }`,
			same(nil), adminOnly},
		{"recordCompetitionEntry for the own enterprise", "recordCompetitionEntry",
			`mutation($id: ID!) { recordCompetitionEntry(input: {enterpriseId: $id, year: 2026, group: STARTUP, track: NEW_MATERIALS,
			  stageReached: PROVINCIAL_FINAL, award: FIRST}) { enterprise { id } userErrors { code } } }`,
			same(map[string]any{"id": own}), adminOnly},
		{"rematch", "rematch", `mutation { rematch { enterprises resources modelVersion } }`, same(nil), adminOnly},
		{"createAccount", "createAccount",
			`mutation { createAccount(input: {name: "专家乙", role: EXPERT}) { account { id } token userErrors { code } } }`,
			same(nil), adminOnly},
		{"revokeAccount", "revokeAccount",
			`mutation($id: ID!) { revokeAccount(input: {id: $id}) { account { id } userErrors { code } } }`,
			func(role string) map[string]any {
				if role == roleAdministrator {
					return map[string]any{"id": revokedByAdmin.account}
				}
				return map[string]any{"id": kept.account}
			}, adminOnly},
		{"updateEnterprise of the own enterprise", "updateEnterprise",
			`mutation($id: ID!) { updateEnterprise(input: {id: $id, employees: 41}) { enterprise { id } userErrors { code } } }`,
			same(map[string]any{"id": own}), []string{roleAdministrator, roleOwnEnterprise}},
		{"createFinancialProduct of the consented bank", "createFinancialProduct",
			`mutation($p: ID!) { createFinancialProduct(input: {name: "中原银行创新积分贷", kind: LOAN, program: SCORE_LOAN, providerId: $p, maxAmount: "2000000"}) { financialProduct { id } userErrors { code } } }`,
			same(map[string]any{"p": bank}), []string{roleAdministrator, roleConsentedInstitution}},
		{"createSupplyChainDemand under the chain leader's name", "createSupplyChainDemand",
			`mutation($owner: String!) { createSupplyChainDemand(input: {title: "征集车规级功率模块供应商", description: "用于新能源客车电驱系统", kind: SUPPLIER,
			  industryChain: "新能源汽车", track: NEW_ENERGY_ENVIRONMENT, city: ZHENGZHOU, ownerName: $owner, keywords: ["功率器件"]}) { supplyChainDemand { id } userErrors { code } } }`,
			same(map[string]any{"owner": chainName}), []string{roleAdministrator, roleChainLeader}},
		{"createSupplyChainDemand under another owner's name", "createSupplyChainDemand",
			`mutation($owner: String!) { createSupplyChainDemand(input: {title: "征集超硬材料供应商", description: "用于精密加工刀具", kind: SUPPLIER,
			  industryChain: "超硬材料", track: NEW_MATERIALS, city: ZHENGZHOU, ownerName: $owner, keywords: ["超硬材料"]}) { supplyChainDemand { id } userErrors { code } } }`,
			same(map[string]any{"owner": "郑州磨料磨具磨削研究所"}), adminOnly},
		{"grantConsent for the own enterprise", "grantConsent",
			`mutation($e: ID!, $i: ID) { grantConsent(input: {enterpriseId: $e, institutionId: $i, expiresOn: "2027-01-01"}) { consent { id } userErrors { code } } }`,
			same(map[string]any{"e": own, "i": thirdBank}), []string{roleAdministrator, roleOwnEnterprise}},
		{"revokeConsent of the own enterprise", "revokeConsent",
			`mutation($id: ID!) { revokeConsent(input: {id: $id}) { consent { id } userErrors { code } } }`,
			func(role string) map[string]any {
				switch role {
				case roleAdministrator:
					return map[string]any{"id": revokeByAdmin}
				case roleOwnEnterprise:
					return map[string]any{"id": revokeByOwn}
				}
				return map[string]any{"id": revokeTarget}
			}, []string{roleAdministrator, roleOwnEnterprise}},
		{"applyForFinancing for the own enterprise", "applyForFinancing",
			`mutation($e: ID!, $p: ID!) { applyForFinancing(input: {enterpriseId: $e, productId: $p, requestedAmount: "500000", purpose: "研发投入"}) {
			  application { id } userErrors { code } } }`,
			func(role string) map[string]any {
				if role == roleOwnEnterprise {
					return map[string]any{"e": own, "p": appliedLoans[7]}
				}
				return map[string]any{"e": own, "p": appliedLoans[6]}
			}, []string{roleAdministrator, roleOwnEnterprise}},
		{"decideApplication of an application to the applied bank", "decideApplication",
			`mutation($id: ID!) { decideApplication(input: {id: $id, approve: true, annualRatePercent: 3.65}) { application { id } userErrors { code } } }`,
			func(role string) map[string]any {
				switch role {
				case roleAdministrator:
					return map[string]any{"id": applied[1]}
				case roleAppliedInstitution:
					return map[string]any{"id": applied[2]}
				}
				return map[string]any{"id": applied[3]}
			}, []string{roleAdministrator, roleAppliedInstitution}},
		{"createMatchmakingEvent", "createMatchmakingEvent",
			`mutation { createMatchmakingEvent(input: {name: "生物医药产业链专场对接会", track: BIOMEDICINE, city: ZHENGZHOU,
			  date: "2026-10-20", slots: 6, slotMinutes: 15, startsAt: "2026-10-20T01:30:00Z", tables: 4}) { event { id } userErrors { code } } }`,
			same(nil), []string{roleAdministrator, roleIncubator}},
		{"scheduleEvent of the incubator's own event", "scheduleEvent",
			`mutation($e: ID!) { scheduleEvent(input: {eventId: $e, timeLimitMs: 100}) { event { id } userErrors { code } } }`,
			same(map[string]any{"e": incubatorEvent}), []string{roleAdministrator, roleIncubator}},
		{"scheduleEvent of an administrator's event", "scheduleEvent",
			`mutation($e: ID!) { scheduleEvent(input: {eventId: $e, timeLimitMs: 100}) { event { id } userErrors { code } } }`,
			same(map[string]any{"e": adminEvent}), adminOnly},
		{"withdrawApplication of the own enterprise", "withdrawApplication",
			`mutation($id: ID!) { withdrawApplication(input: {id: $id}) { application { id } userErrors { code } } }`,
			func(role string) map[string]any {
				switch role {
				case roleAdministrator:
					return map[string]any{"id": applied[4]}
				case roleOwnEnterprise:
					return map[string]any{"id": applied[5]}
				}
				return map[string]any{"id": applied[3]}
			}, []string{roleAdministrator, roleOwnEnterprise}},
	}

	t.Run("writes", func(t *testing.T) {
		for _, row := range writes {
			for _, role := range matrixRoles {
				want := refusal(role)
				if slices.Contains(row.ok, role) {
					want = "ok"
				}
				c := callers[role]
				t.Run(fmt.Sprintf("%s calls %s", role, row.name), func(t *testing.T) {
					before := snapshot(t)
					auditBefore := auditLog(t, nil, 1)
					r := post(t, srv, c.token, row.query, row.vars(role))
					if want == "ok" {
						d := string(r.Data[row.mutation])
						if len(r.Errors) > 0 || d == "" || d == "null" || strings.Contains(d, `"code"`) {
							t.Fatalf("refused: errors %+v, data %s", r.Errors, d)
						}
						// One audit entry: this mutation, by this caller.
						after := auditLog(t, nil, 1)
						if after.TotalCount != auditBefore.TotalCount+1 || len(after.Edges) == 0 {
							t.Fatalf("audit log went from %d to %d entries, want one more", auditBefore.TotalCount, after.TotalCount)
						}
						e := after.Edges[0].Node
						if e.Action != row.mutation || e.Account == nil || e.Account.ID != c.account {
							t.Errorf("newest audit entry %+v (account %+v), want %s by %s", e, e.Account, row.mutation, c.account)
						}
						return
					}
					if r.code() != want {
						t.Errorf("code %q, want %s (errors %+v)", r.code(), want, r.Errors)
					}
					if role == roleRevokedAccount && len(r.Errors) > 0 && !strings.Contains(r.Errors[0].Message, "令牌无效") {
						t.Errorf("message %q, want one saying 令牌无效", r.Errors[0].Message)
					}
					if d := r.Data[row.mutation]; len(d) > 0 && string(d) != "null" {
						t.Errorf("data %s", d)
					}
					if after := snapshot(t); after != before {
						t.Errorf("a refused %s wrote:\nbefore %s\nafter  %s", row.mutation, before, after)
					}
				})
			}
		}
	})

	t.Run("the own enterprise's update is audited as its account's", func(t *testing.T) {
		p := auditLog(t, map[string]any{"accountId": callers[roleOwnEnterprise].account, "actions": []string{"updateEnterprise"}}, 10)
		if p.TotalCount != 1 || len(p.Edges) != 1 {
			t.Fatalf("%d updateEnterprise entries of the own enterprise's account, want 1: %+v", p.TotalCount, p.Edges)
		}
		e := p.Edges[0].Node
		if e.Account == nil || e.Account.ID != callers[roleOwnEnterprise].account || e.Subject == nil || e.Subject.ID != own {
			t.Errorf("entry %+v: account %+v, subject %+v; want the account and enterprise %s", e, e.Account, e.Subject, own)
		}
	})
	t.Run("the institution's new product is audited as its account's", func(t *testing.T) {
		p := auditLog(t, map[string]any{"accountId": callers[roleConsentedInstitution].account}, 10)
		if p.TotalCount != 1 || len(p.Edges) != 1 {
			t.Fatalf("%d entries of the institution's account, want its one createFinancialProduct: %+v", p.TotalCount, p.Edges)
		}
		e := p.Edges[0].Node
		if e.Action != "createFinancialProduct" || e.Account == nil || e.Account.ID != callers[roleConsentedInstitution].account ||
			e.Subject == nil || e.Subject.Typename != "FinancialProduct" || e.Subject.Provider == nil || e.Subject.Provider.ID != bank {
			t.Errorf("entry %+v: account %+v, subject %+v; want createFinancialProduct of a product of %s", e, e.Account, e.Subject, bank)
		}
	})

	// ---- Private fields of E.
	privateReaders := []string{roleAdministrator, roleOwnEnterprise, roleExpert, roleConsentedInstitution, roleAppliedInstitution}
	ownReaders := []string{roleAdministrator, roleOwnEnterprise}
	type fieldRow struct {
		field   string
		query   string // reads node(id: $id) … on Enterprise { name … }
		path    string // where the value is, "*" for every element of a list
		readers []string
		// alone: the field is non-null in the contract, so a refusal nulls
		// the whole data (GraphQL's null propagation); it is asked alone.
		alone bool
	}
	onE := func(sel string) string {
		return `query($id: ID!) { node(id: $id) { ... on Enterprise { name ` + sel + ` } } }`
	}
	fields := []fieldRow{
		{"reports", onE(`reports { year revenue }`), "node.reports", privateReaders, false},
		{"subsidies", onE(`subsidies { amount }`), "node.subsidies", privateReaders, false},
		{"financingNeed", onE(`financingNeed { amount }`), "node.financingNeed", privateReaders, false},
		{"innovation indicator values", onE(`innovationScore { indicators { value } }`), "node.innovationScore.indicators.*.value", privateReaders, false},
		{"suggested amounts", onE(`matches(kind: FINANCING) { suggestedAmount }`), "node.matches.*.suggestedAmount", privateReaders, false},
		{"the financing plan", `query($id: ID!) { financingPlan(enterpriseId: $id) { summary } }`,
			"financingPlan", privateReaders, true},
		{"consents", onE(`consents { id }`), "node.consents", ownReaders, false},
		{"data accesses", onE(`dataAccesses { totalCount }`), "node.dataAccesses", ownReaders, false},
	}

	t.Run("private fields", func(t *testing.T) {
		for _, row := range fields {
			for _, role := range matrixRoles {
				readable := slices.Contains(row.readers, role)
				t.Run(fmt.Sprintf("%s reads %s", role, row.field), func(t *testing.T) {
					r := post(t, srv, callers[role].token, row.query, map[string]any{"id": own})
					data := dataOf(t, r)
					// The public part of the response is there either way.
					if name, _ := valueAt(data, "node.name").(string); !row.alone && name != ownName {
						t.Errorf("node.name %q, want %q: the rest of the response stays data (data %s, errors %+v)", name, ownName, r.Data, r.Errors)
					}
					values := valuesAt(data, strings.Split(row.path, "."))
					if readable {
						if len(r.Errors) > 0 {
							t.Fatalf("errors %+v", r.Errors)
						}
						if !slices.ContainsFunc(values, func(v any) bool { return v != nil }) {
							t.Errorf("%s is null for a reader: %v", row.path, values)
						}
						return
					}
					if len(r.Errors) == 0 {
						t.Fatalf("no error; %s = %v", row.path, values)
					}
					seen := map[string]bool{}
					for _, e := range r.Errors {
						code, _ := e.Extensions["code"].(string)
						at := pathString(e.Path)
						if code != "FORBIDDEN" || !pathMatches(row.path, at) || seen[at] {
							t.Errorf("error %q code %q at %s, want one FORBIDDEN at each %s", e.Message, code, at, row.path)
						}
						seen[at] = true
					}
					if !strings.Contains(row.path, "*") && len(r.Errors) != 1 {
						t.Errorf("%d errors, want one at %s", len(r.Errors), row.path)
					}
					for _, v := range values {
						if v != nil {
							t.Errorf("%s = %v for a caller without access", row.path, v)
						}
					}
				})
			}
		}
	})

	t.Run("public fields", func(t *testing.T) {
		const q = `query($id: ID!) { node(id: $id) { ... on Enterprise { name innovationScore { total grade } earlySmallHard { listed }
		  matches(kind: FINANCING) { score eligible } } } }`
		for _, role := range matrixRoles {
			t.Run(role+" reads the public fields", func(t *testing.T) {
				var e struct {
					Name            string
					InnovationScore *struct {
						Total int
						Grade string
					} `json:"innovationScore"`
					EarlySmallHard *struct{ Listed *bool } `json:"earlySmallHard"`
					Matches        []struct {
						Score    *float64
						Eligible *bool
					}
				}
				post(t, srv, callers[role].token, q, map[string]any{"id": own}).decode(t, "node", &e)
				if e.Name != ownName || e.InnovationScore == nil || e.InnovationScore.Grade == "" || e.EarlySmallHard == nil ||
					e.EarlySmallHard.Listed == nil || len(e.Matches) == 0 || e.Matches[0].Score == nil || e.Matches[0].Eligible == nil {
					t.Errorf("public fields %+v", e)
				}
			})
		}
	})

	// ---- Reads of private data are audited, the enterprise's own are not.
	type accessPage struct {
		TotalCount int `json:"totalCount"`
		Edges      []struct {
			Node auditEntry `json:"node"`
		} `json:"edges"`
	}
	// dataAccesses is E's list of data accesses as E reads it; first is a
	// variable, so a new value is a request never sent before.
	dataAccesses := func(t *testing.T, first int) accessPage {
		t.Helper()
		var e struct {
			DataAccesses *accessPage `json:"dataAccesses"`
		}
		post(t, srv, callers[roleOwnEnterprise].token, `query($id: ID!, $n: Int) { node(id: $id) { ... on Enterprise {
		  dataAccesses(first: $n) { totalCount edges { node { action account { id } subject { __typename ... on Enterprise { id } } } } } } } }`,
			map[string]any{"id": own, "n": first}).decode(t, "node", &e)
		if e.DataAccesses == nil {
			t.Fatal("the enterprise cannot read its own data accesses")
		}
		return *e.DataAccesses
	}
	readAs := func(t *testing.T, token, sel string) gqlResponse {
		t.Helper()
		return post(t, srv, token, onE(sel), map[string]any{"id": own})
	}
	institutionToken := callers[roleConsentedInstitution].token
	ownToken := callers[roleOwnEnterprise].token
	t.Run("the consented institution's reads are listed among the enterprise's data accesses, its own reads are not", func(t *testing.T) {
		before := dataAccesses(t, 100)
		if r := readAs(t, institutionToken, `reports { year }`); len(r.Errors) > 0 || string(r.Data["node"]) == "null" {
			t.Fatalf("the consented institution's read: %+v", r.Errors)
		}
		if r := readAs(t, ownToken, `reports { year } subsidies { amount }`); len(r.Errors) > 0 {
			t.Fatalf("the enterprise's own read: %+v", r.Errors)
		}
		after := dataAccesses(t, 99)
		if after.TotalCount != before.TotalCount+1 {
			t.Errorf("data accesses went from %d to %d across one read by the institution and one by the enterprise, want one more",
				before.TotalCount, after.TotalCount)
		}
		for _, edge := range after.Edges {
			n := edge.Node
			if n.Account != nil && n.Account.ID == callers[roleOwnEnterprise].account {
				t.Errorf("the enterprise's own read is listed: %+v", n)
			}
			if n.Subject == nil || n.Subject.ID != own {
				t.Errorf("an access of another subject is listed: %+v (subject %+v)", n, n.Subject)
			}
		}
		if len(after.Edges) == 0 || after.Edges[0].Node.Action != "read Enterprise.reports" ||
			after.Edges[0].Node.Account == nil || after.Edges[0].Node.Account.ID != callers[roleConsentedInstitution].account {
			t.Errorf("the newest entry is not \"read Enterprise.reports\" by the institution's account: %+v", after.Edges)
		}

		// The same read again is a read again: recorded too.
		if r := readAs(t, institutionToken, `reports { year }`); len(r.Errors) > 0 {
			t.Fatalf("the consented institution's second read: %+v", r.Errors)
		}
		late := dataAccesses(t, 98)
		if late.TotalCount != after.TotalCount+1 {
			t.Errorf("the institution's second, identical read of the reports was not recorded: data accesses went from %d to %d",
				after.TotalCount, late.TotalCount)
		}
		// The enterprise asking again, as a client polling its list does,
		// sees the list as it is now.
		if again := dataAccesses(t, 100); again.TotalCount != late.TotalCount {
			t.Errorf("the enterprise's repeated request lists %d data accesses, a new one lists %d", again.TotalCount, late.TotalCount)
		}
	})

	// ---- A consent ends at once when revoked, and after its last day;
	// each is checked with a request the institution sent while it could
	// read (a client repeating itself) and with a new one.
	forbidden := func(t *testing.T, when string, r gqlResponse) {
		t.Helper()
		if r.code() != "FORBIDDEN" || len(r.Errors) != 1 || pathString(r.Errors[0].Path) != "node.reports" || string(r.Data["node"]) == "null" {
			t.Errorf("%s: data %s, errors %+v; want the node with FORBIDDEN at node.reports", when, r.Data["node"], r.Errors)
		}
	}
	t.Run("a revoked consent forbids the institution's next request", func(t *testing.T) {
		if r := readAs(t, institutionToken, `reports { year }`); len(r.Errors) > 0 {
			t.Fatalf("before the revocation: %+v", r.Errors)
		}
		// The enterprise's list of its consents, as it reads it.
		consentRevoked := func(t *testing.T) bool {
			t.Helper()
			var e struct {
				Consents []struct {
					ID        string  `json:"id"`
					RevokedAt *string `json:"revokedAt"`
				} `json:"consents"`
			}
			readAs(t, ownToken, `consents { id revokedAt }`).decode(t, "node", &e)
			for _, c := range e.Consents {
				if c.ID == consent {
					return c.RevokedAt != nil
				}
			}
			t.Fatalf("consent %s is not among the enterprise's consents %+v", consent, e.Consents)
			return false
		}
		if consentRevoked(t) {
			t.Fatal("the consent is revoked already")
		}
		r := post(t, srv, ownToken, `mutation($id: ID!) { revokeConsent(input: {id: $id}) { consent { revokedAt } userErrors { code } } }`,
			map[string]any{"id": consent})
		var p struct {
			Consent *struct{ RevokedAt *string } `json:"consent"`
		}
		r.decode(t, "revokeConsent", &p)
		if p.Consent == nil || p.Consent.RevokedAt == nil {
			t.Fatalf("revokeConsent by the enterprise: %+v", p)
		}
		forbidden(t, "after the revocation, the request sent before it", readAs(t, institutionToken, `reports { year }`))
		forbidden(t, "after the revocation, a new request", readAs(t, institutionToken, `reports { revenue }`))
		if !consentRevoked(t) {
			t.Error("the enterprise's repeated request for its consents does not show the consent it revoked")
		}
	})
	t.Run("a consent expires after its last day", func(t *testing.T) {
		grant(ownToken, bank, testNow().Format(time.DateOnly))
		if r := readAs(t, institutionToken, `reports { rdExpense }`); len(r.Errors) > 0 {
			t.Fatalf("on the consent's last day: %+v", r.Errors)
		}
		clockNanos.Store(testNow().AddDate(0, 0, 1).UnixNano())
		defer clockNanos.Store(testNow().UnixNano())
		forbidden(t, "the day after the consent's last day, the request sent on it", readAs(t, institutionToken, `reports { rdExpense }`))
		forbidden(t, "the day after the consent's last day, a new request", readAs(t, institutionToken, `reports { techStaff }`))
	})
}

// dataOf decodes a response's data as plain JSON values.
func dataOf(t *testing.T, r gqlResponse) map[string]any {
	t.Helper()
	out := map[string]any{}
	for k, raw := range r.Data {
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatalf("decode %s: %v", k, err)
		}
		out[k] = v
	}
	return out
}

// valuesAt returns the values at path in v, "*" standing for every element
// of a list; nothing when the path runs through a null.
func valuesAt(v any, path []string) []any {
	if len(path) == 0 {
		return []any{v}
	}
	switch x := v.(type) {
	case map[string]any:
		if path[0] == "*" {
			return nil
		}
		return valuesAt(x[path[0]], path[1:])
	case []any:
		if path[0] != "*" {
			return nil
		}
		var out []any
		for _, e := range x {
			out = append(out, valuesAt(e, path[1:])...)
		}
		return out
	}
	return nil
}

// valueAt is the value at a dotted path without wildcards, nil when absent.
func valueAt(data map[string]any, path string) any {
	vs := valuesAt(data, strings.Split(path, "."))
	if len(vs) != 1 {
		return nil
	}
	return vs[0]
}

// pathString writes an error's path dotted: node.matches.0.suggestedAmount.
func pathString(path []any) string {
	parts := make([]string, len(path))
	for i, p := range path {
		parts[i] = fmt.Sprint(p)
	}
	return strings.Join(parts, ".")
}

// pathMatches reports whether a dotted path matches a pattern whose "*"
// stands for one list index.
func pathMatches(pattern, path string) bool {
	ps, xs := strings.Split(pattern, "."), strings.Split(path, ".")
	if len(ps) != len(xs) {
		return false
	}
	for i := range ps {
		if ps[i] == "*" {
			if _, err := fmt.Sscanf(xs[i], "%d", new(int)); err != nil {
				return false
			}
			continue
		}
		if ps[i] != xs[i] {
			return false
		}
	}
	return true
}
