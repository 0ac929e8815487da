package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/yurong/yurong/catalog"
)

// The suite runs against SQLite always and against PostgreSQL when
// YURONG_DATABASE_URL is set; each test gets a fresh database (a temporary
// directory, or a schema of its own that is dropped afterwards).
const databaseURLEnv = "YURONG_DATABASE_URL"

// location is where a test's database lives: pass it to Open.
type location struct{ url, dir string }

// forEachBackend runs fn once per available backend, as a subtest named after it.
func forEachBackend(t *testing.T, fn func(t *testing.T, loc location)) {
	t.Helper()
	t.Run(SQLite, func(t *testing.T) { fn(t, location{dir: t.TempDir()}) })
	base := os.Getenv(databaseURLEnv)
	if base == "" {
		return
	}
	t.Run(Postgres, func(t *testing.T) { fn(t, freshSchema(t, base)) })
}

// freshSchema creates a uniquely named schema and returns base with its
// search_path set to it; the schema is dropped when the test ends.
func freshSchema(t testing.TB, base string) location {
	t.Helper()
	b := make([]byte, 6)
	rand.Read(b)
	schema := "store_test_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			t.Error(err)
			return
		}
		defer admin.Close()
		if _, err := admin.Exec("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("drop schema: %v", err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return location{url: u.String()}
}

