package demo

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/yurong/yurong/catalog"
)

// knownCarrier is a named smart island or university science park.
type knownCarrier struct {
	name  string
	city  catalog.City
	level catalog.CarrierLevel
}

var smartIslands = []knownCarrier{
	{"中原龙子湖智慧岛", catalog.Zhengzhou, catalog.ProvincialLevel},
	{"洛阳周山智慧岛", catalog.Luoyang, catalog.ProvincialLevel},
	{"鹤壁智慧岛", catalog.Hebi, catalog.ProvincialLevel},
	{"郑州航空港智慧岛", catalog.Zhengzhou, catalog.ProvincialLevel},
	{"新乡平原智慧岛", catalog.Xinxiang, catalog.ProvincialLevel},
	{"许昌智慧岛", catalog.Xuchang, catalog.ProvincialLevel},
	{"南阳智慧岛", catalog.Nanyang, catalog.ProvincialLevel},
	{"郑州高新智慧岛", catalog.Zhengzhou, catalog.ProvincialLevel},
	{"洛阳伊滨智慧岛", catalog.Luoyang, catalog.ProvincialLevel},
	{"开封智慧岛", catalog.Kaifeng, catalog.ProvincialLevel},
	{"平顶山智慧岛", catalog.Pingdingshan, catalog.ProvincialLevel},
	{"焦作智慧岛", catalog.Jiaozuo, catalog.ProvincialLevel},
	{"安阳智慧岛", catalog.Anyang, catalog.ProvincialLevel},
	{"濮阳智慧岛", catalog.Puyang, catalog.ProvincialLevel},
	{"漯河智慧岛", catalog.Luohe, catalog.ProvincialLevel},
	{"三门峡智慧岛", catalog.Sanmenxia, catalog.ProvincialLevel},
	{"商丘智慧岛", catalog.Shangqiu, catalog.ProvincialLevel},
	{"信阳智慧岛", catalog.Xinyang, catalog.ProvincialLevel},
	{"周口智慧岛", catalog.Zhoukou, catalog.ProvincialLevel},
	{"驻马店智慧岛", catalog.Zhumadian, catalog.ProvincialLevel},
	{"济源智慧岛", catalog.Jiyuan, catalog.ProvincialLevel},
}

var sciencePark = []knownCarrier{
	{"郑州大学国家大学科技园", catalog.Zhengzhou, catalog.NationalLevel},
	{"河南大学科技园", catalog.Kaifeng, catalog.NationalLevel},
	{"河南科技大学国家大学科技园", catalog.Luoyang, catalog.NationalLevel},
	{"河南理工大学国家大学科技园", catalog.Jiaozuo, catalog.NationalLevel},
	{"河南农业大学国家大学科技园", catalog.Zhengzhou, catalog.NationalLevel},
	{"河南工业大学科技园", catalog.Zhengzhou, catalog.ProvincialLevel},
	{"郑州轻工业大学科技园", catalog.Zhengzhou, catalog.ProvincialLevel},
	{"华北水利水电大学科技园", catalog.Zhengzhou, catalog.ProvincialLevel},
	{"河南师范大学科技园", catalog.Xinxiang, catalog.ProvincialLevel},
	{"新乡医学院科技园", catalog.Xinxiang, catalog.ProvincialLevel},
	{"南阳理工学院科技园", catalog.Nanyang, catalog.ProvincialLevel},
	{"信阳师范大学科技园", catalog.Xinyang, catalog.ProvincialLevel},
	{"河南中医药大学科技园", catalog.Zhengzhou, catalog.ProvincialLevel},
	{"中原工学院科技园", catalog.Zhengzhou, catalog.ProvincialLevel},
	{"安阳工学院科技园", catalog.Anyang, catalog.ProvincialLevel},
	{"河南城建学院科技园", catalog.Pingdingshan, catalog.ProvincialLevel},
	{"许昌学院科技园", catalog.Xuchang, catalog.ProvincialLevel},
	{"商丘师范学院科技园", catalog.Shangqiu, catalog.ProvincialLevel},
	{"黄淮学院科技园", catalog.Zhumadian, catalog.ProvincialLevel},
	{"洛阳理工学院科技园", catalog.Luoyang, catalog.ProvincialLevel},
}

