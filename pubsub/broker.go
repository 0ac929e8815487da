package pubsub

import (
	"context"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// pubsubDropped is the package's only package-level state, a metric.
var pubsubDropped = promauto.NewCounter(prometheus.CounterOpts{
	Name: "yurong_cache_pubsub_dropped_total",
	Help: "Messages dropped because a subscriber's buffer was full (the oldest message goes).",
})

// Broker carries notifications for GraphQL subscriptions (pairingsChanged)
// between instances. Publish reaches every subscriber of the topic on
// every instance sharing Redis, and the local ones while Redis is down.
//
// Delivery is best effort, in publication order per publisher, without
// history: a subscriber hears what is published after Subscribe returns.
// While Redis is down only local subscribers hear a publication, and
// around such a switch one may hear a message twice.
// A subscriber that does not keep up loses the oldest messages buffered
// for it (counted in yurong_cache_pubsub_dropped_total); publishers never
// wait for subscribers. Messages are shared between subscribers: they
// must not be modified.
type Broker interface {
	// Publish sends msg to the topic's subscribers. It fails only when ctx
	// is done.
	Publish(ctx context.Context, topic string, msg []byte) error
	// Subscribe returns the topic's messages and a function ending the
	// subscription; ending ctx ends it too. Either way the channel is
	// closed and nothing of the subscription remains.
	Subscribe(ctx context.Context, topic string) (<-chan []byte, func())
}

// hub fans messages out to the subscribers of this process. It starts no
// goroutine per subscriber.
type hub struct {
	buffer int

	mu     sync.RWMutex
	topics map[string]map[*subscriber]struct{}
}

type subscriber struct {
	mu     sync.Mutex
	ch     chan []byte
	closed bool
}

func newHub(buffer int) *hub {
	return &hub{buffer: max(buffer, 1), topics: map[string]map[*subscriber]struct{}{}}
}

func (h *hub) subscribe(ctx context.Context, topic string) (<-chan []byte, func()) {
	s := &subscriber{ch: make(chan []byte, h.buffer)}
	h.mu.Lock()
	subs := h.topics[topic]
	if subs == nil {
		subs = map[*subscriber]struct{}{}
		h.topics[topic] = subs
	}
	subs[s] = struct{}{}
	h.mu.Unlock()

	var once sync.Once
	remove := func() {
		once.Do(func() {
			h.mu.Lock()
			delete(h.topics[topic], s)
			if len(h.topics[topic]) == 0 {
				delete(h.topics, topic)
			}
			h.mu.Unlock()
			s.mu.Lock()
			s.closed = true
			close(s.ch)
			s.mu.Unlock()
		})
	}
	stop := context.AfterFunc(ctx, remove)
	return s.ch, func() {
		stop()
		remove()
	}
}

// deliver hands msg to every subscriber of topic without waiting.
func (h *hub) deliver(topic string, msg []byte) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for s := range h.topics[topic] {
		s.send(msg)
	}
}

// send queues msg, dropping the oldest queued message when the buffer is full.
func (s *subscriber) send(msg []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	for {
		select {
		case s.ch <- msg:
			return
		default:
		}
		select {
		case <-s.ch:
			pubsubDropped.Inc()
		default:
		}
	}
}

// subscribers returns the number of live subscriptions.
func (h *hub) subscribers() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	n := 0
	for _, subs := range h.topics {
		n += len(subs)
	}
	return n
}

// memoryBroker is the in-process Broker.
type memoryBroker struct{ hub *hub }

var _ Broker = memoryBroker{}

// Publish implements Broker.
func (b memoryBroker) Publish(ctx context.Context, topic string, msg []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	b.hub.deliver(topic, append([]byte(nil), msg...))
	return nil
}

// Subscribe implements Broker.
func (b memoryBroker) Subscribe(ctx context.Context, topic string) (<-chan []byte, func()) {
	return b.hub.subscribe(ctx, topic)
}

// NewLocal returns an in-process Broker reaching this process's
// subscribers only, each buffering up to buffer messages: the broker of a
// single instance, and the one for notifications that every instance
// derives from the shared change feed itself (such as pairingsChanged), so
// they are not heard twice.
func NewLocal(buffer int) Broker { return memoryBroker{hub: newHub(buffer)} }
