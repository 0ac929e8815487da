package catalog

// The enumerations below are the public API's enums; their string values are
// the GraphQL enum names, so they persist and serialise unchanged.

// City is one of Henan's 18 prefecture-level divisions, or OTHER.
type City string

const (
	Zhengzhou    City = "ZHENGZHOU"
	Kaifeng      City = "KAIFENG"
	Luoyang      City = "LUOYANG"
	Pingdingshan City = "PINGDINGSHAN"
	Anyang       City = "ANYANG"
	Hebi         City = "HEBI"
	Xinxiang     City = "XINXIANG"
	Jiaozuo      City = "JIAOZUO"
	Puyang       City = "PUYANG"
	Xuchang      City = "XUCHANG"
	Luohe        City = "LUOHE"
	Sanmenxia    City = "SANMENXIA"
	Nanyang      City = "NANYANG"
	Shangqiu     City = "SHANGQIU"
	Xinyang      City = "XINYANG"
	Zhoukou      City = "ZHOUKOU"
	Zhumadian    City = "ZHUMADIAN"
	Jiyuan       City = "JIYUAN"
	OtherCity    City = "OTHER"
)

// Cities lists the 18 divisions of Henan in official order (OTHER excluded).
var Cities = []City{Zhengzhou, Kaifeng, Luoyang, Pingdingshan, Anyang, Hebi, Xinxiang, Jiaozuo,
	Puyang, Xuchang, Luohe, Sanmenxia, Nanyang, Shangqiu, Xinyang, Zhoukou, Zhumadian, Jiyuan}

// CityNames gives the Chinese name of each city.
var CityNames = map[City]string{
	Zhengzhou: "郑州", Kaifeng: "开封", Luoyang: "洛阳", Pingdingshan: "平顶山", Anyang: "安阳",
	Hebi: "鹤壁", Xinxiang: "新乡", Jiaozuo: "焦作", Puyang: "濮阳", Xuchang: "许昌", Luohe: "漯河",
	Sanmenxia: "三门峡", Nanyang: "南阳", Shangqiu: "商丘", Xinyang: "信阳", Zhoukou: "周口",
	Zhumadian: "驻马店", Jiyuan: "济源", OtherCity: "省外",
}

// Track is an industry track of the competition and the matchmaking events.
type Track string

const (
	NextGenIT            Track = "NEXT_GEN_IT"
	HighEndManufacturing Track = "HIGH_END_MANUFACTURING"
	NewMaterials         Track = "NEW_MATERIALS"
	Biomedicine          Track = "BIOMEDICINE"
	NewEnergyEnvironment Track = "NEW_ENERGY_ENVIRONMENT"
	OtherTrack           Track = "OTHER"
)

// Tracks lists the five competition tracks (OTHER excluded).
var Tracks = []Track{NextGenIT, HighEndManufacturing, NewMaterials, Biomedicine, NewEnergyEnvironment}

// TrackNames gives the Chinese name of each track.
var TrackNames = map[Track]string{
	NextGenIT: "新一代信息技术", HighEndManufacturing: "高端装备制造", NewMaterials: "新材料",
	Biomedicine: "生物医药", NewEnergyEnvironment: "新能源及节能环保", OtherTrack: "其他",
}

// Qualification is a state recognition an enterprise holds.
type Qualification string

const (
	TechSME     Qualification = "TECH_SME"
	HighTech    Qualification = "HIGH_TECH"
	Specialized Qualification = "SPECIALIZED"
	LittleGiant Qualification = "LITTLE_GIANT"
	Gazelle     Qualification = "GAZELLE"
	Unicorn     Qualification = "UNICORN"
)

// QualificationNames gives the Chinese name of each qualification.
var QualificationNames = map[Qualification]string{
	TechSME: "科技型中小企业", HighTech: "高新技术企业", Specialized: "专精特新",
	LittleGiant: "专精特新小巨人", Gazelle: "瞪羚企业", Unicorn: "独角兽",
}

// CreditStatus tells whether an enterprise is on a joint-punishment list.
type CreditStatus string

const (
	CreditGood      CreditStatus = "GOOD"
	CreditDishonest CreditStatus = "DISHONEST"
)

// GrowthStage is derived from the latest annual revenue.
type GrowthStage string

const (
	Startup GrowthStage = "STARTUP"
	Growth  GrowthStage = "GROWTH"
	Stable  GrowthStage = "STABLE"
)

// Stages lists the growth stages in order.
var Stages = []GrowthStage{Startup, Growth, Stable}

// StageNames gives the Chinese name of each growth stage.
var StageNames = map[GrowthStage]string{Startup: "初创期", Growth: "成长期", Stable: "成熟期"}

// ScoreGrade is the band of an innovation score's percentile in its cohort.
type ScoreGrade string

const (
	Leading   ScoreGrade = "LEADING"
	Racing    ScoreGrade = "RACING"
	Advancing ScoreGrade = "ADVANCING"
	Baseline  ScoreGrade = "BASELINE"
)

// CompetitionGroup is the group an enterprise entered the competition in.
type CompetitionGroup string

const (
	StartupGroup CompetitionGroup = "STARTUP"
	GrowthGroup  CompetitionGroup = "GROWTH"
)

// CompetitionStage is the furthest stage an entry reached.
type CompetitionStage string

