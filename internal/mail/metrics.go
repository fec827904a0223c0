package mail

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the outbox's counters on /metrics.
type Metrics struct {
	queued, sent, failures, dead *prometheus.CounterVec
	sendSeconds                  prometheus.Histogram
}

// NewMetrics registers the counters on reg (nil: unregistered, for tests
// and one-shot commands).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		queued: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "quietroom_mail_queued_total",
			Help: "Mails written to the outbox, by kind."}, []string{"kind"}),
		sent: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "quietroom_mail_sent_total",
			Help: "Mails accepted by the mail server, by kind."}, []string{"kind"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "quietroom_mail_send_failures_total",
			Help: "Failed send attempts (each is retried until the mail is dead), by kind."}, []string{"kind"}),
		dead: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "quietroom_mail_dead_total",
			Help: "Mails moved to the dead state after their last allowed attempt, by kind."}, []string{"kind"}),
		sendSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "quietroom_mail_send_seconds",
			Help: "Time to hand one mail to the mail server.", Buckets: []float64{.01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}}),
	}
	if reg != nil {
		reg.MustRegister(m.queued, m.sent, m.failures, m.dead, m.sendSeconds)
	}
	return m
}

// outboxCollector reports how many mails are in each state when /metrics
// is read.
type outboxCollector struct {
	outbox *Outbox
	desc   *prometheus.Desc
}

// RegisterOutboxGauge adds quietroom_mail_outbox{status} to reg.
func RegisterOutboxGauge(reg prometheus.Registerer, o *Outbox) {
	reg.MustRegister(&outboxCollector{outbox: o, desc: prometheus.NewDesc("quietroom_mail_outbox",
		"Mails in the outbox, by state (pending, sending, sent, dead).", []string{"status"}, nil)})
}

func (c *outboxCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	counts, err := c.outbox.counts(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.desc, err)
		return
	}
	for status, n := range counts {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, float64(n), status)
	}
}
