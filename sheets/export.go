package sheets

import (
	"context"
	"fmt"
	"io"
	"iter"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/yurong/yurong/catalog"
)

// The writing of the official lists as .xlsx. A list is streamed row by
// row (excelize's StreamWriter keeps rows past 16 MB in a temporary file),
// so a list of 60,000 enterprises never sits in memory as cells. The
// caller gives the rows; what a reader may see is decided before, by the
// caller.

// Kind is how an exported column's cells are written.
type Kind int

const (
	// Text cells hold strings as they are.
	Text Kind = iota
	// Integer cells are whole numbers.
	Integer
	// Amount cells are yuan, numeric with the format #,##0.00.
	Amount
	// Decimal cells are numbers shown with two decimals.
	Decimal
	// Share cells are a fraction 0–1 shown as a percentage (0.00%).
	Share
)

// An ExportColumn is one column of an exported list.
type ExportColumn struct {
	Header string
	Kind   Kind
	// Private marks an enterprise's confidential figures: present only
	// when the reader may read some row's private data.
	Private bool
}

// Privacy says whether a list holds private columns and for how many of
// its rows they are filled.
type Privacy struct {
	// Included is set when the private columns are in the sheet.
	Included bool
	// Readable of Rows rows have their private cells filled; the others'
	// stay empty.
	Readable, Rows int
}

// Private-data notes of a list's 说明 sheet.
const (
	WithPrivate    = "含保密财务数据"
	WithoutPrivate = "不含保密财务数据"
)

// String is the note of the 说明 sheet: 含保密财务数据 or 不含保密财务数据,
// with how many enterprises' figures are withheld when some are.
func (p Privacy) String() string {
	switch {
	case !p.Included:
		return WithoutPrivate
	case p.Readable < p.Rows:
		return fmt.Sprintf("%s（仅 %d 家企业；其余 %d 家企业未授权本账户查看，保密列留空）", WithPrivate, p.Readable, p.Rows-p.Readable)
	}
	return WithPrivate
}

// A List is an official list ready to write: its sheet's columns and rows,
// and what its 说明 sheet says about it.
type List struct {
	// Title names the list and its data sheet (at most 31 characters).
	Title string
	// Filter is the filter in words; empty for the whole list.
	Filter string
	// Note says what the list is, e.g. its order.
	Note    string
	At      time.Time
	Privacy Privacy
	Columns []ExportColumn
	// Rows yields one value per column: a string, a whole number, a
	// float64 or a catalog.Amount, or nil for an empty cell. A cell of a
	// numeric column given as a string that does not read as a number is
	// written as text, so nothing is lost.
	Rows iter.Seq[[]any]
}

// InfoSheet is the name of the sheet that says what a list holds.
const InfoSheet = "说明"

// Rows of the 说明 sheet, label first.
const (
	InfoTitle   = "名单"
	InfoFilter  = "筛选条件"
	InfoAt      = "导出时间"
	InfoRows    = "行数"
	InfoPrivacy = "保密财务数据"
	InfoNote    = "说明"
)

// MaxListRows is the most rows a sheet holds below its header (Excel's
// limit is 1,048,576 rows).
const MaxListRows = 1_048_575

var beijing = time.FixedZone("CST", 8*3600)

// widthSample is how many rows are read ahead to size the columns.
const widthSample = 200

// A Workbook is a list written into a workbook, ready to be sent.
type Workbook struct {
	f    *excelize.File
	rows int
}

// BuildList writes the list into a workbook: the data sheet first (a bold,
// frozen header row, then one row per item, columns sized from the header
// and the first rows), then the 说明 sheet. Nothing is sent yet, so a
// failure can still be answered as an error; ctx cancels the writing.
func BuildList(ctx context.Context, l List) (*Workbook, error) {
	if l.Title == "" || utf8.RuneCountInString(l.Title) > 31 {
		return nil, fmt.Errorf("sheets: a list's title names its sheet and needs 1 to 31 characters: %q", l.Title)
	}
	f := excelize.NewFile()
	wb := &Workbook{f: f}
	if err := wb.build(ctx, l); err != nil {
		f.Close()
		return nil, err
	}
	return wb, nil
}

