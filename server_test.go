package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/events"
	"github.com/yurong/yurong/graph/relay"
	"github.com/yurong/yurong/pubsub"
	"github.com/yurong/yurong/store"
)

const testToken = "test-admin-token"

// testNow is the "today" of the tests, so date rules are reproducible.
func testNow() time.Time { return time.Date(2026, 6, 15, 9, 0, 0, 0, time.UTC) }

// testServer starts the whole service on an empty embedded store, or with
// demo data of demoSize enterprises when demoSize > 0.
func testServer(t *testing.T, demoSize int) (*httptest.Server, *app) {
	t.Helper()
	return testServerWith(t, demoSize, nil)
}

// testServerWith is testServer with the configuration edited first. The
// server counts its pairingsChanged subscriptions (see liveSubscriptions),
// so tests wait for a subscription to start instead of sleeping.
func testServerWith(t *testing.T, demoSize int, edit func(*Config)) (*httptest.Server, *app) {
	t.Helper()
	cfg := Config{DataDir: t.TempDir(), AdminToken: testToken, Demo: demoSize > 0, DemoSize: demoSize}
	if edit != nil {
		edit(&cfg)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := newApp(context.Background(), cfg, log, testNow)
	if err != nil {
		t.Fatalf("newApp: %v", err)
	}
	// Subscriptions go through a.pairings once the handler is built; the
	// engine publishes to the broker it was given, the same hub.
	a.pairings = &countingBroker{Broker: a.pairings}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(func() { srv.Close(); a.Close() })
	return srv, a
}

// countingBroker counts the subscriptions the server holds on its broker.
type countingBroker struct {
	pubsub.Broker
	live atomic.Int64
}

func (b *countingBroker) Subscribe(ctx context.Context, topic string) (<-chan []byte, func()) {
	ch, cancel := b.Broker.Subscribe(ctx, topic)
	b.live.Add(1)
	var once sync.Once
	return ch, func() {
		once.Do(func() { b.live.Add(-1) })
		cancel()
	}
}

// liveSubscriptions is the number of pairingsChanged subscriptions the
// server of a (built by testServer) has started and not yet ended. Once a
// subscription is counted, it hears every later write.
func liveSubscriptions(t *testing.T, a *app) int {
	t.Helper()
	b, ok := a.pairings.(*countingBroker)
	if !ok {
		t.Fatal("the app was not built by testServer")
	}
	return int(b.live.Load())
}

type gqlResponse struct {
	Data   map[string]json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Path       []any          `json:"path"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
	Extensions map[string]json.RawMessage `json:"extensions"`
	status     int
	header     http.Header
}

// post sends a GraphQL request; token "" sends none. It fails the test on
// a transport error, so only the test's own goroutine may call it; other
// goroutines call tryPost.
func post(t *testing.T, srv *httptest.Server, token, query string, vars map[string]any) gqlResponse {
	t.Helper()
	r, err := tryPost(srv, token, query, vars)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// tryPost is post for any goroutine: it returns what went wrong instead of
// failing the test.
func tryPost(srv *httptest.Server, token, query string, vars map[string]any) (gqlResponse, error) {
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return gqlResponse{}, err
	}
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/graphql", bytes.NewReader(body))
	if err != nil {
		return gqlResponse{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return tryDo(req)
}

func do(t *testing.T, req *http.Request) gqlResponse {
	t.Helper()
	r, err := tryDo(req)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// testClient keeps a connection per concurrent caller alive (the default
// client keeps two per host), so tests with many goroutines measure the
// server, not TCP handshakes and ports in TIME_WAIT.
var testClient = &http.Client{Transport: &http.Transport{MaxIdleConns: 256, MaxIdleConnsPerHost: 64, IdleConnTimeout: 30 * time.Second}}

func tryDo(req *http.Request) (gqlResponse, error) {
	res, err := testClient.Do(req)
	if err != nil {
		return gqlResponse{}, fmt.Errorf("request: %w", err)
	}
	defer res.Body.Close()
	var out gqlResponse
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return gqlResponse{}, fmt.Errorf("read response (status %d): %w", res.StatusCode, err)
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return gqlResponse{}, fmt.Errorf("response is not JSON (status %d): %s", res.StatusCode, raw)
	}
	out.status, out.header = res.StatusCode, res.Header
	return out, nil
}

// decode unmarshals data[field] into v, failing on GraphQL errors.
func (r gqlResponse) decode(t *testing.T, field string, v any) {
	t.Helper()
	if len(r.Errors) > 0 {
		t.Fatalf("unexpected errors: %+v", r.Errors)
	}
	if err := json.Unmarshal(r.Data[field], v); err != nil {
		t.Fatalf("decode %s: %v (%s)", field, err, r.Data[field])
	}
}

func (r gqlResponse) code() string {
	if len(r.Errors) == 0 {
		return ""
	}
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

type userError struct {
	Field   []string `json:"field"`
	Code    string   `json:"code"`
	Message string   `json:"message"`
}

const createEnterprise = `mutation($input: CreateEnterpriseInput!) {
  createEnterprise(input: $input) { enterprise { id name creditCode city reports { year revenue } } userErrors { field code message } }
}`

func enterpriseInput(name, code string) map[string]any {
	return map[string]any{
		"name": name, "creditCode": code, "city": "ZHENGZHOU", "foundedOn": "2023-04-01",
		"employees": 40, "track": "NEW_MATERIALS", "industryChain": "超硬材料",
		"description": "专注于金刚石超硬材料与碳化硅（SiC）功率器件的研发", "keywords": []string{"超硬材料", "SiC"},
		"qualifications": []string{"TECH_SME", "HIGH_TECH"},
		"reports": []map[string]any{{
			"year": 2025, "revenue": "3000000.00", "rdExpense": "450000", "techStaff": 20, "postgraduates": 5,
			"inventionPatentApplications": 3, "pctApplications": 0, "techContractTurnover": "0",
			"highTechProductRevenue": "2000000", "rdTaxDeduction": "100000", "returnOnEquityPercent": 8.5,
			"graduatesHired": 4, "innovationPlatforms": 1, "scienceAwards": 0, "equityFinancing": "0",
			"sciencePlanProjects": 1,
		}},
	}
}

type payload struct {
	Enterprise *struct {
		ID         string `json:"id"`
		Name       string `json:"name"`
		CreditCode string `json:"creditCode"`
	} `json:"enterprise"`
	UserErrors []userError `json:"userErrors"`
}

// TestEveryMutationNeedsAnAdministrator sends every mutation of the schema
// without a token, with a wrong one and with the right one under another
// scheme: each is refused with UNAUTHENTICATED and no data, and nothing
// reaches the store, the outbox or the read model. The same request with
// the administrator's token then succeeds, so the refusals were about the
// caller, not the input. A mutation added to the schema without a row here
// fails the test.
func TestEveryMutationNeedsAnAdministrator(t *testing.T) {
	// No background work: the indexer would acknowledge outbox rows while
	// the test counts them.
	cfg := Config{DataDir: t.TempDir(), AdminToken: testToken}
	a, err := openApp(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), testNow)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	defer func() { srv.Close(); a.Close() }()

	// Something for the updates and the product to refer to.
	var inst struct {
		Institution struct{ ID string } `json:"institution"`
	}
	post(t, srv, testToken, `mutation { createInstitution(input: {name: "郑州银行", kind: BANK, city: ZHENGZHOU}) { institution { id } } }`, nil).
		decode(t, "createInstitution", &inst)
	var ent payload
	post(t, srv, testToken, createEnterprise, map[string]any{"input": enterpriseInput("郑州甲科技有限公司", "91410100MA44XXXX0"+checkChar(t, "91410100MA44XXXX0"))}).
		decode(t, "createEnterprise", &ent)
	if inst.Institution.ID == "" || ent.Enterprise == nil {
		t.Fatalf("seed refused: %+v", ent.UserErrors)
	}
	provider, enterprise := inst.Institution.ID, ent.Enterprise.ID
	var fundInst struct {
		Institution struct{ ID string } `json:"institution"`
	}
	post(t, srv, testToken, `mutation { createInstitution(input: {name: "河南创投", kind: VENTURE_CAPITAL, city: ZHENGZHOU}) { institution { id } } }`, nil).
		decode(t, "createInstitution", &fundInst)
	fund := fundInst.Institution.ID
	loan := createProduct(t, srv, provider, `{"name": "郑州银行科技贷", "kind": "LOAN", "program": "TECH_LOAN", "providerId": "PROVIDER", "maxAmount": "2000000"}`)
	// An open application for withdrawApplication: Application 1.
	var applied struct {
		Application *struct{ ID string } `json:"application"`
	}
	post(t, srv, testToken, `mutation($e: ID!, $p: ID!) { applyForFinancing(input: {enterpriseId: $e, productId: $p, requestedAmount: "300000", purpose: "购置检测设备"}) { application { id } } }`,
		map[string]any{"e": enterprise, "p": loan}).decode(t, "applyForFinancing", &applied)
	if applied.Application == nil || applied.Application.ID != relay.IntID("Application", 1) {
		t.Fatalf("seed application: %+v", applied.Application)
	}

	rows := []struct {
		mutation string
		query    string
		vars     map[string]any
	}{
		{"createInstitution", `mutation { createInstitution(input: {name: "洛阳银行", kind: BANK, city: LUOYANG}) { institution { id } userErrors { code } } }`, nil},
		{"createEnterprise", createEnterprise, map[string]any{"input": enterpriseInput("郑州乙科技有限公司", "91410100MA44XXXX1"+checkChar(t, "91410100MA44XXXX1"))}},
		{"updateEnterprise", `mutation($id: ID!) { updateEnterprise(input: {id: $id, employees: 41, hasWarrantLoan: true}) { enterprise { id } userErrors { code } } }`,
			map[string]any{"id": enterprise}},
		{"createFinancialProduct", `mutation($p: ID!) { createFinancialProduct(input: {name: "郑州银行科创贷", kind: LOAN, program: TECH_LOAN, providerId: $p, maxAmount: "1000000"}) { financialProduct { id } userErrors { code } } }`,
			map[string]any{"p": provider}},
		{"createIncubator", `mutation { createIncubator(input: {name: "郑州众创空间", kind: MAKERSPACE, level: MUNICIPAL, city: ZHENGZHOU, vacancies: 3}) { incubator { id } userErrors { code } } }`, nil},
		{"createSupplyChainDemand", `mutation { createSupplyChainDemand(input: {title: "征集超硬材料供应商", description: "用于精密加工刀具", kind: SUPPLIER,
			industryChain: "超硬材料", track: NEW_MATERIALS, city: ZHENGZHOU, ownerName: "郑州磨料磨具磨削研究所", keywords: ["超硬材料"]}) { supplyChainDemand { id } userErrors { code } } }`, nil},
		{"recordCompetitionEntry", `mutation($id: ID!) { recordCompetitionEntry(input: {enterpriseId: $id, year: 2026, group: STARTUP, track: NEW_MATERIALS,
			stageReached: PROVINCIAL_FINAL, award: FIRST}) { enterprise { id } userErrors { code } } }`, map[string]any{"id": enterprise}},
		{"rematch", `mutation { rematch { enterprises resources modelVersion } }`, nil},
		{"createAccount", `mutation { createAccount(input: {name: "专家甲", role: EXPERT}) { token userErrors { code } } }`, nil},
		// The expert just created (Account 2) serves on clinic 1 and
		// diagnoses the enterprise there, before it is revoked.
		{"setExpertSpecialities", `mutation { setExpertSpecialities(input: {accountId: "QWNjb3VudDoy", specialities: [FINANCE, POLICY]}) { expert { id } userErrors { code } } }`, nil},
		{"scheduleClinic", `mutation { scheduleClinic(input: {name: "郑州高新区一企一策诊疗会", city: ZHENGZHOU, highTechZone: "郑州高新区", date: "2026-06-15",
			expertIds: ["QWNjb3VudDoy"]}) { clinic { id } userErrors { code } } }`, nil},
		{"recordDiagnosis", `mutation($c: ID!, $e: ID!) { recordDiagnosis(input: {clinicId: $c, enterpriseId: $e, notes: "研发投入大，现金流偏紧",
			growthPlan: ["申报高新技术企业", "对接科技贷"]}) { diagnosis { id } userErrors { code } } }`,
			map[string]any{"c": relay.IntID("Clinic", 1), "e": enterprise}},
		{"revokeAccount", `mutation { revokeAccount(input: {id: "QWNjb3VudDoy"}) { account { id } userErrors { code } } }`, nil},
		// Training session 1: the administrator registers, cancels, and the
		// attendance is recorded.
		{"createTrainingSession", `mutation { createTrainingSession(input: {title: "企业融资规划专题培训", audience: ENTERPRISE_LEADERS,
			topic: FINANCING_PLANNING, city: ZHENGZHOU, date: "2026-06-20", capacity: 30}) { session { id } userErrors { code } } }`, nil},
		{"registerForTraining", `mutation($s: ID!) { registerForTraining(input: {sessionId: $s}) { registration { status } userErrors { code } } }`,
			map[string]any{"s": relay.IntID("TrainingSession", 1)}},
		{"cancelTrainingRegistration", `mutation($s: ID!) { cancelTrainingRegistration(input: {sessionId: $s}) { registration { status } userErrors { code } } }`,
			map[string]any{"s": relay.IntID("TrainingSession", 1)}},
		{"setTrainingCapacity", `mutation($s: ID!) { setTrainingCapacity(input: {sessionId: $s, capacity: 40}) { session { capacity } userErrors { code } } }`,
			map[string]any{"s": relay.IntID("TrainingSession", 1)}},
		{"recordTrainingAttendance", `mutation($s: ID!) { recordTrainingAttendance(input: {sessionId: $s, accountIds: ["QWNjb3VudDox"]}) { marked userErrors { code } } }`,
			map[string]any{"s": relay.IntID("TrainingSession", 1)}},
		{"grantConsent", `mutation($id: ID!) { grantConsent(input: {enterpriseId: $id, expiresOn: "2027-01-01"}) { consent { id } userErrors { code } } }`,
			map[string]any{"id": enterprise}},
		{"revokeConsent", `mutation { revokeConsent(input: {id: "Q29uc2VudDox"}) { consent { id } userErrors { code } } }`, nil},
		{"createCompetition", `mutation { createCompetition(input: {year: 2026, name: "第九届河南省创新创业大赛", stages: [{stage: PRELIMINARY, startsOn: "2026-07-01", endsOn: "2026-07-31"}]}) {
			competition { id } userErrors { code } } }`, nil},
		{"addStageOffer", `mutation($c: ID!, $r: ID!) { addStageOffer(input: {competitionId: $c, stage: PRELIMINARY, resourceId: $r}) { competition { id } userErrors { code } } }`,
			map[string]any{"c": relay.IntID("Competition", 1), "r": loan}},
		{"applyForFinancing", `mutation($e: ID!, $p: ID!) { applyForFinancing(input: {enterpriseId: $e, productId: $p, requestedAmount: "500000", purpose: "研发投入"}) {
			application { id } userErrors { code } } }`, map[string]any{"e": enterprise, "p": createProduct(t, srv, provider,
			`{"name": "郑州银行积分贷", "kind": "LOAN", "program": "SCORE_LOAN", "providerId": "PROVIDER", "maxAmount": "1000000"}`)}},
		{"decideApplication", `mutation($id: ID!) { decideApplication(input: {id: $id, approve: true, annualRatePercent: 3.45}) { application { id } userErrors { code } } }`,
			map[string]any{"id": relay.IntID("Application", 2)}},
		{"recordDisbursement", `mutation($id: ID!) { recordDisbursement(input: {id: $id, amount: "500000", on: "2026-06-15"}) { application { id } userErrors { code } } }`,
			map[string]any{"id": relay.IntID("Application", 2)}},
		{"withdrawApplication", `mutation($id: ID!) { withdrawApplication(input: {id: $id}) { application { id } userErrors { code } } }`,
			map[string]any{"id": relay.IntID("Application", 1)}},
		{"setHolidays", `mutation { setHolidays(input: {year: 2026, holidays: ["2026-10-01"], workingWeekends: ["2026-10-10"]}) { year userErrors { code } } }`, nil},
		// Matchmaking event 1, its host 1 bringing the loan, the enterprise
		// taking part, a schedule, and the enterprise leaving.
		{"createMatchmakingEvent", `mutation { createMatchmakingEvent(input: {name: "新材料产业链专场对接会", track: NEW_MATERIALS, city: ZHENGZHOU,
			date: "2026-09-15", slots: 4, slotMinutes: 20, startsAt: "2026-09-15T01:00:00Z", tables: 2}) { event { id } userErrors { code } } }`, nil},
		{"addEventHost", `mutation($e: ID!, $r: ID!) { addEventHost(input: {eventId: $e, name: "郑州银行", resourceIds: [$r], capacity: 3}) { event { id } userErrors { code } } }`,
			map[string]any{"e": relay.IntID("MatchmakingEvent", 1), "r": loan}},
		{"addEventParticipant", `mutation($e: ID!, $id: ID!) { addEventParticipant(input: {eventId: $e, enterpriseId: $id, capacity: 2}) { event { id } userErrors { code } } }`,
			map[string]any{"e": relay.IntID("MatchmakingEvent", 1), "id": enterprise}},
		{"inviteParticipants", `mutation($e: ID!) { inviteParticipants(input: {eventId: $e, count: 5, capacity: 1}) { event { id } userErrors { code } } }`,
			map[string]any{"e": relay.IntID("MatchmakingEvent", 1)}},
		{"scheduleEvent", `mutation($e: ID!) { scheduleEvent(input: {eventId: $e, timeLimitMs: 200}) { event { schedule { objective } } userErrors { code } } }`,
			map[string]any{"e": relay.IntID("MatchmakingEvent", 1)}},
		{"removeEventParticipant", `mutation($e: ID!, $id: ID!) { removeEventParticipant(input: {eventId: $e, enterpriseId: $id}) { event { id } userErrors { code } } }`,
			map[string]any{"e": relay.IntID("MatchmakingEvent", 1), "id": enterprise}},
		// The enterprise moves into incubator 1 (created above, 3 vacancies)
		// and out again; the fund signs with the incubator, and expresses
		// and withdraws its interest in the enterprise (an entrant of 2026).
		{"recordIncubation", `mutation($e: ID!, $i: ID!) { recordIncubation(input: {enterpriseId: $e, incubatorId: $i}) { incubationRecord { id } userErrors { code } } }`,
			map[string]any{"e": enterprise, "i": relay.IntID("Incubator", 1)}},
		{"endIncubation", `mutation($id: ID!) { endIncubation(input: {id: $id}) { incubationRecord { id until } userErrors { code } } }`,
			map[string]any{"id": relay.IntID("IncubationRecord", 1)}},
		{"signAgreement", `mutation($f: ID!, $i: ID!) { signAgreement(input: {kind: INVESTMENT_INCUBATION, fundId: $f, partnerId: $i, signedOn: "2026-06-01"}) { agreement { id } userErrors { code } } }`,
			map[string]any{"f": fund, "i": relay.IntID("Incubator", 1)}},
		{"expressInterest", `mutation($f: ID!, $e: ID!) { expressInterest(input: {fundId: $f, enterpriseId: $e, stage: DUE_DILIGENCE}) { interest { stage } userErrors { code } } }`,
			map[string]any{"f": fund, "e": enterprise}},
		{"withdrawInterest", `mutation($f: ID!, $e: ID!) { withdrawInterest(input: {fundId: $f, enterpriseId: $e}) { interest { withdrawnAt } userErrors { code } } }`,
			map[string]any{"f": fund, "e": enterprise}},
		// The bank's scoring model 1, its version 2, and the loan scoring with it.
		{"createScoringModel", `mutation($i: ID!) { createScoringModel(input: {institutionId: $i, model: {name: "郑州银行科创模型", shared: true,
			weights: [{code: "invention_patent_applications", weight: 2}]}}) { scoringModel { id } userErrors { code } } }`, map[string]any{"i": provider}},
		{"reviseScoringModel", `mutation($m: ID!) { reviseScoringModel(input: {modelId: $m, model: {name: "", shared: true, ignored: ["return_on_equity"]}}) {
			scoringModel { latest { version } } userErrors { code } } }`, map[string]any{"m": relay.IntID("ScoringModel", 1)}},
		{"setProductScoringModel", `mutation($p: ID!, $m: ID!) { setProductScoringModel(input: {productId: $p, modelId: $m, mode: ACCOMPANY}) {
			financialProduct { id } userErrors { code } } }`, map[string]any{"p": loan, "m": relay.IntID("ScoringModel", 1)}},
	}

	t.Run("every mutation of the schema has a row", func(t *testing.T) {
		var schema struct {
			MutationType struct {
				Fields []struct{ Name string } `json:"fields"`
			} `json:"mutationType"`
		}
		post(t, srv, "", `{ __schema { mutationType { fields { name } } } }`, nil).decode(t, "__schema", &schema)
		covered := map[string]bool{}
		for _, r := range rows {
			covered[r.mutation] = true
		}
		for _, f := range schema.MutationType.Fields {
			if !covered[f.Name] {
				t.Errorf("mutation %s has no row", f.Name)
			}
			delete(covered, f.Name)
		}
		for name := range covered {
			t.Errorf("row %s is not a mutation of the schema", name)
		}
	})

	// written is everything a write could leave behind: the system of
	// record, the outbox and the read model.
	written := func(t *testing.T) string {
		t.Helper()
		d, err := a.store.Load(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		head, err := a.store.LogHead(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		evs, _, _, err := a.store.MatchmakingEvents(context.Background(), events.Query{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		cls, _, _, err := a.store.Clinics(context.Background(), store.ClinicQuery{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		diags, err := a.store.Diagnoses(context.Background(), 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		specs, err := a.store.Specialities(context.Background(), []int64{2})
		if err != nil {
			t.Fatal(err)
		}
		trainings, _, _, err := a.store.TrainingSessions(context.Background(), store.TrainingQuery{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		regs, err := a.store.Registrations(context.Background(), 1)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := json.Marshal(map[string]any{"store": d, "log": head, "readModel": a.market.Counts(),
			"enterprise": a.market.Enterprise(mustIntID(t, enterprise)), "events": evs,
			"clinics": cls, "diagnoses": diags, "specialities": specs, "training": trainings, "registrations": regs})
		return string(raw)
	}

	callers := []struct{ name, authorization, message string }{
		{"without a token", "", "需要令牌"},
		{"with a wrong token", "Bearer nope", "令牌无效"},
		{"with the administrator's token under another scheme", "Basic " + testToken, "令牌无效"},
	}
	for _, row := range rows {
		t.Run(row.mutation, func(t *testing.T) {
			before := written(t)
			for _, c := range callers {
				r := postAuthorization(t, srv, c.authorization, row.query, row.vars)
				if r.code() != "UNAUTHENTICATED" {
					t.Errorf("%s: code = %q, want UNAUTHENTICATED (status %d, errors %+v)", c.name, r.code(), r.status, r.Errors)
				} else if !strings.Contains(r.Errors[0].Message, c.message) {
					t.Errorf("%s: message %q, want one saying %q", c.name, r.Errors[0].Message, c.message)
				}
				if d := r.Data[row.mutation]; len(d) > 0 && string(d) != "null" {
					t.Errorf("%s: data %s", c.name, d)
				}
				if after := written(t); after != before {
					t.Errorf("%s: a refused %s wrote:\nbefore %s\nafter  %s", c.name, row.mutation, before, after)
				}
			}
			// The same request from the administrator goes through.
			r := post(t, srv, testToken, row.query, row.vars)
			if len(r.Errors) > 0 || strings.Contains(string(r.Data[row.mutation]), `"code"`) {
				t.Errorf("the administrator's %s: errors %+v, data %s", row.mutation, r.Errors, r.Data[row.mutation])
			}
		})
	}
}

// postAuthorization sends a GraphQL request with the Authorization header
// as given ("" sends none).
func postAuthorization(t *testing.T, srv *httptest.Server, authorization, query string, vars map[string]any) gqlResponse {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	return do(t, req)
}

// mustIntID is the number inside a Relay ID.
func mustIntID(t *testing.T, id string) int64 {
	t.Helper()
	n, err := relay.ParseIntID("Enterprise", id)
	if err != nil {
		t.Fatalf("ID %q: %v", id, err)
	}
	return n
}

func TestCreateEnterpriseValidatesInput(t *testing.T) {
	srv, a := testServer(t, 0)
	valid := "91410100MA44XXXX0" // the check character is appended below
	good := valid + checkChar(t, valid)

	r := post(t, srv, testToken, createEnterprise, map[string]any{"input": enterpriseInput("郑州超硬科技有限公司", good)})
	var ok payload
	r.decode(t, "createEnterprise", &ok)
	if ok.Enterprise == nil || len(ok.UserErrors) > 0 {
		t.Fatalf("valid enterprise refused: %+v", ok.UserErrors)
	}

	tests := []struct {
		name  string
		edit  func(map[string]any)
		code  string
		field string
	}{
		{"a credit code with a wrong check character", func(in map[string]any) { in["creditCode"] = valid + wrongCheckChar(t, valid) }, "INVALID_CREDIT_CODE", "input.creditCode"},
		{"a credit code of the wrong length", func(in map[string]any) { in["creditCode"] = "9141" }, "INVALID_CREDIT_CODE", "input.creditCode"},
		{"a credit code already taken", func(in map[string]any) { in["creditCode"] = good }, "DUPLICATE", "input.creditCode"},
		{"an empty name", func(in map[string]any) { in["name"] = "  " }, "REQUIRED", "input.name"},
		{"a NUL in the name", func(in map[string]any) { in["name"] = "郑州\x00科技有限公司" }, "INVALID", "input.name"},
		{"a line break in the name", func(in map[string]any) { in["name"] = "郑州\n科技有限公司" }, "INVALID", "input.name"},
		{"a NUL in the description", func(in map[string]any) { in["description"] = "超硬\x00材料" }, "INVALID", "input.description"},
		{"negative employees", func(in map[string]any) { in["employees"] = -1 }, "NEGATIVE", "input.employees"},
		{"a report from the future", func(in map[string]any) {
			in["reports"].([]map[string]any)[0]["year"] = 2031
		}, "OUT_OF_RANGE", "input.reports.0.year"},
		{"a negative revenue", func(in map[string]any) {
			in["reports"].([]map[string]any)[0]["revenue"] = "-1.00"
		}, "NEGATIVE", "input.reports.0.revenue"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := enterpriseInput("另一家科技有限公司", "91410100MA44XXXX1"+checkChar(t, "91410100MA44XXXX1"))
			tc.edit(in)
			r := post(t, srv, testToken, createEnterprise, map[string]any{"input": in})
			var p payload
			r.decode(t, "createEnterprise", &p)
			if p.Enterprise != nil {
				t.Fatalf("enterprise created despite %s", tc.name)
			}
			if len(p.UserErrors) == 0 || p.UserErrors[0].Code != tc.code || strings.Join(p.UserErrors[0].Field, ".") != tc.field {
				t.Fatalf("userErrors = %+v, want code %s at %s", p.UserErrors, tc.code, tc.field)
			}
			if n := a.market.Counts()["enterprise"]; n != 1 {
				t.Errorf("%d enterprises after a refused write, want 1", n)
			}
		})
	}
}

func TestBadDecimalIsAnInputError(t *testing.T) {
	srv, _ := testServer(t, 0)
	in := enterpriseInput("郑州乙科技有限公司", "91410100MA44XXXX2"+checkChar(t, "91410100MA44XXXX2"))
	in["reports"].([]map[string]any)[0]["revenue"] = "12.345"
	r := post(t, srv, testToken, createEnterprise, map[string]any{"input": in})
	if len(r.Errors) == 0 || r.Data["createEnterprise"] != nil && string(r.Data["createEnterprise"]) != "null" {
		t.Fatalf("a three-decimal amount was accepted: %+v", r)
	}
}

func TestCatalogueListsPageWithOpaqueCursors(t *testing.T) {
	srv, _ := testServer(t, 150)
	const q = `query($after: Cursor, $city: [City!]) {
	  enterprises(first: 40, after: $after, filter: {cities: $city}) {
	    totalCount pageInfo { hasNextPage endCursor }
	    edges { cursor node { id name city } }
	  }
	}`
	seen := map[string]bool{}
	var after any
	total, pages := -1, 0
	for {
		var conn struct {
			TotalCount int `json:"totalCount"`
			PageInfo   struct {
				HasNextPage bool   `json:"hasNextPage"`
				EndCursor   string `json:"endCursor"`
			} `json:"pageInfo"`
			Edges []struct {
				Node struct{ ID, Name, City string } `json:"node"`
			} `json:"edges"`
		}
		post(t, srv, "", q, map[string]any{"after": after, "city": []string{"ZHENGZHOU"}}).decode(t, "enterprises", &conn)
		total = conn.TotalCount
		pages++
		for _, e := range conn.Edges {
			if e.Node.City != "ZHENGZHOU" {
				t.Fatalf("filter by city returned %s", e.Node.City)
			}
			if seen[e.Node.ID] {
				t.Fatalf("enterprise %s on two pages", e.Node.ID)
			}
			seen[e.Node.ID] = true
		}
		if !conn.PageInfo.HasNextPage {
			break
		}
		after = conn.PageInfo.EndCursor
	}
	if total == 0 || len(seen) != total {
		t.Errorf("walked %d enterprises over %d pages, totalCount says %d", len(seen), pages, total)
	}

	t.Run("a page larger than 100 is refused", func(t *testing.T) {
		r := post(t, srv, "", `{ enterprises(first: 101) { totalCount } }`, nil)
		if r.code() != "BAD_USER_INPUT" {
			t.Errorf("code = %q, want BAD_USER_INPUT", r.code())
		}
	})
	t.Run("a forged cursor is refused", func(t *testing.T) {
		r := post(t, srv, "", `{ enterprises(after: "bm9wZQ") { totalCount } }`, nil)
		if r.code() != "BAD_USER_INPUT" {
			t.Errorf("code = %q, want BAD_USER_INPUT", r.code())
		}
	})
}

func TestNodeResolvesGlobalIDs(t *testing.T) {
	srv, _ := testServer(t, 50)
	var conn struct {
		Edges []struct{ Node struct{ ID, Name string } } `json:"edges"`
	}
	post(t, srv, "", `{ enterprises(first: 1) { edges { node { id name } } } }`, nil).decode(t, "enterprises", &conn)
	id := conn.Edges[0].Node.ID
	var node struct{ ID, Name string }
	post(t, srv, "", `query($id: ID!) { node(id: $id) { id ... on Enterprise { name } } }`, map[string]any{"id": id}).decode(t, "node", &node)
	if node.ID != id || node.Name != conn.Edges[0].Node.Name {
		t.Errorf("node(%s) = %+v", id, node)
	}
}

// TestNestedListsDoNotQueryTheStore proves there is no N+1: a page of
// enterprises with their children, and institutions with their products
// and providers, are served from the read model without a single query.
func TestNestedListsDoNotQueryTheStore(t *testing.T) {
	// Without the background work (the indexer polls the outbox), every
	// query counted is the request's.
	cfg := Config{DataDir: t.TempDir(), AdminToken: testToken, Demo: true, DemoSize: 200}
	a, err := openApp(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), testNow)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	defer func() { srv.Close(); a.Close() }()
	before := a.store.Queries()
	r := post(t, srv, testToken, `{
	  enterprises(first: 100) { edges { node { name reports { year revenue } subsidies { amount } competitionEntries { award } } } }
	  institutions { name products { name provider { name products { name } } } }
	}`, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("errors: %+v", r.Errors)
	}
	// One statement records the administrator's 200 private reads (reports
	// and subsidies of 100 enterprises) in the audit log; nothing else asks
	// the store.
	if n := a.store.Queries() - before; n != 1 {
		t.Errorf("a nested read ran %d store queries, want 1 (the audit entries)", n)
	}
}

func TestGraphQLOverHTTP(t *testing.T) {
	srv, _ := testServer(t, 0)
	t.Run("a mutation over GET is refused", func(t *testing.T) {
		q := url.Values{"query": {`mutation { createInstitution(input: {name: "x", kind: BANK, city: ZHENGZHOU}) { userErrors { code } } }`}}
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/graphql?"+q.Encode(), nil)
		req.Header.Set("Authorization", "Bearer "+testToken)
		r := do(t, req)
		if r.status < 400 || len(r.Errors) == 0 {
			t.Errorf("status %d errors %+v, want a 4xx with an error", r.status, r.Errors)
		}
	})
	t.Run("a query over GET answers", func(t *testing.T) {
		q := url.Values{"query": {`{ institutions { name } }`}}
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/graphql?"+q.Encode(), nil)
		if r := do(t, req); r.status != 200 || len(r.Errors) > 0 {
			t.Errorf("status %d errors %+v", r.status, r.Errors)
		}
	})
	t.Run("the graphql-response media type is honoured", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(`{"query":"{ institutions { name } }"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/graphql-response+json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/graphql-response+json") {
			t.Errorf("Content-Type = %q", ct)
		}
	})
	t.Run("an oversized body is refused", func(t *testing.T) {
		big := `{"query":"{ institutions { name } }","variables":{"pad":"` + strings.Repeat("x", maxBodyBytes) + `"}}`
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(big))
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode < 400 {
			t.Errorf("status %d for a body over the limit", res.StatusCode)
		}
	})
	t.Run("a query over the complexity limit is refused", func(t *testing.T) {
		var q strings.Builder
		q.WriteString("{")
		for i := range 40 {
			fmt.Fprintf(&q, " a%d: enterprises(first: 100) { edges { node { name creditCode city employees track description keywords reports { year revenue rdExpense techStaff } subsidies { amount year } } } }", i)
		}
		q.WriteString(" }")
		r := post(t, srv, "", q.String(), nil)
		if r.code() != "COMPLEXITY_LIMIT_EXCEEDED" {
			t.Errorf("code = %q, want COMPLEXITY_LIMIT_EXCEEDED (%+v)", r.code(), r.Errors)
		}
	})
	for _, path := range []string{"/healthz", "/readyz", "/metrics", "/"} {
		t.Run("GET "+path+" answers", func(t *testing.T) {
			res, err := http.Get(srv.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != 200 {
				t.Errorf("status %d", res.StatusCode)
			}
		})
	}
}

// checkChar returns the GB 32100 check character of a 17-character prefix.
func checkChar(t *testing.T, prefix string) string {
	t.Helper()
	c, ok := catalog.CreditCodeCheckChar(prefix)
	if !ok {
		t.Fatalf("bad credit-code prefix %q", prefix)
	}
	return string(c)
}

// wrongCheckChar returns a valid character that is not the check character.
func wrongCheckChar(t *testing.T, prefix string) string {
	if checkChar(t, prefix) == "0" {
		return "1"
	}
	return "0"
}
