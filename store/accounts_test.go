package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/yurong/yurong/catalog"
)

func TestAccounts(t *testing.T) {
	forEachBackend(t, func(t *testing.T, loc location) {
		ctx := context.Background()
		s := open(t, loc)
		boot, err := s.BootstrapAdministrator(ctx)
		if err != nil || boot.Role != "ADMINISTRATOR" {
			t.Fatalf("BootstrapAdministrator() = %+v, %v", boot, err)
		}
		ent := minimalEnterprise(1)
		if err := s.CreateEnterprise(ctx, ent); err != nil {
			t.Fatal(err)
		}

		t.Run("an account is found by its token's hash, not by another", func(t *testing.T) {
			a := &Account{Name: "企业账号", Role: "ENTERPRISE", OrgKind: OrgEnterprise, OrgID: ent.ID}
			if err := s.CreateAccount(ctx, a, "hash-1"); err != nil {
				t.Fatal(err)
			}
			got, err := s.AccountByTokenHash(ctx, "hash-1")
			if err != nil || got.ID != a.ID || got.OrgID != ent.ID || got.OrgKind != OrgEnterprise || got.RevokedAt != nil {
				t.Fatalf("AccountByTokenHash = %+v, %v; want %+v", got, err, a)
			}
			if _, err := s.AccountByTokenHash(ctx, "hash-2"); !errors.Is(err, ErrNotFound) {
				t.Fatalf("unknown hash: err = %v, want ErrNotFound", err)
			}
		})

		t.Run("an account for a missing organisation is refused", func(t *testing.T) {
			before, _, _ := s.ListAccounts(ctx, "", 0, 100)
			err := s.CreateAccount(ctx, &Account{Name: "x", Role: "INSTITUTION", OrgKind: OrgInstitution, OrgID: 999}, "hash-x")
			if !errors.Is(err, ErrNotFound) {
				t.Fatalf("err = %v, want ErrNotFound", err)
			}
			after, _, _ := s.ListAccounts(ctx, "", 0, 100)
			if len(after) != len(before) {
				t.Fatalf("a refused account was stored: %d accounts, want %d", len(after), len(before))
			}
		})

		t.Run("a revoked account keeps its first revocation time", func(t *testing.T) {
			a := &Account{Name: "专家", Role: "EXPERT"}
			if err := s.CreateAccount(ctx, a, "hash-expert"); err != nil {
				t.Fatal(err)
			}
			first, err := s.RevokeAccount(ctx, a.ID)
			if err != nil || first.RevokedAt == nil {
				t.Fatalf("RevokeAccount = %+v, %v", first, err)
			}
			again, err := s.RevokeAccount(ctx, a.ID)
			if err != nil || !again.RevokedAt.Equal(*first.RevokedAt) {
				t.Fatalf("second RevokeAccount = %+v, %v; want revokedAt %v", again, err, first.RevokedAt)
			}
			if _, err := s.RevokeAccount(ctx, 12345); !errors.Is(err, ErrNotFound) {
				t.Fatalf("unknown account: err = %v", err)
			}
		})

		t.Run("accounts page by id and filter by role", func(t *testing.T) {
			page, total, err := s.ListAccounts(ctx, "", 0, 2)
			if err != nil || len(page) != 2 || total != 3 || page[0].ID != boot.ID {
				t.Fatalf("ListAccounts(first 2) = %d accounts of %d, %v", len(page), total, err)
			}
			rest, _, _ := s.ListAccounts(ctx, "", page[1].ID, 2)
			if len(rest) != 1 {
				t.Fatalf("second page has %d accounts, want 1", len(rest))
			}
			experts, total, _ := s.ListAccounts(ctx, "EXPERT", 0, 10)
			if len(experts) != 1 || total != 1 || experts[0].Role != "EXPERT" {
				t.Fatalf("experts = %d of %d", len(experts), total)
			}
		})
	})
}

