package financing

import (
	"testing"

	"github.com/yurong/yurong/catalog"
)

func TestLossThresholds(t *testing.T) {
	if SmallBorrowerRevenue != catalog.Yuan(20_000_000) ||
		MediumBorrowerRevenue != catalog.Yuan(50_000_000) ||
		LargeBorrowerRevenue != catalog.Yuan(100_000_000) {
		t.Errorf("thresholds = %s, %s, %s; want 20, 50 and 100 million yuan",
			SmallBorrowerRevenue, MediumBorrowerRevenue, LargeBorrowerRevenue)
	}
}

func TestLossCompensationRatio(t *testing.T) {
	const fen = catalog.Amount(1)
	tests := []struct {
		name           string
		collateralFree bool
		revenue        catalog.Amount
		want           float64
	}{
		{"no revenue, pure credit", true, 0, 0.60},
		{"no revenue, with collateral", false, 0, 0.50},
		{"exactly 20 million, pure credit", true, catalog.Yuan(20_000_000), 0.60},
		{"exactly 20 million, with collateral", false, catalog.Yuan(20_000_000), 0.50},
		{"20 million and a fen, pure credit", true, catalog.Yuan(20_000_000) + fen, 0.50},
		{"20 million and a fen, with collateral", false, catalog.Yuan(20_000_000) + fen, 0.50},
		{"exactly 50 million", true, catalog.Yuan(50_000_000), 0.50},
		{"50 million and a fen", true, catalog.Yuan(50_000_000) + fen, 0.40},
		{"exactly 100 million, pure credit", true, catalog.Yuan(100_000_000), 0.40},
		{"exactly 100 million, with collateral", false, catalog.Yuan(100_000_000), 0.40},
		{"100 million and a fen, pure credit", true, catalog.Yuan(100_000_000) + fen, 0.30},
		{"100 million and a fen, with collateral", false, catalog.Yuan(100_000_000) + fen, 0.30},
		{"a billion", false, catalog.Yuan(1_000_000_000), 0.30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := LossCompensationRatio(tt.collateralFree, tt.revenue)
			if got != tt.want {
				t.Errorf("LossCompensationRatio(%v, %s) = %v, want %v", tt.collateralFree, tt.revenue, got, tt.want)
			}
			if got > LossCompensationCeiling {
				t.Errorf("ratio %v above the ceiling %v", got, LossCompensationCeiling)
			}
		})
	}
}
