package market

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/internal/eth/node"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
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

func mkJobID(id gpumarket.JobID) *big.Int { return new(big.Int).SetUint64(uint64(id)) }

func mkParams(p *eip712.JobParams) (bindings.JobParams, error) {
	if err := p.Check(); err != nil {
		return bindings.JobParams{}, err
	}
	return bindings.JobParams{
		Kind: uint8(p.Kind), Token: common.Address(p.Token), MaxPayment: new(big.Int).Set(p.MaxPayment),
		Deadline: new(big.Int).SetUint64(p.Deadline), PreferredProvider: common.Address(p.PreferredProvider),
		Creator: common.Address(p.Creator), CreatorShareBps: p.CreatorShareBps, SpecHash: p.SpecHash, SpecURI: p.SpecURI,
	}, nil
}

func mkAuth(a *eip712.OrderAuth) (bindings.OrderAuth, error) {
	if err := a.Check(); err != nil {
		return bindings.OrderAuth{}, err
	}
	return bindings.OrderAuth{Client: common.Address(a.Client), Nonce: new(big.Int).Set(a.Nonce), Expiry: a.Expiry}, nil
}

func mkPermit(p *eip712.PermitSignature) (bindings.PermitData, error) {
	if p.Value == nil || p.Deadline == nil {
		return bindings.PermitData{}, gpumarket.Errorf(gpumarket.EINVALID, "permit: value and deadline are required")
	}
	return bindings.PermitData{Value: p.Value, Deadline: p.Deadline, V: p.V, R: p.R, S: p.S}, nil
}

func mkCheckUint128(what string, v *big.Int) error {
	if v == nil || v.Sign() < 0 || v.BitLen() > 128 {
		return gpumarket.Errorf(gpumarket.EINVALID, "%s %v is not a uint128", what, v)
	}
	return nil
}

func mkCheckUint256(what string, v *big.Int) error {
	if v == nil || v.Sign() < 0 || v.BitLen() > 256 {
		return gpumarket.Errorf(gpumarket.EINVALID, "%s %v is not a uint256", what, v)
	}
	return nil
}

// mkJobArg checks and converts the job passed back to the contract.
func mkJobArg(op string, j *gpumarket.Job) (*big.Int, bindings.Job, error) {
	if j == nil {
		return nil, bindings.Job{}, gpumarket.Errorf(gpumarket.EINVALID, "%s: no job", op)
	}
	if j.ID == 0 {
		return nil, bindings.Job{}, gpumarket.Errorf(gpumarket.EINVALID, "%s: job id 0 does not exist", op)
	}
	return mkJobID(j.ID), JobToBinding(j), nil
}

func (m *Market) marketCall(op string, pack func() ([]byte, error)) (Call, error) {
	data, err := pack()
	if err != nil {
		return Call{}, gpumarket.Errorf(gpumarket.EINVALID, "%s: encode calldata: %v", op, err)
	}
	return Call{To: gpumarket.Address(m.market), Data: data}, nil
}

func (m *Market) registryCall(op string, pack func() ([]byte, error)) (Call, error) {
	data, err := pack()
	if err != nil {
		return Call{}, gpumarket.Errorf(gpumarket.EINVALID, "%s: encode calldata: %v", op, err)
	}
	return Call{To: gpumarket.Address(m.registry), Data: data}, nil
}

// ---------------------------------------------------------------- marketplace calls

// CreateJob returns createJob(p): a job funded from the sender's wallet
// (which must have approved p.MaxPayment; see Approve). Every Call method
// returns an EINVALID error for a value outside its Solidity type.
func (m *Market) CreateJob(p *eip712.JobParams) (Call, error) {
	bp, err := mkParams(p)
	if err != nil {
		return Call{}, fmt.Errorf("createJob: %w", err)
	}
	return m.marketCall("createJob", func() ([]byte, error) { return m.mkt.TryPackCreateJob(bp) })
}

