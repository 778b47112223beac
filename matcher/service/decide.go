package service

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/matcher"
)

// decideAll decides jobs in order (each offer takes a slot of its provider
// before the next job is decided) and then signs the offers on every CPU.
// Each job's decision time includes its signature.
func (s *Service) decideAll(ctx context.Context, jobs []*Claimed, now time.Time, st *Stats) ([]OfferRecord, []Retry) {
	offers := make([]OfferRecord, 0, len(jobs))
	var retries []Retry
	took := make([]time.Duration, 0, len(jobs))
	for _, c := range jobs {
		t0 := time.Now()
		o, r := s.decide(ctx, c, now)
		d := time.Since(t0)
		if o != nil {
			offers = append(offers, *o)
			took = append(took, d)
		} else {
			retries = append(retries, r)
			st.Decisions = append(st.Decisions, d)
			if r.Route != nil {
				st.Routed++
			}
		}
	}
	signTook := make([]time.Duration, len(offers))
	errs := make([]error, len(offers))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(offers)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < len(offers); i = int(next.Add(1) - 1) {
				o := &offers[i]
				t0 := time.Now()
				a := gpumarket.Assignment{JobID: o.JobID, JobHash: o.JobHash, Provider: o.Provider, Price: o.Price, Expiry: o.Expiry.Unix()}
				signed, err := matcher.Offer{Assignment: a, Rank: o.Rank}.Sign(s.signer)
				o.Signature, errs[i], signTook[i] = signed.Signature, err, time.Since(t0)
			}
		}()
	}
	wg.Wait()
	signedOffers := offers[:0]
	for i := range offers {
		st.Decisions = append(st.Decisions, took[i]+signTook[i])
		if errs[i] != nil {
			o := offers[i]
			if live := s.byAddr[o.Provider]; live != nil && live.InFlight > 0 {
				live.InFlight--                                           // the slot decide took
				live.Reserved = lessAtLeastZero(live.Reserved, o.Reserve) // and the stake it counted
			}
			retries = append(retries, Retry{ChainID: o.ChainID, JobID: o.JobID, Reason: "sign: " + gpumarket.ErrorMessage(errs[i]), At: now.Add(s.cfg.RetryAfter)})
			continue
		}
		signedOffers = append(signedOffers, offers[i])
	}
	return signedOffers, retries
}

// settle applies what Record did to the in-memory candidates (providers
// found full hold all their slots) and returns the jobs of refused offers
// to decide again; a job refused maxRounds times is sent back to pending
// (now) and the candidates are reloaded before the next decision.
func (s *Service) settle(ctx context.Context, rec Recorded, pending []*Claimed, rounds map[gpumarket.JobID]int, now time.Time) ([]*Claimed, error) {
	for _, p := range rec.Full {
		if c := s.byAddr[p]; c != nil && c.Attestation != nil {
			c.InFlight = c.Attestation.Slots
		}
	}
	if len(rec.Refused) == 0 {
		return nil, nil
	}
	byID := make(map[gpumarket.JobID]*Claimed, len(pending))
	for _, c := range pending {
		byID[c.Job.ID] = c
	}
	var again []*Claimed
	var giveUp []Retry
	for _, o := range rec.Refused {
		if rounds[o.JobID]++; rounds[o.JobID] < maxRounds {
			again = append(again, byID[o.JobID])
			continue
		}
		delete(rounds, o.JobID)
		giveUp = append(giveUp, Retry{ChainID: o.ChainID, JobID: o.JobID, At: now,
			Reason: "capacity: provider " + o.Provider.String() + " filled up while deciding", Decision: o.Decision})
	}
	if len(giveUp) > 0 {
		if _, err := s.store.Record(ctx, s.cfg.Instance, nil, giveUp, now); err != nil {
			return nil, err
		}
		s.index = nil // reload before the next decision
	}
	return again, nil
}

