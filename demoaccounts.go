package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/yurong/yurong/auth"
	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/store"
)

// demoAccount is an account the demo creates, with its token, which is
// shown once: the store keeps only its hash.
type demoAccount struct {
	role  auth.Role
	name  string
	token string
}

// createDemoAccounts gives the demo data one account of every role, each
// acting for a real organisation of it, and consents, so every role can be
// tried at once: the first enterprise consents to the first institution,
// and a few others to every institution.
func (a *app) createDemoAccounts(ctx context.Context, d *catalog.Dataset) ([]demoAccount, error) {
	if len(d.Enterprises) == 0 || len(d.Institutions) == 0 || len(d.Incubators) == 0 {
		return nil, nil
	}
	ent, inst, inc := showcase(d.Enterprises), d.Institutions[0], d.Incubators[0]
	leader := &store.Account{Name: "链主企业", Role: string(auth.ChainLeaderRole)}
	if len(d.Demands) > 0 {
		// The chain leader publishes under the name its demo demands carry.
		leader.Name = d.Demands[0].OwnerName
	}
	accounts := []*store.Account{
		{Name: inst.Name + "（客户经理）", Role: string(auth.InstitutionRole), OrgKind: store.OrgInstitution, OrgID: inst.ID},
		{Name: d.Institutions[len(d.Institutions)-1].Name + "（客户经理）", Role: string(auth.InstitutionRole),
			OrgKind: store.OrgInstitution, OrgID: d.Institutions[len(d.Institutions)-1].ID},
		{Name: inc.Name + "（运营）", Role: string(auth.IncubatorRole), OrgKind: store.OrgIncubator, OrgID: inc.ID},
		{Name: ent.Name, Role: string(auth.EnterpriseRole), OrgKind: store.OrgEnterprise, OrgID: ent.ID},
		leader,
		{Name: "豫融服务团专家", Role: string(auth.ExpertRole)},
	}
	var out []demoAccount
	for _, acc := range accounts {
		token, hash, err := auth.NewToken()
		if err != nil {
			return nil, err
		}
		if err := a.store.CreateAccount(ctx, acc, hash); err != nil {
			return nil, fmt.Errorf("demo account %s: %w", acc.Name, err)
		}
		out = append(out, demoAccount{role: auth.Role(acc.Role), name: acc.Name, token: token})
	}
	expires := a.now().AddDate(1, 0, 0)
	consents := []*store.Consent{{EnterpriseID: ent.ID, InstitutionID: inst.ID, ExpiresOn: expires}}
	for _, e := range d.Enterprises[:min(4, len(d.Enterprises))] {
		if e != ent {
			consents = append(consents, &store.Consent{EnterpriseID: e.ID, ExpiresOn: expires})
		}
	}
	for _, c := range consents {
		if err := a.store.GrantConsent(ctx, c); err != nil {
			return nil, fmt.Errorf("demo consent: %w", err)
		}
	}
	return out, nil
}

// printDemoAccounts writes the demo's tokens as lines to paste into
// GraphiQL's Headers pane. adminToken is shown only when it was generated.
func printDemoAccounts(w io.Writer, accounts []demoAccount, adminToken string) {
	if len(accounts) == 0 {
		return
	}
	fmt.Fprintf(w, "\nDemo accounts (shown once; paste a line into GraphiQL's Headers pane):\n\n")
	if adminToken != "" {
		fmt.Fprintf(w, "  %-14s %-24s {\"Authorization\": \"Bearer %s\"}\n", auth.Administrator, "系统管理员", adminToken)
	} else {
		fmt.Fprintf(w, "  %-14s %-24s {\"Authorization\": \"Bearer $YURONG_ADMIN_TOKEN\"}\n", auth.Administrator, "系统管理员")
	}
	for _, acc := range accounts {
		fmt.Fprintf(w, "  %-14s %-24s {\"Authorization\": \"Bearer %s\"}\n", acc.role, acc.name, acc.token)
	}
	fmt.Fprintf(w, "\nThe enterprise consents to the first institution until %s; three more consent to every institution.\n\n",
		time.Now().AddDate(1, 0, 0).Format(time.DateOnly))
}

// showcase picks the enterprise whose account the demo hands out: the first
// with reports, subsidies and a financing need, so its private data and
// advice have something to show.
func showcase(es []*catalog.Enterprise) *catalog.Enterprise {
	for _, e := range es {
		if len(e.Reports) > 0 && len(e.Subsidies) > 0 && e.FinancingNeed != nil {
			return e
		}
	}
	return es[0]
}
