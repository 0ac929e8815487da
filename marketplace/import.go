package marketplace

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"time"

	"github.com/yurong/yurong/catalog"
	"github.com/yurong/yurong/store"
)

// Imports: many enterprises in one write.
//
// An import writes a batch of enterprises in one transaction, then the read
// model and the matcher take the batch whole (the matcher decides whether
// ranking them one by one or rematching is cheaper).

// An Upsert is one enterprise of an import, found by its credit code.
type Upsert struct {
	CreditCode string
	// Merge returns the enterprise to store, given a copy of the stored one
	// (which it may modify), or nil when the credit code is new. Given nil,
	// it may return nil: there is nothing to create (NOT_FOUND).
	Merge func(cur *catalog.Enterprise) *catalog.Enterprise
}

// Outcome is what an import did with one enterprise.
type Outcome uint8

const (
	Refused   Outcome = iota // invalid: Problems say why, nothing written
	Created                  // a new credit code
	Updated                  // a stored enterprise, changed
	Unchanged                // a stored enterprise, identical: nothing written
)

// ImportResult is the outcome of one Upsert.
type ImportResult struct {
	Outcome    Outcome
	Enterprise *catalog.Enterprise // as stored; nil when refused
	Problems   catalog.Problems
}

// ImportEnterprises validates and writes a batch: the valid enterprises
// that differ from the stored ones are committed in one transaction, the
// others are refused (with their problems) or left unchanged. Two upserts of
// one credit code in a batch refuse the second. With allOrNothing, one
// refused upsert refuses the batch: nothing is written.
func (s *Service) ImportEnterprises(ctx context.Context, batch []Upsert, allOrNothing bool) ([]ImportResult, error) {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	results, writes, written := s.planEnterprises(batch)
	if allOrNothing && len(writes) > 0 && slices.ContainsFunc(results, func(r ImportResult) bool { return len(r.Problems) > 0 }) {
		for _, i := range written {
			results[i] = ImportResult{Outcome: Refused}
		}
		return results, nil
	}
	if len(writes) == 0 {
		return results, nil
	}
	created := make([]bool, len(writes))
	for j, e := range writes {
		created[j] = e.ID == 0
	}
	err := s.store.SaveEnterprises(ctx, writes)
	if errors.Is(err, store.ErrDuplicateCreditCode) {
		// Another instance took one of the codes since this one last
		// followed the log: nothing was written; the caller may retry.
		return nil, fmt.Errorf("marketplace: import: %w", err)
	}
	if err != nil {
		return nil, fmt.Errorf("marketplace: import: %w", err)
	}
	for j, e := range writes {
		r := &results[written[j]]
		r.Enterprise, r.Outcome = e, Updated
		if created[j] {
			r.Outcome = Created
		}
	}
	s.applyEnterprises(writes, false)
	return results, nil
}

// CheckEnterprises is ImportEnterprises without writing: each result is
// what importing the batch now would do (Created or Updated for a write).
// An all-or-nothing import of several kinds checks them all first.
func (s *Service) CheckEnterprises(batch []Upsert) []ImportResult {
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	results, writes, written := s.planEnterprises(batch)
	for j, e := range writes {
		r := &results[written[j]]
		r.Enterprise, r.Outcome = e, Updated
		if e.ID == 0 {
			r.Outcome = Created
		}
	}
	return results
}

