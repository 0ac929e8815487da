package search

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// fakeMeili is an httptest server that answers like Meilisearch at the
// wire level and records every request: writes are enqueued as tasks
// (202), and GET /tasks/{uid} reports them succeeded unless failTask says
// otherwise. It stores nothing; search answers come from onSearch.
type fakeMeili struct {
	t   *testing.T
	srv *httptest.Server

	mu       sync.Mutex
	requests []recorded
	tasks    map[int64]*fakeTask
	nextTask int64

	// failTask, when set, decides the error code of the task a request
	// enqueued ("" succeeds).
	failTask func(r recorded) string
	// onSearch answers POST /multi-search; the default finds nothing.
	onSearch func(r recorded) any
}

// recorded is one request as the server saw it.
type recorded struct {
	Method string
	Path   string
	Query  string
	Body   string
	Auth   string // the Authorization header
}

// JSON decodes the body.
func (r recorded) JSON(t *testing.T) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(r.Body), &v); err != nil {
		t.Fatalf("%s %s: body %q: %v", r.Method, r.Path, r.Body, err)
	}
	return v
}

type fakeTask struct {
	indexUID string
	kind     string
	code     string
}

func newFakeMeili(t *testing.T) *fakeMeili {
	f := &fakeMeili{t: t, tasks: map[int64]*fakeTask{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeMeili) URL() string { return f.srv.URL }

func (f *fakeMeili) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r := recorded{Method: req.Method, Path: req.URL.Path, Query: req.URL.RawQuery, Body: string(body),
		Auth: req.Header.Get("Authorization")}
	f.mu.Lock()
	if !strings.HasPrefix(r.Path, "/tasks/") {
		f.requests = append(f.requests, r)
	}
	f.mu.Unlock()

	reply := func(code int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		json.NewEncoder(w).Encode(v)
	}
	segs := strings.Split(strings.Trim(r.Path, "/"), "/")
	switch {
	case r.Method == http.MethodGet && r.Path == "/health":
		reply(200, map[string]string{"status": "available"})
	case r.Method == http.MethodGet && r.Path == "/stats":
		reply(200, map[string]any{"databaseSize": 1, "indexes": map[string]any{
			"enterprises": map[string]any{"numberOfDocuments": 3},
			"pairings":    map[string]any{"numberOfDocuments": 7},
		}})
	case r.Method == http.MethodGet && segs[0] == "tasks" && len(segs) == 2:
		var uid int64
		fmt.Sscan(segs[1], &uid)
		f.mu.Lock()
		task := f.tasks[uid]
		f.mu.Unlock()
		if task == nil {
			reply(404, map[string]string{"code": "task_not_found", "message": "no such task"})
			return
		}
		out := map[string]any{"uid": uid, "indexUid": task.indexUID, "type": task.kind, "status": "succeeded"}
		if task.code != "" {
			out["status"] = "failed"
			out["error"] = map[string]string{"code": task.code, "message": "the fake failed it: " + task.code, "type": "invalid_request"}
		}
		reply(200, out)
	case r.Method == http.MethodPost && r.Path == "/multi-search":
		var out any = map[string]any{"results": []any{}}
		if f.onSearch != nil {
			out = f.onSearch(r)
		}
		reply(200, out)
	default:
		// Every other route enqueues a task.
		index := ""
		if segs[0] == "indexes" && len(segs) > 1 {
			index = segs[1]
		}
		f.mu.Lock()
		f.nextTask++
		uid := f.nextTask
		task := &fakeTask{indexUID: index, kind: r.Method + " " + r.Path}
		if f.failTask != nil {
			task.code = f.failTask(r)
		}
		f.tasks[uid] = task
		f.mu.Unlock()
		reply(202, map[string]any{"taskUid": uid, "indexUid": index, "status": "enqueued", "type": task.kind,
			"enqueuedAt": "2026-11-26T00:00:00Z"})
	}
}

// Requests returns the requests recorded so far (task polls left out) and
// forgets them.
func (f *fakeMeili) Requests() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.requests
	f.requests = nil
	return out
}

// requestsTo returns the recorded requests with this method and path.
func requestsTo(rs []recorded, method, path string) []recorded {
	var out []recorded
	for _, r := range rs {
		if r.Method == method && r.Path == path {
			out = append(out, r)
		}
	}
	return out
}
