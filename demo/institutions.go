package demo

import (
	"time"

	"github.com/yurong/yurong/catalog"
)

// institutionSeed is a real-sounding institution; short is how its products
// are named ("中原银行科技贷", "人保财险豫科保").
type institutionSeed struct {
	name, short string
	kind        catalog.InstitutionKind
	city        catalog.City
}

// knownInstitutions come first, in this order; the first five cover every
// kind of institution, so even the smallest dataset can offer every product.
var knownInstitutions = []institutionSeed{
	{"中原银行", "中原银行", catalog.Bank, catalog.Zhengzhou},
	{"河南省科技创新投资基金", "河南省科创投资基金", catalog.GovernmentFund, catalog.Zhengzhou},
	{"中原科创风险投资基金", "中原科创基金", catalog.VentureCapital, catalog.Zhengzhou},
	{"人保财险河南分公司", "人保财险", catalog.Insurer, catalog.Zhengzhou},
	{"河南省中豫融资担保有限公司", "中豫担保", catalog.Guarantor, catalog.Zhengzhou},
	{"郑州银行", "郑州银行", catalog.Bank, catalog.Zhengzhou},
	{"中国银行河南省分行", "中国银行", catalog.Bank, catalog.Zhengzhou},
	{"建设银行河南省分行", "建设银行", catalog.Bank, catalog.Zhengzhou},
	{"工商银行河南省分行", "工商银行", catalog.Bank, catalog.Zhengzhou},
	{"农业银行河南省分行", "农业银行", catalog.Bank, catalog.Zhengzhou},
	{"郑州高新创业投资有限公司", "郑州高新创投", catalog.VentureCapital, catalog.Zhengzhou},
	{"太平洋财险河南分公司", "太平洋财险", catalog.Insurer, catalog.Zhengzhou},
	{"交通银行河南省分行", "交通银行", catalog.Bank, catalog.Zhengzhou},
	{"招商银行郑州分行", "招商银行", catalog.Bank, catalog.Zhengzhou},
	{"河南省新兴产业投资引导基金", "河南省新兴产业基金", catalog.GovernmentFund, catalog.Zhengzhou},
	{"平安产险河南分公司", "平安产险", catalog.Insurer, catalog.Zhengzhou},
	{"河南农商银行", "河南农商银行", catalog.Bank, catalog.Zhengzhou},
	{"邮储银行河南省分行", "邮储银行", catalog.Bank, catalog.Zhengzhou},
	{"浦发银行郑州分行", "浦发银行", catalog.Bank, catalog.Zhengzhou},
	{"河南华夏海纳创业投资发展有限公司", "华夏海纳创投", catalog.VentureCapital, catalog.Zhengzhou},
	{"兴业银行郑州分行", "兴业银行", catalog.Bank, catalog.Zhengzhou},
	{"中信银行郑州分行", "中信银行", catalog.Bank, catalog.Zhengzhou},
	{"洛阳市科技创新投资基金", "洛阳科创基金", catalog.GovernmentFund, catalog.Luoyang},
	{"洛阳农商银行", "洛阳农商银行", catalog.Bank, catalog.Luoyang},
	{"中原前海股权投资基金", "中原前海基金", catalog.VentureCapital, catalog.Zhengzhou},
	{"国寿财险河南省分公司", "国寿财险", catalog.Insurer, catalog.Zhengzhou},
	{"河南省农业信贷担保有限责任公司", "河南农担", catalog.Guarantor, catalog.Zhengzhou},
	{"光大银行郑州分行", "光大银行", catalog.Bank, catalog.Zhengzhou},
	{"民生银行郑州分行", "民生银行", catalog.Bank, catalog.Zhengzhou},
	{"河南省中小企业发展基金", "河南省中小企业发展基金", catalog.GovernmentFund, catalog.Zhengzhou},
	{"洛阳国宏创业投资有限公司", "洛阳国宏创投", catalog.VentureCapital, catalog.Luoyang},
	{"焦作中旅银行", "焦作中旅银行", catalog.Bank, catalog.Jiaozuo},
	{"郑州农商银行", "郑州农商银行", catalog.Bank, catalog.Zhengzhou},
	{"中华联合财险河南分公司", "中华联合财险", catalog.Insurer, catalog.Zhengzhou},
	{"郑州市中小企业融资担保有限公司", "郑州中小担保", catalog.Guarantor, catalog.Zhengzhou},
	{"新乡市创新投资有限公司", "新乡创投", catalog.VentureCapital, catalog.Xinxiang},
	{"广发银行郑州分行", "广发银行", catalog.Bank, catalog.Zhengzhou},
	{"平顶山市科技创新投资基金", "平顶山科创基金", catalog.GovernmentFund, catalog.Pingdingshan},
	{"洛阳市融资担保有限公司", "洛阳担保", catalog.Guarantor, catalog.Luoyang},
	{"许昌市科技创新投资基金", "许昌科创基金", catalog.GovernmentFund, catalog.Xuchang},
	{"河南高科技创业投资股份有限公司", "河南高科技创投", catalog.VentureCapital, catalog.Zhengzhou},
	{"南阳农商银行", "南阳农商银行", catalog.Bank, catalog.Nanyang},
}

