package responsecache

import (
	"context"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/yurong/yurong/internal/lru"
)

// Metrics are the package's only package-level state.
var (
	responseLookups = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "yurong_cache_response_lookups_total",
		Help: "Response cache lookups by result (hit, miss).",
	}, []string{"result"})
	responseHits   = responseLookups.WithLabelValues("hit")
	responseMisses = responseLookups.WithLabelValues("miss")
)

// Cache keeps encoded responses of hot reads (catalogue pages,
// matches, candidates, financing plans), each tagged with the dependencies
// it was computed from: "enterprise:42", "product:7", "catalog:enterprise"
// for list pages, "matching:all". Every entry also depends on the tag "*":
// invalidating it drops the whole cache. Invalidate(tags) makes every entry that
// depends on one of them unreadable before it returns, on every instance
// sharing the cache.
//
// Each tag has a version; an entry records the versions of its tags when
// its data was read, and is served only while they are all current. So
// the order matters: Get; on a miss take a Stamp of the tags before
// reading the data, compute, then Set with that stamp. An entry whose
// stamp an invalidation overtook is never stored, and a stored one is
// never served once a tag moved. Fetch does this.
//
// The cache never fails: while Redis is unreachable it serves from an
// in-process fallback (see package redisstate). Values are shared, not
// copied, on Get: callers must not modify them.
type Cache interface {
	// Get returns the value under key while all its tags are current.
	Get(ctx context.Context, key string) ([]byte, bool)
	// Stamp records the current versions of deps.
	Stamp(ctx context.Context, deps ...string) Stamp
	// Set stores val under key for ttl (which must be positive) unless a
	// tag of s was invalidated since s was taken.
	Set(ctx context.Context, key string, s Stamp, val []byte, ttl time.Duration)
	// Invalidate moves the versions of deps: no entry depending on one of
	// them is served after Invalidate returns.
	Invalidate(ctx context.Context, deps ...string)
}

// A Stamp is the versions of a set of dependency tags at one moment, taken
// by Cache.Stamp. The zero Stamp stores nothing.
type Stamp struct {
	src      any // the store that took it; any other ignores it
	deps     []string
	counts   []uint64 // in-process versions
	epoch    uint64   // in-process epoch
	versions []string // Redis versions
}

// Fetch returns the value cached under key or, on a miss, computes it with
// fill and caches it for ttl under deps. The stamp is taken before fill
// runs, so data read before a concurrent write is never cached as current.
// Errors come only from fill; they are returned and nothing is cached.
func Fetch(ctx context.Context, c Cache, key string, deps []string, ttl time.Duration, fill func(context.Context) ([]byte, error)) ([]byte, error) {
	if v, ok := c.Get(ctx, key); ok {
		return v, nil
	}
	s := c.Stamp(ctx, deps...)
	v, err := fill(ctx)
	if err != nil {
		return nil, err
	}
	c.Set(ctx, key, s, v, ttl)
	return v, nil
}

// memoryResponses is the in-process Cache: an LRU bounded in bytes
// and a version counter per tag.
type memoryResponses struct {
	entries *lru.Cache[memoryEntry]

	mu       sync.Mutex
	versions map[string]uint64
	epoch    uint64 // moved by invalidateAll
}

type memoryEntry struct {
	val    []byte
	deps   []string
	counts []uint64
	epoch  uint64
}

var _ Cache = (*memoryResponses)(nil)

// NewMemory returns the in-process Cache of one instance, holding at most
// maxBytes of entries.
func NewMemory(maxBytes int) Cache { return newMemoryResponses(maxBytes) }

func newMemoryResponses(maxBytes int) *memoryResponses {
	return &memoryResponses{entries: lru.New[memoryEntry](maxBytes, time.Now), versions: map[string]uint64{}}
}

// Get implements Cache.
func (c *memoryResponses) Get(_ context.Context, key string) ([]byte, bool) {
	e, ok := c.entries.Get(key)
	if ok {
		c.mu.Lock()
		ok = c.current(e.epoch, e.deps, e.counts)
		c.mu.Unlock()
	}
	countLookup(ok)
	if !ok {
		return nil, false
	}
	return e.val, true
}

// current reports whether the versions recorded for deps are still the
// versions now. c.mu is held.
func (c *memoryResponses) current(epoch uint64, deps []string, counts []uint64) bool {
	if epoch != c.epoch {
		return false
	}
	for i, d := range deps {
		if c.versions[d] != counts[i] {
			return false
		}
	}
	return true
}

// Stamp implements Cache.
func (c *memoryResponses) Stamp(_ context.Context, deps ...string) Stamp {
	s := Stamp{src: c, deps: append([]string(nil), deps...), counts: make([]uint64, len(deps))}
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, d := range deps {
		s.counts[i] = c.versions[d]
	}
	s.epoch = c.epoch
	return s
}

// Set implements Cache.
func (c *memoryResponses) Set(_ context.Context, key string, s Stamp, val []byte, ttl time.Duration) {
	if s.src != c || ttl <= 0 {
		return
	}
	c.mu.Lock()
	ok := c.current(s.epoch, s.deps, s.counts)
	c.mu.Unlock()
	if !ok {
		return
	}
	size := len(val)
	for _, d := range s.deps {
		size += len(d) + 8
	}
	e := memoryEntry{val: append([]byte(nil), val...), deps: s.deps, counts: s.counts, epoch: s.epoch}
	c.entries.Add(key, e, size, ttl)
}

// Invalidate implements Cache.
func (c *memoryResponses) Invalidate(_ context.Context, deps ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, d := range deps {
		if d == allTag {
			c.epoch++
		}
		c.versions[d]++
	}
}

// invalidateAll makes every entry stale.
func (c *memoryResponses) invalidateAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch++
}

func countLookup(hit bool) {
	if hit {
		responseHits.Inc()
	} else {
		responseMisses.Inc()
	}
}
