package main

import (
	"bufio"
	"bytes"
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
	"strconv"
	"strings"
	"time"

	"github.com/yurong/yurong/auth"
	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/marketplace"
	"github.com/yurong/yurong/sheets"
)

// maxImportBytes bounds an uploaded workbook: 60,000 enterprises with two
// years of reports take about 12 MB.
const maxImportBytes = 256 << 20

// importWriter is the marketplace as sheets imports into it.
type importWriter struct{ market *marketplace.Service }

func (w importWriter) ImportEnterprises(ctx context.Context, batch []sheets.Upsert, mode sheets.Mode) ([]sheets.Result, error) {
	ups := make([]marketplace.Upsert, len(batch))
	for i, u := range batch {
		ups[i] = marketplace.Upsert{CreditCode: u.CreditCode, Merge: u.Merge}
	}
	var res []marketplace.ImportResult
	if mode == sheets.CheckOnly {
		res = w.market.CheckEnterprises(ups)
	} else {
		var err error
		if res, err = w.market.ImportEnterprises(ctx, ups, mode == sheets.WriteAll); err != nil {
			return nil, err
		}
	}
	out := make([]sheets.Result, len(res))
	for i, r := range res {
		out[i] = sheets.Result{Outcome: outcomes[r.Outcome], Problems: r.Problems}
	}
	return out, nil
}

func (w importWriter) ImportProducts(ctx context.Context, batch []sheets.KeyedUpsert[sheets.ProductKey, catalog.FinancialProduct], mode sheets.Mode) ([]sheets.Result, error) {
	return importKeyed(ctx, batch, func(k sheets.ProductKey) marketplace.ProductKey { return marketplace.ProductKey(k) },
		mode, w.market.ImportProducts, w.market.CheckProducts)
}

func (w importWriter) ImportIncubators(ctx context.Context, batch []sheets.KeyedUpsert[sheets.IncubatorKey, catalog.Incubator], mode sheets.Mode) ([]sheets.Result, error) {
	return importKeyed(ctx, batch, func(k sheets.IncubatorKey) marketplace.IncubatorKey { return marketplace.IncubatorKey(k) },
		mode, w.market.ImportIncubators, w.market.CheckIncubators)
}

func (w importWriter) ImportDemands(ctx context.Context, batch []sheets.KeyedUpsert[sheets.DemandKey, catalog.SupplyChainDemand], mode sheets.Mode) ([]sheets.Result, error) {
	return importKeyed(ctx, batch, func(k sheets.DemandKey) marketplace.DemandKey { return marketplace.DemandKey(k) },
		mode, w.market.ImportDemands, w.market.CheckDemands)
}

// importKeyed passes a batch of sheets' keyed upserts, key converting each
// key, to the marketplace's import of their kind (or its check), and
// returns the outcomes.
func importKeyed[SK, MK comparable, T any](ctx context.Context, batch []sheets.KeyedUpsert[SK, T], key func(SK) MK, mode sheets.Mode,
	run func(context.Context, []marketplace.KeyedUpsert[MK, T], bool) ([]marketplace.KeyedResult[T], error),
	check func([]marketplace.KeyedUpsert[MK, T]) []marketplace.KeyedResult[T]) ([]sheets.Result, error) {
	ups := make([]marketplace.KeyedUpsert[MK, T], len(batch))
	for i, u := range batch {
		ups[i] = marketplace.KeyedUpsert[MK, T]{Key: key(u.Key), Merge: u.Merge}
	}
	var res []marketplace.KeyedResult[T]
	if mode == sheets.CheckOnly {
		res = check(ups)
	} else {
		var err error
		if res, err = run(ctx, ups, mode == sheets.WriteAll); err != nil {
			return nil, err
		}
	}
	out := make([]sheets.Result, len(res))
	for i, r := range res {
		out[i] = sheets.Result{Outcome: outcomes[r.Outcome], Problems: r.Problems}
	}
	return out, nil
}

