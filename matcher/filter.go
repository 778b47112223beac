package matcher

import (
	"fmt"
	"math/big"
	"math/bits"
	"time"

	"github.com/gpumarket/gpumarket"
)

// Scale is the fixed-point unit of scores, reputations and weights:
// Scale means 1.0, Scale/2 means 0.5.
const Scale = 1_000_000

// Candidate is what the matcher knows about one provider when it decides.
type Candidate struct {
	Provider    gpumarket.Address
	Status      gpumarket.ProviderStatus
	Attestation *gpumarket.Attestation // verified, and matching the on-chain commitment
	Stake       *big.Int               // active stake, in the staking token's base units; replaced, never modified in place, while indexed
	Reserved    *big.Int               // part of Stake reserved for its unfinished jobs and live offers (nil: none); replaced, never modified in place
	Reputation  uint32                 // [0, Scale], see Reputation
	LatencyMs   uint32                 // recent median time to accept an offer; 0 = unknown
	LoadBps     uint32                 // last reported load, [0, 10000]
	InFlight    uint32                 // offered or accepted, not finished (see Book.InFlight)
}

// Request is the job to place: the chain's view (kind, payment token,
// maximum payment, preferred provider) and its spec (model, requirements,
// estimate).
type Request struct {
	Job  *gpumarket.Job
	Spec *gpumarket.JobSpec
}

// Validate returns an EINVALID error if the request cannot be matched: no
// job or spec, kinds that disagree, an invalid spec or maximum payment.
func (r *Request) Validate() error {
	if r.Job == nil || r.Spec == nil {
		return gpumarket.Errorf(gpumarket.EINVALID, "request: job and spec are required")
	}
	if r.Job.Kind != r.Spec.Kind {
		return gpumarket.Errorf(gpumarket.EINVALID, "request: job %d is %v but its spec is %v", r.Job.ID, r.Job.Kind, r.Spec.Kind)
	}
	if err := gpumarket.CheckAmount("max_payment", r.Job.MaxPayment); err != nil {
		return err
	}
	return r.Spec.Validate()
}

// Reason is why a hard filter rejected a candidate.
type Reason uint8

// The rejection reasons, in the order the filters run (cheapest first).
const (
	Eligible           Reason = iota // not rejected
	RejectNotPreferred               // the client named another provider
	RejectStatus                     // not online (offline, busy or suspended)
	RejectNoAttestation
	RejectAttestationExpired
	RejectToken      // prices in another payment token than the job's
	RejectCapability // does not offer the job's kind
	RejectModel      // does not serve the job's model
	RejectGPUCount
	RejectVRAM
	RejectStake    // active stake below the minimum
	RejectCapacity // all advertised slots taken
	RejectPrice    // its price for the estimate exceeds the job's maximum payment
	// RejectDeadline: by its attested benchmark (EstimatedRunMs) it cannot
	// finish the job's estimate before the job's deadline.
	RejectDeadline
	numReasons
)

var reasonNames = [numReasons]string{
	"eligible", "not_preferred", "status", "no_attestation", "attestation_expired", "token",
	"capability", "model", "gpu_count", "vram", "stake", "capacity", "price", "deadline",
}

// String returns the reason's snake_case name, as stored and served.
func (r Reason) String() string {
	if r < numReasons {
		return reasonNames[r]
	}
	return fmt.Sprintf("reason(%d)", r)
}

// MarshalText encodes the reason by name.
func (r Reason) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// Rejection is one candidate's rejection with a human-readable detail.
type Rejection struct {
	Provider gpumarket.Address `json:"provider"`
	Reason   Reason            `json:"reason"`
	Detail   string            `json:"detail"`
}

// Check runs the hard filters on one candidate and returns Eligible with its
// cost for the job's estimate, or the first failing filter's reason with a
// detail that names the values involved. It is the explanation of "why was
// I not chosen" for one provider; Decide runs the same filters without
// formatting details. now is compared with the attestation's expiry.
func Check(req *Request, c *Candidate, p *Params, now time.Time) (Rejection, *big.Int) {
	r, cost := check(req, c, p, now.Unix())
	rej := Rejection{Provider: c.Provider, Reason: r}
	if r != Eligible {
		rej.Detail = detail(req, c, p, r, now.Unix())
		return rej, nil
	}
	return rej, cost.big()
}