// CreateJobWithPermit returns createJobWithPermit(p, permit).
func (m *Market) CreateJobWithPermit(p *eip712.JobParams, permit *eip712.PermitSignature) (Call, error) {
	bp, err := mkParams(p)
	if err != nil {
		return Call{}, fmt.Errorf("createJobWithPermit: %w", err)
	}
	pd, err := mkPermit(permit)
	if err != nil {
		return Call{}, fmt.Errorf("createJobWithPermit: %w", err)
	}
	return m.marketCall("createJobWithPermit", func() ([]byte, error) { return m.mkt.TryPackCreateJobWithPermit(bp, pd) })
}

// CreateJobFromOrder returns createJobFromOrder(o.Params, o.Auth, signature):
// anyone may send it; the funds come from o.Auth.Client.
func (m *Market) CreateJobFromOrder(o *eip712.JobOrder, signature []byte) (Call, error) {
	bp, err := mkParams(&o.Params)
	if err != nil {
		return Call{}, fmt.Errorf("createJobFromOrder: %w", err)
	}
	ba, err := mkAuth(&o.Auth)
	if err != nil {
		return Call{}, fmt.Errorf("createJobFromOrder: %w", err)
	}
	return m.marketCall("createJobFromOrder", func() ([]byte, error) { return m.mkt.TryPackCreateJobFromOrder(bp, ba, signature) })
}

// CreateJobFromOrderWithPermit returns createJobFromOrderWithPermit: the
// order plus the client's EIP-2612 permit, so the client needs neither gas
// nor a prior approval.
func (m *Market) CreateJobFromOrderWithPermit(o *eip712.JobOrder, signature []byte, permit *eip712.PermitSignature) (Call, error) {
	bp, err := mkParams(&o.Params)
	if err != nil {
		return Call{}, fmt.Errorf("createJobFromOrderWithPermit: %w", err)
	}
	ba, err := mkAuth(&o.Auth)
	if err != nil {
		return Call{}, fmt.Errorf("createJobFromOrderWithPermit: %w", err)
	}
	pd, err := mkPermit(permit)
	if err != nil {
		return Call{}, fmt.Errorf("createJobFromOrderWithPermit: %w", err)
	}
	return m.marketCall("createJobFromOrderWithPermit", func() ([]byte, error) {
		return m.mkt.TryPackCreateJobFromOrderWithPermit(bp, ba, signature, pd)
	})
}

// CancelOrderNonce returns cancelOrderNonce(nonce), sent by the client.
func (m *Market) CancelOrderNonce(nonce *big.Int) (Call, error) {
	if err := mkCheckUint256("cancelOrderNonce: nonce", nonce); err != nil {
		return Call{}, err
	}
	return m.marketCall("cancelOrderNonce", func() ([]byte, error) { return m.mkt.TryPackCancelOrderNonce(nonce) })
}

// AcceptJob returns acceptJob(job.ID, job, a, matcherSig), sent by the
// provider's registered signer with the matcher's signature of a.
func (m *Market) AcceptJob(job *gpumarket.Job, a *gpumarket.Assignment, matcherSig []byte) (Call, error) {
	id, bj, err := mkJobArg("acceptJob", job)
	if err != nil {
		return Call{}, err
	}
	if err := a.Validate(); err != nil {
		return Call{}, fmt.Errorf("acceptJob: %w", err)
	}
	if err := mkCheckUint128("acceptJob: price", a.Price); err != nil {
		return Call{}, err
	}
	ba := bindings.Assignment{JobId: mkJobID(a.JobID), Provider: common.Address(a.Provider), Price: new(big.Int).Set(a.Price), Expiry: uint64(a.Expiry)}
	return m.marketCall("acceptJob", func() ([]byte, error) { return m.mkt.TryPackAcceptJob(id, bj, ba, matcherSig) })
}

// AcceptPreferredJob returns acceptPreferredJob(job.ID, job), sent by the
// preferred provider's signer (price = maxPayment).
func (m *Market) AcceptPreferredJob(job *gpumarket.Job) (Call, error) {
	id, bj, err := mkJobArg("acceptPreferredJob", job)
	if err != nil {
		return Call{}, err
	}
	return m.marketCall("acceptPreferredJob", func() ([]byte, error) { return m.mkt.TryPackAcceptPreferredJob(id, bj) })
}

