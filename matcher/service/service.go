package service

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/big"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/robfig/cron/v3"
	"golang.org/x/sync/errgroup"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/matcher"
)

// Signer signs assignments with the matcher key (internal/eth.AssignmentSigner).
// It must be safe for concurrent use: offers are signed on every CPU.
type Signer interface {
	matcher.AssignmentSigner
	Address() gpumarket.Address
}

// Maintainer is the periodic work the store does (internal/postgres).
type Maintainer interface {
	ExpireLeases(ctx context.Context, now time.Time) (int64, error)
	MarkOffline(ctx context.Context, chainID uint64, cutoff, now time.Time) (int64, error)
	RecomputeReputation(ctx context.Context, chainID uint64, now time.Time, p matcher.ReputationParams) (int64, error)
	Settlements(ctx context.Context, chainID uint64, since time.Time) ([]SettlementRow, error)
	SaveSnapshots(ctx context.Context, snaps []Snapshot) error
}

// Notifier delivers notifications on a channel until ctx ends
// (internal/postgres.DB.Listen, PostgreSQL LISTEN).
type Notifier interface {
	Listen(ctx context.Context, channel string, fn func(payload []byte)) error
}

// NotifyChannel is the channel the indexer notifies with
// {"chain_id": N, "job_ids": [...]} when jobs change.
const NotifyChannel = "gpumarket_jobs"

// Config configures a Service. Zero durations and sizes take the defaults
// of DefaultConfig.
type Config struct {
	ChainID  uint64
	Instance string // lease owner id, unique per process
	Params   matcher.Params
	// OfferTTL is how long a provider has to accept an offer on-chain.
	OfferTTL time.Duration
	// LeaseTTL is how long a claim on a job lasts.
	LeaseTTL time.Duration
	// Batch is how many jobs one step claims.
	Batch int
	// RetryAfter is when a job without an eligible candidate is decided again.
	RetryAfter time.Duration
	// Poll is the fallback interval when no notification arrives.
	Poll time.Duration
	// CandidateRefresh is the longest a step reuses loaded candidates.
	CandidateRefresh time.Duration
	// SyncLookback is how far back (by block time) an incremental sync
	// looks for new open jobs; FullSyncEvery is how often every open job
	// is looked at.
	SyncLookback, FullSyncEvery time.Duration
	Liveness                    matcher.LivenessParams
	Reputation                  matcher.ReputationParams
	Oracle                      matcher.OracleParams
	// Cron schedules (robfig/cron syntax, e.g. "@every 10s").
	LeaseSchedule, OfflineSchedule, ReputationSchedule, OracleSchedule string
}

// DefaultConfig returns the defaults for chainID and instance.
func DefaultConfig(chainID uint64, instance string) Config {
	return Config{
		ChainID: chainID, Instance: instance, Params: matcher.DefaultParams(),
		OfferTTL: 60 * time.Second, LeaseTTL: 30 * time.Second, Batch: 500, RetryAfter: 15 * time.Second,
		Poll: 2 * time.Second, CandidateRefresh: time.Second, SyncLookback: 10 * time.Minute, FullSyncEvery: 5 * time.Minute,
		Liveness: matcher.DefaultLivenessParams(), Reputation: matcher.DefaultReputationParams(), Oracle: matcher.DefaultOracleParams(),
		LeaseSchedule: "@every 10s", OfflineSchedule: "@every 15s", ReputationSchedule: "@every 5m", OracleSchedule: "@every 1m",
	}
}

// Validate returns an EINVALID error naming the first unusable field.
func (c *Config) Validate() error {
	switch {
	case c.ChainID == 0:
		return gpumarket.Errorf(gpumarket.EINVALID, "chain_id: required")
	case c.Instance == "":
		return gpumarket.Errorf(gpumarket.EINVALID, "instance: required")
	case c.OfferTTL < time.Second:
		return gpumarket.Errorf(gpumarket.EINVALID, "offer_ttl: %v is below 1s", c.OfferTTL)
	case c.LeaseTTL < time.Second:
		return gpumarket.Errorf(gpumarket.EINVALID, "lease_ttl: %v is below 1s", c.LeaseTTL)
	case c.Batch < 1 || c.Batch > 10_000:
		return gpumarket.Errorf(gpumarket.EINVALID, "batch: %d is not in [1, 10000]", c.Batch)
	case c.RetryAfter <= 0 || c.Poll <= 0:
		return gpumarket.Errorf(gpumarket.EINVALID, "retry_after and poll must be positive")
	case c.SyncLookback < c.Poll || c.FullSyncEvery <= 0:
		return gpumarket.Errorf(gpumarket.EINVALID, "sync_lookback must be at least poll and full_sync_every positive")
	}
	if err := c.Params.Validate(); err != nil {
		return err
	}
	if err := c.Liveness.Validate(); err != nil {
		return err
	}
	if err := c.Oracle.Validate(); err != nil {
		return err
	}
	return matcher.ValidateReputationParams(c.Reputation)
}

