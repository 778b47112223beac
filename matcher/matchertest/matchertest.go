// Package matchertest provides a matcher environment for tests: a
// throwaway database (internal/pgtest) with the matcher store, a settable
// clock, a matcher key, the HTTP API over a real signature verifier, and
// helpers that register providers as the indexer would, submit their
// attestations and heartbeats through the API, upload specs and add open
// jobs. Tests of matcher/service and matcher/api use it; a test package
// that uses it calls pgtest.Main from its TestMain.
package matchertest

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket/internal/eth/market"

	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/internal/eth/keys"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/pgtest"
	"github.com/gpumarket/gpumarket/internal/postgres"
	"github.com/gpumarket/gpumarket/internal/postgres/postgrestest"
	"github.com/gpumarket/gpumarket/matcher"
	"github.com/gpumarket/gpumarket/matcher/api"
	"github.com/gpumarket/gpumarket/matcher/service"
)

// Chain is the chain id of the environment.
const Chain = 31337

// Clock is a settable test clock.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// Add moves the clock by d.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Env is one test's matcher environment.
type Env struct {
	TB       testing.TB
	Ctx      context.Context
	DSN      string // the database's URL (for other processes)
	DB       *postgres.DB
	Queue    *postgres.MatcherQueue       // the service's store
	Maint    *postgres.MatcherMaintenance // the service's periodic work
	Bench    *postgres.MatcherBench       // the queue's store with the benchmark seeder
	APIStore *postgres.MatcherAPIStore    // the API's store
	SQL      *postgrestest.SQL            // raw SQL for fixtures and checks
	Registry gpumarket.Address            // ProviderRegistry: the domain of attestations and heartbeats
	Market   gpumarket.Address            // JobMarket: the domain of assignments
	Token    gpumarket.Address
	Signer   *eip712.AssignmentSigner // the matcher key
	Clock    *Clock
	API      http.Handler // /v1, on Clock
	Log      *slog.Logger
}

var _ api.Verifier = (*eip712.RegistryVerifier)(nil)

// Addr returns a distinct test address for b.
func Addr(b byte) gpumarket.Address {
	var a gpumarket.Address
	a[0], a[19] = 0xaa, b
	return a
}

