package railpay_test

import (
	"context"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/internal/eth/keys"
	"github.com/gpumarket/gpumarket/internal/solana"
	st "github.com/gpumarket/gpumarket/internal/solana/solanatest"
	"github.com/gpumarket/gpumarket/matcher/railpay"
)

// crashAfterOffer stores the offer, then dies before the job is marked
// dispatched.
type crashAfterOffer struct {
	*railpay.OfferDispatcher
	crash bool
}

func (c *crashAfterOffer) Dispatch(ctx context.Context, j gpumarket.RailJob, q gpumarket.RailQuote) error {
	if err := c.OfferDispatcher.Dispatch(ctx, j, q); err != nil {
		return err
	}
	if c.crash {
		return errCrash
	}
	return nil
}

// TestOfferDispatcher: a funded job becomes one signed rail offer to the
// quoted provider, bound to the quote's reference and the payer key,
// listed for that provider only until it expires or is claimed; a
// dispatch repeated after a crash leaves the first offer.
func TestOfferDispatcher(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	key, matcherAddr, err := keys.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	d := eip712.MarketDomain(big.NewInt(31337), gpumarket.Address{0xee})
	signer, err := eip712.NewRailOfferSigner(key, d)
	if err != nil {
		t.Fatal(err)
	}
	od, err := railpay.NewOfferDispatcher(signer, e.store, time.Hour, func() time.Time { return e.now })
	if err != nil {
		t.Fatal(err)
	}
	cd := &crashAfterOffer{OfferDispatcher: od, crash: true}
	checker, err := solana.NewQuotePayments(ctx, solana.NewRPC(e.node.URL), st.GenesisMainnet, nil)
	if err != nil {
		t.Fatal(err)
	}
	s, err := railpay.New(railpay.Config{}, e.store, checker, cd, nil, func() time.Time { return e.now }, nil)
	if err != nil {
		t.Fatal(err)
	}
	q := e.quote(s, st.SOLRecipient, "", 1_000_000)
	e.paySOL(q.Terms.Reference)
	if n, err := s.Bind(ctx); n != 1 || err != nil {
		t.Fatalf("Bind() = %d, %v", n, err)
	}
	if _, err := s.Dispatch(ctx); !errors.Is(err, errCrash) {
		t.Fatalf("Dispatch() with a crash = %v", err)
	}
	first, err := s.Offers(ctx, provider)
	if err != nil || len(first) != 0 {
		t.Fatalf("Offers() before the job is dispatched = %v, %v; want none", first, err)
	}
	cd.crash = false
	e.now = e.now.Add(time.Minute) // a later dispatch would sign a later expiry
	if n, err := s.Dispatch(ctx); n != 1 || err != nil {
		t.Fatalf("Dispatch() after the crash = %d, %v", n, err)
	}
	got, err := s.Offers(ctx, provider)
	if err != nil || len(got) != 1 {
		t.Fatalf("Offers() = %v, %v; want one", got, err)
	}
	o := got[0]
	job, _ := e.store.RailJob(ctx, q.ID)
	want := gpumarket.RailOffer{QuoteID: q.ID, Reference: q.Terms.Reference, Provider: provider, SpecHash: q.SpecHash, Payer: job.Payer,
		Expiry: e.now.Add(-time.Minute).Add(time.Hour).Unix()}
	if o.Offer != want || job.Payer == "" {
		t.Errorf("offer = %+v, want %+v (the first one signed)", o.Offer, want)
	}
	if err := eip712.VerifyRailOffer(d, &o.Offer, o.Signature, matcherAddr, e.now.Unix()); err != nil {
		t.Errorf("VerifyRailOffer() = %v", err)
	}
	if n := e.sql.Count(`SELECT count(*) FROM rail_offers`); n != 1 {
		t.Errorf("%d offers stored, want 1", n)
	}
	if other, _ := s.Offers(ctx, gpumarket.Address{0xbb}); len(other) != 0 {
		t.Errorf("Offers(another provider) = %v", other)
	}
	if err := e.store.MoveRailJob(ctx, q.ID, gpumarket.RailJobDispatched, gpumarket.RailJobRunning); err != nil {
		t.Fatal(err)
	}
	if claimed, _ := s.Offers(ctx, provider); len(claimed) != 0 {
		t.Errorf("Offers() once claimed = %v", claimed)
	}
	if err := e.store.MoveRailJob(ctx, q.ID, gpumarket.RailJobRunning, gpumarket.RailJobRunning); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Errorf("running -> running = %v, want EINVALID", err)
	}
	if err := e.store.DeliverRailJob(ctx, q.ID, gpumarket.Hash{9}, "http://relayer/v1/results/0x09"); err != nil {
		t.Fatal(err)
	}
	if j, _ := e.store.RailJob(ctx, q.ID); j.State != gpumarket.RailJobDelivered || j.ResultHash != (gpumarket.Hash{9}) || j.ResultURI != "http://relayer/v1/results/0x09" {
		t.Errorf("delivered job = %+v", j)
	}
}

// TestOfferExpiry: an offer past its expiry is not listed.
func TestOfferExpiry(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	key, _, _ := keys.GenerateKey()
	signer, _ := eip712.NewRailOfferSigner(key, eip712.MarketDomain(big.NewInt(31337), gpumarket.Address{0xee}))
	od, _ := railpay.NewOfferDispatcher(signer, e.store, time.Minute, func() time.Time { return e.now })
	checker, _ := solana.NewQuotePayments(ctx, solana.NewRPC(e.node.URL), st.GenesisMainnet, nil)
	s, _ := railpay.New(railpay.Config{}, e.store, checker, od, nil, func() time.Time { return e.now }, nil)
	q := e.quote(s, st.SOLRecipient, "", 1_000_000)
	e.paySOL(q.Terms.Reference)
	if _, err := s.Bind(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := s.Dispatch(ctx); n != 1 || err != nil {
		t.Fatalf("Dispatch() = %d, %v", n, err)
	}
	if got, _ := s.Offers(ctx, provider); len(got) != 1 {
		t.Fatalf("Offers() = %v, want 1", got)
	}
	e.now = e.now.Add(time.Minute)
	if got, _ := s.Offers(ctx, provider); len(got) != 0 {
		t.Errorf("Offers() at expiry = %v, want none", got)
	}
}
