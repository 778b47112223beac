package solana

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	sol "github.com/gagliardetto/solana-go"
	"github.com/gagliardetto/solana-go/rpc"

	"github.com/gpumarket/gpumarket"
)

// Encoding is the getTransaction encoding the Follower requests. The
// decoder accepts every encoding whatever was requested.
type Encoding string

// The supported encodings.
const (
	EncodingJSONParsed Encoding = "jsonParsed"
	EncodingJSON       Encoding = "json"
	EncodingBase64     Encoding = "base64"
)

// Defaults and limits of Config.
const (
	DefaultPageSize = 100
	MaxPageSize     = 1000 // the RPC's own limit for getSignaturesForAddress
)

// RPC is what the Follower needs from a Solana JSON-RPC client: one call
// decoded into out. *rpc.Client from solana-go satisfies it.
type RPC interface {
	RPCCallForInto(ctx context.Context, out any, method string, params []any) error
}

var _ RPC = (*rpc.Client)(nil)

// Config configures a Follower. The zero value of each optional field
// selects its default.
type Config struct {
	// Address is the watched deposit address (base58), required. SOL
	// payments must credit it; SPL payments must credit it or a token
	// account it owns. getSignaturesForAddress is queried for it, so for
	// SPL payments into token accounts the indexer runs one Follower per
	// token account as well (the RPC lists a transaction under the
	// accounts it touches, not under their owners).
	Address string
	// Commitment is StatusConfirmed or StatusFinalized (default).
	Commitment ConfirmationStatus
	// Encoding is the getTransaction encoding, EncodingJSONParsed by
	// default.
	Encoding Encoding
	// PageSize is the getSignaturesForAddress limit, 1..MaxPageSize,
	// DefaultPageSize by default.
	PageSize int
	// GenesisHash, if set, pins the cluster (base58 genesis hash, e.g.
	// 5eykt4UsFv8P8NJdTREpY1vzqKqZKvdpKuc147dw2N9d for mainnet-beta): a
	// node with another genesis hash is refused with ErrWrongCluster.
	// Empty: the cluster is whatever the node says at the first call
	// (Genesis), and the store pins it.
	GenesisHash string
}

// withDefaults validates c and fills defaults. Errors wrap
// ErrInvalidConfig and name the field.
func (c Config) withDefaults() (Config, error) {
	if _, err := sol.PublicKeyFromBase58(c.Address); err != nil {
		return c, fmt.Errorf("solana config: Address %q: %v: %w", c.Address, err, ErrInvalidConfig)
	}
	switch c.Commitment {
	case "":
		c.Commitment = StatusFinalized
	case StatusConfirmed, StatusFinalized:
	default:
		return c, fmt.Errorf("solana config: Commitment %q: want confirmed or finalized: %w", c.Commitment, ErrInvalidConfig)
	}
	switch c.Encoding {
	case "":
		c.Encoding = EncodingJSONParsed
	case EncodingJSONParsed, EncodingJSON, EncodingBase64:
	default:
		return c, fmt.Errorf("solana config: Encoding %q: want jsonParsed, json or base64: %w", c.Encoding, ErrInvalidConfig)
	}
	if c.GenesisHash != "" {
		if err := CheckGenesisHash(c.GenesisHash); err != nil {
			return c, fmt.Errorf("solana config: GenesisHash: %w", err)
		}
	}
	switch {
	case c.PageSize == 0:
		c.PageSize = DefaultPageSize
	case c.PageSize < 0 || c.PageSize > MaxPageSize:
		return c, fmt.Errorf("solana config: PageSize %d: want 1..%d: %w", c.PageSize, MaxPageSize, ErrInvalidConfig)
	}
	return c, nil
}

// CheckGenesisHash returns an error wrapping ErrInvalidConfig unless h is
// a base58 genesis hash (32 bytes).
func CheckGenesisHash(h string) error {
	if _, err := sol.HashFromBase58(h); err != nil {
		return fmt.Errorf("genesis hash %.80q: %v: %w", h, err, ErrInvalidConfig)
	}
	return nil
}

// Follower follows the payments to one address. It holds no cursor: the
// caller stores PollResult.Cursor and passes it back, so a Follower is
// safe for concurrent use and a restart resumes where the store says.
type Follower struct {
	rpc RPC
	cfg Config
	log *slog.Logger

	mu      sync.Mutex
	genesis string // the node's genesis hash, once read
}