func detail(req *Request, c *Candidate, p *Params, r Reason, now int64) string {
	a, spec := c.Attestation, req.Spec
	switch r {
	case RejectNotPreferred:
		return fmt.Sprintf("client named provider %s", req.Job.PreferredProvider)
	case RejectStatus:
		return fmt.Sprintf("status is %s, want online", c.Status)
	case RejectNoAttestation:
		return "no verified attestation"
	case RejectAttestationExpired:
		return fmt.Sprintf("attestation expired at %d", a.ExpiresAt)
	case RejectToken:
		return fmt.Sprintf("prices in token %s, job pays in %s", a.Token, req.Job.Token)
	case RejectCapability:
		return fmt.Sprintf("does not offer %v", spec.Kind)
	case RejectModel:
		return fmt.Sprintf("does not serve model %q", spec.Model)
	case RejectGPUCount:
		return fmt.Sprintf("has %d GPUs, job needs %d", a.GPUCount, spec.Requirements.GPUCount)
	case RejectVRAM:
		return fmt.Sprintf("has %d MiB VRAM per GPU, job needs %d", a.VRAMMiB, spec.Requirements.MinVRAMMiB)
	case RejectStake:
		return fmt.Sprintf("active stake %v below minimum %v", c.Stake, p.MinStake)
	case RejectCapacity:
		return fmt.Sprintf("%d of %d slots in use", c.InFlight, a.Slots)
	case RejectPrice:
		cost := Cost(a.Capability(spec.Kind), spec.Requirements.Estimate)
		return fmt.Sprintf("price %v for the estimate exceeds the maximum payment %v", cost, req.Job.MaxPayment)
	case RejectDeadline:
		return deadlineDetail(req, a, now)
	}
	return ""
}

// costPlan is what the filters need from a job that does not change from
// candidate to candidate (quantities and divisors per unit of its kind,
// whether a preferred provider is named), resolved once per decision.
type costPlan struct {
	n         int
	qty       [2]uint64
	div       [2]uint64
	ok        bool // the kind has at most two units
	preferred bool
}

func newCostPlan(k gpumarket.JobKind, e gpumarket.Estimate) costPlan {
	units := k.Units()
	var p costPlan
	if len(units) > len(p.qty) {
		return p
	}
	p.n, p.ok = len(units), true
	for i, u := range units {
		p.qty[i], p.div[i] = e.Quantity(u), u.Divisor()
	}
	return p
}

// cost computes Σ ceil(prices[i] × qty[i] / div[i]) in 64-bit arithmetic
// and reports false if anything would overflow.
func (p *costPlan) cost(prices *[2]uint64) (amount, bool) {
	var total uint64
	for i := range p.n {
		hi, lo := bits.Mul64(prices[i], p.qty[i])
		d := p.div[i]
		if hi >= d { // the quotient would not fit
			return amount{}, false
		}
		quo, rem := bits.Div64(hi, lo, d)
		if rem != 0 {
			quo++
			if quo == 0 {
				return amount{}, false
			}
		}
		var carry uint64
		if total, carry = bits.Add64(total, quo, 0); carry != 0 {
			return amount{}, false
		}
	}
	return amount{u: total}, true
}

// amount is a non-negative cost held as a uint64 when it fits (b == nil)
// and as a big.Int otherwise, so that the common case allocates nothing.
type amount struct {
	u uint64
	b *big.Int
}

// big returns the amount as a new big.Int.
func (a amount) big() *big.Int {
	if a.b != nil {
		return new(big.Int).Set(a.b)
	}
	return new(big.Int).SetUint64(a.u)
}

func (a amount) cmp(o amount) int {
	if a.b == nil && o.b == nil {
		switch {
		case a.u < o.u:
			return -1
		case a.u > o.u:
			return 1
		}
		return 0
	}
	return a.big().Cmp(o.big())
}

func (a amount) cmpBig(x *big.Int) int {
	if a.b == nil && x.IsUint64() {
		return amount{u: x.Uint64()}.cmp(a) * -1
	}
	return a.big().Cmp(x)
}

// stakeAtLeast reports whether stake is set and not below min (a nil min
// is no minimum), comparing machine words when both fit in one.
func stakeAtLeast(stake, min *big.Int) bool {
	switch {
	case stake == nil:
		return false
	case min == nil:
		return true
	case stake.IsUint64() && min.IsUint64():
		return stake.Uint64() >= min.Uint64()
	}
	return stake.Cmp(min) >= 0
}

