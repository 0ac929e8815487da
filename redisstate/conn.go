package cache

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
)

// remote is what every Redis-backed component shares: one client, the
// health tracker and the key prefix.
type remote struct {
	client *redis.Client
	health *health
	prefix string
}

// key returns the Redis key of name in component kind ("apq", "rc", …).
func (r *remote) key(kind, name string) string {
	return r.prefix + kind + ":" + name
}

// failed records that a Redis call of component failed: Redis is marked
// down and the caller serves from its fallback. A call abandoned by its
// caller (ctx done) says nothing about Redis and is not counted.
func (r *remote) failed(ctx context.Context, component string, err error) {
	if ctx.Err() != nil {
		return
	}
	redisFailures.WithLabelValues(component).Inc()
	r.health.fail(fmt.Errorf("%s: %w", component, err))
}

// newRedisClient parses rawURL (redis://[user:pass@]host:port/db or rediss://)
// and sets timeouts short enough that an unreachable Redis costs a request
// at most about one timeout before the fallbacks take over. Values given
// in the URL's query (dial_timeout, read_timeout, max_retries, …) win.
func newRedisClient(rawURL string, timeout time.Duration) (*redis.Client, error) {
	opt, err := redis.ParseURL(rawURL)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err // the URL itself may hold a password
		}
		return nil, fmt.Errorf("cache: parse redis url: %w", err)
	}
	if opt.DialTimeout == 0 {
		opt.DialTimeout = timeout
	}
	if opt.ReadTimeout == 0 {
		opt.ReadTimeout = timeout
	}
	if opt.WriteTimeout == 0 {
		opt.WriteTimeout = timeout
	}
	if opt.PoolTimeout == 0 {
		opt.PoolTimeout = timeout
	}
	if opt.MaxRetries == 0 {
		// One retry on a fresh connection covers pooled connections that
		// died with a restarted server; more would only delay the fallback.
		opt.MaxRetries = 1
	}
	if opt.DialerRetries == 0 {
		opt.DialerRetries = 1
	}
	opt.DisableIdentity = true
	opt.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}
	client := redis.NewClient(opt)
	if err := traceRedis(client); err != nil {
		client.Close()
		return nil, err
	}
	return client, nil
}
