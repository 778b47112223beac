package solana

import (
	"math/big"

	"github.com/gpumarket/gpumarket"

	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gagliardetto/solana-go/rpc"
)

// rpcServer is a JSON-RPC node that answers from recorded fixtures. It
// dispatches on the method and its params: getSignaturesForAddress pages
// (before/until/limit) over a ledger of recorded signature entries, and
// getTransaction serves the recorded response for the signature, verbatim,
// after checking the request asks for the fixture's encoding,
// maxSupportedTransactionVersion 0 and the expected commitment. Unknown
// signatures get the recorded result-null response.
type rpcServer struct {
	tb         testing.TB
	address    string
	commitment string
	ledger     []json.RawMessage            // getSignaturesForAddress entries, newest first
	txs        map[string]string            // signature -> getTransaction fixture
	bodies     map[string][]byte            // signature -> a derived getTransaction response (overrides txs)
	others     map[string][]json.RawMessage // ledgers of other addresses

	genesis string // getGenesisHash fixture; fxGenesisMainnet by default

	mu       sync.Mutex
	calls    []rpcCall
	override func(w http.ResponseWriter, method string) bool // true if it answered
}

type rpcCall struct {
	Method string
	Params []json.RawMessage
}

func newRPCServer(tb testing.TB, address, commitment string) (*rpcServer, *rpc.Client) {
	tb.Helper()
	s := &rpcServer{tb: tb, address: address, commitment: commitment, txs: map[string]string{},
		bodies: map[string][]byte{}, others: map[string][]json.RawMessage{}, genesis: fxGenesisMainnet}
	srv := httptest.NewServer(s)
	tb.Cleanup(srv.Close)
	c := rpc.New(srv.URL)
	tb.Cleanup(func() { _ = c.Close() })
	return s, c
}

// addTx registers a getTransaction fixture under its signature.
func (s *rpcServer) addTx(sig, fixture string) { s.txs[sig] = fixture }

// addSignatures appends the entries of a recorded getSignaturesForAddress
// response to the ledger.
func (s *rpcServer) addSignatures(fixtureName string) {
	s.tb.Helper()
	var entries []json.RawMessage
	if err := json.Unmarshal(fixtureResult(s.tb, fixtureName), &entries); err != nil {
		s.tb.Fatal(err)
	}
	s.ledger = append(s.ledger, entries...)
}

// addEntryFor appends a signature entry built from a recorded
// getTransaction response (signature, slot, blockTime, and err copied
// from meta.err unless dropErr), with the given confirmation status. It
// stands in for getSignaturesForAddress entries that were not recorded.
func (s *rpcServer) addEntryFor(fixtureName, status string, dropErr bool) string {
	s.tb.Helper()
	var r struct {
		Slot      uint64                        `json:"slot"`
		BlockTime *int64                        `json:"blockTime"`
		Meta      struct{ Err json.RawMessage } `json:"meta"`
	}
	raw := fixtureResult(s.tb, fixtureName)
	if err := json.Unmarshal(raw, &r); err != nil {
		s.tb.Fatal(err)
	}
	var sig string
	var tx struct {
		Transaction json.RawMessage `json:"transaction"`
	}
	_ = json.Unmarshal(raw, &tx)
	var obj struct{ Signatures []string }
	if json.Unmarshal(tx.Transaction, &obj) == nil && len(obj.Signatures) > 0 {
		sig = obj.Signatures[0]
	} else {
		// base64 transactions: the signature is known from the fixture table.
		for k, v := range map[string]string{fxFailed: sigFailed, fxV0TwoChecked: sigV0Two, fxV0MultiIx: sigV0Multi} {
			if k == fixtureName {
				sig = v
			}
		}
	}
	if sig == "" {
		s.tb.Fatalf("no signature for %s", fixtureName)
	}
	errJSON := r.Meta.Err
	if dropErr || len(errJSON) == 0 {
		errJSON = json.RawMessage("null")
	}
	entry, _ := json.Marshal(map[string]any{
		"signature": sig, "slot": r.Slot, "blockTime": r.BlockTime, "err": errJSON,
		"memo": nil, "confirmationStatus": status,
	})
	s.ledger = append(s.ledger, entry)
	s.addTx(sig, fixtureName)
	return sig
}

