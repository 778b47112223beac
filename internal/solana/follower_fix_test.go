package solana

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/gpumarket/gpumarket"
)

// setMemo sets the memo field of the ledger entry for sig to memo, as the
// node writes it. The recorded listings hold one real memo ("[8] transfer");
// the other memo fields below are derived from the node's format (Agave's
// extract_and_fmt_memos: "[<byte length>] <text>", and "(unparsable)" in
// place of text that is not UTF-8).
func (s *rpcServer) setMemo(sig, memo string) {
	s.tb.Helper()
	for i, e := range s.ledger {
		if sigOf(e) != sig {
			continue
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(e, &m); err != nil {
			s.tb.Fatal(err)
		}
		m["memo"], _ = json.Marshal(memo)
		s.ledger[i], _ = json.Marshal(m)
		return
	}
	s.tb.Fatalf("setMemo: %s not in the ledger", sig)
}

// A memo the node cannot read as UTF-8 ("[N] (unparsable)") or any other
// memo field the parser refuses names no job: the page, and every other
// transaction on it, is read all the same.
func TestPollUnparsableMemo(t *testing.T) {
	srv, c := newRPCServer(t, usdcOwner, "finalized")
	unread := srv.addEntryFor(fxSOLNoMemo, "finalized", false) // a success paying someone else, fetched
	srv.setMemo(unread, "[200] (unparsable); [8] transfer")
	failed := srv.addEntryFor(fxFailed, "finalized", false) // failed: listed with err, never fetched
	srv.setMemo(failed, "[3] (unparsable)")
	garbled := srv.addEntryFor(fxSOLReference, "finalized", false)
	srv.setMemo(garbled, "not the node's memo format")
	srv.addSignatures(fxSigsMemo) // the recorded USDC payment, memo "[8] transfer"
	srv.addTx(sigUSDC, fxUSDCMemo)
	f := newFollower(t, c, Config{Address: usdcOwner})

	infos, err := f.Signatures(context.Background(), "")
	if err != nil {
		t.Fatalf("Signatures() error = %v", err)
	}
	memos := map[string]string{}
	for _, in := range infos {
		memos[in.Signature] = strings.Join(in.Memos, "|") + "/" + in.MemoErr
	}
	if memos[unread] != UnparsableMemo+"|transfer/" || memos[failed] != UnparsableMemo+"/" ||
		!strings.HasPrefix(memos[garbled], "/parse signature memo") || memos[sigUSDC] != "transfer/" {
		t.Fatalf("memos = %q", memos)
	}

	res, err := f.Poll(context.Background(), "")
	if err != nil {
		t.Fatalf("Poll() error = %v", err)
	}
	if len(res.Payments) != 1 || res.Payments[0].Signature != sigUSDC || res.Payments[0].JobRef != nil {
		t.Fatalf("Payments = %+v, want the USDC payment", res.Payments)
	}
	if len(res.Skipped) != 1 || res.Skipped[0].Signature != failed || res.Seen != 4 || res.Handled != 4 || res.Cursor != unread {
		t.Fatalf("Poll() = %+v, want the failed one skipped, all 4 handled, cursor at the newest", res)
	}
}

// A transaction whose answer carries the right signature but cannot be
// decoded is set aside with the reason; the poll goes on, the cursor
// moves past it once final, and it is not fetched again.
func TestPollRejectsMalformedTransaction(t *testing.T) {
	tests := []struct {
		name    string
		watched string
		edit    func(t *testing.T, raw []byte) []byte
		reason  string
	}{
		{name: "amount beyond u64", watched: solDest, reason: "overflows u64", edit: func(t *testing.T, raw []byte) []byte {
			return mutate(t, raw, `"lamports":100000000`, `"lamports":18446744073709551616`)
		}},
		{name: "meta says failed, err says nothing: never credited", watched: "8KEegQYdcAypM4STCx5kkESabXEaHjoY9rGmeZqDxQdN",
			reason: "disagree", edit: func(t *testing.T, raw []byte) []byte {
				return mutate(t, raw, `"status":{"Ok":null}`, `"status":{"Err":{"InstructionError":[1,{"Custom":1}]}}`)
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c := newRPCServer(t, tt.watched, "finalized")
			srv.addEntryFor(fxSOLMemo, "finalized", false) // newest
			srv.addEntryFor(fxSOLReference, "finalized", false)
			srv.bodies[sigRef] = tt.edit(t, compact(t, fixture(t, fxSOLReference)))
			oldest := srv.addEntryFor(fxSOLNoMemo, "finalized", false)
			f := newFollower(t, c, Config{Address: tt.watched})
			res, err := f.Poll(context.Background(), "")
			if err != nil {
				t.Fatalf("Poll() error = %v", err)
			}
			if len(res.Rejected) != 1 || res.Rejected[0].Signature != sigRef || !strings.Contains(res.Rejected[0].Reason, tt.reason) ||
				res.Rejected[0].Slot != 462306984 || res.Rejected[0].Status != StatusFinalized {
				t.Fatalf("Rejected = %+v, want %s with %q", res.Rejected, sigRef, tt.reason)
			}
			for _, p := range res.Payments {
				if p.Signature == sigRef {
					t.Fatalf("the rejected transaction was credited: %+v", p)
				}
			}
			if res.Cursor != sigSOLMemo || res.Handled != 3 {
				t.Fatalf("Cursor = %s, handled %d; want %s and 3", res.Cursor, res.Handled, sigSOLMemo)
			}
			rail := res.RailPoll(tt.watched)
			if len(rail.Rejected) != 1 || !rail.Rejected[0].Final || rail.Rejected[0].Address != tt.watched {
				t.Fatalf("RailPoll().Rejected = %+v", rail.Rejected)
			}
			// Polled again from its cursor, nothing is fetched again.
			before := len(srv.callsOf("getTransaction"))
			again, err := f.Poll(context.Background(), res.Cursor)
			if err != nil || again.Seen != 0 || len(srv.callsOf("getTransaction")) != before {
				t.Fatalf("Poll(cursor) = %+v, %v, %d fetches; want nothing", again, err, len(srv.callsOf("getTransaction"))-before)
			}
			_ = oldest
		})
	}
}

// One failed fetch (here an HTTP 429 from the node, injected at each
// position in turn) keeps what the poll handled before it: the partial
// result comes back with the error, its cursor covers exactly what was
// handled, and a store that keeps each poll's result and resumes from its
// cursor sees every transaction, fetches none twice once handled, and
// credits the payment once.
func TestPollKeepsProgressOnFailedFetch(t *testing.T) {
	order := []string{sigNoMemo, sigSOLMemo, sigRef} // oldest first
	for failAt := 1; failAt <= len(order); failAt++ {
		t.Run("429 on fetch "+itoa(failAt), func(t *testing.T) {
			srv, c := newRPCServer(t, solDest, "finalized")
			srv.addEntryFor(fxSOLReference, "finalized", false) // newest
			srv.addEntryFor(fxSOLMemo, "finalized", false)      // pays solDest
			srv.addEntryFor(fxSOLNoMemo, "finalized", false)    // oldest
			var fetches atomic.Int32
			srv.override = func(w http.ResponseWriter, method string) bool {
				if method != "getTransaction" || int(fetches.Add(1)) != failAt {
					return false
				}
				w.WriteHeader(http.StatusTooManyRequests)
				_, _ = w.Write([]byte("Too many requests for a specific RPC call"))
				return true
			}
			f := newFollower(t, c, Config{Address: solDest})
			credited := map[string]int{}
			cursor := ""
			for round := 0; ; round++ {
				if round == 3 {
					t.Fatal("no complete poll after 3 rounds")
				}
				r, err := f.Poll(context.Background(), cursor)
				if r == nil {
					t.Fatalf("round %d: no result (%v)", round, err)
				}
				for _, p := range r.Payments {
					credited[p.Signature]++
				}
				if round == 0 {
					want := ""
					if failAt > 1 {
						want = order[failAt-2]
					}
					if !errors.Is(err, ErrRateLimited) || r.Handled != failAt-1 || r.Cursor != want {
						t.Fatalf("partial poll: %v, handled %d, cursor %q; want ErrRateLimited, %d, %q", err, r.Handled, r.Cursor, failAt-1, want)
					}
				}
				cursor = r.Cursor
				if err == nil {
					break
				}
			}
			if cursor != sigRef || len(credited) != 1 || credited[sigSOLMemo] != 1 {
				t.Fatalf("cursor %s, credited %v; want %s and the one payment once", cursor, credited, sigRef)
			}
			fetched := map[string]int{}
			for _, call := range srv.callsOf("getTransaction") {
				var sig string
				_ = json.Unmarshal(call.Params[0], &sig)
				fetched[sig]++
			}
			for i, sig := range order {
				want := 1
				if i == failAt-1 {
					want = 2 // the 429, then the retry
				}
				if fetched[sig] != want {
					t.Errorf("%s fetched %d times, want %d", sig, fetched[sig], want)
				}
			}
		})
	}
}

// The Follower reads the cluster's genesis hash (the recorded mainnet
// answer) once, reports it with every poll, and refuses a node on another
// cluster than Config.GenesisHash before listing anything.
func TestFollowerGenesis(t *testing.T) {
	const mainnet, devnet = "5eykt4UsFv8P8NJdTREpY1vzqKqZKvdpKuc147dw2N9d", "EtWTRABZaYq6iMfeYKouRu166VU2xqa1wcaWoxPkrZBG"
	t.Run("read once, reported with each poll", func(t *testing.T) {
		srv, f := newUSDCPaymentFollower(t)
		for i := 0; i < 2; i++ {
			p, err := f.PollRail(context.Background(), "")
			if err != nil || p.GenesisHash != mainnet {
				t.Fatalf("PollRail() = %+v, %v; want genesis %s", p, err, mainnet)
			}
		}
		if n := len(srv.callsOf("getGenesisHash")); n != 1 {
			t.Fatalf("getGenesisHash calls = %d, want 1", n)
		}
	})
	t.Run("pinned to devnet, node on mainnet", func(t *testing.T) {
		srv, c := newRPCServer(t, usdcOwner, "finalized")
		srv.addSignatures(fxSigsMemo)
		f := newFollower(t, c, Config{Address: usdcOwner, GenesisHash: devnet})
		if _, err := f.Poll(context.Background(), ""); !errors.Is(err, ErrWrongCluster) {
			t.Fatalf("Poll() error = %v, want ErrWrongCluster", err)
		}
		if n := len(srv.callsOf("getSignaturesForAddress")); n != 0 {
			t.Fatalf("listed %d pages on the wrong cluster", n)
		}
	})
	t.Run("pinned to devnet, node on devnet", func(t *testing.T) {
		srv, c := newRPCServer(t, usdcOwner, "finalized")
		srv.genesis = fxGenesisDevnet
		f := newFollower(t, c, Config{Address: usdcOwner, GenesisHash: devnet})
		if g, err := f.Genesis(context.Background()); err != nil || g != devnet {
			t.Fatalf("Genesis() = %q, %v", g, err)
		}
	})
	t.Run("answer that is not a hash", func(t *testing.T) {
		srv, c := newRPCServer(t, usdcOwner, "finalized")
		srv.override = func(w http.ResponseWriter, method string) bool {
			_, _ = w.Write([]byte(`{"jsonrpc":"2.0","result":"devnet","id":1}`))
			return true
		}
		if _, err := newFollower(t, c, Config{Address: usdcOwner}).Genesis(context.Background()); !errors.Is(err, ErrMalformed) {
			t.Fatalf("Genesis() error = %v, want ErrMalformed", err)
		}
	})
	if _, err := NewFollower(rpcNever{}, Config{Address: usdcOwner, GenesisHash: "devnet"}, nil); !errors.Is(err, ErrInvalidConfig) ||
		!strings.Contains(err.Error(), "GenesisHash") {
		t.Fatalf("NewFollower(bad GenesisHash) error = %v", err)
	}
}

type rpcNever struct{}

func (rpcNever) RPCCallForInto(context.Context, any, string, []any) error {
	return errors.New("unused")
}

// PollEach polls every watch independently (a failing one does not stop
// the next); PollWatch lists one address and credits another, as for a
// Solana Pay reference key: here the recorded SOL payment is found by
// listing its fee payer's account and crediting the recipient.
func TestPollEach(t *testing.T) {
	srv, c := newRPCServer(t, usdcOwner, "finalized")
	srv.addSignatures(fxSigsMemo) // the USDC tx is listed but the node cannot return it
	main := srv.ledger
	srv.ledger = nil
	srv.addEntryFor(fxSOLMemo, "finalized", false) // the relayer's listing
	srv.ledger, srv.others[relayer] = main, srv.ledger
	f := newFollower(t, c, Config{Address: usdcOwner})
	got := f.PollEach(context.Background(), []Watch{{Address: usdcOwner}, {Address: relayer, Credit: solDest}, {Address: "0xnot"}})
	if len(got) != 3 || !errors.Is(got[0].Err, ErrNotFound) {
		t.Fatalf("watch 0 = %+v, want ErrNotFound", got[0])
	}
	if got[1].Err != nil || len(got[1].Result.Payments) != 1 || got[1].Result.Payments[0].Recipient != solDest ||
		got[1].Result.Payments[0].Amount.String() != "1000000" || got[1].Result.Cursor != sigSOLMemo {
		t.Fatalf("watch 1 = %+v (%v), want the SOL payment to %s", got[1].Result, got[1].Err, solDest)
	}
	if !errors.Is(got[2].Err, ErrInvalidConfig) {
		t.Fatalf("watch 2 error = %v, want ErrInvalidConfig", got[2].Err)
	}
	_ = gpumarket.RailSolana
}

// TransactionCredits reads one presented signature for any credited
// address: the recorded USDC transfer pays the new token account 1000
// units and funds it with 2,039,280 lamports of rent (not a payment).
func TestTransactionCredits(t *testing.T) {
	srv, c := newRPCServer(t, usdcOwner, "finalized")
	srv.addTx(sigUSDC, fxUSDCMemo)
	f := newFollower(t, c, Config{Address: usdcOwner})
	got, err := f.TransactionCredits(context.Background(), sigUSDC, usdcATA, StatusFinalized)
	if err != nil || got.Signature != sigUSDC || len(got.Payments) != 1 || got.Payments[0].Amount.String() != "1000" ||
		len(got.NotPayments) != 1 || got.NotPayments[0].Kind != NotPaymentATARent || got.NotPayments[0].Amount.String() != "2039280" {
		t.Fatalf("TransactionCredits() = %+v, %v", got, err)
	}
	if _, err := f.TransactionCredits(context.Background(), sigUSDC, "0xnot", StatusFinalized); !errors.Is(err, ErrInvalidConfig) {
		t.Fatalf("TransactionCredits(bad credit) error = %v", err)
	}
}
