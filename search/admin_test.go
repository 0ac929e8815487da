package search

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestReindexOverHTTP(t *testing.T) {
	w := newWorld(t)
	token := "admin-token"
	authorize := func(r *http.Request) error {
		if r.Header.Get("Authorization") != "Bearer "+token {
			return errors.New("not an administrator")
		}
		return nil
	}
	serve := func(ix *Indexer) *httptest.Server {
		mux := http.NewServeMux()
		mux.Handle("POST /admin/reindex", ReindexHandler(ix, authorize))
		srv := httptest.NewServer(mux)
		t.Cleanup(srv.Close)
		return srv
	}

	t.Run("the client shows the progress the server streams, ending done", func(t *testing.T) {
		srv := serve(w.indexer(w.eng))
		var got []Progress
		if err := RemoteReindex(w.ctx, srv.URL, token, func(p Progress) { got = append(got, p) }); err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 {
			t.Fatal("no progress shown")
		}
		last := got[len(got)-1]
		if last.Phase != "done" || last.Done != last.Total || last.Total != 40+8+4+10 || last.Documents == 0 {
			t.Errorf("last progress %+v", last)
		}
		if n := w.pending(); n != 0 {
			t.Errorf("%d events pending after the reindex", n)
		}
		w.checkCatalog(w.eng)
	})
	t.Run("a request authorize refuses is a 401 the client reports", func(t *testing.T) {
		srv := serve(w.indexer(w.eng))
		err := RemoteReindex(w.ctx, srv.URL, "guess", func(Progress) { t.Error("progress shown for a refused reindex") })
		if err == nil || !strings.Contains(err.Error(), "401") || !strings.Contains(err.Error(), "administrator token required") {
			t.Errorf("refused reindex: %v", err)
		}
	})
	t.Run("a failing reindex is an error line the client returns", func(t *testing.T) {
		bad := NewIndexer(w.eng, failingSnapshot{w.src}, NewCheckpoint(w.st, checkpointName), IndexerOptions{Logger: quietLogger()})
		srv := serve(bad)
		err := RemoteReindex(w.ctx, srv.URL, token, func(Progress) {})
		if err == nil || !strings.Contains(err.Error(), "matching engine gone") {
			t.Errorf("failed reindex: %v", err)
		}
	})
}
