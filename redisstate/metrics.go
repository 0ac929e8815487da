package cache

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// Metrics are the package's only package-level state.
var (
	redisUp = promauto.NewGauge(prometheus.GaugeOpts{
		Name: "yurong_cache_redis_up",
		Help: "1 while Redis answers, 0 while the cache package serves from in-process fallbacks.",
	})
	redisFailures = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "yurong_cache_redis_failures_total",
		Help: "Redis calls that failed and were served by the in-process fallback, by component.",
	}, []string{"component"})
	responseLookups = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "yurong_cache_response_lookups_total",
		Help: "Response cache lookups by result (hit, miss).",
	}, []string{"result"})
	responseHits   = responseLookups.WithLabelValues("hit")
	responseMisses = responseLookups.WithLabelValues("miss")
	pubsubDropped  = promauto.NewCounter(prometheus.CounterOpts{
		Name: "yurong_cache_pubsub_dropped_total",
		Help: "Messages dropped because a subscriber's buffer was full (the oldest message goes).",
	})
	rateLimited = promauto.NewCounter(prometheus.CounterOpts{
		Name: "yurong_cache_rate_limited_total",
		Help: "Operations refused because the client's cost budget was spent.",
	})
)