// NewFollower returns a Follower for cfg that calls the node through c.
// A nil log discards logs. It returns an error wrapping ErrInvalidConfig
// if cfg is invalid.
func NewFollower(c RPC, cfg Config, log *slog.Logger) (*Follower, error) {
	if c == nil {
		return nil, fmt.Errorf("new solana follower: nil rpc client: %w", ErrInvalidConfig)
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("new solana follower: %w", err)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Follower{rpc: c, cfg: cfg, log: log.With("address", cfg.Address)}, nil
}

// SignatureInfo is one entry of getSignaturesForAddress.
type SignatureInfo struct {
	Signature string
	Slot      uint64
	// BlockTime is nil when the RPC reports blockTime null.
	BlockTime *time.Time
	// Err is the transaction error as compact JSON, "" if it succeeded.
	Err string
	// Memos are the memo texts the RPC reports, see ParseSignatureMemo
	// (UnparsableMemo for a memo that is not UTF-8).
	Memos []string
	// MemoErr says why the memo field could not be read ("" if it could);
	// Memos is then nil. The memo field is informative only (payments
	// take their memos from the transaction), so such an entry is kept
	// and names no job.
	MemoErr string
	// Status is the confirmation status; the commitment requested when
	// the RPC leaves it null.
	Status ConfirmationStatus
}

type rawSignatureInfo struct {
	Signature          string          `json:"signature"`
	Slot               *uint64         `json:"slot"`
	BlockTime          *int64          `json:"blockTime"`
	Err                json.RawMessage `json:"err"`
	Memo               *string         `json:"memo"`
	ConfirmationStatus *string         `json:"confirmationStatus"`
}

// SignaturesPage fetches one page of getSignaturesForAddress for the
// watched address, newest first: at most PageSize signatures older than
// before (if not "") and newer than until (if not ""), at the configured
// commitment.
//
// It returns an error wrapping ErrMalformed for a result that is not a
// well-formed list, and an *RPCError for transport and node errors
// (which wraps ErrRateLimited on HTTP 429, and ctx.Err() on
// cancellation).
func (f *Follower) SignaturesPage(ctx context.Context, before, until string) ([]SignatureInfo, error) {
	return f.signaturesPage(ctx, f.cfg.Address, before, until)
}

func (f *Follower) signaturesPage(ctx context.Context, address, before, until string) ([]SignatureInfo, error) {
	opts := map[string]any{"limit": f.cfg.PageSize, "commitment": string(f.cfg.Commitment)}
	for name, sig := range map[string]string{"before": before, "until": until} {
		if sig == "" {
			continue
		}
		if _, err := sol.SignatureFromBase58(sig); err != nil {
			return nil, fmt.Errorf("get signatures for %s: %s %q: %v: %w", address, name, sig, err, ErrMalformed)
		}
		opts[name] = sig
	}
	var raw json.RawMessage
	if err := f.call(ctx, &raw, "getSignaturesForAddress", []any{address, opts}); err != nil {
		return nil, fmt.Errorf("get signatures for %s before %q: %w", address, before, err)
	}
	infos, err := f.decodeSignatures(raw)
	if err != nil {
		return nil, fmt.Errorf("get signatures for %s before %q: %w", address, before, err)
	}
	if len(infos) > f.cfg.PageSize {
		return nil, fmt.Errorf("get signatures for %s: %d entries, asked for at most %d: %w", address, len(infos), f.cfg.PageSize, ErrMalformed)
	}
	return infos, nil
}

func (f *Follower) decodeSignatures(raw json.RawMessage) ([]SignatureInfo, error) {
	var entries []rawSignatureInfo
	if isNull(raw) {
		return nil, fmt.Errorf("result is null: %w", ErrMalformed)
	}
	if err := decodeExact(raw, &entries); err != nil {
		return nil, fmt.Errorf("%v: %w", err, ErrMalformed)
	}
	out := make([]SignatureInfo, 0, len(entries))
	for i, e := range entries {
		if _, err := sol.SignatureFromBase58(e.Signature); err != nil {
			return nil, fmt.Errorf("entry %d: signature %.100q: %v: %w", i, e.Signature, err, ErrMalformed)
		}
		if e.Slot == nil {
			return nil, fmt.Errorf("entry %d (%s): missing slot: %w", i, e.Signature, ErrMalformed)
		}
		info := SignatureInfo{Signature: e.Signature, Slot: *e.Slot, Status: f.cfg.Commitment}
		if e.BlockTime != nil {
			t := time.Unix(*e.BlockTime, 0).UTC()
			info.BlockTime = &t
		}
		if !isNull(e.Err) {
			info.Err = compactJSON(e.Err)
		}
		if e.Memo != nil {
			// Anyone can write a memo beside a watched address for one
			// fee: whatever it holds, it must not fail the page.
			memos, err := ParseSignatureMemo(*e.Memo)
			if err != nil {
				info.MemoErr = err.Error()
				f.log.Info("solana signature memo unreadable; it names no job", "tx_hash", e.Signature, "err", err)
			} else {
				info.Memos = memos
			}
		}
		if e.ConfirmationStatus != nil {
			switch s := ConfirmationStatus(*e.ConfirmationStatus); s {
			case StatusProcessed, StatusConfirmed, StatusFinalized:
				info.Status = s
			default:
				return nil, fmt.Errorf("entry %d (%s): confirmationStatus %.20q: %w", i, e.Signature, s, ErrMalformed)
			}
		}
		out = append(out, info)
	}
	return out, nil
}

// Signatures pages back through getSignaturesForAddress from the newest
// signature to until (exclusive; "" for the address's whole history) and
// returns every entry, newest first, without duplicates.
//
// It returns the errors of SignaturesPage, and an error wrapping
// ErrMalformed if the node keeps returning the same page.
func (f *Follower) Signatures(ctx context.Context, until string) ([]SignatureInfo, error) {
	return f.signatures(ctx, f.cfg.Address, until)
}

func (f *Follower) signatures(ctx context.Context, address, until string) ([]SignatureInfo, error) {
	var all []SignatureInfo
	seen := make(map[string]bool)
	before := ""
	for page := 0; ; page++ {
		infos, err := f.signaturesPage(ctx, address, before, until)
		if err != nil {
			return nil, err
		}
		f.log.DebugContext(ctx, "solana signatures page", "page", page, "before", before, "entries", len(infos))
		for _, in := range infos {
			if seen[in.Signature] {
				continue
			}
			seen[in.Signature] = true
			all = append(all, in)
		}
		if len(infos) < f.cfg.PageSize {
			return all, nil
		}
		next := infos[len(infos)-1].Signature
		if next == before {
			return nil, fmt.Errorf("get signatures for %s: no progress past %s: %w", address, before, ErrMalformed)
		}
		before = next
	}
}

// Transaction fetches one transaction with getTransaction at the
// configured commitment and encoding (maxSupportedTransactionVersion 0)
// and returns its payments to the watched address, each marked with
// status. Pass the status the RPC reported for the signature; when not
// known, pass the configured commitment, which never overstates it.
//
// It returns the errors of DecodeTransaction (ErrNotFound for an unknown
// signature, *FailedError, ErrMalformed), an error wrapping both
// ErrWrongTransaction and ErrMalformed when the answer is not the
// requested transaction (checked for every answer, whatever it pays), and
// *RPCError for transport and node errors.
func (f *Follower) Transaction(ctx context.Context, signature string, status ConfirmationStatus) ([]Payment, error) {
	c, err := f.credits(ctx, signature, f.cfg.Address, status)
	if err != nil {
		return nil, err
	}
	return c.Payments, nil
}

// TransactionCredits is Transaction for any credited address: it fetches
// one transaction (for a signature a client presents, say) and returns
// what it credits to credit, payments and not-payments, with the errors of
// Transaction and one wrapping ErrInvalidConfig for an invalid credit.
func (f *Follower) TransactionCredits(ctx context.Context, signature, credit string, status ConfirmationStatus) (*Credits, error) {
	if _, err := sol.PublicKeyFromBase58(credit); err != nil {
		return nil, fmt.Errorf("get transaction %s for %q: %v: %w", signature, credit, err, ErrInvalidConfig)
	}
	return f.credits(ctx, signature, credit, status)
}

// credits fetches one transaction and decodes what it credits to watched.
func (f *Follower) credits(ctx context.Context, signature, watched string, status ConfirmationStatus) (*Credits, error) {
	if _, err := sol.SignatureFromBase58(signature); err != nil {
		return nil, fmt.Errorf("get transaction %q: %v: %w", signature, err, ErrMalformed)
	}
	opts := map[string]any{
		"encoding":                       string(f.cfg.Encoding),
		"commitment":                     string(f.cfg.Commitment),
		"maxSupportedTransactionVersion": 0,
	}
	var raw json.RawMessage
	if err := f.call(ctx, &raw, "getTransaction", []any{signature, opts}); err != nil {
		return nil, fmt.Errorf("get transaction %s: %w", signature, err)
	}
	if len(raw) == 0 {
		// solana-go hands a "result": null over as an empty message.
		raw = json.RawMessage("null")
	}
	// The signature is checked before anything else, whatever the
	// transaction holds: a node that answers with another transaction
	// (failed, malformed, or paying nobody) is caught, not believed.
	got, c, err := decodeTransaction(raw, watched, status)
	switch {
	case errors.Is(err, ErrNotFound):
		return nil, fmt.Errorf("get transaction %s: %w", signature, err)
	case got == "":
		return nil, fmt.Errorf("get transaction %s: the answer carries no readable signature: %w", signature, errors.Join(ErrWrongTransaction, ErrMalformed))
	case got != signature:
		return nil, fmt.Errorf("get transaction %s: node returned transaction %s: %w", signature, got, errors.Join(ErrWrongTransaction, ErrMalformed))
	case err != nil:
		return nil, fmt.Errorf("get transaction %s: %w", signature, err)
	}
	return c, nil
}

// Genesis returns the genesis hash of the node's cluster (getGenesisHash,
// base58). It asks the node at the first successful call and returns that
// answer from then on: the Follower is pinned to the cluster it started
// on. It returns an error wrapping ErrWrongCluster if Config.GenesisHash
// is set and differs, ErrMalformed for an answer that is not a hash, and
// *RPCError for transport and node errors.
func (f *Follower) Genesis(ctx context.Context) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.genesis != "" {
		return f.genesis, nil
	}
	var raw json.RawMessage
	if err := f.call(ctx, &raw, "getGenesisHash", nil); err != nil {
		return "", fmt.Errorf("get genesis hash: %w", err)
	}
	var h string
	if err := json.Unmarshal(raw, &h); err != nil {
		return "", fmt.Errorf("get genesis hash: result %.80s: %v: %w", raw, err, ErrMalformed)
	}
	if _, err := sol.HashFromBase58(h); err != nil {
		return "", fmt.Errorf("get genesis hash: %.80q: %v: %w", h, err, ErrMalformed)
	}
	if f.cfg.GenesisHash != "" && h != f.cfg.GenesisHash {
		return "", fmt.Errorf("get genesis hash: node is on %s, want %s: %w", h, f.cfg.GenesisHash, ErrWrongCluster)
	}
	f.log.InfoContext(ctx, "solana cluster", "genesis_hash", h)
	f.genesis = h
	return h, nil
}

