package daemon_test

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/internal/eth/keys"
	"github.com/gpumarket/gpumarket/internal/eth/market"
	"github.com/gpumarket/gpumarket/internal/postgres"
	"github.com/gpumarket/gpumarket/matcher/client"
	"github.com/gpumarket/gpumarket/matcher/service"
	"github.com/gpumarket/gpumarket/relayer"
	"github.com/gpumarket/gpumarket/relayer/daemon"
	"github.com/gpumarket/gpumarket/relayer/executor"
	"github.com/gpumarket/gpumarket/relayer/executor/synthetic"
)

// provider is one registered provider whose daemon runs in-process.
type provider struct {
	operator, signer *ecdsa.PrivateKey
	addr             gpumarket.Address
	stop             func() // stops the daemon and waits for it
}

// register registers dev accounts operatorIdx (operator) and operatorIdx+1
// (hot signer) as an llm provider of llama-3-8b at pricePerKTokens.
func (s *stack) register(t *testing.T, ctx context.Context, operatorIdx int, pricePerKTokens int64) *provider {
	t.Helper()
	p := &provider{operator: s.sys.Key(operatorIdx), signer: s.sys.Key(operatorIdx + 1)}
	p.addr = keys.KeyAddress(p.operator)
	att := s.attestation(p.addr, 1)
	att.Capabilities[0].Prices[0].Amount = big.NewInt(pricePerKTokens)
	if _, err := daemon.Register(ctx, daemon.Registration{ChainID: s.chainID, Market: gpumarket.Address(s.sys.Market),
		Registry: gpumarket.Address(s.sys.Registry), NodeURL: s.sys.URL, MatcherURL: s.matcherURL, Attestation: att,
		TxConfig: daemon.TxConfig{Confirmations: 1, PollInterval: 100 * time.Millisecond}},
		daemon.Keys{Signer: p.signer, Operator: p.operator}, s.db, nil); err != nil {
		t.Fatalf("register provider %s: %v", p.addr, err)
	}
	return p
}

// start runs p's daemon with exec until the test ends or p.stop is called.
func (s *stack) start(t *testing.T, ctx context.Context, p *provider, exec executor.Executor, tune func(*relayer.Config)) {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	rc := relayer.Config{Provider: p.addr, Market: gpumarket.Address(s.sys.Market), Capacity: 1,
		AcceptMargin: time.Second, MinRunTime: 10 * time.Second,
		CanServe: func(k gpumarket.JobKind) bool { return k == gpumarket.JobKindLLM }}
	if tune != nil {
		tune(&rc)
	}
	d, err := daemon.New(ctx, daemon.Config{Config: rc, ChainID: s.chainID, Registry: gpumarket.Address(s.sys.Registry),
		NodeURL: s.sys.URL, MatcherURL: s.matcherURL, ResultDir: filepath.Join(t.TempDir(), "results"),
		TickEvery: 200 * time.Millisecond, HeartbeatEvery: time.Second,
		TxConfig: daemon.TxConfig{Confirmations: 1, PollInterval: 100 * time.Millisecond}},
		daemon.Keys{Signer: p.signer}, s.db, exec, log)
	if err != nil {
		t.Fatalf("daemon of %s: %v", p.addr, err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- d.Run(runCtx) }()
	var once sync.Once
	p.stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("daemon of %s: %v", p.addr, err)
			}
		})
	}
	t.Cleanup(p.stop)
}

// createJob uploads spec and creates an llm job for it from dev account 1.
func (s *stack) createJob(t *testing.T, ctx context.Context, spec []byte, deadline time.Duration) gpumarket.JobID {
	t.Helper()
	mc, err := client.New(s.matcherURL, s.chainID, nil)
	if err != nil {
		t.Fatal(err)
	}
	h, err := mc.PostSpec(ctx, spec)
	if err != nil {
		t.Fatalf("post spec: %v", err)
	}
	id, _, err := s.market.ApproveAndCreateJob(ctx, s.sys.Opts(t, 1), &eip712.JobParams{Kind: gpumarket.JobKindLLM,
		Token: gpumarket.Address(s.sys.Stablecoin), MaxPayment: big.NewInt(1_000_000), Deadline: uint64(time.Now().Add(deadline).Unix()),
		SpecHash: h, SpecURI: "gpumarket:spec"})
	if err != nil {
		t.Fatalf("create job: %v", err)
	}
	return id
}