// CancelJob returns cancelJob(job.ID, job), sent by the client of an Open job.
func (m *Market) CancelJob(job *gpumarket.Job) (Call, error) {
	id, bj, err := mkJobArg("cancelJob", job)
	if err != nil {
		return Call{}, err
	}
	return m.marketCall("cancelJob", func() ([]byte, error) { return m.mkt.TryPackCancelJob(id, bj) })
}

// SubmitResult returns submitResult(job.ID, job, resultHash, resultURI,
// usage, amountDue), sent by the provider's signer before the deadline.
func (m *Market) SubmitResult(job *gpumarket.Job, resultHash gpumarket.Hash, resultURI string, usage gpumarket.Usage, amountDue *big.Int) (Call, error) {
	id, bj, err := mkJobArg("submitResult", job)
	if err != nil {
		return Call{}, err
	}
	if err := mkCheckUint128("submitResult: amount due", amountDue); err != nil {
		return Call{}, err
	}
	u := bindings.Usage{Units: usage.Units1, ExtraUnits: usage.Units2}
	return m.marketCall("submitResult", func() ([]byte, error) {
		return m.mkt.TryPackSubmitResult(id, bj, resultHash, resultURI, u, new(big.Int).Set(amountDue))
	})
}

// Settle returns settle(job.ID, job): by the client at any time, by anyone
// once the challenge window has ended.
func (m *Market) Settle(job *gpumarket.Job) (Call, error) {
	id, bj, err := mkJobArg("settle", job)
	if err != nil {
		return Call{}, err
	}
	return m.marketCall("settle", func() ([]byte, error) { return m.mkt.TryPackSettle(id, bj) })
}

// Dispute returns dispute(job.ID, job, reasonHash), sent by the client
// within the challenge window.
func (m *Market) Dispute(job *gpumarket.Job, reasonHash gpumarket.Hash) (Call, error) {
	id, bj, err := mkJobArg("dispute", job)
	if err != nil {
		return Call{}, err
	}
	return m.marketCall("dispute", func() ([]byte, error) { return m.mkt.TryPackDispute(id, bj, reasonHash) })
}

// ResolveDispute returns resolveDispute(job.ID, job, providerAmount,
// slashAmount), sent by an arbiter.
func (m *Market) ResolveDispute(job *gpumarket.Job, providerAmount, slashAmount *big.Int) (Call, error) {
	id, bj, err := mkJobArg("resolveDispute", job)
	if err != nil {
		return Call{}, err
	}
	if err := mkCheckUint128("resolveDispute: provider amount", providerAmount); err != nil {
		return Call{}, err
	}
	if err := mkCheckUint256("resolveDispute: slash amount", slashAmount); err != nil {
		return Call{}, err
	}
	return m.marketCall("resolveDispute", func() ([]byte, error) {
		return m.mkt.TryPackResolveDispute(id, bj, new(big.Int).Set(providerAmount), new(big.Int).Set(slashAmount))
	})
}

// ResolveDisputeAfterTimeout returns resolveDisputeAfterTimeout(job.ID, job):
// anyone, once the dispute timeout has passed; the job settles as submitted.
func (m *Market) ResolveDisputeAfterTimeout(job *gpumarket.Job) (Call, error) {
	id, bj, err := mkJobArg("resolveDisputeAfterTimeout", job)
	if err != nil {
		return Call{}, err
	}
	return m.marketCall("resolveDisputeAfterTimeout", func() ([]byte, error) { return m.mkt.TryPackResolveDisputeAfterTimeout(id, bj) })
}

// Refund returns refund(job.ID, job): anyone, after the deadline of an Open
// or Assigned job.
func (m *Market) Refund(job *gpumarket.Job) (Call, error) {
	id, bj, err := mkJobArg("refund", job)
	if err != nil {
		return Call{}, err
	}
	return m.marketCall("refund", func() ([]byte, error) { return m.mkt.TryPackRefund(id, bj) })
}

// Withdraw returns withdraw(token): the sender's whole pull balance.
func (m *Market) Withdraw(token gpumarket.Address) (Call, error) {
	return m.marketCall("withdraw", func() ([]byte, error) { return m.mkt.TryPackWithdraw(common.Address(token)) })
}

// SetTokenAllowed returns setTokenAllowed(token, allowed) (admin only).
func (m *Market) SetTokenAllowed(token gpumarket.Address, allowed bool) (Call, error) {
	return m.marketCall("setTokenAllowed", func() ([]byte, error) { return m.mkt.TryPackSetTokenAllowed(common.Address(token), allowed) })
}

