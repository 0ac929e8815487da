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

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"github.com/yurong/yurong/ratelimit"
	"github.com/yurong/yurong/statebackend"
)

// startAppAt starts one instance on cfg with the clock now and returns it
// with its server, so a test can run its scheduler on that clock. Its
// applicationChanged subscriptions are counted (see liveApplicationSubs).
func startAppAt(t *testing.T, cfg Config, now func() time.Time) (*httptest.Server, *app) {
	t.Helper()
	a, err := newApp(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), now)
	if err != nil {
		t.Fatalf("newApp: %v", err)
	}
	a.applications = &countingBroker{Broker: a.applications}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(func() { srv.Close(); a.Close() })
	return srv, a
}

// application is an Application as the tests read it.
type application struct {
	ID                    string
	Status                string
	RequestedAmount       string
	ApprovedAmount        *string
	ContestPhase          *string
	GreenChannel          bool
	SubmittedAt           *string
	DecisionDueAt         *string
	DecidedAt             *string
	RejectionReason       *string
	LossCompensationRatio *float64
	Events                []struct {
		Status string
		By     *struct{ Name string }
	}
}

const applicationFields = `id status requestedAmount approvedAmount contestPhase greenChannel submittedAt decisionDueAt decidedAt
	rejectionReason lossCompensationRatio events { status by { name } }`

// outcome is a workflow mutation's answer: an application or userErrors.
type outcome struct {
	app  *application
	errs []userError
}

// applicationCall runs one workflow mutation.
func applicationCall(t *testing.T, srv *httptest.Server, token, mutation, input string, vars map[string]any) outcome {
	t.Helper()
	var p struct {
		Application *application `json:"application"`
		UserErrors  []userError  `json:"userErrors"`
	}
	r := post(t, srv, token, fmt.Sprintf(`mutation(%s) { %s(input: %s) { application { %s } userErrors { field code message } } }`,
		varDefs(vars), mutation, input, applicationFields), vars)
	if len(r.Errors) > 0 {
		t.Fatalf("%s: %+v", mutation, r.Errors)
	}
	r.decode(t, mutation, &p)
	return outcome{p.Application, p.UserErrors}
}

// varDefs declares the variables of an applicationCall: IDs, except
// $amount (Decimal), $purpose (String) and $on (Date).
func varDefs(vars map[string]any) string {
	types := map[string]string{"amount": "Decimal!", "purpose": "String!", "on": "Date!", "reason": "String"}
	var defs []string
	for name := range vars {
		typ, ok := types[name]
		if !ok {
			typ = "ID!"
		}
		defs = append(defs, "$"+name+": "+typ)
	}
	if len(defs) == 0 {
		return "$unused: Int"
	}
	return strings.Join(defs, ", ")
}

func apply(t *testing.T, srv *httptest.Server, token, enterprise, product, amount string, preApply bool) outcome {
	t.Helper()
	return applicationCall(t, srv, token, "applyForFinancing",
		fmt.Sprintf(`{enterpriseId: $e, productId: $p, requestedAmount: $amount, purpose: "研发投入与设备购置", preApply: %v}`, preApply),
		map[string]any{"e": enterprise, "p": product, "amount": amount})
}

func wantStatus(t *testing.T, step string, o outcome, status string) *application {
	t.Helper()
	a, errs := o.app, o.errs
	if a == nil || len(errs) > 0 {
		t.Fatalf("%s: refused: %+v", step, errs)
	}
	if a.Status != status {
		t.Fatalf("%s: status %s, want %s", step, a.Status, status)
	}
	return a
}

func wantRefusal(t *testing.T, step string, o outcome, code string) userError {
	t.Helper()
	a, errs := o.app, o.errs
	if a != nil || len(errs) != 1 || errs[0].Code != code {
		t.Fatalf("%s: application %+v, userErrors %+v; want one %s", step, a, errs, code)
	}
	return errs[0]
}