// waitFor polls cond every 200ms until it holds or timeout passes.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(timeout); !cond(); time.Sleep(200 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
	}
}

// inferenceServer is a local inference server for the http executor: it
// answers any spec with a fixed completion.
func inferenceServer(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Gpumarket-Usage-Units1", "500")
		w.Header().Set("Gpumarket-Usage-Units2", "20")
		_, _ = io.WriteString(w, "Reorgs replace recent blocks.")
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestRefusedJobGoesToRunnerUp: a job whose spec lacks the demo executor's
// parameters is offered first to the cheaper provider, whose relayer runs
// the demo executor: its Preflight refuses the job, so the relayer sends no
// acceptJob and lets the offer lapse; the matcher then offers the job to the
// runner-up, whose executor (an inference server behind the http executor)
// can run it, and which accepts, runs and submits it.
func TestRefusedJobGoesToRunnerUp(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	s := startStackWith(t, ctx, func(c *service.Config) { c.OfferTTL = 6 * time.Second })
	cheap, dear := s.register(t, ctx, 3, 1_000), s.register(t, ctx, 5, 2_000)
	s.start(t, ctx, cheap, synthetic.New(nil), nil)
	httpExec, err := executor.NewHTTP(executor.HTTPConfig{URL: inferenceServer(t) + "/v1/infer",
		Preflight: executor.PreflightConfig{Models: map[gpumarket.JobKind][]string{gpumarket.JobKindLLM: {"llama-3-8b"}}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	s.start(t, ctx, dear, httpExec, nil)

	spec, err := json.Marshal(gpumarket.JobSpec{Kind: gpumarket.JobKindLLM, Model: "llama-3-8b",
		Inputs:       []gpumarket.JobInput{{Name: "prompt", URI: gpumarket.DataURI("text/plain", []byte("explain reorgs"))}},
		Requirements: gpumarket.Requirements{MinVRAMMiB: 16_000, GPUCount: 1, Estimate: gpumarket.Estimate{InputTokens: 500, OutputTokens: 500}}})
	if err != nil {
		t.Fatal(err)
	}
	id := s.createJob(t, ctx, spec, 10*time.Minute)

	chain := postgres.NewChainState(s.db, s.chainID)
	waitFor(t, 2*time.Minute, "the job's result to be submitted", func() bool {
		j, err := chain.Job(ctx, id)
		return err == nil && (j.State == gpumarket.JobStateSubmitted || j.State == gpumarket.JobStateSettled)
	})
	j, err := chain.Job(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if j.Provider != dear.addr {
		t.Fatalf("job %d done by %s, want the runner-up %s", id, j.Provider, dear.addr)
	}
	// The cheaper provider was offered it first, and its offer lapsed.
	var offered []string
	if err := s.sql.TryQueryRow(ctx, `SELECT array_agg(encode(provider, 'hex') || ':' || state ORDER BY id) FROM assignments
		WHERE chain_id = $1 AND job_id = $2`, []any{int64(s.chainID), uint64(id)}, &offered); err != nil {
		t.Fatal(err)
	}
	cheapHex, dearHex := hexAddr(cheap.addr), hexAddr(dear.addr)
	if len(offered) != 2 || offered[0] != cheapHex+":expired" || offered[1] != dearHex+":accepted" {
		t.Fatalf("offers of job %d: %v; want %s expired, then %s accepted", id, offered, cheapHex, dearHex)
	}
	// The refusing relayer sent nothing for the job.
	var accepts int64
	signer := keys.KeyAddress(cheap.signer)
	if err := s.sql.TryQueryRow(ctx, `SELECT count(*) FROM tx_intents WHERE chain_id = $1 AND sender = $2 AND key LIKE 'accept-%'`,
		[]any{int64(s.chainID), signer[:]}, &accepts); err != nil {
		t.Fatal(err)
	}
	if accepts != 0 {
		t.Errorf("the refusing provider's signer journaled %d accepts, want 0", accepts)
	}
	var events int64
	if err := s.sql.TryQueryRow(ctx, `SELECT count(*) FROM job_events WHERE chain_id = $1 AND job_id = $2 AND event_name = 'JobAccepted'`,
		[]any{int64(s.chainID), uint64(id)}, &events); err != nil {
		t.Fatal(err)
	}
	if events != 1 {
		t.Errorf("%d JobAccepted events, want 1", events)
	}
}

func hexAddr(a gpumarket.Address) string {
	const digits = "0123456789abcdef"
	b := make([]byte, 0, 40)
	for _, c := range a {
		b = append(b, digits[c>>4], digits[c&15])
	}
	return string(b)
}

// failingExec passes every job the demo executor would run and fails every
// run, counting them.
type failingExec struct {
	*synthetic.Executor
	runs atomic.Int64
}

func (f *failingExec) Run(context.Context, executor.Job) (*executor.Result, error) {
	f.runs.Add(1)
	return nil, errors.New("GPU fell off the bus")
}

// TestFailingJobAbandoned: a job whose every run fails after acceptance is
// run exactly MaxAttempts times, then abandoned (recorded in
// relayer_job_attempts); a restarted relayer does not run it again, and
// once the deadline has passed the client refunds it.
func TestFailingJobAbandoned(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	s := startStack(t, ctx)
	p := s.register(t, ctx, 3, 1_000)
	tune := func(c *relayer.Config) {
		c.MaxAttempts, c.AttemptBackoff, c.MaxAttemptBackoff = 3, 200*time.Millisecond, 400*time.Millisecond
	}
	exec := &failingExec{Executor: synthetic.New(nil)}
	s.start(t, ctx, p, exec, tune)
	spec, err := synthetic.NewJobSpec(gpumarket.JobKindLLM, "llama-3-8b", map[string]any{"prompt": "explain reorgs", "max_tokens": 16},
		gpumarket.Requirements{MinVRAMMiB: 16_000, GPUCount: 1, Estimate: gpumarket.Estimate{InputTokens: 500, OutputTokens: 500}})
	if err != nil {
		t.Fatal(err)
	}
	id := s.createJob(t, ctx, spec, 2*time.Minute)

	attempts := postgres.NewRelayerAttempts(s.db, s.chainID, p.addr)
	chain := postgres.NewChainState(s.db, s.chainID)
	var rec relayer.JobAttempts
	waitFor(t, 2*time.Minute, "the job to be abandoned", func() bool {
		j, err := chain.Job(ctx, id)
		if err != nil || j.State != gpumarket.JobStateAssigned {
			return false
		}
		h, err := market.JobHashAtCreation(&j.Job)
		if err != nil {
			t.Fatal(err)
		}
		rec, err = attempts.JobAttempts(ctx, id, h)
		return err == nil && rec.Abandoned()
	})
	if rec.Attempts != 3 || exec.runs.Load() != 3 {
		t.Fatalf("abandoned after %d recorded attempts, %d runs; want 3 and 3", rec.Attempts, exec.runs.Load())
	}
	p.stop()

	// Restarted, the relayer leaves the abandoned job alone.
	again := &failingExec{Executor: synthetic.New(nil)}
	s.start(t, ctx, p, again, tune)
	time.Sleep(2 * time.Second) // ~10 ticks
	p.stop()
	if n := again.runs.Load(); n != 0 {
		t.Errorf("the restarted relayer ran the abandoned job %d times", n)
	}
	signer := keys.KeyAddress(p.signer)
	var submits int64
	if err := s.sql.TryQueryRow(ctx, `SELECT count(*) FROM tx_intents WHERE chain_id = $1 AND sender = $2 AND key LIKE 'submit-%'`,
		[]any{int64(s.chainID), signer[:]}, &submits); err != nil {
		t.Fatal(err)
	}
	if submits != 0 {
		t.Errorf("%d result submissions journaled for a job that never ran", submits)
	}

	// What the relayer told the client it may do: refund after the deadline.
	j, err := chain.Job(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.sys.IncreaseTime(ctx, 3*60); err != nil {
		t.Fatal(err)
	}
	call, err := s.market.Refund(&j.Job)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.market.Transact(ctx, s.sys.Opts(t, 1), call); err != nil {
		t.Fatalf("refund after the deadline: %v", err)
	}
	waitFor(t, time.Minute, "the refund to be indexed", func() bool {
		j, err := chain.Job(ctx, id)
		return err == nil && j.State == gpumarket.JobStateRefunded
	})
}
