package solana_test

import (
	"bytes"
	"crypto/ed25519"
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
