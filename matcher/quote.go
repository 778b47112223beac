package matcher

import (
	"bytes"
	"fmt"
	"math/big"
	"sort"
	"time"

	"github.com/gpumarket/gpumarket"
)

// QuoteParams are the protocol's pricing terms, as the contracts apply them.
type QuoteParams struct {
	// MinimumPrice is the least a job costs, whatever its size.
	MinimumPrice *big.Int
	// ProtocolFeeBps and CreatorShareBps are carved out of the payment (the
	// client pays Total; the provider receives the rest).
	ProtocolFeeBps  uint32
	CreatorShareBps uint32
}

// Validate returns an EINVALID error naming the field when p is unusable.
func (p *QuoteParams) Validate() error {
	if err := gpumarket.CheckAmount("minimum_price", p.MinimumPrice); err != nil {
		return err
	}
	if uint64(p.ProtocolFeeBps)+uint64(p.CreatorShareBps) > 10_000 {
		return gpumarket.Errorf(gpumarket.EINVALID, "protocol_fee_bps, creator_share_bps: %d + %d exceed 10000", p.ProtocolFeeBps, p.CreatorShareBps)
	}
	return nil
}

// QuoteLine is the cost of one unit of the job at the fair rate and at the
// band's ends: ceil(rate × quantity / divisor).
type QuoteLine struct {
	Unit     gpumarket.PriceUnit `json:"unit"`
	Quantity uint64              `json:"quantity"` // counted measures (tokens, frames, …)
	Rate     *big.Int            `json:"rate"`     // fair rate per unit
	Cost     *big.Int            `json:"cost"`
	Low      *big.Int            `json:"low"`
	High     *big.Int            `json:"high"`
}

// QualifiedProvider is a provider that would take the job now, at its own
// price.
type QualifiedProvider struct {
	Provider gpumarket.Address `json:"provider"`
	Cost     *big.Int          `json:"cost"`
}

// Quote is the estimated cost of a job spec with its breakdown.
type Quote struct {
	Kind  gpumarket.JobKind `json:"kind"`
	Model string            `json:"model"`
	Class GPUClass          `json:"class"` // the class whose rates priced it
	Lines []QuoteLine       `json:"lines"`
	// Subtotal is Σ line costs at the fair rates. Total = max(Subtotal,
	// MinimumPrice, Cheapest) is what the client should lock as its maximum
	// payment: a job locked at it is taken now by at least one qualifying
	// provider (when there is one), even where the fair rate is below every
	// capable provider's own price.
	Subtotal *big.Int `json:"subtotal"`
	Minimum  *big.Int `json:"minimum"`
	Total    *big.Int `json:"total"`
	// Cheapest is the least maximum payment a qualifying provider takes now
	// (Qualifying[0].Cost); nil when none qualifies.
	Cheapest *big.Int `json:"cheapest"`
	// ProtocolFee = Total·ProtocolFeeBps/10000 and CreatorShare likewise
	// (floor); ProviderNet is the rest.
	ProtocolFee  *big.Int `json:"protocol_fee"`
	CreatorShare *big.Int `json:"creator_share"`
	ProviderNet  *big.Int `json:"provider_net"`
	// BandLow and BandHigh are the totals at the rates' Low and High.
	BandLow  *big.Int `json:"band_low"`
	BandHigh *big.Int `json:"band_high"`
	// Qualifying lists the providers that pass every hard filter except the
	// maximum payment (which the client has not chosen yet), cheapest
	// first.
	Qualifying []QualifiedProvider `json:"qualifying"`
}

