package sheets

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
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
)

// The administrator's import over HTTP: an import command goes through the
// running server (RemoteImport), so its read model and index follow at
// once, and the server runs it (ImportHandler) into its Writer.

// MaxImportBytes bounds an uploaded workbook: 60,000 enterprises with two
// years of reports take about 12 MB.
const MaxImportBytes = 256 << 20

// ImportLine is one line of POST /admin/import's streamed answer: progress
// while it runs, then the report or the error.
type ImportLine struct {
	Progress *Progress `json:"progress,omitempty"`
	Report   *Report   `json:"report,omitempty"`
	Error    string    `json:"error,omitempty"`
}

// ImportHandler imports the workbook in the request body (every sheet it
// holds: enterprises, products, incubators, demands) into w for the
// requests authorize lets through (it answers 401 to the others).
// ?name=FILE.xlsx|FILE.csv tells the format; ?allOrNothing=true writes
// nothing unless every row is good. It streams the progress, then the
// report, as JSON lines (ImportLine).
func ImportHandler(w Writer, authorize func(*http.Request) error, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		// SECURITY: an import writes enterprises and their private figures,
		// and any institution's products; authorize admits administrators
		// only.
		if err := authorize(r); err != nil {
			http.Error(rw, "administrator token required", http.StatusUnauthorized)
			return
		}
		name := r.URL.Query().Get("name")
		all := false
		if v := r.URL.Query().Get("allOrNothing"); v != "" {
			var err error
			if all, err = strconv.ParseBool(v); err != nil {
				http.Error(rw, "allOrNothing: want true or false", http.StatusBadRequest)
				return
			}
		}
		body, err := io.ReadAll(http.MaxBytesReader(rw, r.Body, MaxImportBytes))
		if err != nil {
			http.Error(rw, fmt.Sprintf("the file is larger than %d MiB or was cut short", MaxImportBytes>>20), http.StatusRequestEntityTooLarge)
			return
		}
		wb, err := Open(name, bytes.NewReader(body))
		if err != nil {
			http.Error(rw, err.Error(), http.StatusBadRequest)
			return
		}
		defer wb.Close()
		rw.Header().Set("Content-Type", "application/x-ndjson")
		rc := http.NewResponseController(rw)
		enc := json.NewEncoder(rw)
		last := time.Time{}
		rep, err := Import(r.Context(), w, wb, Options{
			AllOrNothing: all,
			Progress: func(p Progress) {
				if p.Phase != "done" && time.Since(last) < 200*time.Millisecond {
					return
				}
				last = time.Now()
				enc.Encode(ImportLine{Progress: &p})
				rc.Flush()
			},
		})
		if err != nil {
			log.ErrorContext(r.Context(), "import failed", "file", name, "err", err)
			enc.Encode(ImportLine{Error: err.Error()})
			return
		}
		log.InfoContext(r.Context(), "import", "file", name, "created", rep.Created, "updated", rep.Updated,
			"unchanged", rep.Unchanged, "refused", rep.Refused, "products", rep.Products, "incubators", rep.Incubators,
			"demands", rep.Demands, "problems", len(rep.Problems))
		enc.Encode(ImportLine{Report: rep})
	})
}

// RemoteImport sends the file at path to the server at base
// (http://host:port) with an administrator's bearer token, passes each
// progress line it streams to show, and returns its report.
func RemoteImport(ctx context.Context, base, token, path string, all bool, show func(Progress)) (*Report, error) {
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
		var l ImportLine
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

// PrintReport lists the report's problems and counts to w; refused rows
// make it return an error (after the good rows were written).
func PrintReport(w io.Writer, rep *Report) error {
	for _, p := range rep.Problems {
		fmt.Fprintln(w, p)
	}
	resources := rep.Rows[ProductSheet] + rep.Rows[IncubatorSheet] + rep.Rows[DemandSheet]
	if enterprises := rep.Rows[EnterpriseSheet] + rep.Rows[ReportSheet] + rep.Rows[SubsidySheet]; enterprises > 0 || resources == 0 {
		fmt.Fprintf(w, "企业表 %d 行、年报 %d 行、财政补贴 %d 行：新增 %d 家，更新 %d 家，未变 %d 家，未导入 %d 家\n",
			rep.Rows[EnterpriseSheet], rep.Rows[ReportSheet], rep.Rows[SubsidySheet],
			rep.Created, rep.Updated, rep.Unchanged, rep.Refused)
	}
	for _, k := range []struct {
		sheet string
		c     Counts
	}{{ProductSheet, rep.Products}, {IncubatorSheet, rep.Incubators}, {DemandSheet, rep.Demands}} {
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
