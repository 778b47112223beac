package matcher

import (
	"fmt"
	"math/big"
	"sort"
	"time"

	"github.com/gpumarket/gpumarket"
)

// AssignmentSigner signs an assignment with the matcher key (EIP-712, see
// internal/eth/market.Market.AssignmentSigner, which implements it).
type AssignmentSigner interface {
	SignAssignment(a *gpumarket.Assignment) ([]byte, error)
}

// Offer is an assignment the matcher made: the job goes to Provider at
// Price if it accepts on-chain before Expiry. Rank is the provider's place in
// the decision (0 = first choice).
type Offer struct {
	Assignment gpumarket.Assignment
	Rank       int
}

// SignedOffer is an offer with the matcher's signature over its assignment.
type SignedOffer struct {
	Offer
	Signature []byte
}

// Sign signs o's assignment with s.
func (o Offer) Sign(s AssignmentSigner) (SignedOffer, error) {
	sig, err := s.SignAssignment(&o.Assignment)
	if err != nil {
		return SignedOffer{}, fmt.Errorf("sign offer of job %d to %s: %w", o.Assignment.JobID, o.Assignment.Provider, err)
	}
	return SignedOffer{Offer: o, Signature: sig}, nil
}

// Expiry is what Book.Expire reports for one offer that ran out: the offer,
// and the next offer of the same job (nil when the ranked list is exhausted
// and the job must be decided again).
type Expiry struct {
	Expired Offer
	Next    *Offer
}

// Book tracks offers and accepted jobs in memory: it holds each provider's
// slot count, offers a job down its decision's ranked list while offers
// expire unaccepted, and records each provider's missed offers. It enforces
// that a provider never holds more offered-or-accepted jobs than its
// advertised slots. It is not safe for concurrent use; its owner serialises
// calls. Time comes from the injected clock.
type Book struct {
	ttl      time.Duration
	now      func() time.Time
	inFlight map[gpumarket.Address]uint32
	misses   map[gpumarket.Address]uint32
	pending  map[gpumarket.JobID]*pendingJob
	accepted map[gpumarket.JobID]gpumarket.Address
}

type pendingJob struct {
	dec   *Decision
	offer Offer
}

// NewBook returns an empty book whose offers live for ttl (at least one
// second; assignment expiries are unix seconds).
func NewBook(ttl time.Duration, now func() time.Time) (*Book, error) {
	if ttl < time.Second {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "new book: offer ttl %v is below 1s", ttl)
	}
	if now == nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "new book: no clock")
	}
	return &Book{
		ttl: ttl, now: now,
		inFlight: map[gpumarket.Address]uint32{},
		misses:   map[gpumarket.Address]uint32{},
		pending:  map[gpumarket.JobID]*pendingJob{},
		accepted: map[gpumarket.JobID]gpumarket.Address{},
	}, nil
}

// InFlight returns how many jobs are offered to or accepted by p and not
// finished: the value to put in Candidate.InFlight.
func (b *Book) InFlight(p gpumarket.Address) uint32 { return b.inFlight[p] }

// Misses returns how many offers p let expire unaccepted.
func (b *Book) Misses(p gpumarket.Address) uint32 { return b.misses[p] }

// Pending returns the live offer of a job, if any.
func (b *Book) Pending(id gpumarket.JobID) (Offer, bool) {
	pj, ok := b.pending[id]
	if !ok {
		return Offer{}, false
	}
	return pj.offer, true
}

// Offer offers the decision's job to its best ranked candidate that still
// has a free slot, reserving the slot. It returns an ECONFLICT error if the
// job already has a live offer or was accepted, and an EUNAVAILABLE error if
// no ranked candidate has a free slot (decide again later).
func (b *Book) Offer(d *Decision) (Offer, error) {
	if _, ok := b.pending[d.JobID]; ok {
		return Offer{}, gpumarket.Errorf(gpumarket.ECONFLICT, "offer job %d: it already has a live offer", d.JobID)
	}
	if p, ok := b.accepted[d.JobID]; ok {
		return Offer{}, gpumarket.Errorf(gpumarket.ECONFLICT, "offer job %d: already accepted by %s", d.JobID, p)
	}
	o, ok := b.next(d, 0)
	if !ok {
		return Offer{}, gpumarket.Errorf(gpumarket.EUNAVAILABLE, "offer job %d: none of %d ranked providers has a free slot", d.JobID, len(d.Ranked))
	}
	return o, nil
}

// next offers the job to the first candidate from rank `from` on with a
// free slot.
func (b *Book) next(d *Decision, from int) (Offer, bool) {
	for i := from; i < len(d.Ranked); i++ {
		r := &d.Ranked[i]
		if b.inFlight[r.Provider] >= r.Slots {
			continue
		}
		b.inFlight[r.Provider]++
		o := Offer{Rank: i, Assignment: gpumarket.Assignment{
			JobID:    d.JobID,
			Provider: r.Provider,
			Price:    new(big.Int).Set(r.Cost),
			Expiry:   b.now().Add(b.ttl).Unix(),
		}}
		b.pending[d.JobID] = &pendingJob{dec: d, offer: o}
		return o, true
	}
	return Offer{}, false
}

// Accepted records that provider accepted job id on-chain (the chain is the
// truth: it is recorded even if the book had meanwhile moved the offer on, in
// which case the newer offer's slot is released). It returns an ECONFLICT
// error if the job was already accepted by another provider.
func (b *Book) Accepted(id gpumarket.JobID, provider gpumarket.Address) error {
	if p, ok := b.accepted[id]; ok {
		if p == provider {
			return nil
		}
		return gpumarket.Errorf(gpumarket.ECONFLICT, "accept job %d by %s: already accepted by %s", id, provider, p)
	}
	pj, ok := b.pending[id]
	switch {
	case ok && pj.offer.Assignment.Provider == provider:
		// The normal case: the reserved slot now holds the accepted job.
	case ok:
		b.release(pj.offer.Assignment.Provider)
		b.inFlight[provider]++
	default:
		b.inFlight[provider]++
	}
	delete(b.pending, id)
	b.accepted[id] = provider
	return nil
}

// Finished records that job id left the accepted state (settled, refunded)
// or was cancelled while offered, releasing its slot. Unknown jobs are
// ignored, so replayed events are harmless.
func (b *Book) Finished(id gpumarket.JobID) {
	if p, ok := b.accepted[id]; ok {
		b.release(p)
		delete(b.accepted, id)
	}
	if pj, ok := b.pending[id]; ok {
		b.release(pj.offer.Assignment.Provider)
		delete(b.pending, id)
	}
}

func (b *Book) release(p gpumarket.Address) {
	if n := b.inFlight[p]; n > 1 {
		b.inFlight[p] = n - 1
	} else {
		delete(b.inFlight, p)
	}
}

// Expire ends every offer whose expiry has passed (now ≥ expiry): the
// provider's miss is recorded, its slot released, and the job offered to the
// next ranked candidate with a free slot. Results are in job id order.
func (b *Book) Expire() []Expiry {
	now := b.now().Unix()
	var ids []gpumarket.JobID
	for id, pj := range b.pending {
		if now >= pj.offer.Assignment.Expiry {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	out := make([]Expiry, 0, len(ids))
	for _, id := range ids {
		pj := b.pending[id]
		delete(b.pending, id)
		p := pj.offer.Assignment.Provider
		b.misses[p]++
		b.release(p)
		e := Expiry{Expired: pj.offer}
		if o, ok := b.next(pj.dec, pj.offer.Rank+1); ok {
			e.Next = &o
		}
		out = append(out, e)
	}
	return out
}