var outcomes = map[marketplace.Outcome]sheets.Outcome{
	marketplace.Refused: sheets.Refused, marketplace.Created: sheets.Created,
	marketplace.Updated: sheets.Updated, marketplace.Unchanged: sheets.Unchanged,
}

// importLine is one line of /admin/import's streamed answer: progress
// while it runs, then the report or the error.
type importLine struct {
	Progress *sheets.Progress `json:"progress,omitempty"`
	Report   *sheets.Report   `json:"report,omitempty"`
	Error    string           `json:"error,omitempty"`
}

// importHandler imports the workbook in the request body (every sheet it
// holds: enterprises, products, incubators, demands) for an administrator (?name=FILE.xlsx|FILE.csv tells the format;
// ?allOrNothing=true writes nothing unless every row is good), streaming
// its progress and then its report as JSON lines.
func (a *app) importHandler(w http.ResponseWriter, r *http.Request) {
	// SECURITY: an import writes enterprises and their private figures,
	// and any institution's products; administrators only.
	if err := auth.Require(r.Context(), auth.Administrator); err != nil {
		http.Error(w, "administrator token required", http.StatusUnauthorized)
		return
	}
	name := r.URL.Query().Get("name")
	all, err := strconv.ParseBool(or(r.URL.Query().Get("allOrNothing"), "false"))
	if err != nil {
		http.Error(w, "allOrNothing: want true or false", http.StatusBadRequest)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxImportBytes))
	if err != nil {
		http.Error(w, fmt.Sprintf("the file is larger than %d MiB or was cut short", maxImportBytes>>20), http.StatusRequestEntityTooLarge)
		return
	}
	wb, err := sheets.Open(name, bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	defer wb.Close()
	w.Header().Set("Content-Type", "application/x-ndjson")
	rc := http.NewResponseController(w)
	enc := json.NewEncoder(w)
	last := time.Time{}
	rep, err := sheets.Import(r.Context(), importWriter{a.market}, wb, sheets.Options{
		AllOrNothing: all,
		Progress: func(p sheets.Progress) {
			if p.Phase != "done" && time.Since(last) < 200*time.Millisecond {
				return
			}
			last = time.Now()
			enc.Encode(importLine{Progress: &p})
			rc.Flush()
		},
	})
	if err != nil {
		a.log.ErrorContext(r.Context(), "import failed", "file", name, "err", err)
		enc.Encode(importLine{Error: err.Error()})
		return
	}
	a.log.InfoContext(r.Context(), "import", "file", name, "created", rep.Created, "updated", rep.Updated,
		"unchanged", rep.Unchanged, "refused", rep.Refused, "products", rep.Products, "incubators", rep.Incubators,
		"demands", rep.Demands, "problems", len(rep.Problems))
	enc.Encode(importLine{Report: rep})
}

// importCommand imports a workbook, or writes the template:
//
//	go run . import [--all-or-nothing] FILE.xlsx|FILE.csv
//	go run . import --template FILE.xlsx
//
// It goes through the running server when one answers on YURONG_ADDR, so
// its read model and index follow at once, and runs in this process
// otherwise. Progress goes to stderr, the problems and the summary to
// stdout.
func importCommand(ctx context.Context, cfg Config, log *slog.Logger, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	template := fs.Bool("template", false, "write an empty workbook with the import layout to FILE")
	all := fs.Bool("all-or-nothing", false, "write nothing unless every row is good")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: import [--all-or-nothing] FILE.xlsx|FILE.csv, or import --template FILE.xlsx")
	}
	path := fs.Arg(0)
	if *template {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		if err := sheets.WriteTemplate(f); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		fmt.Printf("wrote the import template to %s: sheets %s\n", path, strings.Join([]string{sheets.EnterpriseSheet, sheets.ReportSheet,
			sheets.SubsidySheet, sheets.ProductSheet, sheets.IncubatorSheet, sheets.DemandSheet}, ", "))
		return nil
	}
	bar := newProgressBar(os.Stderr)
	show := func(p sheets.Progress) {
		bar.draw(p.Phase, p.Done, p.Total, p.Started, fmt.Sprintf("%d rows read", p.Rows))
	}
	var rep *sheets.Report
	var err error
	base := "http://" + displayAddr(cfg.Addr)
	if serverAnswers(ctx, base) {
		if cfg.AdminToken == "" {
			return errors.New("a server runs on " + base + ": set YURONG_ADMIN_TOKEN to its administrator token")
		}
		rep, err = remoteImport(ctx, base, cfg.AdminToken, path, *all, show)
	} else {
		rep, err = localImport(ctx, cfg, log, path, *all, show)
	}
	if err != nil {
		return err
	}
	return printImportReport(os.Stdout, rep)
}