// Skipped is a transaction that Poll did not turn into payments because
// it failed on chain.
type Skipped struct {
	Signature string
	Slot      uint64
	// Reason is the transaction error as compact JSON.
	Reason string
}

// Rejected is a transaction that Poll set aside because the node's answer
// for it, though it carries the right signature, cannot be decoded
// (ErrMalformed): it pays nothing, and once it is finalized the cursor
// moves past it, so it is not fetched again.
type Rejected struct {
	Signature string
	Slot      uint64
	Reason    string
	Status    ConfirmationStatus
}

// PollResult is the outcome of one Poll.
type PollResult struct {
	// Payments to the watched address, oldest first. Payments not yet
	// finalized (Final() false) are reported again by later polls until
	// they are, so consumers upsert by (Signature, Instruction,
	// InnerInstruction).
	Payments []Payment
	// NotPayments are the lamports credited to the watched address that
	// are not payments, oldest first, with the reason.
	NotPayments []NotPayment
	// Skipped lists failed transactions, oldest first, with the reason.
	Skipped []Skipped
	// Rejected lists the transactions set aside as malformed, oldest
	// first, with the reason.
	Rejected []Rejected
	// Cursor is the signature to pass as until to the next Poll: the
	// newest signature such that it and every older one seen are
	// finalized and handled. It is the until passed in when there is
	// none, so no unfinalized or unfetched transaction is ever stepped
	// over.
	Cursor string
	// Seen is the number of signatures listed; Handled the number of them
	// (oldest first) that were handled before the poll stopped.
	Seen, Handled int
	// GenesisHash is the cluster the results come from (see Genesis).
	GenesisHash string
}

