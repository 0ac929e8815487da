package marketplace

import (
	"testing"

	"github.com/yurong/yurong/catalog"
)

// BenchmarkCatalogueOrder measures the pages the indexes brought: other
// orders than the ID and backward pages, at 60,000 enterprises.
func BenchmarkCatalogueOrder(b *testing.B) {
	s := henanService(b)
	scores := fakeScores{}
	for _, e := range s.Enterprises(EnterpriseFilter{}, 0, 1<<30).Items {
		scores[e.ID] = int(e.ID*7919) % 1000
	}
	luoyang := EnterpriseFilter{Cities: []catalog.City{catalog.Luoyang}}
	narrow := EnterpriseFilter{Cities: []catalog.City{catalog.Jiyuan}, Qualifications: []catalog.Qualification{catalog.LittleGiant}}
	cases := []struct {
		name string
		f    EnterpriseFilter
		o    Order
		a    PageArgs
	}{
		{"NAME_ASC/first20", EnterpriseFilter{}, Order{By: ByName}, PageArgs{Limit: 20}},
		{"NAME_ASC/LUOYANG/first20", luoyang, Order{By: ByName}, PageArgs{Limit: 20}},
		{"FOUNDED_ON_DESC/LUOYANG/first20", luoyang, Order{By: ByFoundedOn, Desc: true}, PageArgs{Limit: 20}},
		{"UPDATED_AT_DESC/JIYUAN+LITTLE_GIANT/first20", narrow, Order{By: ByUpdatedAt, Desc: true}, PageArgs{Limit: 20}},
		{"ID_ASC/LUOYANG/last20", luoyang, Order{}, PageArgs{Limit: 20, FromEnd: true}},
		{"INNOVATION_SCORE_DESC/LUOYANG/first20", luoyang, Order{By: ByInnovationScore, Desc: true, Scores: scores}, PageArgs{Limit: 20}},
		{"INNOVATION_SCORE_DESC/first20", EnterpriseFilter{}, Order{By: ByInnovationScore, Desc: true, Scores: scores}, PageArgs{Limit: 20}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.EnterprisePage(c.f, c.o, c.a); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