// loadCandidates reloads every provider, decoding attestations only when
// their commitment changed.
func (s *Service) loadCandidates(ctx context.Context, now time.Time) error {
	rows, err := s.store.Candidates(ctx, s.cfg.ChainID, len(s.atts) == 0)
	if err != nil {
		return err
	}
	var missing []gpumarket.Address
	shared := s.cfg.Attestations
	for _, r := range rows {
		if r.Document == nil && s.atts[r.Commitment] == nil && (shared == nil || shared.Get(r.Commitment) == nil) {
			missing = append(missing, r.Provider)
		}
	}
	if len(missing) > 0 {
		docs, err := s.store.Documents(ctx, s.cfg.ChainID, missing)
		if err != nil {
			return err
		}
		for i := range rows {
			if d, ok := docs[rows[i].Provider]; ok {
				rows[i].Document = d
			}
		}
	}
	cands := make([]*matcher.Candidate, 0, len(rows))
	by := make(map[gpumarket.Address]*matcher.Candidate, len(rows))
	seen := make(map[gpumarket.Hash]*gpumarket.Attestation, len(rows))
	for _, r := range rows {
		att := s.atts[r.Commitment]
		if att == nil && shared != nil {
			att = shared.Get(r.Commitment)
		}
		if att == nil {
			a, err := gpumarket.DecodeAttestation(bytes.NewReader(r.Document))
			if err != nil {
				s.log.Warn("stored attestation does not decode", "provider", r.Provider, "err", err)
				continue
			}
			att = a
		}
		seen[r.Commitment] = att
		c := r.Candidate(att, now, s.neutralRep)
		cands = append(cands, c)
		by[r.Provider] = c
	}
	s.cands, s.byAddr, s.atts, s.loadedAt = cands, by, seen, now
	if shared != nil {
		shared.Replace(seen)
	}
	s.index = matcher.NewIndex(cands)
	s.buildOwnIndex(s.parts.Load())
	return nil
}

// buildOwnIndex indexes the candidates of the partitions in ps (all of
// them when ps holds every partition or is nil).
func (s *Service) buildOwnIndex(ps *partSet) {
	s.indexParts = ps
	if ps == nil || ps.all {
		s.ownIndex = s.index
		return
	}
	own := make([]*matcher.Candidate, 0, len(s.cands)*len(ps.list)/Partitions+1)
	for _, c := range s.cands {
		if ps.held[PartitionOf(c.Provider)] {
			own = append(own, c)
		}
	}
	s.ownIndex = matcher.NewIndex(own)
}

// spec returns the claimed job's decoded spec, resolving and storing it
// from the job's URI when it is not stored yet. A nil spec comes with the
// retry to record.
func (s *Service) spec(ctx context.Context, c *Claimed, now time.Time) (*gpumarket.JobSpec, *Retry) {
	j := &c.Job
	retry := func(reason string, unmatchable bool) *Retry {
		return &Retry{ChainID: j.ChainID, JobID: j.ID, Reason: reason, At: now.Add(s.cfg.RetryAfter), Unmatchable: unmatchable}
	}
	if sp := s.specs[j.SpecHash]; sp != nil {
		return sp, nil
	}
	body := c.SpecBody
	if body == nil {
		b, source, err := s.fetcher.Fetch(ctx, c.SpecURI)
		if err != nil {
			return nil, retry(fmt.Sprintf("spec %s not available: %s (upload it with POST /v1/specs)", j.SpecHash, gpumarket.ErrorMessage(err)), false)
		}
		if h := SpecHash(b); h != j.SpecHash {
			return nil, retry(fmt.Sprintf("spec at %s hashes to %s, the chain committed to %s", source, h, j.SpecHash), false)
		}
		rec := SpecRecord{Hash: j.SpecHash, Body: b, Source: source}
		if source == "http" {
			rec.SourceURI = c.SpecURI
		}
		sp, derr := gpumarket.DecodeJobSpec(bytes.NewReader(b))
		if derr != nil {
			rec.Rejection = gpumarket.ErrorMessage(derr)
		} else {
			rec.Spec = sp
		}
		if err := s.store.StoreSpec(ctx, rec); err != nil {
			return nil, retry("store spec: "+gpumarket.ErrorMessage(err), false)
		}
		body, c.SpecValid, c.Rejection = b, derr == nil, rec.Rejection
	}
	if !c.SpecValid {
		return nil, retry("spec rejected: "+c.Rejection, true)
	}
	sp, err := gpumarket.DecodeJobSpec(bytes.NewReader(body))
	if err != nil {
		return nil, retry("spec rejected: "+gpumarket.ErrorMessage(err), true)
	}
	if len(s.specs) >= 50_000 {
		clear(s.specs)
	}
	s.specs[j.SpecHash] = sp
	return sp, nil
}

