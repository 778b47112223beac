package market

import (
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/bindings"
)

// JobToBinding converts a domain job into the contract's Job struct, the
// value callers pass back with every marketplace call.
func JobToBinding(j *gpumarket.Job) bindings.Job {
	return bindings.Job{
		Client:            common.Address(j.Client),
		Token:             common.Address(j.Token),
		MaxPayment:        orZero(j.MaxPayment),
		Kind:              uint8(j.Kind),
		State:             uint8(j.State),
		Deadline:          new(big.Int).SetUint64(j.Deadline),
		FeeBps:            j.FeeBps,
		CreatorShareBps:   j.CreatorShareBps,
		PreferredProvider: common.Address(j.PreferredProvider),
		Creator:           common.Address(j.Creator),
		SpecHash:          j.SpecHash,
		Provider:          common.Address(j.Provider),
		Price:             orZero(j.Price),
		AmountDue:         orZero(j.AmountDue),
		ChallengeEnd:      new(big.Int).SetUint64(j.ChallengeEnd),
		DisputedAt:        new(big.Int).SetUint64(j.DisputedAt),
	}
}

// JobFromBinding converts the contract's Job struct into the domain's. It
// returns an EINVALID error for values the contract can never hold (an
// unknown kind or state, a timestamp beyond uint40, an amount beyond uint128).
func JobFromBinding(chainID uint64, id gpumarket.JobID, b *bindings.Job) (gpumarket.Job, error) {
	j := gpumarket.Job{
		ChainID:           chainID,
		ID:                id,
		Client:            gpumarket.Address(b.Client),
		Token:             gpumarket.Address(b.Token),
		MaxPayment:        orZero(b.MaxPayment),
		Kind:              gpumarket.JobKind(b.Kind),
		State:             gpumarket.JobState(b.State),
		FeeBps:            b.FeeBps,
		CreatorShareBps:   b.CreatorShareBps,
		PreferredProvider: gpumarket.Address(b.PreferredProvider),
		Creator:           gpumarket.Address(b.Creator),
		SpecHash:          b.SpecHash,
		Provider:          gpumarket.Address(b.Provider),
		Price:             orZero(b.Price),
		AmountDue:         orZero(b.AmountDue),
	}
	if !j.Kind.Valid() || j.State > gpumarket.JobStateCancelled {
		return j, gpumarket.Errorf(gpumarket.EINVALID, "job %d: kind %d / state %d out of range", id, b.Kind, b.State)
	}
	for _, a := range []*big.Int{j.MaxPayment, j.Price, j.AmountDue} {
		if a.Sign() < 0 || a.BitLen() > 128 {
			return j, gpumarket.Errorf(gpumarket.EINVALID, "job %d: amount %s out of uint128 range", id, a)
		}
	}
	var err error
	if j.Deadline, err = uint40(b.Deadline); err == nil {
		if j.ChallengeEnd, err = uint40(b.ChallengeEnd); err == nil {
			j.DisputedAt, err = uint40(b.DisputedAt)
		}
	}
	if err != nil {
		return j, gpumarket.Errorf(gpumarket.EINVALID, "job %d: %v", id, err)
	}
	return j, nil
}

func uint40(v *big.Int) (uint64, error) {
	if v == nil {
		return 0, nil
	}
	if v.Sign() < 0 || v.BitLen() > 40 {
		return 0, gpumarket.Errorf(gpumarket.EINVALID, "timestamp %s out of uint40 range", v)
	}
	return v.Uint64(), nil
}

func orZero(v *big.Int) *big.Int {
	if v == nil {
		return new(big.Int)
	}
	return new(big.Int).Set(v)
}
