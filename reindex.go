package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/yurong/yurong/internal/progress"
	"github.com/yurong/yurong/search"
)

// reindexCommand rebuilds the search index and swaps it in: through the
// running server when one answers on YURONG_ADDR (its indexer owns the
// index), in this process otherwise. Progress goes to stderr, as a bar on a
// terminal.
func reindexCommand(ctx context.Context, cfg Config, log *slog.Logger) error {
	bar := progress.New(os.Stderr)
	show := func(p search.Progress) {
		bar.Draw(p.Phase, p.Done, p.Total, p.Started, fmt.Sprintf("entities, %d documents", p.Documents))
	}
	base, err := runningServer(ctx, cfg)
	if err != nil {
		return err
	}
	if base != "" {
		return search.RemoteReindex(ctx, base, cfg.AdminToken, show)
	}
	cfg.Demo = false // reindex what is stored; an empty store stays empty
	a, err := openApp(ctx, cfg, log, time.Now)
	if err != nil {
		return err
	}
	defer a.Close()
	return a.indexer.Reindex(ctx, show)
}
