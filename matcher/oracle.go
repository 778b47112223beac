package matcher

import (
	"bytes"
	"fmt"
	"math/big"
	"math/bits"
	"sort"
	"time"

	"github.com/gpumarket/gpumarket"
)

// GPUClass groups GPUs by VRAM per GPU, the property that decides which
// models fit; the oracle keeps one rate per (kind, unit, class).
type GPUClass string

// The GPU classes, by VRAM per GPU.
const (
	ClassSmall   GPUClass = "small"   // < 11 GiB: 8 GB consumer cards
	ClassMedium  GPUClass = "medium"  // 11–20 GiB: 12–16 GB cards
	ClassLarge   GPUClass = "large"   // 20–40 GiB: 24 GB cards (3090, 4090, A5000)
	ClassXLarge  GPUClass = "xlarge"  // 40–72 GiB: 40–48 GB cards (A6000, L40S, A100-40)
	ClassXXLarge GPUClass = "xxlarge" // ≥ 72 GiB: 80 GB cards and up (A100-80, H100)
)

// Classes lists the classes from smallest to largest.
var Classes = []GPUClass{ClassSmall, ClassMedium, ClassLarge, ClassXLarge, ClassXXLarge}

// ClassOf returns the class of a GPU with vramMiB MiB.
func ClassOf(vramMiB uint32) GPUClass {
	switch {
	case vramMiB < 11<<10:
		return ClassSmall
	case vramMiB < 20<<10:
		return ClassMedium
	case vramMiB < 40<<10:
		return ClassLarge
	case vramMiB < 72<<10:
		return ClassXLarge
	}
	return ClassXXLarge
}

// RateKey identifies one market rate.
type RateKey struct {
	Kind  gpumarket.JobKind
	Unit  gpumarket.PriceUnit
	Class GPUClass
}

// String returns "kind/unit/class".
func (k RateKey) String() string { return fmt.Sprintf("%v/%s/%s", k.Kind, k.Unit, k.Class) }

// PricePoint is one active provider's price for a rate key, with what
// weighs it: active stake and completed volume in the window (in counted
// measures of the unit, e.g. tokens), and when it was last seen alive.
type PricePoint struct {
	Provider gpumarket.Address
	Price    *big.Int
	Stake    *big.Int
	Volume   uint64
	LastSeen time.Time
}

// Settlement is one job settled on-chain: the unit price actually paid
// (price per unit of the rate key) and how many counted measures it paid for.
type Settlement struct {
	Provider  gpumarket.Address
	UnitPrice *big.Int
	Units     uint64
	At        time.Time
}

// OracleParams configure FairRate.
type OracleParams struct {
	// StaleAfter excludes providers not seen alive for longer.
	StaleAfter time.Duration
	// Window is how far back settlements count (24 h).
	Window time.Duration
	// StakeCap saturates the stake part of a provider's weight.
	StakeCap *big.Int
	// StakeWeight is a provider's weight at or above StakeCap.
	StakeWeight uint64
	// VolumeCap saturates the volume part of a weight (counted measures).
	VolumeCap uint64
	// VolumeWeight is the extra weight of a provider with VolumeCap or more
	// completed volume in the window, and the weight of a settlement of
	// VolumeCap or more units.
	VolumeWeight uint64
	// UnprovenShare caps the total weight of unproven points (providers
	// without completed volume) at this fraction (of Scale) of all weight,
	// once any proven point exists.
	UnprovenShare uint64
}

// DefaultOracleParams: stale after 5 min, 24 h window, stake cap 10e18,
// stake weight 1, volume weight 9 at 1,000,000 measures, unproven share 0.1.
func DefaultOracleParams() OracleParams {
	return OracleParams{
		StaleAfter:    5 * time.Minute,
		Window:        24 * time.Hour,
		StakeCap:      tokens(10),
		StakeWeight:   Scale,
		VolumeCap:     1_000_000,
		VolumeWeight:  9 * Scale,
		UnprovenShare: Scale / 10,
	}
}

// Validate returns an EINVALID error naming the field when p is unusable.
func (p *OracleParams) Validate() error {
	switch {
	case p.StaleAfter <= 0:
		return gpumarket.Errorf(gpumarket.EINVALID, "stale_after: must be positive")
	case p.Window <= 0:
		return gpumarket.Errorf(gpumarket.EINVALID, "window: must be positive")
	case p.StakeCap == nil || p.StakeCap.Sign() <= 0:
		return gpumarket.Errorf(gpumarket.EINVALID, "stake_cap: must be positive")
	case p.VolumeCap == 0:
		return gpumarket.Errorf(gpumarket.EINVALID, "volume_cap: must be positive")
	case p.StakeWeight > 1000*Scale || p.VolumeWeight > 1000*Scale:
		return gpumarket.Errorf(gpumarket.EINVALID, "stake_weight, volume_weight: at most %d", 1000*Scale)
	case p.UnprovenShare == 0 || p.UnprovenShare >= Scale/2:
		return gpumarket.Errorf(gpumarket.EINVALID, "unproven_share: %d is not in (0, %d)", p.UnprovenShare, Scale/2)
	}
	return nil
}

