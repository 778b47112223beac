package solana

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	sol "github.com/gagliardetto/solana-go"
	"github.com/gagliardetto/solana-go/rpc"

	"github.com/gpumarket/gpumarket/internal/testenv"
)

// Fixture files, recorded from mainnet/devnet (see testdata/README.md).
const (
	fxSOLMemo       = "getTransaction_sol_transfer_memo_mainnet_jsonParsed.json"
	fxUSDCMemo      = "getTransaction_usdc_transferChecked_memo_mainnet_jsonParsed.json"
	fxSOLReference  = "getTransaction_sol_transfer_memo_reference_devnet_jsonParsed.json"
	fxSOLNoMemo     = "getTransaction_sol_transfer_no_memo_mainnet_jsonParsed.json"
	fxV0TwoChecked  = "getTransaction_v0_alt_two_transferChecked_devnet_base64.json"
	fxV0MultiIx     = "getTransaction_v0_alt_multi_ix_inner_sol_transfer_mainnet_base64.json"
	fxLegacyJSON    = "getTransaction_legacy_ata_create_inner_devnet_json.json"
	fxFailed        = "getTransaction_failed_incorrectProgramId_mainnet_base64.json"
	fxNotFound      = "getTransaction_not_found_devnet.json"
	fxSigsMemo      = "getSignaturesForAddress_memo_mainnet.json"
	fxSigsErrors    = "getSignaturesForAddress_with_errors_mainnet.json"
	fxSigsBlockNull = "getSignaturesForAddress_blocktime_null_mainnet.json"
	// Not in the shared set; provenance in testdata/README.md.
	fxGenesisMainnet = "getGenesisHash_mainnet.json"
	fxGenesisDevnet  = "getGenesisHash_devnet.json"
)

// Addresses and signatures that appear in the fixtures.
const (
	sigSOLMemo = "5QMfuqThWSMMpLCRe3tk7qn7iSwWKfJV8EvD1ZPvyqAWa7Z2JftZ4rPq8YCxCwzSykX7dMkDB8RrovQMoL9ZZWKY"
	sigUSDC    = "2S2rTZjaqzxYRw9mnqzwtyqitKtSsnE8GVqLn1KrD5R2YpXZnU4GdjppsgfSAbrzJfaqadfi8CtrqEBy588WVQ3E"
	sigRef     = "2EhgNdNDaH2ArsoEChEFYMnNzu6qerQpqFP5auGQHXUDEz5CH4mGF1t3ga4tKsVrio3SSPDxSv8HYmURQu1TPTkJ"
	sigNoMemo  = "2kHbPUGzehenUXQbBfAVZGcuTrSUVDMEyU2aGcjFbuUAJkG28CyQPCGZF68u369MU7WHMvJboyioqyihvtR75nLn"
	sigV0Two   = "4fSTSDTTuYa1XXAFxFenuY3SoZWUwCzpMq7kUiya1zW6uqqh6C76GFqTQ3wvegEbZhbPJyr33iDAbieQVWCtVXmf"
	sigV0Multi = "3G4CDUVCJTLAYhXSbp4JomY1r9G32yYFYUJ7rQ2bYPNQfLdUgc8KgQGeeivjdc1B5a1Bd7uANUL6GuUzyd4mQBsR"
	sigLegacy  = "4Dj8Xbs7L6z7pbNp5eGZXLmYZLwePPRVTfunjx2EWDc4nwtVYRq4YqduiFKXR23cGqmbF6LHoubGnKa7gCozstGF"
	sigFailed  = "58czvUb53KuqnNiLZBT5Zn9cKHMhEWDsWQUdmchi8nYe21oyXEVYu9UkJC5DXNjw548736hXYwiA3EtNS6S3W6Up"

	relayer   = "FG4Y3yX4AAchp1HvNZ7LfzFTewF2f6nDoMDCohTFrdpT"
	usdcMint  = "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"
	usdcOwner = "3i476kTBBTy7pBGx4CXwJpJ6phuwLQgcwLTdHhU3c7ui"
	usdcATA   = "H51DXRt3ubThhdhNeDMScfkbC5X4AWzYfHaZS3JKEfPh"
	usdcAuth  = "8fusVwhgo4oS1fGpZKeRaXrJXQk9auKnAgcj9A97wR3t"
	usdcSrc   = "9rB2Poc468mPpY9WMUmaqEPsvJah8SpPB8bKqAjjXp5H"
	solSender = "DT1mBDFsNBc1UXa25RdxNvnjL5Lro7su7gX1zpLyCmWe"
	solDest   = "2b7iQq3PbWwWTotRSDFNXT9DauU418aCHK4jcAzETUem"
	v0Owner   = "RNfp4xTbBb4C3kcv2KqtAj8mu4YhMHxqm1Skg9uchZ7"
	wsolMint  = "So11111111111111111111111111111111111111112"
	swapUser  = "Emajgzqt9QKyfXARSxdkKmzhnXZDw2KENm6wB7XB4XBW"
	swapPool  = "5Q544fKrFoe6tsEbD7S8EmxGTJYAKtTVhAW5Q5pge4j1"
	swapWSOL  = "GA5HywfCzRPZ36LLviQSzeRB8nKR8uwZQmcETaoP9ydi"
)

