package bench_test

import (
	"context"
	"flag"
	"fmt"
	"math/big"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/cmd/gpumarket/internal/bench"
	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/matcher"
	"github.com/gpumarket/gpumarket/matcher/api"
	"github.com/gpumarket/gpumarket/matcher/client"
	"github.com/gpumarket/gpumarket/matcher/matchertest"
)

var benchWatchers = flag.Int("bench-watchers", 1000, "status-stream watchers in BenchmarkMatchWatched")

// BenchmarkMatchWatched measures the matcher's assignment rate (bench.Matcher)
// with and without -bench-watchers clients each holding a status stream
// (GET /v1/jobs/{chainId}/{jobId}/events) on one of the seeded jobs, served
// by the API in the same process on the same database and fed by its one
// LISTEN: every offer the matcher records notifies, and its watcher
// re-reads the job. Run with -benchtime=1x.
func BenchmarkMatchWatched(b *testing.B) {
	for _, watchers := range []int{0, *benchWatchers} {
		b.Run(fmt.Sprintf("watchers=%d", watchers), func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				e := matchertest.New(b)
				var received atomic.Int64
				cfg := bench.MatcherConfig{ChainID: matchertest.Chain, Providers: *benchProviders, Jobs: *benchJobs, Instances: *benchInstances, Batch: 500}
				if watchers > 0 {
					cfg.BeforeMatch = func(ctx context.Context) error { return watch(b, e, watchers, &received) }
				}
				b.StartTimer()
				res, err := bench.Matcher(e.Ctx, e.Bench, cfg, e.Log)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(res.PerSecond, "assignments/s")
				b.ReportMetric(float64(received.Load()), "events")
				b.Logf("watchers=%d events=%d\n%s", watchers, received.Load(), res)
			}
		})
	}
}

// watch connects n watchers to jobs 1..n and returns once each received
// its first event; they run until the benchmark ends.
func watch(b *testing.B, e *matchertest.Env, n int, received *atomic.Int64) error {
	verifier, err := eip712.NewRegistryVerifier(matchertest.Chain, e.Registry)
	if err != nil {
		return err
	}
	srv, err := api.New(api.Config{ChainID: matchertest.Chain, Params: matcher.DefaultParams(), Quote: matcher.QuoteParams{MinimumPrice: big.NewInt(1)},
		Liveness: matcher.DefaultLivenessParams(), EventStreamsPerClient: n, EventStreams: n}, e.APIStore, verifier, e.Log, nil)
	if err != nil {
		return err
	}
	ts := httptest.NewServer(srv.Handler())
	b.Cleanup(ts.Close) // after cancel (cleanups run last first): Close waits for the streams to end
	ctx, cancel := context.WithCancel(context.Background())
	b.Cleanup(cancel)
	go func() { _ = srv.RunEvents(ctx, e.DB) }()
	c, err := client.New(ts.URL, matchertest.Chain, nil)
	if err != nil {
		return err
	}
	ready := make(chan error, n)
	for i := 1; i <= n; i++ {
		evs, errs := c.Events(ctx, matchertest.Chain, gpumarket.JobID(i), "")
		go func() {
			first := true
			for range evs {
				received.Add(1)
				if first {
					first = false
					ready <- nil
				}
			}
			if first {
				ready <- <-errs
			}
		}()
	}
	deadline := time.After(2 * time.Minute)
	for range n {
		select {
		case err := <-ready:
			if err != nil {
				return err
			}
		case <-deadline:
			return fmt.Errorf("watchers not connected within 2 minutes")
		}
	}
	if got := srv.EventStreams(); got != n {
		return fmt.Errorf("%d streams open, want %d", got, n)
	}
	return nil
}
