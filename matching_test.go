package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
)

// scenario builds a small marketplace through the public API: a bank with a
// subsidy loan and a score loan, an incubator, a demand and three
// enterprises, one of them dishonest.
type scenario struct {
	srv                         *httptest.Server
	app                         *app
	subsidyLoan, scoreLoan      string
	incubator, demand           string
	withNeed, withoutNeed, liar string
}

func newScenario(t *testing.T) *scenario {
	t.Helper()
	srv, a := testServer(t, 0)
	s := &scenario{srv: srv, app: a}
	var inst struct {
		Institution struct{ ID string } `json:"institution"`
	}
	post(t, srv, testToken, `mutation { createInstitution(input: {name: "中原银行", kind: BANK, city: ZHENGZHOU}) { institution { id } userErrors { code } } }`, nil).
		decode(t, "createInstitution", &inst)

	product := func(input string) string {
		var p struct {
			FinancialProduct struct{ ID string } `json:"financialProduct"`
			UserErrors       []userError         `json:"userErrors"`
		}
		post(t, srv, testToken, `mutation($input: CreateFinancialProductInput!) { createFinancialProduct(input: $input) { financialProduct { id } userErrors { field code message } } }`,
			map[string]any{"input": json.RawMessage(strings.ReplaceAll(input, "PROVIDER", inst.Institution.ID))}).decode(t, "createFinancialProduct", &p)
		if len(p.UserErrors) > 0 {
			t.Fatalf("product refused: %+v", p.UserErrors)
		}
		return p.FinancialProduct.ID
	}
	s.subsidyLoan = product(`{"name": "中原银行积分奖补贷", "kind": "LOAN", "program": "SUBSIDY_LOAN", "providerId": "PROVIDER",
		"maxAmount": "3000000", "collateralFree": true, "eligibility": {"requiresSubsidy": true, "subsidyMultiple": 5}}`)
	s.scoreLoan = product(`{"name": "中原银行积分贷（领跑）", "kind": "LOAN", "program": "SCORE_LOAN", "providerId": "PROVIDER",
		"maxAmount": "5000000", "eligibility": {"minInnovationScore": 1000}}`)

	var inc struct {
		Incubator struct{ ID string } `json:"incubator"`
	}
	post(t, srv, testToken, `mutation { createIncubator(input: {name: "中原龙子湖智慧岛", kind: SMART_ISLAND, level: PROVINCIAL, city: ZHENGZHOU,
		focusTracks: [NEW_MATERIALS], vacancies: 12, servicePackage: {freeWorkstations: 4, rentFreeMonths: 6, mentorship: true, policyAgent: true, pilotBaseAccess: false}}) { incubator { id } } }`, nil).
		decode(t, "createIncubator", &inc)
	s.incubator = inc.Incubator.ID

	var dem struct {
		SupplyChainDemand struct{ ID string } `json:"supplyChainDemand"`
	}
	post(t, srv, testToken, `mutation { createSupplyChainDemand(input: {title: "征集车规级功率模块供应商", description: "用于新能源客车电驱系统",
		kind: SUPPLIER, industryChain: "新能源汽车", track: NEW_ENERGY_ENVIRONMENT, city: ZHENGZHOU, ownerName: "宇通客车",
		keywords: ["功率器件", "电驱"]}) { supplyChainDemand { id } } }`, nil).decode(t, "createSupplyChainDemand", &dem)
	s.demand = dem.SupplyChainDemand.ID

	enterprise := func(name, prefix string, edit func(map[string]any)) string {
		in := enterpriseInput(name, prefix+checkChar(t, prefix))
		in["subsidies"] = []map[string]any{
			{"program": "研发费用后补助", "amount": "200000", "year": 2026},
			{"program": "高新技术企业认定奖励", "amount": "100000", "year": 2025},
			{"program": "早年补助", "amount": "900000", "year": 2022},
		}
		edit(in)
		var p payload
		post(t, srv, testToken, createEnterprise, map[string]any{"input": in}).decode(t, "createEnterprise", &p)
		if p.Enterprise == nil {
			t.Fatalf("enterprise %s refused: %+v", name, p.UserErrors)
		}
		return p.Enterprise.ID
	}
	s.withNeed = enterprise("郑州碳芯功率器件有限公司", "91410100MA44AAAA1", func(in map[string]any) {
		in["financingNeed"] = map[string]any{"kind": "LOAN", "amount": "1000000", "purpose": "扩大SiC功率器件产线"}
	})
	s.withoutNeed = enterprise("郑州金刚超硬材料有限公司", "91410100MA44AAAA2", func(in map[string]any) {
		in["description"] = "专注于人造金刚石与立方氮化硼超硬材料"
	})
	s.liar = enterprise("郑州失信科技有限公司", "91410100MA44AAAA3", func(in map[string]any) { in["creditStatus"] = "DISHONEST" })
	return s
}

