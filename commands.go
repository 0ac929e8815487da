package main

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
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

func usage(name string) error {
	return fmt.Errorf("unknown command %q; the commands are %v, or none to serve", name, commandNames())
}
