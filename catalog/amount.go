package catalog

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Amount is an exact amount of yuan held in fen (1/100 yuan), so sums and
// comparisons never round. It serialises as "5000000.00".
type Amount int64

// Yuan returns n whole yuan as an Amount.
func Yuan(n int64) Amount { return Amount(n * 100) }

// Float returns the amount in yuan as a float, for ratios and scoring only.
func (a Amount) Float() float64 { return float64(a) / 100 }

// String formats the amount with two decimals: "5000000.00", "-0.50".
func (a Amount) String() string {
	sign := ""
	v := int64(a)
	if v < 0 {
		sign, v = "-", -v
	}
	return fmt.Sprintf("%s%d.%02d", sign, v/100, v%100)
}

// Wan writes the amount the way Chinese messages show it: in 万元 (10,000
// yuan) with at most two decimals, or in 元 below 10,000: "2500万元",
// "12.5万元", "800元".
func (a Amount) Wan() string {
	unit, f := "万元", a.Float()/10_000
	if a < Yuan(10_000) && a > -Yuan(10_000) {
		unit, f = "元", a.Float()
	}
	s := strconv.FormatFloat(f, 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		s = "0"
	}
	return s + unit
}

// ErrInvalidAmount reports text that is not a decimal amount of yuan.
var ErrInvalidAmount = errors.New("catalog: invalid amount")

// ParseAmount reads a decimal amount of yuan with at most two decimals:
// "5000000", "5000000.5", "-12.34". Anything else is ErrInvalidAmount.
func ParseAmount(s string) (Amount, error) {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	digits := strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	whole, frac, hasDot := strings.Cut(digits, ".")
	if whole == "" || (hasDot && (frac == "" || len(frac) > 2)) || len(whole) > 15 {
		return 0, fmt.Errorf("%w: %q", ErrInvalidAmount, s)
	}
	for _, r := range whole + frac {
		if r < '0' || r > '9' {
			return 0, fmt.Errorf("%w: %q", ErrInvalidAmount, s)
		}
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: %q", ErrInvalidAmount, s)
	}
	for len(frac) < 2 {
		frac += "0"
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	v := w*100 + f
	if neg {
		v = -v
	}
	return Amount(v), nil
}

// AmountFromFloat converts yuan given as a number, rounding to the fen.
func AmountFromFloat(y float64) (Amount, error) {
	if math.IsNaN(y) || math.IsInf(y, 0) || math.Abs(y) > 1e15 {
		return 0, fmt.Errorf("%w: %v", ErrInvalidAmount, y)
	}
	return Amount(math.Round(y * 100)), nil
}

// MinAmount returns the smallest of its arguments.
func MinAmount(first Amount, rest ...Amount) Amount {
	m := first
	for _, a := range rest {
		if a < m {
			m = a
		}
	}
	return m
}
