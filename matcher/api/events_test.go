package api_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/internal/httpserve"
	"github.com/gpumarket/gpumarket/matcher"
	"github.com/gpumarket/gpumarket/matcher/api"
	"github.com/gpumarket/gpumarket/matcher/client"
	"github.com/gpumarket/gpumarket/matcher/matchertest"
)

// eventServer serves the API with status streams on e, fed by e's
// database through one LISTEN (RunEvents); heartbeat is the re-read
// fallback.
func eventServer(t *testing.T, e *matchertest.Env, mod func(*api.Config)) (*httptest.Server, *api.Server, *client.Client) {
	t.Helper()
	verifier, err := eip712.NewRegistryVerifier(matchertest.Chain, e.Registry)
	if err != nil {
		t.Fatal(err)
	}
	cfg := api.Config{ChainID: matchertest.Chain, Params: matcher.DefaultParams(), Quote: matcher.QuoteParams{MinimumPrice: big.NewInt(1000)},
		Liveness: matcher.DefaultLivenessParams(), EventHeartbeat: 2 * time.Second}
	if mod != nil {
		mod(&cfg)
	}
	srv, err := api.New(cfg, e.APIStore, verifier, e.Log, e.Clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.RunEvents(ctx, e.DB) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("RunEvents = %v, want nil after cancel", err)
		}
	})
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	c, err := client.New(ts.URL, matchertest.Chain, nil)
	if err != nil {
		t.Fatal(err)
	}
	return ts, srv, c
}

// indexedEvent is one event of a job as the indexer writes it: the logs
// and job_events rows at (block, log) of fork (block hash
// sha256("block", block, fork)), and update applied to the jobs row. In
// update, $11 on are the extra arguments of indexJobEvent.
type indexedEvent struct {
	job, block    int64
	log           int32
	fork          string
	name, payload string
	update        string
	notify        bool // notify gpumarket_jobs after, as the indexer does at commit
}

// indexJobEvent writes ev in one statement, as the indexer's one
// transaction: a stream never sees the event without the job's new state.
func indexJobEvent(e *matchertest.Env, ev indexedEvent, args ...any) {
	e.TB.Helper()
	bh := sha256.Sum256([]byte(fmt.Sprint("block", ev.block, ev.fork)))
	tx := sha256.Sum256([]byte(fmt.Sprint("tx", ev.job, "/", ev.block, "/", ev.log, ev.fork)))
	e.Exec(`WITH l AS (
			INSERT INTO logs (chain_id, block_hash, log_index, block_number, block_time, tx_hash, tx_index, address, topics, data, event_name)
			VALUES ($1, $2, $9, $3, to_timestamp($4), $5, 0, $6, '{}', '', $7) RETURNING 1
		), ev AS (
			INSERT INTO job_events (chain_id, block_hash, log_index, job_id, block_number, block_time, tx_hash, event_name, payload)
			VALUES ($1, $2, $9, $10, $3, to_timestamp($4), $5, $7, $8::jsonb) RETURNING 1
		)
		UPDATE jobs SET last_block = $3, `+ev.update+` WHERE chain_id = $1 AND job_id = $10`,
		append([]any{matchertest.Chain, bh[:], ev.block, e.Clock.Now().Unix(), tx[:], e.Market[:], ev.name, ev.payload, ev.log, ev.job}, args...)...)
	if ev.notify {
		e.Exec(`SELECT pg_notify('gpumarket_jobs', $1)`, fmt.Sprintf(`{"chain_id":%d,"job_ids":[%d]}`, matchertest.Chain, ev.job))
	}
}

// chainEvent indexes one event of job 1 at block n (log 0), applies
// update to the jobs row and notifies, as the indexer does at commit.
func chainEvent(e *matchertest.Env, n int64, name, payload, update string, args ...any) {
	e.TB.Helper()
	indexJobEvent(e, indexedEvent{job: 1, block: n, name: name, payload: payload, update: update, notify: true}, args...)
}

// next returns the next event, failing after a generous wait.
func next(t *testing.T, evs <-chan client.Event, errs <-chan error) client.Event {
	t.Helper()
	select {
	case ev, ok := <-evs:
		if !ok {
			t.Fatalf("stream closed early: %v", <-errs)
		}
		return ev
	case <-time.After(30 * time.Second):
		t.Fatal("no event within 30s")
	}
	return client.Event{}
}

// expect reads len(types) events and checks their types in order.
func expect(t *testing.T, evs <-chan client.Event, errs <-chan error, types ...string) []client.Event {
	t.Helper()
	var got []client.Event
	var names []string
	for range types {
		ev := next(t, evs, errs)
		got, names = append(got, ev), append(names, ev.Type)
	}
	if strings.Join(names, ",") != strings.Join(types, ",") {
		t.Fatalf("events = %v, want %v", names, types)
	}
	return got
}

