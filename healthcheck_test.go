package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestHealthcheckAnswersTheReadyzStatus(t *testing.T) {
	cases := []struct {
		name    string
		status  int
		body    string
		wantErr string // empty: the probe passes
	}{
		{"ready", http.StatusOK, `{"store":{"ok":true}}`, ""},
		{"building its first index", http.StatusServiceUnavailable, `{"search":{"code":"BUILDING"}}`, "503 Service Unavailable: {\"search\":{\"code\":\"BUILDING\"}}"},
		{"a proxy's error page", http.StatusBadGateway, "bad gateway", "502 Bad Gateway: bad gateway"},
		{"another service on the port", http.StatusNotFound, "404 page not found", "404 Not Found"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var path string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				path = r.Method + " " + r.URL.Path
				w.WriteHeader(c.status)
				io.WriteString(w, c.body)
			}))
			defer srv.Close()
			cfg := Config{Addr: srv.Listener.Addr().String()}
			cmd, ok := commandNamed("healthcheck")
			if !ok {
				t.Fatal("no healthcheck command")
			}
			err := cmd(context.Background(), cfg, slog.New(slog.DiscardHandler), nil)
			if path != "GET /readyz" {
				t.Errorf("the probe asked %q, want GET /readyz", path)
			}
			if c.wantErr == "" {
				if err != nil {
					t.Fatalf("probe failed on %d: %v", c.status, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("err = %v, want one containing %q", err, c.wantErr)
			}
		})
	}
}

func TestHealthcheckCopiesTheReportWhenReady(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"store":{"ok":true}}`)
	}))
	defer srv.Close()
	var out strings.Builder
	if err := probeReady(context.Background(), srv.Client(), srv.URL+"/readyz", &out); err != nil {
		t.Fatal(err)
	}
	if out.String() != `{"store":{"ok":true}}` {
		t.Fatalf("report = %q", out.String())
	}
}

func TestHealthcheckFailsWithoutAServer(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	err = healthcheckCommand(context.Background(), Config{Addr: addr}, nil)
	if err == nil || !strings.Contains(err.Error(), "connection refused") {
		t.Fatalf("err = %v, want connection refused", err)
	}
}

func TestHealthcheckGivesUpOnAServerThatHangs(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := healthcheckCommand(ctx, Config{Addr: srv.Listener.Addr().String()}, nil)
	if err == nil || !strings.Contains(err.Error(), "deadline exceeded") {
		t.Fatalf("err = %v, want a deadline", err)
	}
	if took := time.Since(start); took > healthcheckTimeout {
		t.Fatalf("gave up after %s", took)
	}
}

func TestHealthcheckRefusesArguments(t *testing.T) {
	err := healthcheckCommand(context.Background(), Config{Addr: "127.0.0.1:1"}, []string{"--live"})
	if err == nil || !strings.Contains(err.Error(), "takes no arguments") {
		t.Fatalf("err = %v", err)
	}
}

func TestProbeAddrReachesTheListenAddress(t *testing.T) {
	cases := []struct{ name, listen, want string }{
		{"port only", ":8080", "127.0.0.1:8080"},
		{"every IPv4 address", "0.0.0.0:8080", "127.0.0.1:8080"},
		{"every IPv6 address", "[::]:8080", "[::1]:8080"},
		{"one address", "10.1.2.3:9000", "10.1.2.3:9000"},
		{"a host name", "yurong-1:8080", "yurong-1:8080"},
		{"loopback IPv6", "[::1]:8080", "[::1]:8080"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := probeAddr(c.listen); got != c.want {
				t.Fatalf("probeAddr(%q) = %q, want %q", c.listen, got, c.want)
			}
		})
	}
}