func open(t testing.TB, loc location) *Store {
	t.Helper()
	s, err := Open(context.Background(), loc.url, loc.dir)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// creditCode returns the n-th valid unified social credit code.
func creditCode(n int) string {
	prefix := fmt.Sprintf("91410100%09d", n)
	c, ok := catalog.CreditCodeCheckChar(prefix)
	if !ok {
		panic("bad credit code prefix " + prefix)
	}
	return prefix + string(c)
}

func ptr[T any](v T) *T { return &v }

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// fullEnterprise sets every field, every pointer included.
func fullEnterprise(n int) *catalog.Enterprise {
	return &catalog.Enterprise{
		Name:           fmt.Sprintf("郑州芯光科技有限公司 %d", n),
		CreditCode:     creditCode(n),
		City:           catalog.Luoyang,
		FoundedOn:      date(2021, 3, 14),
		Employees:      57,
		Track:          catalog.NewMaterials,
		IndustryChain:  ptr("新材料产业链"),
		Description:    "超硬材料与 \"金刚石\" 线锯；含引号、换行\n和 emoji 🚀",
		Keywords:       []string{"金刚石", "超硬材料", "线锯"},
		Qualifications: []catalog.Qualification{catalog.TechSME, catalog.HighTech},
		CreditStatus:   catalog.CreditGood,
		Reports: []catalog.AnnualReport{
			{Year: 2023, Revenue: 1_234_567_89, RDExpense: 98_765_43, TechStaff: 12, Postgraduates: 3,
				InventionPatentApplications: 4, PCTApplications: 1, TechContractTurnover: 5_000_00,
				HighTechProductRevenue: 1_000_000_00, RDTaxDeduction: 12_345_67, ReturnOnEquityPercent: -3.25,
				GraduatesHired: 5, InnovationPlatforms: 1, ScienceAwards: 2, EquityFinancing: 20_000_000_00,
				SciencePlanProjects: 3},
			{Year: 2024, Revenue: 2_000_000_01, RDExpense: 150_000_00, TechStaff: 15, Postgraduates: 4,
				InventionPatentApplications: 6, PCTApplications: 0, TechContractTurnover: 0,
				HighTechProductRevenue: 1_500_000_00, RDTaxDeduction: 0, ReturnOnEquityPercent: 0.1,
				GraduatesHired: 7, InnovationPlatforms: 2, ScienceAwards: 0, EquityFinancing: 0,
				SciencePlanProjects: 1},
		},
		Subsidies: []catalog.Subsidy{
			{Program: "研发费用后补助", Amount: 300_000_00, Year: 2024},
			{Program: "高企认定奖励", Amount: 100_000_50, Year: 2023},
		},
		FinancingNeed: &catalog.FinancingNeed{Kind: catalog.Loan, Amount: 5_000_000_00, Purpose: "扩产"},
		CompetitionEntries: []catalog.CompetitionEntry{
			{Year: 2023, Group: catalog.StartupGroup, Track: catalog.NewMaterials, StageReached: catalog.ProvincialFinal, Award: catalog.Second},
			{Year: 2024, Group: catalog.GrowthGroup, Track: catalog.NewMaterials, StageReached: catalog.CitySemifinal, Award: catalog.NoAward},
		},
		HasWarrantLoan: true,
	}
}

// minimalEnterprise leaves every optional field unset.
func minimalEnterprise(n int) *catalog.Enterprise {
	return &catalog.Enterprise{
		Name:         fmt.Sprintf("最小企业 %d", n),
		CreditCode:   creditCode(n),
		City:         catalog.Zhengzhou,
		FoundedOn:    date(2019, 12, 31),
		Track:        catalog.OtherTrack,
		CreditStatus: catalog.CreditDishonest,
	}
}

func fullProduct(providerID int64) *catalog.FinancialProduct {
	return &catalog.FinancialProduct{
		Name: "积分贷", Kind: catalog.Loan, Program: catalog.ScoreLoan, ProviderID: providerID,
		Description: "凭豫科积分授信", MinAmount: ptr(catalog.Amount(100_000_00)), MaxAmount: 10_000_000_00,
		AnnualRatePercent: ptr(3.45), TermMonths: ptr(36), CollateralFree: true,
		Coverages: []catalog.Coverage{catalog.CoverRD, catalog.CoverPilotScale},
		Eligibility: catalog.Eligibility{
			MinInnovationScore: ptr(500), Tracks: []catalog.Track{catalog.NextGenIT},
			Cities: []catalog.City{catalog.Zhengzhou, catalog.Kaifeng}, Stages: []catalog.GrowthStage{catalog.Startup},
			Qualifications: []catalog.Qualification{catalog.HighTech}, MaxCompanyAgeYears: ptr(5),
			MaxEmployees: ptr(300), MaxRevenue: ptr(catalog.Amount(20_000_000_00)),
			RequiresCompetitionEntry: true, RequiresCompetitionAward: true, RequiresSubsidy: true,
			SubsidyMultiple: ptr(5.5),
		},
	}
}

func minimalProduct(providerID int64) *catalog.FinancialProduct {
	return &catalog.FinancialProduct{Name: "创投基金", Kind: catalog.Equity, Program: catalog.VentureFund,
		ProviderID: providerID, MaxAmount: 1}
}

func fullIncubator() *catalog.Incubator {
	return &catalog.Incubator{Name: "中原智慧岛", Kind: catalog.SmartIsland, Level: catalog.NationalLevel,
		City: catalog.Zhengzhou, FocusTracks: []catalog.Track{catalog.NextGenIT, catalog.Biomedicine}, Vacancies: 12,
		ServicePackage: &catalog.ServicePackage{FreeWorkstations: 4, RentFreeMonths: 6, Mentorship: true, PilotBaseAccess: true},
		Description:    "孵化载体"}
}

func minimalIncubator() *catalog.Incubator {
	return &catalog.Incubator{Name: "众创空间", Kind: catalog.Makerspace, Level: catalog.MunicipalLevel, City: catalog.Hebi}
}

func fullDemand() *catalog.SupplyChainDemand {
	return &catalog.SupplyChainDemand{Title: "采购碳化硅衬底", Description: "年需求 1 万片", Kind: catalog.PurchaseOrder,
		IndustryChain: "新材料", Track: catalog.NewMaterials, City: catalog.Xuchang, OwnerName: "链主企业",
		Keywords: []string{"碳化硅", "衬底"}, Budget: ptr(catalog.Amount(8_000_000_00)), Deadline: ptr(date(2026, 6, 30))}
}

func minimalDemand() *catalog.SupplyChainDemand {
	return &catalog.SupplyChainDemand{Title: "联合研发", Kind: catalog.JointRD, IndustryChain: "装备",
		Track: catalog.HighEndManufacturing, City: catalog.Jiyuan, OwnerName: "链主"}
}

func mustEqual[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

func outboxLen(t *testing.T, s *Store) int {
	t.Helper()
	n, _, err := s.LogLag(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestOpen(t *testing.T) {
	forEachBackend(t, func(t *testing.T, loc location) {
		ctx := context.Background()
		t.Run("creates the data directory and reports its backend", func(t *testing.T) {
			if loc.url == "" {
				loc := location{dir: filepath.Join(t.TempDir(), "a", "b")}
				open(t, loc)
				if _, err := os.Stat(filepath.Join(loc.dir, FileName)); err != nil {
					t.Fatalf("database file: %v", err)
				}
			}
			s := open(t, loc)
			want := SQLite
			if loc.url != "" {
				want = Postgres
			}
			if s.Backend() != want {
				t.Errorf("Backend() = %q, want %q", s.Backend(), want)
			}
			if err := s.Ping(ctx); err != nil {
				t.Errorf("Ping: %v", err)
			}
		})
		t.Run("opening twice applies each migration once and keeps the data", func(t *testing.T) {
			s := open(t, loc)
			e := minimalEnterprise(1)
			if err := s.CreateEnterprise(ctx, e); err != nil {
				t.Fatal(err)
			}
			s.Close()
			s2 := open(t, loc)
			ms, err := loadMigrations(s2.Backend())
			if err != nil {
				t.Fatal(err)
			}
			var n int
			if err := s2.db.QueryRow("SELECT COUNT(*) FROM schema_migrations").Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != len(ms) {
				t.Errorf("schema_migrations has %d rows, want %d", n, len(ms))
			}
			got, err := s2.Enterprise(ctx, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			mustEqual(t, "enterprise after reopening", got, e)
		})
		t.Run("is empty until something is written", func(t *testing.T) {
			s := open(t, freshLocation(t, loc))
			if empty, err := s.IsEmpty(ctx); err != nil || !empty {
				t.Fatalf("IsEmpty() = %v, %v; want true", empty, err)
			}
			if err := s.CreateInstitution(ctx, &catalog.Institution{Name: "银行", Kind: catalog.Bank, City: catalog.Anyang}); err != nil {
				t.Fatal(err)
			}
			if empty, err := s.IsEmpty(ctx); err != nil || empty {
				t.Fatalf("IsEmpty() = %v, %v; want false", empty, err)
			}
		})
	})
}

// freshLocation returns a new empty database on loc's backend.
func freshLocation(t *testing.T, loc location) location {
	if loc.url == "" {
		return location{dir: t.TempDir()}
	}
	return freshSchema(t, os.Getenv(databaseURLEnv))
}

func TestRoundTrip(t *testing.T) {
	forEachBackend(t, func(t *testing.T, loc location) {
		ctx := context.Background()
		s := open(t, loc)
		bank := &catalog.Institution{Name: "中原银行", Kind: catalog.Bank, City: catalog.Zhengzhou}
		if err := s.CreateInstitution(ctx, bank); err != nil {
			t.Fatal(err)
		}
		if bank.ID == 0 || bank.CreatedAt.IsZero() {
			t.Fatalf("CreateInstitution did not set ID and CreatedAt: %+v", bank)
		}
		enterprises := []*catalog.Enterprise{fullEnterprise(1), minimalEnterprise(2)}
		products := []*catalog.FinancialProduct{fullProduct(bank.ID), minimalProduct(bank.ID)}
		incubators := []*catalog.Incubator{fullIncubator(), minimalIncubator()}
		demands := []*catalog.SupplyChainDemand{fullDemand(), minimalDemand()}
		for _, e := range enterprises {
			if err := s.CreateEnterprise(ctx, e); err != nil {
				t.Fatal(err)
			}
			if e.ID == 0 || e.CreatedAt.IsZero() || !e.UpdatedAt.Equal(e.CreatedAt) {
				t.Fatalf("CreateEnterprise did not set ID and timestamps: %d %v %v", e.ID, e.CreatedAt, e.UpdatedAt)
			}
		}
		for _, p := range products {
			if err := s.CreateFinancialProduct(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		for _, in := range incubators {
			if err := s.CreateIncubator(ctx, in); err != nil {
				t.Fatal(err)
			}
		}
		for _, d := range demands {
			if err := s.CreateDemand(ctx, d); err != nil {
				t.Fatal(err)
			}
		}

		t.Run("every field of an enterprise reads back as written", func(t *testing.T) {
			for _, want := range enterprises {
				got, err := s.Enterprise(ctx, want.ID)
				if err != nil {
					t.Fatal(err)
				}
				mustEqual(t, "enterprise", got, want)
			}
		})
		t.Run("load returns every entity as written", func(t *testing.T) {
			got, err := s.Load(ctx)
			if err != nil {
				t.Fatal(err)
			}
			want := &catalog.Dataset{Institutions: []*catalog.Institution{bank}, Enterprises: enterprises,
				Products: products, Incubators: incubators, Demands: demands}
			mustEqual(t, "institutions", got.Institutions, want.Institutions)
			mustEqual(t, "enterprises", got.Enterprises, want.Enterprises)
			mustEqual(t, "products", got.Products, want.Products)
			mustEqual(t, "incubators", got.Incubators, want.Incubators)
			mustEqual(t, "demands", got.Demands, want.Demands)
		})
		t.Run("reports and competition entries are stored by year", func(t *testing.T) {
			e := fullEnterprise(3)
			e.Reports[0], e.Reports[1] = e.Reports[1], e.Reports[0]
			dup := e.CompetitionEntries[1]
			dup.Award = catalog.First
			e.CompetitionEntries = []catalog.CompetitionEntry{e.CompetitionEntries[1], e.CompetitionEntries[0], dup}
			if err := s.CreateEnterprise(ctx, e); err != nil {
				t.Fatal(err)
			}
			if e.Reports[0].Year != 2023 || len(e.CompetitionEntries) != 2 || e.CompetitionEntries[1] != dup {
				t.Errorf("CreateEnterprise left reports %v and entries %v", e.Reports, e.CompetitionEntries)
			}
			got, err := s.Enterprise(ctx, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			mustEqual(t, "enterprise", got, e)
		})
		t.Run("a time of day on a date is dropped", func(t *testing.T) {
			e := minimalEnterprise(4)
			e.FoundedOn = time.Date(2020, 5, 6, 23, 59, 0, 0, time.FixedZone("CST", 8*3600))
			if err := s.CreateEnterprise(ctx, e); err != nil {
				t.Fatal(err)
			}
			got, err := s.Enterprise(ctx, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			if want := date(2020, 5, 6); !reflect.DeepEqual(got.FoundedOn, want) {
				t.Errorf("FoundedOn = %v, want %v", got.FoundedOn, want)
			}
		})
	})
}

func TestUpdateEnterprise(t *testing.T) {
	forEachBackend(t, func(t *testing.T, loc location) {
		ctx := context.Background()
		s := open(t, loc)
		e := fullEnterprise(1)
		other := minimalEnterprise(2)
		for _, x := range []*catalog.Enterprise{e, other} {
			if err := s.CreateEnterprise(ctx, x); err != nil {
				t.Fatal(err)
			}
		}
		created := e.CreatedAt

		t.Run("replaces the row and all its children", func(t *testing.T) {
			u := minimalEnterprise(1)
			u.ID = e.ID
			u.Name = "改名后的企业"
			u.Reports = []catalog.AnnualReport{{Year: 2025, Revenue: 42}}
			u.Subsidies = []catalog.Subsidy{{Program: "新补助", Amount: 1, Year: 2025}}
			time.Sleep(2 * time.Millisecond)
			if err := s.UpdateEnterprise(ctx, u); err != nil {
				t.Fatal(err)
			}
			if !u.CreatedAt.Equal(created) || !u.UpdatedAt.After(created) {
				t.Errorf("timestamps after update: created %v updated %v, want created %v and later update", u.CreatedAt, u.UpdatedAt, created)
			}
			got, err := s.Enterprise(ctx, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			mustEqual(t, "updated enterprise", got, u)
			untouched, err := s.Enterprise(ctx, other.ID)
			if err != nil {
				t.Fatal(err)
			}
			mustEqual(t, "other enterprise", untouched, other)
		})
		t.Run("an unknown id is not found and writes nothing", func(t *testing.T) {
			before := outboxLen(t, s)
			u := minimalEnterprise(9)
			u.ID = 999_999
			if err := s.UpdateEnterprise(ctx, u); !errors.Is(err, ErrNotFound) {
				t.Fatalf("UpdateEnterprise(unknown) = %v, want ErrNotFound", err)
			}
			if n := outboxLen(t, s); n != before {
				t.Errorf("outbox grew from %d to %d", before, n)
			}
		})
		t.Run("another enterprise's credit code is a duplicate and changes nothing", func(t *testing.T) {
			want, err := s.Enterprise(ctx, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			before := outboxLen(t, s)
			u := fullEnterprise(1)
			u.ID, u.CreditCode = e.ID, other.CreditCode
			if err := s.UpdateEnterprise(ctx, u); !errors.Is(err, ErrDuplicateCreditCode) {
				t.Fatalf("UpdateEnterprise(taken code) = %v, want ErrDuplicateCreditCode", err)
			}
			got, err := s.Enterprise(ctx, e.ID)
			if err != nil {
				t.Fatal(err)
			}
			mustEqual(t, "enterprise after failed update", got, want)
			if n := outboxLen(t, s); n != before {
				t.Errorf("outbox grew from %d to %d", before, n)
			}
		})
	})
}

func TestAddCompetitionEntry(t *testing.T) {
	forEachBackend(t, func(t *testing.T, loc location) {
		ctx := context.Background()
		s := open(t, loc)
		e := fullEnterprise(1) // entries for 2023 and 2024
		if err := s.CreateEnterprise(ctx, e); err != nil {
			t.Fatal(err)
		}
		entry := func(year int, award catalog.Award) catalog.CompetitionEntry {
			return catalog.CompetitionEntry{Year: year, Group: catalog.GrowthGroup, Track: catalog.NextGenIT,
				StageReached: catalog.National, Award: award}
		}
		tests := []struct {
			name  string
			entry catalog.CompetitionEntry
			want  []catalog.CompetitionEntry
		}{
			{"an entry for a new year is added in year order", entry(2022, catalog.Third),
				[]catalog.CompetitionEntry{entry(2022, catalog.Third), e.CompetitionEntries[0], e.CompetitionEntries[1]}},
			{"an entry for a year already entered replaces that year's", entry(2024, catalog.First),
				[]catalog.CompetitionEntry{entry(2022, catalog.Third), e.CompetitionEntries[0], entry(2024, catalog.First)}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := outboxLen(t, s)
				got, err := s.AddCompetitionEntry(ctx, e.ID, tt.entry)
				if err != nil {
					t.Fatal(err)
				}
				mustEqual(t, "entries", got.CompetitionEntries, tt.want)
				if !got.UpdatedAt.After(got.CreatedAt) {
					t.Errorf("UpdatedAt %v not after CreatedAt %v", got.UpdatedAt, got.CreatedAt)
				}
				stored, err := s.Enterprise(ctx, e.ID)
				if err != nil {
					t.Fatal(err)
				}
				mustEqual(t, "stored enterprise", stored, got)
				if n := outboxLen(t, s); n != before+1 {
					t.Errorf("outbox has %d events, want %d", n, before+1)
				}
			})
		}
		t.Run("an unknown enterprise is not found", func(t *testing.T) {
			before := outboxLen(t, s)
			if _, err := s.AddCompetitionEntry(ctx, 999_999, entry(2024, catalog.NoAward)); !errors.Is(err, ErrNotFound) {
				t.Fatalf("AddCompetitionEntry(unknown) = %v, want ErrNotFound", err)
			}
			if n := outboxLen(t, s); n != before {
				t.Errorf("outbox grew from %d to %d", before, n)
			}
		})
	})
}

func TestFailedWritesWriteNothing(t *testing.T) {
	forEachBackend(t, func(t *testing.T, loc location) {
		ctx := context.Background()
		s := open(t, loc)
		first := fullEnterprise(1)
		if err := s.CreateEnterprise(ctx, first); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name  string
			write func() error
			want  error
		}{
			{"a second enterprise with the same credit code", func() error {
				e := fullEnterprise(2)
				e.CreditCode = first.CreditCode
				err := s.CreateEnterprise(ctx, e)
				if e.ID != 0 || !e.CreatedAt.IsZero() {
					t.Errorf("failed create set ID %d, CreatedAt %v", e.ID, e.CreatedAt)
				}
				return err
			}, ErrDuplicateCreditCode},
			{"a product whose provider is not an institution", func() error {
				return s.CreateFinancialProduct(ctx, fullProduct(999_999))
			}, ErrProviderNotFound},
			{"a product with no provider", func() error {
				return s.CreateFinancialProduct(ctx, minimalProduct(0))
			}, ErrProviderNotFound},
			{"an unknown enterprise", func() error {
				_, err := s.Enterprise(ctx, 999_999)
				return err
			}, ErrNotFound},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before, err := s.Load(ctx)
				if err != nil {
					t.Fatal(err)
				}
				outbox := outboxLen(t, s)
				if err := tt.write(); !errors.Is(err, tt.want) {
					t.Fatalf("got error %v, want %v", err, tt.want)
				}
				after, err := s.Load(ctx)
				if err != nil {
					t.Fatal(err)
				}
				mustEqual(t, "dataset", after, before)
				if n := outboxLen(t, s); n != outbox {
					t.Errorf("outbox grew from %d to %d", outbox, n)
				}
			})
		}
		t.Run("an entity whose outbox row cannot be written is not written either", func(t *testing.T) {
			if _, err := s.db.Exec("ALTER TABLE outbox RENAME TO outbox_away"); err != nil {
				t.Fatal(err)
			}
			err := s.CreateEnterprise(ctx, fullEnterprise(3))
			if _, err := s.db.Exec("ALTER TABLE outbox_away RENAME TO outbox"); err != nil {
				t.Fatal(err)
			}
			if err == nil {
				t.Fatal("CreateEnterprise succeeded without an outbox table")
			}
			d, err := s.Load(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Enterprises) != 1 {
				t.Errorf("%d enterprises stored, want 1", len(d.Enterprises))
			}
		})
	})
}

func TestChangeLog(t *testing.T) {
	forEachBackend(t, func(t *testing.T, loc location) {
		ctx := context.Background()
		s := open(t, loc)
		if n, oldest, err := s.LogLag(ctx, 0); err != nil || n != 0 || !oldest.IsZero() {
			t.Fatalf("LogLag(0) on an empty log = %d, %v, %v", n, oldest, err)
		}
		var heard []int64
		s.OnCommit(func(seq int64) { heard = append(heard, seq) })
		bank := &catalog.Institution{Name: "银行", Kind: catalog.Bank, City: catalog.Zhengzhou}
		e := fullEnterprise(1)
		p := fullProduct(0)
		in, d := fullIncubator(), fullDemand()
		writes := []struct {
			entity string
			write  func() (int64, error)
		}{
			{EntityInstitution, func() (int64, error) { return bank.ID, s.CreateInstitution(ctx, bank) }},
			{EntityEnterprise, func() (int64, error) { return e.ID, s.CreateEnterprise(ctx, e) }},
			{EntityProduct, func() (int64, error) { p.ProviderID = bank.ID; return p.ID, s.CreateFinancialProduct(ctx, p) }},
			{EntityIncubator, func() (int64, error) { return in.ID, s.CreateIncubator(ctx, in) }},
			{EntityDemand, func() (int64, error) { return d.ID, s.CreateDemand(ctx, d) }},
			{EntityEnterprise, func() (int64, error) { return e.ID, s.UpdateEnterprise(ctx, e) }},
			{EntityEnterprise, func() (int64, error) {
				_, err := s.AddCompetitionEntry(ctx, e.ID, e.CompetitionEntries[0])
				return e.ID, err
			}},
		}
		var want []OutboxEvent
		for _, w := range writes {
			if _, err := w.write(); err != nil {
				t.Fatalf("%s write: %v", w.entity, err)
			}
		}
		// A refused write appends nothing.
		if err := s.CreateFinancialProduct(ctx, fullProduct(999_999)); err == nil {
			t.Fatal("a product of no institution was stored")
		}
		// IDs are read after the writes, which set them.
		ids := []int64{bank.ID, e.ID, p.ID, in.ID, d.ID, e.ID, e.ID}
		for i, w := range writes {
			want = append(want, OutboxEvent{Entity: w.entity, EntityID: ids[i]})
		}

		t.Run("each write appends one entry, in commit order, and the commit hook hears it", func(t *testing.T) {
			got, err := s.ChangesAfter(ctx, 0, 100)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(want) {
				t.Fatalf("%d entries, want %d: %+v", len(got), len(want), got)
			}
			for i := range got {
				if got[i].Entity != want[i].Entity || got[i].EntityID != want[i].EntityID {
					t.Errorf("entry %d = %s %d, want %s %d", i, got[i].Entity, got[i].EntityID, want[i].Entity, want[i].EntityID)
				}
				if i > 0 && (got[i].ID <= got[i-1].ID || got[i].CreatedAt.Before(got[i-1].CreatedAt)) {
					t.Errorf("entry %d (%d at %v) is not after entry %d (%d at %v)", i, got[i].ID, got[i].CreatedAt, i-1, got[i-1].ID, got[i-1].CreatedAt)
				}
				if i < len(heard) && heard[i] != got[i].ID {
					t.Errorf("the commit hook heard %d for entry %d, want %d", heard[i], i, got[i].ID)
				}
			}
			if len(heard) != len(got) {
				t.Errorf("the commit hook heard %d positions, want %d", len(heard), len(got))
			}
			if !got[0].CreatedAt.Equal(bank.CreatedAt) {
				t.Errorf("entry time %v, want the institution's %v", got[0].CreatedAt, bank.CreatedAt)
			}
			head, err := s.LogHead(ctx)
			if err != nil || head != got[len(got)-1].ID {
				t.Errorf("LogHead() = %d, %v; want %d", head, err, got[len(got)-1].ID)
			}
		})
		t.Run("reading after a position returns what follows it, up to the limit", func(t *testing.T) {
			all, _ := s.ChangesAfter(ctx, 0, 0)
			got, err := s.ChangesAfter(ctx, all[2].ID, 2)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 2 || got[0].ID != all[3].ID || got[1].ID != all[4].ID {
				t.Errorf("ChangesAfter(%d, 2) = %+v", all[2].ID, got)
			}
			n, oldest, err := s.LogLag(ctx, all[2].ID)
			if err != nil || n != len(all)-3 || !oldest.Equal(all[3].CreatedAt) {
				t.Errorf("LogLag(%d) = %d, %v, %v; want %d, %v", all[2].ID, n, oldest, err, len(all)-3, all[3].CreatedAt)
			}
		})
		t.Run("pruning keeps the latest entry and moves the horizon", func(t *testing.T) {
			all, _ := s.ChangesAfter(ctx, 0, 0)
			head, _ := s.LogHead(ctx)
			n, err := s.PruneLog(ctx, time.Now().Add(time.Hour))
			if err != nil || n != len(all)-1 {
				t.Fatalf("PruneLog() = %d, %v; want %d", n, err, len(all)-1)
			}
			rest, _ := s.ChangesAfter(ctx, 0, 0)
			if len(rest) != 1 || rest[0].ID != head {
				t.Errorf("after pruning the log holds %+v, want only %d", rest, head)
			}
			if h, err := s.LogHorizon(ctx); err != nil || h != all[len(all)-2].ID {
				t.Errorf("LogHorizon() = %d, %v; want %d", h, err, all[len(all)-2].ID)
			}
			if h2, err := s.LogHead(ctx); err != nil || h2 != head {
				t.Errorf("LogHead() after pruning = %d, %v; want %d", h2, err, head)
			}
		})
		t.Run("a checkpoint keeps what its function returns", func(t *testing.T) {
			for _, step := range []int64{5, 9} {
				err := s.Checkpoint(ctx, "test", func(pos int64) (int64, error) { return pos + step, nil })
				if err != nil {
					t.Fatal(err)
				}
			}
			if pos, err := s.Position(ctx, "test"); err != nil || pos != 14 {
				t.Errorf("Position() = %d, %v; want 14", pos, err)
			}
			failed := errors.New("indexing failed")
			if err := s.Checkpoint(ctx, "test", func(pos int64) (int64, error) { return pos + 1, failed }); !errors.Is(err, failed) {
				t.Errorf("Checkpoint() = %v, want the function's error", err)
			}
			if pos, _ := s.Position(ctx, "test"); pos != 14 {
				t.Errorf("a failed step moved the checkpoint to %d", pos)
			}
		})
		if s.Backend() == Postgres {
			t.Run("a checkpoint held by one process is refused to another at once", func(t *testing.T) {
				other := open(t, loc)
				err := s.Checkpoint(ctx, "shared", func(pos int64) (int64, error) {
					inner := other.Checkpoint(ctx, "shared", func(pos int64) (int64, error) { return pos + 100, nil })
					if !errors.Is(inner, ErrCheckpointHeld) {
						t.Errorf("the second process got %v, want ErrCheckpointHeld", inner)
					}
					return pos + 1, nil
				})
				if err != nil {
					t.Fatal(err)
				}
				if pos, _ := other.Position(ctx, "shared"); pos != 1 {
					t.Errorf("Position() = %d, want 1", pos)
				}
			})
		}
	})
}

// A follower reading the log while many writers commit concurrently never
// sees a position after one it has not seen and will see later: positions
// commit in order.
func TestChangeLogPositionsCommitInOrder(t *testing.T) {
	forEachBackend(t, func(t *testing.T, loc location) {
		ctx := context.Background()
		s := open(t, loc)
		const writers, each = 6, 25
		var wg sync.WaitGroup
		for w := range writers {
			wg.Go(func() {
				for i := range each {
					if err := s.CreateEnterprise(ctx, fullEnterprise(w*each+i+1)); err != nil {
						t.Error(err)
						return
					}
				}
			})
		}
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		seen := map[int64]bool{}
		var pos int64
		for finished := false; !finished; {
			select {
			case <-done:
				finished = true
			default:
			}
			evs, err := s.ChangesAfter(ctx, pos, 7)
			if err != nil {
				t.Fatal(err)
			}
			for _, ev := range evs {
				seen[ev.ID] = true
				pos = ev.ID
			}
		}
		for {
			evs, err := s.ChangesAfter(ctx, pos, 100)
			if err != nil {
				t.Fatal(err)
			}
			if len(evs) == 0 {
				break
			}
			for _, ev := range evs {
				seen[ev.ID] = true
				pos = ev.ID
			}
		}
		all, err := s.ChangesAfter(ctx, 0, writers*each+10)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != writers*each {
			t.Fatalf("the log holds %d entries, want %d", len(all), writers*each)
		}
		for _, ev := range all {
			if !seen[ev.ID] {
				t.Errorf("the follower skipped position %d", ev.ID)
			}
		}
	})
}

// dataset makes a deterministic dataset of n enterprises and resources in
// proportion, ProviderIDs being 1-based institution indexes.
func dataset(n int) *catalog.Dataset {
	d := &catalog.Dataset{}
	scale := func(k int) int { return max(1, min(k, n/10)) }
	for i := range scale(60) {
		d.Institutions = append(d.Institutions, &catalog.Institution{Name: fmt.Sprintf("机构 %d", i),
			Kind: catalog.Bank, City: catalog.Cities[i%len(catalog.Cities)]})
	}
	for i := range n {
		e := fullEnterprise(i + 1)
		e.Name = fmt.Sprintf("企业 %d", i)
		switch i % 4 {
		case 1:
			e.FinancingNeed, e.IndustryChain, e.CompetitionEntries = nil, nil, nil
		case 2:
			e.Subsidies, e.Keywords = nil, []string{}
		case 3:
			e.Reports = e.Reports[1:]
		}
		d.Enterprises = append(d.Enterprises, e)
	}
	for i := range scale(200) {
		p := fullProduct(int64(len(d.Institutions) - i%len(d.Institutions)))
		if i%2 == 1 {
			p = minimalProduct(int64(1 + i%len(d.Institutions)))
		}
		d.Products = append(d.Products, p)
	}
	for i := range scale(100) {
		in := fullIncubator()
		if i%2 == 1 {
			in = minimalIncubator()
		}
		d.Incubators = append(d.Incubators, in)
	}
	for i := range scale(300) {
		dm := fullDemand()
		if i%2 == 1 {
			dm = minimalDemand()
		}
		d.Demands = append(d.Demands, dm)
	}
	return d
}

func TestBulkInsert(t *testing.T) {
	forEachBackend(t, func(t *testing.T, loc location) {
		ctx := context.Background()
		t.Run("assigns ids in order, fixes providers and loads back as written", func(t *testing.T) {
			s := open(t, freshLocation(t, loc))
			d := dataset(50)
			index := make([]int64, len(d.Products))
			for i, p := range d.Products {
				index[i] = p.ProviderID
			}
			if err := s.BulkInsert(ctx, d); err != nil {
				t.Fatal(err)
			}
			for i, e := range d.Enterprises {
				if e.ID != int64(i+1) {
					t.Fatalf("enterprise %d has ID %d on an empty store, want %d", i, e.ID, i+1)
				}
			}
			for i, p := range d.Products {
				if want := d.Institutions[index[i]-1].ID; p.ProviderID != want {
					t.Errorf("product %d: ProviderID %d, want %d", i, p.ProviderID, want)
				}
			}
			got, err := s.Load(ctx)
			if err != nil {
				t.Fatal(err)
			}
			mustEqual(t, "institutions", got.Institutions, d.Institutions)
			mustEqual(t, "enterprises", got.Enterprises, d.Enterprises)
			mustEqual(t, "products", got.Products, d.Products)
			mustEqual(t, "incubators", got.Incubators, d.Incubators)
			mustEqual(t, "demands", got.Demands, d.Demands)
			if n := outboxLen(t, s); n != 0 {
				t.Errorf("bulk insert left %d outbox events, want none", n)
			}

			more := dataset(3)
			for i, e := range more.Enterprises {
				e.CreditCode = creditCode(1000 + i)
			}
			if err := s.BulkInsert(ctx, more); err != nil {
				t.Fatal(err)
			}
			if more.Enterprises[0].ID != 51 || more.Institutions[0].ID != d.Institutions[len(d.Institutions)-1].ID+1 {
				t.Errorf("second bulk insert starts at enterprise %d, institution %d", more.Enterprises[0].ID, more.Institutions[0].ID)
			}
			e := minimalEnterprise(2000)
			if err := s.CreateEnterprise(ctx, e); err != nil {
				t.Fatal(err)
			}
			if e.ID != 54 {
				t.Errorf("enterprise created after bulk inserts has ID %d, want 54", e.ID)
			}
		})
		t.Run("a provider index out of range fails and writes nothing", func(t *testing.T) {
			s := open(t, freshLocation(t, loc))
			d := dataset(20)
			d.Products[len(d.Products)-1].ProviderID = int64(len(d.Institutions) + 1)
			if err := s.BulkInsert(ctx, d); !errors.Is(err, ErrProviderNotFound) {
				t.Fatalf("BulkInsert = %v, want ErrProviderNotFound", err)
			}
			if d.Enterprises[0].ID != 0 {
				t.Errorf("failed bulk insert set ID %d", d.Enterprises[0].ID)
			}
			if empty, err := s.IsEmpty(ctx); err != nil || !empty {
				t.Errorf("IsEmpty() = %v, %v after a failed bulk insert", empty, err)
			}
		})
		t.Run("a duplicate credit code fails and writes nothing", func(t *testing.T) {
			s := open(t, freshLocation(t, loc))
			d := dataset(20)
			d.Enterprises[19].CreditCode = d.Enterprises[3].CreditCode
			if err := s.BulkInsert(ctx, d); !errors.Is(err, ErrDuplicateCreditCode) {
				t.Fatalf("BulkInsert = %v, want ErrDuplicateCreditCode", err)
			}
			if empty, err := s.IsEmpty(ctx); err != nil || !empty {
				t.Errorf("IsEmpty() = %v, %v after a failed bulk insert", empty, err)
			}
		})
		t.Run("two thousand enterprises load whole", func(t *testing.T) {
			// How fast is BenchmarkBulkInsert's question (BENCHMARKS.md).
			s := open(t, freshLocation(t, loc))
			d := dataset(2000)
			if err := s.BulkInsert(ctx, d); err != nil {
				t.Fatal(err)
			}
			got, err := s.Load(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Enterprises) != len(d.Enterprises) || len(got.Products) != len(d.Products) || len(got.Demands) != len(d.Demands) {
				t.Errorf("loaded %d enterprises, %d products, %d demands; want %d, %d, %d", len(got.Enterprises), len(got.Products),
					len(got.Demands), len(d.Enterprises), len(d.Products), len(d.Demands))
			}
		})
	})
}

func TestQueries(t *testing.T) {
	forEachBackend(t, func(t *testing.T, loc location) {
		ctx := context.Background()
		s := open(t, loc)
		count := func(f func() error) int64 {
			t.Helper()
			before := s.Queries()
			if err := f(); err != nil {
				t.Fatal(err)
			}
			return s.Queries() - before
		}
		load := func() error { _, err := s.Load(ctx); return err }

		small := count(load)
		if err := s.BulkInsert(ctx, dataset(300)); err != nil {
			t.Fatal(err)
		}
		large := count(load)
		t.Run("load runs one query per table whatever the data", func(t *testing.T) {
			if small != 8 || large != 8 {
				t.Errorf("Load ran %d queries on an empty store and %d on 300 enterprises, want 8", small, large)
			}
		})
		t.Run("reading an enterprise runs four queries", func(t *testing.T) {
			if n := count(func() error { _, err := s.Enterprise(ctx, 1); return err }); n != 4 {
				t.Errorf("Enterprise ran %d queries, want 4", n)
			}
		})
		t.Run("creating an enterprise runs a constant number of queries", func(t *testing.T) {
			e := fullEnterprise(5000)
			// Insert, three children inserts, the log entry; on PostgreSQL
			// also the lock that orders the log.
			want := int64(5)
			if s.Backend() == Postgres {
				want = 6
			}
			if n := count(func() error { return s.CreateEnterprise(ctx, e) }); n != want {
				t.Errorf("CreateEnterprise ran %d queries, want %d", n, want)
			}
		})
	})
}

func TestConcurrentWrites(t *testing.T) {
	forEachBackend(t, func(t *testing.T, loc location) {
		ctx := context.Background()
		s := open(t, loc)
		const writers, each = 8, 25
		var wg sync.WaitGroup
		errs := make(chan error, writers*each)
		for w := range writers {
			wg.Go(func() {
				for i := range each {
					e := fullEnterprise(w*each + i + 1)
					if err := s.CreateEnterprise(ctx, e); err != nil {
						errs <- err
						continue
					}
					if _, err := s.AddCompetitionEntry(ctx, e.ID, e.CompetitionEntries[0]); err != nil {
						errs <- err
					}
					if _, err := s.ChangesAfter(ctx, 0, 10); err != nil {
						errs <- err
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		d, err := s.Load(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Enterprises) != writers*each {
			t.Errorf("%d enterprises stored, want %d", len(d.Enterprises), writers*each)
		}
		if n := outboxLen(t, s); n != 2*writers*each {
			t.Errorf("%d outbox events, want %d", n, 2*writers*each)
		}
	})
}

func benchmarkBulkInsert(b *testing.B, n int) {
	run := func(b *testing.B, fresh func(b *testing.B) location) {
		ctx := context.Background()
		for b.Loop() {
			b.StopTimer()
			s := open(b, fresh(b))
			d := dataset(n)
			b.StartTimer()
			if err := s.BulkInsert(ctx, d); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run(SQLite, func(b *testing.B) { run(b, func(b *testing.B) location { return location{dir: b.TempDir()} }) })
	if base := os.Getenv(databaseURLEnv); base != "" {
		b.Run(Postgres, func(b *testing.B) { run(b, func(b *testing.B) location { return freshSchema(b, base) }) })
	}
}

func BenchmarkBulkInsert2000(b *testing.B)  { benchmarkBulkInsert(b, 2000) }
func BenchmarkBulkInsert60000(b *testing.B) { benchmarkBulkInsert(b, 60000) }

func TestLeases(t *testing.T) {
	forEachBackend(t, func(t *testing.T, loc location) {
		ctx := context.Background()
		a := open(t, loc)
		if ok, err := a.TryLease(ctx, "indexer"); err != nil || !ok {
			t.Fatalf("a free lease: TryLease() = %v, %v", ok, err)
		}
		if ok, err := a.TryLease(ctx, "indexer"); err != nil || !ok {
			t.Fatalf("a lease held already: TryLease() = %v, %v", ok, err)
		}
		if a.Backend() != Postgres {
			return // one process owns a SQLite file, and every lease
		}
		b := open(t, loc)
		if ok, err := b.TryLease(ctx, "indexer"); err != nil || ok {
			t.Fatalf("a lease another process holds: TryLease() = %v, %v", ok, err)
		}
		if ok, err := b.TryLease(ctx, "another"); err != nil || !ok {
			t.Fatalf("another free lease: TryLease() = %v, %v", ok, err)
		}
		if err := a.Close(); err != nil {
			t.Fatal(err)
		}
		if ok, err := b.TryLease(ctx, "indexer"); err != nil || !ok {
			t.Fatalf("a lease its holder gave up: TryLease() = %v, %v", ok, err)
		}
	})
}
