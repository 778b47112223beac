package gpumarket

import "math/big"

// The contracts' events as domain values. Amounts are *big.Int; addresses and
// hashes are the domain's. Each job event names its job (JobEvent); each
// provider event its provider (ProviderEvent). Events of the same contract
// that change no state the indexer derives (roles, pause, fee changes) are
// MarketConfigEvent values.

// JobEvent is an event of one job.
type JobEvent interface {
	Event
	JobID() JobID
}

// ProviderEvent is an event of one provider (operator address).
type ProviderEvent interface {
	Event
	ProviderAddress() Address
}

// Payout is how a settled job's money was credited to pull balances.
type Payout struct {
	Treasury       Address
	ProtocolFee    *big.Int
	CreatorAmount  *big.Int
	ProviderAmount *big.Int
	ClientRefund   *big.Int
}

// JobCreated: a job was created and MaxPayment locked. OrderNonce is nil when
// the client sent the transaction itself.
type JobCreated struct {
	Job        Job // the whole struct after creation (State = Open)
	SpecURI    string
	OrderNonce *big.Int
}

// JobAccepted: the provider accepted through its signer. Matcher is zero for
// a direct acceptance by the preferred provider.
type JobAccepted struct {
	ID       JobID
	Client   Address
	Provider Address
	Price    *big.Int
	Signer   Address
	Matcher  Address
}

// JobCancelled: the client cancelled an unassigned job.
type JobCancelled struct {
	ID     JobID
	Client Address
	Token  Address
	Refund *big.Int
}

// ResultSubmitted: the provider committed a result and claims AmountDue.
type ResultSubmitted struct {
	ID           JobID
	Client       Address
	Provider     Address
	ResultHash   Hash
	ResultURI    string
	Usage        Usage
	AmountDue    *big.Int
	ChallengeEnd uint64
}

// JobSettled: the job was paid as submitted.
type JobSettled struct {
	ID        JobID
	Client    Address
	Provider  Address
	Token     Address
	Payout    Payout
	SettledBy Address
}

// JobDisputed: the client disputed within the challenge window.
type JobDisputed struct {
	ID         JobID
	Client     Address
	Provider   Address
	ReasonHash Hash
	DisputedAt uint64
}

// JobDisputeResolved: the arbiter (or, after the timeout, anyone) ended a dispute.
type JobDisputeResolved struct {
	ID             JobID
	Client         Address
	Provider       Address
	Token          Address
	Payout         Payout
	ProviderPaid   *big.Int
	SlashRequested *big.Int
	Slashed        *big.Int
	Arbiter        Address
	TimedOut       bool
}

// JobRefunded: after the deadline the job was refunded; Slashed is the
// provider's penalty when it had accepted and submitted nothing.
type JobRefunded struct {
	ID         JobID
	Client     Address
	Provider   Address
	Token      Address
	Refund     *big.Int
	Slashed    *big.Int
	RefundedBy Address
}

// Withdrawn: an account withdrew from its marketplace pull balance.
type Withdrawn struct {
	Account Address
	Token   Address
	Amount  *big.Int
}

// MarketConfigEvent is a marketplace event that changes configuration or
// roles, not jobs or balances (order nonce cancellations, allowlist, fees,
// treasury, pause, roles). Fields holds its decoded values as text.
type MarketConfigEvent struct {
	Name   string
	Fields map[string]string
}

// ProviderRegistered and ProviderUpdated carry the provider's signer and attestation commitment.
type ProviderRegistered struct {
	Provider          Address
	Signer            Address
	AttestationHash   Hash
	AttestationExpiry uint64
	MetadataURI       string
	Update            bool // true for ProviderUpdated
}

// ProviderActivation is ProviderActivated (Active) or ProviderDeactivated.
type ProviderActivation struct {
	Provider Address
	Active   bool
}

// StakeChanged is Staked, UnstakeRequested or StakeWithdrawn, with the
// values after the change where the event carries them.
type StakeChanged struct {
	Name      string // "Staked", "UnstakeRequested" or "StakeWithdrawn"
	Provider  Address
	Amount    *big.Int
	Stake     *big.Int // nil for StakeWithdrawn
	Unbonding *big.Int // UnstakeRequested only
	ReadyAt   uint64   // UnstakeRequested only
}

// ProviderSlashed: the marketplace slashed the provider for JobID.
type ProviderSlashed struct {
	Provider    Address
	Beneficiary Address
	Job         JobID
	Requested   *big.Int
	Slashed     *big.Int
	Stake       *big.Int
	Unbonding   *big.Int
}

// CompensationWithdrawn: an account withdrew slashing compensation from the registry.
type CompensationWithdrawn struct {
	Account Address
	Amount  *big.Int
}

func (e *JobCreated) EventName() string            { return "JobCreated" }
func (e *JobAccepted) EventName() string           { return "JobAccepted" }
func (e *JobCancelled) EventName() string          { return "JobCancelled" }
func (e *ResultSubmitted) EventName() string       { return "ResultSubmitted" }
func (e *JobSettled) EventName() string            { return "JobSettled" }
func (e *JobDisputed) EventName() string           { return "JobDisputed" }
func (e *JobDisputeResolved) EventName() string    { return "JobDisputeResolved" }
func (e *JobRefunded) EventName() string           { return "JobRefunded" }
func (e *Withdrawn) EventName() string             { return "Withdrawn" }
func (e *MarketConfigEvent) EventName() string     { return e.Name }
func (e *StakeChanged) EventName() string          { return e.Name }
func (e *ProviderSlashed) EventName() string       { return "ProviderSlashed" }
func (e *CompensationWithdrawn) EventName() string { return "CompensationWithdrawn" }

// EventName returns ProviderRegistered or ProviderUpdated.
func (e *ProviderRegistered) EventName() string {
	if e.Update {
		return "ProviderUpdated"
	}
	return "ProviderRegistered"
}

// EventName returns ProviderActivated or ProviderDeactivated.
func (e *ProviderActivation) EventName() string {
	if e.Active {
		return "ProviderActivated"
	}
	return "ProviderDeactivated"
}

func (e *JobCreated) JobID() JobID         { return e.Job.ID }
func (e *JobAccepted) JobID() JobID        { return e.ID }
func (e *JobCancelled) JobID() JobID       { return e.ID }
func (e *ResultSubmitted) JobID() JobID    { return e.ID }
func (e *JobSettled) JobID() JobID         { return e.ID }
func (e *JobDisputed) JobID() JobID        { return e.ID }
func (e *JobDisputeResolved) JobID() JobID { return e.ID }
func (e *JobRefunded) JobID() JobID        { return e.ID }

func (e *ProviderRegistered) ProviderAddress() Address { return e.Provider }
func (e *ProviderActivation) ProviderAddress() Address { return e.Provider }
func (e *StakeChanged) ProviderAddress() Address       { return e.Provider }
func (e *ProviderSlashed) ProviderAddress() Address    { return e.Provider }
