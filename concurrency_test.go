package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/ratelimit"
)

// TestConcurrentReadsAndWrites runs writers of every entity kind against a
// whole server over HTTP while readers read lists, nodes, matches,
// candidates, plans, search and pairings. Every response must be a clean
// answer: no transport error, status 200, no GraphQL error, no userError,
// no null data. Under -race (the README's test command) the race detector
// watches every path these requests take through the server, the indexer
// included. Afterwards the read model holds exactly what was written, each
// enterprise carries its last update, and the search index catches up.
//
// The interesting failures are interleavings: a reader that finds an
// enterprise in the read model before the matching engine knows it (its
// innovationScore fails), or a pairing whose product or enterprise is not
// yet in the read model (its resource fails).
//
// It runs twice: without the response cache, so every read reaches the read
// model and the engine (a cached answer would hide a bad interleaving),
// and with it, so invalidation is exercised under load as well.
func TestConcurrentReadsAndWrites(t *testing.T) {
	t.Run("without the response cache", func(t *testing.T) { concurrentReadsAndWrites(t, false) })
	t.Run("with the response cache", func(t *testing.T) { concurrentReadsAndWrites(t, true) })
}

func concurrentReadsAndWrites(t *testing.T, responseCache bool) {
	srv, a := testServerWith(t, concurrency.demo, func(c *Config) {
		// Every request comes from 127.0.0.1; the readers must not run out
		// of rate budget, which is not what this test is about.
		c.Cache.Rate = ratelimit.Rate{Limit: 1 << 30, PerSecond: 1 << 30}
		c.NoResponseCache = !responseCache
	})
	before := a.market.Counts()

	var (
		problems  problemLog
		created   createdIDs
		writers   sync.WaitGroup
		readers   sync.WaitGroup
		writing   = make(chan struct{}) // closed when every writer is done
		readCount atomic.Int64
	)
	// write sends one mutation and returns its payload field, recording
	// any error, userError or missing entity.
	write := func(who, field, entity, query string, vars map[string]any) map[string]json.RawMessage {
		r, err := tryPost(srv, testToken, query, vars)
		if !problems.check(who+" "+field, r, err) {
			return nil
		}
		var p map[string]json.RawMessage
		if err := json.Unmarshal(r.Data[field], &p); err != nil {
			problems.add("%s %s: payload %s: %v", who, field, r.Data[field], err)
			return nil
		}
		if ue := string(p["userErrors"]); ue != "[]" {
			problems.add("%s %s: userErrors %s", who, field, ue)
			return nil
		}
		if e := p[entity]; len(e) == 0 || string(e) == "null" {
			problems.add("%s %s: no %s in %s", who, field, entity, r.Data[field])
			return nil
		}
		return p
	}
	idOf := func(p map[string]json.RawMessage, entity string) string {
		var v struct{ ID string }
		json.Unmarshal(p[entity], &v)
		return v.ID
	}

	// Institutions, each with a loan, an equity and an insurance product.
	for w := range concurrency.resourceWriters {
		writers.Go(func() {
			who := fmt.Sprintf("institution writer %d", w)
			for i := range concurrency.rounds {
				p := write(who, "createInstitution", "institution",
					`mutation($in: CreateInstitutionInput!) { createInstitution(input: $in) { institution { id name } userErrors { field code message } } }`,
					map[string]any{"in": map[string]any{"name": fmt.Sprintf("并发测试银行%d-%d", w, i), "kind": "BANK", "city": "ZHENGZHOU"}})
				if p == nil {
					continue
				}
				inst := idOf(p, "institution")
				created.add("institution", inst)
				for _, prod := range []map[string]any{
					{"kind": "LOAN", "program": "TECH_LOAN", "maxAmount": "5000000", "eligibility": map[string]any{"minInnovationScore": 100}},
					{"kind": "EQUITY", "program": "VENTURE_CAPITAL", "maxAmount": "20000000", "eligibility": map[string]any{"tracks": []string{"NEW_MATERIALS"}}},
					{"kind": "INSURANCE", "program": "YUKEBAO", "maxAmount": "1000000", "coverages": []string{"RD"}},
				} {
					prod["name"] = fmt.Sprintf("并发测试产品%d-%d-%s", w, i, prod["kind"])
					prod["providerId"] = inst
					p := write(who, "createFinancialProduct", "financialProduct",
						`mutation($in: CreateFinancialProductInput!) { createFinancialProduct(input: $in) { financialProduct { id name provider { id } } userErrors { field code message } } }`,
						map[string]any{"in": prod})
					if p != nil {
						created.add("product", idOf(p, "financialProduct"))
					}
				}
			}
		})
	}
	// Enterprises: create, update, record a competition entry.
	var lastEmployees sync.Map // enterprise id → employees of its last update
	for w := range concurrency.enterpriseWriters {
		writers.Go(func() {
			who := fmt.Sprintf("enterprise writer %d", w)
			for i := range concurrency.rounds {
				prefix := fmt.Sprintf("91410100MA%02d%05d", w, i)
				check, ok := catalog.CreditCodeCheckChar(prefix)
				if !ok {
					problems.add("%s: bad credit-code prefix %s", who, prefix)
					return
				}
				in := enterpriseInput(fmt.Sprintf("并发测试%d-%d科技有限公司", w, i), prefix+string(check))
				in["financingNeed"] = map[string]any{"kind": "LOAN", "amount": "800000", "purpose": "购置检测设备"}
				p := write(who, "createEnterprise", "enterprise", createEnterprise, map[string]any{"input": in})
				if p == nil {
					continue
				}
				id := idOf(p, "enterprise")
				created.add("enterprise", id)
				employees := 50 + i
				if write(who, "updateEnterprise", "enterprise",
					`mutation($id: ID!, $n: Int!, $w: Boolean!) { updateEnterprise(input: {id: $id, employees: $n, hasWarrantLoan: $w}) { enterprise { id employees innovationScore { total } } userErrors { field code message } } }`,
					map[string]any{"id": id, "n": employees, "w": i%2 == 0}) != nil {
					lastEmployees.Store(id, employees)
				}
				write(who, "recordCompetitionEntry", "enterprise",
					`mutation($id: ID!) { recordCompetitionEntry(input: {enterpriseId: $id, year: 2026, group: STARTUP, track: NEW_MATERIALS,
						stageReached: PROVINCIAL_FINAL, award: SECOND}) { enterprise { id competitionEntries { year award greenChannel } } userErrors { field code message } } }`,
					map[string]any{"id": id})
			}
		})
	}
	// Incubators and demands.
	for w := range concurrency.resourceWriters {
		writers.Go(func() {
			who := fmt.Sprintf("incubator writer %d", w)
			for i := range concurrency.rounds {
				p := write(who, "createIncubator", "incubator",
					`mutation($in: CreateIncubatorInput!) { createIncubator(input: $in) { incubator { id name } userErrors { field code message } } }`,
					map[string]any{"in": map[string]any{"name": fmt.Sprintf("并发测试孵化器%d-%d", w, i), "kind": "INCUBATOR", "level": "PROVINCIAL",
						"city": "ZHENGZHOU", "focusTracks": []string{"NEW_MATERIALS"}, "vacancies": 1 + i%3,
						"servicePackage": map[string]any{"freeWorkstations": 2, "rentFreeMonths": 3, "mentorship": true, "policyAgent": false, "pilotBaseAccess": false}}})
				if p != nil {
					created.add("incubator", idOf(p, "incubator"))
				}
			}
		})
		writers.Go(func() {
			who := fmt.Sprintf("demand writer %d", w)
			for i := range concurrency.rounds {
				p := write(who, "createSupplyChainDemand", "supplyChainDemand",
					`mutation($in: CreateSupplyChainDemandInput!) { createSupplyChainDemand(input: $in) { supplyChainDemand { id title } userErrors { field code message } } }`,
					map[string]any{"in": map[string]any{"title": fmt.Sprintf("并发测试需求%d-%d：征集超硬材料", w, i), "description": "用于精密加工刀具与SiC功率器件封装",
						"kind": "SUPPLIER", "industryChain": "超硬材料", "track": "NEW_MATERIALS", "city": "ZHENGZHOU",
						"ownerName": "郑州磨料磨具磨削研究所", "keywords": []string{"超硬材料", "SiC"}}})
				if p != nil {
					created.add("demand", idOf(p, "supplyChainDemand"))
				}
			}
		})
	}

	// Readers, until the writers are done (and at least a few rounds each).
	// Each reader keeps to one group of queries, so the cheap ones loop
	// fast enough to land inside a write.
	const resourceFields = `__typename ... on FinancialProduct { id name provider { name } } ... on Incubator { id name } ... on SupplyChainDemand { id title }`
	type read struct {
		field, query string
		vars         func(rng *rand.Rand) (map[string]any, bool) // nil: no variables
	}
	byID := func(kind string) func(rng *rand.Rand) (map[string]any, bool) {
		return func(rng *rand.Rand) (map[string]any, bool) {
			id, ok := created.random(rng, kind)
			return map[string]any{"id": id}, ok
		}
	}
	groups := [][]read{
		{ // the written enterprises as the read model lists them, with what the engine knows of each (cheap, so they loop fast)
			{"enterprises", `{ enterprises(first: 100, filter: {nameContains: "并发测试"}) { totalCount edges { node { id innovationScore { total } earlySmallHard { listed } } } } }`, nil},
			{"enterprises", `{ enterprises(first: 100, filter: {nameContains: "并发测试"}) { totalCount edges { node { id name stage employees
				innovationScore { total grade modelVersion } earlySmallHard { listed reasons } matches(first: 3) { score resource { ` + resourceFields + ` } } } } } }`, nil},
		},
		{ // the engine's lists and the resources, with their candidates
			{"earlySmallHardEnterprises", `{ earlySmallHardEnterprises(first: 50) { totalCount edges { node { id name innovationScore { total } earlySmallHard { listed } } } } }`, nil},
			{"equityProjectList", `{ equityProjectList(first: 50) { totalCount edges { node { id name innovationScore { total } } } } }`, nil},
			{"financialProducts", `{ financialProducts(first: 100) { totalCount edges { node { id name kind provider { id name }
				candidates(first: 5, eligibleOnly: false) { score eligible enterprise { id name innovationScore { total } } } } } } }`, nil},
			{"incubators", `{ incubators(first: 100) { totalCount edges { node { id name candidates(first: 5, eligibleOnly: false) { score enterprise { id name } } } } } }`, nil},
			{"supplyChainDemands", `{ supplyChainDemands(first: 100) { totalCount edges { node { id title candidates(first: 5, eligibleOnly: false) { score enterprise { id name } } } } } }`, nil},
			{"institutions", `{ institutions { id name products { id name provider { id } } } }`, nil},
		},
		{ // one written entity at a time
			{"node", `query($id: ID!) { node(id: $id) { id
			  ... on Enterprise { name employees innovationScore { total grade indicators { code points } } earlySmallHard { listed }
			    competitionEntries { award } matches(first: 10, eligibleOnly: false) { score eligible blockers reasons { factor } resource { ` + resourceFields + ` } } }
			  ... on FinancialProduct { name candidates(first: 10, eligibleOnly: false) { score enterprise { id name } } }
			  ... on Incubator { name candidates(first: 10, eligibleOnly: false) { score enterprise { id name } } }
			  ... on SupplyChainDemand { title candidates(first: 10, eligibleOnly: false) { score enterprise { id name } } }
			  ... on Institution { name products { id name } } } }`, byID("")},
			{"financingPlan", `query($id: ID!) { financingPlan(enterpriseId: $id) { enterprise { id } totalCreditLine summary items { kind suggestedAmount resource { __typename } } } }`, byID("enterprise")},
		},
		{ // the search engine
			{"pairings", `{ pairings(first: 50) { totalCount edges { node { id score eligible enterprise { id name } resource { ` + resourceFields + ` } } } } }`, nil},
			{"pairings", `query($id: ID!) { pairings(first: 20, filter: {enterpriseId: $id}) { totalCount edges { node { score enterprise { id } resource { ` + resourceFields + ` } } } } }`, byID("enterprise")},
			{"search", `{ search(query: "并发测试", first: 20) { node { __typename ... on Enterprise { id innovationScore { total } } ... on FinancialProduct { id } ... on Incubator { id } ... on SupplyChainDemand { id } } } }`, nil},
		},
	}
	for r, g := range concurrency.readers {
		readers.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(r), 8))
			group := groups[g]
			who := fmt.Sprintf("reader %d", r)
			for i := 0; ; i++ {
				select {
				case <-writing:
					if i >= concurrency.minReads {
						return
					}
				default:
				}
				q := group[rng.IntN(len(group))]
				var vars map[string]any
				if q.vars != nil {
					v, ok := q.vars(rng)
					if !ok {
						continue // nothing written yet
					}
					vars = v
				}
				// Half the readers read as the administrator, who sees the
				// private fields and whose reads are audited as they go; the
				// financing plan is private as a whole.
				token := ""
				if r%2 == 1 || q.field == "financingPlan" {
					token = testToken
				}
				res, err := tryPost(srv, token, q.query, vars)
				if problems.check(who+" "+q.field, res, err) {
					if d := res.Data[q.field]; len(d) == 0 || string(d) == "null" {
						problems.add("%s %s: null data (vars %v)", who, q.field, vars)
					}
				}
				readCount.Add(1)
			}
		})
	}

	start := time.Now()
	writers.Wait()
	close(writing)
	readers.Wait()
	t.Logf("%d reads alongside the writes, %v", readCount.Load(), time.Since(start).Round(time.Millisecond))
	problems.report(t)

	t.Run("the read model holds exactly what was written", func(t *testing.T) {
		after := a.market.Counts()
		for kind, n := range created.counts() {
			if after[kind] != before[kind]+n {
				t.Errorf("%d %ss, want %d before + %d written", after[kind], kind, before[kind], n)
			}
		}
		want := concurrency.rounds * concurrency.enterpriseWriters
		if n := created.counts()["enterprise"]; n != want {
			t.Errorf("%d enterprises written, want %d", n, want)
		}
	})

	t.Run("each enterprise reads as its last write left it", func(t *testing.T) {
		for _, id := range created.all("enterprise") {
			var e struct {
				Employees          int
				CompetitionEntries []struct{ Award string }
				InnovationScore    *struct{ Total int }
			}
			post(t, srv, "", `query($id: ID!) { node(id: $id) { ... on Enterprise { employees competitionEntries { award } innovationScore { total } } } }`,
				map[string]any{"id": id}).decode(t, "node", &e)
			want, _ := lastEmployees.Load(id)
			if e.Employees != want || len(e.CompetitionEntries) != 1 || e.InnovationScore == nil {
				t.Errorf("%s reads %+v, want %v employees, one entry and a score", id, e, want)
			}
		}
	})

	t.Run("the search index catches up with every write", func(t *testing.T) {
		start := time.Now()
		waitUntil(t, searchCatchUp, "the outbox to drain", func() bool { return metric(t, srv, "yurong_search_outbox_pending") == 0 })
		t.Logf("the outbox drained %v after the last write", time.Since(start).Round(time.Millisecond))
		var hits []struct{ Node struct{ ID string } }
		post(t, srv, "", `{ search(query: "并发测试", types: [ENTERPRISE], first: 100) { node { ... on Enterprise { id } } } }`, nil).decode(t, "search", &hits)
		found := map[string]bool{}
		for _, h := range hits {
			found[h.Node.ID] = true
		}
		for _, id := range created.all("enterprise") {
			if !found[id] {
				t.Errorf("enterprise %s is not found by search after the outbox drained", id)
			}
		}
	})
}

