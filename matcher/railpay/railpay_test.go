package railpay_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math/big"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/pgtest"
	"github.com/gpumarket/gpumarket/internal/postgres"
	"github.com/gpumarket/gpumarket/internal/postgres/postgrestest"
	"github.com/gpumarket/gpumarket/internal/solana"
	st "github.com/gpumarket/gpumarket/internal/solana/solanatest"
	"github.com/gpumarket/gpumarket/matcher/railpay"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// dispatcher is a relayer that keys hand-offs by quote id, as the
// Dispatcher contract asks: it counts hand-offs and runs each job once.
type dispatcher struct {
	mu       sync.Mutex
	handoffs map[int64]int
	fail     bool
}

func (d *dispatcher) Dispatch(_ context.Context, j gpumarket.RailJob, q gpumarket.RailQuote) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.fail {
		return errors.New("relayer unreachable")
	}
	if j.QuoteID != q.ID || j.State != gpumarket.RailJobFunded {
		return errors.New("handed a job that is not funded or not its quote's")
	}
	if d.handoffs == nil {
		d.handoffs = map[int64]int{}
	}
	d.handoffs[j.QuoteID]++
	return nil
}

func (d *dispatcher) count(id int64) int { d.mu.Lock(); defer d.mu.Unlock(); return d.handoffs[id] }

type env struct {
	t     *testing.T
	node  *st.Node
	store *postgres.RailQuoteStore
	sql   *postgrestest.SQL
	d     *dispatcher
	now   time.Time
}

func newEnv(t *testing.T) *env {
	t.Helper()
	url := pgtest.URL(t)
	return &env{t: t, node: st.NewNode(t, st.GenesisMainnet), store: postgres.NewRailQuoteStore(pgtest.Open(t, url)),
		sql: postgrestest.Open(t, url), d: &dispatcher{}, now: time.Unix(st.BlockTimeSOLMemo-60, 0)}
}

