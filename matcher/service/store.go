package service

import (
	"bytes"
	"context"
	"encoding/json"
	"math/big"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/matcher"
)

// Store is what the service needs from the database (internal/postgres
// implements it). Every method runs in its own transaction; time-dependent
// methods take now explicitly so that tests control the clock.
type Store interface {
	// Sync folds the chain state into the matcher's: open jobs (created at
	// or after since; all when since is zero) get a pending matcher_jobs
	// row, live offers of jobs that left the open state become accepted (by
	// their provider) or superseded, and matcher rows of such jobs are
	// closed.
	Sync(ctx context.Context, chainID uint64, since, now time.Time) error
	// ExpireOffers marks offers whose expiry passed (job still open) expired
	// and returns their jobs to pending, returning what expired.
	ExpireOffers(ctx context.Context, chainID uint64, now time.Time) ([]Expired, error)
	// Claim leases to owner until now+ttl up to n claimable pending jobs
	// with ids above after (nil: from the start), in id order (FOR UPDATE
	// SKIP LOCKED: concurrent claimers get disjoint sets). The caller walks
	// the queue with after, so a claim never rescans the index entries of
	// jobs already decided, and wraps around when a claim comes back short.
	// With parts not nil, jobs routed to a provider partition (Retry.Route)
	// are claimed only when it is one of parts; nil claims them all.
	Claim(ctx context.Context, chainID uint64, owner string, parts []int, after *gpumarket.JobID, n int, ttl time.Duration, now time.Time) ([]Claimed, error)
	// Partitions renews owner's membership of the chain's matcher
	// instances until now+ttl, forgets lapsed instances, and rebalances the
	// total provider partitions: owner releases those outside its share
	// (partition p belongs to the live instance of rank p mod n, by id)
	// and takes those of its share that are free or lapsed. It returns the
	// partitions owner holds (ascending).
	Partitions(ctx context.Context, chainID uint64, owner string, total int, ttl time.Duration, now time.Time) ([]int, error)
	// LeavePartitions drops owner's membership and releases its
	// partitions (a clean shutdown: the others take them at once).
	LeavePartitions(ctx context.Context, chainID uint64, owner string) error
	// Candidates loads every provider with an accepted attestation, its
	// stake, status, heartbeat load, reputation and in-flight count; the
	// attestation documents only when withDocs is set.
	Candidates(ctx context.Context, chainID uint64, withDocs bool) ([]CandidateRow, error)
	// Documents returns the attestation documents of providers.
	Documents(ctx context.Context, chainID uint64, providers []gpumarket.Address) (map[gpumarket.Address][]byte, error)
	// Record stores the outcome of a batch of decisions made by owner, for
	// jobs whose claim owner still holds: each offer is inserted only if its
	// provider still has a free slot (checked under a row lock on the
	// provider's live-offer count), releasing the claim; a refused offer
	// leaves its job claimed (decide it again); retries go back to pending
	// at their time.
	Record(ctx context.Context, owner string, offers []OfferRecord, retries []Retry, now time.Time) (Recorded, error)
	// StoreSpec stores a spec document under its hash (idempotent).
	StoreSpec(ctx context.Context, s SpecRecord) error
}

// BenchSeeder loads benchmark fixtures (internal/postgres implements it;
// internal/bench's matcher benchmark uses it, the queue never does).
type BenchSeeder interface {
	// SeedBench writes providers (registry rows, accepted attestations,
	// online status and a heartbeat), the specs, and n open jobs; job i uses
	// specs[i % len(specs)] and pays in token up to maxPayment.
	SeedBench(ctx context.Context, chainID uint64, providers []AttestationRecord, stake *big.Int, specs []SpecRecord, n int, token gpumarket.Address, maxPayment *big.Int) error
	// Analyze refreshes the planner statistics of every table (ANALYZE).
	Analyze(ctx context.Context) error
}

