package main

import (
	"bytes"
	"context"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket/internal/anvil"
	"github.com/gpumarket/gpumarket/internal/eth/ethtest"
	"github.com/gpumarket/gpumarket/internal/pgtest"
	"github.com/gpumarket/gpumarket/internal/postgres"
)

func TestIndexerConfigErrors(t *testing.T) {
	c := ethtest.New(t, anvil.Config{})
	token := c.DeployTestToken(t, "USDT", 6, nil)
	dsn := pgtest.URL(t)
	env := map[string]string{"GPUMARKET_DATABASE_URL": dsn}
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"missing everything", []string{"indexer", "run"}, exitInvalid, "--rpc-url (GPUMARKET_RPC_URL): required"},
		{"bad contract address", []string{"indexer", "run", "--rpc-url", c.URL, "--chain-id", "31337", "--start-block", "1", "--market", "0x1234", "--registry", token.Hex()}, exitInvalid, "--market"},
		{"wrong chain id", []string{"indexer", "run", "--rpc-url", c.URL, "--chain-id", "1", "--start-block", "1", "--market", token.Hex(), "--registry", token.Hex()}, exitInvalid, "node serves chain 31337, configured chain id is 1"},
		{"no code at address", []string{"indexer", "run", "--rpc-url", c.URL, "--chain-id", "31337", "--start-block", "1", "--market", "0x000000000000000000000000000000000000dEaD", "--registry", token.Hex()}, exitInvalid, "no contract code at 0x000000000000000000000000000000000000dEaD"},
		{"unreachable rpc", []string{"indexer", "run", "--rpc-url", "http://127.0.0.1:1", "--chain-id", "31337", "--start-block", "1", "--market", token.Hex(), "--registry", token.Hex()}, exitUnavailable, "eth_chainId"},
		{"poll interval too short", []string{"indexer", "run", "--rpc-url", c.URL, "--chain-id", "31337", "--start-block", "1", "--market", token.Hex(), "--registry", token.Hex(), "--poll-interval", "0s"}, exitInvalid, "--poll-interval (GPUMARKET_INDEXER_POLL_INTERVAL): must be between 1ms and 1h"},
		{"ws url not a websocket", []string{"indexer", "run", "--rpc-url", c.URL, "--chain-id", "31337", "--start-block", "1", "--market", token.Hex(), "--registry", token.Hex(), "--ws-url", c.URL}, exitInvalid, "--ws-url (GPUMARKET_WS_URL): must be a ws:// or wss:// URL, or off"},
		{"missing deployment file", []string{"indexer", "run", "--rpc-url", c.URL, "--deployment", "/nonexistent/deployment.json"}, exitInvalid, "read deployment file"},
		{"replay without --from", []string{"indexer", "replay", "--rpc-url", c.URL, "--chain-id", "31337", "--start-block", "1", "--market", token.Hex(), "--registry", token.Hex()}, exitInvalid, "--from: required"},
		{"replay past the head", []string{"indexer", "replay", "--from", "1000000", "--rpc-url", c.URL, "--chain-id", "31337", "--start-block", "1", "--market", token.Hex(), "--registry", token.Hex()}, exitInvalid, "--from: replay from block 1000000: past the head, block "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, env, tt.args...)
			if code != tt.wantCode || !strings.Contains(errOut, tt.wantErr) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, errOut, tt.wantCode, tt.wantErr)
			}
		})
	}
}

// TestIndexerRunServesHealthAndStops runs `gpumarket indexer run` in process
// against anvil: it catches up, /readyz turns 200, /metrics answers, and
// cancelling the context (Ctrl-C) ends it with exit code 0.
func TestIndexerRunServesHealthAndStops(t *testing.T) {
	c := ethtest.New(t, anvil.Config{SlotsInEpoch: 2})
	token := c.DeployTestToken(t, "USDT", 6, big.NewInt(5))
	dsn := pgtest.URL(t)
	t.Setenv("GPUMARKET_DATABASE_URL", dsn)
	addr := freeAddr(t)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	var stderr bytes.Buffer
	go func() {
		done <- run(ctx, []string{"gpumarket", "indexer", "run", "--rpc-url", c.URL, "--chain-id", "31337",
			"--start-block", "1", "--market", token.Hex(), "--registry", token.Hex(), "--listen", addr}, &bytes.Buffer{}, &stderr)
	}()
	db, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	store := postgres.NewIndexerStore(db)
	deadline := time.Now().Add(30 * time.Second)
	for {
		head, _ := c.Client.BlockNumber(context.Background())
		cur, err := store.Cursor(context.Background(), anvil.ChainID)
		resp, herr := http.Get("http://" + addr + "/readyz")
		if herr == nil {
			resp.Body.Close()
		}
		if err == nil && cur.Number == head && herr == nil && resp.StatusCode == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("indexer not ready: cursor %+v (%v), head %d, readyz %v; stderr %s", cur, err, head, herr, stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	_, _ = body.ReadFrom(resp.Body)
	resp.Body.Close()
	if !strings.Contains(body.String(), "gpumarket_indexer_indexed_block") {
		t.Fatalf("/metrics lacks gpumarket_indexer_indexed_block")
	}
	logs, err := store.Logs(context.Background(), anvil.ChainID, 0, 1<<40)
	if err != nil || len(logs) != 10 { // one mint to each dev account
		t.Fatalf("indexed %d logs (%v), want the 10 mints", len(logs), err)
	}
	cancel()
	select {
	case code := <-done:
		if code != exitOK {
			t.Fatalf("exit code after cancel = %d, want 0; stderr %s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("indexer did not stop after cancel")
	}
}
