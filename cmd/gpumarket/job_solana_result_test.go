package main

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mr-tron/base58"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/internal/eth/keys"
	"github.com/gpumarket/gpumarket/internal/eth/resultauth"
	"github.com/gpumarket/gpumarket/internal/postgres"
	"github.com/gpumarket/gpumarket/internal/solana"
	st "github.com/gpumarket/gpumarket/internal/solana/solanatest"
	"github.com/gpumarket/gpumarket/matcher"
	"github.com/gpumarket/gpumarket/matcher/api"
	matcherclient "github.com/gpumarket/gpumarket/matcher/client"
	"github.com/gpumarket/gpumarket/matcher/matchertest"
	"github.com/gpumarket/gpumarket/matcher/railpay"
	"github.com/gpumarket/gpumarket/relayer"
	"github.com/gpumarket/gpumarket/relayer/executor/synthetic"
	"github.com/gpumarket/gpumarket/relayer/resultstore"
)

// railRole stands in for the marketplace's matcher role (the chain).
type railRole gpumarket.Address

func (r railRole) IsMatcher(_ context.Context, a gpumarket.Address) (bool, error) {
	return a == gpumarket.Address(r), nil
}

type railSigner struct{ d eip712.Domain }

func (v railSigner) RailOfferSigner(o *gpumarket.RailOffer, sig []byte) (gpumarket.Address, error) {
	return eip712.RailOfferSignerOf(v.d, o, sig)
}

