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

var (
	benchWatchers     = flag.Int("bench-watchers", 1000, "status-stream watchers in BenchmarkMatchWatched")
	benchWatcherPairs = flag.Int("bench-watcher-pairs", 5, "runs without and with watchers in BenchmarkMatchWatched (each figure is min/median/max over them)")
)

// BenchmarkMatchWatched measures the matcher's assignment rate (bench.Matcher)
// without and with -bench-watchers clients each holding a status stream
// (GET /v1/jobs/{chainId}/{jobId}/events) on one of the seeded jobs, served
// by the API in the same process on the same database and fed by its one
// LISTEN: every offer the matcher records notifies, and its watcher
// re-reads the job. The two run in -bench-watcher-pairs pairs, in
// alternating order (so that neither side always runs on a warmer or
// quieter machine), each on a fresh database; the slowdown is per pair.
// Run with -benchtime=1x.
func BenchmarkMatchWatched(b *testing.B) {
	for b.Loop() {
		var without, with, slowdown []float64
		var events int64
		for pair := range *benchWatcherPairs {
			var rate [2]float64
			order := []int{0, *benchWatchers}
			if pair%2 == 1 {
				order = []int{*benchWatchers, 0}
			}
			for _, watchers := range order {
				b.StopTimer()
				e := matchertest.New(b)
				var received atomic.Int64
				stop := func() {}
				cfg := bench.MatcherConfig{ChainID: matchertest.Chain, Providers: *benchProviders, Jobs: *benchJobs, Instances: *benchInstances, Batch: 500}
				if watchers > 0 {
					cfg.BeforeMatch = func(ctx context.Context) error { return watch(e, watchers, &received, &stop) }
				}
				b.StartTimer()
				res, err := bench.Matcher(e.Ctx, e.Bench, cfg, e.Log)
				b.StopTimer()
				stop()
				if err != nil {
					b.Fatal(err)
				}
				if watchers > 0 {
					rate[1], events = res.PerSecond, received.Load()
				} else {
					rate[0] = res.PerSecond
				}
				b.Logf("pair %d: watchers=%d %.0f assignments/s, %d events received (load %s)", pair+1, watchers, res.PerSecond, received.Load(), bench.LoadAvg())
			}
			b.StartTimer()
			without, with = append(without, rate[0]), append(with, rate[1])
			slowdown = append(slowdown, 100*(1-rate[1]/rate[0]))
		}
		w0, w1, sd := bench.SpreadOf(without), bench.SpreadOf(with), bench.SpreadOf(slowdown)
		b.ReportMetric(w0.Median, "assignments/s-without")
		b.ReportMetric(w1.Median, "assignments/s-with")
		b.ReportMetric(sd.Median, "%slowdown-median")
		// Printed, not logged: a benchmark's log keeps only its first lines.
		fmt.Printf("BenchmarkMatchWatched: %d pairs, %d watchers (%d events each run): without %s assignments/s, with %s; slowdown per pair min/median/max %.1f%% / %.1f%% / %.1f%%\n",
			len(slowdown), *benchWatchers, events, w0, w1, sd.Min, sd.Median, sd.Max)
	}
}

// watch connects n watchers to jobs 1..n and returns once each received
// its first event; they run until stop (which waits for them to end).
func watch(e *matchertest.Env, n int, received *atomic.Int64, stop *func()) error {
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
	ctx, cancel := context.WithCancel(context.Background())
	listening := make(chan struct{})
	go func() { defer close(listening); _ = srv.RunEvents(ctx, e.DB) }()
	*stop = func() {
		cancel() // ends RunEvents, which ends every stream
		<-listening
		ts.Close() // waits for the handlers
	}
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