// Poll lists the watched address's transactions newer than until (all of
// them if until is ""), fetches each successful one and returns the
// payments to the watched address. Failed transactions (err in the
// signature list, or in meta.err) are not fetched or are dropped, and
// are reported in Skipped with their reason; transactions whose answer
// is malformed are set aside in Rejected with the reason.
//
// Transactions are handled oldest first. A fetch that fails (a transport
// or node error such as ErrRateLimited, ErrNotFound for a signature
// listed but not yet returned by getTransaction, ErrWrongTransaction, or
// ctx.Err()) stops the poll: Poll then returns the error together with a
// result holding everything handled before it, whose Cursor covers only
// that, so the caller can keep it and the next poll resumes at the
// failed transaction. If the signature list itself cannot be fetched,
// or the genesis hash cannot be read, the result is nil. Polling again
// from the same until is always safe.
func (f *Follower) Poll(ctx context.Context, until string) (*PollResult, error) {
	return f.poll(ctx, f.cfg.Address, f.cfg.Address, until)
}

// Watch names one address to poll: Address is listed with
// getSignaturesForAddress; Credit is the address whose incoming payments
// are decoded from the transactions listed (Address when ""). Credit
// differs for a Solana Pay reference key: the reference is listed, the
// recipient is credited.
type Watch struct {
	Address string
	Credit  string
	Until   string
}

