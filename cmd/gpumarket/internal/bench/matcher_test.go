package bench_test

import (
	"flag"
	"log/slog"
	"os"
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
