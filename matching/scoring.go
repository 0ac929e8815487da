package matching

import (
	"fmt"
	"slices"
	"strings"

	"github.com/yurong/yurong/catalog"
)

// The scoring functions add each factor's contribution and, when explaining,
// its reason. Eligibility is separate: a blocked pairing is still scored, so
// an ineligible list is ranked too.

func (x *evaluator) scoreProduct(a *acc, e *entView, p *prodView) {
	w := &x.cfg.Weights
	if p.tracks != 0 && p.tracks&e.track != 0 {
		if c := a.add(w.ProductTrack, 1); a.reason("track_fit", c) {
			a.say(fmt.Sprintf("与产品支持赛道「%s」一致", trackName(e.src.Track)))
		}
	}
	if p.cities != 0 && p.cities&e.city != 0 {
		if c := a.add(w.ProductCity, 1); a.reason("city_fit", c) {
			a.say(fmt.Sprintf("产品服务城市包含「%s」", cityName(e.src.City)))
		}
	}
	if p.stages != 0 && p.stages&e.stageBit != 0 {
		if c := a.add(w.ProductStage, 1); a.reason("stage_fit", c) {
			a.say(fmt.Sprintf("产品面向%s企业", stageName(e.stage)))
		}
	}
	x.scoreAmount(a, e, p)
	x.scoreProductInnovation(a, e, p, w.InnovationFinancing)
	if p.insurance {
		if c := a.add(w.CoverageFit, p.coverFit[stageIndex(e.stage)]); a.reason("coverage_fit", c) {
			a.say(fmt.Sprintf("保障责任契合%s企业所需（%s）", stageName(e.stage), coverNames(p.src.Coverages, e.stage)))
		}
	}
	if p.equity && e.warrant {
		if c := a.add(w.WarrantPriority, 1); a.reason("warrant_priority", c) {
			a.say("持有认股权贷款，列入股权融资项目库优先推荐")
		}
	}
	if p.loanLike && e.listed {
		if c := a.add(w.EarlySmallHard, 1); a.reason("early_small_hard", c) {
			a.say("列入早小硬企业名单，优先支持")
		}
	}
	if p.equity {
		x.scoreLinks(a, e, p)
	}
	// Every product of a top bank, whatever its kind: the bonus rewards the
	// bank's rank in the evaluation, not the product.
	if p.topBank && e.listed {
		if c := a.add(x.cfg.TopBankBonus, 1); a.reason("top_bank", c) {
			a.say("科技贷合作银行考核位列前四分之一，优先支持早小硬企业")
		}
	}
	x.scoreGreen(a, e)
}

// scoreAmount adds the amount fit of a stated need of the product's kind,
// comparing the need with the suggested amount after every cap (never with
// the product's maximum alone), and the penalty of a loan that can suggest
// no amount for want of credit capacity.
func (x *evaluator) scoreAmount(a *acc, e *entView, p *prodView) {
	w := &x.cfg.Weights
	// Cheap tests first: most pairs have neither, and the quick path runs
	// for every pair of a rematch.
	if p.kind == catalog.Loan && e.capacity <= 0 && !p.subsidySized() {
		if c := a.add(-w.NoCreditCapacity, 1); a.reason("no_credit_capacity", c) {
			a.sayPrivate(x.noCapacityMessage(e, false), x.noCapacityMessage(e, true))
		}
		return
	}
	if e.need <= 0 || e.needKind != p.kind {
		return
	}
	amount, by := x.suggest(e, p)
	if by == noAmount {
		return
	}
	// The share of the need the suggested amount meets, and of the product's
	// minimum when the amount falls below it.
	if c := a.add(w.AmountFit, float64(amount)/float64(max(e.need, p.minAmount))); a.reason("amount_fit", c) {
		a.sayPrivate(x.amountFitMessage(e, p, amount, by), x.publicAmountFitMessage(e, p, amount, by))
	}
}

// suggestionWords name a suggested amount by product kind.
var suggestionWords = map[catalog.ProductKind]string{catalog.Loan: "建议额度", catalog.Equity: "建议融资", catalog.Insurance: "建议保额"}

func suggestionWord(k catalog.ProductKind) string {
	if s, ok := suggestionWords[k]; ok {
		return s
	}
	return "建议额度"
}

