package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/big"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/gpumarket/gpumarket/internal/eth/market"

	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/internal/eth/keys"

	"golang.org/x/sync/errgroup"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/matcher/service"
)

// MatcherStore is what the matcher benchmark needs: the queue's store and
// the fixture seeder (internal/postgres's MatcherBench implements both).
type MatcherStore interface {
	service.Store
	service.BenchSeeder
}

// MatcherConfig sizes a benchmark run.
type MatcherConfig struct {
	ChainID   uint64
	Providers int
	Jobs      int
	Instances int // matcher instances racing over the jobs (goroutines, each with its own claims)
	Batch     int
	Models    int // distinct models (default 10)
	Seed      uint64
	// BeforeMatch, when set, runs after seeding and the first sync, before
	// the matching phase is timed (e.g. to connect status-stream watchers
	// to the seeded jobs, ids 1..Jobs).
	BeforeMatch func(ctx context.Context) error
}

// MatcherResult is what a run measured.
type MatcherResult struct {
	Providers, Jobs, Offered, Instances, Batch int
	// Refused counts offers the provider load locks refused (another
	// instance filled the provider first); Routed, jobs sent to the
	// instance holding a better provider's partition.
	Refused, Routed               int
	SeedTime, SyncTime, MatchTime time.Duration
	PerSecond                     float64
	// Decision* are per-job decision times (spec lookup, filter, score,
	// rank, sign), measured around each decision.
	DecisionP50, DecisionP99, DecisionMax time.Duration
	// StepPerJobP99 is the 99th percentile over batches of the batch's wall
	// time (claim, candidate refresh, decisions, signatures, record until
	// committed) divided by the jobs it decided: the amortised time of a job
	// including the database. Batches overlap (Service.Drain records one
	// while deciding the next), so this is latency, not inverse throughput.
	StepPerJobP99 time.Duration
}

func (r MatcherResult) String() string {
	return fmt.Sprintf("providers=%d jobs=%d offered=%d refused=%d routed=%d instances=%d batch=%d\nseed=%s sync=%s match=%s\nassignments/s=%.0f\ndecision p50=%s p99=%s max=%s\nstep wall time per job p99=%s",
		r.Providers, r.Jobs, r.Offered, r.Refused, r.Routed, r.Instances, r.Batch, r.SeedTime.Round(time.Millisecond), r.SyncTime.Round(time.Millisecond),
		r.MatchTime.Round(time.Millisecond), r.PerSecond, r.DecisionP50, r.DecisionP99, r.DecisionMax, r.StepPerJobP99)
}

