package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"
)

// MatcherSpread is the spread of assignments per second of Matcher runs
// with one instance count.
type MatcherSpread struct {
	Instances        int
	Runs             []MatcherResult
	Min, Median, Max float64 // assignments/s
	Refused, Routed  int     // over every run
}

func (s MatcherSpread) String() string {
	return fmt.Sprintf("matcher instances=%d runs=%d assignments/s min=%.0f median=%.0f max=%.0f refused=%d routed=%d",
		s.Instances, len(s.Runs), s.Min, s.Median, s.Max, s.Refused, s.Routed)
}

// FreshMatcherStore opens a store on a new, migrated, empty database for
// run (a name unique within the invocation) and returns it with a cleanup
// that drops the database.
type FreshMatcherStore func(ctx context.Context, run string) (MatcherStore, func(), error)

// MatcherSpreads runs Matcher runs times for each of instances (in turns:
// 1, 2, 1, 2, … so that a change of machine load hits every count alike),
// each run on a fresh database, prints each run's figures and the load
// average before and after to out, and returns the min/median/max per
// instance count (printed last, one line each).
func MatcherSpreads(ctx context.Context, fresh FreshMatcherStore, cfg MatcherConfig, runs int, instances []int, out io.Writer, log *slog.Logger) ([]MatcherSpread, error) {
	if runs < 1 || len(instances) == 0 {
		return nil, fmt.Errorf("matcher spread: need at least one run and one instance count")
	}
	fmt.Fprintf(out, "load before: %s\n", LoadAverage())
	spreads := make([]MatcherSpread, len(instances))
	for r := range runs {
		for i, n := range instances {
			store, drop, err := fresh(ctx, fmt.Sprintf("r%d_i%d", r, n))
			if err != nil {
				return nil, err
			}
			c := cfg
			c.Instances = n
			res, err := Matcher(ctx, store, c, log)
			drop()
			if err != nil {
				return nil, fmt.Errorf("matcher run %d with %d instances: %w", r+1, n, err)
			}
			fmt.Fprintf(out, "run %d/%d instances=%d assignments/s=%.0f offered=%d refused=%d routed=%d match=%s decision p99=%s\n",
				r+1, runs, n, res.PerSecond, res.Offered, res.Refused, res.Routed, res.MatchTime.Round(time.Millisecond), res.DecisionP99)
			spreads[i].Instances = n
			spreads[i].Runs = append(spreads[i].Runs, res)
			spreads[i].Refused += res.Refused
			spreads[i].Routed += res.Routed
		}
	}
	fmt.Fprintf(out, "load after: %s\n", LoadAverage())
	for i := range spreads {
		var ps []float64
		for _, r := range spreads[i].Runs {
			ps = append(ps, r.PerSecond)
		}
		slices.Sort(ps)
		spreads[i].Min, spreads[i].Median, spreads[i].Max = ps[0], ps[len(ps)/2], ps[len(ps)-1]
		fmt.Fprintln(out, spreads[i])
	}
	return spreads, nil
}

// LoadAverage returns the 1, 5 and 15 minute load averages as uptime prints
// them (from /proc/loadavg), or "unknown" where there is none.
func LoadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], ", ")
}
