package persisted

import (
	"context"
	"errors"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/redis/go-redis/v9"

	"github.com/yurong/yurong/internal/lru"
	"github.com/yurong/yurong/redisstate"
)

// memoryAPQ is the in-process persisted-query store: an LRU bounded in
// bytes whose entries expire ttl after they were added.
type memoryAPQ struct {
	lru *lru.Cache[string]
	ttl time.Duration
}

var _ graphql.Cache[string] = (*memoryAPQ)(nil)

// NewMemoryStore returns the in-process persisted-query store of one
// instance: at most maxBytes of queries, each kept ttl after it was added.
func NewMemoryStore(maxBytes int, ttl time.Duration) graphql.Cache[string] {
	return newMemoryAPQ(maxBytes, ttl)
}

func newMemoryAPQ(maxBytes int, ttl time.Duration) *memoryAPQ {
	return &memoryAPQ{lru: lru.New[string](maxBytes, time.Now), ttl: ttl}
}

// Get implements graphql.Cache.
func (c *memoryAPQ) Get(_ context.Context, hash string) (string, bool) {
	return c.lru.Get(hash)
}

// Add implements graphql.Cache.
func (c *memoryAPQ) Add(_ context.Context, hash, query string) {
	c.lru.Add(hash, query, len(query), c.ttl)
}

// redisAPQ keeps persisted queries in Redis (SET apq:<hash> query EX ttl),
// so a hash registered through one instance runs on every other.
//
// A hash always names the same query, so an in-process tier in front of
// Redis can never be stale: Get looks there first and Add writes both.
// While Redis is down the in-process tier is all there is; a hash it does
// not hold answers PERSISTED_QUERY_NOT_FOUND and the client sends the
// query again, as the protocol intends.
type redisAPQ struct {
	r     *redisstate.Conn
	local *memoryAPQ // nil: no in-process tier (benchmarks)
	ttl   time.Duration
}

var _ graphql.Cache[string] = (*redisAPQ)(nil)

// NewRedisStore returns the persisted-query store shared through r by
// every instance, each query kept ttl after its last registration, with an
// in-process tier of at most maxBytes in front.
func NewRedisStore(r *redisstate.Conn, maxBytes int, ttl time.Duration) graphql.Cache[string] {
	return &redisAPQ{r: r, local: newMemoryAPQ(maxBytes, ttl), ttl: ttl}
}

// Get implements graphql.Cache.
func (c *redisAPQ) Get(ctx context.Context, hash string) (string, bool) {
	if c.local != nil {
		if q, ok := c.local.Get(ctx, hash); ok {
			return q, true
		}
	}
	if !c.r.Healthy() {
		return "", false
	}
	q, err := c.r.Client().Get(ctx, c.r.Key("apq", hash)).Result()
	switch {
	case err == nil:
		if c.local != nil {
			c.local.Add(ctx, hash, q)
		}
		return q, true
	case errors.Is(err, redis.Nil):
	default:
		c.r.Failed(ctx, "apq", err)
	}
	return "", false
}

// Add implements graphql.Cache.
func (c *redisAPQ) Add(ctx context.Context, hash, query string) {
	if c.local != nil {
		c.local.Add(ctx, hash, query)
	}
	if !c.r.Healthy() {
		return
	}
	if err := c.r.Client().Set(ctx, c.r.Key("apq", hash), query, c.ttl).Err(); err != nil {
		c.r.Failed(ctx, "apq", err)
	}
}
