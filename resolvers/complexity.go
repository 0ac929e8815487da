package resolvers

import (
	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/events"
	"github.com/yurong/yurong/graph"
	"github.com/yurong/yurong/graph/model"
	"github.com/yurong/yurong/graph/relay"
	"github.com/yurong/yurong/matching"
)

// Complexity weighs every list by the number of items it may return, so a
// query's cost grows with its page sizes (gqlgen would count a list as 1).
func Complexity() graph.ComplexityRoot {
	var c graph.ComplexityRoot
	// A catalogue page holds `first` items, or `last` (a request with
	// both is refused, but is weighed by the larger before it is).
	c.Query.Enterprises = func(child int, first *int, _ *string, _ *model.EnterpriseFilter, last *int, _ *string, _ *model.EnterpriseOrder) int {
		return pageCost(child, larger(first, last))
	}
	c.Query.FinancialProducts = func(child int, first *int, _ *string, _ *model.FinancialProductFilter, last *int, _ *string) int {
		return pageCost(child, larger(first, last))
	}
	c.Query.Incubators = func(child int, first *int, _ *string, _ *model.IncubatorFilter, last *int, _ *string) int {
		return pageCost(child, larger(first, last))
	}
	c.Query.SupplyChainDemands = func(child int, first *int, _ *string, _ *model.SupplyChainDemandFilter, last *int, _ *string) int {
		return pageCost(child, larger(first, last))
	}
	c.Query.EarlySmallHardEnterprises = func(child int, first *int, _ *string) int { return pageCost(child, first) }
	c.Query.EquityProjectList = func(child int, first *int, _ *string) int { return pageCost(child, first) }
	c.Enterprise.Matches = func(child int, _ *catalog.PairingKind, first *int, _ *bool) int {
		return listCost(child, first, 10)
	}
	candidates := func(child int, first *int, _ *bool) int { return listCost(child, first, 20) }
	c.FinancialProduct.Candidates = candidates
	c.Incubator.Candidates = candidates
	c.SupplyChainDemand.Candidates = candidates
	c.Query.Search = func(child int, _ string, _ []model.SearchableType, first *int) int { return pageCost(child, first) }
	c.Query.Pairings = func(child int, _ *string, _ *model.PairingFilter, first *int, _ *string) int {
		return pageCost(child, first)
	}
	c.Query.Applications = func(child int, first *int, _ *string, _ *model.ApplicationFilter, _ *model.ApplicationOrder) int {
		return pageCost(child, first)
	}
	c.Query.ContestFollowUps = func(child int, _ int, first *int, _ *string) int { return pageCost(child, first) }
	// Unpaged lists are bounded by the catalogue's shape; these are estimates.
	c.Query.Institutions = func(child int) int { return 1 + child*estimatedInstitutions }
	c.Institution.Products = func(child int) int { return 1 + child*estimatedProductsPerInstitution }
	c.Query.BankPerformance = func(child int, _ int) int { return 1 + child*estimatedInstitutions }
	c.Query.Competitions = func(child int) int { return 1 + child*estimatedCompetitions }
	c.Competition.Offers = func(child int, _ *catalog.CompetitionStage) int { return 1 + child*estimatedOffers }
	c.Enterprise.Applications = func(child int) int { return 1 + child*estimatedApplications }
	c.Application.Events = func(child int) int { return 1 + child*estimatedEvents }
	c.Query.MatchmakingEvents = func(child int, first *int, _ *string, _ *catalog.Track, _ *catalog.City) int {
		return pageCost(child, first)
	}
	c.MatchmakingEvent.Hosts = func(child int) int { return 1 + child*estimatedHosts }
	c.MatchmakingEvent.Participants = func(child int) int { return 1 + child*estimatedParticipants }
	c.MatchmakingEvent.Agenda = func(child int, _ string) int { return 1 + child*estimatedAgenda }
	c.EventSchedule.Meetings = func(child int) int { return 1 + child*estimatedMeetings }
	c.EventSchedule.Unplaced = func(child int) int { return 1 + child*estimatedUnplaced }
	c.EventHost.Resources = func(child int) int { return 1 + child*estimatedHostResources }
	c.Query.IncubationRecords = func(child int, first *int, _ *string, _ *model.IncubationRecordFilter) int {
		return pageCost(child, first)
	}
	c.Query.Agreements = func(child int, first *int, _ *string, _ *model.AgreementFilter) int {
		return pageCost(child, first)
	}
	c.Query.IncubatorPerformance = func(child int, _ int) int { return 1 + child*estimatedIncubators }
	c.Enterprise.InterestedFunds = func(child int) int { return 1 + child*estimatedInterests }
	// Advice is a search over the enterprise's figures (milliseconds of
	// CPU, more for a product with many requirements): it costs
	// adviceCost besides its paths and their steps.
	c.Enterprise.Advice = func(child int, _ model.AdviceTargetInput) int { return adviceCost + child }
	c.Pairing.HowToQualify = func(child int) int { return adviceCost + child }
	c.Advice.Paths = func(child int) int { return 1 + child*matching.MaxAdvicePaths }
	c.AdvicePath.Steps = func(child int) int { return 1 + child*estimatedAdviceSteps }
	c.FinancingPlan.Growth = func(child int) int { return 3*adviceCost + child*3 }
	c.Query.ScoringModels = func(child int, _ string, first *int) int { return listCost(child, first, 20) }
	c.ScoringModel.Versions = func(child int) int { return 1 + child*estimatedModelVersions }
	c.ScoringModel.Products = func(child int) int { return 1 + child*estimatedProductsPerInstitution }
	c.ScoringModelVersion.Weights = func(child int, _ catalog.GrowthStage) int { return 1 + child*matching.IndicatorCount }
	// A schedule is a search of up to 30 s of CPU: it costs by its time
	// limit, 1 per 10 ms (200 at the default 2 s; a limit out of range is
	// a userError, not a cost).
	c.Mutation.ScheduleEvent = func(child int, in model.ScheduleEventInput) int {
		return 1 + child + min(max(deref(in.TimeLimitMs, events.DefaultTimeLimitMs), 0), events.MaxTimeLimitMs)/10
	}
	return c
}

