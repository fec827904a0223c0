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
	}
	if reg != nil {
		reg.MustRegister(m.connections, m.channels, m.delivered, m.duplicates, m.gapFills, m.slowDrops, m.sent)
	}
	return m
}
