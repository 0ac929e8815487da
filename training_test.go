package main

import (
	"testing"
)

// TestTrainingWaitingList runs a session of one seat through HTTP: a
// second registrant waits, takes the seat when the first cancels, attends,
// and is counted in the year's reach of the audience and city.
func TestTrainingWaitingList(t *testing.T) {
	srv, _ := testServer(t, 0)
	var created struct {
		Session *struct {
			ID       string
			Capacity int
		}
		UserErrors []userError
	}
	create := `mutation($c: Int!) { createTrainingSession(input: {title: "企业融资规划专题培训", audience: ENTERPRISE_LEADERS,
		topic: FINANCING_PLANNING, city: ZHENGZHOU, date: "2026-06-20", capacity: $c}) { session { id capacity } userErrors { field code message } } }`
	post(t, srv, testToken, create, map[string]any{"c": 0}).decode(t, "createTrainingSession", &created)
	if created.Session != nil || len(created.UserErrors) != 1 || created.UserErrors[0].Code != "OUT_OF_RANGE" {
		t.Fatalf("a session without seats: %+v", created)
	}
	post(t, srv, testToken, create, map[string]any{"c": 1}).decode(t, "createTrainingSession", &created)
	if created.Session == nil {
		t.Fatalf("createTrainingSession: %+v", created.UserErrors)
	}
	session := created.Session.ID
	firstID, first := accountToken(t, srv, "学员甲", "EXPERT", "")
	secondID, second := accountToken(t, srv, "学员乙", "EXPERT", "")
	if r := post(t, srv, first, create, map[string]any{"c": 5}); r.code() != "FORBIDDEN" {
		t.Fatalf("a non-administrator created a session: %+v", r.Errors)
	}

	register := `mutation($s: ID!) { registerForTraining(input: {sessionId: $s}) { registration { name status } userErrors { code } } }`
	cancel := `mutation($s: ID!) { cancelTrainingRegistration(input: {sessionId: $s}) { registration { status } userErrors { code } } }`
	type regPayload struct {
		Registration *struct{ Name, Status string }
		UserErrors   []userError
	}
	call := func(token, m, field string) regPayload {
		t.Helper()
		var p regPayload
		post(t, srv, token, m, map[string]any{"s": session}).decode(t, field, &p)
		return p
	}
	if r := post(t, srv, "", register, map[string]any{"s": session}); r.code() != "UNAUTHENTICATED" {
		t.Fatalf("an anonymous registration: %+v", r.Errors)
	}
	if p := call(first, register, "registerForTraining"); p.Registration == nil || p.Registration.Status != "REGISTERED" || p.Registration.Name != "学员甲" {
		t.Fatalf("first: %+v", p)
	}
	if p := call(second, register, "registerForTraining"); p.Registration == nil || p.Registration.Status != "WAITLISTED" {
		t.Fatalf("second: %+v", p)
	}
	if p := call(second, register, "registerForTraining"); p.Registration != nil || p.UserErrors[0].Code != "DUPLICATE" {
		t.Fatalf("registered twice: %+v", p)
	}
	if p := call(first, cancel, "cancelTrainingRegistration"); p.Registration == nil || p.Registration.Status != "CANCELLED" {
		t.Fatalf("cancel: %+v", p)
	}
	registrations := `query($s: ID!) { node(id: $s) { ... on TrainingSession { taken registrations { name status } } } }`
	if r := post(t, srv, second, registrations, map[string]any{"s": session}); r.code() != "FORBIDDEN" {
		t.Fatalf("a registrant read the registrations: %+v", r.Errors)
	}
	var regs struct {
		Taken         int
		Registrations []struct{ Name, Status string }
	}
	post(t, srv, testToken, registrations, map[string]any{"s": session}).decode(t, "node", &regs)
	if regs.Taken != 1 || len(regs.Registrations) != 2 || regs.Registrations[0].Status != "CANCELLED" || regs.Registrations[1].Status != "REGISTERED" {
		t.Fatalf("after the cancellation: %+v", regs)
	}

	var att struct {
		Marked     int
		UserErrors []userError
	}
	post(t, srv, testToken, `mutation($s: ID!, $a: [ID!]!) { recordTrainingAttendance(input: {sessionId: $s, accountIds: $a}) { marked userErrors { code } } }`,
		map[string]any{"s": session, "a": []string{firstID, secondID}}).decode(t, "recordTrainingAttendance", &att)
	if att.Marked != 1 {
		t.Fatalf("attendance: %+v", att)
	}
	// A third waits; the session grows by a seat and seats it.
	_, third := accountToken(t, srv, "学员丙", "EXPERT", "")
	if p := call(third, register, "registerForTraining"); p.Registration == nil || p.Registration.Status != "WAITLISTED" {
		t.Fatalf("third: %+v", p)
	}
	var grown struct {
		Session *struct{ Capacity, Taken int }
	}
	post(t, srv, testToken, `mutation($s: ID!) { setTrainingCapacity(input: {sessionId: $s, capacity: 2}) { session { capacity taken } userErrors { code } } }`,
		map[string]any{"s": session}).decode(t, "setTrainingCapacity", &grown)
	if grown.Session == nil || grown.Session.Taken != 2 {
		t.Fatalf("setTrainingCapacity: %+v", grown)
	}
	var reach []struct {
		Audience, City   string
		Sessions, People int
	}
	post(t, srv, "", `{ trainingReach(year: 2026) { audience city sessions people } }`, nil).decode(t, "trainingReach", &reach)
	if len(reach) != 1 || reach[0].Audience != "ENTERPRISE_LEADERS" || reach[0].City != "ZHENGZHOU" || reach[0].Sessions != 1 || reach[0].People != 1 {
		t.Fatalf("trainingReach: %+v", reach)
	}
	var list struct{ TotalCount int }
	post(t, srv, "", `{ trainingSessions(filter: {audience: ENTERPRISE_LEADERS, city: ZHENGZHOU}) { totalCount } }`, nil).decode(t, "trainingSessions", &list)
	if list.TotalCount != 1 {
		t.Fatalf("trainingSessions: %+v", list)
	}
}
