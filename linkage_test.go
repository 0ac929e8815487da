package main

import (
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/yurong/yurong/graph/relay"
)

// equityPairing reads, as the administrator, the pairing of the enterprise
// with the product: its score and its reasons by factor.
func equityPairing(t *testing.T, srv *httptest.Server, enterprise, product string) (float64, map[string]string) {
	t.Helper()
	var n struct {
		Matches []struct {
			Score    float64
			Reasons  []struct{ Factor, Message string }
			Resource struct{ ID string }
		}
	}
	post(t, srv, testToken, `query($id: ID!) { node(id: $id) { ... on Enterprise { matches(kind: FINANCING, first: 100, eligibleOnly: false) {
		score reasons { factor message } resource { ... on FinancialProduct { id } } } } } }`, map[string]any{"id": enterprise}).decode(t, "node", &n)
	for _, m := range n.Matches {
		if m.Resource.ID == product {
			reasons := map[string]string{}
			for _, r := range m.Reasons {
				reasons[r.Factor] = r.Message
			}
			return m.Score, reasons
		}
	}
	t.Fatalf("no pairing of %s with %s", enterprise, product)
	return 0, nil
}

// linkCall runs a mutation of the links and returns its payload's object
// (as JSON) and userErrors, failing on request errors.
func linkCall(t *testing.T, srv *httptest.Server, token, mutation, object, input string, vars map[string]any) (string, []userError) {
	t.Helper()
	r := linkRequest(t, srv, token, mutation, object, input, vars)
	if len(r.Errors) > 0 {
		t.Fatalf("%s: %+v", mutation, r.Errors)
	}
	var p map[string]any
	r.decode(t, mutation, &p)
	var errs []userError
	for _, e := range p["userErrors"].([]any) {
		m := e.(map[string]any)
		errs = append(errs, userError{Code: m["code"].(string), Message: m["message"].(string)})
	}
	return fmt.Sprint(p[object]), errs
}

func linkRequest(t *testing.T, srv *httptest.Server, token, mutation, object, input string, vars map[string]any) gqlResponse {
	t.Helper()
	fields := map[string]string{"incubationRecord": "id since until servicePackage { freeWorkstations }",
		"agreement": "id kind active", "interest": "stage fund { name }"}[object]
	var defs []string
	for name := range vars {
		defs = append(defs, "$"+name+": ID!")
	}
	return post(t, srv, token, fmt.Sprintf(`mutation(%s) { %s(input: %s) { %s { %s } userErrors { field code message } } }`,
		strings.Join(defs, ", "), mutation, input, object, fields), vars)
}

func createFund(t *testing.T, srv *httptest.Server, name string) string {
	t.Helper()
	var p struct {
		Institution struct{ ID string } `json:"institution"`
	}
	post(t, srv, testToken, fmt.Sprintf(`mutation { createInstitution(input: {name: %q, kind: VENTURE_CAPITAL, city: ZHENGZHOU}) { institution { id } } }`, name), nil).
		decode(t, "createInstitution", &p)
	return p.Institution.ID
}

func createIncubator(t *testing.T, srv *httptest.Server, name string, vacancies int) string {
	t.Helper()
	var p struct {
		Incubator struct{ ID string } `json:"incubator"`
	}
	post(t, srv, testToken, fmt.Sprintf(`mutation { createIncubator(input: {name: %q, kind: INCUBATOR, level: PROVINCIAL, city: ZHENGZHOU, vacancies: %d,
		servicePackage: {freeWorkstations: 2, rentFreeMonths: 6, mentorship: true, policyAgent: true, pilotBaseAccess: false}}) { incubator { id } } }`, name, vacancies), nil).
		decode(t, "createIncubator", &p)
	return p.Incubator.ID
}

func vacancies(t *testing.T, srv *httptest.Server, incubator string) int {
	t.Helper()
	var n struct{ Vacancies int }
	post(t, srv, "", `query($id: ID!) { node(id: $id) { ... on Incubator { vacancies } } }`, map[string]any{"id": incubator}).decode(t, "node", &n)
	return n.Vacancies
}