func TestConsents(t *testing.T) {
	forEachBackend(t, func(t *testing.T, loc location) {
		ctx := context.Background()
		s := open(t, loc)
		bank := &catalog.Institution{Name: "中原银行", Kind: catalog.Bank, City: catalog.Zhengzhou}
		other := &catalog.Institution{Name: "郑州银行", Kind: catalog.Bank, City: catalog.Zhengzhou}
		for _, in := range []*catalog.Institution{bank, other} {
			if err := s.CreateInstitution(ctx, in); err != nil {
				t.Fatal(err)
			}
		}
		var ents []*catalog.Enterprise
		for n := range 4 {
			e := minimalEnterprise(n + 1)
			if err := s.CreateEnterprise(ctx, e); err != nil {
				t.Fatal(err)
			}
			ents = append(ents, e)
		}
		today := date(2026, 12, 7)
		grants := []*Consent{
			{EnterpriseID: ents[0].ID, InstitutionID: bank.ID, ExpiresOn: today},             // live today, the last day
			{EnterpriseID: ents[1].ID, ExpiresOn: date(2027, 1, 1)},                          // every institution
			{EnterpriseID: ents[2].ID, InstitutionID: bank.ID, ExpiresOn: date(2026, 12, 6)}, // expired yesterday
			{EnterpriseID: ents[3].ID, InstitutionID: other.ID, ExpiresOn: date(2027, 1, 1)}, // another bank
		}
		for _, c := range grants {
			if err := s.GrantConsent(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.GrantConsent(ctx, &Consent{EnterpriseID: ents[0].ID, InstitutionID: 999, ExpiresOn: today}); !errors.Is(err, ErrNotFound) {
			t.Fatalf("consent to a missing institution: err = %v", err)
		}

		ids, err := s.ConsentedEnterprises(ctx, bank.ID, today)
		mustEqual(t, "bank's consents today", sortedIDs(ids, err, t), []int64{ents[0].ID, ents[1].ID})
		ids, err = s.ConsentedEnterprises(ctx, bank.ID, today.AddDate(0, 0, 1))
		mustEqual(t, "bank's consents tomorrow", sortedIDs(ids, err, t), []int64{ents[1].ID})

		revoked, err := s.RevokeConsent(ctx, grants[1].ID)
		if err != nil || revoked.RevokedAt == nil || revoked.Live(today) {
			t.Fatalf("RevokeConsent = %+v, %v", revoked, err)
		}
		ids, err = s.ConsentedEnterprises(ctx, bank.ID, today)
		mustEqual(t, "bank's consents after a revocation", sortedIDs(ids, err, t), []int64{ents[0].ID})

		mine, err := s.ConsentsOf(ctx, ents[0].ID)
		if err != nil || len(mine) != 1 || mine[0].InstitutionID != bank.ID || !mine[0].ExpiresOn.Equal(today) {
			t.Fatalf("ConsentsOf = %+v, %v", mine, err)
		}
	})
}

func sortedIDs(ids []int64, err error, t *testing.T) []int64 {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	for i := range ids {
		for j := i + 1; j < len(ids); j++ {
			if ids[j] < ids[i] {
				ids[i], ids[j] = ids[j], ids[i]
			}
		}
	}
	return ids
}

func TestAuditLog(t *testing.T) {
	forEachBackend(t, func(t *testing.T, loc location) {
		ctx := context.Background()
		s := open(t, loc)
		admin, _ := s.BootstrapAdministrator(ctx)

		t.Run("a write under an actor is audited once, naming what it wrote", func(t *testing.T) {
			e := fullEnterprise(1) // reports, subsidies, entries: many rows, one action
			if err := s.CreateEnterprise(WithActor(ctx, Actor{AccountID: admin.ID, Action: "createEnterprise"}), e); err != nil {
				t.Fatal(err)
			}
			got, total, err := s.AuditLog(ctx, AuditFilter{}, 0, 10)
			if err != nil || total != 1 || len(got) != 1 {
				t.Fatalf("AuditLog = %d of %d, %v; want the one entry", len(got), total, err)
			}
			if g := got[0]; g.AccountID != admin.ID || g.Action != "createEnterprise" || g.SubjectType != "Enterprise" || g.SubjectID != e.ID {
				t.Fatalf("entry = %+v", g)
			}
		})

		t.Run("a failed write leaves no entry", func(t *testing.T) {
			dup := fullEnterprise(1) // the same credit code
			if err := s.CreateEnterprise(WithActor(ctx, Actor{AccountID: admin.ID, Action: "createEnterprise"}), dup); err == nil {
				t.Fatal("a duplicate credit code was stored")
			}
			if _, total, _ := s.AuditLog(ctx, AuditFilter{}, 0, 10); total != 1 {
				t.Fatalf("%d entries after a failed write, want 1", total)
			}
		})

		t.Run("reads append in bulk and filter by subject, action and account", func(t *testing.T) {
			at := time.Date(2026, 1, 2, 1, 0, 0, 0, time.UTC) // before any write of the test
			var entries []AuditEntry
			for i := range 1200 { // more than one statement's chunk
				entries = append(entries, AuditEntry{At: at, AccountID: int64(100 + i%3), Action: "read Enterprise.reports", SubjectType: "Enterprise", SubjectID: int64(i % 2)})
			}
			if err := s.AppendAudit(ctx, entries); err != nil {
				t.Fatal(err)
			}
			_, total, _ := s.AuditLog(ctx, AuditFilter{SubjectType: "Enterprise", SubjectID: 1, ActionPrefix: "read ", NotAccountID: 101}, 0, 1)
			if total != 400 {
				t.Fatalf("reads of enterprise 1 by others than 101: %d, want 400", total)
			}
			page, _, _ := s.AuditLog(ctx, AuditFilter{AccountID: 100}, 0, 3)
			next, _, _ := s.AuditLog(ctx, AuditFilter{AccountID: 100}, page[2].ID, 3)
			if len(page) != 3 || len(next) != 3 || !(page[0].ID > page[2].ID && page[2].ID > next[0].ID) {
				t.Fatalf("pages are not newest first and disjoint: %v then %v", page, next)
			}
			if _, total, _ := s.AuditLog(ctx, AuditFilter{Since: at.Add(time.Hour)}, 0, 1); total != 1 {
				t.Fatalf("entries after the reads: %d, want the createEnterprise", total)
			}
			if _, total, _ := s.AuditLog(ctx, AuditFilter{Actions: []string{"createEnterprise", "revokeAccount"}, Until: at.Add(time.Hour)}, 0, 1); total != 0 {
				t.Fatalf("createEnterprise before the reads: %d, want 0", total)
			}
			if _, total, _ := s.AuditLog(ctx, AuditFilter{ActionPrefix: "read_"}, 0, 1); total != 0 {
				t.Fatalf("a prefix's _ matched any character: %d entries", total)
			}
		})
	})
}