// The manipulation thresholds: a price above AboveReference × the reference
// rate, or below the lowest proven price / BelowLowestDivisor, is flagged.
const (
	AboveReference     = 3
	BelowLowestDivisor = 10
)

// Flag is a price the oracle excluded as manipulation.
type Flag struct {
	Provider gpumarket.Address `json:"provider"`
	Price    *big.Int          `json:"price"`
	Reason   string            `json:"reason"` // "above_3x_reference" or "below_0.1x_lowest_proven"
}

// Rate is the oracle's view of one market rate, with how it was derived.
type Rate struct {
	Key          RateKey  `json:"key"`
	Fair         *big.Int `json:"fair"`          // weighted mean of the unflagged points
	Low          *big.Int `json:"low"`           // min(Fair, weighted 25th percentile of the unflagged points)
	High         *big.Int `json:"high"`          // max(Fair, weighted 75th percentile)
	Reference    *big.Int `json:"reference"`     // weighted median of all points (step 2)
	LowestProven *big.Int `json:"lowest_proven"` // the anchor of the low flag (step 3)
	Providers    int      `json:"providers"`     // active provider points counted
	Settlements  int      `json:"settlements"`   // settlements in the window counted
	Flagged      []Flag   `json:"flagged,omitempty"`
	// UnprovenCapped reports that unproven weights were scaled down to
	// UnprovenShare.
	UnprovenCapped bool `json:"unproven_capped"`
}

type point struct {
	provider gpumarket.Address
	price    *big.Int
	weight   uint64
	proven   bool
}

// FairRate computes the fair market rate for key at now. The rule, in order:
//
//  1. Points. Each provider seen within StaleAfter with a price is a point
//     weighing StakeWeight·min(stake, StakeCap)/StakeCap +
//     VolumeWeight·min(volume, VolumeCap)/VolumeCap; it is proven if its
//     volume is non-zero. Each settlement within Window is a proven point at
//     its unit price weighing VolumeWeight·min(units, VolumeCap)/VolumeCap.
//     Points of zero weight are dropped. If proven weight exists and the
//     unproven points weigh more than UnprovenShare of the total, every
//     unproven weight is scaled down so that they weigh exactly that share.
//  2. Reference m: the lower weighted median of all points (ties by price,
//     then provider address).
//  3. Anchor L: the lowest proven price not above 3·m; m itself if there is
//     none. It comes from paid work, which a fresh identity cannot fake
//     without paying, so cheap Sybils cannot lower it.
//  4. Flags: a point priced above 3·m, or below L/10, is manipulation and
//     excluded. Neither threshold depends on the flagged points' own
//     exclusion, so the rule is not circular.
//  5. Fair: the weighted mean (floor) of the unflagged points. The band
//     [Low, High] spans their weighted 25th and 75th percentiles, widened to
//     contain Fair.
//
// The manipulation bound. Let H be the honest points, all proven, with
// weighted mean μ, and let F be any number of unproven points at any prices
// (fake providers with stake but no volume). Their weight share α is at most
// UnprovenShare (step 1), below one half, so the weighted median m lies
// within [min H, max H], and L is an honest price. Unflagged fake prices lie
// in [L/10, 3·m], so
//
//	μ − α·(μ − L/10)  ≤  Fair  ≤  μ + α·(3·max H − μ)
//
// (Fair is floored to an integer, so its lower bound is the floor of the
// left side),
// and with the default share (0.1) the fakes move the fair rate by at most
// a tenth of the distance to those thresholds, whatever their number or
// stake. Fakes outside [L/10, 3·m] have no effect at all. Before any volume
// exists (no proven point) the cap cannot apply and the bound does not hold;
// only stake weighs then.
//
// It returns an ENOTFOUND error if no usable point remains, and an EINVALID
// error for invalid params.
func FairRate(key RateKey, providers []PricePoint, settlements []Settlement, now time.Time, p *OracleParams) (*Rate, error) {
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("fair rate %s: %w", key, err)
	}
	rate := &Rate{Key: key}
	var pts []point
	for _, pp := range providers {
		if pp.Price == nil || pp.Price.Sign() < 0 || now.Sub(pp.LastSeen) > p.StaleAfter {
			continue
		}
		w := fraction(p.VolumeWeight, pp.Volume, p.VolumeCap)
		if pp.Stake != nil && pp.Stake.Sign() > 0 {
			s := pp.Stake
			if s.Cmp(p.StakeCap) > 0 {
				s = p.StakeCap
			}
			q := new(big.Int).Mul(s, new(big.Int).SetUint64(p.StakeWeight))
			w += q.Quo(q, p.StakeCap).Uint64()
		}
		if w == 0 {
			continue
		}
		rate.Providers++
		pts = append(pts, point{provider: pp.Provider, price: pp.Price, weight: w, proven: pp.Volume > 0})
	}
	for _, s := range settlements {
		if s.UnitPrice == nil || s.UnitPrice.Sign() < 0 || s.At.After(now) || now.Sub(s.At) > p.Window {
			continue
		}
		w := fraction(p.VolumeWeight, s.Units, p.VolumeCap)
		if w == 0 {
			continue
		}
		rate.Settlements++
		pts = append(pts, point{provider: s.Provider, price: s.UnitPrice, weight: w, proven: true})
	}
	if len(pts) == 0 {
		return nil, gpumarket.Errorf(gpumarket.ENOTFOUND, "fair rate %s: no active provider or recent settlement", key)
	}
	rate.UnprovenCapped = capUnproven(pts, p.UnprovenShare)
	sort.Slice(pts, func(i, j int) bool {
		if c := pts[i].price.Cmp(pts[j].price); c != 0 {
			return c < 0
		}
		return bytes.Compare(pts[i].provider[:], pts[j].provider[:]) < 0
	})

	m := quantile(pts, 1, 2)
	rate.Reference = new(big.Int).Set(m)
	ceiling := new(big.Int).Mul(m, big.NewInt(AboveReference))
	var anchor *big.Int
	for _, pt := range pts { // sorted by price: the first proven one is the lowest
		if pt.proven && pt.price.Cmp(ceiling) <= 0 {
			anchor = pt.price
			break
		}
	}
	if anchor == nil {
		anchor = m
	}
	rate.LowestProven = new(big.Int).Set(anchor)

	kept := pts[:0:0]
	ten := big.NewInt(BelowLowestDivisor)
	for _, pt := range pts {
		switch {
		case pt.price.Cmp(ceiling) > 0:
			rate.Flagged = append(rate.Flagged, Flag{pt.provider, new(big.Int).Set(pt.price), "above_3x_reference"})
		case new(big.Int).Mul(pt.price, ten).Cmp(anchor) < 0:
			rate.Flagged = append(rate.Flagged, Flag{pt.provider, new(big.Int).Set(pt.price), "below_0.1x_lowest_proven"})
		default:
			kept = append(kept, pt)
		}
	}
	// kept is non-empty: the reference point itself is never flagged
	// (m ≤ 3m, and 10·m ≥ L because L ≤ m or L is a proven price ≤ 3m ≤ 10m).
	sum, total := new(big.Int), new(big.Int)
	for _, pt := range kept {
		w := new(big.Int).SetUint64(pt.weight)
		total.Add(total, w)
		sum.Add(sum, w.Mul(w, pt.price))
	}
	rate.Fair = sum.Quo(sum, total)
	rate.Low = minInt(quantile(kept, 1, 4), rate.Fair)
	rate.High = maxInt(quantile(kept, 3, 4), rate.Fair)
	return rate, nil
}

