package service

import (
	"cmp"
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/matcher"
)

// Signer signs assignments with the matcher key (internal/eth/market.Market.AssignmentSigner).
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
	SpecGC
	BlobRefs
}

// Notifier delivers notifications on a channel until ctx ends
// (internal/postgres.DB.Listen, PostgreSQL LISTEN).
type Notifier interface {
	Listen(ctx context.Context, channel string, fn func(payload []byte)) error
}

// NotifyChannel is the channel the indexer notifies with
// {"chain_id": N, "job_ids": [...]} when jobs change on-chain, and the
// matcher with {"chain_id": N, "job_ids": [...], "source": "matcher"} when
// it makes or expires offers or records a job unmatchable (the queue
// ignores those; the API's status streams re-read the jobs).
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
	LeaseSchedule, OfflineSchedule, ReputationSchedule, OracleSchedule, SpecGCSchedule string
	// SpecGCGrace is how long an unreferenced spec is kept (a client
	// uploads the spec before creating its job); SpecGCBatch how many
	// specs one delete statement removes.
	SpecGCGrace time.Duration
	SpecGCBatch int
	// Inputs is the input store (POST /v1/blobs) to collect on
	// BlobGCSchedule (nil: none). A blob no on-chain job's spec references
	// is deleted once BlobGCGrace has passed since it was last uploaded; a
	// staged upload left by a crash once BlobStagedGrace has passed.
	// BlobGCBatch is how many blobs are checked per query.
	Inputs                       InputStore
	BlobGCSchedule               string
	BlobGCGrace, BlobStagedGrace time.Duration
	BlobGCBatch                  int
	// Reservation is the marketplace's rule for the stake an accepted job
	// reserves (gpumarket.ReservationRule): a provider whose free stake
	// (stake minus reservations of its unfinished jobs and live offers)
	// cannot back one more job at its price is not offered it. The zero rule
	// reserves nothing.
	Reservation gpumarket.ReservationRule
	// JobHash returns the hash an assignment of a job is bound to: the job's
	// hash as created (internal/eth/market.JobHashAtCreation). Required.
	JobHash func(*gpumarket.Job) (gpumarket.Hash, error)
	// Attestations, when not nil, receives the decoded attestation of
	// every candidate after each load and is consulted before decoding a
	// document; the API's quotes share it (api.Config.Attestations).
	Attestations *AttestationCache
}

// DefaultConfig returns the defaults for chainID and instance.
func DefaultConfig(chainID uint64, instance string) Config {
	return Config{
		ChainID: chainID, Instance: instance, Params: matcher.DefaultParams(),
		OfferTTL: 60 * time.Second, LeaseTTL: 30 * time.Second, Batch: 500, RetryAfter: 15 * time.Second,
		Poll: 2 * time.Second, CandidateRefresh: time.Second, SyncLookback: 10 * time.Minute, FullSyncEvery: 5 * time.Minute,
		Liveness: matcher.DefaultLivenessParams(), Reputation: matcher.DefaultReputationParams(), Oracle: matcher.DefaultOracleParams(),
		LeaseSchedule: "@every 10s", OfflineSchedule: "@every 15s", ReputationSchedule: "@every 5m", OracleSchedule: "@every 1m",
		SpecGCSchedule: "@every 10m", SpecGCGrace: 24 * time.Hour, SpecGCBatch: 1000,
		BlobGCSchedule: "@every 1h", BlobGCGrace: 24 * time.Hour, BlobStagedGrace: time.Hour, BlobGCBatch: 500,
	}
}

// Validate returns an EINVALID error naming the first unusable field.
func (c *Config) Validate() error {
	switch {
	case c.ChainID == 0:
		return gpumarket.Errorf(gpumarket.EINVALID, "chain_id: required")
	case c.JobHash == nil:
		return gpumarket.Errorf(gpumarket.EINVALID, "job_hash: required (assignments are bound to the job's hash as created)")
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
	case c.SpecGCGrace < time.Minute:
		return gpumarket.Errorf(gpumarket.EINVALID, "spec_gc_grace: %v is below 1m", c.SpecGCGrace)
	case c.SpecGCBatch < 1 || c.SpecGCBatch > 100_000:
		return gpumarket.Errorf(gpumarket.EINVALID, "spec_gc_batch: %d is not in [1, 100000]", c.SpecGCBatch)
	case c.Inputs != nil && c.BlobGCGrace < time.Minute:
		return gpumarket.Errorf(gpumarket.EINVALID, "blob_gc_grace: %v is below 1m", c.BlobGCGrace)
	case c.Inputs != nil && c.BlobStagedGrace < time.Minute:
		return gpumarket.Errorf(gpumarket.EINVALID, "blob_staged_grace: %v is below 1m (an upload in progress must not be swept)", c.BlobStagedGrace)
	case c.Inputs != nil && (c.BlobGCBatch < 1 || c.BlobGCBatch > 10_000):
		return gpumarket.Errorf(gpumarket.EINVALID, "blob_gc_batch: %d is not in [1, 10000]", c.BlobGCBatch)
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
	index      *matcher.Index // every candidate
	ownIndex   *matcher.Index // the candidates of the partitions held (index when all)
	indexParts *partSet       // the partitions ownIndex was built for
	parts      atomic.Pointer[partSet]
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
	def := DefaultConfig(cfg.ChainID, cfg.Instance)
	if cfg.SpecGCSchedule == "" {
		cfg.SpecGCSchedule = def.SpecGCSchedule
	}
	if cfg.SpecGCGrace == 0 {
		cfg.SpecGCGrace = def.SpecGCGrace
	}
	if cfg.SpecGCBatch == 0 {
		cfg.SpecGCBatch = def.SpecGCBatch
	}
	cfg.BlobGCSchedule = cmp.Or(cfg.BlobGCSchedule, def.BlobGCSchedule)
	cfg.BlobGCGrace = cmp.Or(cfg.BlobGCGrace, def.BlobGCGrace)
	cfg.BlobStagedGrace = cmp.Or(cfg.BlobStagedGrace, def.BlobStagedGrace)
	cfg.BlobGCBatch = cmp.Or(cfg.BlobGCBatch, def.BlobGCBatch)
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
	// Refused counts offers the store refused (provider filled by another
	// instance); Routed, jobs sent to another instance's partition.
	Refused, Routed int
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
		st.Refused += len(rec.Refused)
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
		r.st.Refused += len(r.rec.Refused)
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
	parts, ok := s.parts.Load().claimParts()
	if !ok {
		return f // no partition held yet: nothing to offer to
	}
	tc := time.Now()
	f.claimed, f.err = s.store.Claim(ctx, s.cfg.ChainID, s.cfg.Instance, parts, cursor, s.cfg.Batch, s.cfg.LeaseTTL, now)
	if f.err != nil {
		return f
	}
	if len(f.claimed) < s.cfg.Batch && cursor != nil {
		// The tail of the queue: wrap around to the start.
		f.cursor = nil
		more, err := s.store.Claim(ctx, s.cfg.ChainID, s.cfg.Instance, parts, nil, s.cfg.Batch-len(f.claimed), s.cfg.LeaseTTL, now)
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
		if ps := s.parts.Load(); ps != s.indexParts {
			s.buildOwnIndex(ps) // the partitions changed hands
		}
		return nil
	}
	tl := time.Now()
	if err := s.loadCandidates(ctx, now); err != nil {
		return err
	}
	st.LoadTime += time.Since(tl)
	return nil
}
