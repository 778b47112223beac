package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/errgroup"

	"github.com/gpumarket/gpumarket/internal/httpserve"
)

// TestMatcherServerLimits checks the limits `matcher run` gives its API
// server, then serves through serveHTTP with a short idle timeout and sees
// an idle connection closed (issue 13: idle connections were held).
func TestMatcherServerLimits(t *testing.T) {
	mc := DefaultMatcherConfig()
	mc.MaxConns, mc.CORSOrigins = 7, []string{"https://dapp.example"}
	reg := prometheus.NewRegistry()
	limits := mc.serverLimits(reg)
	def := httpserve.DefaultConfig()
	if limits.IdleTimeout != def.IdleTimeout || limits.ReadHeaderTimeout != def.ReadHeaderTimeout || limits.ReadTimeout != def.ReadTimeout ||
		limits.WriteTimeout != def.WriteTimeout || limits.MaxHeaderBytes != def.MaxHeaderBytes || limits.MaxBodyBytes != def.MaxBodyBytes {
		t.Errorf("matcher server limits = %+v, want httpserve's defaults", limits)
	}
	if limits.MaxConns != 7 || len(limits.CORS.Origins) != 1 || limits.Metrics == nil {
		t.Errorf("matcher server limits = %+v, want the flags' max conns and CORS origins, and metrics", limits)
	}
	if def.IdleTimeout <= 0 || def.ReadTimeout <= 0 || def.MaxConns <= 0 {
		t.Fatalf("httpserve.DefaultConfig() = %+v: a limit is off", def)
	}

	limits.IdleTimeout, limits.ReadHeaderTimeout = 100*time.Millisecond, 100*time.Millisecond
	ctx, cancel := context.WithCancel(t.Context())
	g, gctx := errgroup.WithContext(ctx)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "ok\n") })
	addr, err := serveHTTP(gctx, g, nil, "listen", "127.0.0.1:0", mux, limits, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		cancel()
		if err := g.Wait(); err != nil {
			t.Errorf("serveHTTP after cancel: %v", err)
		}
	}()
	c, err := net.Dial("tcp", addr.String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second)) // reaching it fails the test
	fmt.Fprintf(c, "GET /healthz HTTP/1.1\r\nHost: x\r\nOrigin: https://dapp.example\r\n\r\n")
	br := bufio.NewReader(c)
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	if res.StatusCode != 200 || res.Header.Get("Access-Control-Allow-Origin") != "https://dapp.example" {
		t.Errorf("GET /healthz = %d, Access-Control-Allow-Origin %q; want 200 and the origin allowed", res.StatusCode, res.Header.Get("Access-Control-Allow-Origin"))
	}
	if _, err := io.Copy(io.Discard, br); errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatal("the matcher's server kept an idle connection open")
	}
	slow, err := net.Dial("tcp", addr.String())
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	_ = slow.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(slow, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ") // a head that never ends
	if _, err := io.Copy(io.Discard, slow); errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatal("the matcher's server kept a slow-header connection open")
	}
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var counted bool
	for _, mf := range families {
		if mf.GetName() == "gpumarket_matcher_http_requests_total" {
			counted = len(mf.GetMetric()) == 1 && mf.GetMetric()[0].GetCounter().GetValue() == 1
		}
	}
	if !counted {
		t.Error("gpumarket_matcher_http_requests_total did not count the request")
	}
}

func TestServerLimitFlagErrors(t *testing.T) {
	db := []string{"--database-url", "postgres://u:dbpass@127.0.0.1:1/x"}
	matcherArgs := append(append([]string{"run", "--keystore", "/nonexistent.json", "--password", "x", "--chain-id", "31337",
		"--market", "0x00000000000000000000000000000000000000a1", "--registry", "0x00000000000000000000000000000000000000a2"}, db...), reservationFlags...)
	relayerArgs := append([]string{"run", "--chain-id", "31337", "--market", "0x00000000000000000000000000000000000000a1",
		"--registry", "0x00000000000000000000000000000000000000a2", "--rpc-url", "http://127.0.0.1:1"}, db...)
	tests := []struct {
		name    string
		relayer bool
		args    []string
		want    string
	}{
		{"max conns", false, []string{"--max-conns", "0"}, "--max-conns (GPUMARKET_MATCHER_MAX_CONNS): 0 is below 1"},
		{"write burst", false, []string{"--write-burst", "0"}, "--write-burst (GPUMARKET_MATCHER_WRITE_BURST): 0 is below 1"},
		{"negative read rate", false, []string{"--read-rate", "-1"}, "--read-rate (GPUMARKET_MATCHER_READ_RATE): -1 is not a non-negative number"},
		{"cors origin", false, []string{"--cors-origins", "ftp://dapp.example"}, "--cors-origins (GPUMARKET_MATCHER_CORS_ORIGINS): CORS origin"},
		{"trusted proxy", false, []string{"--trusted-proxies", "10.0.0.0/8,nope"}, `--trusted-proxies (GPUMARKET_MATCHER_TRUSTED_PROXIES): trusted proxy "nope"`},
		{"result max conns", true, []string{"--result-max-conns", "0"}, "--result-max-conns (GPUMARKET_RELAYER_RESULT_MAX_CONNS): 0 is below 1"},
		{"result burst", true, []string{"--result-burst", "0"}, "--result-burst (GPUMARKET_RELAYER_RESULT_BURST): 0 is below 1"},
		{"result cors origin", true, []string{"--result-cors-origins", "https://dapp.example/path"}, "--result-cors-origins (GPUMARKET_RELAYER_RESULT_CORS_ORIGINS): CORS origin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if tt.relayer {
				_, err = runRelayerCLI(t.Context(), t, append(append([]string{}, relayerArgs...), tt.args...)...)
			} else {
				_, err = runMatcherCLI(t.Context(), t, append(append([]string{}, matcherArgs...), tt.args...)...)
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%v = %v, want an error containing %q", tt.args, err, tt.want)
			}
		})
	}
}
