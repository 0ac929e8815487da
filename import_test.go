package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/demo"
	"github.com/yurong/yurong/sheets"
)

// workbookRows numbers the rows WriteEnterprises gives each enterprise.
type workbookRows struct {
	enterprise map[string]int   // 企业 row by credit code
	reports    map[string][]int // 年报 rows by credit code
	subsidies  map[string][]int // 财政补贴 rows by credit code
}

func rowsOf(es []*catalog.Enterprise) workbookRows {
	w := workbookRows{map[string]int{}, map[string][]int{}, map[string][]int{}}
	rep, sub := 2, 2
	for i, e := range es {
		if _, dup := w.enterprise[e.CreditCode]; !dup {
			w.enterprise[e.CreditCode] = i + 2
		}
		for range e.Reports {
			w.reports[e.CreditCode] = append(w.reports[e.CreditCode], rep)
			rep++
		}
		for range e.Subsidies {
			w.subsidies[e.CreditCode] = append(w.subsidies[e.CreditCode], sub)
			sub++
		}
	}
	return w
}

// cellAt names the cell of a sheet's column (by header) in row.
func cellAt(t *testing.T, headers []string, header string, row int) string {
	t.Helper()
	i := slices.Index(headers, header)
	if i < 0 {
		t.Fatalf("no column %s", header)
	}
	c, _ := excelize.CoordinatesToCellName(i+1, row)
	return c
}

func headersOf[T any](cols []sheets.Column[T]) []string {
	var out []string
	for _, c := range cols {
		out = append(out, c.Header)
	}
	return out
}

// postImport sends a workbook to /admin/import and returns its report and
// the progress lines it streamed.
func postImport(t *testing.T, srv *httptest.Server, token, name string, body []byte, query string) (*sheets.Report, int) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/admin/import?name="+name+query, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, res.StatusCode
	}
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(nil, 16<<20)
	var rep *sheets.Report
	progress := 0
	for sc.Scan() {
		var l sheets.ImportLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		if l.Error != "" {
			t.Fatalf("import failed: %s", l.Error)
		}
		if l.Progress != nil {
			progress++
		}
		if l.Report != nil {
			rep = l.Report
		}
	}
	if rep == nil {
		t.Fatal("no report")
	}
	if progress == 0 {
		t.Error("no progress line before the report")
	}
	return rep, http.StatusOK
}

type badCell struct {
	sheet, column string
	row           int
	code          string
}