// fixture returns a testdata file's bytes.
func fixture(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatalf("read fixture: %v", err)
	}
	return b
}

// fixtureResult returns the "result" member of a fixture's envelope.
func fixtureResult(tb testing.TB, name string) json.RawMessage {
	tb.Helper()
	var env struct {
		Result json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(fixture(tb, name), &env); err != nil {
		tb.Fatalf("fixture %s: %v", name, err)
	}
	return env.Result
}

// want is the expected content of a payment.
type want struct {
	sig                                       string
	slot                                      uint64
	blockTime                                 int64
	ix, inner                                 int
	feePayer, payer, source, recipient, owner string
	mint                                      string
	amount                                    string
	decimals                                  uint8
	memo                                      string
}

func checkPayment(tb testing.TB, got Payment, w want) {
	tb.Helper()
	type view struct {
		Sig, FeePayer, Payer, Source, Recipient, Owner, Mint, Amount, Memo string
		Slot                                                               uint64
		BlockTime                                                          int64
		Ix, Inner                                                          int
		Decimals                                                           uint8
	}
	g := view{got.Signature, got.FeePayer, got.Payer, got.Source, got.Recipient, got.RecipientOwner, got.Mint,
		"<nil>", got.Memo, got.Slot, -1, got.Instruction, got.InnerInstruction, got.Decimals}
	if got.Amount != nil {
		g.Amount = got.Amount.String()
	}
	if got.BlockTime != nil {
		g.BlockTime = got.BlockTime.Unix()
	}
	e := view{w.sig, w.feePayer, w.payer, w.source, w.recipient, w.owner, w.mint, w.amount, w.memo, w.slot,
		w.blockTime, w.ix, w.inner, w.decimals}
	if g != e {
		tb.Errorf("payment\n got %+v\nwant %+v", g, e)
	}
}

func TestDecodeTransactionFixtures(t *testing.T) {
	tests := []struct {
		name    string
		fixture string
		watched string
		want    []want
	}{
		{
			name: "SOL transfer with memo, relayer pays the fee", fixture: fxSOLMemo, watched: solDest,
			want: []want{{sig: sigSOLMemo, slot: 185471096, blockTime: 1680146043, ix: 0, inner: -1,
				feePayer: relayer, payer: solSender, source: solSender, recipient: solDest, owner: solDest,
				amount: "1000000", decimals: 9, memo: "transfer"}},
		},
		{name: "SOL memo tx seen from the sender pays it nothing", fixture: fxSOLMemo, watched: solSender},
		{name: "SOL memo tx seen from the fee payer pays it nothing", fixture: fxSOLMemo, watched: relayer},
		{
			name: "USDC transferChecked to the owner of a new ATA", fixture: fxUSDCMemo, watched: usdcOwner,
			want: []want{{sig: sigUSDC, slot: 184930610, blockTime: 1679899845, ix: 1, inner: -1,
				feePayer: relayer, payer: usdcAuth, source: usdcSrc, recipient: usdcATA, owner: usdcOwner,
				mint: usdcMint, amount: "1000", decimals: 6, memo: "transfer"}},
		},
		{
			name: "USDC transferChecked to the token account itself", fixture: fxUSDCMemo, watched: usdcATA,
			want: []want{{sig: sigUSDC, slot: 184930610, blockTime: 1679899845, ix: 1, inner: -1,
				feePayer: relayer, payer: usdcAuth, source: usdcSrc, recipient: usdcATA, owner: usdcOwner,
				mint: usdcMint, amount: "1000", decimals: 6, memo: "transfer"}},
		},
		{name: "USDC tx seen from the paying authority pays it nothing", fixture: fxUSDCMemo, watched: usdcAuth},
		{
			name: "SOL transfer after a plain-text reference memo", fixture: fxSOLReference,
			watched: "8KEegQYdcAypM4STCx5kkESabXEaHjoY9rGmeZqDxQdN",
			want: []want{{sig: sigRef, slot: 462306984, blockTime: 1778762778, ix: 1, inner: -1,
				feePayer: "7crim3zBdwd3wsR65Tf3Y7q8wYWHqZwEU1ATi98XQ7e7", payer: "7crim3zBdwd3wsR65Tf3Y7q8wYWHqZwEU1ATi98XQ7e7",
				source: "7crim3zBdwd3wsR65Tf3Y7q8wYWHqZwEU1ATi98XQ7e7", recipient: "8KEegQYdcAypM4STCx5kkESabXEaHjoY9rGmeZqDxQdN",
				owner: "8KEegQYdcAypM4STCx5kkESabXEaHjoY9rGmeZqDxQdN", amount: "100000000", decimals: 9,
				memo: "test-single-transfer-receipt"}},
		},
		{
			name: "SOL transfer without memo", fixture: fxSOLNoMemo, watched: "3eF3iBQqi2DmDLS7o9y8gG7necF5VBbwYy5gqF7sh899",
			want: []want{{sig: sigNoMemo, slot: 399683256, blockTime: 1770867996, ix: 0, inner: -1,
				feePayer: "4Y5YjAPB4hMdCsiFy7BaBSscyiAvB7cuAbhxnBZ5xmgy", payer: "4Y5YjAPB4hMdCsiFy7BaBSscyiAvB7cuAbhxnBZ5xmgy",
				source: "4Y5YjAPB4hMdCsiFy7BaBSscyiAvB7cuAbhxnBZ5xmgy", recipient: "3eF3iBQqi2DmDLS7o9y8gG7necF5VBbwYy5gqF7sh899",
				owner: "3eF3iBQqi2DmDLS7o9y8gG7necF5VBbwYy5gqF7sh899", amount: "24922118", decimals: 9}},
		},
		{
			name: "v0 ALT: two transferChecked into loaded writable accounts", fixture: fxV0TwoChecked, watched: v0Owner,
			want: []want{
				{sig: sigV0Two, slot: 193487858, blockTime: 1675511254, ix: 0, inner: -1, feePayer: v0Owner, payer: v0Owner,
					source: "3Yvq7e9UXLoFK4PKyxrpEA3y3TKmFK2Wb1f5tVFUgwPu", recipient: "GAXzq8BWdAWaS1kWFiL5tzV2h3AbRBtYGP5psNTWrM9g",
					owner: v0Owner, mint: "F1rcBbZB6tQZUTR2z8jKQxaAwUUkxnghSh941Q62hMi8", amount: "1", decimals: 0},
				{sig: sigV0Two, slot: 193487858, blockTime: 1675511254, ix: 1, inner: -1, feePayer: v0Owner, payer: v0Owner,
					source: "5McxjaxNKYLHtv9DqbMfoi6GNs7ZEMHGkJDrouPib4sW", recipient: "HqXcr9ja8jTZAfWN4YSSL8PPWFN3BFJsoxrCvSLaqww1",
					owner: v0Owner, mint: "5jHeQFBSNxFqqkMF9YCYwtJbkzGarSGwGsmi2ZuPG6yw", amount: "1", decimals: 0},
			},
		},
		{
			name: "v0 ALT: watched is a loaded address", fixture: fxV0TwoChecked, watched: "GAXzq8BWdAWaS1kWFiL5tzV2h3AbRBtYGP5psNTWrM9g",
			want: []want{{sig: sigV0Two, slot: 193487858, blockTime: 1675511254, ix: 0, inner: -1, feePayer: v0Owner, payer: v0Owner,
				source: "3Yvq7e9UXLoFK4PKyxrpEA3y3TKmFK2Wb1f5tVFUgwPu", recipient: "GAXzq8BWdAWaS1kWFiL5tzV2h3AbRBtYGP5psNTWrM9g",
				owner: v0Owner, mint: "F1rcBbZB6tQZUTR2z8jKQxaAwUUkxnghSh941Q62hMi8", amount: "1", decimals: 0}},
		},
		{
			name: "v0 ALT swap: top-level SOL transfer (wrap)", fixture: fxV0MultiIx, watched: swapWSOL,
			want: []want{{sig: sigV0Multi, slot: 302649801, blockTime: 1732156970, ix: 3, inner: -1, feePayer: swapUser, payer: swapUser,
				source: swapUser, recipient: swapWSOL, owner: swapWSOL, amount: "500000000", decimals: 9}},
		},
		{
			name: "v0 ALT swap: inner transfer of WSOL to the pool vault", fixture: fxV0MultiIx, watched: swapPool,
			want: []want{{sig: sigV0Multi, slot: 302649801, blockTime: 1732156970, ix: 5, inner: 1, feePayer: swapUser, payer: swapUser,
				source: swapWSOL, recipient: "GSUxFEYjsh9Xxa8A9k689YwG4t9NUNQvN4YinSiroXmp", owner: swapPool,
				mint: wsolMint, amount: "500000000", decimals: 9}},
		},
		{
			name: "v0 ALT swap: inner transfer out of the pool, authority is a loaded address", fixture: fxV0MultiIx, watched: swapUser,
			want: []want{{sig: sigV0Multi, slot: 302649801, blockTime: 1732156970, ix: 5, inner: 2, feePayer: swapUser, payer: swapPool,
				source: "8v34GQcr3FPuTjuJYfKtNLqsaRxTWriPDRjJVfdzrJHP", recipient: "GERKeoGNe8c6BxQj7JcvrxEgcm3MzdUJRFHwd8xnZsee",
				owner: swapUser, mint: "BUZFom1YPnAZVYSccbpddBmFYmHcS4Xtc3JQG5cFpump", amount: "27504297755", decimals: 6}},
		},
		// The inner system transfer of the ATA create is rent for the new
		// token account, not a payment (TestDecodeNotPayments).
		{name: "legacy json encoding: ATA rent pays the new token account nothing", fixture: fxLegacyJSON,
			watched: "AyHWro8zumyZN68Mhuk6mhNUUQ2VX5qux2pMD4HnN3aJ"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := fixtureResult(t, tt.fixture)
			got, err := DecodeTransaction(raw, tt.watched, StatusFinalized)
			if err != nil {
				t.Fatalf("DecodeTransaction(%s) error = %v", tt.fixture, err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("DecodeTransaction(%s) = %d payments, want %d: %+v", tt.fixture, len(got), len(tt.want), got)
			}
			for i := range got {
				checkPayment(t, got[i], tt.want[i])
				if !got[i].Final() || got[i].JobRef != nil || got[i].JobRefErr != nil {
					t.Errorf("payment %d: Final %v JobRef %v JobRefErr %v, want true, nil, nil", i, got[i].Final(), got[i].JobRef, got[i].JobRefErr)
				}
				checkBalanceDelta(t, tt.fixture, got[i])
			}
		})
	}
}

// checkBalanceDelta is an oracle independent of the decoder: it decodes
// the fixture with solana-go's own RPC result types and checks that the
// recipient's balance grew by the payment's amount (token balance for
// SPL, lamports for SOL), resolving account indexes through solana-go
// (static keys, then loadedAddresses writable, then readonly).
func checkBalanceDelta(tb testing.TB, name string, p Payment) {
	tb.Helper()
	var env struct {
		Result json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(fixture(tb, name), &env); err != nil {
		tb.Fatal(err)
	}
	var keys []string
	var meta *rpc.TransactionMeta
	var parsedMeta *rpc.ParsedTransactionMeta
	if strings.Contains(name, "jsonParsed") {
		var r rpc.GetParsedTransactionResult
		if err := json.Unmarshal(env.Result, &r); err != nil {
			tb.Fatalf("solana-go decode %s: %v", name, err)
		}
		for _, k := range r.Transaction.Message.AccountKeys {
			keys = append(keys, k.PublicKey.String())
		}
		parsedMeta = r.Meta
	} else {
		var r rpc.GetTransactionResult
		if err := json.Unmarshal(env.Result, &r); err != nil {
			tb.Fatalf("solana-go decode %s: %v", name, err)
		}
		tx, err := r.Transaction.GetTransaction()
		if err != nil {
			tb.Fatalf("solana-go transaction %s: %v", name, err)
		}
		for _, k := range tx.Message.AccountKeys {
			keys = append(keys, k.String())
		}
		for _, k := range append(append([]sol.PublicKey{}, r.Meta.LoadedAddresses.Writable...), r.Meta.LoadedAddresses.ReadOnly...) {
			keys = append(keys, k.String())
		}
		meta = r.Meta
	}
	idx := -1
	for i, k := range keys {
		if k == p.Recipient {
			idx = i
		}
	}
	if idx < 0 {
		tb.Fatalf("oracle: recipient %s not among the %d accounts of %s", p.Recipient, len(keys), name)
	}
	var pre, post []rpc.TokenBalance
	var preL, postL []uint64
	if parsedMeta != nil {
		pre, post, preL, postL = parsedMeta.PreTokenBalances, parsedMeta.PostTokenBalances, parsedMeta.PreBalances, parsedMeta.PostBalances
	} else {
		pre, post, preL, postL = meta.PreTokenBalances, meta.PostTokenBalances, meta.PreBalances, meta.PostBalances
	}
	delta := new(big.Int)
	if p.IsSOL() {
		delta.SetUint64(postL[idx])
		delta.Sub(delta, new(big.Int).SetUint64(preL[idx]))
		if name == fxV0MultiIx || name == fxLegacyJSON {
			// The wrapped-SOL account is closed and the ATA rent is the
			// whole balance: only check that it did not shrink below the
			// amount for the ATA; the swap closes its account (balance 0).
			if name == fxLegacyJSON && delta.Cmp(p.Amount) != 0 {
				tb.Errorf("oracle: lamport delta of %s = %s, payment amount %s", p.Recipient, delta, p.Amount)
			}
			return
		}
	} else {
		for _, b := range post {
			if int(b.AccountIndex) == idx {
				n, _ := new(big.Int).SetString(b.UiTokenAmount.Amount, 10)
				delta.Add(delta, n)
				if b.Mint.String() != p.Mint || b.UiTokenAmount.Decimals != p.Decimals {
					tb.Errorf("oracle: token balance of %s is %s/%d, payment says %s/%d", p.Recipient, b.Mint, b.UiTokenAmount.Decimals, p.Mint, p.Decimals)
				}
			}
		}
		for _, b := range pre {
			if int(b.AccountIndex) == idx {
				n, _ := new(big.Int).SetString(b.UiTokenAmount.Amount, 10)
				delta.Sub(delta, n)
			}
		}
	}
	if delta.Cmp(p.Amount) != 0 {
		tb.Errorf("oracle: balance delta of %s = %s, payment amount %s", p.Recipient, delta, p.Amount)
	}
}

func TestDecodeTransactionFailed(t *testing.T) {
	_, err := DecodeTransaction(fixtureResult(t, fxFailed), "FG4Y3yX4AAchp1HvNZ7LfzFTewF2f6nDoMDCohTFrdpT", StatusFinalized)
	var failed *FailedError
	if !errors.As(err, &failed) {
		t.Fatalf("DecodeTransaction(failed) error = %v, want *FailedError", err)
	}
	if failed.Signature != sigFailed || failed.Slot != 303576101 || failed.Reason != `{"InstructionError":[0,"IncorrectProgramId"]}` {
		t.Fatalf("FailedError = %+v", failed)
	}
}

// mutate applies a textual edit to a fixture's result, failing if the
// edit does not apply (so a test cannot silently test the original).
func mutate(tb testing.TB, raw json.RawMessage, old, new string) json.RawMessage {
	tb.Helper()
	if !bytes.Contains(raw, []byte(old)) {
		tb.Fatalf("mutate: %q not in fixture", old)
	}
	return bytes.Replace(raw, []byte(old), []byte(new), 1)
}

func compact(tb testing.TB, raw json.RawMessage) json.RawMessage {
	tb.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

func TestDecodeTransactionErrors(t *testing.T) {
	sol1 := compact(t, fixtureResult(t, fxSOLMemo))
	usdc := compact(t, fixtureResult(t, fxUSDCMemo))
	v0 := compact(t, fixtureResult(t, fxV0TwoChecked))
	legacy := compact(t, fixtureResult(t, fxLegacyJSON))
	tests := []struct {
		name    string
		raw     json.RawMessage
		watched string
		wantErr error
	}{
		{"result null (unknown signature)", fixtureResult(t, fxNotFound), solDest, ErrNotFound},
		{"empty", json.RawMessage(""), solDest, ErrMalformed},
		{"truncated JSON", sol1[:len(sol1)/2], solDest, ErrMalformed},
		{"trailing data", append(append(json.RawMessage{}, sol1...), []byte(" {}")...), solDest, ErrMalformed},
		{"not an object", json.RawMessage(`[1,2]`), solDest, ErrMalformed},
		{"missing meta", mutate(t, sol1, `"meta":{`, `"metaX":{`), solDest, ErrMalformed},
		{"missing slot", mutate(t, sol1, `"slot":185471096`, `"slotX":185471096`), solDest, ErrMalformed},
		{"negative slot", mutate(t, sol1, `"slot":185471096`, `"slot":-1`), solDest, ErrMalformed},
		{"lamports overflow u64", mutate(t, sol1, `"lamports":1000000`, `"lamports":18446744073709551616`), solDest, ErrMalformed},
		{"lamports negative", mutate(t, sol1, `"lamports":1000000`, `"lamports":-1000000`), solDest, ErrMalformed},
		{"lamports float", mutate(t, sol1, `"lamports":1000000`, `"lamports":1e6`), solDest, ErrMalformed},
		{"lamports missing", mutate(t, sol1, `"lamports":1000000,`, ``), solDest, ErrMalformed},
		{"destination missing", mutate(t, sol1, `"destination":"2b7iQq3PbWwWTotRSDFNXT9DauU418aCHK4jcAzETUem",`, ``), solDest, ErrMalformed},
		{"source not a key", mutate(t, sol1, `"source":"DT1mBDFsNBc1UXa25RdxNvnjL5Lro7su7gX1zpLyCmWe"`, `"source":"DT1m0OIl"`), solDest, ErrMalformed},
		{"signature not base58", mutate(t, sol1, `"5QMfuqThWSMMpLCRe3tk7qn7iSwWKfJV8EvD1ZPvyqAWa7Z2JftZ4rPq8YCxCwzSykX7dMkDB8RrovQMoL9ZZWKY"`, `"0x00"`), solDest, ErrMalformed},
		{"unsupported version", mutate(t, legacy, `"slot":80218681`, `"slot":80218681,"version":1`), "AyHWro8zumyZN68Mhuk6mhNUUQ2VX5qux2pMD4HnN3aJ", ErrMalformed},
		{"token amount overflow u64", mutate(t, usdc, `"tokenAmount":{"amount":"1000"`, `"tokenAmount":{"amount":"18446744073709551616"`), usdcOwner, ErrMalformed},
		{"token amount leading zero", mutate(t, usdc, `"tokenAmount":{"amount":"1000"`, `"tokenAmount":{"amount":"01000"`), usdcOwner, ErrMalformed},
		{"token amount as number", mutate(t, usdc, `"tokenAmount":{"amount":"1000"`, `"tokenAmount":{"amount":1000`), usdcOwner, ErrMalformed},
		{"transferChecked decimals disagree with balances", mutate(t, usdc, `"decimals":6,"uiAmount":0.001,"uiAmountString":"0.001"}},"type":"transferChecked"`, `"decimals":9,"uiAmount":0.001,"uiAmountString":"0.001"}},"type":"transferChecked"`), usdcOwner, ErrMalformed},
		{"token balance index out of range", mutate(t, usdc, `"accountIndex":2`, `"accountIndex":99`), usdcOwner, ErrMalformed},
		{"v0 without loadedAddresses", mutate(t, v0, `"loadedAddresses":`, `"loadedAddressesX":`), v0Owner, ErrMalformed},
		{"v0 with a loaded address missing", mutate(t, v0, `"writable":["3Yvq7e9UXLoFK4PKyxrpEA3y3TKmFK2Wb1f5tVFUgwPu",`, `"writable":[`), v0Owner, ErrMalformed},
		{"base64 garbage", mutate(t, v0, `"transaction":["`, `"transaction":["!!!`), v0Owner, ErrMalformed},
		{"unknown binary encoding", mutate(t, v0, `"base64"]`, `"base32"]`), v0Owner, ErrMalformed},
		{"json account index out of range", mutate(t, legacy, `"accounts":[0,1],`, `"accounts":[0,77],`), "AyHWro8zumyZN68Mhuk6mhNUUQ2VX5qux2pMD4HnN3aJ", ErrMalformed},
		{"inner index outside the instructions", mutate(t, legacy, `"index":0`, `"index":5`), "AyHWro8zumyZN68Mhuk6mhNUUQ2VX5qux2pMD4HnN3aJ", ErrMalformed},
		{"system transfer with one account", mutate(t, legacy, `"accounts":[0,1],"data":"3Bxs4h24hBtQy9rw"`, `"accounts":[0],"data":"3Bxs4h24hBtQy9rw"`), "AyHWro8zumyZN68Mhuk6mhNUUQ2VX5qux2pMD4HnN3aJ", ErrMalformed},
		{"invalid watched address", sol1, "not-a-key", ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeTransaction(tt.raw, tt.watched, StatusFinalized)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("DecodeTransaction() = %d payments, error %v; want %v", len(got), err, tt.wantErr)
			}
			if got != nil {
				t.Fatalf("DecodeTransaction() returned payments %+v with an error", got)
			}
		})
	}
}

func TestDecodeTransactionMemoJobRef(t *testing.T) {
	usdc := compact(t, fixtureResult(t, fxUSDCMemo))
	const memoIx = `{"parsed":"transfer","program":"spl-memo","programId":"MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr"}`
	tests := []struct {
		name       string
		memo       string // replaces the recorded memo instruction's text
		extraMemo  string // a second memo instruction, if not ""
		wantMemo   string
		wantRef    string
		wantRefErr error
	}{
		{name: "recorded plain text", memo: "transfer", wantMemo: "transfer"},
		{name: "job reference", memo: "gpumarket:job:8453:42", wantMemo: "gpumarket:job:8453:42", wantRef: "gpumarket:job:8453:42"},
		{name: "malformed job reference keeps the payment", memo: "gpumarket:job:8453:042", wantMemo: "gpumarket:job:8453:042", wantRefErr: ErrMalformedMemo},
		{name: "reference plus plain text", memo: "gpumarket:job:1:7", extraMemo: "thanks", wantMemo: "gpumarket:job:1:7; thanks", wantRef: "gpumarket:job:1:7"},
		{name: "same reference twice", memo: "gpumarket:job:1:7", extraMemo: "gpumarket:job:1:7", wantMemo: "gpumarket:job:1:7; gpumarket:job:1:7", wantRef: "gpumarket:job:1:7"},
		{name: "two different references", memo: "gpumarket:job:1:7", extraMemo: "gpumarket:job:1:8", wantMemo: "gpumarket:job:1:7; gpumarket:job:1:8", wantRefErr: ErrAmbiguousMemo},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ix, _ := json.Marshal(tt.memo)
			repl := strings.Replace(memoIx, `"transfer"`, string(ix), 1)
			if tt.extraMemo != "" {
				ix2, _ := json.Marshal(tt.extraMemo)
				// Memo program v1 for the second memo.
				repl += "," + strings.Replace(strings.Replace(memoIx, `"transfer"`, string(ix2), 1),
					"MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr", "Memo1UhkJRfHyvLMcVucJwxXeuD728EqVDDwQDxFMNo", 1)
			}
			raw := mutate(t, usdc, memoIx, repl)
			got, err := DecodeTransaction(raw, usdcOwner, StatusConfirmed)
			if err != nil {
				t.Fatalf("DecodeTransaction() error = %v", err)
			}
			if len(got) != 1 {
				t.Fatalf("DecodeTransaction() = %d payments, want 1", len(got))
			}
			p := got[0]
			if p.Memo != tt.wantMemo {
				t.Errorf("Memo = %q, want %q", p.Memo, tt.wantMemo)
			}
			gotRef := ""
			if p.JobRef != nil {
				gotRef = p.JobRef.String()
			}
			if gotRef != tt.wantRef {
				t.Errorf("JobRef = %q, want %q", gotRef, tt.wantRef)
			}
			if !errors.Is(p.JobRefErr, tt.wantRefErr) || (tt.wantRefErr == nil) != (p.JobRefErr == nil) {
				t.Errorf("JobRefErr = %v, want %v", p.JobRefErr, tt.wantRefErr)
			}
			if p.Final() || p.Status != StatusConfirmed {
				t.Errorf("Status = %q Final = %v, want confirmed and not final", p.Status, p.Final())
			}
			if p.Amount.String() != "1000" {
				t.Errorf("Amount = %s, want 1000", p.Amount)
			}
		})
	}
}

