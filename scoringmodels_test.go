package main

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/yurong/yurong/ratelimit"
	"github.com/yurong/yurong/statebackend"
)

// Issue 15 through the API: a bank defines a scoring model, its product
// uses it, the product's pairings are ranked by it and record its
// version; advice for an ineligible enterprise, applied through
// updateEnterprise, makes it eligible; another institution reads neither
// the model nor the advice.

// modelWorld is a bank with a loan and a handful of enterprises whose
// figures are drawn at random, so the test cannot know them in advance.
type modelWorld struct {
	srv                 *httptest.Server
	bank, other         string // institutions
	bankToken, otherTok string
	loan                string
	ents                []string
	reports             map[string]map[string]any // each enterprise's report as created
}

func newModelWorld(t *testing.T, seed uint64) *modelWorld {
	t.Helper()
	srv, _ := testServer(t, 0)
	w := &modelWorld{srv: srv, reports: map[string]map[string]any{}}
	w.bank = createBank(t, srv, "中原银行", "ZHENGZHOU")
	w.other = createBank(t, srv, "洛阳银行", "LUOYANG")
	_, w.bankToken = accountToken(t, srv, "中原银行科技金融部", "INSTITUTION", w.bank)
	_, w.otherTok = accountToken(t, srv, "洛阳银行科技金融部", "INSTITUTION", w.other)
	w.loan = createProduct(t, srv, w.bank, `{"name": "中原科创积分贷", "kind": "LOAN", "program": "SCORE_LOAN", "providerId": "PROVIDER", "maxAmount": "3000000"}`)
	rng := rand.New(rand.NewPCG(seed, 15))
	for i := range 12 {
		code := fmt.Sprintf("91410100MA45%05d", i)
		in := enterpriseInput(fmt.Sprintf("郑州测%d科技有限公司", i), code+checkChar(t, code))
		r := in["reports"].([]map[string]any)[0]
		r["inventionPatentApplications"] = rng.IntN(12)
		r["rdExpense"] = strconv.Itoa(100_000 + rng.IntN(40)*25_000)
		r["techStaff"] = 5 + rng.IntN(30)
		r["pctApplications"] = rng.IntN(3)
		r["techContractTurnover"] = strconv.Itoa(rng.IntN(10) * 50_000)
		var p payload
		post(t, srv, testToken, createEnterprise, map[string]any{"input": in}).decode(t, "createEnterprise", &p)
		if p.Enterprise == nil {
			t.Fatalf("createEnterprise: %+v", p.UserErrors)
		}
		w.ents = append(w.ents, p.Enterprise.ID)
		w.reports[p.Enterprise.ID] = r
	}
	return w
}

type modelPayload struct {
	ScoringModel *struct {
		ID     string `json:"id"`
		Latest struct {
			Version  int  `json:"version"`
			MinScore *int `json:"minScore"`
		} `json:"latest"`
	} `json:"scoringModel"`
	UserErrors []userError `json:"userErrors"`
}

const createModel = `mutation($i: ID!, $m: ScoringModelInput!) { createScoringModel(input: {institutionId: $i, model: $m}) {
  scoringModel { id latest { version minScore } } userErrors { field code message } } }`

// patentsModel ignores every indicator but invention patents.
func patentsModel() map[string]any {
	var ignored []string
	for _, code := range []string{"rd_expense", "rd_expense_growth", "rd_intensity", "tech_staff_share", "pct_applications",
		"tech_contract_turnover", "high_tech_product_revenue", "revenue", "revenue_growth", "postgraduate_share", "rd_tax_deduction",
		"return_on_equity", "graduates_hired", "innovation_platforms", "science_awards", "equity_financing", "science_plan_projects"} {
		ignored = append(ignored, code)
	}
	return map[string]any{"name": "专利导向模型", "shared": true, "weights": []map[string]any{{"code": "invention_patent_applications", "weight": 1}}, "ignored": ignored}
}

type candidate struct {
	Enterprise struct {
		ID              string `json:"id"`
		InnovationScore struct {
			Total int `json:"total"`
		} `json:"innovationScore"`
	} `json:"enterprise"`
	Score        float64 `json:"score"`
	Eligible     bool    `json:"eligible"`
	ScoringModel *struct {
		Version int    `json:"version"`
		Mode    string `json:"mode"`
		Score   int    `json:"score"`
		Model   *struct {
			ID string `json:"id"`
		} `json:"model"`
	} `json:"scoringModel"`
	Reasons []struct {
		Factor string `json:"factor"`
	} `json:"reasons"`
}

