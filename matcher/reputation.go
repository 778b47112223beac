package matcher

import (
	"math/bits"
	"slices"
	"time"

	"github.com/gpumarket/gpumarket"
)

// OutcomeKind is how one piece of a provider's history ended.
type OutcomeKind uint8

// The outcomes the reputation counts.
const (
	// OutcomeCompleted: the job settled and the provider did not lose a
	// dispute over it, or a rail job (prepaid on Solana) was delivered.
	OutcomeCompleted OutcomeKind = iota
	// OutcomeMissedDeadline: accepted, no result by the deadline (refunded,
	// provider slashed), or a rail job the provider's relayer claimed
	// failed.
	OutcomeMissedDeadline
	// OutcomeDisputeLost: the provider's result was disputed and it lost.
	OutcomeDisputeLost
	// OutcomeOfferMissed: the matcher's offer expired unaccepted (Book).
	OutcomeOfferMissed
)

// Outcome is one event of a provider's history.
type Outcome struct {
	Kind OutcomeKind
	At   time.Time
	// TimeToResult is accept-to-result time, for OutcomeCompleted.
	TimeToResult time.Duration
}

// ReputationParams configure Reputation.
type ReputationParams struct {
	// HalfLife is the age at which an outcome counts half.
	HalfLife time.Duration
	// Prior is the weight, in outcomes, of the neutral prior (completion
	// rate 0.5, no misses or disputes) mixed into every rate, so that a new
	// provider starts at a middling reputation and one good job is not a
	// perfect record.
	Prior uint64
	// RefTimeToResult is the median time to result that earns half the
	// speed component.
	RefTimeToResult time.Duration
}

// DefaultReputationParams: half-life 14 days, prior 3 outcomes, reference
// time to result 60 s.
func DefaultReputationParams() ReputationParams {
	return ReputationParams{HalfLife: 14 * 24 * time.Hour, Prior: 3, RefTimeToResult: time.Minute}
}

// ReputationScore is a reputation with its parts, each in [0, Scale].
type ReputationScore struct {
	Score      uint32 `json:"score"`
	Completion uint32 `json:"completion"`      // C
	Missed     uint32 `json:"missed_deadline"` // M
	Disputes   uint32 `json:"disputes_lost"`   // D
	Speed      uint32 `json:"speed"`           // S
	// Weight is the decayed number of outcomes counted, in Scale units.
	Weight uint64 `json:"weight"`
}

// Decay returns the weight, in [0, Scale], of an outcome of the given age:
// Scale · 2^(−age/halfLife), computed exactly in integers by halving once per
// whole half-life and interpolating linearly inside the current one:
//
//	n = age / H, r = age mod H:  Decay = (Scale >> n) · (2H − r) / 2H
//
// It is continuous, decreasing, equal to the exponential at every whole
// half-life and within 6.2% of it in between (the worst case, 6.14%, is at 0.557 of a half-life), and 0 from 20 half-lives on.
// Ages below zero (clock skew) count as zero.
func Decay(age, halfLife time.Duration) uint64 {
	if age <= 0 {
		return Scale
	}
	if halfLife <= 0 {
		return 0
	}
	n := age / halfLife
	if n >= 20 {
		return 0
	}
	r := uint64(age % halfLife)
	h := uint64(halfLife)
	base := uint64(Scale) >> uint(n)
	// base·(2h−r) needs 128 bits for long half-lives; the quotient is at
	// most base, so it fits.
	hi, lo := bits.Mul64(base, 2*h-r)
	q, _ := bits.Div64(hi, lo, 2*h)
	return q
}

// Reputation computes a provider's reputation from its history as of now:
//
//	w_i  = Decay(now − At_i)        (offer misses count w_i / 4)
//	W    = Σ w_i + Prior·Scale
//	C    = (Σ w_completed + Prior·Scale/2) · Scale / W
//	M    = Σ w_missed_deadline · Scale / W
//	D    = Σ w_dispute_lost · Scale / W
//	S    = Scale · T0 / (T0 + median time to result)    (0.5 with no completions)
//	Score = (600,000·C + 150,000·(Scale−M) + 150,000·(Scale−D) + 100,000·S) / Scale
//
// Missed deadlines and lost disputes lower C (they are not completions) and
// are penalised again through M and D. The median is over completions with
// non-zero weight (age below 20 half-lives), the lower middle value for an
// even count, i.e. percentile_disc(0.5) in SQL; the SQL version of this
// function must compute the same numbers. The result depends only on the
// multiset of outcomes, not their order.
func Reputation(history []Outcome, now time.Time, p ReputationParams) ReputationScore {
	var wAll, wDone, wMissed, wLost uint64
	var ttr []time.Duration
	for _, o := range history {
		w := Decay(now.Sub(o.At), p.HalfLife)
		if w == 0 {
			continue
		}
		switch o.Kind {
		case OutcomeCompleted:
			wDone += w
			ttr = append(ttr, max(o.TimeToResult, 0))
		case OutcomeMissedDeadline:
			wMissed += w
		case OutcomeDisputeLost:
			wLost += w
		case OutcomeOfferMissed:
			w /= 4
		}
		wAll += w
	}
	prior := p.Prior * Scale
	total := wAll + prior
	r := ReputationScore{Weight: wAll, Speed: Scale / 2}
	if total == 0 { // no history and no prior: neutral
		r.Completion = Scale / 2
	} else {
		r.Completion = uint32((wDone + prior/2) * Scale / total)
		r.Missed = uint32(wMissed * Scale / total)
		r.Disputes = uint32(wLost * Scale / total)
	}
	if len(ttr) > 0 && p.RefTimeToResult > 0 {
		slices.Sort(ttr)
		med := ttr[(len(ttr)-1)/2]
		t0 := uint64(p.RefTimeToResult / time.Millisecond)
		r.Speed = uint32(t0 * Scale / (t0 + uint64(med/time.Millisecond)))
	}
	r.Score = uint32((600_000*uint64(r.Completion) + 150_000*uint64(Scale-r.Missed) +
		150_000*uint64(Scale-r.Disputes) + 100_000*uint64(r.Speed)) / Scale)
	return r
}

// ValidateReputationParams returns an EINVALID error naming the field when
// p is unusable.
func ValidateReputationParams(p ReputationParams) error {
	switch {
	case p.HalfLife < time.Second:
		return gpumarket.Errorf(gpumarket.EINVALID, "half_life: %v is below 1s", p.HalfLife)
	case p.RefTimeToResult < time.Millisecond:
		return gpumarket.Errorf(gpumarket.EINVALID, "ref_time_to_result: %v is below 1ms", p.RefTimeToResult)
	case p.Prior > 1_000_000:
		return gpumarket.Errorf(gpumarket.EINVALID, "prior: %d is absurd", p.Prior)
	}
	return nil
}
