package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/yurong/yurong/auth"
)

// exportCommand writes an official list as .xlsx:
//
//	go run . export KIND [flags] FILE
//
// KIND is one of listKinds; the flags are the parameters of
// /exports/KIND.xlsx (-city, -track, -qualification repeatable or
// comma-separated, -nameContains, -minInnovationScore, -earlySmallHard,
// -year). It asks the running server when one answers on YURONG_ADDR, with
// the administrator token, and builds the list in this process otherwise,
// as the bootstrap administrator. FILE "-" is standard output.
func exportCommand(ctx context.Context, cfg Config, log *slog.Logger, args []string) error {
	kind, q, file, err := exportArgs(args)
	if err != nil {
		return err
	}
	out, commit, err := createOutput(file)
	if err != nil {
		return err
	}
	defer out.Close()
	base, err := runningServer(ctx, cfg)
	if err != nil {
		return err
	}
	var summary string
	if base != "" {
		summary, err = remoteExport(ctx, base, cfg.AdminToken, kind, q, out)
	} else {
		summary, err = localExport(ctx, cfg, log, kind, q, out)
	}
	if err != nil {
		return err
	}
	if err := commit(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "%s → %s\n", summary, file)
	return nil
}

// exportArgs reads KIND [flags] FILE into the list's parameters.
func exportArgs(args []string) (kind string, q url.Values, file string, err error) {
	use := fmt.Sprintf("usage: export {%s} [-city C] [-track T] [-qualification Q] [-nameContains S] [-minInnovationScore N] [-earlySmallHard true|false] [-year N] FILE",
		strings.Join(listKinds, "|"))
	if len(args) < 2 || !slices.Contains(listKinds, args[0]) {
		return "", nil, "", errors.New(use)
	}
	kind = args[0]
	fs := flag.NewFlagSet("export "+kind, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	q = url.Values{}
	for _, name := range []string{"city", "track", "qualification"} {
		fs.Func(name, "repeatable; API enum names, comma-separated", func(v string) error { q.Add(name, v); return nil })
	}
	for _, name := range []string{"nameContains", "minInnovationScore", "earlySmallHard", "year"} {
		fs.Func(name, "", func(v string) error { q.Add(name, v); return nil })
	}
	if err := fs.Parse(args[1:]); err != nil {
		return "", nil, "", fmt.Errorf("%w; %s", err, use)
	}
	if fs.NArg() != 1 {
		return "", nil, "", errors.New(use)
	}
	return kind, q, fs.Arg(0), nil
}

// createOutput opens FILE for writing through a temporary file beside it,
// renamed into place by commit: a failed export leaves no half file.
func createOutput(file string) (io.WriteCloser, func() error, error) {
	if file == "-" {
		return nopCloser{os.Stdout}, func() error { return nil }, nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+".*")
	if err != nil {
		return nil, nil, err
	}
	done := false
	closer := closeFunc(func() error {
		err := tmp.Close()
		if !done {
			os.Remove(tmp.Name())
		}
		return err
	})
	return struct {
			io.Writer
			io.Closer
		}{tmp, closer}, func() error {
			if err := tmp.Sync(); err != nil {
				return err
			}
			if err := os.Rename(tmp.Name(), file); err != nil {
				return err
			}
			done = true
			return nil
		}, nil
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

type closeFunc func() error

func (f closeFunc) Close() error { return f() }

func remoteExport(ctx context.Context, base, token, kind string, q url.Values, out io.Writer) (string, error) {
	u := base + "/exports/" + kind + ".xlsx"
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
		var body struct {
			Errors []struct {
				Message    string
				Extensions struct{ Code string }
			}
		}
		if json.Unmarshal(b, &body) == nil && len(body.Errors) > 0 {
			return "", fmt.Errorf("export refused (%s): %s %s", res.Status, body.Errors[0].Extensions.Code, body.Errors[0].Message)
		}
		return "", fmt.Errorf("export refused: %s %s", res.Status, strings.TrimSpace(string(b)))
	}
	n, err := io.Copy(out, res.Body)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s: %s rows, %d bytes, from %s", kind, res.Header.Get("X-Export-Rows"), n, base), nil
}

func localExport(ctx context.Context, cfg Config, log *slog.Logger, kind string, q url.Values, out io.Writer) (string, error) {
	cfg.Demo = false // export what is stored; an empty store stays empty
	a, err := openApp(ctx, cfg, log, time.Now)
	if err != nil {
		return "", err
	}
	defer a.Close()
	boot, err := a.store.BootstrapAdministrator(ctx)
	if err != nil {
		return "", fmt.Errorf("read the bootstrap administrator: %w", err)
	}
	// SECURITY: whoever runs the command holds the store's credentials:
	// the administrator, named in the audit log as the bootstrap account.
	ctx = auth.With(ctx, auth.Principal{Role: auth.Administrator, AccountID: boot.ID, Name: boot.Name})
	wb, info, err := a.listExports(nil).workbook(ctx, kind, q, nil)
	if err != nil {
		var refused *exportRefusal
		if errors.As(err, &refused) {
			return "", fmt.Errorf("export refused: %s %s", refused.code, refused.message)
		}
		return "", err
	}
	defer wb.Close()
	n, err := wb.WriteTo(out)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s: %d rows, %d bytes, %s, in process", kind, wb.Rows(), n, info.privacy), nil
}
