package solana_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/solana"
	st "github.com/gpumarket/gpumarket/internal/solana/solanatest"
)

// Fresh reference keys of the tests' quotes (valid ed25519 public keys).
const (
	refA = "4CjmKAoBexxPXrSFG14QGYmJXqdQaQAHvNJgEDnhM3F2"
	refB = "9qqZDxuC1ZTMXAYCz1AN5K1WfJKVBQmuCsWDNx4MpxB4"
)

func newChecker(tb testing.TB, n *st.Node) *solana.QuotePayments {
	tb.Helper()
	q, err := solana.NewQuotePayments(context.Background(), solana.NewRPC(n.URL), st.GenesisMainnet, nil)
	if err != nil {
		tb.Fatalf("NewQuotePayments() error = %v", err)
	}
	return q
}

func terms(ref, recipient, mint string, amount int64, expires int64) gpumarket.RailQuoteTerms {
	dec := uint8(9)
	if mint != "" {
		dec = 6
	}
	return gpumarket.RailQuoteTerms{Reference: ref, Recipient: recipient, Mint: mint, Decimals: dec,
		Amount: big.NewInt(amount), ExpiresAt: time.Unix(expires, 0), Cluster: st.GenesisMainnet}
}

// TestQuotePaymentVerdicts checks each case of the brief against the
// recorded SOL and USDC transfers, derived only by adding the quote's
// reference key to their account keys (and, for Token-2022, as stated).
func TestQuotePaymentVerdicts(t *testing.T) {
	sol := st.WithReference(t, st.Result(t, st.FxSOLMemo), refA)
	usdc := st.WithReference(t, st.Result(t, st.FxUSDC), refA)
	// Token-2022 with a 1% transfer fee: the same transfer by the
	// Token-2022 program, the destination's post balance 990 (10 withheld).
	t22 := st.Replace(t, st.Replace(t, usdc, "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA", "TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb"),
		`"owner":"`+st.USDCOwner+`","programId":"TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb","uiTokenAmount":{"amount":"1000"`,
		`"owner":"`+st.USDCOwner+`","programId":"TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb","uiTokenAmount":{"amount":"990"`)
	later := int64(st.BlockTimeSOLMemo + 600)
	tests := []struct {
		name    string
		result  json.RawMessage
		sig     string
		memo    string
		terms   gpumarket.RailQuoteTerms
		verdict gpumarket.RailVerdict
		arrived int64
		excess  int64
		payer   string
	}{
		{"paid exactly", sol, st.SigSOLMemo, "[8] transfer", terms(refA, st.SOLRecipient, "", 1_000_000, later), gpumarket.RailFunds, 1_000_000, 0, st.SOLSender},
		{"paid over", sol, st.SigSOLMemo, "", terms(refA, st.SOLRecipient, "", 900_000, later), gpumarket.RailFunds, 1_000_000, 100_000, st.SOLSender},
		{"paid under", sol, st.SigSOLMemo, "", terms(refA, st.SOLRecipient, "", 1_000_001, later), gpumarket.RailUnderpaid, 1_000_000, 0, st.SOLSender},
		{"paid at the expiry", sol, st.SigSOLMemo, "", terms(refA, st.SOLRecipient, "", 1_000_000, st.BlockTimeSOLMemo), gpumarket.RailLate, 1_000_000, 0, st.SOLSender},
		{"paid late", sol, st.SigSOLMemo, "", terms(refA, st.SOLRecipient, "", 1_000_000, st.BlockTimeSOLMemo-1), gpumarket.RailLate, 1_000_000, 0, st.SOLSender},
		{"SOL for a USDC quote", sol, st.SigSOLMemo, "", terms(refA, st.SOLRecipient, st.USDCMint, 1000, later), gpumarket.RailWrongMint, 0, 0, st.SOLSender},
		{"USDC for a SOL quote", usdc, st.SigUSDC, "", terms(refA, st.USDCOwner, "", 1000, st.BlockTimeUSDC+60), gpumarket.RailWrongMint, 0, 0, st.USDCAuthority},
		{"to the wrong recipient", sol, st.SigSOLMemo, "", terms(refA, st.NoMemoRecipient, "", 1_000_000, later), gpumarket.RailWrongRecipient, 0, 0, ""},
		{"USDC paid exactly into the owner's new ATA", usdc, st.SigUSDC, "[8] transfer", terms(refA, st.USDCOwner, st.USDCMint, 1000, st.BlockTimeUSDC+60), gpumarket.RailFunds, 1000, 0, st.USDCAuthority},
		{"Token-2022 fee withheld: what arrived is short", t22, st.SigUSDC, "", terms(refA, st.USDCOwner, st.USDCMint, 1000, st.BlockTimeUSDC+60), gpumarket.RailUnderpaid, 990, 0, st.USDCAuthority},
		{"Token-2022 fee withheld: what arrived counts", t22, st.SigUSDC, "", terms(refA, st.USDCOwner, st.USDCMint, 990, st.BlockTimeUSDC+60), gpumarket.RailFunds, 990, 0, st.USDCAuthority},
		{"unparsable memo beside it", sol, st.SigSOLMemo, "[4] (unparsable)", terms(refA, st.SOLRecipient, "", 1_000_000, later), gpumarket.RailFunds, 1_000_000, 0, st.SOLSender},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := st.NewNode(t, st.GenesisMainnet)
			// An unrelated transaction with an unparsable memo is listed
			// under the reference before the payment.
			unrelated := st.EntryOf(t, st.Result(t, st.FxSOLNoMemo), st.SigSOLNoMemo, "[3] (unparsable)")
			n.List(tt.terms.Reference, unrelated)
			n.Pay(t, tt.sig, tt.result, tt.memo, tt.terms.Reference)
			got, err := newChecker(t, n).Find(context.Background(), tt.terms)
			if err != nil {
				t.Fatalf("Find() error = %v", err)
			}
			if len(got) != 1 {
				t.Fatalf("Find() = %d payments, want 1 (the unrelated one is not served: %+v)", len(got), got)
			}
			p := got[0]
			if p.Verdict != tt.verdict || p.Signature != tt.sig || p.Payer != tt.payer {
				t.Fatalf("Find() = %s by %q (%s), want %s by %q", p.Verdict, p.Payer, p.Reason, tt.verdict, tt.payer)
			}
			if p.Arrived.Cmp(big.NewInt(tt.arrived)) != 0 || p.Excess.Cmp(big.NewInt(tt.excess)) != 0 {
				t.Errorf("Find() arrived %s excess %s, want %d and %d", p.Arrived, p.Excess, tt.arrived, tt.excess)
			}
			if tt.verdict != gpumarket.RailFunds && p.Reason == "" {
				t.Errorf("Find() verdict %s has no reason", p.Verdict)
			}
		})
	}
}

