package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/urfave/cli/v3"
	"golang.org/x/sync/errgroup"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/cmd/gpumarket/internal/bench"
	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/internal/httpserve"
	"github.com/gpumarket/gpumarket/internal/pgcluster"
	"github.com/gpumarket/gpumarket/internal/postgres"
	"github.com/gpumarket/gpumarket/matcher"
	"github.com/gpumarket/gpumarket/matcher/api"
)

// benchMatcherSpreadConfig holds `bench matcher`'s settings.
type benchMatcherSpreadConfig struct {
	Providers, Jobs, Batch, Runs int // Batch: matcher run's default
	Instances                    string
	Replica                      bool
	Watchers                     int // status-stream watchers of the pairs run after the spreads; 0: none
}

// benchMatcherCommand is `bench matcher`: `matcher bench` (the shipped
// Service.Drain with partition leases) several times for each instance
// count, each on a fresh database, with min/median/max.
func benchMatcherCommand(cfg *Config, stdout, stderr io.Writer) *cli.Command {
	bc := &benchMatcherSpreadConfig{Providers: 10_000, Jobs: 100_000, Batch: 500, Runs: 3, Instances: "1,2"}
	return &cli.Command{
		Name: "matcher",
		Usage: "seed providers and open jobs and match them with 1 and 2 matcher instances (as `matcher bench`), " +
			"several runs each on a fresh database: assignments/s min/median/max",
		Flags: []cli.Flag{
			databaseURLFlag(cfg, "a PostgreSQL server where databases can be created (default: a private throwaway cluster)"),
			&cli.IntFlag{Name: "providers", Value: bc.Providers, Usage: "providers to seed", Destination: &bc.Providers},
			&cli.IntFlag{Name: "jobs", Value: bc.Jobs, Usage: "open jobs to seed", Destination: &bc.Jobs},
			&cli.IntFlag{Name: "runs", Value: bc.Runs, Usage: "runs per instance count", Destination: &bc.Runs},
			&cli.StringFlag{Name: "instances", Value: bc.Instances, Usage: "comma-separated instance counts", Destination: &bc.Instances},
			&cli.IntFlag{Name: "watchers", Usage: "then --runs pairs of one-instance runs without and with this many status-stream watchers (GET /v1/jobs/{chainId}/{jobId}/events on the matcher API as `matcher run` serves it): the slowdown they cause (0: skip)", Destination: &bc.Watchers},
			&cli.BoolFlag{Name: "replica", Usage: "also run a hot standby of the private cluster (pg_basebackup -R) and report its replay lag while the runs write (not with --database-url)", Destination: &bc.Replica},
		},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			_, _, err := benchMatcherSpread(ctx, cmd, *cfg, *bc, stdout, stderr)
			return err
		},
	}
}

// benchMatcherSpread runs `bench matcher`: the instance counts' spreads,
// then (with --watchers) the status streams' pairs.
func benchMatcherSpread(ctx context.Context, cmd *cli.Command, cfg Config, bc benchMatcherSpreadConfig, stdout, stderr io.Writer) ([]bench.MatcherSpread, *bench.WatchedResult, error) {
	if err := cfg.Validate(cmd, false); err != nil {
		return nil, nil, err
	}
	var errs []error
	for _, f := range []struct {
		flag string
		v    int
	}{{"providers", bc.Providers}, {"jobs", bc.Jobs}, {"runs", bc.Runs}} {
		if f.v < 1 {
			errs = append(errs, flagErr(cmd, f.flag, "must be at least 1"))
		}
	}
	var counts []int
	for _, s := range strings.Split(bc.Instances, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 || n > 64 {
			errs = append(errs, flagErr(cmd, "instances", fmt.Sprintf("%q is not a count in [1, 64]", s)))
			continue
		}
		counts = append(counts, n)
	}
	if bc.Watchers < 0 || bc.Watchers > bc.Jobs {
		errs = append(errs, flagErr(cmd, "watchers", fmt.Sprintf("must be between 0 and %s (%d)", flagRef(cmd, "jobs"), bc.Jobs)))
	}
	if bc.Replica && cfg.DatabaseURL != "" {
		errs = append(errs, flagErr(cmd, "replica", "needs the private cluster: drop "+flagRef(cmd, "database-url")))
	}
	if err := invalid(errs...); err != nil {
		return nil, nil, err
	}
	admin := cfg.DatabaseURL
	if admin == "" {
		c, err := pgcluster.Start(ctx, "")
		if err != nil {
			return nil, nil, gpumarket.Errorf(gpumarket.EUNAVAILABLE, "start a private PostgreSQL (or pass %s): %v", flagRef(cmd, "database-url"), err)
		}
		defer c.Stop()
		admin = c.URL
		if bc.Replica {
			stop, err := sampleReplicaLag(ctx, c, stdout)
			if err != nil {
				return nil, nil, err
			}
			defer stop()
		}
	}
	freshDB := func(ctx context.Context, run string) (*postgres.DB, func(), error) {
		name := "gpumarket_bench_matcher_" + run
		if err := postgres.DropDatabase(ctx, admin, name); err != nil {
			return nil, nil, err
		}
		if err := postgres.CreateDatabase(ctx, admin, name, ""); err != nil {
			return nil, nil, err
		}
		drop := func() { _ = postgres.DropDatabase(context.WithoutCancel(ctx), admin, name) }
		dsn, err := postgres.WithDatabase(admin, name)
		if err != nil {
			drop()
			return nil, nil, err
		}
		db, err := postgres.Open(ctx, dsn)
		if err != nil {
			drop()
			return nil, nil, err
		}
		if _, err := db.Migrate(ctx); err != nil {
			db.Close()
			drop()
			return nil, nil, err
		}
		return db, func() { db.Close(); drop() }, nil
	}
	fresh := func(ctx context.Context, run string) (bench.MatcherStore, func(), error) {
		db, done, err := freshDB(ctx, run)
		if err != nil {
			return nil, nil, err
		}
		return postgres.NewMatcherBench(db), done, nil
	}
	log := newLogger(cfg, stderr)
	mcfg := bench.MatcherConfig{ChainID: 31337, Providers: bc.Providers, Jobs: bc.Jobs, Batch: bc.Batch}
	spreads, err := bench.MatcherSpreads(ctx, fresh, mcfg, bc.Runs, counts, stdout, log)
	if err != nil || bc.Watchers == 0 {
		return spreads, nil, err
	}
	freshWatched := func(ctx context.Context, run string) (bench.WatchedRun, error) {
		db, done, err := freshDB(ctx, run)
		if err != nil {
			return bench.WatchedRun{}, err
		}
		var stopAPI func()
		return bench.WatchedRun{Store: postgres.NewMatcherBench(db),
			Serve: func(ctx context.Context, streams int) (string, error) {
				url, stop, err := serveStatusStreams(ctx, db, mcfg.ChainID, streams, log)
				stopAPI = stop
				return url, err
			},
			Done: func() {
				if stopAPI != nil {
					stopAPI()
				}
				done()
			}}, nil
	}
	mcfg.Instances = 1
	res, err := bench.MatcherWatched(ctx, freshWatched, mcfg, bc.Runs, bc.Watchers, admin, stdout, log)
	if err != nil {
		return spreads, nil, err
	}
	return spreads, &res, nil
}

