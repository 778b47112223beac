package solana

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	sol "github.com/gagliardetto/solana-go"
)

// This file tests the decoder against variants of the recorded
// transactions that the chain accepts (or that a faulty node could
// serve). Each variant is derived from a recording by one stated edit;
// the edited bytes are what the chain (or the node) would produce for
// that edit.

// decodeJSON unmarshals a fixture result keeping numbers exact, so that
// re-marshalling an edited copy changes nothing else.
func decodeJSON(tb testing.TB, raw []byte) map[string]any {
	tb.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		tb.Fatal(err)
	}
	return m
}

// withInnerData edits the data of inner instruction j of top-level
// instruction outer (json/base64 encodings: base58 data).
func withInnerData(tb testing.TB, raw []byte, outer, j int, edit func([]byte) []byte) json.RawMessage {
	tb.Helper()
	m := decodeJSON(tb, raw)
	for _, in := range m["meta"].(map[string]any)["innerInstructions"].([]any) {
		in := in.(map[string]any)
		if in["index"].(json.Number).String() != itoa(outer) {
			continue
		}
		ix := in["instructions"].([]any)[j].(map[string]any)
		var b sol.Base58
		if err := b.UnmarshalJSON([]byte(`"` + ix["data"].(string) + `"`)); err != nil {
			tb.Fatal(err)
		}
		ix["data"] = sol.Base58(edit([]byte(b))).String()
		out, err := json.Marshal(m)
		if err != nil {
			tb.Fatal(err)
		}
		return out
	}
	tb.Fatalf("no inner instructions of %d", outer)
	return nil
}

// withWireEdit decodes the recorded wire transaction of a base64 fixture
// with solana-go, applies edit and re-encodes it, as base64 (json false)
// or in the RPC's json shape (json true). The signatures are kept: the
// decoder reads them, it does not verify them (the node did).
func withWireEdit(tb testing.TB, fixture string, asJSON bool, edit func(*sol.Transaction)) json.RawMessage {
	tb.Helper()
	seed, wrap := wireEnvelope(tb, fixture)
	tx, err := sol.TransactionFromBytes(seed)
	if err != nil {
		tb.Fatal(err)
	}
	if edit != nil {
		edit(tx)
	}
	if !asJSON {
		b, err := tx.MarshalBinary()
		if err != nil {
			tb.Fatal(err)
		}
		return wrap(b)
	}
	var r map[string]json.RawMessage
	if err := json.Unmarshal(fixtureResult(tb, fixture), &r); err != nil {
		tb.Fatal(err)
	}
	if r["transaction"], err = json.Marshal(tx); err != nil {
		tb.Fatal(err)
	}
	out, _ := json.Marshal(r)
	return out
}

func appendBytes(extra ...byte) func([]byte) []byte {
	return func(d []byte) []byte { return append(append([]byte{}, d...), extra...) }
}