// FuzzDecodeTransaction feeds every recorded getTransaction result (and
// whatever the fuzzer derives from them) to the decoder. It must never
// panic; errors must be of the documented kinds; every payment must pay
// the watched address a u64 amount.
func FuzzDecodeTransaction(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "getTransaction_*.json"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no fixtures: %v", err)
	}
	watched := []string{solDest, usdcOwner, v0Owner, swapUser, swapPool, swapWSOL, "AyHWro8zumyZN68Mhuk6mhNUUQ2VX5qux2pMD4HnN3aJ"}
	for _, name := range files {
		raw := fixtureResult(f, filepath.Base(name))
		for i := range watched {
			f.Add([]byte(raw), uint8(i))
		}
	}
	f.Fuzz(func(t *testing.T, raw []byte, w uint8) {
		addr := watched[int(w)%len(watched)]
		payments, err := DecodeTransaction(raw, addr, StatusFinalized)
		checkCredits(t, raw, addr, payments, err)
		if err != nil {
			var failed *FailedError
			if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrNotFound) && !errors.As(err, &failed) {
				t.Fatalf("DecodeTransaction error of undocumented kind: %v", err)
			}
			if payments != nil {
				t.Fatalf("payments returned with error %v", err)
			}
			return
		}
		for _, p := range payments {
			if p.Amount == nil || p.Amount.Sign() < 0 || !p.Amount.IsUint64() {
				t.Fatalf("payment amount %v out of u64 range", p.Amount)
			}
			if p.Recipient != addr && p.RecipientOwner != addr {
				t.Fatalf("payment to %s (owner %s) reported for watched %s", p.Recipient, p.RecipientOwner, addr)
			}
			if p.Signature == "" || p.Payer == "" || p.FeePayer == "" {
				t.Fatalf("payment with empty signature, payer or fee payer: %+v", p)
			}
			if p.IsSOL() && (p.Decimals != SOLDecimals || p.RecipientOwner != p.Recipient || p.Payer != p.Source) {
				t.Fatalf("SOL payment with inconsistent fields: %+v", p)
			}
		}
	})
}

