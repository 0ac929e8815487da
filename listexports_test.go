package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/yurong/yurong/auth"
	"github.com/yurong/yurong/ratelimit"
	"github.com/yurong/yurong/sheets"
	"github.com/yurong/yurong/store"
)

// apiEnterprise is an enterprise of a list as the API answers it, with
// its reports as the caller may read them (nil when withheld).
type apiEnterprise struct {
	ID              string
	Name            string
	CreditCode      string
	Employees       int
	Stage           string
	InnovationScore struct {
		Total int
		Grade string
	}
	EarlySmallHard struct{ Listed bool }
	Reports        []struct {
		Year                  int
		Revenue               string
		RDExpense             string `json:"rdExpense"`
		TechStaff             int
		ReturnOnEquityPercent float64
		EquityFinancing       string
	}
}

const apiEnterpriseFields = `id name creditCode employees stage innovationScore { total grade } earlySmallHard { listed }
	reports { year revenue rdExpense techStaff returnOnEquityPercent equityFinancing }`

// pageThrough reads a whole list from the API as token reads it, 100 at a
// time; private fields the caller may not read are null with FORBIDDEN.
func pageThrough(t *testing.T, srv *httptest.Server, token, field, args string) []apiEnterprise {
	t.Helper()
	var out []apiEnterprise
	var after any
	for {
		q := fmt.Sprintf(`query($after: Cursor) { %s(first: 100, after: $after%s) { totalCount pageInfo { hasNextPage endCursor } edges { node { %s } } } }`,
			field, args, apiEnterpriseFields)
		r := post(t, srv, token, q, map[string]any{"after": after})
		for _, e := range r.Errors {
			if e.Extensions["code"] != "FORBIDDEN" || e.Path[len(e.Path)-1] != "reports" {
				t.Fatalf("%s: %+v", field, r.Errors)
			}
		}
		var c struct {
			PageInfo struct {
				HasNextPage bool
				EndCursor   string
			}
			Edges []struct{ Node apiEnterprise }
		}
		if err := json.Unmarshal(r.Data[field], &c); err != nil {
			t.Fatalf("%s: %v in %s", field, err, r.Data[field])
		}
		for _, e := range c.Edges {
			out = append(out, e.Node)
		}
		if !c.PageInfo.HasNextPage {
			return out
		}
		after = c.PageInfo.EndCursor
	}
}

// exported is an export read back: its data sheet's rows under their
// headers, and its 说明 sheet.
type exported struct {
	headers []string
	rows    [][]string // formatted as a spreadsheet shows them
	raw     [][]string // numbers unformatted
	info    map[string]string
}

func (x exported) cell(row int, header string) string {
	i := slices.Index(x.headers, header)
	if i < 0 || i >= len(x.raw[row]) {
		return ""
	}
	return x.raw[row][i]
}

func getExport(t *testing.T, srv *httptest.Server, token, path string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := testClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, b
}

func exportOf(t *testing.T, srv *httptest.Server, token, path string) exported {
	t.Helper()
	res, b := getExport(t, srv, token, path)
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != xlsxType {
		t.Fatalf("GET %s: %d %s", path, res.StatusCode, excerptOf(b))
	}
	if !strings.Contains(res.Header.Get("Content-Disposition"), "filename*=UTF-8''") || res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("GET %s: headers %v", path, res.Header)
	}
	return readWorkbook(t, b)
}

func readWorkbook(t *testing.T, b []byte) exported {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	info, err := f.GetRows(sheets.InfoSheet)
	if err != nil {
		t.Fatal(err)
	}
	x := exported{headers: rows[0], rows: rows[1:], raw: raw[1:], info: map[string]string{}}
	for _, r := range info {
		x.info[r[0]] = r[1]
	}
	return x
}

var gradeNames = map[string]string{"LEADING": "领跑", "RACING": "竞跑", "ADVANCING": "快跑", "BASELINE": "起跑"}
var stageNames = map[string]string{"STARTUP": "初创期", "GROWTH": "成长期", "STABLE": "成熟期"}