// SetProtocolFee returns setProtocolFee(bps) (fee manager only).
func (m *Market) SetProtocolFee(bps uint16) (Call, error) {
	return m.marketCall("setProtocolFee", func() ([]byte, error) { return m.mkt.TryPackSetProtocolFee(bps) })
}

// SetTreasury returns setTreasury(treasury) (fee manager only).
func (m *Market) SetTreasury(treasury gpumarket.Address) (Call, error) {
	return m.marketCall("setTreasury", func() ([]byte, error) { return m.mkt.TryPackSetTreasury(common.Address(treasury)) })
}

// Pause returns pause() (pauser only).
func (m *Market) Pause() (Call, error) {
	return m.marketCall("pause", func() ([]byte, error) { return m.mkt.TryPackPause() })
}

// Unpause returns unpause() (pauser only).
func (m *Market) Unpause() (Call, error) {
	return m.marketCall("unpause", func() ([]byte, error) { return m.mkt.TryPackUnpause() })
}

// ---------------------------------------------------------------- registry calls

func mkCheckExpiry(op string, expiry uint64) error {
	if expiry >= 1<<40 {
		return gpumarket.Errorf(gpumarket.EINVALID, "%s: attestation expiry %d does not fit in a uint40", op, expiry)
	}
	return nil
}

// Register returns register(signer, attestationHash, attestationExpiry,
// metadataURI), sent by the provider's operator address.
func (m *Market) Register(signer gpumarket.Address, attestationHash gpumarket.Hash, attestationExpiry uint64, metadataURI string) (Call, error) {
	if err := mkCheckExpiry("register", attestationExpiry); err != nil {
		return Call{}, err
	}
	return m.registryCall("register", func() ([]byte, error) {
		return m.reg.TryPackRegister(common.Address(signer), attestationHash, new(big.Int).SetUint64(attestationExpiry), metadataURI)
	})
}

// Update returns the registry's update(signer, attestationHash, attestationExpiry,
// metadataURI), sent by the provider's operator address.
func (m *Market) Update(signer gpumarket.Address, attestationHash gpumarket.Hash, attestationExpiry uint64, metadataURI string) (Call, error) {
	if err := mkCheckExpiry("update", attestationExpiry); err != nil {
		return Call{}, err
	}
	return m.registryCall("update", func() ([]byte, error) {
		return m.reg.TryPackUpdate(common.Address(signer), attestationHash, new(big.Int).SetUint64(attestationExpiry), metadataURI)
	})
}

// SetActive returns setActive(active): activate (true) or deactivate.
func (m *Market) SetActive(active bool) (Call, error) {
	return m.registryCall("setActive", func() ([]byte, error) { return m.reg.TryPackSetActive(active) })
}

// Stake returns stake(amount); the operator must have approved the registry
// for the staking token (see Approve).
func (m *Market) Stake(amount *big.Int) (Call, error) {
	if err := mkCheckUint256("stake: amount", amount); err != nil {
		return Call{}, err
	}
	return m.registryCall("stake", func() ([]byte, error) { return m.reg.TryPackStake(amount) })
}

// RequestUnstake returns requestUnstake(amount).
func (m *Market) RequestUnstake(amount *big.Int) (Call, error) {
	if err := mkCheckUint256("requestUnstake: amount", amount); err != nil {
		return Call{}, err
	}
	return m.registryCall("requestUnstake", func() ([]byte, error) { return m.reg.TryPackRequestUnstake(amount) })
}

// WithdrawStake returns withdrawStake(): all unbonded stake, once ready.
func (m *Market) WithdrawStake() (Call, error) {
	return m.registryCall("withdrawStake", func() ([]byte, error) { return m.reg.TryPackWithdrawStake() })
}

// WithdrawCompensation returns withdrawCompensation(): the sender's
// slashing compensation.
func (m *Market) WithdrawCompensation() (Call, error) {
	return m.registryCall("withdrawCompensation", func() ([]byte, error) { return m.reg.TryPackWithdrawCompensation() })
}

