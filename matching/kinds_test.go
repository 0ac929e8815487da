package matching

import (
	"testing"

	"github.com/yurong/yurong/catalog"
)

func TestKindIndexesFollowCatalog(t *testing.T) {
	if len(catalog.PairingKinds) != kindCount {
		t.Fatalf("catalog has %d pairing kinds, the engine's arrays %d", len(catalog.PairingKinds), kindCount)
	}
	for _, tt := range []struct {
		index int
		kind  catalog.PairingKind
	}{{kFinancing, catalog.Financing}, {kIncubation, catalog.Incubation}, {kIndustryChain, catalog.IndustryChain}} {
		t.Run(string(tt.kind), func(t *testing.T) {
			if pairingKinds[tt.index] != tt.kind {
				t.Errorf("pairingKinds[%d] = %s, want %s", tt.index, pairingKinds[tt.index], tt.kind)
			}
			if i, ok := kindIndex(tt.kind); !ok || i != tt.index {
				t.Errorf("kindIndex(%s) = %d, %v, want %d", tt.kind, i, ok, tt.index)
			}
		})
	}
	if _, ok := kindIndex("LEASING"); ok {
		t.Error("an unknown kind has an index")
	}
}
