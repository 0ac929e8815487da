package cache

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// A variant is one side of the backend under test.
type variant struct {
	// open opens one more instance. On the Redis side the instances opened
	// in one (sub)test share its key prefix, so they share state (shared
	// is true); in process each instance is on its own.
	open   func(t *testing.T, opts Options) *Backend
	shared bool
}

// forEachBackend runs test against the in-process backend and, when
// YURONG_REDIS_URL is set, against Redis.
func forEachBackend(t *testing.T, test func(t *testing.T, v variant)) {
	t.Run("in process", func(t *testing.T) {
		test(t, variant{open: func(t *testing.T, opts Options) *Backend {
			return openBackend(t, "", opts)
		}})
	})
	t.Run("redis", func(t *testing.T) {
		url := redisURL(t)
		prefix := testPrefix(t, url)
		test(t, variant{shared: true, open: func(t *testing.T, opts Options) *Backend {
			opts.Prefix = prefix + t.Name() + ":"
			b := openBackend(t, url, opts)
			if !b.Healthy() {
				t.Fatalf("redis at %s is not reachable: %s", url, b.Status().Error)
			}
			return b
		}})
	})
}

// redisURL returns YURONG_REDIS_URL or skips the test.
func redisURL(t testing.TB) string {
	url := os.Getenv("YURONG_REDIS_URL")
	if url == "" {
		t.Skip("YURONG_REDIS_URL is not set")
	}
	return url
}

// testPrefix returns a key prefix no other test run uses, and deletes its
// keys when the test ends.
func testPrefix(t testing.TB, url string) string {
	name := strings.NewReplacer(" ", "_", "/", ".").Replace(t.Name())
	prefix := fmt.Sprintf("test:%s:%d:", name, time.Now().UnixNano())
	t.Cleanup(func() {
		opt, err := redis.ParseURL(url)
		if err != nil {
			return
		}
		c := redis.NewClient(opt)
		defer c.Close()
		ctx := context.Background()
		iter := c.Scan(ctx, 0, globEscape(prefix)+"*", 1000).Iterator()
		for iter.Next(ctx) {
			c.Del(ctx, iter.Val())
		}
	})
	return prefix
}

func openBackend(t testing.TB, url string, opts Options) *Backend {
	t.Helper()
	b, err := Open(context.Background(), url, opts)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := b.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return b
}

// eventually fails t unless cond holds within d.
func eventually(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, d)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
