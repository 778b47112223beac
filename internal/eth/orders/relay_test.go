package orders_test

import (
	"bytes"
	"context"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/internal/eth/ethtest"
	"github.com/gpumarket/gpumarket/internal/eth/market"
	"github.com/gpumarket/gpumarket/internal/eth/orders"
	"github.com/gpumarket/gpumarket/internal/eth/txmgr"
	"github.com/gpumarket/gpumarket/internal/pgtest"
	"github.com/gpumarket/gpumarket/internal/postgres"
	"github.com/gpumarket/gpumarket/matcher"
	"github.com/gpumarket/gpumarket/matcher/api"
	"github.com/gpumarket/gpumarket/matcher/client"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// Dev accounts of these tests.
const (
	operator = 1 // the matcher operator: sends the orders
	alice    = 2 // a client who approved the marketplace
	bob      = 3 // a client who approved nothing
	carol    = 4 // a client who approved more than she holds
)

type env struct {
	t   *testing.T
	ctx context.Context
	s   *ethtest.System
	m   *market.Market
	dsn string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	s := ethtest.DeploySystem(t, ethtest.SystemConfig{})
	m, err := market.NewMarket(s.ChainID, gpumarket.Address(s.Market), gpumarket.Address(s.Registry), s.Client)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, ctx: context.Background(), s: s, m: m, dsn: pgtest.URL(t)}
	approve, err := m.Approve(gpumarket.Address(s.Stablecoin), m.Address(), big.NewInt(1e12))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Transact(e.ctx, s.Opts(t, alice), approve); err != nil {
		t.Fatal(err)
	}
	return e
}

// matcherProcess is one run of the matcher's order relay: a transaction
// manager on the journal, the relay, the API and a client of it.
type matcherProcess struct {
	tm     *txmgr.Manager
	client *client.Client
	url    string
	stop   func()
}

func (e *env) startMatcher() *matcherProcess { return e.startMatcherWith(true, 0) }