// TestJobRunSolanaWaitsForResult: with --solana-keypair, `job run --rail
// solana` waits past the payment for the result: the job is dispatched
// as a signed rail offer, the provider's rail loop (the synthetic demo
// executor: the real engines run in relayer's rail tests) delivers it,
// and the command downloads it from the result server with the payer
// key's signature and saves it, checked against the delivered hash.
func TestJobRunSolanaWaitsForResult(t *testing.T) {
	m := newSolanaRailMarket(t)
	e, p, walletAddr, node, checker := m.e, m.p, m.walletAddr, m.node, m.checker
	mkey, maddr, err := keys.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	domain := eip712.MarketDomain(big.NewInt(matchertest.Chain), gpumarket.Address{0xee})
	offerSigner, _ := eip712.NewRailOfferSigner(mkey, domain)
	railStore := postgres.NewRailQuoteStore(e.DB)
	dispatch, _ := railpay.NewOfferDispatcher(offerSigner, railStore, time.Hour, e.Clock.Now)
	rail, err := railpay.New(railpay.Config{}, railStore, checker, dispatch, nil, e.Clock.Now, nil)
	if err != nil {
		t.Fatal(err)
	}
	verifier, _ := eip712.NewRegistryVerifier(matchertest.Chain, e.Registry)
	srv, err := api.New(api.Config{ChainID: matchertest.Chain, Params: matcher.DefaultParams(),
		Quote: matcher.QuoteParams{MinimumPrice: big.NewInt(1000)}, Liveness: matcher.DefaultLivenessParams(),
		Solana: &api.SolanaConfig{Rail: rail, Mints: []api.SolanaMint{{Decimals: 9, PriceToken: e.Token, Num: big.NewInt(20), Den: big.NewInt(3)}}},
	}, e.APIStore, verifier, e.Log, e.Clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)

	payerPub, payerKey, _ := ed25519.GenerateKey(nil)
	keyFile := filepath.Join(t.TempDir(), "payer.json")
	ints := make([]int, len(payerKey))
	for i, b := range payerKey {
		ints[i] = int(b)
	}
	kb, _ := json.Marshal(ints)
	if err := os.WriteFile(keyFile, kb, 0o600); err != nil {
		t.Fatal(err)
	}
	results, err := resultstore.Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	rh := resultstore.NewHandler(results, &resultstore.MemOwners{}, resultauth.NewResultAuthorizer(0, nil), nil).
		WithRail(solana.NewResultAuthorizer(0, nil), railOwnersOf{railStore, p.Addr})
	rs := httptest.NewServer(rh)
	t.Cleanup(rs.Close)
	mc, err := matcherclient.New(hs.URL, matchertest.Chain, nil)
	if err != nil {
		t.Fatal(err)
	}
	loop, err := relayer.NewRailLoop(relayer.RailConfig{Provider: p.Addr, ResultBaseURL: rs.URL, Now: e.Clock.Now}, mc, railSigner{domain}, railRole(maddr),
		railStore, mc, results, synthetic.New(nil), nil)
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	out := t.TempDir()
	type result struct {
		out string
		err error
	}
	done := make(chan result, 1)
	go func() {
		o, err := runSubcommand(ctx, t, jobCommand, "run", "--rail", "solana", "--matcher-url", hs.URL, "--chain-id", strconv.Itoa(matchertest.Chain),
			"--kind", "llm", "--model", "llama-3-8b", "--prompt", "hello", "--poll-interval", "50ms", "--out", out, "--solana-keypair", keyFile)
		done <- result{o, err}
	}()
	var ref, amount string
	for ref == "" {
		select {
		case r := <-done:
			t.Fatalf("job run ended before paying: %v\n%s", r.err, r.out)
		case <-time.After(50 * time.Millisecond):
		}
		_ = e.SQL.TryQueryRow(ctx, `SELECT reference, amount::text FROM rail_quotes`, nil, &ref, &amount)
	}
	pay := st.WithReference(t, st.Result(t, st.FxSOLMemo), ref)
	pay = st.Replace(t, pay, st.SOLRecipient, walletAddr)
	pay = st.Replace(t, pay, st.SOLSender, base58.Encode(payerPub))
	pay = st.Replace(t, pay, `"lamports":1000000`, `"lamports":`+amount)
	pay = st.Replace(t, pay, `"blockTime":`+strconv.Itoa(st.BlockTimeSOLMemo), fmt.Sprintf(`"blockTime":%d`, e.Clock.Now().Unix()+30))
	node.Pay(t, st.SigSOLMemo, pay, "", ref)
	if funded, err := rail.Bind(ctx); funded != 1 || err != nil {
		t.Fatalf("Bind() = %d, %v", funded, err)
	}
	if n, err := rail.Dispatch(ctx); n != 1 || err != nil {
		t.Fatalf("Dispatch() = %d, %v", n, err)
	}
	if err := loop.Tick(ctx); err != nil {
		t.Fatalf("rail loop Tick() = %v", err)
	}
	r := <-done
	if r.err != nil {
		t.Fatalf("job run --rail solana --solana-keypair: %v\n%s", r.err, r.out)
	}
	q, _ := railStore.RailQuote(ctx, ref)
	job, _ := railStore.RailJob(ctx, q.ID)
	saved := filepath.Join(out, "rail-"+ref[:8]+".result")
	b, err := os.ReadFile(saved)
	if err != nil || job.State != gpumarket.RailJobDelivered || keys.Keccak256(b) != job.ResultHash || !strings.Contains(r.out, "saved ") {
		t.Fatalf("saved %s: %d bytes, %v; job %s %s; output:\n%s", saved, len(b), err, job.State, job.ResultHash, r.out)
	}
	if _, err := runSubcommand(ctx, t, jobCommand, "run", "--rail", "solana", "--matcher-url", hs.URL, "--chain-id", "31337",
		"--kind", "llm", "--model", "llama-3-8b", "--prompt", "hello", "--solana-keypair", keyFile); err == nil || !strings.Contains(err.Error(), "--out (GPUMARKET_JOB_OUT): required with --solana-keypair") {
		t.Errorf("job run --solana-keypair without --out = %v", err)
	}
}

type railOwnersOf struct {
	s *postgres.RailQuoteStore
	p gpumarket.Address
}

func (o railOwnersOf) IsRailOwner(ctx context.Context, h gpumarket.Hash, payer string) (bool, error) {
	return o.s.IsRailOwner(ctx, o.p, h, payer)
}
