package gpumarket

import (
	"fmt"
	"math/big"
)

// JobRecord is a job's current state as derived from its events alone: the
// contract's Job struct plus what the events add (spec URI, result, payout,
// when each transition happened).
type JobRecord struct {
	Job
	SpecURI       ChainString
	OrderNonce    *big.Int // nil when created from the client's wallet
	Signer        Address
	Matcher       Address
	ResultHash    Hash
	ResultURI     ChainString
	Usage         Usage
	DisputeReason Hash
	Payout        *Payout // set when settled (also after a dispute)
	// ReservedStake is the provider's stake reserved for the job at
	// acceptance (staking-token units; JobAccepted). It backs the job while it
	// is Assigned, Submitted or Disputed, and is released or slashed when the
	// job ends; it is not part of the contract's struct (the contract derives
	// it from the job's token and price).
	ReservedStake  *big.Int
	BondToProvider *big.Int // of the dispute bond, when a dispute ended
	BondToClient   *big.Int
	ProviderPaid   *big.Int
	Refund         *big.Int
	Slashed        *big.Int
	Arbiter        Address
	TimedOut       bool
	ClosedBy       Address // who settled or refunded

	// Block timestamps (unix seconds) of each transition; 0 until it happens.
	CreatedAt, AssignedAt, SubmittedAt, DisputedTime uint64
	SettledAt, RefundedAt, CancelledAt               uint64

	LastBlock uint64 // block of the latest event
}

// Apply folds one event of this job, seen in a block with the given number
// and timestamp, into r. It returns an EINVALID error when the event does not
// fit the job's state (a transition the contract would never make), so a
// corrupted history is loud.
func (r *JobRecord) Apply(ev JobEvent, block, at uint64) error {
	if c, ok := ev.(*JobCreated); ok {
		if r.State != JobStateNone {
			return Errorf(EINVALID, "job %d created twice", c.Job.ID)
		}
		r.Job = c.Job
		r.SpecURI, r.OrderNonce, r.CreatedAt, r.LastBlock = c.SpecURI, c.OrderNonce, at, block
		return nil
	}
	if r.State == JobStateNone {
		return Errorf(EINVALID, "job %d: %s before JobCreated", ev.JobID(), ev.EventName())
	}
	var next JobState
	switch e := ev.(type) {
	case *JobAccepted:
		next = JobStateAssigned
		r.Provider, r.Price, r.Signer, r.Matcher, r.AssignedAt = e.Provider, e.Price, e.Signer, e.Matcher, at
		r.ReservedStake = e.ReservedStake
	case *JobCancelled:
		next = JobStateCancelled
		r.Refund, r.CancelledAt, r.ClosedBy = e.Refund, at, e.Client
	case *ResultSubmitted:
		next = JobStateSubmitted
		r.ResultHash, r.ResultURI, r.Usage, r.AmountDue, r.ChallengeEnd, r.SubmittedAt = e.ResultHash, e.ResultURI, e.Usage, e.AmountDue, e.ChallengeEnd, at
	case *JobSettled:
		next = JobStateSettled
		p := e.Payout
		r.Payout, r.ProviderPaid, r.ClosedBy, r.SettledAt = &p, e.Payout.ProviderAmount, e.SettledBy, at
	case *JobDisputed:
		next = JobStateDisputed
		r.DisputeReason, r.DisputedAt, r.DisputedTime, r.DisputeBond = e.ReasonHash, e.DisputedAt, at, e.DisputeBond
	case *JobDisputeResolved:
		next = JobStateSettled
		p := e.Payout
		r.Payout, r.ProviderPaid, r.Slashed, r.Arbiter, r.TimedOut, r.SettledAt = &p, e.ProviderPaid, e.Slashed, e.Arbiter, e.TimedOut, at
		r.BondToProvider = e.BondToProvider
		r.BondToClient = new(big.Int).Sub(orZeroInt(r.DisputeBond), orZeroInt(e.BondToProvider))
		if r.BondToClient.Sign() < 0 {
			return Errorf(EINVALID, "job %d: %s pays the provider %s of a %s bond", ev.JobID(), ev.EventName(), e.BondToProvider, r.DisputeBond)
		}
	case *JobRefunded:
		next = JobStateRefunded
		r.Refund, r.Slashed, r.ClosedBy, r.RefundedAt = e.Refund, e.Slashed, e.RefundedBy, at
	default:
		return Errorf(EINVALID, "job %d: unknown event %s", ev.JobID(), ev.EventName())
	}
	if !r.State.CanMoveTo(next) {
		return Errorf(EINVALID, "job %d: %s moves %s to %s", ev.JobID(), ev.EventName(), r.State, next)
	}
	r.State, r.LastBlock = next, block
	return nil
}

