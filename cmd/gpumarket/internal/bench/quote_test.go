package bench_test

import (
	"flag"
	"testing"

	"github.com/gpumarket/gpumarket/cmd/gpumarket/internal/bench"
	"github.com/gpumarket/gpumarket/matcher/matchertest"
)

var (
	quoteProviders = flag.Int("quote-providers", 10_000, "providers seeded by BenchmarkQuote")
	quoteRounds    = flag.Int("quote-rounds", 5, "rounds of BenchmarkQuote")
	quotesPerRound = flag.Int("quotes", 50, "quotes per round of BenchmarkQuote")
	quoteWorkers   = flag.Int("quote-workers", 2, "concurrent clients of BenchmarkQuote")
	quoteRowsTTL   = flag.Duration("quote-rows-ttl", 0, "the API's QuoteRowsTTL in BenchmarkQuote (0: its default, 1s; negative: every quote queries)")
)

// BenchmarkQuote seeds a fresh database with -quote-providers providers and
// serves POST /v1/quote through the API handler against it (see
// bench.Quote), reporting min, median and max quotes per second over
// -quote-rounds rounds. Run with -benchtime=1x: one iteration is the whole
// run.
func BenchmarkQuote(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		e := matchertest.New(b)
		b.StartTimer()
		res, err := bench.Quote(e.Ctx, bench.QuoteStore{Seeder: e.Bench, Snapshots: e.Maint, API: e.APIStore},
			bench.QuoteConfig{ChainID: matchertest.Chain, Providers: *quoteProviders, Rounds: *quoteRounds, Quotes: *quotesPerRound, Workers: *quoteWorkers, RowsTTL: *quoteRowsTTL}, e.Log)
		if err != nil {
			b.Fatal(err)
		}
		n := len(res.PerSecond)
		b.ReportMetric(res.PerSecond[0], "min-quotes/s")
		b.ReportMetric(res.PerSecond[n/2], "median-quotes/s")
		b.ReportMetric(res.PerSecond[n-1], "max-quotes/s")
		b.Logf("\n%s", res)
	}
}

// TestQuoteBenchSmall runs the quote benchmark on a small data set so that
// it stays working: every quote is a 200 and lists the qualifying
// providers.
func TestQuoteBenchSmall(t *testing.T) {
	e := matchertest.New(t)
	res, err := bench.Quote(e.Ctx, bench.QuoteStore{Seeder: e.Bench, Snapshots: e.Maint, API: e.APIStore},
		bench.QuoteConfig{ChainID: matchertest.Chain, Providers: 200, Rounds: 2, Quotes: 10, Workers: 2}, e.Log)
	if err != nil {
		t.Fatal(err)
	}
	if res.Qualifying == 0 || res.Qualifying > 200 {
		t.Errorf("qualifying = %d, want in [1, 200]", res.Qualifying)
	}
	if len(res.PerSecond) != 2 {
		t.Errorf("rounds measured = %d, want 2", len(res.PerSecond))
	}
	t.Logf("\n%s", res)
}