func (w *modelWorld) candidates(t *testing.T, token string) []candidate {
	t.Helper()
	var p struct {
		Candidates []candidate `json:"candidates"`
	}
	r := post(t, w.srv, token, `query($p: ID!) { node(id: $p) { ... on FinancialProduct { candidates(first: 50, eligibleOnly: false) {
	  enterprise { id innovationScore { total } } score eligible scoringModel { version mode score model { id } } reasons { factor } } } } }`,
		map[string]any{"p": w.loan})
	r.decode(t, "node", &p)
	return p.Candidates
}

func TestABanksModelRanksItsProductsPairings(t *testing.T) {
	w := newModelWorld(t, 1)

	// The bank's account defines its model; the other bank cannot define
	// one for it.
	var created modelPayload
	post(t, w.srv, w.bankToken, createModel, map[string]any{"i": w.bank, "m": patentsModel()}).decode(t, "createScoringModel", &created)
	if created.ScoringModel == nil || created.ScoringModel.Latest.Version != 1 {
		t.Fatalf("createScoringModel: %+v", created.UserErrors)
	}
	modelID := created.ScoringModel.ID
	if r := post(t, w.srv, w.otherTok, createModel, map[string]any{"i": w.bank, "m": patentsModel()}); r.code() != "FORBIDDEN" {
		t.Fatalf("another bank defined a model for the bank: %+v", r.Errors)
	}
	t.Run("invalid models are userErrors with stable codes", func(t *testing.T) {
		for _, c := range []struct {
			name  string
			model map[string]any
			code  string
		}{
			{"an unknown indicator", map[string]any{"name": "甲", "shared": true, "weights": []map[string]any{{"code": "profit", "weight": 1}}}, "UNKNOWN_INDICATOR"},
			{"a negative weight", map[string]any{"name": "乙", "shared": true, "weights": []map[string]any{{"code": "revenue", "weight": -1}}}, "INVALID_WEIGHTS"},
			{"every indicator ignored", map[string]any{"name": "丙", "shared": true, "ignored": allIndicatorCodes()}, "INVALID_WEIGHTS"},
			{"a minimum out of range", map[string]any{"name": "丁", "shared": true, "minScore": 1001}, "OUT_OF_RANGE"},
			{"no name", map[string]any{"name": " ", "shared": true}, "REQUIRED"},
		} {
			t.Run(c.name, func(t *testing.T) {
				var p modelPayload
				post(t, w.srv, w.bankToken, createModel, map[string]any{"i": w.bank, "m": c.model}).decode(t, "createScoringModel", &p)
				if p.ScoringModel != nil || len(p.UserErrors) == 0 || p.UserErrors[0].Code != c.code {
					t.Fatalf("want %s, got %+v", c.code, p.UserErrors)
				}
			})
		}
	})

	// The loan scores with it, replacing the province's score.
	var set struct {
		FinancialProduct *struct{ ID string } `json:"financialProduct"`
		UserErrors       []userError          `json:"userErrors"`
	}
	const setModel = `mutation($p: ID!, $m: ID) { setProductScoringModel(input: {productId: $p, modelId: $m, mode: REPLACE}) { financialProduct { id } userErrors { code } } }`
	if r := post(t, w.srv, w.otherTok, setModel, map[string]any{"p": w.loan, "m": modelID}); r.code() != "FORBIDDEN" {
		t.Fatalf("another bank set the bank's product's model: %+v", r.Errors)
	}
	post(t, w.srv, w.bankToken, setModel, map[string]any{"p": w.loan, "m": modelID}).decode(t, "setProductScoringModel", &set)
	if set.FinancialProduct == nil {
		t.Fatalf("setProductScoringModel: %+v", set.UserErrors)
	}

	cs := w.candidates(t, w.bankToken)
	if len(cs) != len(w.ents) {
		t.Fatalf("%d candidates, want %d", len(cs), len(w.ents))
	}
	for i, c := range cs {
		if c.ScoringModel == nil || c.ScoringModel.Version != 1 || c.ScoringModel.Mode != "REPLACE" || c.ScoringModel.Model == nil || c.ScoringModel.Model.ID != modelID {
			t.Fatalf("candidate %d: scoring model %+v", i, c.ScoringModel)
		}
		factors := map[string]bool{}
		for _, r := range c.Reasons {
			factors[r.Factor] = true
		}
		if factors["innovation_score"] || (!factors["institution_model"] && c.ScoringModel.Score > 0) {
			t.Fatalf("candidate %d: reasons %+v", i, c.Reasons)
		}
		// The enterprises differ only in their figures: the ranking is the
		// model's.
		if i > 0 && c.Eligible == cs[i-1].Eligible && c.ScoringModel.Score > cs[i-1].ScoringModel.Score {
			t.Fatalf("not ranked by the model: %d after %d", c.ScoringModel.Score, cs[i-1].ScoringModel.Score)
		}
	}
	// Patents alone decide the model's ranking.
	patents := func(c candidate) int { return w.reports[c.Enterprise.ID]["inventionPatentApplications"].(int) }
	for i := 1; i < len(cs); i++ {
		if patents(cs[i]) > patents(cs[i-1]) {
			t.Fatalf("an enterprise with %d patents ranked below one with %d", patents(cs[i]), patents(cs[i-1]))
		}
	}

	// A revision is a new version: pairings record it, version 1 is kept.
	rev := patentsModel()
	rev["minScore"] = 900
	var revised modelPayload
	post(t, w.srv, w.bankToken, `mutation($m: ID!, $in: ScoringModelInput!) { reviseScoringModel(input: {modelId: $m, model: $in}) {
	  scoringModel { id latest { version minScore } } userErrors { field code message } } }`, map[string]any{"m": modelID, "in": rev}).
		decode(t, "reviseScoringModel", &revised)
	if revised.ScoringModel == nil || revised.ScoringModel.Latest.Version != 2 || *revised.ScoringModel.Latest.MinScore != 900 {
		t.Fatalf("reviseScoringModel: %+v %+v", revised.ScoringModel, revised.UserErrors)
	}
	for _, c := range w.candidates(t, w.bankToken) {
		if c.ScoringModel.Version != 2 || (c.ScoringModel.Score < 900) == c.Eligible {
			t.Fatalf("after the revision: %+v eligible %v", c.ScoringModel, c.Eligible)
		}
	}
	var history struct {
		Versions []struct {
			Version  int  `json:"version"`
			MinScore *int `json:"minScore"`
			Weights  []struct {
				Code   string  `json:"code"`
				Weight float64 `json:"weight"`
			} `json:"weights"`
		} `json:"versions"`
	}
	post(t, w.srv, w.bankToken, `query($m: ID!) { scoringModel(id: $m) { versions { version minScore weights(stage: GROWTH) { code weight } } } }`,
		map[string]any{"m": modelID}).decode(t, "scoringModel", &history)
	if len(history.Versions) != 2 || history.Versions[0].Version != 1 || history.Versions[0].MinScore != nil || *history.Versions[1].MinScore != 900 {
		t.Fatalf("history: %+v", history.Versions)
	}
	for _, wt := range history.Versions[0].Weights {
		if (wt.Code == "invention_patent_applications") != (wt.Weight > 0) {
			t.Fatalf("version 1's weights changed: %+v", history.Versions[0].Weights)
		}
	}

	t.Run("the model is private to its institution and administrators", func(t *testing.T) {
		r := post(t, w.srv, w.otherTok, `query($m: ID!) { scoringModel(id: $m) { name } }`, map[string]any{"m": modelID})
		if r.code() != "FORBIDDEN" || string(r.Data["scoringModel"]) != "null" {
			t.Fatalf("another bank read the model: %s %+v", r.Data["scoringModel"], r.Errors)
		}
		r = post(t, w.srv, w.otherTok, `query($i: ID!) { scoringModels(institutionId: $i) { name } }`, map[string]any{"i": w.bank})
		if r.code() != "FORBIDDEN" {
			t.Fatalf("another bank listed the models: %+v", r.Errors)
		}
		for _, c := range w.candidates(t, w.otherTok) {
			if c.ScoringModel == nil || c.ScoringModel.Model != nil || c.ScoringModel.Version != 2 {
				t.Fatalf("another bank sees the model behind a pairing: %+v", c.ScoringModel)
			}
		}
		var mine []struct{ Name string }
		post(t, w.srv, testToken, `query($i: ID!) { scoringModels(institutionId: $i) { name } }`, map[string]any{"i": w.bank}).decode(t, "scoringModels", &mine)
		if len(mine) != 1 || mine[0].Name != "专利导向模型" {
			t.Fatalf("the administrator's list: %+v", mine)
		}
	})

	t.Run("an administrator compares the model with the province's ranking", func(t *testing.T) {
		var cmp struct {
			Members    int     `json:"members"`
			Spearman   float64 `json:"spearman"`
			TopN       int     `json:"topN"`
			TopOverlap int     `json:"topOverlap"`
		}
		const q = `query($m: ID!) { compareScoringModel(modelId: $m, stage: STARTUP, top: 5) { members spearman topN topOverlap } }`
		post(t, w.srv, testToken, q, map[string]any{"m": modelID}).decode(t, "compareScoringModel", &cmp)
		if cmp.Members != len(w.ents) || cmp.TopN != 5 || cmp.TopOverlap > 5 || cmp.Spearman < -1 || cmp.Spearman > 1 || cmp.Spearman == 0 {
			t.Fatalf("comparison %+v", cmp)
		}
		if r := post(t, w.srv, w.bankToken, q, map[string]any{"m": modelID}); r.code() != "FORBIDDEN" {
			t.Fatalf("a bank compared: %+v", r.Errors)
		}
	})
}

