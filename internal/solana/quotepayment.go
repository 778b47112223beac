package solana

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"time"

	sol "github.com/gagliardetto/solana-go"
	"github.com/gagliardetto/solana-go/rpc/jsonrpc"

	"github.com/gpumarket/gpumarket"
)

// Genesis hashes of the public clusters (getGenesisHash).
const (
	GenesisMainnet = "5eykt4UsFv8P8NJdTREpY1vzqKqZKvdpKuc147dw2N9d"
	GenesisDevnet  = "EtWTRABZaYq6iMfeYKouRu166VU2xqa1wcaWoxPkrZBG"
	GenesisTestnet = "4uhcVJyU9pJkvQyS88uRDiswHXSCkY3zQawwpjk2NsNY"
)

// QuotePayments finds and checks the payments of rail quotes, at finalized
// commitment only: a quote's payment is found by listing the transactions
// of its reference key (getSignaturesForAddress), never by its memo, and
// checked against the quote's terms by [CheckQuotePayment]. Every call
// first asks the node's genesis hash and refuses (ErrWrongCluster) when it
// is not the quote's cluster.
type QuotePayments struct {
	rpc     RPC
	cluster string
	log     *slog.Logger
}

// NewQuotePayments returns a checker calling the node through c, which
// must be on the cluster whose genesis hash is cluster ("" accepts the
// node's and pins it). It returns an error wrapping ErrWrongCluster when
// the node is on another cluster, and the node's errors.
func NewQuotePayments(ctx context.Context, c RPC, cluster string, log *slog.Logger) (*QuotePayments, error) {
	if c == nil {
		return nil, fmt.Errorf("new quote payments: nil rpc client: %w", ErrInvalidConfig)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	q := &QuotePayments{rpc: c, log: log}
	got, err := q.genesis(ctx)
	if err != nil {
		return nil, fmt.Errorf("new quote payments: %w", err)
	}
	if cluster != "" && got != cluster {
		return nil, fmt.Errorf("new quote payments: node genesis %s, want %s: %w", got, cluster, ErrWrongCluster)
	}
	q.cluster = got
	return q, nil
}

// Cluster returns the genesis hash the checker is pinned to.
func (q *QuotePayments) Cluster() string { return q.cluster }

func (q *QuotePayments) genesis(ctx context.Context) (string, error) {
	var raw json.RawMessage
	if err := callNode(ctx, q.rpc, &raw, "getGenesisHash", nil); err != nil {
		return "", fmt.Errorf("get genesis hash: %w", err)
	}
	var h string
	if err := json.Unmarshal(raw, &h); err != nil {
		return "", fmt.Errorf("get genesis hash: %v: %w", err, ErrMalformed)
	}
	if _, err := sol.HashFromBase58(h); err != nil {
		return "", fmt.Errorf("get genesis hash %.60q: %v: %w", h, err, ErrMalformed)
	}
	return h, nil
}

// checkCluster refuses terms of another cluster than the pinned one and a
// node that moved to another cluster since.
func (q *QuotePayments) checkCluster(ctx context.Context, t gpumarket.RailQuoteTerms) error {
	if t.Cluster != q.cluster {
		return fmt.Errorf("quote %s is for cluster %s, this checker is on %s: %w", t.Reference, t.Cluster, q.cluster, ErrWrongCluster)
	}
	got, err := q.genesis(ctx)
	if err != nil {
		return err
	}
	if got != q.cluster {
		return fmt.Errorf("node genesis is now %s, pinned %s: %w", got, q.cluster, ErrWrongCluster)
	}
	return nil
}

// referencePageSize is the getSignaturesForAddress limit of Find.
const referencePageSize = 1000

// Find lists every finalized transaction that carries t.Reference, oldest
// first, each checked against t. Memos in the list are not read (the
// reference binds; a memo the node reports as unparsable changes
// nothing). A failed transaction is a RailFailed verdict without being
// fetched; a transaction the node answers malformed is RailUnreadable
// with the reason, and the others are still checked.
//
// On an RPC error it returns what it checked before the error together
// with the error, so a caller keeps that progress. It returns an error
// wrapping ErrWrongCluster, with nothing, when the node or t is on
// another cluster.
func (q *QuotePayments) Find(ctx context.Context, t gpumarket.RailQuoteTerms) ([]gpumarket.RailQuotePayment, error) {
	if err := checkTermKeys(t); err != nil {
		return nil, err
	}
	if err := q.checkCluster(ctx, t); err != nil {
		return nil, fmt.Errorf("find payments of %s: %w", t.Reference, err)
	}
	var entries []rawSignatureInfo
	before := ""
	for {
		opts := map[string]any{"limit": referencePageSize, "commitment": string(StatusFinalized)}
		if before != "" {
			opts["before"] = before
		}
		var raw json.RawMessage
		if err := callNode(ctx, q.rpc, &raw, "getSignaturesForAddress", []any{t.Reference, opts}); err != nil {
			return nil, fmt.Errorf("find payments of %s: get signatures: %w", t.Reference, err)
		}
		var page []rawSignatureInfo
		if err := decodeExact(raw, &page); err != nil || page == nil {
			return nil, fmt.Errorf("find payments of %s: signatures: not a list (%v): %w", t.Reference, err, ErrMalformed)
		}
		if len(page) > referencePageSize {
			return nil, fmt.Errorf("find payments of %s: %d signatures, asked for %d: %w", t.Reference, len(page), referencePageSize, ErrMalformed)
		}
		entries = append(entries, page...)
		if len(page) < referencePageSize {
			break
		}
		next := page[len(page)-1].Signature
		if next == before {
			return nil, fmt.Errorf("find payments of %s: no progress past %s: %w", t.Reference, before, ErrMalformed)
		}
		before = next
	}
	var out []gpumarket.RailQuotePayment
	seen := map[string]bool{}
	for i := len(entries) - 1; i >= 0; i-- {
		e := entries[i]
		if _, err := sol.SignatureFromBase58(e.Signature); err != nil || e.Slot == nil || seen[e.Signature] {
			continue // not a transaction anyone can present; nothing to record
		}
		seen[e.Signature] = true
		if e.ConfirmationStatus != nil && *e.ConfirmationStatus != string(StatusFinalized) {
			continue // asked for finalized; seen again when it is
		}
		if !isNull(e.Err) {
			p := gpumarket.RailQuotePayment{Signature: e.Signature, Slot: *e.Slot, Verdict: gpumarket.RailFailed, Reason: compactJSON(e.Err)}
			if e.BlockTime != nil {
				bt := time.Unix(*e.BlockTime, 0).UTC()
				p.BlockTime = &bt
			}
			out = append(out, p)
			continue
		}
		p, err := q.check(ctx, t, e.Signature)
		switch {
		case errors.Is(err, ErrNotFound):
			continue // listed but not served yet: seen again next time
		case errors.Is(err, ErrWrongTransaction):
			return out, fmt.Errorf("find payments of %s: %w", t.Reference, err) // the node's fault: retry
		case errors.Is(err, ErrMalformed):
			q.log.WarnContext(ctx, "solana payment set aside", "tx_hash", e.Signature, "err", err)
			out = append(out, gpumarket.RailQuotePayment{Signature: e.Signature, Slot: *e.Slot, Verdict: gpumarket.RailUnreadable, Reason: err.Error()})
			continue
		case err != nil:
			return out, fmt.Errorf("find payments of %s: %w", t.Reference, err)
		}
		out = append(out, p)
	}
	return out, nil
}

// Check fetches the transaction signature (at finalized commitment) and
// checks it against t: the way a client that paid out of band presents
// its payment. It returns an error wrapping ErrNotFound when the node
// does not have it finalized, ErrMalformed for a malformed answer or one
// for another transaction, ErrWrongCluster, and the node's errors.
func (q *QuotePayments) Check(ctx context.Context, t gpumarket.RailQuoteTerms, signature string) (gpumarket.RailQuotePayment, error) {
	if err := checkTermKeys(t); err != nil {
		return gpumarket.RailQuotePayment{}, err
	}
	if _, err := sol.SignatureFromBase58(signature); err != nil {
		return gpumarket.RailQuotePayment{}, fmt.Errorf("check payment %.100q: %v: %w", signature, err, ErrMalformed)
	}
	if err := q.checkCluster(ctx, t); err != nil {
		return gpumarket.RailQuotePayment{}, fmt.Errorf("check payment %s: %w", signature, err)
	}
	return q.check(ctx, t, signature)
}

func (q *QuotePayments) check(ctx context.Context, t gpumarket.RailQuoteTerms, signature string) (gpumarket.RailQuotePayment, error) {
	opts := map[string]any{"encoding": string(EncodingJSONParsed), "commitment": string(StatusFinalized), "maxSupportedTransactionVersion": 0}
	var raw json.RawMessage
	if err := callNode(ctx, q.rpc, &raw, "getTransaction", []any{signature, opts}); err != nil {
		return gpumarket.RailQuotePayment{}, fmt.Errorf("get transaction %s: %w", signature, err)
	}
	if len(raw) == 0 {
		raw = json.RawMessage("null") // solana-go hands "result": null over as empty
	}
	return CheckQuotePayment(raw, t, signature)
}

func checkTermKeys(t gpumarket.RailQuoteTerms) error {
	for name, k := range map[string]string{"reference": t.Reference, "recipient": t.Recipient} {
		if err := checkKey(k); err != nil {
			return fmt.Errorf("quote terms: %s: %w", name, err)
		}
	}
	if t.Mint != "" {
		if err := checkKey(t.Mint); err != nil {
			return fmt.Errorf("quote terms: mint: %w", err)
		}
	}
	if t.Amount == nil || t.Amount.Sign() <= 0 {
		return fmt.Errorf("quote terms: amount must be positive: %w", ErrMalformed)
	}
	return nil
}

// rawTokenAmounts reads the base-unit amounts of a transaction's token
// balances (decode.go's rawTokenBalance keeps only mints and owners).
type rawTokenAmounts struct {
	Meta *struct {
		Pre  []rawTokenAmount `json:"preTokenBalances"`
		Post []rawTokenAmount `json:"postTokenBalances"`
	} `json:"meta"`
	Transaction json.RawMessage `json:"transaction"`
}

type rawTokenAmount struct {
	AccountIndex  *int `json:"accountIndex"`
	UITokenAmount *struct {
		Amount string `json:"amount"`
	} `json:"uiTokenAmount"`
}

// CheckQuotePayment checks a getTransaction result (the JSON value of
// "result", any encoding) that must be the finalized transaction
// signature against the terms t, and returns its verdict:
//
//   - RailFailed when meta.err is set;
//   - RailNoReference when no account of the transaction is t.Reference;
//   - RailWrongRecipient when nothing in it pays t.Recipient (SOL to it,
//     or SPL into a token account it owns), RailWrongMint when it pays
//     the recipient only in other mints;
//   - RailLate when the block time is unknown or not before t.ExpiresAt;
//   - RailUnderpaid when less than t.Amount arrived, else RailFunds, with
//     the excess.
//
// What arrived counts: for SPL tokens each credited token account
// contributes the smaller of the transfers into it and its balance
// change (post − pre token balance), so a Token-2022 transfer fee
// withheld in the destination is not counted. The payer is the first
// paying transfer's source (SOL) or authority (SPL).
//
// It returns an error wrapping ErrNotFound for a null result,
// ErrMalformed for a malformed result, and both ErrWrongTransaction and
// ErrMalformed for an answer about another signature.
func CheckQuotePayment(raw []byte, t gpumarket.RailQuoteTerms, signature string) (gpumarket.RailQuotePayment, error) {
	out := gpumarket.RailQuotePayment{Signature: signature, Mint: t.Mint, Arrived: new(big.Int), Excess: new(big.Int)}
	if err := checkTermKeys(t); err != nil {
		return out, err
	}
	payments, err := DecodeTransaction(raw, t.Recipient, StatusFinalized)
	var failed *FailedError
	if errors.As(err, &failed) {
		if failed.Signature != signature {
			return out, fmt.Errorf("check payment %s: node returned transaction %s: %w: %w", signature, failed.Signature, ErrWrongTransaction, ErrMalformed)
		}
		out.Slot, out.Verdict, out.Reason = failed.Slot, gpumarket.RailFailed, failed.Reason
		return out, nil
	}
	if err != nil {
		return out, fmt.Errorf("check payment %s: %w", signature, err)
	}
	var rt rawTx
	if err := decodeExact(raw, &rt); err != nil {
		return out, fmt.Errorf("check payment %s: %v: %w", signature, err, ErrMalformed)
	}
	v, err := decodeTxView(rt.Transaction, rt.Meta)
	if err != nil {
		return out, fmt.Errorf("check payment %s: %w", signature, err)
	}
	if v.signature != signature {
		return out, fmt.Errorf("check payment %s: node returned transaction %s: %w: %w", signature, v.signature, ErrWrongTransaction, ErrMalformed)
	}
	out.Slot = *rt.Slot
	if rt.BlockTime != nil {
		bt := time.Unix(*rt.BlockTime, 0).UTC()
		out.BlockTime = &bt
	}
	hasRef := false
	for _, k := range v.keys {
		hasRef = hasRef || k == t.Reference
	}
	if !hasRef {
		out.Verdict, out.Reason = gpumarket.RailNoReference, "the transaction does not carry the quote's reference key "+t.Reference
		return out, nil
	}
	var matching []Payment
	for _, p := range payments {
		if p.Mint == t.Mint {
			matching = append(matching, p)
		}
	}
	switch {
	case len(payments) == 0:
		out.Verdict, out.Reason = gpumarket.RailWrongRecipient, "nothing in the transaction pays the quoted recipient "+t.Recipient
		return out, nil
	case len(matching) == 0:
		out.Payer = payments[0].Payer
		out.Verdict, out.Reason = gpumarket.RailWrongMint, fmt.Sprintf("paid in mint %q, the quote asks for %q", payments[0].Mint, t.Mint)
		return out, nil
	}
	out.Payer = matching[0].Payer
	arrived, err := arrivedAmount(raw, v.keys, matching)
	if err != nil {
		return out, fmt.Errorf("check payment %s: %w", signature, err)
	}
	out.Arrived = arrived
	switch {
	case out.BlockTime == nil:
		out.Verdict, out.Reason = gpumarket.RailLate, "the node reports no block time: cannot show it was paid before the expiry"
	case !out.BlockTime.Before(t.ExpiresAt):
		out.Verdict, out.Reason = gpumarket.RailLate, fmt.Sprintf("paid at %s, the quote expired at %s", out.BlockTime.Format(time.RFC3339), t.ExpiresAt.UTC().Format(time.RFC3339))
	case arrived.Cmp(t.Amount) < 0:
		out.Verdict, out.Reason = gpumarket.RailUnderpaid, fmt.Sprintf("%s arrived, the quote asks for %s", arrived, t.Amount)
	default:
		out.Verdict = gpumarket.RailFunds
		out.Excess = new(big.Int).Sub(arrived, t.Amount)
	}
	return out, nil
}

// arrivedAmount sums what the matching payments delivered (see
// CheckQuotePayment).
func arrivedAmount(raw []byte, keys []string, matching []Payment) (*big.Int, error) {
	total := new(big.Int)
	if matching[0].IsSOL() {
		for _, p := range matching {
			total.Add(total, p.Amount)
		}
		return total, nil
	}
	var ta rawTokenAmounts
	if err := json.Unmarshal(raw, &ta); err != nil || ta.Meta == nil {
		return nil, fmt.Errorf("token balances: %v: %w", err, ErrMalformed)
	}
	balance := func(list []rawTokenAmount) (map[string]*big.Int, error) {
		m := map[string]*big.Int{}
		for _, b := range list {
			if b.AccountIndex == nil || b.UITokenAmount == nil {
				return nil, fmt.Errorf("token balance without accountIndex or amount: %w", ErrMalformed)
			}
			addr, err := keyAt(keys, *b.AccountIndex)
			if err != nil {
				return nil, fmt.Errorf("token balance: %w", err)
			}
			n, err := parseU64(b.UITokenAmount.Amount)
			if err != nil {
				return nil, fmt.Errorf("token balance of %s: %w", addr, err)
			}
			m[addr] = n
		}
		return m, nil
	}
	pre, err := balance(ta.Meta.Pre)
	if err != nil {
		return nil, err
	}
	post, err := balance(ta.Meta.Post)
	if err != nil {
		return nil, err
	}
	sent := map[string]*big.Int{}
	var order []string
	for _, p := range matching {
		if sent[p.Recipient] == nil {
			sent[p.Recipient] = new(big.Int)
			order = append(order, p.Recipient)
		}
		sent[p.Recipient].Add(sent[p.Recipient], p.Amount)
	}
	for _, acct := range order {
		after, ok := post[acct]
		if !ok {
			return nil, fmt.Errorf("token account %s credited but has no post balance: %w", acct, ErrMalformed)
		}
		delta := new(big.Int).Set(after)
		if before, ok := pre[acct]; ok {
			delta.Sub(delta, before)
		}
		if delta.Sign() < 0 {
			delta.SetInt64(0)
		}
		if delta.Cmp(sent[acct]) > 0 {
			delta.Set(sent[acct])
		}
		total.Add(total, delta)
	}
	return total, nil
}

// callNode performs one RPC call and translates solana-go's errors into an
// *RPCError (the follower's and the quote checker's calls).
func callNode(ctx context.Context, c RPC, out *json.RawMessage, method string, params []any) error {
	err := c.RPCCallForInto(ctx, out, method, params)
	if err == nil {
		return nil
	}
	re := &RPCError{Method: method, Err: err}
	var httpErr *jsonrpc.HTTPError
	var nodeErr *jsonrpc.RPCError
	switch {
	case errors.As(err, &nodeErr):
		re.Code, re.Message = nodeErr.Code, nodeErr.Message
	case errors.As(err, &httpErr):
		re.HTTPStatus = httpErr.Code
	}
	if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
		re.Err = fmt.Errorf("%w (%v)", ctxErr, err)
	}
	return re
}
