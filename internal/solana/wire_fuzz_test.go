package solana

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"testing"

	sol "github.com/gagliardetto/solana-go"
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
	// Seeds with the edits the chain accepts: trailing instruction data,
	// and a transferWithSeed (see decode_fix_test.go).
	for _, edit := range []func(*sol.Transaction){
		func(tx *sol.Transaction) {
			tx.Message.Instructions[3].Data = append(tx.Message.Instructions[3].Data, 1, 2)
		},
		func(tx *sol.Transaction) {
			ix := &tx.Message.Instructions[3]
			data := append([]byte{11, 0, 0, 0}, ix.Data[4:12]...)
			data = append(append(data, 3, 0, 0, 0, 0, 0, 0, 0, 'p', 'a', 'y'), make([]byte, 32)...)
			ix.Data, ix.Accounts = data, []uint16{ix.Accounts[0], ix.Accounts[0], ix.Accounts[1]}
		},
	} {
		seed, _ := wireEnvelope(f, fxV0MultiIx)
		tx, err := sol.TransactionFromBytes(seed)
		if err != nil {
			f.Fatal(err)
		}
		edit(tx)
		b, err := tx.MarshalBinary()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, uint8(1))
	}
	watched := []string{v0Owner, swapUser, swapPool, swapWSOL, "GAXzq8BWdAWaS1kWFiL5tzV2h3AbRBtYGP5psNTWrM9g"}
	f.Fuzz(func(t *testing.T, data []byte, which uint8) {
		raw := wraps[int(which)%len(wraps)](data)
		for _, addr := range watched {
			payments, err := DecodeTransaction(raw, addr, StatusFinalized)
			checkCredits(t, raw, addr, payments, err)
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

// TestDecodeJSONEncodingV0 covers the json encoding of v0 transactions,
// for which no recording exists: it re-encodes the recorded base64 v0
// transactions in the RPC's json shape with solana-go's own marshaller
// (accountKeys holds only the static keys; indexes continue into
// meta.loadedAddresses) and checks the decoder finds the same payments as
// from the recorded base64 form.
func TestDecodeJSONEncodingV0(t *testing.T) {
	tests := []struct {
		fixture string
		watched string
		want    int
	}{
		{fxV0TwoChecked, v0Owner, 2},
		{fxV0MultiIx, swapUser, 1},
		{fxV0MultiIx, swapPool, 1},
		{fxV0MultiIx, swapWSOL, 1},
	}
	for _, tt := range tests {
		t.Run(tt.fixture+"/"+tt.watched, func(t *testing.T) {
			raw := fixtureResult(t, tt.fixture)
			var r map[string]json.RawMessage
			if err := json.Unmarshal(raw, &r); err != nil {
				t.Fatal(err)
			}
			seed, _ := wireEnvelope(t, tt.fixture)
			tx, err := sol.TransactionFromBytes(seed)
			if err != nil {
				t.Fatal(err)
			}
			if !tx.Message.IsVersioned() || len(tx.Message.AddressTableLookups) == 0 {
				t.Fatalf("%s is not a v0 transaction with lookups", tt.fixture)
			}
			if r["transaction"], err = json.Marshal(tx); err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(r["transaction"], []byte(`"addressTableLookups":[{`)) {
				t.Fatalf("re-encoded transaction lacks addressTableLookups: %s", r["transaction"])
			}
			asJSON, _ := json.Marshal(r)

			fromBase64, err := DecodeTransaction(raw, tt.watched, StatusFinalized)
			if err != nil {
				t.Fatalf("DecodeTransaction(base64) error = %v", err)
			}
			fromJSON, err := DecodeTransaction(asJSON, tt.watched, StatusFinalized)
			if err != nil {
				t.Fatalf("DecodeTransaction(json) error = %v", err)
			}
			if len(fromJSON) != tt.want || len(fromBase64) != tt.want {
				t.Fatalf("payments: json %d, base64 %d, want %d", len(fromJSON), len(fromBase64), tt.want)
			}
			for i := range fromJSON {
				a, b := fromJSON[i], fromBase64[i]
				if a.Signature != b.Signature || a.Recipient != b.Recipient || a.Payer != b.Payer || a.Source != b.Source ||
					a.Mint != b.Mint || a.Amount.Cmp(b.Amount) != 0 || a.Instruction != b.Instruction || a.InnerInstruction != b.InnerInstruction {
					t.Errorf("payment %d: json %+v, base64 %+v", i, a, b)
				}
			}
			// Dropping a loaded address must be caught in this encoding too.
			broken := bytes.Replace(asJSON, []byte(`"readonly":["`), []byte(`"readonly":["x`), 1)
			if _, err := DecodeTransaction(broken, tt.watched, StatusFinalized); !errors.Is(err, ErrMalformed) {
				t.Errorf("DecodeTransaction(json, bad loaded address) error = %v, want ErrMalformed", err)
			}
		})
	}
}
