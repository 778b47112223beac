package gpumarket

import (
	"math/big"
	"time"
)

// RailQuoteTerms is what a rail quote asks of its payment: Amount base
// units of Mint ("" for the rail's native coin) to Recipient, in a
// transaction that carries Reference, made before ExpiresAt, on the
// cluster whose genesis hash is Cluster.
type RailQuoteTerms struct {
	Reference string
	Recipient string
	Mint      string
	Decimals  uint8
	Amount    *big.Int
	ExpiresAt time.Time
	Cluster   string
}

// RailVerdict is what a payment that carries a quote's reference does for
// the quote.
type RailVerdict string

// The verdicts. Only RailFunds starts a job; every other payment is
// recorded with its reason and reported, and never starts one.
const (
	// RailFunds: paid in full (or more: see RailQuotePayment.Excess), in
	// the quoted mint, to the quoted recipient, before expiry.
	RailFunds RailVerdict = "funds"
	// RailUnderpaid: less arrived than quoted.
	RailUnderpaid RailVerdict = "underpaid"
	// RailLate: the transaction's block time is at or after the expiry
	// (or unknown).
	RailLate RailVerdict = "late"
	// RailWrongMint: the recipient was paid, but not in the quoted mint.
	RailWrongMint RailVerdict = "wrong_mint"
	// RailWrongRecipient: the transaction carries the reference but pays
	// the quoted recipient nothing.
	RailWrongRecipient RailVerdict = "wrong_recipient"
	// RailFailed: the transaction failed on chain (it moved nothing).
	RailFailed RailVerdict = "failed"
	// RailNoReference: a transaction presented for the quote (by its
	// signature) does not carry the quote's reference.
	RailNoReference RailVerdict = "no_reference"
	// RailUnreadable: the node's answer for the transaction is malformed;
	// it is set aside, with the reason, and checked again later.
	RailUnreadable RailVerdict = "unreadable"
	// RailSpent: the payment was valid but already funds another job, or
	// the quote is funded by an earlier payment.
	RailSpent RailVerdict = "spent"
)

// Valid reports whether v is one of the verdicts.
func (v RailVerdict) Valid() bool {
	switch v {
	case RailFunds, RailUnderpaid, RailLate, RailWrongMint, RailWrongRecipient, RailFailed, RailNoReference, RailUnreadable, RailSpent:
		return true
	}
	return false
}

// RailQuotePayment is one finalized transaction examined for a quote, with
// its verdict. Arrived is what reached the recipient in the quoted mint
// (for Token-2022 mints with a transfer fee, after the fee), Excess what
// arrived above the quoted amount (over-payment, recorded; zero unless the
// verdict is RailFunds or RailSpent).
type RailQuotePayment struct {
	Signature string
	Slot      uint64
	BlockTime *time.Time
	Payer     string
	Mint      string
	Arrived   *big.Int
	Excess    *big.Int
	Verdict   RailVerdict
	Reason    string
}

// RailJobState is the lifecycle of a job paid on a rail.
type RailJobState string

// The rail job states. A job is created funded (in the same database
// transaction that records its payment), is dispatched once (a signed
// RailOffer to the quoted provider's relayer), is claimed by the relayer
// (running) only while the mirror shows its payment final, and ends
// delivered (the result stored and served to the payer key) or failed.
// RailJobCompleted is not used (kept for rows of the first schema).
const (
	RailJobFunded     RailJobState = "funded"
	RailJobDispatched RailJobState = "dispatched"
	RailJobRunning    RailJobState = "running"
	RailJobDelivered  RailJobState = "delivered"
	RailJobCompleted  RailJobState = "completed"
	RailJobFailed     RailJobState = "failed"
)

// CanBecome reports whether a rail job in state s may move to next.
func (s RailJobState) CanBecome(next RailJobState) bool {
	switch s {
	case RailJobFunded:
		return next == RailJobDispatched
	case RailJobDispatched:
		return next == RailJobRunning || next == RailJobFailed
	case RailJobRunning:
		return next == RailJobDelivered || next == RailJobFailed
	}
	return false
}

// RailQuote is a quote answered with 402 Payment Required: the provider the
// matcher chose, the terms its payment must meet, and how it was priced.
// Breakdown is the oracle quote (JSON) the amount was converted from.
type RailQuote struct {
	ID        int64
	Rail      string
	ChainID   uint64
	Provider  Address
	Terms     RailQuoteTerms
	SpecHash  Hash
	Breakdown []byte
	Memo      string
	URL       string
	CreatedAt time.Time
}

// RailJob is a job paid on a rail, funded by the payment Signature of its
// quote.
type RailJob struct {
	QuoteID      int64
	Rail         string
	Signature    string
	Payer        string
	Paid         *big.Int
	Excess       *big.Int
	State        RailJobState
	FundedAt     time.Time
	DispatchedAt *time.Time
	// StartedAt is when the relayer claimed it, FinishedAt when it was
	// delivered or failed (nil until then).
	StartedAt  *time.Time
	FinishedAt *time.Time
	// ResultHash is the delivered result's keccak256 (zero until
	// delivered), ResultURI where the relayer serves it to the payer key,
	// Failure why it failed.
	ResultHash Hash
	ResultURI  string
	Failure    string
}

// RailOffer is a funded rail job offered to its quoted provider's relayer,
// signed by the matcher key (EIP-712, in the market's domain): the job is
// prepaid on the rail (no on-chain job, no escrow), the spec is SpecHash,
// its result is owed to Payer (the payment's payer key, base58), and the
// relayer must start it before Expiry (unix seconds). Reference binds it
// to the quote and so to the one payment that funds it.
type RailOffer struct {
	QuoteID   int64
	Reference string
	Provider  Address
	SpecHash  Hash
	Payer     string
	Expiry    int64
}

// Validate checks the fields that need no key decoding; the base58 keys
// are checked where they are hashed (the EIP-712 digest).
func (o *RailOffer) Validate() error {
	switch {
	case o.QuoteID <= 0:
		return Errorf(EINVALID, "rail offer: quote id must be positive")
	case o.Provider.IsZero():
		return Errorf(EINVALID, "rail offer %d: provider is required", o.QuoteID)
	case o.SpecHash == (Hash{}):
		return Errorf(EINVALID, "rail offer %d: spec hash is required", o.QuoteID)
	case o.Expiry <= 0:
		return Errorf(EINVALID, "rail offer %d: expiry must be positive", o.QuoteID)
	}
	return nil
}

// SignedRailOffer is a rail offer with the matcher's signature (65 bytes).
type SignedRailOffer struct {
	Offer     RailOffer
	Signature []byte
}