type pairing struct {
	ID              string   `json:"id"`
	Kind            string   `json:"kind"`
	Score           float64  `json:"score"`
	Eligible        bool     `json:"eligible"`
	SuggestedAmount *string  `json:"suggestedAmount"`
	GreenChannel    bool     `json:"greenChannel"`
	Blockers        []string `json:"blockers"`
	Reasons         []struct {
		Factor       string  `json:"factor"`
		Contribution float64 `json:"contribution"`
		Message      string  `json:"message"`
	} `json:"reasons"`
	Resource struct {
		ID string `json:"id"`
	} `json:"resource"`
	Enterprise struct {
		ID string `json:"id"`
	} `json:"enterprise"`
}

const pairingFields = `id kind score eligible suggestedAmount greenChannel blockers reasons { factor contribution message }
  resource { ... on FinancialProduct { id } ... on Incubator { id } ... on SupplyChainDemand { id } } enterprise { id }`

func (s *scenario) matches(t *testing.T, enterprise, kind string, eligibleOnly bool) []pairing {
	t.Helper()
	var e struct {
		Matches []pairing `json:"matches"`
	}
	q := fmt.Sprintf(`query($id: ID!) { node(id: $id) { ... on Enterprise { matches(kind: %s, first: 20, eligibleOnly: %v) { %s } } } }`, kind, eligibleOnly, pairingFields)
	post(t, s.srv, testToken, q, map[string]any{"id": enterprise}).decode(t, "node", &e)
	return e.Matches
}

func find(ps []pairing, resource string) *pairing {
	for i := range ps {
		if ps[i].Resource.ID == resource {
			return &ps[i]
		}
	}
	return nil
}

