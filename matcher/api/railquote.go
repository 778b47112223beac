package api

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/solana"
	"github.com/gpumarket/gpumarket/matcher"
	"github.com/gpumarket/gpumarket/matcher/railpay"
	"github.com/gpumarket/gpumarket/matcher/service"
)

// SolanaRail is the Solana rail's payment path (*railpay.Service).
type SolanaRail interface {
	Quote(ctx context.Context, o railpay.Offer) (gpumarket.RailQuote, error)
	Confirm(ctx context.Context, reference, signature string) (gpumarket.RailQuotePayment, *gpumarket.RailJob, error)
	Status(ctx context.Context, reference string) (gpumarket.RailQuote, []gpumarket.RailQuotePayment, *gpumarket.RailJob, error)
	Offers(ctx context.Context, provider gpumarket.Address) ([]gpumarket.SignedRailOffer, error)
	Jobs(ctx context.Context, before int64, limit int) ([]gpumarket.RailJob, []gpumarket.RailQuote, error)
}

var _ SolanaRail = (*railpay.Service)(nil)

// SolanaConfig enables the Solana rail's routes: POST
// /v1/rail/solana/quotes (402 with a quote), GET
// /v1/rail/solana/quotes/{reference}, POST
// /v1/rail/solana/quotes/{reference}/confirm, GET
// /v1/rail/solana/offers/{addr} and GET /v1/rail/solana/jobs (the
// explorer's list). Without it these routes answer 404, except the list,
// which answers enabled: false and no jobs.
type SolanaConfig struct {
	Rail SolanaRail
	// Mints are the accepted mints, the first the default.
	Mints []SolanaMint
}

// SolanaMint is a mint the rail accepts ("" for SOL) and how the oracle
// prices it: jobs are priced in PriceToken (the oracle's rates for that
// EVM token), then converted exactly at Num/Den base units of the mint per
// base unit of PriceToken, rounded up.
type SolanaMint struct {
	Mint       string
	Decimals   uint8
	PriceToken gpumarket.Address
	Num, Den   *big.Int
}

func (c *SolanaConfig) validate() error {
	if c.Rail == nil || len(c.Mints) == 0 {
		return gpumarket.Errorf(gpumarket.EINVALID, "api: the solana rail needs its payment path and at least one mint")
	}
	seen := map[string]bool{}
	for _, m := range c.Mints {
		if m.Num == nil || m.Den == nil || m.Num.Sign() <= 0 || m.Den.Sign() <= 0 || m.PriceToken.IsZero() {
			return gpumarket.Errorf(gpumarket.EINVALID, "api: solana mint %q: price token and a positive conversion are required", m.Mint)
		}
		if seen[m.Mint] {
			return gpumarket.Errorf(gpumarket.EINVALID, "api: solana mint %q is listed twice", m.Mint)
		}
		seen[m.Mint] = true
	}
	return nil
}

// RailQuoteRequest is the body of POST /v1/rail/solana/quotes: the job
// spec and the mint to pay in ("" or absent: the first accepted).
type RailQuoteRequest struct {
	Spec json.RawMessage `json:"spec"`
	Mint *string         `json:"mint,omitempty"`
}

// acceptedMint is one entry of a quote's accepted_mints.
type acceptedMint struct {
	Mint     string `json:"mint"`
	Decimals uint8  `json:"decimals"`
}

// railQuoteOut is the 402 body.
type railQuoteOut struct {
	QuoteID       int64           `json:"quote_id"`
	Rail          string          `json:"rail"`
	Cluster       string          `json:"cluster"`
	ChainID       uint64          `json:"chain_id"`
	Provider      string          `json:"provider"`
	Recipient     string          `json:"recipient"`
	Mint          string          `json:"mint"`
	Decimals      uint8           `json:"decimals"`
	Amount        string          `json:"amount"`
	AmountUI      string          `json:"amount_ui"`
	AcceptedMints []acceptedMint  `json:"accepted_mints"`
	Reference     string          `json:"reference"`
	Memo          string          `json:"memo"`
	ExpiresAt     string          `json:"expires_at"`
	URL           string          `json:"url"`
	SpecHash      string          `json:"spec_hash"`
	Breakdown     json.RawMessage `json:"breakdown"`
	Custody       string          `json:"custody"`
}

