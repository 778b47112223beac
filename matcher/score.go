package matcher

import (
	"math/big"
	"math/bits"

	"github.com/gpumarket/gpumarket"
)

// Weights weigh the score components; each is in [0, Scale] and they sum to
// Scale.
type Weights struct {
	Price      uint32 `json:"price"`
	Reputation uint32 `json:"reputation"`
	Latency    uint32 `json:"latency"`
	Load       uint32 `json:"load"`
	Stake      uint32 `json:"stake"`
	// Throughput weighs the measured speed for the job (see
	// throughputComponent); when no eligible candidate of a decision has a
	// benchmark for the job's kind and model it is added to Price instead,
	// so that such decisions are what they were before benchmarks.
	Throughput uint32 `json:"throughput"`
}

// MaxStakeWeight caps Weights.Stake at 0.2: together with the stake cap this
// is what keeps stake from buying the market.
const MaxStakeWeight = Scale / 5

// Params configure the hard filters and the score.
type Params struct {
	// MinStake is the minimum active stake (hard filter).
	MinStake *big.Int
	// StakeCap is the stake at which the stake component saturates at Scale;
	// stake beyond it earns nothing more.
	StakeCap *big.Int
	// Weights of the score components.
	Weights Weights
	// LatencyRefMs is the latency that earns half the latency component.
	LatencyRefMs uint32
	// TopK is how many ranked candidates a decision keeps: the choice and
	// its runners-up, which are offered the job in turn if it expires.
	TopK int
}

// DefaultParams returns the defaults: minimum stake 1e18 base units, stake
// saturating at 10e18, weights price 0.35, reputation 0.25, latency 0.15,
// load 0.10, stake 0.15, latency reference 2 s, top 5 kept. Of the price
// weight, 0.10 goes to the measured throughput in decisions where some
// candidate has a benchmark for the job (price 0.25, throughput 0.10).
func DefaultParams() Params {
	return Params{
		MinStake:     tokens(1),
		StakeCap:     tokens(10),
		Weights:      Weights{Price: 250_000, Reputation: 250_000, Latency: 150_000, Load: 100_000, Stake: 150_000, Throughput: 100_000},
		LatencyRefMs: 2000,
		TopK:         5,
	}
}

// tokens is n whole tokens of 18 decimals: n·10^18 base units.
func tokens(n int64) *big.Int {
	return new(big.Int).Mul(big.NewInt(n), new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil))
}

// Validate returns an EINVALID error naming the field when the parameters
// are unusable: weights not summing to Scale, stake weight above
// MaxStakeWeight, a non-positive stake cap, a negative minimum stake, a zero
// latency reference or TopK outside [1, 100].
func (p *Params) Validate() error {
	w := p.Weights
	sum := uint64(w.Price) + uint64(w.Reputation) + uint64(w.Latency) + uint64(w.Load) + uint64(w.Stake) + uint64(w.Throughput)
	switch {
	case sum != Scale:
		return gpumarket.Errorf(gpumarket.EINVALID, "weights: sum to %d, want %d", sum, Scale)
	case w.Stake > MaxStakeWeight:
		return gpumarket.Errorf(gpumarket.EINVALID, "weights.stake: %d exceeds %d", w.Stake, MaxStakeWeight)
	case p.StakeCap == nil || p.StakeCap.Sign() <= 0:
		return gpumarket.Errorf(gpumarket.EINVALID, "stake_cap: must be positive")
	case p.MinStake == nil || p.MinStake.Sign() < 0:
		return gpumarket.Errorf(gpumarket.EINVALID, "min_stake: must be non-negative")
	case p.LatencyRefMs == 0:
		return gpumarket.Errorf(gpumarket.EINVALID, "latency_ref_ms: must be positive")
	case p.TopK < 1 || p.TopK > 100:
		return gpumarket.Errorf(gpumarket.EINVALID, "top_k: %d is not in [1, 100]", p.TopK)
	}
	return nil
}

