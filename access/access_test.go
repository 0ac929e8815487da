package access

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/yurong/yurong/auth"
	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/store"
)

func TestWhoReadsAnEnterprisesPrivateData(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, "", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	bank := &catalog.Institution{Name: "中原银行", Kind: catalog.Bank, City: catalog.Zhengzhou}
	fund := &catalog.Institution{Name: "河南创投", Kind: catalog.VentureCapital, City: catalog.Zhengzhou}
	for _, in := range []*catalog.Institution{bank, fund} {
		if err := st.CreateInstitution(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	ent := &catalog.Enterprise{Name: "郑州甲科技有限公司", CreditCode: "91410100MA44CCCC1" + check(t, "91410100MA44CCCC1"),
		City: catalog.Zhengzhou, FoundedOn: time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), Employees: 10, Track: catalog.NewMaterials,
		Description: "超硬材料", CreditStatus: catalog.CreditGood}
	if err := st.CreateEnterprise(ctx, ent); err != nil {
		t.Fatal(err)
	}
	today := time.Date(2026, 6, 15, 9, 0, 0, 0, time.UTC)
	if err := st.GrantConsent(ctx, &store.Consent{EnterpriseID: ent.ID, InstitutionID: bank.ID, ExpiresOn: today}); err != nil {
		t.Fatal(err)
	}
	of := func(role auth.Role, kind string, id int64) auth.Principal {
		return auth.Principal{Role: role, AccountID: 9, OrgKind: kind, OrgID: id}
	}
	tests := []struct {
		name   string
		viewer auth.Principal
		day    time.Time
		reads  bool
		record bool
	}{
		{"an anonymous caller does not", auth.Principal{Role: auth.Anonymous}, today, false, false},
		{"an administrator does", of(auth.Administrator, "", 0), today, true, true},
		{"an expert does", of(auth.ExpertRole, "", 0), today, true, true},
		{"the enterprise itself does, unrecorded", of(auth.EnterpriseRole, store.OrgEnterprise, ent.ID), today, true, false},
		{"its chain-leader account does, unrecorded", of(auth.ChainLeaderRole, store.OrgEnterprise, ent.ID), today, true, false},
		{"another enterprise does not", of(auth.EnterpriseRole, store.OrgEnterprise, ent.ID+1), today, false, false},
		{"the consented bank does on the consent's last day", of(auth.InstitutionRole, store.OrgInstitution, bank.ID), today, true, true},
		{"the consented bank does not the day after", of(auth.InstitutionRole, store.OrgInstitution, bank.ID), today.AddDate(0, 0, 1), false, false},
		{"another institution does not", of(auth.InstitutionRole, store.OrgInstitution, fund.ID), today, false, false},
		{"an incubator does not", of(auth.IncubatorRole, store.OrgIncubator, 1), today, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewRequest(tt.viewer, st, tt.day)
			err := r.Read(ctx, ent.ID, "Enterprise.reports")
			if tt.reads != (err == nil) || (!tt.reads && !errors.Is(err, ErrForbidden)) {
				t.Fatalf("Read = %v, want reads %v", err, tt.reads)
			}
			r.Read(ctx, ent.ID, "Enterprise.reports") // the same read twice is one entry
			reads := r.Reads(today)
			if tt.record != (len(reads) == 1) || len(reads) > 1 {
				t.Fatalf("recorded %+v, want recorded %v", reads, tt.record)
			}
			if tt.record && (reads[0].Action != "read Enterprise.reports" || reads[0].SubjectID != ent.ID || reads[0].AccountID != 9) {
				t.Fatalf("entry %+v", reads[0])
			}
			if want := tt.viewer.Role != auth.Anonymous; r.Touched() != want {
				t.Fatalf("Touched = %v, want %v", r.Touched(), want)
			}
		})
	}

	t.Run("an institution's consents are read once per request", func(t *testing.T) {
		r := NewRequest(of(auth.InstitutionRole, store.OrgInstitution, bank.ID), st, today)
		before := st.Queries()
		for range 50 {
			r.CanRead(ctx, ent.ID)
		}
		if n := st.Queries() - before; n != 1 {
			t.Fatalf("%d queries for 50 checks, want 1", n)
		}
	})
}

func check(t *testing.T, prefix string) string {
	c, ok := catalog.CreditCodeCheckChar(prefix)
	if !ok {
		t.Fatalf("no check character for %s", prefix)
	}
	return string(c)
}