func allIndicatorCodes() []string {
	return []string{"rd_expense", "rd_expense_growth", "rd_intensity", "tech_staff_share", "invention_patent_applications", "pct_applications",
		"tech_contract_turnover", "high_tech_product_revenue", "revenue", "revenue_growth", "postgraduate_share", "rd_tax_deduction",
		"return_on_equity", "graduates_hired", "innovation_platforms", "science_awards", "equity_financing", "science_plan_projects"}
}

type adviceResult struct {
	Reached   bool     `json:"reached"`
	Reachable bool     `json:"reachable"`
	Blockers  []string `json:"blockers"`
	Summary   string   `json:"summary"`
	Paths     []struct {
		Effort     float64 `json:"effort"`
		ScoreAfter int     `json:"scoreAfter"`
		Summary    string  `json:"summary"`
		Steps      []struct {
			Lever         string  `json:"lever"`
			Increase      float64 `json:"increase"`
			Qualification *string `json:"qualification"`
			Text          string  `json:"text"`
		} `json:"steps"`
	} `json:"paths"`
}

const adviceFields = `reached reachable blockers summary paths { effort scoreAfter summary steps { lever increase qualification text } }`

// reportFields maps an advice step's lever to the report field it moves.
var reportFields = map[string]string{
	"rd_expense": "rdExpense", "invention_patent_applications": "inventionPatentApplications", "tech_staff": "techStaff",
	"pct_applications": "pctApplications", "tech_contract_turnover": "techContractTurnover", "high_tech_product_revenue": "highTechProductRevenue",
	"postgraduates": "postgraduates", "rd_tax_deduction": "rdTaxDeduction", "graduates_hired": "graduatesHired",
	"innovation_platforms": "innovationPlatforms", "science_awards": "scienceAwards", "equity_financing": "equityFinancing",
	"science_plan_projects": "sciencePlanProjects",
}

