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

// AssignmentView is an assignment as served by the API.
type AssignmentView struct {
	ChainID   uint64            `json:"chain_id"`
	JobID     string            `json:"job_id"`
	Provider  gpumarket.Address `json:"provider"`
	Price     gpumarket.Amount  `json:"price"`
	Expiry    int64             `json:"expiry"`
	Signature string            `json:"signature"`
	Matcher   gpumarket.Address `json:"matcher"`
	State     string            `json:"state"`
	Rank      int               `json:"rank"`
	Score     json.RawMessage   `json:"score"`
	RunnersUp json.RawMessage   `json:"runners_up,omitempty"`
	CreatedAt time.Time         `json:"created_at"`
}

// JobView is a job's chain state plus the matcher's view of it.
type JobView struct {
	ChainID     uint64           `json:"chain_id"`
	JobID       string           `json:"job_id"`
	Chain       JobChainView     `json:"chain"`
	Matching    *MatchingView    `json:"matching,omitempty"`
	Assignments []AssignmentView `json:"assignments"`
}

// JobChainView is the indexer's row for a job (subset).
type JobChainView struct {
	State      string             `json:"state"`
	Kind       string             `json:"kind"`
	Client     gpumarket.Address  `json:"client"`
	Token      gpumarket.Address  `json:"token"`
	MaxPayment gpumarket.Amount   `json:"max_payment"`
	Deadline   time.Time          `json:"deadline"`
	SpecHash   gpumarket.Hash     `json:"spec_hash"`
	SpecURI    string             `json:"spec_uri"`
	Provider   *gpumarket.Address `json:"provider,omitempty"`
	Price      gpumarket.Amount   `json:"price"`
	LastBlock  int64              `json:"last_block"`
	Finalized  bool               `json:"finalized"`
}

// MatchingView is the matcher_jobs row of a job.
type MatchingView struct {
	Status   string          `json:"status"`
	Reason   string          `json:"reason"`
	Attempts int             `json:"attempts"`
	Decision json.RawMessage `json:"decision,omitempty"`
	Updated  time.Time       `json:"updated_at"`
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

// ProviderView is a provider as listed by the API.
type ProviderView struct {
	Provider     gpumarket.Address `json:"provider"`
	Status       string            `json:"status"`
	Flagged      bool              `json:"fingerprint_flagged"`
	GPUModel     string            `json:"gpu_model"`
	GPUCount     int               `json:"gpu_count"`
	VRAMMiB      int               `json:"vram_mib"`
	Region       string            `json:"region"`
	Slots        int               `json:"slots"`
	Capabilities []string          `json:"capabilities"`
	Models       []string          `json:"models"`
	ExpiresAt    time.Time         `json:"attestation_expires_at"`
	Stake        gpumarket.Amount  `json:"stake"`
	Reputation   *int              `json:"reputation,omitempty"`
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
	Token      gpumarket.Address
	Rate       *matcher.Rate
	ComputedAt time.Time
}

// RateView is a stored oracle snapshot as served.
type RateView struct {
	Kind        string            `json:"kind"`
	Unit        string            `json:"unit"`
	Class       string            `json:"gpu_class"`
	Token       gpumarket.Address `json:"token"`
	Fair        gpumarket.Amount  `json:"fair"`
	Low         gpumarket.Amount  `json:"low"`
	High        gpumarket.Amount  `json:"high"`
	Providers   int               `json:"providers"`
	Settlements int               `json:"settlements"`
	ComputedAt  time.Time         `json:"computed_at"`
}
