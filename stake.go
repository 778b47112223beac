package gpumarket

import "math/big"

// ReservationRule is the marketplace's rule for the stake an accepted job
// reserves from its provider's free stake (JobMarketplace.reservationFor):
// for a job paid in the registry's staking token, Bps basis points of the
// price, at least Floor and at most Cap (rounded down); for a job paid in any
// other token, Floor (its price cannot be valued in staking-token units
// without an oracle). The reservation is also the missed-deadline penalty and
// the most an arbiter can slash for the job. The values are immutable
// constructor settings of the marketplace.
type ReservationRule struct {
	StakingToken Address  `json:"stakingToken"`
	Bps          uint16   `json:"bps"`
	Floor        *big.Int `json:"floor"`
	Cap          *big.Int `json:"cap"`
}

// For returns the stake a job paid in token at price reserves. A nil price
// counts as zero.
func (r ReservationRule) For(token Address, price *big.Int) *big.Int {
	out := new(big.Int)
	if r.Floor != nil {
		out.Set(r.Floor)
	}
	if token != r.StakingToken || price == nil {
		return out
	}
	share := new(big.Int).Mul(price, big.NewInt(int64(r.Bps)))
	share.Quo(share, big.NewInt(10_000))
	if share.Cmp(out) > 0 {
		out = share
	}
	if r.Cap != nil && out.Cmp(r.Cap) > 0 {
		out.Set(r.Cap)
	}
	return out
}

// FreeStake is stake minus reserved, never below zero: the stake that can
// back one more job or be unstaked.
func FreeStake(stake, reserved *big.Int) *big.Int {
	free := new(big.Int)
	if stake != nil {
		free.Set(stake)
	}
	if reserved != nil {
		free.Sub(free, reserved)
	}
	if free.Sign() < 0 {
		free.SetInt64(0)
	}
	return free
}

// HoldsReservation reports whether a job in state s has stake reserved from
// its provider: from acceptance until it ends (Assigned, Submitted,
// Disputed).
func (s JobState) HoldsReservation() bool {
	return s == JobStateAssigned || s == JobStateSubmitted || s == JobStateDisputed
}