// check is the hard filters. It returns the cost only for eligible
// candidates.
func check(req *Request, c *Candidate, p *Params, now int64) (Reason, amount) {
	job, spec := req.Job, req.Spec
	if !job.PreferredProvider.IsZero() && c.Provider != job.PreferredProvider {
		return RejectNotPreferred, amount{}
	}
	if c.Status != gpumarket.ProviderOnline {
		return RejectStatus, amount{}
	}
	a := c.Attestation
	if a == nil {
		return RejectNoAttestation, amount{}
	}
	if a.Expired(now) {
		return RejectAttestationExpired, amount{}
	}
	if a.Token != job.Token {
		return RejectToken, amount{}
	}
	capab := a.Capability(spec.Kind)
	if capab == nil {
		return RejectCapability, amount{}
	}
	if !capab.Supports(spec.Model) {
		return RejectModel, amount{}
	}
	if a.GPUCount < spec.Requirements.GPUCount {
		return RejectGPUCount, amount{}
	}
	if a.VRAMMiB < spec.Requirements.MinVRAMMiB {
		return RejectVRAM, amount{}
	}
	if !stakeAtLeast(c.Stake, p.MinStake) {
		return RejectStake, amount{}
	}
	if c.InFlight >= a.Slots {
		return RejectCapacity, amount{}
	}
	cost, ok := costOf(capab, spec.Requirements.Estimate)
	if !ok || cost.cmpBig(job.MaxPayment) > 0 {
		return RejectPrice, amount{}
	}
	if missesDeadline(req, a, now) {
		return RejectDeadline, amount{}
	}
	return Eligible, cost
}

// checkEntry is check for an index entry: the same filters in the same
// order with the same results, reading the attestation's fields from the
// entry's compact copy (capability and model are implied by the bucket).
// While the candidate carries another attestation than the indexed one, it
// falls back to check. stakeOK is whether c's stake meets the minimum
// (memoised by the caller).
func checkEntry(req *Request, e *indexEntry, stakeOK bool, plan *costPlan, p *Params, now int64) (Reason, amount) {
	c := e.c
	job, spec := req.Job, req.Spec
	if plan.preferred && c.Provider != job.PreferredProvider {
		return RejectNotPreferred, amount{}
	}
	if c.Status != gpumarket.ProviderOnline {
		return RejectStatus, amount{}
	}
	if c.Attestation != e.att {
		return check(req, c, p, now)
	}
	if now >= e.expiresAt {
		return RejectAttestationExpired, amount{}
	}
	if e.token != job.Token {
		return RejectToken, amount{}
	}
	if e.gpuCount < spec.Requirements.GPUCount {
		return RejectGPUCount, amount{}
	}
	if e.vramMiB < spec.Requirements.MinVRAMMiB {
		return RejectVRAM, amount{}
	}
	if !stakeOK {
		return RejectStake, amount{}
	}
	if c.InFlight >= e.slots {
		return RejectCapacity, amount{}
	}
	cost, ok := amount{}, false
	if e.fastPrices && plan.ok {
		cost, ok = plan.cost(&e.prices)
	}
	if !ok {
		if cost, ok = costOf(e.capab, spec.Requirements.Estimate); !ok {
			return RejectPrice, amount{}
		}
	}
	if cost.cmpBig(job.MaxPayment) > 0 {
		return RejectPrice, amount{}
	}
	if missesDeadline(req, e.att, now) {
		return RejectDeadline, amount{}
	}
	return Eligible, cost
}

// Cost returns what the capability charges for the estimate: the sum over
// the kind's units of ceil(price × quantity / divisor) (see
// gpumarket.PriceUnit.Cost). It returns nil if the capability lacks a price
// for one of its kind's units. It avoids big.Int arithmetic when everything
// fits in 64 bits.
func Cost(c *gpumarket.Capability, e gpumarket.Estimate) *big.Int {
	a, ok := costOf(c, e)
	if !ok {
		return nil
	}
	return a.big()
}

func costOf(c *gpumarket.Capability, e gpumarket.Estimate) (amount, bool) {
	var prices [2]uint64
	units := c.Kind.Units()
	fast := len(units) <= len(prices)
	for i, u := range units {
		price := c.Price(u)
		if price == nil {
			return amount{}, false
		}
		if !price.IsUint64() || !fast {
			fast = false
			continue
		}
		prices[i] = price.Uint64()
	}
	if fast {
		plan := newCostPlan(c.Kind, e)
		if a, ok := plan.cost(&prices); ok {
			return a, true
		}
	}
	sum := new(big.Int)
	for _, u := range c.Kind.Units() {
		sum.Add(sum, u.Cost(c.Price(u), e.Quantity(u)))
	}
	if sum.IsUint64() {
		return amount{u: sum.Uint64()}, true
	}
	return amount{b: sum}, true
}
