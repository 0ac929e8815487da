package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
)

// IndexDir is the directory of the embedded search index in a data
// directory, which [Restore] removes (see search.Open).
const IndexDir = "search"

// Errors of [Backup] and [Restore], matched with errors.Is.
var (
	// ErrNoStore: the data directory holds no embedded store.
	ErrNoStore = errors.New("store: no embedded store")
	// ErrNotBackup: the file is no Yurong database, or a damaged one.
	ErrNotBackup = errors.New("store: not a Yurong backup")
	// ErrNewerSchema: the backup has migrations this binary does not know.
	ErrNewerSchema = errors.New("store: backup from a newer version")
	// ErrFileExists: a backup would overwrite a file.
	ErrFileExists = errors.New("store: file exists")
)

// BackupInfo describes a backup file: its size, the schema version and the
// change log's head it holds.
type BackupInfo struct {
	File          string
	Bytes         int64
	SchemaVersion int64
	LogHead       int64
}

// Backup writes a consistent copy of the embedded store in dataDir to
// file, which must not exist, while servers go on writing. The copy is
// made by VACUUM INTO in one read transaction (a snapshot of WAL mode), so
// it holds every transaction committed before that snapshot and none
// after; it goes to a temporary file beside file, is synced and checked
// like a restore checks it, then renamed into place.
func Backup(ctx context.Context, dataDir, file string) (BackupInfo, error) {
	src, err := filepath.Abs(filepath.Join(dataDir, FileName))
	if err != nil {
		return BackupInfo{}, fmt.Errorf("store: backup: %w", err)
	}
	if _, err := os.Stat(src); err != nil {
		return BackupInfo{}, fmt.Errorf("%w in %s: %v", ErrNoStore, filepath.Dir(src), err)
	}
	dst, err := filepath.Abs(file)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("store: backup: %w", err)
	}
	if _, err := os.Lstat(dst); err == nil {
		return BackupInfo{}, fmt.Errorf("%w: %s; choose a new name for the backup", ErrFileExists, dst)
	}
	// The shared lock keeps a restore from replacing the database while
	// it is copied; servers hold it too and go on.
	lock, err := lockDir(filepath.Dir(src), false)
	if err != nil {
		return BackupInfo{}, err
	}
	defer lock.release()

	// A plain connection, not Open: a backup must not migrate the database
	// of a server that may run an older binary.
	// Not query_only, which refuses VACUUM INTO; the statement only reads
	// the source.
	db, err := sql.Open("sqlite", sqliteDSN(src, url.Values{"_pragma": {"busy_timeout(5000)"}}))
	if err != nil {
		return BackupInfo{}, fmt.Errorf("store: backup: %w", err)
	}
	defer db.Close()
	tmp := tempName(dst)
	defer os.Remove(tmp) // a no-op once renamed
	if _, err := db.ExecContext(ctx, "VACUUM INTO $1", tmp); err != nil {
		return BackupInfo{}, fmt.Errorf("store: backup %s: %w", src, err)
	}
	if err := syncFile(tmp); err != nil {
		return BackupInfo{}, fmt.Errorf("store: backup: %w", err)
	}
	info, err := checkBackup(ctx, tmp, dst, false)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("store: the backup just written fails its check: %w", err)
	}
	if _, err := os.Lstat(dst); err == nil {
		return BackupInfo{}, fmt.Errorf("%w: %s appeared while the backup was written", ErrFileExists, dst)
	}
	if err := os.Rename(tmp, dst); err != nil {
		return BackupInfo{}, fmt.Errorf("store: backup: %w", err)
	}
	if err := syncDir(filepath.Dir(dst)); err != nil {
		return BackupInfo{}, fmt.Errorf("store: backup: %w", err)
	}
	info.File = dst
	return info, nil
}

// Restore replaces the embedded store in dataDir (created when missing)
// with the backup in file. It refuses, leaving everything as it was, when
// any process has the store open (an error wrapping [ErrInUse] that names
// the directory and, on Linux, the processes), when file is no Yurong
// database or fails PRAGMA integrity_check ([ErrNotBackup]), and when it
// holds migrations this binary does not know ([ErrNewerSchema]).
//
// The backup is copied to a temporary file in dataDir and checked there;
// the search indexes' checkpoints are dropped from the copy, and the
// embedded index directory is removed, so the next start rebuilds the
// index from the restored data instead of pairing it with a newer index.
// Then the stale -wal and -shm files are removed and the copy renamed over
// the database.
func Restore(ctx context.Context, dataDir, file string) (BackupInfo, error) {
	dir, err := filepath.Abs(dataDir)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("store: restore: %w", err)
	}
	src, err := filepath.Abs(file)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("store: restore: %w", err)
	}
	st, err := os.Stat(src)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("store: restore: %w", err)
	}
	if !st.Mode().IsRegular() {
		return BackupInfo{}, fmt.Errorf("%w: %s is not a regular file", ErrNotBackup, src)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return BackupInfo{}, fmt.Errorf("store: restore: create data directory: %w", err)
	}
	lock, err := lockDir(dir, true)
	if err != nil {
		return BackupInfo{}, err
	}
	defer lock.release()

	dbPath := filepath.Join(dir, FileName)
	if same, err := sameFile(src, dbPath); err != nil || same {
		if err == nil {
			err = fmt.Errorf("%s is the database itself", src)
		}
		return BackupInfo{}, fmt.Errorf("store: restore: %w", err)
	}
	tmp := tempName(dbPath)
	defer os.Remove(tmp) // a no-op once renamed
	if err := copyFile(src, tmp); err != nil {
		return BackupInfo{}, fmt.Errorf("store: restore: copy %s: %w", src, err)
	}
	info, err := checkBackup(ctx, tmp, src, true)
	if err != nil {
		return BackupInfo{}, err
	}
	if err := syncFile(tmp); err != nil {
		return BackupInfo{}, fmt.Errorf("store: restore: %w", err)
	}
	// From here on the old database is replaced. The index goes first: a
	// crash before the rename leaves the old database with no index, which
	// the next start rebuilds.
	if err := os.RemoveAll(filepath.Join(dir, IndexDir)); err != nil {
		return BackupInfo{}, fmt.Errorf("store: restore: remove the search index: %w", err)
	}
	// Stale WAL frames would be applied to the restored file.
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if err := os.Remove(dbPath + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return BackupInfo{}, fmt.Errorf("store: restore: %w", err)
		}
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		return BackupInfo{}, fmt.Errorf("store: restore: %w", err)
	}
	if err := syncDir(dir); err != nil {
		return BackupInfo{}, fmt.Errorf("store: restore: %w", err)
	}
	info.File = dbPath
	return info, nil
}

