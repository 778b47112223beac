package gpumarket

import (
	"math/big"
	"time"
)

// TxState is where an intended transaction (a TxIntent) is in its life.
//
//	planned ──▶ skipped                       (precheck or eth_call says the action is already done / would revert; no nonce used)
//	planned ──▶ signed ──▶ broadcast ──▶ mined ──▶ confirmed   (the call's receipt is at the confirmation depth)
//	                │           │          │  └──▶ failed      (the call reverted on chain, at depth)
//	                │           │          └──▶ broadcast      (a reorg removed the receipt: re-sent)
//	                └───────────┴──▶ (abandoned: a 0-value self-transfer fills the nonce) … mined ──▶ replaced
//	signed/broadcast ──▶ failed   (the nonce was consumed by a transaction that is not in the journal)
//
// A nonce is assigned exactly when an intent leaves planned (in the same
// database transaction that stores the signed raw transaction) and is never
// reassigned. Bumped-fee replacements are further attempts at the same
// nonce; the intent stays in its state.
type TxState string

// The intent states.
const (
	TxPlanned   TxState = "planned"   // recorded; no nonce, nothing signed
	TxSigned    TxState = "signed"    // nonce assigned, raw tx stored; maybe not yet accepted by a node
	TxBroadcast TxState = "broadcast" // a node accepted the tx (or already knew it)
	TxMined     TxState = "mined"     // a receipt exists, not yet at the confirmation depth
	TxConfirmed TxState = "confirmed" // the call's receipt (status 1) is at the confirmation depth
	TxFailed    TxState = "failed"    // the call reverted on chain, or its nonce was taken by a foreign tx
	TxSkipped   TxState = "skipped"   // never sent: the chain already shows the action done (or it would revert)
	TxReplaced  TxState = "replaced"  // abandoned after its nonce was assigned; a no-op self-transfer filled the nonce and is confirmed
)

var txStates = []TxState{TxPlanned, TxSigned, TxBroadcast, TxMined, TxConfirmed, TxFailed, TxSkipped, TxReplaced}

// TxStates lists every state, in lifecycle order.
func TxStates() []TxState { return append([]TxState(nil), txStates...) }

// Valid reports whether s is a defined state.
func (s TxState) Valid() bool {
	for _, v := range txStates {
		if v == s {
			return true
		}
	}
	return false
}

// Final reports whether s is terminal: nothing more will be sent for the intent.
func (s TxState) Final() bool {
	return s == TxConfirmed || s == TxFailed || s == TxSkipped || s == TxReplaced
}

// InFlight reports whether the intent holds a nonce whose outcome is not final.
func (s TxState) InFlight() bool { return s == TxSigned || s == TxBroadcast || s == TxMined }

var txTransitions = map[TxState][]TxState{
	TxPlanned:   {TxSigned, TxSkipped},
	TxSigned:    {TxBroadcast, TxMined, TxFailed},
	TxBroadcast: {TxMined, TxFailed},
	TxMined:     {TxBroadcast, TxConfirmed, TxFailed, TxReplaced},
}

// CanTransition reports whether an intent may move from s to next. It is the
// single definition of the state machine above; the journal enforces it.
func (s TxState) CanTransition(next TxState) bool {
	for _, v := range txTransitions[s] {
		if v == next {
			return true
		}
	}
	return false
}

// TxAttemptKind says what an attempt's transaction does.
type TxAttemptKind string

// The attempt kinds.
const (
	TxAttemptCall TxAttemptKind = "call" // the intent's own call (To, Data, Value)
	TxAttemptFill TxAttemptKind = "fill" // a 0-value self-transfer that fills an abandoned intent's nonce
)

// TxIntent is one action a sender means to perform exactly once on one
// chain, identified by its idempotency key (for example accept-<job>,
// submit-<job>, settle-<job>, withdraw-<token>-<n>). The Raw, Hash and fee
// fields describe the latest signed attempt; MinedHash the attempt whose
// receipt is on chain.
type TxIntent struct {
	ID      int64
	ChainID uint64
	From    Address
	Key     string
	To      Address
	Data    []byte
	Value   *big.Int
	State   TxState

	Nonce    uint64 // meaningful when HasNonce
	HasNonce bool
	GasLimit uint64

	Raw                  []byte   // latest signed attempt, RLP (EIP-2718) encoded
	Hash                 Hash     // hash of Raw
	MaxFeePerGas         *big.Int // of the latest attempt; nil before signing
	MaxPriorityFeePerGas *big.Int // of the latest attempt; nil before signing
	Attempts             int      // signed attempts (original, replacements, fills)

	Abandoned      bool   // the call will not be sent again; the nonce is being filled
	Reason         string // why it was skipped, abandoned or failed
	MinedHash      Hash   // the attempt with a receipt; zero when none
	MinedBlock     uint64
	MinedBlockHash Hash // hash of the block holding MinedHash
	CreatedAt      time.Time
	UpdatedAt      time.Time
	FinishedAt     time.Time // when the state became final
}

// TxAttempt is one signed transaction for an intent: the original, a
// fee-bumped replacement at the same nonce, or a fill.
type TxAttempt struct {
	ID                   int64
	IntentID             int64
	Kind                 TxAttemptKind
	Nonce                uint64
	Raw                  []byte
	Hash                 Hash
	GasLimit             uint64
	MaxFeePerGas         *big.Int
	MaxPriorityFeePerGas *big.Int
	SignedAt             time.Time
	BroadcastAt          time.Time // zero until a node accepted it
	BroadcastBlock       uint64    // chain head when it was first accepted
	SendError            string    // class of the last send failure, "" when none
}

// TxUpdate carries what changes with a state transition: the reason for
// skipped, failed and abandoned intents, and the receipt's position when an
// intent becomes mined (cleared again when a reorg sends it back to
// broadcast).
type TxUpdate struct {
	Reason         string
	MinedHash      Hash
	MinedBlock     uint64
	MinedBlockHash Hash
}
