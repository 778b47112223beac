package postgres

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/gpumarket/gpumarket"
)

// Readers on a streaming replica (issue 18): the matcher API sends the reads
// that tolerate a little staleness (provider listings, pricing rates,
// quotes' candidate rows, stored specs) to a hot standby, and everything else to the
// primary. Writes never go to the replica (a hot standby refuses them
// anyway). Reads that need the newest state (a job's view and its status
// stream, a provider's pending offers, registrations checked before a
// write) always read the primary; a replica read that finds nothing (a spec
// uploaded a moment ago) is asked again of the primary; and while the
// replica lags more than its limit, or cannot be checked, every read goes
// to the primary.

// ReplicaState is what the last check of a replica found.
type ReplicaState struct {
	// InRecovery is pg_is_in_recovery() on the replica: true for a standby.
	InRecovery bool
	// Lag is how far the replica's replay trails: zero when it has replayed
	// everything it received, else the time since the last transaction it
	// replayed was committed on the primary (since the replica started,
	// when it has replayed none yet).
	Lag time.Duration
	// LagBytes is the primary's current WAL position less the replica's
	// replay position.
	LagBytes int64
	// Usable is whether reads go to the replica: the check succeeded and
	// Lag is within the limit.
	Usable    bool
	Err       string // why the check failed ("" when it did not)
	CheckedAt time.Time
}

// Replica routes the stale-tolerant reads to a streaming replica while its
// lag is within a limit. It is safe for concurrent use; Run keeps its state
// current.
type Replica struct {
	primary, replica *DB
	maxLag           time.Duration
	state            atomic.Pointer[ReplicaState]
}

// NewReplica returns a router between primary and replica that uses the
// replica while its lag is at most maxLag. Until the first Check every
// read goes to the primary.
func NewReplica(primary, replica *DB, maxLag time.Duration) *Replica {
	r := &Replica{primary: primary, replica: replica, maxLag: maxLag}
	r.state.Store(&ReplicaState{Err: "not checked yet"})
	return r
}

// State returns the last check's result.
func (r *Replica) State() ReplicaState { return *r.state.Load() }

// MaxLag returns the lag up to which reads go to the replica.
func (r *Replica) MaxLag() time.Duration { return r.maxLag }

// Check measures the replica's lag now and decides where reads go. It
// returns the state and the error of a failed check (reads then go to the
// primary).
func (r *Replica) Check(ctx context.Context) (ReplicaState, error) {
	st := ReplicaState{CheckedAt: time.Now()}
	err := r.measure(ctx, &st)
	if err != nil {
		st.Err = err.Error()
	} else {
		st.Usable = st.Lag <= r.maxLag
	}
	r.state.Store(&st)
	return st, err
}

func (r *Replica) measure(ctx context.Context, st *ReplicaState) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	var lsn string
	if err := r.primary.pool.QueryRow(ctx, `SELECT pg_current_wal_lsn()::text`).Scan(&lsn); err != nil {
		return translate(fmt.Errorf("primary wal position: %w", err))
	}
	var lagSec float64
	var lagBytes *float64
	err := r.replica.pool.QueryRow(ctx, `
		SELECT pg_is_in_recovery(),
		       CASE WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
		            ELSE extract(epoch FROM now() - coalesce(pg_last_xact_replay_timestamp(), pg_postmaster_start_time())) END::float8,
		       CASE WHEN pg_is_in_recovery() THEN pg_wal_lsn_diff($1::pg_lsn, pg_last_wal_replay_lsn())::float8 END`, lsn).
		Scan(&st.InRecovery, &lagSec, &lagBytes)
	if err != nil {
		return translate(fmt.Errorf("replica lag: %w", err))
	}
	if !st.InRecovery {
		return gpumarket.Errorf(gpumarket.EINVALID, "the read database is not a standby (pg_is_in_recovery() is false): point it at a streaming replica")
	}
	st.Lag = time.Duration(max(lagSec, 0) * float64(time.Second))
	if lagBytes != nil {
		st.LagBytes = max(int64(*lagBytes), 0)
	}
	return nil
}

// Run checks the replica every interval until ctx ends, logging changes of
// where reads go. Cancellation is a normal return.
func (r *Replica) Run(ctx context.Context, every time.Duration, log *slog.Logger) error {
	t := time.NewTicker(every)
	defer t.Stop()
	was := false
	for {
		st, err := r.Check(ctx)
		if ctx.Err() != nil {
			return nil
		}
		switch {
		case st.Usable != was && st.Usable:
			log.Info("reads go to the replica", "lag", st.Lag, "lag_bytes", st.LagBytes)
		case st.Usable != was:
			log.Warn("reads go to the primary", "lag", st.Lag, "max_lag", r.maxLag, "err", err)
		}
		was = st.Usable
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// reader returns the database for a stale-tolerant read: the replica's
// while it is usable, else the primary's.
func (r *Replica) reader() *DB {
	if r.state.Load().Usable {
		return r.replica
	}
	return r.primary
}