// Approve returns the ERC-20 call approve(spender, amount) on token (the
// marketplace before createJob, the registry before stake).
func (m *Market) Approve(token, spender gpumarket.Address, amount *big.Int) (Call, error) {
	if err := mkCheckUint256("approve: amount", amount); err != nil {
		return Call{}, err
	}
	data, err := m.erc.TryPackApprove(common.Address(spender), amount)
	if err != nil {
		return Call{}, gpumarket.Errorf(gpumarket.EINVALID, "approve: encode calldata: %v", err)
	}
	return Call{To: token, Data: data}, nil
}

// ---------------------------------------------------------------- sending

// mkReceiptReader is what Transact needs beyond bind.ContractBackend to wait
// for a receipt (an *ethclient.Client has it).
type mkReceiptReader interface {
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
	rr, ok := m.backend.(mkReceiptReader)
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
	return fmt.Sprintf("with data %x", data)
}

// ---------------------------------------------------------------- reads

func mkCallErr(op string, err error) error {
	return fmt.Errorf("%s: %w", op, gpumarket.Errorf(gpumarket.EUNAVAILABLE, "%v", err))
}

func mkCallOpts(ctx context.Context) *bind.CallOpts { return &bind.CallOpts{Context: ctx} }

// JobHash returns the contract's stored hash of job id (jobHash), zero for a
// job that does not exist. Reads return EUNAVAILABLE errors when the call fails.
func (m *Market) JobHash(ctx context.Context, id gpumarket.JobID) (gpumarket.Hash, error) {
	h, err := bind.Call(m.mc, mkCallOpts(ctx), m.mkt.PackJobHash(mkJobID(id)), m.mkt.UnpackJobHash)
	if err != nil {
		return gpumarket.Hash{}, mkCallErr("jobHash", err)
	}
	return h, nil
}

// ContractHashJob returns the contract's hashJob(job) (pure), for checking
// HashJob against the contract itself.
func (m *Market) ContractHashJob(ctx context.Context, job *gpumarket.Job) (gpumarket.Hash, error) {
	h, err := bind.Call(m.mc, mkCallOpts(ctx), m.mkt.PackHashJob(JobToBinding(job)), m.mkt.UnpackHashJob)
	if err != nil {
		return gpumarket.Hash{}, mkCallErr("hashJob", err)
	}
	return h, nil
}

var mkJobTuple = bindings.NewJobMarketplace().GetABI().Methods["hashJob"].Inputs

// HashJob returns keccak256(abi.encode(job)) computed locally: what the
// contract stores for the job (jobHash) and its hashJob returns. It returns
// an EINVALID error for a field outside its Solidity type.
func HashJob(job *gpumarket.Job) (gpumarket.Hash, error) {
	b := JobToBinding(job)
	if _, err := JobFromBinding(job.ChainID, job.ID, &b); err != nil {
		return gpumarket.Hash{}, fmt.Errorf("hash job: %w", err)
	}
	enc, err := mkJobTuple.Pack(b)
	if err != nil {
		return gpumarket.Hash{}, gpumarket.Errorf(gpumarket.EINVALID, "hash job %d: %v", job.ID, err)
	}
	return gpumarket.Hash(crypto.Keccak256Hash(enc)), nil
}

// NextJobID returns the id the next job will get.
func (m *Market) NextJobID(ctx context.Context) (gpumarket.JobID, error) {
	n, err := bind.Call(m.mc, mkCallOpts(ctx), m.mkt.PackNextJobId(), m.mkt.UnpackNextJobId)
	if err != nil {
		return 0, mkCallErr("nextJobId", err)
	}
	if !n.IsUint64() {
		return 0, gpumarket.Errorf(gpumarket.EINVALID, "nextJobId %s exceeds 64 bits", n)
	}
	return gpumarket.JobID(n.Uint64()), nil
}

// BalanceOf returns account's pull balance of token in the marketplace
// (what withdraw(token) would pay it).
func (m *Market) BalanceOf(ctx context.Context, token, account gpumarket.Address) (*big.Int, error) {
	v, err := bind.Call(m.mc, mkCallOpts(ctx), m.mkt.PackBalanceOf(common.Address(token), common.Address(account)), m.mkt.UnpackBalanceOf)
	if err != nil {
		return nil, mkCallErr("balanceOf", err)
	}
	return v, nil
}