// concurrency sizes TestConcurrentReadsAndWrites (see race_test.go and
// norace_test.go): writers per kind, rounds per writer, readers.
type concurrencySize struct {
	demo              int // demo enterprises loaded first, so matching has work to do
	rounds            int
	enterpriseWriters int
	resourceWriters   int   // of institutions with products, of incubators, of demands
	readers           []int // the group of queries of each reader (see the test)
	minReads          int   // each reader reads at least this often
}

// searchCatchUp bounds how long the tests wait for the indexer to drain the
// outbox. The promise is milliseconds, at most the 500 ms poll, for a
// write or two; after the concurrency test's hundreds of writes, under
// -race on a loaded two-core machine with other packages' tests beside it,
// the backlog took 20-30 s to drain. These tests check that the index
// converges, not how fast: a generous bound, and the time taken logged.
const searchCatchUp = 2 * time.Minute

// problemLog collects what goes wrong in goroutines other than the test's,
// which report it at the end.
type problemLog struct {
	mu    sync.Mutex
	n     int
	first []string
}

func (p *problemLog) add(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.n++
	if len(p.first) < 20 {
		p.first = append(p.first, fmt.Sprintf(format, args...))
	}
}

// check records a failed request, a non-200 status or a GraphQL error,
// and says whether the response is clean.
func (p *problemLog) check(what string, r gqlResponse, err error) bool {
	switch {
	case err != nil:
		p.add("%s: %v", what, err)
	case r.status != 200 || len(r.Errors) > 0:
		p.add("%s: status %d, errors %+v", what, r.status, r.Errors)
	default:
		return true
	}
	return false
}