// compareEnterprises checks an export row by row against the API's answer
// for the same caller, and returns how many rows hold the reports.
func compareEnterprises(t *testing.T, what string, x exported, api []apiEnterprise) (withReports int) {
	t.Helper()
	if len(x.rows) != len(api) {
		t.Fatalf("%s: %d rows, the API lists %d", what, len(x.rows), len(api))
	}
	private := slices.Contains(x.headers, "营业收入（元）")
	for i, e := range api {
		yes := map[bool]string{true: "是", false: "否"}[e.EarlySmallHard.Listed]
		want := map[string]string{
			sheets.RankHeader: strconv.Itoa(i + 1), "企业名称": e.Name, "统一社会信用代码": e.CreditCode, "从业人数": strconv.Itoa(e.Employees),
			sheets.ScoreHeader: strconv.Itoa(e.InnovationScore.Total), sheets.GradeHeader: gradeNames[e.InnovationScore.Grade],
			sheets.StageHeader: stageNames[e.Stage], sheets.EarlySmallHardHeader: yes,
		}
		if private {
			want["年度"], want["营业收入（元）"], want["研发费用（元）"], want["科技人员数"], want["净资产收益率（%）"], want["股权融资额（元）"] = "", "", "", "", "", ""
			if n := len(e.Reports); n > 0 {
				r := e.Reports[n-1]
				want["年度"], want["科技人员数"] = strconv.Itoa(r.Year), strconv.Itoa(r.TechStaff)
				want["营业收入（元）"], want["研发费用（元）"], want["股权融资额（元）"] = number(r.Revenue), number(r.RDExpense), number(r.EquityFinancing)
				want["净资产收益率（%）"] = strconv.FormatFloat(r.ReturnOnEquityPercent, 'f', -1, 64)
			}
		} else if e.Reports != nil {
			t.Errorf("%s: the API gives %s's reports, the export has no such columns", what, e.Name)
		}
		if e.Reports != nil {
			withReports++
		}
		for header, v := range want {
			if got := x.cell(i, header); got != v {
				t.Errorf("%s row %d (%s) %s: %q, the API says %q", what, i+1, e.Name, header, got, v)
			}
		}
	}
	return withReports
}

