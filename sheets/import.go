package sheets

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/yurong/yurong/catalog"
)

// Importing an enterprise workbook.
//
// The unit of writing is the enterprise with all its rows: its row of the
// 企业 sheet, its 年报 and its 财政补贴 rows. An enterprise is upserted by
// its credit code: a new code creates it; a stored one has the file's
// non-empty cells written over it (an empty optional cell keeps the stored
// value), its reports replaced year by year and its subsidies by programme
// and year. Reports and subsidies may come without a 企业 row for an
// enterprise already stored. Importing the same file twice changes nothing
// the second time.

// Upsert is one enterprise to write, found by its credit code.
type Upsert struct {
	CreditCode string
	// Merge returns the enterprise to store given a copy of the stored one
	// (nil when the code is new); it may modify that copy. It returns nil
	// when there is nothing to store: the code is new and the file holds
	// only its reports or subsidies (refused as NOT_FOUND).
	Merge func(cur *catalog.Enterprise) *catalog.Enterprise
}

// Outcome is what the store did with an Upsert.
type Outcome uint8

const (
	Refused Outcome = iota
	Created
	Updated
	Unchanged
)

// Result is the outcome of one Upsert; Problems are set when refused.
type Result struct {
	Outcome  Outcome
	Problems catalog.Problems
}

// Writer validates and writes a batch of upserts of one kind, as mode
// says.
type Writer interface {
	ImportEnterprises(ctx context.Context, batch []Upsert, mode Mode) ([]Result, error)
	ImportProducts(ctx context.Context, batch []KeyedUpsert[ProductKey, catalog.FinancialProduct], mode Mode) ([]Result, error)
	ImportIncubators(ctx context.Context, batch []KeyedUpsert[IncubatorKey, catalog.Incubator], mode Mode) ([]Result, error)
	ImportDemands(ctx context.Context, batch []KeyedUpsert[DemandKey, catalog.SupplyChainDemand], mode Mode) ([]Result, error)
}

// Mode tells a Writer what to do with a batch.
type Mode uint8

const (
	// WriteValid writes the valid upserts and refuses the others.
	WriteValid Mode = iota
	// WriteAll writes nothing when one upsert is refused.
	WriteAll
	// CheckOnly writes nothing: each result is what writing would do. An
	// all-or-nothing import of several kinds checks them all first, so a
	// refused product leaves the file's enterprises unwritten too.
	CheckOnly
)

// Options tune an import.
type Options struct {
	// AllOrNothing writes nothing unless every row is good (and the whole
	// file in one transaction).
	AllOrNothing bool
	// BatchSize is the number of enterprises (or products, incubators,
	// demands) per transaction; 5,000 when 0.
	BatchSize int
	// Progress, when set, hears how the import goes.
	Progress func(Progress)
}

// Progress is the state of an import: rows read, then entities written.
type Progress struct {
	Phase   string    `json:"phase"` // "read", "write" or "done"
	Sheet   string    `json:"sheet,omitempty"`
	Rows    int       `json:"rows"`  // rows read in all
	Done    int       `json:"done"`  // entities through the writer: enterprises, products, incubators, demands
	Total   int       `json:"total"` // entities to write, once read
	Started time.Time `json:"started"`
}

// Report is what an import did. Created, Updated, Unchanged and Refused
// count enterprises; the other kinds have their Counts.
type Report struct {
	Rows       map[string]int `json:"rows"` // data rows read per sheet
	Created    int            `json:"created"`
	Updated    int            `json:"updated"`
	Unchanged  int            `json:"unchanged"`
	Refused    int            `json:"refused"` // enterprises not written
	Products   Counts         `json:"products"`
	Incubators Counts         `json:"incubators"`
	Demands    Counts         `json:"demands"`
	Problems   []Problem      `json:"problems"`
}

// Counts is what an import did with the rows of one kind.
type Counts struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Refused   int `json:"refused"` // rows not written
}

// AnyRefused reports whether any row of the file was not written.
func (r *Report) AnyRefused() bool {
	return r.Refused+r.Products.Refused+r.Incubators.Refused+r.Demands.Refused > 0
}

// draft is one enterprise of the file: its rows and what they hold.
type draft struct {
	code      string
	row       int      // its 企业 row; 0 when the file has reports or subsidies only
	cells     []string // the 企业 row's cells, by EnterpriseColumns index
	reports   []sourced[ReportRow]
	subsidies []sourced[SubsidyRow]
	problems  []Problem
	// Filled by merge: the file row of each report and subsidy of the
	// merged enterprise (0 for one kept from the store).
	reportRows, subsidyRows []int
}

