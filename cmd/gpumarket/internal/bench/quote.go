package bench

import (
	"context"
	"fmt"
	"log/slog"
	"math/big"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/matcher"
	"github.com/gpumarket/gpumarket/matcher/api"
	"github.com/gpumarket/gpumarket/matcher/service"
)

// QuoteStore is what the quote benchmark needs: the fixture seeder, the
// snapshot writer and the API's store (internal/postgres's MatcherBench,
// MatcherMaintenance and MatcherAPIStore).
type QuoteStore struct {
	Seeder    service.BenchSeeder
	Snapshots interface {
		SaveSnapshots(ctx context.Context, snaps []service.Snapshot) error
	}
	API api.Store
}

// QuoteConfig sizes a quote benchmark run.
type QuoteConfig struct {
	ChainID   uint64
	Providers int
	Models    int // distinct models (default 10)
	// Rounds of Quotes requests each, sent by Workers goroutines.
	Rounds, Quotes, Workers int
	Seed                    uint64
	// RowsTTL is the API's api.Config.QuoteRowsTTL (zero: its default;
	// negative: every quote queries).
	RowsTTL time.Duration
}

// QuoteResult is what a quote run measured: quotes per second of each
// round, and how many providers qualified for the quoted spec.
type QuoteResult struct {
	Providers, Qualifying, Workers, Quotes int
	SeedTime                               time.Duration
	PerSecond                              []float64 // per round, sorted
}

func (r QuoteResult) String() string {
	n := len(r.PerSecond)
	if n == 0 {
		return "no rounds"
	}
	return fmt.Sprintf("providers=%d qualifying=%d workers=%d quotes/round=%d rounds=%d seed=%s\nquotes/s min=%.1f median=%.1f max=%.1f",
		r.Providers, r.Qualifying, r.Workers, r.Quotes, n, r.SeedTime.Round(time.Millisecond), r.PerSecond[0], r.PerSecond[n/2], r.PerSecond[n-1])
}

// Quote seeds an empty database with cfg.Providers providers (the data set
// of Matcher) and an oracle rate for every class, then serves POST
// /v1/quote through the shipped API handler (api.Server.Handler, in
// process, without a network) cfg.Rounds times cfg.Quotes requests from
// cfg.Workers goroutines, and reports the quotes per second of each round.
// Every response must be a 200; the quoted spec is an llm job for the first
// model, which about 2·Providers/Models providers serve.
func Quote(ctx context.Context, st QuoteStore, cfg QuoteConfig, log *slog.Logger) (QuoteResult, error) {
	if cfg.Models <= 0 {
		cfg.Models = 10
	}
	cfg.Rounds, cfg.Quotes, cfg.Workers = max(cfg.Rounds, 1), max(cfg.Quotes, 1), max(cfg.Workers, 1)
	res := QuoteResult{Providers: cfg.Providers, Workers: cfg.Workers, Quotes: cfg.Quotes}
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
	spec := fmt.Sprintf(`{"kind":"llm","model":%q,"inputs":[{"name":"prompt","uri":"data:,hi"}],"requirements":{"min_vram_mib":16000,"gpu_count":1,"estimate":{"input_tokens":4000}}}`, models[0])
	sp, err := gpumarket.DecodeJobSpec(strings.NewReader(spec))
	if err != nil {
		return res, err
	}
	t0 := time.Now()
	if err := st.Seeder.SeedBench(ctx, cfg.ChainID, provs, new(big.Int).Mul(big.NewInt(5), big.NewInt(1e18)),
		[]service.SpecRecord{{Hash: service.SpecHash([]byte(spec)), Body: []byte(spec), Source: "upload", Spec: sp}}, 1, token, big.NewInt(1_000_000_000)); err != nil {
		return res, err
	}
	var snaps []service.Snapshot
	for _, c := range matcher.Classes {
		k := matcher.RateKey{Kind: gpumarket.JobKindLLM, Unit: gpumarket.UnitKTokens, Class: c}
		snaps = append(snaps, service.Snapshot{ChainID: cfg.ChainID, Token: token, ComputedAt: now,
			Rate: &matcher.Rate{Key: k, Fair: big.NewInt(1400), Low: big.NewInt(1000), High: big.NewInt(1800), Providers: cfg.Providers}})
	}
	if err := st.Snapshots.SaveSnapshots(ctx, snaps); err != nil {
		return res, err
	}
	res.SeedTime = time.Since(t0)
	log.Info("quote bench seeded", "providers", cfg.Providers, "took", res.SeedTime)

	verifier, err := eip712.NewRegistryVerifier(cfg.ChainID, gpumarket.Address{0x4e, 19: 1})
	if err != nil {
		return res, err
	}
	srv, err := api.New(api.Config{ChainID: cfg.ChainID, Params: matcher.DefaultParams(),
		Quote:    matcher.QuoteParams{MinimumPrice: big.NewInt(1000), ProtocolFeeBps: 250},
		Liveness: matcher.DefaultLivenessParams(), QuoteRowsTTL: cfg.RowsTTL}, st.API, verifier, log, nil)
	if err != nil {
		return res, err
	}
	h := srv.Handler()
	body := fmt.Sprintf(`{"spec":%s,"token":%q}`, spec, token)
	quote := func() (int, string) {
		req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/v1/quote", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w.Code, w.Body.String()
	}
	code, out := quote() // warm up, and count the qualifying providers
	if code != http.StatusOK {
		return res, fmt.Errorf("quote: status %d: %.200s", code, out)
	}
	res.Qualifying = strings.Count(out, `"provider":`)
	for range cfg.Rounds {
		var next atomic.Int64
		var failed atomic.Value
		var wg sync.WaitGroup
		t0 := time.Now()
		for range cfg.Workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for next.Add(1) <= int64(cfg.Quotes) {
					if code, out := quote(); code != http.StatusOK {
						failed.Store(fmt.Errorf("quote: status %d: %.200s", code, out))
						return
					}
				}
			}()
		}
		wg.Wait()
		if err, _ := failed.Load().(error); err != nil {
			return res, err
		}
		res.PerSecond = append(res.PerSecond, float64(cfg.Quotes)/time.Since(t0).Seconds())
	}
	slices.Sort(res.PerSecond)
	return res, nil
}
