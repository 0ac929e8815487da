package main

import (
	"strconv"
	"strings"
	"testing"
)

// TestRedaction reads the texts the API writes about an enterprise — its
// early-small-hard verdict, the reasons and blockers of its financing
// pairings, search highlights — as an institution without its consent, and
// finds none of its private figures there (ADR 010), while an institution
// with its consent and the administrator read the same texts with the
// figures, so the check is not vacuous. The search index holds nothing of
// the financing need, not even its purpose.
func TestRedaction(t *testing.T) {
	srv, _ := testServer(t, 0)

	bank, otherBank := createBank(t, srv, "中原银行", "ZHENGZHOU"), createBank(t, srv, "洛阳银行", "LUOYANG")
	// A loan the need fits (the credit capacity, half the revenue, exceeds
	// it), a subsidy loan capped by twice this and last year's subsidies,
	// and a loan for enterprises with less revenue than this one.
	techLoan := createProduct(t, srv, bank, `{"name": "中原银行科技贷", "kind": "LOAN", "program": "TECH_LOAN", "providerId": "PROVIDER", "maxAmount": "5000000"}`)
	subsidyLoan := createProduct(t, srv, bank, `{"name": "中原银行积分奖补贷", "kind": "LOAN", "program": "SUBSIDY_LOAN", "providerId": "PROVIDER",
		"maxAmount": "3000000", "collateralFree": true, "eligibility": {"requiresSubsidy": true, "subsidyMultiple": 2}}`)
	smallLoan := createProduct(t, srv, bank, `{"name": "中原银行初创贷", "kind": "LOAN", "program": "TECH_LOAN", "providerId": "PROVIDER",
		"maxAmount": "5000000", "eligibility": {"maxRevenue": "10000000"}}`)

	// The enterprise, with figures that are findable as text.
	const (
		descriptionWord = "晶体生长"
		purpose         = "采购鹦鹉螺牌真空烧结炉，预算345.67万元"
	)
	prefix := "91410100MA47HHHH1"
	in := enterpriseInput("郑州琥珀晶体科技有限公司", prefix+checkChar(t, prefix))
	in["description"] = "专注于人工晶体生长炉与蓝宝石衬底的研发"
	in["keywords"] = []string{descriptionWord, "蓝宝石"}
	report := in["reports"].([]map[string]any)[0]
	report["revenue"] = "12345600.00"         // 1234.56万元
	report["rdExpense"] = "901229"            // 90.12万元, an R&D intensity of 7.3%
	report["inventionPatentApplications"] = 7 // 发明专利申请 7 件
	in["subsidies"] = []map[string]any{
		{"program": "研发费用后补助", "amount": "987600", "year": 2026},    // 98.76万元
		{"program": "高新技术企业认定奖励", "amount": "123400", "year": 2025}, // 12.34万元
		{"program": "早年补助", "amount": "456700", "year": 2022},       // 45.67万元
	}
	in["financingNeed"] = map[string]any{"kind": "LOAN", "amount": "3456700", "purpose": purpose} // 345.67万元
	var created payload
	post(t, srv, testToken, createEnterprise, map[string]any{"input": in}).decode(t, "createEnterprise", &created)
	if created.Enterprise == nil {
		t.Fatalf("enterprise refused: %+v", created.UserErrors)
	}
	enterprise := created.Enterprise.ID
	// The need (3,456,700) differs from the revenue's digits, so "345.67万元"
	// found in a text is the need, not a part of "1234.56万元".

	token := func(name, role, org string) string {
		var p struct {
			Token      *string     `json:"token"`
			UserErrors []userError `json:"userErrors"`
		}
		post(t, srv, testToken, `mutation($in: CreateAccountInput!) { createAccount(input: $in) { token userErrors { field code message } } }`,
			map[string]any{"in": map[string]any{"name": name, "role": role, "organizationId": org}}).decode(t, "createAccount", &p)
		if p.Token == nil {
			t.Fatalf("account %s refused: %+v", name, p.UserErrors)
		}
		return *p.Token
	}
	consented, unconsented := token("中原银行客户经理", "INSTITUTION", bank), token("洛阳银行客户经理", "INSTITUTION", otherBank)
	var grant struct {
		Consent *struct{ ID string } `json:"consent"`
	}
	post(t, srv, testToken, `mutation($e: ID!, $i: ID) { grantConsent(input: {enterpriseId: $e, institutionId: $i, expiresOn: "2026-12-31"}) { consent { id } } }`,
		map[string]any{"e": enterprise, "i": bank}).decode(t, "grantConsent", &grant)
	if grant.Consent == nil {
		t.Fatal("consent refused")
	}

	// The private figures as the texts would print them: 万元 with up to two
	// decimals, exact 元, percentages.
	private := []string{
		"1234.56万元", "12345600", // revenue
		"90.12万元", "901229", "7.3%", // R&D expense and intensity
		"发明专利申请 7 件",
		"98.76万元", "987600", "12.34万元", "123400", "45.67万元", "456700", // each subsidy
		"111.1万元", "222.2万元", // this and last year's subsidies, and twice that
		"345.67万元", "3456700", // the need
		"617.28万元", "6172800", // the credit capacity, half the revenue
	}

	const textsQuery = `query($id: ID!) { node(id: $id) { ... on Enterprise { earlySmallHard { reasons }
	  matches(kind: FINANCING, first: 20, eligibleOnly: false) { resource { ... on FinancialProduct { id } } reasons { factor message } blockers } } } }`
	readTexts := func(t *testing.T, token string) enterpriseTexts {
		t.Helper()
		var e enterpriseTexts
		post(t, srv, token, textsQuery, map[string]any{"id": enterprise}).decode(t, "node", &e)
		return e
	}
	all := func(e enterpriseTexts) []string {
		texts := append([]string(nil), e.EarlySmallHard.Reasons...)
		for _, p := range e.Matches {
			for _, r := range p.Reasons {
				texts = append(texts, r.Message)
			}
			texts = append(texts, p.Blockers...)
		}
		return texts
	}
	pairingOf := func(e enterpriseTexts, product string) *pairingTexts {
		for i := range e.Matches {
			if e.Matches[i].Resource.ID == product {
				return &e.Matches[i]
			}
		}
		return nil
	}

	// What the administrator reads: every suggested amount joins the
	// private figures, and the scenario is what the test needs.
	var full enterpriseTexts
	post(t, srv, testToken, `query($id: ID!) { node(id: $id) { ... on Enterprise {
	  matches(kind: FINANCING, first: 20, eligibleOnly: false) { suggestedAmount resource { ... on FinancialProduct { id } } reasons { factor message } blockers } } } }`,
		map[string]any{"id": enterprise}).decode(t, "node", &full)
	for _, p := range full.Matches {
		if p.SuggestedAmount != nil {
			private = append(private, wanText(*p.SuggestedAmount), strings.TrimSuffix(*p.SuggestedAmount, ".00"))
		}
	}
	for _, want := range []struct {
		product, what string
		ok            func(*pairingTexts) bool
	}{
		{techLoan, "an amount-fit reason", hasFactor("amount_fit")},
		{subsidyLoan, "an amount-fit reason", hasFactor("amount_fit")},
		{smallLoan, "a blocker citing the revenue", func(p *pairingTexts) bool {
			return len(p.Blockers) > 0 && strings.Contains(strings.Join(p.Blockers, " "), "营业收入")
		}},
	} {
		if p := pairingOf(full, want.product); p == nil || !want.ok(p) {
			t.Fatalf("the scenario lacks %s for product %s: %+v", want.what, want.product, p)
		}
	}
	if p := pairingOf(full, subsidyLoan); p.SuggestedAmount == nil || *p.SuggestedAmount != "2222000.00" {
		t.Fatalf("the subsidy loan suggests %v, want twice the 1,111,000 of 2025–2026", p.SuggestedAmount)
	}

	t.Run("an institution without consent reads explanations without the figures", func(t *testing.T) {
		public := readTexts(t, unconsented)
		texts := all(public)
		if len(public.EarlySmallHard.Reasons) == 0 || len(public.Matches) == 0 {
			t.Fatalf("nothing to read: %+v", public)
		}
		for _, text := range texts {
			for _, figure := range private {
				if strings.Contains(text, figure) {
					t.Errorf("%q shows the private figure %q", text, figure)
				}
			}
			if strings.Contains(text, "鹦鹉螺") || strings.Contains(text, "烧结炉") {
				t.Errorf("%q shows the financing need's purpose", text)
			}
		}
		// Still an explanation: the same texts, each in its public
		// rendering, and the revenue limit's blocker names the limit.
		withFigures := readTexts(t, consented)
		if len(public.EarlySmallHard.Reasons) != len(withFigures.EarlySmallHard.Reasons) {
			t.Errorf("%d early-small-hard reasons, %d with consent", len(public.EarlySmallHard.Reasons), len(withFigures.EarlySmallHard.Reasons))
		}
		for _, p := range withFigures.Matches {
			q := pairingOf(public, p.Resource.ID)
			if q == nil || len(q.Reasons) != len(p.Reasons) || len(q.Blockers) != len(p.Blockers) {
				t.Errorf("pairing with %s: %+v without consent, %+v with it", p.Resource.ID, q, p)
			}
		}
		if p := pairingOf(public, smallLoan); p == nil || !strings.Contains(strings.Join(p.Blockers, " "), "10000000元（1000万元）") {
			t.Errorf("the revenue-limit blocker does not name the product's limit: %+v", p)
		}
	})

	for _, reader := range []struct{ name, token string }{{"the institution with consent", consented}, {"the administrator", testToken}} {
		t.Run(reader.name+" reads the explanations with the figures", func(t *testing.T) {
			text := strings.Join(all(readTexts(t, reader.token)), "\n")
			for _, figure := range []string{
				"1234.56万元",            // the revenue, in the early-small-hard verdict
				"7.3%",                 // the R&D intensity
				"发明专利申请 7 件",           // the patent applications
				"345.67万元",             // the need, in the amount fit
				"222.2万元",              // the subsidy loan's suggested amount
				"12345600元（1234.56万元）", // the revenue, in the blocker
			} {
				if !strings.Contains(text, figure) {
					t.Errorf("no text shows %q:\n%s", figure, text)
				}
			}
		})
	}

	// ---- Search: the index is built in the background.
	type hit struct {
		Highlights []string `json:"highlights"`
		Node       struct {
			Typename string `json:"__typename"`
			ID       string `json:"id"`
		} `json:"node"`
	}
	search := func(t *testing.T, query string) []hit {
		t.Helper()
		var hits []hit
		post(t, srv, unconsented, `query($q: String!) { search(query: $q, first: 50) { highlights node { __typename ... on Enterprise { id } ... on FinancialProduct { id } } } }`,
			map[string]any{"q": query}).decode(t, "search", &hits)
		return hits
	}
	found := func(hits []hit) bool {
		for _, h := range hits {
			if h.Node.ID == enterprise {
				return true
			}
		}
		return false
	}
	waitUntil(t, searchCatchUp, descriptionWord+" to find the enterprise", func() bool { return found(search(t, descriptionWord)) })
	waitUntil(t, searchCatchUp, "yurong_search_outbox_pending to reach 0", func() bool {
		return metric(t, srv, "yurong_search_outbox_pending") == 0
	})
	// From here on every write is indexed.

	t.Run("search highlights show no private figure", func(t *testing.T) {
		for _, query := range []string{descriptionWord, "琥珀晶体", "蓝宝石"} {
			hits := search(t, query)
			if !found(hits) {
				t.Errorf("%s does not find the enterprise: %+v", query, hits)
			}
			for _, h := range hits {
				for _, hl := range h.Highlights {
					for _, figure := range append(private, "鹦鹉螺", "烧结炉") {
						if strings.Contains(hl, figure) {
							t.Errorf("search %s: highlight %q of %s shows %q", query, hl, h.Node.ID, figure)
						}
					}
				}
			}
		}
	})

	t.Run("the search index holds nothing of the financing need's purpose", func(t *testing.T) {
		for _, query := range []string{"鹦鹉螺", "真空烧结炉", purpose, "345.67"} {
			for _, h := range search(t, query) {
				if h.Node.ID == enterprise {
					t.Errorf("search %q finds the enterprise (highlights %q): its financing need's purpose is indexed", query, h.Highlights)
				}
				for _, hl := range h.Highlights {
					if strings.Contains(strings.NewReplacer("<em>", "", "</em>", "").Replace(hl), "鹦鹉螺") {
						t.Errorf("search %q: highlight %q shows the purpose", query, hl)
					}
				}
			}
		}
		// Nor do the enterprise's pairing documents; they are searchable by
		// its description, so an empty answer means something.
		pairings := func(query string) int {
			var c struct {
				TotalCount int `json:"totalCount"`
			}
			post(t, srv, unconsented, `query($q: String, $e: ID) { pairings(query: $q, filter: {enterpriseId: $e, eligibleOnly: false}) { totalCount } }`,
				map[string]any{"q": query, "e": enterprise}).decode(t, "pairings", &c)
			return c.TotalCount
		}
		if n := pairings(descriptionWord); n == 0 {
			t.Fatalf("pairings(query: %s) lists none of the enterprise's pairings", descriptionWord)
		}
		if n := pairings("鹦鹉螺"); n != 0 {
			t.Errorf("pairings(query: 鹦鹉螺) lists %d of the enterprise's pairings: its purpose is indexed", n)
		}
	})
}

