package node

import (
	"errors"
	"fmt"
	"testing"

	"github.com/ethereum/go-ethereum/rpc"

	"github.com/gpumarket/gpumarket"
)

type jsonRPCError struct {
	code int
	msg  string
}

func (e jsonRPCError) Error() string  { return e.msg }
func (e jsonRPCError) ErrorCode() int { return e.code }

var _ rpc.Error = jsonRPCError{}

func TestClassify(t *testing.T) {
	tests := []struct {
		name          string
		err           error
		want          error // sentinel, or nil for *RangeTooLargeError
		suggestedTo   uint64
		maxWidth      uint64
		wantTooLarge  bool
		wantErrorCode string
	}{
		{name: "infura too many results with suggestion", err: jsonRPCError{-32005, "query returned more than 10000 results. Try with this block range [0x1B4, 0x2A0]."},
			wantTooLarge: true, suggestedTo: 0x2A0},
		{name: "alchemy response size with suggestion", err: jsonRPCError{-32602, "Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range and no limit on the response size, or you can request any block range with a cap of 10K logs in the response. Based on your parameters, this block range should work: [0x10, 0x5f]"},
			wantTooLarge: true, suggestedTo: 0x5f},
		{name: "quicknode range limit", err: jsonRPCError{-32614, "eth_getLogs is limited to a 10,000 range"}, wantTooLarge: true, maxWidth: 10000},
		{name: "max block range", err: jsonRPCError{-32000, "exceed maximum block range: 5000"}, wantTooLarge: true, maxWidth: 5000},
		{name: "range too wide", err: jsonRPCError{-32000, "block range is too wide"}, wantTooLarge: true},
		{name: "http 429", err: rpc.HTTPError{StatusCode: 429, Status: "429 Too Many Requests"}, want: gpumarket.ErrNodeRateLimited},
		{name: "rate limit message", err: jsonRPCError{-32005, "daily request count exceeded, request rate limited"}, want: gpumarket.ErrNodeRateLimited},
		{name: "compute units", err: jsonRPCError{429, "Your app has exceeded its compute units per second capacity"}, want: gpumarket.ErrNodeRateLimited},
		{name: "http 504", err: rpc.HTTPError{StatusCode: 504, Status: "504 Gateway Timeout"}, want: gpumarket.ErrNodeTimeout},
		{name: "geth query timeout", err: jsonRPCError{-32000, "query timeout exceeded"}, want: gpumarket.ErrNodeTimeout},
		{name: "connection refused", err: fmt.Errorf("dial tcp 127.0.0.1:1: connect: connection refused"), wantErrorCode: gpumarket.EUNAVAILABLE},
		{name: "plain json-rpc error", err: jsonRPCError{-32601, "the method eth_foo does not exist"}, wantErrorCode: gpumarket.EINTERNAL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := readErr("eth_getLogs", tt.err)
			var tooLarge *gpumarket.RangeTooLargeError
			isTooLarge := errors.As(got, &tooLarge)
			if isTooLarge != tt.wantTooLarge {
				t.Fatalf("readErr(%v) = %v; range too large = %v, want %v", tt.err, got, isTooLarge, tt.wantTooLarge)
			}
			if isTooLarge && (tooLarge.SuggestedTo != tt.suggestedTo || tooLarge.MaxWidth != tt.maxWidth) {
				t.Errorf("readErr(%v): suggested to %d, max width %d; want %d, %d", tt.err, tooLarge.SuggestedTo, tooLarge.MaxWidth, tt.suggestedTo, tt.maxWidth)
			}
			if tt.want != nil && !errors.Is(got, tt.want) {
				t.Errorf("readErr(%v) = %v, want %v", tt.err, got, tt.want)
			}
			if tt.wantErrorCode != "" && gpumarket.ErrorCode(got) != tt.wantErrorCode {
				t.Errorf("readErr(%v) code = %q, want %q", tt.err, gpumarket.ErrorCode(got), tt.wantErrorCode)
			}
		})
	}
}
