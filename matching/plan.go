package matching

import (
	"fmt"
	"slices"
	"strings"

	"github.com/yurong/yurong/catalog"
)

// FinancingPlan is the 一企一策 plan of one enterprise: its best eligible
// loan, equity and insurance products, its best incubator and its best
// supply-chain demand.
type FinancingPlan struct {
	EnterpriseID int64
	// Items in order: the product kind of the stated need, the other kinds
	// of LOAN, EQUITY, INSURANCE, then incubator, demand; each only when an
	// eligible pairing exists, and a LOAN item only with a suggested amount.
	Items []Pairing
	// TotalCreditLine sums the suggested amounts of the LOAN items.
	TotalCreditLine catalog.Amount
	Summary         string // Chinese prose, opening with the stated need
	// Growth is the growth plan: for the next grade, the early-small-hard
	// list and the cheapest product of the stated need's kind (LOAN
	// without a need) the enterprise does not yet qualify for, the best
	// advice path of each, when one reaches it.
	Growth []GrowthGoal
}

// GrowthGoal is one goal of the growth plan and the cheapest path to it.
type GrowthGoal struct {
	Target AdviceTarget
	Goal   string // Chinese: what the goal is
	Path   AdvicePath
}

var planProductKinds = []catalog.ProductKind{catalog.Loan, catalog.Equity, catalog.Insurance}

// planKinds orders the product kinds of a plan: the kind of the stated need
// first, then the others in the order of planProductKinds.
func planKinds(v *entView) []catalog.ProductKind {
	if v.need <= 0 || !slices.Contains(planProductKinds, v.needKind) {
		return planProductKinds
	}
	out := []catalog.ProductKind{v.needKind}
	for _, k := range planProductKinds {
		if k != v.needKind {
			out = append(out, k)
		}
	}
	return out
}

// Plan builds an enterprise's financing plan. A DISHONEST enterprise gets
// an empty plan whose summary says why.
func (e *Engine) Plan(enterpriseID int64) (FinancingPlan, bool) {
	i, ok := e.lookup(enterpriseID)
	if !ok {
		return FinancingPlan{}, false
	}
	defer e.mu.RUnlock()
	v := e.ents[i]
	plan := FinancingPlan{EnterpriseID: v.id, Items: []Pairing{}}
	if v.dishonest {
		plan.Summary = needSentence(v) + fmt.Sprintf("%s为失信主体（列入联合惩戒名单），按规定不予配对金融产品、孵化载体和产业链需求，暂不生成融资方案。", v.src.Name)
		return plan, true
	}

	// The best eligible product of each product kind, a loan only when it
	// suggests an amount: the row keeps only the best of all kinds
	// together, so the products are ranked here (a few hundred evaluations
	// without allocation).
	best := map[catalog.ProductKind]int32{}
	bestEntry := map[catalog.ProductKind]entry{}
	for p, pv := range e.prods {
		score, ok := e.x.quickProduct(v, pv)
		if !ok {
			continue
		}
		if _, by := e.x.suggest(v, pv); pv.kind == catalog.Loan && by == noAmount {
			continue
		}
		x := newEntry(pv.id, score)
		if b, seen := bestEntry[pv.kind]; !seen || better(x, b) {
			best[pv.kind], bestEntry[pv.kind] = int32(p), x
		}
	}
	var picks []string
	var unmet string // the kind of the stated need when no product meets it
	for _, k := range planKinds(v) {
		p, ok := best[k]
		if !ok {
			if v.need > 0 && k == v.needKind {
				unmet = fmt.Sprintf("目前暂无符合条件的%s产品满足这一需求。", kindName(k))
			}
			continue
		}
		item := e.explain(kFinancing, i, p)
		plan.Items = append(plan.Items, item)
		text := fmt.Sprintf("%s「%s」", kindName(k), e.prods[p].src.Name)
		if a := item.SuggestedAmount; a != nil {
			if k == catalog.Loan {
				plan.TotalCreditLine += *a
			}
			text += fmt.Sprintf("，%s %s", suggestionWord(k), wan(*a))
			if v.need > 0 && k == v.needKind {
				if gap := v.need - *a; gap > 0 {
					text += fmt.Sprintf("（融资需求 %s，尚有缺口 %s）", wan(v.need), wan(gap))
				} else {
					text += "，满足融资需求"
				}
			}
		}
		picks = append(picks, text)
	}
	for _, k := range []int{kIncubation, kIndustryChain} {
		l := e.rows[i].lists[k][eligibleList].items
		if len(l) == 0 {
			continue
		}
		res := e.resIdx[k][l[0].id()]
		plan.Items = append(plan.Items, e.explain(k, i, res))
		if k == kIncubation {
			picks = append(picks, fmt.Sprintf("入驻孵化载体「%s」", e.incs[res].src.Name))
		} else {
			picks = append(picks, fmt.Sprintf("对接%s的需求「%s」", e.dems[res].src.OwnerName, e.dems[res].src.Title))
		}
	}
	plan.Summary = e.summary(v, unmet, picks, plan.TotalCreditLine)
	plan.Growth = e.growthPlan(i)
	return plan, true
}

