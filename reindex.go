package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/yurong/yurong/auth"
	"github.com/yurong/yurong/search"
)

// reindexCommand rebuilds the search index and swaps it in: through the
// running server when one answers on YURONG_ADDR (its indexer owns the
// index), in this process otherwise. Progress goes to stderr, as a bar on a
// terminal.
func reindexCommand(ctx context.Context, cfg Config, log *slog.Logger) error {
	bar := newProgressBar(os.Stderr)
	base := "http://" + displayAddr(cfg.Addr)
	if serverAnswers(ctx, base) {
		if cfg.AdminToken == "" {
			return errors.New("a server runs on " + base + ": set YURONG_ADMIN_TOKEN to its administrator token")
		}
		return remoteReindex(ctx, base, cfg.AdminToken, bar)
	}
	cfg.Demo = false // reindex what is stored; an empty store stays empty
	a, err := openApp(ctx, cfg, log, time.Now)
	if err != nil {
		return err
	}
	defer a.Close()
	return a.indexer.Reindex(ctx, bar.show)
}

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

// reindexLine is one line of /admin/reindex's streamed answer.
type reindexLine struct {
	search.Progress
	Error string `json:"error,omitempty"`
}

func remoteReindex(ctx context.Context, base, token string, bar *progressBar) error {
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/admin/reindex", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		return fmt.Errorf("reindex refused: %s %s", res.Status, strings.TrimSpace(string(b)))
	}
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		var l reindexLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			continue
		}
		if l.Error != "" {
			return errors.New(l.Error)
		}
		bar.show(l.Progress)
	}
	return sc.Err()
}

// reindexHandler runs a reindex for an administrator, streaming its
// progress as JSON lines.
func (a *app) reindexHandler(w http.ResponseWriter, r *http.Request) {
	// SECURITY: a reindex rewrites the whole index; administrators only.
	if err := auth.Require(r.Context(), auth.Administrator); err != nil {
		http.Error(w, "administrator token required", http.StatusUnauthorized)
		return
	}
	w.Header().Set("Content-Type", "application/x-ndjson")
	rc := http.NewResponseController(w)
	enc := json.NewEncoder(w)
	last := time.Time{}
	err := a.indexer.Reindex(r.Context(), func(p search.Progress) {
		if time.Since(last) < 200*time.Millisecond && p.Phase == "documents" {
			return
		}
		last = time.Now()
		enc.Encode(reindexLine{Progress: p})
		rc.Flush()
	})
	if err != nil {
		enc.Encode(reindexLine{Error: err.Error()})
	}
}

// progressBar draws reindex progress: a bar redrawn in place on a
// terminal, a line every few seconds elsewhere.
type progressBar struct {
	w        io.Writer
	terminal bool
	last     time.Time
}

func newProgressBar(f *os.File) *progressBar {
	st, err := f.Stat()
	return &progressBar{w: f, terminal: err == nil && st.Mode()&os.ModeCharDevice != 0}
}

func (b *progressBar) show(p search.Progress) {
	b.draw(p.Phase, p.Done, p.Total, p.Started, fmt.Sprintf("entities, %d documents", p.Documents))
}

// draw shows done of total in phase; phases other than the first are
// final lines, drawn whatever the pace.
func (b *progressBar) draw(phase string, done, total int, started time.Time, detail string) {
	final := phase == "done" || phase == "commit" || phase == "replay"
	if !b.terminal && !final && time.Since(b.last) < 2*time.Second {
		return
	}
	b.last = time.Now()
	ratio := 0.0
	if total > 0 {
		ratio = float64(done) / float64(total)
	}
	const width = 30
	filled := int(ratio * width)
	line := fmt.Sprintf("[%s%s] %3.0f%% %-9s %d/%d %s, %s",
		strings.Repeat("#", filled), strings.Repeat(" ", width-filled), 100*ratio, phase,
		done, total, detail, time.Since(started).Round(100*time.Millisecond))
	if b.terminal {
		fmt.Fprint(b.w, "\r"+line)
		if phase == "done" {
			fmt.Fprintln(b.w)
		}
		return
	}
	fmt.Fprintln(b.w, line)
}
