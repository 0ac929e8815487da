package responsecache

import (
	"context"
	"errors"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/yurong/yurong/redisstate"
)

// allTag is a tag every Redis entry depends on; moving it drops them all.
const allTag = "*"

// maxPending bounds the invalidations remembered while Redis is down;
// past it, recovery drops every entry instead of replaying them.
const maxPending = 10000

// redisResponses is the Cache shared through Redis.
//
// An entry is a hash at rc:e:<key> holding the value (field "v") and the
// version of each tag it depends on (field "t<tag>"), expiring after its
// TTL. A tag's version is the string at rc:t:<tag>, "" while absent, set
// to a fresh random token by each invalidation (tokens, not counters, so a
// Redis restarted empty cannot bring an old version back). A Lua script
// compares the versions when reading, and again when storing, atomically.
// Tag keys never expire: an entry may only be evicted, never a tag, so
// the server's maxmemory-policy must be noeviction or volatile-*.
//
// While Redis is unreachable the in-process cache serves, every
// invalidation also goes there, and the invalidations Redis missed are
// replayed before it is used again; the in-process entries are then
// dropped, so they only ever hold what was computed during one outage.
type redisResponses struct {
	r        *redisstate.Conn
	local    *memoryResponses
	get, set *redis.Script

	mu      sync.Mutex
	pending map[string]struct{} // tags invalidated while Redis was down
}

var _ Cache = (*redisResponses)(nil)

// NewRedis returns the Cache shared through r by every instance, with an
// in-process fallback of at most maxBytes for while Redis is away.
func NewRedis(r *redisstate.Conn, maxBytes int) Cache {
	return newRedisResponses(r, newMemoryResponses(maxBytes))
}

func newRedisResponses(r *redisstate.Conn, local *memoryResponses) *redisResponses {
	c := &redisResponses{
		r:       r,
		local:   local,
		get:     redis.NewScript(responseGetScript),
		set:     redis.NewScript(responseSetScript),
		pending: map[string]struct{}{},
	}
	r.OnRecover(c.replay)
	return c
}

// responseGetScript returns the value of entry KEYS[1] if every tag
// version it recorded is current (tag keys are ARGV[1] .. tag), else nil.
const responseGetScript = `
local h = redis.call('HGETALL', KEYS[1])
if #h == 0 then return nil end
local val = nil
for i = 1, #h, 2 do
  local f = h[i]
  if f == 'v' then
    val = h[i + 1]
  elseif (redis.call('GET', ARGV[1] .. string.sub(f, 2)) or '') ~= h[i + 1] then
    return nil
  end
end
return val
`

// responseSetScript stores entry KEYS[1] (value ARGV[3], TTL ARGV[2] ms)
// with the tag versions in ARGV[4..] (tag, version pairs) if they are all
// still current; returns 1 when stored.
const responseSetScript = `
for i = 4, #ARGV, 2 do
  if (redis.call('GET', ARGV[1] .. ARGV[i]) or '') ~= ARGV[i + 1] then return 0 end
end
local fields = {'v', ARGV[3]}
for i = 4, #ARGV, 2 do
  fields[#fields + 1] = 't' .. ARGV[i]
  fields[#fields + 1] = ARGV[i + 1]
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(fields))
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`

func (c *redisResponses) entryKey(key string) string { return c.r.Key("rc:e", key) }
func (c *redisResponses) tagPrefix() string          { return c.r.Key("rc:t", "") }

// Get implements Cache.
func (c *redisResponses) Get(ctx context.Context, key string) ([]byte, bool) {
	if !c.r.Healthy() {
		return c.local.Get(ctx, key)
	}
	v, err := c.get.Run(ctx, c.r.Client(), []string{c.entryKey(key)}, c.tagPrefix()).Result()
	switch {
	case err == nil:
		if s, ok := v.(string); ok {
			countLookup(true)
			return []byte(s), true
		}
	case errors.Is(err, redis.Nil):
	default:
		c.r.Failed(ctx, "responses", err)
		return c.local.Get(ctx, key)
	}
	countLookup(false)
	return nil, false
}

// Stamp implements Cache.
func (c *redisResponses) Stamp(ctx context.Context, deps ...string) Stamp {
	if !c.r.Healthy() {
		return c.local.Stamp(ctx, deps...)
	}
	all := make([]string, 0, len(deps)+1)
	all = append(all, allTag)
	all = append(all, deps...)
	keys := make([]string, len(all))
	for i, d := range all {
		keys[i] = c.tagPrefix() + d
	}
	vals, err := c.r.Client().MGet(ctx, keys...).Result()
	if err != nil {
		c.r.Failed(ctx, "responses", err)
		return c.local.Stamp(ctx, deps...)
	}
	s := Stamp{src: c, deps: all, versions: make([]string, len(all))}
	for i, v := range vals {
		s.versions[i], _ = v.(string)
	}
	return s
}

// Set implements Cache.
func (c *redisResponses) Set(ctx context.Context, key string, s Stamp, val []byte, ttl time.Duration) {
	healthy := c.r.Healthy()
	switch {
	case ttl <= 0:
	case s.src == c.local && !healthy:
		c.local.Set(ctx, key, s, val, ttl)
	case s.src == c && healthy:
		args := make([]any, 0, 3+2*len(s.deps))
		args = append(args, c.tagPrefix(), strconv.FormatInt(max(ttl.Milliseconds(), 1), 10), val)
		for i, d := range s.deps {
			args = append(args, d, s.versions[i])
		}
		if err := c.set.Run(ctx, c.r.Client(), []string{c.entryKey(key)}, args...).Err(); err != nil {
			c.r.Failed(ctx, "responses", err)
		}
	}
}

// Invalidate implements Cache.
func (c *redisResponses) Invalidate(ctx context.Context, deps ...string) {
	if len(deps) == 0 {
		return
	}
	c.local.Invalidate(ctx, deps...)
	// The read lock keeps the switch back to Redis from slipping between
	// the health check and remembering the tags as pending.
	defer c.r.HoldSwitch()()
	if c.r.Healthy() {
		// A write's invalidation must not be skipped because its request
		// went away.
		ctx := context.WithoutCancel(ctx)
		err := c.moveTags(ctx, deps)
		if err == nil {
			return
		}
		c.r.Failed(ctx, "responses", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, d := range deps {
		if len(c.pending) >= maxPending {
			clear(c.pending)
			c.pending[allTag] = struct{}{}
			return
		}
		c.pending[d] = struct{}{}
	}
}

// moveTags gives deps a fresh version.
func (c *redisResponses) moveTags(ctx context.Context, deps []string) error {
	token := strconv.FormatUint(rand.Uint64(), 36)
	pairs := make([]any, 0, 2*len(deps))
	for _, d := range deps {
		pairs = append(pairs, c.tagPrefix()+d, token)
	}
	return c.r.Client().MSet(ctx, pairs...).Err()
}

// replay runs before Redis is used again: it moves the tags invalidated
// during the outage and drops the in-process entries.
func (c *redisResponses) replay(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.pending) > 0 {
		tags := make([]string, 0, len(c.pending))
		if _, ok := c.pending[allTag]; ok {
			tags = append(tags, allTag)
		} else {
			for t := range c.pending {
				tags = append(tags, t)
			}
		}
		if err := c.moveTags(ctx, tags); err != nil {
			return err
		}
		clear(c.pending)
	}
	c.local.invalidateAll()
	return nil
}