// TestQuotePaymentFailedTransaction: a failed transaction listed under the
// reference is RailFailed from the list's err without being fetched; one
// whose list entry says err null is RailFailed from meta.err.
func TestQuotePaymentFailedTransaction(t *testing.T) {
	failed := st.Result(t, st.FxFailed) // recorded base64; served whatever the encoding asked
	n := st.NewNode(t, st.GenesisMainnet)
	var listed []st.Entry
	if err := json.Unmarshal(st.Result(t, st.FxSigsErrors), &listed); err != nil {
		t.Fatal(err)
	}
	withErr := listed[1] // recorded: err InsufficientFundsForRent
	n.List(refA, withErr)
	n.Pay(t, st.SigFailed, failed, "", refA)
	entry := st.EntryOf(t, failed, st.SigFailed, "")
	n.List(refB, st.Entry{Signature: entry.Signature, Slot: entry.Slot, BlockTime: entry.BlockTime, Err: json.RawMessage("null"), ConfirmationStatus: "finalized"})
	q := newChecker(t, n)
	for _, ref := range []string{refA, refB} {
		got, err := q.Find(context.Background(), terms(ref, st.SOLRecipient, "", 1, 2_000_000_000))
		if err != nil {
			t.Fatalf("Find(%s) error = %v", ref, err)
		}
		for _, p := range got {
			if p.Verdict != gpumarket.RailFailed || p.Reason == "" {
				t.Errorf("Find(%s) %s = %s (%q), want failed with a reason", ref, p.Signature, p.Verdict, p.Reason)
			}
		}
		if want := map[string]int{refA: 2, refB: 1}[ref]; len(got) != want {
			t.Errorf("Find(%s) = %d payments, want %d", ref, len(got), want)
		}
	}
	for _, s := range n.Calls("getTransaction") {
		if s == withErr.Signature {
			t.Errorf("the transaction whose list entry has err was fetched")
		}
	}
}

