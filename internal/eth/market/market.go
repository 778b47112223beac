package market

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"sync/atomic"
	"time"

	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/internal/eth/node"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/bindings"
)

// Call is one contract call to send: the target contract and the ABI-encoded
// calldata, exactly what a relayer hands to TxManager.Submit (value 0).
type Call struct {
	To   gpumarket.Address
	Data []byte
}

// Receipt is a mined transaction as the domain sees it.
type Receipt struct {
	TxHash      gpumarket.Hash
	BlockNumber uint64
	BlockTime   uint64 // unix seconds
	GasUsed     uint64
	Logs        []gpumarket.Log
}

// Market is the client of one gpumarket deployment: the JobMarketplace and
// its ProviderRegistry on one chain. Every action has a method returning its
// Call (calldata for a TxManager); Transact sends one with
// bind.TransactOpts (tests, demo) and waits for it; the read methods call
// the contracts. Job actions take the whole current job, which they pass
// back as the contract requires (see JobToBinding). A Market is safe for
// concurrent use.
type Market struct {
	chainID  *big.Int
	market   common.Address
	registry common.Address
	backend  bind.ContractBackend

	mkt       *bindings.JobMarketplace
	reg       *bindings.ProviderRegistry
	erc       *bindings.TestERC20
	mc        *bind.BoundContract
	rc        *bind.BoundContract
	pollEvery time.Duration
	logRange  atomic.Uint64 // widest eth_getLogs range (SetMaxLogRange); 0: DefaultMaxLogRange
}

// NewMarket returns the client of the marketplace at market and the registry
// at registry on chain chainID, reached through backend (an
// *ethclient.Client, or any bind.ContractBackend). It returns an EINVALID
// error for a zero address, a non-positive chain id or a nil backend.
func NewMarket(chainID *big.Int, market, registry gpumarket.Address, backend bind.ContractBackend) (*Market, error) {
	switch {
	case chainID == nil || chainID.Sign() <= 0:
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "new market: chain id %v is not positive", chainID)
	case market.IsZero() || registry.IsZero():
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "new market: marketplace %s or registry %s is the zero address", market, registry)
	case backend == nil:
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "new market: no backend")
	}
	m := &Market{
		chainID: new(big.Int).Set(chainID), market: common.Address(market), registry: common.Address(registry),
		backend: backend, mkt: bindings.NewJobMarketplace(), reg: bindings.NewProviderRegistry(), erc: bindings.NewTestERC20(),
		pollEvery: 5 * time.Millisecond,
	}
	m.mc = m.mkt.Instance(backend, m.market)
	m.rc = m.reg.Instance(backend, m.registry)
	return m, nil
}

// Address returns the marketplace's address.
func (m *Market) Address() gpumarket.Address { return gpumarket.Address(m.market) }

// RegistryAddress returns the registry's address.
func (m *Market) RegistryAddress() gpumarket.Address { return gpumarket.Address(m.registry) }

// Domain returns the marketplace's EIP-712 domain (orders, assignments).
func (m *Market) Domain() eip712.Domain {
	return eip712.MarketDomain(m.chainID, gpumarket.Address(m.market))
}

// ---------------------------------------------------------------- conversions

// receiptReader is what Transact needs beyond bind.ContractBackend to wait
// for a receipt (an *ethclient.Client has it).
type receiptReader interface {
	TransactionReceipt(ctx context.Context, txHash common.Hash) (*types.Receipt, error)
}

// Transact sends c with opts (signer, nonce, gas as bind.Transact fills them)
// and waits until it is mined. It returns the receipt; an error if the
// transaction would revert (estimation fails: EINVALID, with the contract's
// error decoded when known), reverted when mined (EINVALID, the receipt is
// returned too), or could not be sent or followed (EUNAVAILABLE, or ctx's
// error).
//
// No gpumarket function is payable: opts.Value is ignored and 0 is sent.
func (m *Market) Transact(ctx context.Context, opts *bind.TransactOpts, c Call) (*Receipt, error) {
	rr, ok := m.backend.(receiptReader)
	if !ok {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "transact: the backend cannot read receipts")
	}
	o := *opts
	o.Context = ctx
	o.Value = nil
	to := common.Address(c.To)
	tx, err := bind.NewBoundContract(to, m.mkt.GetABI(), m.backend, m.backend, m.backend).RawTransact(&o, c.Data)
	if err != nil {
		if reason := m.revertReason(err); reason != "" {
			return nil, gpumarket.Errorf(gpumarket.EINVALID, "send to %s: reverts %s", to, reason)
		}
		return nil, fmt.Errorf("send to %s: %w", to, gpumarket.Errorf(gpumarket.EUNAVAILABLE, "%v", err))
	}
	var r *types.Receipt
	for {
		r, err = rr.TransactionReceipt(ctx, tx.Hash())
		if err == nil {
			break
		}
		if !errors.Is(err, ethereum.NotFound) {
			return nil, fmt.Errorf("receipt of %s: %w", tx.Hash(), gpumarket.Errorf(gpumarket.EUNAVAILABLE, "%v", err))
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("wait for %s: %w", tx.Hash(), ctx.Err())
		case <-time.After(m.pollEvery):
		}
	}
	out, err := m.receipt(ctx, r)
	if err != nil {
		return nil, err
	}
	if r.Status != types.ReceiptStatusSuccessful {
		return out, gpumarket.Errorf(gpumarket.EINVALID, "transaction %s to %s reverted (gas used %d)", tx.Hash(), to, r.GasUsed)
	}
	return out, nil
}

