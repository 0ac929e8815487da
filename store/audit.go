package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// AuditEntry is one recorded action: a mutation, or a read of an
// enterprise's private data by someone else. AccountID is 0 for anonymous
// callers; SubjectType ("Enterprise", "Account", …) and SubjectID name the
// object acted on ("" and 0 when none).
type AuditEntry struct {
	ID          int64
	At          time.Time
	AccountID   int64
	Action      string
	SubjectType string
	SubjectID   int64
}

// Actor is who performs the writes of a context, and as what action; a
// write made under WithActor appends one audit entry in its own
// transaction, naming the first object it wrote.
type Actor struct {
	AccountID int64
	Action    string
}

type actorKey struct{}

// WithActor returns ctx whose writes are audited as a's.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

func actorFrom(ctx context.Context) (Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(Actor)
	return a, ok
}

// audit appends the context's actor's entry about the subject, once per
// transaction: a write that touches several rows is still one action.
func audit(ctx context.Context, c conn, subjectType string, subjectID int64, t time.Time) error {
	a, ok := actorFrom(ctx)
	if !ok || c.audited == nil || *c.audited {
		return nil
	}
	*c.audited = true
	_, err := c.exec(ctx, "INSERT INTO audit_log (at, account_id, action, subject_type, subject_id) VALUES ($1, $2, $3, $4, $5)",
		timeArg(t), nullIfZero(a.AccountID), a.Action, nullIfEmpty(subjectType), nullIfZero(subjectID))
	if err != nil {
		return fmt.Errorf("write audit log: %w", err)
	}
	return nil
}

// entitySubjects names the API type of each change-log entity.
var entitySubjects = map[string]string{
	EntityEnterprise: "Enterprise", EntityInstitution: "Institution", EntityProduct: "FinancialProduct",
	EntityIncubator: "Incubator", EntityDemand: "SupplyChainDemand",
	EntityApplication: "Application", EntityCompetition: "Competition",
	EntityResidency: "IncubationRecord", EntityAgreement: "Agreement", EntityInterest: "FundInterest",
}

// AppendAudit appends entries in one statement, stamping those without a
// time with now. It serves reads and writes that change nothing in the
// store; a write's entry goes in the write's transaction (WithActor).
func (s *Store) AppendAudit(ctx context.Context, entries []AuditEntry) error {
	if len(entries) == 0 {
		return nil
	}
	t := now()
	err := s.write(ctx, func(c conn) error {
		const chunk = 500
		for len(entries) > 0 {
			n := min(len(entries), chunk)
			args := make([]any, 0, 5*n)
			for _, e := range entries[:n] {
				at := e.At
				if at.IsZero() {
					at = t
				}
				args = append(args, timeArg(at), nullIfZero(e.AccountID), e.Action, nullIfEmpty(e.SubjectType), nullIfZero(e.SubjectID))
			}
			if _, err := c.exec(ctx, insertSQL(c.backend, "audit_log", "at, account_id, action, subject_type, subject_id", n, ""), args...); err != nil {
				return err
			}
			entries = entries[n:]
		}
		return nil
	})
	return wrap("append audit log", err)
}

// AuditFilter narrows the audit log. Zero fields do not filter;
// ActionPrefix keeps actions starting with it ("read " for reads);
// NotAccountID drops one account's entries (an enterprise's own reads).
type AuditFilter struct {
	AccountID    int64
	SubjectType  string
	SubjectID    int64
	Actions      []string
	ActionPrefix string
	NotAccountID int64
	Since, Until time.Time
}

func (f AuditFilter) where(backend string) (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, vs ...any) {
		for _, v := range vs {
			args = append(args, v)
			cond = strings.Replace(cond, "?", fmt.Sprintf("$%d", len(args)), 1)
		}
		conds = append(conds, cond)
	}
	if f.AccountID != 0 {
		add("account_id = ?", f.AccountID)
	}
	if f.SubjectType != "" {
		add("subject_type = ? AND subject_id = ?", f.SubjectType, f.SubjectID)
	}
	if len(f.Actions) > 0 {
		in := strings.TrimSuffix(strings.Repeat("?, ", len(f.Actions)), ", ")
		vs := make([]any, len(f.Actions))
		for i, a := range f.Actions {
			vs[i] = a
		}
		add("action IN ("+in+")", vs...)
	}
	if f.ActionPrefix != "" {
		add("action LIKE ?", strings.NewReplacer("%", `\%`, "_", `\_`).Replace(f.ActionPrefix)+"%")
		if backend == SQLite {
			conds[len(conds)-1] += ` ESCAPE '\'`
		}
	}
	if f.NotAccountID != 0 {
		add("(account_id IS NULL OR account_id <> ?)", f.NotAccountID)
	}
	if !f.Since.IsZero() {
		add("at >= ?", timeArg(f.Since))
	}
	if !f.Until.IsZero() {
		add("at < ?", timeArg(f.Until))
	}
	if len(conds) == 0 {
		return "", nil
	}
	return "WHERE " + strings.Join(conds, " AND "), args
}

const auditCols = "id, at, account_id, action, subject_type, subject_id"

func scanAudit(sc scanner) (*AuditEntry, error) {
	var (
		e                AuditEntry
		at               timeCol
		account, subject sql.NullInt64
		subjectType      sql.NullString
	)
	if err := sc.Scan(&e.ID, &at, &account, &e.Action, &subjectType, &subject); err != nil {
		return nil, err
	}
	e.At, e.AccountID, e.SubjectType, e.SubjectID = at.t, account.Int64, subjectType.String, subject.Int64
	return &e, nil
}

// AuditLog returns up to limit entries matching f with ids below before
// (0: from the newest), newest first, and how many match in all.
func (s *Store) AuditLog(ctx context.Context, f AuditFilter, before int64, limit int) ([]*AuditEntry, int, error) {
	c := s.reader()
	where, args := f.where(c.backend)
	var total int
	if err := c.queryRow(ctx, "SELECT COUNT(*) FROM audit_log "+where, args...).Scan(&total); err != nil {
		return nil, 0, wrap("count audit log", err)
	}
	if before > 0 {
		args = append(args, before)
		cond := fmt.Sprintf("id < $%d", len(args))
		if where == "" {
			where = "WHERE " + cond
		} else {
			where += " AND " + cond
		}
	}
	rows, err := c.query(ctx, "SELECT "+auditCols+" FROM audit_log "+where+fmt.Sprintf(" ORDER BY id DESC LIMIT %d", limit), args...)
	if err != nil {
		return nil, 0, wrap("read audit log", err)
	}
	es, err := collect(rows, scanAudit, "read audit log")
	return es, total, err
}