func TestImportReportsEveryBadCellAndWritesTheGoodRows(t *testing.T) {
	srv, a := testServer(t, 0)
	es := demo.Generate(7, 1000, testNow()).Enterprises
	code := func(i int) string { return es[i].CreditCode }

	// Kinds of bad input made in the data itself.
	wrong := es[10].CreditCode[:17] + map[bool]string{true: "0", false: "1"}[es[10].CreditCode[17] != '0']
	es[10].CreditCode = wrong // a wrong check character, in every sheet
	es[20].Name = strings.Repeat("豫", 201)
	if len(es[30].Reports) < 2 {
		es[30].Reports = append(es[30].Reports, es[30].Reports[0])
	}
	es[30].Reports[1].Year = es[30].Reports[0].Year
	es[40].Reports[0].ReturnOnEquityPercent = 5000
	es[50].Reports[0].RDExpense = -100
	es[60].Employees = -5
	ghost := demo.Generate(8, 1, testNow()).Enterprises[0] // reports for an enterprise neither in the file nor stored
	ghost.Reports = ghost.Reports[:1]
	ghostRow := catalog.Enterprise{CreditCode: ghost.CreditCode, Reports: ghost.Reports}
	dup := *es[70]
	dup.Reports, dup.Subsidies = nil, nil
	withDup := append(slices.Clone(es), &dup) // a second 企业 row of one code
	rows := rowsOf(withDup)
	var buf bytes.Buffer
	if err := sheets.WriteEnterprises(&buf, withDup); err != nil {
		t.Fatal(err)
	}
	// The ghost's report goes at the end of the 年报 sheet.
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	ghostReportRow := 2
	for _, r := range rows.reports {
		ghostReportRow += len(r)
	}
	for i, c := range sheets.ReportColumns {
		cell, _ := excelize.CoordinatesToCellName(i+1, ghostReportRow)
		f.SetCellStr(sheets.ReportSheet, cell, c.Get(&sheets.ReportRow{CreditCode: ghostRow.CreditCode, Report: ghost.Reports[0]}))
	}

	// Kinds of bad cell written over good ones.
	eh, rh, sh := headersOf(sheets.EnterpriseColumns), headersOf(sheets.ReportColumns), headersOf(sheets.SubsidyColumns)
	set := func(sheet string, headers []string, header string, row int, v string) {
		if err := f.SetCellStr(sheet, cellAt(t, headers, header, row), v); err != nil {
			t.Fatal(err)
		}
	}
	set(sheets.EnterpriseSheet, eh, "企业名称", rows.enterprise[code(100)], "")
	set(sheets.EnterpriseSheet, eh, "所在地市", rows.enterprise[code(110)], "火星")
	set(sheets.EnterpriseSheet, eh, "成立日期", rows.enterprise[code(120)], "2019-13-45")
	set(sheets.EnterpriseSheet, eh, "成立日期", rows.enterprise[code(130)], "2030-01-01")
	set(sheets.EnterpriseSheet, eh, "从业人数", rows.enterprise[code(140)], "很多")
	set(sheets.EnterpriseSheet, eh, "企业资质", rows.enterprise[code(150)], "科技型中小企业、博士后工作站")
	set(sheets.ReportSheet, rh, "营业收入（元）", rows.reports[code(160)][0], "12.345")
	subsidised := slices.IndexFunc(es[200:], func(e *catalog.Enterprise) bool { return len(e.Subsidies) > 0 }) + 200
	set(sheets.SubsidySheet, sh, "补贴金额（元）", rows.subsidies[code(subsidised)][0], "一百万")
	var edited bytes.Buffer
	if _, err := f.WriteTo(&edited); err != nil {
		t.Fatal(err)
	}

	want := []badCell{
		{sheets.EnterpriseSheet, "统一社会信用代码", rows.enterprise[wrong], catalog.CodeInvalidCreditCode},
		{sheets.EnterpriseSheet, "企业名称", rows.enterprise[code(20)], catalog.CodeTooLong},
		{sheets.ReportSheet, "年度", rows.reports[code(30)][1], catalog.CodeDuplicate},
		{sheets.ReportSheet, "净资产收益率（%）", rows.reports[code(40)][0], catalog.CodeOutOfRange},
		{sheets.ReportSheet, "研发费用（元）", rows.reports[code(50)][0], catalog.CodeNegative},
		{sheets.EnterpriseSheet, "从业人数", rows.enterprise[code(60)], catalog.CodeNegative},
		{sheets.ReportSheet, "统一社会信用代码", ghostReportRow, catalog.CodeNotFound},
		{sheets.EnterpriseSheet, "统一社会信用代码", len(es) + 2, catalog.CodeDuplicate},
		{sheets.EnterpriseSheet, "企业名称", rows.enterprise[code(100)], catalog.CodeRequired},
		{sheets.EnterpriseSheet, "所在地市", rows.enterprise[code(110)], catalog.CodeInvalid},
		{sheets.EnterpriseSheet, "成立日期", rows.enterprise[code(120)], catalog.CodeInvalid},
		{sheets.EnterpriseSheet, "成立日期", rows.enterprise[code(130)], catalog.CodeOutOfRange},
		{sheets.EnterpriseSheet, "从业人数", rows.enterprise[code(140)], catalog.CodeInvalid},
		{sheets.EnterpriseSheet, "企业资质", rows.enterprise[code(150)], catalog.CodeInvalid},
		{sheets.ReportSheet, "营业收入（元）", rows.reports[code(160)][0], catalog.CodeInvalid},
		{sheets.SubsidySheet, "补贴金额（元）", rows.subsidies[code(subsidised)][0], catalog.CodeInvalid},
	}
	refusedCodes := map[string]bool{wrong: true, ghost.CreditCode: true}
	for _, i := range []int{20, 30, 40, 50, 60, 100, 110, 120, 130, 140, 150, 160, subsidised} {
		refusedCodes[code(i)] = true
	}

	rep, status := postImport(t, srv, testToken, "enterprises.xlsx", edited.Bytes(), "")
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	var got []badCell
	skipped := map[string]bool{}
	for _, p := range rep.Problems {
		if p.Code == sheets.CodeSkipped {
			skipped[fmt.Sprint(p.Sheet, p.Row)] = true
			continue
		}
		if p.Message == "" || (p.Column != "" && p.Code != catalog.CodeRequired && p.Value == "" && p.Code != catalog.CodeDuplicate) {
			t.Errorf("problem without its message or value: %+v", p)
		}
		got = append(got, badCell{p.Sheet, p.Column, p.Row, p.Code})
	}
	key := func(c badCell) string { return fmt.Sprint(c.sheet, "/", c.row, "/", c.column, "/", c.code) }
	gotKeys, wantKeys := make([]string, len(got)), make([]string, len(want))
	for i := range got {
		gotKeys[i] = key(got[i])
	}
	for i := range want {
		wantKeys[i] = key(want[i])
	}
	slices.Sort(gotKeys)
	slices.Sort(wantKeys)
	if !slices.Equal(gotKeys, wantKeys) {
		t.Fatalf("problems:\n got %v\nwant %v", gotKeys, wantKeys)
	}
	// The good rows of a refused enterprise are named as skipped, and only those.
	for c := range refusedCodes {
		for _, r := range rows.reports[c] {
			bad := slices.ContainsFunc(want, func(w badCell) bool { return w.sheet == sheets.ReportSheet && w.row == r })
			if !bad && !skipped[fmt.Sprint(sheets.ReportSheet, r)] {
				t.Errorf("年报 row %d of refused %s not named as skipped", r, c)
			}
		}
	}
	for k := range skipped {
		if strings.HasPrefix(k, sheets.EnterpriseSheet) {
			continue
		}
		owned := false
		for c := range refusedCodes {
			for _, r := range append(slices.Clone(rows.reports[c]), rows.subsidies[c]...) {
				owned = owned || k == fmt.Sprint(sheets.ReportSheet, r) || k == fmt.Sprint(sheets.SubsidySheet, r)
			}
		}
		if !owned {
			t.Errorf("%s named as skipped but its enterprise was written", k)
		}
	}

	good := len(es) + 1 - len(refusedCodes) // the 1,000 less the refused, the ghost counted in both
	if rep.Created != good || rep.Updated != 0 || rep.Unchanged != 0 {
		t.Fatalf("created %d, updated %d, unchanged %d; want %d created", rep.Created, rep.Updated, rep.Unchanged, good)
	}
	var page struct {
		TotalCount int `json:"totalCount"`
	}
	post(t, srv, testToken, `{ enterprises(first: 1) { totalCount } }`, nil).decode(t, "enterprises", &page)
	if page.TotalCount != good {
		t.Fatalf("the API lists %d enterprises, want %d", page.TotalCount, good)
	}
	for i, e := range es {
		stored := a.market.EnterpriseByCreditCode(e.CreditCode)
		if refusedCodes[e.CreditCode] {
			if stored != nil {
				t.Fatalf("refused enterprise %d (%s) was written", i, e.CreditCode)
			}
			continue
		}
		if stored == nil || stored.Name != e.Name || len(stored.Reports) != len(e.Reports) || len(stored.Subsidies) != len(e.Subsidies) {
			t.Fatalf("enterprise %d: stored %+v", i, stored)
		}
		for j, r := range e.Reports {
			if stored.Reports[j] != r {
				t.Fatalf("enterprise %d report %d: stored %+v, want %+v", i, j, stored.Reports[j], r)
			}
		}
	}

	t.Run("importing it twice changes nothing", func(t *testing.T) {
		head, _ := a.store.LogHead(context.Background())
		again, _ := postImport(t, srv, testToken, "enterprises.xlsx", edited.Bytes(), "")
		if again.Created != 0 || again.Updated != 0 || again.Unchanged != good || len(again.Problems) != len(rep.Problems) {
			t.Fatalf("second import: %+v", again)
		}
		if h, _ := a.store.LogHead(context.Background()); h != head {
			t.Fatalf("the change log moved from %d to %d", head, h)
		}
	})

	t.Run("all or nothing writes nothing from a file with a bad cell", func(t *testing.T) {
		head, _ := a.store.LogHead(context.Background())
		rep, _ := postImport(t, srv, testToken, "enterprises.xlsx", edited.Bytes(), "&allOrNothing=true")
		if rep.Created+rep.Updated != 0 {
			t.Fatalf("all or nothing wrote %d", rep.Created+rep.Updated)
		}
		if h, _ := a.store.LogHead(context.Background()); h != head {
			t.Fatalf("the change log moved from %d to %d", head, h)
		}
	})
}