// Service is one matcher instance. Its methods other than Run must not be
// called concurrently with each other (Run serialises them).
type Service struct {
	cfg     Config
	store   Store
	maint   Maintainer
	signer  Signer
	fetcher *Fetcher
	log     *slog.Logger
	now     func() time.Time
	decider *matcher.Decider

	cands      []*matcher.Candidate
	byAddr     map[gpumarket.Address]*matcher.Candidate
	index      *matcher.Index
	loadedAt   time.Time
	atts       map[gpumarket.Hash]*gpumarket.Attestation // by commitment
	specs      map[gpumarket.Hash]*gpumarket.JobSpec
	neutralRep uint32
	cursor     *gpumarket.JobID // last claimed job id (see Store.Claim)
}

// New returns a service. fetcher may be nil (specs must then be uploaded or
// inline); now defaults to time.Now. It returns an EINVALID error for an
// invalid config or a missing dependency.
func New(cfg Config, store Store, maint Maintainer, signer Signer, fetcher *Fetcher, log *slog.Logger, now func() time.Time) (*Service, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if store == nil || signer == nil || log == nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "service needs a store, a signer and a logger")
	}
	if now == nil {
		now = time.Now
	}
	d, err := matcher.NewDecider(cfg.Params)
	if err != nil {
		return nil, err
	}
	return &Service{
		cfg: cfg, store: store, maint: maint, signer: signer, fetcher: fetcher, log: log, now: now, decider: d,
		atts: map[gpumarket.Hash]*gpumarket.Attestation{}, specs: map[gpumarket.Hash]*gpumarket.JobSpec{},
		neutralRep: matcher.Reputation(nil, now(), cfg.Reputation).Score,
	}, nil
}

// Stats counts what one Step (or one batch of Drain) did.
type Stats struct {
	Claimed, Offered, Retried, Expired int
	// Decisions are the wall-clock durations of each job's decision
	// (filter, score, rank, sign), for the benchmark.
	Decisions []time.Duration
	// ClaimTime, LoadTime and RecordTime are the step's database phases.
	ClaimTime, LoadTime, RecordTime time.Duration
	// Wall is the batch's time from the start of its claim to the commit
	// of its offers (with Drain, batches overlap).
	Wall time.Duration
}

// maxRounds is how many times a job whose offer the database refused (its
// provider filled up meanwhile) is decided again before it waits for the
// next claim.
const maxRounds = 3

// Step does one round: expires lapsed offers, claims a batch of pending
// jobs, decides each, and records the offers. It returns what it did; a
// batch smaller than Config.Batch means the queue is drained for now.
func (s *Service) Step(ctx context.Context) (Stats, error) {
	var st Stats
	t0 := time.Now()
	now := s.now()
	claimed, err := s.claim(ctx, now, &st)
	if err != nil || len(claimed) == 0 {
		return st, err
	}
	if err := s.refresh(ctx, now, st.Expired > 0, &st); err != nil {
		return st, err
	}
	pending := make([]*Claimed, len(claimed))
	for i := range claimed {
		pending[i] = &claimed[i]
	}
	// Offers the database refuses (another instance filled the provider
	// meanwhile) are decided again at once with the provider marked full,
	// a few rounds at most; what is left waits for the next step.
	rounds := map[gpumarket.JobID]int{}
	for len(pending) > 0 {
		offers, retries := s.decideAll(ctx, pending, now, &st)
		tr := time.Now()
		rec, err := s.store.Record(ctx, s.cfg.Instance, offers, retries, now)
		if err != nil {
			return st, err
		}
		st.RecordTime += time.Since(tr)
		st.Offered += len(rec.Inserted)
		if pending, err = s.settle(ctx, rec, pending, rounds, now); err != nil {
			return st, err
		}
	}
	st.Retried = len(claimed) - st.Offered
	st.Wall = time.Since(t0)
	return st, nil
}

