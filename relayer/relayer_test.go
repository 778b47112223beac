package relayer_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket/relayer/executor/synthetic"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer"
	"github.com/gpumarket/gpumarket/relayer/executor"
	"github.com/gpumarket/gpumarket/relayer/resultstore"
)

var (
	me      = gpumarket.Address{0xaa}
	market  = gpumarket.Address{0x3a}
	matcher = gpumarket.Address{0x3e}
	client  = gpumarket.Address{0xc1}
	now     = time.Unix(1_800_000_000, 0)
)

// Small fakes for the relayer's consumer interfaces. The executor, the
// result store and the owners map are the real ones.

type fakeMatcher struct{ pending []relayer.SignedAssignment }

func (f *fakeMatcher) Pending(context.Context, gpumarket.Address) ([]relayer.SignedAssignment, error) {
	return f.pending, nil
}

// fakeVerifier: a signature is the signer's address bytes; "bad" fails.
type fakeVerifier struct{}

func (fakeVerifier) AssignmentSigner(_ *gpumarket.Assignment, sig []byte) (gpumarket.Address, error) {
	if string(sig) == "bad" || len(sig) != 20 {
		return gpumarket.Address{}, gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "bad signature")
	}
	return gpumarket.Address(sig), nil
}

// AssignmentJobHash stands in for the job's hash as created: its id and
// spec hash (enough to tell two jobs apart in these tests).
func (fakeVerifier) AssignmentJobHash(job *gpumarket.Job) (gpumarket.Hash, error) {
	return fakeJobHash(job.ID, job.SpecHash), nil
}

func fakeJobHash(id gpumarket.JobID, spec gpumarket.Hash) gpumarket.Hash {
	h := spec
	h[31] ^= byte(id)
	h[30] = 0x7e
	return h
}

type fakeChain struct {
	mu   sync.Mutex
	jobs map[gpumarket.JobID]*gpumarket.JobRecord
}

func (f *fakeChain) Job(_ context.Context, id gpumarket.JobID) (*gpumarket.JobRecord, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	j, ok := f.jobs[id]
	if !ok {
		return nil, gpumarket.Errorf(gpumarket.ENOTFOUND, "job %d", id)
	}
	c := *j
	return &c, nil
}

func (f *fakeChain) ProviderJobs(_ context.Context, p gpumarket.Address, states ...gpumarket.JobState) ([]*gpumarket.JobRecord, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []*gpumarket.JobRecord
	for _, j := range f.jobs {
		for _, s := range states {
			if j.Provider == p && j.State == s {
				c := *j
				out = append(out, &c)
			}
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].ID < out[b].ID })
	return out, nil
}

func (f *fakeChain) IsMatcher(_ context.Context, a gpumarket.Address) (bool, error) {
	return a == matcher, nil
}

type fakeCalls struct{}

func (fakeCalls) AcceptJob(j *gpumarket.Job, _ *gpumarket.Assignment, _ []byte) ([]byte, error) {
	return []byte(fmt.Sprintf("accept:%d", j.ID)), nil
}
func (fakeCalls) SubmitResult(j *gpumarket.Job, h gpumarket.Hash, uri string, u gpumarket.Usage, due *big.Int) ([]byte, error) {
	return []byte(fmt.Sprintf("submit:%d:%s:%s:%d:%d:%s", j.ID, h, uri, u.Units1, u.Units2, due)), nil
}
func (fakeCalls) Settle(j *gpumarket.Job) ([]byte, error) {
	return []byte(fmt.Sprintf("settle:%d", j.ID)), nil
}
func (fakeCalls) Withdraw(t gpumarket.Address) ([]byte, error) {
	return []byte("withdraw:" + t.String()), nil
}

// fakeSender keeps the transaction manager's contract: one send per key.
type fakeSender struct {
	mu    sync.Mutex
	sent  map[string][]byte
	keys  []string
	state map[string]gpumarket.TxState // default broadcast
}

