package main

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"

	"github.com/urfave/cli/v3"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/bench"
	"github.com/gpumarket/gpumarket/internal/pgtest"
)

func benchCommand(cfg *Config, stdout, stderr io.Writer) *cli.Command {
	var cpuProfile string
	bc := bench.IndexerConfig{Events: 100_000, JobsPerBlock: 16, RangeWidth: 1000, LatencyTxs: 500, StateFile: ".data/bench/indexer-anvil-state.json"}
	return &cli.Command{
		Name:  "bench",
		Usage: "benchmarks that print figures (they assert no timing)",
		Commands: []*cli.Command{
			{
				Name: "indexer",
				Usage: "fill anvil with marketplace lifecycle events (cached), then measure (a) a full backfill, (b) the raw " +
					"eth_getLogs+COPY limit over the same ranges, (c) a/b, and head latency at 1 s blocks",
				Flags: []cli.Flag{
					&cli.StringFlag{Name: "database-url", Usage: "a PostgreSQL server where databases can be created (default: a private throwaway cluster)", Sources: cli.EnvVars(envName("database-url")), Destination: &cfg.DatabaseURL},
					&cli.IntFlag{Name: "events", Value: bc.Events, Usage: "marketplace events to generate", Destination: &bc.Events},
					&cli.IntFlag{Name: "jobs-per-block", Value: bc.JobsPerBlock, Usage: "job lifecycles per round of 4 blocks", Destination: &bc.JobsPerBlock},
					&cli.Uint64Flag{Name: "range-width", Value: bc.RangeWidth, Usage: "eth_getLogs range width (both measurements)", Destination: &bc.RangeWidth},
					&cli.IntFlag{Name: "latency-txs", Value: bc.LatencyTxs, Usage: "transactions for the head-latency measurement (0: skip)", Destination: &bc.LatencyTxs},
					&cli.StringFlag{Name: "cpuprofile", Usage: "write a CPU profile of the run to this file (go tool pprof)", Destination: &cpuProfile},
					&cli.StringFlag{Name: "state-file", Value: bc.StateFile, Usage: "anvil state cache, reused when it holds enough events", Destination: &bc.StateFile},
				},
				Action: func(ctx context.Context, _ *cli.Command) error {
					if bc.Events < 1 || bc.JobsPerBlock < 1 || bc.RangeWidth < 1 || bc.LatencyTxs < 0 {
						return gpumarket.Errorf(gpumarket.EINVALID, "--events, --jobs-per-block and --range-width must be positive, --latency-txs not negative")
					}
					root, err := repoRoot()
					if err != nil {
						return err
					}
					bc.Root, bc.Out, bc.Log = root, stdout, newLogger(*cfg, stderr)
					if !filepath.IsAbs(bc.StateFile) {
						bc.StateFile = filepath.Join(root, bc.StateFile)
					}
					bc.DatabaseURL = cfg.DatabaseURL
					if bc.DatabaseURL == "" {
						srv, err := pgtest.StartCluster()
						if err != nil {
							return gpumarket.Errorf(gpumarket.EUNAVAILABLE, "start a private PostgreSQL (or pass --database-url): %v", err)
						}
						defer srv.Stop()
						bc.DatabaseURL = srv.AdminURL
					}
					if cpuProfile != "" {
						f, err := os.Create(cpuProfile)
						if err != nil {
							return gpumarket.Errorf(gpumarket.EINVALID, "--cpuprofile: %v", err)
						}
						defer f.Close()
						if err := pprof.StartCPUProfile(f); err != nil {
							return err
						}
						defer pprof.StopCPUProfile()
					}
					_, err = bench.Indexer(ctx, bc)
					return err
				},
			},
		},
	}
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