// PollWatch is Poll for w, with the Follower's commitment, encoding and
// page size. It returns the errors of Poll, and one wrapping
// ErrInvalidConfig for an invalid address.
func (f *Follower) PollWatch(ctx context.Context, w Watch) (*PollResult, error) {
	if w.Credit == "" {
		w.Credit = w.Address
	}
	for _, a := range []string{w.Address, w.Credit} {
		if _, err := sol.PublicKeyFromBase58(a); err != nil {
			return nil, fmt.Errorf("poll %q: %v: %w", a, err, ErrInvalidConfig)
		}
	}
	return f.poll(ctx, w.Address, w.Credit, w.Until)
}

// WatchResult is the outcome of polling one Watch: Result may be partial
// when Err is set (see Poll).
type WatchResult struct {
	Watch  Watch
	Result *PollResult
	Err    error
}

// PollEach polls every watch in turn, each independently: one that fails
// does not stop the others. It stops early only when ctx is done (the
// remaining watches then carry ctx.Err()).
func (f *Follower) PollEach(ctx context.Context, ws []Watch) []WatchResult {
	out := make([]WatchResult, len(ws))
	for i, w := range ws {
		out[i].Watch = w
		if err := ctx.Err(); err != nil {
			out[i].Err = err
			continue
		}
		out[i].Result, out[i].Err = f.PollWatch(ctx, w)
	}
	return out
}

func (f *Follower) poll(ctx context.Context, address, credit, until string) (*PollResult, error) {
	genesis, err := f.Genesis(ctx)
	if err != nil {
		return nil, fmt.Errorf("poll %s: %w", address, err)
	}
	infos, err := f.signatures(ctx, address, until)
	if err != nil {
		return nil, fmt.Errorf("poll %s: %w", address, err)
	}
	res := &PollResult{Cursor: until, Seen: len(infos), GenesisHash: genesis}
	finalPrefix := true
	for i := len(infos) - 1; i >= 0; i-- {
		if err := ctx.Err(); err != nil {
			return res, fmt.Errorf("poll %s: %w", address, err)
		}
		in := infos[i]
		reason := in.Err
		if reason == "" {
			c, err := f.credits(ctx, in.Signature, credit, in.Status)
			var failed *FailedError
			switch {
			case errors.As(err, &failed):
				reason = failed.Reason
			case err != nil && (errors.Is(err, ErrWrongTransaction) || !errors.Is(err, ErrMalformed)):
				// The node's fault or a transient one: stop here, keep
				// what was handled; the next poll resumes at in.
				return res, fmt.Errorf("poll %s: %w", address, err)
			case err != nil:
				f.log.WarnContext(ctx, "solana transaction set aside", "tx_hash", in.Signature, "slot", in.Slot, "err", err)
				res.Rejected = append(res.Rejected, Rejected{Signature: in.Signature, Slot: in.Slot, Reason: err.Error(), Status: in.Status})
			default:
				for _, p := range c.Payments {
					f.log.InfoContext(ctx, "solana payment", "tx_hash", p.Signature, "slot", p.Slot,
						"mint", p.Mint, "amount", p.Amount.String(), "payer", p.Payer, "final", p.Final())
				}
				for _, n := range c.NotPayments {
					f.log.InfoContext(ctx, "solana credit that is not a payment", "tx_hash", n.Signature, "slot", n.Slot,
						"kind", n.Kind, "amount", n.Amount.String())
				}
				res.Payments = append(res.Payments, c.Payments...)
				res.NotPayments = append(res.NotPayments, c.NotPayments...)
			}
		}
		if reason != "" {
			f.log.InfoContext(ctx, "solana transaction skipped", "tx_hash", in.Signature, "slot", in.Slot, "reason", reason)
			res.Skipped = append(res.Skipped, Skipped{Signature: in.Signature, Slot: in.Slot, Reason: reason})
		}
		res.Handled++
		if finalPrefix && in.Status == StatusFinalized {
			res.Cursor = in.Signature
		} else {
			finalPrefix = false
		}
	}
	return res, nil
}