// Matcher seeds an empty database with cfg.Providers providers and cfg.Jobs
// open jobs and runs cfg.Instances matcher instances over them until every
// job is decided, signing with a fresh key. Fixture attestations are stored
// as accepted without signatures (the API path that verifies them is not
// what is measured).
//
// The data set: every provider serves the llm kind for one or two of
// cfg.Models models (so a job's model has about 2·Providers/Models
// candidates to filter and score), 8 to 24 slots, 16 to 80 GiB, prices
// 800–2000 per 1k tokens; jobs cycle through 4 estimates per model.
// Each instance runs Service.Drain, as the matcher does. Assignments per
// second counts offers recorded (signed, inserted, committed) over the
// matching phase (after seeding, the first Sync and an ANALYZE); the
// decision percentiles are per job, in process (spec lookup, filters,
// score, rank, EIP-712 signature), and the step figure adds the database
// round trips of the batch divided by its jobs.
func Matcher(ctx context.Context, store MatcherStore, cfg MatcherConfig, log *slog.Logger) (MatcherResult, error) {
	if cfg.Models <= 0 {
		cfg.Models = 10
	}
	if cfg.Instances <= 0 {
		cfg.Instances = 1
	}
	if cfg.Batch <= 0 {
		cfg.Batch = 500
	}
	res := MatcherResult{Providers: cfg.Providers, Jobs: cfg.Jobs, Instances: cfg.Instances, Batch: cfg.Batch}
	rng := rand.New(rand.NewPCG(cfg.Seed, 42))
	token := gpumarket.Address{0x70, 19: 1}
	now := time.Now()
	models := make([]string, cfg.Models)
	for i := range models {
		models[i] = fmt.Sprintf("model-%02d", i)
	}
	provs, err := fixtureProviders(cfg.ChainID, cfg.Providers, models, token, rng, now)
	if err != nil {
		return res, err
	}
	specs := make([]service.SpecRecord, 0, cfg.Models*4)
	for _, m := range models {
		for _, tokens := range []int{1000, 2000, 4000, 8000} {
			b := []byte(fmt.Sprintf(`{"kind":"llm","model":%q,"inputs":[{"name":"prompt","uri":"data:,hi"}],"requirements":{"min_vram_mib":16000,"gpu_count":1,"estimate":{"input_tokens":%d}}}`, m, tokens))
			sp, err := gpumarket.DecodeJobSpec(bytes.NewReader(b))
			if err != nil {
				return res, err
			}
			specs = append(specs, service.SpecRecord{Hash: service.SpecHash(b), Body: b, Source: "upload", Spec: sp})
		}
	}
	t0 := time.Now()
	if err := store.SeedBench(ctx, cfg.ChainID, provs, new(big.Int).Mul(big.NewInt(5), big.NewInt(1e18)), specs, cfg.Jobs, token, big.NewInt(1_000_000_000)); err != nil {
		return res, err
	}
	res.SeedTime = time.Since(t0)
	log.Info("bench seeded", "providers", cfg.Providers, "jobs", cfg.Jobs, "took", res.SeedTime)

	key, _, err := keys.GenerateKey()
	if err != nil {
		return res, err
	}
	signer, err := eip712.NewAssignmentSigner(key, eip712.MarketDomain(new(big.Int).SetUint64(cfg.ChainID), gpumarket.Address{0x4d, 19: 1}))
	if err != nil {
		return res, err
	}
	t0 = time.Now()
	if err := store.Sync(ctx, cfg.ChainID, time.Time{}, time.Now()); err != nil {
		return res, err
	}
	res.SyncTime = time.Since(t0)
	// The first sync filled matcher_jobs: give the planner the statistics
	// autovacuum would have gathered by then on a running system (servers
	// without autovacuum would otherwise plan the matching phase for an
	// empty table).
	if err := store.Analyze(ctx); err != nil {
		return res, err
	}

	if cfg.BeforeMatch != nil {
		if err := cfg.BeforeMatch(ctx); err != nil {
			return res, err
		}
	}
	var mu sync.Mutex
	var decisions, perJob []time.Duration
	svcs := make([]*service.Service, cfg.Instances)
	for i := range svcs {
		sc := service.DefaultConfig(cfg.ChainID, fmt.Sprintf("bench-%d", i))
		sc.Batch = cfg.Batch
		sc.CandidateRefresh = 2 * time.Second
		sc.OfferTTL = time.Hour // no offer expires during the run
		sc.JobHash = market.JobHashAtCreation
		if svcs[i], err = service.New(sc, store, nil, signer, nil, log, nil); err != nil {
			return res, err
		}
	}
	// The instances split the provider partitions as `matcher run` does
	// (Service.Rebalance, then KeepPartitions while matching): two rounds,
	// so that every instance is a member before anyone takes its share.
	for range 2 {
		for _, svc := range svcs {
			if err := svc.Rebalance(ctx); err != nil {
				return res, err
			}
		}
	}
	kctx, stopKeep := context.WithCancel(ctx)
	keep, kctx := errgroup.WithContext(kctx)
	for _, svc := range svcs {
		keep.Go(func() error { return svc.KeepPartitions(kctx) })
	}
	defer func() { stopKeep(); _ = keep.Wait() }()
	g, gctx := errgroup.WithContext(ctx)
	t0 = time.Now()
	for _, svc := range svcs {
		g.Go(func() error {
			for {
				claimed := 0
				err := svc.Drain(gctx, func(st service.Stats) {
					claimed += st.Claimed
					log.Debug("bench step", "claimed", st.Claimed, "decided", len(st.Decisions), "offered", st.Offered, "took", st.Wall,
						"claim", st.ClaimTime, "load", st.LoadTime, "record", st.RecordTime)
					mu.Lock()
					defer mu.Unlock()
					res.Offered += st.Offered
					res.Refused += st.Refused
					res.Routed += st.Routed
					decisions = append(decisions, st.Decisions...)
					if n := len(st.Decisions); n > 0 {
						perJob = append(perJob, st.Wall/time.Duration(n))
					}
				})
				if err != nil {
					return err
				}
				if claimed == 0 {
					return nil
				}
			}
		})
	}
	if err := g.Wait(); err != nil {
		return res, err
	}
	res.MatchTime = time.Since(t0)
	res.PerSecond = float64(res.Offered) / res.MatchTime.Seconds()
	slices.Sort(decisions)
	slices.Sort(perJob)
	if n := len(decisions); n > 0 {
		res.DecisionP50, res.DecisionP99, res.DecisionMax = decisions[n/2], decisions[(n*99)/100], decisions[n-1]
	}
	if n := len(perJob); n > 0 {
		res.StepPerJobP99 = perJob[(n*99)/100]
	}
	return res, nil
}

// fixtureProviders returns n accepted attestations of the benchmarks' data
// set: each provider serves the llm kind for one or two of models, 8 to 24
// slots, 16 to 80 GiB, prices 800–2000 per 1k tokens in token, valid for a
// week from now. Signatures are zero (the stores take them as accepted).
func fixtureProviders(chainID uint64, n int, models []string, token gpumarket.Address, rng *rand.Rand, now time.Time) ([]service.AttestationRecord, error) {
	provs := make([]service.AttestationRecord, n)
	for i := range provs {
		var p gpumarket.Address
		p[0], p[1], p[2], p[3] = 0xbe, byte(i>>16), byte(i>>8), byte(i)
		serve := []string{models[rng.IntN(len(models))]}
		if m := models[rng.IntN(len(models))]; m != serve[0] {
			serve = append(serve, m)
		}
		a := &gpumarket.Attestation{
			Provider: p, GPUModel: "RTX 4090", GPUCount: 1, VRAMMiB: []uint32{16384, 24564, 49140, 81920}[rng.IntN(4)],
			Architecture: gpumarket.ArchNVIDIA, CUDAVersion: "12.4", DriverVersion: "550", ComputeCapability: "8.9",
			Slots: uint32(8 + rng.IntN(17)), Region: "eu-west", Token: token,
			Capabilities: []gpumarket.Capability{{Kind: gpumarket.JobKindLLM, Models: serve,
				Prices: []gpumarket.Price{{Unit: gpumarket.UnitKTokens, Amount: big.NewInt(int64(800 + rng.IntN(1200)))}}}},
			IssuedAt: now.Unix() - 60, ExpiresAt: now.Unix() + 7*24*3600,
		}
		h, err := eip712.AttestationHash(a)
		if err != nil {
			return nil, err
		}
		doc, err := json.Marshal(a)
		if err != nil {
			return nil, err
		}
		provs[i] = service.AttestationRecord{ChainID: chainID, Attestation: a, Document: doc, Commitment: h,
			Signature: make([]byte, 65), Signer: p, Fingerprint: h}
	}
	return provs, nil
}
