package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/demo"
	"github.com/yurong/yurong/sheets"
)

// writeRows writes a sheet of the layout cols holding rows, as a person
// filling the template would.
func writeRows[T any](t *testing.T, f *excelize.File, sheet string, cols []sheets.Column[T], rows []T) {
	t.Helper()
	if _, err := f.NewSheet(sheet); err != nil {
		t.Fatal(err)
	}
	for i, c := range cols {
		cell, _ := excelize.CoordinatesToCellName(i+1, 1)
		f.SetCellStr(sheet, cell, c.Header)
		for r := range rows {
			cell, _ := excelize.CoordinatesToCellName(i+1, r+2)
			f.SetCellStr(sheet, cell, c.Get(&rows[r]))
		}
	}
}

func ptrTo[T any](v T) *T { return &v }

// resourceWorkbook is a workbook of the three sheets: good rows and rows
// with one bad cell each (see TestImportProductsIncubatorsAndDemands).
func resourceWorkbook(t *testing.T) (*excelize.File, []badCell) {
	t.Helper()
	f := excelize.NewFile()
	product := func(institution, name string) sheets.ProductRow {
		return sheets.ProductRow{Institution: institution, Product: catalog.FinancialProduct{Name: name, Kind: catalog.Loan,
			Program: catalog.TechLoan, MaxAmount: 5_000_000_00}}
	}
	loan := product("中原银行", "科技贷")
	loan.Product.Description, loan.Product.MinAmount = "凭豫科积分授信", ptrTo(catalog.Amount(100_000_00))
	loan.Product.AnnualRatePercent, loan.Product.TermMonths, loan.Product.CollateralFree = ptrTo(3.45), ptrTo(36), true
	loan.Product.Eligibility = catalog.Eligibility{MinInnovationScore: ptrTo(500), Cities: []catalog.City{catalog.Luoyang, catalog.Kaifeng},
		Stages: []catalog.GrowthStage{catalog.Startup}, RequiresSubsidy: true, SubsidyMultiple: ptrTo(5.0)}
	insurance := product("中原银行", "豫科保")
	insurance.Product.Kind, insurance.Product.Program = catalog.Insurance, catalog.Yukebao
	insurance.Product.Coverages = []catalog.Coverage{catalog.CoverRD, catalog.CoverPilotScale}
	writeRows(t, f, sheets.ProductSheet, sheets.ProductColumns, []sheets.ProductRow{
		loan, insurance, product("不存在的银行", "科技贷"), product("中原银行", "信用卡"), product("中原银行", "负额度贷"),
	})

	island := catalog.Incubator{Name: "中原智慧岛", Kind: catalog.SmartIsland, Level: catalog.NationalLevel, City: catalog.Zhengzhou,
		FocusTracks: []catalog.Track{catalog.NextGenIT, catalog.Biomedicine}, Vacancies: 12, Description: "郑东新区",
		ServicePackage: &catalog.ServicePackage{FreeWorkstations: 4, RentFreeMonths: 6, Mentorship: true}}
	space := catalog.Incubator{Name: "洛阳众创空间", Kind: catalog.Makerspace, Level: catalog.MunicipalLevel, City: catalog.Luoyang, Vacancies: 3}
	writeRows(t, f, sheets.IncubatorSheet, sheets.IncubatorColumns, []catalog.Incubator{
		island, {Name: "县级孵化器", Kind: catalog.IncubatorCarrier, Level: catalog.MunicipalLevel, City: catalog.Hebi},
		{Name: "无类型载体", Level: catalog.ProvincialLevel, City: catalog.Anyang, Vacancies: 1}, space,
	})

	demand := func(title string) catalog.SupplyChainDemand {
		return catalog.SupplyChainDemand{Title: title, Description: "年需 1 万片", Kind: catalog.PurchaseOrder, IndustryChain: "新材料",
			Track: catalog.NewMaterials, City: catalog.Xuchang, OwnerName: "许昌链主集团"}
	}
	wafers := demand("采购碳化硅衬底")
	wafers.Keywords, wafers.Budget = []string{"碳化硅", "衬底"}, ptrTo(catalog.Amount(8_000_000_00))
	wafers.Deadline = ptrTo(time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC))
	joint := demand("联合研发线锯")
	joint.Kind = catalog.JointRD
	writeRows(t, f, sheets.DemandSheet, sheets.DemandColumns, []catalog.SupplyChainDemand{
		wafers, demand("截止日期有误"), demand("预算为负"), demand("没有描述"), joint,
	})
	if err := f.DeleteSheet("Sheet1"); err != nil {
		t.Fatal(err)
	}

	ph, ih, dh := headersOf(sheets.ProductColumns), headersOf(sheets.IncubatorColumns), headersOf(sheets.DemandColumns)
	set := func(sheet string, headers []string, header string, row int, v string) {
		if err := f.SetCellStr(sheet, cellAt(t, headers, header, row), v); err != nil {
			t.Fatal(err)
		}
	}
	set(sheets.ProductSheet, ph, "产品类型", 5, "信用卡")
	set(sheets.ProductSheet, ph, "最高额度（元）", 6, "-100")
	set(sheets.IncubatorSheet, ih, "级别", 3, "县级")
	set(sheets.IncubatorSheet, ih, "载体类型", 4, "")
	set(sheets.DemandSheet, dh, "截止日期", 3, "2026-02-30")
	set(sheets.DemandSheet, dh, "预算（元）", 4, "-5")
	set(sheets.DemandSheet, dh, "需求描述", 5, "")
	return f, []badCell{
		{sheets.ProductSheet, "机构名称", 4, catalog.CodeNotFound},
		{sheets.ProductSheet, "产品类型", 5, catalog.CodeInvalid},
		{sheets.ProductSheet, "最高额度（元）", 6, catalog.CodeNegative},
		{sheets.IncubatorSheet, "级别", 3, catalog.CodeInvalid},
		{sheets.IncubatorSheet, "载体类型", 4, catalog.CodeRequired},
		{sheets.DemandSheet, "截止日期", 3, catalog.CodeInvalid},
		{sheets.DemandSheet, "预算（元）", 4, catalog.CodeNegative},
		{sheets.DemandSheet, "需求描述", 5, catalog.CodeRequired},
	}
}

