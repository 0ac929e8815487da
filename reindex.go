package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
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
	base := "http://" + displayAddr(cfg.Addr)
	if serverAnswers(ctx, base) {
		if cfg.AdminToken == "" {
			return errors.New("a server runs on " + base + ": set YURONG_ADMIN_TOKEN to its administrator token")
		}
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

// serverAnswers reports whether a server answers /healthz at base: the
// commands then go through it.
func serverAnswers(ctx context.Context, base string) bool {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/healthz", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	res.Body.Close()
	return res.StatusCode == http.StatusOK
}