// ApproveAndCreateJob sends the two transactions of a wallet-funded job as
// opts' sender: approve(marketplace, p.MaxPayment) on p.Token, then
// createJob(p). It returns the new job's id (from the JobCreated event) and
// the createJob receipt, or the first error as Transact returns it.
func (m *Market) ApproveAndCreateJob(ctx context.Context, opts *bind.TransactOpts, p *eip712.JobParams) (gpumarket.JobID, *Receipt, error) {
	approve, err := m.Approve(p.Token, m.Address(), p.MaxPayment)
	if err != nil {
		return 0, nil, err
	}
	create, err := m.CreateJob(p)
	if err != nil {
		return 0, nil, err
	}
	if _, err := m.Transact(ctx, opts, approve); err != nil {
		return 0, nil, fmt.Errorf("approve: %w", err)
	}
	r, err := m.Transact(ctx, opts, create)
	if err != nil {
		return 0, r, fmt.Errorf("createJob: %w", err)
	}
	dec := NewDecoder(m.Address(), m.RegistryAddress())
	for _, l := range r.Logs {
		if ev, err := dec.Decode(l); err == nil {
			if c, ok := ev.(*gpumarket.JobCreated); ok {
				return c.Job.ID, r, nil
			}
		}
	}
	return 0, r, gpumarket.Errorf(gpumarket.EINTERNAL, "createJob %s: no JobCreated event", r.TxHash)
}

func (m *Market) receipt(ctx context.Context, r *types.Receipt) (*Receipt, error) {
	out := &Receipt{TxHash: gpumarket.Hash(r.TxHash), BlockNumber: r.BlockNumber.Uint64(), GasUsed: r.GasUsed}
	for _, l := range r.Logs {
		out.BlockTime = l.BlockTimestamp
	}
	if out.BlockTime == 0 {
		h, err := m.backend.HeaderByNumber(ctx, r.BlockNumber)
		if err != nil {
			return nil, fmt.Errorf("header of block %d: %w", r.BlockNumber, gpumarket.Errorf(gpumarket.EUNAVAILABLE, "%v", err))
		}
		out.BlockTime = h.Time
	}
	for _, l := range r.Logs {
		out.Logs = append(out.Logs, node.DomainLog(l, out.BlockTime))
	}
	return out, nil
}

// revertReason decodes the custom error in a failed estimation's revert
// data ("JobMismatch{...}"), or returns "" when there is none.
func (m *Market) revertReason(err error) string {
	var de interface{ ErrorData() any }
	if !errors.As(err, &de) {
		return ""
	}
	s, ok := de.ErrorData().(string)
	if !ok {
		return ""
	}
	data := common.FromHex(s)
	if len(data) < 4 {
		return "(no reason)"
	}
	if v, err := m.mkt.UnpackError(data); err == nil {
		return fmt.Sprintf("%T%+v", v, v)
	}
	if v, err := m.reg.UnpackError(data); err == nil {
		return fmt.Sprintf("%T%+v", v, v)
	}
	// OpenZeppelin ERC-20 errors (the client's allowance or balance is short).
	if v, err := m.erc.UnpackError(data); err == nil {
		return fmt.Sprintf("%T%+v", v, v)
	}
	return fmt.Sprintf("with data %x", data)
}

