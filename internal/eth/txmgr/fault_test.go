package txmgr_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math/big"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket/internal/eth/node"
	"github.com/gpumarket/gpumarket/internal/eth/txmgr"

	"github.com/ethereum/go-ethereum/ethclient"
	"golang.org/x/sync/errgroup"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/anvil"
)

// faultProxy is a JSON-RPC HTTP proxy in front of a node that injects the
// failures a relayer meets: 502s, connections reset before or after the
// request reached the node, responses that never come (client timeout) after
// the node executed the request, and "already known" in place of a
// successful eth_sendRawTransaction answer.
type faultProxy struct {
	upstream string
	stall    time.Duration

	mu     sync.Mutex
	rng    *rand.Rand
	counts map[string]int
	served atomic.Int64
}

func newFaultProxy(tb testing.TB, upstream string, seed uint64, stall time.Duration) (*faultProxy, *httptest.Server) {
	tb.Helper()
	p := &faultProxy{upstream: upstream, stall: stall, rng: rand.New(rand.NewPCG(seed, 1)), counts: map[string]int{}}
	srv := httptest.NewServer(p)
	tb.Cleanup(srv.Close)
	return p, srv
}

func (p *faultProxy) count(fault string) {
	p.mu.Lock()
	p.counts[fault]++
	p.mu.Unlock()
}

func (p *faultProxy) Counts() map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := map[string]int{}
	for k, v := range p.counts {
		out[k] = v
	}
	return out
}

func reset(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		return
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0) // RST, not FIN
	}
	conn.Close()
}

