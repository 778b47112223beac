package market

import (
	"fmt"
	"math/big"

	"github.com/gpumarket/gpumarket/internal/eth/eip712"

	"github.com/ethereum/go-ethereum/common"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/bindings"
)

func jobIDArg(id gpumarket.JobID) *big.Int { return new(big.Int).SetUint64(uint64(id)) }

func paramsArg(p *eip712.JobParams) (bindings.JobParams, error) {
	if err := p.Check(); err != nil {
		return bindings.JobParams{}, err
	}
	return bindings.JobParams{
		Kind: uint8(p.Kind), Token: common.Address(p.Token), MaxPayment: new(big.Int).Set(p.MaxPayment),
		Deadline: new(big.Int).SetUint64(p.Deadline), PreferredProvider: common.Address(p.PreferredProvider),
		Creator: common.Address(p.Creator), CreatorShareBps: p.CreatorShareBps, SpecHash: p.SpecHash, SpecURI: p.SpecURI,
	}, nil
}

func authArg(a *eip712.OrderAuth) (bindings.OrderAuth, error) {
	if err := a.Check(); err != nil {
		return bindings.OrderAuth{}, err
	}
	return bindings.OrderAuth{Client: common.Address(a.Client), Nonce: new(big.Int).Set(a.Nonce), Expiry: a.Expiry}, nil
}

func permitArg(p *eip712.PermitSignature) (bindings.PermitData, error) {
	if p.Value == nil || p.Deadline == nil {
		return bindings.PermitData{}, gpumarket.Errorf(gpumarket.EINVALID, "permit: value and deadline are required")
	}
	return bindings.PermitData{Value: p.Value, Deadline: p.Deadline, V: p.V, R: p.R, S: p.S}, nil
}

func checkUint128(what string, v *big.Int) error {
	if v == nil || v.Sign() < 0 || v.BitLen() > 128 {
		return gpumarket.Errorf(gpumarket.EINVALID, "%s %v is not a uint128", what, v)
	}
	return nil
}

func checkUint256(what string, v *big.Int) error {
	if v == nil || v.Sign() < 0 || v.BitLen() > 256 {
		return gpumarket.Errorf(gpumarket.EINVALID, "%s %v is not a uint256", what, v)
	}
	return nil
}

// jobArg checks and converts the job passed back to the contract.
func jobArg(op string, j *gpumarket.Job) (*big.Int, bindings.Job, error) {
	if j == nil {
		return nil, bindings.Job{}, gpumarket.Errorf(gpumarket.EINVALID, "%s: no job", op)
	}
	if j.ID == 0 {
		return nil, bindings.Job{}, gpumarket.Errorf(gpumarket.EINVALID, "%s: job id 0 does not exist", op)
	}
	return jobIDArg(j.ID), JobToBinding(j), nil
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
	bp, err := paramsArg(p)
	if err != nil {
		return Call{}, fmt.Errorf("createJob: %w", err)
	}
	return m.marketCall("createJob", func() ([]byte, error) { return m.mkt.TryPackCreateJob(bp) })
}

// CreateJobWithPermit returns createJobWithPermit(p, permit).
func (m *Market) CreateJobWithPermit(p *eip712.JobParams, permit *eip712.PermitSignature) (Call, error) {
	bp, err := paramsArg(p)
	if err != nil {
		return Call{}, fmt.Errorf("createJobWithPermit: %w", err)
	}
	pd, err := permitArg(permit)
	if err != nil {
		return Call{}, fmt.Errorf("createJobWithPermit: %w", err)
	}
	return m.marketCall("createJobWithPermit", func() ([]byte, error) { return m.mkt.TryPackCreateJobWithPermit(bp, pd) })
}

// CreateJobFromOrder returns createJobFromOrder(o.Params, o.Auth, signature):
// anyone may send it; the funds come from o.Auth.Client.
func (m *Market) CreateJobFromOrder(o *eip712.JobOrder, signature []byte) (Call, error) {
	bp, err := paramsArg(&o.Params)
	if err != nil {
		return Call{}, fmt.Errorf("createJobFromOrder: %w", err)
	}
	ba, err := authArg(&o.Auth)
	if err != nil {
		return Call{}, fmt.Errorf("createJobFromOrder: %w", err)
	}
	return m.marketCall("createJobFromOrder", func() ([]byte, error) { return m.mkt.TryPackCreateJobFromOrder(bp, ba, signature) })
}

