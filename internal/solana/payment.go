package solana

import (
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/gpumarket/gpumarket"
)

// Sentinel errors. Callers branch on them with errors.Is; the concrete
// error always wraps one of these with the operation that failed.
var (
	// ErrNotFound means the RPC node answered a getTransaction with
	// result null: the signature is unknown to it or not yet at the
	// requested commitment.
	ErrNotFound = errors.New("transaction not found")

	// ErrMalformed means a response or transaction did not have the
	// expected shape: invalid JSON, a missing or mistyped field, an index
	// out of range, an amount that does not fit in a u64, an invalid
	// public key.
	ErrMalformed = errors.New("malformed response")

	// ErrNoJobRef means a memo does not start with [JobRefPrefix]: it is
	// plain text, not a job reference. It is not a failure of the payment.
	ErrNoJobRef = errors.New("memo is not a job reference")

	// ErrMalformedMemo means a memo starts with [JobRefPrefix] but does
	// not follow the job reference format exactly.
	ErrMalformedMemo = errors.New("malformed job reference memo")

	// ErrAmbiguousMemo means a transaction carries more than one job
	// reference and they differ.
	ErrAmbiguousMemo = errors.New("transaction names more than one job")

	// ErrWrongTransaction means the node answered getTransaction with a
	// transaction other than the one requested, or with one whose
	// signature cannot be read: a fault of the node, not of the
	// transaction, so the caller retries rather than sets it aside.
	ErrWrongTransaction = errors.New("node returned another transaction")

	// ErrWrongCluster means the node is on another cluster (genesis
	// hash) than the one the Follower is pinned to.
	ErrWrongCluster = errors.New("solana node is on another cluster")

	// ErrRateLimited means the RPC node answered HTTP 429.
	ErrRateLimited = errors.New("rpc rate limited")

	// ErrInvalidConfig means a [Config] field is invalid; the message
	// names the field.
	ErrInvalidConfig = errors.New("invalid solana config")
)

// FailedError reports a transaction that landed on chain but failed
// (meta.err or the signature entry's err is not null). Failed
// transactions move no funds except the fee, so they never yield a
// [Payment]. Reason is the RPC's error value as compact JSON, e.g.
// {"InstructionError":[0,"IncorrectProgramId"]}.
type FailedError struct {
	Signature string
	Slot      uint64
	Reason    string
}

// Error implements error.
func (e *FailedError) Error() string {
	return fmt.Sprintf("transaction %s at slot %d failed: %s", e.Signature, e.Slot, e.Reason)
}

// ConfirmationStatus is a Solana commitment level as reported by the RPC
// (confirmationStatus) or requested from it (commitment).
type ConfirmationStatus string

// The confirmation levels, weakest first.
const (
	StatusProcessed ConfirmationStatus = "processed"
	StatusConfirmed ConfirmationStatus = "confirmed"
	StatusFinalized ConfirmationStatus = "finalized"
)

// SOLDecimals is the number of decimals of SOL: 1 SOL = 10^9 lamports.
const SOLDecimals = 9

// Payment is one transfer, in a successful transaction, that pays the
// watched address: a System Program transfer of lamports, or an SPL Token
// (or Token-2022) Transfer/TransferChecked into a token account that is
// the watched address or is owned by it. A transaction can hold several
// payments; (Signature, Instruction, InnerInstruction) identifies one.
//
// Addresses are base58 strings so the type can move to the domain package
// without dragging solana-go along.
type Payment struct {
	Signature string
	Slot      uint64
	// BlockTime is nil when the RPC reports blockTime null.
	BlockTime *time.Time
	// Instruction is the index of the top-level instruction holding the
	// transfer, or whose inner instructions hold it.
	Instruction int
	// InnerInstruction is the index within the inner instructions of
	// Instruction, or -1 for a top-level transfer.
	InnerInstruction int

	// FeePayer is the first account of the transaction. It pays the fee
	// and signs, but it is not necessarily the one paying the job.
	FeePayer string
	// Payer is who pays: for SOL the source account, for SPL the
	// transfer's authority (owner or delegate, or the multisig account).
	Payer string
	// Source is the account debited: the same as Payer for SOL, the
	// source token account for SPL.
	Source string
	// Recipient is the account credited: the destination system account
	// for SOL, the destination token account for SPL.
	Recipient string
	// RecipientOwner is, for SPL, the owner of the destination token
	// account when the transaction's token balances name it, else "".
	// For SOL it equals Recipient.
	RecipientOwner string

	// Mint is the token mint, "" for SOL.
	Mint string
	// Amount is in base units (lamports, or the token's smallest unit).
	Amount *big.Int
	// Decimals is SOLDecimals for SOL, the mint's decimals for SPL.
	Decimals uint8

	// Memo is the text of the transaction's memo instructions (spl-memo
	// v1 or v2), joined with "; " in instruction order; "" if none.
	Memo string
	// JobRef is the job the memo names, nil if no memo is a job reference.
	JobRef *JobRef
	// JobRefErr is non-nil when a memo claims to be a job reference but
	// is malformed (wraps ErrMalformedMemo) or when memos name different
	// jobs (wraps ErrAmbiguousMemo). The payment itself is still valid.
	JobRefErr error

	// Status is the confirmation status the RPC reported for the
	// transaction. Only StatusFinalized is final.
	Status ConfirmationStatus
}