func (wb *Workbook) build(ctx context.Context, l List) error {
	f := wb.f
	if err := f.SetSheetName("Sheet1", l.Title); err != nil {
		return err
	}
	styles, err := newStyles(f)
	if err != nil {
		return err
	}
	next, stop := iter.Pull(l.Rows)
	defer stop()
	var ahead [][]any
	for len(ahead) < widthSample {
		row, ok := next()
		if !ok {
			break
		}
		ahead = append(ahead, row)
	}
	sw, err := f.NewStreamWriter(l.Title)
	if err != nil {
		return err
	}
	for i, w := range columnWidths(l.Columns, ahead) {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	header := make([]any, len(l.Columns))
	for i, c := range l.Columns {
		header[i] = excelize.Cell{StyleID: styles.header, Value: c.Header}
	}
	if err := sw.SetRow("A1", header, excelize.RowOpts{StyleID: styles.header}); err != nil {
		return err
	}
	write := func(row []any) error {
		if wb.rows == MaxListRows {
			return fmt.Errorf("sheets: a sheet holds at most %d rows", MaxListRows)
		}
		if wb.rows%1000 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if len(row) != len(l.Columns) {
			return fmt.Errorf("sheets: row %d has %d cells for %d columns", wb.rows+1, len(row), len(l.Columns))
		}
		cells := make([]any, len(row))
		for i, v := range row {
			cells[i] = styles.cell(l.Columns[i].Kind, v)
		}
		wb.rows++
		cell, _ := excelize.CoordinatesToCellName(1, wb.rows+1)
		return sw.SetRow(cell, cells)
	}
	for _, row := range ahead {
		if err := write(row); err != nil {
			return err
		}
	}
	if len(ahead) == widthSample {
		for {
			row, ok := next()
			if !ok {
				break
			}
			if err := write(row); err != nil {
				return err
			}
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return wb.info(l, styles)
}

// info writes the 说明 sheet.
func (wb *Workbook) info(l List, styles *styles) error {
	f := wb.f
	if _, err := f.NewSheet(InfoSheet); err != nil {
		return err
	}
	filter := l.Filter
	if filter == "" {
		filter = "无（全部）"
	}
	lines := [][2]any{
		{InfoTitle, l.Title},
		{InfoFilter, filter},
		{InfoAt, l.At.In(beijing).Format("2006-01-02 15:04:05") + "（北京时间）"},
		{InfoRows, wb.rows},
		{InfoPrivacy, l.Privacy.String()},
	}
	if l.Note != "" {
		lines = append(lines, [2]any{InfoNote, l.Note})
	}
	for i, line := range lines {
		row := []any{line[0], line[1]}
		if err := f.SetSheetRow(InfoSheet, "A"+strconv.Itoa(i+1), &row); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(InfoSheet, "A1", "A"+strconv.Itoa(len(lines)), styles.header); err != nil {
		return err
	}
	if err := f.SetColWidth(InfoSheet, "A", "A", 14); err != nil {
		return err
	}
	if err := f.SetColWidth(InfoSheet, "B", "B", 90); err != nil {
		return err
	}
	// The data sheet, the workbook's first, stays the active one: setting
	// it again would read the whole streamed sheet back.
	return f.SetDocProps(&excelize.DocProperties{Title: l.Title, Creator: "豫融 Yurong", Description: l.Privacy.String()})
}

// Rows is the number of rows written below the header.
func (wb *Workbook) Rows() int { return wb.rows }

// WriteTo writes the workbook as an .xlsx file.
func (wb *Workbook) WriteTo(w io.Writer) (int64, error) { return wb.f.WriteTo(w) }

// Close removes the workbook's temporary files.
func (wb *Workbook) Close() error { return wb.f.Close() }

// styles are the workbook's cell styles, by kind.
type styles struct {
	header                      int
	integer, amount, dec, share int
}

func newStyles(f *excelize.File) (*styles, error) {
	var s styles
	var err error
	if s.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}}); err != nil {
		return nil, err
	}
	for _, st := range []struct {
		id  *int
		fmt string
	}{{&s.integer, "0"}, {&s.amount, "#,##0.00"}, {&s.dec, "0.00"}, {&s.share, "0.00%"}} {
		format := st.fmt
		if *st.id, err = f.NewStyle(&excelize.Style{CustomNumFmt: &format}); err != nil {
			return nil, err
		}
	}
	return &s, nil
}

// cell is v as a cell of kind: a number with its format, or text.
func (s *styles) cell(kind Kind, v any) any {
	if v == nil {
		return nil
	}
	if kind == Text {
		if str, ok := v.(string); ok && str == "" {
			return nil
		}
		return v
	}
	n, ok := number(v)
	if !ok {
		return v // a numeric column's text, kept as text rather than lost
	}
	style := map[Kind]int{Integer: s.integer, Amount: s.amount, Decimal: s.dec, Share: s.share}[kind]
	return excelize.Cell{StyleID: style, Value: n}
}

// number reads a cell's value as a number.
func number(v any) (any, bool) {
	switch n := v.(type) {
	case int, int64, int32:
		return n, true
	case float64:
		return n, true
	case *float64:
		if n == nil {
			return nil, false
		}
		return *n, true
	case catalog.Amount:
		return n.Float(), true
	case string:
		if n == "" {
			return nil, false
		}
		if i, err := strconv.ParseInt(n, 10, 64); err == nil {
			return i, true
		}
		if f, err := strconv.ParseFloat(n, 64); err == nil {
			return f, true
		}
	}
	return nil, false
}

// columnWidths sizes each column to its header and its widest cell among
// the sample, in character widths (a CJK character counts two), between 6
// and 60.
func columnWidths(cols []ExportColumn, sample [][]any) []float64 {
	out := make([]float64, len(cols))
	for i, c := range cols {
		w := displayWidth(c.Header)
		for _, row := range sample {
			if i < len(row) && row[i] != nil {
				w = max(w, displayWidth(cellText(c.Kind, row[i])))
			}
		}
		out[i] = float64(min(max(w+2, 6), 60))
	}
	return out
}

func cellText(kind Kind, v any) string {
	if a, ok := v.(catalog.Amount); ok {
		return a.String() + ",,," // room for the thousands separators
	}
	if kind == Share {
		return "100.00%"
	}
	if p, ok := v.(*float64); ok && p != nil {
		return strconv.FormatFloat(*p, 'f', 2, 64)
	}
	return fmt.Sprint(v)
}

func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) || unicode.In(r, unicode.Hangul, unicode.Hiragana, unicode.Katakana) || r >= 0xFF00 && r <= 0xFFEF || r >= 0x3000 && r <= 0x303F {
			w += 2
		} else {
			w++
		}
	}
	return w
}