// TestQuotePaymentWrongCluster: a checker pinned to mainnet refuses a
// devnet node, and refuses to bind when the node behind the URL changes
// cluster, or the quote was issued on another cluster.
func TestQuotePaymentWrongCluster(t *testing.T) {
	n := st.NewNode(t, st.GenesisDevnet)
	if _, err := solana.NewQuotePayments(context.Background(), solana.NewRPC(n.URL), st.GenesisMainnet, nil); !errors.Is(err, solana.ErrWrongCluster) {
		t.Fatalf("NewQuotePayments(devnet node, mainnet) error = %v, want ErrWrongCluster", err)
	}
	n.SetGenesis(st.GenesisMainnet)
	q := newChecker(t, n)
	n.Pay(t, st.SigSOLMemo, st.WithReference(t, st.Result(t, st.FxSOLMemo), refA), "", refA)
	tm := terms(refA, st.SOLRecipient, "", 1_000_000, 2_000_000_000)
	n.SetGenesis(st.GenesisDevnet)
	if got, err := q.Find(context.Background(), tm); !errors.Is(err, solana.ErrWrongCluster) || len(got) != 0 {
		t.Errorf("Find() on a node now on devnet = %v, %v; want nothing and ErrWrongCluster", got, err)
	}
	if _, err := q.Check(context.Background(), tm, st.SigSOLMemo); !errors.Is(err, solana.ErrWrongCluster) {
		t.Errorf("Check() on a node now on devnet error = %v, want ErrWrongCluster", err)
	}
	n.SetGenesis(st.GenesisMainnet)
	tm.Cluster = st.GenesisDevnet
	if _, err := q.Find(context.Background(), tm); !errors.Is(err, solana.ErrWrongCluster) {
		t.Errorf("Find() of a devnet quote error = %v, want ErrWrongCluster", err)
	}
}

// TestQuotePaymentCheckBySignature covers a payment presented by its
// signature: for its own quote it funds; presented for another quote
// (whose reference it does not carry) it is RailNoReference; a node that
// answers with another transaction is caught.
func TestQuotePaymentCheckBySignature(t *testing.T) {
	n := st.NewNode(t, st.GenesisMainnet)
	n.AddTx(st.SigSOLMemo, st.WithReference(t, st.Result(t, st.FxSOLMemo), refA))
	n.AddTx(st.SigSOLNoMemo, st.Result(t, st.FxSOLMemo)) // the wrong transaction for this signature
	q := newChecker(t, n)
	ctx := context.Background()
	a, b := terms(refA, st.SOLRecipient, "", 1_000_000, 2_000_000_000), terms(refB, st.SOLRecipient, "", 1_000_000, 2_000_000_000)
	if p, err := q.Check(ctx, a, st.SigSOLMemo); err != nil || p.Verdict != gpumarket.RailFunds {
		t.Errorf("Check(quote A, its payment) = %s, %v; want funds", p.Verdict, err)
	}
	if p, err := q.Check(ctx, b, st.SigSOLMemo); err != nil || p.Verdict != gpumarket.RailNoReference {
		t.Errorf("Check(quote B, A's payment) = %s, %v; want no_reference", p.Verdict, err)
	}
	if _, err := q.Check(ctx, a, st.SigSOLNoMemo); !errors.Is(err, solana.ErrWrongTransaction) {
		t.Errorf("Check(node answers another transaction) error = %v, want ErrWrongTransaction", err)
	}
	if _, err := q.Check(ctx, a, st.SigUSDC); !errors.Is(err, solana.ErrNotFound) {
		t.Errorf("Check(unknown signature) error = %v, want ErrNotFound", err)
	}
}

// TestQuotePaymentKeepsProgress: a 429 on the second fetch returns the
// first payment, checked, together with the error.
func TestQuotePaymentKeepsProgress(t *testing.T) {
	n := st.NewNode(t, st.GenesisMainnet)
	n.Pay(t, st.SigSOLMemo, st.WithReference(t, st.Result(t, st.FxSOLMemo), refA), "", refA)
	// Derived: the recorded no-memo transfer, its recipient replaced by the
	// quote's, carrying the reference.
	second := st.WithReference(t, st.Replace(t, st.Result(t, st.FxSOLNoMemo), st.NoMemoRecipient, st.SOLRecipient), refA)
	n.Pay(t, st.SigSOLNoMemo, second, "", refA)
	q := newChecker(t, n)
	tm := terms(refA, st.SOLRecipient, "", 1_000_000, 2_000_000_000)
	n.FailCall("getTransaction", 1, http.StatusTooManyRequests)
	got, err := q.Find(context.Background(), tm)
	if !errors.Is(err, solana.ErrRateLimited) {
		t.Fatalf("Find() error = %v, want ErrRateLimited", err)
	}
	if len(got) != 1 || got[0].Signature != st.SigSOLMemo || got[0].Verdict != gpumarket.RailFunds {
		t.Fatalf("Find() kept %+v, want the first payment (funds)", got)
	}
	got, err = q.Find(context.Background(), tm)
	if err != nil || len(got) != 2 || got[1].Signature != st.SigSOLNoMemo || got[1].Excess.Int64() != 24_922_118-1_000_000 {
		t.Fatalf("Find() again = %+v, %v; want both, the second an over-payment", got, err)
	}
}

