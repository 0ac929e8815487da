package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/yurong/yurong/catalog"
)

// migrationRows holds, for each migration version, rows for the tables
// that version creates, as the code of that version would write them. The
// upgrade test inserts them at that version and checks every later
// migration keeps them. A new migration adds its rows here (the test fails
// while a table is empty).
var migrationRows = map[int64][]string{
	1: {
		`INSERT INTO institutions (id, name, kind, city, created_at) VALUES
			(1, '中原银行', 'BANK', 'ZHENGZHOU', '2025-01-02T03:04:05.000000Z'),
			(2, '河南创投', 'FUND', 'LUOYANG', '2025-01-02T03:04:05.000000Z')`,
		`INSERT INTO enterprises (id, name, credit_code, city, founded_on, employees, track, industry_chain,
			description, keywords, qualifications, credit_status, need_kind, need_amount, need_purpose,
			has_warrant_loan, created_at, updated_at) VALUES
			(1, '郑州芯光科技有限公司', '91410100MA44XQ2B8K', 'ZHENGZHOU', '2021-03-14', 57, 'NEW_MATERIALS', '新材料产业链',
			 '超硬材料', '["金刚石","线锯"]', '["HIGH_TECH"]', 'GOOD', 'LOAN', 500000000, '扩产',
			 TRUE, '2025-01-02T03:04:05.000000Z', '2025-02-03T04:05:06.000000Z')`,
		`INSERT INTO annual_reports (enterprise_id, year, revenue, rd_expense, tech_staff, postgraduates,
			invention_patent_applications, pct_applications, tech_contract_turnover, high_tech_product_revenue,
			rd_tax_deduction, return_on_equity_percent, graduates_hired, innovation_platforms, science_awards,
			equity_financing, science_plan_projects) VALUES
			(1, 2024, 200000001, 15000000, 15, 4, 6, 0, 0, 150000000, 0, 0.5, 7, 2, 0, 0, 1)`,
		`INSERT INTO subsidies (enterprise_id, seq, program, amount, year) VALUES (1, 0, '研发费用后补助', 30000000, 2024)`,
		`INSERT INTO competition_entries (enterprise_id, year, entry_group, track, stage_reached, award) VALUES
			(1, 2024, 'STARTUP', 'NEW_MATERIALS', 'PROVINCIAL_FINAL', 'SECOND')`,
		`INSERT INTO financial_products (id, name, kind, program, provider_id, description, min_amount, max_amount,
			annual_rate_percent, term_months, collateral_free, coverages, eligibility, created_at) VALUES
			(1, '科技贷', 'LOAN', 'TECH_LOAN', 1, '信用贷款', 10000000, 1000000000, 3.5, 12, TRUE, '[]',
			 '{"tracks":null,"cities":null,"stages":null,"qualifications":null}', '2025-01-02T03:04:05.000000Z')`,
		`INSERT INTO incubators (id, name, kind, level, city, focus_tracks, vacancies, service_package, description, created_at) VALUES
			(1, '郑州智慧岛', 'SMART_ISLAND', 'NATIONAL', 'ZHENGZHOU', '["NEW_MATERIALS"]', 3, NULL, '孵化器', '2025-01-02T03:04:05.000000Z')`,
		`INSERT INTO supply_chain_demands (id, title, description, kind, industry_chain, track, city, owner_name,
			keywords, budget, deadline, created_at) VALUES
			(1, '金刚石线锯采购', '年采购', 'PROCUREMENT', '新材料产业链', 'NEW_MATERIALS', 'ZHENGZHOU', '链主',
			 '["金刚石"]', 100000000, '2026-12-31', '2025-01-02T03:04:05.000000Z')`,
		`INSERT INTO outbox (id, entity, entity_id, op, created_at) VALUES
			(1, 'enterprise', 1, 'upsert', '2025-01-02T03:04:05.000000Z')`,
	},
	2: {
		`INSERT INTO log_positions (name, seq) VALUES ('horizon', 0), ('bleve host:/data/search', 1)`,
	},
	3: {
		`INSERT INTO accounts (id, name, role, organization_kind, organization_id, token_hash, created_at, revoked_at) VALUES
			(2, '中原银行客户经理', 'INSTITUTION', 'Institution', 1, 'aa11', '2025-01-02T03:04:05.000000Z', NULL),
			(3, '张专家', 'EXPERT', NULL, NULL, 'bb22', '2025-01-02T03:04:05.000000Z', NULL)`,
		`INSERT INTO consents (id, enterprise_id, institution_id, granted_at, expires_on, revoked_at) VALUES
			(1, 1, 1, '2025-01-02T03:04:05.000000Z', '2026-01-02', NULL)`,
		`INSERT INTO audit_log (id, at, account_id, action, subject_type, subject_id) VALUES
			(1, '2025-01-02T03:04:05.000000Z', 2, 'grantConsent', 'Enterprise', 1)`,
	},
	4: {
		`INSERT INTO competitions (id, year, name, created_at) VALUES (1, 2025, '创新创业大赛', '2025-01-02T03:04:05.000000Z')`,
		`INSERT INTO competition_stages (competition_id, stage, starts_on, ends_on) VALUES (1, 'REGISTRATION', '2025-03-01', '2025-04-30')`,
		`INSERT INTO stage_offers (id, competition_id, stage, resource_kind, resource_id, note) VALUES
			(1, 1, 'REGISTRATION', 'product', 1, '参赛企业优先')`,
		`INSERT INTO applications (id, enterprise_id, product_id, institution_id, program, status, requested_amount,
			purpose, approved_amount, annual_rate, rejection_reason, contest_phase, contest_year, pairing_score,
			green_channel, created_at, submitted_at, decision_due, decided_at, closed_at, loss_compensation,
			disbursed_amount, disbursed_on, early_small_hard) VALUES
			(1, 1, 1, 1, 'TECH_LOAN', 'SUBMITTED', 300000000, '扩产', NULL, NULL, NULL, NULL, NULL, 82.5,
			 TRUE, '2025-01-02T03:04:05.000000Z', '2025-01-03T03:04:05.000000Z', '2025-01-10T03:04:05.000000Z',
			 NULL, NULL, NULL, NULL, NULL, FALSE)`,
		`INSERT INTO application_events (id, application_id, at, status, account_id, note) VALUES
			(1, 1, '2025-01-03T03:04:05.000000Z', 'SUBMITTED', NULL, NULL)`,
		`INSERT INTO holiday_years (year, set_at) VALUES (2025, '2025-01-02T03:04:05.000000Z')`,
		`INSERT INTO holidays (day, year, working) VALUES ('2025-01-01', 2025, FALSE), ('2025-01-26', 2025, TRUE)`,
	},
	5: {
		`INSERT INTO matchmaking_events (id, name, track, industry_chain, city, day, slots, slot_minutes, starts_at,
			table_count, created_by, created_at, version, scheduled_at, schedule_objective, schedule_upper_bound,
			schedule_elapsed_ms, schedule_unplaced) VALUES
			(1, '新材料专场', 'NEW_MATERIALS', NULL, 'ZHENGZHOU', '2025-06-01', 8, 20, '2025-06-01T01:00:00.000000Z',
			 2, 1, '2025-01-02T03:04:05.000000Z', 3, NULL, NULL, NULL, NULL, NULL)`,
		`INSERT INTO event_hosts (id, event_id, name, capacity, available_slots) VALUES (1, 1, '中原银行', 4, '[1,2,3]')`,
		`INSERT INTO event_host_resources (host_id, position, resource_kind, resource_id) VALUES (1, 0, 'product', 1)`,
		`INSERT INTO event_participants (id, event_id, enterprise_id, capacity, available_slots, must_meet, never_meet) VALUES
			(1, 1, 1, 2, '[1,2]', '[1]', '[]')`,
		`INSERT INTO event_meetings (event_id, slot, table_no, host_id, enterprise_id, score, requested, resource_kind, resource_id) VALUES
			(1, 1, 1, 1, 1, 82.5, TRUE, 'product', 1)`,
	},
	6: {
		`INSERT INTO residencies (id, enterprise_id, incubator_id, since, until, service_package, recorded_by, created_at) VALUES
			(1, 1, 1, '2025-02-01', NULL, '{}', 1, '2025-01-02T03:04:05.000000Z')`,
		`INSERT INTO agreements (id, kind, fund_id, partner_id, signed_on, valid_until, signed_by, created_at) VALUES
			(1, 'LOAN_INVESTMENT', 2, 1, '2025-01-15', NULL, 1, '2025-01-02T03:04:05.000000Z')`,
		`INSERT INTO interests (id, fund_id, enterprise_id, stage, note, at, withdrawn_at, by_account) VALUES
			(1, 2, 1, 'WATCHING', '早期尽调', '2025-01-02T03:04:05.000000Z', NULL, 1)`,
	},
	7: {
		`INSERT INTO expert_specialities (account_id, specialities, updated_at) VALUES (3, '["FINANCE"]', '2025-01-02T03:04:05.000000Z')`,
		`INSERT INTO clinics (id, name, city, incubator_id, high_tech_zone, held_on, experts, created_by, created_at) VALUES
			(1, '一企一策诊疗会', 'ZHENGZHOU', 1, '', '2025-05-01', '[3]', 1, '2025-01-02T03:04:05.000000Z')`,
		`INSERT INTO diagnoses (id, clinic_id, enterprise_id, notes, plan, growth_plan, recorded_by, created_at) VALUES
			(1, 1, 1, '资金缺口', '{}', '[]', 3, '2025-01-02T03:04:05.000000Z')`,
	},
	8: {
		`INSERT INTO training_sessions (id, title, audience, topic, city, held_on, capacity, taken, created_at) VALUES
			(1, '科技金融培训', 'ENTERPRISE', 'FINANCING', 'ZHENGZHOU', '2025-07-01', 30, 1, '2025-01-02T03:04:05.000000Z')`,
		`INSERT INTO training_registrations (id, session_id, account_id, name, status, created_at) VALUES
			(1, 1, 2, '客户经理', 'REGISTERED', '2025-01-02T03:04:05.000000Z')`,
	},
	9: {
		`INSERT INTO scoring_models (id, institution_id, name, created_by, created_at) VALUES
			(1, 1, '中原银行科创模型', 2, '2025-01-02T03:04:05.000000Z')`,
		`INSERT INTO scoring_model_versions (model_id, version, shared, weights, ignored, min_score, created_by, created_at) VALUES
			(1, 1, TRUE, '{"startup":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1],"growth":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1],"stable":[1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]}', '[]', 0, 2, '2025-01-02T03:04:05.000000Z')`,
		`INSERT INTO product_scoring_models (product_id, model_id, mode, set_by, set_at) VALUES
			(1, 1, 'ACCOMPANY', 2, '2025-01-02T03:04:05.000000Z')`,
	},
}