// amountFitMessage cites only the need, the suggested amount and the
// product's minimum, and says the need is covered only when the suggested
// amount is the whole need.
func (x *evaluator) amountFitMessage(e *entView, p *prodView, amount catalog.Amount, by amountLimit) string {
	if by == byNeed {
		if amount < p.minAmount {
			return fmt.Sprintf("融资需求 %s 低于产品最低额度 %s", wan(e.need), wan(p.minAmount))
		}
		return fmt.Sprintf("%s %s，覆盖融资需求 %s", suggestionWord(p.kind), wan(amount), wan(e.need))
	}
	var why string
	switch by {
	case byMaximum:
		why = "受产品最高额度限制"
	case bySubsidies:
		why = fmt.Sprintf("按 %s财政补贴的 %s 倍测算", yearsSpan(x.year), trimNumber(p.multiple, 2))
	case byCapacity:
		why = x.capacityWhy(e)
	}
	msg := fmt.Sprintf("融资需求 %s，%s %s（%s）", wan(e.need), suggestionWord(p.kind), wan(amount), why)
	if amount < p.minAmount {
		return msg + fmt.Sprintf("，低于产品最低额度 %s", wan(p.minAmount))
	}
	return msg + "，可部分满足"
}

// publicAmountFitMessage is amountFitMessage without the need and the
// suggested amount, which are private: it names the limit in words, as
// amountFitMessage does, and keeps the product's minimum, which is public.
// The product's maximum is not cited even though it is public: when it
// binds, it is the suggested amount.
func (x *evaluator) publicAmountFitMessage(e *entView, p *prodView, amount catalog.Amount, by amountLimit) string {
	word := suggestionWord(p.kind)
	if by == byNeed {
		if amount < p.minAmount {
			return "融资需求低于产品最低额度 " + wan(p.minAmount)
		}
		return word + "覆盖融资需求"
	}
	var msg string
	switch by {
	case byMaximum:
		msg = word + "受产品最高额度限制"
	case bySubsidies:
		msg = fmt.Sprintf("积分奖补贷额度受奖补金额 %s 倍上限约束", trimNumber(p.multiple, 2))
	case byCapacity:
		msg = word + x.capacityWhy(e)
	}
	if amount < p.minAmount {
		return msg + "，低于产品最低额度 " + wan(p.minAmount)
	}
	return msg + "，可部分满足融资需求"
}

// capacityWhy names the rule that set a credit capacity. The choice
// depends on the revenue, but the words cite none.
func (x *evaluator) capacityWhy(e *entView) string {
	if float64(e.capacity) > float64(e.revenue)*x.cfg.CreditCapacityShare {
		return "按" + ternary(e.listed, "早小硬企业", "大赛获奖企业") + "授信下限测算"
	}
	return fmt.Sprintf("按最近年报营业收入的 %s 测算授信能力", percent(x.cfg.CreditCapacityShare))
}

// noCapacityMessage says why a loan suggests no amount. The public
// rendering does not say the latest revenue is 0: it says only that the
// capacity is, which the factor itself already tells.
func (x *evaluator) noCapacityMessage(e *entView, public bool) string {
	revenue := "最近年报营业收入为 0"
	switch {
	case e.src.LatestReport() == nil:
		revenue = "无年报，营业收入按 0 计"
	case public:
		revenue = "按最近年报测算"
	}
	return fmt.Sprintf("%s，未列入早小硬企业名单，%s无大赛获奖，授信能力为 0，不提供建议额度", revenue, yearsSpan(x.year))
}

func (x *evaluator) scoreIncubator(a *acc, e *entView, in *incView) {
	w := &x.cfg.Weights
	switch {
	case in.focus == 0:
		if c := a.add(w.OpenFocus, 1); a.reason("track_fit", c) {
			a.say("孵化载体不限重点赛道")
		}
	case in.focus&e.track != 0:
		if c := a.add(w.FocusTrack, 1); a.reason("track_fit", c) {
			a.say(fmt.Sprintf("属于孵化载体重点赛道「%s」", trackName(e.src.Track)))
		}
	}
	if in.city != 0 && in.city == e.city {
		if c := a.add(w.IncubatorCity, 1); a.reason("city_fit", c) {
			a.say(fmt.Sprintf("与孵化载体同在%s", cityName(e.src.City)))
		}
	}
	if c := a.add(w.IncubatorStage, in.stageFit[stageIndex(e.stage)]); a.reason("stage_fit", c) {
		a.say(fmt.Sprintf("%s适合%s企业", incubatorKindName(in.src.Kind), stageName(e.stage)))
	}
	if c := a.add(w.ServicePackage, float64(in.services)/5); a.reason("service_package", c) {
		a.say(fmt.Sprintf("提供育新服务包（%s）", serviceNames(in.src.ServicePackage)))
	}
	if in.vacancies > 0 {
		if c := a.add(w.Vacancies, float64(min(in.vacancies, 20))/20); a.reason("vacancies", c) {
			a.say(fmt.Sprintf("空余工位 %d 个", in.vacancies))
		}
	}
	if c := a.add(w.CarrierLevel, in.level); a.reason("carrier_level", c) {
		a.say(fmt.Sprintf("%s孵化载体", levelName(in.src.Level)))
	}
	x.scoreInnovation(a, e, w.InnovationIncubation)
	x.scoreGreen(a, e)
}