// railBreakdown is a quote's breakdown: the oracle quote in the pricing
// token and the conversion.
type railBreakdown struct {
	Oracle     *matcher.Quote `json:"oracle"`
	Price      string         `json:"price"`
	PriceToken string         `json:"price_token"`
	Num        string         `json:"conversion_num"`
	Den        string         `json:"conversion_den"`
	Note       string         `json:"note"`
}

const custodyNote = "payment goes straight to the provider's wallet: no escrow; recourse is the provider's stake and reputation"

// postRailQuote answers a job request on the Solana rail with 402 Payment
// Required and a quote: the provider the matcher chose among those with
// a bound Solana wallet, the amount converted from the oracle's price, and
// a Solana Pay transfer request.
func (s *Server) postRailQuote(w http.ResponseWriter, r *http.Request) error {
	b, err := readBody(w, r, gpumarket.MaxJobSpecBytes+1024)
	if err == nil {
		err = checkQuery(r.URL.Query())
	}
	if err != nil {
		return err
	}
	var req RailQuoteRequest
	if err := gpumarket.UnmarshalStrict(b, &req); err != nil {
		return err
	}
	if len(req.Spec) == 0 {
		return gpumarket.Errorf(gpumarket.EINVALID, "spec: required")
	}
	sp, err := gpumarket.DecodeJobSpec(bytes.NewReader(req.Spec))
	if err != nil {
		return err
	}
	cfg := s.cfg.Solana
	mint := cfg.Mints[0]
	if req.Mint != nil && *req.Mint != mint.Mint {
		found := false
		for _, m := range cfg.Mints {
			if m.Mint == *req.Mint {
				mint, found = m, true
			}
		}
		if !found {
			return badRequest("mint: %.60q is not accepted; accepted_mints: %v", *req.Mint, acceptedMints(cfg.Mints))
		}
	}
	ctx := r.Context()
	now := s.now()
	q, cands, err := s.price(ctx, sp, mint.PriceToken, now)
	if err != nil {
		return err
	}
	// The matcher's choice: the cheapest qualifying provider that bound a
	// Solana wallet. The price is the oracle's total, or the provider's own
	// price when that is higher (it would not take less).
	wallets := map[gpumarket.Address]string{}
	for _, c := range cands {
		if c.Attestation != nil && c.Attestation.Solana != nil {
			wallets[c.Provider] = c.Attestation.Solana.Wallet
		}
	}
	var chosen *matcher.QualifiedProvider
	for i := range q.Qualifying {
		if p := &q.Qualifying[i]; wallets[p.Provider] != "" {
			chosen = p
			break
		}
	}
	if chosen == nil {
		return gpumarket.Errorf(gpumarket.ENOTFOUND, "no qualifying provider with a Solana wallet takes this job now")
	}
	price := q.Total
	if chosen.Cost.Cmp(price) > 0 {
		price = chosen.Cost
	}
	amount := new(big.Int).Mul(price, mint.Num)
	amount.Add(amount, new(big.Int).Sub(mint.Den, big.NewInt(1)))
	amount.Quo(amount, mint.Den)
	hash := service.SpecHash(req.Spec)
	if err := s.store.StoreUpload(ctx, service.SpecRecord{Hash: hash, Body: req.Spec, Source: "upload", Spec: sp},
		service.SpecUpload{Caller: callerOf(r), Quota: s.cfg.SpecQuota, Now: now}); err != nil {
		if qe, ok := errors.AsType[*service.SpecQuotaError](err); ok {
			return &httpError{status: http.StatusTooManyRequests, msg: qe.Error(), retryAfter: qe.RetryAfter}
		}
		return err
	}
	breakdown, err := json.Marshal(railBreakdown{Oracle: q, Price: price.String(), PriceToken: mint.PriceToken.String(), Num: mint.Num.String(), Den: mint.Den.String(),
		Note: "price: the oracle's total in the pricing token, or the chosen provider's own price when higher, converted at conversion_num/conversion_den and rounded up; on this rail the whole amount goes to the provider (the protocol fee and creator share shown are the EVM rail's)"})
	if err != nil {
		return err
	}
	rq, err := cfg.Rail.Quote(ctx, railpay.Offer{ChainID: s.cfg.ChainID, Provider: chosen.Provider, Recipient: wallets[chosen.Provider],
		Mint: mint.Mint, Decimals: mint.Decimals, Amount: amount, SpecHash: hash, Breakdown: breakdown})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusPaymentRequired, railQuoteView(rq, cfg.Mints))
	return nil
}