// end sets the final state of key's intent.
func (f *fakeSender) end(key string, st gpumarket.TxState) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.state == nil {
		f.state = map[string]gpumarket.TxState{}
	}
	f.state[key] = st
}

func (f *fakeSender) Submit(_ context.Context, key string, to gpumarket.Address, data []byte, _ *big.Int) (gpumarket.TxIntent, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.sent == nil {
		f.sent = map[string][]byte{}
	}
	if to != market {
		return gpumarket.TxIntent{}, fmt.Errorf("sent to %s, not the market", to)
	}
	if _, dup := f.sent[key]; !dup {
		f.sent[key] = data
		f.keys = append(f.keys, key)
	}
	return gpumarket.TxIntent{Key: key}, nil
}

func (f *fakeSender) Intent(_ context.Context, key string) (gpumarket.TxIntent, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.sent[key]; !ok {
		return gpumarket.TxIntent{}, gpumarket.Errorf(gpumarket.ENOTFOUND, "no intent %q", key)
	}
	st, ok := f.state[key]
	if !ok {
		st = gpumarket.TxBroadcast
	}
	return gpumarket.TxIntent{Key: key, State: st}, nil
}

func (f *fakeSender) has(key string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, ok := f.sent[key]
	return ok
}

type specMap map[gpumarket.Hash][]byte

func (s specMap) Spec(_ context.Context, h gpumarket.Hash) ([]byte, error) {
	b, ok := s[h]
	if !ok {
		return nil, gpumarket.Errorf(gpumarket.ENOTFOUND, "spec %s", h)
	}
	return b, nil
}

type rig struct {
	r      *relayer.Relayer
	chain  *fakeChain
	m      *fakeMatcher
	sender *fakeSender
	store  *resultstore.Store
	owners *resultstore.MemOwners
}

func newRig(t *testing.T, capacity int) *rig {
	t.Helper()
	return newRigWith(t, capacity, rigOptions{})
}

// rigOptions replaces parts of a rig: the executor (default: the demo
// executor), the attempts store (default: a fresh MemAttempts), the clock
// (default: fixed at now), the log and the job loop's bound on runs.
type rigOptions struct {
	exec     executor.Executor
	attempts relayer.Attempts
	clock    *fakeClock
	log      *slog.Logger
	specs    specMap
	config   func(*relayer.Config)
}

// fakeClock is a settable clock; the relayer's chain time follows it.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *fakeClock) Add(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

