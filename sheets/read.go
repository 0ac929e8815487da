package sheets

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/yurong/yurong/catalog"
)

// A Problem is one bad cell of an import, or a bad row or sheet when
// Column is empty. Code and Message are those the API gives for the same
// input; Field is the API input path, e.g. ["reports", "0", "revenue"].
type Problem struct {
	Sheet   string   `json:"sheet"`
	Row     int      `json:"row"` // 1-based, as a spreadsheet numbers rows
	Column  string   `json:"column,omitempty"`
	Value   string   `json:"value,omitempty"`
	Field   []string `json:"field,omitempty"`
	Code    string   `json:"code"`
	Message string   `json:"message"`
}

func (p Problem) String() string {
	at := fmt.Sprintf("%s 第 %d 行", p.Sheet, p.Row)
	if p.Column != "" {
		at += " 「" + p.Column + "」"
	}
	if p.Value != "" {
		at += fmt.Sprintf(" %q", p.Value)
	}
	return fmt.Sprintf("%s：%s（%s）", at, p.Message, p.Code)
}

// CodeSkipped marks a good row not written because another row of the same
// enterprise is bad: an enterprise is written whole or not at all.
const CodeSkipped = "SKIPPED"

// rowSource yields a sheet's rows as text cells: excelize's streaming row
// iterator, or a CSV reader.
type rowSource interface {
	Next() bool
	Columns(opts ...excelize.Options) ([]string, error)
	Error() error
	Close() error
}

// csvRows reads a CSV file as one sheet. A UTF-8 byte order mark, which
// Excel writes, is dropped.
type csvRows struct {
	r      *csv.Reader
	row    []string
	err    error
	done   bool
	replay bool // Next returns the current row again (the sniffed header)
}

func newCSVRows(r io.Reader) *csvRows {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	return &csvRows{r: cr}
}

func (c *csvRows) Next() bool {
	if c.replay {
		c.replay = false
		return true
	}
	if c.done {
		return false
	}
	row, err := c.r.Read()
	if err != nil {
		c.done = true
		if !errors.Is(err, io.EOF) {
			c.err = err
		}
		return false
	}
	if c.row == nil && len(row) > 0 {
		row[0] = strings.TrimPrefix(row[0], "\ufeff")
	}
	c.row = row
	return true
}

func (c *csvRows) Columns(...excelize.Options) ([]string, error) { return c.row, nil }
func (c *csvRows) Error() error                                  { return c.err }
func (c *csvRows) Close() error                                  { return nil }

// readSheet reads every row of src with the layout cols: the first non-empty
// row is the header, matched to cols by text (order free, unknown columns
// ignored). each receives every other non-empty row: its 1-based number,
// the value read, the raw cells by column index, and the problems of its
// cells. A header may leave columns out (an update of some fields), but not
// the key (the first column and those marked Key); a required column that
// is there must be filled.
func readSheet[T any](src rowSource, sheet string, cols []Column[T], each func(row int, v *T, cells []string, probs []Problem)) ([]Problem, error) {
	defer src.Close()
	at := make([]int, len(cols)) // the source column of each layout column, -1 when absent
	header, row := false, 0
	for src.Next() {
		row++
		cells, err := src.Columns()
		if err != nil {
			return nil, fmt.Errorf("sheets: read %s row %d: %w", sheet, row, err)
		}
		if blank(cells) {
			continue
		}
		if !header {
			header = true
			var probs []Problem
			for i, c := range cols {
				at[i] = -1
				for j, h := range cells {
					if strings.TrimSpace(h) == c.Header {
						at[i] = j
					}
				}
				if at[i] < 0 && (i == 0 || c.Key) { // the key: the credit code, or a natural key
					probs = append(probs, Problem{Sheet: sheet, Row: row, Column: c.Header, Code: catalog.CodeRequired,
						Message: "缺少「" + c.Header + "」列，本表未导入"})
				}
			}
			if len(probs) > 0 {
				return probs, nil
			}
			continue
		}
		var v T
		raw := make([]string, len(cols))
		var probs []Problem
		for i, c := range cols {
			if at[i] >= 0 && at[i] < len(cells) {
				raw[i] = strings.TrimSpace(cells[at[i]])
			}
			p := Problem{Sheet: sheet, Row: row, Column: c.Header, Value: raw[i], Field: strings.Split(c.Field, ".")}
			switch {
			case raw[i] == "" && c.Required && at[i] >= 0:
				p.Code, p.Message = catalog.CodeRequired, "必填"
				probs = append(probs, p)
			case raw[i] == "":
			default:
				if err := c.Set(&v, raw[i]); err != nil {
					p.Code, p.Message = catalog.CodeInvalid, err.Error()
					if ce := (*CellError)(nil); errors.As(err, &ce) {
						p.Code, p.Message = ce.Code, ce.Message
					}
					probs = append(probs, p)
				}
			}
		}
		each(row, &v, raw, probs)
	}
	if err := src.Error(); err != nil {
		return nil, fmt.Errorf("sheets: read %s: %w", sheet, err)
	}
	return nil, nil
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// sheetOfHeader tells which sheet a CSV file holds by its header row: the
// layout that knows most of its headers, the shared credit code aside. A
// sheet keyed by other columns than the credit code (金融产品, 孵化载体,
// 产业链需求) is a candidate only when the header has all its key columns.
func sheetOfHeader(header []string) string {
	best, most := "", 0
	has := func(h string) bool {
		return slices.ContainsFunc(header, func(x string) bool { return strings.TrimSpace(strings.TrimPrefix(x, "\ufeff")) == h })
	}
	count := func(sheet string, known []string, keys ...string) {
		for _, k := range keys {
			if !has(k) {
				return
			}
		}
		n := 0
		for _, h := range header {
			h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
			if h != EnterpriseColumns[0].Header && slices.Contains(known, h) {
				n++
			}
		}
		if n > most {
			best, most = sheet, n
		}
	}
	count(EnterpriseSheet, headers(EnterpriseColumns))
	count(ReportSheet, headers(ReportColumns))
	count(SubsidySheet, headers(SubsidyColumns))
	count(ProductSheet, headers(ProductColumns), keyHeaders(ProductColumns)...)
	count(IncubatorSheet, headers(IncubatorColumns), keyHeaders(IncubatorColumns)...)
	count(DemandSheet, headers(DemandColumns), keyHeaders(DemandColumns)...)
	return best
}

func headers[T any](cols []Column[T]) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Header
	}
	return out
}

func keyHeaders[T any](cols []Column[T]) []string {
	var out []string
	for i, c := range cols {
		if i == 0 || c.Key {
			out = append(out, c.Header)
		}
	}
	return out
}