// IsNonceUsed reports whether client's order nonce was used or cancelled.
func (m *Market) IsNonceUsed(ctx context.Context, client gpumarket.Address, nonce *big.Int) (bool, error) {
	v, err := bind.Call(m.mc, mkCallOpts(ctx), m.mkt.PackIsNonceUsed(common.Address(client), nonce), m.mkt.UnpackIsNonceUsed)
	if err != nil {
		return false, mkCallErr("isNonceUsed", err)
	}
	return v, nil
}

// OrderDigest returns the contract's hashOrder(o.Params, o.Auth): the digest
// the client signs, for checking JobOrderDigest against the contract.
func (m *Market) OrderDigest(ctx context.Context, o *eip712.JobOrder) (gpumarket.Hash, error) {
	bp, err := mkParams(&o.Params)
	if err != nil {
		return gpumarket.Hash{}, fmt.Errorf("hashOrder: %w", err)
	}
	ba, err := mkAuth(&o.Auth)
	if err != nil {
		return gpumarket.Hash{}, fmt.Errorf("hashOrder: %w", err)
	}
	h, err := bind.Call(m.mc, mkCallOpts(ctx), m.mkt.PackHashOrder(bp, ba), m.mkt.UnpackHashOrder)
	if err != nil {
		return gpumarket.Hash{}, mkCallErr("hashOrder", err)
	}
	return h, nil
}

// Provider returns the registry's record of provider (getProvider) as a
// ProviderRecord. Fields the registry does not keep (SlashedTotal,
// RegisteredAt, LastBlock) are zero; an unregistered provider has
// Registered false.
func (m *Market) Provider(ctx context.Context, provider gpumarket.Address) (gpumarket.ProviderRecord, error) {
	p, err := bind.Call(m.rc, mkCallOpts(ctx), m.reg.PackGetProvider(common.Address(provider)), m.reg.UnpackGetProvider)
	if err != nil {
		return gpumarket.ProviderRecord{}, mkCallErr("getProvider", err)
	}
	exp, err1 := uint40(p.AttestationExpiry)
	ready, err2 := uint40(p.UnbondingReadyAt)
	if err := errors.Join(err1, err2); err != nil {
		return gpumarket.ProviderRecord{}, fmt.Errorf("getProvider %s: %w", provider, err)
	}
	return gpumarket.ProviderRecord{
		ChainID: m.chainID.Uint64(), Provider: provider, Signer: gpumarket.Address(p.Signer),
		AttestationHash: p.AttestationHash, AttestationExpiry: exp, MetadataURI: gpumarket.ChainString(p.MetadataURI),
		Registered: p.Registered, Active: p.Active, Stake: orZero(p.Stake), Unbonding: orZero(p.Unbonding),
		UnbondingReadyAt: ready,
	}, nil
}

// CompensationOf returns account's unclaimed slashing compensation in the
// registry (what withdrawCompensation would pay it).
func (m *Market) CompensationOf(ctx context.Context, account gpumarket.Address) (*big.Int, error) {
	v, err := bind.Call(m.rc, mkCallOpts(ctx), m.reg.PackCompensationOf(common.Address(account)), m.reg.UnpackCompensationOf)
	if err != nil {
		return nil, mkCallErr("compensationOf", err)
	}
	return v, nil
}

// TokenBalance returns owner's ERC-20 balance of token.
func (m *Market) TokenBalance(ctx context.Context, token, owner gpumarket.Address) (*big.Int, error) {
	inst := m.erc.Instance(m.backend, common.Address(token))
	v, err := bind.Call(inst, mkCallOpts(ctx), m.erc.PackBalanceOf(common.Address(owner)), m.erc.UnpackBalanceOf)
	if err != nil {
		return nil, mkCallErr("balanceOf", err)
	}
	return v, nil
}

// PermitNonce returns owner's current EIP-2612 nonce in token.
func (m *Market) PermitNonce(ctx context.Context, token, owner gpumarket.Address) (*big.Int, error) {
	inst := m.erc.Instance(m.backend, common.Address(token))
	v, err := bind.Call(inst, mkCallOpts(ctx), m.erc.PackNonces(common.Address(owner)), m.erc.UnpackNonces)
	if err != nil {
		return nil, mkCallErr("nonces", err)
	}
	return v, nil
}