func newRigWith(t *testing.T, capacity int, o rigOptions) *rig {
	t.Helper()
	store, err := resultstore.Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	g := &rig{chain: &fakeChain{jobs: map[gpumarket.JobID]*gpumarket.JobRecord{}}, m: &fakeMatcher{}, sender: &fakeSender{},
		store: store, owners: &resultstore.MemOwners{}}
	specs := specMap{{0x5e}: []byte(`{"model":"llama-3-8b","prompt":"hello","max_tokens":16}`)}
	for h, b := range o.specs {
		specs[h] = b
	}
	if o.exec == nil {
		o.exec = synthetic.New(nil)
	}
	clock := func() time.Time { return now }
	if o.clock != nil {
		clock = o.clock.Now
	}
	if o.log == nil {
		o.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	cfg := relayer.Config{
		Provider: me, Market: market, Capacity: capacity, AcceptMargin: 5 * time.Second, MinRunTime: time.Minute,
		ResultBaseURL: "http://relayer.example", Now: clock,
		CanServe: func(k gpumarket.JobKind) bool { return k != gpumarket.JobKindRender },
		Price: func(j *gpumarket.JobRecord, u gpumarket.Usage) *big.Int {
			return new(big.Int).Mul(big.NewInt(int64(u.Units1+u.Units2)), big.NewInt(10))
		},
	}
	if o.config != nil {
		o.config(&cfg)
	}
	g.r, err = relayer.New(cfg, g.m, fakeVerifier{}, g.chain, fakeCalls{}, g.sender, specs, store, g.owners, o.attempts, o.exec, o.log)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func (g *rig) addJob(id gpumarket.JobID, kind gpumarket.JobKind, state gpumarket.JobState, provider gpumarket.Address) *gpumarket.JobRecord {
	j := &gpumarket.JobRecord{Job: gpumarket.Job{ID: id, Kind: kind, State: state, Client: client, Provider: provider,
		MaxPayment: big.NewInt(1_000_000), Price: big.NewInt(900_000), AmountDue: new(big.Int),
		Deadline: uint64(now.Add(time.Hour).Unix()), SpecHash: gpumarket.Hash{0x5e}}}
	g.chain.jobs[id] = j
	return j
}

func offer(id gpumarket.JobID, price int64, expiry time.Time, sig []byte) relayer.SignedAssignment {
	return relayer.SignedAssignment{Assignment: gpumarket.Assignment{JobID: id, JobHash: fakeJobHash(id, gpumarket.Hash{0x5e}), Provider: me,
		Price: big.NewInt(price), Expiry: expiry.Unix()}, Signature: sig}
}

func TestAcceptOrLapse(t *testing.T) {
	good := matcher[:]
	tests := []struct {
		name   string
		setup  func(g *rig) relayer.SignedAssignment
		accept bool
	}{
		{"valid", func(g *rig) relayer.SignedAssignment {
			g.addJob(1, gpumarket.JobKindLLM, gpumarket.JobStateOpen, gpumarket.Address{})
			return offer(1, 900_000, now.Add(time.Minute), good)
		}, true},
		{"bad signature", func(g *rig) relayer.SignedAssignment {
			g.addJob(1, gpumarket.JobKindLLM, gpumarket.JobStateOpen, gpumarket.Address{})
			return offer(1, 900_000, now.Add(time.Minute), []byte("bad"))
		}, false},
		{"signed by a non-matcher", func(g *rig) relayer.SignedAssignment {
			g.addJob(1, gpumarket.JobKindLLM, gpumarket.JobStateOpen, gpumarket.Address{})
			stranger := gpumarket.Address{0x66}
			return offer(1, 900_000, now.Add(time.Minute), stranger[:])
		}, false},
		{"for another provider", func(g *rig) relayer.SignedAssignment {
			g.addJob(1, gpumarket.JobKindLLM, gpumarket.JobStateOpen, gpumarket.Address{})
			a := offer(1, 900_000, now.Add(time.Minute), good)
			a.Assignment.Provider = gpumarket.Address{0x77}
			return a
		}, false},
		{"expiring too soon", func(g *rig) relayer.SignedAssignment {
			g.addJob(1, gpumarket.JobKindLLM, gpumarket.JobStateOpen, gpumarket.Address{})
			return offer(1, 900_000, now.Add(2*time.Second), good)
		}, false},
		{"already expired", func(g *rig) relayer.SignedAssignment {
			g.addJob(1, gpumarket.JobKindLLM, gpumarket.JobStateOpen, gpumarket.Address{})
			return offer(1, 900_000, now.Add(-time.Minute), good)
		}, false},
		{"unknown job", func(g *rig) relayer.SignedAssignment { return offer(42, 900_000, now.Add(time.Minute), good) }, false},
		{"job already taken", func(g *rig) relayer.SignedAssignment {
			g.addJob(1, gpumarket.JobKindLLM, gpumarket.JobStateAssigned, gpumarket.Address{0x99})
			return offer(1, 900_000, now.Add(time.Minute), good)
		}, false},
		{"signed for other job terms (the id now names another job)", func(g *rig) relayer.SignedAssignment {
			g.addJob(1, gpumarket.JobKindLLM, gpumarket.JobStateOpen, gpumarket.Address{}).SpecHash = gpumarket.Hash{0x0f}
			return offer(1, 900_000, now.Add(time.Minute), good)
		}, false},
		{"price above maximum", func(g *rig) relayer.SignedAssignment {
			g.addJob(1, gpumarket.JobKindLLM, gpumarket.JobStateOpen, gpumarket.Address{})
			return offer(1, 1_000_001, now.Add(time.Minute), good)
		}, false},
		{"deadline too close", func(g *rig) relayer.SignedAssignment {
			g.addJob(1, gpumarket.JobKindLLM, gpumarket.JobStateOpen, gpumarket.Address{}).Deadline = uint64(now.Add(30 * time.Second).Unix())
			return offer(1, 900_000, now.Add(time.Minute), good)
		}, false},
		{"kind not served", func(g *rig) relayer.SignedAssignment {
			g.addJob(1, gpumarket.JobKindRender, gpumarket.JobStateOpen, gpumarket.Address{})
			return offer(1, 900_000, now.Add(time.Minute), good)
		}, false},
		{"at capacity", func(g *rig) relayer.SignedAssignment {
			g.addJob(1, gpumarket.JobKindLLM, gpumarket.JobStateOpen, gpumarket.Address{})
			g.addJob(2, gpumarket.JobKindLLM, gpumarket.JobStateAssigned, me) // capacity 1 is taken
			return offer(1, 900_000, now.Add(time.Minute), good)
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newRig(t, 1)
			sa := tt.setup(g)
			g.m.pending = []relayer.SignedAssignment{sa}
			if err := g.r.Tick(context.Background()); err != nil {
				t.Fatal(err)
			}
			g.r.Wait()
			key := relayer.AcceptKey(&sa.Assignment)
			if got := g.sender.has(key); got != tt.accept {
				t.Fatalf("%s sent = %v, want %v (sent %v)", key, got, tt.accept, g.sender.keys)
			}
		})
	}
}

// TestRunSubmitSettle: an assigned job runs through the demo executor, its
// result is stored under its keccak256 hash for its client only, and the
// submission commits exactly that hash with the usage and an amount due
// capped at the price; later, past the challenge window, it is settled. A
// second Tick sends nothing twice.
func TestRunSubmitSettle(t *testing.T) {
	ctx := context.Background()
	g := newRig(t, 2)
	job := g.addJob(7, gpumarket.JobKindLLM, gpumarket.JobStateAssigned, me)
	if err := g.r.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	g.r.Wait()
	data, ok := g.sender.sent["submit-7"]
	if !ok {
		t.Fatalf("no submit-7 sent: %v", g.sender.keys)
	}
	// Recompute what the demo executor produces and check the commitment.
	res, err := synthetic.New(nil).Run(ctx, executor.Job{ID: 7, Kind: gpumarket.JobKindLLM, Spec: []byte(`{"model":"llama-3-8b","prompt":"hello","max_tokens":16}`)})
	if err != nil {
		t.Fatal(err)
	}
	hash := resultstore.Keccak256(res.Body)
	stored, err := g.store.Get(ctx, hash)
	if err != nil || !bytes.Equal(stored, res.Body) {
		t.Fatalf("result %s not stored as committed: %v", hash, err)
	}
	if owned, err := g.owners.IsOwner(ctx, hash, client); err != nil || !owned {
		t.Fatalf("IsOwner(%s, client) = %v, %v; want true", hash, owned, err)
	}
	due := big.NewInt(int64(res.Usage.Units1+res.Usage.Units2) * 10)
	want := fmt.Sprintf("submit:7:%s:http://relayer.example/v1/results/%s:%d:%d:%s", hash, hash, res.Usage.Units1, res.Usage.Units2, due)
	if string(data) != want {
		t.Fatalf("submit calldata = %s, want %s", data, want)
	}

	// The chain now shows it submitted; before the window ends nothing is settled.
	job.State, job.ChallengeEnd = gpumarket.JobStateSubmitted, uint64(now.Add(time.Minute).Unix())
	if err := g.r.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if g.sender.has("settle-7") {
		t.Fatal("settled before the challenge window ended")
	}
	job.ChallengeEnd = uint64(now.Add(-time.Second).Unix())
	for i := 0; i < 2; i++ {
		if err := g.r.Tick(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if !g.sender.has("settle-7") {
		t.Fatal("not settled after the challenge window")
	}
	count := map[string]int{}
	for _, k := range g.sender.keys {
		count[k]++
	}
	for k, n := range count {
		if n != 1 {
			t.Errorf("key %s sent %d times", k, n)
		}
	}
}

// An action whose transaction ended without effect is sent again under a
// new key while the chain still shows it to do; one in flight or confirmed
// is not.
func TestRetryAfterNoEffect(t *testing.T) {
	ctx := context.Background()
	g := newRig(t, 1)
	job := g.addJob(7, gpumarket.JobKindLLM, gpumarket.JobStateSubmitted, me)
	job.ChallengeEnd = uint64(now.Add(-time.Second).Unix())
	tick := func() {
		t.Helper()
		if err := g.r.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		g.r.Wait()
	}
	tick()
	tick()
	if !g.sender.has("settle-7") || g.sender.has("settle-7-2") {
		t.Fatalf("sent %v, want settle-7 once", g.sender.keys)
	}
	g.sender.end("settle-7", gpumarket.TxSkipped) // e.g. simulated a block too early
	tick()
	if !g.sender.has("settle-7-2") {
		t.Fatalf("sent %v, want settle-7-2 after settle-7 was skipped", g.sender.keys)
	}
	g.sender.end("settle-7-2", gpumarket.TxConfirmed)
	tick()
	if g.sender.has("settle-7-3") {
		t.Fatalf("sent %v after settle-7-2 was confirmed", g.sender.keys)
	}
	for i := 2; i <= relayer.MaxRetries; i++ {
		g.sender.end(fmt.Sprintf("settle-7-%d", i), gpumarket.TxReplaced)
		g.sender.mu.Lock()
		g.sender.sent[fmt.Sprintf("settle-7-%d", i)] = nil
		g.sender.mu.Unlock()
	}
	if err := g.r.Tick(ctx); gpumarket.ErrorCode(err) != gpumarket.ECONFLICT {
		t.Fatalf("Tick after %d attempts without effect = %v, want ECONFLICT", relayer.MaxRetries, err)
	}
}

func TestAmountDueCappedAtPrice(t *testing.T) {
	ctx := context.Background()
	g := newRig(t, 1)
	j := g.addJob(3, gpumarket.JobKindLLM, gpumarket.JobStateAssigned, me)
	j.Price = big.NewInt(5) // far below what usage * 10 asks for
	if err := g.r.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	g.r.Wait()
	data := string(g.sender.sent["submit-3"])
	if len(data) == 0 || data[len(data)-2:] != ":5" {
		t.Fatalf("submit calldata %q: amount due not capped at the price 5", data)
	}
}

func TestWithdrawThreshold(t *testing.T) {
	ctx := context.Background()
	g := newRig(t, 1)
	token := gpumarket.Address{0x70}
	if err := g.r.Withdraw(ctx, g.sender, token, big.NewInt(99), big.NewInt(100), 0); err != nil || len(g.sender.keys) != 0 {
		t.Fatalf("withdrew below the threshold: %v %v", err, g.sender.keys)
	}
	if err := g.r.Withdraw(ctx, g.sender, token, big.NewInt(100), big.NewInt(100), 0); err != nil || !g.sender.has("withdraw-"+token.String()+"-0") {
		t.Fatalf("did not withdraw at the threshold: %v %v", err, g.sender.keys)
	}
}

func TestConfigErrors(t *testing.T) {
	for name, cfg := range map[string]relayer.Config{
		"no provider": {Market: market, Capacity: 1},
		"no market":   {Provider: me, Capacity: 1},
		"no capacity": {Provider: me, Market: market},
	} {
		if _, err := relayer.New(cfg, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
			t.Errorf("%s: New = %v, want %s", name, err, gpumarket.EINVALID)
		}
	}
}
