package cache

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/redis/go-redis/v9"
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
	Rate Rate
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
	if o.Prefix == "" {
		o.Prefix = "yurong:"
	}
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
		o.Rate = Rate{Limit: 100_000, PerSecond: 2_000}
	}
	if o.MaxClients <= 0 {
		o.MaxClients = 100_000
	}
	if o.SubscriberBuffer <= 0 {
		o.SubscriberBuffer = 64
	}
	if o.Timeout <= 0 {
		o.Timeout = 250 * time.Millisecond
	}
	if o.ProbeInterval <= 0 {
		o.ProbeInterval = 500 * time.Millisecond
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Backend is what stateless instances share: persisted queries, the
// response cache, the subscription broker and the rate limiter, through
// Redis or in process. It is safe for concurrent use.
type Backend struct {
	apq       graphql.Cache[string]
	responses ResponseCache
	broker    Broker
	limiter   Limiter

	client    *redis.Client // nil in process
	health    *health
	redisSide *redisBroker
	stop      context.CancelFunc
	wg        sync.WaitGroup
}

// Open returns the in-process backend when redisURL is empty, and the
// Redis-backed one otherwise. An unreachable Redis is not an error: the
// backend starts degraded and switches to Redis once it answers; only a
// malformed URL is.
func Open(ctx context.Context, redisURL string, opts Options) (*Backend, error) {
	opts = opts.withDefaults()
	localAPQ := newMemoryAPQ(opts.APQBytes, opts.APQTTL)
	localResponses := newMemoryResponses(opts.ResponseBytes)
	localLimiter := newMemoryLimiter(opts.Rate, opts.MaxClients, time.Now)
	h := newHub(opts.SubscriberBuffer)
	if redisURL == "" {
		return &Backend{
			apq:       localAPQ,
			responses: localResponses,
			broker:    memoryBroker{hub: h},
			limiter:   localLimiter,
		}, nil
	}

	client, err := newRedisClient(redisURL, opts.Timeout)
	if err != nil {
		return nil, err
	}
	ping := func(ctx context.Context) error { return client.Ping(ctx).Err() }
	r := &remote{
		client: client,
		health: newHealth(ping, opts.ProbeInterval, opts.Timeout, opts.Logger),
		prefix: opts.Prefix,
	}
	b := &Backend{
		apq:       &redisAPQ{r: r, local: localAPQ, ttl: opts.APQTTL},
		responses: newRedisResponses(r, localResponses),
		limiter:   newRedisLimiter(r, opts.Rate, localLimiter),
		client:    client,
		health:    r.health,
	}
	b.redisSide = newRedisBroker(r, h, opts.ProbeInterval)
	b.broker = b.redisSide

	redisUp.Set(0)
	r.health.probe(ctx)
	if r.health.healthy() {
		b.redisSide.waitReady(opts.Timeout)
	} else {
		opts.Logger.Warn("redis unreachable at start; serving from in-process fallbacks until it answers", "err", r.health.status().Error)
	}
	probeCtx, stop := context.WithCancel(context.Background())
	b.stop = stop
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		r.health.run(probeCtx)
	}()
	return b, nil
}

// APQ returns the persisted-query store, for PersistedQueries.Cache.
func (b *Backend) APQ() graphql.Cache[string] { return b.apq }

// Responses returns the response cache.
func (b *Backend) Responses() ResponseCache { return b.responses }

// Broker returns the subscription broker.
func (b *Backend) Broker() Broker { return b.broker }

// Limiter returns the rate limiter.
func (b *Backend) Limiter() Limiter { return b.limiter }

// Healthy reports whether the backend is at full strength: always for the
// in-process backend, while Redis answers for the Redis one.
func (b *Backend) Healthy() bool {
	return b.health == nil || b.health.healthy()
}

// Status reports the backend's state for /readyz.
func (b *Backend) Status() Status {
	if b.health == nil {
		return Status{Backend: "memory", OK: true}
	}
	return b.health.status()
}

// Close stops the background work and closes the Redis client.
func (b *Backend) Close() error {
	if b.client == nil {
		return nil
	}
	b.stop()
	b.redisSide.Close()
	b.wg.Wait()
	if err := b.client.Close(); err != nil {
		return fmt.Errorf("cache: close redis client: %w", err)
	}
	return nil
}

// PersistedQueries returns the persisted-query extension on this
// backend's store; with a non-nil allow-list the server is locked down to
// the list instead.
func (b *Backend) PersistedQueries(allow *AllowList) PersistedQueries {
	return PersistedQueries{Cache: b.apq, AllowList: allow}
}

// RateLimit returns the cost-budget extension on this backend's limiter.
func (b *Backend) RateLimit() *RateLimit { return NewRateLimit(b.limiter) }
