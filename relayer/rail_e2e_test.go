package relayer_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"image/png"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/mr-tron/base58"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/internal/eth/keys"
	"github.com/gpumarket/gpumarket/internal/eth/resultauth"
	"github.com/gpumarket/gpumarket/internal/pgtest"
	"github.com/gpumarket/gpumarket/internal/postgres"
	"github.com/gpumarket/gpumarket/internal/solana"
	st "github.com/gpumarket/gpumarket/internal/solana/solanatest"
	"github.com/gpumarket/gpumarket/matcher/railpay"
	"github.com/gpumarket/gpumarket/relayer"
	"github.com/gpumarket/gpumarket/relayer/executor"
	"github.com/gpumarket/gpumarket/relayer/executor/blender"
	"github.com/gpumarket/gpumarket/relayer/executor/openai"
	"github.com/gpumarket/gpumarket/relayer/executor/speech"
	"github.com/gpumarket/gpumarket/relayer/resultstore"
)

// TestMain lets the test binary act as the command executor's launcher
// and as `gpumarket engine` (the speech engine's recipe), as
// cmd/gpumarket's main does, and shares one PostgreSQL server.
func TestMain(m *testing.M) {
	executor.RunLimitedMain()
	if len(os.Args) > 1 && os.Args[1] == "engine" {
		os.Exit(speech.Main(context.Background(), os.Args[2:], os.Stderr))
	}
	pgtest.Main(m)
}

// needESpeak skips without espeak-ng, failing under CI=true.
func needESpeak(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("espeak-ng"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("espeak-ng missing (run tools/ensure-engines.sh)")
		}
		t.Skip("espeak-ng missing (run tools/ensure-engines.sh)")
	}
}

type offersFunc func(ctx context.Context, p gpumarket.Address) ([]gpumarket.SignedRailOffer, error)

func (f offersFunc) RailOffers(ctx context.Context, p gpumarket.Address) ([]gpumarket.SignedRailOffer, error) {
	return f(ctx, p)
}

type railVerifier struct{ d eip712.Domain }

func (v railVerifier) RailOfferSigner(o *gpumarket.RailOffer, sig []byte) (gpumarket.Address, error) {
	return eip712.RailOfferSignerOf(v.d, o, sig)
}

// matcherRole stands in for the marketplace's role check (the chain
// mirror): only the matcher's address holds it.
type matcherRole gpumarket.Address

func (m matcherRole) IsMatcher(_ context.Context, a gpumarket.Address) (bool, error) {
	return a == gpumarket.Address(m), nil
}

type railSpecs map[gpumarket.Hash][]byte

func (s railSpecs) Spec(_ context.Context, h gpumarket.Hash) ([]byte, error) {
	b, ok := s[h]
	if !ok {
		return nil, gpumarket.Errorf(gpumarket.ENOTFOUND, "no spec %s", h)
	}
	return b, nil
}

// railExec counts runs of the real engine; crash makes the next run
// end as if the process died mid-run (the engine ran, nothing delivered).
type railExec struct {
	executor.Executor
	mu    sync.Mutex
	runs  int
	crash bool
}

var errKilled = errors.New("relayer killed mid-run")

func (c *railExec) Run(ctx context.Context, j executor.Job) (*executor.Result, error) {
	c.mu.Lock()
	c.runs++
	crash := c.crash
	c.crash = false
	c.mu.Unlock()
	res, err := c.Executor.Run(ctx, j)
	if crash && err == nil {
		_ = res.Release()
		return nil, errKilled
	}
	return res, err
}

// crashingDispatch stores the offer, then dies before the job is marked
// dispatched, while crash is set.
type crashingDispatch struct {
	*railpay.OfferDispatcher
	crash bool
}

var errDied = errors.New("matcher killed after the hand-off")

func (c *crashingDispatch) Dispatch(ctx context.Context, j gpumarket.RailJob, q gpumarket.RailQuote) error {
	if err := c.OfferDispatcher.Dispatch(ctx, j, q); err != nil {
		return err
	}
	if c.crash {
		return errDied
	}
	return nil
}