// service starts a payment path on the env's store and node: a fresh one
// stands for a restarted process.
func (e *env) service(store railpay.Store) *railpay.Service {
	e.t.Helper()
	if store == nil {
		store = e.store
	}
	checker, err := solana.NewQuotePayments(context.Background(), solana.NewRPC(e.node.URL), st.GenesisMainnet, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	s, err := railpay.New(railpay.Config{}, store, checker, e.d, nil, func() time.Time { return e.now }, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

var provider = gpumarket.Address{0xaa, 0x01}

func (e *env) quote(s *railpay.Service, recipient, mint string, amount int64) gpumarket.RailQuote {
	e.t.Helper()
	dec := uint8(9)
	if mint != "" {
		dec = 6
	}
	q, err := s.Quote(context.Background(), railpay.Offer{ChainID: 31337, Provider: provider, Recipient: recipient, Mint: mint,
		Decimals: dec, Amount: big.NewInt(amount), SpecHash: gpumarket.Hash{1}, Breakdown: json.RawMessage(`{"total":"7"}`)})
	if err != nil {
		e.t.Fatalf("Quote() error = %v", err)
	}
	return q
}

// paySOL puts the recorded SOL transfer (1,000,000 lamports to
// SOLRecipient at BlockTimeSOLMemo), derived to carry refs, on the node.
func (e *env) paySOL(refs ...string) {
	e.node.Pay(e.t, st.SigSOLMemo, st.WithReference(e.t, st.Result(e.t, st.FxSOLMemo), refs...), "[8] transfer", refs...)
}

// paySOLAgain puts a second payment on the node: the recorded no-memo
// transfer derived to pay SOLRecipient, five seconds after the first,
// carrying ref.
func (e *env) paySOLAgain(ref string) {
	r := st.WithReference(e.t, st.Replace(e.t, st.Result(e.t, st.FxSOLNoMemo), st.NoMemoRecipient, st.SOLRecipient), ref)
	r = st.Replace(e.t, r, `"blockTime":`+strconv.Itoa(st.BlockTimeSOLNoMemo), `"blockTime":`+strconv.Itoa(st.BlockTimeSOLMemo+5))
	e.node.Pay(e.t, st.SigSOLNoMemo, r, "", ref)
}

func (e *env) jobs() int64 { return e.sql.Count(`SELECT count(*) FROM rail_jobs`) }

func TestQuote(t *testing.T) {
	e := newEnv(t)
	s := e.service(nil)
	a, b := e.quote(s, st.SOLRecipient, "", 1_500_000_000), e.quote(s, st.USDCOwner, st.USDCMint, 2_500_000)
	if a.Terms.Reference == b.Terms.Reference {
		t.Fatalf("two quotes share reference %s", a.Terms.Reference)
	}
	want := "solana:" + st.SOLRecipient + "?amount=1.5&reference=" + a.Terms.Reference + "&label=gpumarket&message=GPU%20job%200x01000000&memo=gpumarket%20quote%20" + a.Terms.Reference[:8]
	if a.URL != want {
		t.Errorf("URL = %q, want %q", a.URL, want)
	}
	if !strings.Contains(b.URL, "?amount=2.5&spl-token="+st.USDCMint+"&reference="+b.Terms.Reference) {
		t.Errorf("USDC URL = %q", b.URL)
	}
	got, err := e.store.RailQuote(context.Background(), b.Terms.Reference)
	if err != nil || got.ID != b.ID || got.Terms.Amount.Cmp(big.NewInt(2_500_000)) != 0 || got.Terms.Cluster != st.GenesisMainnet ||
		!got.Terms.ExpiresAt.Equal(e.now.Add(15*time.Minute)) || got.Provider != provider || !bytes.Equal(got.Breakdown, []byte(`{"total": "7"}`)) {
		t.Errorf("RailQuote() = %+v, %v; want the stored quote", got, err)
	}
	if _, err := s.Quote(context.Background(), railpay.Offer{Recipient: st.SOLRecipient, Amount: big.NewInt(0)}); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Errorf("Quote(amount 0) error = %v, want EINVALID", err)
	}
}

// TestBind checks what each kind of payment does to its quote in the
// store: only a full, timely payment in the quoted mint to the quoted
// wallet creates a job; the others are recorded with their reason.
func TestBind(t *testing.T) {
	tests := []struct {
		name      string
		recipient string
		mint      string
		amount    int64
		ttl       time.Duration // from e.now (60s before the payment)
		verdict   gpumarket.RailVerdict
		excess    int64
	}{
		{"exact", st.SOLRecipient, "", 1_000_000, 0, gpumarket.RailFunds, 0},
		{"over", st.SOLRecipient, "", 999_000, 0, gpumarket.RailFunds, 1_000},
		{"under", st.SOLRecipient, "", 1_000_001, 0, gpumarket.RailUnderpaid, 0},
		{"late", st.SOLRecipient, "", 1_000_000, 30 * time.Second, gpumarket.RailLate, 0},
		{"wrong mint", st.SOLRecipient, st.USDCMint, 1_000, 0, gpumarket.RailWrongMint, 0},
		{"wrong recipient", st.NoMemoRecipient, "", 1_000_000, 0, gpumarket.RailWrongRecipient, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			s := e.service(nil)
			q := e.quote(s, tt.recipient, tt.mint, tt.amount)
			if tt.ttl != 0 {
				e.sql.Exec(`UPDATE rail_quotes SET expires_at = $2 WHERE id = $1`, q.ID, e.now.Add(tt.ttl))
			}
			e.paySOL(q.Terms.Reference)
			e.now = e.now.Add(2 * time.Minute) // finalized after the payment
			funded, err := s.Bind(context.Background())
			if err != nil {
				t.Fatalf("Bind() error = %v", err)
			}
			ps, err := e.store.RailQuotePayments(context.Background(), q.ID)
			if err != nil || len(ps) != 1 || ps[0].Verdict != tt.verdict || ps[0].Signature != st.SigSOLMemo {
				t.Fatalf("RailQuotePayments() = %+v, %v; want one %s", ps, err, tt.verdict)
			}
			job, err := e.store.RailJob(context.Background(), q.ID)
			if tt.verdict != gpumarket.RailFunds {
				if funded != 0 || gpumarket.ErrorCode(err) != gpumarket.ENOTFOUND || ps[0].Reason == "" {
					t.Errorf("Bind() funded %d, job err %v, reason %q; want no job and a reason", funded, err, ps[0].Reason)
				}
				return
			}
			if funded != 1 || err != nil || job.State != gpumarket.RailJobFunded || job.Payer != st.SOLSender ||
				job.Paid.Int64() != 1_000_000 || job.Excess.Int64() != tt.excess {
				t.Errorf("job = %+v, %v (funded %d); want funded by %s, paid 1000000, excess %d", job, err, funded, st.SOLSender, tt.excess)
			}
		})
	}
}

// TestPaidTwice: two payments carry the reference, and the first is also
// confirmed by hand twice: one job, funded by the first; the second is
// recorded as spent.
func TestPaidTwice(t *testing.T) {
	e := newEnv(t)
	s := e.service(nil)
	q := e.quote(s, st.SOLRecipient, "", 1_000_000)
	e.paySOL(q.Terms.Reference)
	e.paySOLAgain(q.Terms.Reference)
	ctx := context.Background()
	for range 2 {
		p, job, err := s.Confirm(ctx, q.Terms.Reference, st.SigSOLMemo)
		if err != nil || p.Verdict != gpumarket.RailFunds || job == nil || job.Signature != st.SigSOLMemo {
			t.Fatalf("Confirm() = %s, %+v, %v; want funds and its job", p.Verdict, job, err)
		}
	}
	if _, err := s.Bind(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Bind(ctx); err != nil { // and again: nothing changes
		t.Fatal(err)
	}
	ps, _ := e.store.RailQuotePayments(ctx, q.ID)
	if e.jobs() != 1 || len(ps) != 2 || ps[1].Signature != st.SigSOLNoMemo || ps[1].Verdict != gpumarket.RailSpent || !strings.Contains(ps[1].Reason, st.SigSOLMemo) {
		t.Errorf("%d jobs, payments %+v; want one job and the second payment spent", e.jobs(), ps)
	}
}

// TestOnePaymentTwoQuotes: one transaction carrying two quotes' references
// funds one of them; presented by hand for a quote whose reference it
// does not carry, it funds nothing.
func TestOnePaymentTwoQuotes(t *testing.T) {
	e := newEnv(t)
	s := e.service(nil)
	ctx := context.Background()
	a, b, c := e.quote(s, st.SOLRecipient, "", 1_000_000), e.quote(s, st.SOLRecipient, "", 1_000_000), e.quote(s, st.SOLRecipient, "", 1_000_000)
	e.paySOL(a.Terms.Reference, b.Terms.Reference)
	p, job, err := s.Confirm(ctx, c.Terms.Reference, st.SigSOLMemo)
	if err != nil || p.Verdict != gpumarket.RailNoReference || job != nil {
		t.Fatalf("Confirm(quote C, a payment for A and B) = %s, %+v, %v; want no_reference", p.Verdict, job, err)
	}
	if funded, err := s.Bind(ctx); err != nil || funded != 1 {
		t.Fatalf("Bind() = %d, %v; want 1 funded", funded, err)
	}
	pa, _ := e.store.RailQuotePayments(ctx, a.ID)
	pb, _ := e.store.RailQuotePayments(ctx, b.ID)
	if e.jobs() != 1 || pa[0].Verdict != gpumarket.RailFunds || pb[0].Verdict != gpumarket.RailSpent {
		t.Errorf("%d jobs, A %s, B %s; want one job, A funded, B spent", e.jobs(), pa[0].Verdict, pb[0].Verdict)
	}
}

// TestConcurrentBinders: two processes binding the same payments at once
// fund one job.
func TestConcurrentBinders(t *testing.T) {
	e := newEnv(t)
	s1, s2 := e.service(nil), e.service(nil)
	a, b := e.quote(s1, st.SOLRecipient, "", 1_000_000), e.quote(s1, st.SOLRecipient, "", 1_000_000)
	e.paySOL(a.Terms.Reference, b.Terms.Reference)
	var wg sync.WaitGroup
	for _, s := range []*railpay.Service{s1, s2, s1, s2} {
		wg.Go(func() { _, _ = s.Bind(context.Background()) })
	}
	wg.Wait()
	if n := e.jobs(); n != 1 {
		t.Errorf("%d jobs after concurrent binders, want 1", n)
	}
}

// failingStore crashes (returns an error before writing) in the method
// named by crash.
type failingStore struct {
	*postgres.RailQuoteStore
	crash string
}

var errCrash = errors.New("process killed")

func (f *failingStore) RecordRailPayments(ctx context.Context, q gpumarket.RailQuote, ps []gpumarket.RailQuotePayment) ([]gpumarket.RailQuotePayment, *gpumarket.RailJob, bool, error) {
	if f.crash == "record" {
		return nil, nil, false, errCrash
	}
	return f.RailQuoteStore.RecordRailPayments(ctx, q, ps)
}

func (f *failingStore) MoveRailJob(ctx context.Context, id int64, from, to gpumarket.RailJobState) error {
	if f.crash == "move" {
		return errCrash
	}
	return f.RailQuoteStore.MoveRailJob(ctx, id, from, to)
}

// TestCrashBetweenPaymentAndDispatch: the process dies after the payment
// finalized but before it was recorded, then after it was bound but before
// dispatch, then after the relayer took the job but before it was marked:
// each restart picks up where the store says; the payment funds one job,
// handed off until it is marked dispatched and never after.
func TestCrashBetweenPaymentAndDispatch(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	q := e.quote(e.service(nil), st.SOLRecipient, "", 1_000_000)
	e.paySOL(q.Terms.Reference)

	if _, err := e.service(&failingStore{e.store, "record"}).Bind(ctx); !errors.Is(err, errCrash) {
		t.Fatalf("Bind() with a crash error = %v", err)
	}
	if n := e.sql.Count(`SELECT count(*) FROM rail_quote_payments`); n != 0 || e.jobs() != 0 {
		t.Fatalf("after the crash: %d payments, %d jobs recorded; want none", n, e.jobs())
	}

	restarted := e.service(nil)
	if funded, err := restarted.Bind(ctx); funded != 1 || err != nil {
		t.Fatalf("Bind() after restart = %d, %v; want the job funded", funded, err)
	}
	// Dies before dispatching: the relayer is down.
	e.d.fail = true
	if n, err := restarted.Dispatch(ctx); n != 0 || err == nil {
		t.Fatalf("Dispatch() with the relayer down = %d, %v", n, err)
	}
	e.d.fail = false
	// The relayer takes it, the process dies before marking it.
	if _, err := e.service(&failingStore{e.store, "move"}).Dispatch(ctx); !errors.Is(err, errCrash) {
		t.Fatalf("Dispatch() with a crash error = %v", err)
	}
	if job, _ := e.store.RailJob(ctx, q.ID); job.State != gpumarket.RailJobFunded || e.d.count(q.ID) != 1 {
		t.Fatalf("after the crash: job %s, %d hand-offs; want funded, 1", job.State, e.d.count(q.ID))
	}
	again := e.service(nil)
	if n, err := again.Dispatch(ctx); n != 1 || err != nil {
		t.Fatalf("Dispatch() after restart = %d, %v; want 1", n, err)
	}
	for range 2 {
		if funded, err := again.Bind(ctx); funded != 0 || err != nil {
			t.Errorf("Bind() once dispatched = %d, %v; want nothing", funded, err)
		}
		if n, err := again.Dispatch(ctx); n != 0 || err != nil {
			t.Errorf("Dispatch() once dispatched = %d, %v; want nothing", n, err)
		}
	}
	job, _ := e.store.RailJob(ctx, q.ID)
	if job.State != gpumarket.RailJobDispatched || job.DispatchedAt == nil || e.d.count(q.ID) != 2 || e.jobs() != 1 {
		t.Errorf("job %s (at %v), %d hand-offs, %d jobs; want dispatched, 2 hand-offs of the same quote id (the relayer keys them), 1 job",
			job.State, job.DispatchedAt, e.d.count(q.ID), e.jobs())
	}
}

// TestBindWrongCluster: when the node behind the URL is on another
// cluster, nothing is recorded.
func TestBindWrongCluster(t *testing.T) {
	e := newEnv(t)
	s := e.service(nil)
	q := e.quote(s, st.SOLRecipient, "", 1_000_000)
	e.paySOL(q.Terms.Reference)
	e.node.SetGenesis(st.GenesisDevnet)
	if _, err := s.Bind(context.Background()); !errors.Is(err, solana.ErrWrongCluster) {
		t.Fatalf("Bind() on a devnet node error = %v, want ErrWrongCluster", err)
	}
	if _, _, err := s.Confirm(context.Background(), q.Terms.Reference, st.SigSOLMemo); !errors.Is(err, solana.ErrWrongCluster) {
		t.Fatalf("Confirm() on a devnet node error = %v, want ErrWrongCluster", err)
	}
	if n := e.sql.Count(`SELECT count(*) FROM rail_quote_payments`); n != 0 {
		t.Errorf("%d payments recorded from the wrong cluster", n)
	}
}

// TestBindPages: with a batch of one, successive passes reach every open
// quote (none is starved by older ones).
func TestBindPages(t *testing.T) {
	e := newEnv(t)
	checker, err := solana.NewQuotePayments(context.Background(), solana.NewRPC(e.node.URL), st.GenesisMainnet, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := railpay.New(railpay.Config{Batch: 1}, e.store, checker, e.d, nil, func() time.Time { return e.now }, nil)
	if err != nil {
		t.Fatal(err)
	}
	e.quote(s, st.SOLRecipient, "", 1_000_000) // older, never paid
	paid := e.quote(s, st.SOLRecipient, "", 1_000_000)
	e.paySOL(paid.Terms.Reference)
	total := 0
	for range 3 {
		n, err := s.Bind(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		total += n
	}
	if _, err := e.store.RailJob(context.Background(), paid.ID); err != nil || total != 1 {
		t.Errorf("after three passes of one quote: funded %d, job of the second quote %v; want it funded", total, err)
	}
}
