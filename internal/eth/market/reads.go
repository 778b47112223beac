package market

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/gpumarket/gpumarket/internal/eth/eip712"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/bindings"
)

// JobHash returns the contract's stored hash of job id (jobHash), zero for a
// job that does not exist. Reads return EUNAVAILABLE errors when the call fails.
func (m *Market) JobHash(ctx context.Context, id gpumarket.JobID) (gpumarket.Hash, error) {
	h, err := bind.Call(m.mc, callOpts(ctx), m.mkt.PackJobHash(jobIDArg(id)), m.mkt.UnpackJobHash)
	if err != nil {
		return gpumarket.Hash{}, callErr("jobHash", err)
	}
	return h, nil
}

// ContractHashJob returns the contract's hashJob(job) (pure), for checking
// HashJob against the contract itself.
func (m *Market) ContractHashJob(ctx context.Context, job *gpumarket.Job) (gpumarket.Hash, error) {
	h, err := bind.Call(m.mc, callOpts(ctx), m.mkt.PackHashJob(JobToBinding(job)), m.mkt.UnpackHashJob)
	if err != nil {
		return gpumarket.Hash{}, callErr("hashJob", err)
	}
	return h, nil
}

var jobTuple = bindings.NewJobMarketplace().GetABI().Methods["hashJob"].Inputs

// HashJob returns keccak256(abi.encode(job)) computed locally: what the
// contract stores for the job (jobHash) and its hashJob returns. It returns
// an EINVALID error for a field outside its Solidity type.
func HashJob(job *gpumarket.Job) (gpumarket.Hash, error) {
	b := JobToBinding(job)
	if _, err := JobFromBinding(job.ChainID, job.ID, &b); err != nil {
		return gpumarket.Hash{}, fmt.Errorf("hash job: %w", err)
	}
	enc, err := jobTuple.Pack(b)
	if err != nil {
		return gpumarket.Hash{}, gpumarket.Errorf(gpumarket.EINVALID, "hash job %d: %v", job.ID, err)
	}
	return gpumarket.Hash(crypto.Keccak256Hash(enc)), nil
}

// NextJobID returns the id the next job will get.
func (m *Market) NextJobID(ctx context.Context) (gpumarket.JobID, error) {
	n, err := bind.Call(m.mc, callOpts(ctx), m.mkt.PackNextJobId(), m.mkt.UnpackNextJobId)
	if err != nil {
		return 0, callErr("nextJobId", err)
	}
	if !n.IsUint64() {
		return 0, gpumarket.Errorf(gpumarket.EINVALID, "nextJobId %s exceeds 64 bits", n)
	}
	return gpumarket.JobID(n.Uint64()), nil
}

// BalanceOf returns account's pull balance of token in the marketplace
// (what withdraw(token) would pay it).
func (m *Market) BalanceOf(ctx context.Context, token, account gpumarket.Address) (*big.Int, error) {
	v, err := bind.Call(m.mc, callOpts(ctx), m.mkt.PackBalanceOf(common.Address(token), common.Address(account)), m.mkt.UnpackBalanceOf)
	if err != nil {
		return nil, callErr("balanceOf", err)
	}
	return v, nil
}

// IsNonceUsed reports whether client's order nonce was used or cancelled.
func (m *Market) IsNonceUsed(ctx context.Context, client gpumarket.Address, nonce *big.Int) (bool, error) {
	v, err := bind.Call(m.mc, callOpts(ctx), m.mkt.PackIsNonceUsed(common.Address(client), nonce), m.mkt.UnpackIsNonceUsed)
	if err != nil {
		return false, callErr("isNonceUsed", err)
	}
	return v, nil
}

// OrderDigest returns the contract's hashOrder(o.Params, o.Auth): the digest
// the client signs, for checking JobOrderDigest against the contract.
func (m *Market) OrderDigest(ctx context.Context, o *eip712.JobOrder) (gpumarket.Hash, error) {
	bp, err := paramsArg(&o.Params)
	if err != nil {
		return gpumarket.Hash{}, fmt.Errorf("hashOrder: %w", err)
	}
	ba, err := authArg(&o.Auth)
	if err != nil {
		return gpumarket.Hash{}, fmt.Errorf("hashOrder: %w", err)
	}
	h, err := bind.Call(m.mc, callOpts(ctx), m.mkt.PackHashOrder(bp, ba), m.mkt.UnpackHashOrder)
	if err != nil {
		return gpumarket.Hash{}, callErr("hashOrder", err)
	}
	return h, nil
}

