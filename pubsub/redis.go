package pubsub

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/yurong/yurong/redisstate"
)

// Redis is the Broker shared through Redis. It fans messages out through Redis PUBLISH and one pattern
// subscription per process (PSUBSCRIBE <prefix>ps:*) whose messages the
// hub hands to local subscribers, so WebSocket clients cost Redis nothing.
//
// While Redis or the subscription is down, publications go to the local
// subscribers directly (other instances miss them). Around such a switch a
// local subscriber may hear a message twice.
type Redis struct {
	r        *redisstate.Conn
	hub      *hub
	channel  string // channel prefix
	pattern  string
	interval time.Duration

	listening atomic.Bool   // the pattern subscription is confirmed
	ready     chan struct{} // closed at the first confirmation
	readyOnce sync.Once

	mu     sync.Mutex
	ps     *redis.PubSub
	closed bool
	cancel context.CancelFunc
	done   chan struct{}
}

var _ Broker = (*Redis)(nil)

// NewRedis starts the process's subscription on r, retried every probe
// interval while Redis is away, for subscribers buffering up to buffer
// messages each; Close ends it.
func NewRedis(r *redisstate.Conn, buffer int) *Redis {
	ctx, cancel := context.WithCancel(context.Background())
	channel := r.Key("ps", "")
	interval := r.ProbeInterval()
	b := &Redis{
		r:        r,
		hub:      newHub(buffer),
		channel:  channel,
		pattern:  globEscape(channel) + "*",
		interval: interval,
		cancel:   cancel,
		ready:    make(chan struct{}),
		done:     make(chan struct{}),
	}
	go b.run(ctx)
	return b
}

// Publish implements Broker.
func (b *Redis) Publish(ctx context.Context, topic string, msg []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if b.r.Healthy() {
		listening := b.listening.Load()
		err := b.r.Client().Publish(ctx, b.channel+topic, msg).Err()
		if err == nil {
			if !listening {
				b.hub.deliver(topic, append([]byte(nil), msg...))
			}
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		b.r.Failed(ctx, "pubsub", err)
	}
	b.hub.deliver(topic, append([]byte(nil), msg...))
	return nil
}

// Subscribe implements Broker.
func (b *Redis) Subscribe(ctx context.Context, topic string) (<-chan []byte, func()) {
	return b.hub.subscribe(ctx, topic)
}

// run keeps the pattern subscription open until Close.
func (b *Redis) run(ctx context.Context) {
	defer close(b.done)
	delay := b.interval / 10
	for {
		confirmed, err := b.listen(ctx)
		b.listening.Store(false)
		if ctx.Err() != nil {
			return
		}
		if confirmed {
			delay = b.interval / 10
			b.r.Failed(ctx, "pubsub", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(delay):
		}
		delay = min(2*delay, b.interval)
	}
}

// listen subscribes and delivers messages until the connection fails;
// confirmed reports whether Redis had confirmed the subscription.
func (b *Redis) listen(ctx context.Context) (confirmed bool, err error) {
	ps := b.r.Client().PSubscribe(ctx, b.pattern)
	defer ps.Close()
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return false, errors.New("pubsub: broker closed")
	}
	b.ps = ps
	b.mu.Unlock()

	pinged := false
	for {
		msg, err := ps.ReceiveTimeout(ctx, b.interval)
		if err != nil {
			var nerr net.Error
			if errors.As(err, &nerr) && nerr.Timeout() && !pinged {
				// Quiet: check the connection is still there.
				pinged = true
				if err := ps.Ping(ctx); err != nil {
					return confirmed, err
				}
				continue
			}
			return confirmed, err
		}
		pinged = false
		switch m := msg.(type) {
		case *redis.Subscription:
			if m.Kind == "psubscribe" {
				confirmed = true
				b.listening.Store(true)
				b.readyOnce.Do(func() { close(b.ready) })
			}
		case *redis.Message:
			b.hub.deliver(strings.TrimPrefix(m.Channel, b.channel), []byte(m.Payload))
		}
	}
}

// Listening reports whether Redis has confirmed the process's
// subscription, so messages from other instances are heard.
func (b *Redis) Listening() bool { return b.listening.Load() }

// WaitReady waits up to d for the subscription to be confirmed, so that
// publications right after it starts reach local subscribers exactly once.
func (b *Redis) WaitReady(d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-b.ready:
	case <-t.C:
	}
}

// Close ends the subscription and waits for its goroutine.
func (b *Redis) Close() {
	b.mu.Lock()
	b.closed = true
	ps := b.ps
	b.mu.Unlock()
	b.cancel()
	if ps != nil {
		ps.Close()
	}
	<-b.done
}

// globEscape quotes the characters PSUBSCRIBE patterns give a meaning.
func globEscape(s string) string {
	var sb strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[]\^`, r) {
			sb.WriteByte('\\')
		}
		sb.WriteRune(r)
	}
	return sb.String()
}