// New returns an environment over a fresh database, with the clock at a
// fixed time; it fails tb on any error.
func New(tb testing.TB) *Env {
	tb.Helper()
	dsn := pgtest.URL(tb)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(db.Close)
	e := &Env{TB: tb, Ctx: context.Background(), DSN: dsn, DB: db, Queue: postgres.NewMatcherQueue(db), Maint: postgres.NewMatcherMaintenance(db),
		Bench:    postgres.NewMatcherBench(db),
		APIStore: postgres.NewMatcherAPIStore(db), SQL: postgrestest.Open(tb, dsn),
		Registry: Addr(1), Market: Addr(2), Token: Addr(3),
		Clock: &Clock{t: time.Unix(1_790_000_100, 0)}, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	key, _, err := keys.GenerateKey()
	if err != nil {
		tb.Fatal(err)
	}
	e.Signer, err = eip712.NewAssignmentSigner(key, eip712.MarketDomain(big.NewInt(Chain), e.Market))
	if err != nil {
		tb.Fatal(err)
	}
	verifier, err := eip712.NewRegistryVerifier(Chain, e.Registry)
	if err != nil {
		tb.Fatal(err)
	}
	srv, err := api.New(api.Config{ChainID: Chain, Params: matcher.DefaultParams(),
		Quote:    matcher.QuoteParams{MinimumPrice: big.NewInt(1000), ProtocolFeeBps: 250, CreatorShareBps: 500},
		Liveness: matcher.DefaultLivenessParams()}, e.APIStore, verifier, e.Log, e.Clock.Now)
	if err != nil {
		tb.Fatal(err)
	}
	e.API = srv.Handler()
	return e
}

// Exec runs a statement and returns the rows it affected.
func (e *Env) Exec(sql string, args ...any) int64 {
	e.TB.Helper()
	return e.SQL.Exec(sql, args...)
}

// Count runs a query returning one integer.
func (e *Env) Count(sql string, args ...any) int64 {
	e.TB.Helper()
	return e.SQL.Count(sql, args...)
}

// CheckLoad fails the test unless matcher_provider_load holds, for every
// provider, exactly its number of offered assignments (migration 00008's
// triggers keep it so).
func (e *Env) CheckLoad() {
	e.TB.Helper()
	if got := e.Count(`SELECT count(*) FROM (
		SELECT chain_id, provider, count(*) AS n FROM assignments WHERE state = 'offered' GROUP BY chain_id, provider) a
		FULL JOIN matcher_provider_load l USING (chain_id, provider)
		WHERE coalesce(a.n, 0) <> coalesce(l.offered, 0)`); got != 0 {
		e.TB.Errorf("providers whose load differs from their offered assignments = %d, want 0", got)
	}
}

// Provider is a registered provider with its signer key.
type Provider struct {
	Addr gpumarket.Address
	Key  *ecdsa.PrivateKey
	Att  *gpumarket.Attestation
	Seq  uint64 // the last heartbeat sequence sent
}

// ProvOpts describes a provider; zero fields take Register's defaults.
type ProvOpts struct {
	Slots   uint32
	Price   int64 // per 1k tokens
	VRAM    uint32
	Model   string
	Region  string
	Stake   string
	Key     *ecdsa.PrivateKey // signer key (shared to test fingerprints)
	Devices []string
}

// Attestation returns p's attestation as o describes it, current on Clock.
func (e *Env) Attestation(p gpumarket.Address, o ProvOpts) *gpumarket.Attestation {
	now := e.Clock.Now().Unix()
	a := &gpumarket.Attestation{
		Provider: p, GPUModel: "NVIDIA GeForce RTX 4090", GPUCount: 1, VRAMMiB: o.VRAM, Architecture: gpumarket.ArchNVIDIA,
		CUDAVersion: "12.4", DriverVersion: "550.54.14", ComputeCapability: "8.9", DeviceIDs: o.Devices, Slots: o.Slots,
		Region: o.Region, Token: e.Token,
		Capabilities: []gpumarket.Capability{{Kind: gpumarket.JobKindLLM, Models: []string{o.Model},
			Prices: []gpumarket.Price{{Unit: gpumarket.UnitKTokens, Amount: big.NewInt(o.Price)}}}},
		IssuedAt: now - 60, ExpiresAt: now + 7*24*3600,
	}
	return a
}

// Register creates a provider on "chain" (the providers row the indexer
// would write) committing to its attestation, without submitting it.
func (e *Env) Register(o ProvOpts) *Provider {
	e.TB.Helper()
	if o.Slots == 0 {
		o.Slots = 4
	}
	if o.VRAM == 0 {
		o.VRAM = 24564
	}
	if o.Model == "" {
		o.Model = "llama-3-8b"
	}
	if o.Region == "" {
		o.Region = "eu-west"
	}
	if o.Stake == "" {
		o.Stake = "5000000000000000000"
	}
	if o.Key == nil {
		k, _, err := keys.GenerateKey()
		if err != nil {
			e.TB.Fatal(err)
		}
		o.Key = k
	}
	opKey, op, err := keys.GenerateKey()
	if err != nil || opKey == nil {
		e.TB.Fatal(err)
	}
	p := &Provider{Addr: op, Key: o.Key, Att: e.Attestation(op, o)}
	h, err := eip712.AttestationHash(p.Att)
	if err != nil {
		e.TB.Fatal(err)
	}
	signer := keys.KeyAddress(o.Key)
	e.Exec(`INSERT INTO providers (chain_id, provider, signer, attestation_hash, attestation_expiry, registered, active, stake, unbonding, slashed_total, last_block)
		VALUES ($1, $2, $3, $4, to_timestamp($5), true, true, $6::numeric, 0, 0, 1)`,
		Chain, op[:], signer[:], h[:], p.Att.ExpiresAt, o.Stake)
	return p
}

// Do serves one request to the API and returns its status and body.
func (e *Env) Do(method, path string, body []byte) (int, []byte) {
	e.TB.Helper()
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	w := httptest.NewRecorder()
	e.API.ServeHTTP(w, req)
	return w.Code, w.Body.Bytes()
}

// AttestBody is the body of POST /v1/attestations for p, signed for chain.
func (e *Env) AttestBody(p *Provider, chain uint64) []byte {
	e.TB.Helper()
	sig, err := eip712.SignAttestation(p.Key, eip712.RegistryDomain(big.NewInt(int64(chain)), e.Registry), p.Att)
	if err != nil {
		e.TB.Fatal(err)
	}
	doc, err := json.Marshal(p.Att)
	if err != nil {
		e.TB.Fatal(err)
	}
	return []byte(fmt.Sprintf(`{"chain_id":%d,"attestation":%s,"signature":"0x%x"}`, chain, doc, sig))
}

// HeartbeatBody is the body of POST /v1/heartbeats for p's heartbeat seq
// sent at ts with free slots.
func (e *Env) HeartbeatBody(p *Provider, seq uint64, ts int64, free uint32) []byte {
	e.TB.Helper()
	h := &gpumarket.Heartbeat{Provider: p.Addr, Sequence: seq, Timestamp: ts, FreeSlots: free, LoadBps: 1000}
	sig, err := eip712.SignHeartbeat(p.Key, eip712.RegistryDomain(big.NewInt(Chain), e.Registry), h)
	if err != nil {
		e.TB.Fatal(err)
	}
	doc, _ := json.Marshal(h)
	return []byte(fmt.Sprintf(`{"chain_id":%d,"heartbeat":%s,"signature":"0x%x"}`, Chain, doc, sig))
}

// Online registers a provider, submits its attestation and a heartbeat.
func (e *Env) Online(o ProvOpts) *Provider {
	e.TB.Helper()
	p := e.Register(o)
	if code, body := e.Do("POST", "/v1/attestations", e.AttestBody(p, Chain)); code != 200 {
		e.TB.Fatalf("attest: %d %s", code, body)
	}
	p.Seq++
	if code, body := e.Do("POST", "/v1/heartbeats", e.HeartbeatBody(p, p.Seq, e.Clock.Now().Unix(), p.Att.Slots)); code != 200 {
		e.TB.Fatalf("heartbeat: %d %s", code, body)
	}
	return p
}

// SpecBody is an llm spec document for model estimating tokens input tokens.
func SpecBody(model string, tokens uint64) []byte {
	return []byte(fmt.Sprintf(`{"kind":"llm","model":%q,"inputs":[{"name":"prompt","uri":"data:,hello"}],"requirements":{"min_vram_mib":16000,"gpu_count":1,"estimate":{"input_tokens":%d,"output_tokens":0}}}`, model, tokens))
}

// UploadSpec stores a spec through the API and returns its hash.
func (e *Env) UploadSpec(body []byte) gpumarket.Hash {
	e.TB.Helper()
	code, resp := e.Do("POST", "/v1/specs", body)
	if code != http.StatusCreated {
		e.TB.Fatalf("upload spec: %d %s", code, resp)
	}
	return keys.Keccak256(body)
}

// AddJob inserts an open job (the indexer's row).
func (e *Env) AddJob(id uint64, spec gpumarket.Hash, uri string, maxPayment string, preferred *gpumarket.Address) {
	e.TB.Helper()
	var pref []byte
	if preferred != nil {
		pref = preferred[:]
	}
	client := Addr(9)
	e.Exec(`INSERT INTO jobs (chain_id, job_id, client, token, max_payment, kind, state, deadline, fee_bps, creator_share_bps,
		preferred_provider, spec_hash, spec_uri, spec_uri_raw, created_at, last_block)
		VALUES ($1, $2, $3, $4, $5::numeric, 'llm', 'open', to_timestamp($6), 250, 0, $7, $8, $9, convert_to($9::text, 'UTF8'), to_timestamp($10), 1)`,
		Chain, fmt.Sprint(id), client[:], e.Token[:], maxPayment, e.Clock.Now().Unix()+3600, pref, spec[:], uri, e.Clock.Now().Unix())
}

// NewService returns a queue instance on the environment, with candidates
// reloaded on every step; mod, when not nil, adjusts the config.
func (e *Env) NewService(instance string, mod func(*service.Config)) *service.Service {
	e.TB.Helper()
	cfg := service.DefaultConfig(Chain, instance)
	cfg.CandidateRefresh = 0
	cfg.JobHash = market.JobHashAtCreation
	if mod != nil {
		mod(&cfg)
	}
	s, err := service.New(cfg, e.Queue, e.Maint, e.Signer, service.NewFetcher(0, 0, false), e.Log, e.Clock.Now)
	if err != nil {
		e.TB.Fatal(err)
	}
	return s
}

// Drain steps s until a step claims nothing.
func Drain(tb testing.TB, ctx context.Context, s *service.Service) int {
	tb.Helper()
	total := 0
	for i := 0; i < 1000; i++ {
		st, err := s.Step(ctx)
		if err != nil {
			tb.Fatalf("Step: %v", err)
		}
		total += st.Offered
		if st.Claimed == 0 {
			return total
		}
	}
	tb.Fatal("Step never drained")
	return total
}
