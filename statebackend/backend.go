package statebackend

import (
	"context"
	"log/slog"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"github.com/yurong/yurong/persisted"
	"github.com/yurong/yurong/pubsub"
	"github.com/yurong/yurong/ratelimit"
	"github.com/yurong/yurong/redisstate"
	"github.com/yurong/yurong/responsecache"
)

// Options tune a Backend; the zero value is the defaults.
type Options struct {
	// Prefix starts every Redis key and channel; instances sharing state
	// must use the same one. Default "yurong:".
	Prefix string
	// APQTTL is how long a persisted query lives after its last
	// registration. Default 24h.
	APQTTL time.Duration
	// APQBytes bounds the in-process persisted-query store. Default 16 MiB.
	APQBytes int
	// ResponseBytes bounds the in-process response cache. Default 64 MiB.
	ResponseBytes int
	// Rate is every client's budget of query cost. Default 100,000
	// refilled at 2,000 a second.
	Rate ratelimit.Rate
	// MaxClients bounds the in-process limiter's buckets. Default 100,000.
	MaxClients int
	// SubscriberBuffer is how many messages wait for a slow subscriber
	// before the oldest goes. Default 64.
	SubscriberBuffer int
	// Timeout bounds each Redis call. Default 250ms.
	Timeout time.Duration
	// ProbeInterval is how often Redis is pinged, and so how soon a
	// returning Redis is used again. Default 500ms.
	ProbeInterval time.Duration
	// Logger receives the switches to and from Redis. Default: discard.
	Logger *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.APQTTL <= 0 {
		o.APQTTL = 24 * time.Hour
	}
	if o.APQBytes <= 0 {
		o.APQBytes = 16 << 20
	}
	if o.ResponseBytes <= 0 {
		o.ResponseBytes = 64 << 20
	}
	if o.Rate.Limit <= 0 || o.Rate.PerSecond <= 0 {
		o.Rate = ratelimit.Rate{Limit: 100_000, PerSecond: 2_000}
	}
	if o.MaxClients <= 0 {
		o.MaxClients = 100_000
	}
	if o.SubscriberBuffer <= 0 {
		o.SubscriberBuffer = 64
	}
	return o
}

// Backend is what stateless instances share: persisted queries, the
// response cache, the subscription broker and the rate limiter, through
// Redis or in process. It is safe for concurrent use.
type Backend struct {
	apq       graphql.Cache[string]
	responses responsecache.Cache
	broker    pubsub.Broker
	limiter   ratelimit.Limiter

	conn        *redisstate.Conn // nil in process
	redisBroker *pubsub.Redis
}

// Open returns the in-process backend when redisURL is empty, and the
// Redis-backed one otherwise. An unreachable Redis is not an error: the
// backend starts degraded and switches to Redis once it answers; only a
// malformed URL is.
func Open(ctx context.Context, redisURL string, opts Options) (*Backend, error) {
	opts = opts.withDefaults()
	if redisURL == "" {
		return &Backend{
			apq:       persisted.NewMemoryStore(opts.APQBytes, opts.APQTTL),
			responses: responsecache.NewMemory(opts.ResponseBytes),
			broker:    pubsub.NewLocal(opts.SubscriberBuffer),
			limiter:   ratelimit.NewMemory(opts.Rate, opts.MaxClients),
		}, nil
	}

	conn, err := redisstate.Open(ctx, redisURL, redisstate.Options{
		Prefix: opts.Prefix, Timeout: opts.Timeout, ProbeInterval: opts.ProbeInterval, Logger: opts.Logger,
	})
	if err != nil {
		return nil, err
	}
	b := &Backend{
		apq:         persisted.NewRedisStore(conn, opts.APQBytes, opts.APQTTL),
		responses:   responsecache.NewRedis(conn, opts.ResponseBytes),
		limiter:     ratelimit.NewRedis(conn, opts.Rate, opts.MaxClients),
		conn:        conn,
		redisBroker: pubsub.NewRedis(conn, opts.SubscriberBuffer),
	}
	b.broker = b.redisBroker
	if conn.Healthy() {
		b.redisBroker.WaitReady(conn.Timeout())
	}
	return b, nil
}

// APQ returns the persisted-query store, for persisted.Queries.Cache.
func (b *Backend) APQ() graphql.Cache[string] { return b.apq }

// Responses returns the response cache.
func (b *Backend) Responses() responsecache.Cache { return b.responses }

// Broker returns the subscription broker.
func (b *Backend) Broker() pubsub.Broker { return b.broker }

// Limiter returns the rate limiter.
func (b *Backend) Limiter() ratelimit.Limiter { return b.limiter }

// Healthy reports whether the backend is at full strength: always for the
// in-process backend, while Redis answers for the Redis one.
func (b *Backend) Healthy() bool {
	return b.conn == nil || b.conn.Healthy()
}

// Status reports the backend's state for /readyz.
func (b *Backend) Status() redisstate.Status {
	if b.conn == nil {
		return redisstate.Status{Backend: "memory", OK: true}
	}
	return b.conn.Status()
}

// Close stops the background work and closes the Redis client.
func (b *Backend) Close() error {
	if b.conn == nil {
		return nil
	}
	b.redisBroker.Close()
	return b.conn.Close()
}

// PersistedQueries returns the persisted-query extension on this
// backend's store; with a non-nil allow-list the server is locked down to
// the list instead.
func (b *Backend) PersistedQueries(allow *persisted.AllowList) persisted.Queries {
	return persisted.Queries{Cache: b.apq, AllowList: allow}
}

// RateLimit returns the cost-budget extension on this backend's limiter.
func (b *Backend) RateLimit() *ratelimit.Extension { return ratelimit.New(b.limiter) }
