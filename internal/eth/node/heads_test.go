package node_test

import (
	"testing"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/eth/node"
)

func TestWebSocketURL(t *testing.T) {
	tests := []struct {
		in, want string
		code     string
	}{
		{"http://127.0.0.1:8545", "ws://127.0.0.1:8545", ""},
		{"https://node.example/v3/key?x=1", "wss://node.example/v3/key?x=1", ""},
		{"ws://127.0.0.1:8546", "ws://127.0.0.1:8546", ""},
		{"wss://node.example/ws", "wss://node.example/ws", ""},
		{"/tmp/geth.ipc", "", gpumarket.EINVALID},
		{"ftp://node.example", "", gpumarket.EINVALID},
		{"http://", "", gpumarket.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := node.WebSocketURL(tt.in)
			if got != tt.want || gpumarket.ErrorCode(err) != tt.code {
				t.Fatalf("WebSocketURL(%q) = %q, %v; want %q, code %q", tt.in, got, err, tt.want, tt.code)
			}
		})
	}
}