// Drain steps until the queue is drained for now (a claim comes back
// short and everything claimed is recorded), overlapping the three stages
// of consecutive batches: while batch N is decided and signed, batch N-1 is
// recorded and batch N+1 claimed, so that the database's work overlaps the
// matcher's and both CPUs of a small machine stay busy. One batch at most is
// being recorded and one claimed at a time, and candidates are reloaded only
// once the batch being recorded is committed (so the loaded in-flight counts
// include it). Jobs whose offers were refused are decided again with a
// later batch (at most maxRounds times), as in Step. onStep, when not nil,
// receives each batch's stats once it is recorded. Cancellation is returned
// as ctx's error.
func (s *Service) Drain(ctx context.Context, onStep func(Stats)) error {
	type recording struct {
		st      Stats
		t0      time.Time
		pending []*Claimed
		now     time.Time
		done    chan struct{}
		rec     Recorded
		err     error
	}
	type claiming struct {
		f    fetched
		done chan struct{}
	}
	var (
		inflight *recording
		next     *claiming
		carry    []*Claimed // refused offers' jobs, still claimed
		rounds   = map[gpumarket.JobID]int{}
		drained  bool
	)
	startClaim := func() {
		c := &claiming{done: make(chan struct{})}
		next = c
		cursor, now := s.cursor, s.now()
		go func() {
			defer close(c.done)
			c.f = s.fetch(ctx, cursor, now)
		}()
	}
	// wait finishes the batch being recorded: its refused jobs join carry.
	wait := func() error {
		r := inflight
		if r == nil {
			return nil
		}
		<-r.done
		inflight = nil
		if r.err != nil {
			return r.err
		}
		r.st.Offered += len(r.rec.Inserted)
		again, err := s.settle(ctx, r.rec, r.pending, rounds, r.now)
		if err != nil {
			return err
		}
		carry = append(carry, again...)
		r.st.Retried = len(r.pending) - len(r.rec.Inserted) - len(again)
		r.st.Wall = time.Since(r.t0)
		if onStep != nil {
			onStep(r.st)
		}
		return nil
	}
	defer func() {
		// The goroutines never outlive Drain.
		if inflight != nil {
			<-inflight.done
		}
		if next != nil {
			<-next.done
		}
	}()
	startClaim()
	for {
		var st Stats
		t0, now := time.Now(), s.now()
		var jobs []*Claimed
		if next != nil {
			<-next.done
			f := next.f
			next = nil
			if f.err != nil {
				return f.err
			}
			t0, now = f.start, f.now
			claimed := s.apply(f, &st)
			drained = len(claimed) < s.cfg.Batch
			if !drained {
				startClaim() // claim the next batch while this one is decided
			}
			for i := range claimed {
				jobs = append(jobs, &claimed[i])
			}
		}
		if len(jobs) == 0 && len(carry) == 0 {
			if inflight == nil {
				return nil
			}
			if err := wait(); err != nil {
				return err
			}
			continue
		}
		if s.reloadDue(now, st.Expired > 0) {
			if err := wait(); err != nil {
				return err
			}
		}
		if err := s.refresh(ctx, now, st.Expired > 0, &st); err != nil {
			return err
		}
		jobs = append(carry, jobs...)
		carry = nil
		offers, retries := s.decideAll(ctx, jobs, now, &st)
		if err := wait(); err != nil {
			return err
		}
		r := &recording{st: st, t0: t0, pending: jobs, now: now, done: make(chan struct{})}
		inflight = r
		go func() {
			defer close(r.done)
			tr := time.Now()
			r.rec, r.err = s.store.Record(ctx, s.cfg.Instance, offers, retries, now)
			r.st.RecordTime = time.Since(tr)
		}()
	}
}

// fetched is what fetch got: the offers that expired, the jobs claimed and
// the queue cursor after them.
type fetched struct {
	now     time.Time
	start   time.Time
	exp     []Expired
	claimed []Claimed
	cursor  *gpumarket.JobID
	took    time.Duration // claim time
	err     error
}

