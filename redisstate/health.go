package redisstate

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"
)

// Status is the state of Redis, for /readyz.
type Status struct {
	// Backend is "redis" when YURONG_REDIS_URL is set, else "memory".
	Backend string `json:"backend"`
	// OK is false while Redis is unreachable. The in-process fallbacks
	// serve meanwhile, so requests still succeed: the instance is degraded
	// (budgets and pub/sub are per instance), not broken.
	OK bool `json:"ok"`
	// Since is when OK last changed.
	Since time.Time `json:"since,omitzero"`
	// Error is the last Redis error while OK is false.
	Error string `json:"error,omitempty"`
}

// health tracks whether Redis answers. Components ask healthy before each
// Redis call and report failures with fail; a background probe pings
// Redis every interval and switches back once it answers, after running
// the recovery hooks (replaying what the fallbacks could not tell Redis).
type health struct {
	ping     func(context.Context) error
	interval time.Duration
	timeout  time.Duration
	log      *slog.Logger

	up atomic.Bool
	// gate is held for reading by operations that must not interleave with
	// the switch back to Redis (an invalidation deciding between Redis and
	// its pending list), and for writing while the hooks run and the switch
	// happens.
	gate sync.RWMutex

	mu      sync.Mutex
	since   time.Time
	lastErr error
	hooks   []func(context.Context) error
}

func newHealth(ping func(context.Context) error, interval, timeout time.Duration, log *slog.Logger) *health {
	return &health{ping: ping, interval: interval, timeout: timeout, log: log, since: time.Now()}
}

// healthy reports whether Redis calls should be attempted.
func (h *health) healthy() bool { return h.up.Load() }

// onRecover registers fn to run, with the gate held, before the switch
// back to Redis; if it fails the switch waits for the next probe.
func (h *health) onRecover(fn func(context.Context) error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.hooks = append(h.hooks, fn)
}

// fail marks Redis down after a failed call.
func (h *health) fail(err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.lastErr = err
	if h.up.CompareAndSwap(true, false) {
		h.since = time.Now()
		redisUp.Set(0)
		h.log.Warn("redis unreachable; serving from in-process fallbacks", "err", err)
	}
}

// probe pings Redis once: a failure marks it down, an answer while down
// runs the recovery hooks and marks it up.
func (h *health) probe(ctx context.Context) {
	pctx, cancel := context.WithTimeout(ctx, h.timeout)
	err := h.ping(pctx)
	cancel()
	if err != nil {
		if ctx.Err() == nil {
			h.fail(err)
		}
		return
	}
	if h.up.Load() {
		return
	}
	h.gate.Lock()
	defer h.gate.Unlock()
	h.mu.Lock()
	hooks := h.hooks
	h.mu.Unlock()
	for _, fn := range hooks {
		hctx, cancel := context.WithTimeout(ctx, h.timeout)
		err := fn(hctx)
		cancel()
		if err != nil {
			h.fail(err)
			return
		}
	}
	h.mu.Lock()
	h.lastErr = nil
	h.since = time.Now()
	h.mu.Unlock()
	h.up.Store(true)
	redisUp.Set(1)
	h.log.Info("redis reachable; using it again")
}

// run probes every interval until ctx is done.
func (h *health) run(ctx context.Context) {
	t := time.NewTicker(h.interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			h.probe(ctx)
		}
	}
}

// status reports the state for /readyz.
func (h *health) status() Status {
	h.mu.Lock()
	defer h.mu.Unlock()
	s := Status{Backend: "redis", OK: h.up.Load(), Since: h.since}
	if !s.OK && h.lastErr != nil {
		s.Error = h.lastErr.Error()
	}
	return s
}