// TestLinksMoveEquityPairings builds the three links through the API —
// 孵化+投资 (an investment–incubation agreement and a residency), 以贷促投
// (a loan–investment agreement and a loan paid through the workflow) and
// early due diligence (a fund's interest) — and shows each twin of a
// baseline enterprise scoring exactly the pinned weight more with the
// fund's equity product, with the reason; then vacancies, the incubator
// evaluation and the privacy of residencies and interests.
func TestLinksMoveEquityPairings(t *testing.T) {
	srv, _ := testServer(t, 0)
	fund := createFund(t, srv, "河南创新投资基金")
	bank := createBank(t, srv, "中原银行", "ZHENGZHOU")
	equity := createProduct(t, srv, fund, `{"name": "河南创投种子基金", "kind": "EQUITY", "program": "SCORE_INVESTMENT", "providerId": "PROVIDER", "maxAmount": "5000000"}`)
	loan := createProduct(t, srv, bank, `{"name": "中原银行科技贷", "kind": "LOAN", "program": "TECH_LOAN", "providerId": "PROVIDER", "maxAmount": "2000000"}`)
	incA := createIncubator(t, srv, "郑州高新区创业中心", 1)
	incB := createIncubator(t, srv, "洛阳大学科技园", 5)
	incC := createIncubator(t, srv, "新乡众创空间", 5)

	// The baseline and three twins, identical but for name and code; all
	// entrants of 2026 without a prize.
	base := createTestEnterprise(t, srv, "郑州基准材料有限公司", "91410100MA47AAAA0")
	resident := createTestEnterprise(t, srv, "郑州孵化材料有限公司", "91410100MA47AAAA1")
	borrower := createTestEnterprise(t, srv, "郑州贷款材料有限公司", "91410100MA47AAAA2")
	watched := createTestEnterprise(t, srv, "郑州尽调材料有限公司", "91410100MA47AAAA3")
	for _, e := range []string{base, resident, borrower, watched} {
		recordEntry(t, srv, e, "NONE")
	}
	winner := createTestEnterprise(t, srv, "新乡获奖材料有限公司", "91410100MA47AAAA4")
	recordEntry(t, srv, winner, "FIRST")
	outsider := createTestEnterprise(t, srv, "郑州未参赛有限公司", "91410100MA47AAAA5")

	_, fundToken := accountToken(t, srv, "基金投资经理", "INSTITUTION", fund)
	_, bankToken := accountToken(t, srv, "银行客户经理", "INSTITUTION", bank)
	_, incAToken := accountToken(t, srv, "创业中心运营", "INCUBATOR", incA)
	_, incBToken := accountToken(t, srv, "科技园运营", "INCUBATOR", incB)
	_, baseToken := accountToken(t, srv, "基准企业财务", "ENTERPRISE", base)
	_, watchedToken := accountToken(t, srv, "尽调企业财务", "ENTERPRISE", watched)

	before, _ := equityPairing(t, srv, base, equity)
	for _, e := range []string{resident, borrower, watched} {
		if s, _ := equityPairing(t, srv, e, equity); s != before {
			t.Fatalf("the twins differ before any link: %v vs %v", s, before)
		}
	}
	// bonusOf waits until the twin scores weight more than the baseline
	// with the reason, the baseline unmoved.
	bonusOf := func(twin, factor, phrase string, weight float64) {
		t.Helper()
		var got float64
		var reasons map[string]string
		deadline := time.Now().Add(5 * time.Second)
		for {
			got, reasons = equityPairing(t, srv, twin, equity)
			if got-before == weight && strings.Contains(reasons[factor], phrase) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: score %v (baseline %v), reasons %v; want +%v with %q", factor, got, before, reasons, weight, phrase)
			}
			time.Sleep(10 * time.Millisecond)
		}
		if b, rs := equityPairing(t, srv, base, equity); b != before || rs[factor] != "" {
			t.Fatalf("the baseline moved: %v %v", b, rs)
		}
	}

	t.Run("孵化+投资", func(t *testing.T) {
		// The fund's account signs; the incubator need not act.
		got, errs := linkCall(t, srv, fundToken, "signAgreement", "agreement",
			`{kind: INVESTMENT_INCUBATION, fundId: $f, partnerId: $i, signedOn: "2026-05-20"}`, map[string]any{"f": fund, "i": incA})
		if len(errs) > 0 || !strings.Contains(got, "active:true") {
			t.Fatalf("signAgreement: %s %+v", got, errs)
		}
		// Another incubator's account may not record a resident of A.
		if r := linkRequest(t, srv, incBToken, "recordIncubation", "incubationRecord", `{enterpriseId: $e, incubatorId: $i}`,
			map[string]any{"e": resident, "i": incA}); r.code() != "FORBIDDEN" {
			t.Fatalf("another incubator: %+v", r.Errors)
		}
		if r := linkRequest(t, srv, "", "recordIncubation", "incubationRecord", `{enterpriseId: $e, incubatorId: $i}`,
			map[string]any{"e": resident, "i": incA}); r.code() != "UNAUTHENTICATED" {
			t.Fatalf("anonymous: %+v", r.Errors)
		}
		if n := vacancies(t, srv, incA); n != 1 {
			t.Fatalf("a refused residency moved the vacancies: %d", n)
		}
		got, errs = linkCall(t, srv, incAToken, "recordIncubation", "incubationRecord", `{enterpriseId: $e, incubatorId: $i}`,
			map[string]any{"e": resident, "i": incA})
		if len(errs) > 0 || !strings.Contains(got, "since:2026-06-15") || !strings.Contains(got, "freeWorkstations:2") {
			t.Fatalf("recordIncubation: %s %+v", got, errs)
		}
		if n := vacancies(t, srv, incA); n != 0 {
			t.Fatalf("vacancies after a residency: %d, want 0", n)
		}
		_, errs = linkCall(t, srv, testToken, "recordIncubation", "incubationRecord", `{enterpriseId: $e, incubatorId: $i}`,
			map[string]any{"e": base, "i": incA})
		if len(errs) != 1 || errs[0].Code != "NO_VACANCY" {
			t.Fatalf("a full incubator: %+v", errs)
		}
		bonusOf(resident, "incubation_link", "孵化+投资", 3)
	})

	t.Run("以贷促投", func(t *testing.T) {
		// The bank's account signs for both parties.
		if _, errs := linkCall(t, srv, bankToken, "signAgreement", "agreement",
			`{kind: LOAN_INVESTMENT, fundId: $f, partnerId: $b, signedOn: "2026-05-01"}`, map[string]any{"f": fund, "b": bank}); len(errs) > 0 {
			t.Fatalf("signAgreement: %+v", errs)
		}
		// An agreement alone moves nothing: the twin holds no loan yet.
		a := wantStatus(t, "apply", apply(t, srv, testToken, borrower, loan, "300000", false), "SUBMITTED")
		a = wantStatus(t, "approve", applicationCall(t, srv, bankToken, "decideApplication", `{id: $id, approve: true, annualRatePercent: 3.45}`,
			map[string]any{"id": a.ID}), "APPROVED")
		if s, _ := equityPairing(t, srv, borrower, equity); s != before {
			t.Fatalf("an approved, unpaid loan moved the pairing: %v", s)
		}
		wantStatus(t, "disburse", applicationCall(t, srv, bankToken, "recordDisbursement", `{id: $id, amount: $amount, on: $on}`,
			map[string]any{"id": a.ID, "amount": "300000", "on": "2026-06-15"}), "DISBURSED")
		bonusOf(borrower, "loan_link", "以贷促投", 3)
	})

	t.Run("early due diligence", func(t *testing.T) {
		if r := linkRequest(t, srv, bankToken, "expressInterest", "interest", `{fundId: $f, enterpriseId: $e, stage: WATCHING}`,
			map[string]any{"f": fund, "e": watched}); r.code() != "FORBIDDEN" {
			t.Fatalf("another institution for the fund: %+v", r.Errors)
		}
		if _, errs := linkCall(t, srv, bankToken, "expressInterest", "interest", `{fundId: $f, enterpriseId: $e, stage: WATCHING}`,
			map[string]any{"f": bank, "e": watched}); len(errs) != 1 || errs[0].Code != "NOT_FUND" {
			t.Fatalf("a bank's interest: %+v", errs)
		}
		if _, errs := linkCall(t, srv, fundToken, "expressInterest", "interest", `{fundId: $f, enterpriseId: $e, stage: WATCHING}`,
			map[string]any{"f": fund, "e": outsider}); len(errs) != 1 || errs[0].Code != "NOT_ENTRANT" {
			t.Fatalf("a non-entrant: %+v", errs)
		}
		got, errs := linkCall(t, srv, fundToken, "expressInterest", "interest", `{fundId: $f, enterpriseId: $e, stage: DUE_DILIGENCE}`,
			map[string]any{"f": fund, "e": watched})
		if len(errs) > 0 || !strings.Contains(got, "DUE_DILIGENCE") {
			t.Fatalf("expressInterest: %s %+v", got, errs)
		}
		bonusOf(watched, "fund_interest", "尽调意向", 2)

		// Who sees the interest.
		q := `query($id: ID!) { node(id: $id) { ... on Enterprise { interestedFunds { stage fund { id } } } } }`
		for _, c := range []struct {
			who, token string
			funds      int
			code       string
		}{
			{"the administrator", testToken, 1, ""},
			{"the enterprise", watchedToken, 1, ""},
			{"the fund", fundToken, 1, ""},
			{"another institution (its own interests: none)", bankToken, 0, ""},
			{"another enterprise", baseToken, 0, "FORBIDDEN"},
			{"anonymous", "", 0, "FORBIDDEN"},
		} {
			r := post(t, srv, c.token, q, map[string]any{"id": watched})
			var n struct {
				InterestedFunds []struct{ Stage string }
			}
			if err := json.Unmarshal(r.Data["node"], &n); err != nil {
				t.Fatal(err)
			}
			if r.code() != c.code || len(n.InterestedFunds) != c.funds {
				t.Errorf("%s: %d funds, errors %+v; want %d, %q", c.who, len(n.InterestedFunds), r.Errors, c.funds, c.code)
			}
		}
	})

	t.Run("incubatorPerformance", func(t *testing.T) {
		for _, rec := range []struct{ e, inc string }{{borrower, incB}, {winner, incC}} {
			if _, errs := linkCall(t, srv, testToken, "recordIncubation", "incubationRecord", `{enterpriseId: $e, incubatorId: $i, since: "2026-03-01"}`,
				map[string]any{"e": rec.e, "i": rec.inc}); len(errs) > 0 {
				t.Fatalf("recordIncubation: %+v", errs)
			}
		}
		var perf []struct {
			Incubator                     struct{ ID string }
			Rank, Residents, AwardWinners int
			FinancingRaised               string
		}
		post(t, srv, "", `{ incubatorPerformance(year: 2026) { incubator { id } rank residents awardWinners financingRaised } }`, nil).
			decode(t, "incubatorPerformance", &perf)
		want := []string{incC + " 1 1 1 0", incB + " 2 1 0 300000", incA + " 3 1 0 0"}
		var got []string
		for _, p := range perf {
			got = append(got, fmt.Sprintf("%s %d %d %d %s", p.Incubator.ID, p.Rank, p.Residents, p.AwardWinners, strings.TrimSuffix(p.FinancingRaised, ".00")))
		}
		if strings.Join(got, "; ") != strings.Join(want, "; ") {
			t.Fatalf("incubatorPerformance:\n got %v\nwant %v", got, want)
		}
	})

	t.Run("who sees residencies", func(t *testing.T) {
		q := `query($f: IncubationRecordFilter) { incubationRecords(filter: $f) { totalCount edges { node { enterprise { id } incubator { id } } } } }`
		for _, c := range []struct {
			who, token string
			filter     map[string]any
			total      int
			code       string
		}{
			{"the administrator", testToken, nil, 3, ""},
			{"incubator A (its residents)", incAToken, nil, 1, ""},
			{"incubator A asking for B's", incAToken, map[string]any{"incubatorId": incB}, 0, ""},
			{"an enterprise (its own: none)", baseToken, nil, 0, ""},
			{"an institution", fundToken, nil, 0, "FORBIDDEN"},
			{"anonymous", "", nil, 0, "UNAUTHENTICATED"},
		} {
			r := post(t, srv, c.token, q, map[string]any{"f": c.filter})
			if r.code() != c.code {
				t.Errorf("%s: errors %+v, want %q", c.who, r.Errors, c.code)
				continue
			}
			if c.code != "" {
				continue
			}
			var conn struct{ TotalCount int }
			r.decode(t, "incubationRecords", &conn)
			if conn.TotalCount != c.total {
				t.Errorf("%s: %d residencies, want %d", c.who, conn.TotalCount, c.total)
			}
		}
		// Ending a residency gives the vacancy back.
		_, errs := linkCall(t, srv, incAToken, "endIncubation", "incubationRecord", `{id: $id}`, map[string]any{"id": relay.IntID("IncubationRecord", 1)})
		if len(errs) > 0 || vacancies(t, srv, incA) != 1 {
			t.Fatalf("endIncubation: %+v, vacancies %d", errs, vacancies(t, srv, incA))
		}
		// And the 孵化+投资 bonus with it.
		deadline := time.Now().Add(5 * time.Second)
		for s, _ := equityPairing(t, srv, resident, equity); s != before; s, _ = equityPairing(t, srv, resident, equity) {
			if time.Now().After(deadline) {
				t.Fatalf("the bonus outlived the residency: %v", s)
			}
			time.Sleep(10 * time.Millisecond)
		}
	})

	t.Run("agreements are public", func(t *testing.T) {
		var conn struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					Kind    string
					Fund    struct{ Name string }
					Partner struct{ Name string }
				}
			}
		}
		post(t, srv, "", `query($p: ID) { agreements(filter: {partyId: $p}) { totalCount edges { node { kind fund { name }
			partner { ... on Institution { name } ... on Incubator { name } } } } } }`, map[string]any{"p": fund}).decode(t, "agreements", &conn)
		if conn.TotalCount != 2 || conn.Edges[0].Node.Partner.Name != "郑州高新区创业中心" || conn.Edges[1].Node.Partner.Name != "中原银行" {
			t.Fatalf("agreements of the fund: %+v", conn)
		}
	})
}