type railOwners struct {
	s *postgres.RailQuoteStore
	p gpumarket.Address
}

func (o railOwners) IsRailOwner(ctx context.Context, h gpumarket.Hash, payer string) (bool, error) {
	return o.s.IsRailOwner(ctx, o.p, h, payer)
}

// TestSolanaRailEndToEnd: a TTS job quoted on the Solana rail is paid by
// the recorded mainnet SOL transfer (served by the replay node, derived to
// carry the quote's reference and come from the test's payer key), bound
// at finalized commitment, dispatched as a matcher-signed rail offer (the
// matcher dies once after the hand-off), taken by the relayer's rail loop
// only once the mirror shows the payment final, run on the real espeak-ng
// engine exactly once, and downloaded from the result server with the
// payer key's ed25519 signature; the bytes hash to the delivered hash.
// Bad, replayed-after-expiry, foreign-hash and wrong-key signatures are
// refused.
// railEnv is the Solana rail's parts on real PostgreSQL, the replay node
// and the real espeak-ng engine; newMatcher and newRelayer stand for
// (re)started processes.
type railEnv struct {
	t        *testing.T
	store    *postgres.RailQuoteStore
	node     *st.Node
	now      time.Time
	domain   eip712.Domain
	mkey     *ecdsa.PrivateKey
	maddr    gpumarket.Address
	dispatch *crashingDispatch
	checker  *solana.QuotePayments
	provider gpumarket.Address
	spec     []byte
	specHash gpumarket.Hash
	exe      *railExec
	results  *resultstore.Store
	payer    string
	payerKey ed25519.PrivateKey
}

func (e *railEnv) clock() time.Time { return e.now }

// newRailEnv builds the env with engine "tts" (espeak-ng speaks a line)
// or "render" (Blender's Cycles renders one 64x48 frame of the executor's
// test scene, served over HTTP as the matcher's blob store would).
func newRailEnv(t *testing.T, engine string) *railEnv {
	t.Helper()
	ctx := context.Background()
	e := &railEnv{t: t, store: postgres.NewRailQuoteStore(pgtest.Open(t, pgtest.URL(t))), node: st.NewNode(t, st.GenesisMainnet),
		now: time.Unix(st.BlockTimeSOLMemo-60, 0), domain: eip712.MarketDomain(big.NewInt(31337), gpumarket.Address{0xee}),
		provider: gpumarket.Address{0xaa, 0x01}}
	var err error
	if e.mkey, e.maddr, err = keys.GenerateKey(); err != nil {
		t.Fatal(err)
	}
	signer, _ := eip712.NewRailOfferSigner(e.mkey, e.domain)
	od, _ := railpay.NewOfferDispatcher(signer, e.store, time.Hour, e.clock)
	e.dispatch = &crashingDispatch{OfferDispatcher: od}
	if e.checker, err = solana.NewQuotePayments(ctx, solana.NewRPC(e.node.URL), st.GenesisMainnet, nil); err != nil {
		t.Fatal(err)
	}
	var js gpumarket.JobSpec
	switch engine {
	case "tts":
		needESpeak(t)
		params, _ := json.Marshal(openai.TTSParams{Text: "the frame is ready"})
		js = gpumarket.JobSpec{Kind: gpumarket.JobKindTTS, Model: "espeak-ng",
			Inputs:       []gpumarket.JobInput{{Name: openai.ParamsInput, URI: gpumarket.DataURI("application/json", params)}},
			Requirements: gpumarket.Requirements{GPUCount: 1, Estimate: gpumarket.Estimate{Characters: 18}}}
		engine, err := speech.NewESpeak(speech.ESpeakConfig{Launch: speech.Launch{WorkRoot: t.TempDir()}}, nil)
		if err != nil {
			t.Fatal(err)
		}
		e.exe = &railExec{Executor: engine}
	case "render":
		if _, err := exec.LookPath("blender"); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatal("blender missing (make setup installs it)")
			}
			t.Skip("blender missing (make setup installs it)")
		}
		engine, err := blender.New(blender.Config{WorkRoot: t.TempDir(), AllowPrivateInputs: true}, nil)
		if err != nil {
			t.Fatal(err)
		}
		blend, err := engine.TestScene(ctx)
		if err != nil {
			t.Fatalf("TestScene: %v", err)
		}
		sum := sha256.Sum256(blend)
		blobs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(blend))
		}))
		t.Cleanup(blobs.Close)
		params, _ := json.Marshal(blender.Params{Width: 64, Height: 48, Samples: 4})
		js = gpumarket.JobSpec{Kind: gpumarket.JobKindRender, Model: "cycles", Inputs: []gpumarket.JobInput{
			{Name: blender.SceneInput, URI: blobs.URL + "/v1/blobs/" + hex.EncodeToString(sum[:]), SHA256: hex.EncodeToString(sum[:]), SizeBytes: uint64(len(blend))},
			{Name: blender.ParamsInput, URI: gpumarket.DataURI("application/json", params)},
		}, Requirements: gpumarket.Requirements{GPUCount: 1, Estimate: gpumarket.Estimate{Frames: 1}}}
		e.exe = &railExec{Executor: engine}
	default:
		t.Fatalf("engine %q", engine)
	}
	if e.spec, err = json.Marshal(js); err != nil {
		t.Fatal(err)
	}
	e.specHash = keys.Keccak256(e.spec)
	if e.results, err = resultstore.Open(t.TempDir(), nil); err != nil {
		t.Fatal(err)
	}
	pub, key, _ := ed25519.GenerateKey(nil)
	e.payer, e.payerKey = base58.Encode(pub), key
	return e
}