func TestImportUpdatesByCreditCode(t *testing.T) {
	srv, a := testServer(t, 0)
	es := demo.Generate(9, 20, testNow()).Enterprises
	var buf bytes.Buffer
	if err := sheets.WriteEnterprises(&buf, es); err != nil {
		t.Fatal(err)
	}
	if rep, _ := postImport(t, srv, testToken, "e.xlsx", buf.Bytes(), ""); rep.Created != len(es) {
		t.Fatalf("created %d", rep.Created)
	}
	// A CSV of the 企业 sheet, as Excel saves one (BOM, CRLF), moves one
	// enterprise to another city and leaves its reports alone.
	target := es[slices.IndexFunc(es, func(e *catalog.Enterprise) bool { return e.City != catalog.Luoyang })]
	csv := "\ufeff统一社会信用代码,所在地市\r\n" + target.CreditCode + ",洛阳市\r\n"
	rep, _ := postImport(t, srv, testToken, "cities.csv", []byte(csv), "")
	if rep.Updated != 1 || rep.Created != 0 || len(rep.Problems) != 0 {
		t.Fatalf("report %+v", rep)
	}
	got := a.market.EnterpriseByCreditCode(target.CreditCode)
	if got.City != catalog.Luoyang || got.Name != target.Name || len(got.Reports) != len(target.Reports) {
		t.Fatalf("after the update: city %s, name %s, %d reports", got.City, got.Name, len(got.Reports))
	}
	t.Run("only administrators import", func(t *testing.T) {
		if _, status := postImport(t, srv, "", "cities.csv", []byte(csv), ""); status != http.StatusUnauthorized {
			t.Fatalf("anonymous import: status %d", status)
		}
	})
	t.Run("a file of no known sheet is refused", func(t *testing.T) {
		if _, status := postImport(t, srv, testToken, "x.csv", []byte("a,b\n1,2\n"), ""); status != http.StatusBadRequest {
			t.Fatalf("status %d", status)
		}
	})
}

