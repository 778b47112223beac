package resultauth

import (
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/eth/eip712"
)

// The headers of a result download request.
const (
	ResultSignatureHeader = "X-Gpumarket-Signature" // 0x + 130 hex digits: r, s, v (27 or 28, see eip712.CheckSignature)
	ResultExpiryHeader    = "X-Gpumarket-Expiry"    // unix seconds, decimal without leading zeros
)

// ResultAuthMessage returns the text a client signs with personal_sign
// (EIP-191, version 0x45) to download the result with hash until expiry:
// "gpumarket-result:0x<64 hex digits, lower case>:<unix seconds>".
func ResultAuthMessage(hash gpumarket.Hash, expiry int64) string {
	return "gpumarket-result:" + hash.String() + ":" + strconv.FormatInt(expiry, 10)
}

// SignResultRequest signs the download request for hash until expiry as a
// wallet's personal_sign would, and returns the signature header value.
func SignResultRequest(key *ecdsa.PrivateKey, hash gpumarket.Hash, expiry int64) (string, error) {
	sig, err := crypto.Sign(accounts.TextHash([]byte(ResultAuthMessage(hash, expiry))), key)
	if err != nil {
		return "", err
	}
	sig[64] += 27
	return "0x" + hex.EncodeToString(sig), nil
}

// ResultAuthorizer checks EIP-191 signatures on result download requests. It
// implements the relayer result handler's Authorizer.
//
// A signature is good from the moment it is made until its expiry, which may
// be at most MaxTTL ahead of now: a leaked signature lets its holder download
// that one result until then, never later.
type ResultAuthorizer struct {
	maxTTL time.Duration
	now    func() time.Time
}

// NewResultAuthorizer returns an authorizer that accepts expiries at most
// maxTTL ahead (10 minutes if maxTTL is 0), reading the time from now
// (time.Now if nil).
func NewResultAuthorizer(maxTTL time.Duration, now func() time.Time) *ResultAuthorizer {
	if maxTTL == 0 {
		maxTTL = 10 * time.Minute
	}
	if now == nil {
		now = time.Now
	}
	return &ResultAuthorizer{maxTTL: maxTTL, now: now}
}

// Authorize recovers the address that signed ResultAuthMessage(hash, expiry)
// from the request headers. It returns an EINVALID *gpumarket.Error for a
// missing or malformed expiry or signature (one that fails
// eip712.CheckSignature, the rule heartbeats, attestations and assignments
// follow too: v must be 27 or 28, and a malleable high-s signature is
// refused), and an EUNAUTHORIZED one for an expired signature, an expiry
// too far ahead, or a signature from which no key can be recovered.
func (a *ResultAuthorizer) Authorize(_ context.Context, hash gpumarket.Hash, h http.Header) (gpumarket.Address, error) {
	var zero gpumarket.Address
	expStr, sigStr := h.Values(ResultExpiryHeader), h.Values(ResultSignatureHeader)
	if len(expStr) != 1 || len(sigStr) != 1 {
		return zero, gpumarket.Errorf(gpumarket.EINVALID, "want exactly one %s and one %s header", ResultSignatureHeader, ResultExpiryHeader)
	}
	if s := expStr[0]; s == "" || len(s) > 12 || strings.TrimLeft(s, "0123456789") != "" || s[0] == '0' {
		return zero, gpumarket.Errorf(gpumarket.EINVALID, "%s is not unix seconds (1 to 12 decimal digits, no leading zero)", ResultExpiryHeader)
	}
	expiry, err := strconv.ParseInt(expStr[0], 10, 64)
	if err != nil {
		return zero, gpumarket.Errorf(gpumarket.EINVALID, "%s is not unix seconds", ResultExpiryHeader)
	}
	digits, ok := strings.CutPrefix(sigStr[0], "0x")
	if !ok || len(digits) != 130 {
		return zero, gpumarket.Errorf(gpumarket.EINVALID, "%s: want 0x and 130 hex digits", ResultSignatureHeader)
	}
	sig, err := hex.DecodeString(digits)
	if err != nil {
		return zero, gpumarket.Errorf(gpumarket.EINVALID, "%s is not hex", ResultSignatureHeader)
	}
	now := a.now()
	if !now.Before(time.Unix(expiry, 0)) {
		return zero, gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "signature expired at %d", expiry)
	}
	if time.Unix(expiry, 0).After(now.Add(a.maxTTL)) {
		return zero, gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "expiry %d is more than %v ahead", expiry, a.maxTTL)
	}
	if err := eip712.CheckSignature(sig); err != nil {
		return zero, gpumarket.Errorf(gpumarket.EINVALID, "%s: %s", ResultSignatureHeader, gpumarket.ErrorMessage(err))
	}
	signer, err := eip712.Recover(gpumarket.Hash(accounts.TextHash([]byte(ResultAuthMessage(hash, expiry)))), sig)
	if err != nil {
		return zero, gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "signature does not recover a key")
	}
	return signer, nil
}
