package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/matcher/api"
	"github.com/gpumarket/gpumarket/matcher/service"
)

// The matcher's stores: one type per consumer interface, all on one pool.
// They read the indexer's jobs and providers tables and write the tables of
// migration 00006. All are safe for concurrent use by several goroutines
// and several processes: job claims use leases taken with FOR UPDATE SKIP
// LOCKED, and offers are inserted under a row lock on the provider's
// matcher_provider_load row (its live offers, kept by the triggers of
// migration 00008), so that capacity holds across processes.
//
// The methods live beside their tables: matcher_jobs.go (matcher_jobs),
// matcher_assignments.go (assignments), matcher_providers.go (providers,
// attestations, heartbeats), matcher_specs.go, matcher_rates.go,
// matcher_reputation.go; listen.go has LISTEN.

// MatcherQueue is the matcher queue's store (service.Store): sync with the
// chain, claims, candidates and the recording of decisions.
type MatcherQueue struct {
	db *DB
}

// MatcherMaintenance is the matcher's periodic work (service.Maintainer):
// lease expiry, liveness, reputation and the pricing oracle.
type MatcherMaintenance struct {
	db *DB
}

// MatcherAPIStore is the HTTP API's store (api.Store): registrations,
// attestations, heartbeats, specs and the read views.
type MatcherAPIStore struct {
	db      *DB
	replica *Replica // nil: every read on db
}

// MatcherBench is the queue's store plus the benchmark's fixture seeder
// (service.BenchSeeder), for internal/bench.
type MatcherBench struct {
	*MatcherQueue
}

var (
	_ service.Store      = (*MatcherQueue)(nil)
	_ service.Maintainer = (*MatcherMaintenance)(nil)
	_ api.Store          = (*MatcherAPIStore)(nil)
	_ service.Notifier   = (*DB)(nil)
)

// NewMatcherQueue returns the matcher queue's store on db.
func NewMatcherQueue(db *DB) *MatcherQueue { return &MatcherQueue{db: db} }

// NewMatcherMaintenance returns the matcher's maintenance store on db.
func NewMatcherMaintenance(db *DB) *MatcherMaintenance { return &MatcherMaintenance{db: db} }

// NewMatcherAPIStore returns the matcher API's store on db.
func NewMatcherAPIStore(db *DB) *MatcherAPIStore { return &MatcherAPIStore{db: db} }

// NewMatcherAPIStoreWithReplica returns the API's store on db that sends
// the stale-tolerant reads through rep (see replica.go): Providers,
// LatestRates, RateHistory, QuoteCandidates, and Spec (asked again of db
// when the replica lacks it). Every write and the reads that need the
// newest state (Job, JobWithActivity, PendingAssignments, Registration)
// use db.
func NewMatcherAPIStoreWithReplica(db *DB, rep *Replica) *MatcherAPIStore {
	return &MatcherAPIStore{db: db, replica: rep}
}

// readDB returns the database of a stale-tolerant read.
func (s *MatcherAPIStore) readDB() *DB {
	if s.replica == nil {
		return s.db
	}
	return s.replica.reader()
}

// NewMatcherBench returns the benchmark's store on db.
func NewMatcherBench(db *DB) *MatcherBench { return &MatcherBench{NewMatcherQueue(db)} }

// customPlan runs a statement as an unnamed prepared statement, planned
// with its parameters on every execution. The matcher's hot statements
// (claim, expiry, record) touch tables that grow from empty to hundreds of
// thousands of rows while one connection lives; a cached generic plan made
// early (by then the planner saw empty tables) would otherwise stay: an
// expiry scan through every live offer (~100 ms at 100,000) instead of one
// index range. Record sets plan_cache_mode for its transaction instead (a
// batch cannot choose its mode per statement). Planning costs well under a
// millisecond per statement of a 500-job batch.
const customPlan = pgx.QueryExecModeExec

// Candidates implements service.Store. Attestation documents are returned
// only when withDocs is set (see Documents for loading changed ones).
func (s *MatcherQueue) Candidates(ctx context.Context, chainID uint64, withDocs bool) ([]service.CandidateRow, error) {
	return candidates(ctx, s.db, chainID, withDocs)
}

// StoreSpec implements service.Store (specs fetched from a job's URI).
// Storing a hash again changes nothing; an invalid spec without a rejection
// reason is an EINVALID error.
func (s *MatcherQueue) StoreSpec(ctx context.Context, r service.SpecRecord) error {
	return storeSpec(ctx, s.db, r)
}

// StoreSpec implements api.Store (uploaded specs), as MatcherQueue.StoreSpec.
func (s *MatcherAPIStore) StoreSpec(ctx context.Context, r service.SpecRecord) error {
	return storeSpec(ctx, s.db, r)
}

func addrBytes(as []gpumarket.Address) [][]byte {
	out := make([][]byte, len(as))
	for i := range as {
		out[i] = as[i][:]
	}
	return out
}

func toAddr(b []byte) gpumarket.Address {
	var a gpumarket.Address
	copy(a[:], b)
	return a
}