// TestImportCommandThroughTheServer sends a workbook with the command's
// client (sheets.RemoteImport) to a running server's /admin/import, as
// `go run . import FILE` does when a server answers.
func TestImportCommandThroughTheServer(t *testing.T) {
	srv, a := testServer(t, 0)
	es := demo.Generate(9, 30, testNow()).Enterprises
	var buf bytes.Buffer
	if err := sheets.WriteEnterprises(&buf, es); err != nil {
		t.Fatal(err)
	}
	path := t.TempDir() + "/企业.xlsx"
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}

	t.Run("the report comes back and the server holds the enterprises", func(t *testing.T) {
		shown := 0
		rep, err := sheets.RemoteImport(context.Background(), srv.URL, testToken, path, true, func(sheets.Progress) { shown++ })
		if err != nil {
			t.Fatal(err)
		}
		if rep.Created != len(es) || rep.Refused != 0 || len(rep.Problems) != 0 {
			t.Errorf("report: created %d refused %d problems %v, want %d created", rep.Created, rep.Refused, rep.Problems, len(es))
		}
		if shown == 0 {
			t.Error("no progress shown before the report")
		}
		if n := a.market.Counts()["enterprise"]; n != len(es) {
			t.Errorf("the server holds %d enterprises, want %d", n, len(es))
		}
		var out bytes.Buffer
		if err := sheets.PrintReport(&out, rep); err != nil || !strings.Contains(out.String(), fmt.Sprintf("新增 %d 家", len(es))) {
			t.Errorf("printed %q, %v", out.String(), err)
		}
	})
	t.Run("a token that is not an administrator's is refused before anything is read", func(t *testing.T) {
		_, err := sheets.RemoteImport(context.Background(), srv.URL, "not-a-token", path, false, func(sheets.Progress) {})
		if err == nil || !strings.Contains(err.Error(), "import refused") {
			t.Errorf("import with a bad token: %v", err)
		}
	})
}
