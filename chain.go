package gpumarket

import (
	"errors"
	"fmt"
)

// Block is a block header as the indexer needs it.
type Block struct {
	Number     uint64
	Hash       Hash
	ParentHash Hash
	Time       uint64 // unix seconds
}

// Log is one contract event log as the node returned it.
type Log struct {
	BlockNumber uint64
	BlockHash   Hash
	BlockTime   uint64 // unix seconds of the block
	TxHash      Hash
	TxIndex     uint
	Index       uint // position in the block
	Address     Address
	Topics      []Hash
	Data        []byte
}

// Conditions an EVM node reports that callers branch on. Node adapters
// translate the node's error messages into these; nothing else parses them.
var (
	// ErrNodeRateLimited: the node refused the call for now (HTTP 429 and kin). Back off and retry.
	ErrNodeRateLimited = errors.New("node rate limited the request")
	// ErrNodeTimeout: the call did not complete in time; for log queries, a smaller range may work.
	ErrNodeTimeout = errors.New("node request timed out")
	// ErrNodeInconsistent: the node's answer contradicts itself or the chain (hash/number
	// mismatch, duplicate log, logs missing although the bloom filter says they exist).
	ErrNodeInconsistent = errors.New("node returned an inconsistent answer")
	// ErrReorgBelowFinality: the chain reorganized below the finalized block. History is never rewritten.
	ErrReorgBelowFinality = errors.New("reorg below the finalized block")
)

// RangeTooLargeError reports that a log query's block range returned too many
// results or too large a response. SuggestedTo, when non-zero, is the end of a
// range starting at From that the node said it would accept; MaxWidth, when
// non-zero, is the widest range (in blocks) the node says it serves.
type RangeTooLargeError struct {
	From, To    uint64
	SuggestedTo uint64
	MaxWidth    uint64
	Message     string
}

func (e *RangeTooLargeError) Error() string {
	if e.MaxWidth != 0 {
		return fmt.Sprintf("log range %d-%d too large (node serves at most %d blocks): %s", e.From, e.To, e.MaxWidth, e.Message)
	}
	if e.SuggestedTo != 0 {
		return fmt.Sprintf("log range %d-%d too large (node suggests up to %d): %s", e.From, e.To, e.SuggestedTo, e.Message)
	}
	return fmt.Sprintf("log range %d-%d too large: %s", e.From, e.To, e.Message)
}

// Event is a decoded contract event. The concrete types (JobCreated, …) carry
// the event's fields; the indexer stores them and derives current state.
type Event interface {
	// EventName is the Solidity event's name, e.g. "JobCreated".
	EventName() string
}
