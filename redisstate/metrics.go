package redisstate

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// Metrics are the package's only package-level state. Their names keep
// the yurong_cache_ prefix dashboards and alerts know them by.
var (
	redisUp = promauto.NewGauge(prometheus.GaugeOpts{
		Name: "yurong_cache_redis_up",
		Help: "1 while Redis answers, 0 while the shared state is served from in-process fallbacks.",
	})
	redisFailures = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "yurong_cache_redis_failures_total",
		Help: "Redis calls that failed and were served by the in-process fallback, by component.",
	}, []string{"component"})
)