func (x *evaluator) scoreDemand(a *acc, e *entView, d *demView, hits int) {
	w := &x.cfg.Weights
	if hits > 0 && len(d.keywords) > 0 {
		if c := a.add(w.KeywordOverlap, float64(hits)/float64(len(d.keywords))); a.reason("keyword_overlap", c) {
			var found []string
			// Matched without regard to case, quoted as the demand stores them.
			for i, k := range d.keywords {
				if strings.Contains(e.text, k) {
					found = append(found, "「"+d.stored[i]+"」")
				}
			}
			a.say(fmt.Sprintf("命中需求关键词%s（%d/%d）", strings.Join(found, ""), hits, len(d.keywords)))
		}
	}
	if d.track != 0 && d.track == e.track {
		if c := a.add(w.DemandTrack, 1); a.reason("track_fit", c) {
			a.say(fmt.Sprintf("与需求同属「%s」赛道", trackName(e.src.Track)))
		}
	}
	if d.chain != "" && d.chain == e.chain {
		if c := a.add(w.DemandChain, 1); a.reason("industry_chain_fit", c) {
			a.say(fmt.Sprintf("同属「%s」产业链", d.src.IndustryChain))
		}
	}
	if d.city != 0 && d.city == e.city {
		if c := a.add(w.DemandCity, 1); a.reason("city_fit", c) {
			a.say(fmt.Sprintf("与需求方同在%s", cityName(e.src.City)))
		}
	}
	x.scoreInnovation(a, e, w.InnovationDemand)
	x.scoreGreen(a, e)
}

func (x *evaluator) scoreInnovation(a *acc, e *entView, weight float64) {
	if c := a.add(weight, float64(e.total)/1000); a.reason("innovation_score", c) {
		a.say(fmt.Sprintf("豫科积分 %d 分", e.total))
	}
}

// scoreGreen adds the green channel of award winners. It applies to every
// kind; DESIGN.md requires it in FINANCING and INCUBATION.
func (x *evaluator) scoreGreen(a *acc, e *entView) {
	if !e.green {
		return
	}
	if c := a.add(x.cfg.Weights.GreenChannel, 1); a.reason("green_channel", c) {
		a.say(fmt.Sprintf("%s大赛获奖企业，享受绿色通道", yearsSpan(x.year)))
	}
}

var coverageNames = map[catalog.Coverage]string{
	catalog.CoverRD: "研发", catalog.CoverOperation: "经营", catalog.CoverMarketPromotion: "市场推广",
	catalog.CoverIPProtection: "知识产权保护", catalog.CoverRDExpenseLoss: "研发费用损失",
	catalog.CoverProofOfConcept: "概念验证", catalog.CoverPilotScale: "中试", catalog.CoverCommercialization: "成果产业化",
}

// coverNames names the product's covers that the stage needs.
func coverNames(covers []catalog.Coverage, stage catalog.GrowthStage) string {
	var out []string
	for _, c := range stageCovers[stageIndex(stage)] {
		for _, have := range covers {
			if have == c {
				out = append(out, coverageNames[c])
			}
		}
	}
	return strings.Join(out, "、")
}

var incubatorKindNames = map[catalog.IncubatorKind]string{
	catalog.SmartIsland: "智慧岛", catalog.IncubatorCarrier: "孵化器", catalog.Makerspace: "众创空间",
	catalog.UniversitySciencePark: "大学科技园", catalog.Accelerator: "加速器", catalog.PilotBase: "中试基地",
}

func incubatorKindName(k catalog.IncubatorKind) string {
	if n, ok := incubatorKindNames[k]; ok {
		return n
	}
	return string(k)
}

func levelName(l catalog.CarrierLevel) string {
	switch l {
	case catalog.NationalLevel:
		return "国家级"
	case catalog.ProvincialLevel:
		return "省级"
	case catalog.MunicipalLevel:
		return "市级"
	}
	return string(l)
}

func serviceNames(sp *catalog.ServicePackage) string {
	return strings.Join(sp.Offers(), "、")
}

// scoreLinks adds what the links between the fund, the enterprise's
// incubator and its banks say for an equity pairing (tasks 6 and 7 of the
// action plan).
func (x *evaluator) scoreLinks(a *acc, e *entView, p *prodView) {
	b := &x.cfg.LinkBonuses
	if e.resident != 0 && slices.Contains(p.incPartners, e.resident) {
		if c := a.add(b.Incubation, 1); a.reason("incubation_link", c) {
			a.say("孵化+投资：所在孵化器与该基金签有投孵联动协议")
		}
	}
	if shares(e.borrowedFrom, p.loanPartners) {
		if c := a.add(b.Loan, 1); a.reason("loan_link", c) {
			a.say("以贷促投：已获该基金投贷联动合作银行的贷款")
		}
	}
	if slices.Contains(e.interestFrom, p.src.ProviderID) {
		if c := a.add(b.Interest, 1); a.reason("fund_interest", c) {
			a.say("该基金已对企业表达尽调意向")
		}
	}
}
