package realtime

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the hub's counters, registered on main's registry.
type Metrics struct {
	connections prometheus.Gauge
	channels    prometheus.Gauge
	delivered   prometheus.Counter
	duplicates  prometheus.Counter
	gapFills    prometheus.Counter
	slowDrops   prometheus.Counter
	sent        prometheus.Counter

	// Appends: commits (transactions) and how many messages each carried.
	commits              prometheus.Counter
	commitBatch          prometheus.Histogram
	groupCommitFallbacks prometheus.Counter
}

func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		connections: prometheus.NewGauge(prometheus.GaugeOpts{Name: "hub_ws_connections", Help: "Open WebSocket connections on this instance."}),
		channels:    prometheus.NewGauge(prometheus.GaugeOpts{Name: "hub_channels", Help: "Conversations with local subscribers (broker subscriptions)."}),
		delivered:   prometheus.NewCounter(prometheus.CounterOpts{Name: "hub_deliveries_total", Help: "Events queued to local subscriptions."}),
		duplicates:  prometheus.NewCounter(prometheus.CounterOpts{Name: "hub_duplicate_events_total", Help: "Broker events dropped as already delivered."}),
		gapFills:    prometheus.NewCounter(prometheus.CounterOpts{Name: "hub_gap_fills_total", Help: "Sequence gaps filled from the store."}),
		slowDrops:   prometheus.NewCounter(prometheus.CounterOpts{Name: "hub_slow_consumers_closed_total", Help: "Connections closed because their send queue overflowed."}),
		sent:        prometheus.NewCounter(prometheus.CounterOpts{Name: "hub_messages_sent_total", Help: "Messages committed by senders on this instance."}),
		commits: prometheus.NewCounter(prometheus.CounterOpts{Name: "hub_append_commits_total",
			Help: "PostgreSQL transactions that appended messages (group commit: several messages share one)."}),
		commitBatch: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "hub_append_batch_size",
			Help: "Messages appended per PostgreSQL transaction.", Buckets: []float64{1, 2, 4, 8, 16, 32, 64}}),
		groupCommitFallbacks: prometheus.NewCounter(prometheus.CounterOpts{Name: "hub_append_batch_fallbacks_total",
			Help: "Batches that failed whole (a retried client id, a new conversation) and were appended one by one."}),
	}
	if reg != nil {
		reg.MustRegister(m.connections, m.channels, m.delivered, m.duplicates, m.gapFills, m.slowDrops, m.sent,
			m.commits, m.commitBatch, m.groupCommitFallbacks)
	}
	return m
}

// observeCommit counts one append transaction of n messages. A nil
// Metrics (a store without metrics) counts nothing.
func (m *Metrics) observeCommit(n int) {
	if m == nil {
		return
	}
	m.commits.Inc()
	m.commitBatch.Observe(float64(n))
}
