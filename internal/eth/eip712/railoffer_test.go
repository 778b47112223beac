package eip712

import (
	"bytes"
	"crypto/ed25519"
	"math/big"
	"testing"

	"github.com/mr-tron/base58"

	"github.com/gpumarket/gpumarket"
)

// TestRailOffer: an offer signed by the matcher key verifies until its
// expiry; a changed field, another domain, another signer or a lapsed
// offer is refused, and malformed keys are EINVALID.
func TestRailOffer(t *testing.T) {
	key, signer := tdKey(t)
	_, other := tdKey(t)
	d := MarketDomain(tdChainID, tdMarket)
	pub := func(b byte) string {
		p, _, _ := ed25519.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{b}, 32)))
		return base58.Encode(p)
	}
	o := gpumarket.RailOffer{QuoteID: 7, Reference: pub(1), Provider: gpumarket.Address{0xaa}, SpecHash: gpumarket.Hash{0xbb}, Payer: pub(2), Expiry: 1000}
	sig, err := SignRailOffer(key, d, &o)
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyRailOffer(d, &o, sig, signer, 999); err != nil {
		t.Fatalf("VerifyRailOffer(signed) = %v", err)
	}
	tests := []struct {
		name   string
		change func(o *gpumarket.RailOffer, d *Domain, signer *gpumarket.Address, now *int64)
		code   string
	}{
		{"quote id", func(o *gpumarket.RailOffer, _ *Domain, _ *gpumarket.Address, _ *int64) { o.QuoteID = 8 }, gpumarket.EUNAUTHORIZED},
		{"reference", func(o *gpumarket.RailOffer, _ *Domain, _ *gpumarket.Address, _ *int64) { o.Reference = pub(3) }, gpumarket.EUNAUTHORIZED},
		{"payer", func(o *gpumarket.RailOffer, _ *Domain, _ *gpumarket.Address, _ *int64) { o.Payer = pub(3) }, gpumarket.EUNAUTHORIZED},
		{"provider", func(o *gpumarket.RailOffer, _ *Domain, _ *gpumarket.Address, _ *int64) { o.Provider[0] = 0xab }, gpumarket.EUNAUTHORIZED},
		{"spec", func(o *gpumarket.RailOffer, _ *Domain, _ *gpumarket.Address, _ *int64) { o.SpecHash[1] = 1 }, gpumarket.EUNAUTHORIZED},
		{"expiry", func(o *gpumarket.RailOffer, _ *Domain, _ *gpumarket.Address, _ *int64) { o.Expiry = 2000 }, gpumarket.EUNAUTHORIZED},
		{"chain", func(_ *gpumarket.RailOffer, d *Domain, _ *gpumarket.Address, _ *int64) { d.ChainID = big.NewInt(5) }, gpumarket.EUNAUTHORIZED},
		{"signer", func(_ *gpumarket.RailOffer, _ *Domain, s *gpumarket.Address, _ *int64) { *s = other }, gpumarket.EUNAUTHORIZED},
		{"lapsed", func(_ *gpumarket.RailOffer, _ *Domain, _ *gpumarket.Address, now *int64) { *now = 1000 }, gpumarket.EUNAUTHORIZED},
		{"bad payer", func(o *gpumarket.RailOffer, _ *Domain, _ *gpumarket.Address, _ *int64) { o.Payer = "not-base58-0OIl" }, gpumarket.EINVALID},
		{"no quote", func(o *gpumarket.RailOffer, _ *Domain, _ *gpumarket.Address, _ *int64) { o.QuoteID = 0 }, gpumarket.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o2, d2, s2, now := o, d, signer, int64(999)
			tt.change(&o2, &d2, &s2, &now)
			if err := VerifyRailOffer(d2, &o2, sig, s2, now); gpumarket.ErrorCode(err) != tt.code {
				t.Errorf("VerifyRailOffer() = %v; want %s", err, tt.code)
			}
		})
	}
}