// decide places one claimed job: the next runner-up of its last decision
// when an earlier offer expired, otherwise a fresh decision; never a
// provider already offered the job. The offer it returns is not signed yet
// (decideAll signs), but its provider's slot is taken.
func (s *Service) decide(ctx context.Context, c *Claimed, now time.Time) (*OfferRecord, Retry) {
	j := &c.Job
	sp, r := s.spec(ctx, c, now)
	if r != nil {
		return nil, *r
	}
	req := &matcher.Request{Job: j, Spec: sp}
	if err := req.Validate(); err != nil {
		return nil, Retry{ChainID: j.ChainID, JobID: j.ID, Reason: "job cannot be matched: " + gpumarket.ErrorMessage(err), At: now, Unmatchable: true}
	}
	offered := make(map[gpumarket.Address]bool, len(c.Offered))
	for _, p := range c.Offered {
		offered[p] = true
	}
	var dec *matcher.Decision
	var eligible map[gpumarket.Address]*big.Int // nil: every ranked candidate (fresh decision)
	if len(c.Offered) > 0 && c.Decision != nil {
		dec, eligible = s.fallback(req, c, offered, now)
	}
	ps := s.indexParts
	if dec == nil {
		d, err := s.decider.DecideIndexed(req, s.ownIndex, now, matcher.DecideOptions{})
		if err != nil {
			return nil, Retry{ChainID: j.ChainID, JobID: j.ID, Reason: "decide: " + gpumarket.ErrorMessage(err), At: now.Add(s.cfg.RetryAfter)}
		}
		dec = d
	}
	var passed matcher.Passed // ranked providers passed over, for the explanation
	for rank, cand := range dec.Ranked {
		if offered[cand.Provider] {
			passed.AlreadyOffered++
			continue
		}
		if !ps.has(cand.Provider) {
			continue // another instance's (a runner-up of a stored decision)
		}
		live := s.byAddr[cand.Provider]
		if live == nil || live.InFlight >= cand.Slots {
			passed.Full++
			continue
		}
		if eligible != nil {
			cost, ok := eligible[cand.Provider]
			if !ok {
				continue
			}
			cand.Cost = cost // its price now (the attestation may have changed)
		}
		// Capacity by stake: the job reserves stake from the provider's free
		// stake when accepted; a provider that cannot back it is passed over
		// (the contract would refuse its acceptance).
		reserve := s.cfg.Reservation.For(j.Token, cand.Cost)
		if gpumarket.FreeStake(live.Stake, live.Reserved).Cmp(reserve) < 0 {
			passed.StakeShort++
			continue
		}
		jobHash, err := s.cfg.JobHash(j)
		if err != nil {
			return nil, Retry{ChainID: j.ChainID, JobID: j.ID, Reason: "job hash: " + gpumarket.ErrorMessage(err), At: now.Add(s.cfg.RetryAfter), Unmatchable: true}
		}
		live.InFlight++
		live.Reserved = new(big.Int).Add(orZero(live.Reserved), reserve) // replaced, not modified in place
		return &OfferRecord{
			ChainID: j.ChainID, JobID: j.ID, JobHash: jobHash, Reserve: reserve,
			Provider: cand.Provider, Price: cand.Cost, Expiry: time.Unix(now.Add(s.cfg.OfferTTL).Unix(), 0),
			Matcher: s.signer.Address(), Rank: rank, Slots: cand.Slots, Score: cand.Score,
			Ranked: dec.Ranked, Decision: dec,
		}, Retry{} // signed by decideAll
	}
	if ps != nil && !ps.all && c.Route == nil {
		if part, prov, ok := s.route(req, offered, ps, now); ok {
			return nil, Retry{ChainID: j.ChainID, JobID: j.ID, At: now, Route: &part,
				Reason: fmt.Sprintf("routed to provider partition %d (provider %s): no provider of this instance's partitions could take it", part, prov)}
		}
	}
	// Said per filter with the nearest fix (matcher.Explain) over every
	// candidate known now; the decision's counts stay in Decision.
	p := s.decider.Params()
	reason := matcher.Explain(req, s.cands, &p, now, passed)
	if reason == "" {
		reason = fmt.Sprintf("no provider could take the job (%d considered)", dec.Considered)
	}
	return nil, Retry{ChainID: j.ChainID, JobID: j.ID, Reason: reason, At: now.Add(s.cfg.RetryAfter), Decision: dec}
}