// ProviderRecord is a provider's current registry state derived from its events.
type ProviderRecord struct {
	ChainID           uint64
	Provider          Address
	Signer            Address
	AttestationHash   Hash
	AttestationExpiry uint64
	MetadataURI       ChainString
	Registered        bool
	Active            bool
	Stake             *big.Int
	// Reserved is the part of Stake reserved for the provider's accepted,
	// unfinished jobs. The registry emits no event when it changes (the
	// marketplace's job events carry each job's reservation), so Apply leaves
	// it: the mirror sums JobRecord.ReservedStake over the provider's
	// Assigned, Submitted and Disputed jobs, and a chain read fills it from
	// getProvider.
	Reserved         *big.Int
	Unbonding        *big.Int
	UnbondingReadyAt uint64
	SlashedTotal     *big.Int
	RegisteredAt     uint64
	LastBlock        uint64
}

// Apply folds one event of this provider into r. It returns an EINVALID error
// for an event before registration or one whose amounts do not add up.
func (r *ProviderRecord) Apply(ev ProviderEvent, block, at uint64) error {
	if r.Stake == nil {
		r.Stake, r.Unbonding, r.SlashedTotal = new(big.Int), new(big.Int), new(big.Int)
	}
	switch e := ev.(type) {
	case *ProviderRegistered:
		if !e.Update {
			if r.Registered {
				return Errorf(EINVALID, "provider %s registered twice", e.Provider)
			}
			r.Registered, r.Active, r.RegisteredAt = true, true, at
		}
		r.Signer, r.AttestationHash, r.AttestationExpiry, r.MetadataURI = e.Signer, e.AttestationHash, e.AttestationExpiry, e.MetadataURI
	case *ProviderActivation:
		r.Active = e.Active
	case *StakeChanged:
		switch e.Name {
		case "Staked":
			r.Stake = new(big.Int).Set(e.Stake)
		case "UnstakeRequested":
			r.Stake, r.Unbonding, r.UnbondingReadyAt = new(big.Int).Set(e.Stake), new(big.Int).Set(e.Unbonding), e.ReadyAt
		case "StakeWithdrawn":
			if r.Unbonding.Cmp(e.Amount) < 0 {
				return Errorf(EINVALID, "provider %s withdrew %s with %s unbonding", e.Provider, e.Amount, r.Unbonding)
			}
			// withdrawStake pays out all unbonding stake and clears its ready time.
			r.Unbonding, r.UnbondingReadyAt = new(big.Int).Sub(r.Unbonding, e.Amount), 0
		default:
			return Errorf(EINVALID, "unknown stake event %s", e.Name)
		}
	case *ProviderSlashed:
		r.Stake, r.Unbonding = new(big.Int).Set(e.Stake), new(big.Int).Set(e.Unbonding)
		r.SlashedTotal = new(big.Int).Add(r.SlashedTotal, e.Slashed)
	default:
		return Errorf(EINVALID, "provider: unknown event %s", ev.EventName())
	}
	if !r.Registered {
		if _, ok := ev.(*ProviderSlashed); !ok {
			if _, ok := ev.(*StakeChanged); !ok {
				return Errorf(EINVALID, "provider %s: %s before registration", ev.ProviderAddress(), ev.EventName())
			}
		}
	}
	r.LastBlock = block
	return nil
}

// String names the record for errors.
func (r *JobRecord) String() string { return fmt.Sprintf("job %d/%d (%s)", r.ChainID, r.ID, r.State) }

func orZeroInt(v *big.Int) *big.Int {
	if v == nil {
		return new(big.Int)
	}
	return v
}