func minInt(a, b *big.Int) *big.Int {
	if a.Cmp(b) <= 0 {
		return new(big.Int).Set(a)
	}
	return new(big.Int).Set(b)
}

// fraction returns weight·min(v, cap)/cap.
func fraction(weight, v, cap uint64) uint64 {
	v = min(v, cap)
	hi, lo := bits.Mul64(weight, v)
	q, _ := bits.Div64(hi, lo, cap) // q ≤ weight, so it fits
	return q
}

// capUnproven scales the unproven weights down so that they make up at most
// share/Scale of the total, when any proven weight exists. It reports
// whether it scaled.
func capUnproven(pts []point, share uint64) bool {
	var proven, unproven uint64
	for _, pt := range pts {
		if pt.proven {
			proven += pt.weight
		} else {
			unproven += pt.weight
		}
	}
	// target = proven·share/(Scale−share) is the unproven weight that is
	// exactly share of the total.
	hi, lo := bits.Mul64(proven, share)
	if proven == 0 || hi >= Scale-share {
		return false
	}
	target, _ := bits.Div64(hi, lo, Scale-share)
	if unproven <= target {
		return false
	}
	for i := range pts {
		if !pts[i].proven {
			hi, lo := bits.Mul64(pts[i].weight, target)
			pts[i].weight, _ = bits.Div64(hi, lo, unproven) // ≤ weight: fits
		}
	}
	return true
}

// quantile returns the lower weighted num/den quantile of pts (sorted by
// price): the price of the first point at which the cumulative weight
// reaches num/den of the total. Points of zero weight (scaled to nothing)
// are skipped.
func quantile(pts []point, num, den uint64) *big.Int {
	var total uint64
	for _, pt := range pts {
		total += pt.weight
	}
	var cum uint64
	var last *big.Int
	for _, pt := range pts {
		if pt.weight == 0 {
			continue
		}
		last = pt.price
		cum += pt.weight
		// cum/total ≥ num/den, in 128 bits.
		h1, l1 := bits.Mul64(cum, den)
		h2, l2 := bits.Mul64(total, num)
		if h1 > h2 || (h1 == h2 && l1 >= l2) {
			return pt.price
		}
	}
	return last
}
