package search

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/yurong/yurong/catalog"
)

func TestEnterpriseDocumentsHoldNoPrivateData(t *testing.T) {
	e := &catalog.Enterprise{
		ID: 7, Name: "郑州晶锐半导体有限公司", CreditCode: "91410100MA44AAAA1X", City: catalog.Zhengzhou,
		Track: catalog.NextGenIT, Description: "碳化硅功率器件研发", Keywords: []string{"碳化硅"},
		Reports:       []catalog.AnnualReport{{Year: 2025, Revenue: catalog.Yuan(12_345_678), RDExpense: catalog.Yuan(987_654)}},
		Subsidies:     []catalog.Subsidy{{Program: "研发费用后补助", Amount: catalog.Yuan(456_789), Year: 2025}},
		FinancingNeed: &catalog.FinancingNeed{Kind: catalog.Loan, Amount: catalog.Yuan(2_345_678), Purpose: "购置外延炉扩产"},
	}
	raw, err := json.Marshal(EnterpriseDoc(e))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	if !strings.Contains(doc, e.Name) {
		t.Fatalf("the document lost the public name: %s", doc)
	}
	private := []string{"购置外延炉扩产", "研发费用后补助"}
	for _, a := range []catalog.Amount{catalog.Yuan(12_345_678), catalog.Yuan(987_654), catalog.Yuan(456_789), catalog.Yuan(2_345_678)} {
		private = append(private, a.String(), strconv.FormatInt(int64(a), 10), strconv.FormatFloat(a.Float(), 'f', -1, 64))
	}
	for _, p := range private {
		if strings.Contains(doc, p) {
			t.Errorf("the enterprise's document holds the private %q: %s", p, doc)
		}
	}
}
