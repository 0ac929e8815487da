package sheets

import (
	"strconv"
	"strings"
	"time"

	"github.com/yurong/yurong/catalog"
)

// The sheets of products, incubators and demands, beside the enterprise
// sheets of the same workbook. None has a credit code: each row is found by
// its key columns (Column.Key), the first ones of its layout.
const (
	ProductSheet   = "金融产品"
	IncubatorSheet = "孵化载体"
	DemandSheet    = "产业链需求"
)

// ProductRow is one row of the 金融产品 sheet: a product and the name of
// the institution offering it, which must be on record.
type ProductRow struct {
	Institution string
	Product     catalog.FinancialProduct
}

// Chinese names of the enumerations catalog does not name, in the order
// templates offer them.
var (
	coverageNames = map[catalog.Coverage]string{
		catalog.CoverRD: "研发", catalog.CoverOperation: "经营", catalog.CoverMarketPromotion: "市场推广",
		catalog.CoverIPProtection: "知识产权保护", catalog.CoverRDExpenseLoss: "研发费用损失",
		catalog.CoverProofOfConcept: "概念验证", catalog.CoverPilotScale: "中试", catalog.CoverCommercialization: "成果产业化",
	}
	incubatorKindNames = map[catalog.IncubatorKind]string{
		catalog.SmartIsland: "智慧岛", catalog.IncubatorCarrier: "孵化器", catalog.Makerspace: "众创空间",
		catalog.UniversitySciencePark: "大学科技园", catalog.Accelerator: "加速器", catalog.PilotBase: "中试基地",
	}
	incubatorKinds = []catalog.IncubatorKind{catalog.SmartIsland, catalog.IncubatorCarrier, catalog.Makerspace,
		catalog.UniversitySciencePark, catalog.Accelerator, catalog.PilotBase}
	levelNames = map[catalog.CarrierLevel]string{
		catalog.NationalLevel: "国家级", catalog.ProvincialLevel: "省级", catalog.MunicipalLevel: "市级",
	}
	levels          = []catalog.CarrierLevel{catalog.NationalLevel, catalog.ProvincialLevel, catalog.MunicipalLevel}
	demandKindNames = map[catalog.DemandKind]string{
		catalog.TechTransfer: "技术转让", catalog.PurchaseOrder: "采购订单", catalog.JointRD: "联合研发", catalog.Supplier: "供应商征集",
	}
	demandKinds  = []catalog.DemandKind{catalog.TechTransfer, catalog.PurchaseOrder, catalog.JointRD, catalog.Supplier}
	productKinds = []catalog.ProductKind{catalog.Loan, catalog.Equity, catalog.Insurance}
)

