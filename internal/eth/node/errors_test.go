package node

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/rpc"
)

// rpcError is a JSON-RPC error as the node returns it (code, message, data).
type rpcError struct {
	code int
	msg  string
	data any
}

func (e rpcError) Error() string { return e.msg }

func (e rpcError) ErrorCode() int { return e.code }

func (e rpcError) ErrorData() any { return e.data }

func TestClassifyRPCError(t *testing.T) {
	revertData := "0x08c379a0" + // Error(string) "job settled"
		"0000000000000000000000000000000000000000000000000000000000000020" +
		"000000000000000000000000000000000000000000000000000000000000000b" +
		"6a6f6220736574746c6564000000000000000000000000000000000000000000"
	tests := []struct {
		name   string
		err    error
		want   error
		reason string
	}{
		{"geth already known", rpcError{-32000, "already known", nil}, ErrAlreadyKnown, ""},
		{"anvil already imported", rpcError{-32003, "transaction already imported", nil}, ErrAlreadyKnown, ""},
		{"geth nonce too low", rpcError{-32000, "nonce too low: address 0x70997970C51812dc3A010C7d01e854b69C6C8Cf4, tx: 0 state: 1", nil}, ErrNonceTooLow, ""},
		{"anvil nonce too low", rpcError{-32003, "nonce too low", nil}, ErrNonceTooLow, ""},
		{"geth nonce too high", rpcError{-32000, "nonce too high", nil}, ErrNonceTooHigh, ""},
		{"replacement underpriced", rpcError{-32000, "replacement transaction underpriced", nil}, ErrUnderpriced, ""},
		{"geth underpriced", rpcError{-32000, "transaction underpriced: tip needed 1, tip permitted 0", nil}, ErrUnderpriced, ""},
		{"geth fee cap below base fee", rpcError{-32000, "max fee per gas less than block base fee: address 0x7099…, maxFeePerGas: 1000000000, baseFee: 1750000000", nil}, ErrFeeTooLow, ""},
		{"anvil fee cap below base fee", rpcError{-32003, "max fee per gas less than block base fee", nil}, ErrFeeTooLow, ""},
		{"geth insufficient funds", rpcError{-32000, "insufficient funds for gas * price + value: address 0x7099… have 0 want 21000000000000", nil}, ErrInsufficientFunds, ""},
		{"anvil insufficient funds", rpcError{-32003, "Insufficient funds for gas * price + value", nil}, ErrInsufficientFunds, ""},
		{"revert with reason", rpcError{3, "execution reverted: job settled", revertData}, ErrReverted, "execution reverted: job settled"},
		{"revert with custom error", rpcError{3, "execution reverted", "0xe450d38c00"}, ErrReverted, "execution reverted: custom error 0xe450d38c00"},
		{"other refusal", rpcError{-32000, "intrinsic gas too low", nil}, ErrRejected, ""},
		{"HTTP 502", rpc502(), ErrUnavailable, ""},
		{"deadline", context.DeadlineExceeded, ErrUnavailable, ""},
		{"EOF", errors.New("post: " + "unexpected EOF"), ErrUnavailable, ""},
		{"connection refused", dialRefused(t), ErrUnavailable, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Classify(tt.err)
			if !errors.Is(got, tt.want) {
				t.Fatalf("Classify(%v) = %v (%s), want %v", tt.err, got, ClassName(got), tt.want)
			}
			if !strings.Contains(got.Error(), tt.err.Error()) && tt.reason == "" {
				t.Errorf("Classify(%v) lost the original error", tt.err)
			}
			var re *RPCError
			if tt.reason != "" && (!errors.As(got, &re) || re.Reason != tt.reason) {
				t.Errorf("reason = %q, want %q", re.Reason, tt.reason)
			}
		})
	}
	if Classify(nil) != nil {
		t.Error("Classify(nil) != nil")
	}
	if err := Classify(context.Canceled); errors.Is(err, ErrUnavailable) {
		t.Error("a cancelled context was classified as an unavailable node")
	}
}

func rpc502() error { return rpcHTTPError(502) }

func rpcHTTPError(code int) error {
	return rpc.HTTPError{StatusCode: code, Status: http.StatusText(code)}
}

// dialRefused returns the error of connecting to a port nobody listens on.
func dialRefused(tb testing.TB) error {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	a := l.Addr().String()
	l.Close()
	conn, err := net.Dial("tcp", a)
	if err == nil {
		conn.Close()
		tb.Fatal("dial to a closed port succeeded")
	}
	return err
}
