package solana

import (
	"crypto/ed25519"
	"fmt"
	"io"
	"math/big"
	"net/url"
	"strings"

	sol "github.com/gagliardetto/solana-go"
)

// TransferRequest is a Solana Pay transfer request
// (https://docs.solanapay.com/spec, "Transfer request"): what a wallet
// needs to pay a quote by scanning a QR code. Amount is in base units
// (lamports, or the token's smallest unit); the URL carries it in the
// spec's decimal "user units".
type TransferRequest struct {
	// Recipient is the native SOL account paid (for an SPL token, the
	// owner of the associated token account the wallet pays into).
	Recipient string
	// Mint is the SPL token mint, "" for SOL.
	Mint     string
	Amount   *big.Int
	Decimals uint8
	// Reference is the quote's fresh public key, added by the wallet as a
	// read-only account of the transfer instruction; it is how the payment
	// is found (getSignaturesForAddress).
	Reference string
	// Label, Message and Memo are optional; Memo is written on chain in an
	// SPL Memo instruction, so it must not hold anything private.
	Label   string
	Message string
	Memo    string
}

// URL returns the request as a solana: URL, with the fields in the
// spec's order and each value percent-encoded as encodeURIComponent
// does. It returns an error wrapping ErrInvalidConfig for an invalid key
// or a non-positive amount.
func (r TransferRequest) URL() (string, error) {
	for name, k := range map[string]string{"recipient": r.Recipient, "reference": r.Reference} {
		if _, err := sol.PublicKeyFromBase58(k); err != nil {
			return "", fmt.Errorf("solana pay url: %s %q: %v: %w", name, k, err, ErrInvalidConfig)
		}
	}
	if r.Mint != "" {
		if _, err := sol.PublicKeyFromBase58(r.Mint); err != nil {
			return "", fmt.Errorf("solana pay url: spl-token %q: %v: %w", r.Mint, err, ErrInvalidConfig)
		}
	}
	if r.Amount == nil || r.Amount.Sign() <= 0 {
		return "", fmt.Errorf("solana pay url: amount must be positive: %w", ErrInvalidConfig)
	}
	var b strings.Builder
	b.WriteString("solana:" + r.Recipient + "?amount=" + FormatAmount(r.Amount, r.Decimals))
	if r.Mint != "" {
		b.WriteString("&spl-token=" + r.Mint)
	}
	b.WriteString("&reference=" + r.Reference)
	for _, kv := range [][2]string{{"label", r.Label}, {"message", r.Message}, {"memo", r.Memo}} {
		if kv[1] != "" {
			b.WriteString("&" + kv[0] + "=" + encodeURIComponent(kv[1]))
		}
	}
	return b.String(), nil
}

// encodeURIComponent percent-encodes s as JavaScript's encodeURIComponent
// does (the spec's reference implementation): space is %20, not +.
func encodeURIComponent(s string) string {
	e := url.QueryEscape(s)
	// QueryEscape writes a literal '+' as %2B, so every '+' left is a space.
	e = strings.ReplaceAll(e, "+", "%20")
	// encodeURIComponent leaves these unescaped; QueryEscape escapes them.
	for _, c := range []string{"!", "'", "(", ")", "*"} {
		e = strings.ReplaceAll(e, url.QueryEscape(c), c)
	}
	return e
}

// FormatAmount writes amount base units with decimals as the spec's
// decimal number of user units: no exponent, a leading 0 below 1, no
// trailing zeros after the point, no point for a whole number
// (1500000000 lamports → "1.5", 1 → "0.000000001").
func FormatAmount(amount *big.Int, decimals uint8) string {
	s := new(big.Int).Abs(amount).String()
	d := int(decimals)
	if d == 0 {
		return s
	}
	if len(s) <= d {
		s = strings.Repeat("0", d-len(s)+1) + s
	}
	whole, frac := s[:len(s)-d], strings.TrimRight(s[len(s)-d:], "0")
	if frac == "" {
		return whole
	}
	return whole + "." + frac
}

// NewReference returns a fresh reference key: the public half of a new
// ed25519 key drawn from rand (crypto/rand in production), in base58.
// Nobody needs its private half: a reference is never a signer.
func NewReference(rand io.Reader) (string, error) {
	pub, _, err := ed25519.GenerateKey(rand)
	if err != nil {
		return "", fmt.Errorf("new solana pay reference: %w", err)
	}
	return sol.PublicKeyFromBytes(pub).String(), nil
}

// FormatMint returns mint if it is a base58 public key, else an error
// wrapping ErrInvalidConfig.
func FormatMint(mint string) (string, error) {
	if _, err := sol.PublicKeyFromBase58(mint); err != nil {
		return "", fmt.Errorf("mint %q: %v: %w", mint, err, ErrInvalidConfig)
	}
	return mint, nil
}
