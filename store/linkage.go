package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"time"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/financing"
	"github.com/yurong/yurong/linkage"
)

// The records of package linkage: residencies, agreements and interests.

// wrapLinkage is wrap that also lets linkage's sentinels through.
func wrapLinkage(op string, err error) error {
	for _, e := range []error{linkage.ErrNoVacancy, linkage.ErrResident, linkage.ErrEnded, linkage.ErrDuplicate, linkage.ErrNotFound} {
		if errors.Is(err, e) {
			return err
		}
	}
	return wrap(op, err)
}

const residencyCols = "id, enterprise_id, incubator_id, since, until, service_package, recorded_by, created_at"

func scanResidency(sc scanner) (*linkage.Residency, error) {
	var (
		r        linkage.Residency
		since    dateCol
		until    dateCol
		by       sql.NullInt64
		created  timeCol
		pkg      catalog.ServicePackage
		pkgParam = jsonCol{&pkg}
	)
	if err := sc.Scan(&r.ID, &r.EnterpriseID, &r.IncubatorID, &since, &until, pkgParam, &by, &created); err != nil {
		return nil, err
	}
	r.Since, r.Until, r.Package, r.RecordedBy, r.CreatedAt = since.t, until.ptr(), pkg, by.Int64, created.t
	return &r, nil
}

// CreateResidency records r, takes one vacancy of its incubator, and logs
// both, in one transaction; it sets r.ID and returns the incubator as
// committed. The vacancy is taken by a conditional update, which locks the
// incubator's row, so concurrent residencies never take more vacancies
// than there are: linkage.ErrNoVacancy. A second open residency of the
// enterprise is linkage.ErrResident.
func (s *Store) CreateResidency(ctx context.Context, r *linkage.Residency) (*catalog.Incubator, error) {
	t := now()
	var in *catalog.Incubator
	err := s.write(ctx, func(c conn) error {
		res, err := c.exec(ctx, "UPDATE incubators SET vacancies = vacancies - 1 WHERE id = $1 AND vacancies > 0", r.IncubatorID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return fmt.Errorf("%w: incubator %d", linkage.ErrNoVacancy, r.IncubatorID)
		}
		pkg, err := jsonArg(r.Package)
		if err != nil {
			return err
		}
		var id int64
		err = c.queryRow(ctx, `INSERT INTO residencies (enterprise_id, incubator_id, since, until, service_package, recorded_by, created_at)
			VALUES ($1, $2, $3, NULL, $4, $5, $6) RETURNING id`,
			r.EnterpriseID, r.IncubatorID, dateArg(r.Since), pkg, nullIfZero(r.RecordedBy), timeArg(r.CreatedAt)).Scan(&id)
		if uniqueViolation(err, "residencies_open", "residencies.enterprise_id") {
			return fmt.Errorf("%w: enterprise %d", linkage.ErrResident, r.EnterpriseID)
		}
		if err != nil {
			return err
		}
		r.ID = id
		if in, err = scanIncubator(c.queryRow(ctx, selectSQL("incubators", "id, "+incubatorCols, "WHERE id = $1"), r.IncubatorID)); err != nil {
			return err
		}
		if err := addOutbox(ctx, c, EntityResidency, id, t); err != nil {
			return err
		}
		return addOutbox(ctx, c, EntityIncubator, r.IncubatorID, t)
	})
	if err != nil {
		return nil, wrapLinkage("create residency", err)
	}
	return in, nil
}

