package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Times and dates are bound as text in one fixed layout, which PostgreSQL
// parses into TIMESTAMPTZ and DATE and SQLite keeps as it is; so the same
// arguments serve both backends, and SQLite's text sorts in time order.
const (
	timeLayout = "2006-01-02T15:04:05.000000Z07:00"
	dateLayout = time.DateOnly
)

// timeArg returns t as a statement argument: UTC, to the microsecond.
func timeArg(t time.Time) string {
	return t.UTC().Truncate(time.Microsecond).Format(timeLayout)
}

// dateArg returns the calendar date of t, in t's own location.
func dateArg(t time.Time) string { return t.Format(dateLayout) }

// timeCol scans a timestamp column: time.Time from PostgreSQL, text from
// SQLite. A NULL leaves the zero time.
type timeCol struct{ t time.Time }

func (c *timeCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		c.t = time.Time{}
	case time.Time:
		c.t = v.UTC()
	case string:
		return c.parse(v)
	case []byte:
		return c.parse(string(v))
	default:
		return fmt.Errorf("timestamp column holds %T", src)
	}
	return nil
}

func (c *timeCol) parse(s string) error {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("timestamp column: %w", err)
	}
	c.t = t.UTC()
	return nil
}

// dateCol scans a nullable date column into a calendar date at 00:00 UTC.
type dateCol struct {
	t     time.Time
	valid bool
}

func (c *dateCol) Scan(src any) error {
	var t time.Time
	switch v := src.(type) {
	case nil:
		*c = dateCol{}
		return nil
	case time.Time:
		t = v
	case string, []byte:
		var err error
		if t, err = time.Parse(dateLayout, asString(v)); err != nil {
			return fmt.Errorf("date column: %w", err)
		}
	default:
		return fmt.Errorf("date column holds %T", src)
	}
	*c = dateCol{t: time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), valid: true}
	return nil
}

func (c dateCol) ptr() *time.Time {
	if !c.valid {
		return nil
	}
	t := c.t
	return &t
}

func asString(v any) string {
	if b, ok := v.([]byte); ok {
		return string(b)
	}
	return v.(string)
}

// jsonArg encodes a small list or value stored as JSON text.
func jsonArg(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return string(b), nil
}

// jsonCol scans JSON text into the value v points to; NULL leaves it alone.
type jsonCol struct{ v any }

func (c jsonCol) Scan(src any) error {
	switch s := src.(type) {
	case nil:
		return nil
	case string, []byte:
		if err := json.Unmarshal([]byte(asString(s)), c.v); err != nil {
			return fmt.Errorf("json column: %w", err)
		}
		return nil
	}
	return fmt.Errorf("json column holds %T", src)
}

// Arguments for nullable columns.

func nullString(p *string) any {
	if p == nil {
		return nil
	}
	return *p
}

func nullInt[T ~int | ~int64](p *T) any {
	if p == nil {
		return nil
	}
	return int64(*p)
}

func nullFloat(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// creditCodeTaken turns a violation of the unique index on
// enterprises.credit_code into ErrDuplicateCreditCode and returns any other
// error unchanged. PostgreSQL names the index, SQLite the column.
func creditCodeTaken(err error, code string) error {
	var pe *pgconn.PgError
	var se *sqlite.Error
	switch {
	case errors.As(err, &pe) && pe.Code == "23505" && pe.ConstraintName == "enterprises_credit_code",
		errors.As(err, &se) && se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE && strings.Contains(se.Error(), "enterprises.credit_code"):
		return fmt.Errorf("%w: %s", ErrDuplicateCreditCode, code)
	}
	return err
}

// isForeignKeyViolation reports whether err is a foreign-key violation.
func isForeignKeyViolation(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23503"
	}
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

// wrap prefixes err with the operation that failed; the store's sentinel
// errors, already worded for the caller, pass through unchanged.
func wrap(op string, err error) error {
	if err == nil || errors.Is(err, ErrNotFound) || errors.Is(err, ErrDuplicateCreditCode) || errors.Is(err, ErrProviderNotFound) {
		return err
	}
	return fmt.Errorf("store: %s: %w", op, err)
}

// notFoundUnlessAffected returns ErrNotFound, naming what and id, when res
// changed no row.
func notFoundUnlessAffected(res sql.Result, what string, id int64) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("%w: %s %d", ErrNotFound, what, id)
	}
	return nil
}