// Score is a candidate's score, every component in [0, Scale]:
//
//	Price      = Scale × minCost / cost   (1.0 for the cheapest eligible candidate;
//	                                       a candidate twice as expensive gets 0.5)
//	Reputation = the candidate's reputation (see Reputation), clamped to Scale
//	Latency    = Scale × ref / (ref + latencyMs); unknown latency counts as ref (0.5)
//	Load       = Scale × (10000 − loadBps) / 10000
//	Stake      = Scale × min(stake, StakeCap) / StakeCap
//	Throughput = Scale × fastestMs / estMs   (estMs: EstimatedRunMs from the attested benchmark;
//	                                          1.0 for the fastest measured eligible candidate;
//	                                          NeutralThroughput, 0.5, without a benchmark)
//	Total      = Σ weight_i × component_i / Scale   (integer division, floor)
//
// Total is in [0, Scale] because the weights sum to Scale. In a decision
// where no eligible candidate has a benchmark for the job, the Throughput
// weight is added to the Price weight (every Throughput component would be
// the same NeutralThroughput), so that it ranks exactly as before
// benchmarks existed.
type Score struct {
	Price      uint32 `json:"price"`
	Reputation uint32 `json:"reputation"`
	Latency    uint32 `json:"latency"`
	Load       uint32 `json:"load"`
	Stake      uint32 `json:"stake"`
	Throughput uint32 `json:"throughput"`
	Total      uint32 `json:"total"`
}

// ScoreOf scores candidate c whose cost for the job is cost, when the
// cheapest eligible candidate costs minCost (minCost ≤ cost), in a
// decision where no candidate has a benchmark for the job (Throughput is
// NeutralThroughput and its weight goes to Price).
func ScoreOf(c *Candidate, cost, minCost *big.Int, p *Params) Score {
	var sc scorer
	return sc.score(c, toAmount(cost), toAmount(minCost), p)
}

func toAmount(x *big.Int) amount {
	if x.IsUint64() {
		return amount{u: x.Uint64()}
	}
	return amount{b: x}
}

// scorer scores with reusable scratch space, so that scoring thousands of
// candidates does not allocate.
type scorer struct{ tmp big.Int }

func (sc *scorer) score(c *Candidate, cost, minCost amount, p *Params) Score {
	s := sc.static(c, p)
	s.Price = priceComponent(cost, minCost)
	s.Throughput = NeutralThroughput
	w := p.Weights
	w.Price, w.Throughput = w.Price+w.Throughput, 0
	s.Total = s.weighted(w)
	return s
}

// static returns the components that do not depend on the job (Price and
// Total zero).
func (sc *scorer) static(c *Candidate, p *Params) Score {
	return Score{
		Reputation: min(c.Reputation, Scale),
		Latency:    latencyComponent(c.LatencyMs, p.LatencyRefMs),
		Load:       uint32(Scale - uint64(min(c.LoadBps, gpumarket.MaxLoadBps))*Scale/gpumarket.MaxLoadBps),
		Stake:      sc.stakeComponent(c.Stake, p.StakeCap),
	}
}

func (s Score) weighted(w Weights) uint32 {
	t := uint64(w.Price)*uint64(s.Price) + uint64(w.Reputation)*uint64(s.Reputation) +
		uint64(w.Latency)*uint64(s.Latency) + uint64(w.Load)*uint64(s.Load) + uint64(w.Stake)*uint64(s.Stake) +
		uint64(w.Throughput)*uint64(s.Throughput)
	return uint32(t / Scale)
}

func priceComponent(cost, minCost amount) uint32 {
	if cost.b == nil && minCost.b == nil {
		if cost.u == 0 {
			return Scale
		}
		hi, lo := bits.Mul64(minCost.u, Scale)
		if hi < cost.u { // quotient fits (it is ≤ Scale when minCost ≤ cost)
			q, _ := bits.Div64(hi, lo, cost.u)
			return uint32(min(q, Scale))
		}
	}
	c := cost.big()
	if c.Sign() == 0 {
		return Scale
	}
	q := new(big.Int).Mul(minCost.big(), big.NewInt(Scale))
	q.Quo(q, c)
	if q.Cmp(big.NewInt(Scale)) > 0 {
		return Scale
	}
	return uint32(q.Uint64())
}

func latencyComponent(latencyMs, refMs uint32) uint32 {
	if latencyMs == 0 {
		latencyMs = refMs
	}
	return uint32(uint64(refMs) * Scale / (uint64(refMs) + uint64(latencyMs)))
}

var bigScale = big.NewInt(Scale)

func (sc *scorer) stakeComponent(stake, stakeCap *big.Int) uint32 {
	if stake == nil || stake.Sign() <= 0 {
		return 0
	}
	if stake.Cmp(stakeCap) >= 0 {
		return Scale
	}
	if stakeCap.IsUint64() { // then stake < cap fits too, and so does the quotient
		hi, lo := bits.Mul64(stake.Uint64(), Scale)
		q, _ := bits.Div64(hi, lo, stakeCap.Uint64())
		return uint32(q)
	}
	sc.tmp.Mul(stake, bigScale)
	return uint32(sc.tmp.Quo(&sc.tmp, stakeCap).Uint64())
}