func (s *rpcServer) callsOf(method string) []rpcCall {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []rpcCall
	for _, c := range s.calls {
		if c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

func (s *rpcServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var req struct {
		JSONRPC string            `json:"jsonrpc"`
		ID      json.RawMessage   `json:"id"`
		Method  string            `json:"method"`
		Params  []json.RawMessage `json:"params"`
	}
	if err := json.Unmarshal(body, &req); err != nil || req.JSONRPC != "2.0" {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	s.calls = append(s.calls, rpcCall{req.Method, req.Params})
	override := s.override
	s.mu.Unlock()
	if override != nil && override(w, req.Method) {
		return
	}
	reply := func(result any) {
		b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": req.ID, "result": result})
		_, _ = w.Write(b)
	}
	fail := func(code int, msg string) {
		b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": req.ID, "error": map[string]any{"code": code, "message": msg}})
		_, _ = w.Write(b)
	}
	switch req.Method {
	case "getGenesisHash":
		if len(req.Params) != 0 {
			fail(-32602, "Invalid params")
			return
		}
		_, _ = w.Write(fixture(s.tb, s.genesis)) // the recorded response, verbatim
	case "getSignaturesForAddress":
		var addr string
		var opts struct {
			Limit      int    `json:"limit"`
			Before     string `json:"before"`
			Until      string `json:"until"`
			Commitment string `json:"commitment"`
		}
		if len(req.Params) != 2 || json.Unmarshal(req.Params[0], &addr) != nil || json.Unmarshal(req.Params[1], &opts) != nil {
			fail(-32602, "Invalid params")
			return
		}
		ledger, known := s.ledger, addr == s.address
		if !known {
			ledger, known = s.others[addr]
		}
		if !known || opts.Commitment != s.commitment || opts.Limit < 1 || opts.Limit > 1000 {
			fail(-32602, fmt.Sprintf("unexpected address %s, commitment %q or limit %d", addr, opts.Commitment, opts.Limit))
			return
		}
		start := 0
		if opts.Before != "" {
			start = len(ledger)
			for i, e := range ledger {
				if sigOf(e) == opts.Before {
					start = i + 1
				}
			}
		}
		page := []json.RawMessage{}
		for _, e := range ledger[start:] {
			if sigOf(e) == opts.Until || len(page) == opts.Limit {
				break
			}
			page = append(page, e)
		}
		reply(page)
	case "getTransaction":
		var sig string
		var opts struct {
			Encoding   string `json:"encoding"`
			Commitment string `json:"commitment"`
			MaxVersion *int   `json:"maxSupportedTransactionVersion"`
		}
		if len(req.Params) != 2 || json.Unmarshal(req.Params[0], &sig) != nil || json.Unmarshal(req.Params[1], &opts) != nil {
			fail(-32602, "Invalid params")
			return
		}
		if opts.MaxVersion == nil || *opts.MaxVersion != 0 || opts.Commitment != s.commitment {
			fail(-32602, "want maxSupportedTransactionVersion 0 and commitment "+s.commitment)
			return
		}
		if body, ok := s.bodies[sig]; ok {
			_, _ = w.Write(body)
			return
		}
		name, ok := s.txs[sig]
		if !ok {
			_, _ = w.Write(fixture(s.tb, fxNotFound))
			return
		}
		if !strings.HasSuffix(name, "_"+opts.Encoding+".json") {
			fail(-32602, fmt.Sprintf("fixture %s cannot answer encoding %q", name, opts.Encoding))
			return
		}
		_, _ = w.Write(fixture(s.tb, name)) // the recorded response, verbatim
	default:
		fail(-32601, "Method not found")
	}
}

func sigOf(entry json.RawMessage) string {
	var e struct{ Signature string }
	_ = json.Unmarshal(entry, &e)
	return e.Signature
}

func testLogger(tb testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(tbWriter{tb}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tbWriter struct{ tb testing.TB }

func (w tbWriter) Write(p []byte) (int, error) {
	w.tb.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func newFollower(tb testing.TB, c RPC, cfg Config) *Follower {
	tb.Helper()
	f, err := NewFollower(c, cfg, testLogger(tb))
	if err != nil {
		tb.Fatalf("NewFollower(%+v) error = %v", cfg, err)
	}
	return f
}

// newUSDCPaymentFollower is a follower of usdcOwner, two signatures a page,
// on a finalized node listing, newest first: a SOL transfer to someone
// else, the failed tx and the USDC payment of 1000 with memo "transfer".
func newUSDCPaymentFollower(tb testing.TB) (*rpcServer, *Follower) {
	tb.Helper()
	srv, c := newRPCServer(tb, usdcOwner, "finalized")
	srv.addEntryFor(fxSOLNoMemo, "finalized", false)
	srv.addEntryFor(fxFailed, "finalized", false)
	srv.addSignatures(fxSigsMemo)
	srv.addTx(sigUSDC, fxUSDCMemo)
	return srv, newFollower(tb, c, Config{Address: usdcOwner, PageSize: 2})
}

func TestFollowerTransaction(t *testing.T) {
	tests := []struct {
		name     string
		fixture  string
		sig      string
		encoding Encoding
		watched  string
		want     []string // "recipient amount mint memo" per payment
	}{
		{"jsonParsed SOL", fxSOLMemo, sigSOLMemo, EncodingJSONParsed, solDest, []string{solDest + " 1000000  transfer"}},
		{"jsonParsed USDC", fxUSDCMemo, sigUSDC, EncodingJSONParsed, usdcOwner, []string{usdcATA + " 1000 " + usdcMint + " transfer"}},
		{"base64 v0 ALT", fxV0TwoChecked, sigV0Two, EncodingBase64, v0Owner, []string{
			"GAXzq8BWdAWaS1kWFiL5tzV2h3AbRBtYGP5psNTWrM9g 1 F1rcBbZB6tQZUTR2z8jKQxaAwUUkxnghSh941Q62hMi8 ",
			"HqXcr9ja8jTZAfWN4YSSL8PPWFN3BFJsoxrCvSLaqww1 1 5jHeQFBSNxFqqkMF9YCYwtJbkzGarSGwGsmi2ZuPG6yw "}},
		{"base64 v0 ALT inner", fxV0MultiIx, sigV0Multi, EncodingBase64, swapUser, []string{
			"GERKeoGNe8c6BxQj7JcvrxEgcm3MzdUJRFHwd8xnZsee 27504297755 BUZFom1YPnAZVYSccbpddBmFYmHcS4Xtc3JQG5cFpump "}},
		{"json legacy: ATA rent is not a payment", fxLegacyJSON, sigLegacy, EncodingJSON, "AyHWro8zumyZN68Mhuk6mhNUUQ2VX5qux2pMD4HnN3aJ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c := newRPCServer(t, tt.watched, "finalized")
			srv.addTx(tt.sig, tt.fixture)
			f := newFollower(t, c, Config{Address: tt.watched, Encoding: tt.encoding})
			got, err := f.Transaction(context.Background(), tt.sig, StatusFinalized)
			if err != nil {
				t.Fatalf("Transaction(%s) error = %v", tt.sig, err)
			}
			var lines []string
			for _, p := range got {
				lines = append(lines, fmt.Sprintf("%s %s %s %s", p.Recipient, p.Amount, p.Mint, p.Memo))
				if p.Signature != tt.sig || !p.Final() {
					t.Errorf("payment %+v: want signature %s, final", p, tt.sig)
				}
			}
			if strings.Join(lines, "\n") != strings.Join(tt.want, "\n") {
				t.Fatalf("Transaction(%s) =\n%s\nwant\n%s", tt.sig, strings.Join(lines, "\n"), strings.Join(tt.want, "\n"))
			}
			calls := srv.callsOf("getTransaction")
			if len(calls) != 1 || !bytes.Contains(calls[0].Params[1], []byte(`"encoding":"`+string(tt.encoding)+`"`)) {
				t.Fatalf("getTransaction calls = %v, want one with encoding %s", calls, tt.encoding)
			}
		})
	}
}

func TestFollowerTransactionErrors(t *testing.T) {
	tests := []struct {
		name     string
		txs      map[string]string // signature → fixture the node answers with
		encoding Encoding
		sig      string
		check    func(t *testing.T, srv *rpcServer, err error)
	}{
		{name: "unknown signature", sig: sigSOLMemo, check: func(t *testing.T, _ *rpcServer, err error) {
			if !errors.Is(err, ErrNotFound) {
				t.Fatalf("Transaction(unknown) error = %v, want ErrNotFound", err)
			}
		}},
		{name: "failed transaction", txs: map[string]string{sigFailed: fxFailed}, encoding: EncodingBase64, sig: sigFailed,
			check: func(t *testing.T, _ *rpcServer, err error) {
				var failed *FailedError
				if !errors.As(err, &failed) || !strings.Contains(failed.Reason, "IncorrectProgramId") {
					t.Fatalf("Transaction(failed) error = %v, want *FailedError with IncorrectProgramId", err)
				}
			}},
		{name: "node returns another transaction", txs: map[string]string{sigUSDC: fxSOLMemo}, sig: sigUSDC,
			check: func(t *testing.T, _ *rpcServer, err error) {
				if !errors.Is(err, ErrMalformed) {
					t.Fatalf("Transaction() error = %v, want ErrMalformed", err)
				}
			}},
		{name: "invalid signature is not sent", sig: "not-a-signature", check: func(t *testing.T, srv *rpcServer, err error) {
			if !errors.Is(err, ErrMalformed) || len(srv.callsOf("getTransaction")) != 0 {
				t.Fatalf("Transaction(invalid) error = %v, calls %d; want ErrMalformed and no call", err, len(srv.callsOf("getTransaction")))
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c := newRPCServer(t, solDest, "finalized")
			for sig, fx := range tt.txs {
				srv.addTx(sig, fx)
			}
			f := newFollower(t, c, Config{Address: solDest, Encoding: tt.encoding})
			_, err := f.Transaction(context.Background(), tt.sig, StatusFinalized)
			tt.check(t, srv, err)
		})
	}
}

func TestSignaturesPaging(t *testing.T) {
	tests := []struct {
		name      string
		fixtures  []string
		pageSize  int
		until     string
		wantSigs  int
		wantCalls int
		wantErrs  int
	}{
		{name: "ten entries in pages of 3", fixtures: []string{fxSigsErrors}, pageSize: 3, wantSigs: 10, wantCalls: 4, wantErrs: 7},
		{name: "ten entries in pages of 5 (last page full, then empty)", fixtures: []string{fxSigsErrors}, pageSize: 5, wantSigs: 10, wantCalls: 3, wantErrs: 7},
		{name: "ten entries in one page", fixtures: []string{fxSigsErrors}, pageSize: 100, wantSigs: 10, wantCalls: 1, wantErrs: 7},
		{name: "until stops before the cursor", fixtures: []string{fxSigsErrors}, pageSize: 3,
			until: "2HaJT7GrfPDqr2zKnyWoeQnpcozSmjbAaBkosQ7xbUPRqXZkpRxnpJ8dcbw8NYFucrWMSykWj2XqkxyEZ7k6EDxb", wantSigs: 6, wantCalls: 3, wantErrs: 5}, // two full pages, then an empty one
		{name: "blockTime null and transactionIndex", fixtures: []string{fxSigsBlockNull}, pageSize: 2, wantSigs: 3, wantCalls: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c := newRPCServer(t, usdcOwner, "finalized")
			for _, fx := range tt.fixtures {
				srv.addSignatures(fx)
			}
			f := newFollower(t, c, Config{Address: usdcOwner, PageSize: tt.pageSize})
			got, err := f.Signatures(context.Background(), tt.until)
			if err != nil {
				t.Fatalf("Signatures() error = %v", err)
			}
			if len(got) != tt.wantSigs || len(srv.callsOf("getSignaturesForAddress")) != tt.wantCalls {
				t.Fatalf("Signatures() = %d entries in %d calls, want %d in %d", len(got), len(srv.callsOf("getSignaturesForAddress")), tt.wantSigs, tt.wantCalls)
			}
			errs := 0
			for i, in := range got {
				if in.Signature != sigOf(srv.ledger[i]) {
					t.Errorf("entry %d = %s, want %s (ledger order)", i, in.Signature, sigOf(srv.ledger[i]))
				}
				if in.Err != "" {
					errs++
					if !strings.HasPrefix(in.Err, `{"InsufficientFundsForRent":{"account_index":`) {
						t.Errorf("entry %d Err = %s", i, in.Err)
					}
				}
				if in.Status != StatusFinalized {
					t.Errorf("entry %d Status = %q", i, in.Status)
				}
			}
			if errs != tt.wantErrs {
				t.Errorf("entries with err = %d, want %d", errs, tt.wantErrs)
			}
			// The before cursor of each call is the last signature of the previous page.
			calls := srv.callsOf("getSignaturesForAddress")
			for i := 1; i < len(calls); i++ {
				want := got[i*tt.pageSize-1].Signature
				if !bytes.Contains(calls[i].Params[1], []byte(`"before":"`+want+`"`)) {
					t.Errorf("call %d params %s, want before %s", i, calls[i].Params[1], want)
				}
			}
			if bytes.Contains(calls[0].Params[1], []byte(`"before"`)) {
				t.Errorf("first call params %s carry a before cursor", calls[0].Params[1])
			}
		})
	}
}

func TestSignaturesFields(t *testing.T) {
	srv, c := newRPCServer(t, usdcOwner, "finalized")
	srv.addSignatures(fxSigsBlockNull)
	srv.addSignatures(fxSigsMemo)
	f := newFollower(t, c, Config{Address: usdcOwner})
	got, err := f.Signatures(context.Background(), "")
	if err != nil {
		t.Fatalf("Signatures() error = %v", err)
	}
	if len(got) != 4 {
		t.Fatalf("Signatures() = %d entries, want 4", len(got))
	}
	if got[0].BlockTime != nil || got[0].Slot != 325301549 {
		t.Errorf("entry 0 BlockTime = %v slot %d, want nil and 325301549", got[0].BlockTime, got[0].Slot)
	}
	if got[1].BlockTime == nil || got[1].BlockTime.Unix() != 1740856237 {
		t.Errorf("entry 1 BlockTime = %v, want 1740856237", got[1].BlockTime)
	}
	if got[3].Signature != sigUSDC || len(got[3].Memos) != 1 || got[3].Memos[0] != "transfer" {
		t.Errorf("entry 3 = %+v, want %s with memo [transfer]", got[3], sigUSDC)
	}
}

func TestPoll(t *testing.T) {
	t.Run("finalized: payment, failed tx skipped without fetching, cursor", func(t *testing.T) {
		srv, f := newUSDCPaymentFollower(t)
		res, err := f.Poll(context.Background(), "")
		if err != nil {
			t.Fatalf("Poll() error = %v", err)
		}
		if len(res.Payments) != 1 {
			t.Fatalf("Poll() = %d payments, want 1: %+v", len(res.Payments), res.Payments)
		}
		p := res.Payments[0]
		if p.Signature != sigUSDC || p.Amount.String() != "1000" || p.Mint != usdcMint || p.Payer != usdcAuth || p.Memo != "transfer" || !p.Final() {
			t.Errorf("payment = %+v", p)
		}
		if len(res.Skipped) != 1 || res.Skipped[0].Signature != sigFailed || res.Skipped[0].Reason != `{"InstructionError":[0,"IncorrectProgramId"]}` || res.Skipped[0].Slot != 303576101 {
			t.Errorf("Skipped = %+v, want the IncorrectProgramId tx", res.Skipped)
		}
		if res.Cursor != sigNoMemo || res.Seen != 3 {
			t.Errorf("Cursor = %s Seen = %d, want %s and 3", res.Cursor, res.Seen, sigNoMemo)
		}
		for _, call := range srv.callsOf("getTransaction") {
			if bytes.Contains(call.Params[0], []byte(sigFailed)) {
				t.Errorf("the failed transaction was fetched")
			}
		}
		if n := len(srv.callsOf("getTransaction")); n != 2 {
			t.Errorf("getTransaction calls = %d, want 2", n)
		}
		// Polling again from the cursor sees nothing new.
		again, err := f.Poll(context.Background(), res.Cursor)
		if err != nil || again.Seen != 0 || again.Cursor != res.Cursor {
			t.Errorf("Poll(cursor) = %+v, %v; want nothing new, same cursor", again, err)
		}
	})
	t.Run("meta.err reported by getTransaction is skipped with its reason", func(t *testing.T) {
		srv, c := newRPCServer(t, v0Owner, "finalized")
		srv.addEntryFor(fxV0TwoChecked, "finalized", false)
		srv.addEntryFor(fxFailed, "finalized", true) // list says ok, the transaction says failed
		f := newFollower(t, c, Config{Address: v0Owner, Encoding: EncodingBase64})
		res, err := f.Poll(context.Background(), "")
		if err != nil {
			t.Fatalf("Poll() error = %v", err)
		}
		if len(res.Skipped) != 1 || !strings.Contains(res.Skipped[0].Reason, "IncorrectProgramId") {
			t.Errorf("Skipped = %+v", res.Skipped)
		}
		if len(res.Payments) != 2 || res.Payments[0].Amount.String() != "1" || res.Payments[1].Amount.String() != "1" {
			t.Errorf("Payments = %+v, want the two v0 transfers", res.Payments)
		}
		if res.Cursor != sigV0Two {
			t.Errorf("Cursor = %s, want %s", res.Cursor, sigV0Two)
		}
	})
	t.Run("confirmed: not final, cursor stays before it", func(t *testing.T) {
		srv, c := newRPCServer(t, solDest, "confirmed")
		srv.addEntryFor(fxSOLMemo, "confirmed", false)
		older := srv.addEntryFor(fxSOLReference, "finalized", false)
		f := newFollower(t, c, Config{Address: solDest, Commitment: StatusConfirmed})
		res, err := f.Poll(context.Background(), "")
		if err != nil {
			t.Fatalf("Poll() error = %v", err)
		}
		if len(res.Payments) != 1 || res.Payments[0].Signature != sigSOLMemo || res.Payments[0].Final() || res.Payments[0].Status != StatusConfirmed {
			t.Fatalf("Payments = %+v, want the SOL memo payment, confirmed, not final", res.Payments)
		}
		if res.Payments[0].Amount.String() != "1000000" || res.Payments[0].Payer != solSender || res.Payments[0].FeePayer != relayer {
			t.Errorf("payment = %+v", res.Payments[0])
		}
		if res.Cursor != older {
			t.Errorf("Cursor = %s, want the finalized %s", res.Cursor, older)
		}
	})
	t.Run("listed but not yet returned by getTransaction", func(t *testing.T) {
		srv, c := newRPCServer(t, usdcOwner, "finalized")
		srv.addSignatures(fxSigsMemo)
		f := newFollower(t, c, Config{Address: usdcOwner})
		_, err := f.Poll(context.Background(), "")
		if !errors.Is(err, ErrNotFound) {
			t.Fatalf("Poll() error = %v, want ErrNotFound", err)
		}
	})
	t.Run("node repeats the same page", func(t *testing.T) {
		srv, c := newRPCServer(t, usdcOwner, "finalized")
		srv.addSignatures(fxSigsErrors)
		page := fixture(t, fxSigsMemo)
		srv.override = func(w http.ResponseWriter, method string) bool {
			if method != "getSignaturesForAddress" {
				return false
			}
			_, _ = w.Write(page)
			return true
		}
		f := newFollower(t, c, Config{Address: usdcOwner, PageSize: 1})
		_, err := f.Poll(context.Background(), "")
		if !errors.Is(err, ErrMalformed) {
			t.Fatalf("Poll() error = %v, want ErrMalformed (no progress)", err)
		}
	})
}

func TestRPCErrors(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		body      string
		wantHTTP  int
		wantCode  int
		rateLimit bool
		wantErr   error
	}{
		{name: "HTTP 429 plain text", status: 429, body: "Too many requests for a specific RPC call", wantHTTP: 429, rateLimit: true},
		{name: "HTTP 500 plain text", status: 500, body: "internal error", wantHTTP: 500},
		{name: "HTTP 503 empty body", status: 503, body: "", wantHTTP: 503},
		{name: "JSON-RPC error object", status: 200, body: `{"jsonrpc":"2.0","error":{"code":-32009,"message":"Slot 1 was skipped, or missing in long-term storage"},"id":1}`, wantCode: -32009},
		{name: "JSON-RPC error with HTTP 429", status: 429, body: `{"jsonrpc":"2.0","error":{"code":429,"message":"Too many requests"},"id":1}`, wantCode: 429, rateLimit: true},
		{name: "HTTP 200 not JSON", status: 200, body: "<html>", wantErr: nil},
		{name: "result of the wrong type", status: 200, body: `{"jsonrpc":"2.0","result":{"value":1},"id":1}`, wantErr: ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c := newRPCServer(t, usdcOwner, "finalized")
			srv.override = func(w http.ResponseWriter, method string) bool {
				if method == "getGenesisHash" {
					return false
				}
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
				return true
			}
			f := newFollower(t, c, Config{Address: usdcOwner})
			_, err := f.Poll(context.Background(), "")
			if err == nil {
				t.Fatalf("Poll() error = nil, want an error")
			}
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("Poll() error = %v, want %v", err, tt.wantErr)
				}
				return
			}
			var re *RPCError
			if !errors.As(err, &re) {
				t.Fatalf("Poll() error = %v, want *RPCError", err)
			}
			if re.Method != "getSignaturesForAddress" || re.HTTPStatus != tt.wantHTTP || re.Code != tt.wantCode {
				t.Errorf("RPCError = %+v, want method getSignaturesForAddress, HTTP %d, code %d", re, tt.wantHTTP, tt.wantCode)
			}
			if errors.Is(err, ErrRateLimited) != tt.rateLimit {
				t.Errorf("errors.Is(%v, ErrRateLimited) = %v, want %v", err, !tt.rateLimit, tt.rateLimit)
			}
		})
	}
}

func TestPollCancelled(t *testing.T) {
	srv, c := newRPCServer(t, usdcOwner, "finalized")
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	srv.override = func(w http.ResponseWriter, method string) bool {
		<-release // a node that never answers (the client gives up)
		return true
	}
	f := newFollower(t, c, Config{Address: usdcOwner})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := f.Poll(ctx, "")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Poll() error = %v, want context.DeadlineExceeded", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("Poll() returned after %v, want promptly after the 100ms deadline", d)
	}

	// Already cancelled: no request should be needed to notice.
	ctx2, cancel2 := context.WithCancel(context.Background())
	cancel2()
	if _, err := f.Poll(ctx2, ""); !errors.Is(err, context.Canceled) {
		t.Fatalf("Poll(cancelled) error = %v, want context.Canceled", err)
	}
}

