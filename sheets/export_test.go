package sheets

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/yurong/yurong/catalog"
)

func rowsOf(rows [][]any) iter.Seq[[]any] { return slices.Values(rows) }

// written builds the list and reads the file back.
func written(t *testing.T, l List) *excelize.File {
	t.Helper()
	wb, err := BuildList(context.Background(), l)
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	var buf bytes.Buffer
	if _, err := wb.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func testEnterprise() *catalog.Enterprise {
	chain := "超硬材料"
	return &catalog.Enterprise{ID: 7, CreditCode: "91410100MA44XXXX0X", Name: "郑州碳芯半导体有限公司", City: catalog.Zhengzhou,
		FoundedOn: time.Date(2023, 4, 1, 0, 0, 0, 0, time.UTC), Employees: 40, Track: catalog.NewMaterials, IndustryChain: &chain,
		Qualifications: []catalog.Qualification{catalog.TechSME, catalog.HighTech}, CreditStatus: catalog.CreditGood,
		Keywords: []string{"超硬材料", "SiC"}, Description: "专注于金刚石超硬材料",
		Reports: []catalog.AnnualReport{{Year: 2024, Revenue: catalog.Yuan(1_000_000)}, {Year: 2025, Revenue: catalog.Yuan(3_000_000) + 55,
			RDExpense: catalog.Yuan(450_000), TechStaff: 20, ReturnOnEquityPercent: 8.5, EquityFinancing: catalog.Yuan(12_345_678)}}}
}

func TestAListReadsBackAsWritten(t *testing.T) {
	e := testEnterprise()
	d := Derived{Score: 612, Grade: catalog.Racing, Stage: catalog.Startup, EarlySmallHard: true}
	at := time.Date(2026, 6, 15, 9, 0, 0, 0, time.UTC)
	l := List{Title: "早小硬企业名单", Filter: "地市：郑州", Note: "按豫科积分排序", At: at,
		Privacy: Privacy{Included: true, Readable: 1, Rows: 2}, Columns: EnterpriseListColumns(true),
		Rows: rowsOf([][]any{
			EnterpriseListRow(1, e, d, true, e.LatestReport()),
			EnterpriseListRow(2, e, d, true, nil),
		})}
	f := written(t, l)

	if got := f.GetSheetList(); !slices.Equal(got, []string{"早小硬企业名单", InfoSheet}) {
		t.Fatalf("sheets %q", got)
	}
	if i := f.GetActiveSheetIndex(); i != 0 {
		t.Errorf("sheet %d opens first, want the list", i)
	}
	rows, err := f.GetRows("早小硬企业名单")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("%d rows, want a header and 2", len(rows))
	}
	var headers []string
	for _, c := range l.Columns {
		headers = append(headers, c.Header)
	}
	if !slices.Equal(rows[0], headers) {
		t.Errorf("header %q, want %q", rows[0], headers)
	}
	col := func(header string) int { return slices.Index(headers, header) }
	first := rows[1]
	for header, want := range map[string]string{
		RankHeader: "1", "统一社会信用代码": "91410100MA44XXXX0X", "企业名称": "郑州碳芯半导体有限公司", "所在地市": "郑州",
		"成立日期": "2023-04-01", "从业人数": "40", "赛道": "新材料", "企业资质": "科技型中小企业、高新技术企业", "信用状况": "良好",
		ScoreHeader: "612", GradeHeader: "竞跑", StageHeader: "初创期", EarlySmallHardHeader: "是",
		"年度": "2025", "营业收入（元）": "3,000,000.55", "研发费用（元）": "450,000.00", "科技人员数": "20",
		"净资产收益率（%）": "8.50", "股权融资额（元）": "12,345,678.00",
	} {
		if i := col(header); i < 0 || first[i] != want {
			t.Errorf("%s: %q, want %q", header, at0(first, i), want)
		}
	}
	// The second row's reader may not read its figures: its private cells
	// are empty, its public ones are not.
	second := rows[2]
	for i, c := range l.Columns {
		if c.Private && at0(second, i) != "" {
			t.Errorf("withheld %s holds %q", c.Header, second[i])
		}
	}
	if second[col("企业名称")] != e.Name {
		t.Errorf("public cells of the withheld row: %q", second)
	}

	// Amounts are numbers with the format #,##0.00, not text.
	cell, _ := excelize.CoordinatesToCellName(col("营业收入（元）")+1, 2)
	raw, err := f.GetCellValue("早小硬企业名单", cell, excelize.Options{RawCellValue: true})
	if err != nil || raw != "3000000.55" {
		t.Errorf("raw revenue %q (%v)", raw, err)
	}
	if typ, _ := f.GetCellType("早小硬企业名单", cell); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("revenue cell of type %v", typ)
	}
	sid, err := f.GetCellStyle("早小硬企业名单", cell)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(sid)
	if err != nil || st.CustomNumFmt == nil || *st.CustomNumFmt != "#,##0.00" {
		t.Errorf("revenue style %+v (%v)", st, err)
	}
	// The credit code stays text, though a spreadsheet could read some as
	// numbers.
	code, _ := excelize.CoordinatesToCellName(col("统一社会信用代码")+1, 2)
	if typ, _ := f.GetCellType("早小硬企业名单", code); typ != excelize.CellTypeInlineString {
		t.Errorf("credit code cell of type %v", typ)
	}

	// The header is bold and frozen.
	hs, _ := f.GetCellStyle("早小硬企业名单", "B1")
	if st, err := f.GetStyle(hs); err != nil || st.Font == nil || !st.Font.Bold {
		t.Errorf("header style %+v (%v)", st, err)
	}
	panes, err := f.GetPanes("早小硬企业名单")
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes %+v (%v)", panes, err)
	}
	// Columns are sized: the name's column is wider than the rank's.
	wName, _ := f.GetColWidth("早小硬企业名单", "C")
	wRank, _ := f.GetColWidth("早小硬企业名单", "A")
	if wName <= wRank || wName < 20 {
		t.Errorf("widths: name %v, rank %v", wName, wRank)
	}

	info, err := f.GetRows(InfoSheet)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{InfoTitle, "早小硬企业名单"}, {InfoFilter, "地市：郑州"}, {InfoAt, "2026-06-15 17:00:00（北京时间）"}, {InfoRows, "2"},
		{InfoPrivacy, "含保密财务数据（仅 1 家企业；其余 1 家企业未授权本账户查看，保密列留空）"}, {InfoNote, "按豫科积分排序"},
	}
	if !slices.EqualFunc(info, want, slices.Equal) {
		t.Errorf("说明 %q, want %q", info, want)
	}
}

