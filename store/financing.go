package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/financing"
)

// The records of package financing: competitions and their stage calendars,
// the resources offered to each stage, applications with their status
// events, and the working-day calendar.

// Errors of the financing records, matched with errors.Is.
var (
	ErrDuplicateCompetition = errors.New("store: a competition of that year exists")
	// ErrOpenApplication is the workflow's own error, so it needs no
	// translation on its way up.
	ErrOpenApplication = financing.ErrOpen
	// ErrBadCursor is an After cursor that ApplicationCursor did not issue
	// for the order asked for.
	ErrBadCursor = errors.New("store: invalid cursor")
)

// wrapFinancing is wrap that also lets the sentinels above through
// unchanged.
func wrapFinancing(op string, err error) error {
	if errors.Is(err, ErrDuplicateCompetition) || errors.Is(err, ErrOpenApplication) || errors.Is(err, ErrBadCursor) {
		return err
	}
	return wrap(op, err)
}

// uniqueViolation reports whether err violates the unique index named index
// (PostgreSQL names the index; SQLite names the columns, given as columns,
// "table.column").
func uniqueViolation(err error, index, columns string) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505" && pe.ConstraintName == index
	}
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE && strings.Contains(se.Error(), columns)
}

// nullTime is the argument of a nullable timestamp column.
func nullTime(p *time.Time) any {
	if p == nil {
		return nil
	}
	return timeArg(*p)
}

// nullDate is the argument of a nullable date column.
func nullDate(p *time.Time) any {
	if p == nil {
		return nil
	}
	return dateArg(*p)
}

// ptr returns a pointer to the time scanned, nil for NULL.
func (c timeCol) ptr() *time.Time {
	if c.t.IsZero() {
		return nil
	}
	t := c.t
	return &t
}

// idsArg returns the condition "col is one of ids" with one placeholder, and
// its argument: an array on PostgreSQL, a JSON array on SQLite. One argument
// however many ids, so no list is too long for a statement.
func idsArg(backend, col string, ids []int64) (string, any) {
	if backend == Postgres {
		return col + " = ANY(?)", ids
	}
	var b strings.Builder
	b.WriteByte('[')
	for i, id := range ids {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.FormatInt(id, 10))
	}
	b.WriteByte(']')
	return col + " IN (SELECT value FROM json_each(?))", b.String()
}

// numbered replaces each "?" of cond with $n, numbering from len(*args)+1,
// and appends vs to *args.
func numbered(cond string, args *[]any, vs ...any) string {
	for _, v := range vs {
		*args = append(*args, v)
		cond = strings.Replace(cond, "?", "$"+strconv.Itoa(len(*args)), 1)
	}
	return cond
}

func scanIDs(rows *sql.Rows) ([]int64, error) {
	var ids []int64
	err := eachRow(rows, func() error {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		ids = append(ids, id)
		return nil
	})
	return ids, err
}

// Competitions.

// stageRank orders catalog's competition stages.
var stageRank = map[catalog.CompetitionStage]int{catalog.Preliminary: 1, catalog.CitySemifinal: 2,
	catalog.ProvincialSemifinal: 3, catalog.ProvincialFinal: 4, catalog.National: 5}

func sortStages(stages []financing.StageDates) {
	slices.SortStableFunc(stages, func(a, b financing.StageDates) int {
		if c := a.StartsOn.Compare(b.StartsOn); c != 0 {
			return c
		}
		return cmp.Or(cmp.Compare(stageRank[a.Stage], stageRank[b.Stage]), cmp.Compare(a.Stage, b.Stage))
	})
}

// CreateCompetition inserts c with its stages and sets c.ID and
// c.CreatedAt. A year that has a competition is ErrDuplicateCompetition.
func (s *Store) CreateCompetition(ctx context.Context, c *financing.Competition) error {
	t := now()
	var id int64
	err := s.write(ctx, func(tx conn) error {
		err := tx.queryRow(ctx, "INSERT INTO competitions (year, name, created_at) VALUES ($1, $2, $3) RETURNING id",
			int64(c.Year), c.Name, timeArg(t)).Scan(&id)
		if uniqueViolation(err, "competitions_year", "competitions.year") {
			return fmt.Errorf("%w: %d", ErrDuplicateCompetition, c.Year)
		}
		if err != nil {
			return err
		}
		b := newBatch(tx, "competition_stages", "competition_id, stage, starts_on, ends_on")
		for _, st := range c.Stages {
			if err := b.add(ctx, id, string(st.Stage), dateArg(st.StartsOn), dateArg(st.EndsOn)); err != nil {
				return err
			}
		}
		if err := b.flush(ctx); err != nil {
			return err
		}
		return addOutbox(ctx, tx, EntityCompetition, id, t)
	})
	if err != nil {
		return wrapFinancing("create competition", err)
	}
	c.ID, c.CreatedAt = id, t
	return nil
}