// route decides req over every provider and returns the partition of the
// best one outside ps that is not offered the job yet and has a free slot
// and the stake as far as this instance knows; ok is false when there is
// none (the job waits as unplaceable). The holder of that partition
// decides the job again among its own providers.
func (s *Service) route(req *matcher.Request, offered map[gpumarket.Address]bool, ps *partSet, now time.Time) (int, gpumarket.Address, bool) {
	dec, err := s.decider.DecideIndexed(req, s.index, now, matcher.DecideOptions{})
	if err != nil {
		return 0, gpumarket.Address{}, false
	}
	for _, cand := range dec.Ranked {
		live := s.byAddr[cand.Provider]
		if offered[cand.Provider] || ps.has(cand.Provider) || live == nil || live.InFlight >= cand.Slots {
			continue
		}
		if gpumarket.FreeStake(live.Stake, live.Reserved).Cmp(s.cfg.Reservation.For(req.Job.Token, cand.Cost)) < 0 {
			continue
		}
		return PartitionOf(cand.Provider), cand.Provider, true
	}
	return 0, gpumarket.Address{}, false
}

// storedRanked is the stored form of matcher.Ranked.
type storedRanked struct {
	Provider gpumarket.Address `json:"provider"`
	Cost     string            `json:"cost"`
	Slots    uint32            `json:"slots"`
	Score    matcher.Score     `json:"score"`
}

// fallback returns the job's last decision with its original ranking (so
// that ranks and runners-up still explain it) and the runners-up that are
// still eligible now (matcher.Check) with their current cost, so that the
// next candidate of the original ranking gets the job. It returns nil when
// none is left (decide afresh).
func (s *Service) fallback(req *matcher.Request, c *Claimed, offered map[gpumarket.Address]bool, now time.Time) (*matcher.Decision, map[gpumarket.Address]*big.Int) {
	var stored struct {
		JobID      gpumarket.JobID `json:"job_id"`
		At         int64           `json:"at"`
		Weights    matcher.Weights `json:"weights"`
		Considered int             `json:"considered"`
		Eligible   int             `json:"eligible"`
		Rejected   map[string]int  `json:"rejected"`
		Ranked     []storedRanked  `json:"ranked"`
	}
	if err := json.Unmarshal(c.Decision, &stored); err != nil {
		s.log.Warn("stored decision does not decode", "job_id", c.Job.ID, "err", err)
		return nil, nil
	}
	d := &matcher.Decision{JobID: c.Job.ID, At: stored.At, Weights: stored.Weights, Considered: stored.Considered,
		Eligible: stored.Eligible, Rejected: stored.Rejected}
	eligible := map[gpumarket.Address]*big.Int{}
	p := s.decider.Params()
	for _, r := range stored.Ranked {
		cost, ok := new(big.Int).SetString(r.Cost, 10)
		if !ok {
			return nil, nil
		}
		d.Ranked = append(d.Ranked, matcher.Ranked{Provider: r.Provider, Cost: cost, Slots: r.Slots, Score: r.Score})
		live := s.byAddr[r.Provider]
		if offered[r.Provider] || live == nil {
			continue
		}
		if rej, cost := matcher.Check(req, live, &p, now); rej.Reason == matcher.Eligible {
			eligible[r.Provider] = cost
		}
	}
	if len(eligible) == 0 {
		return nil, nil
	}
	return d, eligible
}

// lessAtLeastZero returns a - b, or 0 when b exceeds a (nil counts as 0).
func lessAtLeastZero(a, b *big.Int) *big.Int { return gpumarket.FreeStake(a, b) }

func orZero(v *big.Int) *big.Int {
	if v == nil {
		return new(big.Int)
	}
	return v
}
