// Package redisstatetest gives tests a Redis of their own: a connection
// to the one at YURONG_REDIS_URL under a key prefix no other test run
// uses, whose keys are deleted when the test ends.
//
// It owns nothing but that test support. Only tests import it; it must
// not import any project package but redisstate.
package redisstatetest

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/yurong/yurong/redisstate"
)

// URL returns YURONG_REDIS_URL, or skips the test when it is not set.
func URL(t testing.TB) string {
	t.Helper()
	url := os.Getenv("YURONG_REDIS_URL")
	if url == "" {
		t.Skip("YURONG_REDIS_URL is not set")
	}
	return url
}

// notKeySafe is what Prefix replaces in a test's name, so the prefix holds
// nothing a SCAN pattern gives a meaning.
var notKeySafe = regexp.MustCompile(`[^A-Za-z0-9_.:-]`)

// Prefix returns a key prefix no other test run uses, and deletes its keys
// when the test ends.
func Prefix(t testing.TB, url string) string {
	t.Helper()
	prefix := fmt.Sprintf("test:%s:%d:", notKeySafe.ReplaceAllString(t.Name(), "_"), time.Now().UnixNano())
	t.Cleanup(func() {
		opt, err := redis.ParseURL(url)
		if err != nil {
			return
		}
		c := redis.NewClient(opt)
		defer c.Close()
		ctx := context.Background()
		iter := c.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			c.Del(ctx, iter.Val())
		}
	})
	return prefix
}

// Open connects to the Redis at YURONG_REDIS_URL (skipping the test when
// it is not set) with opts under prefix, or under a fresh Prefix when
// prefix is empty; it fails the test unless Redis answers, and closes the
// connection when the test ends.
func Open(t testing.TB, prefix string, opts redisstate.Options) *redisstate.Conn {
	t.Helper()
	url := URL(t)
	if prefix == "" {
		prefix = Prefix(t, url)
	}
	opts.Prefix = prefix
	c, err := redisstate.Open(context.Background(), url, opts)
	if err != nil {
		t.Fatalf("redisstate.Open: %v", err)
	}
	t.Cleanup(func() {
		if err := c.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	if !c.Healthy() {
		t.Fatalf("redis at %s is not reachable: %s", url, c.Status().Error)
	}
	return c
}
