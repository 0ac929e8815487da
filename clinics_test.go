package main

import (
	"strings"
	"testing"

	"github.com/yurong/yurong/graph/relay"
)

// TestClinicEndToEnd runs a clinic through HTTP: experts with their
// specialities, the clinic scheduled by one of them, enterprises proposed
// with reasons, a diagnosis recorded with a snapshot of the financing
// plan, the enterprise rescored with the snapshot unchanged, and an
// application made afterwards linked to the diagnosis and counted in the
// clinic's outcome once paid out. Along the way, who may do and read what.
func TestClinicEndToEnd(t *testing.T) {
	srv, _ := testServer(t, 0)

	bank := createBank(t, srv, "中原银行", "ZHENGZHOU")
	loan := createProduct(t, srv, bank, `{"name": "中原银行科技贷", "kind": "LOAN", "program": "TECH_LOAN", "providerId": "PROVIDER", "maxAmount": "5000000"}`)
	enterprise := func(name, prefix string, need bool) string {
		in := enterpriseInput(name, prefix+checkChar(t, prefix))
		if need {
			in["financingNeed"] = map[string]any{"kind": "LOAN", "amount": "1000000", "purpose": "购置检测设备"}
		}
		var p payload
		post(t, srv, testToken, createEnterprise, map[string]any{"input": in}).decode(t, "createEnterprise", &p)
		if p.Enterprise == nil {
			t.Fatalf("enterprise %s refused: %+v", name, p.UserErrors)
		}
		return p.Enterprise.ID
	}
	ent := enterprise("郑州碳芯科技有限公司", "91410100MA47AAAA1", true)
	other := enterprise("郑州磨料科技有限公司", "91410100MA47AAAA2", true)
	quiet := enterprise("郑州静默科技有限公司", "91410100MA47AAAA3", false) // no stated need: never proposed

	expertID, expertToken := accountToken(t, srv, "金融专家甲", "EXPERT", "")
	_, outsiderToken := accountToken(t, srv, "投资专家乙", "EXPERT", "")
	_, entToken := accountToken(t, srv, "碳芯财务", "ENTERPRISE", ent)
	_, otherToken := accountToken(t, srv, "磨料财务", "ENTERPRISE", other)

	// ---- The corps: an administrator sets an expert's specialities.
	var ex struct {
		Expert *struct {
			ID           string
			Specialities []string
		}
		UserErrors []userError
	}
	setSp := `mutation($a: ID!) { setExpertSpecialities(input: {accountId: $a, specialities: [POLICY, FINANCE, FINANCE]}) {
		expert { id specialities } userErrors { field code message } } }`
	post(t, srv, testToken, setSp, map[string]any{"a": expertID}).decode(t, "setExpertSpecialities", &ex)
	if ex.Expert == nil || strings.Join(ex.Expert.Specialities, ",") != "FINANCE,POLICY" {
		t.Fatalf("setExpertSpecialities: %+v", ex)
	}
	if r := post(t, srv, expertToken, setSp, map[string]any{"a": expertID}); r.code() != "FORBIDDEN" {
		t.Fatalf("an expert set specialities: %+v", r.Errors)
	}
	_, bankAccount := accountToken(t, srv, "银行客户经理", "INSTITUTION", bank)
	post(t, srv, testToken, setSp, map[string]any{"a": relay.IntID("Account", 1)}).decode(t, "setExpertSpecialities", &ex)
	if ex.Expert != nil || len(ex.UserErrors) != 1 || ex.UserErrors[0].Code != "NOT_EXPERT" {
		t.Fatalf("specialities of the administrator: %+v", ex)
	}

	// ---- An expert schedules a clinic it serves on.
	schedule := `mutation($x: [ID!]!) { scheduleClinic(input: {name: "郑州高新区一企一策诊疗会", city: ZHENGZHOU, highTechZone: "郑州高新区",
		date: "2026-06-15", expertIds: $x}) { clinic { id city highTechZone date experts { name specialities } } userErrors { field code message } } }`
	if r := post(t, srv, outsiderToken, schedule, map[string]any{"x": []string{expertID}}); r.code() != "FORBIDDEN" {
		t.Fatalf("an expert scheduled a clinic without itself: %+v", r.Errors)
	}
	if r := post(t, srv, bankAccount, schedule, map[string]any{"x": []string{expertID}}); r.code() != "FORBIDDEN" {
		t.Fatalf("a bank scheduled a clinic: %+v", r.Errors)
	}
	var sc struct {
		Clinic *struct {
			ID, City, HighTechZone, Date string
			Experts                      []struct {
				Name         string
				Specialities []string
			}
		}
		UserErrors []userError
	}
	post(t, srv, testToken, schedule, map[string]any{"x": []string{bank}}).decode(t, "scheduleClinic", &sc)
	if sc.Clinic != nil || len(sc.UserErrors) == 0 || sc.UserErrors[0].Code != "NOT_FOUND" {
		t.Fatalf("a clinic with a bank for an expert: %+v", sc)
	}
	post(t, srv, expertToken, schedule, map[string]any{"x": []string{expertID}}).decode(t, "scheduleClinic", &sc)
	if sc.Clinic == nil || sc.Clinic.City != "ZHENGZHOU" || sc.Clinic.HighTechZone != "郑州高新区" || len(sc.Clinic.Experts) != 1 ||
		sc.Clinic.Experts[0].Name != "金融专家甲" || len(sc.Clinic.Experts[0].Specialities) != 2 {
		t.Fatalf("scheduleClinic: %+v", sc)
	}
	clinic := sc.Clinic.ID

	// ---- The engine proposes the enterprises with a need, with reasons.
	proposals := `query($c: ID!) { node(id: $c) { ... on Clinic { proposals(first: 10) { enterprise { id } score reason } } } }`
	var prop struct {
		Proposals []struct {
			Enterprise struct{ ID string }
			Score      int
			Reason     string
		}
	}
	post(t, srv, expertToken, proposals, map[string]any{"c": clinic}).decode(t, "node", &prop)
	proposed := map[string]string{}
	for _, p := range prop.Proposals {
		proposed[p.Enterprise.ID] = p.Reason
	}
	if len(proposed) != 2 || !strings.Contains(proposed[ent], "融资需求") || !strings.Contains(proposed[ent], "尚未参加诊疗会") || proposed[quiet] != "" {
		t.Fatalf("proposals: %+v", prop.Proposals)
	}
	if r := post(t, srv, entToken, proposals, map[string]any{"c": clinic}); r.code() != "FORBIDDEN" {
		t.Fatalf("an enterprise read the proposals: %+v", r.Errors)
	}

	// ---- A diagnosis, by an expert of the clinic only.
	record := `mutation($c: ID!, $e: ID!) { recordDiagnosis(input: {clinicId: $c, enterpriseId: $e, notes: "研发投入强度高，现金流偏紧，建议以贷促投",
		growthPlan: ["三个月内申报高新技术企业", "对接科技贷", "筹备 A 轮融资"]}) {
		diagnosis { id notes growthPlan planSnapshotJson planSnapshot { summary totalCreditLine items { kind } } } userErrors { field code message } } }`
	vars := map[string]any{"c": clinic, "e": ent}
	if r := post(t, srv, outsiderToken, record, vars); r.code() != "FORBIDDEN" {
		t.Fatalf("an expert of another clinic recorded a diagnosis: %+v", r.Errors)
	}
	if r := post(t, srv, entToken, record, vars); r.code() != "FORBIDDEN" {
		t.Fatalf("the enterprise recorded its own diagnosis: %+v", r.Errors)
	}
	type diagnosis struct {
		ID               string
		Notes            string
		GrowthPlan       []string
		PlanSnapshotJSON string `json:"planSnapshotJson"`
		PlanSnapshot     struct {
			Summary         string
			TotalCreditLine string
			Items           []struct{ Kind string }
		}
	}
	var rec struct {
		Diagnosis  *diagnosis
		UserErrors []userError
	}
	post(t, srv, expertToken, record, vars).decode(t, "recordDiagnosis", &rec)
	if rec.Diagnosis == nil || len(rec.Diagnosis.GrowthPlan) != 3 || rec.Diagnosis.PlanSnapshot.Summary == "" || rec.Diagnosis.PlanSnapshotJSON == "" {
		t.Fatalf("recordDiagnosis: %+v", rec)
	}
	snap := *rec.Diagnosis
	post(t, srv, expertToken, record, vars).decode(t, "recordDiagnosis", &rec)
	if rec.Diagnosis != nil || len(rec.UserErrors) != 1 || rec.UserErrors[0].Code != "DUPLICATE" {
		t.Fatalf("a second diagnosis at the clinic: %+v", rec)
	}
	// Served: no longer proposed.
	post(t, srv, testToken, proposals, map[string]any{"c": clinic}).decode(t, "node", &prop)
	if len(prop.Proposals) != 1 || prop.Proposals[0].Enterprise.ID != other {
		t.Fatalf("proposals after the diagnosis: %+v", prop.Proposals)
	}

	// ---- The enterprise is rescored: its plan moves, the snapshot stays.
	var upd payload
	post(t, srv, testToken, `mutation($id: ID!) { updateEnterprise(input: {id: $id, employees: 120,
		financingNeed: {kind: LOAN, amount: "3000000", purpose: "扩建中试线"}}) { enterprise { id } userErrors { field code message } } }`,
		map[string]any{"id": ent}).decode(t, "updateEnterprise", &upd)
	if upd.Enterprise == nil {
		t.Fatalf("updateEnterprise: %+v", upd.UserErrors)
	}
	var plan struct{ Summary string }
	post(t, srv, testToken, `query($e: ID!) { financingPlan(enterpriseId: $e) { summary } }`, map[string]any{"e": ent}).decode(t, "financingPlan", &plan)
	if plan.Summary == snap.PlanSnapshot.Summary {
		t.Fatalf("the rescored plan did not move: %s", plan.Summary)
	}
	readDiag := `query($d: ID!) { node(id: $d) { ... on Diagnosis { id notes planSnapshotJson planSnapshot { summary totalCreditLine items { kind } }
		followUps { id status } raised clinic { id } enterprise { id } } } }`
	var back struct {
		diagnosis
		FollowUps []struct{ ID, Status string }
		Raised    string
	}
	post(t, srv, entToken, readDiag, map[string]any{"d": snap.ID}).decode(t, "node", &back)
	if back.PlanSnapshotJSON != snap.PlanSnapshotJSON || back.PlanSnapshot.Summary != snap.PlanSnapshot.Summary || len(back.FollowUps) != 0 {
		t.Fatalf("the snapshot moved:\n got %s\nwant %s", back.PlanSnapshotJSON, snap.PlanSnapshotJSON)
	}

	// ---- Privacy: the enterprise, the clinic's experts and administrators.
	for _, c := range []struct{ who, token string }{{"another expert", outsiderToken}, {"another enterprise", otherToken},
		{"a bank", bankAccount}, {"an anonymous caller", ""}} {
		if r := post(t, srv, c.token, readDiag, map[string]any{"d": snap.ID}); r.code() != "FORBIDDEN" {
			t.Errorf("%s read the diagnosis: %+v", c.who, r.Errors)
		}
	}
	var list struct {
		Diagnoses []struct{ ID string }
	}
	post(t, srv, otherToken, `query($c: ID!) { node(id: $c) { ... on Clinic { diagnoses { id } } } }`, map[string]any{"c": clinic}).decode(t, "node", &list)
	if len(list.Diagnoses) != 0 {
		t.Fatalf("another enterprise sees the clinic's diagnoses: %+v", list)
	}
	post(t, srv, expertToken, `query($c: ID!) { node(id: $c) { ... on Clinic { diagnoses { id } } } }`, map[string]any{"c": clinic}).decode(t, "node", &list)
	if len(list.Diagnoses) != 1 {
		t.Fatalf("the clinic's expert sees %d diagnoses", len(list.Diagnoses))
	}
	var audit struct {
		Edges []struct{ Node struct{ Action string } }
	}
	post(t, srv, testToken, `query($e: ID!) { auditLog(filter: {subjectId: $e}) { edges { node { action } } } }`, map[string]any{"e": ent}).decode(t, "auditLog", &audit)
	var actions []string
	for _, e := range audit.Edges {
		actions = append(actions, e.Node.Action)
	}
	if !strings.Contains(strings.Join(actions, ","), "Clinic.diagnoses") {
		t.Errorf("the expert's read of the diagnoses is not audited: %v", actions)
	}

	// ---- An application after the diagnosis is linked to it; once paid
	// out, it is the clinic's outcome.
	var applied struct {
		Application *struct{ ID string }
		UserErrors  []userError
	}
	post(t, srv, entToken, `mutation($e: ID!, $p: ID!) { applyForFinancing(input: {enterpriseId: $e, productId: $p, requestedAmount: "800000", purpose: "扩建中试线"}) {
		application { id } userErrors { field code message } } }`, map[string]any{"e": ent, "p": loan}).decode(t, "applyForFinancing", &applied)
	if applied.Application == nil {
		t.Fatalf("applyForFinancing: %+v", applied.UserErrors)
	}
	app := applied.Application.ID
	for _, m := range []string{
		`mutation($id: ID!) { decideApplication(input: {id: $id, approve: true, annualRatePercent: 3.45}) { application { status } userErrors { code message } } }`,
		`mutation($id: ID!) { recordDisbursement(input: {id: $id, amount: "800000", on: "2026-06-15"}) { application { status } userErrors { code message } } }`,
	} {
		var p struct {
			Application *struct{ Status string }
			UserErrors  []userError
		}
		r := post(t, srv, testToken, m, map[string]any{"id": app})
		for k := range r.Data {
			r.decode(t, k, &p)
		}
		if p.Application == nil {
			t.Fatalf("%s: %+v", m, p.UserErrors)
		}
	}
	post(t, srv, expertToken, readDiag, map[string]any{"d": snap.ID}).decode(t, "node", &back)
	if len(back.FollowUps) != 1 || back.FollowUps[0].ID != app || back.FollowUps[0].Status != "DISBURSED" || back.Raised != "800000.00" {
		t.Fatalf("follow-ups: %+v, raised %s", back.FollowUps, back.Raised)
	}
	var cl struct {
		Clinics struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					ID                   string
					DiagnosedEnterprises int
					Outcome              string
				}
			}
		}
	}
	r := post(t, srv, "", `{ clinics(filter: {city: ZHENGZHOU}) { totalCount edges { node { id diagnosedEnterprises outcome } } } }`, nil)
	if len(r.Errors) > 0 {
		t.Fatalf("clinics: %+v", r.Errors)
	}
	r.decode(t, "clinics", &cl.Clinics)
	if cl.Clinics.TotalCount != 1 || cl.Clinics.Edges[0].Node.Outcome != "800000.00" || cl.Clinics.Edges[0].Node.DiagnosedEnterprises != 1 {
		t.Fatalf("clinics: %+v", cl.Clinics)
	}
}