// EndResidency sets the open residency's last day and gives its incubator
// the vacancy back, in one transaction: linkage.ErrNotFound,
// linkage.ErrEnded.
func (s *Store) EndResidency(ctx context.Context, id int64, until time.Time) (*linkage.Residency, *catalog.Incubator, error) {
	t := now()
	var (
		r  *linkage.Residency
		in *catalog.Incubator
	)
	err := s.write(ctx, func(c conn) error {
		res, err := c.exec(ctx, "UPDATE residencies SET until = $2 WHERE id = $1 AND until IS NULL", id, dateArg(until))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			if _, err := scanResidency(c.queryRow(ctx, selectSQL("residencies", residencyCols, "WHERE id = $1"), id)); errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("%w: residency %d", linkage.ErrNotFound, id)
			}
			return fmt.Errorf("%w: residency %d", linkage.ErrEnded, id)
		}
		if r, err = scanResidency(c.queryRow(ctx, selectSQL("residencies", residencyCols, "WHERE id = $1"), id)); err != nil {
			return err
		}
		if _, err := c.exec(ctx, "UPDATE incubators SET vacancies = vacancies + 1 WHERE id = $1", r.IncubatorID); err != nil {
			return err
		}
		if in, err = scanIncubator(c.queryRow(ctx, selectSQL("incubators", "id, "+incubatorCols, "WHERE id = $1"), r.IncubatorID)); err != nil {
			return err
		}
		if err := addOutbox(ctx, c, EntityResidency, id, t); err != nil {
			return err
		}
		return addOutbox(ctx, c, EntityIncubator, r.IncubatorID, t)
	})
	if err != nil {
		return nil, nil, wrapLinkage("end residency", err)
	}
	return r, in, nil
}

