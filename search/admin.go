package search

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// The administrator's reindex over HTTP: the running server's indexer owns
// the index, so a reindex command asks it (RemoteReindex) to run one
// (ReindexHandler) and shows the progress it streams.

// ReindexLine is one line of POST /admin/reindex's streamed answer.
type ReindexLine struct {
	Progress
	Error string `json:"error,omitempty"`
}

// ReindexHandler runs a reindex on ix for the requests authorize lets
// through (it answers 401 to the others), streaming the progress as JSON
// lines (ReindexLine), at most one "documents" line per 200 ms.
func ReindexHandler(ix *Indexer, authorize func(*http.Request) error) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// SECURITY: a reindex rewrites the whole index; authorize admits
		// administrators only.
		if err := authorize(r); err != nil {
			http.Error(w, "administrator token required", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/x-ndjson")
		rc := http.NewResponseController(w)
		enc := json.NewEncoder(w)
		last := time.Time{}
		err := ix.Reindex(r.Context(), func(p Progress) {
			if time.Since(last) < 200*time.Millisecond && p.Phase == "documents" {
				return
			}
			last = time.Now()
			enc.Encode(ReindexLine{Progress: p})
			rc.Flush()
		})
		if err != nil {
			enc.Encode(ReindexLine{Error: err.Error()})
		}
	})
}

// RemoteReindex asks the server at base (http://host:port) to reindex,
// with an administrator's bearer token, and passes each progress line it
// streams to show.
func RemoteReindex(ctx context.Context, base, token string, show func(Progress)) error {
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
		var l ReindexLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			continue
		}
		if l.Error != "" {
			return errors.New(l.Error)
		}
		show(l.Progress)
	}
	return sc.Err()
}