// TokenDomain returns token's EIP-712 domain as its eip712Domain() (ERC-5267)
// reports it, for SignPermit.
func (m *Market) TokenDomain(ctx context.Context, token gpumarket.Address) (eip712.Domain, error) {
	inst := m.erc.Instance(m.backend, common.Address(token))
	d, err := bind.Call(inst, mkCallOpts(ctx), m.erc.PackTokenEip712Domain(), m.erc.UnpackTokenEip712Domain)
	if err != nil {
		return eip712.Domain{}, mkCallErr("eip712Domain", err)
	}
	return eip712.Domain{Name: d.Name, Version: d.Version, ChainID: d.ChainId, VerifyingContract: gpumarket.Address(d.VerifyingContract)}, nil
}

// matcherRole is keccak256("MATCHER_ROLE"), the role whose holders may sign
// assignments.
var matcherRole = crypto.Keccak256Hash([]byte("MATCHER_ROLE"))

// IsMatcher reports whether addr holds the marketplace's MATCHER_ROLE now,
// read from the chain (not from a mirror), so a revoked matcher is refused at
// once.
func (m *Market) IsMatcher(ctx context.Context, addr gpumarket.Address) (bool, error) {
	v, err := bind.Call(m.mc, mkCallOpts(ctx), m.mkt.PackHasRole(matcherRole, common.Address(addr)), m.mkt.UnpackHasRole)
	if err != nil {
		return false, mkCallErr("hasRole", err)
	}
	return v, nil
}

// AssignmentSigner recovers the address that signed assignment a in the
// marketplace's EIP-712 domain. It returns an EINVALID error for a malformed
// assignment or signature (including high-s, malleable signatures).
func (m *Market) AssignmentSigner(a *gpumarket.Assignment, sig []byte) (gpumarket.Address, error) {
	d, err := eip712.AssignmentDigest(m.Domain(), a)
	if err != nil {
		return gpumarket.Address{}, err
	}
	return eip712.Recover(d, sig)
}

// DialMarket connects to the node at url and returns the client of the
// deployment's marketplace and registry, checking that the node serves
// chainID. Close the returned closer when done. It returns an EUNAVAILABLE
// error when the node cannot be reached and an EINVALID one when it is on
// another chain.
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
		return nil, nil, gpumarket.Errorf(gpumarket.EINVALID, "node %s is on chain %s, want %d", url, got, chainID)
	}
	m, err := NewMarket(got, market, registry, client)
	if err != nil {
		c.Close()
		return nil, nil, err
	}
	return m, c.Close, nil
}

// StakingToken returns the registry's staking token.
func (m *Market) StakingToken(ctx context.Context) (gpumarket.Address, error) {
	v, err := bind.Call(m.rc, mkCallOpts(ctx), m.reg.PackStakingToken(), m.reg.UnpackStakingToken)
	if err != nil {
		return gpumarket.Address{}, mkCallErr("stakingToken", err)
	}
	return gpumarket.Address(v), nil
}

// MinStake returns the least active stake a provider needs to be assigned.
func (m *Market) MinStake(ctx context.Context) (*big.Int, error) {
	v, err := bind.Call(m.rc, mkCallOpts(ctx), m.reg.PackMinStake(), m.reg.UnpackMinStake)
	if err != nil {
		return nil, mkCallErr("minStake", err)
	}
	return v, nil
}

// Nonce returns account's pending transaction count (the next nonce).
func (m *Market) Nonce(ctx context.Context, account gpumarket.Address) (uint64, error) {
	n, err := m.backend.PendingNonceAt(ctx, common.Address(account))
	if err != nil {
		return 0, mkCallErr("nonce", err)
	}
	return n, nil
}

// ChainTime returns the latest block's number and timestamp (unix seconds).
func (m *Market) ChainTime(ctx context.Context) (uint64, uint64, error) {
	h, err := m.backend.HeaderByNumber(ctx, nil)
	if err != nil {
		return 0, 0, mkCallErr("latest header", err)
	}
	return h.Number.Uint64(), h.Time, nil
}