// NewQuote prices spec, to be paid in token, from rates at now. Rates are
// looked up for the class of the spec's minimum VRAM, or the next larger
// class that has rates for every unit of the kind. It returns an EINVALID
// error for an invalid spec or params and an ENOTFOUND error when no class
// has rates.
func NewQuote(spec *gpumarket.JobSpec, token gpumarket.Address, rates map[RateKey]*Rate, candidates []*Candidate, p *Params, qp *QuoteParams, now time.Time) (*Quote, error) {
	if err := spec.Validate(); err != nil {
		return nil, fmt.Errorf("quote: %w", err)
	}
	if err := qp.Validate(); err != nil {
		return nil, fmt.Errorf("quote: %w", err)
	}
	q := &Quote{Kind: spec.Kind, Model: spec.Model, Minimum: new(big.Int).Set(qp.MinimumPrice)}
	start := ClassOf(spec.Requirements.MinVRAMMiB)
	var chosen []*Rate
	for i := indexOfClass(start); i < len(Classes) && chosen == nil; i++ {
		var rs []*Rate
		for _, u := range spec.Kind.Units() {
			r, ok := rates[RateKey{spec.Kind, u, Classes[i]}]
			if !ok {
				rs = nil
				break
			}
			rs = append(rs, r)
		}
		if rs != nil {
			chosen, q.Class = rs, Classes[i]
		}
	}
	if chosen == nil {
		return nil, gpumarket.Errorf(gpumarket.ENOTFOUND, "quote: no rates for %v in class %s or larger", spec.Kind, start)
	}
	q.Subtotal, q.BandLow, q.BandHigh = new(big.Int), new(big.Int), new(big.Int)
	for i, u := range spec.Kind.Units() {
		r, n := chosen[i], spec.Requirements.Estimate.Quantity(u)
		line := QuoteLine{Unit: u, Quantity: n, Rate: new(big.Int).Set(r.Fair),
			Cost: u.Cost(r.Fair, n), Low: u.Cost(r.Low, n), High: u.Cost(r.High, n)}
		q.Subtotal.Add(q.Subtotal, line.Cost)
		q.BandLow.Add(q.BandLow, line.Low)
		q.BandHigh.Add(q.BandHigh, line.High)
		q.Lines = append(q.Lines, line)
	}
	q.BandLow, q.BandHigh = maxInt(q.BandLow, q.Minimum), maxInt(q.BandHigh, q.Minimum)

	req := &Request{Job: &gpumarket.Job{Kind: spec.Kind, Token: token, MaxPayment: gpumarket.MaxUint256}, Spec: spec}
	unix := now.Unix()
	for _, c := range candidates {
		if r, cost := check(req, c, p, unix); r == Eligible {
			q.Qualifying = append(q.Qualifying, QualifiedProvider{Provider: c.Provider, Cost: cost.big()})
		}
	}
	sort.Slice(q.Qualifying, func(i, j int) bool {
		a, b := q.Qualifying[i], q.Qualifying[j]
		if c := a.Cost.Cmp(b.Cost); c != 0 {
			return c < 0
		}
		return bytes.Compare(a.Provider[:], b.Provider[:]) < 0
	})
	q.Total = maxInt(q.Subtotal, q.Minimum)
	if len(q.Qualifying) > 0 {
		q.Cheapest = new(big.Int).Set(q.Qualifying[0].Cost)
		q.Total = maxInt(q.Total, q.Cheapest)
	}
	q.ProtocolFee = bps(q.Total, qp.ProtocolFeeBps)
	q.CreatorShare = bps(q.Total, qp.CreatorShareBps)
	q.ProviderNet = new(big.Int).Sub(q.Total, q.ProtocolFee)
	q.ProviderNet.Sub(q.ProviderNet, q.CreatorShare)
	return q, nil
}

func indexOfClass(c GPUClass) int {
	for i, x := range Classes {
		if x == c {
			return i
		}
	}
	return len(Classes)
}

func maxInt(a, b *big.Int) *big.Int {
	if a.Cmp(b) >= 0 {
		return new(big.Int).Set(a)
	}
	return new(big.Int).Set(b)
}

func bps(x *big.Int, b uint32) *big.Int {
	r := new(big.Int).Mul(x, big.NewInt(int64(b)))
	return r.Quo(r, big.NewInt(10_000))
}