func localImport(ctx context.Context, cfg Config, log *slog.Logger, path string, all bool, show func(sheets.Progress)) (*sheets.Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	wb, err := sheets.Open(path, bufio.NewReader(f))
	if err != nil {
		return nil, err
	}
	defer wb.Close()
	cfg.Demo = false // import into what is stored
	a, err := openApp(ctx, cfg, log, time.Now)
	if err != nil {
		return nil, err
	}
	defer a.Close()
	return sheets.Import(ctx, importWriter{a.market}, wb, sheets.Options{AllOrNothing: all, Progress: show})
}

func remoteImport(ctx context.Context, base, token, path string, all bool, show func(sheets.Progress)) (*sheets.Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	q := url.Values{"name": {filepath.Base(path)}, "allOrNothing": {strconv.FormatBool(all)}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/admin/import?"+q.Encode(), f)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		return nil, fmt.Errorf("import refused: %s %s", res.Status, strings.TrimSpace(string(b)))
	}
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(nil, 64<<20) // the report line lists every problem
	for sc.Scan() {
		var l importLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return nil, fmt.Errorf("import: unreadable answer: %w", err)
		}
		switch {
		case l.Error != "":
			return nil, errors.New(l.Error)
		case l.Report != nil:
			return l.Report, nil
		case l.Progress != nil:
			show(*l.Progress)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return nil, errors.New("import: the server ended the answer without a report")
}

// printImportReport lists the problems and the counts; refused rows make
// the command fail (after the good rows were written).
func printImportReport(w io.Writer, rep *sheets.Report) error {
	for _, p := range rep.Problems {
		fmt.Fprintln(w, p)
	}
	resources := rep.Rows[sheets.ProductSheet] + rep.Rows[sheets.IncubatorSheet] + rep.Rows[sheets.DemandSheet]
	if enterprises := rep.Rows[sheets.EnterpriseSheet] + rep.Rows[sheets.ReportSheet] + rep.Rows[sheets.SubsidySheet]; enterprises > 0 || resources == 0 {
		fmt.Fprintf(w, "企业表 %d 行、年报 %d 行、财政补贴 %d 行：新增 %d 家，更新 %d 家，未变 %d 家，未导入 %d 家\n",
			rep.Rows[sheets.EnterpriseSheet], rep.Rows[sheets.ReportSheet], rep.Rows[sheets.SubsidySheet],
			rep.Created, rep.Updated, rep.Unchanged, rep.Refused)
	}
	for _, k := range []struct {
		sheet string
		c     sheets.Counts
	}{{sheets.ProductSheet, rep.Products}, {sheets.IncubatorSheet, rep.Incubators}, {sheets.DemandSheet, rep.Demands}} {
		if rep.Rows[k.sheet] > 0 {
			fmt.Fprintf(w, "%s %d 行：新增 %d 条，更新 %d 条，未变 %d 条，未导入 %d 条\n",
				k.sheet, rep.Rows[k.sheet], k.c.Created, k.c.Updated, k.c.Unchanged, k.c.Refused)
		}
	}
	if rep.AnyRefused() {
		return fmt.Errorf("%d enterprises, %d products, %d incubators and %d demands were not imported (%d problems listed above)",
			rep.Refused, rep.Products.Refused, rep.Incubators.Refused, rep.Demands.Refused, len(rep.Problems))
	}
	return nil
}
