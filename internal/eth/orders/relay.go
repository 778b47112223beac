// Package orders relays client-signed job orders (gasless posting): Relay
// checks an order off-chain (its EIP-712 signature under the marketplace's
// domain, its deadline against chain time, its nonce unused on chain),
// simulates createJobFromOrder[WithPermit] with eth_call, and hands it to
// the operator's journaled transaction manager under the key
// "order:<client>:<nonce>".
//
// Invariants:
//   - an order is sent at most once: the journal key is the order's
//     identity, so a second submission (a client's retry, a restarted
//     matcher) finds the recorded intent and sends nothing more;
//   - an order that fails a check, or whose simulation reverts, is refused
//     with nothing recorded and nothing sent;
//   - two different orders under one (client, nonce) never both go out: the
//     journal refuses the second key use with ECONFLICT.
package orders

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/internal/eth/market"
)

// Sender is the journaled transaction manager the relay sends through
// (*txmgr.Manager implements it).
type Sender interface {
	Sender() gpumarket.Address
	Submit(ctx context.Context, key string, to gpumarket.Address, data []byte, value *big.Int) (gpumarket.TxIntent, error)
	Intent(ctx context.Context, key string) (gpumarket.TxIntent, error)
}

// Chain is what the relay reads from the chain (*market.Market implements it).
type Chain interface {
	Domain() eip712.Domain
	Address() gpumarket.Address
	RegistryAddress() gpumarket.Address
	ChainTime(ctx context.Context) (uint64, uint64, error)
	IsNonceUsed(ctx context.Context, client gpumarket.Address, nonce *big.Int) (bool, error)
	Simulate(ctx context.Context, from gpumarket.Address, c market.Call) error
	TxReceipt(ctx context.Context, hash gpumarket.Hash) (*market.Receipt, bool, error)
	CreateJobFromOrder(o *eip712.JobOrder, signature []byte) (market.Call, error)
	CreateJobFromOrderWithPermit(o *eip712.JobOrder, signature []byte, permit *eip712.PermitSignature) (market.Call, error)
}

var _ Chain = (*market.Market)(nil)

// DefaultSignWait is how long SubmitOrder waits for the transaction manager
// to sign the order's transaction, so that the response can carry its hash.
const DefaultSignWait = 3 * time.Second

// Relay submits signed orders. It is safe for concurrent use.
type Relay struct {
	chain    Chain
	tx       Sender
	signWait time.Duration
	dec      *market.Decoder
}

// New returns a relay sending through tx on chain. signWait is how long
// SubmitOrder waits for a transaction hash (0: DefaultSignWait; negative:
// not at all). It returns an EINVALID error for a missing part.
func New(chain Chain, tx Sender, signWait time.Duration) (*Relay, error) {
	if chain == nil || tx == nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "order relay: a chain and a transaction manager are required")
	}
	if signWait == 0 {
		signWait = DefaultSignWait
	}
	return &Relay{chain: chain, tx: tx, signWait: signWait, dec: market.NewDecoder(chain.Address(), chain.RegistryAddress())}, nil
}

// Key returns the journal key of client's order nonce: "order:<client>:<nonce>".
func Key(client gpumarket.Address, nonce gpumarket.Amount) string {
	return "order:" + gpumarket.OrderID(client, nonce)
}

// JobOrder converts a request into the EIP-712 order, its signature and its
// permit (nil when none). It returns an EINVALID error as Validate does.
func JobOrder(req *gpumarket.OrderRequest) (*eip712.JobOrder, []byte, *eip712.PermitSignature, error) {
	if err := req.Validate(); err != nil {
		return nil, nil, nil, err
	}
	sig, _ := req.SignatureBytes()
	p := &req.Params
	o := &eip712.JobOrder{
		Params: eip712.JobParams{Kind: p.Kind, Token: p.Token, MaxPayment: p.MaxPayment.Big(), Deadline: p.Deadline,
			PreferredProvider: p.PreferredProvider, Creator: p.Creator, CreatorShareBps: p.CreatorShareBps,
			SpecHash: p.SpecHash, SpecURI: p.SpecURI},
		Auth: eip712.OrderAuth{Client: req.Auth.Client, Nonce: req.Auth.Nonce.Big(), Expiry: req.Auth.Deadline},
	}
	if err := o.Params.Check(); err != nil {
		return nil, nil, nil, err
	}
	if err := o.Auth.Check(); err != nil {
		return nil, nil, nil, err
	}
	var permit *eip712.PermitSignature
	if req.Permit != nil {
		permit = &eip712.PermitSignature{Value: req.Permit.Value.Big(), Deadline: req.Permit.Deadline.Big(),
			V: req.Permit.V, R: req.Permit.R, S: req.Permit.S}
	}
	return o, sig, permit, nil
}

