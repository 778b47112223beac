package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/matcher/client"
)

// WatchedRun is one run of MatcherWatched, prepared on a fresh database.
type WatchedRun struct {
	Store MatcherStore
	// Serve starts the matcher API on the run's database as `matcher run`
	// serves it (its HTTP server and limits, one LISTEN feeding every
	// status stream), allowing streams status streams from one client,
	// and returns its base URL. It is called only for runs with watchers,
	// after the seeding.
	Serve func(ctx context.Context, streams int) (url string, err error)
	// Done stops what Serve started and drops the database.
	Done func()
}

// FreshWatchedRun prepares a run (run: a name unique within the
// invocation) on a new, migrated, empty database.
type FreshWatchedRun func(ctx context.Context, run string) (WatchedRun, error)

// WatchedResult is MatcherWatched's figures: assignments/s without and
// with the watchers, and the slowdown of each pair (percent; negative
// when the run with watchers was the faster).
type WatchedResult struct {
	Watchers, Pairs         int
	Without, With, Slowdown Spread
	Events                  int64 // status events the watchers of one run received
}

func (r WatchedResult) String() string {
	return fmt.Sprintf("status-stream watchers=%d pairs=%d: assignments/s without %s, with %s; slowdown per pair min/median/max %.1f%% / %.1f%% / %.1f%%",
		r.Watchers, r.Pairs, r.Without, r.With, r.Slowdown.Min, r.Slowdown.Median, r.Slowdown.Max)
}

// MatcherWatched measures what status-stream watchers cost the matcher:
// pairs times, a Matcher run without watchers and one with watchers
// clients each holding GET /v1/jobs/{chainId}/{jobId}/events on one of
// jobs 1..watchers (connected after the seeding, each having received its
// first event before the matching starts), in alternating order so that
// neither side always runs on the warmer or quieter machine, each on a
// fresh database. Every offer the matcher records notifies, and each
// watched job's stream re-reads it and sends its events. It prints each
// run and the spreads to out.
//
// Beside each rate it prints the CPU seconds the matching phase took in
// this process (the matcher, the API and, here, the watchers' clients too)
// and in PostgreSQL (its server at serverURL, when it runs on this
// machine; 0 otherwise): on a shared machine the rates move with the
// neighbours' load, the CPU seconds much less.
func MatcherWatched(ctx context.Context, fresh FreshWatchedRun, cfg MatcherConfig, pairs, watchers int, serverURL string, out io.Writer, log *slog.Logger) (WatchedResult, error) {
	res := WatchedResult{Watchers: watchers, Pairs: pairs}
	if pairs < 1 || watchers < 1 || watchers > cfg.Jobs {
		return res, fmt.Errorf("matcher watched: need at least one pair and between 1 and %d (the jobs) watchers", cfg.Jobs)
	}
	fmt.Fprintf(out, "status streams: %d pairs of runs without and with %d watchers (load %s)\n", pairs, watchers, LoadAverage())
	meter := cpuMeter{postmaster: postmasterPid(ctx, serverURL)}
	var without, with, slowdown []float64
	for p := range pairs {
		sides := []int{0, watchers}
		if p%2 == 1 {
			sides = []int{watchers, 0}
		}
		var rate [2]float64
		for _, n := range sides {
			r, events, cpu, err := watchedRun(ctx, fresh, cfg, meter, fmt.Sprintf("w%d_%d", p, n), n, log)
			if err != nil {
				return res, fmt.Errorf("pair %d, %d watchers: %w", p+1, n, err)
			}
			fmt.Fprintf(out, "pair %d/%d watchers=%d assignments/s=%.0f events=%d cpu: process %.2f s + postgres %.2f s (load %s)\n",
				p+1, pairs, n, r, events, cpu.self.Seconds(), cpu.server.Seconds(), LoadAverage())
			if n == 0 {
				rate[0] = r
			} else {
				rate[1], res.Events = r, events
			}
		}
		without, with = append(without, rate[0]), append(with, rate[1])
		slowdown = append(slowdown, 100*(1-rate[1]/rate[0]))
	}
	res.Without, res.With, res.Slowdown = spread(without), spread(with), spread(slowdown)
	fmt.Fprintln(out, res)
	return res, nil
}

