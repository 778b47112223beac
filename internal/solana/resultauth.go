package solana

import (
	"context"
	"crypto/ed25519"
	"net/http"
	"strconv"
	"strings"
	"time"

	sol "github.com/gagliardetto/solana-go"

	"github.com/gpumarket/gpumarket"
)

// ResultAuthMessage is the text a Solana rail client signs with its payer
// key (ed25519) to download the result with hash until expiry: the same
// fields and text as the EVM rail's download request
// (internal/eth/resultauth.ResultAuthMessage),
// "gpumarket-result:0x<64 hex digits>:<unix seconds>", signed as raw bytes
// (what a Solana wallet's signMessage signs).
func ResultAuthMessage(hash gpumarket.Hash, expiry int64) string {
	return "gpumarket-result:" + hash.String() + ":" + strconv.FormatInt(expiry, 10)
}

// SignResultRequest signs the download request for hash until expiry with
// the payer key and returns the signature, base58.
func SignResultRequest(key ed25519.PrivateKey, hash gpumarket.Hash, expiry int64) string {
	return sol.SignatureFromBytes(ed25519.Sign(key, []byte(ResultAuthMessage(hash, expiry)))).String()
}

// VerifyResultRequest checks that signature (base58) is payer's signature
// of the download request for hash until expiry, and that the request is
// valid at now: before its expiry, which is at most maxTTL ahead. It
// returns an EINVALID error for a malformed key or signature and an
// EUNAUTHORIZED one for an expired request, an expiry too far ahead or a
// signature that is not payer's.
// ResultAuthorizer (the relayer's result server) calls it.
func VerifyResultRequest(payer string, hash gpumarket.Hash, expiry int64, signature string, now time.Time, maxTTL time.Duration) error {
	pub, err := sol.PublicKeyFromBase58(payer)
	if err != nil {
		return gpumarket.Errorf(gpumarket.EINVALID, "payer %.60q is not a base58 public key", payer)
	}
	sig, err := sol.SignatureFromBase58(strings.TrimSpace(signature))
	if err != nil {
		return gpumarket.Errorf(gpumarket.EINVALID, "signature is not a base58 ed25519 signature")
	}
	if !now.Before(time.Unix(expiry, 0)) {
		return gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "signature expired at %d", expiry)
	}
	if time.Unix(expiry, 0).After(now.Add(maxTTL)) {
		return gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "expiry %d is more than %v ahead", expiry, maxTTL)
	}
	if !ed25519.Verify(ed25519.PublicKey(pub[:]), []byte(ResultAuthMessage(hash, expiry)), sig[:]) {
		return gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "signature is not %s's", payer)
	}
	return nil
}

// The headers of a rail result download request: the payer key (base58),
// and, as on the EVM rail, X-Gpumarket-Expiry (unix seconds) and
// X-Gpumarket-Signature (here the base58 ed25519 signature).
const (
	ResultPayerHeader     = "X-Gpumarket-Solana-Payer"
	ResultSignatureHeader = "X-Gpumarket-Signature"
	ResultExpiryHeader    = "X-Gpumarket-Expiry"
)

// ResultAuthorizer checks the payer key's ed25519 signature on a rail
// result download request (the result handler's RailAuthorizer). As on
// the EVM rail, a signature is good until its expiry, at most MaxTTL
// ahead: a replayed signature downloads that one result to its holder
// until then, never later, and never another result.
type ResultAuthorizer struct {
	maxTTL time.Duration
	now    func() time.Time
}

// NewResultAuthorizer returns an authorizer accepting expiries at most
// maxTTL ahead (10 minutes if 0), reading the time from now (time.Now if
// nil).
func NewResultAuthorizer(maxTTL time.Duration, now func() time.Time) *ResultAuthorizer {
	if maxTTL == 0 {
		maxTTL = 10 * time.Minute
	}
	if now == nil {
		now = time.Now
	}
	return &ResultAuthorizer{maxTTL: maxTTL, now: now}
}

// AuthorizeRail returns the payer key that signed the download request for
// hash in h; ok is false (and err nil) when h carries no
// ResultPayerHeader (not a rail request). Errors as VerifyResultRequest,
// and EINVALID for a repeated or missing header or a malformed expiry.
func (a *ResultAuthorizer) AuthorizeRail(_ context.Context, hash gpumarket.Hash, h http.Header) (string, bool, error) {
	payer := h.Values(ResultPayerHeader)
	if len(payer) == 0 {
		return "", false, nil
	}
	exp, sig := h.Values(ResultExpiryHeader), h.Values(ResultSignatureHeader)
	if len(payer) != 1 || len(exp) != 1 || len(sig) != 1 {
		return "", true, gpumarket.Errorf(gpumarket.EINVALID, "want exactly one %s, %s and %s header", ResultPayerHeader, ResultSignatureHeader, ResultExpiryHeader)
	}
	if s := exp[0]; s == "" || len(s) > 12 || strings.TrimLeft(s, "0123456789") != "" || s[0] == '0' {
		return "", true, gpumarket.Errorf(gpumarket.EINVALID, "%s is not unix seconds (1 to 12 decimal digits, no leading zero)", ResultExpiryHeader)
	}
	expiry, err := strconv.ParseInt(exp[0], 10, 64)
	if err != nil {
		return "", true, gpumarket.Errorf(gpumarket.EINVALID, "%s is not unix seconds", ResultExpiryHeader)
	}
	if len(sig[0]) > 100 || len(payer[0]) > 44 {
		return "", true, gpumarket.Errorf(gpumarket.EINVALID, "%s or %s is too long", ResultSignatureHeader, ResultPayerHeader)
	}
	if err := VerifyResultRequest(payer[0], hash, expiry, sig[0], a.now(), a.maxTTL); err != nil {
		return "", true, err
	}
	return payer[0], true, nil
}

// PublicKeyString returns key's public key, base58.
func PublicKeyString(key ed25519.PrivateKey) string {
	return sol.PublicKeyFromBytes(key.Public().(ed25519.PublicKey)).String()
}

// ReadKeypairFile reads a Solana CLI keypair file (a JSON array of the 64
// bytes of the secret and public key, what solana-keygen writes). It
// returns an EINVALID error naming path when it cannot be read or is not
// a keypair; the key itself is never in the message.
func ReadKeypairFile(path string) (ed25519.PrivateKey, error) {
	k, err := sol.PrivateKeyFromSolanaKeygenFile(path)
	if err != nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "solana keypair %s: not a readable solana-keygen file (a JSON array of 64 bytes)", path)
	}
	if len(k) != ed25519.PrivateKeySize {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "solana keypair %s: %d bytes, want 64", path, len(k))
	}
	return ed25519.PrivateKey(k), nil
}