// fetch expires lapsed offers and claims the next batch after cursor,
// wrapping around at the end of the queue. It reads no mutable Service
// state, so that Drain can run it while deciding the previous batch.
func (s *Service) fetch(ctx context.Context, cursor *gpumarket.JobID, now time.Time) fetched {
	f := fetched{now: now, start: time.Now(), cursor: cursor}
	f.exp, f.err = s.store.ExpireOffers(ctx, s.cfg.ChainID, now)
	if f.err != nil {
		return f
	}
	tc := time.Now()
	f.claimed, f.err = s.store.Claim(ctx, s.cfg.ChainID, s.cfg.Instance, cursor, s.cfg.Batch, s.cfg.LeaseTTL, now)
	if f.err != nil {
		return f
	}
	if len(f.claimed) < s.cfg.Batch && cursor != nil {
		// The tail of the queue: wrap around to the start.
		f.cursor = nil
		more, err := s.store.Claim(ctx, s.cfg.ChainID, s.cfg.Instance, nil, s.cfg.Batch-len(f.claimed), s.cfg.LeaseTTL, now)
		if err != nil {
			f.err = err
			return f
		}
		f.claimed = append(f.claimed, more...)
		if len(more) > 0 {
			last := more[len(more)-1].Job.ID
			f.cursor = &last
		}
	} else if len(f.claimed) > 0 {
		last := f.claimed[len(f.claimed)-1].Job.ID
		f.cursor = &last
	}
	f.took = time.Since(tc)
	return f
}

// apply takes what fetch got into the service (the cursor, and the slots
// that expired offers free) and returns the claimed jobs.
func (s *Service) apply(f fetched, st *Stats) []Claimed {
	s.cursor = f.cursor
	st.Expired = len(f.exp)
	for _, e := range f.exp {
		s.log.Info("offer expired", "job_id", e.JobID, "provider", e.Provider, "rank", e.Rank)
		if c := s.byAddr[e.Provider]; c != nil && c.InFlight > 0 {
			c.InFlight--
		}
	}
	st.Claimed = len(f.claimed)
	st.ClaimTime = f.took
	return f.claimed
}

// claim expires lapsed offers and claims the next batch, walking the queue
// from the instance's cursor and wrapping around at its end.
func (s *Service) claim(ctx context.Context, now time.Time, st *Stats) ([]Claimed, error) {
	f := s.fetch(ctx, s.cursor, now)
	if f.err != nil {
		return nil, f.err
	}
	return s.apply(f, st), nil
}

func (s *Service) reloadDue(now time.Time, expired bool) bool {
	return expired || s.index == nil || now.Sub(s.loadedAt) >= s.cfg.CandidateRefresh
}