// CreateJobFromOrderWithPermit returns createJobFromOrderWithPermit: the
// order plus the client's EIP-2612 permit, so the client needs neither gas
// nor a prior approval.
func (m *Market) CreateJobFromOrderWithPermit(o *eip712.JobOrder, signature []byte, permit *eip712.PermitSignature) (Call, error) {
	bp, err := paramsArg(&o.Params)
	if err != nil {
		return Call{}, fmt.Errorf("createJobFromOrderWithPermit: %w", err)
	}
	ba, err := authArg(&o.Auth)
	if err != nil {
		return Call{}, fmt.Errorf("createJobFromOrderWithPermit: %w", err)
	}
	pd, err := permitArg(permit)
	if err != nil {
		return Call{}, fmt.Errorf("createJobFromOrderWithPermit: %w", err)
	}
	return m.marketCall("createJobFromOrderWithPermit", func() ([]byte, error) {
		return m.mkt.TryPackCreateJobFromOrderWithPermit(bp, ba, signature, pd)
	})
}

// CancelOrderNonce returns cancelOrderNonce(nonce), sent by the client.
func (m *Market) CancelOrderNonce(nonce *big.Int) (Call, error) {
	if err := checkUint256("cancelOrderNonce: nonce", nonce); err != nil {
		return Call{}, err
	}
	return m.marketCall("cancelOrderNonce", func() ([]byte, error) { return m.mkt.TryPackCancelOrderNonce(nonce) })
}

// AcceptJob returns acceptJob(job.ID, job, a, matcherSig), sent by the
// provider's registered signer with the matcher's signature of a.
func (m *Market) AcceptJob(job *gpumarket.Job, a *gpumarket.Assignment, matcherSig []byte) (Call, error) {
	id, bj, err := jobArg("acceptJob", job)
	if err != nil {
		return Call{}, err
	}
	if err := a.Validate(); err != nil {
		return Call{}, fmt.Errorf("acceptJob: %w", err)
	}
	if err := checkUint128("acceptJob: price", a.Price); err != nil {
		return Call{}, err
	}
	// The signed assignment also covers the job's hash as created; the
	// contract computes it from job, so it is not passed.
	ba := bindings.Assignment{JobId: jobIDArg(a.JobID), Provider: common.Address(a.Provider), Price: new(big.Int).Set(a.Price), Expiry: uint64(a.Expiry)}
	return m.marketCall("acceptJob", func() ([]byte, error) { return m.mkt.TryPackAcceptJob(id, bj, ba, matcherSig) })
}

// AcceptPreferredJob returns acceptPreferredJob(job.ID, job), sent by the
// preferred provider's signer (price = maxPayment).
func (m *Market) AcceptPreferredJob(job *gpumarket.Job) (Call, error) {
	id, bj, err := jobArg("acceptPreferredJob", job)
	if err != nil {
		return Call{}, err
	}
	return m.marketCall("acceptPreferredJob", func() ([]byte, error) { return m.mkt.TryPackAcceptPreferredJob(id, bj) })
}

// CancelJob returns cancelJob(job.ID, job), sent by the client of an Open job.
func (m *Market) CancelJob(job *gpumarket.Job) (Call, error) {
	id, bj, err := jobArg("cancelJob", job)
	if err != nil {
		return Call{}, err
	}
	return m.marketCall("cancelJob", func() ([]byte, error) { return m.mkt.TryPackCancelJob(id, bj) })
}