func (p *problemLog) report(t *testing.T) {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.n > 0 {
		t.Errorf("%d problems, the first %d:\n%s", p.n, len(p.first), strings.Join(p.first, "\n"))
	}
}

// createdIDs are the IDs the writers have created, by kind.
type createdIDs struct {
	mu  sync.Mutex
	ids map[string][]string
}

func (c *createdIDs) add(kind, id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ids == nil {
		c.ids = map[string][]string{}
	}
	c.ids[kind] = append(c.ids[kind], id)
}

// random returns a created ID of kind, or of any kind when kind is "".
func (c *createdIDs) random(rng *rand.Rand, kind string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var pool []string
	if kind != "" {
		pool = c.ids[kind]
	} else {
		for _, ids := range c.ids {
			pool = append(pool, ids...)
		}
	}
	if len(pool) == 0 {
		return "", false
	}
	return pool[rng.IntN(len(pool))], true
}

func (c *createdIDs) all(kind string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.ids[kind]...)
}

func (c *createdIDs) counts() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string]int{}
	for k, ids := range c.ids {
		out[k] = len(ids)
	}
	return out
}

// poll calls ok until it holds or within has passed, and says which. The
// interval grows from 5 ms to 200 ms, so a long wait does not load the
// server it waits for (ok often asks it over HTTP).
func poll(within time.Duration, ok func() bool) bool {
	deadline := time.Now().Add(within)
	interval := 5 * time.Millisecond
	for !ok() {
		if time.Now().After(deadline) {
			return ok()
		}
		timer := time.NewTimer(interval)
		<-timer.C
		interval = min(2*interval, 200*time.Millisecond)
	}
	return true
}

// waitUntil fails the test unless ok holds within the given time. Only the
// test's own goroutine may call it.
func waitUntil(t *testing.T, within time.Duration, what string, ok func() bool) {
	t.Helper()
	if !poll(within, ok) {
		t.Fatalf("waited %v for %s", within, what)
	}
}