// serveStatusStreams serves the matcher API on db at a loopback port as
// `matcher run` does (its mux, httpserve limits and request metrics, one
// LISTEN feeding every status stream; no per-address limits, and room for
// streams streams) for `bench matcher --watchers`, and returns its URL and a stop
// that shuts both down.
func serveStatusStreams(ctx context.Context, db *postgres.DB, chainID uint64, streams int, log *slog.Logger) (string, func(), error) {
	verifier, err := eip712.NewRegistryVerifier(chainID, gpumarket.Address{0x01})
	if err != nil {
		return "", nil, err
	}
	// The watchers stand for clients at as many addresses: the per-address
	// limits (read rate, streams per client) would refuse them from one.
	srv, err := api.New(api.Config{ChainID: chainID, Params: matcher.DefaultParams(), Quote: matcher.QuoteParams{MinimumPrice: big.NewInt(1)},
		Liveness: matcher.DefaultLivenessParams(), EventStreamsPerClient: streams, EventStreams: streams}, postgres.NewMatcherAPIStore(db), verifier, log, nil)
	if err != nil {
		return "", nil, err
	}
	// matcher run's server: its limits with request metrics, its mux.
	mc, reg := DefaultMatcherConfig(), prometheus.NewRegistry()
	limits := mc.serverLimits(reg)
	limits.MaxBodyBytes = srv.MaxBodyBytes()
	limits.MaxConns = max(limits.MaxConns, streams+64)
	mux, err := matcherMux(srv, db, reg, nil, nil)
	if err != nil {
		return "", nil, err
	}
	hs, err := httpserve.Listen("127.0.0.1:0", limits, mux, log)
	if err != nil {
		return "", nil, err
	}
	sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	var g errgroup.Group
	g.Go(func() error { return srv.RunEvents(sctx, db) })
	g.Go(func() error { return hs.Run(sctx) })
	return "http://" + hs.Addr().String(), func() { cancel(); _ = g.Wait() }, nil
}

// sampleReplicaLag starts a hot standby of c and samples its replay lag
// (postgres.Replica's check) every 100 ms until the returned stop, which
// prints the samples' min/median/p99/max and stops the standby.
func sampleReplicaLag(ctx context.Context, c *pgcluster.Cluster, out io.Writer) (stop func(), err error) {
	sb, err := c.StartStandby(ctx, "")
	if err != nil {
		return nil, err
	}
	primary, err := postgres.Open(ctx, c.URL)
	if err != nil {
		sb.Stop()
		return nil, err
	}
	standby, err := postgres.Open(ctx, sb.URL)
	if err != nil {
		primary.Close()
		sb.Stop()
		return nil, err
	}
	rep := postgres.NewReplica(primary, standby, time.Hour)
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	var lags []time.Duration
	var bytes []int64
	go func() {
		defer close(done)
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			if st, err := rep.Check(sctx); err == nil {
				lags, bytes = append(lags, st.Lag), append(bytes, st.LagBytes)
			}
			select {
			case <-sctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return func() {
		cancel()
		<-done
		standby.Close()
		primary.Close()
		sb.Stop()
		if len(lags) == 0 {
			fmt.Fprintln(out, "replica lag: no sample")
			return
		}
		slices.Sort(lags)
		slices.Sort(bytes)
		n := len(lags)
		fmt.Fprintf(out, "replica lag samples=%d every 100ms: seconds min=%s median=%s p99=%s max=%s; bytes min=%d median=%d p99=%d max=%d\n",
			n, lags[0], lags[n/2], lags[n*99/100], lags[n-1], bytes[0], bytes[n/2], bytes[n*99/100], bytes[n-1])
	}, nil
}
