package demo

import "github.com/yurong/yurong/catalog"

// The tables below are read-only vocabulary. Nothing writes to them.

// segment is one industry segment of a track: the industry chain it belongs
// to, the words that go into company names, the technical terms that feed
// both enterprises' keywords and descriptions and chain leaders' demands,
// what the products are used for, and the cities where it clusters.
type segment struct {
	key       string
	track     catalog.Track
	chain     string // one of Henan's key industry chains; "" when none
	nameWords []string
	terms     []string
	uses      []string
	hubs      []catalog.City
	weight    float64
}

var segments = []segment{
	// 新一代信息技术
	{key: "半导体", track: catalog.NextGenIT, chain: "电子信息",
		nameWords: []string{"半导体", "微电子", "芯片", "集成电路"},
		terms:     []string{"SiC功率器件", "GaN射频器件", "碳化硅衬底", "功率半导体", "芯片设计", "集成电路封装测试", "单晶硅片", "IGBT模块", "PCB", "车规级芯片"},
		uses:      []string{"新能源汽车电驱系统", "光伏逆变器", "5G基站", "工业控制", "消费电子"},
		hubs:      []catalog.City{catalog.Zhengzhou, catalog.Luoyang, catalog.Xinxiang}, weight: 5},
	{key: "智能传感器", track: catalog.NextGenIT, chain: "智能传感器",
		nameWords: []string{"传感", "物联", "智能仪表"},
		terms:     []string{"MEMS传感器", "气体传感器", "红外热释电传感器", "压力传感器", "温湿度传感器", "传感器芯片", "物联网终端", "智能仪表", "激光雷达", "边缘计算"},
		uses:      []string{"智慧城市", "工业安全监测", "智能家居", "燃气安全", "汽车电子"},
		hubs:      []catalog.City{catalog.Zhengzhou, catalog.Nanyang}, weight: 5},
	{key: "光电", track: catalog.NextGenIT, chain: "光电",
		nameWords: []string{"光电", "光电子", "光通信", "光学"},
		terms:     []string{"光芯片", "PLC光分路器", "AWG芯片", "光纤连接器", "高速光模块", "激光器", "红外光学镜头", "光电连接器", "微光夜视", "Micro LED"},
		uses:      []string{"数据中心", "5G光网络", "航空航天", "安防监控", "轨道交通"},
		hubs:      []catalog.City{catalog.Luoyang, catalog.Hebi, catalog.Nanyang}, weight: 4},
	{key: "先进计算", track: catalog.NextGenIT, chain: "先进计算",
		nameWords: []string{"信息", "软件", "数据", "智能", "数字", "网络"},
		terms:     []string{"人工智能", "AI大模型", "工业互联网平台", "5G专网", "信创服务器", "网络安全", "区块链", "云计算", "数字孪生", "机器视觉算法", "AI质检", "大数据平台"},
		uses:      []string{"智能制造", "政务服务", "智慧农业", "金融科技", "智慧交通", "智慧医疗"},
		hubs:      []catalog.City{catalog.Zhengzhou}, weight: 9},
	{key: "新型显示", track: catalog.NextGenIT, chain: "新型显示和智能终端",
		nameWords: []string{"显示", "电子", "智能终端"},
		terms:     []string{"OLED", "触控模组", "液晶面板", "智能手机结构件", "偏光片", "Mini LED背光", "精密模具", "FPC柔性电路板"},
		uses:      []string{"智能手机", "车载显示", "可穿戴设备", "平板电脑"},
		hubs:      []catalog.City{catalog.Zhengzhou, catalog.Hebi}, weight: 3},

	// 高端装备制造
	{key: "智能装备", track: catalog.HighEndManufacturing, chain: "智能装备",
		nameWords: []string{"智能装备", "机器人", "自动化", "精密机械", "智能"},
		terms:     []string{"工业机器人", "协作机器人", "数控机床", "精密减速器", "伺服电机", "机器视觉", "智能产线", "AGV", "3D打印", "PLC控制系统"},
		uses:      []string{"汽车焊装", "3C电子装配", "物流仓储", "矿山开采", "食品包装"},
		hubs:      []catalog.City{catalog.Luoyang, catalog.Zhengzhou, catalog.Xinxiang}, weight: 8},
	{key: "工程机械", track: catalog.HighEndManufacturing, chain: "先进工程机械",
		nameWords: []string{"重工", "机械", "装备", "液压"},
		terms:     []string{"盾构机", "液压支架", "掘进机", "起重机", "智能化采煤", "矿用机器人", "远程遥控系统", "液压系统", "耐磨材料"},
		uses:      []string{"煤矿智能化", "隧道施工", "港口物流", "城市轨道交通"},
		hubs:      []catalog.City{catalog.Zhengzhou, catalog.Luoyang, catalog.Xinxiang, catalog.Jiaozuo}, weight: 5},
	{key: "电力装备", track: catalog.HighEndManufacturing, chain: "新型电力装备",
		nameWords: []string{"电气", "电力", "电器", "电力设备"},
		terms:     []string{"特高压", "GIS开关设备", "继电保护", "智能电网", "柔性直流输电", "变压器", "充电桩", "配电自动化", "智能电表"},
		uses:      []string{"电网调度", "新能源并网", "轨道交通供电", "数据中心供配电"},
		hubs:      []catalog.City{catalog.Xuchang, catalog.Pingdingshan, catalog.Zhengzhou}, weight: 5},
	{key: "农机装备", track: catalog.HighEndManufacturing, chain: "先进农机装备",
		nameWords: []string{"农机", "农业装备"},
		terms:     []string{"无人驾驶拖拉机", "智能农机", "收获机械", "植保无人机", "北斗农机导航", "精量播种"},
		uses:      []string{"小麦玉米收获", "丘陵山区作业", "高标准农田"},
		hubs:      []catalog.City{catalog.Luoyang, catalog.Zhumadian, catalog.Zhoukou, catalog.Xuchang}, weight: 2},
	{key: "航空航天", track: catalog.HighEndManufacturing, chain: "航空航天及卫星应用",
		nameWords: []string{"航空", "航天", "无人机", "卫星"},
		terms:     []string{"无人机", "卫星遥感", "北斗导航", "航空连接器", "复合材料构件", "航电系统", "通用航空"},
		uses:      []string{"应急救援", "国土测绘", "农林植保", "低空物流"},
		hubs:      []catalog.City{catalog.Anyang, catalog.Zhengzhou, catalog.Luoyang}, weight: 2},

	// 新材料
	{key: "超硬材料", track: catalog.NewMaterials, chain: "超硬材料",
		nameWords: []string{"超硬材料", "金刚石", "磨料磨具", "钻石"},
		terms:     []string{"人造金刚石", "培育钻石", "CVD金刚石", "立方氮化硼", "金刚石线锯", "PCD聚晶金刚石", "超硬刀具", "金刚石微粉", "金刚石散热片"},
		uses:      []string{"光伏硅片切割", "精密加工", "半导体散热", "珠宝首饰", "石油钻探"},
		hubs:      []catalog.City{catalog.Zhengzhou, catalog.Xuchang, catalog.Shangqiu, catalog.Nanyang}, weight: 4},
	{key: "尼龙新材料", track: catalog.NewMaterials, chain: "尼龙新材料",
		nameWords: []string{"尼龙新材料", "新材料", "工程塑料"},
		terms:     []string{"尼龙66切片", "己二胺", "己二腈", "工业丝", "帘子布", "改性尼龙", "工程塑料", "尼龙弹性体"},
		uses:      []string{"汽车轻量化", "轮胎骨架", "电子电器", "纺织服装"},
		hubs:      []catalog.City{catalog.Pingdingshan}, weight: 2.5},
	{key: "化工新材料", track: catalog.NewMaterials, chain: "化工新材料",
		nameWords: []string{"化工", "新材料", "氟材料", "化学"},
		terms:     []string{"六氟磷酸锂", "电子级氢氟酸", "钛白粉", "可降解塑料PBAT", "湿电子化学品", "含氟聚合物", "聚氨酯", "电解液添加剂"},
		uses:      []string{"锂离子电池", "半导体清洗", "高端涂料", "绿色包装"},
		hubs:      []catalog.City{catalog.Jiaozuo, catalog.Puyang, catalog.Hebi, catalog.Kaifeng}, weight: 3.5},
	{key: "先进合金材料", track: catalog.NewMaterials, chain: "先进合金材料",
		nameWords: []string{"合金", "铝业", "金属材料", "钼业", "新材料"},
		terms:     []string{"钼合金", "高精铝箔", "电池铝箔", "电子铜箔", "钛合金", "高温合金", "溅射靶材", "铝合金型材"},
		uses:      []string{"航空航天", "动力电池", "电子封装", "轨道交通"},
		hubs:      []catalog.City{catalog.Luoyang, catalog.Zhengzhou, catalog.Jiyuan, catalog.Sanmenxia}, weight: 3},

	// 生物医药
	{key: "生物医药", track: catalog.Biomedicine, chain: "生物医药",
		nameWords: []string{"生物", "生物医药", "药业", "基因"},
		terms:     []string{"mRNA疫苗", "单克隆抗体", "血液制品", "细胞治疗", "CAR-T", "基因测序", "重组蛋白", "兽用疫苗", "原料药", "合成生物"},
		uses:      []string{"肿瘤治疗", "传染病防控", "罕见病治疗", "动物疫病防控"},
		hubs:      []catalog.City{catalog.Zhengzhou, catalog.Xinxiang, catalog.Luoyang}, weight: 6},
	{key: "医疗器械", track: catalog.Biomedicine, chain: "高端医疗器械",
		nameWords: []string{"医疗器械", "医疗", "医学", "诊断"},
		terms:     []string{"体外诊断试剂", "化学发光", "医用耗材", "医学影像", "手术机器人", "可穿戴监测", "微生物质谱", "麻醉耗材", "康复器械", "分子诊断"},
		uses:      []string{"三甲医院检验科", "基层医疗", "术后康复", "家庭健康管理"},
		hubs:      []catalog.City{catalog.Zhengzhou, catalog.Xinxiang}, weight: 5},
	{key: "现代中药", track: catalog.Biomedicine, chain: "现代医药",
		nameWords: []string{"药业", "中药", "本草", "制药"},
		terms:     []string{"中药配方颗粒", "道地药材", "中药饮片", "艾草制品", "山茱萸提取物", "四大怀药", "中成药二次开发", "药食同源"},
		uses:      []string{"慢病调理", "大健康产品", "中医诊疗"},
		hubs:      []catalog.City{catalog.Nanyang, catalog.Jiaozuo, catalog.Xinyang, catalog.Zhumadian}, weight: 2},

	// 新能源及节能环保
	{key: "新能源汽车", track: catalog.NewEnergyEnvironment, chain: "新能源汽车",
		nameWords: []string{"新能源", "汽车", "电驱", "动力"},
		terms:     []string{"电驱系统", "BMS电池管理系统", "车规级SiC功率模块", "整车控制器", "热管理系统", "高压线束", "轻量化车身", "智能座舱", "自动驾驶"},
		uses:      []string{"新能源客车", "新能源乘用车", "专用车辆", "城市物流车"},
		hubs:      []catalog.City{catalog.Zhengzhou, catalog.Kaifeng, catalog.Jiaozuo, catalog.Xuchang, catalog.Hebi}, weight: 5},
	{key: "储能", track: catalog.NewEnergyEnvironment, chain: "新型储能",
		nameWords: []string{"储能", "锂能", "电池", "新能源"},
		terms:     []string{"储能系统", "磷酸铁锂电池", "钠离子电池", "液流电池", "三元正极材料", "电池回收", "PCS储能变流器", "固态电池"},
		uses:      []string{"电网侧储能", "工商业储能", "电动两轮车", "数据中心备电"},
		hubs:      []catalog.City{catalog.Xinxiang, catalog.Luoyang, catalog.Pingdingshan, catalog.Zhengzhou}, weight: 4},
	{key: "氢能", track: catalog.NewEnergyEnvironment, chain: "氢能",
		nameWords: []string{"氢能", "氢能源"},
		terms:     []string{"氢燃料电池", "电解水制氢", "储氢瓶", "加氢站", "燃料电池电堆", "质子交换膜"},
		uses:      []string{"燃料电池客车", "重卡物流", "化工副产氢利用"},
		hubs:      []catalog.City{catalog.Zhengzhou, catalog.Puyang, catalog.Xinxiang}, weight: 1.5},
	{key: "光伏", track: catalog.NewEnergyEnvironment, chain: "光伏",
		nameWords: []string{"光伏", "光能", "阳光能源"},
		terms:     []string{"多晶硅", "单晶硅片", "TOPCon电池", "光伏组件", "光伏逆变器", "分布式光伏", "BIPV光伏建筑"},
		uses:      []string{"分布式电站", "农光互补", "工商业屋顶"},
		hubs:      []catalog.City{catalog.Luoyang, catalog.Anyang, catalog.Pingdingshan, catalog.Shangqiu}, weight: 1.5},
	{key: "节能环保", track: catalog.NewEnergyEnvironment, chain: "节能环保装备",
		nameWords: []string{"环保", "环境", "节能"},
		terms:     []string{"污水处理", "固废资源化", "VOCs治理", "余热回收", "烟气脱硝", "膜分离", "土壤修复", "CCUS碳捕集", "环卫装备"},
		uses:      []string{"化工园区", "市政污水", "钢铁焦化", "垃圾焚烧"},
		hubs:      []catalog.City{catalog.Zhengzhou, catalog.Luoyang, catalog.Xinxiang, catalog.Xinyang}, weight: 3},

	// 其他
	{key: "现代食品", track: catalog.OtherTrack, chain: "现代食品",
		nameWords: []string{"食品", "餐饮"},
		terms:     []string{"预制菜", "速冻食品", "冷链物流", "食品检测", "益生菌发酵", "功能性食品", "休闲食品"},
		uses:      []string{"连锁餐饮", "商超零售", "社区团购"},
		hubs:      []catalog.City{catalog.Luohe, catalog.Zhengzhou, catalog.Zhoukou, catalog.Zhumadian}, weight: 2.5},
	{key: "轻纺", track: catalog.OtherTrack, chain: "轻纺",
		nameWords: []string{"纺织", "纤维", "服饰", "家居"},
		terms:     []string{"氨纶", "功能性纤维", "智能制衣", "再生纤维素纤维", "定制家居"},
		uses:      []string{"运动服饰", "家纺", "医用防护"},
		hubs:      []catalog.City{catalog.Xinxiang, catalog.Shangqiu, catalog.Zhengzhou, catalog.Zhoukou}, weight: 1.5},
	{key: "现代农业", track: catalog.OtherTrack, chain: "",
		nameWords: []string{"农业", "种业"},
		terms:     []string{"小麦育种", "智慧农业", "生物育种", "农业物联网", "设施农业", "土壤检测"},
		uses:      []string{"粮食生产", "高标准农田", "家庭农场"},
		hubs:      []catalog.City{catalog.Zhoukou, catalog.Zhumadian, catalog.Xinyang, catalog.Nanyang, catalog.Shangqiu}, weight: 2},
}

