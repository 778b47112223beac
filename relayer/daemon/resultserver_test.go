package daemon

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket/internal/eth/resultauth"
	"github.com/gpumarket/gpumarket/internal/httpserve"
	"github.com/gpumarket/gpumarket/relayer/resultstore"
)

// startResultServer runs the result server Run builds, with limits, on a
// free port until the test ends.
func startResultServer(t *testing.T, limits httpserve.Config, rate httpserve.RateConfig) string {
	t.Helper()
	store, err := resultstore.Open(t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := newResultServer(ln, limits, rate, resultstore.NewHandler(store, &resultstore.MemOwners{}, resultauth.NewResultAuthorizer(0, nil), nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("result server Run: %v", err)
		}
	})
	return srv.Addr().String()
}

func TestResultServerDefaults(t *testing.T) {
	c := Config{}
	if err := c.resultServerDefaults(); err != nil {
		t.Fatal(err)
	}
	if c.ResultServer.WriteTimeout != DefaultResultWriteTimeout || c.ResultServer.MaxBodyBytes != DefaultResultMaxBodyBytes || c.ResultServer.MaxConns != DefaultResultMaxConns {
		t.Errorf("result server limits = %+v, want the result server's defaults", c.ResultServer)
	}
	def := DefaultResultServer()
	if def.IdleTimeout != httpserve.DefaultIdleTimeout || def.ReadTimeout != httpserve.DefaultReadTimeout || def.ReadHeaderTimeout != httpserve.DefaultReadHeaderTimeout || def.MaxHeaderBytes != httpserve.DefaultMaxHeaderBytes {
		t.Errorf("DefaultResultServer() = %+v, want httpserve's idle, read and header limits", def)
	}
	bad := Config{ResultRate: httpserve.RateConfig{Rate: 1}}
	if err := bad.resultServerDefaults(); err == nil || !strings.Contains(err.Error(), "result rate limit: burst") {
		t.Errorf("resultServerDefaults(rate without burst) = %v, want an error naming it", err)
	}
}

// TestResultServerClosesIdleConnections is issue 13's item 2: the result
// server held idle keep-alive connections forever. Slow headers are closed
// too.
func TestResultServerClosesIdleConnections(t *testing.T) {
	limits := DefaultResultServer()
	limits.IdleTimeout, limits.ReadHeaderTimeout = 100*time.Millisecond, 100*time.Millisecond
	addr := startResultServer(t, limits, httpserve.RateConfig{})
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second)) // reaching it fails the test
	fmt.Fprintf(c, "GET /v1/results/0x12 HTTP/1.1\r\nHost: x\r\n\r\n")
	br := bufio.NewReader(c)
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("GET a malformed hash = %d, want 400", res.StatusCode)
	}
	if _, err := io.Copy(io.Discard, br); errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatal("the result server kept an idle connection open")
	}
	slow, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	_ = slow.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(slow, "GET /v1/results/0x12 HTTP/1.1\r\nHost: x\r\nX-Slow: ") // a head that never ends
	if _, err := io.Copy(io.Discard, slow); errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatal("the result server kept a slow-header connection open")
	}
}

func TestResultServerRateLimitAndCORS(t *testing.T) {
	limits := DefaultResultServer()
	limits.CORS.Origins = []string{"https://dapp.example"}
	addr := startResultServer(t, limits, httpserve.RateConfig{Rate: 0.01, Burst: 2})
	client := &http.Client{Timeout: 10 * time.Second}
	get := func(origin string) (*http.Response, map[string]string) {
		t.Helper()
		req, _ := http.NewRequest("GET", "http://"+addr+"/v1/results/0x12", nil)
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var body map[string]string
		_ = json.NewDecoder(res.Body).Decode(&body)
		return res, body
	}
	if res, _ := get("https://dapp.example"); res.StatusCode != 400 || res.Header.Get("Access-Control-Allow-Origin") != "https://dapp.example" {
		t.Errorf("allowed origin: %d Access-Control-Allow-Origin %q, want 400 with the origin allowed", res.StatusCode, res.Header.Get("Access-Control-Allow-Origin"))
	}
	if res, _ := get("https://evil.example"); res.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("other origin got Access-Control-Allow-Origin %q", res.Header.Get("Access-Control-Allow-Origin"))
	}
	res, body := get("")
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" || body["error"] != "unavailable" || !strings.Contains(body["message"], "retry after") {
		t.Errorf("third request = %d Retry-After %q %v, want 429 with Retry-After in the result server's error shape", res.StatusCode, res.Header.Get("Retry-After"), body)
	}

	pre, _ := http.NewRequest("OPTIONS", "http://"+addr+"/v1/results/0x12", nil)
	pre.Header.Set("Origin", "https://dapp.example")
	pre.Header.Set("Access-Control-Request-Method", "GET")
	pre.Header.Set("Access-Control-Request-Headers", "x-gpumarket-expiry,x-gpumarket-signature") // sorted, as browsers send it
	pres, err := client.Do(pre)
	if err != nil {
		t.Fatal(err)
	}
	pres.Body.Close()
	if h := strings.ToLower(pres.Header.Get("Access-Control-Allow-Headers")); !strings.Contains(h, "x-gpumarket-signature") || !strings.Contains(h, "x-gpumarket-expiry") {
		t.Errorf("preflight Access-Control-Allow-Headers = %q, want the download credentials' headers", h)
	}
}
