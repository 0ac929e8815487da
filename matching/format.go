package matching

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/yurong/yurong/catalog"
)

// The helpers below write numbers the way the Chinese messages show them.

// wan writes an amount in 万元 (10,000 yuan) with at most two decimals,
// or in 元 below 10,000: "2500万元", "12.5万元", "800元".
func wan(a catalog.Amount) string { return a.Wan() }

// exactYuan writes an amount in 元 and, when large, in 万元 too:
// "25000000元（2500万元）". Blockers use it so the figure the user typed
// appears verbatim.
func exactYuan(a catalog.Amount) string {
	s := strings.TrimSuffix(a.String(), ".00") + "元"
	if a >= catalog.Yuan(10_000) {
		s += "（" + wan(a) + "）"
	}
	return s
}

// trimNumber formats f with at most prec decimals and no trailing zeros.
func trimNumber(f float64, prec int) string {
	s := strconv.FormatFloat(f, 'f', prec, 64)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// percent writes a fraction as a percentage: 0.052 → "5.2%".
func percent(f float64) string { return trimNumber(100*f, 1) + "%" }

// percentAgainst writes f as a percentage with as many decimals (up to
// four) as it takes not to read as the threshold it is compared with:
// 0.0496 against 0.05 is "4.96%", never "5%" beside "须不低于 5%".
func percentAgainst(f, threshold float64) string {
	for prec := 1; prec < 4; prec++ {
		if f == threshold || trimNumber(100*f, prec) != trimNumber(100*threshold, prec) {
			return trimNumber(100*f, prec) + "%"
		}
	}
	return trimNumber(100*f, 4) + "%"
}

// signed writes a contribution in centi-points with its sign: "+12", "-3.5".
func signed(centi int) string {
	s := trimNumber(float64(centi)/100, 2)
	if centi >= 0 {
		return "+" + s
	}
	return s
}

func trackName(t catalog.Track) string {
	if n, ok := catalog.TrackNames[t]; ok {
		return n
	}
	return string(t)
}

func cityName(c catalog.City) string {
	if n, ok := catalog.CityNames[c]; ok {
		return n
	}
	return string(c)
}

func stageName(s catalog.GrowthStage) string {
	if n, ok := catalog.StageNames[s]; ok {
		return n
	}
	return string(s)
}

func qualificationName(q catalog.Qualification) string {
	if n, ok := catalog.QualificationNames[q]; ok {
		return n
	}
	return string(q)
}

// names joins the Chinese names of a list with the enumeration comma.
func names[T any](xs []T, name func(T) string) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = name(x)
	}
	return strings.Join(parts, "、")
}

func yearsSpan(year int) string { return fmt.Sprintf("%d–%d 年", year-1, year) }
