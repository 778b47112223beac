package bench_test

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/gpumarket/gpumarket/cmd/gpumarket/internal/bench"
	"github.com/gpumarket/gpumarket/internal/pgtest"
	"github.com/gpumarket/gpumarket/matcher/matchertest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

var (
	benchProviders = flag.Int("bench-providers", 10_000, "providers seeded by BenchmarkMatch")
	benchJobs      = flag.Int("bench-jobs", 100_000, "open jobs seeded by BenchmarkMatch")
	benchInstances = flag.Int("bench-instances", 2, "matcher instances in BenchmarkMatch")
)

// BenchmarkMatch seeds a fresh database with -bench-providers providers and
// -bench-jobs open jobs and matches them all (see bench.Matcher). Run with
// -benchtime=1x: one iteration is the whole run.
func BenchmarkMatch(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		e := matchertest.New(b)
		b.StartTimer()
		res, err := bench.Matcher(e.Ctx, e.Bench, bench.MatcherConfig{ChainID: matchertest.Chain, Providers: *benchProviders, Jobs: *benchJobs,
			Instances: *benchInstances, Batch: 500}, slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(res.PerSecond, "assignments/s")
		b.ReportMetric(float64(res.DecisionP99.Microseconds()), "p99-decision-µs")
		b.ReportMetric(float64(res.StepPerJobP99.Microseconds()), "p99-step-per-job-µs")
		b.Logf("\n%s", res)
	}
}

// TestBenchSmall runs the benchmark harness on a small data set so that it
// stays working: every job is offered and none twice, and the two
// instances, each on its own provider partitions, never have an offer
// refused.
func TestBenchSmall(t *testing.T) {
	e := matchertest.New(t)
	res, err := bench.Matcher(e.Ctx, e.Bench, bench.MatcherConfig{ChainID: matchertest.Chain, Providers: 200, Jobs: 1000, Instances: 2, Batch: 100}, e.Log)
	if err != nil {
		t.Fatal(err)
	}
	if got := e.Count(`SELECT count(DISTINCT job_id) FROM assignments WHERE state = 'offered'`); got != int64(res.Offered) {
		t.Errorf("distinct jobs offered = %d, reported %d", got, res.Offered)
	}
	if got := e.Count(`SELECT count(*) FROM assignments`); got != int64(res.Offered) {
		t.Errorf("assignments = %d, want %d (one per job)", got, res.Offered)
	}
	if res.Refused != 0 {
		t.Errorf("refused offers = %d, want 0 (the instances' providers are disjoint)", res.Refused)
	}
	unmatched := e.Count(`SELECT count(*) FROM matcher_jobs WHERE status = 'pending'`)
	if int64(res.Offered)+unmatched != 1000 {
		t.Errorf("offered %d + pending %d != 1000 jobs", res.Offered, unmatched)
	}
	if got := e.Count(`SELECT count(*) FROM (SELECT a.provider FROM assignments a JOIN provider_attestations pa USING (chain_id, provider)
		GROUP BY a.provider, pa.slots HAVING count(*) > pa.slots) o`); got != 0 {
		t.Errorf("providers over capacity = %d, want 0", got)
	}
	t.Logf("\n%s", res)
}

// TestMatcherSpreadsSmall runs the spread harness (two runs each of one and
// two instances, each on its own fresh database) on a small data set: every
// run offers every job, the spread is ordered, and two instances refuse no
// offer.
func TestMatcherSpreadsSmall(t *testing.T) {
	var out strings.Builder
	fresh := func(ctx context.Context, run string) (bench.MatcherStore, func(), error) {
		e := matchertest.New(t)
		return e.Bench, func() {}, nil
	}
	spreads, err := bench.MatcherSpreads(context.Background(), fresh, bench.MatcherConfig{ChainID: matchertest.Chain, Providers: 100, Jobs: 400, Batch: 50},
		2, []int{1, 2}, &out, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range spreads {
		if s.Instances != i+1 || len(s.Runs) != 2 {
			t.Fatalf("spread %d = %d instances, %d runs; want %d, 2", i, s.Instances, len(s.Runs), i+1)
		}
		if !(s.Min <= s.Median && s.Median <= s.Max && s.Min > 0) {
			t.Errorf("spread %d: min %v median %v max %v not ordered and positive", i, s.Min, s.Median, s.Max)
		}
		for _, r := range s.Runs {
			if r.Offered != 400 {
				t.Errorf("run with %d instances offered %d of 400", s.Instances, r.Offered)
			}
		}
		if s.Refused != 0 {
			t.Errorf("%d instances: refused %d offers, want 0", s.Instances, s.Refused)
		}
		if want := fmt.Sprintf("matcher instances=%d runs=2 assignments/s min=", s.Instances); !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