func at0(row []string, i int) string {
	if i < 0 || i >= len(row) {
		return ""
	}
	return row[i]
}

func TestPrivacyNotes(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    Privacy
		want string
	}{
		{"no private columns", Privacy{Rows: 3}, "不含保密财务数据"},
		{"every row's figures", Privacy{Included: true, Readable: 3, Rows: 3}, "含保密财务数据"},
		{"some rows' figures", Privacy{Included: true, Readable: 1, Rows: 3}, "含保密财务数据（仅 1 家企业；其余 2 家企业未授权本账户查看，保密列留空）"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.p.String(); got != tc.want {
				t.Errorf("%q, want %q", got, tc.want)
			}
		})
	}
}

func TestEveryReportFigureIsNumeric(t *testing.T) {
	r := ReportRow{CreditCode: "x", Report: *testEnterprise().LatestReport()}
	for _, c := range ReportColumns {
		if c.Field == "creditCode" {
			continue
		}
		k := KindOf(c.Field)
		if k == Text {
			t.Errorf("%s (%s) has no numeric kind: add it to fieldKinds", c.Header, c.Field)
			continue
		}
		if _, ok := number(c.Get(&r)); !ok {
			t.Errorf("%s: %q does not read as a number", c.Header, c.Get(&r))
		}
	}
	for _, c := range SubsidyColumns {
		if c.Private && KindOf(c.Field) != Amount {
			t.Errorf("%s (%s) is no amount", c.Header, c.Field)
		}
	}
}

func TestEnterpriseRowsFitTheirColumns(t *testing.T) {
	e := testEnterprise()
	for _, private := range []bool{false, true} {
		for _, report := range []*catalog.AnnualReport{nil, e.LatestReport()} {
			t.Run(fmt.Sprintf("private %v, report %v", private, report != nil), func(t *testing.T) {
				cols, row := EnterpriseListColumns(private), EnterpriseListRow(3, e, Derived{}, private, report)
				if len(row) != len(cols) {
					t.Fatalf("%d cells for %d columns", len(row), len(cols))
				}
				for i, c := range cols {
					if c.Private != (i > len(EnterpriseColumns)+4) {
						t.Errorf("column %d %s private %v", i, c.Header, c.Private)
					}
				}
			})
		}
	}
}

