package solana

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"testing"
)

// wireEnvelope returns a function that puts wire-format transaction bytes
// into the recorded getTransaction result of fixture (keeping its meta,
// including loadedAddresses), as a base64 response would carry them.
func wireEnvelope(tb testing.TB, fixture string) (seed []byte, wrap func([]byte) []byte) {
	tb.Helper()
	var r map[string]json.RawMessage
	if err := json.Unmarshal(fixtureResult(tb, fixture), &r); err != nil {
		tb.Fatal(err)
	}
	var pair []string
	if err := json.Unmarshal(r["transaction"], &pair); err != nil || len(pair) != 2 {
		tb.Fatalf("fixture %s is not base64: %v", fixture, err)
	}
	seed, err := base64.StdEncoding.DecodeString(pair[0])
	if err != nil {
		tb.Fatal(err)
	}
	const placeholder = "WIRE-BYTES-PLACEHOLDER"
	r["transaction"], _ = json.Marshal([]string{placeholder, "base64"})
	tmpl, err := json.Marshal(r)
	if err != nil {
		tb.Fatal(err)
	}
	return seed, func(data []byte) []byte {
		return bytes.Replace(tmpl, []byte(placeholder), []byte(base64.StdEncoding.EncodeToString(data)), 1)
	}
}

// FuzzDecodeWireTransaction mutates the wire bytes of the recorded base64
// transactions (legacy and v0 with lookup tables) under their recorded
// meta. This reaches the binary decoder, the account index resolution
// through loadedAddresses and the binary instruction decoders far more
// often than mutating JSON text does. Same invariants as
// FuzzDecodeTransaction. Each input costs about a millisecond (five
// decodes of a large recorded meta), so run it with a short
// -fuzzminimizetime (e.g. 2s) or minimization of new inputs eats the
// fuzzing time.
func FuzzDecodeWireTransaction(f *testing.F) {
	fixtures := []string{fxV0TwoChecked, fxV0MultiIx, fxFailed}
	wraps := make([]func([]byte) []byte, len(fixtures))
	for i, fx := range fixtures {
		seed, wrap := wireEnvelope(f, fx)
		wraps[i] = wrap
		f.Add(seed, uint8(i))
	}
	watched := []string{v0Owner, swapUser, swapPool, swapWSOL, "GAXzq8BWdAWaS1kWFiL5tzV2h3AbRBtYGP5psNTWrM9g"}
	f.Fuzz(func(t *testing.T, data []byte, which uint8) {
		raw := wraps[int(which)%len(wraps)](data)
		for _, addr := range watched {
			payments, err := DecodeTransaction(raw, addr, StatusFinalized)
			if err != nil {
				var failed *FailedError
				if !errors.Is(err, ErrMalformed) && !errors.As(err, &failed) {
					t.Fatalf("DecodeTransaction error of undocumented kind: %v", err)
				}
				continue
			}
			for _, p := range payments {
				if p.Amount == nil || !p.Amount.IsUint64() || (p.Recipient != addr && p.RecipientOwner != addr) {
					t.Fatalf("bad payment for %s: %+v", addr, p)
				}
			}
		}
	})
}

func TestWireEnvelopeRoundTrip(t *testing.T) {
	// The fuzz harness must reproduce the fixture's payments when given
	// the recorded bytes, or it would fuzz something else.
	seed, wrap := wireEnvelope(t, fxV0TwoChecked)
	got, err := DecodeTransaction(wrap(seed), v0Owner, StatusFinalized)
	if err != nil || len(got) != 2 || got[0].Amount.String() != "1" || got[1].Amount.String() != "1" {
		t.Fatalf("DecodeTransaction(rewrapped fixture) = %+v, %v; want the two recorded transfers", got, err)
	}
	if _, err := DecodeTransaction(wrap(seed[:len(seed)-1]), v0Owner, StatusFinalized); !errors.Is(err, ErrMalformed) {
		t.Fatalf("DecodeTransaction(truncated wire bytes) error = %v, want ErrMalformed", err)
	}
}
