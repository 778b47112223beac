package node

import (
	"context"
	"errors"
	"io"
	"net"
	"regexp"
	"strconv"
	"strings"
	"syscall"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/gpumarket/gpumarket"
)

// Classes of node errors. Classify attaches them to errors; callers test with
// errors.Is. ErrRateLimited and ErrTimeout are the root package's node errors
// (the indexer branches on them) and also count as ErrUnavailable (the
// transaction manager tries again later).
var (
	ErrRateLimited       = gpumarket.ErrNodeRateLimited                   // HTTP 429 and kin: back off
	ErrTimeout           = gpumarket.ErrNodeTimeout                       // the call did not complete in time
	ErrRangeTooLarge     = errors.New("log range too large for the node") // eth_getLogs asked for too much
	ErrAlreadyKnown      = errors.New("already known")                    // the node already has this exact transaction
	ErrNonceTooLow       = errors.New("nonce too low")                    // a transaction with this nonce is already mined
	ErrNonceTooHigh      = errors.New("nonce too high")                   // an earlier nonce is missing at the node
	ErrUnderpriced       = errors.New("underpriced")                      // a pool transaction at this nonce pays as much or more
	ErrFeeTooLow         = errors.New("fee cap below base fee")           // max fee per gas is below the block's base fee
	ErrInsufficientFunds = errors.New("insufficient funds")               // the sender cannot pay gas * price + value
	ErrReverted          = errors.New("execution reverted")               // the call reverts (eth_call / eth_estimateGas)
	ErrUnavailable       = errors.New("node unavailable")                 // connection refused/reset, timeout, HTTP 5xx: try again later
	ErrRejected          = errors.New("transaction rejected")             // any other refusal by the node
	ErrSenderMismatch    = errors.New("intent sender is not ours")        // an intent in the journal belongs to another key
)

// RPCError is a node error with its class. Unwrap yields both the class (a
// sentinel above) and the original error.
type RPCError struct {
	Class  error
	Err    error
	Reason string // decoded revert reason for ErrReverted, else ""

	rangeTooLarge *gpumarket.RangeTooLargeError // for ErrRangeTooLarge: the node's limits, as parsed
}

// Error returns the class and the node's message (or the decoded revert reason).
func (e *RPCError) Error() string {
	if e.Reason != "" {
		return e.Class.Error() + ": " + e.Reason
	}
	return e.Class.Error() + ": " + e.Err.Error()
}

// Unwrap returns the class and the original error.
func (e *RPCError) Unwrap() []error {
	if e.Class == ErrRateLimited || e.Class == ErrTimeout {
		return []error{e.Class, ErrUnavailable, e.Err}
	}
	return []error{e.Class, e.Err}
}

