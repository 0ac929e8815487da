package main

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/yurong/yurong/search"
	"github.com/yurong/yurong/store"
)

// indexedEnterprises is the number of enterprises in a's search index.
func indexedEnterprises(t *testing.T, a *app) int {
	t.Helper()
	st, err := a.search.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st.Documents[search.TypeEnterprise]
}

func TestBackupAndRestoreCommands(t *testing.T) {
	ctx := context.Background()
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))

	srv, a := testServer(t, 0)
	dir := a.cfg.DataDir
	createTestEnterprise(t, srv, "郑州备份一号科技有限公司", "91410100MA48BBBB1")
	createTestEnterprise(t, srv, "郑州备份二号科技有限公司", "91410100MA48BBBB2")
	createTestEnterprise(t, srv, "郑州备份三号科技有限公司", "91410100MA48BBBB3")
	file := filepath.Join(t.TempDir(), "yurong.backup")

	// The server runs while the backup is taken.
	if err := backupCommand(ctx, a.cfg, log, []string{file}); err != nil {
		t.Fatalf("backup while serving: %v", err)
	}
	if !strings.Contains(logs.String(), "backup written") {
		t.Errorf("backup logged %q", logs.String())
	}
	createTestEnterprise(t, srv, "郑州备份之后科技有限公司", "91410100MA48BBBB4")
	eventually(t, 10*time.Second, func() bool { return indexedEnterprises(t, a) == 4 })

	t.Run("a restore into the running server's directory is refused, naming it", func(t *testing.T) {
		err := restoreCommand(ctx, a.cfg, log, []string{file})
		if !errors.Is(err, store.ErrInUse) {
			t.Fatalf("restore while serving = %v; want ErrInUse", err)
		}
		msg := err.Error()
		for _, want := range []string{"restore refused", dir, "stop it before restoring"} {
			if !strings.Contains(msg, want) {
				t.Errorf("message %q lacks %q", msg, want)
			}
		}
		if n := a.market.Counts()["enterprise"]; n != 4 {
			t.Errorf("the server holds %d enterprises after the refused restore; want 4", n)
		}
		createTestEnterprise(t, srv, "郑州拒绝之后科技有限公司", "91410100MA48BBBB5")
	})

	t.Run("restored over the stopped server's directory, the index is rebuilt from the backup", func(t *testing.T) {
		srv.Close()
		if err := a.Close(); err != nil {
			t.Fatal(err)
		}
		if err := restoreCommand(ctx, a.cfg, log, []string{file}); err != nil {
			t.Fatalf("restore: %v", err)
		}
		_, b := testServerWith(t, 0, func(c *Config) { c.DataDir = dir })
		if n := b.market.Counts()["enterprise"]; n != 3 {
			t.Errorf("restored server holds %d enterprises; want the backup's 3", n)
		}
		select {
		case <-b.indexReady:
		case <-time.After(30 * time.Second):
			t.Fatal("the index was not rebuilt within 30s")
		}
		if n := indexedEnterprises(t, b); n != 3 {
			t.Errorf("the index holds %d enterprises; want the backup's 3, not the newer index's count", n)
		}
	})

	t.Run("restored into a fresh directory", func(t *testing.T) {
		cfg := Config{DataDir: filepath.Join(t.TempDir(), "restored")}
		if err := restoreCommand(ctx, cfg, log, []string{file}); err != nil {
			t.Fatalf("restore: %v", err)
		}
		s, err := store.Open(ctx, "", cfg.DataDir)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		d, err := s.Load(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Enterprises) != 3 {
			t.Errorf("restored %d enterprises; want 3", len(d.Enterprises))
		}
	})
}

func TestBackupAndRestoreCommandsRefuse(t *testing.T) {
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	pg := Config{DataDir: t.TempDir(), DatabaseURL: "postgres://user:secret@db.example:5432/yurong"}
	cases := []struct {
		name  string
		run   command
		cfg   Config
		args  []string
		words []string
	}{
		{"a backup of PostgreSQL", backupCommand, pg, []string{"x.db"}, []string{"PostgreSQL", "pg_dump"}},
		{"a restore of PostgreSQL", restoreCommand, pg, []string{"x.db"}, []string{"PostgreSQL", "pg_restore"}},
		{"a backup without a file", backupCommand, Config{DataDir: t.TempDir()}, nil, []string{"usage: go run . backup FILE"}},
		{"a restore with two files", restoreCommand, Config{DataDir: t.TempDir()}, []string{"a", "b"}, []string{"usage: go run . restore FILE"}},
		{"a backup of an empty directory", backupCommand, Config{DataDir: t.TempDir()}, []string{filepath.Join(t.TempDir(), "x.db")}, []string{"no embedded store"}},
	}
	for _, c := range cases {
		t.Run("refuses "+c.name, func(t *testing.T) {
			err := c.run(ctx, c.cfg, log, c.args)
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range c.words {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("error %q shows the database password", err)
			}
		})
	}
	for _, name := range []string{"backup", "restore"} {
		if _, ok := commandNamed(name); !ok {
			t.Errorf("command %q is not registered", name)
		}
	}
}