// TestJobEventsResume: a watcher that disconnects after an offer and
// resumes with Last-Event-ID gets exactly what happened meanwhile (the
// offer lapsing, the runner-up's offer, the result, the new state), then
// the settlement, and the stream closes after final.
func TestJobEventsResume(t *testing.T) {
	e := matchertest.New(t)
	a := e.Online(matchertest.ProvOpts{Slots: 2, Price: 1000})
	b := e.Online(matchertest.ProvOpts{Slots: 2, Price: 1500})
	spec := e.UploadSpec(matchertest.SpecBody("llama-3-8b", 4000))
	e.AddJob(1, spec, "ipfs://x", "1000000000", nil)
	chainEvent(e, 10, "JobCreated", `{}`, "state = 'open'")
	svc := e.NewService("m", nil)
	if err := e.Queue.Sync(e.Ctx, matchertest.Chain, time.Time{}, e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	_, _, c := eventServer(t, e, nil)

	ctx1, disconnect := context.WithCancel(t.Context())
	evs, errs := c.Events(ctx1, matchertest.Chain, 1, "")
	first := expect(t, evs, errs, "state")[0]
	var view struct {
		Chain struct{ State string } `json:"chain"`
	}
	if err := json.Unmarshal(first.Data, &view); err != nil || view.Chain.State != "open" {
		t.Fatalf("first event data = %s (%v), want the open job's view", first.Data, err)
	}
	e.Clock.Add(time.Second)
	if n := matchertest.Drain(t, e.Ctx, svc); n == 0 { // offers the job to a (NOTIFY source matcher)
		_, body := e.Do("GET", "/v1/jobs/31337/1", nil)
		t.Fatalf("the matcher offered nothing: %s", body)
	}
	offer := expect(t, evs, errs, "offer", "state")
	if !strings.Contains(string(offer[0].Data), strings.ToLower(a.Addr.String()[2:])) && !strings.Contains(strings.ToLower(string(offer[0].Data)), strings.ToLower(a.Addr.String())) {
		t.Fatalf("offer data = %s, want provider %s", offer[0].Data, a.Addr)
	}
	last := offer[1].ID
	disconnect()

	// Meanwhile: a lets the offer lapse, b is offered the job and accepts
	// it, and submits a result.
	e.Clock.Add(2 * time.Minute)
	matchertest.Drain(t, e.Ctx, svc)
	chainEvent(e, 11, "JobAccepted", `{}`, "state = 'assigned', provider = $11", b.Addr[:])
	resultHash := sha256.Sum256([]byte("result"))
	chainEvent(e, 12, "ResultSubmitted", fmt.Sprintf(`{"resultHash":"0x%x","resultURI":"http://b/result"}`, resultHash),
		"state = 'submitted', amount_due = 900, result_hash = $11, result_uri = 'http://b/result', result_uri_raw = 'http://b/result'::bytea", resultHash[:])

	evs, errs = c.Events(t.Context(), matchertest.Chain, 1, last)
	got := expect(t, evs, errs, "offer_lapsed", "offer", "result", "state")
	if !strings.Contains(string(got[0].Data), `"state":"expired"`) || !strings.Contains(strings.ToLower(string(got[1].Data)), strings.ToLower(b.Addr.String())) {
		t.Fatalf("resumed offers = %s / %s, want a's expired and b's", got[0].Data, got[1].Data)
	}
	if !strings.Contains(string(got[3].Data), `"state":"submitted"`) || !strings.Contains(string(got[3].Data), `"amount_due":"900"`) {
		t.Fatalf("state after the result = %s, want submitted with amount_due 900", got[3].Data)
	}
	chainEvent(e, 13, "JobSettled", `{"payout":{"protocolFee":"22","creatorAmount":"0","providerAmount":"878","clientRefund":"999999100"}}`,
		"state = 'settled', protocol_fee = 22, creator_amount = 0, provider_amount = 878, client_refund = 999999100")
	got = expect(t, evs, errs, "settled", "state", "final")
	if !strings.Contains(string(got[1].Data), `"settlement":{"protocol_fee":"22","creator_amount":"0","provider_amount":"878","client_refund":"999999100"}`) {
		t.Fatalf("settled view = %s, want the split", got[1].Data)
	}
	select {
	case _, ok := <-evs:
		if ok {
			t.Fatal("an event after final, want the stream closed")
		}
	case <-time.After(30 * time.Second):
		t.Fatal("stream still open after final")
	}
	if err := <-errs; err != nil {
		t.Fatalf("stream error after final: %v", err)
	}

	// Resuming from before the settlement replays exactly it; from final,
	// only final again.
	evs, errs = c.Events(t.Context(), matchertest.Chain, 1, got[0].ID)
	expect(t, evs, errs, "state", "final")
	evs, errs = c.Events(t.Context(), matchertest.Chain, 1, got[2].ID)
	expect(t, evs, errs, "final")
}

func TestJobEventsRefusals(t *testing.T) {
	e := matchertest.New(t)
	spec := e.UploadSpec(matchertest.SpecBody("llama-3-8b", 4000))
	e.AddJob(1, spec, "ipfs://x", "1000000000", nil)
	ts, srv, c := eventServer(t, e, func(c *api.Config) { c.EventStreamsPerClient = 2 })

	get := func(path, lastID string) *http.Response {
		req, _ := http.NewRequestWithContext(t.Context(), "GET", ts.URL+path, nil)
		if lastID != "" {
			req.Header.Set("Last-Event-ID", lastID)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	for _, tt := range []struct {
		path, lastID string
		status       int
	}{
		{"/v1/jobs/31337/2/events", "", 404},
		{"/v1/jobs/31337/1/events", "1.2.3", 400},
		{"/v1/jobs/31337/1/events?x=1", "", 400},
	} {
		resp := get(tt.path, tt.lastID)
		resp.Body.Close()
		if resp.StatusCode != tt.status {
			t.Errorf("GET %s (Last-Event-ID %q) = %d, want %d", tt.path, tt.lastID, resp.StatusCode, tt.status)
		}
	}

	// Two streams from one address are served; the third is refused.
	for range 2 {
		evs, errs := c.Events(t.Context(), matchertest.Chain, 1, "")
		expect(t, evs, errs, "state")
	}
	if n := srv.EventStreams(); n != 2 {
		t.Fatalf("EventStreams() = %d, want 2", n)
	}
	resp := get("/v1/jobs/31337/1/events", "")
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("third stream = %d, want 429 with Retry-After", resp.StatusCode)
	}
	_, errs := c.Events(t.Context(), matchertest.Chain, 1, "")
	if err := <-errs; gpumarket.ErrorCode(err) != gpumarket.EUNAVAILABLE {
		t.Fatalf("client Events over the cap = %v, want EUNAVAILABLE", err)
	}
}

// TestJobEventsOutliveServerTimeouts: a status stream served by an
// httpserve server whose read and write timeouts are one second still
// delivers an event several seconds later (each write sets its own
// deadline; the read deadline is lifted).
func TestJobEventsOutliveServerTimeouts(t *testing.T) {
	e := matchertest.New(t)
	spec := e.UploadSpec(matchertest.SpecBody("llama-3-8b", 4000))
	e.AddJob(1, spec, "ipfs://x", "1000000000", nil)
	verifier, err := eip712.NewRegistryVerifier(matchertest.Chain, e.Registry)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := api.New(api.Config{ChainID: matchertest.Chain, Params: matcher.DefaultParams(), Quote: matcher.QuoteParams{MinimumPrice: big.NewInt(1000)},
		Liveness: matcher.DefaultLivenessParams(), EventHeartbeat: 300 * time.Millisecond}, e.APIStore, verifier, e.Log, e.Clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	limits := httpserve.DefaultConfig()
	limits.ReadTimeout, limits.WriteTimeout = time.Second, time.Second
	hs, err := httpserve.Listen("127.0.0.1:0", limits, srv.Handler(), e.Log)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- hs.Run(ctx) }()
	defer func() { cancel(); <-done }()
	c, err := client.New("http://"+hs.Addr().String(), matchertest.Chain, nil)
	if err != nil {
		t.Fatal(err)
	}
	sctx, stop := context.WithCancel(ctx)
	defer stop()
	evs, errs := c.Events(sctx, matchertest.Chain, 1, "")
	expect(t, evs, errs, "state")
	time.Sleep(3 * time.Second) // three times both server timeouts
	chainEvent(e, 10, "JobCancelled", `{}`, "state = 'cancelled', refund = 1000000000")
	got := expect(t, evs, errs, "state", "final")
	if !strings.Contains(string(got[0].Data), `"refund":"1000000000"`) {
		t.Fatalf("state after the cancellation = %s, want the refund", got[0].Data)
	}
}

// TestJobEventsTotalCap: over the matcher-wide stream cap a client gets
// 503 (poll instead), whatever its own count.
func TestJobEventsTotalCap(t *testing.T) {
	e := matchertest.New(t)
	spec := e.UploadSpec(matchertest.SpecBody("llama-3-8b", 4000))
	e.AddJob(1, spec, "ipfs://x", "1000000000", nil)
	ts, _, c := eventServer(t, e, func(c *api.Config) { c.EventStreams = 1 })
	evs, errs := c.Events(t.Context(), matchertest.Chain, 1, "")
	expect(t, evs, errs, "state")
	resp, err := http.Get(ts.URL + "/v1/jobs/31337/1/events")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("second stream over a total cap of 1 = %d, want 503", resp.StatusCode)
	}
}
