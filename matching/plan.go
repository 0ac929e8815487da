package matching

import (
	"fmt"
	"strings"

	"github.com/yurong/yurong/catalog"
)

// FinancingPlan is the 一企一策 plan of one enterprise: its best eligible
// loan, equity and insurance products, its best incubator and its best
// supply-chain demand.
type FinancingPlan struct {
	EnterpriseID int64
	// Items in order: LOAN, EQUITY, INSURANCE, incubator, demand; each only
	// when an eligible pairing exists.
	Items []Pairing
	// TotalCreditLine sums the suggested amounts of the LOAN items.
	TotalCreditLine catalog.Amount
	Summary         string // Chinese prose
}

var planProductKinds = []catalog.ProductKind{catalog.Loan, catalog.Equity, catalog.Insurance}

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
		plan.Summary = fmt.Sprintf("%s为失信主体（列入联合惩戒名单），按规定不予配对金融产品、孵化载体和产业链需求，暂不生成融资方案。", v.src.Name)
		return plan, true
	}

	// The best product of each product kind: the row keeps only the best
	// of all kinds together, so the products are ranked here (a few hundred
	// evaluations without allocation).
	best := map[catalog.ProductKind]int32{}
	bestEntry := map[catalog.ProductKind]entry{}
	for p, pv := range e.prods {
		score, ok := e.x.quickProduct(v, pv)
		x := entry{id: pv.id, score: score}
		if b, seen := bestEntry[pv.kind]; ok && (!seen || better(x, b)) {
			best[pv.kind], bestEntry[pv.kind] = int32(p), x
		}
	}
	var picks []string
	for _, k := range planProductKinds {
		p, ok := best[k]
		if !ok {
			continue
		}
		item := e.explain(kFinancing, i, p)
		plan.Items = append(plan.Items, item)
		pv := e.prods[p]
		text := fmt.Sprintf("%s「%s」", catalog.ProductKindNames[k], pv.src.Name)
		if k == catalog.Loan {
			plan.TotalCreditLine += *item.SuggestedAmount
			text += fmt.Sprintf("，建议额度 %s", wan(*item.SuggestedAmount))
		} else if k == catalog.Equity {
			text += fmt.Sprintf("，建议融资 %s", wan(*item.SuggestedAmount))
		}
		picks = append(picks, text)
	}
	for _, k := range []int{kIncubation, kIndustryChain} {
		l := e.rows[i].lists[k][eligibleList].items
		if len(l) == 0 {
			continue
		}
		res := e.resIdx[k][l[0].id]
		plan.Items = append(plan.Items, e.explain(k, i, res))
		if k == kIncubation {
			picks = append(picks, fmt.Sprintf("入驻孵化载体「%s」", e.incs[res].src.Name))
		} else {
			picks = append(picks, fmt.Sprintf("对接%s的需求「%s」", e.dems[res].src.OwnerName, e.dems[res].src.Title))
		}
	}
	plan.Summary = e.summary(v, picks, plan.TotalCreditLine)
	return plan, true
}

// summary writes the plan's Chinese prose: who the enterprise is, its score,
// and the recommended items.
func (e *Engine) summary(v *entView, picks []string, creditLine catalog.Amount) string {
	var b strings.Builder
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
