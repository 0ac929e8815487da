// Package lru owns a least-recently-used map bounded in bytes rather than
// entries, whose entries also expire: the in-process side of the
// persisted-query store and of the response cache, where an entry weighs
// 200 B or 500 KB (ADR 026 on why not hashicorp/golang-lru).
//
// It imports no project package.
package lru

import (
	"container/list"
	"sync"
	"time"
)

// Cache is a size-bounded least-recently-used map whose entries also expire.
// Each entry has a size (bytes, roughly); when the total passes max the
// least recently used entries go. It is safe for concurrent use.
type Cache[V any] struct {
	mu    sync.Mutex
	max   int
	size  int
	items map[string]*list.Element
	order *list.List // front: most recently used
	now   func() time.Time
}

type lruItem[V any] struct {
	key     string
	val     V
	size    int
	expires time.Time // zero: never
}

// New returns a Cache of at most maxSize bytes, reading the time from now.
func New[V any](maxSize int, now func() time.Time) *Cache[V] {
	return &Cache[V]{max: maxSize, items: map[string]*list.Element{}, order: list.New(), now: now}
}

// Get returns the value under key unless it is missing or expired.
func (c *Cache[V]) Get(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var zero V
	e, ok := c.items[key]
	if !ok {
		return zero, false
	}
	it := e.Value.(*lruItem[V])
	if !it.expires.IsZero() && !c.now().Before(it.expires) {
		c.remove(e)
		return zero, false
	}
	c.order.MoveToFront(e)
	return it.val, true
}

// entryOverhead is what one entry costs besides its key and payload.
const entryOverhead = 64

// Add stores val, of about size bytes, under key for ttl (0: until
// evicted). An entry larger than the whole cache is not stored.
func (c *Cache[V]) Add(key string, val V, size int, ttl time.Duration) {
	size += len(key) + entryOverhead
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.remove(e)
	}
	if size > c.max {
		return
	}
	it := &lruItem[V]{key: key, val: val, size: size}
	if ttl > 0 {
		it.expires = c.now().Add(ttl)
	}
	c.items[key] = c.order.PushFront(it)
	c.size += size
	for c.size > c.max {
		c.remove(c.order.Back())
	}
}

func (c *Cache[V]) remove(e *list.Element) {
	it := c.order.Remove(e).(*lruItem[V])
	delete(c.items, it.key)
	c.size -= it.size
}

// Len returns the number of entries, expired or not.
func (c *Cache[V]) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items)
}
