package events

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/yurong/yurong/catalog"
)

// beijing is the clock organisers read: China Standard Time, UTC+8 all
// year.
var beijing = time.FixedZone("CST", 8*3600)

// validateCreate checks a new event; the event is returned when there is
// no problem.
func validateCreate(in CreateInput) (*Event, catalog.Problems) {
	var p catalog.Problems
	p.Text(in.Name, catalog.MaxNameLen, false, "name")
	var chain *string
	if in.IndustryChain != nil && strings.TrimSpace(*in.IndustryChain) != "" {
		p.Text(*in.IndustryChain, MaxIndustryChainLen, false, "industryChain")
		c := strings.TrimSpace(*in.IndustryChain)
		chain = &c
	}
	if !in.Track.Valid() {
		p.Add(catalog.CodeInvalid, "未知的赛道", "track")
	}
	if !in.City.Valid() {
		p.Add(catalog.CodeInvalid, "未知的城市", "city")
	}
	if in.Slots < 1 || in.Slots > MaxSlots {
		p.Add(catalog.CodeOutOfRange, fmt.Sprintf("时段数须在 1 到 %d 之间", MaxSlots), "slots")
	}
	if in.SlotMinutes < MinSlotMinutes || in.SlotMinutes > MaxSlotMinutes {
		p.Add(catalog.CodeOutOfRange, fmt.Sprintf("每个时段须在 %d 到 %d 分钟之间", MinSlotMinutes, MaxSlotMinutes), "slotMinutes")
	}
	if in.Tables < 1 || in.Tables > MaxTables {
		p.Add(catalog.CodeOutOfRange, fmt.Sprintf("桌数须在 1 到 %d 之间", MaxTables), "tables")
	}
	day := time.Date(in.Date.Year(), in.Date.Month(), in.Date.Day(), 0, 0, 0, 0, time.UTC)
	// The first slot starts on the event's day, read in UTC or in Beijing.
	onDay := func(t time.Time) bool { return t.Format(time.DateOnly) == day.Format(time.DateOnly) }
	if in.StartsAt.IsZero() || !(onDay(in.StartsAt.UTC()) || onDay(in.StartsAt.In(beijing))) {
		p.Add(catalog.CodeOutOfRange, "开始时间须在活动当天", "startsAt")
	}
	if len(p) > 0 {
		return nil, p
	}
	return &Event{
		Name: strings.TrimSpace(in.Name), Track: in.Track, IndustryChain: chain, City: in.City, Date: day,
		Slots: in.Slots, SlotMinutes: in.SlotMinutes, StartsAt: in.StartsAt.UTC().Truncate(time.Microsecond),
		Tables: in.Tables, CreatedBy: in.By,
	}, nil
}

// slotList checks a list of available slots: nil is every slot; otherwise
// each within 1 … n, at least one. The list comes back sorted, each slot
// once.
func slotList(p *catalog.Problems, slots []int, n int, field string) []int {
	if slots == nil {
		return allSlots(n)
	}
	if len(slots) == 0 {
		p.Add(catalog.CodeRequired, "至少须有一个可用时段（省略表示全部时段）", field)
		return nil
	}
	for i, s := range slots {
		if s < 1 || s > n {
			p.Add(catalog.CodeOutOfRange, fmt.Sprintf("时段 %d 不在 1 到 %d 之间", s, n), field, strconv.Itoa(i))
		}
	}
	out := slices.Clone(slots)
	slices.Sort(out)
	return slices.Compact(out)
}

