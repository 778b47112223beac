package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/pprof"

	"github.com/urfave/cli/v3"
	"golang.org/x/sync/errgroup"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/httpserve"
)

// serveHTTP listens on addr, the value of cmd's flag listenFlag, and serves
// h in g with limits (internal/httpserve: a zero field of limits takes its
// default) until g's ctx ends; then it shuts the server down, letting
// requests in flight finish for up to limits.ShutdownTimeout. It returns the
// bound address, or an EINVALID error naming the flag when addr cannot be
// listened on.
func serveHTTP(ctx context.Context, g *errgroup.Group, cmd *cli.Command, listenFlag, addr string, h http.Handler, limits httpserve.Config, log *slog.Logger) (net.Addr, error) {
	srv, err := httpserve.Listen(addr, limits, h, log)
	if err != nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "%v", flagErr(cmd, listenFlag, gpumarket.ErrorMessage(err)))
	}
	g.Go(func() error { return srv.Run(ctx) })
	return srv.Addr(), nil
}

// startCPUProfile writes a CPU profile to path, the value of cmd's flag
// name, until the returned stop is called; with an empty path it does
// nothing. It returns an EINVALID error naming the flag when the file
// cannot be created.
func startCPUProfile(cmd *cli.Command, name, path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "%v", flagErr(cmd, name, err.Error()))
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("start cpu profile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
