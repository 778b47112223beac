package api_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/matcher"
	"github.com/gpumarket/gpumarket/matcher/api"
	"github.com/gpumarket/gpumarket/matcher/client"
	"github.com/gpumarket/gpumarket/matcher/matchertest"
)

// smallBuffers gives every accepted connection a small kernel send buffer,
// so that a client that stops reading blocks the server's writes after a
// few KiB instead of the megabytes loopback buffers take.
type smallBuffers struct{ net.Listener }

func (l smallBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetWriteBuffer(4096)
	}
	return c, err
}

// TestJobEventsDropsStalledClient: a watcher that opens a status stream and
// then never reads is dropped once a write to it blocks past
// EventWriteTimeout: its connection is closed and its slot freed (a new
// stream is admitted under a total cap that refused it before), while a
// watcher that reads gets every event meanwhile.
func TestJobEventsDropsStalledClient(t *testing.T) {
	e := matchertest.New(t)
	spec := e.UploadSpec(matchertest.SpecBody("llama-3-8b", 4000))
	e.AddJob(1, spec, "ipfs://x", "1000000000", nil)
	verifier, err := eip712.NewRegistryVerifier(matchertest.Chain, e.Registry)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := api.New(api.Config{ChainID: matchertest.Chain, Params: matcher.DefaultParams(), Quote: matcher.QuoteParams{MinimumPrice: big.NewInt(1000)},
		Liveness: matcher.DefaultLivenessParams(), EventHeartbeat: 2 * time.Second, EventWriteTimeout: 500 * time.Millisecond,
		EventStreams: 2}, e.APIStore, verifier, e.Log, e.Clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	runEvents(t, srv, e)
	ts := httptest.NewUnstartedServer(srv.Handler())
	ts.Listener = smallBuffers{ts.Listener}
	ts.Start()
	t.Cleanup(ts.Close)
	c, err := client.New(ts.URL, matchertest.Chain, nil)
	if err != nil {
		t.Fatal(err)
	}

	// The stalled watcher: reads the response head, then nothing.
	raw, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	_ = raw.(*net.TCPConn).SetReadBuffer(4096)
	if _, err := fmt.Fprintf(raw, "GET /v1/jobs/%d/1/events HTTP/1.1\r\nHost: matcher\r\n\r\n", matchertest.Chain); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReaderSize(raw, 16)
	status, err := br.ReadString('\n')
	if err != nil || !strings.Contains(status, " 200 ") {
		t.Fatalf("stalled watcher's status line = %q, %v; want 200", status, err)
	}

	// The reading watcher.
	evs, errs := c.Events(t.Context(), matchertest.Chain, 1, "")
	expect(t, evs, errs, "state")
	if n := srv.EventStreams(); n != 2 {
		t.Fatalf("EventStreams() = %d, want 2", n)
	}
	if code := getStatus(t, ts.URL); code != http.StatusServiceUnavailable {
		t.Fatalf("a third stream under a total cap of 2 = %d, want 503", code)
	}

	// Twenty state changes of 256 KiB each (a long result URI): far more
	// than the stalled connection's buffers hold.
	long := strings.Repeat("x", 256<<10)
	const changes = 20
	for i := range changes {
		chainEvent(e, int64(10+i), "JobAssigned", `{}`, "result_uri = $11, result_uri_raw = convert_to($11, 'UTF8')", fmt.Sprintf("https://r/%d/%s", i, long))
		ev := next(t, evs, errs)
		if ev.Type != "state" || !strings.Contains(string(ev.Data), fmt.Sprintf("https://r/%d/", i)) {
			t.Fatalf("reading watcher's event %d = %s (%d bytes), want the state with result %d", i, ev.Type, len(ev.Data), i)
		}
	}

	// The stalled stream is gone: its slot is free and its connection
	// closed (what it had buffered, then EOF or a reset).
	deadline := time.Now().Add(20 * time.Second)
	for srv.EventStreams() != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("EventStreams() = %d 20s after the stalled watcher stopped reading, want 1", srv.EventStreams())
		}
		time.Sleep(50 * time.Millisecond)
	}
	_ = raw.SetReadDeadline(time.Now().Add(20 * time.Second))
	n, err := io.Copy(io.Discard, br)
	if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() {
		t.Fatalf("stalled watcher's connection still open after %d bytes (%v), want it closed by the server", n, err)
	}
	if n >= changes*int64(len(long)) {
		t.Fatalf("stalled watcher received %d bytes, every event: it was not stalled", n)
	}
	if code := getStatus(t, ts.URL); code != http.StatusOK {
		t.Fatalf("a new stream after the drop = %d, want 200", code)
	}
}

// runEvents runs srv's LISTEN on e's database until the test ends.
func runEvents(t *testing.T, srv *api.Server, e *matchertest.Env) {
	t.Helper()
	done := make(chan error, 1)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { done <- srv.RunEvents(ctx, e.DB) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("RunEvents = %v, want nil after cancel", err)
		}
	})
}

// getStatus opens a status stream of job 1 and returns its status code.
func getStatus(t *testing.T, base string) int {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", fmt.Sprintf("%s/v1/jobs/%d/1/events", base, matchertest.Chain), nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
