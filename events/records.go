package events

import (
	"time"

	"github.com/yurong/yurong/catalog"
)

// ResourceKind is the kind of resource a host brings.
type ResourceKind string

// The resource kinds, as the store keeps them.
const (
	ProductResource   ResourceKind = "product"   // a financial product: FINANCING pairings
	IncubatorResource ResourceKind = "incubator" // an incubator: INCUBATION pairings
	DemandResource    ResourceKind = "demand"    // a chain leader's demand: INDUSTRY_CHAIN pairings
)

// PairingKind is the kind of the matching engine's pairings with resources
// of kind k; "" for an unknown kind.
func (k ResourceKind) PairingKind() catalog.PairingKind {
	switch k {
	case ProductResource:
		return catalog.Financing
	case IncubatorResource:
		return catalog.Incubation
	case DemandResource:
		return catalog.IndustryChain
	}
	return ""
}

// Resource is a product, incubator or demand a host brings.
type Resource struct {
	Kind ResourceKind
	ID   int64
}

// Event is one matchmaking event with its hosts, participants and current
// schedule.
type Event struct {
	ID            int64
	Name          string
	Track         catalog.Track
	IndustryChain *string
	City          catalog.City
	Date          time.Time // a calendar date at 00:00 UTC
	Slots         int
	SlotMinutes   int
	StartsAt      time.Time // the start of slot 1
	Tables        int       // meetings at most per slot
	// CreatedBy is the account that created the event (0 when unknown):
	// an incubator's account manages the events it created.
	CreatedBy int64
	CreatedAt time.Time
	// Version grows with every write to the event; a schedule is stored
	// only over the version it was computed from.
	Version      int64
	Hosts        []*Host        // in the order added
	Participants []*Participant // in the order added
	Schedule     *Schedule      // nil until scheduled
}

// SlotStart is when slot n (1-based) starts.
func (e *Event) SlotStart(n int) time.Time {
	return e.StartsAt.Add(time.Duration((n-1)*e.SlotMinutes) * time.Minute)
}

// SlotEnd is when slot n (1-based) ends.
func (e *Event) SlotEnd(n int) time.Time { return e.SlotStart(n + 1) }

// Host returns the event's host of that id, nil when it has none.
func (e *Event) Host(id int64) *Host {
	for _, h := range e.Hosts {
		if h.ID == id {
			return h
		}
	}
	return nil
}

// Participant returns the enterprise's participation, nil when it does not
// take part.
func (e *Event) Participant(enterpriseID int64) *Participant {
	for _, p := range e.Participants {
		if p.EnterpriseID == enterpriseID {
			return p
		}
	}
	return nil
}

// Host sits at a table and receives enterprises.
type Host struct {
	ID        int64
	Name      string
	Resources []Resource
	// Capacity is the meetings the host holds in the whole event.
	Capacity int
	// AvailableSlots are the slots (1-based, ascending) the host is present.
	AvailableSlots []int
}

// Participant is an enterprise taking part.
type Participant struct {
	EnterpriseID int64
	// Capacity is the meetings the enterprise wants at most.
	Capacity       int
	AvailableSlots []int   // 1-based, ascending
	MustMeet       []int64 // host ids the enterprise asked to meet
	NeverMeet      []int64 // host ids the enterprise must never meet
}

// Schedule is an event's day.
type Schedule struct {
	Meetings []Meeting // by slot, then table
	// Objective is the sum of the meetings' scores.
	Objective float64
	// UpperBound is a proven bound of what any schedule of the event's
	// constraints could reach when it was computed.
	UpperBound float64
	// Unplaced are requested meetings the schedule could not hold.
	Unplaced   []Unplaced
	ComputedAt time.Time
	ElapsedMs  int
}

// Meeting is one meeting of a schedule.
type Meeting struct {
	Slot, Table  int // 1-based
	HostID       int64
	EnterpriseID int64
	// Host is the host of HostID, set when the event is read.
	Host  *Host
	Score float64
	// Requested: the enterprise asked for the host (mustMeet).
	Requested bool
	// Resource is the host's resource whose pairing with the enterprise
	// scored the meeting.
	Resource Resource
}

// Unplaced is a requested meeting a schedule could not hold, and why
// (Chinese).
type Unplaced struct {
	EnterpriseID int64  `json:"enterpriseId"`
	HostID       int64  `json:"hostId"`
	Reason       string `json:"reason"`
	// Host is the host of HostID, set when the event is read.
	Host *Host `json:"-"`
}

// Query selects a page of events, ordered by id: at most Limit of them,
// after the one of id AfterID. Zero Track and City do not filter.
type Query struct {
	Track   catalog.Track
	City    catalog.City
	AfterID int64
	Limit   int
}
