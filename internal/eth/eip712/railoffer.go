package eip712

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"fmt"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
	"github.com/mr-tron/base58"

	"github.com/gpumarket/gpumarket"
)

// RailOfferType is the matcher's offer of a job prepaid on a rail (the
// Solana rail) to the quoted provider, in the "gpumarket JobMarketplace"
// domain (chain id and marketplace, as assignments): reference and payer
// are the quote's reference key and the payment's payer key (32 bytes
// each, base58 in gpumarket.RailOffer).
const RailOfferType = "RailOffer(uint64 quoteId,bytes32 reference,address provider,bytes32 specHash,bytes32 payer,uint64 expiry)"

var railOfferTypes = mustParseType(RailOfferType)

func key32(what, s string) (string, error) {
	b, err := base58.Decode(s)
	if err != nil || len(b) != ed25519.PublicKeySize {
		return "", gpumarket.Errorf(gpumarket.EINVALID, "rail offer: %s %.60q is not a base58 32-byte public key", what, s)
	}
	return hexutil.Encode(b), nil
}

// RailOfferDigest returns the EIP-712 digest of o under d. It returns an
// EINVALID error for an invalid offer or domain.
func RailOfferDigest(d Domain, o *gpumarket.RailOffer) (gpumarket.Hash, error) {
	if err := o.Validate(); err != nil {
		return gpumarket.Hash{}, err
	}
	ref, err := key32("reference", o.Reference)
	if err != nil {
		return gpumarket.Hash{}, err
	}
	payer, err := key32("payer", o.Payer)
	if err != nil {
		return gpumarket.Hash{}, err
	}
	return railOfferTypes.digest(d, apitypes.TypedDataMessage{
		"quoteId":   decimalString(uint64(o.QuoteID)),
		"reference": ref,
		"provider":  hexAddress(o.Provider),
		"specHash":  o.SpecHash.String(),
		"payer":     payer,
		"expiry":    decimalString(uint64(o.Expiry)),
	})
}

// SignRailOffer signs o's digest under d with key (the matcher key).
func SignRailOffer(key *ecdsa.PrivateKey, d Domain, o *gpumarket.RailOffer) ([]byte, error) {
	dg, err := RailOfferDigest(d, o)
	if err != nil {
		return nil, fmt.Errorf("sign rail offer: %w", err)
	}
	return Sign(key, dg)
}

// VerifyRailOffer checks that sig is signer's (the matcher's) signature of
// o under d and that o has not expired at unix time now (valid while now <
// Expiry). Bad signatures and expiry are EUNAUTHORIZED errors, a malformed
// offer EINVALID.
func VerifyRailOffer(d Domain, o *gpumarket.RailOffer, sig []byte, signer gpumarket.Address, now int64) error {
	dg, err := RailOfferDigest(d, o)
	if err != nil {
		return fmt.Errorf("verify rail offer: %w", err)
	}
	if err := verify("rail offer", dg, sig, signer); err != nil {
		return fmt.Errorf("verify rail offer %d: %w", o.QuoteID, err)
	}
	if now >= o.Expiry {
		return fmt.Errorf("verify rail offer %d: %w", o.QuoteID,
			gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "rail offer expired at %d (now %d)", o.Expiry, now))
	}
	return nil
}

// RailOfferSigner signs rail offers with the matcher key in one market
// domain (railpay.OfferSigner).
type RailOfferSigner struct {
	key    *ecdsa.PrivateKey
	domain Domain
}

// NewRailOfferSigner returns a signer for domain d; EINVALID for a nil key
// or an invalid domain.
func NewRailOfferSigner(key *ecdsa.PrivateKey, d Domain) (*RailOfferSigner, error) {
	if key == nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "new rail offer signer: no key")
	}
	if _, err := d.Separator(); err != nil {
		return nil, fmt.Errorf("new rail offer signer: %w", err)
	}
	return &RailOfferSigner{key: key, domain: d}, nil
}

// SignRailOffer signs o; see the package function SignRailOffer.
func (s *RailOfferSigner) SignRailOffer(o *gpumarket.RailOffer) ([]byte, error) {
	return SignRailOffer(s.key, s.domain, o)
}

// RailOfferSignerOf returns the address that signed o under d; errors as
// VerifyRailOffer (without the expiry, which the caller judges).
func RailOfferSignerOf(d Domain, o *gpumarket.RailOffer, sig []byte) (gpumarket.Address, error) {
	dg, err := RailOfferDigest(d, o)
	if err != nil {
		return gpumarket.Address{}, fmt.Errorf("rail offer signer: %w", err)
	}
	return Recover(dg, sig)
}
