package search

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// The indexer's Prometheus metrics. The Indexer is a prometheus.Collector:
// the server registers it (prometheus.MustRegister(ix)) and /metrics reads
// the outbox lag when scraped.
var (
	descPending = prometheus.NewDesc("yurong_search_outbox_pending",
		"Outbox events not yet indexed.", nil, nil)
	descOldest = prometheus.NewDesc("yurong_search_outbox_oldest_seconds",
		"Age of the oldest outbox event not yet indexed (0 when none).", nil, nil)
	descIndexed = prometheus.NewDesc("yurong_search_indexed_events_total",
		"Outbox events indexed since the process started.", nil, nil)
	descFailures = prometheus.NewDesc("yurong_search_index_failures_total",
		"Failed indexing attempts since the process started (each is retried).", nil, nil)
	descLastIndexed = prometheus.NewDesc("yurong_search_last_indexed_timestamp_seconds",
		"When a batch of outbox events was last indexed (Unix time; 0 never).", nil, nil)
	descReindex = prometheus.NewDesc("yurong_search_reindex_progress_ratio",
		"Share of entities in the new index while a reindex runs; absent otherwise.", nil, nil)
)

// metricsTimeout bounds the outbox query a scrape makes.
const metricsTimeout = 2 * time.Second

// Describe implements prometheus.Collector.
func (ix *Indexer) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descPending, descOldest, descIndexed, descFailures, descLastIndexed, descReindex} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (ix *Indexer) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), metricsTimeout)
	defer cancel()
	l, err := ix.Lag(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(descPending, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(descPending, prometheus.GaugeValue, float64(l.Pending))
	ch <- prometheus.MustNewConstMetric(descOldest, prometheus.GaugeValue, l.Oldest.Seconds())
	ch <- prometheus.MustNewConstMetric(descIndexed, prometheus.CounterValue, float64(l.Indexed))
	ch <- prometheus.MustNewConstMetric(descFailures, prometheus.CounterValue, float64(l.Failures))
	var last float64
	if !l.LastIndexedAt.IsZero() {
		last = float64(l.LastIndexedAt.UnixNano()) / 1e9
	}
	ch <- prometheus.MustNewConstMetric(descLastIndexed, prometheus.GaugeValue, last)
	if l.Reindex != nil && l.Reindex.Total > 0 {
		ch <- prometheus.MustNewConstMetric(descReindex, prometheus.GaugeValue, float64(l.Reindex.Done)/float64(l.Reindex.Total))
	}
}

var _ prometheus.Collector = (*Indexer)(nil)