func acceptedMints(ms []SolanaMint) []acceptedMint {
	out := make([]acceptedMint, len(ms))
	for i, m := range ms {
		out[i] = acceptedMint{m.Mint, m.Decimals}
	}
	return out
}

func railQuoteView(q gpumarket.RailQuote, ms []SolanaMint) railQuoteOut {
	t := q.Terms
	return railQuoteOut{QuoteID: q.ID, Rail: q.Rail, Cluster: t.Cluster, ChainID: q.ChainID, Provider: q.Provider.String(), Recipient: t.Recipient,
		Mint: t.Mint, Decimals: t.Decimals, Amount: t.Amount.String(), AmountUI: solana.FormatAmount(t.Amount, t.Decimals),
		AcceptedMints: acceptedMints(ms), Reference: t.Reference, Memo: q.Memo, ExpiresAt: t.ExpiresAt.UTC().Format(time.RFC3339),
		URL: q.URL, SpecHash: q.SpecHash.String(), Breakdown: q.Breakdown, Custody: custodyNote}
}

// price is POST /v1/quote's pricing: the oracle quote of sp in tok at now
// and the candidates it looked at.
func (s *Server) price(ctx context.Context, sp *gpumarket.JobSpec, tok gpumarket.Address, now time.Time) (*matcher.Quote, []*matcher.Candidate, error) {
	views, err := s.store.LatestRates(ctx, s.cfg.ChainID, sp.Kind.String())
	if err != nil {
		return nil, nil, err
	}
	rates := map[matcher.RateKey]*matcher.Rate{}
	for _, v := range views {
		if v.Token != tok {
			continue
		}
		k := matcher.RateKey{Kind: sp.Kind, Unit: v.Unit, Class: v.Class}
		rates[k] = &matcher.Rate{Key: k, Fair: v.Fair.Big(), Low: v.Low.Big(), High: v.High.Big()}
	}
	cands, err := s.quoteCandidates(ctx, sp, now)
	if err != nil {
		return nil, nil, err
	}
	q, err := matcher.NewQuote(sp, tok, rates, cands, &s.cfg.Params, &s.cfg.Quote, now)
	if err != nil {
		return nil, nil, err
	}
	return q, cands, nil
}

type railPaymentOut struct {
	Signature string  `json:"signature"`
	Slot      uint64  `json:"slot"`
	BlockTime *string `json:"block_time"`
	Payer     string  `json:"payer"`
	Arrived   string  `json:"arrived"`
	Excess    string  `json:"excess"`
	Verdict   string  `json:"verdict"`
	Reason    string  `json:"reason"`
}

type railJobOut struct {
	State      string `json:"state"`
	Signature  string `json:"signature"`
	Payer      string `json:"payer"`
	Paid       string `json:"paid"`
	Excess     string `json:"excess"`
	ResultHash string `json:"result_hash,omitempty"`
	ResultURI  string `json:"result_uri,omitempty"`
	Failure    string `json:"failure,omitempty"`
}

func paymentView(p gpumarket.RailQuotePayment) railPaymentOut {
	out := railPaymentOut{Signature: p.Signature, Slot: p.Slot, Payer: p.Payer, Arrived: "0", Excess: "0", Verdict: string(p.Verdict), Reason: p.Reason}
	if p.BlockTime != nil {
		bt := p.BlockTime.UTC().Format(time.RFC3339)
		out.BlockTime = &bt
	}
	if p.Arrived != nil {
		out.Arrived = p.Arrived.String()
	}
	if p.Excess != nil {
		out.Excess = p.Excess.String()
	}
	return out
}