// refresh reloads the candidates when they are older than
// Config.CandidateRefresh, missing, or when offers expired.
func (s *Service) refresh(ctx context.Context, now time.Time, expired bool, st *Stats) error {
	if !s.reloadDue(now, expired) {
		return nil
	}
	tl := time.Now()
	if err := s.loadCandidates(ctx, now); err != nil {
		return err
	}
	st.LoadTime += time.Since(tl)
	return nil
}

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
				a := gpumarket.Assignment{JobID: o.JobID, Provider: o.Provider, Price: o.Price, Expiry: o.Expiry.Unix()}
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
				live.InFlight-- // the slot decide took
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
	for _, r := range rows {
		if r.Document == nil && s.atts[r.Commitment] == nil {
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
		if att == nil {
			a, err := gpumarket.DecodeAttestation(bytes.NewReader(r.Document))
			if err != nil {
				s.log.Warn("stored attestation does not decode", "provider", r.Provider, "err", err)
				continue
			}
			att = a
		}
		seen[r.Commitment] = att
		c := candidateOf(r, att, now, s.neutralRep)
		cands = append(cands, c)
		by[r.Provider] = c
	}
	s.cands, s.byAddr, s.atts, s.loadedAt = cands, by, seen, now
	s.index = matcher.NewIndex(cands)
	return nil
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
		if h := hashSpec(b); h != j.SpecHash {
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
	if dec == nil {
		d, err := s.decider.DecideIndexed(req, s.index, now, matcher.DecideOptions{})
		if err != nil {
			return nil, Retry{ChainID: j.ChainID, JobID: j.ID, Reason: "decide: " + gpumarket.ErrorMessage(err), At: now.Add(s.cfg.RetryAfter)}
		}
		dec = d
	}
	for rank, cand := range dec.Ranked {
		if offered[cand.Provider] {
			continue
		}
		live := s.byAddr[cand.Provider]
		if live == nil || live.InFlight >= cand.Slots {
			continue
		}
		if eligible != nil {
			cost, ok := eligible[cand.Provider]
			if !ok {
				continue
			}
			cand.Cost = cost // its price now (the attestation may have changed)
		}
		live.InFlight++
		return &OfferRecord{
			ChainID: j.ChainID, JobID: j.ID, Provider: cand.Provider, Price: cand.Cost, Expiry: time.Unix(now.Add(s.cfg.OfferTTL).Unix(), 0),
			Matcher: s.signer.Address(), Rank: rank, Slots: cand.Slots, Score: cand.Score,
			Ranked: dec.Ranked, Decision: dec,
		}, Retry{} // signed by decideAll
	}
	reason := fmt.Sprintf("no eligible provider (%d considered, %d eligible, rejected %v)", dec.Considered, dec.Eligible, dec.Rejected)
	return nil, Retry{ChainID: j.ChainID, JobID: j.ID, Reason: reason, At: now.Add(s.cfg.RetryAfter), Decision: dec}
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

// Run matches until ctx ends: it syncs with the chain state on every
// notification on NotifyChannel for its chain (when notifier is not nil)
// and every Config.Poll, steps until the queue is drained, and runs the
// periodic work on the cron schedule. Cancellation is a normal return.
func (s *Service) Run(ctx context.Context, notifier Notifier) error {
	g, ctx := errgroup.WithContext(ctx)
	wake := make(chan struct{}, 1)
	signal := func() {
		select {
		case wake <- struct{}{}:
		default:
		}
	}
	if notifier != nil {
		g.Go(func() error {
			for {
				err := notifier.Listen(ctx, NotifyChannel, func(payload []byte) {
					var n struct {
						ChainID uint64   `json:"chain_id"`
						JobIDs  []uint64 `json:"job_ids"`
					}
					if json.Unmarshal(payload, &n) == nil && n.ChainID == s.cfg.ChainID {
						signal()
					}
				})
				if ctx.Err() != nil {
					return nil
				}
				s.log.Warn("listen failed; polling until it is back", "err", err)
				select {
				case <-ctx.Done():
					return nil
				case <-time.After(5 * time.Second):
				}
			}
		})
	}
	sched, err := s.schedule(ctx)
	if err != nil {
		return err
	}
	sched.Start()
	g.Go(func() error {
		<-ctx.Done()
		<-sched.Stop().Done() // wait for running jobs
		return nil
	})
	g.Go(func() error {
		t := time.NewTicker(s.cfg.Poll)
		defer t.Stop()
		var lastFull time.Time
		for {
			// Incremental syncs look at jobs created in the last
			// SyncLookback; a full one (every open job) runs at start and
			// every FullSyncEvery, catching jobs indexed late (backfill).
			now := s.now()
			since := now.Add(-s.cfg.SyncLookback)
			if now.Sub(lastFull) >= s.cfg.FullSyncEvery {
				since, lastFull = time.Time{}, now
			}
			if err := s.store.Sync(ctx, s.cfg.ChainID, since, now); err != nil && ctx.Err() == nil {
				s.log.Error("sync failed", "err", err)
			}
			err := s.Drain(ctx, func(st Stats) {
				if st.Offered > 0 || st.Expired > 0 {
					s.log.Info("matched", "claimed", st.Claimed, "offered", st.Offered, "retried", st.Retried, "expired", st.Expired)
				}
			})
			if err != nil && ctx.Err() == nil {
				s.log.Error("step failed", "err", err)
			}
			select {
			case <-ctx.Done():
				return nil
			case <-wake:
			case <-t.C:
			}
		}
	})
	return g.Wait()
}

func (s *Service) schedule(ctx context.Context) (*cron.Cron, error) {
	c := cron.New(cron.WithChain(cron.SkipIfStillRunning(cron.DiscardLogger)))
	jobs := []struct {
		name, spec string
		fn         func(context.Context) error
	}{
		{"expire_leases", s.cfg.LeaseSchedule, func(ctx context.Context) error {
			_, err := s.maint.ExpireLeases(ctx, s.now())
			return err
		}},
		{"mark_offline", s.cfg.OfflineSchedule, s.MarkOffline},
		{"reputation", s.cfg.ReputationSchedule, func(ctx context.Context) error {
			_, err := s.maint.RecomputeReputation(ctx, s.cfg.ChainID, s.now(), s.cfg.Reputation)
			return err
		}},
		{"oracle_snapshot", s.cfg.OracleSchedule, s.Snapshot},
	}
	if s.maint == nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "service: periodic work needs a maintainer")
	}
	for _, j := range jobs {
		if _, err := c.AddFunc(j.spec, func() {
			if err := j.fn(ctx); err != nil && ctx.Err() == nil {
				s.log.Error("periodic job failed", "job", j.name, "err", err)
			}
		}); err != nil {
			return nil, gpumarket.Errorf(gpumarket.EINVALID, "schedule %s %q: %v", j.name, j.spec, err)
		}
	}
	return c, nil
}