func TestBankRanking(t *testing.T) {
	median := 30.25
	l := List{Title: "2025年度合作银行评价", At: time.Now(), Columns: BankRankColumns, Rows: rowsOf([][]any{
		BankRank{Rank: 1, Bank: "中原银行", LoansToEarlySmallHard: 3, AmountToEarlySmallHard: catalog.Yuan(2_500_000),
			EarlySmallHardShare: 0.625, LoansTotal: 5, AmountTotal: catalog.Yuan(4_000_000), MedianHoursToDecision: &median}.Row(),
	})}
	rows, err := written(t, l).GetRows(l.Title)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"1", "中原银行", "3", "2,500,000.00", "62.50%", "5", "4,000,000.00", "30.25"}
	if len(rows) != 2 || !slices.Equal(rows[1], want) { // the null on-time share is an empty, trailing cell
		t.Errorf("rows %q, want %q", rows, want)
	}
}

func TestNumericColumnsKeepTextTheyCannotRead(t *testing.T) {
	l := List{Title: "t", At: time.Now(), Columns: []ExportColumn{{Header: "n", Kind: Amount}},
		Rows: rowsOf([][]any{{"不详"}, {"12.5"}, {nil}})}
	rows, err := written(t, l).GetRows("t")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || rows[1][0] != "不详" || rows[2][0] != "12.50" {
		t.Errorf("rows %q", rows)
	}
}

// A long list is streamed: all of its rows arrive, in order
// (BenchmarkBuildList measures 60,000).
func TestLongListsStream(t *testing.T) {
	n := 10_000
	if testing.Short() || raceEnabled {
		n = 2_000
	}
	e := testEnterprise()
	rows := func(yield func([]any) bool) {
		for i := range n {
			if !yield(EnterpriseListRow(i+1, e, Derived{Score: i}, true, e.LatestReport())) {
				return
			}
		}
	}
	start := time.Now()
	wb, err := BuildList(context.Background(), List{Title: "企业名单", At: time.Now(), Columns: EnterpriseListColumns(true), Rows: rows})
	if err != nil {
		t.Fatal(err)
	}
	defer wb.Close()
	var buf bytes.Buffer
	if _, err := wb.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d rows of %d columns: %d bytes in %v", n, len(EnterpriseListColumns(true)), buf.Len(), time.Since(start))
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	it, err := f.Rows("企业名单")
	if err != nil {
		t.Fatal(err)
	}
	i := 0
	for it.Next() {
		cols, err := it.Columns()
		if err != nil {
			t.Fatal(err)
		}
		if i > 0 && (cols[0] != fmt.Sprint(i) || cols[2] != e.Name) {
			t.Fatalf("row %d: %q", i, cols[:3])
		}
		i++
	}
	if i != n+1 {
		t.Errorf("%d rows read back, want %d", i, n+1)
	}
}

func TestACancelledListStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rows := func(yield func([]any) bool) {
		for i := 0; ; i++ {
			if !yield([]any{i}) {
				return
			}
		}
	}
	_, err := BuildList(ctx, List{Title: "t", At: time.Now(), Columns: []ExportColumn{{Header: "n", Kind: Integer}}, Rows: rows})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err %v, want context.Canceled", err)
	}
}

func TestTitlesNameASheet(t *testing.T) {
	_, err := BuildList(context.Background(), List{Title: strings.Repeat("名", 32), Rows: rowsOf(nil)})
	if err == nil {
		t.Error("a 32-character title was accepted")
	}
}

// BenchmarkBuildList writes a list of 60,000 enterprises with their
// reports, the size of the province's enterprise list.
func BenchmarkBuildList(b *testing.B) {
	e := testEnterprise()
	cols := EnterpriseListColumns(true)
	for b.Loop() {
		rows := func(yield func([]any) bool) {
			for i := range 60_000 {
				if !yield(EnterpriseListRow(i+1, e, Derived{Score: i}, true, e.LatestReport())) {
					return
				}
			}
		}
		wb, err := BuildList(context.Background(), List{Title: "企业名单", At: time.Now(), Columns: cols, Rows: rows})
		if err != nil {
			b.Fatal(err)
		}
		n, err := wb.WriteTo(io.Discard)
		if err != nil {
			b.Fatal(err)
		}
		wb.Close()
		b.ReportMetric(float64(n), "bytes/file")
	}
}
