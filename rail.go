package gpumarket

import (
	"errors"
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
// the failed transactions skipped, the transactions set aside as malformed,
// the credits that are not payments, the cursor to resume from (the newest
// transaction such that it and every older one are final and handled) and
// the cluster the node is on (for Solana its genesis hash). A poll cut short
// by an error holds what was handled before it, and a cursor that covers no
// more.
type RailPoll struct {
	Payments    []RailPayment
	Skipped     int
	Rejected    []RailRejected
	NonPayments []RailNonPayment
	Cursor      string
	GenesisHash string
}

// ErrRailWrongCluster means a rail node is on another cluster (for Solana,
// another genesis hash) than the one the watched address was first
// followed on. The follower refuses to go on: a payment on another cluster
// (devnet instead of mainnet) is worth nothing.
var ErrRailWrongCluster = errors.New("rail node is on another cluster than the one pinned")

// RailRejected is a transaction listed for a watched address that the
// follower set aside because it cannot be read as the rail's transactions
// are (malformed), with the reason. It pays nothing, is recorded once, and
// once Final the follower moves past it for good.
type RailRejected struct {
	Rail      string
	Address   string
	Signature string
	Slot      uint64
	Reason    string
	Final     bool
}

// RailNonPayment is value that a successful rail transaction moved into a
// watched address and that is deliberately not a payment (Kind, Reason):
// for Solana a System TransferWithSeed, or the rent the Associated Token
// Account program moves into a token account it creates. (Rail,
// Signature, Instruction, InnerInstruction) identifies one.
type RailNonPayment struct {
	Rail             string
	Address          string
	Signature        string
	Instruction      int
	InnerInstruction int
	Slot             uint64
	BlockTime        *time.Time
	Kind             string
	Reason           string
	Source           string
	Recipient        string
	Mint             string // "" for the rail's native coin
	Amount           *big.Int
	Decimals         uint8
	Final            bool
}