// carrierTheme is the park a generated carrier sits in; track is its focus
// when it has one.
type carrierTheme struct {
	name  string
	track catalog.Track
}

var carrierThemes = []carrierTheme{
	{"高新区", ""}, {"经开区", ""}, {"科创城", ""}, {"双创园", ""}, {"青年创业园", ""},
	{"留学人员创业园", ""}, {"人才创新园", ""}, {"软件园", catalog.NextGenIT},
	{"数字经济产业园", catalog.NextGenIT}, {"电子信息产业园", catalog.NextGenIT},
	{"智能制造产业园", catalog.HighEndManufacturing}, {"装备制造产业园", catalog.HighEndManufacturing},
	{"新材料产业园", catalog.NewMaterials}, {"生物医药产业园", catalog.Biomedicine},
	{"医疗器械产业园", catalog.Biomedicine}, {"新能源产业园", catalog.NewEnergyEnvironment},
	{"节能环保产业园", catalog.NewEnergyEnvironment},
}

var (
	incubatorKinds = []catalog.IncubatorKind{catalog.SmartIsland, catalog.UniversitySciencePark,
		catalog.IncubatorCarrier, catalog.Makerspace, catalog.Accelerator, catalog.PilotBase}
	incubatorKindChooser = newChooser([]float64{5, 7, 38, 28, 8, 14})
	kindSuffixes         = map[catalog.IncubatorKind][]string{
		catalog.IncubatorCarrier: {"科技企业孵化器", "创业服务中心", "孵化基地"},
		catalog.Makerspace:       {"众创空间", "创客空间", "星创天地"},
		catalog.Accelerator:      {"科技企业加速器", "产业加速器"},
	}
	incubatorKindNames = map[catalog.IncubatorKind]string{
		catalog.SmartIsland: "智慧岛", catalog.UniversitySciencePark: "大学科技园", catalog.IncubatorCarrier: "科技企业孵化器",
		catalog.Makerspace: "众创空间", catalog.Accelerator: "科技企业加速器", catalog.PilotBase: "中试基地",
	}
	levelNames = map[catalog.CarrierLevel]string{
		catalog.NationalLevel: "国家级", catalog.ProvincialLevel: "省级", catalog.MunicipalLevel: "市级",
	}
	levelChooser = newChooser([]float64{0.2, 0.45, 0.35}) // national, provincial, municipal
	levels       = []catalog.CarrierLevel{catalog.NationalLevel, catalog.ProvincialLevel, catalog.MunicipalLevel}
	// vacancyRange is the usual number of free places by kind.
	vacancyRange = map[catalog.IncubatorKind][2]int{
		catalog.SmartIsland: {10, 120}, catalog.UniversitySciencePark: {5, 60}, catalog.IncubatorCarrier: {3, 50},
		catalog.Makerspace: {2, 30}, catalog.Accelerator: {2, 20}, catalog.PilotBase: {1, 10},
	}
)

type incubatorGen struct {
	r       rnd
	today   time.Time
	cities  chooser
	names   map[string]bool
	islands []int // remaining known carriers, in random order
	parks   []int
}

// genIncubators makes n incubation carriers: the smart islands and
// university science parks by name while they last, incubators, makerspaces,
// accelerators and pilot bases named after their city and park.
func genIncubators(r rnd, n int, today time.Time) []*catalog.Incubator {
	cw := make([]float64, len(cityWeights))
	for i, c := range cityWeights {
		cw[i] = c.weight
		if c.city == catalog.OtherCity {
			cw[i] = 0 // carriers are all in Henan
		}
	}
	g := &incubatorGen{r: r, today: today, cities: newChooser(cw), names: map[string]bool{},
		islands: r.Perm(len(smartIslands)), parks: r.Perm(len(sciencePark))}
	out := make([]*catalog.Incubator, n)
	for i := range out {
		out[i] = g.incubator()
	}
	if len(out) >= minIncubators && !slices.ContainsFunc(out, func(in *catalog.Incubator) bool { return in.Vacancies == 0 }) {
		full := out[r.IntN(len(out))] // at least one carrier is full
		full.Vacancies = 0
		full.Description = g.description(full)
	}
	return out
}