type sourced[T any] struct {
	row int
	v   T
}

// File is an import file: an .xlsx workbook with the 企业, 年报, 财政补贴,
// 金融产品, 孵化载体 and 产业链需求 sheets (any may be missing), or a CSV
// file holding one of them.
type File struct {
	name     string
	xlsx     *excelize.File
	csv      *csvRows
	csvSheet string
}

// Open reads the workbook name from r; the name's extension tells the
// format (.xlsx or .csv).
func Open(name string, r io.Reader) (*File, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		c := newCSVRows(r)
		for c.Next() {
			if cells, _ := c.Columns(); !blank(cells) {
				break
			}
		}
		if c.err != nil {
			return nil, fmt.Errorf("sheets: read %s: %w", name, c.err)
		}
		sheet := sheetOfHeader(c.row)
		if sheet == "" {
			return nil, fmt.Errorf("sheets: %s: the header row names none of the sheets (企业, 年报, 财政补贴, 金融产品, 孵化载体, 产业链需求); see `import --template`", name)
		}
		c.replay = true
		return &File{name: name, csv: c, csvSheet: sheet}, nil
	case ".xlsx", ".xlsm":
		f, err := excelize.OpenReader(r)
		if err != nil {
			return nil, fmt.Errorf("sheets: open %s: %w", name, err)
		}
		return &File{name: name, xlsx: f}, nil
	}
	return nil, fmt.Errorf("sheets: %s: want an .xlsx or .csv file", name)
}

// Close releases the workbook.
func (w *File) Close() error {
	if w.xlsx != nil {
		return w.xlsx.Close()
	}
	return nil
}

// rows returns the rows of sheet, or nil when the file does not hold it.
func (w *File) rows(sheet string) (rowSource, error) {
	if w.csv != nil {
		if w.csvSheet == sheet {
			return w.csv, nil
		}
		return nil, nil
	}
	if idx, _ := w.xlsx.GetSheetIndex(sheet); idx < 0 {
		return nil, nil
	}
	rows, err := w.xlsx.Rows(sheet) // streams the sheet's XML instead of loading it
	if err != nil {
		return nil, fmt.Errorf("sheets: %s: %w", sheet, err)
	}
	return rows, nil
}

// ImportEnterprises reads the enterprise sheets of wb and writes them
// through w.
func ImportEnterprises(ctx context.Context, w Writer, wb *File, opt Options) (*Report, error) {
	return run(ctx, w, wb, opt, &enterpriseImport{})
}

// Import reads every sheet of wb — the enterprise sheets, then 金融产品,
// 孵化载体 and 产业链需求 — and writes them through w, in that order.
func Import(ctx context.Context, w Writer, wb *File, opt Options) (*Report, error) {
	return run(ctx, w, wb, opt, &enterpriseImport{}, productImport(), incubatorImport(), demandImport())
}

// A part is the import of one kind of entity from its sheets.
type part interface {
	// read reads the part's sheets, counting each data row with count.
	read(wb *File, rep *Report, count func(sheet string) func()) error
	// settle refuses the entities with a bad cell and returns how many are
	// left to write.
	settle(rep *Report) int
	// refuseAll counts the entities left to write as refused.
	refuseAll(rep *Report)
	// check asks the writer, without writing, which of them it would
	// refuse; those are reported and counted as refused, and no longer
	// left to write. It returns whether there were any.
	check(ctx context.Context, w Writer, rep *Report) (bool, error)
	// write writes them in batches of size, calling done after each; it
	// returns whether the writer refused any.
	write(ctx context.Context, w Writer, rep *Report, size int, mode Mode, done func(n int)) (bool, error)
}

