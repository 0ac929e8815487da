package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Consent is an enterprise's consent (授权) to let an institution read its
// financial data until ExpiresOn (inclusive). InstitutionID 0 is every
// financial institution.
type Consent struct {
	ID            int64
	EnterpriseID  int64
	InstitutionID int64
	GrantedAt     time.Time
	ExpiresOn     time.Time // a calendar date at 00:00 UTC
	RevokedAt     *time.Time
}

// Live reports whether the consent lets its institution read on day today.
func (c *Consent) Live(today time.Time) bool {
	return c.RevokedAt == nil && dateArg(today) <= dateArg(c.ExpiresOn)
}

const consentCols = "id, enterprise_id, institution_id, granted_at, expires_on, revoked_at"

func scanConsent(sc scanner) (*Consent, error) {
	var (
		c       Consent
		inst    sql.NullInt64
		granted timeCol
		expires dateCol
		revoked timeCol
	)
	if err := sc.Scan(&c.ID, &c.EnterpriseID, &inst, &granted, &expires, &revoked); err != nil {
		return nil, err
	}
	c.InstitutionID, c.GrantedAt, c.ExpiresOn = inst.Int64, granted.t, expires.t
	if !revoked.t.IsZero() {
		c.RevokedAt = &revoked.t
	}
	return &c, nil
}

// GrantConsent stores c and sets its ID and GrantedAt. The enterprise and
// the institution (when named) must exist: ErrNotFound otherwise.
func (s *Store) GrantConsent(ctx context.Context, c *Consent) error {
	t := now()
	err := s.write(ctx, func(tx conn) error {
		if err := orgExists(ctx, tx, OrgEnterprise, c.EnterpriseID); err != nil {
			return err
		}
		if c.InstitutionID != 0 {
			if err := orgExists(ctx, tx, OrgInstitution, c.InstitutionID); err != nil {
				return err
			}
		}
		err := tx.queryRow(ctx, "INSERT INTO consents (enterprise_id, institution_id, granted_at, expires_on) VALUES ($1, $2, $3, $4) RETURNING id",
			c.EnterpriseID, nullIfZero(c.InstitutionID), timeArg(t), dateArg(c.ExpiresOn)).Scan(&c.ID)
		if err != nil {
			return err
		}
		c.GrantedAt = t
		return audit(ctx, tx, "Consent", c.ID, t)
	})
	return wrap("grant consent", err)
}

// Consent reads one consent; ErrNotFound when there is none.
func (s *Store) Consent(ctx context.Context, id int64) (*Consent, error) {
	c, err := scanConsent(s.reader().queryRow(ctx, "SELECT "+consentCols+" FROM consents WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return c, wrap("read consent", err)
}

// RevokeConsent ends a consent now. Revoking twice keeps the first time.
func (s *Store) RevokeConsent(ctx context.Context, id int64) (*Consent, error) {
	t := now()
	var c *Consent
	err := s.write(ctx, func(tx conn) error {
		res, err := tx.exec(ctx, "UPDATE consents SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2", timeArg(t), id)
		if err != nil {
			return err
		}
		if err := notFoundUnlessAffected(res, "consent", id); err != nil {
			return err
		}
		if c, err = scanConsent(tx.queryRow(ctx, "SELECT "+consentCols+" FROM consents WHERE id = $1", id)); err != nil {
			return err
		}
		return audit(ctx, tx, "Consent", id, t)
	})
	return c, wrap("revoke consent", err)
}

// ConsentsOf returns the consents an enterprise has given, newest first.
func (s *Store) ConsentsOf(ctx context.Context, enterpriseID int64) ([]*Consent, error) {
	rows, err := s.reader().query(ctx, "SELECT "+consentCols+" FROM consents WHERE enterprise_id = $1 ORDER BY id DESC", enterpriseID)
	if err != nil {
		return nil, wrap("read consents", err)
	}
	return collect(rows, scanConsent, "read consents")
}

// ConsentedEnterprises returns the enterprises whose live consent on day
// today names the institution or every institution.
func (s *Store) ConsentedEnterprises(ctx context.Context, institutionID int64, today time.Time) ([]int64, error) {
	rows, err := s.reader().query(ctx, "SELECT DISTINCT enterprise_id FROM consents WHERE "+consentedWhere("$1", "$2"),
		institutionID, dateArg(today))
	if err != nil {
		return nil, wrap("read consents", err)
	}
	ids, err := scanIDs(rows)
	return ids, wrap("read consents", err)
}

// consentedWhere selects the consents that let institution inst read on
// day today (SQL parameters).
func consentedWhere(inst, today string) string {
	return "(institution_id = " + inst + " OR institution_id IS NULL) AND revoked_at IS NULL AND expires_on >= " + today
}

// ReadableEnterprises returns, in one statement, the enterprises whose
// private data the institution may read on day today: through a live
// consent (ConsentedEnterprises) or through their own application to one
// of its products (AppliedEnterprises).
func (s *Store) ReadableEnterprises(ctx context.Context, institutionID int64, today time.Time) ([]int64, error) {
	rows, err := s.reader().query(ctx, "SELECT enterprise_id FROM consents WHERE "+consentedWhere("$1", "$2")+
		" UNION SELECT enterprise_id FROM applications WHERE "+appliedWhere("$1", "$3"),
		institutionID, dateArg(today), timeArg(dateOnly(today).AddDate(-1, 0, 0)))
	if err != nil {
		return nil, wrap("read the enterprises an institution may read", err)
	}
	ids, err := scanIDs(rows)
	return ids, wrap("read the enterprises an institution may read", err)
}
