package matching

import (
	"fmt"
	"strings"
	"time"

	"github.com/yurong/yurong/catalog"
)

// dishonestBlocker is the blocker of every pairing of a DISHONEST enterprise.
const dishonestBlocker = "失信主体：列入联合惩戒名单，不得配对"

// productEligibility applies every rule of a product's Eligibility; each
// failed rule is one blocker naming the rule and the numbers. Only the
// revenue rule cites a private figure; its public blocker keeps the verdict
// and the product's limit. "未获得财政补贴" is the subsidy rule's verdict
// and names no amount, so it is public as it stands. Lists are sets
// of accepted values: the enterprise must match one of them (for
// qualifications, hold at least one), and an empty list accepts anyone.
func productEligibility(a *acc, e *entView, p *prodView, today time.Time) {
	year := today.Year()
	el := &p.src.Eligibility
	if e.dishonest && a.block() {
		a.blocker(dishonestBlocker)
	}
	if p.minScore >= 0 && e.total < p.minScore && a.block() {
		a.blocker(fmt.Sprintf("豫科积分 %d 低于要求的 %d", e.total, p.minScore))
	}
	if p.tracks != 0 && p.tracks&e.track == 0 && a.block() {
		a.blocker(fmt.Sprintf("赛道「%s」不在产品支持的赛道（%s）内", trackName(e.src.Track), names(el.Tracks, trackName)))
	}
	if p.cities != 0 && p.cities&e.city == 0 && a.block() {
		a.blocker(fmt.Sprintf("所在城市「%s」不在产品服务的城市（%s）内", cityName(e.src.City), names(el.Cities, cityName)))
	}
	if p.stages != 0 && p.stages&e.stageBit == 0 && a.block() {
		a.blocker(fmt.Sprintf("成长阶段「%s」不在产品支持的阶段（%s）内", stageName(e.stage), names(el.Stages, stageName)))
	}
	if p.quals != 0 && p.quals&e.quals == 0 && a.block() {
		a.blocker(fmt.Sprintf("未持有产品要求的资质（须具备其一：%s）", names(el.Qualifications, qualificationName)))
	}
	if p.hasAgeLimit && e.src.FoundedOn.Before(p.ageCutoff) && a.block() {
		a.blocker(fmt.Sprintf("成立于 %s（已满 %d 年），成立年限超过产品上限 %d 年",
			e.src.FoundedOn.Format(time.DateOnly), completedYears(e.src.FoundedOn, today), *el.MaxCompanyAgeYears))
	}
	if p.maxEmployees >= 0 && e.employees > p.maxEmployees && a.block() {
		a.blocker(fmt.Sprintf("职工 %d 人，超过产品上限 %d 人", e.employees, p.maxEmployees))
	}
	if p.hasMaxRevenue && e.revenue > p.maxRevenue && a.block() {
		a.blockerPrivate(fmt.Sprintf("最近年报营业收入 %s，超过产品上限 %s", exactYuan(e.revenue), exactYuan(p.maxRevenue)),
			"最近年报营业收入超过产品上限 "+exactYuan(p.maxRevenue))
	}
	if p.needEntry && !e.entered && a.block() {
		last := "从未参赛"
		if e.lastEntry > 0 {
			last = fmt.Sprintf("最近一次参赛为 %d 年", e.lastEntry)
		}
		rule := "产品要求大赛参赛记录"
		if p.src.Program == catalog.ContestLoan {
			rule = "创赛贷要求大赛参赛记录"
		}
		a.blocker(fmt.Sprintf("%s：%s无中国创新创业大赛参赛记录（%s）", rule, yearsSpan(year), last))
	}
	if p.needAward && !e.green && a.block() {
		a.blocker(fmt.Sprintf("产品要求大赛获奖：%s未在中国创新创业大赛中获奖", yearsSpan(year)))
	}
	if p.subsidyLoan && e.subsidies <= 0 && a.block() {
		a.blocker(fmt.Sprintf("积分奖补贷要求财政补贴：%s未获得财政补贴", yearsSpan(year)))
	}
	modelEligibility(a, e, p)
}

// incubatorEligibility: an incubator without vacancies takes no one.
func incubatorEligibility(a *acc, e *entView, in *incView) {
	if e.dishonest && a.block() {
		a.blocker(dishonestBlocker)
	}
	if in.vacancies <= 0 && a.block() {
		a.blocker(fmt.Sprintf("孵化载体暂无空余工位（空位 %d 个）", in.vacancies))
	}
}

// demandEligibility: at least one of the demand's keywords must occur in the
// enterprise's keywords or description; hits is how many do.
func demandEligibility(a *acc, e *entView, d *demView, hits int) {
	if e.dishonest && a.block() {
		a.blocker(dishonestBlocker)
	}
	if hits > 0 {
		return
	}
	if len(d.keywords) == 0 {
		if a.block() {
			a.blocker("需求未设置关键词，无法判断技术匹配")
		}
		return
	}
	if a.block() {
		a.blocker(fmt.Sprintf("企业关键词和简介中未出现需求关键词（%s）", strings.Join(d.src.Keywords, "、")))
	}
}

// completedYears is the number of whole years from since to today.
func completedYears(since, today time.Time) int {
	y := today.Year() - since.Year()
	if today.Before(since.AddDate(y, 0, 0)) {
		y--
	}
	return y
}