// number is an API decimal as a spreadsheet's raw value: 3000000.00 is 3000000.
func number(decimal string) string {
	f, _ := strconv.ParseFloat(decimal, 64)
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// readsSince returns the audit log's reads of reports appended since it
// held n of them.
func readsSince(t *testing.T, st *store.Store, n int) (entries []*store.AuditEntry, total int) {
	t.Helper()
	es, total, err := st.AuditLog(context.Background(), store.AuditFilter{Actions: []string{"read Enterprise.reports"}}, 0, 100_000)
	if err != nil {
		t.Fatal(err)
	}
	return es[:total-n], total
}

func demoToken(t *testing.T, a *app, role auth.Role) string {
	t.Helper()
	for _, acc := range a.demoAccounts {
		if acc.role == role {
			return acc.token
		}
	}
	t.Fatalf("no demo %s account", role)
	return ""
}

// TestListExportsAreTheAPIsLists exports each list as an anonymous caller,
// the administrator and an institution, reads it back and compares it row
// by row with the API's answer to the same caller and filter.
func TestListExportsAreTheAPIsLists(t *testing.T) {
	srv, a := testServer(t, 120)
	institution := demoToken(t, a, auth.InstitutionRole)

	lists := []struct {
		name, path, field, args string
	}{
		{"the early-small-hard list", "/exports/early-small-hard.xlsx", "earlySmallHardEnterprises", ""},
		{"the equity project list", "/exports/equity-projects.xlsx", "equityProjectList", ""},
		{"enterprises of two cities and a track", "/exports/enterprises.xlsx?city=ZHENGZHOU&city=LUOYANG&track=NEW_MATERIALS,NEXT_GEN_IT",
			"enterprises", ", filter: {cities: [ZHENGZHOU, LUOYANG], tracks: [NEW_MATERIALS, NEXT_GEN_IT]}"},
		{"enterprises by score and early-small-hard", "/exports/enterprises.xlsx?minInnovationScore=300&earlySmallHard=false&qualifications=TECH_SME",
			"enterprises", ", filter: {minInnovationScore: 300, earlySmallHard: false, qualifications: [TECH_SME]}"},
		{"every enterprise", "/exports/enterprises.xlsx", "enterprises", ""},
	}
	institutionRead, institutionWithheld := 0, 0
	for _, l := range lists {
		t.Run(l.name, func(t *testing.T) {
			// The institution first: its reads of this export are the
			// newest entries of the audit log until the API is asked.
			_, before := readsSince(t, a.store, 0)
			x := exportOf(t, srv, institution, l.path)
			es, _ := readsSince(t, a.store, before)
			api := pageThrough(t, srv, institution, l.field, l.args)
			if len(api) == 0 {
				t.Fatalf("the API lists nothing: the test proves nothing")
			}
			read := compareEnterprises(t, "institution", x, api)
			institutionRead += read
			institutionWithheld += len(api) - read
			if read > 0 && !slices.Contains(x.headers, "营业收入（元）") {
				t.Error("the institution reads some reports, the export has no report columns")
			}
			// One audit entry per enterprise whose reports it holds, the
			// same the API writes.
			var filled []int64
			for _, e := range api {
				if e.Reports != nil {
					filled = append(filled, mustIntID(t, e.ID))
				}
			}
			var audited []int64
			for _, e := range es {
				audited = append(audited, e.SubjectID)
			}
			slices.Sort(filled)
			slices.Sort(audited)
			if !slices.Equal(filled, audited) {
				t.Errorf("audited reads %v, reports exported %v", audited, filled)
			}
			wantNote := sheets.WithoutPrivate
			if read > 0 {
				wantNote = sheets.Privacy{Included: true, Readable: read, Rows: len(api)}.String()
			}
			if x.info[sheets.InfoPrivacy] != wantNote {
				t.Errorf("institution's note %q, want %q", x.info[sheets.InfoPrivacy], wantNote)
			}

			// Anonymous: no report columns at all.
			x = exportOf(t, srv, "", l.path)
			if slices.ContainsFunc(x.headers, func(h string) bool { return h == "营业收入（元）" || h == "年度" }) {
				t.Errorf("anonymous export has private columns: %q", x.headers)
			}
			if compareEnterprises(t, "anonymous", x, pageThrough(t, srv, "", l.field, l.args)) != 0 {
				t.Error("the API gives an anonymous caller reports")
			}
			if x.info[sheets.InfoPrivacy] != sheets.WithoutPrivate {
				t.Errorf("anonymous note %q", x.info[sheets.InfoPrivacy])
			}

			// The administrator: every enterprise's reports.
			x = exportOf(t, srv, testToken, l.path)
			adminAPI := pageThrough(t, srv, testToken, l.field, l.args)
			if compareEnterprises(t, "administrator", x, adminAPI) != len(adminAPI) {
				t.Error("the administrator is refused some reports")
			}
			if x.info[sheets.InfoPrivacy] != sheets.WithPrivate {
				t.Errorf("administrator's note %q", x.info[sheets.InfoPrivacy])
			}
			if x.info[sheets.InfoRows] != strconv.Itoa(len(adminAPI)) || x.info[sheets.InfoTitle] == "" {
				t.Errorf("说明 %v", x.info)
			}
			// Amounts are numbers with a thousands separator.
			if i := slices.Index(x.headers, "营业收入（元）"); i >= 0 && len(x.rows) > 0 && x.cell(0, "营业收入（元）") != "" {
				if x.rows[0][i] == x.raw[0][i] || !strings.Contains(x.rows[0][i], ".") {
					t.Errorf("revenue shown %q, stored %q", x.rows[0][i], x.raw[0][i])
				}
			}
		})
	}
	// An enterprise's account reads its own reports, and its reads are no
	// audit entries.
	t.Run("an enterprise's own account", func(t *testing.T) {
		token := demoToken(t, a, auth.EnterpriseRole)
		_, before := readsSince(t, a.store, 0)
		x := exportOf(t, srv, token, "/exports/enterprises.xlsx")
		if es, _ := readsSince(t, a.store, before); len(es) != 0 {
			t.Errorf("the enterprise's own reads were audited: %d entries", len(es))
		}
		if n := compareEnterprises(t, "enterprise", x, pageThrough(t, srv, token, "enterprises", "")); n != 1 {
			t.Errorf("the enterprise reads %d enterprises' reports, want its own", n)
		}
	})
	// The institution's view is per enterprise: some reports, not all.
	if institutionRead == 0 || institutionWithheld == 0 {
		t.Errorf("the institution read %d reports and was refused %d: the test needs both", institutionRead, institutionWithheld)
	}
	t.Logf("the institution read the reports of %d rows and was refused %d", institutionRead, institutionWithheld)
}

func TestFilterWordsInTheExport(t *testing.T) {
	srv, _ := testServer(t, 30)
	x := exportOf(t, srv, "", "/exports/enterprises.xlsx?cities=LUOYANG,ZHENGZHOU&nameContains=%E7%A7%91%E6%8A%80&earlySmallHard=true")
	if want := "地市：洛阳、郑州；名称包含：科技；早小硬：是"; x.info[sheets.InfoFilter] != want {
		t.Errorf("filter %q, want %q", x.info[sheets.InfoFilter], want)
	}
	if !strings.HasSuffix(x.info[sheets.InfoAt], "（北京时间）") {
		t.Errorf("time %q", x.info[sheets.InfoAt])
	}
}

func TestBankRankingsExportIsTheAPIs(t *testing.T) {
	srv, _ := testServer(t, 120)
	year := testNow().Year() - 1
	var api []struct {
		Rank                   int
		Institution            struct{ Name string }
		LoansToEarlySmallHard  int
		AmountToEarlySmallHard string
		EarlySmallHardShare    float64
		LoansTotal             int
		AmountTotal            string
		MedianHoursToDecision  *float64
		OnTimeShare            *float64
	}
	post(t, srv, "", fmt.Sprintf(`{ bankPerformance(year: %d) { rank institution { name } loansToEarlySmallHard amountToEarlySmallHard
	  earlySmallHardShare loansTotal amountTotal medianHoursToDecision onTimeShare } }`, year), nil).decode(t, "bankPerformance", &api)
	if len(api) == 0 {
		t.Fatalf("no bank lent in %d: the test proves nothing", year)
	}
	x := exportOf(t, srv, "", fmt.Sprintf("/exports/bank-rankings.xlsx?year=%d", year))
	if len(x.rows) != len(api) {
		t.Fatalf("%d rows, the API ranks %d banks", len(x.rows), len(api))
	}
	opt := func(p *float64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatFloat(*p, 'f', -1, 64)
	}
	for i, b := range api {
		want := map[string]string{"排名": strconv.Itoa(b.Rank), "银行": b.Institution.Name,
			"早小硬企业贷款笔数": strconv.Itoa(b.LoansToEarlySmallHard), "早小硬企业贷款金额（元）": number(b.AmountToEarlySmallHard),
			"早小硬金额占比": strconv.FormatFloat(b.EarlySmallHardShare, 'f', -1, 64), "贷款总笔数": strconv.Itoa(b.LoansTotal),
			"贷款总金额（元）": number(b.AmountTotal), "审批用时中位数（小时）": opt(b.MedianHoursToDecision), "按期审批占比": opt(b.OnTimeShare)}
		for h, v := range want {
			if got := x.cell(i, h); got != v {
				t.Errorf("bank %d %s: %q, the API says %q", i+1, h, got, v)
			}
		}
	}
	if x.info[sheets.InfoFilter] != fmt.Sprintf("年度：%d", year) || x.info[sheets.InfoPrivacy] != sheets.WithoutPrivate {
		t.Errorf("说明 %v", x.info)
	}
}

func TestBadExportRequestsAreRefusedWithACode(t *testing.T) {
	srv, a := testServer(t, 0)
	for _, tc := range []struct {
		name, path string
		status     int
		code       string
	}{
		{"a city in lower case", "/exports/enterprises.xlsx?city=luoyang", 400, "BAD_USER_INPUT"},
		{"an unknown track", "/exports/enterprises.xlsx?tracks=NEW_MATERIALS,SPACE", 400, "BAD_USER_INPUT"},
		{"an unknown qualification", "/exports/enterprises.xlsx?qualification=HIGHTECH", 400, "BAD_USER_INPUT"},
		{"a score that is no integer", "/exports/enterprises.xlsx?minInnovationScore=high", 400, "BAD_USER_INPUT"},
		{"a score over 32 bits", "/exports/enterprises.xlsx?minInnovationScore=4294967296", 400, "BAD_USER_INPUT"},
		{"early-small-hard neither true nor false", "/exports/enterprises.xlsx?earlySmallHard=yes", 400, "BAD_USER_INPUT"},
		{"a name filter over 100 characters", "/exports/enterprises.xlsx?nameContains=" + strings.Repeat("科", 101), 400, "BAD_USER_INPUT"},
		{"a name filter given twice", "/exports/enterprises.xlsx?nameContains=a&nameContains=b", 400, "BAD_USER_INPUT"},
		{"a misspelt filter", "/exports/enterprises.xlsx?citys=LUOYANG", 400, "BAD_USER_INPUT"},
		{"a filter on a list without one", "/exports/early-small-hard.xlsx?city=LUOYANG", 400, "BAD_USER_INPUT"},
		{"bank rankings without a year", "/exports/bank-rankings.xlsx", 400, "BAD_USER_INPUT"},
		{"a year that is no integer", "/exports/bank-rankings.xlsx?year=2025a", 400, "BAD_USER_INPUT"},
		{"an unknown list", "/exports/banks.xlsx", 404, "NOT_FOUND"},
		{"a list as CSV", "/exports/enterprises.csv", 404, "NOT_FOUND"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, b := getExport(t, srv, "", tc.path)
			var body gqlResponse
			if err := json.Unmarshal(b, &body); err != nil || res.StatusCode != tc.status || body.code() != tc.code || body.Errors[0].Message == "" {
				t.Errorf("%d %s, want %d %s", res.StatusCode, b, tc.status, tc.code)
			}
		})
	}

	t.Run("a list over the row cap", func(t *testing.T) {
		for i := range 3 {
			createTestEnterprise(t, srv, fmt.Sprintf("郑州上限测试%d科技有限公司", i), fmt.Sprintf("91410100MA4400%03d", i))
		}
		x := a.listExports(nil)
		x.maxRows = 2
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "/exports/enterprises.xlsx", nil)
		req.SetPathValue("file", "enterprises.xlsx")
		x.serve(rec, req)
		var body gqlResponse
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || rec.Code != http.StatusRequestEntityTooLarge ||
			body.code() != codeExportTooLarge || !strings.Contains(body.Errors[0].Message, "3 行") {
			t.Errorf("%d %s", rec.Code, rec.Body)
		}
		x.maxRows = 3
		rec = httptest.NewRecorder()
		x.serve(rec, req)
		if rec.Code != http.StatusOK {
			t.Errorf("a list at the cap: %d %s", rec.Code, excerptOf(rec.Body.Bytes()))
		}
	})
}