func workbookBytes(t *testing.T, f *excelize.File) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func problemKeys(ps []sheets.Problem) []string {
	var out []string
	for _, p := range ps {
		out = append(out, fmt.Sprint(p.Sheet, "/", p.Row, "/", p.Column, "/", p.Code))
	}
	slices.Sort(out)
	return out
}

func TestImportProductsIncubatorsAndDemands(t *testing.T) {
	srv, a := testServer(t, 0)
	ctx := context.Background()
	if _, _, err := a.market.CreateInstitution(ctx, &catalog.Institution{Name: "中原银行", Kind: catalog.Bank, City: catalog.Zhengzhou}); err != nil {
		t.Fatal(err)
	}
	f, want := resourceWorkbook(t)
	file := workbookBytes(t, f)

	rep, status := postImport(t, srv, testToken, "resources.xlsx", file, "")
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	wantKeys := make([]string, len(want))
	for i, w := range want {
		wantKeys[i] = fmt.Sprint(w.sheet, "/", w.row, "/", w.column, "/", w.code)
	}
	slices.Sort(wantKeys)
	if got := problemKeys(rep.Problems); !slices.Equal(got, wantKeys) {
		t.Fatalf("problems:\n got %v\nwant %v", got, wantKeys)
	}
	for _, p := range rep.Problems {
		if p.Message == "" || (p.Code != catalog.CodeRequired && p.Value == "") || len(p.Field) == 0 {
			t.Errorf("problem without its message, value or field: %+v", p)
		}
	}
	if p := rep.Problems[slices.IndexFunc(rep.Problems, func(p sheets.Problem) bool { return p.Code == catalog.CodeNotFound })]; p.Value != "不存在的银行" || p.Message != "金融机构不存在" || !slices.Equal(p.Field, []string{"providerId"}) {
		t.Errorf("the unknown institution: %+v, want the API's NOT_FOUND at providerId", p)
	}
	wantCounts := map[string]sheets.Counts{
		"products": {Created: 2, Refused: 3}, "incubators": {Created: 2, Refused: 2}, "demands": {Created: 2, Refused: 3},
	}
	if got := map[string]sheets.Counts{"products": rep.Products, "incubators": rep.Incubators, "demands": rep.Demands}; fmt.Sprint(got) != fmt.Sprint(wantCounts) {
		t.Fatalf("counts %v, want %v", got, wantCounts)
	}
	if rep.Rows[sheets.ProductSheet] != 5 || rep.Rows[sheets.IncubatorSheet] != 4 || rep.Rows[sheets.DemandSheet] != 5 || rep.Created+rep.Refused != 0 {
		t.Fatalf("rows %v, enterprises %d created %d refused", rep.Rows, rep.Created, rep.Refused)
	}

	// The good rows, read back through the API.
	type page[T any] struct {
		TotalCount int
		Edges      []struct{ Node T }
	}
	var products page[struct {
		Name, Kind, Program, Description, MaxAmount string
		MinAmount                                   *string
		AnnualRatePercent                           *float64
		TermMonths                                  *int
		CollateralFree                              bool
		Coverages                                   []string
		Provider                                    struct{ Name string }
		Eligibility                                 struct {
			MinInnovationScore *int
			Cities, Stages     []string
			RequiresSubsidy    bool
			SubsidyMultiple    *float64
		}
	}]
	post(t, srv, testToken, `{ financialProducts(first: 10) { totalCount edges { node { name kind program description maxAmount minAmount
		annualRatePercent termMonths collateralFree coverages provider { name }
		eligibility { minInnovationScore cities stages requiresSubsidy subsidyMultiple } } } } }`, nil).decode(t, "financialProducts", &products)
	if products.TotalCount != 2 {
		t.Fatalf("%d products, want 2", products.TotalCount)
	}
	loan, ins := products.Edges[0].Node, products.Edges[1].Node
	if loan.Name != "科技贷" || loan.Kind != "LOAN" || loan.Program != "TECH_LOAN" || loan.Provider.Name != "中原银行" ||
		loan.MaxAmount != "5000000.00" || *loan.MinAmount != "100000.00" || *loan.AnnualRatePercent != 3.45 || *loan.TermMonths != 36 ||
		!loan.CollateralFree || loan.Description != "凭豫科积分授信" || *loan.Eligibility.MinInnovationScore != 500 ||
		!slices.Equal(loan.Eligibility.Cities, []string{"LUOYANG", "KAIFENG"}) || !slices.Equal(loan.Eligibility.Stages, []string{"STARTUP"}) ||
		!loan.Eligibility.RequiresSubsidy || *loan.Eligibility.SubsidyMultiple != 5 {
		t.Errorf("the loan as the API gives it: %+v", loan)
	}
	if ins.Name != "豫科保" || ins.Kind != "INSURANCE" || ins.Program != "YUKEBAO" || !slices.Equal(ins.Coverages, []string{"RD", "PILOT_SCALE"}) ||
		ins.MinAmount != nil || ins.AnnualRatePercent != nil || ins.CollateralFree {
		t.Errorf("the insurance as the API gives it: %+v", ins)
	}

	var incubators page[struct {
		Name, City, Kind, Level, Description string
		FocusTracks                          []string
		Vacancies                            int
		ServicePackage                       *struct {
			FreeWorkstations, RentFreeMonths int
			Mentorship, PolicyAgent          bool
		}
	}]
	post(t, srv, testToken, `{ incubators(first: 10) { totalCount edges { node { name city kind level description focusTracks vacancies
		servicePackage { freeWorkstations rentFreeMonths mentorship policyAgent } } } } }`, nil).decode(t, "incubators", &incubators)
	if incubators.TotalCount != 2 {
		t.Fatalf("%d incubators, want 2", incubators.TotalCount)
	}
	island, space := incubators.Edges[0].Node, incubators.Edges[1].Node
	if island.Name != "中原智慧岛" || island.City != "ZHENGZHOU" || island.Kind != "SMART_ISLAND" || island.Level != "NATIONAL" ||
		island.Vacancies != 12 || !slices.Equal(island.FocusTracks, []string{"NEXT_GEN_IT", "BIOMEDICINE"}) || island.Description != "郑东新区" ||
		island.ServicePackage == nil || island.ServicePackage.FreeWorkstations != 4 || island.ServicePackage.RentFreeMonths != 6 ||
		!island.ServicePackage.Mentorship || island.ServicePackage.PolicyAgent {
		t.Errorf("the smart island as the API gives it: %+v", island)
	}
	if space.Name != "洛阳众创空间" || space.Kind != "MAKERSPACE" || space.ServicePackage != nil || len(space.FocusTracks) != 0 {
		t.Errorf("the makerspace as the API gives it: %+v", space)
	}

	var demands page[struct {
		Title, OwnerName, Kind, IndustryChain, Track, City, Description string
		Keywords                                                        []string
		Budget, Deadline                                                *string
	}]
	post(t, srv, testToken, `{ supplyChainDemands(first: 10) { totalCount edges { node { title ownerName kind industryChain track city
		description keywords budget deadline } } } }`, nil).decode(t, "supplyChainDemands", &demands)
	if demands.TotalCount != 2 {
		t.Fatalf("%d demands, want 2", demands.TotalCount)
	}
	wafers, joint := demands.Edges[0].Node, demands.Edges[1].Node
	if wafers.Title != "采购碳化硅衬底" || wafers.OwnerName != "许昌链主集团" || wafers.Kind != "PURCHASE_ORDER" || wafers.City != "XUCHANG" ||
		wafers.Track != "NEW_MATERIALS" || *wafers.Budget != "8000000.00" || *wafers.Deadline != "2026-09-30" ||
		!slices.Equal(wafers.Keywords, []string{"碳化硅", "衬底"}) || wafers.Description != "年需 1 万片" {
		t.Errorf("the demand as the API gives it: %+v", wafers)
	}
	if joint.Title != "联合研发线锯" || joint.Kind != "JOINT_RD" || joint.Budget != nil || joint.Deadline != nil {
		t.Errorf("the second demand as the API gives it: %+v", joint)
	}

	t.Run("importing it twice changes nothing", func(t *testing.T) {
		head, _ := a.store.LogHead(ctx)
		again, _ := postImport(t, srv, testToken, "resources.xlsx", file, "")
		for kind, c := range map[string]sheets.Counts{"products": again.Products, "incubators": again.Incubators, "demands": again.Demands} {
			if c.Created+c.Updated != 0 || c.Unchanged != 2 {
				t.Errorf("%s the second time: %+v, want 2 unchanged", kind, c)
			}
		}
		if !slices.Equal(problemKeys(again.Problems), wantKeys) {
			t.Errorf("the second import's problems differ: %v", problemKeys(again.Problems))
		}
		if h, _ := a.store.LogHead(ctx); h != head {
			t.Fatalf("the change log moved from %d to %d", head, h)
		}
	})

	t.Run("a CSV of some columns updates by the key", func(t *testing.T) {
		csv := "\ufeff载体名称,所在地市,可入驻席位\r\n中原智慧岛,郑州市,3\r\n"
		rep, _ := postImport(t, srv, testToken, "vacancies.csv", []byte(csv), "")
		if rep.Incubators != (sheets.Counts{Updated: 1}) || len(rep.Problems) != 0 {
			t.Fatalf("report %+v", rep)
		}
		post(t, srv, testToken, `{ incubators(first: 10) { totalCount edges { node { name city kind level description focusTracks vacancies
			servicePackage { freeWorkstations rentFreeMonths mentorship policyAgent } } } } }`, nil).decode(t, "incubators", &incubators)
		got := incubators.Edges[0].Node
		if incubators.TotalCount != 2 || got.Vacancies != 3 || got.Kind != "SMART_ISLAND" || got.ServicePackage == nil || got.ServicePackage.RentFreeMonths != 6 {
			t.Fatalf("after the update: %+v", got)
		}
	})

	t.Run("all or nothing: a product only the writer refuses leaves every sheet unwritten", func(t *testing.T) {
		g := excelize.NewFile()
		e := demo.Generate(11, 1, testNow()).Enterprises[0]
		writeRows(t, g, sheets.EnterpriseSheet, sheets.EnterpriseColumns, []catalog.Enterprise{*e})
		writeRows(t, g, sheets.ProductSheet, sheets.ProductColumns, []sheets.ProductRow{{Institution: "不存在的银行",
			Product: catalog.FinancialProduct{Name: "科技贷", Kind: catalog.Loan, Program: catalog.TechLoan, MaxAmount: 100}}})
		writeRows(t, g, sheets.IncubatorSheet, sheets.IncubatorColumns, []catalog.Incubator{{Name: "新乡加速器",
			Kind: catalog.Accelerator, Level: catalog.ProvincialLevel, City: catalog.Xinxiang, Vacancies: 2}})
		head, _ := a.store.LogHead(ctx)
		rep, _ := postImport(t, srv, testToken, "strict.xlsx", workbookBytes(t, g), "&allOrNothing=true")
		if rep.Products != (sheets.Counts{Refused: 1}) || rep.Incubators != (sheets.Counts{Refused: 1}) || rep.Refused != 1 || rep.Created != 0 {
			t.Fatalf("report %+v", rep)
		}
		if got := problemKeys(rep.Problems); !slices.Equal(got, []string{sheets.ProductSheet + "/2/机构名称/" + catalog.CodeNotFound}) {
			t.Fatalf("problems %v, want the unknown institution alone", got)
		}
		if h, _ := a.store.LogHead(ctx); h != head || a.market.EnterpriseByCreditCode(e.CreditCode) != nil {
			t.Fatalf("the change log moved from %d to %d", head, h)
		}
	})
}

