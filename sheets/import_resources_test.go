package sheets

import (
	"testing"

	"github.com/yurong/yurong/catalog"
)

func TestSheetOfHeader(t *testing.T) {
	for _, tc := range []struct {
		name   string
		header []string
		want   string
	}{
		{"a credit code and a city update enterprises", []string{"\ufeff统一社会信用代码", "所在地市"}, EnterpriseSheet},
		{"the product key and a rate are products", []string{"机构名称", "产品名称", "年利率（%）"}, ProductSheet},
		{"a name, a city and vacancies are incubators", []string{"载体名称", "所在地市", "可入驻席位"}, IncubatorSheet},
		{"the demand key and a budget are demands", []string{"发布单位", "需求标题", "预算（元）", "所在地市"}, DemandSheet},
		{"demand columns without the key are not demands", []string{"需求类型", "产业链", "赛道", "所在地市"}, EnterpriseSheet},
		{"unknown headers are no sheet", []string{"a", "b"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := sheetOfHeader(tc.header); got != tc.want {
				t.Fatalf("sheetOfHeader(%q) = %q, want %q", tc.header, got, tc.want)
			}
		})
	}
}

func TestLocateNamesTheCellOfAFieldPath(t *testing.T) {
	ki := productImport().(*keyedImport[ProductKey, ProductRow, catalog.FinancialProduct])
	cells := make([]string, len(ProductColumns))
	for i, c := range ProductColumns {
		cells[i] = c.Header + "的值"
	}
	d := &keyedDraft[ProductKey]{row: 7, cells: cells}
	for _, tc := range []struct {
		field  []string
		column string
	}{
		{[]string{"providerId"}, "机构名称"},
		{[]string{"eligibility", "tracks", "1"}, "适用赛道"},
		{[]string{"coverages", "0"}, "保障范围"},
		{[]string{"eligibility", "minInnovationScore"}, "最低豫科积分"},
	} {
		p := ki.locate(d, catalog.Problems{{Field: tc.field, Code: "INVALID", Message: "坏"}})[0]
		if p.Sheet != ProductSheet || p.Row != 7 || p.Column != tc.column || p.Value != tc.column+"的值" {
			t.Errorf("%v located at %+v, want 金融产品 row 7 「%s」", tc.field, p, tc.column)
		}
	}
}