// TestExportsChargeTheRateBudget spends a small budget on exports until
// one is refused with 429 and Retry-After.
func TestExportsChargeTheRateBudget(t *testing.T) {
	srv, _ := testServerWith(t, 30, func(c *Config) { c.Cache.Rate = ratelimit.Rate{Limit: 1000, PerSecond: 1} })
	for i := range 20 {
		res, b := getExport(t, srv, "", "/exports/enterprises.xlsx")
		if res.StatusCode == http.StatusTooManyRequests {
			var body gqlResponse
			if json.Unmarshal(b, &body) != nil || body.code() != "RATE_LIMITED" || res.Header.Get("Retry-After") == "" {
				t.Errorf("refusal %v %s", res.Header, b)
			}
			if i == 0 {
				t.Error("the first export was refused")
			}
			return
		}
	}
	t.Error("20 exports of 30 rows never exhausted a budget of 1,000")
}

// TestExportCommand writes a list through a running server and in process
// on the same store: both are the server's export.
func TestExportCommand(t *testing.T) {
	dir := t.TempDir()
	cfg := Config{DataDir: dir, AdminToken: testToken, Demo: true, DemoSize: 40}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, err := newApp(context.Background(), cfg, log, testNow)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	want := exportOf(t, srv, testToken, "/exports/enterprises.xlsx?city=ZHENGZHOU")

	remote := filepath.Join(dir, "remote.xlsx")
	rcfg := cfg
	rcfg.Addr = strings.TrimPrefix(srv.URL, "http://")
	if err := exportCommand(context.Background(), rcfg, log, []string{"enterprises", "-city", "ZHENGZHOU", remote}); err != nil {
		t.Fatal(err)
	}
	refused := exportCommand(context.Background(), rcfg, log, []string{"enterprises", "-city", "zhengzhou", filepath.Join(dir, "bad.xlsx")})
	srv.Close()
	a.Close()
	if refused == nil || !strings.Contains(refused.Error(), "BAD_USER_INPUT") {
		t.Errorf("a bad city through the server: %v", refused)
	}
	if _, err := os.Stat(filepath.Join(dir, "bad.xlsx")); !os.IsNotExist(err) {
		t.Errorf("a refused export left a file: %v", err)
	}

	local := filepath.Join(dir, "local.xlsx")
	lcfg := cfg
	lcfg.Addr = "127.0.0.1:1" // nothing answers: in process
	if err := exportCommand(context.Background(), lcfg, log, []string{"enterprises", "-city", "ZHENGZHOU", local}); err != nil {
		t.Fatal(err)
	}
	for name, file := range map[string]string{"through the server": remote, "in process": local} {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		got := readWorkbook(t, b)
		if len(got.rows) == 0 || !slices.Equal(got.headers, want.headers) || !slices.EqualFunc(got.raw, want.raw, slices.Equal) {
			t.Errorf("%s: %d rows %q, the server's export %d rows %q", name, len(got.rows), got.headers, len(want.rows), want.headers)
		}
		if got.info[sheets.InfoPrivacy] != sheets.WithPrivate {
			t.Errorf("%s: the administrator's export says %q", name, got.info[sheets.InfoPrivacy])
		}
	}
	for _, args := range [][]string{{}, {"enterprises"}, {"banks", "x.xlsx"}, {"enterprises", "-town", "X", "x.xlsx"}} {
		if err := exportCommand(context.Background(), lcfg, log, args); err == nil || !strings.Contains(err.Error(), "usage") {
			t.Errorf("export %q: %v", args, err)
		}
	}
}