// hubBoost multiplies a segment's weight in the cities where it clusters.
const hubBoost = 3.0

// cityWeights is the share of enterprises in each city: Zhengzhou first, then
// Luoyang, Xinxiang, Nanyang …, and a few from outside the province.
var cityWeights = []struct {
	city   catalog.City
	weight float64
}{
	{catalog.Zhengzhou, 30}, {catalog.Luoyang, 11}, {catalog.Xinxiang, 7}, {catalog.Nanyang, 6},
	{catalog.Xuchang, 5}, {catalog.Jiaozuo, 4}, {catalog.Kaifeng, 4}, {catalog.Pingdingshan, 4},
	{catalog.Anyang, 3.5}, {catalog.Shangqiu, 3}, {catalog.Xinyang, 3}, {catalog.Zhoukou, 2.5},
	{catalog.Zhumadian, 2.5}, {catalog.Luohe, 2.5}, {catalog.Puyang, 2.5}, {catalog.Hebi, 2},
	{catalog.Sanmenxia, 2}, {catalog.Jiyuan, 1.5}, {catalog.OtherCity, 1.5},
}

// adminCodes are the administrative division codes that go into credit codes.
var adminCodes = map[catalog.City]string{
	catalog.Zhengzhou: "410100", catalog.Kaifeng: "410200", catalog.Luoyang: "410300",
	catalog.Pingdingshan: "410400", catalog.Anyang: "410500", catalog.Hebi: "410600",
	catalog.Xinxiang: "410700", catalog.Jiaozuo: "410800", catalog.Puyang: "410900",
	catalog.Xuchang: "411000", catalog.Luohe: "411100", catalog.Sanmenxia: "411200",
	catalog.Nanyang: "411300", catalog.Shangqiu: "411400", catalog.Xinyang: "411500",
	catalog.Zhoukou: "411600", catalog.Zhumadian: "411700", catalog.Jiyuan: "419001",
}

