package txmgr

import "github.com/prometheus/client_golang/prometheus"

// Metrics exports a manager's counters to Prometheus as
// gpumarket_txmanager_transactions_total{event} and
// gpumarket_txmanager_alerts_total, read from Stats at each scrape (no
// second bookkeeping). Register it with a prometheus.Registerer.
type Metrics struct {
	m      *Manager
	events *prometheus.Desc
	alerts *prometheus.Desc
}

var _ prometheus.Collector = (*Metrics)(nil)

// NewTxMetrics returns a collector for m, labelled with its sender and chain.
func NewMetrics(m *Manager) *Metrics {
	labels := prometheus.Labels{"sender": m.Sender().String(), "chain_id": m.chainID.String()}
	return &Metrics{
		m: m,
		events: prometheus.NewDesc("gpumarket_txmanager_transactions_total",
			"Transactions by what happened to them: sent (first accepted), resent, bumped, filled, skipped, reorged, confirmed, failed.",
			[]string{"event"}, labels),
		alerts: prometheus.NewDesc("gpumarket_txmanager_alerts_total",
			"Alerts raised (fee ceiling reached, insufficient funds, nonce taken by a foreign tx).", nil, labels),
	}
}

// Describe implements prometheus.Collector.
func (c *Metrics) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.events
	ch <- c.alerts
}

// Collect implements prometheus.Collector.
func (c *Metrics) Collect(ch chan<- prometheus.Metric) {
	s := c.m.Stats()
	for _, e := range []struct {
		name string
		v    int64
	}{
		{"sent", s.Sent}, {"resent", s.Resent}, {"bumped", s.Bumped}, {"filled", s.Filled},
		{"skipped", s.Skipped}, {"reorged", s.Reorged}, {"confirmed", s.Confirmed}, {"failed", s.Failed},
	} {
		ch <- prometheus.MustNewConstMetric(c.events, prometheus.CounterValue, float64(e.v), e.name)
	}
	ch <- prometheus.MustNewConstMetric(c.alerts, prometheus.CounterValue, float64(s.Alerts))
}
