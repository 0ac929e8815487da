package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// TestOnlyPersistedQueriesRun locks a server down to a directory of
// operations: those run by hash, anything else is refused.
func TestOnlyPersistedQueriesRun(t *testing.T) {
	dir := t.TempDir()
	const allowed = `query Institutions { institutions { name } }`
	if err := os.WriteFile(filepath.Join(dir, "institutions.graphql"), []byte(allowed), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := Config{DataDir: t.TempDir(), AdminToken: testToken, PersistedQueries: dir}
	a, err := newApp(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), testNow)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	defer func() { srv.Close(); a.Close() }()

	sum := sha256.Sum256([]byte(allowed))
	ext := map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}
	if r := postExt(t, srv, map[string]any{"extensions": ext}); len(r.Errors) > 0 || r.Data["institutions"] == nil {
		t.Errorf("the listed operation by hash: %+v", r)
	}
	if r := post(t, srv, "", `{ enterprises { totalCount } }`, nil); r.code() != "PERSISTED_QUERY_NOT_ALLOWED" {
		t.Errorf("an unlisted query: code %q, want PERSISTED_QUERY_NOT_ALLOWED", r.code())
	}
	other := `{ incubators { totalCount } }`
	sum = sha256.Sum256([]byte(other))
	ext = map[string]any{"persistedQuery": map[string]any{"version": 1, "sha256Hash": hex.EncodeToString(sum[:])}}
	if r := postExt(t, srv, map[string]any{"query": other, "extensions": ext}); len(r.Errors) == 0 {
		t.Error("an unlisted query registered itself with its hash")
	}
}