// planEnterprises validates a batch against the read model: the results
// of the refused and unchanged upserts, the enterprises to write and the
// index in batch of each. The write lock must be held.
func (s *Service) planEnterprises(batch []Upsert) (results []ImportResult, writes []*catalog.Enterprise, written []int) {
	now := s.now()
	byCode := s.enterprisesByCreditCode()
	results = make([]ImportResult, len(batch))
	seen := make(map[string]bool, len(batch))
	for i, u := range batch {
		r := &results[i]
		if seen[u.CreditCode] {
			r.Problems.Add(catalog.CodeDuplicate, fmt.Sprintf("统一社会信用代码 %s 在本批中重复", u.CreditCode), "creditCode")
			continue
		}
		seen[u.CreditCode] = true
		cur := byCode[u.CreditCode]
		var e *catalog.Enterprise
		if cur != nil {
			e = u.Merge(cur.Clone())
			e.ID, e.CreatedAt, e.UpdatedAt = cur.ID, cur.CreatedAt, cur.UpdatedAt
		} else if e = u.Merge(nil); e == nil {
			r.Problems.Add(catalog.CodeNotFound, fmt.Sprintf("统一社会信用代码 %s 的企业不存在：新企业须有其基本信息", u.CreditCode), "creditCode")
			continue
		} else {
			e.ID = 0
		}
		if r.Problems = catalog.ValidateEnterprise(e, now); len(r.Problems) > 0 {
			continue
		}
		if other, taken := byCode[e.CreditCode]; taken && (cur == nil || other.ID != cur.ID) {
			r.Problems.Add(catalog.CodeDuplicate, fmt.Sprintf("统一社会信用代码 %s 已被其他企业使用", e.CreditCode), "creditCode")
			continue
		}
		if cur != nil && sameEnterprise(cur, e) {
			r.Outcome, r.Enterprise = Unchanged, cur
			continue
		}
		writes, written = append(writes, e), append(written, i)
	}
	return results, writes, written
}

// applyEnterprises applies committed writes of enterprises in the order of
// apply: set, rank, list, then tell the listeners. A later duplicate of an
// id wins.
func (s *Service) applyEnterprises(es []*catalog.Enterprise, remote bool) {
	s.mu.Lock()
	for _, e := range es {
		s.enterprises.set(e.ID, e)
	}
	s.mu.Unlock()
	if s.matcher != nil {
		s.matcher.UpsertEnterprises(es)
	}
	ids := make([]int64, len(es))
	for i, e := range es {
		ids[i] = e.ID
	}
	s.mu.Lock()
	s.enterprises.listMany(ids)
	s.mu.Unlock()
	for _, e := range es {
		s.changed(EntityEnterprise, e.ID, remote)
	}
}

// EnterpriseByCreditCode returns the enterprise with the credit code, or nil.
func (s *Service) EnterpriseByCreditCode(code string) *catalog.Enterprise {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, e := range s.enterprises.byID {
		if e.CreditCode == code {
			return e
		}
	}
	return nil
}

func (s *Service) enterprisesByCreditCode() map[string]*catalog.Enterprise {
	s.mu.RLock()
	defer s.mu.RUnlock()
	m := make(map[string]*catalog.Enterprise, len(s.enterprises.byID))
	for _, e := range s.enterprises.byID {
		m[e.CreditCode] = e
	}
	return m
}

// sameEnterprise reports whether storing b over a would change nothing a
// reader can see: every field but the ID and the timestamps, with empty and
// missing lists alike.
func sameEnterprise(a, b *catalog.Enterprise) bool {
	if !a.FoundedOn.Equal(b.FoundedOn) {
		return false
	}
	norm := func(e *catalog.Enterprise) *catalog.Enterprise {
		c := e.Clone()
		c.ID, c.CreatedAt, c.UpdatedAt, c.FoundedOn = 0, time.Time{}, time.Time{}, time.Time{}
		c.Keywords = slices.Clip(nilIfEmpty(c.Keywords))
		c.Qualifications = slices.Clip(nilIfEmpty(c.Qualifications))
		c.Reports = slices.Clip(nilIfEmpty(c.Reports))
		c.Subsidies = slices.Clip(nilIfEmpty(c.Subsidies))
		c.CompetitionEntries = slices.Clip(nilIfEmpty(c.CompetitionEntries))
		return c
	}
	return reflect.DeepEqual(norm(a), norm(b))
}

func nilIfEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}