// run reads every part, then writes the good entities part by part.
func run(ctx context.Context, w Writer, wb *File, opt Options, parts ...part) (*Report, error) {
	if opt.BatchSize <= 0 {
		opt.BatchSize = 5000
	}
	rep := &Report{Rows: map[string]int{}}
	prog := Progress{Phase: "read", Started: time.Now()}
	tell := func() {
		if opt.Progress != nil {
			opt.Progress(prog)
		}
	}
	counted := func(sheet string) func() {
		prog.Sheet = sheet
		return func() {
			rep.Rows[sheet]++
			if prog.Rows++; prog.Rows%1000 == 0 {
				tell()
			}
		}
	}
	for _, p := range parts {
		if err := p.read(wb, rep, counted); err != nil {
			return nil, err
		}
	}
	tell()

	// Entities with a bad cell are refused before writing.
	good := make([]int, len(parts))
	for i, p := range parts {
		good[i] = p.settle(rep)
		prog.Total += good[i]
	}
	if opt.AllOrNothing {
		if len(rep.Problems) > 0 {
			for _, p := range parts {
				p.refuseAll(rep)
			}
			return rep.sorted(), nil
		}
		opt.BatchSize = max(slices.Max(good), 1)
		// Several kinds are several transactions: check every kind before
		// writing any, so that a problem only the writer finds (an unknown
		// institution, a negative amount) leaves the whole file unwritten.
		if kinds := len(slices.DeleteFunc(slices.Clone(good), func(n int) bool { return n == 0 })); kinds > 1 {
			refused := false
			for _, p := range parts {
				r, err := p.check(ctx, w, rep)
				if err != nil {
					return nil, err
				}
				refused = refused || r
			}
			if refused {
				for _, p := range parts {
					p.refuseAll(rep)
				}
				return rep.sorted(), nil
			}
		}
	}
	mode := WriteValid
	if opt.AllOrNothing {
		mode = WriteAll
	}

	prog.Phase, prog.Sheet = "write", ""
	tell()
	for i, p := range parts {
		refused, err := p.write(ctx, w, rep, opt.BatchSize, mode, func(n int) {
			prog.Done += n
			tell()
		})
		if err != nil {
			return nil, err
		}
		if refused && opt.AllOrNothing { // the parts not yet written are refused too
			for _, q := range parts[i+1:] {
				q.refuseAll(rep)
			}
			break
		}
	}
	prog.Phase = "done"
	tell()
	return rep.sorted(), nil
}

// enterpriseImport is the part of the enterprise sheets: 企业, 年报 and
// 财政补贴, the enterprise with all its rows the unit of writing.
type enterpriseImport struct {
	drafts []*draft
	good   []*draft
}

func (ei *enterpriseImport) read(wb *File, rep *Report, counted func(string) func()) error {
	byCode := map[string]*draft{}
	draftOf := func(code string) *draft {
		d := byCode[code]
		if d == nil {
			d = &draft{code: code}
			byCode[code] = d
			ei.drafts = append(ei.drafts, d)
		}
		return d
	}

	// 企业: one row per enterprise; a second row of a code is refused.
	if err := read(wb, EnterpriseSheet, EnterpriseColumns, rep, counted(EnterpriseSheet), func(row int, e *catalog.Enterprise, cells []string, probs []Problem) {
		if e.CreditCode == "" {
			rep.Problems = append(rep.Problems, probs...)
			rep.Refused++
			return
		}
		d := draftOf(e.CreditCode)
		if d.row != 0 {
			rep.Problems = append(rep.Problems, Problem{Sheet: EnterpriseSheet, Row: row, Column: EnterpriseColumns[0].Header,
				Value: e.CreditCode, Field: []string{"creditCode"}, Code: catalog.CodeDuplicate,
				Message: fmt.Sprintf("统一社会信用代码 %s 与第 %d 行重复", e.CreditCode, d.row)})
			rep.Refused++
			return
		}
		d.row, d.cells, d.problems = row, cells, append(d.problems, probs...)
	}); err != nil {
		return err
	}
	if err := read(wb, ReportSheet, ReportColumns, rep, counted(ReportSheet), func(row int, r *ReportRow, _ []string, probs []Problem) {
		if r.CreditCode == "" {
			rep.Problems = append(rep.Problems, probs...)
			return
		}
		d := draftOf(r.CreditCode)
		d.reports = append(d.reports, sourced[ReportRow]{row, *r})
		d.problems = append(d.problems, probs...)
	}); err != nil {
		return err
	}
	return read(wb, SubsidySheet, SubsidyColumns, rep, counted(SubsidySheet), func(row int, r *SubsidyRow, _ []string, probs []Problem) {
		if r.CreditCode == "" {
			rep.Problems = append(rep.Problems, probs...)
			return
		}
		d := draftOf(r.CreditCode)
		d.subsidies = append(d.subsidies, sourced[SubsidyRow]{row, *r})
		d.problems = append(d.problems, probs...)
	})
}