// outsideCities are where the OTHER-city enterprises are registered.
var outsideCities = []struct{ name, code string }{
	{"北京", "110108"}, {"上海", "310115"}, {"深圳", "440300"}, {"武汉", "420100"}, {"西安", "610100"}, {"杭州", "330100"},
}

// creditCodeAlphabet is the GB 32100-2015 character set.
const creditCodeAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// brandFirst and brandSecond make the two-character brands of company names.
var (
	brandFirst  = []rune("芯睿华中恒鼎博创航天宇汇晟凯瑞智联新金正信远达安泰峰源众德润嘉盛通弘翔锐铭启卓昊融精微光云海星蓝")
	brandSecond = []rune("睿华科创达通源泰峰宇新辰晟凯联锐盛博远恒鑫航智拓讯捷诚能川豪瀚图威鸿维朗益立景腾晖迈")
)

var subsidyPrograms = []string{
	"研发费用后补助", "高新技术企业认定奖励", "科技型中小企业创新资金", "省重大科技专项资助",
	"首台（套）重大技术装备奖励", "知识产权资助", "创新创业大赛获奖奖励", "中试基地建设补助",
}

var loanPurposes = []string{
	"用于%s产线扩产及原材料采购",
	"补充流动资金，保障%s订单交付",
	"购置研发与检测设备，推进%s项目产业化",
	"建设%s中试线并采购关键设备",
}

