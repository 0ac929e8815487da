package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/yurong/yurong/access"
	"github.com/yurong/yurong/auth"
	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/graph/model"
	"github.com/yurong/yurong/ratelimit"
	"github.com/yurong/yurong/resolvers"
	"github.com/yurong/yurong/sheets"
)

// The official lists as .xlsx, served beside /graphql behind the same
// chain (principal, rate limit, deadline) and read by the resolvers' own
// functions, so a list holds what paging through its query answers:
//
//	GET /exports/early-small-hard.xlsx   Query.earlySmallHardEnterprises
//	GET /exports/equity-projects.xlsx    Query.equityProjectList
//	GET /exports/enterprises.xlsx?…      Query.enterprises(filter), the filter's fields as parameters
//	GET /exports/bank-rankings.xlsx?year=2025   Query.bankPerformance(year)
//
// The latest annual report's figures are columns only for a reader who
// may read some listed enterprise's reports, filled only for those
// enterprises, each read recorded in the audit log before the file leaves
// (ADR 021).

// The lists an export serves, by the name of its file.
const (
	listEarlySmallHard = "early-small-hard"
	listEquityProjects = "equity-projects"
	listEnterprises    = "enterprises"
	listBankRankings   = "bank-rankings"
)

var listKinds = []string{listEarlySmallHard, listEquityProjects, listEnterprises, listBankRankings}

// maxExportRows bounds a list: the province's whole enterprise list
// (60,000 expected) fits, with room.
const maxExportRows = 100_000

// exportRowCost is what a list costs against the client's rate budget:
// a base and half a unit a row, so the largest list costs half the budget
// (a GraphQL page of 100 enterprises with these fields costs more per row).
func exportRowCost(rows int) int { return 100 + rows/2 }

// Codes of refused exports, beside the API's.
const (
	codeExportTooLarge = "EXPORT_TOO_LARGE"
	codeUnavailable    = "UNAVAILABLE"
)

// listExports builds and serves the lists.
type listExports struct {
	res    *resolvers.Resolver
	grants access.Grants
	audit  access.AuditLog
	limits *ratelimit.Extension // nil in process (the export command)
	now    func() time.Time
	log    *slog.Logger
	// maxRows is maxExportRows, lowered by tests.
	maxRows int
}

func (a *app) listExports(limits *ratelimit.Extension) listExports {
	return listExports{
		res:    &resolvers.Resolver{Market: a.market, Store: a.store, Engine: a.engine, Financing: a.financing, Now: a.now},
		grants: a.store, audit: a.store, limits: limits, now: a.now, log: a.log, maxRows: maxExportRows,
	}
}

// exportRefusal is an export refused for a reason the client can act on:
// a status and a body shaped like a GraphQL error.
type exportRefusal struct {
	status        int
	code, message string
	retryAfter    int
}

func (e *exportRefusal) Error() string { return e.message + " (" + e.code + ")" }

func badInput(format string, args ...any) error {
	return &exportRefusal{status: http.StatusBadRequest, code: resolvers.CodeBadUserInput, message: fmt.Sprintf(format, args...)}
}