// A transfer whose instruction data has trailing bytes executes on chain
// as the transfer its first bytes encode: the system program decodes with
// bincode allowing trailing bytes, the token programs' unpack reads the
// amount (and decimals) from the front. The decoder must credit it as
// the chain did, in the json and base64 encodings; data too short for
// the amount fails on chain and stays malformed.
func TestDecodeTrailingInstructionData(t *testing.T) {
	// The recorded bytes re-encode to themselves, so the edits below are
	// the only difference.
	seed, _ := wireEnvelope(t, fxV0MultiIx)
	tx, err := sol.TransactionFromBytes(seed)
	if err != nil {
		t.Fatal(err)
	}
	if again, err := tx.MarshalBinary(); err != nil || !bytes.Equal(again, seed) {
		t.Fatalf("solana-go does not re-encode the recorded transaction byte for byte (%v)", err)
	}
	top := func(i int, edit func([]byte) []byte) func(*sol.Transaction) {
		return func(tx *sol.Transaction) { tx.Message.Instructions[i].Data = edit(tx.Message.Instructions[i].Data) }
	}
	tests := []struct {
		name    string
		raw     json.RawMessage
		watched string
		want    []string // amounts, in order
		wantErr error
	}{
		{name: "system transfer +2 bytes, base64", raw: withWireEdit(t, fxV0MultiIx, false, top(3, appendBytes(0xde, 0xad))),
			watched: swapWSOL, want: []string{"500000000"}},
		{name: "system transfer +2 bytes, json", raw: withWireEdit(t, fxV0MultiIx, true, top(3, appendBytes(0xde, 0xad))),
			watched: swapWSOL, want: []string{"500000000"}},
		{name: "system transfer +100 bytes, base64", raw: withWireEdit(t, fxV0MultiIx, false, top(3, appendBytes(make([]byte, 100)...))),
			watched: swapWSOL, want: []string{"500000000"}},
		{name: "system transfer cut to 11 bytes", raw: withWireEdit(t, fxV0MultiIx, false, top(3, func(d []byte) []byte { return d[:11] })),
			watched: swapWSOL, wantErr: ErrMalformed},
		{name: "token transferChecked +1 byte, base64", raw: withWireEdit(t, fxV0TwoChecked, false, top(0, appendBytes(7))),
			watched: v0Owner, want: []string{"1", "1"}},
		{name: "token transferChecked +1 byte, json", raw: withWireEdit(t, fxV0TwoChecked, true, top(0, appendBytes(7))),
			watched: v0Owner, want: []string{"1", "1"}},
		{name: "token transferChecked without decimals", raw: withWireEdit(t, fxV0TwoChecked, false, top(0, func(d []byte) []byte { return d[:9] })),
			watched: v0Owner, wantErr: ErrMalformed},
		{name: "inner token transfer +3 bytes", raw: withInnerData(t, fixtureResult(t, fxV0MultiIx), 5, 1, appendBytes(1, 2, 3)),
			watched: swapPool, want: []string{"500000000"}},
		{name: "inner token transfer cut to 8 bytes", raw: withInnerData(t, fixtureResult(t, fxV0MultiIx), 5, 1, func(d []byte) []byte { return d[:8] }),
			watched: swapPool, wantErr: ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeTransaction(tt.raw, tt.watched, StatusFinalized)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || got != nil {
					t.Fatalf("DecodeTransaction() = %+v, %v; want %v", got, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("DecodeTransaction() error = %v", err)
			}
			var amounts []string
			for _, p := range got {
				amounts = append(amounts, p.Amount.String())
			}
			if strings.Join(amounts, ",") != strings.Join(tt.want, ",") {
				t.Fatalf("amounts = %v, want %v", amounts, tt.want)
			}
		})
	}
}

// meta's outcome fields must be present and agree; a meta that says
// success in err but failure in status (or leaves a field out) is
// malformed and never credited.
func TestDecodeTransactionMetaOutcome(t *testing.T) {
	sol1 := compact(t, fixtureResult(t, fxSOLMemo))
	failed := compact(t, fixtureResult(t, fxFailed))
	const ok = `"status":{"Ok":null}`
	tests := []struct {
		name    string
		raw     json.RawMessage
		watched string
		wantErr error // nil: one payment; errFailed: *FailedError
	}{
		{name: "recorded success", raw: sol1, watched: solDest},
		{name: "err null, status Err", raw: mutate(t, sol1, ok, `"status":{"Err":{"InstructionError":[0,{"Custom":1}]}}`), watched: solDest, wantErr: ErrMalformed},
		{name: "err missing, status Err", raw: mutate(t, mutate(t, sol1, `"err":null,`, ``), ok, `"status":{"Err":"AccountInUse"}`), watched: solDest, wantErr: ErrMalformed},
		{name: "err missing, status Ok", raw: mutate(t, sol1, `"err":null,`, ``), watched: solDest, wantErr: ErrMalformed},
		{name: "status missing", raw: mutate(t, sol1, `,`+ok, ``), watched: solDest, wantErr: ErrMalformed},
		{name: "status null", raw: mutate(t, sol1, ok, `"status":null`), watched: solDest, wantErr: ErrMalformed},
		{name: "status with both", raw: mutate(t, sol1, ok, `"status":{"Ok":null,"Err":"AccountInUse"}`), watched: solDest, wantErr: ErrMalformed},
		{name: "status of another shape", raw: mutate(t, sol1, ok, `"status":"Ok"`), watched: solDest, wantErr: ErrMalformed},
		{name: "fee missing", raw: mutate(t, sol1, `"fee":10000,`, ``), watched: solDest, wantErr: ErrMalformed},
		{name: "preBalances missing", raw: mutate(t, sol1, `"preBalances":`, `"preBalancesX":`), watched: solDest, wantErr: ErrMalformed},
		{name: "recorded failure", raw: failed, watched: relayer, wantErr: errFailed},
		{name: "err set, status Ok", raw: mutate(t, failed, `"status":{"Err":{"InstructionError":[0,"IncorrectProgramId"]}}`, ok), watched: relayer, wantErr: ErrMalformed},
		{name: "err and status disagree", raw: mutate(t, failed, `"status":{"Err":{"InstructionError":[0,"IncorrectProgramId"]}}`, `"status":{"Err":{"InstructionError":[1,"IncorrectProgramId"]}}`), watched: relayer, wantErr: ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeTransaction(tt.raw, tt.watched, StatusFinalized)
			var fe *FailedError
			switch {
			case tt.wantErr == nil:
				if err != nil || len(got) != 1 {
					t.Fatalf("DecodeTransaction() = %+v, %v; want one payment", got, err)
				}
			case tt.wantErr == errFailed:
				if !errors.As(err, &fe) || got != nil {
					t.Fatalf("DecodeTransaction() = %+v, %v; want *FailedError", got, err)
				}
			default:
				if !errors.Is(err, tt.wantErr) || errors.As(err, &fe) || got != nil {
					t.Fatalf("DecodeTransaction() = %+v, %v; want %v and not a *FailedError", got, err, tt.wantErr)
				}
			}
		})
	}
}