// pairingTexts is what TestRedaction reads of a financing pairing.
type pairingTexts struct {
	SuggestedAmount *string `json:"suggestedAmount"`
	Resource        struct {
		ID string `json:"id"`
	} `json:"resource"`
	Reasons []struct {
		Factor  string `json:"factor"`
		Message string `json:"message"`
	} `json:"reasons"`
	Blockers []string `json:"blockers"`
}

// enterpriseTexts is what TestRedaction reads of an enterprise.
type enterpriseTexts struct {
	EarlySmallHard struct {
		Reasons []string `json:"reasons"`
	} `json:"earlySmallHard"`
	Matches []pairingTexts `json:"matches"`
}

func hasFactor(factor string) func(*pairingTexts) bool {
	return func(p *pairingTexts) bool {
		for _, r := range p.Reasons {
			if r.Factor == factor {
				return true
			}
		}
		return false
	}
}

// wanText writes a decimal amount of yuan as the matching texts do: in
// 万元 with at most two decimals and no trailing zeros, or in 元 below
// 10,000.
func wanText(amount string) string {
	f, err := strconv.ParseFloat(amount, 64)
	if err != nil {
		return amount
	}
	trim := func(f float64) string {
		s := strconv.FormatFloat(f, 'f', 2, 64)
		return strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
	}
	if f < 10_000 && f > -10_000 {
		return trim(f) + "元"
	}
	return trim(f/10_000) + "万元"
}