// MarkOffline moves providers that missed Liveness.MissedBeforeOffline
// heartbeat intervals offline.
func (s *Service) MarkOffline(ctx context.Context) error {
	now := s.now()
	cutoff := now.Add(-time.Duration(s.cfg.Liveness.MissedBeforeOffline) * s.cfg.Liveness.Interval)
	n, err := s.maint.MarkOffline(ctx, s.cfg.ChainID, cutoff, now)
	if n > 0 {
		s.log.Info("providers offline", "count", n)
	}
	return err
}

// Snapshot computes the oracle's fair rates from the active providers'
// prices and the settlements of the window, and records them. Render
// settlements are left out: a render job's amount covers two units (frames
// and GPU-seconds) that cannot be separated into unit prices.
func (s *Service) Snapshot(ctx context.Context) error {
	now := s.now()
	rows, err := s.store.Candidates(ctx, s.cfg.ChainID, true)
	if err != nil {
		return err
	}
	type key struct {
		rk    matcher.RateKey
		token gpumarket.Address
	}
	points := map[key][]matcher.PricePoint{}
	for _, r := range rows {
		if r.Status != gpumarket.ProviderOnline && r.Status != gpumarket.ProviderBusy {
			continue
		}
		a, err := gpumarket.DecodeAttestation(bytes.NewReader(r.Document))
		if err != nil || a.Expired(now.Unix()) || !r.ChainCommits || !r.Active {
			continue
		}
		for _, c := range a.Capabilities {
			for _, p := range c.Prices {
				k := key{matcher.RateKey{Kind: c.Kind, Unit: p.Unit, Class: matcher.ClassOf(a.VRAMMiB)}, a.Token}
				points[k] = append(points[k], matcher.PricePoint{Provider: r.Provider, Price: p.Amount, Stake: r.Stake, LastSeen: now})
			}
		}
	}
	setts, err := s.maint.Settlements(ctx, s.cfg.ChainID, now.Add(-s.cfg.Oracle.Window))
	if err != nil {
		return err
	}
	bySett := map[key][]matcher.Settlement{}
	volume := map[key]map[gpumarket.Address]uint64{}
	for _, st := range setts {
		if st.Kind == gpumarket.JobKindRender {
			continue
		}
		u := st.Kind.Units()[0]
		q := st.Units1
		if st.Kind == gpumarket.JobKindLLM {
			q += st.Units2
		}
		if q == 0 {
			continue
		}
		price := new(big.Int).Mul(st.AmountDue, new(big.Int).SetUint64(u.Divisor()))
		price.Quo(price, new(big.Int).SetUint64(q))
		k := key{matcher.RateKey{Kind: st.Kind, Unit: u, Class: matcher.ClassOf(st.VRAMMiB)}, st.Token}
		bySett[k] = append(bySett[k], matcher.Settlement{Provider: st.Provider, UnitPrice: price, Units: q, At: st.SettledAt})
		if volume[k] == nil {
			volume[k] = map[gpumarket.Address]uint64{}
		}
		volume[k][st.Provider] += q
	}
	var snaps []Snapshot
	for k, pts := range points {
		for i := range pts {
			pts[i].Volume = volume[k][pts[i].Provider]
		}
		r, err := matcher.FairRate(k.rk, pts, bySett[k], now, &s.cfg.Oracle)
		if err != nil {
			if gpumarket.ErrorCode(err) == gpumarket.ENOTFOUND {
				continue
			}
			return err
		}
		snaps = append(snaps, Snapshot{Token: k.token, Rate: r, ComputedAt: now})
	}
	return s.maint.SaveSnapshots(ctx, snaps)
}