func jobView(j *gpumarket.RailJob) *railJobOut {
	if j == nil {
		return nil
	}
	out := &railJobOut{State: string(j.State), Signature: j.Signature, Payer: j.Payer, Paid: j.Paid.String(), Excess: j.Excess.String(), ResultURI: j.ResultURI, Failure: j.Failure}
	if j.ResultHash != (gpumarket.Hash{}) {
		out.ResultHash = j.ResultHash.String()
	}
	return out
}

// RailOfferOut is one entry of GET /v1/rail/solana/offers/{addr}: a
// funded job offered to the provider, prepaid on the Solana rail, with the
// matcher's EIP-712 signature (0x-hex, 65 bytes).
type RailOfferOut struct {
	QuoteID   int64  `json:"quote_id"`
	Reference string `json:"reference"`
	Provider  string `json:"provider"`
	SpecHash  string `json:"spec_hash"`
	Payer     string `json:"payer"`
	Expiry    int64  `json:"expiry"`
	Prepaid   bool   `json:"prepaid"`
	Signature string `json:"signature"`
}

// getRailOffers lists the rail offers waiting for a provider's relayer.
func (s *Server) getRailOffers(w http.ResponseWriter, r *http.Request) error {
	err := checkQuery(r.URL.Query())
	var p gpumarket.Address
	if err == nil {
		p, err = gpumarket.ParseAddress(r.PathValue("addr"))
	}
	if err != nil {
		return err
	}
	os, err := s.cfg.Solana.Rail.Offers(r.Context(), p)
	if err != nil {
		return err
	}
	out := make([]RailOfferOut, len(os))
	for i, o := range os {
		out[i] = RailOfferOut{QuoteID: o.Offer.QuoteID, Reference: o.Offer.Reference, Provider: o.Offer.Provider.String(),
			SpecHash: o.Offer.SpecHash.String(), Payer: o.Offer.Payer, Expiry: o.Offer.Expiry, Prepaid: true,
			Signature: "0x" + hex.EncodeToString(o.Signature)}
	}
	writeJSON(w, http.StatusOK, map[string]any{"offers": out})
	return nil
}

func referenceOf(r *http.Request) (string, error) {
	ref := r.PathValue("reference")
	if len(ref) < 32 || len(ref) > 44 {
		return "", badRequest("reference: %.60q is not a base58 public key", ref)
	}
	return ref, nil
}

// getRailQuote returns a quote, the payments seen for it and its job.
func (s *Server) getRailQuote(w http.ResponseWriter, r *http.Request) error {
	ref, err := referenceOf(r)
	if err == nil {
		err = checkQuery(r.URL.Query())
	}
	if err != nil {
		return err
	}
	q, ps, job, err := s.cfg.Solana.Rail.Status(r.Context(), ref)
	if err != nil {
		return err
	}
	pays := make([]railPaymentOut, len(ps))
	for i, p := range ps {
		pays[i] = paymentView(p)
	}
	writeJSON(w, http.StatusOK, map[string]any{"quote": railQuoteView(q, s.cfg.Solana.Mints), "payments": pays, "job": jobView(job)})
	return nil
}

// postRailConfirm checks a transaction a client presents for a quote.
func (s *Server) postRailConfirm(w http.ResponseWriter, r *http.Request) error {
	ref, err := referenceOf(r)
	if err == nil {
		err = checkQuery(r.URL.Query())
	}
	if err != nil {
		return err
	}
	b, err := readBody(w, r, 1024)
	if err != nil {
		return err
	}
	var req struct {
		Signature string `json:"signature"`
	}
	if err := gpumarket.UnmarshalStrict(b, &req); err != nil {
		return err
	}
	if req.Signature == "" || len(req.Signature) > 128 {
		return badRequest("signature: required, a base58 transaction signature")
	}
	p, job, err := s.cfg.Solana.Rail.Confirm(r.Context(), ref, req.Signature)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if job == nil || job.Signature != p.Signature {
		status = http.StatusPaymentRequired // this payment does not fund the quote
	}
	writeJSON(w, status, map[string]any{"payment": paymentView(p), "job": jobView(job)})
	return nil
}
