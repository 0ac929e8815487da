package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

// healthcheckTimeout bounds one probe; the container's HEALTHCHECK gives
// the command a little more (deploy/compose.yaml, Dockerfile).
const healthcheckTimeout = 3 * time.Second

// healthcheckCommand asks the server listening on YURONG_ADDR whether it is
// ready (GET /readyz) and fails unless it answers 200. It is the container
// image's health check: the image has no shell, curl or wget.
func healthcheckCommand(ctx context.Context, cfg Config, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("healthcheck takes no arguments, got %q", args)
	}
	ctx, cancel := context.WithTimeout(ctx, healthcheckTimeout)
	defer cancel()
	return probeReady(ctx, http.DefaultClient, "http://"+probeAddr(cfg.Addr)+"/readyz", os.Stdout)
}

// probeReady GETs url and returns nil on 200, copying the report to out
// (Docker keeps it in the container's health log); any other answer is an
// error carrying the status and the start of the report.
func probeReady(ctx context.Context, client *http.Client, url string, out io.Writer) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	res, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer res.Body.Close()
	report, err := io.ReadAll(io.LimitReader(res.Body, 4096))
	if err != nil {
		return fmt.Errorf("healthcheck: read %s: %w", url, err)
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s answered %s: %s", url, res.Status, strings.TrimSpace(string(report)))
	}
	_, err = out.Write(report)
	return err
}

// probeAddr is where a process beside the server reaches it: a listen
// address without a host, or with an unspecified one (0.0.0.0, [::]), is
// reached on the loopback address.
func probeAddr(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return listen
	}
	if host == "" {
		return net.JoinHostPort("127.0.0.1", port)
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		if ip.To4() == nil {
			return net.JoinHostPort("::1", port)
		}
		return net.JoinHostPort("127.0.0.1", port)
	}
	return listen
}