var errFailed = errors.New("want *FailedError")

// The node's answer to getTransaction must carry the requested signature,
// whatever it holds: another transaction that pays nothing, that failed,
// or that is malformed is caught as the node's fault, before any of that
// is believed.
func TestFollowerTransactionChecksSignature(t *testing.T) {
	unreadable := mutate(t, compact(t, fixture(t, fxSOLMemo)), `"signatures":["`+sigSOLMemo+`",`, `"signatures":["x",`)
	tests := []struct {
		name     string
		sig      string
		fixture  string // served for sig
		body     []byte // or this body
		encoding Encoding
	}{
		{name: "another transaction paying nobody", sig: sigSOLMemo, fixture: fxSOLNoMemo},
		{name: "another transaction that failed", sig: sigV0Two, fixture: fxFailed, encoding: EncodingBase64},
		{name: "another transaction paying the address", sig: sigRef, fixture: fxSOLMemo},
		{name: "another base64 transaction", sig: sigV0Two, fixture: fxV0MultiIx, encoding: EncodingBase64},
		{name: "no readable signature", sig: sigSOLMemo, body: unreadable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c := newRPCServer(t, solDest, "finalized")
			if tt.body != nil {
				srv.override = func(w http.ResponseWriter, method string) bool {
					if method != "getTransaction" {
						return false
					}
					_, _ = w.Write(tt.body)
					return true
				}
			} else {
				srv.addTx(tt.sig, tt.fixture)
			}
			f := newFollower(t, c, Config{Address: solDest, Encoding: tt.encoding})
			got, err := f.Transaction(context.Background(), tt.sig, StatusFinalized)
			var fe *FailedError
			if !errors.Is(err, ErrMalformed) || errors.As(err, &fe) || got != nil {
				t.Fatalf("Transaction(%s) = %+v, %v; want ErrMalformed", tt.sig, got, err)
			}
		})
	}
	// The real answer still passes.
	srv, c := newRPCServer(t, solDest, "finalized")
	srv.addTx(sigSOLMemo, fxSOLMemo)
	if got, err := newFollower(t, c, Config{Address: solDest}).Transaction(context.Background(), sigSOLMemo, StatusFinalized); err != nil || len(got) != 1 {
		t.Fatalf("Transaction(recorded) = %+v, %v", got, err)
	}
}

