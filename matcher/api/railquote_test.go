package api_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mr-tron/base58"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/internal/eth/keys"
	"github.com/gpumarket/gpumarket/internal/postgres"
	"github.com/gpumarket/gpumarket/internal/solana"
	st "github.com/gpumarket/gpumarket/internal/solana/solanatest"
	"github.com/gpumarket/gpumarket/matcher"
	"github.com/gpumarket/gpumarket/matcher/api"
	"github.com/gpumarket/gpumarket/matcher/client"
	"github.com/gpumarket/gpumarket/matcher/matchertest"
	"github.com/gpumarket/gpumarket/matcher/railpay"
)

// TestSolanaRailQuote: a job request on the Solana rail gets 402 with a
// quote naming the cheapest qualifying provider that bound a wallet, the
// oracle's price converted to lamports, and a Solana Pay URL; the payment
// (the recorded SOL transfer, derived to carry the quote's reference, pay
// the provider's wallet the quoted lamports at a time before the expiry)
// funds the job, which the status route and a confirmation then show;
// dispatched, it is listed to the provider as a signed, prepaid offer.
func TestSolanaRailQuote(t *testing.T) {
	e := matchertest.New(t)
	e.Online(matchertest.ProvOpts{Price: 900, Model: "llama-3-8b"}) // cheaper, but no Solana wallet
	p := e.Register(matchertest.ProvOpts{Price: 1000, Model: "llama-3-8b"})
	_, wallet, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	d := eip712.RegistryDomain(big.NewInt(matchertest.Chain), e.Registry)
	if p.Att.Solana, err = eip712.SignSolanaWallet(p.Key, wallet, d, p.Att); err != nil {
		t.Fatal(err)
	}
	walletAddr := base58.Encode(wallet.Public().(ed25519.PublicKey))
	if code, body := e.Do("POST", "/v1/attestations", e.AttestBody(p, matchertest.Chain)); code != 200 {
		t.Fatalf("attest with a Solana wallet: %d %s", code, body)
	}
	p.Seq++
	if code, body := e.Do("POST", "/v1/heartbeats", e.HeartbeatBody(p, p.Seq, e.Clock.Now().Unix(), p.Att.Slots)); code != 200 {
		t.Fatalf("heartbeat: %d %s", code, body)
	}
	// Oracle rates, as TestAPI makes them.
	spec := e.UploadSpec(matchertest.SpecBody("llama-3-8b", 4000))
	e.AddJob(1, spec, "ipfs://x", "1000000", nil)
	if err := e.Queue.Sync(e.Ctx, matchertest.Chain, time.Time{}, e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	s := e.NewService("a", nil)
	matchertest.Drain(t, e.Ctx, s)
	if err := s.Snapshot(e.Ctx); err != nil {
		t.Fatal(err)
	}

	node := st.NewNode(t, st.GenesisMainnet)
	checker, err := solana.NewQuotePayments(e.Ctx, solana.NewRPC(node.URL), st.GenesisMainnet, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Funded jobs are offered to the provider, signed by the matcher key.
	mkey, maddr, err := keys.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	marketDomain := eip712.MarketDomain(big.NewInt(matchertest.Chain), gpumarket.Address{0xee})
	offerSigner, err := eip712.NewRailOfferSigner(mkey, marketDomain)
	if err != nil {
		t.Fatal(err)
	}
	railStore := postgres.NewRailQuoteStore(e.DB)
	dispatch, err := railpay.NewOfferDispatcher(offerSigner, railStore, time.Hour, e.Clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	rail, err := railpay.New(railpay.Config{}, railStore, checker, dispatch, nil, e.Clock.Now, nil)
	if err != nil {
		t.Fatal(err)
	}
	verifier, err := eip712.NewRegistryVerifier(matchertest.Chain, e.Registry)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := api.New(api.Config{ChainID: matchertest.Chain, Params: matcher.DefaultParams(),
		Quote:    matcher.QuoteParams{MinimumPrice: big.NewInt(1000), ProtocolFeeBps: 250, CreatorShareBps: 500},
		Liveness: matcher.DefaultLivenessParams(),
		Solana: &api.SolanaConfig{Rail: rail, Mints: []api.SolanaMint{
			{Mint: "", Decimals: 9, PriceToken: e.Token, Num: big.NewInt(20), Den: big.NewInt(3)},
			{Mint: st.USDCMint, Decimals: 6, PriceToken: e.Token, Num: big.NewInt(1), Den: big.NewInt(1)},
		}}}, e.APIStore, verifier, e.Log, e.Clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	h := srv.Handler()
	do := func(method, path, body string) (int, []byte) {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w.Code, w.Body.Bytes()
	}

	specBody := string(matchertest.SpecBody("llama-3-8b", 4000))
	for _, tt := range []struct{ name, body, contains string }{
		{"unknown field", `{"spec":` + specBody + `,"x":1}`, "unknown field"},
		{"mint not accepted", `{"spec":` + specBody + `,"mint":"So11111111111111111111111111111111111111112"}`, "not accepted"},
		{"no spec", `{}`, "spec"},
	} {
		if code, body := do("POST", "/v1/rail/solana/quotes", tt.body); code != 400 || !strings.Contains(string(body), tt.contains) {
			t.Errorf("%s: %d %s, want 400 naming %q", tt.name, code, body, tt.contains)
		}
	}
	if n := e.Count(`SELECT count(*) FROM rail_quotes`); n != 0 {
		t.Fatalf("%d quotes stored by bad requests", n)
	}

	code, body := do("POST", "/v1/rail/solana/quotes", `{"spec":`+specBody+`}`)
	if code != http.StatusPaymentRequired {
		t.Fatalf("quote: %d %s, want 402", code, body)
	}
	var q struct {
		Provider      string `json:"provider"`
		Recipient     string `json:"recipient"`
		Amount        string `json:"amount"`
		Reference     string `json:"reference"`
		URL           string `json:"url"`
		Cluster       string `json:"cluster"`
		Custody       string `json:"custody"`
		AcceptedMints []struct {
			Mint string `json:"mint"`
		} `json:"accepted_mints"`
		Breakdown struct {
			Price  string `json:"price"`
			Oracle struct {
				Total      string `json:"total"`
				Qualifying []struct {
					Provider string `json:"provider"`
					Cost     string `json:"cost"`
				} `json:"qualifying"`
			} `json:"oracle"`
		} `json:"breakdown"`
	}
	if err := json.Unmarshal(body, &q); err != nil {
		t.Fatal(err)
	}
	total, ok := new(big.Int).SetString(q.Breakdown.Oracle.Total, 10)
	if !ok || len(q.Breakdown.Oracle.Qualifying) != 2 {
		t.Fatalf("breakdown has no oracle total or not both providers: %s", body)
	}
	price := total
	for _, c := range q.Breakdown.Oracle.Qualifying {
		if cost, _ := new(big.Int).SetString(c.Cost, 10); c.Provider == p.Addr.String() && cost.Cmp(price) > 0 {
			price = cost
		}
	}
	if q.Breakdown.Price != price.String() {
		t.Errorf("breakdown price %s, want max(oracle total %s, provider's cost) = %s", q.Breakdown.Price, total, price)
	}
	want := new(big.Int).Mul(price, big.NewInt(20))
	want.Add(want, big.NewInt(2)).Quo(want, big.NewInt(3))
	if q.Provider != p.Addr.String() || q.Recipient != walletAddr || q.Amount != want.String() || q.Cluster != st.GenesisMainnet ||
		len(q.AcceptedMints) != 2 || !strings.Contains(q.Custody, "no escrow") {
		t.Fatalf("quote = %s; want provider %s, recipient %s, amount %s (ceil(price %s × 20/3))", body, p.Addr, walletAddr, want, price)
	}
	amt, _ := new(big.Int).SetString(q.Amount, 10)
	if wantURL := "solana:" + walletAddr + "?amount=" + solana.FormatAmount(amt, 9) + "&reference=" + q.Reference; !strings.HasPrefix(q.URL, wantURL) {
		t.Errorf("url = %s, want prefix %s", q.URL, wantURL)
	}
	if code, body := do("GET", "/v1/specs/"+keccakHex(t, e, specBody), ""); code != 200 {
		t.Errorf("the quoted spec is not served for the provider: %d %s", code, body)
	}

	// The payment: derived from the recorded SOL transfer.
	pay := st.WithReference(t, st.Result(t, st.FxSOLMemo), q.Reference)
	pay = st.Replace(t, pay, st.SOLRecipient, walletAddr)
	pay = st.Replace(t, pay, `"lamports":1000000`, `"lamports":`+q.Amount)
	pay = st.Replace(t, pay, `"blockTime":`+strconv.Itoa(st.BlockTimeSOLMemo), fmt.Sprintf(`"blockTime":%d`, e.Clock.Now().Unix()+30))
	node.Pay(t, st.SigSOLMemo, pay, "[8] transfer", q.Reference)
	if code, body := do("GET", "/v1/rail/solana/quotes/"+q.Reference, ""); code != 200 || !bytes.Contains(body, []byte(`"job":null`)) {
		t.Errorf("status before binding: %d %s", code, body)
	}
	if funded, err := rail.Bind(e.Ctx); funded != 1 || err != nil {
		t.Fatalf("Bind() = %d, %v; want the job funded", funded, err)
	}
	code, body = do("GET", "/v1/rail/solana/quotes/"+q.Reference, "")
	if code != 200 || !bytes.Contains(body, []byte(`"state":"funded"`)) || !bytes.Contains(body, []byte(`"verdict":"funds"`)) || !bytes.Contains(body, []byte(st.SOLSender)) {
		t.Errorf("status after binding: %d %s", code, body)
	}
	code, body = do("POST", "/v1/rail/solana/quotes/"+q.Reference+"/confirm", `{"signature":"`+st.SigSOLMemo+`"}`)
	if code != 200 || !bytes.Contains(body, []byte(`"state":"funded"`)) {
		t.Errorf("confirm the funding payment: %d %s", code, body)
	}
	if code, body := do("POST", "/v1/rail/solana/quotes/"+q.Reference+"/confirm", `{"signature":"nope"}`); code != 400 {
		t.Errorf("confirm a malformed signature: %d %s, want 400", code, body)
	}
	if code, body := do("GET", "/v1/rail/solana/quotes/"+strings.Repeat("1", 32), ""); code != 404 {
		t.Errorf("status of an unknown quote: %d %s, want 404", code, body)
	}

	// Dispatch: the provider's relayer lists the signed, prepaid offer
	// through the matcher client.
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	mc, err := client.New(hs.URL, matchertest.Chain, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := mc.RailOffers(e.Ctx, p.Addr); err != nil || len(got) != 0 {
		t.Fatalf("RailOffers() before dispatch = %v, %v; want none", got, err)
	}
	if n, err := rail.Dispatch(e.Ctx); n != 1 || err != nil {
		t.Fatalf("Dispatch() = %d, %v", n, err)
	}
	offers, err := mc.RailOffers(e.Ctx, p.Addr)
	if err != nil || len(offers) != 1 {
		t.Fatalf("RailOffers() = %v, %v; want one", offers, err)
	}
	o := offers[0]
	if o.Offer.Reference != q.Reference || o.Offer.Provider != p.Addr || o.Offer.Payer != st.SOLSender || o.Offer.SpecHash.String() != keccakHex(t, e, specBody) {
		t.Errorf("offer = %+v; want the quote's reference, provider, spec and the payment's payer %s", o.Offer, st.SOLSender)
	}
	if err := eip712.VerifyRailOffer(marketDomain, &o.Offer, o.Signature, maddr, e.Clock.Now().Unix()); err != nil {
		t.Errorf("the offer's signature: %v", err)
	}
	if other, err := mc.RailOffers(e.Ctx, gpumarket.Address{0xbb}); err != nil || len(other) != 0 {
		t.Errorf("RailOffers(another provider) = %v, %v", other, err)
	}
	if code, body := do("GET", "/v1/rail/solana/offers/0x12", ""); code != 400 {
		t.Errorf("offers of a malformed address: %d %s, want 400", code, body)
	}
	code, body = do("GET", "/v1/rail/solana/quotes/"+q.Reference, "")
	if code != 200 || !bytes.Contains(body, []byte(`"state":"dispatched"`)) {
		t.Errorf("status after dispatch: %d %s", code, body)
	}

	// The explorer's list: the job with its quote and payment, exact
	// amounts; then delivered with its result hash.
	type railJobs struct {
		Jobs       []api.RailJobSummary `json:"jobs"`
		NextBefore *int64               `json:"next_before"`
	}
	list := func(query string) railJobs {
		t.Helper()
		code, body := do("GET", "/v1/rail/solana/jobs"+query, "")
		var out railJobs
		if code != 200 {
			t.Fatalf("GET /v1/rail/solana/jobs%s: %d %s", query, code, body)
		}
		if err := json.Unmarshal(body, &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	got := list("")
	if len(got.Jobs) != 1 || got.NextBefore != nil {
		t.Fatalf("rail jobs = %+v, want the one job and no next page", got)
	}
	j := got.Jobs[0]
	if j.QuoteID != o.Offer.QuoteID || j.State != "dispatched" || j.Provider != p.Addr.String() || j.Payer != st.SOLSender ||
		j.Quoted != q.Amount || j.Paid != q.Amount || j.Excess != "0" || j.Signature != st.SigSOLMemo || j.Reference != q.Reference ||
		j.Cluster != st.GenesisMainnet || j.Recipient != walletAddr || j.DispatchedAt == nil || j.FinishedAt != nil || j.ResultHash != nil {
		t.Errorf("rail job = %+v; want the dispatched job of quote %d paid %s by %s", j, o.Offer.QuoteID, q.Amount, st.SOLSender)
	}
	if page := list("?limit=1"); len(page.Jobs) != 1 || page.NextBefore == nil || *page.NextBefore != j.QuoteID {
		t.Errorf("limit=1: %+v, want one job and next_before %d", page, j.QuoteID)
	}
	if page := list(fmt.Sprintf("?before=%d", j.QuoteID)); len(page.Jobs) != 0 {
		t.Errorf("before=%d: %+v, want nothing older", j.QuoteID, page)
	}
	if err := railStore.ClaimRailJob(e.Ctx, p.Addr, j.QuoteID); err != nil {
		t.Fatal(err)
	}
	result := gpumarket.Hash{0xde, 0xad}
	if err := railStore.DeliverRailJob(e.Ctx, j.QuoteID, result, "http://relayer.invalid/r"); err != nil {
		t.Fatal(err)
	}
	if d := list("").Jobs[0]; d.State != "delivered" || d.ResultHash == nil || *d.ResultHash != result.String() || d.StartedAt == nil || d.FinishedAt == nil {
		t.Errorf("delivered rail job = %+v, want delivered with result %s", d, result)
	}
	for _, bad := range []string{"?limit=0", "?limit=x", "?before=-1", "?before=x", "?state=delivered", "?limit=1&limit=2"} {
		if code, body := do("GET", "/v1/rail/solana/jobs"+bad, ""); code != 400 {
			t.Errorf("GET /v1/rail/solana/jobs%s: %d %s, want 400", bad, code, body)
		}
	}
}

func keccakHex(t *testing.T, e *matchertest.Env, body string) string {
	t.Helper()
	return e.UploadSpec([]byte(body)).String()
}