// Beyond the known institutions come city branches and local funds.
var (
	branchBanks      = []string{"中国银行", "建设银行", "工商银行", "农业银行", "交通银行", "邮储银行", "中原银行", "郑州银行", "招商银行", "兴业银行", "中信银行", "浦发银行"}
	branchInsurers   = []string{"人保财险", "太平洋财险", "平安产险", "国寿财险", "中华联合财险"}
	localVCWords     = []string{"高新", "国投", "科创", "产业"}
	extraKinds       = []catalog.InstitutionKind{catalog.Bank, catalog.VentureCapital, catalog.GovernmentFund, catalog.Insurer, catalog.Guarantor}
	extraKindChooser = newChooser([]float64{0.5, 0.15, 0.12, 0.13, 0.10})
)

// extraInstitutions lists, per kind, the city branches and local funds that
// follow the known institutions, in a fixed order.
func extraInstitutions() map[catalog.InstitutionKind][]institutionSeed {
	out := map[catalog.InstitutionKind][]institutionSeed{}
	add := func(kind catalog.InstitutionKind, city catalog.City, name string) {
		out[kind] = append(out[kind], institutionSeed{name: name, short: name, kind: kind, city: city})
	}
	for _, city := range catalog.Cities {
		c := catalog.CityNames[city]
		if city != catalog.Zhengzhou {
			for _, b := range branchBanks {
				add(catalog.Bank, city, b+c+"分行")
			}
			add(catalog.Bank, city, c+"农商银行")
			for _, in := range branchInsurers {
				add(catalog.Insurer, city, in+c+"中心支公司")
			}
		}
		add(catalog.GovernmentFund, city, c+"市科技创新投资基金")
		add(catalog.GovernmentFund, city, c+"市天使投资引导基金")
		for _, w := range localVCWords {
			add(catalog.VentureCapital, city, c+w+"创业投资有限公司")
		}
		add(catalog.Guarantor, city, c+"市中小企业融资担保有限公司")
		add(catalog.Guarantor, city, c+"市科技融资担保有限公司")
	}
	return out
}

// genInstitutions returns n institutions and the short names their products
// are named after.
func genInstitutions(r rnd, n int, today time.Time) ([]*catalog.Institution, []string) {
	out := make([]*catalog.Institution, 0, n)
	shorts := make([]string, 0, n)
	seen := map[string]bool{}
	add := func(s institutionSeed) {
		out = append(out, &catalog.Institution{Name: s.name, Kind: s.kind, City: s.city, CreatedAt: today})
		shorts = append(shorts, s.short)
		seen[s.name] = true
	}
	for _, s := range knownInstitutions[:min(n, len(knownInstitutions))] {
		add(s)
	}
	if len(out) == n {
		return out, shorts
	}

	extras := extraInstitutions()
	order := map[catalog.InstitutionKind][]int{}
	for _, kind := range extraKinds { // a fixed order, so the draws are deterministic
		order[kind] = r.Perm(len(extras[kind]))
	}
	for len(out) < n {
		kind := extraKinds[extraKindChooser.draw(r)]
		list := extras[kind]
		s := list[0]
		for len(order[kind]) > 0 {
			s = list[order[kind][0]]
			order[kind] = order[kind][1:]
			if !seen[s.name] {
				break
			}
		}
		if seen[s.name] { // this kind has run out: number a branch
			s.name = uniqueName(seen, func() string { return pick(r, list).name })
			s.short = s.name
			delete(seen, s.name) // add records it again
		}
		add(s)
	}
	return out, shorts
}
