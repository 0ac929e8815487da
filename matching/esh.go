package matching

import (
	"fmt"
	"time"

	"github.com/yurong/yurong/catalog"
)

// EarlySmallHard holds the early-small-hard (早小硬) flags of an enterprise.
type EarlySmallHard struct {
	Early, Small, Hard bool
	// Listed is all three and not DISHONEST.
	Listed bool
	// Reasons says, in Chinese, why each criterion holds or fails, with the
	// numbers; a dishonest enterprise meeting all three gets one more.
	Reasons []string
	// PublicReasons are the Reasons without the enterprise's private
	// figures (revenue, R&D expense and intensity, patent applications):
	// each criterion is compared with its public threshold instead.
	// Same length and order as Reasons. See docs/adr/010-public-texts.md.
	PublicReasons []string
	// EnterpriseID is the enterprise the flags are of, so that a reader
	// can be checked against it.
	EnterpriseID int64
}

// earlySmallHard applies the rule of DESIGN.md with the thresholds of r:
// early = founded less than MaxAgeYears ago; small = fewer than MaxEmployees
// employees and latest revenue below MaxRevenue; hard = a track other than
// OTHER, HIGH_TECH or an invention patent application in the latest report,
// and latest R&D intensity at least MinRDIntensity (R&D spending without
// revenue counts).
func earlySmallHard(e *catalog.Enterprise, r EarlySmallHardRule, today time.Time, withReasons bool) EarlySmallHard {
	var f EarlySmallHard
	latest := e.LatestReport()
	var revenue, rd catalog.Amount
	patents := 0
	if latest != nil {
		revenue, rd, patents = latest.Revenue, latest.RDExpense, latest.InventionPatentApplications
	}

	f.Early = today.Before(e.FoundedOn.AddDate(r.MaxAgeYears, 0, 0))
	f.Small = e.Employees < r.MaxEmployees && revenue < r.MaxRevenue
	highTech := e.HasQualification(catalog.HighTech)
	intensityOK := false
	if revenue > 0 {
		intensityOK = float64(rd)/float64(revenue) >= r.MinRDIntensity
	} else {
		intensityOK = rd > 0
	}
	trackOK := e.Track != catalog.OtherTrack && e.Track != ""
	f.Hard = trackOK && (highTech || patents > 0) && intensityOK
	dishonest := e.CreditStatus == catalog.CreditDishonest
	f.Listed = f.Early && f.Small && f.Hard && !dishonest
	if !withReasons {
		return f
	}

	early := fmt.Sprintf("早：成立于 %s，%s %d 年（以 %s 计）%s",
		e.FoundedOn.Format(time.DateOnly), ternary(f.Early, "不满", "已满"), r.MaxAgeYears,
		today.Format(time.DateOnly), verdict(f.Early))
	f.add(early, early)

	// Each text below has a public twin: the figures of the report give way
	// to the verdict against the public threshold. Without a report there
	// is no figure to hide.
	revenueText := "无年报，营业收入按 0 计"
	publicRevenue := revenueText
	if latest != nil {
		revenueText = fmt.Sprintf("%d 年营业收入 %s（上限 %s，须低于）", latest.Year, wan(revenue), wan(r.MaxRevenue))
		publicRevenue = "营业收入" + ternary(revenue < r.MaxRevenue, "低于 ", "不低于 ") + wan(r.MaxRevenue)
	}
	small := fmt.Sprintf("小：职工 %d 人（须少于 %d 人），", e.Employees, r.MaxEmployees)
	f.add(small+revenueText+verdict(f.Small), small+publicRevenue+verdict(f.Small))

	var intensityText, publicIntensity string
	switch {
	case latest == nil:
		intensityText = "无年报，无研发投入"
		publicIntensity = intensityText
	case revenue > 0:
		intensityText = fmt.Sprintf("研发投入强度 %s（须不低于 %s）", percentAgainst(float64(rd)/float64(revenue), r.MinRDIntensity), percent(r.MinRDIntensity))
	default:
		intensityText = fmt.Sprintf("营业收入为 0，研发费用 %s", wan(rd))
	}
	if latest != nil {
		// R&D spending without revenue counts as intense enough, and none
		// without revenue as not: the verdict alone says which.
		publicIntensity = "研发投入强度" + ternary(intensityOK, "不低于 ", "低于 ") + percent(r.MinRDIntensity)
	}
	techText := fmt.Sprintf("发明专利申请 %d 件", patents)
	publicTech := ternary(patents > 0, "有发明专利申请", "无发明专利申请")
	qualification := ternary(highTech, "高新技术企业，", "非高新技术企业，")
	hard := fmt.Sprintf("硬：赛道「%s」，%s", trackName(e.Track), qualification)
	f.add(hard+techText+"，"+intensityText+verdict(f.Hard), hard+publicTech+"，"+publicIntensity+verdict(f.Hard))

	if f.Early && f.Small && f.Hard && dishonest {
		const d = "失信主体：列入联合惩戒名单，不列入早小硬名单"
		f.add(d, d)
	}
	return f
}

// add appends a reason and its public rendering.
func (f *EarlySmallHard) add(full, public string) {
	f.Reasons = append(f.Reasons, full)
	f.PublicReasons = append(f.PublicReasons, public)
}

func verdict(ok bool) string { return ternary(ok, "，符合", "，不符合") }

func ternary[T any](cond bool, a, b T) T {
	if cond {
		return a
	}
	return b
}