// SubmitOrder checks req, simulates it and records it for sending exactly
// once, and returns its status (pending, with the transaction hash once
// signed). Submitting an order already recorded returns its current status
// and sends nothing. It returns an EINVALID error for a malformed order,
// an expired one or one whose simulation reverts (the decoded custom error
// in the message); EUNAUTHORIZED for a signature that is not the client's
// under this marketplace's domain (another chain or contract, or altered
// fields); ECONFLICT for a nonce already used or cancelled on chain, or
// recorded for a different order; EUNAVAILABLE when the node or the journal
// cannot be reached.
func (r *Relay) SubmitOrder(ctx context.Context, req *gpumarket.OrderRequest) (gpumarket.OrderStatus, error) {
	o, sig, permit, err := JobOrder(req)
	if err != nil {
		return gpumarket.OrderStatus{}, err
	}
	id := req.OrderID()
	var call market.Call
	if permit != nil {
		call, err = r.chain.CreateJobFromOrderWithPermit(o, sig, permit)
	} else {
		call, err = r.chain.CreateJobFromOrder(o, sig)
	}
	if err != nil {
		return gpumarket.OrderStatus{}, fmt.Errorf("order %s: %w", id, err)
	}
	key := Key(req.Auth.Client, req.Auth.Nonce)
	switch in, err := r.tx.Intent(ctx, key); {
	case err == nil:
		if in.To != call.To || !bytes.Equal(in.Data, call.Data) {
			return gpumarket.OrderStatus{}, gpumarket.Errorf(gpumarket.ECONFLICT, "order %s: this nonce was already submitted with another order", id)
		}
		return r.status(ctx, req.Auth.Client, req.Auth.Nonce, in)
	case gpumarket.ErrorCode(err) != gpumarket.ENOTFOUND:
		return gpumarket.OrderStatus{}, fmt.Errorf("order %s: journal: %w", id, err)
	}
	if err := r.check(ctx, o, sig, id); err != nil {
		return gpumarket.OrderStatus{}, err
	}
	if err := r.chain.Simulate(ctx, r.tx.Sender(), call); err != nil {
		return gpumarket.OrderStatus{}, refusal(id, err)
	}
	in, err := r.tx.Submit(ctx, key, call.To, call.Data, nil)
	if err != nil {
		return gpumarket.OrderStatus{}, fmt.Errorf("order %s: %w", id, err)
	}
	in = r.waitSigned(ctx, key, in)
	return r.status(ctx, req.Auth.Client, req.Auth.Nonce, in)
}

// check verifies what can be checked without running the call: deadlines
// against chain time, the signature, the nonce.
func (r *Relay) check(ctx context.Context, o *eip712.JobOrder, sig []byte, id string) error {
	_, now, err := r.chain.ChainTime(ctx)
	if err != nil {
		return fmt.Errorf("order %s: %w", id, err)
	}
	// The next block is later than the latest; the contract refuses
	// block.timestamp > expiry.
	if o.Auth.Expiry <= now {
		return gpumarket.Errorf(gpumarket.EINVALID, "order %s: its deadline %d has passed (chain time %d)", id, o.Auth.Expiry, now)
	}
	if o.Params.Deadline <= now {
		return gpumarket.Errorf(gpumarket.EINVALID, "order %s: the job's deadline %d has passed (chain time %d)", id, o.Params.Deadline, now)
	}
	d := r.chain.Domain()
	digest, err := eip712.JobOrderDigest(d, o)
	if err != nil {
		return fmt.Errorf("order %s: %w", id, err)
	}
	signer, err := eip712.Recover(digest, sig)
	if err != nil || signer != o.Auth.Client {
		return gpumarket.Errorf(gpumarket.EUNAUTHORIZED,
			"order %s: the signature is not the client's for this order under chain %v and marketplace %s (signed for another chain or contract, or a field changed after signing)",
			id, d.ChainID, d.VerifyingContract)
	}
	used, err := r.chain.IsNonceUsed(ctx, o.Auth.Client, o.Auth.Nonce)
	if err != nil {
		return fmt.Errorf("order %s: %w", id, err)
	}
	if used {
		return gpumarket.Errorf(gpumarket.ECONFLICT, "order %s: the client's nonce %s is already used or cancelled on chain", id, o.Auth.Nonce)
	}
	return nil
}

// refusal turns a failed simulation into the error the client sees.
func refusal(id string, err error) error {
	var re *market.RevertError
	if !errors.As(err, &re) {
		return fmt.Errorf("order %s: simulate: %w", id, err)
	}
	hint := ""
	switch re.Name() {
	case "NonceAlreadyUsed":
		return gpumarket.Errorf(gpumarket.ECONFLICT, "order %s: would revert: the nonce is already used (%s)", id, re.Reason)
	case "ERC20InsufficientAllowance":
		hint = ": the client has not approved enough of the token for the marketplace (approve it, or send a permit)"
	case "ERC20InsufficientBalance":
		hint = ": the client's token balance is below max_payment"
	case "TokenNotAllowed":
		hint = ": the marketplace does not accept this token"
	case "InvalidDeadline":
		hint = ": the job's deadline is outside the marketplace's allowed range"
	}
	return gpumarket.Errorf(gpumarket.EINVALID, "order %s: would revert with %s%s", id, re.Reason, hint)
}

