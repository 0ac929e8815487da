// Package access decides who may read an enterprise's private data — its
// annual reports, subsidies, financing need, consents and the figures
// derived from them — and records every such read by someone other than
// the enterprise for the audit log.
//
// The rule is the national credit-financing platform's (信易贷): an
// enterprise's financial data reaches a financial institution only with
// the enterprise's consent (授权) or through its own application.
// Administrators, the enterprise's own accounts and the experts of the
// service corps (who run the clinics) read it too; everyone else reads the
// public rendering.
//
// It owns the read rule and the audit of private reads. It imports only auth
// and store; it must not import marketplace, matching, search, resolvers or
// graph (the resolvers call it, not the other way round).
package access

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/yurong/yurong/auth"
	"github.com/yurong/yurong/store"
)

// ErrForbidden is returned for a private field the viewer may not read.
var ErrForbidden = auth.ErrForbidden

// Grants are what lets an institution read an enterprise's data.
type Grants interface {
	// ReadableEnterprises lists the enterprises the institution may read
	// on day today: through a live consent naming it or every
	// institution, or through their own application to one of its
	// products, not withdrawn and decided no more than a year before.
	ReadableEnterprises(ctx context.Context, institutionID int64, today time.Time) ([]int64, error)
}

// Request is one response's view of access: who is reading, what they may
// read (looked up once, when first needed), and what private data they
// read. It is safe for the concurrent field resolvers of one response.
type Request struct {
	viewer auth.Principal
	grants Grants
	today  time.Time

	once     sync.Once
	readable map[int64]bool
	err      error

	// touched is set once the response depended on a private-data decision
	// for a viewer whose access can change (anyone but anonymous callers):
	// such a response must not be cached.
	touched atomic.Bool

	mu    sync.Mutex
	reads map[read]struct{}
}

type read struct {
	enterpriseID int64
	field        string
}

// NewRequest returns the access view of viewer on day today.
func NewRequest(viewer auth.Principal, grants Grants, today time.Time) *Request {
	return &Request{viewer: viewer, grants: grants, today: today}
}

type ctxKey struct{}

// With returns ctx carrying r.
func With(ctx context.Context, r *Request) context.Context {
	return context.WithValue(ctx, ctxKey{}, r)
}

// From returns the request in ctx; without one, an anonymous viewer's,
// which reads nothing private.
func From(ctx context.Context) *Request {
	if r, ok := ctx.Value(ctxKey{}).(*Request); ok {
		return r
	}
	return &Request{viewer: auth.Principal{Role: auth.Anonymous}}
}

// Viewer is the principal the request reads as.
func (r *Request) Viewer() auth.Principal { return r.viewer }

// Own reports whether the viewer is one of the enterprise's own accounts:
// an ENTERPRISE account, or a CHAIN_LEADER account, acting for it.
func (r *Request) Own(enterpriseID int64) bool {
	role := r.viewer.Role
	return (role == auth.EnterpriseRole || role == auth.ChainLeaderRole) && r.viewer.ActsFor(store.OrgEnterprise, enterpriseID)
}

// CanRead reports whether the viewer may read the enterprise's private
// data. An error means the grants could not be read; the caller refuses.
func (r *Request) CanRead(ctx context.Context, enterpriseID int64) (bool, error) {
	v := r.viewer
	if v.Role != auth.Anonymous {
		r.touched.Store(true)
	}
	switch v.Role {
	// SECURITY: administrators and the service corps's experts read every
	// enterprise; an enterprise's accounts read their own.
	case auth.Administrator, auth.ExpertRole:
		return true, nil
	case auth.EnterpriseRole, auth.ChainLeaderRole:
		return r.Own(enterpriseID), nil
	case auth.InstitutionRole:
		// SECURITY: an institution reads while a live consent names it or
		// every institution, or through the enterprise's own application
		// to one of its products, until a year after the decision.
		if v.OrgKind != store.OrgInstitution || v.OrgID == 0 || r.grants == nil {
			return false, nil
		}
		r.once.Do(func() {
			ids, err := r.grants.ReadableEnterprises(ctx, v.OrgID, r.today)
			r.readable, r.err = make(map[int64]bool, len(ids)), err
			for _, id := range ids {
				r.readable[id] = true
			}
		})
		if r.err != nil {
			return false, r.err
		}
		return r.readable[enterpriseID], nil
	}
	// SECURITY: anonymous callers and incubators read nothing private.
	return false, nil
}

// Read returns nil when the viewer may read the enterprise's private field
// (named "Type.field", e.g. "Enterprise.reports"), and records the read for
// the audit log unless the reader is the enterprise itself; otherwise
// ErrForbidden, or the error that kept the grants from being read.
func (r *Request) Read(ctx context.Context, enterpriseID int64, field string) error {
	ok, err := r.CanRead(ctx, enterpriseID)
	if err != nil {
		return err
	}
	if !ok {
		return ErrForbidden
	}
	r.Record(enterpriseID, field)
	return nil
}

// ReadOwn returns nil when the viewer may read what only the enterprise
// and administrators see — its consents and who read its data — and
// records the read unless the reader is the enterprise; otherwise
// ErrForbidden. The answer hangs on access, and on lists no write of the
// enterprise invalidates, so the response is marked not to be cached.
func (r *Request) ReadOwn(enterpriseID int64, field string) error {
	r.touched.Store(true)
	// SECURITY: consents and data accesses are the enterprise's and the
	// administrators' only, not the experts' nor any institution's.
	if r.viewer.Role != auth.Administrator && !r.Own(enterpriseID) {
		return ErrForbidden
	}
	r.Record(enterpriseID, field)
	return nil
}

// Figures reports whether texts about the enterprise may show its private
// figures to the viewer of ctx, recording the read when they do and differ
// from the public rendering (ADR 010).
func Figures(ctx context.Context, enterpriseID int64, differ bool, field string) (bool, error) {
	req := From(ctx)
	ok, err := req.CanRead(ctx, enterpriseID)
	if err != nil || !ok {
		return false, err
	}
	if differ {
		req.Record(enterpriseID, field)
	}
	return true, nil
}

// Record notes a read of a private field, once per enterprise and field;
// the enterprise's own reads are not recorded.
func (r *Request) Record(enterpriseID int64, field string) {
	if r.Own(enterpriseID) {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.reads == nil {
		r.reads = map[read]struct{}{}
	}
	r.reads[read{enterpriseID, field}] = struct{}{}
}

// Touch marks the response as depending on the viewer's access, so it is
// not cached: a field whose answer depends on who asks, outside CanRead.
func (r *Request) Touch() { r.touched.Store(true) }

// Touched reports whether the response depended on the viewer's access
// (see Request.touched).
func (r *Request) Touched() bool { return r.touched.Load() }

// Reads returns the audit entries of the private reads recorded so far,
// stamped at.
func (r *Request) Reads(at time.Time) []store.AuditEntry {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]store.AuditEntry, 0, len(r.reads))
	for k := range r.reads {
		out = append(out, store.AuditEntry{At: at, AccountID: r.viewer.AccountID, Action: "read " + k.field,
			SubjectType: "Enterprise", SubjectID: k.enterpriseID})
	}
	return out
}

// AuditLog is where reads are recorded.
type AuditLog interface {
	AppendAudit(ctx context.Context, entries []store.AuditEntry) error
}

// ErrAudit is returned when the reads of a response could not be recorded;
// the response is then withheld.
var ErrAudit = errors.New("access: could not record the private reads")
