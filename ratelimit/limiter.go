package ratelimit

import (
	"container/list"
	"context"
	"math"
	"sync"
	"time"
)

// Limiter keeps a token bucket per client: Limit tokens when full,
// refilling continuously at Rate.PerSecond. An operation costing n tokens
// runs if the bucket holds n, or if the bucket is full (so an operation
// dearer than the whole budget runs once and leaves the bucket in debt).
//
// Limiters never fail because Redis is down: budgets are then kept per
// instance until Redis answers again.
type Limiter interface {
	Allow(ctx context.Context, client string, cost int) (Decision, error)
}

// Decision is a Limiter's answer for one operation.
type Decision struct {
	Allowed bool
	// Remaining is what the bucket holds after this operation (never
	// below zero), Limit what it holds when full.
	Remaining, Limit int
	// RetryAfter, when not Allowed, is when the bucket will hold the cost.
	RetryAfter time.Duration
}

// Rate is a budget: Limit tokens at most, refilled at PerSecond.
type Rate struct {
	Limit     int
	PerSecond float64
}

// take is the bucket arithmetic shared by both limiters (the Redis script
// does the same in Lua): from tokens at last, refilled until now, take
// cost. It returns the new level, whether cost was taken and the wait.
func (r Rate) take(tokens float64, last, now time.Time, cost int) (float64, bool, time.Duration) {
	if now.After(last) {
		tokens = math.Min(float64(r.Limit), tokens+now.Sub(last).Seconds()*r.PerSecond)
	}
	need := math.Min(float64(cost), float64(r.Limit))
	if tokens >= need {
		return tokens - float64(cost), true, 0
	}
	wait := time.Duration(math.Ceil((need - tokens) / r.PerSecond * float64(time.Second)))
	return tokens, false, wait
}

func (r Rate) decision(tokens float64, ok bool, wait time.Duration) Decision {
	return Decision{Allowed: ok, Remaining: max(int(math.Floor(tokens)), 0), Limit: r.Limit, RetryAfter: wait}
}

// memoryLimiter is the in-process Limiter: a map of buckets bounded by
// evicting the least recently used (an evicted client starts full again,
// which is what an idle one would have refilled to anyway).
type memoryLimiter struct {
	rate       Rate
	maxClients int
	now        func() time.Time

	mu      sync.Mutex
	buckets map[string]*list.Element
	order   *list.List // front: most recently used
}

type bucket struct {
	client string
	tokens float64
	last   time.Time
}

var _ Limiter = (*memoryLimiter)(nil)

// NewMemory returns the in-process Limiter of one instance, keeping the
// buckets of at most maxClients clients.
func NewMemory(rate Rate, maxClients int) Limiter {
	return newMemoryLimiter(rate, maxClients, time.Now)
}

func newMemoryLimiter(rate Rate, maxClients int, now func() time.Time) *memoryLimiter {
	return &memoryLimiter{rate: rate, maxClients: maxClients, now: now, buckets: map[string]*list.Element{}, order: list.New()}
}

// Allow implements Limiter.
func (l *memoryLimiter) Allow(_ context.Context, client string, cost int) (Decision, error) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	e, ok := l.buckets[client]
	if ok {
		l.order.MoveToFront(e)
	} else {
		e = l.order.PushFront(&bucket{client: client, tokens: float64(l.rate.Limit), last: now})
		l.buckets[client] = e
		for len(l.buckets) > l.maxClients {
			old := l.order.Remove(l.order.Back()).(*bucket)
			delete(l.buckets, old.client)
		}
	}
	b := e.Value.(*bucket)
	tokens, allowed, wait := l.rate.take(b.tokens, b.last, now, cost)
	b.tokens = tokens
	if now.After(b.last) {
		b.last = now
	}
	return l.rate.decision(tokens, allowed, wait), nil
}
