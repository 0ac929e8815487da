package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/yurong/yurong/store"
)

// backupCommand writes a consistent copy of the embedded store to FILE
// (`go run . backup FILE`), while a server on the same data directory goes
// on serving and writing.
func backupCommand(ctx context.Context, cfg Config, log *slog.Logger, args []string) error {
	file, err := fileArg("backup", args)
	if err != nil {
		return err
	}
	if cfg.DatabaseURL != "" {
		return onPostgres("backup")
	}
	info, err := store.Backup(ctx, cfg.DataDir, file)
	if err != nil {
		return err
	}
	log.Info("backup written", "file", info.File, "bytes", info.Bytes,
		"schemaVersion", info.SchemaVersion, "logHead", info.LogHead, "dataDir", cfg.DataDir)
	return nil
}

// restoreCommand replaces the embedded store with the backup in FILE
// (`go run . restore FILE`). It refuses while any process has the store
// open; the next start rebuilds the embedded search index from the
// restored data.
func restoreCommand(ctx context.Context, cfg Config, log *slog.Logger, args []string) error {
	file, err := fileArg("restore", args)
	if err != nil {
		return err
	}
	if cfg.DatabaseURL != "" {
		return onPostgres("restore")
	}
	info, err := store.Restore(ctx, cfg.DataDir, file)
	if errors.Is(err, store.ErrInUse) {
		return fmt.Errorf("restore refused: %w", err)
	}
	if err != nil {
		return err
	}
	log.Info("backup restored; the search index is rebuilt at the next start", "file", file,
		"database", info.File, "schemaVersion", info.SchemaVersion, "logHead", info.LogHead)
	if cfg.MeiliURL != "" {
		log.Warn("Meilisearch still holds the documents of the store before the restore; run `go run . reindex` to rebuild it",
			"meili", cfg.MeiliURL)
	}
	return nil
}

// fileArg returns the one argument of `go run . NAME FILE`.
func fileArg(name string, args []string) (string, error) {
	if len(args) != 1 || args[0] == "" {
		return "", fmt.Errorf("usage: go run . %s FILE (got %d arguments)", name, len(args))
	}
	return args[0], nil
}

// onPostgres refuses a backup or restore of PostgreSQL, whose own tools do
// it better (consistent dumps of a live database, parallel restore).
func onPostgres(name string) error {
	return fmt.Errorf("%s: the store is PostgreSQL (YURONG_DATABASE_URL is set), which %s does not handle; "+
		"back it up with pg_dump -Fc -f yurong.dump \"$YURONG_DATABASE_URL\" (consistent while serving) and restore it with "+
		"pg_restore --clean --if-exists -d \"$YURONG_DATABASE_URL\" yurong.dump (servers stopped)", name, name)
}
