package indexer_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket/internal/eth/node"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/indexer"
	"github.com/gpumarket/gpumarket/internal/anvil"
)

// faultProxy forwards JSON-RPC to anvil and injects the faults real nodes
// and providers produce. Faults are drawn from a seeded generator.
type faultProxy struct {
	target string
	mu     sync.Mutex
	rng    *rand.Rand
	counts map[string]int
}

func (p *faultProxy) draw() float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.rng.Float64()
}

func (p *faultProxy) count(kind string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.counts[kind]++
}

func (p *faultProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var req struct {
		Method string            `json:"method"`
		Params []json.RawMessage `json:"params"`
		ID     json.RawMessage   `json:"id"`
	}
	_ = json.Unmarshal(body, &req) // batches stay unparsed and are only forwarded or failed whole
	x := p.draw()
	switch {
	case x < 0.05:
		p.count("429")
		http.Error(w, `{"error":"rate limit exceeded"}`, http.StatusTooManyRequests)
		return
	case x < 0.10:
		p.count("timeout")
		time.Sleep(400 * time.Millisecond) // the source's timeout is 250ms
		return
	case x < 0.13:
		p.count("500")
		http.Error(w, "bad gateway", http.StatusBadGateway)
		return
	}
	if req.Method == "eth_getLogs" && len(req.Params) == 1 {
		var f struct {
			From      string `json:"fromBlock"`
			To        string `json:"toBlock"`
			BlockHash string `json:"blockHash"`
		}
		_ = json.Unmarshal(req.Params[0], &f)
		if f.From != "" && f.To != "" {
			from, _ := strconv.ParseUint(strings.TrimPrefix(f.From, "0x"), 16, 64)
			to, _ := strconv.ParseUint(strings.TrimPrefix(f.To, "0x"), 16, 64)
			if to-from+1 > 4 {
				p.count("too_many_results")
				fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%s,"error":{"code":-32005,"message":"query returned more than 10000 results. Try with this block range [0x%x, 0x%x]."}}`, req.ID, from, from+2)
				return
			}
		}
		if f.BlockHash != "" && x < 0.6 {
			p.count("lagging_empty_logs")
			fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%s,"result":[]}`, req.ID)
			return
		}
	}
	resp, err := http.Post(p.target, "application/json", bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if x > 0.95 && len(out) > 20 {
		p.count("truncated")
		out = out[:len(out)/2]
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(resp.StatusCode)
	_, _ = w.Write(out)
}

// TestFaultyNode indexes through a proxy injecting 429s, timeouts, 5xx,
// "more than 10000 results" with a suggested range, truncated bodies and a
// lagging node that answers empty logs by block hash. Every failed step is
// retried; in the end the database equals the chain, with nothing lost or
// doubled, and every kind of fault was exercised.
func TestFaultyNode(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := newRig(t, anvil.Config{SlotsInEpoch: 2})
	r.transfers(20, 1)

	proxy := &faultProxy{target: r.chain.URL, rng: rand.New(rand.NewPCG(7, 11)), counts: map[string]int{}}
	srv := httptest.NewServer(proxy)
	defer srv.Close()
	src, err := node.Dial(ctx, srv.URL, []gpumarket.Address{gpumarket.Address(r.token)}, 250*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	r.source = src
	ix := r.indexer("a", indexer.Config{InitialRange: 16, MaxRange: 16})

	steady := func() {
		idle := 0
		for i := 0; i < 5000 && idle < 3; i++ {
			progressed, err := ix.Step(ctx)
			switch {
			case err != nil && (errors.Is(err, indexer.ErrCritical) || errors.Is(err, gpumarket.ErrReorgBelowFinality)):
				t.Fatalf("critical error from injected transient faults: %v", err)
			case err != nil:
				idle = 0
			case progressed:
				idle = 0
			default:
				idle++
			}
		}
	}
	steady()
	r.transfers(12, 2) // live tail through the faulty node
	steady()

	// Compare through a clean connection.
	clean, err := node.Dial(ctx, r.chain.URL, []gpumarket.Address{gpumarket.Address(r.token)}, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer clean.Close()
	r.source = clean
	r.assertMirror()
	for _, kind := range []string{"429", "timeout", "500", "too_many_results", "lagging_empty_logs"} {
		if proxy.counts[kind] == 0 {
			t.Errorf("fault %q was never injected; the test did not exercise it (counts %v)", kind, proxy.counts)
		}
	}
	t.Logf("faults injected: %v", proxy.counts)
}

// refusingNode answers every eth_getLogs with "too many results" and
// forwards everything else: the range narrows to one block, which keeps
// failing, and the indexer must stop with ErrCritical instead of retrying
// forever.
type refusingNode struct{ target string }

func (p refusingNode) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var req struct {
		Method string          `json:"method"`
		ID     json.RawMessage `json:"id"`
	}
	_ = json.Unmarshal(body, &req)
	if req.Method == "eth_getLogs" {
		fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%s,"error":{"code":-32005,"message":"query returned more than 10000 results"}}`, req.ID)
		return
	}
	resp, err := http.Post(p.target, "application/json", bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.Copy(w, resp.Body)
}

func TestSingleBlockThatKeepsFailingIsCritical(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := newRig(t, anvil.Config{SlotsInEpoch: 2})
	r.transfers(12, 1)
	srv := httptest.NewServer(refusingNode{target: r.chain.URL})
	defer srv.Close()
	src, err := node.Dial(ctx, srv.URL, []gpumarket.Address{gpumarket.Address(r.token)}, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	r.source = src
	ix := r.indexer("a", indexer.Config{InitialRange: 8})
	var stepErr error
	steps := 0
	for ; steps < 100; steps++ {
		if _, stepErr = ix.Step(ctx); errors.Is(stepErr, indexer.ErrCritical) {
			break
		}
	}
	if !errors.Is(stepErr, indexer.ErrCritical) {
		t.Fatalf("after %d steps against a node refusing every range: %v, want ErrCritical", steps, stepErr)
	}
	// 8 -> 4 -> 2 -> 1, then the single block fails maxSingleFails (5) times.
	if calls := steps + 1; calls != 3+5 {
		t.Errorf("ErrCritical after %d steps, want 8 (three narrowings, then five one-block failures)", calls)
	}
	if logs, _ := r.store.Logs(ctx, anvil.ChainID, 0, 1<<40); len(logs) != 0 {
		t.Fatalf("stored %d logs although every log query failed", len(logs))
	}
}