// settle refuses the enterprises with a bad cell, their good rows named as
// skipped.
func (ei *enterpriseImport) settle(rep *Report) int {
	for _, d := range ei.drafts {
		if len(d.problems) == 0 {
			ei.good = append(ei.good, d)
			continue
		}
		rep.Refused++
		rep.Problems = append(rep.Problems, d.problems...)
		rep.Problems = append(rep.Problems, d.skipped(d.problems[0])...)
	}
	return len(ei.good)
}

func (ei *enterpriseImport) refuseAll(rep *Report) { rep.Refused += len(ei.good) }

func upserts(ds []*draft) []Upsert {
	ups := make([]Upsert, len(ds))
	for i, d := range ds {
		ups[i] = Upsert{CreditCode: d.code, Merge: d.merge}
	}
	return ups
}

func (ei *enterpriseImport) check(ctx context.Context, w Writer, rep *Report) (bool, error) {
	if len(ei.good) == 0 {
		return false, nil
	}
	results, err := w.ImportEnterprises(ctx, upserts(ei.good), CheckOnly)
	if err != nil {
		return false, err
	}
	var keep []*draft
	for i, r := range results {
		if r.Outcome != Refused {
			keep = append(keep, ei.good[i])
			continue
		}
		rep.Refused++
		if len(r.Problems) > 0 {
			probs := ei.good[i].locate(r.Problems)
			rep.Problems = append(rep.Problems, probs...)
			rep.Problems = append(rep.Problems, ei.good[i].skipped(probs[0])...)
		}
	}
	refused := len(keep) < len(ei.good)
	ei.good = keep
	return refused, nil
}

func (ei *enterpriseImport) write(ctx context.Context, w Writer, rep *Report, size int, mode Mode, done func(int)) (bool, error) {
	refused := false
	for lo := 0; lo < len(ei.good); lo += size {
		batch := ei.good[lo:min(lo+size, len(ei.good))]
		results, err := w.ImportEnterprises(ctx, upserts(batch), mode)
		if err != nil {
			return false, err
		}
		for i, r := range results {
			switch r.Outcome {
			case Created:
				rep.Created++
			case Updated:
				rep.Updated++
			case Unchanged:
				rep.Unchanged++
			default:
				rep.Refused++
				refused = true
				if len(r.Problems) > 0 {
					probs := batch[i].locate(r.Problems)
					rep.Problems = append(rep.Problems, probs...)
					rep.Problems = append(rep.Problems, batch[i].skipped(probs[0])...)
				}
			}
		}
		done(len(batch))
	}
	return refused, nil
}

// read reads one sheet of wb when the file holds it.
func read[T any](wb *File, sheet string, cols []Column[T], rep *Report, count func(), each func(int, *T, []string, []Problem)) error {
	src, err := wb.rows(sheet)
	if err != nil || src == nil {
		return err
	}
	probs, err := readSheet(src, sheet, cols, func(row int, v *T, cells []string, probs []Problem) {
		count()
		each(row, v, cells, probs)
	})
	rep.Problems = append(rep.Problems, probs...)
	return err
}

// merge makes the enterprise to store from the stored one (nil when new)
// and the file's rows, recording where each report and subsidy came from.
func (d *draft) merge(cur *catalog.Enterprise) *catalog.Enterprise {
	if cur == nil && d.row == 0 {
		return nil // reports or subsidies of an enterprise nobody gave
	}
	e := cur
	if e == nil {
		e = &catalog.Enterprise{CreditStatus: catalog.CreditGood}
	}
	for i, c := range EnterpriseColumns {
		if i < len(d.cells) && d.cells[i] != "" {
			_ = c.Set(e, d.cells[i]) // read once without error already
		}
	}
	inFile := map[int]bool{}
	for _, r := range d.reports {
		inFile[r.v.Report.Year] = true
	}
	d.reportRows = d.reportRows[:0]
	var reports []catalog.AnnualReport
	for _, r := range e.Reports {
		if !inFile[r.Year] {
			reports = append(reports, r)
			d.reportRows = append(d.reportRows, 0)
		}
	}
	for _, r := range d.reports {
		reports = append(reports, r.v.Report)
		d.reportRows = append(d.reportRows, r.row)
	}
	e.Reports = reports

	type key struct {
		program string
		year    int
	}
	d.subsidyRows = make([]int, len(e.Subsidies))
	at := map[key]int{}
	for i, s := range e.Subsidies {
		at[key{s.Program, s.Year}] = i
	}
	for _, s := range d.subsidies {
		k := key{s.v.Subsidy.Program, s.v.Subsidy.Year}
		if i, ok := at[k]; ok {
			e.Subsidies[i], d.subsidyRows[i] = s.v.Subsidy, s.row
			continue
		}
		at[k] = len(e.Subsidies)
		e.Subsidies = append(e.Subsidies, s.v.Subsidy)
		d.subsidyRows = append(d.subsidyRows, s.row)
	}
	return e
}