func TestImportTemplateHasEverySheet(t *testing.T) {
	var buf bytes.Buffer
	if err := sheets.WriteTemplate(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{sheets.EnterpriseSheet, sheets.ReportSheet, sheets.SubsidySheet, sheets.ProductSheet, sheets.IncubatorSheet, sheets.DemandSheet}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Fatalf("sheets %v, want %v", got, want)
	}
	for sheet, cols := range map[string][]string{sheets.ProductSheet: headersOf(sheets.ProductColumns),
		sheets.IncubatorSheet: headersOf(sheets.IncubatorColumns), sheets.DemandSheet: headersOf(sheets.DemandColumns)} {
		rows, _ := f.GetRows(sheet)
		if len(rows) == 0 || !slices.Equal(rows[0], cols) {
			t.Errorf("%s headers %v", sheet, rows)
		}
	}
	dvs, err := f.GetDataValidations(sheets.IncubatorSheet)
	if err != nil {
		t.Fatal(err)
	}
	col, _ := excelize.ColumnNumberToName(slices.Index(headersOf(sheets.IncubatorColumns), "级别") + 1)
	found := false
	for _, dv := range dvs {
		if dv.Sqref == col+"2:"+col+"1048576" && dv.Formula1 == `"国家级,省级,市级"` {
			found = true
		}
	}
	if !found {
		t.Errorf("no 级别 drop-down in column %s of %s: %+v", col, sheets.IncubatorSheet, dvs)
	}
}
