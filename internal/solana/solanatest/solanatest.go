// Package solanatest is a Solana JSON-RPC node for tests: it answers
// getGenesisHash, getSignaturesForAddress and getTransaction from recorded
// real responses (testdata/, byte-for-byte copies of
// /work/shared/solana-fixtures, whose README gives each one's source) and
// from responses derived from them in the same wire shape. Every
// derivation is a named function here that says what it changes, so a
// test shows which parts of an answer are recorded and which are derived.
//
// No Solana validator can run on the project's machines; this node is how
// the rail's payment path is tested against the real shape of the chain's
// answers.
package solanatest

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

//go:embed testdata/*.json
var testdata embed.FS

// Recorded fixtures (see testdata/ and the fixtures' README).
const (
	// SOL system transfer of 1,000,000 lamports from SOLSender to
	// SOLRecipient with memo "transfer", fee paid by a relayer; mainnet,
	// block time 1680146043.
	FxSOLMemo = "getTransaction_sol_transfer_memo_mainnet_jsonParsed.json"
	// SOL transfer of 24,922,118 lamports to NoMemoRecipient; mainnet,
	// block time 1770867996.
	FxSOLNoMemo = "getTransaction_sol_transfer_no_memo_mainnet_jsonParsed.json"
	// USDC transferChecked of 1000 base units into USDCATA (owner
	// USDCOwner, created in the same transaction); mainnet, block time
	// 1679899845.
	FxUSDC = "getTransaction_usdc_transferChecked_memo_mainnet_jsonParsed.json"
	// A failed transaction (meta.err IncorrectProgramId), base64.
	FxFailed = "getTransaction_failed_incorrectProgramId_mainnet_base64.json"
	// A signature list with transaction-level errors.
	FxSigsErrors = "getSignaturesForAddress_with_errors_mainnet.json"
)

// Keys and signatures of the recorded fixtures.
const (
	SigSOLMemo      = "5QMfuqThWSMMpLCRe3tk7qn7iSwWKfJV8EvD1ZPvyqAWa7Z2JftZ4rPq8YCxCwzSykX7dMkDB8RrovQMoL9ZZWKY"
	SigSOLNoMemo    = "2kHbPUGzehenUXQbBfAVZGcuTrSUVDMEyU2aGcjFbuUAJkG28CyQPCGZF68u369MU7WHMvJboyioqyihvtR75nLn"
	SigUSDC         = "2S2rTZjaqzxYRw9mnqzwtyqitKtSsnE8GVqLn1KrD5R2YpXZnU4GdjppsgfSAbrzJfaqadfi8CtrqEBy588WVQ3E"
	SigFailed       = "58czvUb53KuqnNiLZBT5Zn9cKHMhEWDsWQUdmchi8nYe21oyXEVYu9UkJC5DXNjw548736hXYwiA3EtNS6S3W6Up"
	SOLSender       = "DT1mBDFsNBc1UXa25RdxNvnjL5Lro7su7gX1zpLyCmWe"
	SOLRecipient    = "2b7iQq3PbWwWTotRSDFNXT9DauU418aCHK4jcAzETUem"
	NoMemoRecipient = "3eF3iBQqi2DmDLS7o9y8gG7necF5VBbwYy5gqF7sh899"
	USDCMint        = "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v"
	USDCOwner       = "3i476kTBBTy7pBGx4CXwJpJ6phuwLQgcwLTdHhU3c7ui"
	USDCATA         = "H51DXRt3ubThhdhNeDMScfkbC5X4AWzYfHaZS3JKEfPh"
	USDCAuthority   = "8fusVwhgo4oS1fGpZKeRaXrJXQk9auKnAgcj9A97wR3t"
	// Block times of the fixtures (unix seconds).
	BlockTimeSOLMemo   = 1680146043
	BlockTimeSOLNoMemo = 1770867996
	BlockTimeUSDC      = 1679899845
)

