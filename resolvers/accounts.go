package resolvers

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/yurong/yurong/auth"
	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/graph/model"
	"github.com/yurong/yurong/graph/relay"
	"github.com/yurong/yurong/store"
)

// actsFor returns nil when the caller is an administrator, or holds role
// and acts for the organisation.
func actsFor(ctx context.Context, role auth.Role, kind string, id int64) error {
	p := auth.From(ctx)
	switch {
	case p.Role == auth.Administrator:
		return nil
	case p.Role == auth.Anonymous:
		return auth.ErrUnauthenticated
	case p.Role == role && p.ActsFor(kind, id):
		return nil
	}
	return auth.ErrForbidden
}

// chainLeaderName is the name a chain leader publishes demands under: its
// enterprise's, or the account's when it has none.
func (r *Resolver) chainLeaderName(p auth.Principal) string {
	if p.OrgKind == store.OrgEnterprise {
		if e := r.Market.Enterprise(p.OrgID); e != nil {
			return e.Name
		}
	}
	return p.Name
}

// orgRoles are the organisation kinds each role acts for; a role absent
// here acts for none, CHAIN_LEADER optionally for one.
var orgRoles = map[model.Role]string{
	model.RoleInstitution: store.OrgInstitution,
	model.RoleIncubator:   store.OrgIncubator,
	model.RoleEnterprise:  store.OrgEnterprise,
	model.RoleChainLeader: store.OrgEnterprise,
}

const maxAccountName = 100

func (r *Resolver) accountFromInput(in model.CreateAccountInput) (*store.Account, catalog.Problems) {
	var p catalog.Problems
	a := &store.Account{Name: strings.TrimSpace(in.Name), Role: string(in.Role)}
	switch n := utf8.RuneCountInString(a.Name); {
	case n == 0:
		p.Add(catalog.CodeRequired, "名称不能为空", "name")
	case n > maxAccountName:
		p.Add(catalog.CodeTooLong, fmt.Sprintf("名称最多 %d 个字", maxAccountName), "name")
	}
	kind, acts := orgRoles[in.Role]
	switch {
	case in.OrganizationID == nil:
		if acts && in.Role != model.RoleChainLeader {
			p.Add(catalog.CodeRequired, fmt.Sprintf("%s 账号须指定所代表的机构（%s）", in.Role, kind), "organizationId")
		}
	case !acts:
		p.Add(catalog.CodeInvalid, fmt.Sprintf("%s 账号不代表任何机构，不能指定 organizationId", in.Role), "organizationId")
	default:
		typ, key, err := relay.ParseID(*in.OrganizationID)
		id, perr := strconv.ParseInt(key, 10, 64)
		if err != nil || perr != nil || typ != kind {
			p.Add(catalog.CodeInvalid, fmt.Sprintf("%s 账号须代表一个 %s", in.Role, kind), "organizationId")
			break
		}
		a.OrgKind, a.OrgID = kind, id
	}
	return a, p
}

func (r *Resolver) consentFromInput(in model.GrantConsentInput) (*store.Consent, catalog.Problems) {
	var p catalog.Problems
	entID, err := relay.ParseIntID("Enterprise", in.EnterpriseID)
	if err != nil || r.Market.Enterprise(entID) == nil {
		return nil, invalidID("enterpriseId")
	}
	c := &store.Consent{EnterpriseID: entID, ExpiresOn: in.ExpiresOn}
	if in.InstitutionID != nil {
		id, err := relay.ParseIntID("Institution", *in.InstitutionID)
		if err != nil || r.Market.Institution(id) == nil {
			p = append(p, invalidID("institutionId")...)
		}
		c.InstitutionID = id
	}
	today := r.Now()
	if in.ExpiresOn.Format(time.DateOnly) < today.Format(time.DateOnly) {
		p.Add(catalog.CodeOutOfRange, "授权到期日不能早于今天", "expiresOn")
	}
	return c, p
}

func (r *Resolver) organization(kind string, id int64) relay.Node {
	switch kind {
	case store.OrgInstitution:
		if v := r.Market.Institution(id); v != nil {
			return v
		}
	case store.OrgIncubator:
		if v := r.Market.Incubator(id); v != nil {
			return v
		}
	case store.OrgEnterprise:
		if v := r.Market.Enterprise(id); v != nil {
			return v
		}
	}
	return nil
}

