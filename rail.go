package gpumarket

import (
	"math/big"
	"time"
)

// RailSolana names the Solana payment rail.
const RailSolana = "solana"

// RailPayment is one transfer on a payment rail outside the EVM chain (the
// Solana rail: SOL or an SPL token) into a watched deposit address. One
// transaction can hold several; (Rail, Signature, Instruction,
// InnerInstruction) identifies one. A payment is reported again until Final,
// so stores upsert it.
type RailPayment struct {
	Rail             string
	Address          string // the watched deposit address
	Signature        string
	Instruction      int
	InnerInstruction int // -1 for a top-level transfer
	Slot             uint64
	BlockTime        *time.Time // nil when the node does not know it
	Payer            string
	Recipient        string
	Mint             string   // "" for the rail's native coin
	Amount           *big.Int // base units
	Decimals         uint8
	Memo             string
	// JobChainID and JobID are the job the memo names; JobID is nil when
	// the memo names none. JobRefError says why a memo that claims to name
	// a job is malformed or ambiguous ("" otherwise).
	JobChainID  uint64
	JobID       *big.Int
	JobRefError string
	Final       bool
}

// RailPoll is one poll of a rail address: the payments seen (oldest first),
// the failed transactions skipped, and the cursor to resume from (the newest
// transaction such that it and every older one are final).
type RailPoll struct {
	Payments []RailPayment
	Skipped  int
	Cursor   string
}
