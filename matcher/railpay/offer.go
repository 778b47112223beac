package railpay

import (
	"context"
	"fmt"
	"time"

	"github.com/gpumarket/gpumarket"
)

// OfferSigner signs rail offers with the matcher key
// (*eip712.RailOfferSigner).
type OfferSigner interface {
	SignRailOffer(o *gpumarket.RailOffer) ([]byte, error)
}

// OfferStore keeps signed rail offers (postgres.RailQuoteStore): storing
// one again for the same quote id is a no-op.
type OfferStore interface {
	StoreRailOffer(ctx context.Context, o gpumarket.SignedRailOffer) error
}

// DefaultOfferTTL is how long a rail offer waits for the provider's
// relayer to claim it.
const DefaultOfferTTL = time.Hour

// OfferDispatcher is the Dispatcher of the Solana rail: it offers a funded
// job to the quoted provider's relayer as a RailOffer signed by the matcher
// key (prepaid: no on-chain job; bound to the quote id and reference, the
// spec, the payer key and an expiry) and stores it, where the relayer polls
// for it (GET /v1/rail/solana/offers). It is idempotent per quote id: the
// first stored offer stands.
type OfferDispatcher struct {
	signer OfferSigner
	store  OfferStore
	ttl    time.Duration
	now    func() time.Time
}

// NewOfferDispatcher returns the dispatcher; ttl 0 is DefaultOfferTTL, a
// nil now time.Now. EINVALID for a missing signer or store or a negative
// ttl.
func NewOfferDispatcher(signer OfferSigner, store OfferStore, ttl time.Duration, now func() time.Time) (*OfferDispatcher, error) {
	if signer == nil || store == nil || ttl < 0 {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "railpay: an offer dispatcher needs a signer, a store and a ttl that is not negative")
	}
	if ttl == 0 {
		ttl = DefaultOfferTTL
	}
	if now == nil {
		now = time.Now
	}
	return &OfferDispatcher{signer: signer, store: store, ttl: ttl, now: now}, nil
}

// Dispatch signs and stores the offer of job.
func (d *OfferDispatcher) Dispatch(ctx context.Context, job gpumarket.RailJob, q gpumarket.RailQuote) error {
	o := gpumarket.RailOffer{QuoteID: job.QuoteID, Reference: q.Terms.Reference, Provider: q.Provider, SpecHash: q.SpecHash,
		Payer: job.Payer, Expiry: d.now().Add(d.ttl).Unix()}
	sig, err := d.signer.SignRailOffer(&o)
	if err != nil {
		return fmt.Errorf("offer rail job %d: %w", job.QuoteID, err)
	}
	return d.store.StoreRailOffer(ctx, gpumarket.SignedRailOffer{Offer: o, Signature: sig})
}

var _ Dispatcher = (*OfferDispatcher)(nil)