// openUnmigrated opens a store at loc without applying any migration.
func openUnmigrated(t *testing.T, loc location) *Store {
	t.Helper()
	var s *Store
	var err error
	if loc.url == "" {
		s, err = openSQLite(loc.dir)
	} else {
		s, err = openPostgres(loc.url)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// tableNames lists the tables of the store's database (its schema on
// PostgreSQL), SQLite's own excluded.
func tableNames(t *testing.T, s *Store) []string {
	t.Helper()
	q := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
	if s.backend == Postgres {
		q = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name"
	}
	rows, err := s.db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	if err := eachRow(rows, func() error {
		var n string
		names = append(names, n)
		return rows.Scan(&names[len(names)-1])
	}); err != nil {
		t.Fatal(err)
	}
	return names
}

// tableRows returns the rows of table as text, in a fixed order, reading
// only cols (all of them when nil), and the columns read.
func tableRows(t *testing.T, s *Store, table string, cols []string) ([]string, []string) {
	t.Helper()
	sel := "*"
	if cols != nil {
		sel = strings.Join(cols, ", ")
	}
	rows, err := s.db.Query("SELECT " + sel + " FROM " + table)
	if err != nil {
		t.Fatalf("read %s: %v", table, err)
	}
	got, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	if err := eachRow(rows, func() error {
		vals := make([]any, len(got))
		ptrs := make([]any, len(got))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		var b strings.Builder
		for i, v := range vals {
			if bs, ok := v.([]byte); ok {
				v = string(bs)
			}
			fmt.Fprintf(&b, "%s=%v; ", got[i], v)
		}
		out = append(out, b.String())
		return nil
	}); err != nil {
		t.Fatalf("read %s: %v", table, err)
	}
	slices.Sort(out)
	return out, got
}

func execAll(t *testing.T, s *Store, stmts []string) {
	t.Helper()
	for _, q := range stmts {
		if _, err := s.db.Exec(q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
}

func TestMigrateAnEmptyDatabase(t *testing.T) {
	// The tables the code reads and writes, found in its SQL: after a
	// keyword, or as the table argument of the statement builders.
	expected := map[string]bool{}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	keyword := regexp.MustCompile(`\b(?:FROM|INTO|UPDATE|JOIN|TABLE(?: IF NOT EXISTS)?)\s+([a-z][a-z0-9_]*)`)
	builder := regexp.MustCompile(`\b(?:readAll|readOne|newBatch|pageByID|insertSQL|selectSQL)\([^"]*"([a-z][a-z0-9_]*)"`)
	notTables := map[string]bool{"generate_series": true, "json_each": true, "sqlite_sequence": true, "table": true}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var code strings.Builder // comments left out
		for _, line := range strings.Split(string(b), "\n") {
			if !strings.HasPrefix(strings.TrimSpace(line), "//") {
				code.WriteString(line + "\n")
			}
		}
		for _, re := range []*regexp.Regexp{keyword, builder} {
			for _, m := range re.FindAllStringSubmatch(code.String(), -1) {
				if !notTables[m[1]] {
					expected[m[1]] = true
				}
			}
		}
	}
	if len(expected) < 30 {
		t.Fatalf("found only %d tables in the code: %v; the scan is broken", len(expected), expected)
	}
	latest, err := latestVersion()
	if err != nil {
		t.Fatal(err)
	}
	forEachBackend(t, func(t *testing.T, loc location) {
		s := open(t, loc)
		have := map[string]bool{}
		for _, n := range tableNames(t, s) {
			have[n] = true
		}
		for n := range expected {
			if !have[n] {
				t.Errorf("the code uses table %s, which the migrations do not create", n)
			}
		}
		v, err := s.SchemaVersion(context.Background())
		if err != nil || v != latest {
			t.Errorf("SchemaVersion() = %d, %v; want %d", v, err, latest)
		}
	})
}

func TestMigrationsKeepTheRowsOfThePreviousVersion(t *testing.T) {
	ms, err := loadMigrations(SQLite)
	if err != nil {
		t.Fatal(err)
	}
	forEachBackend(t, func(t *testing.T, loc location) {
		ctx := context.Background()
		s := openUnmigrated(t, loc)
		// Each step: the database at version prev, holding rows in every
		// table, migrates to the next version and keeps them.
		prev := int64(0)
		for _, m := range ms {
			before := map[string][]string{}
			cols := map[string][]string{}
			for _, table := range tableNames(t, s) {
				if table == "schema_migrations" {
					continue
				}
				before[table], cols[table] = tableRows(t, s, table, nil)
				if len(before[table]) == 0 {
					t.Fatalf("at version %d table %s is empty: add rows for it to migrationRows", prev, table)
				}
			}
			if err := s.migrateTo(ctx, m.version); err != nil {
				t.Fatalf("migrate from %d to %s: %v", prev, m.name, err)
			}
			if v, err := s.SchemaVersion(ctx); err != nil || v != m.version {
				t.Fatalf("after %s: SchemaVersion() = %d, %v", m.name, v, err)
			}
			for table, want := range before {
				got, _ := tableRows(t, s, table, cols[table])
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s changed the rows of %s:\n got %q\nwant %q", m.name, table, got, want)
				}
			}
			rows, ok := migrationRows[m.version]
			if !ok {
				t.Fatalf("migrationRows has no rows for %s", m.name)
			}
			execAll(t, s, rows)
			prev = m.version
		}
		for _, table := range tableNames(t, s) {
			if got, _ := tableRows(t, s, table, nil); len(got) == 0 {
				t.Errorf("at the latest version table %s is empty: add rows for it to migrationRows", table)
			}
		}

		// The store reads what older versions wrote through its API.
		e, err := s.Enterprise(ctx, 1)
		if err != nil {
			t.Fatalf("Enterprise: %v", err)
		}
		if e.Name != "郑州芯光科技有限公司" || len(e.Reports) != 1 || e.Reports[0].Revenue != 200000001 ||
			len(e.Subsidies) != 1 || e.Subsidies[0].Amount != 30000000 || len(e.CompetitionEntries) != 1 ||
			e.FinancingNeed == nil || e.FinancingNeed.Kind != catalog.Loan || !e.HasWarrantLoan {
			t.Errorf("Enterprise(1) = %+v", e)
		}
		d, err := s.Load(ctx)
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		if len(d.Institutions) != 2 || len(d.Enterprises) != 1 || len(d.Products) != 1 || len(d.Incubators) != 1 || len(d.Demands) != 1 {
			t.Errorf("Load: %d institutions, %d enterprises, %d products, %d incubators, %d demands",
				len(d.Institutions), len(d.Enterprises), len(d.Products), len(d.Incubators), len(d.Demands))
		}
		if a, err := s.BootstrapAdministrator(ctx); err != nil || a.ID != 1 {
			t.Errorf("BootstrapAdministrator() = %+v, %v", a, err)
		}
		if as, err := s.Accounts(ctx, []int64{2, 3}); err != nil || len(as) != 2 {
			t.Errorf("Accounts = %v, %v", as, err)
		}
		if a, err := s.Application(ctx, 1); err != nil || a.RequestedAmount != 300000000 {
			t.Errorf("Application(1) = %+v, %v", a, err)
		}
		if c, err := s.CompetitionOfYear(ctx, 2025); err != nil || c.ID != 1 {
			t.Errorf("CompetitionOfYear(2025) = %+v, %v", c, err)
		}
		if ev, err := s.MatchmakingEvent(ctx, 1); err != nil || ev.Name != "新材料专场" {
			t.Errorf("MatchmakingEvent(1) = %+v, %v", ev, err)
		}
		if r, err := s.Residency(ctx, 1); err != nil || r.IncubatorID != 1 {
			t.Errorf("Residency(1) = %+v, %v", r, err)
		}
		if c, err := s.Clinic(ctx, 1); err != nil || c.Name != "一企一策诊疗会" {
			t.Errorf("Clinic(1) = %+v, %v", c, err)
		}
		if ts, err := s.TrainingSession(ctx, 1); err != nil || ts.Title != "科技金融培训" {
			t.Errorf("TrainingSession(1) = %+v, %v", ts, err)
		}
		if pos, err := s.Position(ctx, "bleve host:/data/search"); err != nil || pos != 1 {
			t.Errorf("Position = %d, %v; want 1", pos, err)
		}
	})
}

func TestAFailedMigrationAppliesNothing(t *testing.T) {
	forEachBackend(t, func(t *testing.T, loc location) {
		ctx := context.Background()
		s := openUnmigrated(t, loc)
		if err := s.migrateTo(ctx, 6); err != nil {
			t.Fatal(err)
		}
		ms, err := loadMigrations(s.backend)
		if err != nil {
			t.Fatal(err)
		}
		// 0007 and later are pending; a broken one comes after them.
		last := ms[len(ms)-1].version
		broken := migration{version: last + 1, name: "broken", sql: "CREATE TABLE half_done (id BIGINT); SELECT no_such_column FROM enterprises"}
		err = s.applyMigrations(ctx, append(ms, broken))
		if err == nil || !strings.Contains(err.Error(), "apply broken") {
			t.Fatalf("applyMigrations with a broken migration = %v; want its error", err)
		}
		if v, err := s.SchemaVersion(ctx); err != nil || v != 6 {
			t.Errorf("SchemaVersion() after the failure = %d, %v; want 6", v, err)
		}
		for _, n := range tableNames(t, s) {
			if n == "clinics" || n == "training_sessions" || n == "half_done" {
				t.Errorf("table %s exists after the failed migration", n)
			}
		}
		if err := s.migrate(ctx); err != nil {
			t.Fatalf("migrating without the broken one: %v", err)
		}
		if v, err := s.SchemaVersion(ctx); err != nil || v != ms[len(ms)-1].version {
			t.Errorf("SchemaVersion() = %d, %v; want %d", v, err, ms[len(ms)-1].version)
		}
	})
}

func TestMigrateToStopsAtTheVersion(t *testing.T) {
	s := openUnmigrated(t, location{dir: t.TempDir()})
	ctx := context.Background()
	if err := s.migrateTo(ctx, 2); err != nil {
		t.Fatal(err)
	}
	names := tableNames(t, s)
	if !slices.Contains(names, "log_positions") || slices.Contains(names, "accounts") {
		t.Errorf("tables at version 2: %v", names)
	}
	var n int
	if err := s.db.QueryRow("SELECT COUNT(*) FROM schema_migrations").Scan(&n); err != nil || n != 2 {
		t.Errorf("schema_migrations rows = %d, %v; want 2", n, err)
	}
	if v, err := s.SchemaVersion(ctx); err != nil || v != 2 {
		t.Errorf("SchemaVersion() = %d, %v; want 2", v, err)
	}
}
