package indexer_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/internal/eth/market"
	"github.com/gpumarket/gpumarket/internal/eth/node"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/indexer"
	"github.com/gpumarket/gpumarket/internal/anvil"
	"github.com/gpumarket/gpumarket/internal/eth/ethtest"
	"github.com/gpumarket/gpumarket/internal/pgtest"
	"github.com/gpumarket/gpumarket/internal/postgres"
)

// Regression tests for the three ways issue 19 found to stop the mirror.

const haltSlots = 4 // anvil's finalized tag is head - 2*haltSlots

// haltWorld is the marketplace on anvil with one registered, staked
// providers (propOperators, whose jobs go to dev 3, signer dev 4) and an approved client (dev 1), indexed
// into db by indexers made with newIndexer.
type haltWorld struct {
	*world
	chainID uint64
	db      *postgres.DB
	store   *postgres.IndexerStore
	src     *node.Source
	decoder *market.Decoder
}

func newHaltWorld(t *testing.T, db *postgres.DB, metadataURI string) *haltWorld {
	t.Helper()
	return newWorldOn(t, db, metadataURI, anvil.ChainID)
}

// newWorldOn is newHaltWorld on an anvil serving chain id chainID.
func newWorldOn(t *testing.T, db *postgres.DB, metadataURI string, chainID uint64) *haltWorld {
	t.Helper()
	s := ethtest.DeploySystem(t, ethtest.SystemConfig{Anvil: anvil.Config{SlotsInEpoch: haltSlots, ChainID: chainID}})
	ctx := context.Background()
	m, err := market.NewMarket(s.ChainID, gpumarket.Address(s.Market), gpumarket.Address(s.Registry), s.Client)
	if err != nil {
		t.Fatal(err)
	}
	marketAddr, registry := gpumarket.Address(s.Market), gpumarket.Address(s.Registry)
	src, err := node.Dial(ctx, s.URL, []gpumarket.Address{marketAddr, registry}, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(src.Close)
	if db == nil {
		db = pgtest.New(t)
	}
	w := &world{t: t, ctx: ctx, rng: rand.New(rand.NewPCG(1, 2)), s: s, m: m, chain: postgres.NewChainState(db, chainID), actions: map[string]int{}}
	h := &haltWorld{world: w, chainID: chainID, db: db, store: postgres.NewIndexerStore(db), src: src, decoder: market.NewDecoder(marketAddr, registry)}
	stake := new(big.Int).Mul(big.NewInt(1000), big.NewInt(1e18))
	for i, op := range propOperators { // world.check compares both with the registry
		w.send("approve stake", op)(m.Approve(gpumarket.Address(s.StakingToken), registry, stake))
		w.send("register", op)(m.Register(w.addr(propSigners[i]), gpumarket.Hash(crypto.Keccak256Hash([]byte{byte(i)})), w.now()+1_000_000, metadataURI))
		w.send("stake", op)(m.Stake(stake))
	}
	w.send("approve market", 1)(m.Approve(gpumarket.Address(s.Stablecoin), marketAddr, new(big.Int).Lsh(big.NewInt(1), 200)))
	return h
}

func (h *haltWorld) newIndexer(owner string, cfg indexer.Config) *indexer.Indexer {
	cfg.ChainID, cfg.StartBlock, cfg.Owner = h.chainID, h.s.DeployBlock, owner
	return indexer.New(cfg, h.src, h.store, h.decoder, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
}

// createJob creates a job for the provider (preferred, so no matcher is needed) in its own block.
func (h *haltWorld) createJob(specURI string) {
	h.t.Helper()
	p := &eip712.JobParams{Kind: gpumarket.JobKindLLM, Token: gpumarket.Address(h.s.Stablecoin), MaxPayment: big.NewInt(1_000_000),
		Deadline: h.now() + 1800, SpecHash: gpumarket.Hash{byte(len(specURI)), 7}, SpecURI: specURI, PreferredProvider: h.addr(3)}
	h.send("create", 1)(h.m.CreateJob(p))
}

// job returns the mirrored job whose spec URI is spec.
func (h *haltWorld) job(spec gpumarket.ChainString) *gpumarket.JobRecord {
	h.t.Helper()
	jobs, err := h.chain.Jobs(h.ctx)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, j := range jobs {
		if j.SpecURI == spec {
			return j
		}
	}
	h.t.Fatalf("no mirrored job has spec URI %q (%d jobs)", spec, len(jobs))
	return nil
}

// assertLogsMirror checks that the stored logs are exactly the canonical
// chain's: a dead branch left nothing behind.
func (h *haltWorld) assertLogsMirror() {
	h.t.Helper()
	head, err := h.s.Client.BlockNumber(h.ctx)
	if err != nil {
		h.t.Fatal(err)
	}
	want, err := h.src.RangeLogs(h.ctx, h.s.DeployBlock, head)
	if err != nil {
		h.t.Fatal(err)
	}
	got, err := h.store.Logs(h.ctx, h.chainID, 0, head+1000)
	if err != nil {
		h.t.Fatal(err)
	}
	if len(got) != len(want) {
		h.t.Fatalf("stored %d logs, the chain has %d", len(got), len(want))
	}
	for i := range want {
		if got[i].BlockHash != want[i].BlockHash || got[i].Index != want[i].Index || got[i].TxHash != want[i].TxHash {
			h.t.Fatalf("log %d: stored block %s index %d, chain block %s index %d", i, got[i].BlockHash, got[i].Index, want[i].BlockHash, want[i].Index)
		}
	}
}

// TestChainStringsNeverHaltTheMirror: a specURI with a NUL byte, one with
// invalid UTF-8, a resultURI and a provider's metadataURI with both, are
// accepted by the contracts; the mirror must store every byte and go on,
// also when a reorg makes it fold the job again from its stored events.
func TestChainStringsNeverHaltTheMirror(t *testing.T) {
	t.Parallel()
	const (
		metadata = "ipfs://meta\x00\xff\\x00"
		specNUL  = "ipfs://spec\x00tail"
		specBad  = "ipfs://\xff\xfe\xc3("
		result   = "https://r/\x00\xc3\x28"
	)
	h := newHaltWorld(t, nil, metadata)
	h.createJob(specNUL)
	h.createJob(specBad)
	ix := h.newIndexer("strings", indexer.Config{})
	catchUp(t, ix)

	j := h.job(specNUL)
	h.send("accept preferred", 4)(h.m.AcceptPreferredJob(&j.Job))
	catchUp(t, ix)
	j = h.job(specNUL)
	h.send("submit", 4)(h.m.SubmitResult(&j.Job, gpumarket.Hash{0xab}, result, gpumarket.Usage{Units1: 1, Units2: 2}, big.NewInt(1)))
	catchUp(t, ix)
	if got := h.job(specNUL); got.State != gpumarket.JobStateSubmitted || got.ResultURI != result {
		t.Fatalf("job after submit: state %s, result URI %q; want submitted, %q", got.State, got.ResultURI, result)
	}
	h.check(0)
	p, err := h.chain.Provider(h.ctx, h.addr(3))
	if err != nil || p.MetadataURI != metadata {
		t.Fatalf("provider metadata URI = %q, %v; want %q", p.MetadataURI, err, metadata)
	}

	// A reorg drops the submission: the job is folded again from its
	// stored JobCreated and JobAccepted payloads, which must hold every byte.
	if err := h.s.Reorg(h.ctx, 1); err != nil {
		t.Fatal(err)
	}
	catchUp(t, ix)
	got := h.job(specNUL)
	if got.State != gpumarket.JobStateAssigned || got.ResultURI != "" {
		t.Fatalf("job after the reorg: state %s, result URI %q; want assigned and none", got.State, got.ResultURI)
	}
	h.job(specBad)
	h.check(1)
	h.assertLogsMirror()
	if st := ix.Status(); st.LastError != "" || st.Stuck {
		t.Fatalf("status %+v: the mirror stumbled", st)
	}
}

// TestRestartAfterReorgBelowNewFinality: the indexer is stopped (or its
// database is down) at head H with jobs in the last d blocks; the chain
// reorganizes d blocks and k more are mined, so the node's finalized block
// moves past the fork point. On return the indexer must rewind the dead
// branch (never finalize it) and follow the new chain. Before the fix it
// failed for 2*slots - d < k <= 2*slots.
func TestRestartAfterReorgBelowNewFinality(t *testing.T) {
	t.Parallel()
	const f = 2 * haltSlots
	tests := []struct {
		depth, mined int
		ignoreTags   bool
		pgDown       bool // the indexer keeps running while PostgreSQL is down
	}{
		{depth: 3, mined: 4}, {depth: 3, mined: 5}, {depth: 3, mined: f}, {depth: 3, mined: f + 1},
		{depth: 1, mined: f - 1}, {depth: f - 1, mined: 2}, {depth: f - 1, mined: f},
		{depth: 3, mined: 6, ignoreTags: true}, {depth: 2, mined: f, ignoreTags: true},
		{depth: 3, mined: 6, pgDown: true}, {depth: 1, mined: f, pgDown: true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("d%d_k%d_tags%v_pgdown%v", tt.depth, tt.mined, !tt.ignoreTags, tt.pgDown), func(t *testing.T) {
			t.Parallel()
			cfg := indexer.Config{}
			if tt.ignoreTags {
				cfg.IgnoreTags, cfg.Confirmations = true, f
			}
			var srv *pgtest.Server
			var db *postgres.DB
			if tt.pgDown {
				srv, db = privateDatabase(t)
			}
			h := newHaltWorld(t, db, "ipfs://meta")
			if err := h.s.Mine(h.ctx, f+1); err != nil { // the setup is final
				t.Fatal(err)
			}
			for i := 0; i < tt.depth; i++ { // one job in each block the reorg replaces
				h.createJob(fmt.Sprintf("ipfs://dead/%d", i))
			}
			reorgAndMine := func() {
				if err := h.s.Reorg(h.ctx, uint64(tt.depth)); err != nil {
					t.Error(err)
				}
				if err := h.s.Mine(h.ctx, tt.mined); err != nil {
					t.Error(err)
				}
			}
			if !tt.pgDown {
				catchUp(t, h.newIndexer("first", cfg))
				reorgAndMine()
				// A restart: a new process, the same database.
				catchUp(t, h.newIndexer("first", cfg))
			} else {
				cfg.PollInterval, cfg.LeaseTTL = 20*time.Millisecond, 10*time.Second
				ix := h.newIndexer("running", cfg)
				ctx, cancel := context.WithCancel(h.ctx)
				done := make(chan error, 1)
				go func() { done <- ix.Run(ctx) }()
				h.waitIndexed(ix)
				if err := srv.RestartAfter(func() { reorgAndMine(); time.Sleep(300 * time.Millisecond) }); err != nil {
					t.Fatal(err)
				}
				h.waitIndexed(ix)
				cancel()
				if err := <-done; err != nil {
					t.Fatalf("Run after PostgreSQL came back = %v, want a clean stop", err)
				}
			}
			jobs, err := h.chain.Jobs(h.ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(jobs) != 0 {
				t.Fatalf("%d jobs of the dead branch are still mirrored", len(jobs))
			}
			h.check(0)
			h.assertLogsMirror()
			cur, err := h.store.Cursor(h.ctx, anvil.ChainID)
			head, _ := h.s.Client.BlockNumber(h.ctx)
			if err != nil || cur.Number != head || cur.Finalized < head-f {
				t.Fatalf("cursor %+v (%v), head %d: want the head with finalized >= %d", cur, err, head, head-f)
			}
		})
	}
}

// waitIndexed waits until the running indexer's cursor reaches the node's head.
func (h *haltWorld) waitIndexed(ix *indexer.Indexer) {
	h.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		head, _ := h.s.Client.BlockNumber(h.ctx)
		if c, err := h.store.Cursor(h.ctx, h.chainID); err == nil && c.Number == head {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	h.t.Fatalf("indexer did not catch up; status %+v", ix.Status())
}

// privateDatabase starts a private PostgreSQL cluster (it is killed by the
// test) with one migrated database.
func privateDatabase(t *testing.T) (*pgtest.Server, *postgres.DB) {
	t.Helper()
	ctx := context.Background()
	srv, err := pgtest.StartCluster()
	if err != nil {
		t.Fatalf("start private PostgreSQL: %v", err)
	}
	t.Cleanup(srv.Stop)
	if err := postgres.CreateDatabase(ctx, srv.AdminURL, "private", ""); err != nil {
		t.Fatal(err)
	}
	dsn, _ := postgres.WithDatabase(srv.AdminURL, "private")
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return srv, db
}

// TestRestartTakesOverTheLeaseOfADeadProcess: after a crash the supervisor
// starts a new process (a new owner id) while the dead one's lease is still
// live. It must take the lease over at once, not fail until it expires; a
// live holder's lease is still refused.
func TestRestartTakesOverTheLeaseOfADeadProcess(t *testing.T) {
	t.Parallel()
	r := newRig(t, anvil.Config{})
	r.transfers(2, 1)
	ctx := context.Background()
	dead := deadLocalOwner(t)
	if err := r.store.AcquireLease(ctx, anvil.ChainID, dead, time.Hour); err != nil {
		t.Fatal(err)
	}
	live := indexer.LocalOwner()
	cfg := indexer.Config{HolderGone: indexer.LocalHolderGone, PollInterval: 20 * time.Millisecond}
	runFor := func(owner string) error {
		ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		return r.indexer(owner, cfg).Run(ctx)
	}
	if err := runFor(live); err != nil {
		t.Fatalf("Run with a dead predecessor's live lease = %v, want a take-over and a clean stop", err)
	}
	r.assertMirror()

	// A holder whose process runs (this one), or on another host, is waited out.
	for _, holder := range []string{live, "elsewhere.example-1"} {
		if err := r.store.AcquireLease(ctx, anvil.ChainID, holder, time.Hour); err != nil {
			t.Fatal(err)
		}
		err := runFor("newcomer-" + holder)
		if gpumarket.ErrorCode(err) != gpumarket.ECONFLICT {
			t.Fatalf("Run against %s's live lease = %v, want ECONFLICT", holder, err)
		}
		if err := r.store.ReleaseLease(ctx, anvil.ChainID, holder); err != nil {
			t.Fatal(err)
		}
	}
	if indexer.LocalHolderGone("no-pid-here") || indexer.LocalHolderGone(live) {
		t.Fatal("LocalHolderGone says a malformed or live holder is gone")
	}
}

// deadLocalOwner returns an owner id, in LocalOwner's form, of a process on
// this host that has exited.
func deadLocalOwner(t *testing.T) string {
	t.Helper()
	for pid := 4_000_000; pid > 3_000_000; pid -= 7919 { // above any pid_max in use
		owner := fmt.Sprintf("%s-%d", hostPart(indexer.LocalOwner()), pid)
		if indexer.LocalHolderGone(owner) {
			return owner
		}
	}
	t.Fatal("no free pid found")
	return ""
}

func hostPart(owner string) string {
	for i := len(owner) - 1; i >= 0; i-- {
		if owner[i] == '-' {
			return owner[:i]
		}
	}
	return owner
}

// TestHealthReportsAStuckCursor: a step that keeps failing while the head
// moves on turns /healthz to 503 with stuck=true once StuckAfter passes
// without progress; progress clears it.
func TestHealthReportsAStuckCursor(t *testing.T) {
	t.Parallel()
	r := newRig(t, anvil.Config{})
	r.transfers(3, 1)
	now := time.Now()
	ix := r.indexer("stuck", indexer.Config{StuckAfter: time.Minute})
	ix.SetClock(func() time.Time { return now })
	catchUp(t, ix)
	health := ix.Health(2)
	code := func() int {
		rec := httptest.NewRecorder()
		health.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
		return rec.Code
	}
	if c := code(); c != 200 {
		t.Fatalf("/healthz caught up = %d, want 200", c)
	}
	// Every commit fails from now on (as when PostgreSQL refuses a row)
	// while the chain moves on.
	r.transfers(3, 2)
	broken := indexer.New(indexer.Config{ChainID: anvil.ChainID, StartBlock: r.start, Owner: "stuck", StuckAfter: time.Minute},
		r.source, failingStore{r.store}, nil, slog.New(slog.NewTextHandler(io.Discard, nil)), nil)
	broken.SetClock(func() time.Time { return now })
	health = broken.Health(2)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- broken.Run(ctx) }()
	deadline := time.Now().Add(20 * time.Second)
	for broken.Status().LastError == "" && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if c := code(); c != 200 {
		t.Fatalf("/healthz after a fresh failure = %d, want 200 (not stuck yet)", c)
	}
	now = now.Add(2 * time.Minute)
	if st := broken.Status(); !st.Stuck || code() != 503 {
		t.Fatalf("status %+v, /healthz %d after 2m without progress; want stuck and 503", st, code())
	}
	cancel()
	<-done
}

// failingStore is the real store whose commits always fail.
type failingStore struct{ *postgres.IndexerStore }

func (failingStore) Commit(context.Context, *indexer.Batch) error {
	return errors.New("ERROR: invalid byte sequence for encoding \"UTF8\" (SQLSTATE 22021)")
}
