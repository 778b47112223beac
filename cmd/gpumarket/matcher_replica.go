package main

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gpumarket/gpumarket/internal/postgres"
)

// readyzBody is GET /readyz's JSON: the primary's health and, with
// --read-database-url, the replica's last lag check.
type readyzBody struct {
	Primary string         `json:"primary"` // "ok" or "unavailable"
	Replica *replicaStatus `json:"replica,omitempty"`
}

type replicaStatus struct {
	InRecovery    bool    `json:"in_recovery"`
	LagSeconds    float64 `json:"lag_seconds"`
	LagBytes      int64   `json:"lag_bytes"`
	MaxLagSeconds float64 `json:"max_lag_seconds"`
	// ReadsOnReplica: the stale-tolerant reads go to the replica now (the
	// check succeeded and the lag is within the limit); else to the primary.
	ReadsOnReplica bool   `json:"reads_on_replica"`
	Error          string `json:"error,omitempty"`
	CheckedAt      string `json:"checked_at,omitempty"`
}

// readyz answers 200 while the primary answers (a lagging or lost replica
// only moves reads to the primary: the API still serves) and 503 when it
// does not, with the replica's lag in the body either way.
func readyz(w http.ResponseWriter, r *http.Request, db interface{ Ping(context.Context) error }, replica *postgres.Replica) {
	body := readyzBody{Primary: "ok"}
	code := http.StatusOK
	if err := db.Ping(r.Context()); err != nil {
		body.Primary, code = "unavailable", http.StatusServiceUnavailable
	}
	if replica != nil {
		st := replica.State()
		body.Replica = &replicaStatus{InRecovery: st.InRecovery, LagSeconds: st.Lag.Seconds(), LagBytes: st.LagBytes,
			MaxLagSeconds: replica.MaxLag().Seconds(), ReadsOnReplica: st.Usable, Error: st.Err}
		if !st.CheckedAt.IsZero() {
			body.Replica.CheckedAt = st.CheckedAt.UTC().Format("2006-01-02T15:04:05.000Z07:00")
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(body)
}

// registerReplicaMetrics exports the replica's last lag check.
func registerReplicaMetrics(reg *prometheus.Registry, replica *postgres.Replica) {
	reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "gpumarket_matcher_replica_lag_seconds",
			Help: "Replay lag of the read replica (--read-database-url) at its last check: 0 when it replayed all it received."},
			func() float64 { return replica.State().Lag.Seconds() }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "gpumarket_matcher_replica_lag_bytes",
			Help: "The primary's WAL position less the read replica's replay position at its last check."},
			func() float64 { return float64(replica.State().LagBytes) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "gpumarket_matcher_replica_reads_on_replica",
			Help: "1 while the API's stale-tolerant reads go to the read replica, 0 while they go to the primary (lag over --read-max-lag, or a failed check)."},
			func() float64 {
				if replica.State().Usable {
					return 1
				}
				return 0
			}),
	)
}
