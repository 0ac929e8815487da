package ratelimit

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/yurong/yurong/redisstate"
)

// redisLimiter keeps the buckets in Redis (a hash rl:<client> of tokens
// and the time of the last refill, expiring once it would be full again),
// so a client's budget is shared by every instance. One Lua script reads,
// refills and takes atomically, on the Redis server's clock.
type redisLimiter struct {
	r      *redisstate.Conn
	rate   Rate
	local  *memoryLimiter
	script *redis.Script
}

var _ Limiter = (*redisLimiter)(nil)

// NewRedis returns the Limiter whose buckets every instance shares
// through r, with in-process buckets for at most maxClients clients for
// while Redis is away.
func NewRedis(r *redisstate.Conn, rate Rate, maxClients int) Limiter {
	local := newMemoryLimiter(rate, maxClients, time.Now)
	return &redisLimiter{r: r, rate: rate, local: local, script: redis.NewScript(limiterScript)}
}

// limiterScript: KEYS[1] the bucket; ARGV limit, tokens per second, cost.
// Returns {allowed 0/1, tokens (string), wait in microseconds}.
const limiterScript = `
local limit = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(b[1]) or limit
local ts = tonumber(b[2]) or now
if now > ts then
  tokens = math.min(limit, tokens + (now - ts) * rate / 1000000)
  ts = now
end
local need = math.min(cost, limit)
local allowed = 0
local wait = 0
if tokens >= need then
  tokens = tokens - cost
  allowed = 1
else
  wait = math.ceil((need - tokens) / rate * 1000000)
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens), 'ts', string.format('%d', ts))
local full = math.ceil((limit - tokens) / rate * 1000) + 1000
redis.call('PEXPIRE', KEYS[1], full)
return {allowed, string.format('%.6f', tokens), wait}
`

// Allow implements Limiter.
func (l *redisLimiter) Allow(ctx context.Context, client string, cost int) (Decision, error) {
	if l.r.Healthy() {
		d, err := l.allow(ctx, client, cost)
		if err == nil {
			return d, nil
		}
		l.r.Failed(ctx, "limiter", err)
	}
	return l.local.Allow(ctx, client, cost)
}

func (l *redisLimiter) allow(ctx context.Context, client string, cost int) (Decision, error) {
	res, err := l.script.Run(ctx, l.r.Client(), []string{l.r.Key("rl", client)},
		l.rate.Limit, strconv.FormatFloat(l.rate.PerSecond, 'f', -1, 64), cost).Slice()
	if err != nil {
		return Decision{}, err
	}
	if len(res) != 3 {
		return Decision{}, fmt.Errorf("ratelimit: limiter script returned %d values", len(res))
	}
	allowed, _ := res[0].(int64)
	tokensText, _ := res[1].(string)
	wait, _ := res[2].(int64)
	tokens, err := strconv.ParseFloat(tokensText, 64)
	if err != nil {
		return Decision{}, fmt.Errorf("ratelimit: limiter script tokens %q: %w", tokensText, err)
	}
	if math.IsNaN(tokens) {
		return Decision{}, fmt.Errorf("ratelimit: limiter script tokens %q", tokensText)
	}
	return l.rate.decision(tokens, allowed == 1, time.Duration(wait)*time.Microsecond), nil
}