// ProductColumns is the layout of the 金融产品 sheet, keyed by institution
// and product name; the 适用… columns are the product's eligibility rules.
var ProductColumns = []Column[ProductRow]{
	{Header: "机构名称", Field: "providerId", Required: true, Key: true, Note: "已入库的金融机构的名称；与产品名称一起确定产品，重复导入按此更新",
		Get: func(r *ProductRow) string { return r.Institution },
		Set: func(r *ProductRow, s string) error { r.Institution = s; return nil }},
	{Header: "产品名称", Field: "name", Required: true, Key: true,
		Get: func(r *ProductRow) string { return r.Product.Name },
		Set: func(r *ProductRow, s string) error { r.Product.Name = s; return nil }},
	{Header: "产品类型", Field: "kind", Required: true, Note: "贷款、股权投资、保险",
		Get: func(r *ProductRow) string { return catalog.ProductKindNames[r.Product.Kind] },
		Set: func(r *ProductRow, s string) error {
			return enumCell(&r.Product.Kind, catalog.ProductKindNames, s, "产品类型")
		}},
	{Header: "所属专项", Field: "program", Required: true, Note: "如 科技贷、积分贷、豫科保；无则填 其他",
		Get: func(r *ProductRow) string { return catalog.ProgramNames[r.Product.Program] },
		Set: func(r *ProductRow, s string) error {
			return enumCell(&r.Product.Program, catalog.ProgramNames, s, "所属专项")
		}},
	{Header: "产品简介", Field: "description",
		Get: func(r *ProductRow) string { return r.Product.Description },
		Set: func(r *ProductRow, s string) error { r.Product.Description = s; return nil }},
	optAmountColumn("最低额度（元）", "minAmount", func(r *ProductRow) **catalog.Amount { return &r.Product.MinAmount }),
	{Header: "最高额度（元）", Field: "maxAmount", Required: true, Note: "单位：元，最多两位小数",
		Get: func(r *ProductRow) string { return r.Product.MaxAmount.String() },
		Set: func(r *ProductRow, s string) error { return amountCell(&r.Product.MaxAmount, s) }},
	{Header: "年利率（%）", Field: "annualRatePercent", Note: "如 3.45",
		Get: func(r *ProductRow) string { return floatText(r.Product.AnnualRatePercent) },
		Set: func(r *ProductRow, s string) error { return optFloatCell(&r.Product.AnnualRatePercent, s) }},
	optIntColumn("期限（月）", "termMonths", func(r *ProductRow) **int { return &r.Product.TermMonths }),
	{Header: "免抵押", Field: "collateralFree", Note: "是 或 否；空为否",
		Get: func(r *ProductRow) string { return yesNo(r.Product.CollateralFree) },
		Set: func(r *ProductRow, s string) error { return boolCell(&r.Product.CollateralFree, s) }},
	{Header: "保障范围", Field: "coverages", Note: "保险产品填写，多项以顿号分隔：研发、经营、市场推广、知识产权保护、研发费用损失、概念验证、中试、成果产业化",
		Get: func(r *ProductRow) string { return names(r.Product.Coverages, coverageNames) },
		Set: func(r *ProductRow, s string) error {
			return enumList(&r.Product.Coverages, coverageNames, s, "保障范围")
		}},
	optIntColumn("最低豫科积分", "eligibility.minInnovationScore", func(r *ProductRow) **int { return &r.Product.Eligibility.MinInnovationScore }),
	{Header: "适用赛道", Field: "eligibility.tracks", Note: "多项以顿号分隔；空为不限",
		Get: func(r *ProductRow) string { return names(r.Product.Eligibility.Tracks, catalog.TrackNames) },
		Set: func(r *ProductRow, s string) error {
			return enumList(&r.Product.Eligibility.Tracks, catalog.TrackNames, s, "赛道")
		}},
	{Header: "适用地市", Field: "eligibility.cities", Note: "多项以顿号分隔；空为不限",
		Get: func(r *ProductRow) string { return names(r.Product.Eligibility.Cities, catalog.CityNames) },
		Set: func(r *ProductRow, s string) error {
			return enumList(&r.Product.Eligibility.Cities, catalog.CityNames, s, "地市")
		}},
	{Header: "适用成长阶段", Field: "eligibility.stages", Note: "初创期、成长期、成熟期，多项以顿号分隔；空为不限",
		Get: func(r *ProductRow) string { return names(r.Product.Eligibility.Stages, catalog.StageNames) },
		Set: func(r *ProductRow, s string) error {
			return enumList(&r.Product.Eligibility.Stages, catalog.StageNames, s, "成长阶段")
		}},
	{Header: "要求资质", Field: "eligibility.qualifications", Note: "多项以顿号分隔，具备其一即可；空为不限",
		Get: func(r *ProductRow) string {
			return names(r.Product.Eligibility.Qualifications, catalog.QualificationNames)
		},
		Set: func(r *ProductRow, s string) error {
			return enumList(&r.Product.Eligibility.Qualifications, catalog.QualificationNames, s, "资质")
		}},
	optIntColumn("最长成立年限（年）", "eligibility.maxCompanyAgeYears", func(r *ProductRow) **int { return &r.Product.Eligibility.MaxCompanyAgeYears }),
	optIntColumn("最多从业人数", "eligibility.maxEmployees", func(r *ProductRow) **int { return &r.Product.Eligibility.MaxEmployees }),
	optAmountColumn("最高营业收入（元）", "eligibility.maxRevenue", func(r *ProductRow) **catalog.Amount { return &r.Product.Eligibility.MaxRevenue }),
	boolColumn("须参加创新创业大赛", "eligibility.requiresCompetitionEntry", func(r *ProductRow) *bool { return &r.Product.Eligibility.RequiresCompetitionEntry }),
	boolColumn("须获大赛奖项", "eligibility.requiresCompetitionAward", func(r *ProductRow) *bool { return &r.Product.Eligibility.RequiresCompetitionAward }),
	boolColumn("须获财政补贴", "eligibility.requiresSubsidy", func(r *ProductRow) *bool { return &r.Product.Eligibility.RequiresSubsidy }),
	{Header: "奖补倍数", Field: "eligibility.subsidyMultiple", Note: "额度不超过所获财政补贴的倍数，如 5",
		Get: func(r *ProductRow) string { return floatText(r.Product.Eligibility.SubsidyMultiple) },
		Set: func(r *ProductRow, s string) error { return optFloatCell(&r.Product.Eligibility.SubsidyMultiple, s) }},
}