// settleBeforeMatch is the pause between the seeding (and the watchers'
// connecting) and the matching of every run of MatcherWatched.
const settleBeforeMatch = 3 * time.Second

// watchedRun is one Matcher run with n watchers: its assignments/s, the
// events the watchers received and the CPU the matching phase took.
func watchedRun(ctx context.Context, fresh FreshWatchedRun, cfg MatcherConfig, meter cpuMeter, name string, n int, log *slog.Logger) (float64, int64, cpuSample, error) {
	run, err := fresh(ctx, name)
	if err != nil {
		return 0, 0, cpuSample{}, err
	}
	defer run.Done()
	var ws *watcherSet
	defer func() {
		if ws != nil {
			ws.stop()
		}
	}()
	var before cpuSample
	cfg.BeforeMatch = func(ctx context.Context) error {
		if n > 0 {
			url, err := run.Serve(ctx, n)
			if err != nil {
				return err
			}
			if ws, err = connectWatchers(ctx, url, cfg.ChainID, n); err != nil {
				return err
			}
		}
		// Both sides wait the same before the matching, so that neither
		// meets more of PostgreSQL's background work after the seeding
		// (connecting the watchers alone takes about a second).
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(settleBeforeMatch):
		}
		before = meter.read() // the matching starts
		return nil
	}
	res, err := Matcher(ctx, run.Store, cfg, log)
	if err != nil {
		return 0, 0, cpuSample{}, err
	}
	used := meter.read().sub(before)
	var events int64
	if ws != nil {
		events = ws.settle(200*time.Millisecond, 5*time.Second)
	}
	return res.PerSecond, events, used, nil
}

// watcherSet is n status-stream clients, each on its own connection.
type watcherSet struct {
	received atomic.Int64
	cancel   context.CancelFunc
	wg       sync.WaitGroup
}

// connectWatchers connects n watchers to jobs 1..n at url and returns once
// each received its first event (within 2 minutes).
func connectWatchers(ctx context.Context, url string, chainID uint64, n int) (*watcherSet, error) {
	c, err := client.New(url, chainID, nil)
	if err != nil {
		return nil, err
	}
	ws := &watcherSet{}
	var wctx context.Context
	wctx, ws.cancel = context.WithCancel(context.WithoutCancel(ctx))
	ready := make(chan error, n)
	for i := 1; i <= n; i++ {
		evs, errs := c.Events(wctx, chainID, gpumarket.JobID(i), "")
		ws.wg.Add(1)
		go func() {
			defer ws.wg.Done()
			first := true
			for range evs {
				ws.received.Add(1)
				if first {
					first = false
					ready <- nil
				}
			}
			if first {
				if err := <-errs; err != nil {
					ready <- err
				} else {
					ready <- fmt.Errorf("job %d's stream closed before its first event", i)
				}
			}
		}()
	}
	deadline := time.After(2 * time.Minute)
	for range n {
		select {
		case err := <-ready:
			if err != nil {
				ws.stop()
				return nil, fmt.Errorf("connect status-stream watchers: %w", err)
			}
		case <-deadline:
			ws.stop()
			return nil, fmt.Errorf("connect status-stream watchers: not all %d connected within 2 minutes", n)
		}
	}
	return ws, nil
}

// settle waits, after the timed run, until no event arrived for quiet (at
// most max), so that the count includes what the last offers caused, and
// returns the count.
func (ws *watcherSet) settle(quiet, max time.Duration) int64 {
	n, end := ws.received.Load(), time.Now().Add(max)
	for time.Now().Before(end) {
		time.Sleep(quiet)
		m := ws.received.Load()
		if m == n {
			break
		}
		n = m
	}
	return n
}

// stop disconnects the watchers and waits for their readers to end.
func (ws *watcherSet) stop() {
	ws.cancel()
	ws.wg.Wait()
}
