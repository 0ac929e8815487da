package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/yurong/yurong/catalog"
)

// enterpriseVersion is the k-th write (k ≥ 1) of writer w's n-th
// enterprise: every version differs in its row and in the number and
// content of its children, so a partly copied write would show.
func enterpriseVersion(w, n, k int) *catalog.Enterprise {
	e := fullEnterprise(w*100_000 + n)
	e.Employees = k
	e.Name = fmt.Sprintf("备份测试企业 %d-%d", w, n)
	e.Reports = e.Reports[:1+k%2]
	for i := range e.Reports {
		e.Reports[i].Revenue += catalog.Amount(k)
	}
	e.Subsidies = nil
	for i := range k % 4 {
		e.Subsidies = append(e.Subsidies, catalog.Subsidy{Program: fmt.Sprintf("补助 %d", i), Amount: catalog.Amount(1000*k + i), Year: 2024})
	}
	return e
}

func TestBackupWhileWritingRestoresAConsistentSnapshot(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := open(t, location{dir: dir})

	// Each writer creates enterprises and updates them; versions[id][k-1]
	// is the enterprise as its k-th write left it. Every write of an
	// enterprise appends one change-log entry, so the number of its entries
	// at or below a log position says which version that position holds.
	const writers = 4
	var (
		mu       sync.Mutex
		versions = map[int64][]*catalog.Enterprise{}
		stop     atomic.Bool
		wg       sync.WaitGroup
		writes   atomic.Int64
		failed   = make(chan error, writers)
	)
	for w := range writers {
		wg.Go(func() {
			var mine []int64
			for n := 0; !stop.Load(); n++ {
				if n%3 == 0 || len(mine) == 0 { // create
					e := enterpriseVersion(w, len(mine), 1)
					if err := s.CreateEnterprise(ctx, e); err != nil {
						failed <- err
						return
					}
					mu.Lock()
					versions[e.ID] = append(versions[e.ID], e)
					mu.Unlock()
					mine = append(mine, e.ID)
				} else { // update one of mine
					id := mine[n%len(mine)]
					mu.Lock()
					k := len(versions[id]) + 1
					mu.Unlock()
					e := enterpriseVersion(w, 0, k)
					// The name and credit code of the first version stay.
					mu.Lock()
					first := versions[id][0]
					mu.Unlock()
					e.ID, e.Name, e.CreditCode = id, first.Name, first.CreditCode
					if err := s.UpdateEnterprise(ctx, e); err != nil {
						failed <- err
						return
					}
					mu.Lock()
					versions[id] = append(versions[id], e)
					mu.Unlock()
				}
				writes.Add(1)
			}
		})
	}
	waitWrites := func(n int64) {
		for writes.Load() < n {
			time.Sleep(time.Millisecond)
		}
	}

	// Three backups while the writers go on.
	var backups []string
	var heads []int64
	var during int64 // writes committed while a backup ran
	for i := range 3 {
		waitWrites(int64(50 * (i + 1)))
		file := filepath.Join(t.TempDir(), fmt.Sprintf("yurong-%d.db", i))
		before := writes.Load()
		info, err := Backup(ctx, dir, file)
		during += writes.Load() - before
		if err != nil {
			stop.Store(true)
			wg.Wait()
			t.Fatalf("Backup: %v", err)
		}
		if info.File != file || info.Bytes <= 0 || info.SchemaVersion == 0 || info.LogHead == 0 {
			t.Errorf("Backup info = %+v", info)
		}
		backups, heads = append(backups, file), append(heads, info.LogHead)
	}
	if during == 0 {
		t.Error("no write committed while a backup ran; the test proves nothing")
	}
	t.Logf("%d writes committed while the backups ran", during)
	waitWrites(writes.Load() + 20) // writes after the last backup
	stop.Store(true)
	wg.Wait()
	close(failed)
	for err := range failed {
		t.Fatalf("writer: %v", err)
	}

	log, err := s.ChangesAfter(ctx, 0, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	if n := int64(len(log)); n != writes.Load() {
		t.Fatalf("%d log entries for %d writes", n, writes.Load())
	}
	final, err := s.LogHead(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// The source ends as the last versions say.
	for id, vs := range versions {
		got, err := s.Enterprise(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		mustEqual(t, fmt.Sprintf("source enterprise %d", id), got, vs[len(vs)-1])
	}

	for i, file := range backups {
		t.Run(fmt.Sprintf("backup %d", i+1), func(t *testing.T) {
			head := heads[i]
			if head >= final {
				t.Errorf("backup at log position %d, yet the writers went on to %d", head, final)
			}
			restored := filepath.Join(t.TempDir(), "data")
			info, err := Restore(ctx, restored, file)
			if err != nil {
				t.Fatalf("Restore: %v", err)
			}
			if info.LogHead != head {
				t.Errorf("Restore reports log head %d, Backup %d", info.LogHead, head)
			}
			r := open(t, location{dir: restored})
			if got, err := r.LogHead(ctx); err != nil || got != head {
				t.Fatalf("restored LogHead() = %d, %v; want %d", got, err, head)
			}
			want := map[int64]int{} // enterprise → writes at or below head
			for _, ev := range log {
				if ev.ID <= head {
					want[ev.EntityID]++
				}
			}
			d, err := r.Load(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Enterprises) != len(want) {
				t.Errorf("restored %d enterprises; the log up to %d has %d", len(d.Enterprises), head, len(want))
			}
			for _, e := range d.Enterprises {
				k := want[e.ID]
				if k == 0 {
					t.Errorf("restored enterprise %d, which the log up to %d does not hold", e.ID, head)
					continue
				}
				got, err := r.Enterprise(ctx, e.ID)
				if err != nil {
					t.Fatal(err)
				}
				mustEqual(t, fmt.Sprintf("enterprise %d at its write %d", e.ID, k), got, versions[e.ID][k-1])
			}
		})
	}
}

func TestBackup(t *testing.T) {
	ctx := context.Background()
	t.Run("refuses to overwrite a file", func(t *testing.T) {
		dir := t.TempDir()
		open(t, location{dir: dir})
		file := filepath.Join(t.TempDir(), "exists.db")
		if err := os.WriteFile(file, []byte("keep me"), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Backup(ctx, dir, file); !errors.Is(err, ErrFileExists) {
			t.Fatalf("Backup over a file = %v; want ErrFileExists", err)
		}
		if b, _ := os.ReadFile(file); string(b) != "keep me" {
			t.Errorf("the file was changed to %q", b)
		}
	})
	t.Run("refuses a directory without a store", func(t *testing.T) {
		dir := t.TempDir()
		_, err := Backup(ctx, dir, filepath.Join(dir, "b.db"))
		if !errors.Is(err, ErrNoStore) {
			t.Fatalf("Backup = %v; want ErrNoStore", err)
		}
		if _, err := os.Stat(filepath.Join(dir, FileName)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("Backup created a database: %v", err)
		}
	})
	t.Run("leaves no file behind when it fails", func(t *testing.T) {
		dir := t.TempDir()
		open(t, location{dir: dir})
		out := t.TempDir()
		if _, err := Backup(ctx, dir, filepath.Join(out, "missing", "b.db")); err == nil {
			t.Fatal("Backup into a missing directory succeeded")
		}
		if ents, _ := os.ReadDir(out); len(ents) != 0 {
			t.Errorf("left %v behind", ents)
		}
	})
}

// backupOf returns a backup of a store holding one enterprise named name.
func backupOf(t *testing.T, name string) string {
	t.Helper()
	dir := t.TempDir()
	s := open(t, location{dir: dir})
	e := minimalEnterprise(1)
	e.Name = name
	if err := s.CreateEnterprise(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "backup.db")
	if _, err := Backup(context.Background(), dir, file); err != nil {
		t.Fatal(err)
	}
	return file
}

// dirState is every file under dir with its content, for "untouched" checks.
func dirState(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	state := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		state[path] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return state
}

func sameState(t *testing.T, what string, got, want map[string][]byte) {
	t.Helper()
	for p, b := range want {
		if !bytes.Equal(got[p], b) {
			t.Errorf("%s: %s changed", what, p)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("%s: %s appeared", what, p)
		}
	}
}

func TestRestore(t *testing.T) {
	ctx := context.Background()
	names := func(t *testing.T, s *Store) []string {
		d, err := s.Load(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var ns []string
		for _, e := range d.Enterprises {
			ns = append(ns, e.Name)
		}
		return ns
	}

	t.Run("is refused while a store is open, leaving the data untouched", func(t *testing.T) {
		backup := backupOf(t, "备份里的企业")
		dir := t.TempDir()
		s := open(t, location{dir: dir})
		if err := s.CreateEnterprise(ctx, minimalEnterprise(2)); err != nil {
			t.Fatal(err)
		}
		before := names(t, s)
		_, err := Restore(ctx, dir, backup)
		if !errors.Is(err, ErrInUse) || !strings.Contains(err.Error(), dir) {
			t.Fatalf("Restore into an open store = %v; want ErrInUse naming %s", err, dir)
		}
		mustEqual(t, "enterprises after the refused restore", names(t, s), before)
		if err := s.CreateEnterprise(ctx, minimalEnterprise(3)); err != nil {
			t.Errorf("the open store no longer writes: %v", err)
		}
	})

	t.Run("replaces the database, drops the index and its checkpoints, keeps the log's horizon", func(t *testing.T) {
		backupDir := t.TempDir()
		src := open(t, location{dir: backupDir})
		if err := src.CreateEnterprise(ctx, minimalEnterprise(1)); err != nil {
			t.Fatal(err)
		}
		if err := src.SetPosition(ctx, "bleve host:/somewhere/search", 1); err != nil {
			t.Fatal(err)
		}
		if err := src.SetPosition(ctx, horizon, 0); err != nil {
			t.Fatal(err)
		}
		backup := filepath.Join(t.TempDir(), "b.db")
		if _, err := Backup(ctx, backupDir, backup); err != nil {
			t.Fatal(err)
		}

		dir := t.TempDir()
		s := open(t, location{dir: dir})
		for i := range 5 {
			if err := s.CreateEnterprise(ctx, minimalEnterprise(10+i)); err != nil {
				t.Fatal(err)
			}
		}
		s.Close()
		index := filepath.Join(dir, IndexDir)
		if err := os.MkdirAll(filepath.Join(index, "gen-1"), 0o755); err != nil {
			t.Fatal(err)
		}
		// A WAL left by a crashed server would be replayed over the restored file.
		if err := os.WriteFile(filepath.Join(dir, FileName+"-wal"), []byte("stale"), 0o644); err != nil {
			t.Fatal(err)
		}

		info, err := Restore(ctx, dir, backup)
		if err != nil {
			t.Fatalf("Restore: %v", err)
		}
		if info.File != filepath.Join(dir, FileName) || info.LogHead != 1 {
			t.Errorf("Restore info = %+v", info)
		}
		if _, err := os.Stat(index); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("the index directory is still there: %v", err)
		}
		if _, err := os.Stat(filepath.Join(dir, FileName+"-wal")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("the stale WAL is still there: %v", err)
		}
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			if strings.Contains(e.Name(), ".tmp-") {
				t.Errorf("left %s behind", e.Name())
			}
		}
		r := open(t, location{dir: dir})
		mustEqual(t, "restored enterprises", names(t, r), []string{minimalEnterprise(1).Name})
		if pos, err := r.Position(ctx, "bleve host:/somewhere/search"); err != nil || pos != 0 {
			t.Errorf("the index checkpoint is %d, %v; want it dropped", pos, err)
		}
		var n int
		if err := r.db.QueryRow("SELECT COUNT(*) FROM log_positions WHERE name = $1", horizon).Scan(&n); err != nil || n != 1 {
			t.Errorf("horizon rows = %d, %v; want 1", n, err)
		}
		// The source backup is left as it was.
		if _, err := checkBackup(ctx, backup, backup, false); err != nil {
			t.Errorf("the backup file no longer checks: %v", err)
		}
	})

	refused := []struct {
		name  string
		file  func(t *testing.T) string
		want  error
		words string
	}{
		{"a file that is no database", func(t *testing.T) string {
			f := filepath.Join(t.TempDir(), "notes.txt")
			os.WriteFile(f, bytes.Repeat([]byte("不是数据库 "), 2000), 0o644)
			return f
		}, ErrNotBackup, "notes.txt"},
		{"a SQLite database that is not Yurong's", func(t *testing.T) string {
			f := filepath.Join(t.TempDir(), "other.db")
			db, err := sql.Open("sqlite", "file:"+f)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('x')"); err != nil {
				t.Fatal(err)
			}
			return f
		}, ErrNotBackup, "schema_migrations"},
		{"a damaged backup", func(t *testing.T) string {
			f := backupOf(t, "损坏")
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			// Scribble over every page but the first (the header stays
			// readable, the b-trees do not).
			for i := 4096; i < len(b); i += 97 {
				b[i] ^= 0x5a
			}
			if err := os.WriteFile(f, b, 0o644); err != nil {
				t.Fatal(err)
			}
			return f
		}, ErrNotBackup, ""},
		{"a backup of a newer version", func(t *testing.T) string {
			f := backupOf(t, "新版本")
			db, err := sql.Open("sqlite", "file:"+f)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, '9999_future', '2030-01-01T00:00:00.000000Z')"); err != nil {
				t.Fatal(err)
			}
			return f
		}, ErrNewerSchema, "schema version 9999"},
		{"a missing file", func(t *testing.T) string { return filepath.Join(t.TempDir(), "missing.db") }, os.ErrNotExist, ""},
	}
	for _, c := range refused {
		t.Run("refuses "+c.name+", leaving the data untouched", func(t *testing.T) {
			dir := t.TempDir()
			s := open(t, location{dir: dir})
			if err := s.CreateEnterprise(ctx, minimalEnterprise(7)); err != nil {
				t.Fatal(err)
			}
			s.Close()
			os.MkdirAll(filepath.Join(dir, IndexDir), 0o755)
			before := dirState(t, dir)
			file := c.file(t)
			_, err := Restore(ctx, dir, file)
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.words) {
				t.Fatalf("Restore = %v; want %v mentioning %q", err, c.want, c.words)
			}
			sameState(t, "data directory", dirState(t, dir), before)
			if _, err := os.Stat(filepath.Join(dir, IndexDir)); err != nil {
				t.Errorf("the index directory went: %v", err)
			}
			r := open(t, location{dir: dir})
			mustEqual(t, "enterprises", names(t, r), []string{minimalEnterprise(7).Name})
		})
	}

	t.Run("creates a missing data directory", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "a", "b")
		if _, err := Restore(ctx, dir, backupOf(t, "新目录")); err != nil {
			t.Fatal(err)
		}
		mustEqual(t, "enterprises", names(t, open(t, location{dir: dir})), []string{"新目录"})
	})
}
