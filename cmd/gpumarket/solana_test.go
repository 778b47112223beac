package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket/internal/postgres/postgrestest"

	"github.com/gpumarket/gpumarket/internal/pgtest"
)

const watched = "4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T"

func TestSolanaConfigErrors(t *testing.T) {
	dsn := pgtest.URL(t)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"missing rpc", []string{"indexer", "solana", "--database-url", dsn, "--address", watched}, "--solana-rpc-url (GPUMARKET_SOLANA_RPC_URL): required"},
		{"missing address", []string{"indexer", "solana", "--database-url", dsn, "--solana-rpc-url", "http://127.0.0.1:1"}, "--address"},
		{"bad address", []string{"indexer", "solana", "--database-url", dsn, "--solana-rpc-url", "http://127.0.0.1:1", "--address", "0xnotbase58"}, "Address"},
		{"bad commitment", []string{"indexer", "solana", "--database-url", dsn, "--solana-rpc-url", "http://127.0.0.1:1", "--address", watched, "--commitment", "processed"}, "Commitment"},
		{"bad genesis hash", []string{"indexer", "solana", "--database-url", dsn, "--solana-rpc-url", "http://127.0.0.1:1", "--address", watched, "--genesis-hash", "devnet"}, "--genesis-hash (GPUMARKET_SOLANA_GENESIS_HASH)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, nil, tt.args...)
			if code != exitInvalid || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errOut, exitInvalid, tt.want)
			}
		})
	}
}

// `indexer solana` polls the node for each watched address and records the
// cursor; cancellation is a clean exit.
func TestSolanaFollowsAndStops(t *testing.T) {
	polled := make(chan string, 16)
	node := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
			Params []any           `json:"params"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, "unexpected request", http.StatusBadRequest)
			return
		}
		switch req.Method {
		case "getGenesisHash": // mainnet-beta's, as internal/solana/testdata/getGenesisHash_mainnet.json records it
			_, _ = w.Write([]byte(`{"jsonrpc":"2.0","result":"5eykt4UsFv8P8NJdTREpY1vzqKqZKvdpKuc147dw2N9d","id":` + string(req.ID) + `}`))
			return
		case "getSignaturesForAddress":
		default:
			http.Error(w, "unexpected request", http.StatusBadRequest)
			return
		}
		select {
		case polled <- req.Params[0].(string):
		default:
		}
		_, _ = w.Write([]byte(`{"jsonrpc":"2.0","id":` + string(req.ID) + `,"result":[]}`))
	}))
	defer node.Close()
	dsn := pgtest.URL(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var stderr bytes.Buffer
	go func() {
		done <- run(ctx, []string{"gpumarket", "indexer", "solana", "--database-url", dsn, "--solana-rpc-url", node.URL,
			"--address", watched, "--every", "1s"}, &bytes.Buffer{}, &stderr)
	}()
	select {
	case got := <-polled:
		if got != watched {
			t.Fatalf("polled %q, want %q", got, watched)
		}
	case <-time.After(20 * time.Second):
		cancel()
		t.Fatalf("the node was never polled; stderr %s", stderr.String())
	}
	sql := postgrestest.Open(t, dsn)
	for deadline := time.Now().Add(10 * time.Second); ; {
		var n int64
		if err := sql.TryQueryRow(context.Background(), `SELECT count(*) FROM rail_cursors WHERE rail = 'solana' AND address = $1
			AND genesis_hash = '5eykt4UsFv8P8NJdTREpY1vzqKqZKvdpKuc147dw2N9d'`, []any{watched}, &n); err != nil {
			t.Fatal(err)
		}
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no cursor pinned to mainnet recorded for the watched address")
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d on cancellation; stderr %s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("did not stop")
	}
}
