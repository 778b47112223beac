// Command gpumarket is the one binary of the gpumarket system. Each part runs
// as a subcommand (migrate, version, config, and the indexer, matcher,
// relayer and demo as they land); `gpumarket --help` lists them.
//
// main only wires: it parses configuration, builds the parts and runs them.
// Ctrl-C (SIGINT) or SIGTERM cancels the context, which every part treats as a
// normal shutdown.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/gpumarket/gpumarket/relayer/executor"
)

func main() {
	// First: when this binary was started as the command executor's job
	// launcher, this sets the job's limits and execs its program.
	executor.RunLimitedMain()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
