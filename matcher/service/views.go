package service

import (
	"encoding/json"
	"math/big"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/matcher"
)

// Registration is a provider's on-chain registry state (from the indexer).
type Registration struct {
	Provider   gpumarket.Address
	Signer     gpumarket.Address
	Commitment gpumarket.Hash // zero when none registered
	Expiry     time.Time      // zero when none
	Registered bool
	Active     bool
	Stake      gpumarket.Amount
}

// AttestationRecord is an accepted attestation to store.
type AttestationRecord struct {
	ChainID     uint64
	Attestation *gpumarket.Attestation
	Document    []byte
	Commitment  gpumarket.Hash
	Signature   []byte
	Signer      gpumarket.Address
	Fingerprint gpumarket.Hash
}

// HeartbeatRecord is a verified, fresh heartbeat to store.
type HeartbeatRecord struct {
	ChainID   uint64
	Heartbeat *gpumarket.Heartbeat
	Signature []byte
}

// AssignmentView is a stored assignment (an offer and what became of it).
// matcher/api shapes it as JSON.
type AssignmentView struct {
	ChainID   uint64
	JobID     gpumarket.JobID
	JobHash   gpumarket.Hash // the job's hash as created, covered by Signature
	Provider  gpumarket.Address
	Price     gpumarket.Amount
	Expiry    int64 // unix seconds
	Signature []byte
	Matcher   gpumarket.Address
	State     string // offered, accepted, superseded, expired
	Rank      int
	Score     json.RawMessage // as stored (matcher.Score's JSON)
	RunnersUp json.RawMessage // as stored; nil unless asked for
	CreatedAt time.Time
}

// JobView is a job's chain state plus the matcher's view of it.
type JobView struct {
	ChainID     uint64
	JobID       gpumarket.JobID
	Chain       JobChainView
	Matching    *MatchingView // nil when the matcher never saw the job
	Assignments []AssignmentView
}

// JobChainView is the indexer's row for a job (subset).
type JobChainView struct {
	State      gpumarket.JobState
	Kind       gpumarket.JobKind
	Client     gpumarket.Address
	Token      gpumarket.Address
	MaxPayment gpumarket.Amount
	Deadline   time.Time
	SpecHash   gpumarket.Hash
	SpecURI    string
	Provider   *gpumarket.Address // nil until assigned
	Price      gpumarket.Amount
	LastBlock  uint64
	Finalized  bool
	// Set once the provider submitted: what it claims and its result.
	AmountDue  gpumarket.Amount
	ResultHash *gpumarket.Hash
	ResultURI  string
	// Settlement is the split credited when the job settled (nil before);
	// Refund what a refunded or cancelled job returned to the client.
	Settlement *SettlementSplit
	Refund     *gpumarket.Amount
}

// SettlementSplit is how a settled job's payment was credited, in base
// units of its token.
type SettlementSplit struct {
	ProtocolFee    gpumarket.Amount
	CreatorAmount  gpumarket.Amount
	ProviderAmount gpumarket.Amount
	ClientRefund   gpumarket.Amount
}

// MatchingView is the matcher_jobs row of a job.
type MatchingView struct {
	Status   string
	Reason   string
	Attempts int
	Decision json.RawMessage // as stored; nil if never decided
	Updated  time.Time
}

// ProviderFilter selects providers for the list endpoint. Every field is
// validated by the API before it reaches the store.
type ProviderFilter struct {
	ChainID    uint64
	Capability string // job kind name, "" for any
	Model      string
	MinVRAMMiB uint32
	Region     string
	After      gpumarket.Address // keyset pagination: providers above this address
	HasAfter   bool
	Limit      int
}

// ProviderView is a provider with an accepted attestation, as listed.
type ProviderView struct {
	Provider     gpumarket.Address
	Status       gpumarket.ProviderStatus
	Flagged      bool // shares its hardware fingerprint
	GPUModel     string
	GPUCount     int
	VRAMMiB      int
	Region       string
	Slots        int
	Capabilities []string
	Models       []string
	ExpiresAt    time.Time
	Stake        gpumarket.Amount
	Reputation   *int // nil without history
	// From the attested document: the prices of each capability (in
	// PriceToken's base units) and the measured benchmarks.
	Offers     []gpumarket.Capability
	Benchmarks []gpumarket.Benchmark
	PriceToken gpumarket.Address
}

// SettlementRow is one settled job of the oracle window.
type SettlementRow struct {
	Provider  gpumarket.Address
	Kind      gpumarket.JobKind
	Token     gpumarket.Address
	VRAMMiB   uint32
	AmountDue *big.Int
	Units1    uint64
	Units2    uint64
	SettledAt time.Time
}

// Snapshot is one oracle rate to record.
type Snapshot struct {
	ChainID    uint64
	Token      gpumarket.Address
	Rate       *matcher.Rate
	ComputedAt time.Time
}

// RateView is a stored oracle snapshot.
type RateView struct {
	Kind        gpumarket.JobKind
	Unit        gpumarket.PriceUnit
	Class       matcher.GPUClass
	Token       gpumarket.Address
	Fair        gpumarket.Amount
	Low         gpumarket.Amount
	High        gpumarket.Amount
	Providers   int
	Settlements int
	ComputedAt  time.Time
}

// QuoteFilter selects the providers a quote may list: those the hard
// filters that do not depend on a maximum payment could pass (registered,
// active, committing on-chain to their current attestation, online, not
// expired at Now, offering Kind for Model with at least MinGPUs GPUs of
// MinVRAMMiB and MinStake staked). The store applies it in SQL, before any
// attestation document is read; the matcher's filters still run on what
// it returns.
type QuoteFilter struct {
	ChainID    uint64
	Kind       gpumarket.JobKind
	Model      string
	MinGPUs    uint32
	MinVRAMMiB uint32
	MinStake   *big.Int // nil: none
	Now        time.Time
}

// JobActivity is a job's durable history after a point, what its live
// status stream (GET /v1/jobs/{chainId}/{jobId}/events) is made of: its
// chain events in chain order and its offers in creation order.
type JobActivity struct {
	Chain  []JobChainEvent
	Offers []JobOffer
}

// ActivityQuery asks for a job's view and its activity after a point: its
// chain events from (FromBlock, FromLog) on (inclusive) and its offers with
// an id above AfterOffer.
type ActivityQuery struct {
	JobID      gpumarket.JobID
	FromBlock  uint64
	FromLog    uint32
	AfterOffer int64
}

// JobSnapshot is what an ActivityQuery read: the job's view and activity
// in one snapshot, or Err (ENOTFOUND for a job the indexer does not know).
type JobSnapshot struct {
	View     JobView
	Activity JobActivity
	Err      error
}

// JobChainEvent is one decoded event of a job (a job_events row).
type JobChainEvent struct {
	Block     uint64
	BlockHash gpumarket.Hash // of the block holding it: a reorg changes it
	LogIndex  uint32
	Name      string // the contract event's name (JobCreated, ResultSubmitted, ...)
	TxHash    gpumarket.Hash
	BlockTime time.Time
	Payload   json.RawMessage // the indexer's JSON of the event (gpumarket's event types)
}

// JobOffer is one assignment of a job: offered, then accepted, expired or
// superseded.
type JobOffer struct {
	ID        int64 // order of creation
	Provider  gpumarket.Address
	Price     gpumarket.Amount
	Expiry    int64 // unix seconds
	Rank      int
	State     string // offered, accepted, expired, superseded
	CreatedAt time.Time
	ClosedAt  *time.Time // nil while offered
}
