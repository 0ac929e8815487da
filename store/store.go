package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers driver "pgx"
	_ "modernc.org/sqlite"             // registers driver "sqlite"
)

// Errors returned by the store, matched with errors.Is.
var (
	ErrNotFound            = errors.New("store: not found")
	ErrDuplicateCreditCode = errors.New("store: duplicate credit code")
	ErrProviderNotFound    = errors.New("store: provider institution not found")
)

// Backend names returned by [Store.Backend].
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

// FileName is the name of the SQLite database file in the data directory.
const FileName = "yurong.db"

// Store is the system of record. It is safe for concurrent use; create one
// with [Open] and share it.
type Store struct {
	backend string
	// db runs every write. On SQLite it holds a single connection, so writers
	// queue in Go instead of failing with SQLITE_BUSY.
	db *sql.DB
	// read runs reads. On SQLite it is a separate pool of read-only
	// connections, which WAL mode lets read while a write is in progress; on
	// PostgreSQL it is db.
	read    *sql.DB
	queries atomic.Int64
	// committed, when set, hears of every change this Store commits.
	committed func(seq int64)
	leases    leases
	// lock is the shared lock on the SQLite data directory (lock.go), held
	// until Close so a restore cannot replace the file under this Store;
	// nil on PostgreSQL.
	lock *dirLock
}

// Open opens the system of record and applies any pending migrations.
// With an empty databaseURL it uses the SQLite file [FileName] in dataDir,
// creating the directory and the file when missing; otherwise databaseURL is
// a PostgreSQL URL (postgres://user@host:5432/db?sslmode=disable).
func Open(ctx context.Context, databaseURL, dataDir string) (*Store, error) {
	var s *Store
	var err error
	if databaseURL == "" {
		s, err = openSQLite(dataDir)
	} else {
		s, err = openPostgres(databaseURL)
	}
	if err != nil {
		return nil, err
	}
	if err := s.Ping(ctx); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func openSQLite(dataDir string) (*Store, error) {
	if dataDir == "" {
		return nil, errors.New("store: no data directory for the SQLite database")
	}
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return nil, fmt.Errorf("store: create data directory: %w", err)
	}
	path, err := filepath.Abs(filepath.Join(dataDir, FileName))
	if err != nil {
		return nil, fmt.Errorf("store: data directory: %w", err)
	}
	lock, err := lockDir(filepath.Dir(path), false)
	if err != nil {
		return nil, err
	}
	dsn := func(params url.Values) string { return sqliteDSN(path, params) }
	common := url.Values{"_pragma": {"foreign_keys(1)", "busy_timeout(5000)"}}

	wp := url.Values{
		"_pragma": append(common["_pragma"], "journal_mode(WAL)", "synchronous(NORMAL)"),
		"_txlock": {"immediate"},
	}
	w, err := sql.Open("sqlite", dsn(wp))
	if err != nil {
		lock.release()
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)

	rp := url.Values{"_pragma": common["_pragma"], "_query_only": {"1"}}
	r, err := sql.Open("sqlite", dsn(rp))
	if err != nil {
		w.Close()
		lock.release()
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	r.SetMaxOpenConns(4)
	r.SetMaxIdleConns(4)
	return &Store{backend: SQLite, db: w, read: r, lock: lock}, nil
}

func openPostgres(databaseURL string) (*Store, error) {
	db, err := sql.Open("pgx", databaseURL)
	if err != nil {
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	db.SetMaxOpenConns(20)
	db.SetMaxIdleConns(10)
	db.SetConnMaxIdleTime(5 * time.Minute)
	return &Store{backend: Postgres, db: db, read: db}, nil
}

// Close closes the database connections.
func (s *Store) Close() error {
	err := s.closeLeases()
	if s.read != s.db {
		err = errors.Join(err, s.read.Close())
	}
	// The lock goes last: the connections' files are closed by then.
	return errors.Join(err, s.db.Close(), s.lock.release())
}

// Backend returns [SQLite] or [Postgres].
func (s *Store) Backend() string { return s.backend }

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.db.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping %s: %w", s.backend, err)
	}
	if s.read != s.db {
		if err := s.read.PingContext(ctx); err != nil {
			return fmt.Errorf("store: ping %s: %w", s.backend, err)
		}
	}
	return nil
}

// Queries returns the number of SQL statements the store has executed since
// it was opened, transaction control (BEGIN, COMMIT) not included.
func (s *Store) Queries() int64 { return s.queries.Load() }

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// conn runs statements on a querier and counts them.
type conn struct {
	q       querier
	backend string
	n       *atomic.Int64
	// logged collects the change-log positions a write transaction appends,
	// for the commit hook; nil outside a write.
	logged *[]int64
	// audited is set once the transaction has written its audit entry; nil
	// outside a write.
	audited *bool
}

// reader returns a conn for a single read statement outside a transaction.
func (s *Store) reader() conn { return conn{q: s.read, backend: s.backend, n: &s.queries} }

func (c conn) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	c.n.Add(1)
	ctx, span := c.startSpan(ctx, query)
	res, err := c.q.ExecContext(ctx, query, args...)
	endSpan(span, err)
	return res, err
}

// query's span ends when the statement has run, before its rows are read.
func (c conn) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	c.n.Add(1)
	ctx, span := c.startSpan(ctx, query)
	rows, err := c.q.QueryContext(ctx, query, args...)
	endSpan(span, err)
	return rows, err
}

func (c conn) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	c.n.Add(1)
	ctx, span := c.startSpan(ctx, query)
	row := c.q.QueryRowContext(ctx, query, args...)
	endSpan(span, row.Err()) // the statement's error; no rows is Scan's
	return row
}

// write runs fn in a write transaction and commits it when fn returns nil.
func (s *Store) write(ctx context.Context, fn func(c conn) error) error {
	return s.inTx(ctx, s.db, nil, fn)
}

// readTx runs fn in a read-only transaction that sees one snapshot.
func (s *Store) readTx(ctx context.Context, fn func(c conn) error) error {
	return s.inTx(ctx, s.read, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}, fn)
}

func (s *Store) inTx(ctx context.Context, db *sql.DB, opts *sql.TxOptions, fn func(c conn) error) error {
	tx, err := db.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	var logged []int64
	var audited bool
	if err := fn(conn{q: tx, backend: s.backend, n: &s.queries, logged: &logged, audited: &audited}); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if s.committed != nil {
		for _, seq := range logged {
			s.committed(seq)
		}
	}
	return nil
}

// OnCommit registers f to hear, before each write method returns, the
// change-log position of every change that write committed. The read model
// uses it to tell its own changes from other instances' when it follows the
// log. Call it before the first write; f must not block.
func (s *Store) OnCommit(f func(seq int64)) { s.committed = f }

// now is the time stamped on a write: UTC, to the microsecond, which is what
// both backends keep.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }
