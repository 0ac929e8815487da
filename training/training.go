// Package training keeps the 科技金融常态化培训 (the action plan's task 9):
// sessions by audience, topic, city and date with a capacity;
// registrations with a waiting list; attendance; and the reach of a year
// per audience and city.
//
// It owns a session's types and validation; the store does the rest. It
// imports no project package but catalog; it must not import store,
// marketplace, resolvers or graph.
package training

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/yurong/yurong/catalog"
)

// Audience is who a session is for.
type Audience string

// The audiences of the action plan.
const (
	ScienceOfficials   Audience = "SCIENCE_OFFICIALS"   // 科技管理干部
	FinancialStaff     Audience = "FINANCIAL_STAFF"     // 金融机构骨干
	EnterpriseLeaders  Audience = "ENTERPRISE_LEADERS"  // 科技企业负责人
	TechnologyManagers Audience = "TECHNOLOGY_MANAGERS" // 技术经理人
)

// Audiences lists the audiences in the schema's order.
var Audiences = []Audience{ScienceOfficials, FinancialStaff, EnterpriseLeaders, TechnologyManagers}

// Topic is what a session teaches: the seed's list.
type Topic string

// The topics of the action plan.
const (
	MacroeconomicTrends Topic = "MACROECONOMIC_TRENDS"     // 宏观经济趋势
	FrontierTechnology  Topic = "FRONTIER_TECHNOLOGY"      // 前沿科学技术
	ModernIndustrial    Topic = "MODERN_INDUSTRIAL_SYSTEM" // 现代化产业体系建设
	InnovativeFinance   Topic = "INNOVATIVE_FINANCIAL_PRODUCTS"
	FinancingPlanning   Topic = "FINANCING_PLANNING"  // 企业融资规划
	TechnologyTransfer  Topic = "TECHNOLOGY_TRANSFER" // 成果转化
)

// Topics lists the topics in the schema's order.
var Topics = []Topic{MacroeconomicTrends, FrontierTechnology, ModernIndustrial, InnovativeFinance, FinancingPlanning, TechnologyTransfer}

// Status is where a registration stands.
type Status string

// The statuses of a registration.
const (
	Registered Status = "REGISTERED"
	Waitlisted Status = "WAITLISTED"
	Attended   Status = "ATTENDED"
	Cancelled  Status = "CANCELLED"
)

// Session is one training session. Taken counts the seats held
// (REGISTERED or ATTENDED).
type Session struct {
	ID        int64
	Title     string
	Audience  Audience
	Topic     Topic
	City      catalog.City
	HeldOn    time.Time
	Capacity  int
	Taken     int
	CreatedAt time.Time
}

// Registration is one account's place at a session.
type Registration struct {
	ID        int64
	SessionID int64
	AccountID int64
	Name      string
	Status    Status
	CreatedAt time.Time
}

// Reach is how many distinct people attended sessions of an audience in
// a city within a year.
type Reach struct {
	Audience Audience
	City     catalog.City
	Sessions int
	People   int
}

// Errors the store returns.
var (
	ErrNotFound   = errors.New("training: not found")
	ErrRegistered = errors.New("training: registered already")
)

// Bounds.
const (
	MaxTitleLen = 100
	MaxCapacity = 10000
)

// Store keeps sessions and registrations.
type Store interface {
	CreateTrainingSession(ctx context.Context, s *Session) error
	// Register gives the account a seat when one is free, else a place on
	// the waiting list: ErrRegistered, ErrNotFound.
	Register(ctx context.Context, r *Registration) error
	// CancelRegistration cancels the account's registration, promoting the
	// first on the waiting list into a freed seat: ErrNotFound.
	CancelRegistration(ctx context.Context, sessionID, accountID int64) (*Registration, error)
	// MarkAttended marks the accounts' seats ATTENDED; it returns how many.
	MarkAttended(ctx context.Context, sessionID int64, accountIDs []int64) (int, error)
}

// ValidateSession checks a new session.
func ValidateSession(s *Session, today time.Time) catalog.Problems {
	var p catalog.Problems
	s.Title = strings.TrimSpace(s.Title)
	if s.Title == "" {
		p.Add(catalog.CodeRequired, "培训名称不能为空", "title")
	} else if utf8.RuneCountInString(s.Title) > MaxTitleLen {
		p.Add(catalog.CodeTooLong, fmt.Sprintf("培训名称不能超过 %d 个字", MaxTitleLen), "title")
	}
	if !slices.Contains(Audiences, s.Audience) {
		p.Add(catalog.CodeInvalid, "培训对象无效", "audience")
	}
	if !slices.Contains(Topics, s.Topic) {
		p.Add(catalog.CodeInvalid, "培训主题无效", "topic")
	}
	if !s.City.Valid() {
		p.Add(catalog.CodeInvalid, "城市无效", "city")
	}
	if s.Capacity < 1 || s.Capacity > MaxCapacity {
		p.Add(catalog.CodeOutOfRange, fmt.Sprintf("名额须在 1 至 %d 之间", MaxCapacity), "capacity")
	}
	if s.HeldOn.Before(today.AddDate(-1, 0, 0)) || s.HeldOn.After(today.AddDate(1, 0, 0)) {
		p.Add(catalog.CodeOutOfRange, "培训日期须在前后一年之内", "date")
	}
	return p
}