// readCompetitions reads the competitions where selects, ordered by order,
// with their stages: two queries.
func readCompetitions(ctx context.Context, c conn, where, order string, args ...any) ([]*financing.Competition, error) {
	rows, err := c.query(ctx, "SELECT id, year, name, created_at FROM competitions "+where+" "+order, args...)
	if err != nil {
		return nil, err
	}
	var comps []*financing.Competition
	byID := map[int64]*financing.Competition{}
	err = eachRow(rows, func() error {
		var comp financing.Competition
		var year int64
		var created timeCol
		if err := rows.Scan(&comp.ID, &year, &comp.Name, &created); err != nil {
			return err
		}
		comp.Year, comp.CreatedAt = int(year), created.t
		comps = append(comps, &comp)
		byID[comp.ID] = &comp
		return nil
	})
	if err != nil || len(comps) == 0 {
		return comps, err
	}
	rows, err = c.query(ctx, "SELECT competition_id, stage, starts_on, ends_on FROM competition_stages "+
		"WHERE competition_id IN (SELECT id FROM competitions "+where+")", args...)
	if err != nil {
		return nil, err
	}
	err = eachRow(rows, func() error {
		var id int64
		var st financing.StageDates
		var starts, ends dateCol
		if err := rows.Scan(&id, &st.Stage, &starts, &ends); err != nil {
			return err
		}
		st.StartsOn, st.EndsOn = starts.t, ends.t
		if comp := byID[id]; comp != nil {
			comp.Stages = append(comp.Stages, st)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, comp := range comps {
		sortStages(comp.Stages)
	}
	return comps, nil
}

func (s *Store) oneCompetition(ctx context.Context, where string, arg any) (*financing.Competition, error) {
	var comps []*financing.Competition
	err := s.readTx(ctx, func(c conn) error {
		var err error
		comps, err = readCompetitions(ctx, c, where, "", arg)
		return err
	})
	if err != nil {
		return nil, wrap("read competition", err)
	}
	if len(comps) == 0 {
		return nil, fmt.Errorf("%w: competition %v", ErrNotFound, arg)
	}
	return comps[0], nil
}

// Competition reads one competition with its stages, ordered by start date
// then stage; ErrNotFound when there is none.
func (s *Store) Competition(ctx context.Context, id int64) (*financing.Competition, error) {
	return s.oneCompetition(ctx, "WHERE id = $1", id)
}

// CompetitionOfYear reads the competition of a year; ErrNotFound when there
// is none.
func (s *Store) CompetitionOfYear(ctx context.Context, year int) (*financing.Competition, error) {
	c, err := s.oneCompetition(ctx, "WHERE year = $1", int64(year))
	if errors.Is(err, ErrNotFound) {
		// Also the workflow's "no competition that year".
		return nil, fmt.Errorf("%w: %w", err, financing.ErrNoCompetition)
	}
	return c, err
}

// Competitions returns every competition with its stages, newest year
// first.
func (s *Store) Competitions(ctx context.Context) ([]*financing.Competition, error) {
	var comps []*financing.Competition
	err := s.readTx(ctx, func(c conn) error {
		var err error
		comps, err = readCompetitions(ctx, c, "", "ORDER BY year DESC")
		return err
	})
	return comps, wrap("read competitions", err)
}

// AddStageOffer offers a resource to a stage of a competition and sets
// o.ID. Offering the same resource to the same stage again replaces the
// note and keeps the offer's id. A missing competition is ErrNotFound. The
// resource itself is not looked up.
func (s *Store) AddStageOffer(ctx context.Context, o *financing.StageOffer) error {
	t := now()
	var id int64
	err := s.write(ctx, func(c conn) error {
		err := c.queryRow(ctx, `INSERT INTO stage_offers (competition_id, stage, resource_kind, resource_id, note)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (competition_id, stage, resource_kind, resource_id) DO UPDATE SET note = excluded.note
			RETURNING id`,
			o.CompetitionID, string(o.Stage), o.ResourceKind, o.ResourceID, o.Note).Scan(&id)
		if isForeignKeyViolation(err) {
			return fmt.Errorf("%w: competition %d", ErrNotFound, o.CompetitionID)
		}
		if err != nil {
			return err
		}
		return addOutbox(ctx, c, EntityCompetition, o.CompetitionID, t)
	})
	if err != nil {
		return wrap("add stage offer", err)
	}
	o.ID = id
	return nil
}

// StageOffers returns the offers of a competition's stage (every stage when
// stage is nil), ordered by id.
func (s *Store) StageOffers(ctx context.Context, competitionID int64, stage *catalog.CompetitionStage) ([]*financing.StageOffer, error) {
	q, args := "SELECT id, competition_id, stage, resource_kind, resource_id, note FROM stage_offers WHERE competition_id = $1", []any{competitionID}
	if stage != nil {
		q += " AND stage = $2"
		args = append(args, string(*stage))
	}
	rows, err := s.reader().query(ctx, q+" ORDER BY id", args...)
	if err != nil {
		return nil, wrap("read stage offers", err)
	}
	return collect(rows, func(sc scanner) (*financing.StageOffer, error) {
		var o financing.StageOffer
		if err := sc.Scan(&o.ID, &o.CompetitionID, &o.Stage, &o.ResourceKind, &o.ResourceID, &o.Note); err != nil {
			return nil, err
		}
		return &o, nil
	}, "read stage offers")
}

// Applications.

const (
	// applicationFixedCols never change once an application is made.
	applicationFixedCols = "enterprise_id, product_id, institution_id, program, created_at"
	// applicationMutableCols are written back by UpdateApplication.
	applicationMutableCols = "status, requested_amount, purpose, approved_amount, annual_rate, rejection_reason, " +
		"contest_phase, contest_year, pairing_score, green_channel, submitted_at, decision_due, decided_at, " +
		"closed_at, loss_compensation, disbursed_amount, disbursed_on, early_small_hard"
	applicationCols = "id, " + applicationFixedCols + ", " + applicationMutableCols
	eventCols       = "application_id, at, status, account_id, note"
)

func applicationMutableArgs(a *financing.Application) []any {
	var phase any
	if a.ContestPhase != nil {
		phase = string(*a.ContestPhase)
	}
	return []any{string(a.Status), int64(a.RequestedAmount), a.Purpose, nullInt(a.ApprovedAmount),
		nullFloat(a.AnnualRate), nullIfEmpty(a.RejectionReason), phase, nullIfZero(int64(a.ContestYear)),
		a.PairingScore, a.GreenChannel, nullTime(a.SubmittedAt), nullTime(a.DecisionDue), nullTime(a.DecidedAt),
		nullTime(a.ClosedAt), nullFloat(a.LossCompensation), nullInt(a.DisbursedAmount), nullDate(a.DisbursedOn),
		a.EarlySmallHard}
}

func scanApplication(sc scanner) (*financing.Application, error) {
	var (
		a                                         financing.Application
		approved, contestYear, disbursed          sql.NullInt64
		rate, loss                                sql.NullFloat64
		reason, phase                             sql.NullString
		created, submitted, due, decided, closedC timeCol
		disbursedOn                               dateCol
	)
	err := sc.Scan(&a.ID, &a.EnterpriseID, &a.ProductID, &a.InstitutionID, &a.Program, &created,
		&a.Status, &a.RequestedAmount, &a.Purpose, &approved, &rate, &reason, &phase, &contestYear,
		&a.PairingScore, &a.GreenChannel, &submitted, &due, &decided, &closedC, &loss, &disbursed,
		&disbursedOn, &a.EarlySmallHard)
	if err != nil {
		return nil, err
	}
	a.CreatedAt, a.RejectionReason, a.ContestYear = created.t, reason.String, int(contestYear.Int64)
	if approved.Valid {
		v := catalog.Amount(approved.Int64)
		a.ApprovedAmount = &v
	}
	if disbursed.Valid {
		v := catalog.Amount(disbursed.Int64)
		a.DisbursedAmount = &v
	}
	if rate.Valid {
		a.AnnualRate = &rate.Float64
	}
	if loss.Valid {
		a.LossCompensation = &loss.Float64
	}
	if phase.Valid {
		p := financing.Phase(phase.String)
		a.ContestPhase = &p
	}
	a.SubmittedAt, a.DecisionDue, a.DecidedAt, a.ClosedAt = submitted.ptr(), due.ptr(), decided.ptr(), closedC.ptr()
	a.DisbursedOn = disbursedOn.ptr()
	return &a, nil
}

// normalEvent returns ev as the store keeps it: at UTC to the microsecond,
// at t when it has no time.
func normalEvent(ev financing.Event, t time.Time) financing.Event {
	if ev.At.IsZero() {
		ev.At = t
	}
	ev.At = ev.At.UTC().Truncate(time.Microsecond)
	return ev
}

func insertEvents(ctx context.Context, c conn, id int64, evs []financing.Event) error {
	b := newBatch(c, "application_events", eventCols)
	for _, ev := range evs {
		if err := b.add(ctx, id, timeArg(ev.At), string(ev.Status), nullIfZero(ev.AccountID), nullIfEmpty(ev.Note)); err != nil {
			return err
		}
	}
	return b.flush(ctx)
}

// readEvents reads the events of the applications where selects, one
// query, and appends them to the application find returns for their id.
func readEvents(ctx context.Context, c conn, where string, args []any, find func(id int64) *financing.Application) error {
	rows, err := c.query(ctx, "SELECT "+eventCols+" FROM application_events "+where+" ORDER BY application_id, id", args...)
	if err != nil {
		return err
	}
	err = eachRow(rows, func() error {
		var (
			id      int64
			ev      financing.Event
			at      timeCol
			account sql.NullInt64
			note    sql.NullString
		)
		if err := rows.Scan(&id, &at, &ev.Status, &account, &note); err != nil {
			return err
		}
		ev.At, ev.AccountID, ev.Note = at.t, account.Int64, note.String
		if a := find(id); a != nil {
			a.Events = append(a.Events, ev)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read application events: %w", err)
	}
	return nil
}

// readApplication reads one application with its events, two queries; with
// lock, it holds the application's row lock until the transaction ends
// (PostgreSQL; SQLite has one writer).
func readApplication(ctx context.Context, c conn, id int64, lock bool) (*financing.Application, error) {
	q := selectSQL("applications", applicationCols, "WHERE id = $1")
	if lock && c.backend == Postgres {
		q += " FOR UPDATE"
	}
	a, err := scanApplication(c.queryRow(ctx, q, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%w: application %d", ErrNotFound, id)
	}
	if err != nil {
		return nil, err
	}
	find := func(int64) *financing.Application { return a }
	if err := readEvents(ctx, c, "WHERE application_id = $1", []any{id}, find); err != nil {
		return nil, err
	}
	return a, nil
}

// CreateApplication stores a and its first events (a.Events), and sets a.ID
// and a.CreatedAt: now, unless a.CreatedAt is set (history the demo
// backdates). An event without a time gets a.CreatedAt's. An InstitutionID
// or Program left zero is filled from the product. The enterprise and the
// product must exist (ErrNotFound); an open application (PRE_APPLIED,
// SUBMITTED or APPROVED) of the enterprise to the product is
// ErrOpenApplication, however many are made at once.
func (s *Store) CreateApplication(ctx context.Context, a *financing.Application) error {
	t := now()
	created := t
	if !a.CreatedAt.IsZero() {
		created = a.CreatedAt.UTC().Truncate(time.Microsecond)
	}
	events := make([]financing.Event, len(a.Events))
	for i, ev := range a.Events {
		events[i] = normalEvent(ev, created)
	}
	var id, institution int64
	var program catalog.Program
	err := s.write(ctx, func(c conn) error {
		if err := orgExists(ctx, c, OrgEnterprise, a.EnterpriseID); err != nil {
			return err
		}
		err := c.queryRow(ctx, "SELECT provider_id, program FROM financial_products WHERE id = $1", a.ProductID).Scan(&institution, &program)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("%w: financial product %d", ErrNotFound, a.ProductID)
		}
		if err != nil {
			return err
		}
		institution, program = cmp.Or(a.InstitutionID, institution), cmp.Or(a.Program, program)
		args := append([]any{a.EnterpriseID, a.ProductID, institution, string(program), timeArg(created)}, applicationMutableArgs(a)...)
		q := insertSQL(c.backend, "applications", applicationFixedCols+", "+applicationMutableCols, 1, " RETURNING id")
		err = c.queryRow(ctx, q, args...).Scan(&id)
		if uniqueViolation(err, "applications_open", "applications.enterprise_id") {
			return fmt.Errorf("%w: enterprise %d, product %d", ErrOpenApplication, a.EnterpriseID, a.ProductID)
		}
		if err != nil {
			return err
		}
		if err := insertEvents(ctx, c, id, events); err != nil {
			return err
		}
		return addOutbox(ctx, c, EntityApplication, id, t)
	})
	if err != nil {
		return wrapFinancing("create application", err)
	}
	a.ID, a.CreatedAt, a.InstitutionID, a.Program = id, created, institution, program
	if len(events) > 0 {
		a.Events = events
	}
	return nil
}

// fnError carries the error of UpdateApplication's fn out of the
// transaction, to be returned as it is.
type fnError struct{ err error }

func (e fnError) Error() string { return e.err.Error() }
func (e fnError) Unwrap() error { return e.err }

// fnPanic carries a panic of fn out of the transaction, which is rolled
// back before the panic goes on.
type fnPanic struct{ v any }

func (p fnPanic) Error() string { return fmt.Sprint("panic: ", p.v) }

// UpdateApplication changes an application in one write transaction: it
// reads the application with its events, holding its lock, so fn sees the
// committed state and no other change interleaves; fn mutates a and returns
// the event to append. When fn returns an error, nothing is written and
// UpdateApplication returns that error as it is. Otherwise every mutable
// column is written back (id, enterprise, product, institution, program and
// creation time are not, and are restored in a), the event is appended,
// also to a.Events (an event without a time gets now; an event without a
// status is not appended), and a change-log entry is written. A missing id
// is ErrNotFound; a change that would make a second open application of the
// enterprise to the product is ErrOpenApplication.
func (s *Store) UpdateApplication(ctx context.Context, id int64, fn func(a *financing.Application) (financing.Event, error)) (*financing.Application, error) {
	t := now()
	var a *financing.Application
	err := s.write(ctx, func(c conn) error {
		var err error
		if a, err = readApplication(ctx, c, id, true); err != nil {
			return err
		}
		fixed := *a
		ev, err := callUpdate(fn, a)
		if err != nil {
			return err
		}
		a.ID, a.EnterpriseID, a.ProductID, a.InstitutionID = fixed.ID, fixed.EnterpriseID, fixed.ProductID, fixed.InstitutionID
		a.Program, a.CreatedAt = fixed.Program, fixed.CreatedAt
		var set []string
		for i, col := range strings.Split(applicationMutableCols, ", ") {
			set = append(set, fmt.Sprintf("%s = $%d", col, i+2))
		}
		_, err = c.exec(ctx, "UPDATE applications SET "+strings.Join(set, ", ")+" WHERE id = $1",
			append([]any{id}, applicationMutableArgs(a)...)...)
		if uniqueViolation(err, "applications_open", "applications.enterprise_id") {
			return fmt.Errorf("%w: enterprise %d, product %d", ErrOpenApplication, a.EnterpriseID, a.ProductID)
		}
		if err != nil {
			return err
		}
		if ev.Status != "" {
			ev = normalEvent(ev, t)
			if err := insertEvents(ctx, c, id, []financing.Event{ev}); err != nil {
				return err
			}
			a.Events = append(a.Events, ev)
		}
		return addOutbox(ctx, c, EntityApplication, id, t)
	})
	var fe fnError
	if errors.As(err, &fe) {
		return nil, fe.err
	}
	var fp fnPanic
	if errors.As(err, &fp) {
		panic(fp.v)
	}
	if err != nil {
		return nil, wrapFinancing("update application", err)
	}
	return a, nil
}

// callUpdate calls fn, turning its error into an fnError and its panic
// into an fnPanic, so the transaction is rolled back either way.
func callUpdate(fn func(a *financing.Application) (financing.Event, error), a *financing.Application) (ev financing.Event, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fnPanic{v}
		}
	}()
	ev, err = fn(a)
	if err != nil {
		err = fnError{err}
	}
	return ev, err
}

// Application reads one application with its events; ErrNotFound when
// there is none.
func (s *Store) Application(ctx context.Context, id int64) (*financing.Application, error) {
	var a *financing.Application
	err := s.readTx(ctx, func(c conn) error {
		var err error
		a, err = readApplication(ctx, c, id, false)
		return err
	})
	if err != nil {
		return nil, wrap("read application", err)
	}
	return a, nil
}

// ApplicationQuery selects and orders applications. Zero fields do not
// filter; each list keeps the applications matching one of its values.
type ApplicationQuery struct {
	EnterpriseID, ProductID, InstitutionID int64
	Statuses                               []financing.Status
	Programs                               []catalog.Program
	Phases                                 []financing.Phase
	// OverdueAt, when set, keeps only SUBMITTED applications whose decision
	// is due before it.
	OverdueAt time.Time
	// EnterpriseIDs, when not nil, keeps only these enterprises'
	// applications: an empty list keeps none.
	EnterpriseIDs []int64
	// Queue false orders newest first (id descending); true orders the
	// review queue: green channel first, then earliest decision due (none
	// last), then oldest submission (none last), then id.
	Queue bool
	// After is a cursor from ApplicationCursor, of the same order; "" for
	// the first page.
	After string
	// Limit is the page's size; 0 or less is every match.
	Limit int
}

// where returns the query's filters, numbering placeholders after args'.
func (q ApplicationQuery) where(backend string, args *[]any) []string {
	var conds []string
	add := func(cond string, vs ...any) { conds = append(conds, numbered(cond, args, vs...)) }
	in := func(col string, vs []any) {
		add(col+" IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(vs)), ", ")+")", vs...)
	}
	if q.EnterpriseID != 0 {
		add("enterprise_id = ?", q.EnterpriseID)
	}
	if q.ProductID != 0 {
		add("product_id = ?", q.ProductID)
	}
	if q.InstitutionID != 0 {
		add("institution_id = ?", q.InstitutionID)
	}
	if len(q.Statuses) > 0 {
		in("status", stringArgs(q.Statuses))
	}
	if len(q.Programs) > 0 {
		in("program", stringArgs(q.Programs))
	}
	if len(q.Phases) > 0 {
		in("contest_phase", stringArgs(q.Phases))
	}
	if !q.OverdueAt.IsZero() {
		add("status = ? AND decision_due < ?", string(financing.Submitted), timeArg(q.OverdueAt))
	}
	if q.EnterpriseIDs != nil {
		cond, arg := idsArg(backend, "enterprise_id", q.EnterpriseIDs)
		add(cond, arg)
	}
	return conds
}

func stringArgs[T ~string](vs []T) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// The queue's sort key, in order: green channel first (0), then decision
// due and submission time, nulls last, then id.
const (
	queueGreen = "CASE WHEN green_channel THEN 0 ELSE 1 END"
	queueOrder = queueGreen + ", decision_due NULLS LAST, submitted_at NULLS LAST, id"
)

// position is where a page starts: after the application whose sort key
// it holds. Times are as timeArg formats them; "" is NULL.
type position struct {
	queue       bool
	green       int64
	due, submit string
	id          int64
}

// ApplicationCursor returns the opaque, URL-safe cursor of a's position in
// the order queue selects, for ApplicationQuery.After.
func ApplicationCursor(a *financing.Application, queue bool) string {
	raw := "n," + strconv.FormatInt(a.ID, 10)
	if queue {
		green := "1"
		if a.GreenChannel {
			green = "0"
		}
		opt := func(t *time.Time) string {
			if t == nil {
				return ""
			}
			return timeArg(*t)
		}
		raw = strings.Join([]string{"q", green, opt(a.DecisionDue), opt(a.SubmittedAt), strconv.FormatInt(a.ID, 10)}, ",")
	}
	return base64.RawURLEncoding.EncodeToString([]byte(raw))
}

func parseCursor(cursor string, queue bool) (position, error) {
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return position{}, ErrBadCursor
	}
	parts := strings.Split(string(b), ",")
	id := func(s string) (int64, error) {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			return 0, ErrBadCursor
		}
		return n, nil
	}
	if !queue {
		if len(parts) != 2 || parts[0] != "n" {
			return position{}, ErrBadCursor
		}
		n, err := id(parts[1])
		return position{id: n}, err
	}
	if len(parts) != 5 || parts[0] != "q" || (parts[1] != "0" && parts[1] != "1") {
		return position{}, ErrBadCursor
	}
	p := position{queue: true, green: int64(parts[1][0] - '0')}
	for i, dst := range []*string{&p.due, &p.submit} {
		if s := parts[2+i]; s != "" {
			t, err := time.Parse(timeLayout, s)
			if err != nil {
				return position{}, ErrBadCursor
			}
			*dst = timeArg(t)
		}
	}
	p.id, err = id(parts[4])
	return p, err
}

// after returns the condition that keeps the rows after p in its order.
func (p position) after(args *[]any) string {
	if !p.queue {
		return numbered("id < ?", args, p.id)
	}
	// Built from the last key to the first: each level is "greater here, or
	// equal here and after on the rest". NULL sorts after every time.
	rest := numbered("id > ?", args, p.id)
	for _, k := range []struct{ col, v string }{{"submitted_at", p.submit}, {"decision_due", p.due}} {
		if k.v == "" {
			rest = fmt.Sprintf("(%s IS NULL AND %s)", k.col, rest)
			continue
		}
		cond := fmt.Sprintf("(%s IS NULL OR %s > ? OR (%s = ? AND %s))", k.col, k.col, k.col, rest)
		// rest's placeholders are numbered already; number this level's
		// two after them.
		rest = numbered(cond, args, k.v, k.v)
	}
	return numbered(fmt.Sprintf("(%s > ? OR (%s = ? AND %s))", queueGreen, queueGreen, rest), args, p.green, p.green)
}

// Applications returns a page of the applications q selects, in q's order,
// with their events; how many applications q selects in all; and whether
// there is a page after this one. A page costs three statements (two when
// it is empty), whatever its size.
func (s *Store) Applications(ctx context.Context, q ApplicationQuery) (apps []*financing.Application, total int, hasNext bool, err error) {
	var pos *position
	if q.After != "" {
		p, err := parseCursor(q.After, q.Queue)
		if err != nil {
			return nil, 0, false, err
		}
		pos = &p
	}
	if q.EnterpriseIDs != nil && len(q.EnterpriseIDs) == 0 {
		return nil, 0, false, nil
	}
	err = s.readTx(ctx, func(c conn) error {
		var args []any
		conds := q.where(c.backend, &args)
		where := ""
		if len(conds) > 0 {
			where = "WHERE " + strings.Join(conds, " AND ")
		}
		if err := c.queryRow(ctx, "SELECT COUNT(*) FROM applications "+where, args...).Scan(&total); err != nil {
			return fmt.Errorf("count applications: %w", err)
		}
		if pos != nil {
			conds = append(conds, pos.after(&args))
			where = "WHERE " + strings.Join(conds, " AND ")
		}
		order := " ORDER BY id DESC"
		if q.Queue {
			order = " ORDER BY " + queueOrder
		}
		if q.Limit > 0 {
			order += fmt.Sprintf(" LIMIT %d", q.Limit+1)
		}
		rows, err := c.query(ctx, selectSQL("applications", applicationCols, where+order), args...)
		if err != nil {
			return err
		}
		if apps, err = collect(rows, scanApplication, "list applications"); err != nil {
			return err
		}
		if q.Limit > 0 && len(apps) > q.Limit {
			apps, hasNext = apps[:q.Limit], true
		}
		if len(apps) == 0 {
			return nil
		}
		byID := make(map[int64]*financing.Application, len(apps))
		ids := make([]int64, len(apps))
		for i, a := range apps {
			byID[a.ID], ids[i] = a, a.ID
		}
		cond, arg := idsArg(c.backend, "application_id", ids)
		return readEvents(ctx, c, "WHERE "+numbered(cond, new([]any), arg), []any{arg},
			func(id int64) *financing.Application { return byID[id] })
	})
	if err != nil {
		return nil, 0, false, wrap("list applications", err)
	}
	return apps, total, hasNext, nil
}

// PreAppliedDue returns the ids of the PRE_APPLIED applications whose
// contest year's competition has its first stage start on or before
// today's date.
func (s *Store) PreAppliedDue(ctx context.Context, today time.Time) ([]int64, error) {
	rows, err := s.reader().query(ctx, `SELECT a.id FROM applications a
		JOIN competitions c ON c.year = a.contest_year
		WHERE a.status = $1
		AND (SELECT MIN(st.starts_on) FROM competition_stages st WHERE st.competition_id = c.id) <= $2
		ORDER BY a.id`, string(financing.PreApplied), dateArg(today))
	if err != nil {
		return nil, wrap("read pre-applications due", err)
	}
	ids, err := scanIDs(rows)
	return ids, wrap("read pre-applications due", err)
}

// AppliedEnterprises returns the enterprises, in id order, that have an
// application to the institution that is not WITHDRAWN and is undecided or
// was decided no more than a year before today (decided on or after
// today's date a year earlier, UTC).
func (s *Store) AppliedEnterprises(ctx context.Context, institutionID int64, today time.Time) ([]int64, error) {
	rows, err := s.reader().query(ctx, "SELECT DISTINCT enterprise_id FROM applications WHERE "+appliedWhere("$1", "$2")+" ORDER BY enterprise_id",
		institutionID, timeArg(dateOnly(today).AddDate(-1, 0, 0)))
	if err != nil {
		return nil, wrap("read applied enterprises", err)
	}
	ids, err := scanIDs(rows)
	return ids, wrap("read applied enterprises", err)
}

// appliedWhere selects the applications that let institution inst read
// their applicant's data: not withdrawn, and undecided or decided at or
// after since (a year before today).
func appliedWhere(inst, since string) string {
	return "institution_id = " + inst + " AND status <> 'WITHDRAWN' AND (decided_at IS NULL OR decided_at >= " + since + ")"
}

// dateOnly is t's UTC date at 00:00 UTC.
func dateOnly(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// ApplicationsOfYear returns, in id order and without their events, the
// applications disbursed or decided within the calendar year (UTC).
func (s *Store) ApplicationsOfYear(ctx context.Context, year int) ([]*financing.Application, error) {
	from, to := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(year+1, 1, 1, 0, 0, 0, 0, time.UTC)
	rows, err := s.reader().query(ctx, selectSQL("applications", applicationCols,
		`WHERE (disbursed_on >= $1 AND disbursed_on < $2) OR (decided_at >= $3 AND decided_at < $4) ORDER BY id`),
		dateArg(from), dateArg(to), timeArg(from), timeArg(to))
	if err != nil {
		return nil, wrap("read applications of a year", err)
	}
	return collect(rows, scanApplication, "read applications of a year")
}

// FundedEnterprises returns the enterprises, in id order, with an APPROVED
// or DISBURSED application to a product of the kind decided at or after
// since.
func (s *Store) FundedEnterprises(ctx context.Context, kind catalog.ProductKind, since time.Time) ([]int64, error) {
	rows, err := s.reader().query(ctx, `SELECT DISTINCT a.enterprise_id FROM applications a
		JOIN financial_products p ON p.id = a.product_id
		WHERE p.kind = $1 AND a.status IN ($2, $3) AND a.decided_at >= $4
		ORDER BY a.enterprise_id`, string(kind), string(financing.Approved), string(financing.Disbursed), timeArg(since))
	if err != nil {
		return nil, wrap("read funded enterprises", err)
	}
	ids, err := scanIDs(rows)
	return ids, wrap("read funded enterprises", err)
}

// Holidays.

// SetHolidays replaces the calendar of h.Year with h's, in one
// transaction; a year set to no day at all is still set (see Holidays).
// Every day must fall in h.Year, and none may be both a holiday and a
// working weekend day.
func (s *Store) SetHolidays(ctx context.Context, h financing.HolidayYear) error {
	working := map[string]bool{}
	for i, days := range [][]time.Time{h.Holidays, h.WorkingWeekends} {
		for _, d := range days {
			if d.Year() != h.Year {
				return fmt.Errorf("store: set holidays: %s is not in %d", dateArg(d), h.Year)
			}
			w, seen := working[dateArg(d)]
			if seen && w != (i == 1) {
				return fmt.Errorf("store: set holidays: %s is both a holiday and a working day", dateArg(d))
			}
			working[dateArg(d)] = i == 1
		}
	}
	days := make([]string, 0, len(working))
	for d := range working {
		days = append(days, d)
	}
	slices.Sort(days)
	t := now()
	err := s.write(ctx, func(c conn) error {
		if _, err := c.exec(ctx, `INSERT INTO holiday_years (year, set_at) VALUES ($1, $2)
			ON CONFLICT (year) DO UPDATE SET set_at = excluded.set_at`, int64(h.Year), timeArg(t)); err != nil {
			return err
		}
		if _, err := c.exec(ctx, "DELETE FROM holidays WHERE year = $1", int64(h.Year)); err != nil {
			return err
		}
		b := newBatch(c, "holidays", "day, year, working")
		for _, d := range days {
			if err := b.add(ctx, d, int64(h.Year), working[d]); err != nil {
				return err
			}
		}
		if err := b.flush(ctx); err != nil {
			return err
		}
		return audit(ctx, c, "Holidays", int64(h.Year), t)
	})
	return wrap("set holidays", err)
}

// Holidays returns the calendars set for the years fromYear to toYear, both
// inclusive, in year order, with their days in date order. A year never set
// is left out; a year set to no day comes back with empty (non-nil) lists.
func (s *Store) Holidays(ctx context.Context, fromYear, toYear int) ([]financing.HolidayYear, error) {
	var years []financing.HolidayYear
	err := s.readTx(ctx, func(c conn) error {
		rows, err := c.query(ctx, "SELECT year FROM holiday_years WHERE year BETWEEN $1 AND $2 ORDER BY year",
			int64(fromYear), int64(toYear))
		if err != nil {
			return err
		}
		ids, err := scanIDs(rows)
		if err != nil || len(ids) == 0 {
			return err
		}
		index := map[int]int{}
		for i, y := range ids {
			years = append(years, financing.HolidayYear{Year: int(y), Holidays: []time.Time{}, WorkingWeekends: []time.Time{}})
			index[int(y)] = i
		}
		rows, err = c.query(ctx, "SELECT day, year, working FROM holidays WHERE year BETWEEN $1 AND $2 ORDER BY day",
			int64(fromYear), int64(toYear))
		if err != nil {
			return err
		}
		return eachRow(rows, func() error {
			var day dateCol
			var year int64
			var working bool
			if err := rows.Scan(&day, &year, &working); err != nil {
				return err
			}
			i, ok := index[int(year)]
			if !ok {
				return nil
			}
			if working {
				years[i].WorkingWeekends = append(years[i].WorkingWeekends, day.t)
			} else {
				years[i].Holidays = append(years[i].Holidays, day.t)
			}
			return nil
		})
	})
	if err != nil {
		return nil, wrap("read holidays", err)
	}
	return years, nil
}