// growthPlan is the plan's growth goals. Call with the read lock held.
func (e *Engine) growthPlan(i int32) []GrowthGoal {
	v := e.ents[i]
	out := []GrowthGoal{}
	if v.dishonest {
		return out
	}
	p := e.newProbe(i)
	add := func(goal string, a Advice) {
		if !a.Reached && a.Reachable && len(a.Paths) > 0 {
			out = append(out, GrowthGoal{Target: a.Target, Goal: goal, Path: a.Paths[0]})
		}
	}
	_, grade := e.cohorts[stageIndex(v.stage)].rank(v.total)
	if r := gradeRank(grade); r < gradeRank(catalog.Leading) {
		next := []catalog.ScoreGrade{catalog.Baseline, catalog.Advancing, catalog.Racing, catalog.Leading}[r+1]
		if a, ok := e.advise(p, AdviceTarget{Kind: TargetGrade, Grade: next}); ok {
			add(fmt.Sprintf("豫科积分等级提升至「%s」", gradeNames[next]), a)
		}
	}
	if !v.listed {
		if a, ok := e.advise(p, AdviceTarget{Kind: TargetEarlySmallHard}); ok {
			add("列入早小硬企业名单", a)
		}
	}
	kind := catalog.Loan
	if v.need > 0 && slices.Contains(planProductKinds, v.needKind) {
		kind = v.needKind
	}
	var best *Advice
	for _, a := range e.adviseBlocked(p, func(pv *prodView) bool { return pv.kind == kind }) {
		if a.Reachable && len(a.Paths) > 0 && (best == nil || a.Paths[0].Effort < best.Paths[0].Effort) {
			best = &a
		}
	}
	if best != nil {
		name := e.prods[e.resIdx[kFinancing][best.Target.ProductID]].src.Name
		add(fmt.Sprintf("符合%s产品「%s」的申请条件", kindName(kind), name), *best)
	}
	return out
}

// needNames name a stated need by kind, as the summary opens with it.
var needNames = map[catalog.ProductKind]string{catalog.Loan: "贷款", catalog.Equity: "股权融资", catalog.Insurance: "保险"}

func kindName(k catalog.ProductKind) string {
	if n, ok := catalog.ProductKindNames[k]; ok {
		return n
	}
	return string(k)
}

// needSentence opens a summary with the stated need: "融资需求：股权融资
// 500万元，用于建设中试线。"; "" without a need.
func needSentence(v *entView) string {
	if v.need <= 0 {
		return ""
	}
	name, ok := needNames[v.needKind]
	if !ok {
		name = string(v.needKind)
	}
	s := fmt.Sprintf("融资需求：%s %s", name, wan(v.need))
	if purpose := strings.TrimRight(strings.TrimSpace(v.src.FinancingNeed.Purpose), "。.；;，, "); purpose != "" {
		s += "，用于" + strings.TrimPrefix(purpose, "用于")
	}
	return s + "。"
}

// summary writes the plan's Chinese prose: the stated need and, when no
// product meets it, that plainly; who the enterprise is and its score; and
// the recommended items.
func (e *Engine) summary(v *entView, unmet string, picks []string, creditLine catalog.Amount) string {
	var b strings.Builder
	b.WriteString(needSentence(v))
	b.WriteString(unmet)
	c := &e.cohorts[stageIndex(v.stage)]
	_, grade := c.rank(v.total)
	fmt.Fprintf(&b, "%s处于%s，豫科积分 %d 分（%s）", v.src.Name, stageName(v.stage), v.total, gradeNames[grade])
	if v.listed {
		b.WriteString("，列入早小硬企业名单")
	}
	if v.green {
		b.WriteString("，为大赛获奖企业，享受绿色通道")
	}
	if v.warrant {
		b.WriteString("，持有认股权贷款，列入股权融资项目库")
	}
	b.WriteString("。")
	if len(picks) == 0 {
		b.WriteString("目前暂无符合条件的金融产品、孵化载体或产业链需求，建议完善年报和资质信息后再行匹配。")
		return b.String()
	}
	b.WriteString("建议：")
	b.WriteString(strings.Join(picks, "；"))
	b.WriteString("。")
	if creditLine > 0 {
		fmt.Fprintf(&b, "贷款授信合计 %s。", wan(creditLine))
	}
	return b.String()
}

var gradeNames = map[catalog.ScoreGrade]string{
	catalog.Leading: "领跑，队列前 5%", catalog.Racing: "竞跑，队列前 5%–10%",
	catalog.Advancing: "快跑，队列前 10%–20%", catalog.Baseline: "起跑",
}