// subscribeApplications opens a graphql-transport-ws connection to srv
// subscribed, with token, to applicationChanged of one institution.
func subscribeApplications(t *testing.T, ctx context.Context, srv *httptest.Server, token, institution string) *websocket.Conn {
	t.Helper()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(srv.URL, "http")+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{"graphql-transport-ws"}})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	init, _ := json.Marshal(map[string]any{"Authorization": "Bearer " + token})
	wsjson.Write(ctx, conn, wsMessage{Type: "connection_init", Payload: init})
	var ack wsMessage
	if err := wsjson.Read(ctx, conn, &ack); err != nil || ack.Type != "connection_ack" {
		t.Fatalf("ack: %v %+v", err, ack)
	}
	sub, _ := json.Marshal(map[string]any{"query": `subscription($i: ID) { applicationChanged(institutionId: $i) { id status enterprise { name } } }`,
		"variables": map[string]any{"i": institution}})
	wsjson.Write(ctx, conn, wsMessage{ID: "1", Type: "subscribe", Payload: sub})
	return conn
}

// nextApplicationChange reads the next applicationChanged event as
// "enterprise name: status".
func nextApplicationChange(t *testing.T, ctx context.Context, conn *websocket.Conn) string {
	t.Helper()
	var next struct {
		Data struct {
			ApplicationChanged struct {
				Status     string
				Enterprise struct{ Name string }
			} `json:"applicationChanged"`
		} `json:"data"`
	}
	json.Unmarshal(nextPayload(t, ctx, conn, "applicationChanged"), &next)
	c := next.Data.ApplicationChanged
	return c.Enterprise.Name + ": " + c.Status
}

func recordEntry(t *testing.T, srv *httptest.Server, enterprise, award string) {
	t.Helper()
	var p payload
	post(t, srv, testToken, fmt.Sprintf(`mutation($id: ID!) { recordCompetitionEntry(input: {enterpriseId: $id, year: 2026, group: STARTUP, track: NEW_MATERIALS,
		stageReached: PRELIMINARY, award: %s}) { enterprise { id } userErrors { field code message } } }`, award), map[string]any{"id": enterprise}).
		decode(t, "recordCompetitionEntry", &p)
	if p.Enterprise == nil {
		t.Fatalf("recordCompetitionEntry: %+v", p.UserErrors)
	}
}