// waitSigned polls the journal until the intent has a transaction hash or
// is final, for at most the relay's sign wait.
func (r *Relay) waitSigned(ctx context.Context, key string, in gpumarket.TxIntent) gpumarket.TxIntent {
	if r.signWait < 0 {
		return in
	}
	deadline := time.Now().Add(r.signWait)
	for in.Hash.IsZero() && !in.State.Final() && time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return in
		case <-time.After(25 * time.Millisecond):
		}
		if got, err := r.tx.Intent(ctx, key); err == nil {
			in = got
		}
	}
	return in
}

// Order returns the status of client's order nonce. It returns an
// ENOTFOUND error when this relay never accepted it, and EUNAVAILABLE when
// the journal or the node cannot be reached.
func (r *Relay) Order(ctx context.Context, client gpumarket.Address, nonce gpumarket.Amount) (gpumarket.OrderStatus, error) {
	in, err := r.tx.Intent(ctx, Key(client, nonce))
	if err != nil {
		if gpumarket.ErrorCode(err) == gpumarket.ENOTFOUND {
			return gpumarket.OrderStatus{}, gpumarket.Errorf(gpumarket.ENOTFOUND, "order %s was not submitted here", gpumarket.OrderID(client, nonce))
		}
		return gpumarket.OrderStatus{}, fmt.Errorf("order %s: %w", gpumarket.OrderID(client, nonce), err)
	}
	return r.status(ctx, client, nonce, in)
}

// status maps the intent's state to the order's; a mined order's job id
// comes from the JobCreated log of its receipt.
func (r *Relay) status(ctx context.Context, client gpumarket.Address, nonce gpumarket.Amount, in gpumarket.TxIntent) (gpumarket.OrderStatus, error) {
	st := gpumarket.OrderStatus{OrderID: gpumarket.OrderID(client, nonce), State: gpumarket.OrderPending}
	if h := in.MinedHash; !h.IsZero() {
		st.TxHash = &h
	} else if h := in.Hash; !h.IsZero() {
		st.TxHash = &h
	}
	switch in.State {
	case gpumarket.TxFailed, gpumarket.TxSkipped, gpumarket.TxReplaced:
		st.State, st.Error = gpumarket.OrderFailed, in.Reason
		if st.Error == "" {
			st.Error = string(in.State)
		}
		return st, nil
	case gpumarket.TxMined, gpumarket.TxConfirmed:
	default:
		return st, nil
	}
	rc, found, err := r.chain.TxReceipt(ctx, in.MinedHash)
	if err != nil {
		return st, fmt.Errorf("order %s: %w", st.OrderID, err)
	}
	if !found { // reorged out; the manager sends it again
		return st, nil
	}
	for _, l := range rc.Logs {
		ev, err := r.dec.Decode(l)
		if err != nil {
			continue
		}
		if c, ok := ev.(*gpumarket.JobCreated); ok && c.Job.Client == client && c.OrderNonce != nil && c.OrderNonce.Cmp(nonce.Big()) == 0 {
			id := c.Job.ID.String()
			st.State, st.JobID = gpumarket.OrderMined, &id
			return st, nil
		}
	}
	st.State, st.Error = gpumarket.OrderFailed, "the transaction was mined without creating the job"
	return st, nil
}

// Request returns the POST /v1/orders body of a signed order (and its
// permit, nil for none): the inverse of JobOrder, for clients. It returns
// an EINVALID error for a value out of its type's range.
func Request(o *eip712.JobOrder, sig []byte, permit *eip712.PermitSignature) (gpumarket.OrderRequest, error) {
	maxPay, err := gpumarket.NewAmount(o.Params.MaxPayment)
	if err != nil {
		return gpumarket.OrderRequest{}, fmt.Errorf("order request: max payment: %w", err)
	}
	nonce, err := gpumarket.NewAmount(o.Auth.Nonce)
	if err != nil {
		return gpumarket.OrderRequest{}, fmt.Errorf("order request: nonce: %w", err)
	}
	p := &o.Params
	req := gpumarket.OrderRequest{
		Params: gpumarket.OrderParams{Kind: p.Kind, Token: p.Token, MaxPayment: maxPay, Deadline: p.Deadline,
			PreferredProvider: p.PreferredProvider, Creator: p.Creator, CreatorShareBps: p.CreatorShareBps,
			SpecHash: p.SpecHash, SpecURI: p.SpecURI},
		Auth:      gpumarket.OrderAuth{Client: o.Auth.Client, Nonce: nonce, Deadline: o.Auth.Expiry},
		Signature: "0x" + hex.EncodeToString(sig),
	}
	if permit != nil {
		v, err := gpumarket.NewAmount(permit.Value)
		if err != nil {
			return gpumarket.OrderRequest{}, fmt.Errorf("order request: permit value: %w", err)
		}
		d, err := gpumarket.NewAmount(permit.Deadline)
		if err != nil {
			return gpumarket.OrderRequest{}, fmt.Errorf("order request: permit deadline: %w", err)
		}
		req.Permit = &gpumarket.OrderPermit{Value: v, Deadline: d, V: permit.V, R: permit.R, S: permit.S}
	}
	return req, req.Validate()
}
