package indexer

import (
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gpumarket/gpumarket"
)

// Metrics are the indexer's Prometheus metrics, named gpumarket_indexer_*.
type Metrics struct {
	head, indexed, lagBlocks, lagSeconds, rangeWidth prometheus.Gauge
	subscribed                                       prometheus.Gauge
	reorgs, headsAnnounced                           prometheus.Counter
	reorgDepth, batchBlocks, commitSeconds           prometheus.Histogram
	rowsWritten                                      prometheus.Counter
	rpcErrors                                        *prometheus.CounterVec
}

// NewMetrics creates the metrics and registers them with reg (nil: not registered).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		head:       prometheus.NewGauge(prometheus.GaugeOpts{Name: "gpumarket_indexer_head_block", Help: "Latest block number the node reported."}),
		indexed:    prometheus.NewGauge(prometheus.GaugeOpts{Name: "gpumarket_indexer_indexed_block", Help: "Last block committed to PostgreSQL."}),
		lagBlocks:  prometheus.NewGauge(prometheus.GaugeOpts{Name: "gpumarket_indexer_lag_blocks", Help: "Head minus indexed block."}),
		lagSeconds: prometheus.NewGauge(prometheus.GaugeOpts{Name: "gpumarket_indexer_lag_seconds", Help: "Seconds between now and the head block's timestamp."}),
		rangeWidth: prometheus.NewGauge(prometheus.GaugeOpts{Name: "gpumarket_indexer_range_width_blocks", Help: "Current eth_getLogs range width."}),
		subscribed: prometheus.NewGauge(prometheus.GaugeOpts{Name: "gpumarket_indexer_head_subscribed",
			Help: "1 while the newHeads subscription is live, 0 while the indexer polls."}),
		headsAnnounced: prometheus.NewCounter(prometheus.CounterOpts{Name: "gpumarket_indexer_heads_announced_total",
			Help: "New heads announced by the subscription."}),
		reorgs:        prometheus.NewCounter(prometheus.CounterOpts{Name: "gpumarket_indexer_reorgs_total", Help: "Chain reorganizations handled."}),
		reorgDepth:    prometheus.NewHistogram(prometheus.HistogramOpts{Name: "gpumarket_indexer_reorg_depth_blocks", Help: "Depth of handled reorganizations.", Buckets: []float64{1, 2, 4, 8, 16, 32, 64}}),
		batchBlocks:   prometheus.NewHistogram(prometheus.HistogramOpts{Name: "gpumarket_indexer_batch_blocks", Help: "Blocks per commit.", Buckets: prometheus.ExponentialBuckets(1, 4, 8)}),
		commitSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "gpumarket_indexer_commit_seconds", Help: "Time to commit one batch.", Buckets: prometheus.ExponentialBuckets(0.001, 2, 14)}),
		rowsWritten:   prometheus.NewCounter(prometheus.CounterOpts{Name: "gpumarket_indexer_logs_written_total", Help: "Logs committed."}),
		rpcErrors:     prometheus.NewCounterVec(prometheus.CounterOpts{Name: "gpumarket_indexer_rpc_errors_total", Help: "Failed steps by kind."}, []string{"kind"}),
	}
	if reg != nil {
		reg.MustRegister(m.subscribed, m.headsAnnounced, m.head, m.indexed, m.lagBlocks, m.lagSeconds, m.rangeWidth, m.reorgs, m.reorgDepth,
			m.batchBlocks, m.commitSeconds, m.rowsWritten, m.rpcErrors)
	}
	return m
}

func (m *Metrics) observe(head gpumarket.Block, indexed uint64, now time.Time) {
	m.head.Set(float64(head.Number))
	m.indexed.Set(float64(indexed))
	m.lagBlocks.Set(float64(head.Number) - float64(indexed))
	if head.Time > 0 {
		m.lagSeconds.Set(now.Sub(time.Unix(int64(head.Time), 0)).Seconds())
	}
}

func (m *Metrics) committed(blocks uint64, logs int, took time.Duration) {
	m.batchBlocks.Observe(float64(blocks))
	m.rowsWritten.Add(float64(logs))
	m.commitSeconds.Observe(took.Seconds())
}

func (m *Metrics) headSubscribed(on bool) {
	if on {
		m.subscribed.Set(1)
	} else {
		m.subscribed.Set(0)
	}
}

func (m *Metrics) headAnnounced() { m.headsAnnounced.Inc() }

func (m *Metrics) reorg(depth uint64) {
	m.reorgs.Inc()
	m.reorgDepth.Observe(float64(depth))
}

func (m *Metrics) rpcError(err error) {
	var tooLarge *gpumarket.RangeTooLargeError
	kind := "other"
	switch {
	case errors.As(err, &tooLarge):
		kind = "range_too_large"
	case errors.Is(err, gpumarket.ErrNodeRateLimited):
		kind = "rate_limited"
	case errors.Is(err, gpumarket.ErrNodeTimeout):
		kind = "timeout"
	case errors.Is(err, gpumarket.ErrNodeInconsistent):
		kind = "inconsistent"
	case errors.Is(err, gpumarket.ErrReorgBelowFinality):
		kind = "reorg_below_finality"
	case gpumarket.ErrorCode(err) == gpumarket.EUNAVAILABLE:
		kind = "unavailable"
	}
	m.rpcErrors.WithLabelValues(kind).Inc()
}