// Provider returns the registry's record of provider (getProvider) as a
// ProviderRecord. Fields the registry does not keep (SlashedTotal,
// RegisteredAt, LastBlock) are zero; an unregistered provider has
// Registered false.
func (m *Market) Provider(ctx context.Context, provider gpumarket.Address) (gpumarket.ProviderRecord, error) {
	p, err := bind.Call(m.rc, callOpts(ctx), m.reg.PackGetProvider(common.Address(provider)), m.reg.UnpackGetProvider)
	if err != nil {
		return gpumarket.ProviderRecord{}, callErr("getProvider", err)
	}
	exp, err1 := uint40(p.AttestationExpiry)
	ready, err2 := uint40(p.UnbondingReadyAt)
	if err := errors.Join(err1, err2); err != nil {
		return gpumarket.ProviderRecord{}, fmt.Errorf("getProvider %s: %w", provider, err)
	}
	return gpumarket.ProviderRecord{
		ChainID: m.chainID.Uint64(), Provider: provider, Signer: gpumarket.Address(p.Signer),
		AttestationHash: p.AttestationHash, AttestationExpiry: exp, MetadataURI: gpumarket.ChainString(p.MetadataURI),
		Registered: p.Registered, Active: p.Active, Stake: orZero(p.Stake), Reserved: orZero(p.Reserved),
		Unbonding: orZero(p.Unbonding), UnbondingReadyAt: ready,
	}, nil
}

// CompensationOf returns account's unclaimed slashing compensation in the
// registry (what withdrawCompensation would pay it).
func (m *Market) CompensationOf(ctx context.Context, account gpumarket.Address) (*big.Int, error) {
	v, err := bind.Call(m.rc, callOpts(ctx), m.reg.PackCompensationOf(common.Address(account)), m.reg.UnpackCompensationOf)
	if err != nil {
		return nil, callErr("compensationOf", err)
	}
	return v, nil
}

// TokenBalance returns owner's ERC-20 balance of token.
func (m *Market) TokenBalance(ctx context.Context, token, owner gpumarket.Address) (*big.Int, error) {
	inst := m.erc.Instance(m.backend, common.Address(token))
	v, err := bind.Call(inst, callOpts(ctx), m.erc.PackBalanceOf(common.Address(owner)), m.erc.UnpackBalanceOf)
	if err != nil {
		return nil, callErr("balanceOf", err)
	}
	return v, nil
}

// PermitNonce returns owner's current EIP-2612 nonce in token.
func (m *Market) PermitNonce(ctx context.Context, token, owner gpumarket.Address) (*big.Int, error) {
	inst := m.erc.Instance(m.backend, common.Address(token))
	v, err := bind.Call(inst, callOpts(ctx), m.erc.PackNonces(common.Address(owner)), m.erc.UnpackNonces)
	if err != nil {
		return nil, callErr("nonces", err)
	}
	return v, nil
}