// Claimed is a claimed job with what is needed to decide it.
type Claimed struct {
	Job     gpumarket.Job
	SpecURI string
	// SpecBody is the stored spec document, nil when none is stored; Valid
	// and Rejection tell whether it decoded.
	SpecBody  []byte
	SpecValid bool
	Rejection string
	// Decision is the job's last decision (JSON), nil if never decided.
	Decision json.RawMessage
	// Offered lists the providers already offered the job (never again).
	Offered []gpumarket.Address
	// Route is the provider partition the job was routed to (nil: none).
	Route *int
}

// CandidateRow is one provider as stored.
type CandidateRow struct {
	Provider     gpumarket.Address
	Commitment   gpumarket.Hash
	Document     []byte // attestation JSON; nil unless asked for
	Status       gpumarket.ProviderStatus
	Stake        *big.Int
	Reserved     *big.Int // reserved for its unfinished jobs and counted for its live offers
	Reputation   uint32
	HasRep       bool
	LoadBps      uint32
	LatencyMs    uint32 // median offer-to-acceptance time; 0 = unknown
	InFlight     uint32
	Active       bool
	ChainExpiry  time.Time // providers.attestation_expiry (zero when NULL)
	ChainCommits bool      // providers.attestation_hash equals Commitment
}

// Candidate builds the matcher's candidate from the stored row; att is the
// decoded attestation when the caller has it cached (nil: decode the row's
// document), neutral the reputation of a provider without history. Only an
// attestation the chain still commits to, of an active provider whose
// on-chain expiry has not passed, counts.
func (r CandidateRow) Candidate(att *gpumarket.Attestation, now time.Time, neutral uint32) *matcher.Candidate {
	c := &matcher.Candidate{Provider: r.Provider, Status: r.Status, Stake: r.Stake, Reserved: r.Reserved, LoadBps: r.LoadBps, LatencyMs: r.LatencyMs,
		InFlight: r.InFlight, Reputation: neutral}
	if r.HasRep {
		c.Reputation = r.Reputation
	}
	if att == nil {
		if a, err := gpumarket.DecodeAttestation(bytes.NewReader(r.Document)); err == nil {
			att = a
		}
	}
	if att != nil && r.Active && r.ChainCommits && (r.ChainExpiry.IsZero() || now.Before(r.ChainExpiry)) {
		c.Attestation = att
	}
	return c
}

// OfferRecord is a signed offer to insert.
type OfferRecord struct {
	ChainID   uint64
	JobID     gpumarket.JobID
	JobHash   gpumarket.Hash // the job's hash as created, signed with the assignment
	Provider  gpumarket.Address
	Price     *big.Int
	Reserve   *big.Int // stake the job reserves if Provider accepts at Price
	Expiry    time.Time
	Signature []byte
	Matcher   gpumarket.Address
	Rank      int
	Slots     uint32
	Score     matcher.Score
	Ranked    []matcher.Ranked
	Decision  *matcher.Decision
}

// Recorded is what Record did.
type Recorded struct {
	Inserted []OfferRecord
	Refused  []OfferRecord       // provider full: job still claimed
	Full     []gpumarket.Address // providers found without a free slot
}

// Retry sends a job back to pending until At, or marks it unmatchable.
type Retry struct {
	ChainID     uint64
	JobID       gpumarket.JobID
	Reason      string
	At          time.Time
	Unmatchable bool
	Decision    *matcher.Decision // nil keeps the stored one
	// Route, when not nil, routes the job to the holder of this provider
	// partition: only that instance claims it next.
	Route *int
}

// Expired is an offer that expired unaccepted.
type Expired struct {
	ChainID  uint64
	JobID    gpumarket.JobID
	Provider gpumarket.Address
	Rank     int
}

// SpecRecord is a spec document to store.
type SpecRecord struct {
	Hash      gpumarket.Hash
	Body      []byte
	Source    string // upload, data_uri, http
	SourceURI string
	Spec      *gpumarket.JobSpec // nil when invalid
	Rejection string
}
