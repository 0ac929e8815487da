package lru

import (
	"testing"
	"time"
)

func TestLRU(t *testing.T) {
	now := time.Unix(0, 0)
	clock := func() time.Time { return now }
	entry := entryOverhead + 1 + 10 // key "a" and a 10-byte value

	t.Run("the least recently used entry goes when the budget is spent", func(t *testing.T) {
		c := New[string](3*entry, clock)
		c.Add("a", "A", 10, 0)
		c.Add("b", "B", 10, 0)
		c.Add("c", "C", 10, 0)
		c.Get("a") // b is now the least recently used
		c.Add("d", "D", 10, 0)
		for key, want := range map[string]bool{"a": true, "b": false, "c": true, "d": true} {
			if _, ok := c.Get(key); ok != want {
				t.Errorf("get(%q) found = %v, want %v", key, ok, want)
			}
		}
	})
	t.Run("an entry expires after its TTL", func(t *testing.T) {
		c := New[string](10*entry, clock)
		c.Add("a", "A", 10, time.Second)
		now = now.Add(999 * time.Millisecond)
		if _, ok := c.Get("a"); !ok {
			t.Error("entry gone before its TTL")
		}
		now = now.Add(time.Millisecond)
		if _, ok := c.Get("a"); ok {
			t.Error("entry still there at its TTL")
		}
		if c.Len() != 0 {
			t.Errorf("len = %d after expiry, want 0", c.Len())
		}
	})
	t.Run("an entry larger than the cache is not stored", func(t *testing.T) {
		c := New[string](entry, clock)
		c.Add("a", "A", 1000, 0)
		if _, ok := c.Get("a"); ok {
			t.Error("oversized entry stored")
		}
	})
	t.Run("adding a key again replaces its entry", func(t *testing.T) {
		c := New[string](10*entry, clock)
		c.Add("a", "A", 10, 0)
		c.Add("a", "A2", 10, 0)
		if got, _ := c.Get("a"); got != "A2" || c.Len() != 1 || c.size != entry {
			t.Errorf("get = %q, len %d, size %d; want A2, 1, %d", got, c.Len(), c.size, entry)
		}
	})
}
