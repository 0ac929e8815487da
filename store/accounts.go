package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Organisation kinds an account may act for.
const (
	OrgInstitution = "Institution"
	OrgIncubator   = "Incubator"
	OrgEnterprise  = "Enterprise"
)

// Account is someone who calls the API with a bearer token. Role is one of
// the API's Role values; OrgKind and OrgID name the organisation the account
// acts for ("" and 0 when none).
type Account struct {
	ID        int64
	Name      string
	Role      string
	OrgKind   string
	OrgID     int64
	CreatedAt time.Time
	RevokedAt *time.Time
}

const accountCols = "id, name, role, organization_kind, organization_id, created_at, revoked_at"

func scanAccount(sc scanner) (*Account, error) {
	var (
		a       Account
		kind    sql.NullString
		org     sql.NullInt64
		created timeCol
		revoked timeCol
	)
	if err := sc.Scan(&a.ID, &a.Name, &a.Role, &kind, &org, &created, &revoked); err != nil {
		return nil, err
	}
	a.OrgKind, a.OrgID, a.CreatedAt = kind.String, org.Int64, created.t
	if !revoked.t.IsZero() {
		a.RevokedAt = &revoked.t
	}
	return &a, nil
}

// CreateAccount stores a and sets its ID and CreatedAt. tokenHash is the
// hex SHA-256 of its bearer token; the organisation, when named, must
// exist (ErrNotFound otherwise).
func (s *Store) CreateAccount(ctx context.Context, a *Account, tokenHash string) error {
	t := now()
	err := s.write(ctx, func(c conn) error {
		if a.OrgKind != "" {
			if err := orgExists(ctx, c, a.OrgKind, a.OrgID); err != nil {
				return err
			}
		}
		err := c.queryRow(ctx, `INSERT INTO accounts (name, role, organization_kind, organization_id, token_hash, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			a.Name, a.Role, nullIfEmpty(a.OrgKind), nullIfZero(a.OrgID), tokenHash, timeArg(t)).Scan(&a.ID)
		if err != nil {
			return err
		}
		a.CreatedAt = t
		return audit(ctx, c, "Account", a.ID, t)
	})
	return wrap("create account", err)
}

var orgTables = map[string]string{OrgInstitution: "institutions", OrgIncubator: "incubators", OrgEnterprise: "enterprises"}

func orgExists(ctx context.Context, c conn, kind string, id int64) error {
	table, ok := orgTables[kind]
	if !ok {
		return fmt.Errorf("store: unknown organisation kind %q", kind)
	}
	var one int
	err := c.queryRow(ctx, "SELECT 1 FROM "+table+" WHERE id = $1", id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: %s %d", ErrNotFound, kind, id)
	}
	return err
}

// AccountByTokenHash returns the account whose token hashes to tokenHash,
// revoked or not; ErrNotFound when there is none.
func (s *Store) AccountByTokenHash(ctx context.Context, tokenHash string) (*Account, error) {
	a, err := scanAccount(s.reader().queryRow(ctx, "SELECT "+accountCols+" FROM accounts WHERE token_hash = $1", tokenHash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return a, wrap("read account", err)
}

// BootstrapAdministrator returns the administrator account that stands for
// the operator's token (YURONG_ADMIN_TOKEN): the one without a token.
func (s *Store) BootstrapAdministrator(ctx context.Context) (*Account, error) {
	a, err := scanAccount(s.reader().queryRow(ctx,
		"SELECT "+accountCols+" FROM accounts WHERE token_hash IS NULL AND role = 'ADMINISTRATOR' ORDER BY id LIMIT 1"))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return a, wrap("read the bootstrap administrator", err)
}

// Accounts returns the accounts with the given ids, in no order; unknown
// ids are left out.
func (s *Store) Accounts(ctx context.Context, ids []int64) ([]*Account, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	c := s.reader()
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := c.query(ctx, "SELECT "+accountCols+" FROM accounts WHERE id IN ("+placeholders(c.backend, 1, len(ids))+")", args...)
	if err != nil {
		return nil, wrap("read accounts", err)
	}
	return collect(rows, scanAccount, "read accounts")
}

// ListAccounts returns up to limit accounts with ids above after, oldest
// first, and how many there are in all; role "" lists every role.
func (s *Store) ListAccounts(ctx context.Context, role string, after int64, limit int) ([]*Account, int, error) {
	where, args := "WHERE id > $1", []any{after}
	if role != "" {
		where += " AND role = $2"
		args = append(args, role)
	}
	c := s.reader()
	var total int
	countWhere, countArgs := "", []any{}
	if role != "" {
		countWhere, countArgs = "WHERE role = $1", []any{role}
	}
	if err := c.queryRow(ctx, "SELECT COUNT(*) FROM accounts "+countWhere, countArgs...).Scan(&total); err != nil {
		return nil, 0, wrap("count accounts", err)
	}
	rows, err := c.query(ctx, "SELECT "+accountCols+" FROM accounts "+where+fmt.Sprintf(" ORDER BY id LIMIT %d", limit), args...)
	if err != nil {
		return nil, 0, wrap("list accounts", err)
	}
	as, err := collect(rows, scanAccount, "list accounts")
	return as, total, err
}

// RevokeAccount marks an account revoked: its token authenticates no one
// from the next request on. Revoking twice keeps the first time.
func (s *Store) RevokeAccount(ctx context.Context, id int64) (*Account, error) {
	t := now()
	var a *Account
	err := s.write(ctx, func(c conn) error {
		res, err := c.exec(ctx, "UPDATE accounts SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2", timeArg(t), id)
		if err != nil {
			return err
		}
		if err := notFoundUnlessAffected(res, "account", id); err != nil {
			return err
		}
		if a, err = scanAccount(c.queryRow(ctx, "SELECT "+accountCols+" FROM accounts WHERE id = $1", id)); err != nil {
			return err
		}
		return audit(ctx, c, "Account", id, t)
	})
	return a, wrap("revoke account", err)
}

func collect[T any](rows *sql.Rows, scan func(scanner) (*T, error), op string) ([]*T, error) {
	defer rows.Close()
	var out []*T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, wrap(op, err)
		}
		out = append(out, v)
	}
	return out, wrap(op, rows.Err())
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullIfZero(n int64) any {
	if n == 0 {
		return nil
	}
	return n
}