// locate turns the problems the writer found, by API field path, into the
// cells of the file that hold those fields.
func (d *draft) locate(ps catalog.Problems) []Problem {
	out := make([]Problem, 0, len(ps))
	for _, p := range ps {
		pr := Problem{Sheet: EnterpriseSheet, Row: d.row, Field: p.Field, Code: p.Code, Message: p.Message}
		path := p.Field
		switch {
		case len(path) == 3 && path[0] == "reports":
			i, _ := strconv.Atoi(path[1])
			if i < len(d.reportRows) && d.reportRows[i] != 0 {
				pr.Sheet, pr.Row = ReportSheet, d.reportRows[i]
				if c, ok := columnOf(ReportColumns, "reports."+path[2]); ok {
					pr.Column = c.Header
					pr.Value = c.Get(&d.reports[slices.IndexFunc(d.reports, func(r sourced[ReportRow]) bool { return r.row == pr.Row })].v)
				}
			}
		case len(path) == 3 && path[0] == "subsidies":
			i, _ := strconv.Atoi(path[1])
			if i < len(d.subsidyRows) && d.subsidyRows[i] != 0 {
				pr.Sheet, pr.Row = SubsidySheet, d.subsidyRows[i]
				if c, ok := columnOf(SubsidyColumns, "subsidies."+path[2]); ok {
					pr.Column = c.Header
					pr.Value = c.Get(&d.subsidies[slices.IndexFunc(d.subsidies, func(r sourced[SubsidyRow]) bool { return r.row == pr.Row })].v)
				}
			}
		case len(path) >= 1:
			for i, c := range EnterpriseColumns {
				if c.Field == path[0] {
					pr.Column = c.Header
					if i < len(d.cells) {
						pr.Value = d.cells[i]
					}
				}
			}
		}
		if pr.Row == 0 { // a stored value the file did not supply: name the first row of the file
			pr.Sheet, pr.Row = d.firstRow()
			if len(path) == 1 && path[0] == "creditCode" {
				pr.Value = d.code
			}
		}
		out = append(out, pr)
	}
	return out
}

func columnOf[T any](cols []Column[T], field string) (Column[T], bool) {
	for _, c := range cols {
		if c.Field == field {
			return c, true
		}
	}
	return Column[T]{}, false
}

func (d *draft) firstRow() (string, int) {
	switch {
	case d.row != 0:
		return EnterpriseSheet, d.row
	case len(d.reports) > 0:
		return ReportSheet, d.reports[0].row
	case len(d.subsidies) > 0:
		return SubsidySheet, d.subsidies[0].row
	}
	return EnterpriseSheet, 0
}

// skipped names the enterprise's rows that hold no problem of their own,
// not written because of the bad one.
func (d *draft) skipped(bad Problem) []Problem {
	type at struct {
		sheet string
		row   int
	}
	badRows := map[at]bool{}
	for _, p := range d.problems {
		badRows[at{p.Sheet, p.Row}] = true
	}
	badRows[at{bad.Sheet, bad.Row}] = true
	msg := fmt.Sprintf("同一企业（%s）的%s第 %d 行有错误，本行未导入", d.code, bad.Sheet, bad.Row)
	var out []Problem
	add := func(sheet string, row int) {
		if row != 0 && !badRows[at{sheet, row}] {
			out = append(out, Problem{Sheet: sheet, Row: row, Code: CodeSkipped, Message: msg})
		}
	}
	add(EnterpriseSheet, d.row)
	for _, r := range d.reports {
		add(ReportSheet, r.row)
	}
	for _, s := range d.subsidies {
		add(SubsidySheet, s.row)
	}
	return out
}

// sorted orders the problems by sheet (in workbook order), row and column.
func (r *Report) sorted() *Report {
	order := map[string]int{EnterpriseSheet: 0, ReportSheet: 1, SubsidySheet: 2, ProductSheet: 3, IncubatorSheet: 4, DemandSheet: 5}
	slices.SortStableFunc(r.Problems, func(a, b Problem) int {
		if a.Sheet != b.Sheet {
			return order[a.Sheet] - order[b.Sheet]
		}
		return a.Row - b.Row
	})
	return r
}
