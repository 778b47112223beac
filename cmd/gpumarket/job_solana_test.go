package main

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"math/big"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mr-tron/base58"

	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/internal/postgres"
	"github.com/gpumarket/gpumarket/internal/solana"
	st "github.com/gpumarket/gpumarket/internal/solana/solanatest"
	"github.com/gpumarket/gpumarket/matcher"
	"github.com/gpumarket/gpumarket/matcher/api"
	"github.com/gpumarket/gpumarket/matcher/matchertest"
	"github.com/gpumarket/gpumarket/matcher/railpay"
)

// TestJobRunSolana runs `job run --rail solana` against the matcher API
// with the Solana rail (real PostgreSQL, the replay node): it prints the
// Solana Pay URL and a QR code and waits; the payment (the recorded SOL
// transfer, derived to carry the quote's reference and pay the provider's
// wallet the quoted lamports) is bound, and the command ends; `job confirm`
// with the signature then reports the funded job.
func TestJobRunSolana(t *testing.T) {
	m := newSolanaRailMarket(t)
	e, walletAddr, node, checker := m.e, m.walletAddr, m.node, m.checker
	rail, err := railpay.New(railpay.Config{}, postgres.NewRailQuoteStore(e.DB), checker, nil, nil, e.Clock.Now, nil)
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

	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	type result struct {
		out string
		err error
	}
	done := make(chan result, 1)
	go func() {
		out, err := runSubcommand(ctx, t, jobCommand, "run", "--rail", "solana", "--matcher-url", hs.URL, "--chain-id", strconv.Itoa(matchertest.Chain),
			"--kind", "llm", "--model", "llama-3-8b", "--prompt", "hello", "--poll-interval", "50ms", "--out", t.TempDir())
		done <- result{out, err}
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
	pay = st.Replace(t, pay, `"lamports":1000000`, `"lamports":`+amount)
	pay = st.Replace(t, pay, `"blockTime":`+strconv.Itoa(st.BlockTimeSOLMemo), fmt.Sprintf(`"blockTime":%d`, e.Clock.Now().Unix()+30))
	node.Pay(t, st.SigSOLMemo, pay, "", ref)
	if funded, err := rail.Bind(ctx); funded != 1 || err != nil {
		t.Fatalf("Bind() = %d, %v", funded, err)
	}
	r := <-done
	if r.err != nil {
		t.Fatalf("job run --rail solana: %v\n%s", r.err, r.out)
	}
	for _, want := range []string{"solana:" + walletAddr + "?amount=", "reference=" + ref, "▀", "no escrow", "job funded"} {
		if !strings.Contains(r.out, want) {
			t.Errorf("job run output lacks %q:\n%s", want, r.out)
		}
	}
	out, err := runSubcommand(ctx, t, jobCommand, "confirm", "--matcher-url", hs.URL, "--chain-id", strconv.Itoa(matchertest.Chain), "--reference", ref, "--signature", st.SigSOLMemo)
	if err != nil || !strings.Contains(out, "funds the job") {
		t.Errorf("job confirm = %v\n%s", err, out)
	}
	if _, err := runSubcommand(ctx, t, jobCommand, "confirm", "--matcher-url", hs.URL, "--chain-id", "31337", "--reference", ref); err == nil || !strings.Contains(err.Error(), "--signature (GPUMARKET_JOB_SIGNATURE): required") {
		t.Errorf("job confirm without --signature = %v", err)
	}
}

// solanaRailMarket is where both `job run --rail solana` tests start: a
// matcher environment with one llm provider whose attestation binds a
// Solana wallet, attested, online and with rates (one job matched and
// the oracle snapshotted), and a replay Solana node with its payment
// checker.
type solanaRailMarket struct {
	e          *matchertest.Env
	p          *matchertest.Provider
	walletAddr string
	node       *st.Node
	checker    *solana.QuotePayments
}

func newSolanaRailMarket(t *testing.T) solanaRailMarket {
	t.Helper()
	e := matchertest.New(t)
	p := e.Register(matchertest.ProvOpts{Price: 1000, Model: "llama-3-8b"})
	_, wallet, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.Att.Solana, err = eip712.SignSolanaWallet(p.Key, wallet, eip712.RegistryDomain(big.NewInt(matchertest.Chain), e.Registry), p.Att); err != nil {
		t.Fatal(err)
	}
	walletAddr := base58.Encode(wallet.Public().(ed25519.PublicKey))
	if code, body := e.Do("POST", "/v1/attestations", e.AttestBody(p, matchertest.Chain)); code != 200 {
		t.Fatalf("attest: %d %s", code, body)
	}
	if code, body := e.Do("POST", "/v1/heartbeats", e.HeartbeatBody(p, 1, e.Clock.Now().Unix(), p.Att.Slots)); code != 200 {
		t.Fatalf("heartbeat: %d %s", code, body)
	}
	e.AddJob(1, e.UploadSpec(matchertest.SpecBody("llama-3-8b", 4000)), "ipfs://x", "1000000", nil)
	if err := e.Queue.Sync(e.Ctx, matchertest.Chain, time.Time{}, e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	svc := e.NewService("a", nil)
	matchertest.Drain(t, e.Ctx, svc)
	if err := svc.Snapshot(e.Ctx); err != nil {
		t.Fatal(err)
	}
	node := st.NewNode(t, st.GenesisMainnet)
	checker, err := solana.NewQuotePayments(e.Ctx, solana.NewRPC(node.URL), st.GenesisMainnet, nil)
	if err != nil {
		t.Fatal(err)
	}
	return solanaRailMarket{e: e, p: p, walletAddr: walletAddr, node: node, checker: checker}
}