// Residency reads one residency: linkage.ErrNotFound when there is none.
func (s *Store) Residency(ctx context.Context, id int64) (*linkage.Residency, error) {
	r, err := scanResidency(s.reader().queryRow(ctx, selectSQL("residencies", residencyCols, "WHERE id = $1"), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: residency %d", linkage.ErrNotFound, id)
	}
	return r, wrapLinkage("read residency", err)
}

// ResidencyQuery selects residencies: zero fields do not filter.
type ResidencyQuery struct {
	EnterpriseID, IncubatorID int64
	OpenOnly                  bool
	After                     int64 // the id after which the page starts
	Limit                     int
}

// Residencies returns a page of residencies by id, the total and whether
// more follow.
func (s *Store) Residencies(ctx context.Context, q ResidencyQuery) (rs []*linkage.Residency, total int, hasNext bool, err error) {
	where, args := "WHERE 1 = 1", []any{}
	if q.EnterpriseID != 0 {
		where += numbered(" AND enterprise_id = ?", &args, q.EnterpriseID)
	}
	if q.IncubatorID != 0 {
		where += numbered(" AND incubator_id = ?", &args, q.IncubatorID)
	}
	if q.OpenOnly {
		where += " AND until IS NULL"
	}
	return pageByID(ctx, s.reader(), "residencies", residencyCols, where, args, q.After, q.Limit, scanResidency, "residencies")
}

// ResidenciesBetween returns the residencies covering a day of [from, to].
func (s *Store) ResidenciesBetween(ctx context.Context, from, to time.Time) ([]*linkage.Residency, error) {
	rows, err := s.reader().query(ctx, selectSQL("residencies", residencyCols,
		"WHERE since <= $1 AND (until IS NULL OR until >= $2) ORDER BY id"), dateArg(to), dateArg(from))
	if err != nil {
		return nil, wrap("read residencies of a period", err)
	}
	return collect(rows, scanResidency, "read residencies of a period")
}

const agreementCols = "id, kind, fund_id, partner_id, signed_on, valid_until, signed_by, created_at"

func scanAgreement(sc scanner) (*linkage.Agreement, error) {
	var (
		a       linkage.Agreement
		signed  dateCol
		until   dateCol
		by      sql.NullInt64
		created timeCol
	)
	if err := sc.Scan(&a.ID, &a.Kind, &a.FundID, &a.PartnerID, &signed, &until, &by, &created); err != nil {
		return nil, err
	}
	a.SignedOn, a.ValidUntil, a.SignedBy, a.CreatedAt = signed.t, until.ptr(), by.Int64, created.t
	return &a, nil
}

// CreateAgreement inserts a and sets a.ID: linkage.ErrDuplicate for the
// same kind, parties and signing day.
func (s *Store) CreateAgreement(ctx context.Context, a *linkage.Agreement) error {
	t := now()
	err := s.write(ctx, func(c conn) error {
		err := c.queryRow(ctx, `INSERT INTO agreements (kind, fund_id, partner_id, signed_on, valid_until, signed_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, string(a.Kind), a.FundID, a.PartnerID, dateArg(a.SignedOn),
			nullDate(a.ValidUntil), nullIfZero(a.SignedBy), timeArg(a.CreatedAt)).Scan(&a.ID)
		if uniqueViolation(err, "agreements_parties", "agreements.kind") {
			return fmt.Errorf("%w: %s %d–%d", linkage.ErrDuplicate, a.Kind, a.FundID, a.PartnerID)
		}
		if err != nil {
			return err
		}
		return addOutbox(ctx, c, EntityAgreement, a.ID, t)
	})
	return wrapLinkage("create agreement", err)
}

// AgreementQuery selects agreements: zero fields do not filter.
type AgreementQuery struct {
	Kind      linkage.AgreementKind
	FundID    int64
	PartnerID int64
	After     int64
	Limit     int
}

// Agreements returns a page of agreements by id, the total and whether
// more follow.
func (s *Store) Agreements(ctx context.Context, q AgreementQuery) (as []*linkage.Agreement, total int, hasNext bool, err error) {
	where, args := "WHERE 1 = 1", []any{}
	if q.Kind != "" {
		where += numbered(" AND kind = ?", &args, string(q.Kind))
	}
	if q.FundID != 0 {
		where += numbered(" AND fund_id = ?", &args, q.FundID)
	}
	if q.PartnerID != 0 {
		where += numbered(" AND partner_id = ?", &args, q.PartnerID)
	}
	return pageByID(ctx, s.reader(), "agreements", agreementCols, where, args, q.After, q.Limit, scanAgreement, "agreements")
}

const interestCols = "id, fund_id, enterprise_id, stage, note, at, withdrawn_at, by_account"

func scanInterest(sc scanner) (*linkage.Interest, error) {
	var (
		i      linkage.Interest
		at, wd timeCol
		by     sql.NullInt64
	)
	if err := sc.Scan(&i.ID, &i.FundID, &i.EnterpriseID, &i.Stage, &i.Note, &at, &wd, &by); err != nil {
		return nil, err
	}
	i.At, i.WithdrawnAt, i.By = at.t, wd.ptr(), by.Int64
	return &i, nil
}

// ExpressInterest records the fund's open interest in the enterprise, or
// moves the open one to i's stage and note, and sets i.ID. Two accounts
// racing on the same interest end on one row: the transaction whose
// insert loses the unique index runs again, as an update.
func (s *Store) ExpressInterest(ctx context.Context, i *linkage.Interest) error {
	err := s.expressInterest(ctx, i)
	if uniqueViolation(err, "interests_open", "interests.fund_id") {
		err = s.expressInterest(ctx, i)
	}
	return wrapLinkage("express interest", err)
}

func (s *Store) expressInterest(ctx context.Context, i *linkage.Interest) error {
	t := now()
	return s.write(ctx, func(c conn) error {
		update := func() (bool, error) {
			err := c.queryRow(ctx, `UPDATE interests SET stage = $3, note = $4, at = $5, by_account = $6
				WHERE fund_id = $1 AND enterprise_id = $2 AND withdrawn_at IS NULL RETURNING id`,
				i.FundID, i.EnterpriseID, string(i.Stage), i.Note, timeArg(i.At), nullIfZero(i.By)).Scan(&i.ID)
			if errors.Is(err, sql.ErrNoRows) {
				return false, nil
			}
			return err == nil, err
		}
		done, err := update()
		if err != nil {
			return err
		}
		if !done {
			err = c.queryRow(ctx, `INSERT INTO interests (fund_id, enterprise_id, stage, note, at, withdrawn_at, by_account)
				VALUES ($1, $2, $3, $4, $5, NULL, $6) RETURNING id`,
				i.FundID, i.EnterpriseID, string(i.Stage), i.Note, timeArg(i.At), nullIfZero(i.By)).Scan(&i.ID)
			if err != nil {
				return err
			}
		}
		return addOutbox(ctx, c, EntityInterest, i.ID, t)
	})
}

// WithdrawInterest closes the fund's open interest in the enterprise:
// linkage.ErrNotFound when there is none.
func (s *Store) WithdrawInterest(ctx context.Context, fundID, enterpriseID int64, at time.Time) (*linkage.Interest, error) {
	t := now()
	var out *linkage.Interest
	err := s.write(ctx, func(c conn) error {
		var id int64
		err := c.queryRow(ctx, `UPDATE interests SET withdrawn_at = $3 WHERE fund_id = $1 AND enterprise_id = $2 AND withdrawn_at IS NULL RETURNING id`,
			fundID, enterpriseID, timeArg(at)).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w: interest of %d in %d", linkage.ErrNotFound, fundID, enterpriseID)
		}
		if err != nil {
			return err
		}
		if out, err = scanInterest(c.queryRow(ctx, selectSQL("interests", interestCols, "WHERE id = $1"), id)); err != nil {
			return err
		}
		return addOutbox(ctx, c, EntityInterest, id, t)
	})
	if err != nil {
		return nil, wrapLinkage("withdraw interest", err)
	}
	return out, nil
}

// OpenInterests returns the open interests in the enterprise, oldest
// first; fundID, when not zero, narrows them to one fund's.
func (s *Store) OpenInterests(ctx context.Context, enterpriseID, fundID int64) ([]*linkage.Interest, error) {
	where, args := "WHERE withdrawn_at IS NULL", []any{}
	where += numbered(" AND enterprise_id = ?", &args, enterpriseID)
	if fundID != 0 {
		where += numbered(" AND fund_id = ?", &args, fundID)
	}
	rows, err := s.reader().query(ctx, selectSQL("interests", interestCols, where+" ORDER BY id"), args...)
	if err != nil {
		return nil, wrap("read interests", err)
	}
	return collect(rows, scanInterest, "read interests")
}

// LinkRecords reads, in one snapshot, the open residencies, every
// agreement, the open interests and the banks' disbursed loans
// (DISBURSED applications to LOAN products of BANK institutions).
func (s *Store) LinkRecords(ctx context.Context) (linkage.Records, error) {
	var r linkage.Records
	err := s.readTx(ctx, func(c conn) error {
		rows, err := c.query(ctx, selectSQL("residencies", residencyCols, "WHERE until IS NULL ORDER BY id"))
		if err != nil {
			return err
		}
		if r.Residencies, err = collect(rows, scanResidency, "read residencies"); err != nil {
			return err
		}
		if rows, err = c.query(ctx, selectSQL("agreements", agreementCols, "ORDER BY id")); err != nil {
			return err
		}
		if r.Agreements, err = collect(rows, scanAgreement, "read agreements"); err != nil {
			return err
		}
		if rows, err = c.query(ctx, selectSQL("interests", interestCols, "WHERE withdrawn_at IS NULL ORDER BY id")); err != nil {
			return err
		}
		if r.Interests, err = collect(rows, scanInterest, "read interests"); err != nil {
			return err
		}
		rows, err = c.query(ctx, `SELECT DISTINCT a.enterprise_id, a.institution_id FROM applications a
			JOIN financial_products p ON p.id = a.product_id
			JOIN institutions i ON i.id = a.institution_id
			WHERE a.status = $1 AND p.kind = $2 AND i.kind = $3
			ORDER BY a.enterprise_id, a.institution_id`, string(financing.Disbursed), string(catalog.Loan), string(catalog.Bank))
		if err != nil {
			return err
		}
		return eachRow(rows, func() error {
			var l linkage.Loan
			if err := rows.Scan(&l.EnterpriseID, &l.BankID); err != nil {
				return err
			}
			r.Loans = append(r.Loans, l)
			return nil
		})
	})
	return r, wrap("read the links", err)
}