func TestAdviceMakesAnIneligibleEnterpriseEligible(t *testing.T) {
	w := newModelWorld(t, 2)
	// A demanding loan: an innovation score of 700 and a qualification.
	strict := createProduct(t, w.srv, w.bank, `{"name": "中原银行高分贷", "kind": "LOAN", "program": "TECH_LOAN", "providerId": "PROVIDER", "maxAmount": "2000000",
	  "eligibility": {"minInnovationScore": 700, "qualifications": ["SPECIALIZED"]}}`)

	// The weakest enterprise by the province's score.
	var weakest string
	low := 1001
	for _, id := range w.ents {
		var s struct {
			InnovationScore struct{ Total int } `json:"innovationScore"`
		}
		post(t, w.srv, testToken, `query($e: ID!) { node(id: $e) { ... on Enterprise { innovationScore { total } } } }`, map[string]any{"e": id}).decode(t, "node", &s)
		if s.InnovationScore.Total < low {
			weakest, low = id, s.InnovationScore.Total
		}
	}
	var got struct {
		Advice       *adviceResult `json:"advice"`
		Matches      []struct{}    `json:"matches"`
		HowToQualify []struct {
			Resource struct {
				ID string `json:"id"`
			} `json:"resource"`
			HowToQualify *adviceResult `json:"howToQualify"`
		} `json:"ineligible"`
	}
	q := `query($e: ID!, $p: ID!) { node(id: $e) { ... on Enterprise {
	  advice(target: {kind: PRODUCT, productId: $p}) { ` + adviceFields + ` }
	  ineligible: matches(kind: FINANCING, eligibleOnly: false, first: 20) { resource { ... on FinancialProduct { id } } howToQualify { ` + adviceFields + ` } } } } }`
	post(t, w.srv, testToken, q, map[string]any{"e": weakest, "p": strict}).decode(t, "node", &got)
	a := got.Advice
	if a == nil || a.Reached || !a.Reachable || len(a.Paths) == 0 {
		t.Fatalf("advice: %+v", a)
	}
	for i := 1; i < len(a.Paths); i++ {
		if a.Paths[i].Effort < a.Paths[i-1].Effort {
			t.Fatalf("paths not cheapest first: %+v", a.Paths)
		}
	}
	found := false
	for _, m := range got.HowToQualify {
		if m.Resource.ID == strict {
			found = true
			if m.HowToQualify == nil || m.HowToQualify.Summary != a.Summary {
				t.Fatalf("howToQualify differs from advice: %+v", m.HowToQualify)
			}
		}
	}
	if !found {
		t.Fatalf("the strict loan is not among the ineligible matches")
	}
	t.Logf("advice: %s", a.Summary)

	// Apply the cheapest path through the API and the pairing is eligible.
	report := w.reports[weakest]
	quals := []string{"TECH_SME", "HIGH_TECH"}
	for _, s := range a.Paths[0].Steps {
		switch s.Lever {
		case "qualification":
			quals = append(quals, *s.Qualification)
		default:
			f := reportFields[s.Lever]
			switch v := report[f].(type) {
			case int:
				report[f] = v + int(s.Increase)
			case string:
				n, _ := strconv.ParseFloat(v, 64)
				report[f] = strconv.FormatFloat(n+s.Increase, 'f', 2, 64)
			default:
				t.Fatalf("lever %s: report field %s is %T", s.Lever, f, report[f])
			}
		}
	}
	var upd payload
	post(t, w.srv, testToken, `mutation($id: ID!, $r: [AnnualReportInput!], $q: [Qualification!]) { updateEnterprise(input: {id: $id, reports: $r, qualifications: $q}) {
	  enterprise { id } userErrors { field code message } } }`, map[string]any{"id": weakest, "r": []map[string]any{report}, "q": quals}).decode(t, "updateEnterprise", &upd)
	if upd.Enterprise == nil {
		t.Fatalf("updateEnterprise: %+v", upd.UserErrors)
	}
	var after struct {
		InnovationScore struct{ Total int } `json:"innovationScore"`
		Advice          *adviceResult       `json:"advice"`
	}
	post(t, w.srv, testToken, `query($e: ID!, $p: ID!) { node(id: $e) { ... on Enterprise { innovationScore { total } advice(target: {kind: PRODUCT, productId: $p}) { reached } } } }`,
		map[string]any{"e": weakest, "p": strict}).decode(t, "node", &after)
	if !after.Advice.Reached || after.InnovationScore.Total != a.Paths[0].ScoreAfter {
		t.Fatalf("after applying %q: score %d (path said %d), reached %v", a.Paths[0].Summary, after.InnovationScore.Total, a.Paths[0].ScoreAfter, after.Advice.Reached)
	}

	t.Run("the growth plan holds the best paths", func(t *testing.T) {
		var plan struct {
			Growth []struct {
				Goal string `json:"goal"`
				Path struct {
					Summary string `json:"summary"`
				} `json:"path"`
			} `json:"growth"`
		}
		post(t, w.srv, testToken, `query($e: ID!) { financingPlan(enterpriseId: $e) { growth { goal path { summary } } } }`,
			map[string]any{"e": w.ents[0]}).decode(t, "financingPlan", &plan)
		if len(plan.Growth) == 0 || plan.Growth[0].Goal == "" || plan.Growth[0].Path.Summary == "" {
			t.Fatalf("growth plan: %+v", plan.Growth)
		}
	})

	t.Run("another institution reads no advice without consent", func(t *testing.T) {
		r := post(t, w.srv, w.otherTok, `query($e: ID!, $p: ID!) { node(id: $e) { ... on Enterprise { advice(target: {kind: PRODUCT, productId: $p}) { summary } } } }`,
			map[string]any{"e": w.ents[1], "p": strict})
		if r.code() != "FORBIDDEN" || !slices.Contains(r.Errors[0].Path, any("advice")) {
			t.Fatalf("advice read by another bank: %s %+v", r.Data["node"], r.Errors)
		}
		var n struct {
			Advice *json.RawMessage `json:"advice"`
		}
		if err := json.Unmarshal(r.Data["node"], &n); err != nil || n.Advice != nil {
			t.Fatalf("advice data leaked: %s", r.Data["node"])
		}
		r = post(t, w.srv, w.otherTok, `query($p: ID!) { node(id: $p) { ... on FinancialProduct { candidates(first: 3, eligibleOnly: false) { howToQualify { summary } } } } }`,
			map[string]any{"p": strict})
		if r.code() != "FORBIDDEN" {
			t.Fatalf("howToQualify read by another bank: %+v", r.Errors)
		}
	})

	t.Run("a bad target is an input error", func(t *testing.T) {
		r := post(t, w.srv, testToken, `query($e: ID!) { node(id: $e) { ... on Enterprise { advice(target: {kind: SCORE}) { summary } } } }`, map[string]any{"e": w.ents[0]})
		if r.code() != "BAD_USER_INPUT" {
			t.Fatalf("a score target without a score: %+v", r.Errors)
		}
	})
}

