package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/clinics"
	"github.com/yurong/yurong/financing"
)

// The records of package clinics: the experts' specialities, clinics and
// diagnoses. Nothing caches them, so they are not in the change log
// (like matchmaking events, ADR 014): every instance reads them here.

func wrapClinics(op string, err error) error {
	if errors.Is(err, clinics.ErrNotFound) || errors.Is(err, clinics.ErrDuplicate) {
		return err
	}
	return wrap(op, err)
}

// IsExpert reports whether the account exists, is not revoked and has the
// EXPERT role.
func (s *Store) IsExpert(ctx context.Context, accountID int64) (bool, error) {
	as, err := s.Accounts(ctx, []int64{accountID})
	if err != nil {
		return false, err
	}
	return len(as) == 1 && as[0].Role == "EXPERT" && as[0].RevokedAt == nil, nil
}

// SetSpecialities replaces the account's specialities.
func (s *Store) SetSpecialities(ctx context.Context, accountID int64, sp []clinics.Speciality) error {
	v, err := jsonArg(sp)
	if err != nil {
		return err
	}
	err = s.write(ctx, func(c conn) error {
		_, err := c.exec(ctx, `INSERT INTO expert_specialities (account_id, specialities, updated_at) VALUES ($1, $2, $3)
			ON CONFLICT (account_id) DO UPDATE SET specialities = excluded.specialities, updated_at = excluded.updated_at`,
			accountID, v, timeArg(now()))
		if err != nil {
			return err
		}
		return audit(ctx, c, "Account", accountID, now())
	})
	return wrap("set specialities", err)
}

// Specialities returns the accounts' specialities; an account without
// any is absent.
func (s *Store) Specialities(ctx context.Context, ids []int64) (map[int64][]clinics.Speciality, error) {
	out := map[int64][]clinics.Speciality{}
	if len(ids) == 0 {
		return out, nil
	}
	c := s.reader()
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := c.query(ctx, "SELECT account_id, specialities FROM expert_specialities WHERE account_id IN ("+placeholders(c.backend, 1, len(ids))+")", args...)
	if err != nil {
		return nil, wrap("read specialities", err)
	}
	err = eachRow(rows, func() error {
		var (
			id int64
			sp []clinics.Speciality
		)
		if err := rows.Scan(&id, jsonCol{&sp}); err != nil {
			return err
		}
		out[id] = sp
		return nil
	})
	return out, wrap("read specialities", err)
}

const clinicCols = "id, name, city, incubator_id, high_tech_zone, held_on, experts, created_by, created_at"

func scanClinic(sc scanner) (*clinics.Clinic, error) {
	var (
		c       clinics.Clinic
		inc, by sql.NullInt64
		held    dateCol
		created timeCol
	)
	if err := sc.Scan(&c.ID, &c.Name, &c.City, &inc, &c.Zone, &held, jsonCol{&c.ExpertIDs}, &by, &created); err != nil {
		return nil, err
	}
	c.IncubatorID, c.HeldOn, c.CreatedBy, c.CreatedAt = inc.Int64, held.t, by.Int64, created.t
	return &c, nil
}