// Genesis hashes (getGenesisHash) of mainnet-beta and devnet. The node
// answers getGenesisHash in the envelope of the recorded answers in
// internal/solana/testdata/getGenesisHash_*.json.
const (
	GenesisMainnet = "5eykt4UsFv8P8NJdTREpY1vzqKqZKvdpKuc147dw2N9d"
	GenesisDevnet  = "EtWTRABZaYq6iMfeYKouRu166VU2xqa1wcaWoxPkrZBG"
)

// Result returns the "result" member of a recorded fixture.
func Result(tb testing.TB, name string) json.RawMessage {
	tb.Helper()
	b, err := testdata.ReadFile("testdata/" + name)
	if err != nil {
		tb.Fatalf("solanatest: fixture %s: %v", name, err)
	}
	var env struct {
		Result json.RawMessage `json:"result"`
	}
	if err := json.Unmarshal(b, &env); err != nil {
		tb.Fatalf("solanatest: fixture %s: %v", name, err)
	}
	return env.Result
}

// WithReference derives a jsonParsed getTransaction result from a recorded
// one by appending ref to the message's account keys as a read-only,
// non-signer key, which is where a Solana Pay wallet puts a reference
// (an extra account of the transfer instruction; the parsed instruction
// does not show extra accounts). Nothing else changes.
func WithReference(tb testing.TB, result json.RawMessage, refs ...string) json.RawMessage {
	tb.Helper()
	var tx map[string]any
	dec := json.NewDecoder(bytes.NewReader(result))
	dec.UseNumber()
	if err := dec.Decode(&tx); err != nil {
		tb.Fatalf("solanatest: with reference: %v", err)
	}
	msg := tx["transaction"].(map[string]any)["message"].(map[string]any)
	keys := msg["accountKeys"].([]any)
	for _, ref := range refs {
		keys = append(keys, map[string]any{"pubkey": ref, "signer": false, "source": "transaction", "writable": false})
	}
	msg["accountKeys"] = keys
	out, err := json.Marshal(tx)
	if err != nil {
		tb.Fatalf("solanatest: with reference: %v", err)
	}
	return out
}

// Replace derives a result by replacing every occurrence of old with new
// (an address, a signature, an amount string); it fails the test when old
// does not occur.
func Replace(tb testing.TB, result json.RawMessage, old, new string) json.RawMessage {
	tb.Helper()
	if !bytes.Contains(result, []byte(old)) {
		tb.Fatalf("solanatest: replace: %q does not occur", old)
	}
	return bytes.ReplaceAll(result, []byte(old), []byte(new))
}

// Entry is one getSignaturesForAddress entry, in the RPC's shape.
type Entry struct {
	Signature          string          `json:"signature"`
	Slot               uint64          `json:"slot"`
	BlockTime          *int64          `json:"blockTime"`
	Err                json.RawMessage `json:"err"`
	Memo               *string         `json:"memo"`
	ConfirmationStatus string          `json:"confirmationStatus"`
}

// EntryOf derives the signature-list entry of a getTransaction result:
// signature, slot, block time and err copied from it, memo as given ("" is
// null), status finalized.
func EntryOf(tb testing.TB, result json.RawMessage, signature, memo string) Entry {
	tb.Helper()
	var r struct {
		Slot      uint64 `json:"slot"`
		BlockTime *int64 `json:"blockTime"`
		Meta      struct {
			Err json.RawMessage `json:"err"`
		} `json:"meta"`
	}
	if err := json.Unmarshal(result, &r); err != nil {
		tb.Fatalf("solanatest: entry of: %v", err)
	}
	e := Entry{Signature: signature, Slot: r.Slot, BlockTime: r.BlockTime, Err: r.Meta.Err, ConfirmationStatus: "finalized"}
	if len(e.Err) == 0 {
		e.Err = json.RawMessage("null")
	}
	if memo != "" {
		e.Memo = &memo
	}
	return e
}

// Node is a JSON-RPC node answering from what the test registered.
type Node struct {
	URL string

	mu      sync.Mutex
	genesis string
	lists   map[string][]Entry         // address -> entries, newest first
	txs     map[string]json.RawMessage // signature -> getTransaction result
	fail    map[string][2]int          // method -> {call number, HTTP status}
	calls   map[string][]string        // method -> first param of each call
}