const (
	Preliminary         CompetitionStage = "PRELIMINARY"
	CitySemifinal       CompetitionStage = "CITY_SEMIFINAL"
	ProvincialSemifinal CompetitionStage = "PROVINCIAL_SEMIFINAL"
	ProvincialFinal     CompetitionStage = "PROVINCIAL_FINAL"
	National            CompetitionStage = "NATIONAL"
)

// Award is the prize an entry won; NONE is no prize.
type Award string

const (
	NoAward    Award = "NONE"
	Excellence Award = "EXCELLENCE"
	Third      Award = "THIRD"
	Second     Award = "SECOND"
	First      Award = "FIRST"
)

// Rank orders awards: NONE is 0, FIRST is 4.
func (a Award) Rank() int {
	switch a {
	case Excellence:
		return 1
	case Third:
		return 2
	case Second:
		return 3
	case First:
		return 4
	}
	return 0
}

// AwardNames gives the Chinese name of each award.
var AwardNames = map[Award]string{NoAward: "未获奖", Excellence: "优秀奖", Third: "三等奖", Second: "二等奖", First: "一等奖"}

// InstitutionKind is the kind of a financial institution.
type InstitutionKind string

const (
	Bank           InstitutionKind = "BANK"
	VentureCapital InstitutionKind = "VENTURE_CAPITAL"
	GovernmentFund InstitutionKind = "GOVERNMENT_FUND"
	Insurer        InstitutionKind = "INSURER"
	Guarantor      InstitutionKind = "GUARANTOR"
)

// ProductKind is the kind of a financial product, and of a financing need.
type ProductKind string

const (
	Loan      ProductKind = "LOAN"
	Equity    ProductKind = "EQUITY"
	Insurance ProductKind = "INSURANCE"
)

// ProductKindNames gives the Chinese name of each product kind.
var ProductKindNames = map[ProductKind]string{Loan: "贷款", Equity: "股权投资", Insurance: "保险"}

// Program is the provincial programme a product belongs to.
type Program string

const (
	TechLoan        Program = "TECH_LOAN"
	ScoreLoan       Program = "SCORE_LOAN"
	ScoreInvestment Program = "SCORE_INVESTMENT"
	ScoreInsurance  Program = "SCORE_INSURANCE"
	SubsidyLoan     Program = "SUBSIDY_LOAN"
	ContestLoan     Program = "CONTEST_LOAN"
	WarrantLoan     Program = "WARRANT_LOAN"
	TransferLoan    Program = "TRANSFER_LOAN"
	Yukebao         Program = "YUKEBAO"
	Kehuibao        Program = "KEHUIBAO"
	VentureFund     Program = "VENTURE_CAPITAL"
	OtherProgram    Program = "OTHER"
)

// Programs lists every programme.
var Programs = []Program{TechLoan, ScoreLoan, ScoreInvestment, ScoreInsurance, SubsidyLoan, ContestLoan,
	WarrantLoan, TransferLoan, Yukebao, Kehuibao, VentureFund, OtherProgram}

// ProgramNames gives the Chinese name of each programme.
var ProgramNames = map[Program]string{
	TechLoan: "科技贷", ScoreLoan: "积分贷", ScoreInvestment: "积分投", ScoreInsurance: "积分险",
	SubsidyLoan: "积分奖补贷", ContestLoan: "创赛贷", WarrantLoan: "认股权贷款", TransferLoan: "科技成果转化贷款",
	Yukebao: "豫科保", Kehuibao: "科惠保", VentureFund: "创投基金", OtherProgram: "其他",
}

// Coverage is what an insurance product covers.
type Coverage string

const (
	CoverRD                Coverage = "RD"
	CoverOperation         Coverage = "OPERATION"
	CoverMarketPromotion   Coverage = "MARKET_PROMOTION"
	CoverIPProtection      Coverage = "IP_PROTECTION"
	CoverRDExpenseLoss     Coverage = "RD_EXPENSE_LOSS"
	CoverProofOfConcept    Coverage = "PROOF_OF_CONCEPT"
	CoverPilotScale        Coverage = "PILOT_SCALE"
	CoverCommercialization Coverage = "COMMERCIALIZATION"
)

// IncubatorKind is the kind of an incubation carrier.
type IncubatorKind string

const (
	SmartIsland           IncubatorKind = "SMART_ISLAND"
	IncubatorCarrier      IncubatorKind = "INCUBATOR"
	Makerspace            IncubatorKind = "MAKERSPACE"
	UniversitySciencePark IncubatorKind = "UNIVERSITY_SCIENCE_PARK"
	Accelerator           IncubatorKind = "ACCELERATOR"
	PilotBase             IncubatorKind = "PILOT_BASE"
)

// CarrierLevel is the level at which an incubator is recognised.
type CarrierLevel string

const (
	NationalLevel   CarrierLevel = "NATIONAL"
	ProvincialLevel CarrierLevel = "PROVINCIAL"
	MunicipalLevel  CarrierLevel = "MUNICIPAL"
)

// DemandKind is the kind of a supply-chain demand.
type DemandKind string

const (
	TechTransfer  DemandKind = "TECH_TRANSFER"
	PurchaseOrder DemandKind = "PURCHASE_ORDER"
	JointRD       DemandKind = "JOINT_RD"
	Supplier      DemandKind = "SUPPLIER"
)

// PairingKind is the kind of resource a pairing joins an enterprise to.
type PairingKind string

const (
	Financing     PairingKind = "FINANCING"
	Incubation    PairingKind = "INCUBATION"
	IndustryChain PairingKind = "INDUSTRY_CHAIN"
)

// The kinds' order and resources are in pairing.go.