// ClassName returns a short stable name for err's class ("already_known",
// "nonce_too_low", …, "other"), for the journal and logs.
func ClassName(err error) string {
	for _, c := range []struct {
		class error
		name  string
	}{
		{ErrAlreadyKnown, "already_known"}, {ErrNonceTooLow, "nonce_too_low"}, {ErrNonceTooHigh, "nonce_too_high"},
		{ErrUnderpriced, "underpriced"}, {ErrFeeTooLow, "fee_too_low"}, {ErrInsufficientFunds, "insufficient_funds"},
		{ErrReverted, "reverted"}, {ErrRangeTooLarge, "range_too_large"}, {ErrRateLimited, "rate_limited"},
		{ErrTimeout, "timeout"}, {ErrUnavailable, "unavailable"}, {ErrRejected, "rejected"},
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

var (
	suggestedRange = regexp.MustCompile(`\[\s*(0x[0-9a-fA-F]+)\s*,\s*(0x[0-9a-fA-F]+)\s*\]`)
	maxBlockRange  = regexp.MustCompile(`(?i)(?:max(?:imum)?\s+(?:block\s+)?range(?:\s+(?:is|of))?:?\s*|up to (?:a )?|limited to (?:a )?)(\d[\d,]*)\s*(?:K\b|blocks?\b)?`)
	tooLarge       = regexp.MustCompile(`(?i)more than \d+ results|too many (results|logs|blocks)|response size (exceeded|is larger|should not)|log response size|block range (is )?too (wide|large)|range (is )?too large|exceed(s|ed)? (the )?max(imum)? (block )?range|query exceeds|limit exceeded|ranges over \d+ blocks|is limited to|returned too much data|query returned more than`)
	rateLimited    = regexp.MustCompile(`(?i)rate.?limit|too many requests|exceeded .*(capacity|quota|compute units)|request limit|throttl`)
	timedOut       = regexp.MustCompile(`(?i)time(d)?[ -]?out|deadline exceeded|execution timeout`)
)

// Classify returns err with its class attached (an *RPCError), or nil for
// nil. It is the only place that reads node error messages, for reads (log
// ranges too large, rate limits, timeouts) and for transactions alike: geth's
// and anvil's texts for the same condition differ ("already known" /
// "transaction already imported", "insufficient funds" / "Insufficient
// funds"), so matching is case-insensitive on stable fragments. Transport
// failures (refused or reset connections, EOF, HTTP 5xx) are ErrUnavailable;
// a cancelled context, and an error that is none of these, are returned
// unchanged.
func Classify(err error) error {
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

	msg := err.Error()
	var httpErr rpc.HTTPError
	isHTTP := errors.As(err, &httpErr)
	if isHTTP {
		switch {
		case httpErr.StatusCode == 429:
			return wrap(ErrRateLimited)
		case httpErr.StatusCode == 504 || httpErr.StatusCode == 408:
			return wrap(ErrTimeout)
		}
		msg += " " + string(httpErr.Body)
	}
	var rpcErr rpc.Error
	if errors.As(err, &rpcErr) {
		lower := strings.ToLower(rpcErr.Error())
		switch {
		case strings.Contains(lower, "already known"), strings.Contains(lower, "already imported"),
			strings.Contains(lower, "known transaction"), strings.Contains(lower, "already exists"):
			return wrap(ErrAlreadyKnown)
		case strings.Contains(lower, "nonce too low"), strings.Contains(lower, "nonce has already been used"),
			strings.Contains(lower, "invalid transaction nonce"):
			return wrap(ErrNonceTooLow)
		case strings.Contains(lower, "nonce too high"):
			return wrap(ErrNonceTooHigh)
		case strings.Contains(lower, "underpriced"):
			return wrap(ErrUnderpriced)
		case strings.Contains(lower, "less than block base fee"), strings.Contains(lower, "fee cap less than"),
			strings.Contains(lower, "max fee per gas less than"):
			return wrap(ErrFeeTooLow)
		case strings.Contains(lower, "insufficient funds"), strings.Contains(lower, "insufficient balance"):
			return wrap(ErrInsufficientFunds)
		case strings.Contains(lower, "execution reverted"), strings.Contains(lower, "revert"):
			return &RPCError{Class: ErrReverted, Err: err, Reason: revertReason(err)}
		}
	}
	if tooLarge.MatchString(msg) {
		return &RPCError{Class: ErrRangeTooLarge, Err: err, rangeTooLarge: parseRangeTooLarge(msg)}
	}
	if rateLimited.MatchString(msg) {
		return wrap(ErrRateLimited)
	}
	var netErr net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &netErr) && netErr.Timeout() || timedOut.MatchString(msg) {
		return wrap(ErrTimeout)
	}
	if rpcErr != nil {
		return wrap(ErrRejected)
	}
	if isHTTP && httpErr.StatusCode >= 500 {
		return wrap(ErrUnavailable)
	}
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, net.ErrClosed), errors.Is(err, rpc.ErrClientQuit), errors.As(err, &netErr):
		return wrap(ErrUnavailable)
	}
	if isHTTP {
		return wrap(ErrRejected)
	}
	// The HTTP transport reports some broken responses only as text.
	lower := strings.ToLower(msg)
	if strings.Contains(lower, "connection reset") || strings.Contains(lower, "connection refused") ||
		strings.Contains(lower, "broken pipe") || strings.Contains(lower, "eof") ||
		strings.Contains(lower, "invalid character") || strings.Contains(lower, "unexpected end of json") {
		return wrap(ErrUnavailable)
	}
	return err
}

// parseRangeTooLarge reads the limits a node states when it refuses a log
// range: a suggested [from, to] (Alchemy, Infura) or a maximum width.
func parseRangeTooLarge(msg string) *gpumarket.RangeTooLargeError {
	e := &gpumarket.RangeTooLargeError{Message: msg}
	if m := suggestedRange.FindStringSubmatch(msg); m != nil {
		if to, perr := strconv.ParseUint(strings.TrimPrefix(m[2], "0x"), 16, 64); perr == nil {
			e.SuggestedTo = to
		}
	} else if m := maxBlockRange.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.ParseUint(strings.ReplaceAll(m[1], ",", ""), 10, 64)
		if strings.Contains(strings.ToUpper(m[0]), "K") && n < 1000 {
			n *= 1000
		}
		e.MaxWidth = n
	}
	return e
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
