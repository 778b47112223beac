package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/cmd/gpumarket/internal/bench"
	"github.com/gpumarket/gpumarket/internal/pgcluster"
)

// benchIndexerConfig holds `bench indexer`'s settings.
type benchIndexerConfig struct {
	bench.IndexerConfig
}

// DefaultBenchIndexerConfig returns `bench indexer`'s defaults.
func DefaultBenchIndexerConfig() benchIndexerConfig {
	return benchIndexerConfig{IndexerConfig: bench.IndexerConfig{Events: 100_000, JobsPerBlock: 16, RangeWidth: 1000, Runs: 5, LatencyTxs: 500,
		BlockTime: time.Second, BlockJitter: 250 * time.Millisecond, StateFile: ".data/bench/indexer-anvil-state.json"}}
}

func benchCommand(cfg *Config, stdout, stderr io.Writer) *cli.Command {
	bc := &benchIndexerConfig{}
	*bc = DefaultBenchIndexerConfig()
	return &cli.Command{
		Name:  "bench",
		Usage: "benchmarks that print figures (they assert no timing)",
		Commands: []*cli.Command{
			{
				Name: "indexer",
				Usage: "fill anvil with marketplace lifecycle events (cached), then measure, on this binary's own `indexer run` (a subprocess " +
					"with the flags users pass), (a) a full backfill, against (b) the raw eth_getLogs+COPY limit over the same ranges, " +
					"--runs times each, (c) a/b, and head latency at jittered ~1 s blocks",
				Flags: []cli.Flag{
					databaseURLFlag(cfg, "a PostgreSQL server where databases can be created (default: a private throwaway cluster)"),
					&cli.IntFlag{Name: "events", Value: bc.Events, Usage: "marketplace events to generate", Destination: &bc.Events},
					&cli.IntFlag{Name: "jobs-per-block", Value: bc.JobsPerBlock, Usage: "job lifecycles per round of 4 blocks", Destination: &bc.JobsPerBlock},
					&cli.Uint64Flag{Name: "range-width", Value: bc.RangeWidth, Usage: "eth_getLogs range width (both measurements; the indexer's --max-range)", Destination: &bc.RangeWidth},
					&cli.IntFlag{Name: "runs", Value: bc.Runs, Usage: "backfill and raw-limit runs (figures are min/median/max over them)", Destination: &bc.Runs},
					&cli.IntFlag{Name: "latency-txs", Value: bc.LatencyTxs, Usage: "jobs created for the head-latency measurement (0: skip)", Destination: &bc.LatencyTxs},
					&cli.DurationFlag{Name: "block-time", Value: bc.BlockTime, Usage: "mean block interval of the head-latency measurement", Destination: &bc.BlockTime},
					&cli.DurationFlag{Name: "block-jitter", Value: bc.BlockJitter, Usage: "each block is mined --block-time ± up to this (uniform)", Destination: &bc.BlockJitter},
					&cli.StringSliceFlag{Name: "indexer-flag", Usage: "a further flag for every `indexer run` (repeatable), e.g. --indexer-flag=--ws-url=off to measure the polling fallback", Destination: &bc.IndexerArgs},
					&cli.StringFlag{Name: "cpuprofile", Usage: "the first backfill run's `indexer run --cpuprofile` (go tool pprof)", Destination: &bc.CPUProfile},
					&cli.StringFlag{Name: "state-file", Value: bc.StateFile, Usage: "anvil state cache, reused when it holds enough events", Destination: &bc.StateFile},
				},
				Action: func(ctx context.Context, cmd *cli.Command) error {
					return benchIndexer(ctx, cmd, *cfg, *bc, stdout, stderr)
				},
			},
			benchMatcherCommand(cfg, stdout, stderr), // bench_matcher.go
		},
	}
}

func benchIndexer(ctx context.Context, cmd *cli.Command, cfg Config, bc benchIndexerConfig, stdout, stderr io.Writer) error {
	if err := cfg.Validate(cmd, false); err != nil {
		return err
	}
	var errs []error
	for _, f := range []struct {
		flag string
		bad  bool
	}{{"events", bc.Events < 1}, {"jobs-per-block", bc.JobsPerBlock < 1}, {"range-width", bc.RangeWidth < 1}, {"runs", bc.Runs < 1}} {
		if f.bad {
			errs = append(errs, flagErr(cmd, f.flag, "must be at least 1"))
		}
	}
	if bc.LatencyTxs < 0 {
		errs = append(errs, flagErr(cmd, "latency-txs", "must not be negative"))
	}
	if bc.BlockTime < 10*time.Millisecond {
		errs = append(errs, flagErr(cmd, "block-time", "must be at least 10ms"))
	}
	if bc.BlockJitter < 0 || bc.BlockJitter >= bc.BlockTime {
		errs = append(errs, flagErr(cmd, "block-jitter", "must be at least 0 and below --block-time"))
	}
	if err := invalid(errs...); err != nil {
		return err
	}
	root, err := repoRoot()
	if err != nil {
		return err
	}
	bc.Root, bc.Out, bc.Log = root, stdout, newLogger(cfg, stderr)
	if bc.Binary, err = os.Executable(); err != nil {
		return fmt.Errorf("find this executable (its indexer run is measured): %w", err)
	}
	if bc.CPUProfile != "" {
		if bc.CPUProfile, err = filepath.Abs(bc.CPUProfile); err != nil {
			return invalid(flagErr(cmd, "cpuprofile", err.Error()))
		}
	}
	if !filepath.IsAbs(bc.StateFile) {
		bc.StateFile = filepath.Join(root, bc.StateFile)
	}
	bc.DatabaseURL = cfg.DatabaseURL
	if bc.DatabaseURL == "" {
		c, err := pgcluster.Start(ctx, "")
		if err != nil {
			return gpumarket.Errorf(gpumarket.EUNAVAILABLE, "start a private PostgreSQL (or pass %s): %v", flagRef(cmd, "database-url"), err)
		}
		defer c.Stop()
		bc.DatabaseURL = c.URL
	}
	_, err = bench.Indexer(ctx, bc.IndexerConfig)
	return err
}

// repoRoot finds the repository root (where foundry.toml is) from the working directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "foundry.toml")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", gpumarket.Errorf(gpumarket.EINVALID, "run benchmarks inside the repository (no foundry.toml found above %s): %v", dir, errors.New("not found"))
		}
		dir = parent
	}
}