// resultServer serves the relayer's results, rail ones to their payer
// keys.
func (e *railEnv) resultServer() *httptest.Server {
	h := resultstore.NewHandler(e.results, &resultstore.MemOwners{}, resultauth.NewResultAuthorizer(0, e.clock), nil).
		WithRail(solana.NewResultAuthorizer(0, e.clock), railOwners{e.store, e.provider})
	srv := httptest.NewServer(h)
	e.t.Cleanup(srv.Close)
	return srv
}

// download GETs uri with the rail download headers.
func download(t *testing.T, uri, payer, sig string, expiry int64) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, uri, nil)
	req.Header.Set(solana.ResultPayerHeader, payer)
	req.Header.Set(solana.ResultSignatureHeader, sig)
	req.Header.Set(solana.ResultExpiryHeader, strconv.FormatInt(expiry, 10))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func (e *railEnv) newMatcher() *railpay.Service {
	s, err := railpay.New(railpay.Config{}, e.store, e.checker, e.dispatch, nil, e.clock, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

// newRelayer starts a rail loop; offers, when set, replaces the matcher's
// list (a forged one).
func (e *railEnv) newRelayer(offers relayer.RailOffers) *relayer.RailLoop {
	if offers == nil {
		offers = offersFunc(func(ctx context.Context, p gpumarket.Address) ([]gpumarket.SignedRailOffer, error) {
			return e.newMatcher().Offers(ctx, p)
		})
	}
	l, err := relayer.NewRailLoop(relayer.RailConfig{Provider: e.provider, ResultBaseURL: "http://relayer.test", Now: e.clock}, offers,
		railVerifier{e.domain}, matcherRole(e.maddr), e.store, railSpecs{e.specHash: e.spec}, e.results, e.exe, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return l
}

// quote quotes the job for 1,000,000 lamports to SOLRecipient.
func (e *railEnv) quote(m *railpay.Service) gpumarket.RailQuote {
	q, err := m.Quote(context.Background(), railpay.Offer{ChainID: 31337, Provider: e.provider, Recipient: st.SOLRecipient, Decimals: 9,
		Amount: big.NewInt(1_000_000), SpecHash: e.specHash})
	if err != nil {
		e.t.Fatal(err)
	}
	return q
}

// pay puts the recorded SOL transfer on the node, derived to carry q's
// reference and come from the payer key.
func (e *railEnv) pay(q gpumarket.RailQuote) {
	tx := st.Replace(e.t, st.WithReference(e.t, st.Result(e.t, st.FxSOLMemo), q.Terms.Reference), st.SOLSender, e.payer)
	e.node.Pay(e.t, st.SigSOLMemo, tx, "[8] transfer", q.Terms.Reference)
}

func TestSolanaRailEndToEnd(t *testing.T) {
	e := newRailEnv(t, "tts")
	ctx := context.Background()
	e.dispatch.crash = true
	m := e.newMatcher()
	q := e.quote(m)
	payer, payerKey, exe, store := e.payer, e.payerKey, e.exe, e.store
	newRelayer := func() *relayer.RailLoop { return e.newRelayer(nil) }
	newMatcher := e.newMatcher
	dispatch := e.dispatch
	rl := newRelayer()

	// Not paid yet: nothing is offered, nothing runs.
	if err := rl.Tick(ctx); err != nil || exe.runs != 0 {
		t.Fatalf("Tick() before payment = %v, %d runs", err, exe.runs)
	}
	e.pay(q)
	if n, err := m.Bind(ctx); n != 1 || err != nil {
		t.Fatalf("Bind() = %d, %v", n, err)
	}
	if _, err := m.Dispatch(ctx); !errors.Is(err, errDied) {
		t.Fatalf("Dispatch() with the matcher dying = %v", err)
	}
	// The offer is stored, the job still funded: the relayer sees nothing.
	if err := rl.Tick(ctx); err != nil || exe.runs != 0 {
		t.Fatalf("Tick() while funded = %v, %d runs", err, exe.runs)
	}
	dispatch.crash = false
	if n, err := newMatcher().Dispatch(ctx); n != 1 || err != nil {
		t.Fatalf("Dispatch() after restart = %d, %v", n, err)
	}
	for range 2 {
		if err := newRelayer().Tick(ctx); err != nil {
			t.Fatalf("Tick() = %v", err)
		}
	}
	job, err := store.RailJob(ctx, q.ID)
	if err != nil || job.State != gpumarket.RailJobDelivered || job.ResultHash == (gpumarket.Hash{}) || job.Payer != payer || exe.runs != 1 ||
		job.ResultURI != "http://relayer.test/v1/results/"+job.ResultHash.String() {
		t.Fatalf("job = %+v, %v after %d runs; want delivered to %s after 1 run", job, err, exe.runs, payer)
	}

	srv := e.resultServer()
	get := func(hash gpumarket.Hash, payer, sig string, expiry int64) (int, []byte) {
		return download(t, srv.URL+"/v1/results/"+hash.String(), payer, sig, expiry)
	}
	exp := e.now.Add(5 * time.Minute).Unix()
	code, body := get(job.ResultHash, payer, solana.SignResultRequest(payerKey, job.ResultHash, exp), exp)
	if code != http.StatusOK || keys.Keccak256(body) != job.ResultHash || len(body) < 44 || string(body[:4]) != "RIFF" {
		t.Fatalf("download = %d, %d bytes (hash %s); want 200 and a WAV hashing to %s", code, len(body), keys.Keccak256(body), job.ResultHash)
	}

	_, otherKey, _ := ed25519.GenerateKey(nil)
	otherPub := base58.Encode(otherKey.Public().(ed25519.PublicKey))
	tests := []struct {
		name  string
		payer string
		sig   string
		exp   int64
		hash  gpumarket.Hash
		code  int
		later time.Duration
	}{
		{"replayed after expiry", payer, solana.SignResultRequest(payerKey, job.ResultHash, exp), exp, job.ResultHash, 401, 6 * time.Minute},
		{"expiry too far ahead", payer, solana.SignResultRequest(payerKey, job.ResultHash, exp+3600), exp + 3600, job.ResultHash, 401, 0},
		{"other key claims the payer", payer, solana.SignResultRequest(otherKey, job.ResultHash, exp), exp, job.ResultHash, 401, 0},
		{"other key as itself", otherPub, solana.SignResultRequest(otherKey, job.ResultHash, exp), exp, job.ResultHash, 403, 0},
		{"signature of another expiry", payer, solana.SignResultRequest(payerKey, job.ResultHash, exp-1), exp, job.ResultHash, 401, 0},
		{"signature of another hash", payer, solana.SignResultRequest(payerKey, gpumarket.Hash{1}, exp), exp, job.ResultHash, 401, 0},
		{"unknown result", payer, solana.SignResultRequest(payerKey, gpumarket.Hash{1}, exp), exp, gpumarket.Hash{1}, 404, 0},
		{"malformed signature", payer, "0x00", exp, job.ResultHash, 400, 0},
		{"malformed payer", "payer", solana.SignResultRequest(payerKey, job.ResultHash, exp), exp, job.ResultHash, 400, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.now = e.now.Add(tt.later)
			defer func() { e.now = e.now.Add(-tt.later) }()
			if code, body := get(tt.hash, tt.payer, tt.sig, tt.exp); code != tt.code {
				t.Errorf("download = %d %s, want %d", code, body, tt.code)
			}
		})
	}
	if exe.runs != 1 {
		t.Errorf("%d runs, want 1", exe.runs)
	}
}

// TestRailLoopRefusesAndResumes: forged, foreign, lapsed and unpaid
// offers run nothing; a run cut short by a crash is resumed by the
// restarted relayer and delivered once.
func TestRailLoopRefusesAndResumes(t *testing.T) {
	e := newRailEnv(t, "tts")
	ctx := context.Background()
	m := e.newMatcher()
	q, unpaid := e.quote(m), e.quote(m)
	e.pay(q)
	if n, err := m.Bind(ctx); n != 1 || err != nil {
		t.Fatalf("Bind() = %d, %v", n, err)
	}
	if n, err := m.Dispatch(ctx); n != 1 || err != nil {
		t.Fatalf("Dispatch() = %d, %v", n, err)
	}
	real, err := m.Offers(ctx, e.provider)
	if err != nil || len(real) != 1 {
		t.Fatalf("Offers() = %v, %v", real, err)
	}
	otherKey, _, _ := keys.GenerateKey()
	sign := func(key *ecdsa.PrivateKey, o gpumarket.RailOffer) gpumarket.SignedRailOffer {
		sig, err := eip712.SignRailOffer(key, e.domain, &o)
		if err != nil {
			t.Fatal(err)
		}
		return gpumarket.SignedRailOffer{Offer: o, Signature: sig}
	}
	o := real[0].Offer
	otherPayer := o
	otherPayer.Payer = q.Terms.Reference // some other key
	lapsed := o
	lapsed.Expiry = e.now.Unix()
	foreign := o
	foreign.Provider = gpumarket.Address{0xbb}
	notPaid := o
	notPaid.QuoteID, notPaid.Reference = unpaid.ID, unpaid.Terms.Reference
	tests := []struct {
		name  string
		offer gpumarket.SignedRailOffer
	}{
		{"signed by a key without the matcher role", sign(otherKey, o)},
		{"another payer", sign(e.mkey, otherPayer)},
		{"lapsed", sign(e.mkey, lapsed)},
		{"another provider's", sign(e.mkey, foreign)},
		{"not paid", sign(e.mkey, notPaid)},
		{"signature of another offer", gpumarket.SignedRailOffer{Offer: otherPayer, Signature: real[0].Signature}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forged := offersFunc(func(context.Context, gpumarket.Address) ([]gpumarket.SignedRailOffer, error) {
				return []gpumarket.SignedRailOffer{tt.offer}, nil
			})
			if err := e.newRelayer(forged).Tick(ctx); err == nil {
				t.Errorf("Tick() with a forged offer = nil, want a refusal")
			}
			if j, _ := e.store.RailJob(ctx, q.ID); j.State != gpumarket.RailJobDispatched || e.exe.runs != 0 {
				t.Errorf("job %s after %d runs; want dispatched, none", j.State, e.exe.runs)
			}
		})
	}

	e.exe.crash = true
	if err := e.newRelayer(nil).Tick(ctx); !errors.Is(err, errKilled) {
		t.Fatalf("Tick() killed mid-run = %v", err)
	}
	if j, _ := e.store.RailJob(ctx, q.ID); j.State != gpumarket.RailJobRunning || e.exe.runs != 1 {
		t.Fatalf("after the crash: job %s, %d runs; want running, 1", j.State, e.exe.runs)
	}
	for range 2 {
		if err := e.newRelayer(nil).Tick(ctx); err != nil {
			t.Fatalf("Tick() after restart = %v", err)
		}
	}
	j, _ := e.store.RailJob(ctx, q.ID)
	if j.State != gpumarket.RailJobDelivered || j.ResultHash == (gpumarket.Hash{}) || e.exe.runs != 2 {
		t.Errorf("job %s (result %s) after %d runs; want delivered after 2 (the cut run and its resumption)", j.State, j.ResultHash, e.exe.runs)
	}
	f, _, err := e.results.Open(ctx, j.ResultHash)
	if err != nil {
		t.Fatalf("delivered result not stored: %v", err)
	}
	f.Close()
}

// TestSolanaRailRenderFrame is the "done when": a client pays a
// render job with a Solana Pay URL and gets the frame. The quote's
// transfer request is paid (the recorded transfer, derived), the payment
// is bound at finalized commitment and dispatched, the relayer renders
// the frame with Blender, and the client downloads it with its payer
// key's signature: a 64x48 PNG hashing to the delivered hash.
func TestSolanaRailRenderFrame(t *testing.T) {
	e := newRailEnv(t, "render")
	ctx := context.Background()
	m := e.newMatcher()
	q := e.quote(m)
	if want := "solana:" + st.SOLRecipient + "?amount=0.001&reference=" + q.Terms.Reference; len(q.URL) < len(want) || q.URL[:len(want)] != want {
		t.Fatalf("transfer request %s, want prefix %s", q.URL, want)
	}
	e.pay(q)
	if n, err := m.Bind(ctx); n != 1 || err != nil {
		t.Fatalf("Bind() = %d, %v", n, err)
	}
	if n, err := m.Dispatch(ctx); n != 1 || err != nil {
		t.Fatalf("Dispatch() = %d, %v", n, err)
	}
	if err := e.newRelayer(nil).Tick(ctx); err != nil {
		t.Fatalf("Tick() = %v", err)
	}
	job, err := e.store.RailJob(ctx, q.ID)
	if err != nil || job.State != gpumarket.RailJobDelivered || e.exe.runs != 1 {
		t.Fatalf("job %+v, %v after %d runs; want delivered after 1", job, err, e.exe.runs)
	}
	srv := e.resultServer()
	exp := e.now.Add(time.Minute).Unix()
	code, body := download(t, srv.URL+"/v1/results/"+job.ResultHash.String(), e.payer, solana.SignResultRequest(e.payerKey, job.ResultHash, exp), exp)
	if code != http.StatusOK || keys.Keccak256(body) != job.ResultHash {
		t.Fatalf("download = %d, %d bytes; want 200 and the delivered frame", code, len(body))
	}
	img, err := png.Decode(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("the frame is not a PNG: %v", err)
	}
	if sz := img.Bounds().Size(); sz.X != 64 || sz.Y != 48 {
		t.Errorf("frame is %dx%d, want 64x48", sz.X, sz.Y)
	}
	_, other, _ := ed25519.GenerateKey(nil)
	if code, _ := download(t, srv.URL+"/v1/results/"+job.ResultHash.String(), e.payer, solana.SignResultRequest(other, job.ResultHash, exp), exp); code != http.StatusUnauthorized {
		t.Errorf("download signed by another key = %d, want 401", code)
	}
}
