package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestRunningServer(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte("ok\n"))
	}))
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")

	t.Run("a server answering with a token to give it is where the commands go", func(t *testing.T) {
		base, err := runningServer(context.Background(), Config{Addr: addr, AdminToken: testToken})
		if err != nil || base != srv.URL {
			t.Errorf("runningServer = %q, %v; want %q", base, err, srv.URL)
		}
	})
	t.Run("a server answering without a token is an error naming the variable", func(t *testing.T) {
		base, err := runningServer(context.Background(), Config{Addr: addr})
		if err == nil || !strings.Contains(err.Error(), "YURONG_ADMIN_TOKEN") || base != "" {
			t.Errorf("runningServer = %q, %v; want the YURONG_ADMIN_TOKEN error", base, err)
		}
	})
	t.Run("nothing answering means in process", func(t *testing.T) {
		base, err := runningServer(context.Background(), Config{Addr: "127.0.0.1:1", AdminToken: testToken})
		if err != nil || base != "" {
			t.Errorf("runningServer = %q, %v; want none", base, err)
		}
	})
	t.Run("a server that is not ready is not a server", func(t *testing.T) {
		down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusServiceUnavailable)
		}))
		defer down.Close()
		base, err := runningServer(context.Background(), Config{Addr: strings.TrimPrefix(down.URL, "http://"), AdminToken: testToken})
		if err != nil || base != "" {
			t.Errorf("runningServer = %q, %v; want none", base, err)
		}
	})
}
