package redisstate

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
)

// Options tune a Conn; the zero value is the defaults.
type Options struct {
	// Prefix starts every key and channel; instances sharing state must
	// use the same one. Default "yurong:".
	Prefix string
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

// Conn is what every Redis-backed implementation shares: one client, the
// health of Redis and the key prefix. It is safe for concurrent use.
type Conn struct {
	client  *redis.Client
	health  *health
	prefix  string
	timeout time.Duration
	probing time.Duration

	stop context.CancelFunc
	wg   sync.WaitGroup
}

// Open connects to the Redis at rawURL (redis://[user:pass@]host:port/db
// or rediss://), pings it once and keeps probing it until Close. An
// unreachable Redis is not an error: the Conn starts down and comes up
// once Redis answers; only a malformed URL is.
func Open(ctx context.Context, rawURL string, opts Options) (*Conn, error) {
	opts = opts.withDefaults()
	client, err := newClient(rawURL, opts.Timeout)
	if err != nil {
		return nil, err
	}
	ping := func(ctx context.Context) error { return client.Ping(ctx).Err() }
	c := &Conn{
		client:  client,
		health:  newHealth(ping, opts.ProbeInterval, opts.Timeout, opts.Logger),
		prefix:  opts.Prefix,
		timeout: opts.Timeout,
		probing: opts.ProbeInterval,
	}
	redisUp.Set(0)
	c.health.probe(ctx)
	if !c.health.healthy() {
		opts.Logger.Warn("redis unreachable at start; serving from in-process fallbacks until it answers", "err", c.health.status().Error)
	}
	probeCtx, stop := context.WithCancel(context.Background())
	c.stop = stop
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		c.health.run(probeCtx)
	}()
	return c, nil
}

// Close stops the probe and closes the client.
func (c *Conn) Close() error {
	c.stop()
	c.wg.Wait()
	if err := c.client.Close(); err != nil {
		return fmt.Errorf("redisstate: close redis client: %w", err)
	}
	return nil
}

// Client returns the Redis client.
func (c *Conn) Client() *redis.Client { return c.client }

// Timeout is the bound of each Redis call.
func (c *Conn) Timeout() time.Duration { return c.timeout }

// ProbeInterval is how often Redis is pinged.
func (c *Conn) ProbeInterval() time.Duration { return c.probing }

// Key returns the Redis key of name in component kind ("apq", "rc", …).
func (c *Conn) Key(kind, name string) string {
	return c.prefix + kind + ":" + name
}

// Healthy reports whether Redis calls should be attempted; while it is
// false, implementations serve from their in-process fallbacks.
func (c *Conn) Healthy() bool { return c.health.healthy() }

// Status reports the state of Redis for /readyz.
func (c *Conn) Status() Status { return c.health.status() }

// Failed records that a Redis call of component failed: Redis is marked
// down and the caller serves from its fallback. A call abandoned by its
// caller (ctx done) says nothing about Redis and is not counted.
func (c *Conn) Failed(ctx context.Context, component string, err error) {
	if ctx.Err() != nil {
		return
	}
	redisFailures.WithLabelValues(component).Inc()
	c.health.fail(fmt.Errorf("%s: %w", component, err))
}

// OnRecover registers fn to run before Redis is used again after an
// outage (to replay what the fallbacks could not tell Redis); while it
// fails, Redis stays unused until the next probe.
func (c *Conn) OnRecover(fn func(context.Context) error) { c.health.onRecover(fn) }

// HoldSwitch keeps the switch back to Redis from happening until release
// is called, so an operation deciding between Redis and a list of what to
// replay cannot interleave with the replay.
func (c *Conn) HoldSwitch() (release func()) {
	c.health.gate.RLock()
	return c.health.gate.RUnlock
}

// newClient parses rawURL and sets timeouts short enough that an
// unreachable Redis costs a request at most about one timeout before the
// fallbacks take over. Values given in the URL's query (dial_timeout,
// read_timeout, max_retries, …) win.
func newClient(rawURL string, timeout time.Duration) (*redis.Client, error) {
	opt, err := redis.ParseURL(rawURL)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err // the URL itself may hold a password
		}
		return nil, fmt.Errorf("redisstate: parse redis url: %w", err)
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