// RPCError is a failed JSON-RPC call: a transport error, an HTTP error
// status, or an error object returned by the node. It unwraps to the
// underlying error, to ErrRateLimited for HTTP 429, and to ctx.Err() when
// the call was cancelled.
type RPCError struct {
	Method string
	// HTTPStatus is the HTTP status code when the node answered with an
	// error status and no JSON-RPC body, else 0.
	HTTPStatus int
	// Code and Message are the JSON-RPC error object, if any.
	Code    int
	Message string
	Err     error
}

// Error implements error.
func (e *RPCError) Error() string {
	switch {
	case e.Message != "":
		return fmt.Sprintf("rpc %s: node error %d: %s", e.Method, e.Code, e.Message)
	case e.HTTPStatus != 0:
		return fmt.Sprintf("rpc %s: http %d: %v", e.Method, e.HTTPStatus, e.Err)
	default:
		return fmt.Sprintf("rpc %s: %v", e.Method, e.Err)
	}
}

// Unwrap returns the causes errors.Is and errors.As should see.
func (e *RPCError) Unwrap() []error {
	errs := []error{e.Err}
	if e.HTTPStatus == http.StatusTooManyRequests || e.Code == http.StatusTooManyRequests {
		errs = append(errs, ErrRateLimited)
	}
	return errs
}

// call performs one RPC call and translates solana-go's errors (callNode).
func (f *Follower) call(ctx context.Context, out *json.RawMessage, method string, params []any) error {
	return callNode(ctx, f.rpc, out, method, params)
}

// PollRail is Poll in the domain's terms, for the indexer's rail follower.
// Like Poll, a poll cut short by an error returns what it handled with
// the error (an empty poll when nothing was).
func (f *Follower) PollRail(ctx context.Context, until string) (gpumarket.RailPoll, error) {
	res, err := f.Poll(ctx, until)
	if res == nil {
		return gpumarket.RailPoll{}, err
	}
	return res.RailPoll(f.cfg.Address), err
}

// RailPoll returns r in the domain's terms, as seen by the follower of
// address.
func (r *PollResult) RailPoll(address string) gpumarket.RailPoll {
	out := gpumarket.RailPoll{Skipped: len(r.Skipped), Cursor: r.Cursor, GenesisHash: r.GenesisHash}
	for _, p := range r.Payments {
		out.Payments = append(out.Payments, p.RailPayment(address))
	}
	for _, n := range r.NotPayments {
		out.NonPayments = append(out.NonPayments, n.RailNonPayment(address))
	}
	for _, j := range r.Rejected {
		out.Rejected = append(out.Rejected, gpumarket.RailRejected{Rail: gpumarket.RailSolana, Address: address,
			Signature: j.Signature, Slot: j.Slot, Reason: j.Reason, Final: j.Status == StatusFinalized})
	}
	return out
}

// Address returns the watched address.
func (f *Follower) Address() string { return f.cfg.Address }

// NewRPC returns a JSON-RPC client of the Solana node at url.
func NewRPC(url string) RPC { return rpc.New(url) }