var equityPurposes = []string{
	"引入战略投资者，加快%s研发与市场拓展",
	"Pre-A轮融资，用于%s技术迭代和团队建设",
	"A轮融资，建设%s量产基地",
	"B轮融资，拓展%s海外市场",
}

var insurancePurposes = []string{
	"为%s研发项目投保研发费用损失险",
	"为首台（套）%s产品投保质量与责任保险",
	"为%s相关专利投保知识产权侵权损失险",
}

// chainLeader is an industry chain's leading enterprise that posts demands.
type chainLeader struct {
	name    string
	city    catalog.City
	segment string // the key of its segment
}

var chainLeaders = []chainLeader{
	{"宇通客车", catalog.Zhengzhou, "新能源汽车"},
	{"比亚迪郑州基地", catalog.Zhengzhou, "新能源汽车"},
	{"上汽乘用车郑州分公司", catalog.Zhengzhou, "新能源汽车"},
	{"中原内配", catalog.Jiaozuo, "新能源汽车"},
	{"天海电子", catalog.Hebi, "新能源汽车"},
	{"郑煤机集团", catalog.Zhengzhou, "工程机械"},
	{"中铁工程装备集团", catalog.Zhengzhou, "工程机械"},
	{"中信重工", catalog.Luoyang, "智能装备"},
	{"卫华集团", catalog.Xinxiang, "智能装备"},
	{"中国一拖", catalog.Luoyang, "农机装备"},
	{"许继电气", catalog.Xuchang, "电力装备"},
	{"平高电气", catalog.Pingdingshan, "电力装备"},
	{"森源电气", catalog.Xuchang, "电力装备"},
	{"安阳全丰航空植保", catalog.Anyang, "航空航天"},
	{"安图生物", catalog.Zhengzhou, "医疗器械"},
	{"驼人集团", catalog.Xinxiang, "医疗器械"},
	{"华兰生物", catalog.Xinxiang, "生物医药"},
	{"普莱柯生物", catalog.Luoyang, "生物医药"},
	{"宛西制药", catalog.Nanyang, "现代中药"},
	{"羚锐制药", catalog.Xinyang, "现代中药"},
	{"黄河旋风", catalog.Xuchang, "超硬材料"},
	{"郑州三磨所", catalog.Zhengzhou, "超硬材料"},
	{"力量钻石", catalog.Shangqiu, "超硬材料"},
	{"神马实业", catalog.Pingdingshan, "尼龙新材料"},
	{"中国平煤神马集团", catalog.Pingdingshan, "尼龙新材料"},
	{"多氟多", catalog.Jiaozuo, "化工新材料"},
	{"龙佰集团", catalog.Jiaozuo, "化工新材料"},
	{"洛阳钼业", catalog.Luoyang, "先进合金材料"},
	{"豫光金铅", catalog.Jiyuan, "先进合金材料"},
	{"明泰铝业", catalog.Zhengzhou, "先进合金材料"},
	{"汉威科技", catalog.Zhengzhou, "智能传感器"},
	{"森霸传感", catalog.Nanyang, "智能传感器"},
	{"中航光电", catalog.Luoyang, "光电"},
	{"仕佳光子", catalog.Hebi, "光电"},
	{"中光学集团", catalog.Nanyang, "光电"},
	{"合晶硅材料", catalog.Zhengzhou, "半导体"},
	{"超聚变数字技术", catalog.Zhengzhou, "先进计算"},
	{"新开普", catalog.Zhengzhou, "先进计算"},
	{"富士康郑州科技园", catalog.Zhengzhou, "新型显示"},
	{"天力锂能", catalog.Xinxiang, "储能"},
	{"中原油田", catalog.Puyang, "氢能"},
	{"中硅高科", catalog.Luoyang, "光伏"},
	{"宇通重工", catalog.Zhengzhou, "节能环保"},
	{"双汇发展", catalog.Luohe, "现代食品"},
	{"三全食品", catalog.Zhengzhou, "现代食品"},
	{"新乡化纤", catalog.Xinxiang, "轻纺"},
}
