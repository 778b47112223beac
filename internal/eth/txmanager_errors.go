package eth

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
)

// Classes of node errors the transaction manager branches on. ClassifyRPCError
// attaches them to errors; callers test with errors.Is.
var (
	ErrAlreadyKnown      = errors.New("already known")             // the node already has this exact transaction
	ErrNonceTooLow       = errors.New("nonce too low")             // a transaction with this nonce is already mined
	ErrNonceTooHigh      = errors.New("nonce too high")            // an earlier nonce is missing at the node
	ErrUnderpriced       = errors.New("underpriced")               // a pool transaction at this nonce pays as much or more
	ErrFeeTooLow         = errors.New("fee cap below base fee")    // max fee per gas is below the block's base fee
	ErrInsufficientFunds = errors.New("insufficient funds")        // the sender cannot pay gas * price + value
	ErrReverted          = errors.New("execution reverted")        // the call reverts (eth_call / eth_estimateGas)
	ErrUnavailable       = errors.New("node unavailable")          // connection refused/reset, timeout, HTTP 5xx: try again later
	ErrRejected          = errors.New("transaction rejected")      // any other refusal by the node
	ErrSenderMismatch    = errors.New("intent sender is not ours") // an intent in the journal belongs to another key
)

// RPCError is a node error with its class. Unwrap yields both the class (a
// sentinel above) and the original error.
type RPCError struct {
	Class  error
	Err    error
	Reason string // decoded revert reason for ErrReverted, else ""
}

// Error returns the class and the node's message (or the decoded revert reason).
func (e *RPCError) Error() string {
	if e.Reason != "" {
		return e.Class.Error() + ": " + e.Reason
	}
	return e.Class.Error() + ": " + e.Err.Error()
}

// Unwrap returns the class and the original error.
func (e *RPCError) Unwrap() []error { return []error{e.Class, e.Err} }

// ClassName returns a short stable name for err's class ("already_known",
// "nonce_too_low", …, "other"), for the journal and logs.
func ClassName(err error) string {
	for _, c := range []struct {
		class error
		name  string
	}{
		{ErrAlreadyKnown, "already_known"}, {ErrNonceTooLow, "nonce_too_low"}, {ErrNonceTooHigh, "nonce_too_high"},
		{ErrUnderpriced, "underpriced"}, {ErrFeeTooLow, "fee_too_low"}, {ErrInsufficientFunds, "insufficient_funds"},
		{ErrReverted, "reverted"}, {ErrUnavailable, "unavailable"}, {ErrRejected, "rejected"},
	} {
		if errors.Is(err, c.class) {
			return c.name
		}
	}
	if err == nil {
		return ""
	}
	return "other"
}

// ClassifyRPCError returns err with its class attached (an *RPCError), or nil
// for nil. It is the only place that reads node error messages: geth's and
// anvil's texts for the same condition differ ("already known" /
// "transaction already imported", "insufficient funds" / "Insufficient
// funds"), so matching is case-insensitive on stable fragments. Transport
// failures (refused or reset connections, EOF, timeouts, HTTP 5xx and 429)
// are ErrUnavailable; a cancelled parent context is returned unchanged.
func ClassifyRPCError(err error) error {
	if err == nil {
		return nil
	}
	var already *RPCError
	if errors.As(err, &already) {
		return err
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	wrap := func(class error) error { return &RPCError{Class: class, Err: err} }

	var httpErr rpc.HTTPError
	if errors.As(err, &httpErr) {
		if httpErr.StatusCode >= 500 || httpErr.StatusCode == 429 || httpErr.StatusCode == 408 {
			return wrap(ErrUnavailable)
		}
	}
	var rpcErr rpc.Error
	if errors.As(err, &rpcErr) {
		msg := strings.ToLower(rpcErr.Error())
		switch {
		case strings.Contains(msg, "already known"), strings.Contains(msg, "already imported"),
			strings.Contains(msg, "known transaction"), strings.Contains(msg, "already exists"):
			return wrap(ErrAlreadyKnown)
		case strings.Contains(msg, "nonce too low"), strings.Contains(msg, "nonce has already been used"),
			strings.Contains(msg, "invalid transaction nonce"):
			return wrap(ErrNonceTooLow)
		case strings.Contains(msg, "nonce too high"):
			return wrap(ErrNonceTooHigh)
		case strings.Contains(msg, "underpriced"):
			return wrap(ErrUnderpriced)
		case strings.Contains(msg, "less than block base fee"), strings.Contains(msg, "fee cap less than"),
			strings.Contains(msg, "max fee per gas less than"):
			return wrap(ErrFeeTooLow)
		case strings.Contains(msg, "insufficient funds"), strings.Contains(msg, "insufficient balance"):
			return wrap(ErrInsufficientFunds)
		case strings.Contains(msg, "execution reverted"), strings.Contains(msg, "revert"):
			return &RPCError{Class: ErrReverted, Err: err, Reason: revertReason(err)}
		}
		return wrap(ErrRejected)
	}
	var netErr net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, net.ErrClosed), errors.Is(err, rpc.ErrClientQuit), errors.As(err, &netErr):
		return wrap(ErrUnavailable)
	}
	if errors.As(err, &httpErr) {
		return wrap(ErrRejected)
	}
	// The HTTP transport reports some broken responses only as text.
	msg := strings.ToLower(err.Error())
	if strings.Contains(msg, "connection reset") || strings.Contains(msg, "connection refused") ||
		strings.Contains(msg, "broken pipe") || strings.Contains(msg, "eof") || strings.Contains(msg, "timeout") ||
		strings.Contains(msg, "invalid character") || strings.Contains(msg, "unexpected end of json") {
		return wrap(ErrUnavailable)
	}
	return err
}

// revertReason decodes the revert data of an eth_call/eth_estimateGas error:
// Error(string) gives its message, a custom error its hex selector and data.
func revertReason(err error) string {
	var de rpc.DataError
	if errors.As(err, &de) {
		if s, ok := de.ErrorData().(string); ok {
			if data, derr := hexutil.Decode(s); derr == nil && len(data) > 0 {
				if reason, uerr := abi.UnpackRevert(data); uerr == nil {
					return "execution reverted: " + reason
				}
				return "execution reverted: custom error " + hexutil.Encode(data)
			}
		}
	}
	return err.Error()
}
