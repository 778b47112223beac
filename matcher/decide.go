package matcher

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"time"

	"github.com/gpumarket/gpumarket"
)

// Ranked is one eligible candidate in a decision, with everything needed to
// explain its place.
type Ranked struct {
	Provider gpumarket.Address `json:"provider"`
	Cost     *big.Int          `json:"cost"`  // its price for the job's estimate: the assignment price
	Slots    uint32            `json:"slots"` // advertised concurrent jobs
	Score    Score             `json:"score"`
}

// MarshalJSON encodes the cost as a decimal string, so that no JSON reader
// rounds it through a float.
func (r Ranked) MarshalJSON() ([]byte, error) {
	type plain Ranked
	return json.Marshal(struct {
		plain
		Cost string `json:"cost"`
	}{plain(r), r.Cost.String()})
}

// Decision is the outcome of matching one job: the ranked top-k (the first
// is the choice, the rest the runners-up in fallback order), how many
// candidates each filter rejected, and the weights used, so that the
// decision can be explained and replayed afterwards.
type Decision struct {
	JobID gpumarket.JobID `json:"job_id"`
	// JobHash is the job's hash as created, which offers made from this
	// decision are bound to (set by the caller; Decide does not hash).
	JobHash    gpumarket.Hash `json:"job_hash,omitzero"`
	At         int64          `json:"at"` // unix seconds
	Weights    Weights        `json:"weights"`
	Considered int            `json:"considered"`
	Eligible   int            `json:"eligible"`
	Rejected   map[string]int `json:"rejected"` // by Reason name; only non-zero counts
	Ranked     []Ranked       `json:"ranked"`
	Rejections []Rejection    `json:"rejections,omitempty"` // when asked for (DecideOptions.Rejections)
	rejected   [numReasons]int
}

// Choice returns the best candidate, and false if none was eligible.
func (d *Decision) Choice() (Ranked, bool) {
	if len(d.Ranked) == 0 {
		return Ranked{}, false
	}
	return d.Ranked[0], true
}

// RejectedFor returns how many candidates were rejected for reason r.
func (d *Decision) RejectedFor(r Reason) int {
	if r >= numReasons {
		return 0
	}
	return d.rejected[r]
}

// Decider ranks candidates for jobs. It reuses scratch space between calls
// and memoises the job-independent part of each indexed candidate's score,
// so one Decider must not be used by two goroutines at once; make one per
// goroutine.
type Decider struct {
	params  Params
	scratch []eligible
	scorer  scorer
	// memo holds, per bucket of memoIndex, the static score part of each
	// entry (same positions as the bucket's entries); it is dropped when
	// DecideIndexed is given another index.
	memoIndex *Index
	memo      map[indexKey][]static
}

type eligible struct {
	c     *Candidate
	cost  amount
	sum   uint64 // weighted sum of the static components (see static)
	estMs uint64 // EstimatedRunMs, when measured
	est   bool   // the candidate has a benchmark for the job
}

// static is the part of a candidate's score that does not depend on the
// job (the reputation, latency, load and stake components and their
// weighted sum) and whether its stake meets the minimum. It remembers the
// candidate fields it was computed from, and valid reports whether they are
// unchanged, so that a memoised value is never used after the owner updated
// the candidate. The stake is compared by pointer: like attestations,
// stakes are replaced, not modified in place (see Candidate.Stake).
type static struct {
	c                  *Candidate
	stake              *big.Int
	rep, latMs, loadBp uint32
	stakeOK            bool   // stake ≥ MinStake
	sum                uint64 // Σ weight × component over the four
}

func (s *static) valid(c *Candidate) bool {
	return s.c == c && s.stake == c.Stake && s.rep == c.Reputation && s.latMs == c.LatencyMs && s.loadBp == c.LoadBps
}

func (s *static) compute(c *Candidate, sc *scorer, p *Params) {
	s.c, s.stake, s.rep, s.latMs, s.loadBp = c, c.Stake, c.Reputation, c.LatencyMs, c.LoadBps
	s.stakeOK = stakeAtLeast(c.Stake, p.MinStake)
	s.sum = staticSum(sc.static(c, p), p.Weights)
}

func staticSum(sc Score, w Weights) uint64 {
	return uint64(w.Reputation)*uint64(sc.Reputation) + uint64(w.Latency)*uint64(sc.Latency) +
		uint64(w.Load)*uint64(sc.Load) + uint64(w.Stake)*uint64(sc.Stake)
}

// NewDecider returns a Decider with params p. It returns an EINVALID error
// if p is invalid (see Params.Validate).
func NewDecider(p Params) (*Decider, error) {
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("new decider: %w", err)
	}
	return &Decider{params: p}, nil
}

// Params returns the decider's parameters.
func (d *Decider) Params() Params { return d.params }

// DecideOptions tune what a decision records.
type DecideOptions struct {
	// Rejections, when set, records every rejected candidate with a detail
	// string (costly with thousands of candidates; counts are always kept).
	Rejections bool
}

// Decide filters candidates for req at time now, scores the eligible ones
// and keeps the best TopK. The result depends only on its arguments: the
// order of candidates does not matter (ties break on cost, then address).
// It returns an EINVALID error for an invalid request; a decision with no
// eligible candidate is not an error (Choice reports false).
func (d *Decider) Decide(req *Request, candidates []*Candidate, now time.Time, opt DecideOptions) (*Decision, error) {
	return d.decide(req, candidates, nil, nil, now, opt)
}

