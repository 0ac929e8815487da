package main

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/events"
)

// demoTrack is the track of the demo's matchmaking event (新材料专场).
const demoTrack = catalog.Track("NEW_MATERIALS")

// loadDemoEvent gives the demo a scheduled matchmaking event two weeks
// ahead, in Zhengzhou, for the new-materials track: the track's chain
// leaders with their demands, the banks and funds with the most products,
// the incubators focused on the track, sixty invited enterprises and the
// schedule of their day. It runs once, after the demo is matched.
func (a *app) loadDemoEvent(ctx context.Context, adminID int64) error {
	snap, err := a.market.Snapshot(ctx)
	if err != nil {
		return err
	}
	day := a.now().UTC().AddDate(0, 0, 14).Truncate(24 * time.Hour)
	ev, p, err := a.events.Create(ctx, events.CreateInput{
		Name: fmt.Sprintf("%d 新材料产业链专场对接会", day.Year()), Track: demoTrack, City: catalog.Zhengzhou, Date: day,
		Slots: 12, SlotMinutes: 20, StartsAt: day.Add(time.Hour), Tables: 20, By: adminID, // 09:00 Beijing time
	})
	if err := demoProblems("event", p, err); err != nil {
		return err
	}

	var hosts []events.HostInput
	// Chain leaders: one host each, with their demands of the track.
	byOwner := map[string][]events.Resource{}
	var owners []string
	for _, d := range snap.Demands {
		if d.Track != demoTrack {
			continue
		}
		if byOwner[d.OwnerName] == nil {
			owners = append(owners, d.OwnerName)
		}
		byOwner[d.OwnerName] = append(byOwner[d.OwnerName], events.Resource{Kind: events.DemandResource, ID: d.ID})
	}
	// A host presents at most events.MaxResourcesPerHost resources: at
	// Henan's scale a chain leader has more demands of the track.
	for _, o := range owners[:min(4, len(owners))] {
		rs := byOwner[o]
		hosts = append(hosts, events.HostInput{Name: o, Resources: rs[:min(len(rs), events.MaxResourcesPerHost)], Capacity: 10})
	}
	// Banks and funds: those with the most products, up to three of each.
	products := map[int64][]events.Resource{}
	for _, pr := range snap.Products {
		products[pr.ProviderID] = append(products[pr.ProviderID], events.Resource{Kind: events.ProductResource, ID: pr.ID})
	}
	for _, kinds := range [][]catalog.InstitutionKind{{catalog.Bank}, {catalog.VentureCapital, catalog.GovernmentFund}} {
		var insts []*catalog.Institution
		for _, in := range snap.Institutions {
			if slices.Contains(kinds, in.Kind) && len(products[in.ID]) > 0 {
				insts = append(insts, in)
			}
		}
		slices.SortStableFunc(insts, func(x, y *catalog.Institution) int { return len(products[y.ID]) - len(products[x.ID]) })
		for _, in := range insts[:min(3, len(insts))] {
			rs := products[in.ID]
			hosts = append(hosts, events.HostInput{Name: in.Name, Resources: rs[:min(len(rs), events.MaxResourcesPerHost)], Capacity: 10})
		}
	}
	// Incubators focused on the track, up to two.
	n := 0
	for _, in := range snap.Incubators {
		if n < 2 && slices.Contains(in.FocusTracks, demoTrack) && in.Vacancies > 0 {
			hosts = append(hosts, events.HostInput{Name: in.Name, Resources: []events.Resource{{Kind: events.IncubatorResource, ID: in.ID}}, Capacity: 8})
			n++
		}
	}
	for _, h := range hosts {
		ev, p, err = a.events.AddHost(ctx, ev, h)
		if err := demoProblems("host "+h.Name, p, err); err != nil {
			return err
		}
	}
	ev, p, err = a.events.Invite(ctx, ev, 60, 3)
	if err := demoProblems("invitations", p, err); err != nil {
		return err
	}
	_, p, err = a.events.Schedule(ctx, ev, events.ScheduleInput{TimeLimitMs: 500})
	return demoProblems("schedule", p, err)
}

// demoProblems turns a refusal of the demo's own input into an error: the
// demo is generated to pass, so a refusal is a bug.
func demoProblems(what string, p catalog.Problems, err error) error {
	if err != nil {
		return fmt.Errorf("demo %s: %w", what, err)
	}
	if len(p) > 0 {
		return fmt.Errorf("demo %s refused: %v", what, p[0])
	}
	return nil
}