// TokenDomain returns token's EIP-712 domain as its eip712Domain() (ERC-5267)
// reports it, for SignPermit.
func (m *Market) TokenDomain(ctx context.Context, token gpumarket.Address) (eip712.Domain, error) {
	inst := m.erc.Instance(m.backend, common.Address(token))
	d, err := bind.Call(inst, callOpts(ctx), m.erc.PackTokenEip712Domain(), m.erc.UnpackTokenEip712Domain)
	if err != nil {
		return eip712.Domain{}, callErr("eip712Domain", err)
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
	v, err := bind.Call(m.mc, callOpts(ctx), m.mkt.PackHasRole(matcherRole, common.Address(addr)), m.mkt.UnpackHasRole)
	if err != nil {
		return false, callErr("hasRole", err)
	}
	return v, nil
}

// JobHashAtCreation returns the hash an assignment of job is bound to: the
// job's hash as created (its struct in state Open). For an Open job it is
// HashJob(job); for a later state the fields acceptance and later steps set
// are cleared first.
func JobHashAtCreation(job *gpumarket.Job) (gpumarket.Hash, error) {
	created := *job
	created.State = gpumarket.JobStateOpen
	created.Provider, created.Price, created.AmountDue = gpumarket.Address{}, nil, nil
	created.ChallengeEnd, created.DisputedAt, created.DisputeBond = 0, 0, nil
	return HashJob(&created)
}

// StoredJobHash returns what the contract's jobHash(job.ID) holds for job:
// HashJob(job) while the job is unfinished, zero once it is Settled,
// Refunded or Cancelled (the contract deletes a finished job's hash). A
// mirror is exact when every job's StoredJobHash equals the chain's
// jobHash.
func StoredJobHash(job *gpumarket.Job) (gpumarket.Hash, error) {
	if job.State.Terminal() {
		return gpumarket.Hash{}, nil
	}
	return HashJob(job)
}

// AssignmentJobHash is JobHashAtCreation (the relayer's AssignmentVerifier).
func (m *Market) AssignmentJobHash(job *gpumarket.Job) (gpumarket.Hash, error) {
	return JobHashAtCreation(job)
}

// ReservationRule reads the marketplace's stake reservation settings
// (immutable): the registry's staking token and the marketplace's
// reservationBps, reservationFloor and reservationCap.
func (m *Market) ReservationRule(ctx context.Context) (gpumarket.ReservationRule, error) {
	staking, err := m.StakingToken(ctx)
	if err != nil {
		return gpumarket.ReservationRule{}, err
	}
	bps, err := bind.Call(m.mc, callOpts(ctx), m.mkt.PackReservationBps(), m.mkt.UnpackReservationBps)
	if err != nil {
		return gpumarket.ReservationRule{}, callErr("reservationBps", err)
	}
	floor, err := bind.Call(m.mc, callOpts(ctx), m.mkt.PackReservationFloor(), m.mkt.UnpackReservationFloor)
	if err != nil {
		return gpumarket.ReservationRule{}, callErr("reservationFloor", err)
	}
	ceiling, err := bind.Call(m.mc, callOpts(ctx), m.mkt.PackReservationCap(), m.mkt.UnpackReservationCap)
	if err != nil {
		return gpumarket.ReservationRule{}, callErr("reservationCap", err)
	}
	return gpumarket.ReservationRule{StakingToken: staking, Bps: bps, Floor: floor, Cap: ceiling}, nil
}

// ReservationFor returns the stake the contract reserves for a job paid in
// token at price (reservationFor).
func (m *Market) ReservationFor(ctx context.Context, token gpumarket.Address, price *big.Int) (*big.Int, error) {
	v, err := bind.Call(m.mc, callOpts(ctx), m.mkt.PackReservationFor(common.Address(token), orZero(price)), m.mkt.UnpackReservationFor)
	if err != nil {
		return nil, callErr("reservationFor", err)
	}
	return v, nil
}

// DisputeBondFor returns the bond a dispute of a job paid in token at price
// posts (disputeBondFor), in the job's token.
func (m *Market) DisputeBondFor(ctx context.Context, token gpumarket.Address, price *big.Int) (*big.Int, error) {
	v, err := bind.Call(m.mc, callOpts(ctx), m.mkt.PackDisputeBondFor(common.Address(token), orZero(price)), m.mkt.UnpackDisputeBondFor)
	if err != nil {
		return nil, callErr("disputeBondFor", err)
	}
	return v, nil
}

// FreeStakeOf returns the provider's active stake not reserved for any job.
func (m *Market) FreeStakeOf(ctx context.Context, provider gpumarket.Address) (*big.Int, error) {
	v, err := bind.Call(m.rc, callOpts(ctx), m.reg.PackFreeStakeOf(common.Address(provider)), m.reg.UnpackFreeStakeOf)
	if err != nil {
		return nil, callErr("freeStakeOf", err)
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

// StakingToken returns the registry's staking token.
func (m *Market) StakingToken(ctx context.Context) (gpumarket.Address, error) {
	v, err := bind.Call(m.rc, callOpts(ctx), m.reg.PackStakingToken(), m.reg.UnpackStakingToken)
	if err != nil {
		return gpumarket.Address{}, callErr("stakingToken", err)
	}
	return gpumarket.Address(v), nil
}

// MinStake returns the least active stake a provider needs to be assigned.
func (m *Market) MinStake(ctx context.Context) (*big.Int, error) {
	v, err := bind.Call(m.rc, callOpts(ctx), m.reg.PackMinStake(), m.reg.UnpackMinStake)
	if err != nil {
		return nil, callErr("minStake", err)
	}
	return v, nil
}

// Nonce returns account's pending transaction count (the next nonce).
func (m *Market) Nonce(ctx context.Context, account gpumarket.Address) (uint64, error) {
	n, err := m.backend.PendingNonceAt(ctx, common.Address(account))
	if err != nil {
		return 0, callErr("nonce", err)
	}
	return n, nil
}

// ChainTime returns the latest block's number and timestamp (unix seconds).
func (m *Market) ChainTime(ctx context.Context) (uint64, uint64, error) {
	h, err := m.backend.HeaderByNumber(ctx, nil)
	if err != nil {
		return 0, 0, callErr("latest header", err)
	}
	return h.Number.Uint64(), h.Time, nil
}
