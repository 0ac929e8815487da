package linkage

import (
	"reflect"
	"testing"
	"time"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/financing"
	"github.com/yurong/yurong/matching"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func ptr[T any](v T) *T { return &v }

func TestBuildLinks(t *testing.T) {
	today := day(2026, 6, 15)
	recs := Records{
		Agreements: []*Agreement{
			{Kind: InvestmentIncubation, FundID: 1, PartnerID: 10, SignedOn: day(2026, 1, 1)},
			{Kind: InvestmentIncubation, FundID: 1, PartnerID: 11, SignedOn: day(2025, 1, 1), ValidUntil: ptr(day(2026, 6, 14))},  // lapsed
			{Kind: InvestmentIncubation, FundID: 2, PartnerID: 10, SignedOn: day(2026, 6, 15), ValidUntil: ptr(day(2026, 6, 15))}, // its one day
			{Kind: LoanInvestment, FundID: 1, PartnerID: 20, SignedOn: day(2026, 2, 1)},
		},
		Residencies: []*Residency{
			{EnterpriseID: 100, IncubatorID: 10, Since: day(2026, 3, 1)},
			{EnterpriseID: 101, IncubatorID: 11, Since: day(2026, 3, 1), Until: ptr(day(2026, 5, 1))}, // ended
		},
		Interests: []*Interest{{FundID: 1, EnterpriseID: 102}, {FundID: 2, EnterpriseID: 102, WithdrawnAt: ptr(today)}},
		Loans:     []Loan{{EnterpriseID: 103, BankID: 20}},
	}
	want := matching.Links{
		IncubationPartners: map[int64][]int64{1: {10}, 2: {10}},
		LoanPartners:       map[int64][]int64{1: {20}},
		Residents:          map[int64]int64{100: 10},
		Borrowers:          map[int64][]int64{103: {20}},
		Interest:           map[int64][]int64{102: {1}},
	}
	if got := BuildLinks(recs, today); !reflect.DeepEqual(got, want) {
		t.Fatalf("BuildLinks:\n got %+v\nwant %+v", got, want)
	}
}

func TestRank(t *testing.T) {
	ents := map[int64]*catalog.Enterprise{
		1: {ID: 1, CompetitionEntries: []catalog.CompetitionEntry{{Year: 2026, Award: catalog.First}}},
		2: {ID: 2, CompetitionEntries: []catalog.CompetitionEntry{{Year: 2025, Award: catalog.First}}}, // last year's prize
		3: {ID: 3, CompetitionEntries: []catalog.CompetitionEntry{{Year: 2026, Award: catalog.NoAward}}},
		4: {ID: 4},
	}
	res := []*Residency{
		{EnterpriseID: 1, IncubatorID: 30, Since: day(2026, 1, 1)},
		{EnterpriseID: 2, IncubatorID: 20, Since: day(2025, 1, 1), Until: ptr(day(2026, 1, 1))}, // one day of 2026
		{EnterpriseID: 3, IncubatorID: 10, Since: day(2026, 5, 1)},
		{EnterpriseID: 3, IncubatorID: 10, Since: day(2026, 2, 1), Until: ptr(day(2026, 4, 1))},   // the same resident twice
		{EnterpriseID: 4, IncubatorID: 40, Since: day(2024, 1, 1), Until: ptr(day(2025, 12, 31))}, // not in 2026
	}
	paid := func(ent int64, amount catalog.Amount, on time.Time) *financing.Application {
		return &financing.Application{EnterpriseID: ent, Status: financing.Disbursed, DisbursedAmount: &amount, DisbursedOn: &on}
	}
	apps := []*financing.Application{
		paid(3, 500_000_00, day(2026, 6, 1)),
		paid(3, 100_000_00, day(2025, 12, 30)), // last year's
		{EnterpriseID: 2, Status: financing.Approved, ApprovedAmount: ptr(catalog.Amount(900_000_00))},
		paid(2, 200_000_00, day(2026, 3, 1)),
	}
	got := Rank(2026, res, apps, func(id int64) *catalog.Enterprise { return ents[id] })
	want := []IncubatorPerformance{
		{IncubatorID: 30, Year: 2026, Rank: 1, Residents: 1, AwardWinners: 1},
		{IncubatorID: 10, Year: 2026, Rank: 2, Residents: 1, FinancingRaised: 500_000_00},
		{IncubatorID: 20, Year: 2026, Rank: 3, Residents: 1, FinancingRaised: 200_000_00},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Rank:\n got %+v\nwant %+v", got, want)
	}
}

type fakeCatalog struct {
	insts map[int64]*catalog.Institution
	incs  map[int64]*catalog.Incubator
}

func (f fakeCatalog) Enterprise(int64) *catalog.Enterprise      { return nil }
func (f fakeCatalog) Institution(id int64) *catalog.Institution { return f.insts[id] }
func (f fakeCatalog) Incubator(id int64) *catalog.Incubator     { return f.incs[id] }

func TestValidateAgreement(t *testing.T) {
	c := fakeCatalog{
		insts: map[int64]*catalog.Institution{1: {Name: "创投", Kind: catalog.VentureCapital}, 2: {Name: "银行", Kind: catalog.Bank},
			3: {Name: "引导基金", Kind: catalog.GovernmentFund}},
		incs: map[int64]*catalog.Incubator{10: {Name: "孵化器"}},
	}
	s := New(nil, c, nil, func() time.Time { return time.Date(2026, 6, 15, 9, 0, 0, 0, time.UTC) })
	tests := []struct {
		name string
		a    Agreement
		want []string // code@field
	}{
		{"loan–investment", Agreement{Kind: LoanInvestment, FundID: 1, PartnerID: 2, SignedOn: day(2026, 6, 15)}, nil},
		{"investment–incubation of a government fund", Agreement{Kind: InvestmentIncubation, FundID: 3, PartnerID: 10, SignedOn: day(2026, 1, 1)}, nil},
		{"a bank as the fund", Agreement{Kind: LoanInvestment, FundID: 2, PartnerID: 2, SignedOn: day(2026, 1, 1)}, []string{"NOT_FUND@fundId"}},
		{"a fund as the bank", Agreement{Kind: LoanInvestment, FundID: 1, PartnerID: 3, SignedOn: day(2026, 1, 1)}, []string{"INVALID@partnerId"}},
		{"an unknown incubator", Agreement{Kind: InvestmentIncubation, FundID: 1, PartnerID: 11, SignedOn: day(2026, 1, 1)}, []string{"NOT_FOUND@partnerId"}},
		{"signed tomorrow", Agreement{Kind: LoanInvestment, FundID: 1, PartnerID: 2, SignedOn: day(2026, 6, 16)}, []string{"OUT_OF_RANGE@signedOn"}},
		{"valid before signed", Agreement{Kind: LoanInvestment, FundID: 1, PartnerID: 2, SignedOn: day(2026, 6, 1), ValidUntil: ptr(day(2026, 5, 1))},
			[]string{"OUT_OF_RANGE@validUntil"}},
		{"an unknown kind", Agreement{Kind: "MERGER", FundID: 1, PartnerID: 2, SignedOn: day(2026, 1, 1)}, []string{"INVALID@kind"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, p := range s.ValidateAgreement(&tt.a) {
				got = append(got, p.Code+"@"+p.Field[len(p.Field)-1])
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}
