package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/internal/progress"
	"github.com/yurong/yurong/marketplace"
	"github.com/yurong/yurong/sheets"
)

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
	return importKeyed(ctx, batch, mode, w.market.ImportProducts, w.market.CheckProducts)
}

func (w importWriter) ImportIncubators(ctx context.Context, batch []sheets.KeyedUpsert[sheets.IncubatorKey, catalog.Incubator], mode sheets.Mode) ([]sheets.Result, error) {
	return importKeyed(ctx, batch, mode, w.market.ImportIncubators, w.market.CheckIncubators)
}

func (w importWriter) ImportDemands(ctx context.Context, batch []sheets.KeyedUpsert[sheets.DemandKey, catalog.SupplyChainDemand], mode sheets.Mode) ([]sheets.Result, error) {
	return importKeyed(ctx, batch, mode, w.market.ImportDemands, w.market.CheckDemands)
}

// importKeyed passes a batch of sheets' keyed upserts (their keys are
// catalog's natural keys) to the marketplace's import of their kind (or its
// check), and returns the outcomes.
func importKeyed[K comparable, T any](ctx context.Context, batch []sheets.KeyedUpsert[K, T], mode sheets.Mode,
	run func(context.Context, []marketplace.KeyedUpsert[K, T], bool) ([]marketplace.KeyedResult[T], error),
	check func([]marketplace.KeyedUpsert[K, T]) []marketplace.KeyedResult[T]) ([]sheets.Result, error) {
	ups := make([]marketplace.KeyedUpsert[K, T], len(batch))
	for i, u := range batch {
		ups[i] = marketplace.KeyedUpsert[K, T]{Key: u.Key, Merge: u.Merge}
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
	bar := progress.New(os.Stderr)
	show := func(p sheets.Progress) {
		bar.Draw(p.Phase, p.Done, p.Total, p.Started, fmt.Sprintf("%d rows read", p.Rows))
	}
	var rep *sheets.Report
	base, err := runningServer(ctx, cfg)
	if err != nil {
		return err
	}
	if base != "" {
		rep, err = sheets.RemoteImport(ctx, base, cfg.AdminToken, path, *all, show)
	} else {
		rep, err = localImport(ctx, cfg, log, path, *all, show)
	}
	if err != nil {
		return err
	}
	return sheets.PrintReport(os.Stdout, rep)
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