func TestNewFollowerConfig(t *testing.T) {
	_, c := newRPCServer(t, usdcOwner, "finalized")
	tests := []struct {
		name  string
		cfg   Config
		field string // "" if valid
	}{
		{"defaults", Config{Address: usdcOwner}, ""},
		{"confirmed base64", Config{Address: usdcOwner, Commitment: StatusConfirmed, Encoding: EncodingBase64, PageSize: 1000}, ""},
		{"missing address", Config{}, "Address"},
		{"bad address", Config{Address: "0xdeadbeef"}, "Address"},
		{"processed commitment", Config{Address: usdcOwner, Commitment: StatusProcessed}, "Commitment"},
		{"bad encoding", Config{Address: usdcOwner, Encoding: "base58"}, "Encoding"},
		{"page too large", Config{Address: usdcOwner, PageSize: 1001}, "PageSize"},
		{"page negative", Config{Address: usdcOwner, PageSize: -1}, "PageSize"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := NewFollower(c, tt.cfg, nil)
			if tt.field == "" {
				if err != nil || f == nil {
					t.Fatalf("NewFollower(%+v) = %v, %v; want a follower", tt.cfg, f, err)
				}
				if f.cfg.Commitment == "" || f.cfg.Encoding == "" || f.cfg.PageSize == 0 {
					t.Errorf("defaults not applied: %+v", f.cfg)
				}
				return
			}
			if !errors.Is(err, ErrInvalidConfig) || !strings.Contains(err.Error(), tt.field) {
				t.Fatalf("NewFollower(%+v) error = %v, want ErrInvalidConfig naming %s", tt.cfg, err, tt.field)
			}
		})
	}
	if _, err := NewFollower(nil, Config{Address: usdcOwner}, nil); !errors.Is(err, ErrInvalidConfig) {
		t.Fatalf("NewFollower(nil client) error = %v, want ErrInvalidConfig", err)
	}
}