// startMatcherWith starts the relay; with run false its transaction
// manager records intents but never sends (a matcher that stops before
// its manager's first tick).
func (e *env) startMatcherWith(run bool, signWait time.Duration) *matcherProcess {
	e.t.Helper()
	db, err := postgres.Open(e.ctx, e.dsn)
	if err != nil {
		e.t.Fatal(err)
	}
	url := e.s.URL
	tm, err := txmgr.New(e.ctx, txmgr.Config{Endpoint: func(context.Context) (string, error) { return url, nil },
		Key: e.s.Key(operator), Journal: postgres.NewJournal(db), Confirmations: 1, PollInterval: 20 * time.Millisecond,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		e.t.Fatal(err)
	}
	relay, err := orders.New(e.m, tm, signWait)
	if err != nil {
		e.t.Fatal(err)
	}
	verifier, err := eip712.NewRegistryVerifier(e.s.ChainID.Uint64(), gpumarket.Address(e.s.Registry))
	if err != nil {
		e.t.Fatal(err)
	}
	srv, err := api.New(api.Config{ChainID: e.s.ChainID.Uint64(), Params: matcher.DefaultParams(),
		Quote: matcher.QuoteParams{MinimumPrice: big.NewInt(1000), ProtocolFeeBps: 250}, Liveness: matcher.DefaultLivenessParams(),
		Orders: relay}, nil, verifier, nil, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	mc, err := client.New(ts.URL, e.s.ChainID.Uint64(), nil)
	if err != nil {
		e.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(e.ctx)
	done := make(chan error, 1)
	if run {
		go func() { done <- tm.Run(ctx) }()
	} else {
		done <- nil
	}
	p := &matcherProcess{tm: tm, client: mc, url: ts.URL}
	stopped := false
	p.stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		if err := <-done; err != nil {
			e.t.Errorf("tx manager: %v", err)
		}
		ts.Close()
		tm.Close()
		db.Close()
	}
	e.t.Cleanup(p.stop)
	return p
}

func (e *env) chainNow() uint64 {
	e.t.Helper()
	_, now, err := e.m.ChainTime(e.ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	return now
}

// order returns a signed order of client with nonce, under domain d (the
// marketplace's when nil), signed by signer's key.
func (e *env) order(client, signer int, nonce int64, maxPayment *big.Int, d *eip712.Domain) gpumarket.OrderRequest {
	e.t.Helper()
	now := e.chainNow()
	o := &eip712.JobOrder{
		Params: eip712.JobParams{Kind: gpumarket.JobKindRender, Token: gpumarket.Address(e.s.Stablecoin), MaxPayment: maxPayment,
			Deadline: now + 1800, SpecHash: gpumarket.Hash{0xab}, SpecURI: "https://specs.example/ab"},
		Auth: eip712.OrderAuth{Client: gpumarket.Address(e.s.Addrs[client]), Nonce: big.NewInt(nonce), Expiry: now + 600},
	}
	dom := e.m.Domain()
	if d != nil {
		dom = *d
	}
	sig, err := eip712.SignJobOrder(e.s.Key(signer), dom, o)
	if err != nil {
		e.t.Fatal(err)
	}
	req, err := orders.Request(o, sig, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return req
}

func (e *env) nextJobID() gpumarket.JobID {
	e.t.Helper()
	id, err := e.m.NextJobID(e.ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	return id
}

// sent returns how many transactions the operator has sent (its nonce).
func (e *env) sent() uint64 {
	e.t.Helper()
	n, err := e.m.Nonce(e.ctx, gpumarket.Address(e.s.Addrs[operator]))
	if err != nil {
		e.t.Fatal(err)
	}
	return n
}

func waitMined(t *testing.T, mc *client.Client, req gpumarket.OrderRequest) gpumarket.OrderStatus {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		st, err := mc.Order(context.Background(), req.Auth.Client, req.Auth.Nonce)
		if err != nil {
			t.Fatalf("Order(%s) = %v", req.OrderID(), err)
		}
		if st.State != gpumarket.OrderPending {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("order %s still pending: %+v", req.OrderID(), st)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestOrderCreatesJobOnce posts a valid order twice, restarts the matcher
// and posts it again: one transaction, one job, the same answer each time.
func TestOrderCreatesJobOnce(t *testing.T) {
	e := newEnv(t)
	first := e.nextJobID()
	req := e.order(alice, alice, 7, big.NewInt(2_000_000), nil)

	p := e.startMatcher()
	st, err := p.client.SubmitOrder(e.ctx, req)
	if err != nil {
		t.Fatalf("SubmitOrder = %v", err)
	}
	if st.OrderID != req.OrderID() || st.State == gpumarket.OrderFailed || st.TxHash == nil {
		t.Fatalf("SubmitOrder = %+v, want order %s accepted with its transaction hash", st, req.OrderID())
	}
	again, err := p.client.SubmitOrder(e.ctx, req)
	if err != nil {
		t.Fatalf("SubmitOrder (again) = %v", err)
	}
	if again.OrderID != st.OrderID {
		t.Fatalf("SubmitOrder (again) = %+v, want the same order as %+v", again, st)
	}
	mined := waitMined(t, p.client, req)
	if mined.State != gpumarket.OrderMined || mined.JobID == nil || *mined.JobID != first.String() || mined.TxHash == nil {
		t.Fatalf("order status = %+v, want mined as job %s", mined, first)
	}

	// A restarted matcher (a new manager on the same journal) answers the
	// same and sends nothing.
	p.stop()
	p = e.startMatcher()
	after, err := p.client.SubmitOrder(e.ctx, req)
	if err != nil {
		t.Fatalf("SubmitOrder after restart = %v", err)
	}
	if after.State != gpumarket.OrderMined || after.JobID == nil || *after.JobID != first.String() || *after.TxHash != *mined.TxHash {
		t.Fatalf("SubmitOrder after restart = %+v, want %+v", after, mined)
	}
	// Another order under the used nonce is refused.
	other := e.order(alice, alice, 7, big.NewInt(3_000_000), nil)
	if _, err := p.client.SubmitOrder(e.ctx, other); gpumarket.ErrorCode(err) != gpumarket.ECONFLICT {
		t.Fatalf("SubmitOrder(another order, nonce 7) = %v, want a conflict", err)
	}
	time.Sleep(200 * time.Millisecond) // a wrongly re-sent tx would be mined by now (automine)
	if got := e.nextJobID(); got != first+1 {
		t.Fatalf("next job id = %d, want %d: exactly one job", got, first+1)
	}
	if n := e.sent(); n != 1 {
		t.Fatalf("operator sent %d transactions, want 1", n)
	}
	job, err := e.m.JobHash(e.ctx, first)
	if err != nil || job.IsZero() {
		t.Fatalf("job %d hash = %v, %v: not created", first, job, err)
	}
}

// TestOrderSentAfterRestart: a matcher that recorded an order but stopped
// before sending it sends it once after a restart, and a client's retry
// in between or after changes nothing.
func TestOrderSentAfterRestart(t *testing.T) {
	e := newEnv(t)
	first := e.nextJobID()
	req := e.order(alice, alice, 11, big.NewInt(1_000_000), nil)
	p := e.startMatcherWith(false, -1)
	st, err := p.client.SubmitOrder(e.ctx, req)
	if err != nil || st.State != gpumarket.OrderPending || st.TxHash != nil {
		t.Fatalf("SubmitOrder (manager not running) = %+v, %v, want pending with no transaction yet", st, err)
	}
	p.stop()
	if n := e.sent(); n != 0 {
		t.Fatalf("operator sent %d transactions before the restart, want 0", n)
	}
	p = e.startMatcher()
	if _, err := p.client.SubmitOrder(e.ctx, req); err != nil {
		t.Fatalf("SubmitOrder (retry after restart) = %v", err)
	}
	mined := waitMined(t, p.client, req)
	if mined.State != gpumarket.OrderMined || mined.JobID == nil || *mined.JobID != first.String() {
		t.Fatalf("order status = %+v, want mined as job %s", mined, first)
	}
	time.Sleep(200 * time.Millisecond)
	if got, n := e.nextJobID(), e.sent(); got != first+1 || n != 1 {
		t.Fatalf("next job id %d, operator sent %d, want %d and 1", got, n, first+1)
	}
}

// TestOrderWithPermit: a client that approved nothing and holds no gas
// posts an order with an EIP-2612 permit; the job is created from its funds.
func TestOrderWithPermit(t *testing.T) {
	e := newEnv(t)
	p := e.startMatcher()
	now := e.chainNow()
	pay := big.NewInt(3_000_000)
	o := &eip712.JobOrder{
		Params: eip712.JobParams{Kind: gpumarket.JobKindTTS, Token: gpumarket.Address(e.s.Stablecoin), MaxPayment: pay,
			Deadline: now + 1800, SpecHash: gpumarket.Hash{0xee}, SpecURI: "https://specs.example/ee"},
		Auth: eip712.OrderAuth{Client: gpumarket.Address(e.s.Addrs[bob]), Nonce: big.NewInt(1), Expiry: now + 600},
	}
	sig, err := eip712.SignJobOrder(e.s.Key(bob), e.m.Domain(), o)
	if err != nil {
		t.Fatal(err)
	}
	td, err := e.m.TokenDomain(e.ctx, o.Params.Token)
	if err != nil {
		t.Fatal(err)
	}
	pn, err := e.m.PermitNonce(e.ctx, o.Params.Token, o.Auth.Client)
	if err != nil {
		t.Fatal(err)
	}
	permit, err := eip712.SignPermit(e.s.Key(bob), td, &eip712.Permit{Owner: o.Auth.Client, Spender: e.m.Address(), Value: pay, Nonce: pn,
		Deadline: new(big.Int).SetUint64(now + 600)})
	if err != nil {
		t.Fatal(err)
	}
	req, err := orders.Request(o, sig, &permit)
	if err != nil {
		t.Fatal(err)
	}
	before, err := e.m.TokenBalance(e.ctx, o.Params.Token, o.Auth.Client)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.client.SubmitOrder(e.ctx, req); err != nil {
		t.Fatalf("SubmitOrder(with permit) = %v", err)
	}
	if st := waitMined(t, p.client, req); st.State != gpumarket.OrderMined {
		t.Fatalf("order status = %+v, want mined", st)
	}
	after, err := e.m.TokenBalance(e.ctx, o.Params.Token, o.Auth.Client)
	if err != nil {
		t.Fatal(err)
	}
	if new(big.Int).Sub(before, after).Cmp(pay) != 0 {
		t.Fatalf("bob's balance %v -> %v, want %v locked from it", before, after, pay)
	}
}

// TestOrderRefusals: every bad order gets a 4xx naming the problem, and
// nothing is recorded or sent.
func TestOrderRefusals(t *testing.T) {
	e := newEnv(t)
	p := e.startMatcher()
	// Alice cancels nonce 5 herself: a used nonce.
	cancelNonce, err := e.m.CancelOrderNonce(big.NewInt(5))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.m.Transact(e.ctx, e.s.Opts(t, alice), cancelNonce); err != nil {
		t.Fatal(err)
	}
	// Carol approves twice what she holds.
	approve, err := e.m.Approve(gpumarket.Address(e.s.Stablecoin), e.m.Address(), big.NewInt(2e12))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.m.Transact(e.ctx, e.s.Opts(t, carol), approve); err != nil {
		t.Fatal(err)
	}
	otherChain := eip712.MarketDomain(big.NewInt(1), e.m.Address())
	otherContract := eip712.MarketDomain(e.s.ChainID, gpumarket.Address(e.s.Registry))
	pay := big.NewInt(2_000_000)
	tests := []struct {
		name     string
		req      func() gpumarket.OrderRequest
		wantCode string
		wantMsg  string
	}{
		{"signed by someone else", func() gpumarket.OrderRequest { return e.order(alice, bob, 1, pay, nil) }, gpumarket.EUNAUTHORIZED, "signature is not the client's"},
		{"signed for another chain", func() gpumarket.OrderRequest { return e.order(alice, alice, 1, pay, &otherChain) }, gpumarket.EUNAUTHORIZED, "another chain"},
		{"signed for another contract", func() gpumarket.OrderRequest { return e.order(alice, alice, 1, pay, &otherContract) }, gpumarket.EUNAUTHORIZED, "signature"},
		{"a field changed after signing", func() gpumarket.OrderRequest {
			r := e.order(alice, alice, 1, pay, nil)
			r.Params.MaxPayment = gpumarket.AmountFromUint64(1)
			return r
		}, gpumarket.EUNAUTHORIZED, "signature"},
		{"used nonce", func() gpumarket.OrderRequest { return e.order(alice, alice, 5, pay, nil) }, gpumarket.ECONFLICT, "nonce 5 is already used"},
		{"expired order", func() gpumarket.OrderRequest {
			now := e.chainNow()
			o := &eip712.JobOrder{Params: eip712.JobParams{Kind: gpumarket.JobKindRender, Token: gpumarket.Address(e.s.Stablecoin), MaxPayment: pay,
				Deadline: now + 1800, SpecHash: gpumarket.Hash{1}}, Auth: eip712.OrderAuth{Client: gpumarket.Address(e.s.Addrs[alice]), Nonce: big.NewInt(2), Expiry: now - 1}}
			sig, err := eip712.SignJobOrder(e.s.Key(alice), e.m.Domain(), o)
			if err != nil {
				t.Fatal(err)
			}
			r, err := orders.Request(o, sig, nil)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}, gpumarket.EINVALID, "deadline"},
		{"no allowance", func() gpumarket.OrderRequest { return e.order(bob, bob, 1, pay, nil) }, gpumarket.EINVALID, "ERC20InsufficientAllowance"},
		{"balance below max payment", func() gpumarket.OrderRequest { return e.order(carol, carol, 1, big.NewInt(15e11), nil) }, gpumarket.EINVALID, "ERC20InsufficientBalance"},
		{"token not allowed", func() gpumarket.OrderRequest {
			r := e.order(alice, alice, 9, pay, nil)
			r.Params.Token = gpumarket.Address(e.s.StakingToken)
			o, _, _, err := orders.JobOrder(&r)
			if err != nil {
				t.Fatal(err)
			}
			sig, err := eip712.SignJobOrder(e.s.Key(alice), e.m.Domain(), o)
			if err != nil {
				t.Fatal(err)
			}
			r, err = orders.Request(o, sig, nil)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}, gpumarket.EINVALID, "TokenNotAllowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := tt.req()
			_, err := p.client.SubmitOrder(e.ctx, req)
			if gpumarket.ErrorCode(err) != tt.wantCode || !strings.Contains(gpumarket.ErrorMessage(err), tt.wantMsg) {
				t.Fatalf("SubmitOrder = %v, want %s naming %q", err, tt.wantCode, tt.wantMsg)
			}
			if _, err := p.client.Order(e.ctx, req.Auth.Client, req.Auth.Nonce); gpumarket.ErrorCode(err) != gpumarket.ENOTFOUND {
				t.Fatalf("Order(%s) = %v, want not found: a refused order is not recorded", req.OrderID(), err)
			}
		})
	}

	// Malformed bodies are refused before any check.
	for _, body := range []string{`{"params":{}}`, `{"params":{},"auth":{},"signature":"0x","permit":null,"extra":1}`, `not json`} {
		res, err := http.Post(p.url+"/v1/orders", "application/json", bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusBadRequest {
			t.Fatalf("POST /v1/orders %s = %d, want 400", body, res.StatusCode)
		}
	}
	intents, err := postgres.NewJournal(pgtest.Open(t, e.dsn)).Intents(e.ctx, e.s.ChainID.Uint64(), gpumarket.Address(e.s.Addrs[operator]), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(intents) != 0 {
		t.Fatalf("journal holds %d intents after refusals, want 0", len(intents))
	}
	if n := e.sent(); n != 0 {
		t.Fatalf("operator sent %d transactions, want 0", n)
	}
	if got := e.nextJobID(); got != 1 {
		t.Fatalf("next job id = %d, want 1: no job created", got)
	}
}

// TestNoRelay: a matcher without an operator key says so.
func TestNoRelay(t *testing.T) {
	verifier, err := eip712.NewRegistryVerifier(31337, gpumarket.Address{1})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := api.New(api.Config{ChainID: 31337, Params: matcher.DefaultParams(),
		Quote: matcher.QuoteParams{MinimumPrice: big.NewInt(1000), ProtocolFeeBps: 250}, Liveness: matcher.DefaultLivenessParams()}, nil, verifier, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	res, err := http.Get(ts.URL + "/v1/orders/0x0000000000000000000000000000000000000001/1")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotImplemented {
		t.Fatalf("GET order without a relay = %d, want 501", res.StatusCode)
	}
}
