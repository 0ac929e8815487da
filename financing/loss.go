package financing

import "github.com/yurong/yurong/catalog"

// Revenue limits of the 科技贷 loss-compensation tiers, each the top of its
// tier: a borrower whose latest annual revenue equals a limit is in the
// tier below it.
const (
	SmallBorrowerRevenue  = catalog.Amount(20_000_000 * 100)  // ¥20 million
	MediumBorrowerRevenue = catalog.Amount(50_000_000 * 100)  // ¥50 million
	LargeBorrowerRevenue  = catalog.Amount(100_000_000 * 100) // ¥100 million
)

// LossCompensationCeiling is the largest share of a 科技贷 loss that all
// levels of government together compensate.
const LossCompensationCeiling = 0.80

// LossCompensationRatio returns the province's share of a loss on a 科技贷
// (TECH_LOAN) loan, from the province's tier table by the borrower's latest
// annual revenue:
//
//	revenue ≤ ¥20 million, pure credit loan        60%
//	revenue ≤ ¥20 million, loan with collateral    50%
//	¥20 million < revenue ≤ ¥50 million             50%
//	¥50 million < revenue ≤ ¥100 million            40%
//	revenue > ¥100 million                          30%
//
// The province's 80% (LossCompensationCeiling) is the ceiling of the
// compensation from all levels of government together — the province's
// pool plus the city and county pools — and the marketplace does not know
// what the cities and counties add. The ratio here is the province's share
// from the tier table alone, which never exceeds that ceiling.
func LossCompensationRatio(collateralFree bool, revenue catalog.Amount) float64 {
	switch {
	case revenue <= SmallBorrowerRevenue && collateralFree:
		return 0.60
	case revenue <= MediumBorrowerRevenue:
		return 0.50
	case revenue <= LargeBorrowerRevenue:
		return 0.40
	}
	return 0.30
}
