package solana_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	sol "github.com/gagliardetto/solana-go"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/eth/resultauth"
	"github.com/gpumarket/gpumarket/internal/solana"
)

func TestResultRequest(t *testing.T) {
	_, key, _ := ed25519.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{3}, 32)))
	_, other, _ := ed25519.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{4}, 32)))
	payer := sol.PublicKeyFromBytes(key.Public().(ed25519.PublicKey)).String()
	hash := gpumarket.Hash{0xab, 0x01}
	now := time.Unix(1_790_000_000, 0)
	exp := now.Unix() + 60
	// The same fields and text as the EVM download request.
	if got, want := solana.ResultAuthMessage(hash, exp), resultauth.ResultAuthMessage(hash, exp); got != want {
		t.Fatalf("ResultAuthMessage = %q, want the EVM rail's %q", got, want)
	}
	good := solana.SignResultRequest(key, hash, exp)
	tests := []struct {
		name   string
		payer  string
		hash   gpumarket.Hash
		expiry int64
		sig    string
		code   string
	}{
		{"good", payer, hash, exp, good, ""},
		{"another key", payer, hash, exp, solana.SignResultRequest(other, hash, exp), gpumarket.EUNAUTHORIZED},
		{"another result", payer, gpumarket.Hash{0xcd}, exp, good, gpumarket.EUNAUTHORIZED},
		{"expiry changed", payer, hash, exp + 1, good, gpumarket.EUNAUTHORIZED},
		{"expired", payer, hash, now.Unix(), solana.SignResultRequest(key, hash, now.Unix()), gpumarket.EUNAUTHORIZED},
		{"too far ahead", payer, hash, now.Unix() + 3600, solana.SignResultRequest(key, hash, now.Unix()+3600), gpumarket.EUNAUTHORIZED},
		{"malformed signature", payer, hash, exp, "0OIl", gpumarket.EINVALID},
		{"malformed payer", "nope", hash, exp, good, gpumarket.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := solana.VerifyResultRequest(tt.payer, tt.hash, tt.expiry, tt.sig, now, 10*time.Minute)
			if gpumarket.ErrorCode(err) != tt.code {
				t.Errorf("VerifyResultRequest() = %v, want code %q", err, tt.code)
			}
		})
	}
}

// FuzzAuthorizeRail feeds arbitrary rail download headers to the
// authorizer: it never panics, fails only with EINVALID or EUNAUTHORIZED,
// and accepts the payer only for the payer's own signature of the signed
// expiry.
func FuzzAuthorizeRail(f *testing.F) {
	_, key, _ := ed25519.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{3}, 32)))
	payer := sol.PublicKeyFromBytes(key.Public().(ed25519.PublicKey)).String()
	now := time.Unix(1_800_000_000, 0)
	h := gpumarket.Hash{0x42}
	exp := strconv.FormatInt(now.Unix()+60, 10)
	good := solana.SignResultRequest(key, h, now.Unix()+60)
	f.Add(payer, good, exp)
	f.Add(payer, good, "0")
	f.Add("", good, exp)
	f.Add(payer, "0x", "")
	a := solana.NewResultAuthorizer(5*time.Minute, func() time.Time { return now })
	f.Fuzz(func(t *testing.T, p, sig, e string) {
		hdr := http.Header{}
		hdr.Set(solana.ResultPayerHeader, p)
		hdr.Set(solana.ResultSignatureHeader, sig)
		hdr.Set(solana.ResultExpiryHeader, e)
		got, ok, err := a.AuthorizeRail(context.Background(), h, hdr)
		if !ok {
			t.Fatalf("AuthorizeRail with a payer header: ok = false")
		}
		if err != nil {
			if c := gpumarket.ErrorCode(err); c != gpumarket.EINVALID && c != gpumarket.EUNAUTHORIZED {
				t.Fatalf("AuthorizeRail(%q, %q, %q) = %v, want EINVALID or EUNAUTHORIZED", p, sig, e, err)
			}
			return
		}
		if got != p || (got == payer && (strings.TrimSpace(sig) != good || e != exp)) {
			t.Fatalf("AuthorizeRail(%q, %q, %q) accepted %q", p, sig, e, got)
		}
	})
}

// TestAuthorizeRailHeaders: without the payer header the request is not a
// rail request; repeated or missing headers are EINVALID.
func TestAuthorizeRailHeaders(t *testing.T) {
	_, key, _ := ed25519.GenerateKey(bytes.NewReader(bytes.Repeat([]byte{3}, 32)))
	payer := sol.PublicKeyFromBytes(key.Public().(ed25519.PublicKey)).String()
	now := time.Unix(1_800_000_000, 0)
	h := gpumarket.Hash{0x42}
	a := solana.NewResultAuthorizer(0, func() time.Time { return now })
	good := solana.SignResultRequest(key, h, now.Unix()+60)
	exp := strconv.FormatInt(now.Unix()+60, 10)
	tests := []struct {
		name string
		hdr  http.Header
		ok   bool
		code string
	}{
		{"no payer header", http.Header{solana.ResultSignatureHeader: {good}, solana.ResultExpiryHeader: {exp}}, false, ""},
		{"good", http.Header{solana.ResultPayerHeader: {payer}, solana.ResultSignatureHeader: {good}, solana.ResultExpiryHeader: {exp}}, true, ""},
		{"two payers", http.Header{solana.ResultPayerHeader: {payer, payer}, solana.ResultSignatureHeader: {good}, solana.ResultExpiryHeader: {exp}}, true, gpumarket.EINVALID},
		{"no expiry", http.Header{solana.ResultPayerHeader: {payer}, solana.ResultSignatureHeader: {good}}, true, gpumarket.EINVALID},
		{"leading zero", http.Header{solana.ResultPayerHeader: {payer}, solana.ResultSignatureHeader: {good}, solana.ResultExpiryHeader: {"0" + exp}}, true, gpumarket.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := a.AuthorizeRail(context.Background(), h, tt.hdr)
			if ok != tt.ok || gpumarket.ErrorCode(err) != tt.code || (tt.code == "" && tt.ok && got != payer) {
				t.Errorf("AuthorizeRail() = %q, %v, %v; want ok %v, code %q", got, ok, err, tt.ok, tt.code)
			}
		})
	}
}
