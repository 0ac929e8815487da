package store

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/clinics"
	"github.com/yurong/yurong/financing"
)

func TestClinicsAndDiagnoses(t *testing.T) {
	forEachBackend(t, func(t *testing.T, loc location) {
		ctx := context.Background()
		s := open(t, loc)
		f := newFinFixture(t, s, 2)
		expert := &Account{Name: "专家甲", Role: "EXPERT"}
		bank := &Account{Name: "银行乙", Role: "INSTITUTION"}
		for i, a := range []*Account{expert, bank} {
			if err := s.CreateAccount(ctx, a, string(rune('a'+i))+"hash"); err != nil {
				t.Fatal(err)
			}
		}
		if ok, err := s.IsExpert(ctx, expert.ID); !ok || err != nil {
			t.Fatalf("IsExpert(expert) = %v, %v", ok, err)
		}
		if ok, _ := s.IsExpert(ctx, bank.ID); ok {
			t.Fatal("an INSTITUTION account is an expert")
		}
		// Specialities are replaced, not added to.
		for _, sp := range [][]clinics.Speciality{{clinics.Finance, clinics.Policy}, {clinics.ListingCoaching}} {
			if err := s.SetSpecialities(ctx, expert.ID, sp); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.Specialities(ctx, []int64{expert.ID, bank.ID})
		if err != nil || !reflect.DeepEqual(got, map[int64][]clinics.Speciality{expert.ID: {clinics.ListingCoaching}}) {
			t.Fatalf("Specialities: %v, %v", got, err)
		}

		c := &clinics.Clinic{Name: "郑州高新区一企一策诊疗会", City: catalog.Zhengzhou, Zone: "郑州高新区", HeldOn: date(2026, 6, 15),
			ExpertIDs: []int64{expert.ID}, CreatedBy: expert.ID, CreatedAt: at(2026, 6, 1, 9, 0)}
		if err := s.CreateClinic(ctx, c); err != nil || c.ID == 0 {
			t.Fatalf("CreateClinic: %v", err)
		}
		back, err := s.Clinic(ctx, c.ID)
		if err != nil || !reflect.DeepEqual(back, c) {
			t.Fatalf("Clinic:\n got %+v\nwant %+v (%v)", back, c, err)
		}
		if _, err := s.Clinic(ctx, 999); !errors.Is(err, clinics.ErrNotFound) {
			t.Fatalf("unknown clinic: %v", err)
		}
		cs, total, next, err := s.Clinics(ctx, ClinicQuery{City: catalog.Luoyang, Limit: 10})
		if err != nil || total != 0 || next || len(cs) != 0 {
			t.Fatalf("Clinics of another city: %d %d %v %v", len(cs), total, next, err)
		}
		if cs, total, _, _ = s.Clinics(ctx, ClinicQuery{City: catalog.Zhengzhou, Limit: 10}); total != 1 || len(cs) != 1 {
			t.Fatalf("Clinics: %d %d", len(cs), total)
		}

		d := &clinics.Diagnosis{ClinicID: c.ID, EnterpriseID: f.ents[0].ID, Notes: "现金流偏紧", Plan: `{"Summary":"方案"}`,
			GrowthPlan: []string{"申报高新技术企业", "对接科技贷"}, RecordedBy: expert.ID, CreatedAt: at(2026, 6, 15, 10, 0)}
		if err := s.CreateDiagnosis(ctx, d); err != nil || d.ID == 0 {
			t.Fatalf("CreateDiagnosis: %v", err)
		}
		again := *d
		if err := s.CreateDiagnosis(ctx, &again); !errors.Is(err, clinics.ErrDuplicate) {
			t.Fatalf("second diagnosis at the clinic: %v", err)
		}
		dd, err := s.Diagnosis(ctx, d.ID)
		if err != nil || !reflect.DeepEqual(dd, d) {
			t.Fatalf("Diagnosis:\n got %+v\nwant %+v (%v)", dd, d, err)
		}
		if ds, _ := s.Diagnoses(ctx, c.ID, 0); len(ds) != 1 {
			t.Fatalf("Diagnoses of the clinic: %d", len(ds))
		}
		if ds, _ := s.Diagnoses(ctx, 0, f.ents[1].ID); len(ds) != 0 {
			t.Fatalf("Diagnoses of another enterprise: %d", len(ds))
		}
		served, err := s.DiagnosedEnterprises(ctx)
		if err != nil || !reflect.DeepEqual(served, map[int64]bool{f.ents[0].ID: true}) {
			t.Fatalf("DiagnosedEnterprises: %v, %v", served, err)
		}
		// The enterprise's applications, read for its follow-ups.
		a := &financing.Application{EnterpriseID: f.ents[0].ID, ProductID: f.loan.ID, InstitutionID: f.bank1.ID,
			Status: financing.Submitted, RequestedAmount: 300_000_00, Purpose: "购置设备", CreatedAt: at(2026, 6, 20, 9, 0)}
		if err := s.CreateApplication(ctx, a); err != nil {
			t.Fatal(err)
		}
		apps, err := s.EnterpriseApplications(ctx, f.ents[0].ID)
		if err != nil || len(apps) != 1 || apps[0].ID != a.ID {
			t.Fatalf("EnterpriseApplications: %d, %v", len(apps), err)
		}
		if got := clinics.Linked(d, []*clinics.Diagnosis{d}, apps); len(got) != 1 {
			t.Fatalf("the application after the diagnosis is not linked: %d", len(got))
		}
	})
}