// CreateClinic inserts c and sets c.ID.
func (s *Store) CreateClinic(ctx context.Context, c *clinics.Clinic) error {
	experts, err := jsonArg(c.ExpertIDs)
	if err != nil {
		return err
	}
	err = s.write(ctx, func(w conn) error {
		err := w.queryRow(ctx, `INSERT INTO clinics (name, city, incubator_id, high_tech_zone, held_on, experts, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, c.Name, string(c.City), nullIfZero(c.IncubatorID), c.Zone,
			dateArg(c.HeldOn), experts, nullIfZero(c.CreatedBy), timeArg(c.CreatedAt)).Scan(&c.ID)
		if err != nil {
			return err
		}
		return audit(ctx, w, "Clinic", c.ID, now())
	})
	return wrap("create clinic", err)
}

// Clinic reads one clinic: clinics.ErrNotFound when there is none.
func (s *Store) Clinic(ctx context.Context, id int64) (*clinics.Clinic, error) {
	c, err := scanClinic(s.reader().queryRow(ctx, selectSQL("clinics", clinicCols, "WHERE id = $1"), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: clinic %d", clinics.ErrNotFound, id)
	}
	return c, wrapClinics("read clinic", err)
}

// ClinicQuery selects clinics: zero fields do not filter.
type ClinicQuery struct {
	City  catalog.City
	After int64
	Limit int
}

// Clinics returns a page of clinics by id, the total and whether more
// follow.
func (s *Store) Clinics(ctx context.Context, q ClinicQuery) (cs []*clinics.Clinic, total int, hasNext bool, err error) {
	where, args := "WHERE 1 = 1", []any{}
	if q.City != "" {
		where += numbered(" AND city = ?", &args, string(q.City))
	}
	return pageByID(ctx, s.reader(), "clinics", clinicCols, where, args, q.After, q.Limit, scanClinic, "clinics")
}

const diagnosisCols = "id, clinic_id, enterprise_id, notes, plan, growth_plan, recorded_by, created_at"

func scanDiagnosis(sc scanner) (*clinics.Diagnosis, error) {
	var (
		d       clinics.Diagnosis
		by      sql.NullInt64
		created timeCol
	)
	if err := sc.Scan(&d.ID, &d.ClinicID, &d.EnterpriseID, &d.Notes, &d.Plan, jsonCol{&d.GrowthPlan}, &by, &created); err != nil {
		return nil, err
	}
	d.RecordedBy, d.CreatedAt = by.Int64, created.t
	return &d, nil
}

// CreateDiagnosis inserts d and sets d.ID: clinics.ErrDuplicate for a
// second diagnosis of the enterprise at the clinic.
func (s *Store) CreateDiagnosis(ctx context.Context, d *clinics.Diagnosis) error {
	steps, err := jsonArg(d.GrowthPlan)
	if err != nil {
		return err
	}
	err = s.write(ctx, func(c conn) error {
		err := c.queryRow(ctx, `INSERT INTO diagnoses (clinic_id, enterprise_id, notes, plan, growth_plan, recorded_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, d.ClinicID, d.EnterpriseID, d.Notes, d.Plan, steps,
			nullIfZero(d.RecordedBy), timeArg(d.CreatedAt)).Scan(&d.ID)
		if uniqueViolation(err, "diagnoses_once", "diagnoses.clinic_id") {
			return fmt.Errorf("%w: enterprise %d at clinic %d", clinics.ErrDuplicate, d.EnterpriseID, d.ClinicID)
		}
		if err != nil {
			return err
		}
		return audit(ctx, c, "Diagnosis", d.ID, now())
	})
	return wrapClinics("create diagnosis", err)
}

// Diagnosis reads one diagnosis: clinics.ErrNotFound when there is none.
func (s *Store) Diagnosis(ctx context.Context, id int64) (*clinics.Diagnosis, error) {
	d, err := scanDiagnosis(s.reader().queryRow(ctx, selectSQL("diagnoses", diagnosisCols, "WHERE id = $1"), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: diagnosis %d", clinics.ErrNotFound, id)
	}
	return d, wrapClinics("read diagnosis", err)
}

// Diagnoses returns the clinic's diagnoses (clinicID != 0) and/or the
// enterprise's (enterpriseID != 0), oldest first.
func (s *Store) Diagnoses(ctx context.Context, clinicID, enterpriseID int64) ([]*clinics.Diagnosis, error) {
	where, args := "WHERE 1 = 1", []any{}
	if clinicID != 0 {
		where += numbered(" AND clinic_id = ?", &args, clinicID)
	}
	if enterpriseID != 0 {
		where += numbered(" AND enterprise_id = ?", &args, enterpriseID)
	}
	rows, err := s.reader().query(ctx, selectSQL("diagnoses", diagnosisCols, where+" ORDER BY id"), args...)
	if err != nil {
		return nil, wrap("read diagnoses", err)
	}
	return collect(rows, scanDiagnosis, "read diagnoses")
}

// DiagnosedEnterprises returns the enterprises with a diagnosis.
func (s *Store) DiagnosedEnterprises(ctx context.Context) (map[int64]bool, error) {
	rows, err := s.reader().query(ctx, "SELECT DISTINCT enterprise_id FROM diagnoses")
	if err != nil {
		return nil, wrap("read diagnosed enterprises", err)
	}
	out := map[int64]bool{}
	err = eachRow(rows, func() error {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		out[id] = true
		return nil
	})
	return out, wrap("read diagnosed enterprises", err)
}

// EnterpriseApplications returns every application of the enterprise.
func (s *Store) EnterpriseApplications(ctx context.Context, enterpriseID int64) ([]*financing.Application, error) {
	apps, _, _, err := s.Applications(ctx, ApplicationQuery{EnterpriseID: enterpriseID})
	return apps, err
}

// Residents returns the enterprises residing in the incubator now.
func (s *Store) Residents(ctx context.Context, incubatorID int64) (map[int64]bool, error) {
	rows, err := s.reader().query(ctx, "SELECT enterprise_id FROM residencies WHERE incubator_id = $1 AND until IS NULL", incubatorID)
	if err != nil {
		return nil, wrap("read residents", err)
	}
	out := map[int64]bool{}
	err = eachRow(rows, func() error {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		out[id] = true
		return nil
	})
	return out, wrap("read residents", err)
}