// serve answers GET /exports/{file}.
func (x listExports) serve(w http.ResponseWriter, r *http.Request) {
	kind, ok := strings.CutSuffix(r.PathValue("file"), ".xlsx")
	if !ok || !slices.Contains(listKinds, kind) {
		exportError(w, http.StatusNotFound, resolvers.CodeNotFound,
			"没有这个名单：可导出 /exports/{"+strings.Join(listKinds, ",")+"}.xlsx")
		return
	}
	wb, info, err := x.workbook(r.Context(), kind, r.URL.Query(), func(ctx context.Context, cost int) error {
		if x.limits == nil {
			return nil
		}
		if ok, secs := x.limits.Charge(ctx, cost); !ok {
			return &exportRefusal{status: http.StatusTooManyRequests, code: ratelimit.CodeRateLimited,
				message: fmt.Sprintf("请求过于频繁，请 %d 秒后重试", secs), retryAfter: secs}
		}
		return nil
	})
	if err != nil {
		var refused *exportRefusal
		if errors.As(err, &refused) {
			if refused.retryAfter > 0 {
				w.Header().Set("Retry-After", strconv.Itoa(refused.retryAfter))
			}
			exportError(w, refused.status, refused.code, refused.message)
			return
		}
		x.log.ErrorContext(r.Context(), "list export failed", "list", kind, "err", err)
		exportError(w, http.StatusInternalServerError, resolvers.CodeInternal, "internal error")
		return
	}
	defer wb.Close()
	w.Header().Set("Content-Type", xlsxType)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`,
		kind+".xlsx", rfc8187(info.fileName)))
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Export-Rows", strconv.Itoa(wb.Rows()))
	if _, err := wb.WriteTo(w); err != nil {
		x.log.WarnContext(r.Context(), "list export interrupted", "list", kind, "err", err)
	}
}

// exportInfo is what a built list says about itself.
type exportInfo struct {
	fileName string
	privacy  sheets.Privacy
}

// workbook builds the list kind, filtered by q, for the principal in ctx.
// charge, when set, takes the list's cost from the client's budget before
// anything is built. The private reads are recorded before it returns: a
// list whose reads cannot be recorded is refused (fail closed).
func (x listExports) workbook(ctx context.Context, kind string, q url.Values, charge func(context.Context, int) error) (*sheets.Workbook, exportInfo, error) {
	at := x.now()
	var l sheets.List
	var err error
	switch kind {
	case listBankRankings:
		l, err = x.bankRankings(ctx, q, charge)
	default:
		l, err = x.enterpriseList(ctx, kind, q, charge)
	}
	if err != nil {
		return nil, exportInfo{}, err
	}
	l.At = at
	wb, err := sheets.BuildList(ctx, l)
	if err != nil {
		if ctx.Err() != nil {
			return nil, exportInfo{}, &exportRefusal{status: http.StatusServiceUnavailable, code: codeUnavailable,
				message: "导出超时，请缩小筛选范围后重试"}
		}
		return nil, exportInfo{}, err
	}
	name := l.Title + "-" + at.In(time.FixedZone("CST", 8*3600)).Format("20060102") + ".xlsx"
	return wb, exportInfo{fileName: name, privacy: l.Privacy}, nil
}

// enterpriseList reads an enterprise list as its query answers it.
func (x listExports) enterpriseList(ctx context.Context, kind string, q url.Values, charge func(context.Context, int) error) (sheets.List, error) {
	var ents []*catalog.Enterprise
	var l sheets.List
	switch kind {
	case listEarlySmallHard:
		if err := noParameters(q); err != nil {
			return l, err
		}
		ents = x.res.EarlySmallHardList()
		l.Title, l.Note = "早小硬企业名单", "与 API 的 earlySmallHardEnterprises 同序"
	case listEquityProjects:
		if err := noParameters(q); err != nil {
			return l, err
		}
		ents = x.res.EquityProjectList()
		l.Title, l.Note = "股权融资项目名单", "持有认股权贷款的企业，向投资机构推荐；与 API 的 equityProjectList 同序"
	case listEnterprises:
		filter, words, err := enterpriseFilter(q)
		if err != nil {
			return l, err
		}
		var total int
		ents, total, err = x.res.FilteredEnterprises(filter, x.maxRows+1)
		if errors.Is(err, resolvers.ErrTextTooLong) {
			return l, badInput("nameContains 过长：最多 100 个字符")
		}
		if err != nil {
			return l, err
		}
		if total > x.maxRows {
			return l, tooLarge(total, x.maxRows)
		}
		l.Title, l.Filter, l.Note = "企业名单", words, "按企业 ID 排序，与 API 的 enterprises 同序"
	}
	if len(ents) > x.maxRows {
		return l, tooLarge(len(ents), x.maxRows)
	}
	if charge != nil {
		if err := charge(ctx, exportRowCost(len(ents))); err != nil {
			return l, err
		}
	}
	// The reports each reader may read, decided as Enterprise.reports
	// decides them, and recorded before anything is written.
	req := access.NewRequest(auth.From(ctx), x.grants, x.now())
	actx := access.With(ctx, req)
	reports := make([]*catalog.AnnualReport, len(ents))
	derived := make([]sheets.Derived, len(ents))
	readable := 0
	for i, e := range ents {
		s, stage, esh, err := x.res.Scores(e)
		if err != nil {
			return l, err
		}
		derived[i] = sheets.Derived{Score: s.Total, Grade: s.Grade, Stage: stage, EarlySmallHard: esh}
		r, ok, err := resolvers.LatestReport(actx, e)
		if err != nil {
			return l, fmt.Errorf("read the reports' access: %w", err)
		}
		if ok {
			readable++
			reports[i] = r
		}
	}
	if reads := req.Reads(x.now()); len(reads) > 0 {
		if err := x.audit.AppendAudit(context.WithoutCancel(ctx), reads); err != nil {
			x.log.ErrorContext(ctx, "record private reads; export withheld", "err", err)
			return l, &exportRefusal{status: http.StatusServiceUnavailable, code: codeUnavailable, message: "暂时无法记录数据访问，请稍后重试"}
		}
	}
	private := readable > 0
	l.Privacy = sheets.Privacy{Included: private, Readable: readable, Rows: len(ents)}
	l.Columns = sheets.EnterpriseListColumns(private)
	l.Rows = func(yield func([]any) bool) {
		for i, e := range ents {
			if !yield(sheets.EnterpriseListRow(i+1, e, derived[i], private, reports[i])) {
				return
			}
		}
	}
	return l, nil
}

// bankRankings reads the partner-bank evaluation of a year.
func (x listExports) bankRankings(ctx context.Context, q url.Values, charge func(context.Context, int) error) (sheets.List, error) {
	var l sheets.List
	if err := onlyParameters(q, "year"); err != nil {
		return l, err
	}
	ys := q["year"]
	if len(ys) != 1 || ys[0] == "" {
		return l, badInput("缺少年度：/exports/bank-rankings.xlsx?year=2025")
	}
	year, err := strconv.Atoi(ys[0])
	if err != nil || year < math.MinInt32 || year > math.MaxInt32 {
		return l, badInput("year %q 不是整数（32 位）", ys[0])
	}
	if charge != nil {
		if err := charge(ctx, exportRowCost(0)); err != nil {
			return l, err
		}
	}
	ranked, banks, err := x.res.BankRanking(ctx, year)
	if err != nil {
		return l, err
	}
	rows := make([][]any, len(ranked))
	for i, b := range ranked {
		rows[i] = sheets.BankRank{Rank: b.Rank, Bank: banks[i].Name, LoansToEarlySmallHard: b.LoansToEarlySmallHard,
			AmountToEarlySmallHard: b.AmountToEarlySmallHard, EarlySmallHardShare: b.EarlySmallHardShare,
			LoansTotal: b.LoansTotal, AmountTotal: b.AmountTotal, MedianHoursToDecision: b.MedianHoursToDecision,
			OnTimeShare: b.OnTimeShare}.Row()
	}
	l.Title, l.Filter = "科技贷合作银行评价", fmt.Sprintf("年度：%d", year)
	l.Note = "按投向早小硬企业的放款金额排序，与 API 的 bankPerformance 同序"
	l.Columns, l.Rows = sheets.BankRankColumns, slices.Values(rows)
	l.Privacy = sheets.Privacy{Rows: len(rows)}
	return l, nil
}

func tooLarge(n, max int) error {
	return &exportRefusal{status: http.StatusRequestEntityTooLarge, code: codeExportTooLarge,
		message: fmt.Sprintf("名单有 %d 行，超过单次导出上限 %d 行：请加筛选条件（如地市、赛道）分批导出", n, max)}
}

func noParameters(q url.Values) error { return onlyParameters(q) }

// onlyParameters refuses a parameter the list does not take, so a
// misspelt filter is not silently ignored.
func onlyParameters(q url.Values, allowed ...string) error {
	for k := range q {
		if !slices.Contains(allowed, k) {
			if len(allowed) == 0 {
				return badInput("此名单没有筛选条件，不接受参数 %q", k)
			}
			return badInput("未知参数 %q：可用的参数为 %s", k, strings.Join(allowed, "、"))
		}
	}
	return nil
}

// The parameters of /exports/enterprises.xlsx: EnterpriseFilter's fields,
// the list fields also in the singular (city=LUOYANG&city=ZHENGZHOU, or
// cities=LUOYANG,ZHENGZHOU).
var enterpriseParameters = []string{"cities", "city", "tracks", "track", "qualifications", "qualification",
	"nameContains", "minInnovationScore", "earlySmallHard"}

// enterpriseFilter reads EnterpriseFilter from the parameters, enum values
// exactly as in the schema, and says it in words for the 说明 sheet.
func enterpriseFilter(q url.Values) (*model.EnterpriseFilter, string, error) {
	if err := onlyParameters(q, enterpriseParameters...); err != nil {
		return nil, "", err
	}
	var f model.EnterpriseFilter
	var words []string
	var err error
	if f.Cities, err = enumParameter(q, "cities", "city", catalog.CityNames); err != nil {
		return nil, "", err
	}
	if f.Tracks, err = enumParameter(q, "tracks", "track", catalog.TrackNames); err != nil {
		return nil, "", err
	}
	if f.Qualifications, err = enumParameter(q, "qualifications", "qualification", catalog.QualificationNames); err != nil {
		return nil, "", err
	}
	for _, part := range []struct {
		label string
		names []string
	}{{"地市", chinese(f.Cities, catalog.CityNames)}, {"赛道", chinese(f.Tracks, catalog.TrackNames)},
		{"资质", chinese(f.Qualifications, catalog.QualificationNames)}} {
		if len(part.names) > 0 {
			words = append(words, part.label+"："+strings.Join(part.names, "、"))
		}
	}
	if v, ok, err := single(q, "nameContains"); err != nil {
		return nil, "", err
	} else if ok {
		f.NameContains = &v
		words = append(words, "名称包含："+v)
	}
	if v, ok, err := single(q, "minInnovationScore"); err != nil {
		return nil, "", err
	} else if ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < math.MinInt32 || n > math.MaxInt32 {
			return nil, "", badInput("minInnovationScore %q 不是整数（32 位）", v)
		}
		f.MinInnovationScore = &n
		words = append(words, fmt.Sprintf("豫科积分不低于：%d", n))
	}
	if v, ok, err := single(q, "earlySmallHard"); err != nil {
		return nil, "", err
	} else if ok {
		b, err := strconv.ParseBool(v)
		if err != nil || (v != "true" && v != "false") {
			return nil, "", badInput("earlySmallHard %q 应为 true 或 false", v)
		}
		f.EarlySmallHard = &b
		words = append(words, "早小硬："+map[bool]string{true: "是", false: "否"}[b])
	}
	return &f, strings.Join(words, "；"), nil
}

// enumParameter reads a list of enum values from the parameter's plural
// and singular names, each repeated or comma-separated.
func enumParameter[E ~string](q url.Values, plural, singular string, names map[E]string) ([]E, error) {
	var out []E
	for _, key := range []string{plural, singular} {
		for _, v := range q[key] {
			for _, s := range strings.Split(v, ",") {
				s = strings.TrimSpace(s)
				if _, ok := names[E(s)]; !ok {
					valid := make([]string, 0, len(names))
					for e := range names {
						valid = append(valid, string(e))
					}
					slices.Sort(valid)
					return nil, badInput("%s %q 不是可选值：枚举值按 schema 大写书写，可选 %s", key, s, strings.Join(valid, "、"))
				}
				if !slices.Contains(out, E(s)) {
					out = append(out, E(s))
				}
			}
		}
	}
	return out, nil
}

func single(q url.Values, key string) (string, bool, error) {
	vs, ok := q[key]
	if !ok {
		return "", false, nil
	}
	if len(vs) != 1 {
		return "", false, badInput("参数 %s 只能给一次", key)
	}
	return vs[0], true, nil
}

func chinese[E comparable](vs []E, names map[E]string) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = names[v]
	}
	return out
}