// Lamports that reach the watched address without being a payment are
// reported as NotPayments with the reason, never dropped or counted as a
// payment: the rent the ATA program moves into a token account it creates
// (recorded: a createAccount in the base64 v0 swap and in the jsonParsed
// USDC transfer, a transfer in the 2021 json legacy create), and System
// TransferWithSeed (no recording exists; derived from the recorded SOL
// transfers by turning the transfer into a transferWithSeed of the same
// lamports, in the node's jsonParsed shape and in the wire format).
func TestDecodeNotPayments(t *testing.T) {
	const legacyATA = "AyHWro8zumyZN68Mhuk6mhNUUQ2VX5qux2pMD4HnN3aJ"
	noMemo := compact(t, fixtureResult(t, fxSOLNoMemo))
	seedParsed := mutate(t, noMemo,
		`{"destination":"3eF3iBQqi2DmDLS7o9y8gG7necF5VBbwYy5gqF7sh899","lamports":24922118,"source":"4Y5YjAPB4hMdCsiFy7BaBSscyiAvB7cuAbhxnBZ5xmgy"},"type":"transfer"`,
		`{"destination":"3eF3iBQqi2DmDLS7o9y8gG7necF5VBbwYy5gqF7sh899","lamports":24922118,"source":"4Y5YjAPB4hMdCsiFy7BaBSscyiAvB7cuAbhxnBZ5xmgy","sourceBase":"4Y5YjAPB4hMdCsiFy7BaBSscyiAvB7cuAbhxnBZ5xmgy","sourceOwner":"11111111111111111111111111111111","sourceSeed":"pay"},"type":"transferWithSeed"`)
	seedWire := func(tx *sol.Transaction) {
		ix := &tx.Message.Instructions[3] // the recorded top-level system transfer (wrap SOL)
		data := binary.LittleEndian.AppendUint32(nil, 11)
		data = append(data, ix.Data[4:12]...) // the same lamports
		data = binary.LittleEndian.AppendUint64(data, 3)
		data = append(data, "pay"...)
		data = append(data, make([]byte, 32)...) // owner: the system program
		ix.Data = data
		ix.Accounts = []uint16{ix.Accounts[0], ix.Accounts[0], ix.Accounts[1]} // source, base, destination
	}
	tests := []struct {
		name     string
		raw      json.RawMessage
		watched  string
		payments []string // "ix.inner amount"
		not      []string // "ix.inner kind amount source"
	}{
		{name: "ATA rent by createAccount, base64 v0 (stackHeight 2)", raw: fixtureResult(t, fxV0MultiIx), watched: swapWSOL,
			payments: []string{"3.-1 500000000"}, not: []string{"2.1 ata_rent 2039280 " + swapUser}},
		{name: "ATA rent by createAccount, jsonParsed (no stackHeight)", raw: fixtureResult(t, fxUSDCMemo), watched: usdcATA,
			payments: []string{"1.-1 1000"}, not: []string{"0.1 ata_rent 2039280 " + relayer}},
		{name: "ATA rent by transfer, json legacy", raw: fixtureResult(t, fxLegacyJSON), watched: legacyATA,
			not: []string{"0.0 ata_rent 2039280 27kVX7JpPZ1bsrSckbR76mV6GeRqtrjoddubfg2zBpHZ"}},
		{name: "the owner of the new ATA is credited nothing", raw: fixtureResult(t, fxUSDCMemo), watched: usdcOwner,
			payments: []string{"1.-1 1000"}},
		{name: "transferWithSeed, jsonParsed", raw: seedParsed, watched: "3eF3iBQqi2DmDLS7o9y8gG7necF5VBbwYy5gqF7sh899",
			not: []string{"0.-1 transfer_with_seed 24922118 4Y5YjAPB4hMdCsiFy7BaBSscyiAvB7cuAbhxnBZ5xmgy"}},
		{name: "transferWithSeed, base64", raw: withWireEdit(t, fxV0MultiIx, false, seedWire), watched: swapWSOL,
			not: []string{"2.1 ata_rent 2039280 " + swapUser, "3.-1 transfer_with_seed 500000000 " + swapUser}},
		{name: "transferWithSeed, json", raw: withWireEdit(t, fxV0MultiIx, true, seedWire), watched: swapWSOL,
			not: []string{"2.1 ata_rent 2039280 " + swapUser, "3.-1 transfer_with_seed 500000000 " + swapUser}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := DecodeCredits(tt.raw, tt.watched, StatusFinalized)
			if err != nil {
				t.Fatalf("DecodeCredits() error = %v", err)
			}
			var pays, nots []string
			for _, p := range c.Payments {
				pays = append(pays, fmt.Sprintf("%d.%d %s", p.Instruction, p.InnerInstruction, p.Amount))
			}
			for _, n := range c.NotPayments {
				nots = append(nots, fmt.Sprintf("%d.%d %s %s %s", n.Instruction, n.InnerInstruction, n.Kind, n.Amount, n.Source))
				if n.Reason == "" || n.Recipient != tt.watched || n.Signature != c.Signature || !n.Final() {
					t.Errorf("not-payment %+v: want a reason, recipient %s, the signature, final", n, tt.watched)
				}
			}
			if strings.Join(pays, ",") != strings.Join(tt.payments, ",") || strings.Join(nots, ",") != strings.Join(tt.not, ",") {
				t.Fatalf("payments %q, not-payments %q; want %q and %q", pays, nots, tt.payments, tt.not)
			}
			// DecodeTransaction reports the same payments.
			if p, err := DecodeTransaction(tt.raw, tt.watched, StatusFinalized); err != nil || len(p) != len(tt.payments) {
				t.Fatalf("DecodeTransaction() = %d payments, %v", len(p), err)
			}
		})
	}
	// A transferWithSeed too short for its seed fails on chain: malformed.
	short := withWireEdit(t, fxV0MultiIx, false, func(tx *sol.Transaction) {
		seedWire(tx)
		tx.Message.Instructions[3].Data = tx.Message.Instructions[3].Data[:40]
	})
	if _, err := DecodeCredits(short, swapWSOL, StatusFinalized); !errors.Is(err, ErrMalformed) {
		t.Fatalf("DecodeCredits(short transferWithSeed) error = %v, want ErrMalformed", err)
	}
}
