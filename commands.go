package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"time"
)

// A command is one of `go run . NAME ARGS…`: it runs to completion and
// exits, instead of serving.
type command func(ctx context.Context, cfg Config, log *slog.Logger, args []string) error

// commandNamed returns the command called name. Without a name, or with an
// unknown one, the server runs (unknown names are refused by main).
func commandNamed(name string) (command, bool) {
	switch name {
	case "backup":
		return backupCommand, true
	case "restore":
		return restoreCommand, true
	case "import":
		return importCommand, true
	case "reindex":
		return func(ctx context.Context, cfg Config, log *slog.Logger, _ []string) error {
			return reindexCommand(ctx, cfg, log)
		}, true
	case "healthcheck":
		return func(ctx context.Context, cfg Config, _ *slog.Logger, args []string) error {
			return healthcheckCommand(ctx, cfg, args)
		}, true
	case "export":
		return exportCommand, true
	}
	return nil, false
}

// commandNames lists the commands, for the usage message.
func commandNames() []string {
	var names []string
	for _, n := range []string{"import", "reindex", "healthcheck", "export", "backup", "restore"} {
		if _, ok := commandNamed(n); ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// runningServer returns the base URL of the server answering on
// YURONG_ADDR, through which the commands act so that its read model and
// index follow at once, or "" when none answers and they run in this
// process. A server without an administrator token to give it is an error.
func runningServer(ctx context.Context, cfg Config) (string, error) {
	base := "http://" + displayAddr(cfg.Addr)
	if !serverAnswers(ctx, base) {
		return "", nil
	}
	if cfg.AdminToken == "" {
		return "", errors.New("a server runs on " + base + ": set YURONG_ADMIN_TOKEN to its administrator token")
	}
	return base, nil
}

// serverAnswers reports whether a server answers /healthz at base.
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

func usage(name string) error {
	return fmt.Errorf("unknown command %q; the commands are %v, or none to serve", name, commandNames())
}