// TestContestLoanFromPreApplicationToFollowUp walks the 创赛贷 workflow
// through HTTP on two instances sharing PostgreSQL and Redis, with the
// clock driven by the test: a pre-application before the contest, its
// submission as the first stage starts, the bank's queue, a refused and an
// accepted approval, a disbursement, a late rejection, the bank
// evaluation, the follow-up list after the contest, and applicationChanged
// on the instance that made none of the writes.
func TestContestLoanFromPreApplicationToFollowUp(t *testing.T) {
	dbURL, redisURL, prefix := sharedBackends(t)
	clock := newClock(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)) // a Monday
	cfg := Config{DatabaseURL: dbURL, RedisURL: redisURL, AdminToken: testToken, DataDir: t.TempDir(),
		Cache: statebackend.Options{Prefix: prefix, Rate: ratelimit.Rate{Limit: 50_000, PerSecond: 1}}}
	srvA, appA := startAppAt(t, cfg, clock.Now)
	cfgB := cfg
	cfgB.DataDir = t.TempDir()
	srvB, appB := startAppAt(t, cfgB, clock.Now)

	bank := createBank(t, srvA, "中原银行", "ZHENGZHOU")
	product := createProduct(t, srvA, bank, `{"name": "中原银行创赛贷", "kind": "LOAN", "program": "CONTEST_LOAN", "providerId": "PROVIDER",
		"maxAmount": "3000000", "collateralFree": true, "eligibility": {"requiresCompetitionEntry": true}}`)
	winner := createTestEnterprise(t, srvA, "郑州金刚石科技有限公司", "91410100MA46AAAA0")
	runnerUp := createTestEnterprise(t, srvA, "洛阳碳化硅材料有限公司", "91410100MA46AAAA1")
	entrant := createTestEnterprise(t, srvA, "新乡超硬刀具有限公司", "91410100MA46AAAA2")
	recordEntry(t, srvA, winner, "THIRD")
	recordEntry(t, srvA, runnerUp, "SECOND")
	recordEntry(t, srvA, entrant, "NONE")
	_, bankToken := accountToken(t, srvA, "中原银行科技金融部", "INSTITUTION", bank)
	_, winnerToken := accountToken(t, srvA, "郑州金刚石财务部", "ENTERPRISE", winner)
	_, entrantToken := accountToken(t, srvA, "新乡超硬财务部", "ENTERPRISE", entrant)

	var comp struct {
		Competition *struct{ ID string } `json:"competition"`
		UserErrors  []userError          `json:"userErrors"`
	}
	post(t, srvA, testToken, `mutation { createCompetition(input: {year: 2026, name: "第十届河南省创新创业大赛", stages: [
	  {stage: PRELIMINARY, startsOn: "2026-03-16", endsOn: "2026-04-30"},
	  {stage: CITY_SEMIFINAL, startsOn: "2026-05-11", endsOn: "2026-05-29"},
	  {stage: PROVINCIAL_FINAL, startsOn: "2026-06-15", endsOn: "2026-06-19"}]}) { competition { id } userErrors { field code message } } }`, nil).
		decode(t, "createCompetition", &comp)
	if comp.Competition == nil {
		t.Fatalf("createCompetition: %+v", comp.UserErrors)
	}
	post(t, srvA, testToken, `mutation($c: ID!, $p: ID!) { addStageOffer(input: {competitionId: $c, stage: PRELIMINARY, resourceId: $p, note: "初赛入围企业可申请"}) { userErrors { code } } }`,
		map[string]any{"c": comp.Competition.ID, "p": product})
	var offers struct {
		Competitions []struct {
			Offers []struct {
				Stage    string
				Resource struct{ Name string }
			}
		}
	}
	post(t, srvB, "", `{ competitions { offers(stage: PRELIMINARY) { stage resource { ... on FinancialProduct { name } } } } }`, nil).
		decode(t, "competitions", &offers.Competitions)
	if len(offers.Competitions) != 1 || len(offers.Competitions[0].Offers) != 1 || offers.Competitions[0].Offers[0].Resource.Name != "中原银行创赛贷" {
		t.Fatalf("the preliminary stage's offers on the other instance: %+v", offers)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	conn := subscribeApplications(t, ctx, srvB, bankToken, bank)
	defer conn.CloseNow()
	eventually(t, 10*time.Second, func() bool { return appB.applications.(*countingBroker).live.Load() == 1 })
	if readsReports(t, srvA, bankToken, entrant) {
		t.Fatal("the bank reads the entrant's reports before any application")
	}

	// 赛前预申报: two weeks before the first stage.
	pre := wantStatus(t, "pre-application", apply(t, srvA, entrantToken, entrant, product, "1500000", true), "PRE_APPLIED")
	if pre.ContestPhase == nil || *pre.ContestPhase != "BEFORE" || pre.SubmittedAt != nil || pre.DecisionDueAt != nil || pre.GreenChannel {
		t.Fatalf("pre-application: %+v", pre)
	}
	if got := nextApplicationChange(t, ctx, conn); got != "新乡超硬刀具有限公司: PRE_APPLIED" {
		t.Fatalf("event on the second instance: %q", got)
	}
	if !readsReports(t, srvB, bankToken, entrant) {
		t.Fatal("applying did not let the bank read the applicant's reports")
	}
	wantRefusal(t, "a second open application to the same product", apply(t, srvA, entrantToken, entrant, product, "1000000", false), "DUPLICATE")

	// The first stage starts: both instances' schedulers run; the
	// pre-application is submitted once, as of the start day.
	clock.Advance(14 * 24 * time.Hour) // Monday 2026-03-16, 10:00
	var wg sync.WaitGroup
	var submitted [2]int
	for i, a := range []*app{appA, appB} {
		wg.Go(func() {
			n, err := a.financing.SubmitDue(context.Background())
			if err != nil {
				t.Error(err)
			}
			submitted[i] = n
		})
	}
	wg.Wait()
	if submitted[0]+submitted[1] != 1 {
		t.Fatalf("schedulers submitted %v applications, want 1 in all", submitted)
	}
	if got := nextApplicationChange(t, ctx, conn); got != "新乡超硬刀具有限公司: SUBMITTED" {
		t.Fatalf("event on the second instance: %q", got)
	}
	var node application
	post(t, srvB, entrantToken, `query($id: ID!) { node(id: $id) { ... on Application { `+applicationFields+` } } }`, map[string]any{"id": pre.ID}).
		decode(t, "node", &node)
	if node.Status != "SUBMITTED" || deref(node.SubmittedAt, "") != "2026-03-16T00:00:00Z" || deref(node.DecisionDueAt, "") != "2026-03-19T23:59:59Z" ||
		len(node.Events) != 2 || node.Events[1].Status != "SUBMITTED" || node.Events[1].By != nil {
		t.Fatalf("the pre-application after the start: %+v", node)
	}

	// 赛中: pre-applying is over; an award winner applies on Tuesday.
	clock.Advance(24 * time.Hour)
	wantRefusal(t, "a pre-application during the contest", apply(t, srvA, winnerToken, winner, product, "2000000", true), "INVALID_PHASE")
	during := wantStatus(t, "an application during the contest", apply(t, srvA, winnerToken, winner, product, "2000000", false), "SUBMITTED")
	if !during.GreenChannel || deref(during.ContestPhase, "") != "DURING" || deref(during.DecisionDueAt, "") != "2026-03-20T23:59:59Z" {
		t.Fatalf("application during the contest: %+v", during)
	}
	if got := nextApplicationChange(t, ctx, conn); got != "郑州金刚石科技有限公司: SUBMITTED" {
		t.Fatalf("event on the second instance: %q", got)
	}

	// The bank's queue: the award winner first, though due a day later.
	var queue struct {
		Edges []struct{ Node application }
	}
	post(t, srvB, bankToken, `{ applications(orderBy: QUEUE) { edges { node { id greenChannel decisionDueAt } } } }`, nil).decode(t, "applications", &queue)
	if len(queue.Edges) != 2 || queue.Edges[0].Node.ID != during.ID || queue.Edges[1].Node.ID != pre.ID {
		t.Fatalf("queue: %+v", queue.Edges)
	}
	// An enterprise sees only its own.
	var own struct{ TotalCount int }
	post(t, srvB, winnerToken, `{ applications { totalCount } }`, nil).decode(t, "applications", &own)
	if own.TotalCount != 1 {
		t.Fatalf("the winner sees %d applications", own.TotalCount)
	}

	// Wednesday: an approval above the product's cap is refused; within it, approved.
	clock.Advance(24 * time.Hour)
	decide := func(id, extra string) outcome {
		return applicationCall(t, srvA, bankToken, "decideApplication", `{id: $id, approve: true, `+extra+`}`, map[string]any{"id": id})
	}
	capErr := wantRefusal(t, "approval above the cap", decide(during.ID, `approvedAmount: "3500000", annualRatePercent: 3.2`), "OVER_CAP")
	if !strings.Contains(capErr.Message, "350万元") || !strings.Contains(capErr.Message, "300万元") {
		t.Fatalf("the cap's message names both sums: %q", capErr.Message)
	}
	approved := wantStatus(t, "approval", decide(during.ID, `approvedAmount: "2000000", annualRatePercent: 3.2`), "APPROVED")
	if deref(approved.ApprovedAmount, "") != "2000000.00" || approved.LossCompensationRatio != nil {
		t.Fatalf("approved: %+v (a contest loan has no 科技贷 compensation)", approved)
	}
	if got := nextApplicationChange(t, ctx, conn); got != "郑州金刚石科技有限公司: APPROVED" {
		t.Fatalf("event on the second instance: %q", got)
	}
	wantRefusal(t, "approving twice", decide(during.ID, `approvedAmount: "2000000"`), "INVALID_TRANSITION")

	// Thursday: the loan is paid out.
	clock.Advance(24 * time.Hour)
	wantStatus(t, "disbursement", applicationCall(t, srvA, bankToken, "recordDisbursement", `{id: $id, amount: $amount, on: $on}`,
		map[string]any{"id": during.ID, "amount": "2000000", "on": "2026-03-19"}), "DISBURSED")
	if got := nextApplicationChange(t, ctx, conn); got != "郑州金刚石科技有限公司: DISBURSED" {
		t.Fatalf("event on the second instance: %q", got)
	}

	// The next Monday the entrant's application is overdue; it is rejected late.
	clock.Advance(4 * 24 * time.Hour)
	var overdue struct {
		Edges []struct{ Node application }
	}
	post(t, srvB, bankToken, `{ applications(filter: {overdue: true}) { edges { node { id } } } }`, nil).decode(t, "applications", &overdue)
	if len(overdue.Edges) != 1 || overdue.Edges[0].Node.ID != pre.ID {
		t.Fatalf("overdue: %+v", overdue.Edges)
	}
	wantRefusal(t, "a rejection without a reason", applicationCall(t, srvA, bankToken, "decideApplication", `{id: $id, approve: false}`,
		map[string]any{"id": pre.ID}), "REQUIRED")
	rejected := wantStatus(t, "rejection", applicationCall(t, srvA, bankToken, "decideApplication", `{id: $id, approve: false, reason: "经营现金流不足以覆盖还款"}`,
		map[string]any{"id": pre.ID}), "REJECTED")
	if deref(rejected.RejectionReason, "") != "经营现金流不足以覆盖还款" {
		t.Fatalf("rejection: %+v", rejected)
	}
	if got := nextApplicationChange(t, ctx, conn); got != "新乡超硬刀具有限公司: REJECTED" {
		t.Fatalf("event on the second instance: %q", got)
	}
	wantRefusal(t, "withdrawing a rejected application", applicationCall(t, srvA, entrantToken, "withdrawApplication", `{id: $id}`,
		map[string]any{"id": pre.ID}), "INVALID_TRANSITION")

	// The bank evaluation: one loan, to an early-small-hard enterprise;
	// decisions after 24 h (on time) and 178 h (late).
	var perf []struct {
		Institution            struct{ Name string }
		Rank                   int
		LoansToEarlySmallHard  int
		AmountToEarlySmallHard string
		EarlySmallHardShare    float64
		LoansTotal             int
		AmountTotal            string
		MedianHoursToDecision  *float64
		OnTimeShare            *float64
	}
	post(t, srvB, "", `{ bankPerformance(year: 2026) { institution { name } rank loansToEarlySmallHard amountToEarlySmallHard earlySmallHardShare
	  loansTotal amountTotal medianHoursToDecision onTimeShare } }`, nil).decode(t, "bankPerformance", &perf)
	if len(perf) != 1 || perf[0].Institution.Name != "中原银行" || perf[0].Rank != 1 || perf[0].LoansToEarlySmallHard != 1 ||
		perf[0].AmountToEarlySmallHard != "2000000.00" || perf[0].EarlySmallHardShare != 1 || perf[0].LoansTotal != 1 ||
		perf[0].MedianHoursToDecision == nil || *perf[0].MedianHoursToDecision != 101 || perf[0].OnTimeShare == nil || *perf[0].OnTimeShare != 0.5 {
		t.Fatalf("bankPerformance: %+v", perf)
	}

	// 赛后: the runner-up, awarded and without a loan, is to be followed up;
	// the winner has its loan and the entrant won nothing.
	clock.Advance(90 * 24 * time.Hour)
	var follow struct {
		TotalCount int
		Edges      []struct{ Node struct{ Name string } }
	}
	post(t, srvB, bankToken, `{ contestFollowUps(year: 2026) { totalCount edges { node { name } } } }`, nil).decode(t, "contestFollowUps", &follow)
	if follow.TotalCount != 1 || follow.Edges[0].Node.Name != "洛阳碳化硅材料有限公司" {
		t.Fatalf("follow-ups: %+v", follow)
	}
}