// NewNode starts a node on cluster genesis, closed when the test ends.
func NewNode(tb testing.TB, genesis string) *Node {
	tb.Helper()
	n := &Node{genesis: genesis, lists: map[string][]Entry{}, txs: map[string]json.RawMessage{},
		fail: map[string][2]int{}, calls: map[string][]string{}}
	srv := httptest.NewServer(n)
	tb.Cleanup(srv.Close)
	n.URL = srv.URL
	return n
}

// SetGenesis changes the cluster the node answers for.
func (n *Node) SetGenesis(g string) { n.mu.Lock(); n.genesis = g; n.mu.Unlock() }

// AddTx registers result as getTransaction's answer for signature.
func (n *Node) AddTx(signature string, result json.RawMessage) {
	n.mu.Lock()
	n.txs[signature] = result
	n.mu.Unlock()
}

// List adds e as the newest transaction of address.
func (n *Node) List(address string, e Entry) {
	n.mu.Lock()
	n.lists[address] = append([]Entry{e}, n.lists[address]...)
	n.mu.Unlock()
}

// Pay registers a payment: result as the answer for signature, listed
// under each of addresses (the reference keys it carries) with memo.
func (n *Node) Pay(tb testing.TB, signature string, result json.RawMessage, memo string, addresses ...string) {
	tb.Helper()
	n.AddTx(signature, result)
	for _, a := range addresses {
		n.List(a, EntryOf(tb, result, signature, memo))
	}
}

// FailCall makes the call of method after skip more calls answer HTTP
// status (e.g. 429): skip 0 fails the next one.
func (n *Node) FailCall(method string, skip, status int) {
	n.mu.Lock()
	n.fail[method] = [2]int{len(n.calls[method]) + skip, status}
	n.mu.Unlock()
}

// Calls returns the first parameter of each call of method so far.
func (n *Node) Calls(method string) []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]string(nil), n.calls[method]...)
}

// ServeHTTP answers one JSON-RPC request.
func (n *Node) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
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
	first := ""
	if len(req.Params) > 0 {
		_ = json.Unmarshal(req.Params[0], &first)
	}
	n.mu.Lock()
	status := 0
	if f, ok := n.fail[req.Method]; ok && f[0] == len(n.calls[req.Method]) {
		status = f[1]
		delete(n.fail, req.Method)
	}
	n.calls[req.Method] = append(n.calls[req.Method], first)
	n.mu.Unlock()
	if status != 0 {
		http.Error(w, http.StatusText(status), status)
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
	var opts struct {
		Limit      int    `json:"limit"`
		Before     string `json:"before"`
		Commitment string `json:"commitment"`
		Encoding   string `json:"encoding"`
		MaxVersion *int   `json:"maxSupportedTransactionVersion"`
	}
	if len(req.Params) > 1 {
		if err := json.Unmarshal(req.Params[1], &opts); err != nil {
			fail(-32602, "Invalid params")
			return
		}
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	switch req.Method {
	case "getGenesisHash":
		reply(n.genesis)
	case "getSignaturesForAddress":
		if opts.Commitment != "finalized" || opts.Limit < 1 || opts.Limit > 1000 {
			fail(-32602, fmt.Sprintf("this node serves finalized lists only, limit 1..1000 (got %q, %d)", opts.Commitment, opts.Limit))
			return
		}
		list := n.lists[first]
		start := 0
		if opts.Before != "" {
			start = len(list)
			for i, e := range list {
				if e.Signature == opts.Before {
					start = i + 1
				}
			}
		}
		page := []Entry{}
		for _, e := range list[start:] {
			if len(page) == opts.Limit {
				break
			}
			page = append(page, e)
		}
		reply(page)
	case "getTransaction":
		if opts.Commitment != "finalized" || opts.MaxVersion == nil || *opts.MaxVersion != 0 {
			fail(-32602, "this node serves finalized transactions with maxSupportedTransactionVersion 0 only")
			return
		}
		res, ok := n.txs[first]
		if !ok {
			res = json.RawMessage("null") // as getTransaction_not_found_devnet.json
		}
		reply(res)
	default:
		fail(-32601, "Method not found: "+strings.TrimSpace(req.Method))
	}
}