func (g *incubatorGen) incubator() *catalog.Incubator {
	r := g.r
	in := &catalog.Incubator{Kind: incubatorKinds[incubatorKindChooser.draw(r)], CreatedAt: g.today}
	theme := carrierTheme{}
	switch {
	case in.Kind == catalog.SmartIsland && len(g.islands) > 0:
		k := smartIslands[g.islands[0]]
		g.islands = g.islands[1:]
		in.Name, in.City, in.Level = k.name, k.city, k.level
		g.names[k.name] = true
	case in.Kind == catalog.UniversitySciencePark && len(g.parks) > 0:
		k := sciencePark[g.parks[0]]
		g.parks = g.parks[1:]
		in.Name, in.City, in.Level = k.name, k.city, k.level
		g.names[k.name] = true
	case in.Kind == catalog.PilotBase: // a segment's pilot base in one of its hub cities
		in.Level = catalog.ProvincialLevel
		if r.chance(0.3) {
			in.Level = catalog.MunicipalLevel
		}
		in.Name = uniqueName(g.names, func() string {
			seg := &segments[r.IntN(len(segments))]
			in.City, theme.track = pick(r, seg.hubs), seg.track
			return "河南省" + seg.key + "中试基地（" + catalog.CityNames[in.City] + "）"
		})
	default:
		if in.Kind == catalog.SmartIsland || in.Kind == catalog.UniversitySciencePark {
			in.Kind = catalog.IncubatorCarrier // the known ones have run out
		}
		in.Level = levels[levelChooser.draw(r)]
		in.Name = uniqueName(g.names, func() string {
			in.City, theme = cityWeights[g.cities.draw(r)].city, pick(r, carrierThemes)
			return catalog.CityNames[in.City] + theme.name + pick(r, kindSuffixes[in.Kind])
		})
	}

	in.FocusTracks = g.focusTracks(in.Kind, theme.track)
	if !r.chance(0.08) {
		v := vacancyRange[in.Kind]
		in.Vacancies = r.between(v[0], v[1])
	}
	if r.chance(0.85) {
		sp := &catalog.ServicePackage{
			FreeWorkstations: r.between(0, 20),
			RentFreeMonths:   pick(r, []int{0, 3, 6, 6, 12}),
			Mentorship:       r.chance(0.8),
			PolicyAgent:      r.chance(0.7),
			PilotBaseAccess:  in.Kind == catalog.PilotBase || r.chance(0.25),
		}
		in.ServicePackage = sp
	}
	in.Description = g.description(in)
	return in
}

// focusTracks gives 0–3 tracks, always including the theme's track if any.
func (g *incubatorGen) focusTracks(kind catalog.IncubatorKind, theme catalog.Track) []catalog.Track {
	r := g.r
	n := r.between(0, 2)
	if kind == catalog.SmartIsland || kind == catalog.UniversitySciencePark {
		n = r.between(0, 3)
	}
	var ts []catalog.Track
	if theme != "" && theme != catalog.OtherTrack {
		ts = append(ts, theme)
		n = min(n, 2)
	}
	for _, t := range sample(r, catalog.Tracks, n) {
		if !slices.Contains(ts, t) {
			ts = append(ts, t)
		}
	}
	slices.SortFunc(ts, func(a, b catalog.Track) int {
		return slices.Index(catalog.Tracks, a) - slices.Index(catalog.Tracks, b)
	})
	return ts
}

func (g *incubatorGen) description(in *catalog.Incubator) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s位于%s，是%s%s", in.Name, catalog.CityNames[in.City], levelNames[in.Level], incubatorKindNames[in.Kind])
	if len(in.FocusTracks) > 0 {
		names := make([]string, len(in.FocusTracks))
		for i, t := range in.FocusTracks {
			names[i] = catalog.TrackNames[t]
		}
		fmt.Fprintf(&b, "，重点孵化%s领域科技企业", strings.Join(names, "、"))
	} else {
		b.WriteString("，面向各领域科技型初创企业开放")
	}
	b.WriteString("。")
	if svc := in.ServicePackage.Offers(); len(svc) > 0 {
		fmt.Fprintf(&b, "为大赛参赛企业提供育新服务包：%s。", strings.Join(svc, "、"))
	}
	if in.Vacancies == 0 {
		b.WriteString("目前场地已满，暂不接收新入驻企业。")
	}
	return b.String()
}