// account reads one account, from the response's loader when the page
// that names it loaded it already.
func (r *Resolver) account(ctx context.Context, id int64) (*store.Account, error) {
	if l := loaderFrom(ctx); l != nil {
		if a, ok := l.account(id); ok {
			return a, nil
		}
	}
	as, err := r.Store.Accounts(ctx, []int64{id})
	if err != nil || len(as) == 0 {
		return nil, err
	}
	return as[0], nil
}

// subject resolves an audit entry's subject; a subject of a type the
// viewer cannot address as a node (a consent of another enterprise) is
// still named, since only administrators read the log.
func (r *Resolver) subject(ctx context.Context, typ string, id int64) (relay.Node, error) {
	switch typ {
	case "":
		return nil, nil
	case "Account":
		return r.account(ctx, id)
	case "Consent":
		c, err := r.Store.Consent(ctx, id)
		if err != nil {
			return nil, nil
		}
		return c, nil
	case "Application":
		// Named, not read: naming it is no read of the applicant's data.
		a, err := r.Store.Application(ctx, id)
		if err != nil {
			return nil, nil
		}
		return a, nil
	}
	if n, err := r.node(ctx, relay.IntID(typ, id)); err == nil {
		return n, nil
	}
	return nil, nil
}

// auditEntries pages the audit log, newest first, loading the accounts the
// page names in one query.
func (r *Resolver) auditEntries(ctx context.Context, f store.AuditFilter, first *int, after *string) (*model.AuditEntryConnection, error) {
	n, before, err := page(first, after)
	if err != nil {
		return nil, err
	}
	es, total, err := r.Store.AuditLog(ctx, f, before, n+1)
	if err != nil {
		return nil, err
	}
	hasNext := len(es) > n
	es = es[:min(len(es), n)]
	c := &model.AuditEntryConnection{TotalCount: total, Edges: make([]*model.AuditEntryEdge, len(es))}
	var ids []int64
	for i, e := range es {
		c.Edges[i] = &model.AuditEntryEdge{Cursor: relay.Cursor(e.ID), Node: e}
		if e.AccountID != 0 {
			ids = append(ids, e.AccountID)
		}
	}
	if l := loaderFrom(ctx); l != nil && len(ids) > 0 {
		as, err := r.Store.Accounts(ctx, ids)
		if err != nil {
			return nil, err
		}
		l.addAccounts(as)
	}
	var start, end int64
	if len(es) > 0 {
		start, end = es[0].ID, es[len(es)-1].ID
	}
	c.PageInfo = pageInfo(hasNext, before > 0, start, end, len(es) == 0)
	return c, nil
}

func auditFilter(in *model.AuditFilter) (store.AuditFilter, error) {
	var f store.AuditFilter
	if in == nil {
		return f, nil
	}
	if in.AccountID != nil {
		id, err := relay.ParseIntID("Account", *in.AccountID)
		if err != nil {
			return f, err
		}
		f.AccountID = id
	}
	if in.SubjectID != nil {
		typ, key, err := relay.ParseID(*in.SubjectID)
		id, perr := strconv.ParseInt(key, 10, 64)
		if err != nil || perr != nil {
			return f, fmt.Errorf("%w: subjectId %q", relay.ErrInvalidID, *in.SubjectID)
		}
		f.SubjectType, f.SubjectID = typ, id
	}
	f.Actions = in.Actions
	if in.Since != nil {
		f.Since = *in.Since
	}
	if in.Until != nil {
		f.Until = *in.Until
	}
	return f, nil
}

// loader holds what one response has read in bulk, so the objects of a
// page resolve their references without a query each.
type loader struct {
	mu       sync.Mutex
	accounts map[int64]*store.Account
}

type loaderKey struct{}

func withLoader(ctx context.Context) context.Context {
	return context.WithValue(ctx, loaderKey{}, &loader{accounts: map[int64]*store.Account{}})
}

func loaderFrom(ctx context.Context) *loader {
	l, _ := ctx.Value(loaderKey{}).(*loader)
	return l
}

func (l *loader) account(id int64) (*store.Account, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	a, ok := l.accounts[id]
	return a, ok
}

func (l *loader) addAccounts(as []*store.Account) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, a := range as {
		l.accounts[a.ID] = a
	}
}
