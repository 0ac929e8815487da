package matching

import (
	"testing"

	"github.com/yurong/yurong/catalog"
)

func TestDigestNamesWhatTheEngineAnswers(t *testing.T) {
	ents := []*catalog.Enterprise{enterprise(1), enterprise(2), enterprise(3)}
	ents[1].Employees, ents[2].City = 40, catalog.Luoyang
	prods := []*catalog.FinancialProduct{product(10, catalog.Loan), product(11, catalog.Equity)}
	built := engineWith(ents, prods, []*catalog.Incubator{incubator(20)}, []*catalog.SupplyChainDemand{demand(30, "金刚石")})

	// The same entities arriving one write at a time, resources last.
	upserted := New(testConfig())
	for i := len(ents) - 1; i >= 0; i-- {
		upserted.UpsertEnterprise(ents[i])
	}
	for _, p := range prods {
		upserted.UpsertProduct(p)
	}
	upserted.UpsertIncubator(incubator(20))
	upserted.UpsertDemand(demand(30, "金刚石"))
	if built.Digest() != upserted.Digest() {
		t.Fatal("two engines holding the same entities have different digests")
	}

	changed := *ents[0]
	changed.Employees = 290
	upserted.UpsertEnterprise(&changed)
	if built.Digest() == upserted.Digest() {
		t.Fatal("the digest did not move when an enterprise changed")
	}
}