// FuzzDecodeSignatures feeds the recorded getSignaturesForAddress results
// (and their mutations) to the list decoder: no panics, only ErrMalformed,
// and every accepted entry has a signature and a known status.
func FuzzDecodeSignatures(f *testing.F) {
	for _, fx := range []string{fxSigsMemo, fxSigsErrors, fxSigsBlockNull} {
		f.Add([]byte(fixtureResult(f, fx)))
	}
	// The recorded memo entry with the memo fields the node writes for
	// memos that are not UTF-8 (see TestPollUnparsableMemo).
	for _, memo := range []string{`"[5] (unparsable)"`, `"[3] (unparsable); [8] transfer"`, `"garbage"`} {
		f.Add(bytes.Replace(fixtureResult(f, fxSigsMemo), []byte(`"[8] transfer"`), []byte(memo), 1))
	}
	follower := &Follower{cfg: Config{Address: usdcOwner, Commitment: StatusFinalized, Encoding: EncodingJSONParsed, PageSize: DefaultPageSize},
		log: slog.New(slog.DiscardHandler)}
	f.Fuzz(func(t *testing.T, raw []byte) {
		infos, err := follower.decodeSignatures(raw)
		if err != nil {
			if !errors.Is(err, ErrMalformed) {
				t.Fatalf("decodeSignatures error of undocumented kind: %v", err)
			}
			return
		}
		for _, in := range infos {
			switch in.Status {
			case StatusProcessed, StatusConfirmed, StatusFinalized:
			default:
				t.Fatalf("entry %s has status %q", in.Signature, in.Status)
			}
			if in.Signature == "" {
				t.Fatalf("entry without signature: %+v", in)
			}
			if in.MemoErr != "" && in.Memos != nil {
				t.Fatalf("entry with both memos and a memo error: %+v", in)
			}
		}
	})
}