func TestMatchingThroughTheAPI(t *testing.T) {
	s := newScenario(t)

	t.Run("the subsidy loan is capped by five times this and last year's subsidies and by the stated need", func(t *testing.T) {
		got := find(s.matches(t, s.withNeed, "FINANCING", true), s.subsidyLoan)
		if got == nil || got.SuggestedAmount == nil || *got.SuggestedAmount != "1000000.00" {
			t.Fatalf("with a need of 1,000,000: %+v", got)
		}
		got = find(s.matches(t, s.withoutNeed, "FINANCING", true), s.subsidyLoan)
		if got == nil || got.SuggestedAmount == nil || *got.SuggestedAmount != "1500000.00" {
			t.Fatalf("without a need, 5 × 300,000: %+v", got)
		}
	})

	t.Run("a failed rule is a blocker naming the numbers", func(t *testing.T) {
		got := find(s.matches(t, s.withNeed, "FINANCING", false), s.scoreLoan)
		if got == nil || got.Eligible || len(got.Blockers) != 1 || !strings.Contains(got.Blockers[0], "1000") {
			t.Fatalf("score loan needing 1000 points: %+v", got)
		}
		if find(s.matches(t, s.withNeed, "FINANCING", true), s.scoreLoan) != nil {
			t.Error("an ineligible pairing is listed among eligible matches")
		}
	})

	t.Run("scores are the clamped sum of their reasons, largest first", func(t *testing.T) {
		for _, p := range s.matches(t, s.withNeed, "INCUBATION", false) {
			sum := 0.0
			for i, r := range p.Reasons {
				sum += r.Contribution
				if i > 0 && abs(r.Contribution) > abs(p.Reasons[i-1].Contribution) {
					t.Errorf("reasons out of order: %+v", p.Reasons)
				}
				if r.Message == "" {
					t.Errorf("reason %s has no message", r.Factor)
				}
			}
			if want := min(max(sum, 0), 100); abs(p.Score-want) > 0.01 {
				t.Errorf("score %.2f, reasons sum to %.2f", p.Score, sum)
			}
		}
	})

	t.Run("a demand matches on a keyword inside Chinese text", func(t *testing.T) {
		got := find(s.matches(t, s.withNeed, "INDUSTRY_CHAIN", true), s.demand)
		if got == nil || !got.Eligible {
			t.Fatalf("功率器件 occurs in the description, yet no eligible pairing: %+v", got)
		}
		if find(s.matches(t, s.withoutNeed, "INDUSTRY_CHAIN", true), s.demand) != nil {
			t.Error("an enterprise sharing no keyword with the demand is eligible for it")
		}
	})

	t.Run("a dishonest enterprise has no eligible pairing, no plan item, and is on no list", func(t *testing.T) {
		all := s.matches(t, s.liar, "FINANCING", false)
		if len(all) == 0 {
			t.Fatal("no pairings at all for the dishonest enterprise")
		}
		for _, p := range all {
			if p.Eligible || len(p.Blockers) == 0 {
				t.Errorf("dishonest pairing %+v", p)
			}
		}
		var plan struct {
			Items           []pairing `json:"items"`
			TotalCreditLine string    `json:"totalCreditLine"`
		}
		post(t, s.srv, testToken, `query($id: ID!) { financingPlan(enterpriseId: $id) { items { id } totalCreditLine summary } }`,
			map[string]any{"id": s.liar}).decode(t, "financingPlan", &plan)
		if len(plan.Items) != 0 || plan.TotalCreditLine != "0.00" {
			t.Errorf("plan of a dishonest enterprise: %+v", plan)
		}
		var cands []pairing
		var prod struct {
			Candidates []pairing `json:"candidates"`
		}
		post(t, s.srv, "", `query($id: ID!) { node(id: $id) { ... on FinancialProduct { candidates(first: 50) { enterprise { id } eligible } } } }`,
			map[string]any{"id": s.subsidyLoan}).decode(t, "node", &prod)
		cands = prod.Candidates
		if len(cands) != 2 {
			t.Errorf("subsidy-loan candidates = %d, want the two honest enterprises", len(cands))
		}
		for _, c := range cands {
			if c.Enterprise.ID == s.liar {
				t.Error("the dishonest enterprise is a candidate")
			}
		}
	})

	t.Run("the financing plan sums its loans", func(t *testing.T) {
		var plan struct {
			Items []struct {
				Kind            string  `json:"kind"`
				SuggestedAmount *string `json:"suggestedAmount"`
				Resource        struct {
					Typename string `json:"__typename"`
					Kind     string `json:"kind"`
				} `json:"resource"`
			} `json:"items"`
			TotalCreditLine string `json:"totalCreditLine"`
			Summary         string `json:"summary"`
		}
		post(t, s.srv, testToken, `query($id: ID!) { financingPlan(enterpriseId: $id) { items { kind suggestedAmount resource { __typename ... on FinancialProduct { kind } } } totalCreditLine summary } }`,
			map[string]any{"id": s.withNeed}).decode(t, "financingPlan", &plan)
		if plan.TotalCreditLine != "1000000.00" {
			t.Errorf("totalCreditLine = %s, want the subsidy loan's 1000000.00", plan.TotalCreditLine)
		}
		if !strings.ContainsAny(plan.Summary, "企业贷款") {
			t.Errorf("summary is not Chinese prose: %q", plan.Summary)
		}
		kinds := map[string]bool{}
		for _, it := range plan.Items {
			kinds[it.Resource.Typename+it.Resource.Kind] = true
		}
		if !kinds["FinancialProductLOAN"] || !kinds["Incubator"] || !kinds["SupplyChainDemand"] {
			t.Errorf("plan items %+v lack a loan, an incubator or a demand", plan.Items)
		}
	})

	t.Run("an award this year opens the green channel and raises the score at once", func(t *testing.T) {
		before := find(s.matches(t, s.withoutNeed, "INCUBATION", true), s.incubator)
		r := post(t, s.srv, testToken, `mutation($id: ID!) { recordCompetitionEntry(input: {enterpriseId: $id, year: 2026, group: STARTUP,
			track: NEW_MATERIALS, stageReached: PROVINCIAL_FINAL, award: FIRST}) { enterprise { competitionEntries { greenChannel } } userErrors { code } } }`,
			map[string]any{"id": s.withoutNeed})
		if len(r.Errors) > 0 {
			t.Fatal(r.Errors)
		}
		after := find(s.matches(t, s.withoutNeed, "INCUBATION", true), s.incubator)
		if before == nil || after == nil || !after.GreenChannel || after.Score <= before.Score {
			t.Errorf("before %+v, after %+v", before, after)
		}
	})

	t.Run("a full rematch is for administrators and keeps the rankings", func(t *testing.T) {
		const q = `mutation { rematch { enterprises resources tookMs modelVersion } }`
		if r := post(t, s.srv, "", q, nil); r.code() != "UNAUTHENTICATED" {
			t.Fatalf("anonymous rematch: code %q", r.code())
		}
		before := s.matches(t, s.withNeed, "FINANCING", false)
		var out struct {
			Enterprises, Resources int
			ModelVersion           string
		}
		post(t, s.srv, testToken, q, nil).decode(t, "rematch", &out)
		if out.Enterprises != 3 || out.Resources != 4 || out.ModelVersion == "" {
			t.Errorf("rematch = %+v, want 3 enterprises and 4 resources", out)
		}
		after := s.matches(t, s.withNeed, "FINANCING", false)
		if len(after) != len(before) || after[0].Score != before[0].Score {
			t.Errorf("rankings changed across a rematch of unchanged data: %+v vs %+v", before, after)
		}
	})

	t.Run("a cached answer never outlives a write", func(t *testing.T) {
		const q = `query($id: ID!) { node(id: $id) { ... on Enterprise { employees innovationScore { total } } } }`
		read := func() (n int) {
			var e struct{ Employees int }
			post(t, s.srv, testToken, q, map[string]any{"id": s.withNeed}).decode(t, "node", &e)
			return e.Employees
		}
		read()
		hits := metric(t, s.srv, `yurong_cache_response_lookups_total{result="hit"}`)
		read()
		if metric(t, s.srv, `yurong_cache_response_lookups_total{result="hit"}`) <= hits {
			t.Fatal("the second identical read was not served from the response cache")
		}
		post(t, s.srv, testToken, `mutation($id: ID!) { updateEnterprise(input: {id: $id, employees: 123}) { userErrors { code } } }`, map[string]any{"id": s.withNeed})
		if n := read(); n != 123 {
			t.Errorf("read %d employees after the update to 123", n)
		}
	})

	t.Run("warrant-loan holders make the equity project list, dishonest ones do not", func(t *testing.T) {
		for _, id := range []string{s.withoutNeed, s.liar} {
			post(t, s.srv, testToken, `mutation($id: ID!) { updateEnterprise(input: {id: $id, hasWarrantLoan: true}) { userErrors { code } } }`, map[string]any{"id": id})
		}
		var conn struct {
			TotalCount int
			Edges      []struct{ Node struct{ ID string } }
		}
		post(t, s.srv, "", `{ equityProjectList(first: 10) { totalCount edges { node { id } } } }`, nil).decode(t, "equityProjectList", &conn)
		if conn.TotalCount != 1 || len(conn.Edges) != 1 || conn.Edges[0].Node.ID != s.withoutNeed {
			t.Errorf("equityProjectList = %+v, want only the honest holder", conn)
		}
	})

	t.Run("the early-small-hard filter agrees with each enterprise's flags", func(t *testing.T) {
		var conn struct {
			Edges []struct {
				Node struct {
					EarlySmallHard struct{ Listed bool } `json:"earlySmallHard"`
				} `json:"node"`
			} `json:"edges"`
		}
		post(t, s.srv, "", `{ enterprises(filter: {earlySmallHard: true}) { edges { node { earlySmallHard { listed } } } } }`, nil).decode(t, "enterprises", &conn)
		for _, e := range conn.Edges {
			if !e.Node.EarlySmallHard.Listed {
				t.Error("filter earlySmallHard: true returned an unlisted enterprise")
			}
		}
	})
}

