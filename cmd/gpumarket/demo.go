package main

import (
	"context"
	"io"
	"time"

	"github.com/urfave/cli/v3"

	"github.com/gpumarket/gpumarket/cmd/gpumarket/internal/demo"
)

// DefaultDemoConfig returns `gpumarket demo`'s defaults (internal/demo
// fills the rest).
func DefaultDemoConfig() demo.Config {
	return demo.Config{DataDir: ".data/demo", Timeout: 6 * time.Minute}
}

// demoCommand is `gpumarket demo`: the whole market on one machine
// (internal/demo does the work).
func demoCommand(cfg *Config, stdout, stderr io.Writer) *cli.Command {
	dc := &demo.Config{}
	*dc = DefaultDemoConfig()
	return &cli.Command{
		Name:  "demo",
		Usage: "run the whole market on this machine: anvil, PostgreSQL, contracts, indexer, matcher, three providers, a scenario and an end-state check",
		Flags: []cli.Flag{
			databaseURLFlag(cfg, "PostgreSQL server to create the demo's own database on (default: a private cluster under --data-dir)"),
			&cli.StringFlag{Name: "data-dir", Value: dc.DataDir, Usage: "where the run directory (logs, results, the private cluster) goes", Sources: env("demo-data-dir"), Destination: &dc.DataDir},
			&cli.BoolFlag{Name: "keep", Usage: "leave everything running after the summary (Ctrl-C stops it) and print how to query it", Destination: &dc.Keep},
			&cli.BoolFlag{Name: "short", Usage: "the short scenario of the end-to-end test (8 jobs instead of 12)", Destination: &dc.Short},
			&cli.DurationFlag{Name: "timeout", Value: dc.Timeout, Usage: "give up on the scenario after this long", Destination: &dc.Timeout},
		},
		Action: func(ctx context.Context, cmd *cli.Command) error {
			if err := cfg.Validate(cmd, false); err != nil {
				return err
			}
			dc.DatabaseURL, dc.Out = cfg.DatabaseURL, stdout
			if cfg.LogLevel == "debug" {
				dc.Log = newLogger(*cfg, stderr)
			}
			_, err := demo.Run(ctx, *dc)
			return err
		},
	}
}