// SubmitResult returns submitResult(job.ID, job, resultHash, resultURI,
// usage, amountDue), sent by the provider's signer before the deadline.
func (m *Market) SubmitResult(job *gpumarket.Job, resultHash gpumarket.Hash, resultURI string, usage gpumarket.Usage, amountDue *big.Int) (Call, error) {
	id, bj, err := jobArg("submitResult", job)
	if err != nil {
		return Call{}, err
	}
	if err := checkUint128("submitResult: amount due", amountDue); err != nil {
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
	id, bj, err := jobArg("settle", job)
	if err != nil {
		return Call{}, err
	}
	return m.marketCall("settle", func() ([]byte, error) { return m.mkt.TryPackSettle(id, bj) })
}

// Dispute returns dispute(job.ID, job, reasonHash), sent by the client
// within the challenge window.
func (m *Market) Dispute(job *gpumarket.Job, reasonHash gpumarket.Hash) (Call, error) {
	id, bj, err := jobArg("dispute", job)
	if err != nil {
		return Call{}, err
	}
	return m.marketCall("dispute", func() ([]byte, error) { return m.mkt.TryPackDispute(id, bj, reasonHash) })
}

// ResolveDispute returns resolveDispute(job.ID, job, providerAmount,
// slashAmount, bondToProvider), sent by an arbiter: the provider is paid
// providerAmount (<= amountDue), slashAmount (<= the job's stake
// reservation) of its stake goes to the client, and bondToProvider (<= the
// job's dispute bond) of the bond goes to the provider, the rest back to the
// client.
func (m *Market) ResolveDispute(job *gpumarket.Job, providerAmount, slashAmount, bondToProvider *big.Int) (Call, error) {
	id, bj, err := jobArg("resolveDispute", job)
	if err != nil {
		return Call{}, err
	}
	if err := checkUint128("resolveDispute: provider amount", providerAmount); err != nil {
		return Call{}, err
	}
	if err := checkUint256("resolveDispute: slash amount", slashAmount); err != nil {
		return Call{}, err
	}
	if err := checkUint128("resolveDispute: bond to provider", bondToProvider); err != nil {
		return Call{}, err
	}
	return m.marketCall("resolveDispute", func() ([]byte, error) {
		return m.mkt.TryPackResolveDispute(id, bj, new(big.Int).Set(providerAmount), new(big.Int).Set(slashAmount), new(big.Int).Set(bondToProvider))
	})
}

// ResolveDisputeAfterTimeout returns resolveDisputeAfterTimeout(job.ID, job):
// anyone, once the dispute timeout has passed; the job settles as submitted.
func (m *Market) ResolveDisputeAfterTimeout(job *gpumarket.Job) (Call, error) {
	id, bj, err := jobArg("resolveDisputeAfterTimeout", job)
	if err != nil {
		return Call{}, err
	}
	return m.marketCall("resolveDisputeAfterTimeout", func() ([]byte, error) { return m.mkt.TryPackResolveDisputeAfterTimeout(id, bj) })
}

// Refund returns refund(job.ID, job): anyone, after the deadline of an Open
// or Assigned job.
func (m *Market) Refund(job *gpumarket.Job) (Call, error) {
	id, bj, err := jobArg("refund", job)
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

func checkExpiry(op string, expiry uint64) error {
	if expiry >= 1<<40 {
		return gpumarket.Errorf(gpumarket.EINVALID, "%s: attestation expiry %d does not fit in a uint40", op, expiry)
	}
	return nil
}

// Register returns register(signer, attestationHash, attestationExpiry,
// metadataURI), sent by the provider's operator address.
func (m *Market) Register(signer gpumarket.Address, attestationHash gpumarket.Hash, attestationExpiry uint64, metadataURI string) (Call, error) {
	if err := checkExpiry("register", attestationExpiry); err != nil {
		return Call{}, err
	}
	return m.registryCall("register", func() ([]byte, error) {
		return m.reg.TryPackRegister(common.Address(signer), attestationHash, new(big.Int).SetUint64(attestationExpiry), metadataURI)
	})
}

// Update returns the registry's update(signer, attestationHash, attestationExpiry,
// metadataURI), sent by the provider's operator address.
func (m *Market) Update(signer gpumarket.Address, attestationHash gpumarket.Hash, attestationExpiry uint64, metadataURI string) (Call, error) {
	if err := checkExpiry("update", attestationExpiry); err != nil {
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
	if err := checkUint256("stake: amount", amount); err != nil {
		return Call{}, err
	}
	return m.registryCall("stake", func() ([]byte, error) { return m.reg.TryPackStake(amount) })
}

// RequestUnstake returns requestUnstake(amount).
func (m *Market) RequestUnstake(amount *big.Int) (Call, error) {
	if err := checkUint256("requestUnstake: amount", amount); err != nil {
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
	if err := checkUint256("approve: amount", amount); err != nil {
		return Call{}, err
	}
	data, err := m.erc.TryPackApprove(common.Address(spender), amount)
	if err != nil {
		return Call{}, gpumarket.Errorf(gpumarket.EINVALID, "approve: encode calldata: %v", err)
	}
	return Call{To: token, Data: data}, nil
}

// Mint returns the test token's mint(to, amount) on token: anyone may mint
// the demo's and the tests' TestERC20 (a real token has no such function).
func (m *Market) Mint(token, to gpumarket.Address, amount *big.Int) (Call, error) {
	if err := checkUint256("mint: amount", amount); err != nil {
		return Call{}, err
	}
	data, err := m.erc.TryPackMint(common.Address(to), amount)
	if err != nil {
		return Call{}, gpumarket.Errorf(gpumarket.EINVALID, "mint: encode calldata: %v", err)
	}
	return Call{To: token, Data: data}, nil
}

// ---------------------------------------------------------------- sending