// validateHost checks a host of ev; the host is returned when there is no
// problem.
func (s *Service) validateHost(ev *Event, in HostInput) (*Host, catalog.Problems) {
	var p catalog.Problems
	if len(ev.Hosts) >= MaxHosts {
		p.Add(catalog.CodeOutOfRange, fmt.Sprintf("每场活动最多 %d 个主办方", MaxHosts), "eventId")
	}
	p.Text(in.Name, catalog.MaxNameLen, false, "name")
	switch {
	case len(in.Resources) == 0:
		p.Add(catalog.CodeRequired, "主办方须带来至少一项资源（金融产品、孵化载体或链主需求）", "resourceIds")
	case len(in.Resources) > MaxResourcesPerHost:
		p.Add(catalog.CodeOutOfRange, fmt.Sprintf("每个主办方最多 %d 项资源", MaxResourcesPerHost), "resourceIds")
	default:
		seen := map[Resource]bool{}
		for i, r := range in.Resources {
			switch {
			case !s.exists(r):
				p.Add(catalog.CodeNotFound, "须为已有的金融产品、孵化载体或链主需求", "resourceIds", strconv.Itoa(i))
			case seen[r]:
				p.Add(catalog.CodeDuplicate, "同一资源只能列一次", "resourceIds", strconv.Itoa(i))
			}
			seen[r] = true
		}
	}
	if in.Capacity < 1 {
		p.Add(catalog.CodeOutOfRange, "会谈数须至少为 1", "capacity")
	}
	slots := slotList(&p, in.AvailableSlots, ev.Slots, "availableSlots")
	if len(p) > 0 {
		return nil, p
	}
	return &Host{Name: strings.TrimSpace(in.Name), Resources: slices.Clone(in.Resources), Capacity: in.Capacity, AvailableSlots: slots}, nil
}

// exists reports whether r names a product, incubator or demand of the
// read model.
func (s *Service) exists(r Resource) bool {
	switch r.Kind {
	case ProductResource:
		return s.catalog.FinancialProduct(r.ID) != nil
	case IncubatorResource:
		return s.catalog.Incubator(r.ID) != nil
	case DemandResource:
		return s.catalog.Demand(r.ID) != nil
	}
	return false
}

// validateParticipant checks a participant of ev; the participant is
// returned when there is no problem.
func (s *Service) validateParticipant(ev *Event, in ParticipantInput) (*Participant, catalog.Problems) {
	var p catalog.Problems
	if len(ev.Participants) >= MaxParticipants {
		p.Add(catalog.CodeOutOfRange, fmt.Sprintf("每场活动最多 %d 家参会企业", MaxParticipants), "eventId")
	}
	e := s.catalog.Enterprise(in.EnterpriseID)
	switch {
	case e == nil:
		p.Add(catalog.CodeNotFound, "企业不存在", "enterpriseId")
	case e.CreditStatus == catalog.CreditDishonest:
		p.Add(CodeDishonest, "企业被列为失信主体，不能参加对接会", "enterpriseId")
	case ev.Participant(e.ID) != nil:
		p.Add(catalog.CodeDuplicate, "该企业已在本场活动中", "enterpriseId")
	}
	if in.Capacity < 1 {
		p.Add(catalog.CodeOutOfRange, "会谈数须至少为 1", "capacity")
	}
	slots := slotList(&p, in.AvailableSlots, ev.Slots, "availableSlots")
	hosts := func(ids []int64, field string) []int64 {
		var out []int64
		for i, id := range ids {
			if ev.Host(id) == nil {
				p.Add(catalog.CodeNotFound, "不是本场活动的主办方", field, strconv.Itoa(i))
				continue
			}
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
		return out
	}
	must, never := hosts(in.MustMeet, "mustMeet"), hosts(in.NeverMeet, "neverMeet")
	for i, id := range in.NeverMeet {
		if slices.Contains(must, id) {
			p.Add(catalog.CodeInvalid, "同一主办方不能既要求约见又要求回避", "neverMeet", strconv.Itoa(i))
		}
	}
	if e != nil {
		for i, id := range in.MustMeet {
			if h := ev.Host(id); h != nil && s.owners(h)[e.Name] {
				p.Add(catalog.CodeInvalid, "企业不能约见以本企业为链主的主办方", "mustMeet", strconv.Itoa(i))
			}
		}
	}
	if len(p) > 0 {
		return nil, p
	}
	return &Participant{EnterpriseID: e.ID, Capacity: in.Capacity, AvailableSlots: slots, MustMeet: must, NeverMeet: never}, nil
}