// PollRail is Poll in the domain's terms: the same payment, cursor and
// skipped count, the watched address recorded, amounts copied.
func TestPollRail(t *testing.T) {
	_, f := newUSDCPaymentFollower(t)
	got, err := f.PollRail(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Payments) != 1 || got.Skipped != 1 || got.Cursor == "" {
		t.Fatalf("PollRail = %+v, want 1 payment, 1 skipped, a cursor", got)
	}
	p := got.Payments[0]
	if p.Rail != gpumarket.RailSolana || p.Address != usdcOwner || p.Signature != sigUSDC || p.Amount.String() != "1000" ||
		p.Mint != usdcMint || p.Payer != usdcAuth || p.Memo != "transfer" || !p.Final || p.JobID != nil || p.InnerInstruction < -1 {
		t.Fatalf("rail payment = %+v", p)
	}
}

func TestPaymentRailPayment(t *testing.T) {
	job := big.NewInt(42)
	p := Payment{Signature: "s", InnerInstruction: 2, Amount: big.NewInt(9), Status: StatusConfirmed,
		JobRef: &JobRef{ChainID: 8453, JobID: job}, JobRefErr: ErrAmbiguousMemo}
	r := p.RailPayment("Dep")
	job.SetInt64(7) // the rail payment holds its own copy
	p.Amount.SetInt64(1)
	if r.JobChainID != 8453 || r.JobID.String() != "42" || r.Amount.String() != "9" || r.Final || r.InnerInstruction != 2 ||
		r.Address != "Dep" || r.JobRefError == "" {
		t.Fatalf("RailPayment = %+v", r)
	}
	if r := (Payment{Amount: big.NewInt(1), Status: StatusFinalized}).RailPayment("Dep"); r.JobID != nil || r.JobRefError != "" || !r.Final {
		t.Fatalf("RailPayment without a job = %+v", r)
	}
}