// IncubatorColumns is the layout of the 孵化载体 sheet, keyed by name and
// city; the 育新服务包 columns make the package when any is filled.
var IncubatorColumns = []Column[catalog.Incubator]{
	{Header: "载体名称", Field: "name", Required: true, Key: true, Note: "与所在地市一起确定载体，重复导入按此更新",
		Get: func(in *catalog.Incubator) string { return in.Name },
		Set: func(in *catalog.Incubator, s string) error { in.Name = s; return nil }},
	{Header: "所在地市", Field: "city", Required: true, Key: true, Note: "如 郑州、洛阳",
		Get: func(in *catalog.Incubator) string { return catalog.CityNames[in.City] },
		Set: func(in *catalog.Incubator, s string) error { return enumCell(&in.City, catalog.CityNames, s, "地市") }},
	{Header: "载体类型", Field: "kind", Required: true, Note: "智慧岛、孵化器、众创空间、大学科技园、加速器、中试基地",
		Get: func(in *catalog.Incubator) string { return incubatorKindNames[in.Kind] },
		Set: func(in *catalog.Incubator, s string) error {
			return enumCell(&in.Kind, incubatorKindNames, s, "载体类型")
		}},
	{Header: "级别", Field: "level", Required: true, Note: "国家级、省级、市级",
		Get: func(in *catalog.Incubator) string { return levelNames[in.Level] },
		Set: func(in *catalog.Incubator, s string) error { return enumCell(&in.Level, levelNames, s, "级别") }},
	{Header: "聚焦赛道", Field: "focusTracks", Note: "多项以顿号分隔",
		Get: func(in *catalog.Incubator) string { return names(in.FocusTracks, catalog.TrackNames) },
		Set: func(in *catalog.Incubator, s string) error {
			return enumList(&in.FocusTracks, catalog.TrackNames, s, "赛道")
		}},
	{Header: "可入驻席位", Field: "vacancies", Required: true, Note: "现有空余席位；入驻会减少它，不想覆盖时请删去本列",
		Get: func(in *catalog.Incubator) string { return strconv.Itoa(in.Vacancies) },
		Set: func(in *catalog.Incubator, s string) error { return intCell(&in.Vacancies, s) }},
	packageColumn("免费工位数", "servicePackage.freeWorkstations", "育新服务包",
		func(sp *catalog.ServicePackage) string { return strconv.Itoa(sp.FreeWorkstations) },
		func(sp *catalog.ServicePackage, s string) error { return intCell(&sp.FreeWorkstations, s) }),
	packageColumn("免租月数", "servicePackage.rentFreeMonths", "育新服务包",
		func(sp *catalog.ServicePackage) string { return strconv.Itoa(sp.RentFreeMonths) },
		func(sp *catalog.ServicePackage, s string) error { return intCell(&sp.RentFreeMonths, s) }),
	packageColumn("创业导师", "servicePackage.mentorship", "育新服务包；是 或 否",
		func(sp *catalog.ServicePackage) string { return yesNo(sp.Mentorship) },
		func(sp *catalog.ServicePackage, s string) error { return boolCell(&sp.Mentorship, s) }),
	packageColumn("政策代办", "servicePackage.policyAgent", "育新服务包；是 或 否",
		func(sp *catalog.ServicePackage) string { return yesNo(sp.PolicyAgent) },
		func(sp *catalog.ServicePackage, s string) error { return boolCell(&sp.PolicyAgent, s) }),
	packageColumn("中试基地使用", "servicePackage.pilotBaseAccess", "育新服务包；是 或 否",
		func(sp *catalog.ServicePackage) string { return yesNo(sp.PilotBaseAccess) },
		func(sp *catalog.ServicePackage, s string) error { return boolCell(&sp.PilotBaseAccess, s) }),
	{Header: "载体简介", Field: "description",
		Get: func(in *catalog.Incubator) string { return in.Description },
		Set: func(in *catalog.Incubator, s string) error { in.Description = s; return nil }},
}

