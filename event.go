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
	Treasury       Address  `json:"treasury"`
	ProtocolFee    *big.Int `json:"protocolFee"`
	CreatorAmount  *big.Int `json:"creatorAmount"`
	ProviderAmount *big.Int `json:"providerAmount"`
	ClientRefund   *big.Int `json:"clientRefund"`
}

// JobCreated: a job was created and MaxPayment locked. OrderNonce is nil when
// the client sent the transaction itself.
type JobCreated struct {
	Job        Job         `json:"job"` // the whole struct after creation (State = Open)
	SpecURI    ChainString `json:"specURI"`
	OrderNonce *big.Int    `json:"orderNonce"`
}

// JobAccepted: the provider accepted through its signer. Matcher is zero for
// a direct acceptance by the preferred provider.
type JobAccepted struct {
	ID            JobID    `json:"jobId"`
	Client        Address  `json:"client"`
	Provider      Address  `json:"provider"`
	Price         *big.Int `json:"price"`
	ReservedStake *big.Int `json:"reservedStake"` // of the provider's free stake, reserved for this job until it ends
	Signer        Address  `json:"signer"`
	Matcher       Address  `json:"matcher"`
}

// JobCancelled: the client cancelled an unassigned job.
type JobCancelled struct {
	ID     JobID    `json:"jobId"`
	Client Address  `json:"client"`
	Token  Address  `json:"token"`
	Refund *big.Int `json:"refund"`
}

// ResultSubmitted: the provider committed a result and claims AmountDue.
type ResultSubmitted struct {
	ID           JobID       `json:"jobId"`
	Client       Address     `json:"client"`
	Provider     Address     `json:"provider"`
	ResultHash   Hash        `json:"resultHash"`
	ResultURI    ChainString `json:"resultURI"`
	Usage        Usage       `json:"usage"`
	AmountDue    *big.Int    `json:"amountDue"`
	ChallengeEnd uint64      `json:"challengeEnd"`
}

// JobSettled: the job was paid as submitted.
type JobSettled struct {
	ID        JobID   `json:"jobId"`
	Client    Address `json:"client"`
	Provider  Address `json:"provider"`
	Token     Address `json:"token"`
	Payout    Payout  `json:"payout"`
	SettledBy Address `json:"settledBy"`
}

// JobDisputed: the client disputed within the challenge window.
type JobDisputed struct {
	ID          JobID    `json:"jobId"`
	Client      Address  `json:"client"`
	Provider    Address  `json:"provider"`
	ReasonHash  Hash     `json:"reasonHash"`
	DisputedAt  uint64   `json:"disputedAt"`
	DisputeBond *big.Int `json:"disputeBond"` // posted by the client in the job's token
}

// JobDisputeResolved: the arbiter (or, after the timeout, anyone) ended a dispute.
type JobDisputeResolved struct {
	ID             JobID    `json:"jobId"`
	Client         Address  `json:"client"`
	Provider       Address  `json:"provider"`
	Token          Address  `json:"token"`
	Payout         Payout   `json:"payout"`
	ProviderPaid   *big.Int `json:"providerPaid"`
	SlashRequested *big.Int `json:"slashRequested"`
	Slashed        *big.Int `json:"slashed"`
	BondToProvider *big.Int `json:"bondToProvider"` // of the dispute bond; the rest (JobRecord.BondToClient) went back to the client
	Arbiter        Address  `json:"arbiter"`
	TimedOut       bool     `json:"timedOut"`
}

// JobRefunded: after the deadline the job was refunded; Slashed is the
// provider's penalty when it had accepted and submitted nothing: the job's
// whole stake reservation.
type JobRefunded struct {
	ID         JobID    `json:"jobId"`
	Client     Address  `json:"client"`
	Provider   Address  `json:"provider"`
	Token      Address  `json:"token"`
	Refund     *big.Int `json:"refund"`
	Slashed    *big.Int `json:"slashed"`
	RefundedBy Address  `json:"refundedBy"`
}

// Withdrawn: an account withdrew from its marketplace pull balance.
type Withdrawn struct {
	Account Address  `json:"account"`
	Token   Address  `json:"token"`
	Amount  *big.Int `json:"amount"`
}

// MarketConfigEvent is a marketplace event that changes configuration or
// roles, not jobs or balances (order nonce cancellations, allowlist, fees,
// treasury, pause, roles). Fields holds its decoded values as text.
type MarketConfigEvent struct {
	Name   string            `json:"name"`
	Fields map[string]string `json:"fields"`
}

// ProviderRegistered and ProviderUpdated carry the provider's signer and attestation commitment.
type ProviderRegistered struct {
	Provider          Address     `json:"provider"`
	Signer            Address     `json:"signer"`
	AttestationHash   Hash        `json:"attestationHash"`
	AttestationExpiry uint64      `json:"attestationExpiry"`
	MetadataURI       ChainString `json:"metadataURI"`
	Update            bool        `json:"update"` // true for ProviderUpdated
}

// ProviderActivation is ProviderActivated (Active) or ProviderDeactivated.
type ProviderActivation struct {
	Provider Address `json:"provider"`
	Active   bool    `json:"active"`
}

// StakeChanged is Staked, UnstakeRequested or StakeWithdrawn, with the
// values after the change where the event carries them.
type StakeChanged struct {
	Name      string   `json:"name"` // "Staked", "UnstakeRequested" or "StakeWithdrawn"
	Provider  Address  `json:"provider"`
	Amount    *big.Int `json:"amount"`
	Stake     *big.Int `json:"stake"`     // nil for StakeWithdrawn
	Unbonding *big.Int `json:"unbonding"` // UnstakeRequested only
	ReadyAt   uint64   `json:"readyAt"`   // UnstakeRequested only
}

// ProviderSlashed: the marketplace ended JobID's stake reservation
// (Released) and slashed the provider for it (Slashed <= Released).
type ProviderSlashed struct {
	Provider    Address  `json:"provider"`
	Beneficiary Address  `json:"beneficiary"`
	Job         JobID    `json:"jobId"`
	Requested   *big.Int `json:"requested"`
	Slashed     *big.Int `json:"slashed"`
	Released    *big.Int `json:"released"` // the job's reservation, ended by this slash
	Stake       *big.Int `json:"stake"`
	Reserved    *big.Int `json:"reserved"` // after the slash
	Unbonding   *big.Int `json:"unbonding"`
}

// CompensationWithdrawn: an account withdrew slashing compensation from the registry.
type CompensationWithdrawn struct {
	Account Address  `json:"account"`
	Amount  *big.Int `json:"amount"`
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
