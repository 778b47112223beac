package service_test

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

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/eth"
	"github.com/gpumarket/gpumarket/internal/pgtest"
	"github.com/gpumarket/gpumarket/internal/postgres"
	"github.com/gpumarket/gpumarket/matcher"
	"github.com/gpumarket/gpumarket/matcher/service"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

const testChain = 31337

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type env struct {
	tb       testing.TB
	ctx      context.Context
	db       *postgres.DB
	store    *postgres.MatcherStore
	registry gpumarket.Address
	market   gpumarket.Address
	token    gpumarket.Address
	signer   *eth.AssignmentSigner
	clock    *clock
	api      http.Handler
	log      *slog.Logger
}

func addr(b byte) gpumarket.Address {
	var a gpumarket.Address
	a[0], a[19] = 0xaa, b
	return a
}

func newEnv(tb testing.TB) *env {
	tb.Helper()
	db := pgtest.New(tb)
	e := &env{tb: tb, ctx: context.Background(), db: db, store: postgres.NewMatcherStore(db),
		registry: addr(1), market: addr(2), token: addr(3),
		clock: &clock{t: time.Unix(1_790_000_100, 0)}, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	key, _, err := eth.GenerateKey()
	if err != nil {
		tb.Fatal(err)
	}
	e.signer, err = eth.NewAssignmentSigner(key, eth.MarketDomain(big.NewInt(testChain), e.market))
	if err != nil {
		tb.Fatal(err)
	}
	api, err := service.NewAPI(service.APIConfig{ChainID: testChain, Registry: e.registry, Params: matcher.DefaultParams(),
		Quote:    matcher.QuoteParams{MinimumPrice: big.NewInt(1000), ProtocolFeeBps: 250, CreatorShareBps: 500},
		Liveness: matcher.DefaultLivenessParams()}, e.store, e.log, e.clock.Now)
	if err != nil {
		tb.Fatal(err)
	}
	e.api = api.Handler()
	return e
}

func (e *env) exec(sql string, args ...any) int64 {
	e.tb.Helper()
	n, err := e.store.Exec(e.ctx, sql, args...)
	if err != nil {
		e.tb.Fatalf("exec %s: %v", sql, err)
	}
	return n
}

func (e *env) count(sql string, args ...any) int64 {
	e.tb.Helper()
	var n int64
	if err := e.store.QueryRow(e.ctx, sql, args, &n); err != nil {
		e.tb.Fatalf("query %s: %v", sql, err)
	}
	return n
}

// checkLoad fails the test unless matcher_provider_load holds, for every
// provider, exactly its number of offered assignments (migration 00008's
// triggers keep it so).
func (e *env) checkLoad() {
	e.tb.Helper()
	if got := e.count(`SELECT count(*) FROM (
		SELECT chain_id, provider, count(*) AS n FROM assignments WHERE state = 'offered' GROUP BY chain_id, provider) a
		FULL JOIN matcher_provider_load l USING (chain_id, provider)
		WHERE coalesce(a.n, 0) <> coalesce(l.offered, 0)`); got != 0 {
		e.tb.Errorf("providers whose load differs from their offered assignments = %d, want 0", got)
	}
}

// provider is a registered provider with its signer key.
type provider struct {
	addr gpumarket.Address
	key  *ecdsa.PrivateKey
	att  *gpumarket.Attestation
	seq  uint64
}

type provOpts struct {
	slots   uint32
	price   int64 // per 1k tokens
	vram    uint32
	model   string
	region  string
	stake   string
	key     *ecdsa.PrivateKey // signer key (shared to test fingerprints)
	devices []string
}

func (e *env) attestation(p gpumarket.Address, o provOpts) *gpumarket.Attestation {
	now := e.clock.Now().Unix()
	a := &gpumarket.Attestation{
		Provider: p, GPUModel: "NVIDIA GeForce RTX 4090", GPUCount: 1, VRAMMiB: o.vram, Architecture: gpumarket.ArchNVIDIA,
		CUDAVersion: "12.4", DriverVersion: "550.54.14", ComputeCapability: "8.9", DeviceIDs: o.devices, Slots: o.slots,
		Region: o.region, Token: e.token,
		Capabilities: []gpumarket.Capability{{Kind: gpumarket.JobKindLLM, Models: []string{o.model},
			Prices: []gpumarket.Price{{Unit: gpumarket.UnitKTokens, Amount: big.NewInt(o.price)}}}},
		IssuedAt: now - 60, ExpiresAt: now + 7*24*3600,
	}
	return a
}

// register creates a provider on "chain" (the providers row the indexer
// would write) committing to its attestation, without submitting it.
func (e *env) register(o provOpts) *provider {
	e.tb.Helper()
	if o.slots == 0 {
		o.slots = 4
	}
	if o.vram == 0 {
		o.vram = 24564
	}
	if o.model == "" {
		o.model = "llama-3-8b"
	}
	if o.region == "" {
		o.region = "eu-west"
	}
	if o.stake == "" {
		o.stake = "5000000000000000000"
	}
	if o.key == nil {
		k, _, err := eth.GenerateKey()
		if err != nil {
			e.tb.Fatal(err)
		}
		o.key = k
	}
	opKey, op, err := eth.GenerateKey()
	if err != nil || opKey == nil {
		e.tb.Fatal(err)
	}
	p := &provider{addr: op, key: o.key, att: e.attestation(op, o)}
	h, err := eth.AttestationHash(p.att)
	if err != nil {
		e.tb.Fatal(err)
	}
	signer := eth.KeyAddress(o.key)
	e.exec(`INSERT INTO providers (chain_id, provider, signer, attestation_hash, attestation_expiry, registered, active, stake, unbonding, slashed_total, last_block)
		VALUES ($1, $2, $3, $4, to_timestamp($5), true, true, $6::numeric, 0, 0, 1)`,
		testChain, op[:], signer[:], h[:], p.att.ExpiresAt, o.stake)
	return p
}

func (e *env) do(method, path string, body []byte) (int, []byte) {
	e.tb.Helper()
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	w := httptest.NewRecorder()
	e.api.ServeHTTP(w, req)
	return w.Code, w.Body.Bytes()
}

func (e *env) attestBody(p *provider, chain uint64) []byte {
	e.tb.Helper()
	sig, err := eth.SignAttestation(p.key, eth.RegistryDomain(big.NewInt(int64(chain)), e.registry), p.att)
	if err != nil {
		e.tb.Fatal(err)
	}
	doc, err := json.Marshal(p.att)
	if err != nil {
		e.tb.Fatal(err)
	}
	return []byte(fmt.Sprintf(`{"chain_id":%d,"attestation":%s,"signature":"0x%x"}`, chain, doc, sig))
}

func (e *env) heartbeatBody(p *provider, seq uint64, ts int64, free uint32) []byte {
	e.tb.Helper()
	h := &gpumarket.Heartbeat{Provider: p.addr, Sequence: seq, Timestamp: ts, FreeSlots: free, LoadBps: 1000}
	sig, err := eth.SignHeartbeat(p.key, eth.RegistryDomain(big.NewInt(testChain), e.registry), h)
	if err != nil {
		e.tb.Fatal(err)
	}
	doc, _ := json.Marshal(h)
	return []byte(fmt.Sprintf(`{"chain_id":%d,"heartbeat":%s,"signature":"0x%x"}`, testChain, doc, sig))
}

// online registers a provider, submits its attestation and a heartbeat.
func (e *env) online(o provOpts) *provider {
	e.tb.Helper()
	p := e.register(o)
	if code, body := e.do("POST", "/v1/attestations", e.attestBody(p, testChain)); code != 200 {
		e.tb.Fatalf("attest: %d %s", code, body)
	}
	p.seq++
	if code, body := e.do("POST", "/v1/heartbeats", e.heartbeatBody(p, p.seq, e.clock.Now().Unix(), p.att.Slots)); code != 200 {
		e.tb.Fatalf("heartbeat: %d %s", code, body)
	}
	return p
}

func specBody(model string, tokens uint64) []byte {
	return []byte(fmt.Sprintf(`{"kind":"llm","model":%q,"inputs":[{"name":"prompt","uri":"data:,hello"}],"requirements":{"min_vram_mib":16000,"gpu_count":1,"estimate":{"input_tokens":%d,"output_tokens":0}}}`, model, tokens))
}

// uploadSpec stores a spec through the API and returns its hash.
func (e *env) uploadSpec(body []byte) gpumarket.Hash {
	e.tb.Helper()
	code, resp := e.do("POST", "/v1/specs", body)
	if code != http.StatusCreated {
		e.tb.Fatalf("upload spec: %d %s", code, resp)
	}
	return eth.Keccak256(body)
}

// addJob inserts an open job (the indexer's row).
func (e *env) addJob(id uint64, spec gpumarket.Hash, uri string, maxPayment string, preferred *gpumarket.Address) {
	e.tb.Helper()
	var pref []byte
	if preferred != nil {
		pref = preferred[:]
	}
	client := addr(9)
	e.exec(`INSERT INTO jobs (chain_id, job_id, client, token, max_payment, kind, state, deadline, fee_bps, creator_share_bps,
		preferred_provider, spec_hash, spec_uri, spec_uri_raw, created_at, last_block)
		VALUES ($1, $2, $3, $4, $5::numeric, 'llm', 'open', to_timestamp($6), 250, 0, $7, $8, $9, convert_to($9::text, 'UTF8'), to_timestamp($10), 1)`,
		testChain, fmt.Sprint(id), client[:], e.token[:], maxPayment, e.clock.Now().Unix()+3600, pref, spec[:], uri, e.clock.Now().Unix())
}

func (e *env) newService(instance string, mod func(*service.Config)) *service.Service {
	e.tb.Helper()
	cfg := service.DefaultConfig(testChain, instance)
	cfg.CandidateRefresh = 0
	if mod != nil {
		mod(&cfg)
	}
	s, err := service.New(cfg, e.store, e.store, e.signer, service.NewFetcher(0, 0, false), e.log, e.clock.Now)
	if err != nil {
		e.tb.Fatal(err)
	}
	return s
}

// drain steps s until a step claims nothing.
func drain(tb testing.TB, ctx context.Context, s *service.Service) int {
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
