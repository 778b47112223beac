package client

import (
	"errors"

	"github.com/gpumarket/gpumarket"
)

// Conditions a caller branches on (errors.Is). Each error returned with one
// also carries a gpumarket code and a message for users.
var (
	// ErrNoProvider: no registered provider serves the spec's kind and
	// model with its requirements.
	ErrNoProvider = errors.New("no provider can serve this job")
	// ErrBelowBand: the max price is below the market band's low end.
	ErrBelowBand = errors.New("max price below the market band")
	// ErrRefunded: the deadline passed with no result and the job was
	// refunded.
	ErrRefunded = errors.New("deadline passed and the job was refunded")
	// ErrResultMismatch: the downloaded bytes do not hash to the result
	// hash on-chain (dispute it).
	ErrResultMismatch = errors.New("result does not match its on-chain hash")
	// ErrInsufficientFunds: the wallet lacks the tokens, the allowance or
	// the gas the action needs.
	ErrInsufficientFunds = errors.New("insufficient funds")
	// ErrWrongChain: the node is on another chain than the deployment.
	ErrWrongChain = errors.New("wrong chain")
)

// condError is a domain error tagged with the condition it reports.
type condError struct {
	cond error
	err  *gpumarket.Error
}

func (e *condError) Error() string   { return e.err.Message }
func (e *condError) Unwrap() []error { return []error{e.cond, e.err} }

func condErr(cond error, code, format string, args ...any) error {
	return &condError{cond: cond, err: gpumarket.Errorf(code, format, args...)}
}