// DecideIndexed is Decide over the index's candidates for the job's kind
// and model, skipping the capability and model lookups the index already
// did (for candidates whose attestation is still the indexed one). It makes
// the same decision as Decide(req, x.Candidates(kind, model), now, opt).
func (d *Decider) DecideIndexed(req *Request, x *Index, now time.Time, opt DecideOptions) (*Decision, error) {
	if req == nil || req.Spec == nil || x == nil {
		return d.decide(req, nil, nil, nil, now, opt)
	}
	k := indexKey{req.Spec.Kind, req.Spec.Model}
	entries := x.entries[k]
	if d.memoIndex != x {
		d.memoIndex, d.memo = x, map[indexKey][]static{}
	}
	memo := d.memo[k]
	if len(memo) != len(entries) {
		memo = make([]static, len(entries))
		d.memo[k] = memo
	}
	return d.decide(req, nil, entries, memo, now, opt)
}

// decide runs over candidates, or over entries (with their memoised static
// score parts) when candidates is nil.
func (d *Decider) decide(req *Request, candidates []*Candidate, entries []indexEntry, memo []static, now time.Time, opt DecideOptions) (*Decision, error) {
	if err := req.Validate(); err != nil {
		return nil, fmt.Errorf("decide job %d: %w", jobID(req), err)
	}
	p := &d.params
	unix := now.Unix()
	n := len(candidates)
	if candidates == nil {
		n = len(entries)
	}
	dec := &Decision{JobID: req.Job.ID, At: unix, Weights: p.Weights, Considered: n}
	el := d.scratch[:0]
	var minCost amount
	var fastestMs uint64 // of the eligible candidates with a benchmark
	measured := false    // some eligible candidate has one
	plan := newCostPlan(req.Spec.Kind, req.Spec.Requirements.Estimate)
	plan.preferred = !req.Job.PreferredProvider.IsZero()
	for i := range n {
		var (
			r    Reason
			cost amount
			c    *Candidate
		)
		var st *static
		if candidates != nil {
			c = candidates[i]
			r, cost = check(req, c, p, unix)
		} else {
			e := &entries[i]
			c, st = e.c, &memo[i]
			if !st.valid(c) {
				st.compute(c, &d.scorer, p)
			}
			r, cost = checkEntry(req, e, st.stakeOK, &plan, p, unix)
		}
		if r != Eligible {
			dec.rejected[r]++
			if opt.Rejections {
				dec.Rejections = append(dec.Rejections, Rejection{Provider: c.Provider, Reason: r, Detail: detail(req, c, p, r, unix)})
			}
			continue
		}
		if st == nil {
			st = &static{}
			st.compute(c, &d.scorer, p)
		}
		estMs, est := EstimatedRunMs(c.Attestation, req.Spec)
		el = append(el, eligible{c: c, cost: cost, sum: st.sum, estMs: estMs, est: est})
		if len(el) == 1 || cost.cmp(minCost) < 0 {
			minCost = cost
		}
		if est && (!measured || estMs < fastestMs) {
			fastestMs, measured = estMs, true
		}
	}
	dec.Eligible = len(el)
	dec.Rejected = make(map[string]int)
	for r, n := range dec.rejected {
		if n > 0 {
			dec.Rejected[Reason(r).String()] = n
		}
	}
	// Keep the top k by insertion into a short sorted slice: O(n·k), with k
	// small, and no sort of the whole candidate list. Only the price
	// component depends on the job; the rest of each total is the memoised
	// static sum. Costs become big.Ints only for the candidates that enter
	// the top.
	top := make([]Ranked, 0, min(p.TopK, len(el)))
	costs := make([]amount, 0, cap(top))
	// Without any benchmark for the job, the throughput weight goes to price
	// (see Score).
	wPrice, wThroughput := uint64(p.Weights.Price), uint64(p.Weights.Throughput)
	if !measured {
		wPrice, wThroughput = wPrice+wThroughput, 0
	}
	for i := range el {
		e := &el[i]
		price := priceComponent(e.cost, minCost)
		throughput := throughputComponent(e.estMs, e.est, fastestMs)
		total := uint32((wPrice*uint64(price) + wThroughput*uint64(throughput) + e.sum) / Scale)
		if len(top) == p.TopK && total < top[len(top)-1].Score.Total {
			continue // the common case, decided without building the entry
		}
		// The components are recomputed (from the fields the memo was
		// validated against) only for the few candidates that get here.
		r := Ranked{Provider: e.c.Provider, Score: d.scorer.static(e.c, p)}
		r.Score.Price, r.Score.Throughput, r.Score.Total = price, throughput, total
		if len(top) == p.TopK && !betterThan(&r, e.cost, &top[len(top)-1], costs[len(top)-1]) {
			continue
		}
		r.Slots, r.Cost = e.c.Attestation.Slots, e.cost.big()
		i := len(top)
		if len(top) < p.TopK {
			top = append(top, r)
			costs = append(costs, e.cost)
		} else {
			i--
		}
		for ; i > 0 && betterThan(&r, e.cost, &top[i-1], costs[i-1]); i-- {
			top[i], costs[i] = top[i-1], costs[i-1]
		}
		top[i], costs[i] = r, e.cost
	}
	dec.Ranked = top
	clear(el) // drop references to candidates
	d.scratch = el[:0]
	return dec, nil
}

// betterThan reports whether a (costing ac) ranks before b (costing bc):
// higher total, then lower cost, then lower address.
func betterThan(a *Ranked, ac amount, b *Ranked, bc amount) bool {
	if a.Score.Total != b.Score.Total {
		return a.Score.Total > b.Score.Total
	}
	if c := ac.cmp(bc); c != 0 {
		return c < 0
	}
	return bytes.Compare(a.Provider[:], b.Provider[:]) < 0
}

func jobID(req *Request) gpumarket.JobID {
	if req == nil || req.Job == nil {
		return 0
	}
	return req.Job.ID
}
