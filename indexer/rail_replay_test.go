package indexer_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/indexer"
	"github.com/gpumarket/gpumarket/internal/pgtest"
	"github.com/gpumarket/gpumarket/internal/postgres"
	"github.com/gpumarket/gpumarket/internal/postgres/postgrestest"
	"github.com/gpumarket/gpumarket/internal/solana"
)

// railReplay is a Solana JSON-RPC node that answers from the recorded
// responses in internal/solana/testdata: getGenesisHash (mainnet),
// getTransaction (the recorded response, verbatim) and
// getSignaturesForAddress (a listing per address built from the recorded
// transactions: signature, slot, blockTime, err null, finalized; the
// recordings hold no listing for these addresses). fault, when set, may
// answer a call instead (fault injection).
type railReplay struct {
	tb      testing.TB
	txs     map[string][]byte            // signature -> recorded getTransaction response
	ledgers map[string][]json.RawMessage // address -> entries, newest first

	mu      sync.Mutex
	fetched map[string]int
	fetches int
	fault   func(w http.ResponseWriter, method string, fetch int) bool
}

func readFixture(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("..", "internal", "solana", "testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// list appends the recorded transaction in fixture to address's listing
// (call oldest last) and returns its signature.
func (r *railReplay) list(address, fixture string) string {
	r.tb.Helper()
	body := readFixture(r.tb, fixture)
	var env struct {
		Result struct {
			Slot        uint64 `json:"slot"`
			BlockTime   *int64 `json:"blockTime"`
			Transaction struct {
				Signatures []string `json:"signatures"`
			} `json:"transaction"`
		} `json:"result"`
	}
	if err := json.Unmarshal(body, &env); err != nil || len(env.Result.Transaction.Signatures) == 0 {
		r.tb.Fatalf("fixture %s: %v", fixture, err)
	}
	sig := env.Result.Transaction.Signatures[0]
	entry, _ := json.Marshal(map[string]any{"signature": sig, "slot": env.Result.Slot, "blockTime": env.Result.BlockTime,
		"err": nil, "memo": nil, "confirmationStatus": "finalized"})
	r.ledgers[address] = append(r.ledgers[address], entry)
	r.txs[sig] = body
	return sig
}

func (r *railReplay) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	var call struct {
		ID     json.RawMessage   `json:"id"`
		Method string            `json:"method"`
		Params []json.RawMessage `json:"params"`
	}
	if err := json.NewDecoder(req.Body).Decode(&call); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	fetch := 0
	if call.Method == "getTransaction" {
		r.fetches++
		fetch = r.fetches
	}
	fault := r.fault
	r.mu.Unlock()
	if fault != nil && fault(w, call.Method, fetch) {
		return
	}
	reply := func(result any) {
		b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": call.ID, "result": result})
		_, _ = w.Write(b)
	}
	switch call.Method {
	case "getGenesisHash":
		_, _ = w.Write(readFixture(r.tb, "getGenesisHash_mainnet.json"))
	case "getSignaturesForAddress":
		var addr string
		var opts struct {
			Limit         int
			Before, Until string
		}
		_ = json.Unmarshal(call.Params[0], &addr)
		_ = json.Unmarshal(call.Params[1], &opts)
		ledger := r.ledgers[addr]
		start := 0
		if opts.Before != "" {
			start = len(ledger)
			for i, e := range ledger {
				if sigOfEntry(e) == opts.Before {
					start = i + 1
				}
			}
		}
		page := []json.RawMessage{}
		for _, e := range ledger[start:] {
			if sigOfEntry(e) == opts.Until || len(page) == opts.Limit {
				break
			}
			page = append(page, e)
		}
		reply(page)
	case "getTransaction":
		var sig string
		_ = json.Unmarshal(call.Params[0], &sig)
		r.mu.Lock()
		r.fetched[sig]++
		r.mu.Unlock()
		body, ok := r.txs[sig]
		if !ok {
			reply(nil)
			return
		}
		_, _ = w.Write(body)
	default:
		http.Error(w, "unexpected method", http.StatusBadRequest)
	}
}

func sigOfEntry(e json.RawMessage) string {
	var v struct{ Signature string }
	_ = json.Unmarshal(e, &v)
	return v.Signature
}

// The Solana follower, the rail follower and PostgreSQL together, against
// recorded responses: a 429 on one address's second fetch keeps what that
// address's poll handled and does not keep the other address from being
// saved; the next step finishes; every payment is stored once, each
// transaction is fetched once after it was handled, and a restart (new
// followers, same database) fetches nothing again.
func TestRailFollowerSolanaReplay(t *testing.T) {
	const solDest, usdcOwner = "2b7iQq3PbWwWTotRSDFNXT9DauU418aCHK4jcAzETUem", "3i476kTBBTy7pBGx4CXwJpJ6phuwLQgcwLTdHhU3c7ui"
	ctx := context.Background()
	node := &railReplay{tb: t, txs: map[string][]byte{}, ledgers: map[string][]json.RawMessage{}, fetched: map[string]int{}}
	newest := node.list(solDest, "getTransaction_sol_transfer_memo_reference_devnet_jsonParsed.json") // pays someone else
	paying := node.list(solDest, "getTransaction_sol_transfer_memo_mainnet_jsonParsed.json")          // 1,000,000 lamports to solDest
	oldest := node.list(solDest, "getTransaction_sol_transfer_no_memo_mainnet_jsonParsed.json")       // pays someone else
	usdc := node.list(usdcOwner, "getTransaction_usdc_transferChecked_memo_mainnet_jsonParsed.json")  // 1000 USDC units, plus ATA rent
	node.fault = func(w http.ResponseWriter, method string, fetch int) bool {
		if fetch != 2 { // solDest's second transaction, oldest first
			return false
		}
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = w.Write([]byte("Too many requests for a specific RPC call"))
		return true
	}
	srv := httptest.NewServer(node)
	t.Cleanup(srv.Close)

	dsn := pgtest.URL(t)
	db := pgtest.Open(t, dsn)
	sql := postgrestest.Open(t, dsn)
	store := postgres.NewRailStore(db)
	follower := func() *indexer.RailFollower {
		rpc := solana.NewRPC(srv.URL)
		var sources []indexer.RailSource
		for _, a := range []string{solDest, usdcOwner} {
			f, err := solana.NewFollower(rpc, solana.Config{Address: a}, nil)
			if err != nil {
				t.Fatal(err)
			}
			sources = append(sources, f)
		}
		return indexer.NewRailFollower(gpumarket.RailSolana, sources, store, time.Second, nil)
	}
	f := follower()
	if n, err := f.Step(ctx); err == nil || n != 1 {
		t.Fatalf("Step 1 = %d, %v; want the USDC payment saved and the 429 reported", n, err)
	}
	if cur, _ := store.Cursor(ctx, gpumarket.RailSolana, solDest); cur != oldest {
		t.Fatalf("cursor of %s after the 429 = %s, want %s (the one transaction handled)", solDest, cur, oldest)
	}
	if n, err := f.Step(ctx); err != nil || n != 1 {
		t.Fatalf("Step 2 = %d, %v; want the SOL payment", n, err)
	}
	if n, err := f.Step(ctx); err != nil || n != 0 {
		t.Fatalf("Step 3 = %d, %v; want nothing new", n, err)
	}
	if n, err := follower().Step(ctx); err != nil || n != 0 {
		t.Fatalf("Step after a restart = %d, %v; want nothing new", n, err)
	}
	want := map[string]int{newest: 1, paying: 1, oldest: 1, usdc: 1} // answered fetches (the 429 is not one)
	for sig, n := range want {
		if node.fetched[sig] != n {
			t.Errorf("%s fetched %d times, want %d", sig, node.fetched[sig], n)
		}
	}
	const mainnet = "5eykt4UsFv8P8NJdTREpY1vzqKqZKvdpKuc147dw2N9d"
	var got string
	if err := sql.TryQueryRow(ctx, `SELECT string_agg(address || ' ' || signature || ' ' || amount::text || ' ' || genesis_hash, ',' ORDER BY amount)
		FROM rail_payments`, nil, &got); err != nil {
		t.Fatal(err)
	}
	if wantRows := usdcOwner + " " + usdc + " 1000 " + mainnet + "," + solDest + " " + paying + " 1000000 " + mainnet; got != wantRows {
		t.Fatalf("rail_payments =\n%s\nwant\n%s", got, wantRows)
	}
	var rent int64
	if err := sql.TryQueryRow(ctx, `SELECT count(*) FROM rail_non_payments`, nil, &rent); err != nil || rent != 0 {
		// The rent went to the token account, not to its owner usdcOwner.
		t.Fatalf("rail_non_payments = %d (%v), want 0 for the owner's follower", rent, err)
	}
	for addr, cur := range map[string]string{solDest: newest, usdcOwner: usdc} {
		if c, _ := store.Cursor(ctx, gpumarket.RailSolana, addr); c != cur {
			t.Errorf("cursor of %s = %s, want %s", addr, c, cur)
		}
	}
}