// checkCredits holds DecodeCredits to the invariants of the fuzz tests
// and to DecodeTransaction's answer (payments, err) for the same input:
// the same outcome and payments; every not-payment credits watched a u64
// amount, with a known kind and a reason; and the signature the follower
// compares with the requested one (probeSignature) is the decoded one.
func checkCredits(t *testing.T, raw []byte, watched string, payments []Payment, err error) {
	t.Helper()
	c, cerr := DecodeCredits(raw, watched, StatusFinalized)
	if (err == nil) != (cerr == nil) || (cerr != nil && c != nil) {
		t.Fatalf("DecodeCredits = %v, %v; DecodeTransaction error %v", c, cerr, err)
	}
	if cerr != nil {
		return
	}
	if len(c.Payments) != len(payments) {
		t.Fatalf("DecodeCredits: %d payments, DecodeTransaction %d", len(c.Payments), len(payments))
	}
	if sig := probeSignature(raw); sig != "" && sig != c.Signature {
		t.Fatalf("probeSignature = %s, decoded signature %s", sig, c.Signature)
	}
	for _, n := range c.NotPayments {
		if n.Amount == nil || !n.Amount.IsUint64() || n.Recipient != watched || n.Reason == "" || n.Signature != c.Signature ||
			(n.Kind != NotPaymentTransferWithSeed && n.Kind != NotPaymentATARent) {
			t.Fatalf("bad not-payment for %s: %+v", watched, n)
		}
	}
}

// TestFixturesMatchShared checks that testdata holds unedited copies of
// the shared recorded fixtures, when the shared folder is present (it is
// on the development machines and in CI, next to the repository).
func TestFixturesMatchShared(t *testing.T) {
	shared := filepath.Join("..", "..", "..", "shared", "solana-fixtures")
	if _, err := os.Stat(shared); err != nil {
		testenv.Unavailable(t, "../shared/solana-fixtures (the shared recorded fixtures)", err)
	}
	var files []string
	for _, pattern := range []string{"getTransaction_*.json", "getSignaturesForAddress_*.json"} {
		m, err := filepath.Glob(filepath.Join("testdata", pattern))
		if err != nil || len(m) == 0 {
			t.Fatalf("no fixtures %s in testdata: %v", pattern, err)
		}
		files = append(files, m...)
	}
	for _, f := range files {
		want, err := os.ReadFile(filepath.Join(shared, filepath.Base(f)))
		if err != nil {
			t.Errorf("%s: not in the shared set: %v", f, err)
			continue
		}
		if got := fixture(t, filepath.Base(f)); !bytes.Equal(got, want) {
			t.Errorf("%s differs from the shared recording", f)
		}
	}
}
