package demo

import (
	"fmt"
	"strings"
	"time"

	"github.com/yurong/yurong/catalog"
)

// demandStyle is how a chain leader words one kind of demand.
type demandStyle struct {
	kind        catalog.DemandKind
	titles      []string // %s is the main technical term
	ask         string   // what the leader asks for; %s is the main technical term
	requirement []string
	budget      [2]float64 // yuan
}

var demandStyles = []demandStyle{
	{catalog.Supplier, []string{"征集%s供应商", "%s配套供应商招募", "%s国产化替代供应商征集"}, "面向全省征集%s配套供应商",
		[]string{"具备批量供货能力，通过IATF 16949或ISO 9001质量体系认证", "具备稳定交付能力，可驻厂提供技术服务"}, [2]float64{1e6, 5e7}},
	{catalog.PurchaseOrder, []string{"%s批量采购需求", "%s年度采购", "%s采购项目"}, "计划采购一批%s相关产品",
		[]string{"年采购量稳定，同等条件下优先省内企业", "需提供样品测试报告，分批次交付"}, [2]float64{1e6, 5e7}},
	{catalog.JointRD, []string{"%s联合研发需求", "联合攻关%s关键技术", "%s产学研合作需求"}, "寻求合作伙伴联合攻关%s关键技术",
		[]string{"具备核心专利与研发团队，可共建联合实验室", "可共同申报省重大科技专项"}, [2]float64{5e5, 1e7}},
	{catalog.TechTransfer, []string{"寻求%s技术成果转化", "%s技术转让需求", "%s成果落地合作"}, "寻求%s相关科技成果的转让或许可",
		[]string{"拥有自主知识产权，技术成熟度达到TRL 6级以上", "可提供中试验证数据，支持技术入股"}, [2]float64{3e5, 5e6}},
}

var demandStyleChooser = newChooser([]float64{0.3, 0.2, 0.3, 0.2})

// genDemands makes n chain leaders' demands: each draws its title and 2–5
// keywords from the leader's segment vocabulary, the same vocabulary
// enterprises' keywords and descriptions come from.
func genDemands(r rnd, n int, today, day time.Time) []*catalog.SupplyChainDemand {
	bySegment := map[string]*segment{}
	for i := range segments {
		bySegment[segments[i].key] = &segments[i]
	}
	out := make([]*catalog.SupplyChainDemand, n)
	for i := range out {
		leader := pick(r, chainLeaders)
		seg := bySegment[leader.segment]
		style := demandStyles[demandStyleChooser.draw(r)]
		ks := sample(r, seg.terms, r.between(2, 5))
		d := &catalog.SupplyChainDemand{
			Title:         fmt.Sprintf(pick(r, style.titles), ks[0]),
			Kind:          style.kind,
			IndustryChain: seg.chain,
			Track:         seg.track,
			City:          leader.city,
			OwnerName:     leader.name,
			Keywords:      ks,
			CreatedAt:     today,
		}
		var b strings.Builder
		fmt.Fprintf(&b, "%s作为%s产业链链主企业，", leader.name, seg.chain)
		fmt.Fprintf(&b, style.ask, ks[0])
		if len(ks) > 1 {
			fmt.Fprintf(&b, "，涉及%s等方向", strings.Join(ks[1:], "、"))
		}
		fmt.Fprintf(&b, "，应用于%s。要求%s。", pick(r, seg.uses), pick(r, style.requirement))
		if r.chance(0.75) {
			d.Budget = ptr(yuan(r.logUniform(style.budget[0], style.budget[1]), 10_000))
			fmt.Fprintf(&b, "预算约%d万元。", int64(*d.Budget)/100/10_000)
		}
		d.Description = b.String()
		if r.chance(0.8) {
			d.Deadline = ptr(day.AddDate(0, 0, r.between(14, 180)))
		}
		out[i] = d
	}
	return out
}