// checkBackup checks that path (a copy of the file called name in errors)
// is a sound Yurong database whose migrations this binary knows, and reads
// what it holds. With prepare set it also
// readies the file to serve as the store: rollback journal (one
// self-contained file) and no search checkpoints (the indexes they belong
// to are not restored with it).
func checkBackup(ctx context.Context, path, name string, prepare bool) (BackupInfo, error) {
	params := url.Values{"_pragma": {"busy_timeout(5000)"}}
	if !prepare {
		params["_pragma"] = append(params["_pragma"], "query_only(1)")
	}
	db, err := sql.Open("sqlite", sqliteDSN(path, params))
	if err != nil {
		return BackupInfo{}, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var problems []string
	rows, err := db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return BackupInfo{}, fmt.Errorf("%w: %s: %v", ErrNotBackup, name, err)
	}
	err = eachRow(rows, func() error {
		var p string
		if err := rows.Scan(&p); err != nil {
			return err
		}
		if p != "ok" {
			problems = append(problems, p)
		}
		return nil
	})
	if err != nil {
		return BackupInfo{}, fmt.Errorf("%w: %s: %v", ErrNotBackup, name, err)
	}
	if len(problems) > 0 {
		return BackupInfo{}, fmt.Errorf("%w: %s: integrity check failed: %s", ErrNotBackup, name, strings.Join(problems[:min(len(problems), 5)], "; "))
	}
	c := conn{q: db, backend: SQLite, n: new(atomic.Int64)}
	applied, err := appliedVersions(ctx, c)
	if err != nil {
		return BackupInfo{}, fmt.Errorf("%w: %s: no schema_migrations table (%v)", ErrNotBackup, name, err)
	}
	if len(applied) == 0 {
		return BackupInfo{}, fmt.Errorf("%w: %s: schema_migrations is empty", ErrNotBackup, name)
	}
	known, err := loadMigrations(SQLite)
	if err != nil {
		return BackupInfo{}, err
	}
	knownAt := map[int64]bool{}
	for _, m := range known {
		knownAt[m.version] = true
	}
	var info BackupInfo
	for v := range applied {
		info.SchemaVersion = max(info.SchemaVersion, v)
		if !knownAt[v] {
			return BackupInfo{}, fmt.Errorf("%w: %s: it holds schema version %d, which this binary (up to %d) does not know; restore it with the version that wrote it",
				ErrNewerSchema, name, v, known[len(known)-1].version)
		}
	}
	if err := db.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM outbox").Scan(&info.LogHead); err != nil {
		return BackupInfo{}, fmt.Errorf("%w: %s: %v", ErrNotBackup, name, err)
	}
	var h int64
	err = db.QueryRowContext(ctx, "SELECT seq FROM log_positions WHERE name = $1", horizon).Scan(&h)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return BackupInfo{}, fmt.Errorf("%w: %s: %v", ErrNotBackup, name, err)
	}
	info.LogHead = max(info.LogHead, h)
	if prepare {
		if _, err := db.ExecContext(ctx, "PRAGMA journal_mode = DELETE"); err != nil {
			return BackupInfo{}, fmt.Errorf("store: restore: %w", err)
		}
		if _, err := db.ExecContext(ctx, "DELETE FROM log_positions WHERE name <> $1", horizon); err != nil {
			return BackupInfo{}, fmt.Errorf("store: restore: drop the search checkpoints: %w", err)
		}
	}
	if err := db.Close(); err != nil {
		return BackupInfo{}, err
	}
	st, err := os.Stat(path)
	if err != nil {
		return BackupInfo{}, err
	}
	info.Bytes = st.Size()
	return info, nil
}

// sqliteDSN is the modernc.org/sqlite data source name of the file at path.
func sqliteDSN(path string, params url.Values) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path), RawQuery: params.Encode()}
	return u.String()
}

// tempName returns a fresh name beside path for a file renamed over it.
func tempName(path string) string {
	b := make([]byte, 6)
	rand.Read(b)
	return path + ".tmp-" + hex.EncodeToString(b)
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	return errors.Join(err, out.Close())
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	return errors.Join(f.Sync(), f.Close())
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if errors.Is(err, os.ErrInvalid) { // directories cannot be synced on some systems
		err = nil
	}
	return errors.Join(err, d.Close())
}

func sameFile(a, b string) (bool, error) {
	sa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	sb, err := os.Stat(b)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return os.SameFile(sa, sb), nil
}