func TestPairingsChangedOverWebSocket(t *testing.T) {
	s := newScenario(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	url := "ws" + strings.TrimPrefix(s.srv.URL, "http") + "/graphql"
	conn, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer conn.CloseNow()
	if conn.Subprotocol() != "graphql-transport-ws" {
		t.Fatalf("subprotocol %q", conn.Subprotocol())
	}
	type msg struct {
		ID      string          `json:"id,omitempty"`
		Type    string          `json:"type"`
		Payload json.RawMessage `json:"payload,omitempty"`
	}
	wsjson.Write(ctx, conn, msg{Type: "connection_init"})
	var ack msg
	if err := wsjson.Read(ctx, conn, &ack); err != nil || ack.Type != "connection_ack" {
		t.Fatalf("ack: %v %+v", err, ack)
	}
	sub, _ := json.Marshal(map[string]any{"query": `subscription($id: ID) { pairingsChanged(enterpriseId: $id) { enterprise { id name } kind at } }`,
		"variables": map[string]any{"id": s.withNeed}})
	wsjson.Write(ctx, conn, msg{ID: "1", Type: "subscribe", Payload: sub})
	// The subscription starts asynchronously; from then on it hears every write.
	waitUntil(t, 10*time.Second, "the server to start the subscription", func() bool { return liveSubscriptions(t, s.app) == 1 })

	r := post(t, s.srv, testToken, `mutation($id: ID!) { updateEnterprise(input: {id: $id, employees: 55}) { userErrors { code } } }`, map[string]any{"id": s.withNeed})
	if len(r.Errors) > 0 {
		t.Fatal(r.Errors)
	}
	for {
		var m msg
		if err := wsjson.Read(ctx, conn, &m); err != nil {
			t.Fatalf("no pairingsChanged after the update: %v", err)
		}
		if m.Type == "ping" {
			wsjson.Write(ctx, conn, msg{Type: "pong"})
			continue
		}
		if m.Type != "next" {
			t.Fatalf("unexpected message %+v", m)
		}
		var next struct {
			Data struct {
				PairingsChanged struct {
					Enterprise struct{ ID string } `json:"enterprise"`
					Kind       string              `json:"kind"`
				} `json:"pairingsChanged"`
			} `json:"data"`
		}
		json.Unmarshal(m.Payload, &next)
		if got := next.Data.PairingsChanged.Enterprise.ID; got != s.withNeed {
			t.Fatalf("heard enterprise %s, subscribed to %s", got, s.withNeed)
		}
		break
	}
	wsjson.Write(ctx, conn, msg{ID: "1", Type: "complete"})
	conn.Close(websocket.StatusNormalClosure, "")
}

// metric reads one sample of the server's /metrics.
func metric(t *testing.T, srv *httptest.Server, series string) float64 {
	t.Helper()
	res, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	for _, line := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			f, _ := strconv.ParseFloat(v, 64)
			return f
		}
	}
	t.Fatalf("/metrics has no %s", series)
	return 0
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}