func deref[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

// TestDemoHasAFinancingHistory: the demo's competitions, offers and
// applications give every financing query something to show, and its
// matchmaking event has a schedule.
func TestDemoHasAFinancingHistory(t *testing.T) {
	srv, _ := testServer(t, 1000)
	var d struct {
		Competitions []struct {
			Year   int
			Stages []struct{ Stage string }
			Offers []struct{ Stage string }
		}
		All, Disbursed, Rejected, Submitted, Contest             struct{ TotalCount int }
		BankPerformance                                          []struct{ Rank int }
		ContestFollowUps                                         struct{ TotalCount int }
		Agreements, IncubationRecords, Clinics, TrainingSessions struct{ TotalCount int }
		MatchmakingEvents                                        struct {
			Edges []struct {
				Node struct {
					Hosts    []struct{ Name string }
					Schedule *struct {
						Objective, UpperBound float64
						Meetings              []struct{ Slot int }
					}
				}
			}
		}
	}
	r := post(t, srv, testToken, `{ competitions { year stages { stage } offers { stage } }
	  all: applications { totalCount } disbursed: applications(filter: {statuses: [DISBURSED]}) { totalCount }
	  rejected: applications(filter: {statuses: [REJECTED]}) { totalCount } submitted: applications(filter: {statuses: [SUBMITTED]}) { totalCount }
	  contest: applications(filter: {programs: [CONTEST_LOAN]}) { totalCount }
	  bankPerformance(year: 2025) { rank } contestFollowUps(year: 2025) { totalCount }
	  matchmakingEvents { edges { node { hosts { name } schedule { objective upperBound meetings { slot } } } } }
	  agreements { totalCount } incubationRecords { totalCount } clinics { totalCount } trainingSessions { totalCount } }`, nil)
	if len(r.Errors) > 0 {
		t.Fatal(r.Errors)
	}
	raw, _ := json.Marshal(r.Data)
	if err := json.Unmarshal(raw, &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Competitions) != 2 || d.Competitions[0].Year != 2026 || len(d.Competitions[0].Stages) != 5 || len(d.Competitions[0].Offers) == 0 {
		t.Errorf("competitions %+v", d.Competitions)
	}
	for name, n := range map[string]int{"applications": d.All.TotalCount, "disbursed": d.Disbursed.TotalCount, "rejected": d.Rejected.TotalCount,
		"submitted": d.Submitted.TotalCount, "contest loans": d.Contest.TotalCount, "banks evaluated": len(d.BankPerformance),
		"follow-ups": d.ContestFollowUps.TotalCount, "agreements": d.Agreements.TotalCount, "residencies": d.IncubationRecords.TotalCount,
		"clinics": d.Clinics.TotalCount, "training sessions": d.TrainingSessions.TotalCount} {
		if n == 0 {
			t.Errorf("the demo has no %s", name)
		}
	}
	if evs := d.MatchmakingEvents.Edges; len(evs) != 1 || len(evs[0].Node.Hosts) < 4 || evs[0].Node.Schedule == nil ||
		len(evs[0].Node.Schedule.Meetings) == 0 || evs[0].Node.Schedule.Objective > evs[0].Node.Schedule.UpperBound {
		t.Errorf("the demo's matchmaking events: %+v", evs)
	}
	for i, b := range d.BankPerformance {
		if b.Rank != i+1 {
			t.Errorf("bank %d has rank %d", i, b.Rank)
		}
	}
}

// TestPreApplicationSubmittedAfterARestart: the server was down on the
// first stage's start day; the instance started after it submits the
// pre-application at once, as of the start day.
func TestPreApplicationSubmittedAfterARestart(t *testing.T) {
	clock := newClock(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC))
	cfg := Config{DataDir: t.TempDir(), AdminToken: testToken}
	a, err := openApp(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	bank := createBank(t, srv, "中原银行", "ZHENGZHOU")
	product := createProduct(t, srv, bank, `{"name": "中原银行创赛贷", "kind": "LOAN", "program": "CONTEST_LOAN", "providerId": "PROVIDER",
		"maxAmount": "3000000", "eligibility": {"requiresCompetitionEntry": true}}`)
	ent := createTestEnterprise(t, srv, "郑州金刚石科技有限公司", "91410100MA4CGGGG0")
	recordEntry(t, srv, ent, "NONE")
	post(t, srv, testToken, `mutation { createCompetition(input: {year: 2026, name: "第十届河南省创新创业大赛", stages: [
	  {stage: PRELIMINARY, startsOn: "2026-03-16", endsOn: "2026-04-30"}]}) { userErrors { code } } }`, nil)
	pre := wantStatus(t, "pre-application", apply(t, srv, testToken, ent, product, "1000000", true), "PRE_APPLIED")
	srv.Close()
	a.Close()

	clock.Advance(20 * 24 * time.Hour) // 2026-03-22: the stage started six days ago
	srv2, _ := startAppAt(t, cfg, clock.Now)
	var node application
	eventually(t, 10*time.Second, func() bool {
		post(t, srv2, testToken, `query($id: ID!) { node(id: $id) { ... on Application { `+applicationFields+` } } }`, map[string]any{"id": pre.ID}).
			decode(t, "node", &node)
		return node.Status == "SUBMITTED"
	})
	if deref(node.SubmittedAt, "") != "2026-03-16T00:00:00Z" || deref(node.DecisionDueAt, "") != "2026-03-19T23:59:59Z" || len(node.Events) != 2 {
		t.Fatalf("after the restart: %+v", node)
	}
}