// TestAModelWrittenOnOneInstanceRanksOnTheOther: the model, its revision
// and the product's use reach the other instance through the change log.
func TestAModelWrittenOnOneInstanceRanksOnTheOther(t *testing.T) {
	dbURL, redisURL, prefix := sharedBackends(t)
	cfg := Config{DatabaseURL: dbURL, RedisURL: redisURL, AdminToken: testToken,
		Cache: statebackend.Options{Prefix: prefix, Rate: ratelimit.Rate{Limit: 50_000, PerSecond: 1}}}
	cfgB := cfg
	cfg.DataDir, cfgB.DataDir = t.TempDir(), t.TempDir()
	a, b := startInstance(t, cfg), startInstance(t, cfgB)

	bank := createBank(t, a, "中原银行", "ZHENGZHOU")
	loan := createProduct(t, a, bank, `{"name": "中原科创积分贷", "kind": "LOAN", "program": "SCORE_LOAN", "providerId": "PROVIDER", "maxAmount": "3000000"}`)
	for i := range 3 {
		code := fmt.Sprintf("91410100MA46%05d", i)
		var p payload
		post(t, a, testToken, createEnterprise, map[string]any{"input": enterpriseInput(fmt.Sprintf("郑州共%d科技有限公司", i), code+checkChar(t, code))}).
			decode(t, "createEnterprise", &p)
	}
	var created modelPayload
	post(t, a, testToken, createModel, map[string]any{"i": bank, "m": patentsModel()}).decode(t, "createScoringModel", &created)
	if created.ScoringModel == nil {
		t.Fatalf("createScoringModel: %+v", created.UserErrors)
	}
	post(t, a, testToken, `mutation($p: ID!, $m: ID) { setProductScoringModel(input: {productId: $p, modelId: $m, mode: ACCOMPANY}) { userErrors { code } } }`,
		map[string]any{"p": loan, "m": created.ScoringModel.ID})
	wb := &modelWorld{srv: b, loan: loan}
	versionOnB := func(want int) func() bool {
		return func() bool {
			cs := wb.candidates(t, testToken)
			if len(cs) != 3 {
				return false
			}
			for _, c := range cs {
				if c.ScoringModel == nil || c.ScoringModel.Version != want || c.ScoringModel.Mode != "ACCOMPANY" || c.ScoringModel.Model == nil {
					return false
				}
			}
			return true
		}
	}
	eventually(t, 5*time.Second, versionOnB(1))
	post(t, a, testToken, `mutation($m: ID!, $in: ScoringModelInput!) { reviseScoringModel(input: {modelId: $m, model: $in}) { userErrors { code } } }`,
		map[string]any{"m": created.ScoringModel.ID, "in": patentsModel()})
	eventually(t, 5*time.Second, versionOnB(2))
	var history struct {
		Versions []struct{ Version int } `json:"versions"`
	}
	post(t, b, testToken, `query($m: ID!) { scoringModel(id: $m) { versions { version } } }`, map[string]any{"m": created.ScoringModel.ID}).
		decode(t, "scoringModel", &history)
	if len(history.Versions) != 2 {
		t.Fatalf("B's history: %+v", history.Versions)
	}
}
