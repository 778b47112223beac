package gpumarket

import (
	"fmt"
	"math/big"
	"strconv"
)

// JobID identifies a job on one chain: the contract assigns it at creation.
type JobID uint64

// String returns the decimal id.
func (id JobID) String() string { return strconv.FormatUint(uint64(id), 10) }

// ParseJobID parses a decimal job id. It returns an EINVALID error for
// anything that is not a non-negative decimal integer that fits in 64 bits.
func ParseJobID(s string) (JobID, error) {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, Errorf(EINVALID, "job id %s is not a non-negative decimal integer", quoteInput(s))
	}
	return JobID(n), nil
}

// JobKind is the kind of GPU work a job asks for. The numeric values are the
// contract's enum values.
type JobKind uint8

// The job kinds, in the contract's enum order.
const (
	JobKindRender JobKind = iota
	JobKindTTS
	JobKindSTT
	JobKindLLM
)

var jobKindNames = [...]string{"render", "tts", "stt", "llm"}

// String returns the kind's lower-case name ("render", "tts", "stt", "llm").
func (k JobKind) String() string {
	if int(k) < len(jobKindNames) {
		return jobKindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Valid reports whether k is one of the defined kinds.
func (k JobKind) Valid() bool { return int(k) < len(jobKindNames) }

// ParseJobKind parses a kind name as printed by String. It returns an EINVALID
// error for an unknown name.
func ParseJobKind(s string) (JobKind, error) {
	for i, name := range jobKindNames {
		if name == s {
			return JobKind(i), nil
		}
	}
	return 0, Errorf(EINVALID, "unknown job kind %s (want render, tts, stt or llm)", quoteInput(s))
}

// JobState is where a job is in its lifecycle. The numeric values are the
// contract's enum values; JobStateNone is a job that does not exist.
type JobState uint8

// The job states, in the contract's enum order.
const (
	JobStateNone JobState = iota
	JobStateOpen
	JobStateAssigned
	JobStateSubmitted
	JobStateDisputed
	JobStateSettled
	JobStateRefunded
	JobStateCancelled
)

var jobStateNames = [...]string{"none", "open", "assigned", "submitted", "disputed", "settled", "refunded", "cancelled"}

// String returns the state's lower-case name.
func (s JobState) String() string {
	if int(s) < len(jobStateNames) {
		return jobStateNames[s]
	}
	return "state(" + strconv.Itoa(int(s)) + ")"
}

// ParseJobState parses a state name as printed by String. It returns an
// EINVALID error for an unknown name.
func ParseJobState(s string) (JobState, error) {
	for i, name := range jobStateNames {
		if name == s {
			return JobState(i), nil
		}
	}
	return 0, Errorf(EINVALID, "unknown job state %q", s)
}

// Terminal reports whether no transition leaves s.
func (s JobState) Terminal() bool {
	return s == JobStateSettled || s == JobStateRefunded || s == JobStateCancelled
}

// jobTransitions lists, for each state, the states a job may move to next.
var jobTransitions = map[JobState][]JobState{
	JobStateNone:      {JobStateOpen},
	JobStateOpen:      {JobStateAssigned, JobStateCancelled, JobStateRefunded},
	JobStateAssigned:  {JobStateSubmitted, JobStateRefunded},
	JobStateSubmitted: {JobStateSettled, JobStateDisputed},
	JobStateDisputed:  {JobStateSettled},
}

// CanMoveTo reports whether a job in state s may move to next.
func (s JobState) CanMoveTo(next JobState) bool {
	for _, allowed := range jobTransitions[s] {
		if allowed == next {
			return true
		}
	}
	return false
}

// Transition returns next if a job in state s may move there, and an
// EINVALID error naming both states otherwise.
func (s JobState) Transition(next JobState) (JobState, error) {
	if !s.CanMoveTo(next) {
		return s, Errorf(EINVALID, "job cannot move from %s to %s", s, next)
	}
	return next, nil
}

// Usage is the work a provider reports for a job, in the units of its kind:
//   - render: Units1 = frames, Units2 = GPU-seconds
//   - tts: Units1 = characters
//   - stt: Units1 = audio seconds
//   - llm: Units1 = input tokens, Units2 = output tokens
type Usage struct {
	Units1 uint64 `json:"units"`
	Units2 uint64 `json:"extraUnits"`
}

// Job is a job exactly as the JobMarketplace contract's Job struct holds it
// (contracts/src/types/JobTypes.sol), field for field, plus its chain and id.
// The contract stores only keccak256(abi.encode(job)); callers pass this
// struct back with every call, so the indexer keeps it exact: JobCreated
// carries the whole struct and every later event states what changed.
type Job struct {
	ChainID uint64 `json:"chainId"`
	ID      JobID  `json:"jobId"`

	Client            Address  `json:"client"`
	Token             Address  `json:"token"`
	MaxPayment        *big.Int `json:"maxPayment"` // uint128: the amount locked at creation
	Kind              JobKind  `json:"kind"`
	State             JobState `json:"state"`
	Deadline          uint64   `json:"deadline"` // uint40 unix seconds: the result is due before it
	FeeBps            uint16   `json:"feeBps"`   // protocol fee, snapshotted at creation
	CreatorShareBps   uint16   `json:"creatorShareBps"`
	PreferredProvider Address  `json:"preferredProvider"` // zero: the matcher assigns
	Creator           Address  `json:"creator"`           // model creator, zero when none
	Treasury          Address  `json:"treasury"`          // credited with the protocol fee, snapshotted at creation
	SpecHash          Hash     `json:"specHash"`
	Provider          Address  `json:"provider"`     // zero until accepted
	Price             *big.Int `json:"price"`        // uint128, zero until accepted
	AmountDue         *big.Int `json:"amountDue"`    // uint128, zero until a result is submitted
	ChallengeEnd      uint64   `json:"challengeEnd"` // uint40, end (exclusive) of the dispute window
	DisputedAt        uint64   `json:"disputedAt"`   // uint40, zero unless disputed
	DisputeBond       *big.Int `json:"disputeBond"`  // uint128, the bond the client posted with its dispute, zero otherwise
}

// Key returns "chainID/jobID", the job's identity across chains.
func (j *Job) Key() string { return fmt.Sprintf("%d/%d", j.ChainID, j.ID) }

// MarshalText encodes the kind by name, so JSON carries "render", not 0.
func (k JobKind) MarshalText() ([]byte, error) {
	if !k.Valid() {
		return nil, Errorf(EINVALID, "%v is not a job kind", k)
	}
	return []byte(k.String()), nil
}

// UnmarshalText parses a kind name; unknown names are EINVALID errors.
func (k *JobKind) UnmarshalText(b []byte) error {
	v, err := ParseJobKind(string(b))
	if err != nil {
		return err
	}
	*k = v
	return nil
}
