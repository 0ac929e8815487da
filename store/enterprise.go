package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/yurong/yurong/catalog"
)

// Column lists, in the order the code binds and scans them.
const (
	// enterpriseCols are the columns of enterprises after id, in the order
	// of enterpriseArgs followed by the two timestamps.
	enterpriseCols = "name, credit_code, city, founded_on, employees, track, industry_chain, " +
		"description, keywords, qualifications, credit_status, need_kind, need_amount, need_purpose, " +
		"has_warrant_loan, created_at, updated_at"
	reportCols = "enterprise_id, year, revenue, rd_expense, tech_staff, postgraduates, " +
		"invention_patent_applications, pct_applications, tech_contract_turnover, " +
		"high_tech_product_revenue, rd_tax_deduction, return_on_equity_percent, graduates_hired, " +
		"innovation_platforms, science_awards, equity_financing, science_plan_projects"
	subsidyCols = "enterprise_id, seq, program, amount, year"
	entryCols   = "enterprise_id, year, entry_group, track, stage_reached, award"
)

// enterpriseArgs returns e's values for enterpriseCols, timestamps excluded.
func enterpriseArgs(e *catalog.Enterprise) ([]any, error) {
	keywords, err := jsonArg(e.Keywords)
	if err != nil {
		return nil, err
	}
	quals, err := jsonArg(e.Qualifications)
	if err != nil {
		return nil, err
	}
	var needKind, needAmount, needPurpose any
	if n := e.FinancingNeed; n != nil {
		needKind, needAmount, needPurpose = string(n.Kind), int64(n.Amount), n.Purpose
	}
	return []any{e.Name, e.CreditCode, string(e.City), dateArg(e.FoundedOn), int64(e.Employees),
		string(e.Track), nullString(e.IndustryChain), e.Description, keywords, quals,
		string(e.CreditStatus), needKind, needAmount, needPurpose, e.HasWarrantLoan}, nil
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

func scanEnterprise(sc scanner) (*catalog.Enterprise, error) {
	var (
		e                     catalog.Enterprise
		founded               dateCol
		employees             int64
		chain                 sql.NullString
		needKind, needPurpose sql.NullString
		needAmount            sql.NullInt64
		createdAt, updatedAt  timeCol
	)
	err := sc.Scan(&e.ID, &e.Name, &e.CreditCode, &e.City, &founded, &employees, &e.Track,
		&chain, &e.Description, jsonCol{&e.Keywords}, jsonCol{&e.Qualifications}, &e.CreditStatus,
		&needKind, &needAmount, &needPurpose, &e.HasWarrantLoan, &createdAt, &updatedAt)
	if err != nil {
		return nil, err
	}
	e.FoundedOn, e.Employees = founded.t, int(employees)
	if chain.Valid {
		e.IndustryChain = &chain.String
	}
	if needKind.Valid {
		e.FinancingNeed = &catalog.FinancingNeed{Kind: catalog.ProductKind(needKind.String),
			Amount: catalog.Amount(needAmount.Int64), Purpose: needPurpose.String}
	}
	e.CreatedAt, e.UpdatedAt = createdAt.t, updatedAt.t
	return &e, nil
}

// canonical returns e's reports sorted by year and its competition entries
// sorted by year with one per year, a later entry of a year replacing an
// earlier one: the order and uniqueness the store keeps. e is not modified.
func canonical(e *catalog.Enterprise) (reports []catalog.AnnualReport, entries []catalog.CompetitionEntry) {
	if len(e.Reports) > 0 {
		reports = slices.Clone(e.Reports)
		slices.SortStableFunc(reports, func(a, b catalog.AnnualReport) int { return cmp.Compare(a.Year, b.Year) })
	}
	for _, c := range e.CompetitionEntries {
		if i := slices.IndexFunc(entries, func(x catalog.CompetitionEntry) bool { return x.Year == c.Year }); i >= 0 {
			entries[i] = c
		} else {
			entries = append(entries, c)
		}
	}
	slices.SortFunc(entries, func(a, b catalog.CompetitionEntry) int { return cmp.Compare(a.Year, b.Year) })
	return reports, entries
}

// children queues the rows of an enterprise's reports, subsidies and
// competition entries into the three batches.
type children struct{ reports, subsidies, entries *batch }

func newChildren(c conn) children {
	return children{newBatch(c, "annual_reports", reportCols), newBatch(c, "subsidies", subsidyCols),
		newBatch(c, "competition_entries", entryCols)}
}

func (ch children) add(ctx context.Context, id int64, reports []catalog.AnnualReport, subsidies []catalog.Subsidy, entries []catalog.CompetitionEntry) error {
	for _, r := range reports {
		err := ch.reports.add(ctx, id, int64(r.Year), int64(r.Revenue), int64(r.RDExpense), int64(r.TechStaff),
			int64(r.Postgraduates), int64(r.InventionPatentApplications), int64(r.PCTApplications),
			int64(r.TechContractTurnover), int64(r.HighTechProductRevenue), int64(r.RDTaxDeduction),
			r.ReturnOnEquityPercent, int64(r.GraduatesHired), int64(r.InnovationPlatforms),
			int64(r.ScienceAwards), int64(r.EquityFinancing), int64(r.SciencePlanProjects))
		if err != nil {
			return err
		}
	}
	for i, s := range subsidies {
		if err := ch.subsidies.add(ctx, id, int64(i), s.Program, int64(s.Amount), int64(s.Year)); err != nil {
			return err
		}
	}
	for _, c := range entries {
		if err := ch.entries.add(ctx, id, int64(c.Year), string(c.Group), string(c.Track), string(c.StageReached), string(c.Award)); err != nil {
			return err
		}
	}
	return nil
}

func (ch children) flush(ctx context.Context) error {
	return errors.Join(ch.reports.flush(ctx), ch.subsidies.flush(ctx), ch.entries.flush(ctx))
}

// readChildren reads reports, subsidies and competition entries, three
// queries in all, and appends each row to the enterprise find returns for its
// enterprise id; rows whose enterprise find does not know are skipped. where
// filters all three tables with args.
func readChildren(ctx context.Context, c conn, where string, args []any, find func(id int64) *catalog.Enterprise) error {
	rows, err := c.query(ctx, selectSQL("annual_reports", reportCols, where+" ORDER BY enterprise_id, year"), args...)
	if err != nil {
		return err
	}
	err = eachRow(rows, func() error {
		var (
			eid                                                        int64
			r                                                          catalog.AnnualReport
			year, staff, pg, patents, pct, grads, plats, awards, plans int64
		)
		err := rows.Scan(&eid, &year, &r.Revenue, &r.RDExpense, &staff, &pg, &patents, &pct,
			&r.TechContractTurnover, &r.HighTechProductRevenue, &r.RDTaxDeduction, &r.ReturnOnEquityPercent,
			&grads, &plats, &awards, &r.EquityFinancing, &plans)
		if err != nil {
			return err
		}
		r.Year, r.TechStaff, r.Postgraduates, r.InventionPatentApplications, r.PCTApplications = int(year), int(staff), int(pg), int(patents), int(pct)
		r.GraduatesHired, r.InnovationPlatforms, r.ScienceAwards, r.SciencePlanProjects = int(grads), int(plats), int(awards), int(plans)
		if e := find(eid); e != nil {
			e.Reports = append(e.Reports, r)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read annual reports: %w", err)
	}

	rows, err = c.query(ctx, selectSQL("subsidies", subsidyCols, where+" ORDER BY enterprise_id, seq"), args...)
	if err != nil {
		return err
	}
	err = eachRow(rows, func() error {
		var eid, seq, year int64
		var s catalog.Subsidy
		if err := rows.Scan(&eid, &seq, &s.Program, &s.Amount, &year); err != nil {
			return err
		}
		s.Year = int(year)
		if e := find(eid); e != nil {
			e.Subsidies = append(e.Subsidies, s)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read subsidies: %w", err)
	}

	rows, err = c.query(ctx, selectSQL("competition_entries", entryCols, where+" ORDER BY enterprise_id, year"), args...)
	if err != nil {
		return err
	}
	err = eachRow(rows, func() error {
		var eid, year int64
		var ce catalog.CompetitionEntry
		if err := rows.Scan(&eid, &year, &ce.Group, &ce.Track, &ce.StageReached, &ce.Award); err != nil {
			return err
		}
		ce.Year = int(year)
		if e := find(eid); e != nil {
			e.CompetitionEntries = append(e.CompetitionEntries, ce)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read competition entries: %w", err)
	}
	return nil
}

// eachRow calls fn for each row and closes rows.
func eachRow(rows *sql.Rows, fn func() error) error {
	defer rows.Close()
	for rows.Next() {
		if err := fn(); err != nil {
			return err
		}
	}
	return rows.Err()
}

// readEnterprise reads one enterprise and its children: four queries.
func readEnterprise(ctx context.Context, c conn, id int64) (*catalog.Enterprise, error) {
	row := c.queryRow(ctx, selectSQL("enterprises", "id, "+enterpriseCols, "WHERE id = $1"), id)
	e, err := scanEnterprise(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: enterprise %d", ErrNotFound, id)
	}
	if err != nil {
		return nil, err
	}
	find := func(int64) *catalog.Enterprise { return e }
	if err := readChildren(ctx, c, "WHERE enterprise_id = $1", []any{id}, find); err != nil {
		return nil, err
	}
	return e, nil
}

// Enterprise returns the enterprise with the given id, with its reports,
// subsidies and competition entries, or ErrNotFound.
func (s *Store) Enterprise(ctx context.Context, id int64) (*catalog.Enterprise, error) {
	var e *catalog.Enterprise
	err := s.readTx(ctx, func(c conn) error {
		var err error
		e, err = readEnterprise(ctx, c, id)
		return err
	})
	if err != nil {
		return nil, wrap("read enterprise", err)
	}
	return e, nil
}

// CreateEnterprise inserts e with its children and sets e.ID, e.CreatedAt
// and e.UpdatedAt. A credit code already on record is ErrDuplicateCreditCode.
// e's reports and competition entries are stored, and left in e, sorted by
// year; of two competition entries of one year the later one is kept.
func (s *Store) CreateEnterprise(ctx context.Context, e *catalog.Enterprise) error {
	return s.saveEnterprises(ctx, "create enterprise", []*catalog.Enterprise{e})
}

// UpdateEnterprise replaces the enterprise e.ID, its reports, subsidies and
// competition entries with e's, and sets e.UpdatedAt (and e.CreatedAt to the
// stored one). An unknown id is ErrNotFound; another enterprise's credit code
// is ErrDuplicateCreditCode.
func (s *Store) UpdateEnterprise(ctx context.Context, e *catalog.Enterprise) error {
	if e.ID == 0 {
		return fmt.Errorf("store: update enterprise: %w: enterprise 0", ErrNotFound)
	}
	return s.saveEnterprises(ctx, "update enterprise", []*catalog.Enterprise{e})
}

// SaveEnterprises writes es in one transaction: an enterprise with ID 0 is
// inserted as CreateEnterprise does, any other replaces the stored one as
// UpdateEnterprise does, each with its change-log entry. Either all are
// written or, on an error, none; the structs are updated only on success.
func (s *Store) SaveEnterprises(ctx context.Context, es []*catalog.Enterprise) error {
	return s.saveEnterprises(ctx, "save enterprises", es)
}

func (s *Store) saveEnterprises(ctx context.Context, op string, es []*catalog.Enterprise) error {
	t := now()
	type canon struct {
		reports []catalog.AnnualReport
		entries []catalog.CompetitionEntry
	}
	cs := make([]canon, len(es))
	for i, e := range es {
		cs[i].reports, cs[i].entries = canonical(e)
	}
	ids := make([]int64, len(es))
	created := make([]time.Time, len(es))
	err := s.write(ctx, func(c conn) error {
		ch := newChildren(c)
		var updated []any
		for i, e := range es {
			var err error
			if e.ID == 0 {
				ids[i], err = insertEnterprise(ctx, c, e, t)
				created[i] = t
			} else {
				ids[i] = e.ID
				created[i], err = updateEnterpriseRow(ctx, c, e, t)
				updated = append(updated, e.ID)
			}
			if err != nil {
				return err
			}
		}
		// Updates replace their children: delete them in one statement per
		// table, then insert every enterprise's children in batches.
		for lo := 0; lo < len(updated); lo += maxParams {
			part := updated[lo:min(lo+maxParams, len(updated))]
			in := placeholders(c.backend, 1, len(part))
			for _, table := range []string{"annual_reports", "subsidies", "competition_entries"} {
				if _, err := c.exec(ctx, "DELETE FROM "+table+" WHERE enterprise_id IN ("+in+")", part...); err != nil {
					return err
				}
			}
		}
		for i, e := range es {
			if err := ch.add(ctx, ids[i], cs[i].reports, e.Subsidies, cs[i].entries); err != nil {
				return err
			}
			if err := addOutbox(ctx, c, EntityEnterprise, ids[i], t); err != nil {
				return err
			}
		}
		return ch.flush(ctx)
	})
	if err != nil {
		return wrap(op, err)
	}
	for i, e := range es {
		e.ID, e.CreatedAt, e.UpdatedAt = ids[i], created[i], t
		e.Reports, e.CompetitionEntries = cs[i].reports, cs[i].entries
	}
	return nil
}

func insertEnterprise(ctx context.Context, c conn, e *catalog.Enterprise, t time.Time) (int64, error) {
	args, err := enterpriseArgs(e)
	if err != nil {
		return 0, err
	}
	args = append(args, timeArg(t), timeArg(t))
	var id int64
	q := insertSQL(c.backend, "enterprises", enterpriseCols, 1, " RETURNING id")
	if err := c.queryRow(ctx, q, args...).Scan(&id); err != nil {
		return 0, creditCodeTaken(err, e.CreditCode)
	}
	return id, nil
}

// updateEnterpriseRow replaces the enterprise's own row, not its children,
// and returns its creation time.
func updateEnterpriseRow(ctx context.Context, c conn, e *catalog.Enterprise, t time.Time) (time.Time, error) {
	args, err := enterpriseArgs(e)
	if err != nil {
		return time.Time{}, err
	}
	// Every column but id and created_at; $1 is the id.
	var set []string
	for _, col := range strings.Split(enterpriseCols, ", ") {
		if col != "created_at" {
			set = append(set, fmt.Sprintf("%s = $%d", col, len(set)+2))
		}
	}
	var created timeCol
	q := "UPDATE enterprises SET " + strings.Join(set, ", ") + " WHERE id = $1 RETURNING created_at"
	err = c.queryRow(ctx, q, append(append([]any{e.ID}, args...), timeArg(t))...).Scan(&created)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, fmt.Errorf("%w: enterprise %d", ErrNotFound, e.ID)
	}
	if err != nil {
		return time.Time{}, creditCodeTaken(err, e.CreditCode)
	}
	return created.t, nil
}

// AddCompetitionEntry records an enterprise's competition entry and returns
// the enterprise as updated. An entry for a year that already has one
// replaces it: an enterprise enters the competition once a year, and a later
// entry is a correction (a further stage reached, an award). An unknown
// enterprise is ErrNotFound.
func (s *Store) AddCompetitionEntry(ctx context.Context, enterpriseID int64, ce catalog.CompetitionEntry) (*catalog.Enterprise, error) {
	t := now()
	var e *catalog.Enterprise
	err := s.write(ctx, func(c conn) error {
		res, err := c.exec(ctx, "UPDATE enterprises SET updated_at = $1 WHERE id = $2", timeArg(t), enterpriseID)
		if err != nil {
			return err
		}
		if err := notFoundUnlessAffected(res, "enterprise", enterpriseID); err != nil {
			return err
		}
		q := insertSQL(c.backend, "competition_entries", entryCols, 1, ` ON CONFLICT (enterprise_id, year) DO UPDATE SET
			entry_group = excluded.entry_group, track = excluded.track,
			stage_reached = excluded.stage_reached, award = excluded.award`)
		if _, err := c.exec(ctx, q, enterpriseID, int64(ce.Year), string(ce.Group), string(ce.Track),
			string(ce.StageReached), string(ce.Award)); err != nil {
			return err
		}
		if err := addOutbox(ctx, c, EntityEnterprise, enterpriseID, t); err != nil {
			return err
		}
		e, err = readEnterprise(ctx, c, enterpriseID)
		return err
	})
	if err != nil {
		return nil, wrap("add competition entry", err)
	}
	return e, nil
}
