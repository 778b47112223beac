package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"runtime/pprof"
	"time"

	"github.com/urfave/cli/v3"
	"golang.org/x/sync/errgroup"

	"github.com/gpumarket/gpumarket"
)

// Limits of every HTTP server the binary runs (the matcher's API, the
// indexer's metrics and health).
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 15 * time.Second
	writeTimeout      = 30 * time.Second
	idleTimeout       = 2 * time.Minute
	shutdownTimeout   = 10 * time.Second
)

// serveHTTP listens on addr, the value of cmd's flag listenFlag, and serves
// h in g until g's ctx ends; then it shuts the server down, letting requests
// in flight finish for up to shutdownTimeout. It returns the bound address,
// or an EINVALID error naming the flag when addr cannot be listened on.
func serveHTTP(ctx context.Context, g *errgroup.Group, cmd *cli.Command, listenFlag, addr string, h http.Handler) (net.Addr, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "%v", flagErr(cmd, listenFlag, err.Error()))
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: readHeaderTimeout, ReadTimeout: readTimeout,
		WriteTimeout: writeTimeout, IdleTimeout: idleTimeout}
	g.Go(func() error {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("serve http on %s: %w", ln.Addr(), err)
		}
		return nil
	})
	g.Go(func() error {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
		defer cancel()
		return srv.Shutdown(sctx)
	})
	return ln.Addr(), nil
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