// Simulate runs c as an eth_call from from at the latest block. It returns
// nil when it would succeed, a *RevertError (EINVALID, the contract's custom
// error decoded) when it would revert, and an EUNAVAILABLE error when the
// node cannot be asked.
func (m *Market) Simulate(ctx context.Context, from gpumarket.Address, c Call) error {
	to := common.Address(c.To)
	_, err := m.backend.CallContract(ctx, ethereum.CallMsg{From: common.Address(from), To: &to, Data: c.Data}, nil)
	if err == nil {
		return nil
	}
	if reason := m.revertReason(err); reason != "" {
		return &RevertError{Reason: reason}
	}
	var de interface{ ErrorData() any }
	if errors.As(err, &de) || strings.Contains(err.Error(), "revert") {
		return &RevertError{Reason: "(no reason)"}
	}
	return callErr(fmt.Sprintf("simulate call to %s", to), err)
}

// RevertError is a call that would revert (or did): Reason is the decoded
// custom error, as "bindings.JobMarketplaceNonceAlreadyUsed{Client:… Nonce:7}",
// or "(no reason)". Its gpumarket code is EINVALID.
type RevertError struct{ Reason string }

// Error implements error.
func (e *RevertError) Error() string { return "reverts " + e.Reason }

// Unwrap makes the error an EINVALID gpumarket error.
func (e *RevertError) Unwrap() error {
	return gpumarket.Errorf(gpumarket.EINVALID, "reverts %s", e.Reason)
}

// Name returns the custom error's name without its binding's prefix
// ("NonceAlreadyUsed", "ERC20InsufficientAllowance"), or "" when unknown.
func (e *RevertError) Name() string {
	name, _, _ := strings.Cut(e.Reason, "{")
	name = strings.TrimPrefix(name, "*")
	name = strings.TrimPrefix(name, "bindings.")
	for _, p := range []string{"JobMarketplace", "ProviderRegistry", "TestERC20"} {
		if rest, ok := strings.CutPrefix(name, p); ok {
			return rest
		}
	}
	if strings.HasPrefix(name, "(") || strings.HasPrefix(name, "with data") {
		return ""
	}
	return name
}

// TxReceipt returns the receipt of the transaction hash, with found false
// (and no error) when the node has none. It returns an EUNAVAILABLE error
// when the node cannot be asked.
func (m *Market) TxReceipt(ctx context.Context, hash gpumarket.Hash) (*Receipt, bool, error) {
	rr, ok := m.backend.(receiptReader)
	if !ok {
		return nil, false, gpumarket.Errorf(gpumarket.EINVALID, "receipt: the backend cannot read receipts")
	}
	r, err := rr.TransactionReceipt(ctx, common.Hash(hash))
	if errors.Is(err, ethereum.NotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, callErr(fmt.Sprintf("receipt of %s", hash), err)
	}
	out, err := m.receipt(ctx, r)
	if err != nil {
		return nil, false, err
	}
	return out, true, nil
}

// ---------------------------------------------------------------- reads

func callErr(op string, err error) error {
	return fmt.Errorf("%s: %w", op, gpumarket.Errorf(gpumarket.EUNAVAILABLE, "%v", err))
}

func callOpts(ctx context.Context) *bind.CallOpts { return &bind.CallOpts{Context: ctx} }

// ErrWrongChain is in the chain of DialMarket's error when the node serves
// another chain (errors.Is).
var ErrWrongChain = errors.New("the node is on another chain")

// wrongChainError is an EINVALID error that is also ErrWrongChain.
type wrongChainError struct{ err *gpumarket.Error }

func (e *wrongChainError) Error() string   { return e.err.Error() }
func (e *wrongChainError) Unwrap() []error { return []error{ErrWrongChain, e.err} }

// DialMarket connects to the node at url and returns the client of the
// deployment's marketplace and registry, checking that the node serves
// chainID. Close the returned closer when done. It returns an EUNAVAILABLE
// error when the node cannot be reached and an EINVALID one wrapping ErrWrongChain when
// it is on another chain.
func DialMarket(ctx context.Context, url string, chainID uint64, market, registry gpumarket.Address) (*Market, func(), error) {
	c, err := rpc.DialContext(ctx, url)
	if err != nil {
		return nil, nil, gpumarket.Errorf(gpumarket.EUNAVAILABLE, "dial %s: %v", url, err)
	}
	client := ethclient.NewClient(c)
	got, err := client.ChainID(ctx)
	if err != nil {
		c.Close()
		return nil, nil, gpumarket.Errorf(gpumarket.EUNAVAILABLE, "chain id of %s: %v", url, err)
	}
	if got.Uint64() != chainID {
		c.Close()
		return nil, nil, &wrongChainError{gpumarket.Errorf(gpumarket.EINVALID, "node %s is on chain %s, want %d", url, got, chainID)}
	}
	m, err := NewMarket(got, market, registry, client)
	if err != nil {
		c.Close()
		return nil, nil, err
	}
	return m, c.Close, nil
}
