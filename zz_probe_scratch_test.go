package main

import (
	"testing"
)

func TestZZProbeScratch(t *testing.T) {
	srv, _ := testServer(t, 0)
	var inst struct{ Institution struct{ ID string } }
	post(t, srv, testToken, `mutation { createInstitution(input: {name: "中原银行", kind: BANK, city: ZHENGZHOU}) { institution { id } } }`, nil).decode(t, "createInstitution", &inst)
	var p payload
	post(t, srv, testToken, createEnterprise, map[string]any{"input": enterpriseInput("郑州甲科技有限公司", "91410100MA44XXXX0"+checkChar(t, "91410100MA44XXXX0"))}).decode(t, "createEnterprise", &p)
	e := p.Enterprise.ID
	var acc, own struct{ Token string }
	post(t, srv, testToken, `mutation($o: ID) { createAccount(input: {name: "x", role: INSTITUTION, organizationId: $o}) { token } }`, map[string]any{"o": inst.Institution.ID}).decode(t, "createAccount", &acc)
	post(t, srv, testToken, `mutation($o: ID) { createAccount(input: {name: "y", role: ENTERPRISE, organizationId: $o}) { token } }`, map[string]any{"o": e}).decode(t, "createAccount", &own)
	var c struct{ Consent struct{ ID string } }
	post(t, srv, own.Token, `mutation($e: ID!, $i: ID) { grantConsent(input: {enterpriseId: $e, institutionId: $i, expiresOn: "2026-12-31"}) { consent { id } } }`, map[string]any{"e": e, "i": inst.Institution.ID}).decode(t, "grantConsent", &c)
	q := `query($id: ID!) { node(id: $id) { ... on Enterprise { name reports { year } } } }`
	audit := func() float64 {
		var a struct{ TotalCount float64 }
		post(t, srv, testToken, `{ auditLog { totalCount } }`, nil).decode(t, "auditLog", &a)
		return a.TotalCount
	}
	hit := func() float64 { return metric(t, srv, `yurong_cache_response_lookups_total{result="hit"}`) }
	read := func(who, token string) {
		a0, h0 := audit(), hit()
		r := post(t, srv, token, q, map[string]any{"id": e})
		t.Logf("%s: errors %v, data %s, audit +%v, cache hits +%v", who, r.Errors, r.Data["node"], audit()-a0, hit()-h0)
	}
	read("own", own.Token)
	read("inst", acc.Token)
	read("inst", acc.Token)
	r := post(t, srv, own.Token, `mutation($id: ID!) { revokeConsent(input: {id: $id}) { consent { id revokedAt } } }`, map[string]any{"id": c.Consent.ID})
	t.Logf("revoke: %s %v", r.Data["revokeConsent"], r.Errors)
	read("inst after revocation", acc.Token)
}
