package catalog

import (
	"slices"
	"testing"
)

func TestPairingKindsAndTheirResources(t *testing.T) {
	t.Run("the kinds are listed in the API enum's order", func(t *testing.T) {
		want := []PairingKind{Financing, Incubation, IndustryChain}
		if !slices.Equal(PairingKinds, want) {
			t.Fatalf("PairingKinds = %v, want %v", PairingKinds, want)
		}
		for i, k := range want {
			if k.Order() != i {
				t.Errorf("%s.Order() = %d, want %d", k, k.Order(), i)
			}
		}
		if o := PairingKind("LEASING").Order(); o != -1 {
			t.Errorf("an unknown kind's order = %d, want -1", o)
		}
	})
	tests := []struct {
		kind             PairingKind
		entity, typeName string
	}{
		{Financing, "product", "FinancialProduct"},
		{Incubation, "incubator", "Incubator"},
		{IndustryChain, "demand", "SupplyChainDemand"},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind)+" pairs with "+tt.entity+" both ways", func(t *testing.T) {
			if got := tt.kind.Resource(); got != tt.entity {
				t.Errorf("Resource() = %q, want %q", got, tt.entity)
			}
			if k, ok := PairingKindOf(tt.entity); !ok || k != tt.kind {
				t.Errorf("PairingKindOf(%q) = %q, %v", tt.entity, k, ok)
			}
			if k, ok := PairingKindOfType(tt.typeName); !ok || k != tt.kind {
				t.Errorf("PairingKindOfType(%q) = %q, %v", tt.typeName, k, ok)
			}
		})
	}
	t.Run("what is not a resource has no kind", func(t *testing.T) {
		if k, ok := PairingKindOf("enterprise"); ok {
			t.Errorf("PairingKindOf(enterprise) = %q", k)
		}
		if k, ok := PairingKindOfType("Enterprise"); ok {
			t.Errorf("PairingKindOfType(Enterprise) = %q", k)
		}
		if r := PairingKind("LEASING").Resource(); r != "" {
			t.Errorf("an unknown kind's resource = %q", r)
		}
	})
}

func TestPairingKeys(t *testing.T) {
	t.Run("a key reads back as written, with either separator", func(t *testing.T) {
		for _, sep := range []string{":", "-"} {
			s := FormatPairingKey(IndustryChain, 42, 7, sep)
			if want := "INDUSTRY_CHAIN" + sep + "42" + sep + "7"; s != want {
				t.Fatalf("FormatPairingKey = %q, want %q", s, want)
			}
			k, e, r, ok := ParsePairingKey(s, sep)
			if !ok || k != IndustryChain || e != 42 || r != 7 {
				t.Errorf("ParsePairingKey(%q) = %q %d %d %v", s, k, e, r, ok)
			}
		}
	})
	for _, bad := range []string{"", "FINANCING:1", "FINANCING:1:2:3", "LEASING:1:2", "FINANCING:x:2", "FINANCING:1:", "FINANCING-1-2"} {
		t.Run("refused: "+bad, func(t *testing.T) {
			if k, e, r, ok := ParsePairingKey(bad, ":"); ok {
				t.Errorf("ParsePairingKey(%q) = %q %d %d, want refused", bad, k, e, r)
			}
		})
	}
}