const (
	estimatedInstitutions           = 100
	estimatedProductsPerInstitution = 10
	estimatedCompetitions           = 10 // one a year
	estimatedOffers                 = 30
	estimatedApplications           = 10 // an enterprise's, over the years
	estimatedEvents                 = 4
	estimatedIncubators             = 200 // those with residents in a year
	estimatedInterests              = 10  // funds interested in one enterprise
	estimatedModelVersions          = 10  // a model's revisions
	estimatedAdviceSteps            = 6   // steps of one advice path
	adviceCost                      = 50  // one advice search
	// A matchmaking event's day: tens of hosts, about a hundred
	// enterprises, a few hundred meetings, a dozen meetings a side.
	estimatedHosts         = 20
	estimatedHostResources = 5
	estimatedParticipants  = 100
	estimatedMeetings      = 300
	estimatedAgenda        = 12
	estimatedUnplaced      = 10
)

// listCost is the cost of a matching list whose `first` defaults to def.
func listCost(child int, first *int, def int) int {
	n := def
	if first != nil && *first > 0 {
		n = *first
	}
	return 1 + child*n
}

// larger returns whichever of first and last is given and larger; nil
// when neither is.
func larger(first, last *int) *int {
	if first == nil || (last != nil && *last > *first) {
		return last
	}
	return first
}

// pageCost is the cost of a connection: one plus its children per item.
func pageCost(child int, first *int) int {
	n := relay.DefaultPageSize
	if first != nil && *first > 0 {
		n = *first
	}
	return 1 + child*n
}