func (p *faultProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.served.Add(1)
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	var req struct {
		ID     json.RawMessage `json:"id"`
		Method string          `json:"method"`
	}
	_ = json.Unmarshal(body, &req)
	p.mu.Lock()
	x := p.rng.IntN(100)
	p.mu.Unlock()
	switch {
	case x < 6:
		p.count("502")
		http.Error(w, "upstream unavailable", http.StatusBadGateway)
		return
	case x < 10:
		p.count("reset before forward")
		reset(w)
		return
	}
	resp, err := http.Post(p.upstream, "application/json", bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	out, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	switch {
	case x < 14:
		p.count("timeout after forward")
		select {
		case <-r.Context().Done():
		case <-time.After(p.stall):
		}
		return
	case x < 18:
		p.count("reset after forward")
		reset(w)
		return
	case x < 45 && req.Method == "eth_sendRawTransaction" && resp.StatusCode == http.StatusOK && !bytes.Contains(out, []byte(`"error"`)):
		p.count("already known after forward")
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"jsonrpc":"2.0","id":` + string(req.ID) + `,"error":{"code":-32000,"message":"already known"}}`))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(out)
}

// TestFaultyRPCAndNodeRestart runs the manager through a fault-injecting
// proxy, and in the middle stops the node (after dumping its state) and
// starts a new one from that state on a new port behind a new proxy; the
// manager finds it through its Endpoint resolver. Blocks mined after the
// dump are lost with the old node, like a deep reorg. Every transfer must end
// confirmed exactly once on the new node.
func TestFaultyRPCAndNodeRestart(t *testing.T) {
	seed := uint64(envInt(t, "GPUMARKET_TXM_SEED", 20261122))
	t.Logf("seed %d", seed)
	const n = 24
	e := newEnv(t, anvil.Config{BlockTime: 200 * time.Millisecond})
	p1, srv1 := newFaultProxy(t, e.chain.URL, seed, 600*time.Millisecond)
	var endpoint atomic.Pointer[string]
	endpoint.Store(&srv1.URL)
	m := e.manager(t, func(c *txmgr.Config) {
		c.Endpoint = func(context.Context) (string, error) { return *endpoint.Load(), nil }
		c.ChainID = anvil.ChainID // no RPC at construction: the proxy may fail it
		c.CallTimeout = 300 * time.Millisecond
		c.Confirmations = 4 // deeper than the blocks the restart can lose (~2)
	})

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return m.Run(gctx) })
	submit := func(from, to int) {
		for i := from; i < to; i++ {
			data := erc20.PackTransfer(e.chain.Addrs[crashRecipient(i)], bigInt(crashAmount(i)))
			if _, err := m.Submit(ctx, crashKey(i), addr(e.token), data, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	waitConfirmed := func(want int) {
		t.Helper()
		for i := 0; i < 6000; i++ { // hang guard: 2 minutes
			if stateCounts(t, e, e.chain.Addrs[senderI])[gpumarket.TxConfirmed] >= want {
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Fatalf("confirmed %v, want %d", stateCounts(t, e, e.chain.Addrs[senderI]), want)
	}
	submit(0, n/2)
	waitConfirmed(n / 4)

	// Node restart: dump, stop, start a new node from the dump on a new port.
	state, err := e.chain.DumpState(ctx)
	if err != nil {
		t.Fatal(err)
	}
	submit(n/2, 3*n/4) // some of these reach only the old node
	time.Sleep(300 * time.Millisecond)
	e.chain.Stop()
	statePath := writeState(t, state)
	node2, err := anvil.Start(ctx, anvil.Config{BlockTime: 200 * time.Millisecond, LoadState: statePath})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(node2.Stop)
	p2, srv2 := newFaultProxy(t, node2.URL, seed+1, 600*time.Millisecond)
	endpoint.Store(&srv2.URL)
	srv1.Close()
	t.Logf("node restarted: %s → %s", e.chain.URL, node2.URL)
	submit(3*n/4, n)
	waitConfirmed(n)
	cancel()
	if err := g.Wait(); err != nil {
		t.Fatalf("Run: %v", err)
	}

	client, err := ethclient.Dial(node2.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	e.chain.Client = client // assertions read the new node
	assertExactlyOnce(t, e, n, crashKey, crashRecipient, crashAmount)

	c1, c2 := p1.Counts(), p2.Counts()
	t.Logf("faults before restart %v, after %v; requests %d / %d; stats %+v", c1, c2, p1.served.Load(), p2.served.Load(), m.Stats())
	for _, fault := range []string{"502", "reset before forward", "timeout after forward", "reset after forward", "already known after forward"} {
		if c1[fault]+c2[fault] == 0 {
			t.Errorf("fault %q never injected: the test did not exercise it", fault)
		}
	}
	if p2.served.Load() == 0 {
		t.Error("the manager never reached the restarted node")
	}
}

func bigInt(v int64) *big.Int { return big.NewInt(v) }

// writeState stores an anvil_dumpState result (gzip JSON) where --load-state
// can read it (plain JSON).
func writeState(tb testing.TB, state []byte) string {
	tb.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(state))
	if err != nil {
		tb.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(tb.TempDir(), "state.json")
	if err := os.WriteFile(path, plain, 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

// TestRestartResendsStoredBytes is the crash between "signed and stored"
// and "broadcast", made deterministic: the first manager's node refuses every
// eth_sendRawTransaction (502), so its intent stays signed; a new manager
// (a restarted process) sends the journaled raw bytes unchanged, at the same
// nonce, without signing anything new.
func TestRestartResendsStoredBytes(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, anvil.Config{})
	blockSends := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if bytes.Contains(body, []byte(`"eth_sendRawTransaction"`)) {
			http.Error(w, "node going down", http.StatusBadGateway)
			return
		}
		resp, err := http.Post(e.chain.URL, "application/json", bytes.NewReader(body))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.Copy(w, resp.Body)
	}))
	defer blockSends.Close()
	first := e.manager(t, func(c *txmgr.Config) {
		c.Endpoint = func(context.Context) (string, error) { return blockSends.URL, nil }
	})
	if _, err := first.Submit(ctx, "accept-77", addr(e.token), transfer(e.chain.Addrs[7], 77), nil); err != nil {
		t.Fatal(err)
	}
	if err := first.Tick(ctx); !errors.Is(err, node.ErrUnavailable) {
		t.Fatalf("tick with sends refused: %v, want %v", err, node.ErrUnavailable)
	}
	signed, err := first.Intent(ctx, "accept-77")
	if err != nil {
		t.Fatal(err)
	}
	if signed.State != gpumarket.TxSigned || len(signed.Raw) == 0 || e.nonceAt(t, e.chain.Addrs[senderI]) != 0 {
		t.Fatalf("before restart: state %s, %d raw bytes; want signed and stored, nothing on chain", signed.State, len(signed.Raw))
	}
	first.Close() // the process "dies"

	second := e.manager(t, nil) // restarted: Reconcile, then ticks
	final := drive(t, second, "accept-77", gpumarket.TxConfirmed, 10, e.mine(t))
	if final.MinedHash != signed.Hash || final.Attempts != 1 || final.Nonce != signed.Nonce {
		t.Errorf("after restart mined %s (attempts %d, nonce %d), want the stored %s (1 attempt, nonce %d)", final.MinedHash, final.Attempts, final.Nonce, signed.Hash, signed.Nonce)
	}
	tx := e.transaction(t, final.MinedHash)
	raw, err := tx.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(raw, signed.Raw) {
		t.Error("the mined transaction's bytes differ from the journaled raw tx")
	}
	if got, want := e.balance(t, 7), plus(minted, 77); got.Cmp(want) != 0 {
		t.Errorf("balance = %v, want %v", got, want)
	}
}