// TestQuotePaymentRateLimited: when the node answers 429 the error says
// so (ErrRateLimited) and nothing is made up.
func TestQuotePaymentRateLimited(t *testing.T) {
	n := st.NewNode(t, st.GenesisMainnet)
	n.Pay(t, st.SigSOLMemo, st.WithReference(t, st.Result(t, st.FxSOLMemo), refA), "", refA)
	q := newChecker(t, n)
	n.FailCall("getTransaction", 0, http.StatusTooManyRequests)
	got, err := q.Find(context.Background(), terms(refA, st.SOLRecipient, "", 1_000_000, 2_000_000_000))
	if !errors.Is(err, solana.ErrRateLimited) || len(got) != 0 {
		t.Fatalf("Find() = %v, %v; want nothing and ErrRateLimited", got, err)
	}
}

func TestTransferRequestURL(t *testing.T) {
	tests := []struct {
		name string
		req  solana.TransferRequest
		want string
	}{
		{"SOL", solana.TransferRequest{Recipient: st.SOLRecipient, Amount: big.NewInt(1_500_000_000), Decimals: 9, Reference: refA, Memo: "gpumarket quote 7"},
			"solana:" + st.SOLRecipient + "?amount=1.5&reference=" + refA + "&memo=gpumarket%20quote%207"},
		{"USDC, label and message", solana.TransferRequest{Recipient: st.USDCOwner, Mint: st.USDCMint, Amount: big.NewInt(1000), Decimals: 6, Reference: refB,
			Label: "GPU market", Message: "render 1 frame & more", Memo: "q#1"},
			"solana:" + st.USDCOwner + "?amount=0.001&spl-token=" + st.USDCMint + "&reference=" + refB + "&label=GPU%20market&message=render%201%20frame%20%26%20more&memo=q%231"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.req.URL()
			if err != nil || got != tt.want {
				t.Errorf("URL() = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
	bad := solana.TransferRequest{Recipient: st.SOLRecipient, Amount: big.NewInt(0), Decimals: 9, Reference: refA}
	if _, err := bad.URL(); !errors.Is(err, solana.ErrInvalidConfig) {
		t.Errorf("URL(amount 0) error = %v, want ErrInvalidConfig", err)
	}
	bad.Amount, bad.Reference = big.NewInt(1), "not-a-key"
	if _, err := bad.URL(); !errors.Is(err, solana.ErrInvalidConfig) {
		t.Errorf("URL(bad reference) error = %v, want ErrInvalidConfig", err)
	}
}

func TestFormatAmount(t *testing.T) {
	tests := []struct {
		amount   string
		decimals uint8
		want     string
	}{
		{"1", 9, "0.000000001"}, {"1000000000", 9, "1"}, {"1500000000", 9, "1.5"}, {"1000", 6, "0.001"},
		{"123456789012345678901234567890", 9, "123456789012345678901.23456789"}, {"42", 0, "42"}, {"10", 1, "1"},
	}
	for _, tt := range tests {
		n, _ := new(big.Int).SetString(tt.amount, 10)
		if got := solana.FormatAmount(n, tt.decimals); got != tt.want {
			t.Errorf("FormatAmount(%s, %d) = %q, want %q", tt.amount, tt.decimals, got, tt.want)
		}
	}
}

func TestNewReference(t *testing.T) {
	a, err := solana.NewReference(bytes.NewReader(bytes.Repeat([]byte{1}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	b, err := solana.NewReference(bytes.NewReader(bytes.Repeat([]byte{2}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	if a == b || len(a) < 32 || strings.ContainsAny(a, "0OIl") {
		t.Errorf("NewReference() = %q, %q; want two different base58 keys", a, b)
	}
}

// FuzzCheckQuotePayment: any answer yields a verdict or an error, never a
// panic, and a funding verdict never reports less arrived than quoted.
func FuzzCheckQuotePayment(f *testing.F) {
	f.Add([]byte(st.WithReference(f, st.Result(f, st.FxSOLMemo), refA)))
	f.Add([]byte(st.WithReference(f, st.Result(f, st.FxUSDC), refA)))
	f.Add([]byte(st.Result(f, st.FxFailed)))
	f.Fuzz(func(t *testing.T, raw []byte) {
		for _, tm := range []gpumarket.RailQuoteTerms{terms(refA, st.SOLRecipient, "", 1_000_000, 2_000_000_000), terms(refA, st.USDCOwner, st.USDCMint, 1000, 2_000_000_000)} {
			p, err := solana.CheckQuotePayment(raw, tm, st.SigSOLMemo)
			if err == nil && p.Verdict == gpumarket.RailFunds && p.Arrived.Cmp(tm.Amount) < 0 {
				t.Fatalf("funds with %s arrived of %s", p.Arrived, tm.Amount)
			}
			if err == nil && !p.Verdict.Valid() {
				t.Fatalf("verdict %q", p.Verdict)
			}
		}
	})
}