// Final reports whether the payment's transaction is finalized, i.e.
// cannot be rolled back.
func (p Payment) Final() bool { return p.Status == StatusFinalized }

// IsSOL reports whether the payment is in native SOL.
func (p Payment) IsSOL() bool { return p.Mint == "" }

// NotPaymentKind says why lamports credited to the watched address are
// not a payment.
type NotPaymentKind string

// The kinds of NotPayment.
const (
	// NotPaymentTransferWithSeed is a System TransferWithSeed: lamports
	// sent from an account derived from a base key and a seed. The market
	// does not accept it as a payment (the account debited is not a
	// signer, and wallets do not offer it), so it is recorded, not
	// credited.
	NotPaymentTransferWithSeed NotPaymentKind = "transfer_with_seed"
	// NotPaymentATARent is the rent the Associated Token Account program
	// moves into a token account it creates (a System transfer or
	// createAccount it invokes): the lamports fund the new account, they
	// pay no one.
	NotPaymentATARent NotPaymentKind = "ata_rent"
)

// NotPayment is lamports that a successful transaction moved into the
// watched address and that are deliberately not a Payment, with the
// reason. They are reported so that nothing credited to a watched address
// is dropped silently or counted as a payment.
type NotPayment struct {
	Signature        string
	Slot             uint64
	BlockTime        *time.Time
	Instruction      int
	InnerInstruction int // -1 for a top-level instruction
	Kind             NotPaymentKind
	// Reason says in words why it is not a payment.
	Reason string
	// Source is the account debited; Recipient the account credited.
	Source    string
	Recipient string
	// Amount is in lamports.
	Amount *big.Int
	Status ConfirmationStatus
}

// Final reports whether n's transaction is finalized.
func (n NotPayment) Final() bool { return n.Status == StatusFinalized }

// RailNonPayment returns n in the domain's terms, seen by the follower of
// address.
func (n NotPayment) RailNonPayment(address string) gpumarket.RailNonPayment {
	return gpumarket.RailNonPayment{Rail: gpumarket.RailSolana, Address: address, Signature: n.Signature,
		Instruction: n.Instruction, InnerInstruction: n.InnerInstruction, Slot: n.Slot, BlockTime: n.BlockTime,
		Kind: string(n.Kind), Reason: n.Reason, Source: n.Source, Recipient: n.Recipient,
		Amount: new(big.Int).Set(n.Amount), Decimals: SOLDecimals, Final: n.Final()}
}

// RailPayment returns p as the domain's rail payment to address.
func (p Payment) RailPayment(address string) gpumarket.RailPayment {
	r := gpumarket.RailPayment{Rail: gpumarket.RailSolana, Address: address, Signature: p.Signature, Instruction: p.Instruction,
		InnerInstruction: p.InnerInstruction, Slot: p.Slot, BlockTime: p.BlockTime, Payer: p.Payer, Recipient: p.Recipient,
		Mint: p.Mint, Amount: new(big.Int).Set(p.Amount), Decimals: p.Decimals, Memo: p.Memo, Final: p.Final()}
	if p.JobRef != nil {
		r.JobChainID, r.JobID = p.JobRef.ChainID, new(big.Int).Set(p.JobRef.JobID)
	}
	if p.JobRefErr != nil {
		r.JobRefError = p.JobRefErr.Error()
	}
	return r
}