// DemandColumns is the layout of the 产业链需求 sheet, keyed by publisher
// and title.
var DemandColumns = []Column[catalog.SupplyChainDemand]{
	{Header: "发布单位", Field: "ownerName", Required: true, Key: true, Note: "与需求标题一起确定需求，重复导入按此更新",
		Get: func(d *catalog.SupplyChainDemand) string { return d.OwnerName },
		Set: func(d *catalog.SupplyChainDemand, s string) error { d.OwnerName = s; return nil }},
	{Header: "需求标题", Field: "title", Required: true, Key: true,
		Get: func(d *catalog.SupplyChainDemand) string { return d.Title },
		Set: func(d *catalog.SupplyChainDemand, s string) error { d.Title = s; return nil }},
	{Header: "需求类型", Field: "kind", Required: true, Note: "技术转让、采购订单、联合研发、供应商征集",
		Get: func(d *catalog.SupplyChainDemand) string { return demandKindNames[d.Kind] },
		Set: func(d *catalog.SupplyChainDemand, s string) error {
			return enumCell(&d.Kind, demandKindNames, s, "需求类型")
		}},
	{Header: "产业链", Field: "industryChain", Required: true,
		Get: func(d *catalog.SupplyChainDemand) string { return d.IndustryChain },
		Set: func(d *catalog.SupplyChainDemand, s string) error { d.IndustryChain = s; return nil }},
	{Header: "赛道", Field: "track", Required: true, Note: "新一代信息技术、高端装备制造、新材料、生物医药、新能源及节能环保、其他",
		Get: func(d *catalog.SupplyChainDemand) string { return catalog.TrackNames[d.Track] },
		Set: func(d *catalog.SupplyChainDemand, s string) error {
			return enumCell(&d.Track, catalog.TrackNames, s, "赛道")
		}},
	{Header: "所在地市", Field: "city", Required: true, Note: "如 郑州、洛阳；省外填 省外",
		Get: func(d *catalog.SupplyChainDemand) string { return catalog.CityNames[d.City] },
		Set: func(d *catalog.SupplyChainDemand, s string) error {
			return enumCell(&d.City, catalog.CityNames, s, "地市")
		}},
	{Header: "需求描述", Field: "description", Required: true,
		Get: func(d *catalog.SupplyChainDemand) string { return d.Description },
		Set: func(d *catalog.SupplyChainDemand, s string) error { d.Description = s; return nil }},
	{Header: "关键词", Field: "keywords", Note: "多项以顿号分隔",
		Get: func(d *catalog.SupplyChainDemand) string { return strings.Join(d.Keywords, "、") },
		Set: func(d *catalog.SupplyChainDemand, s string) error { d.Keywords = splitList(s); return nil }},
	optAmountColumn("预算（元）", "budget", func(d *catalog.SupplyChainDemand) **catalog.Amount { return &d.Budget }),
	{Header: "截止日期", Field: "deadline", Note: "如 2026-06-30",
		Get: func(d *catalog.SupplyChainDemand) string {
			if d.Deadline == nil {
				return ""
			}
			return d.Deadline.Format(time.DateOnly)
		},
		Set: func(d *catalog.SupplyChainDemand, s string) error {
			var t time.Time
			if err := dateCell(&t, s); err != nil {
				return err
			}
			d.Deadline = &t
			return nil
		}},
}

// Optional numbers are pointers: a cell sets a fresh one, never writing
// through the stored entity's.

func optAmountColumn[T any](header, field string, at func(*T) **catalog.Amount) Column[T] {
	return Column[T]{Header: header, Field: field, Note: "单位：元，最多两位小数；空为不限",
		Get: func(r *T) string {
			if p := *at(r); p != nil {
				return p.String()
			}
			return ""
		},
		Set: func(r *T, s string) error {
			var a catalog.Amount
			if err := amountCell(&a, s); err != nil {
				return err
			}
			*at(r) = &a
			return nil
		}}
}

func optIntColumn[T any](header, field string, at func(*T) **int) Column[T] {
	return Column[T]{Header: header, Field: field, Note: "整数；空为不限",
		Get: func(r *T) string {
			if p := *at(r); p != nil {
				return strconv.Itoa(*p)
			}
			return ""
		},
		Set: func(r *T, s string) error {
			var n int
			if err := intCell(&n, s); err != nil {
				return err
			}
			*at(r) = &n
			return nil
		}}
}

func boolColumn[T any](header, field string, at func(*T) *bool) Column[T] {
	return Column[T]{Header: header, Field: field, Note: "是 或 否；空为否",
		Get: func(r *T) string { return yesNo(*at(r)) },
		Set: func(r *T, s string) error { return boolCell(at(r), s) }}
}

// packageColumn is a column of an incubator's service package: a filled
// cell makes the package (a copy of the stored one) with that field set.
func packageColumn(header, field, note string, get func(*catalog.ServicePackage) string, set func(*catalog.ServicePackage, string) error) Column[catalog.Incubator] {
	return Column[catalog.Incubator]{Header: header, Field: field, Note: note,
		Get: func(in *catalog.Incubator) string {
			if in.ServicePackage == nil {
				return ""
			}
			return get(in.ServicePackage)
		},
		Set: func(in *catalog.Incubator, s string) error {
			var sp catalog.ServicePackage
			if in.ServicePackage != nil {
				sp = *in.ServicePackage
			}
			if err := set(&sp, s); err != nil {
				return err
			}
			in.ServicePackage = &sp
			return nil
		}}
}

func optFloatCell(v **float64, s string) error {
	var f float64
	if err := floatCell(&f, s); err != nil {
		return err
	}
	*v = &f
	return nil
}

func floatText(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}
