package solana

import (
	"crypto/ed25519"
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
//
// Not wired yet: the relayer's result server checks EVM signatures only
// (the rail's jobs are not dispatched to relayers yet).
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
