package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/cmd/gpumarket/internal/bench"
	"github.com/gpumarket/gpumarket/internal/pgcluster"
	"github.com/gpumarket/gpumarket/internal/postgres"
)

// benchMatcherSpreadConfig holds `bench matcher`'s settings.
type benchMatcherSpreadConfig struct {
	Providers, Jobs, Batch, Runs int // Batch: matcher run's default
	Instances                    string
	Replica                      bool
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
			&cli.BoolFlag{Name: "replica", Usage: "also run a hot standby of the private cluster (pg_basebackup -R) and report its replay lag while the runs write (not with --database-url)", Destination: &bc.Replica},
		},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			_, err := benchMatcherSpread(ctx, cmd, *cfg, *bc, stdout, stderr)
			return err
		},
	}
}

func benchMatcherSpread(ctx context.Context, cmd *cli.Command, cfg Config, bc benchMatcherSpreadConfig, stdout, stderr io.Writer) ([]bench.MatcherSpread, error) {
	if err := cfg.Validate(cmd, false); err != nil {
		return nil, err
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
	if bc.Replica && cfg.DatabaseURL != "" {
		errs = append(errs, flagErr(cmd, "replica", "needs the private cluster: drop "+flagRef(cmd, "database-url")))
	}
	if err := invalid(errs...); err != nil {
		return nil, err
	}
	admin := cfg.DatabaseURL
	if admin == "" {
		c, err := pgcluster.Start(ctx, "")
		if err != nil {
			return nil, gpumarket.Errorf(gpumarket.EUNAVAILABLE, "start a private PostgreSQL (or pass %s): %v", flagRef(cmd, "database-url"), err)
		}
		defer c.Stop()
		admin = c.URL
		if bc.Replica {
			stop, err := sampleReplicaLag(ctx, c, stdout)
			if err != nil {
				return nil, err
			}
			defer stop()
		}
	}
	fresh := func(ctx context.Context, run string) (bench.MatcherStore, func(), error) {
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
		return postgres.NewMatcherBench(db), func() { db.Close(); drop() }, nil
	}
	return bench.MatcherSpreads(ctx, fresh, bench.MatcherConfig{ChainID: 31337, Providers: bc.Providers, Jobs: bc.Jobs, Batch: bc.Batch},
		bc.Runs, counts, stdout, newLogger(cfg, stderr))
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
