package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/client"
	"github.com/gpumarket/gpumarket/internal/eth/ethtest"
	"github.com/gpumarket/gpumarket/internal/eth/keys"
	"github.com/gpumarket/gpumarket/internal/eth/market"
)

// stubMatcher answers the routes Submit uses: a quote with one qualifying
// provider and a band of 0.1 – 0.3 USDT, and spec uploads.
func stubMatcher(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/chains/{chainId}/quote", func(w http.ResponseWriter, r *http.Request) {
		json.NewEncoder(w).Encode(map[string]any{"total": "200000", "band_low": "100000", "band_high": "300000",
			"qualifying": []map[string]string{{"provider": "0x0000000000000000000000000000000000000001", "cost": "200000"}}})
	})
	mux.HandleFunc("POST /v1/specs", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(map[string]any{"spec_hash": keys.Keccak256(b)})
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// gasRelay is an OrderRelay that submits orders from its own account (dev
// account 5), as the matcher's POST /v1/orders will.
type gasRelay struct {
	t *testing.T
	s *ethtest.System
	m *market.Market
}

func (g *gasRelay) SubmitOrder(ctx context.Context, o client.SignedOrder) (gpumarket.JobID, gpumarket.Hash, error) {
	var call market.Call
	var err error
	if o.Permit != nil {
		call, err = g.m.CreateJobFromOrderWithPermit(&o.Order, o.Signature, o.Permit)
	} else {
		call, err = g.m.CreateJobFromOrder(&o.Order, o.Signature)
	}
	if err != nil {
		return 0, gpumarket.Hash{}, err
	}
	r, err := g.m.Transact(ctx, g.s.Opts(g.t, 5), call)
	if err != nil {
		return 0, gpumarket.Hash{}, err
	}
	id, err := market.CreatedJobID(g.m.Address(), g.m.RegistryAddress(), r)
	return id, r.TxHash, err
}

// notifier wakes Watch on demand.
type notifier struct{ ch chan struct{} }

func (n *notifier) Notify(context.Context, uint64, gpumarket.JobID) (<-chan struct{}, error) {
	return n.ch, nil
}

// TestGaslessOrderAndWatchWakeup: with FundOrder the job is created from a
// signed order (and permit) that someone else sends, the client sending no
// transaction; Watch, polling only hourly, returns as soon as the Notifier
// wakes it after the job changed (here: cancelled).
func TestGaslessOrderAndWatchWakeup(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s := ethtest.DeploySystem(t, ethtest.SystemConfig{})
	path := filepath.Join(t.TempDir(), "deployment.json")
	if err := s.WriteDeploymentFile(path); err != nil {
		t.Fatal(err)
	}
	d, err := gpumarket.LoadDeployment(path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := market.NewMarket(s.ChainID, gpumarket.Address(s.Market), gpumarket.Address(s.Registry), s.Client)
	if err != nil {
		t.Fatal(err)
	}
	wake := &notifier{ch: make(chan struct{}, 1)}
	c, err := client.Dial(ctx, client.Config{MatcherURL: stubMatcher(t).URL, RPCURL: s.URL, Deployment: d, Key: s.Key(2),
		Orders: &gasRelay{t: t, s: s, m: m}, Notifier: wake, PollInterval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	usdt, err := c.Token(ctx, "usdt")
	if err != nil || usdt.Decimals != 6 {
		t.Fatalf("Token(usdt) = %+v, %v", usdt, err)
	}
	spec, err := c.BuildSpec(ctx, client.SpecRequest{Kind: gpumarket.JobKindLLM, Model: "m", Params: map[string]any{"prompt": "hi"}})
	if err != nil {
		t.Fatal(err)
	}
	nonce, err := m.Nonce(ctx, c.Address())
	if err != nil {
		t.Fatal(err)
	}
	max, _ := usdt.Parse("0.25")

	// Below the band: refused before anything is signed or sent.
	low, _ := usdt.Parse("0.05")
	if _, err := c.Submit(ctx, client.SubmitRequest{Spec: spec, Token: usdt, MaxPrice: low, Funding: client.FundOrder}); !errors.Is(err, client.ErrBelowBand) {
		t.Fatalf("Submit(below band) = %v, want ErrBelowBand", err)
	}
	// In the band but below the only qualifying provider's price (0.2): no
	// provider would take it, so it is refused too, naming that price.
	mid, _ := usdt.Parse("0.15")
	if _, err := c.Submit(ctx, client.SubmitRequest{Spec: spec, Token: usdt, MaxPrice: mid, Funding: client.FundOrder}); !errors.Is(err, client.ErrBelowBand) || !strings.Contains(err.Error(), "the cheapest of 1 asks 0.2") {
		t.Fatalf("Submit(below the cheapest provider) = %v, want ErrBelowBand naming 0.2", err)
	}

	sub, err := c.Submit(ctx, client.SubmitRequest{Spec: spec, Token: usdt, MaxPrice: max, Funding: client.FundOrder})
	if err != nil {
		t.Fatalf("Submit(order) = %v", err)
	}
	if sub.FundedBy != "order+permit" {
		t.Errorf("funded by %q, want order+permit", sub.FundedBy)
	}
	if n, err := m.Nonce(ctx, c.Address()); err != nil || n != nonce {
		t.Errorf("the client's nonce went from %d to %d (%v): it sent a transaction", nonce, n, err)
	}
	st, err := c.Status(ctx, sub.JobID)
	if err != nil || st.State() != gpumarket.JobStateOpen || st.Job.Client != c.Address() || st.Job.MaxPayment.Cmp(max) != 0 {
		t.Fatalf("Status = %+v, %v; want open, the client's, max %s", st, err, max)
	}

	done := make(chan *client.Status, 1)
	go func() {
		st, err := c.Watch(ctx, sub.JobID, client.UntilFinal, nil)
		if err != nil {
			t.Errorf("Watch: %v", err)
		}
		done <- st
	}()
	if _, err := c.Cancel(ctx, sub.JobID); err != nil {
		t.Fatalf("Cancel: %v", err)
	}
	wake.ch <- struct{}{}
	select {
	case st := <-done:
		if st == nil || st.State() != gpumarket.JobStateCancelled {
			t.Fatalf("Watch ended with %v, want cancelled", st)
		}
	case <-ctx.Done():
		t.Fatal("Watch did not wake on the notification")
	}
	// A cancelled job cannot be cancelled or refunded again; nothing is sent.
	nonce, _ = m.Nonce(ctx, c.Address())
	if _, err := c.Cancel(ctx, sub.JobID); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Errorf("Cancel(cancelled) = %v, want EINVALID", err)
	}
	if _, err := c.Refund(ctx, sub.JobID); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Errorf("Refund(cancelled) = %v, want EINVALID", err)
	}
	if n, _ := m.Nonce(ctx, c.Address()); n != nonce {
		t.Errorf("a refused action sent a transaction")
	}
}

// TestDialWrongChain: a deployment for another chain than the node's is
// refused with ErrWrongChain (EINVALID) before anything else.
func TestDialWrongChain(t *testing.T) {
	s := ethtest.DeploySystem(t, ethtest.SystemConfig{})
	path := filepath.Join(t.TempDir(), "deployment.json")
	if err := s.WriteDeploymentFile(path); err != nil {
		t.Fatal(err)
	}
	d, err := gpumarket.LoadDeployment(path)
	if err != nil {
		t.Fatal(err)
	}
	d.ChainID = 999
	_, err = client.Dial(context.Background(), client.Config{MatcherURL: "http://127.0.0.1:1", RPCURL: s.URL, Deployment: d, Key: s.Key(2)})
	if !errors.Is(err, client.ErrWrongChain) || gpumarket.ErrorCode(err) != gpumarket.EINVALID || !strings.Contains(err.Error(), "deployment is for chain 999") {
		t.Fatalf("Dial(wrong chain) = %v, want ErrWrongChain naming both chains", err)
	}
}
