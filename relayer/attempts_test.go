package relayer_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/relayer"
	"github.com/gpumarket/gpumarket/relayer/executor"
	"github.com/gpumarket/gpumarket/relayer/executor/synthetic"
)

// countingExec wraps an executor, recording the clock at each Run and
// counting Preflight calls; runErr, when set, is what every Run returns.
type countingExec struct {
	inner  executor.Executor
	clock  *fakeClock
	runErr error

	mu         sync.Mutex
	runs       []time.Time
	preflights int
}

func (c *countingExec) Run(ctx context.Context, job executor.Job) (*executor.Result, error) {
	c.mu.Lock()
	c.runs = append(c.runs, c.clock.Now())
	c.mu.Unlock()
	if c.runErr != nil {
		return nil, c.runErr
	}
	return c.inner.Run(ctx, job)
}

func (c *countingExec) Preflight(ctx context.Context, job executor.Job) error {
	c.mu.Lock()
	c.preflights++
	c.mu.Unlock()
	return c.inner.Preflight(ctx, job)
}

func (c *countingExec) runTimes() []time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Time(nil), c.runs...)
}

// logRecords is a slog handler keeping each record's message and
// attributes.
type logRecords struct {
	mu      sync.Mutex
	records []map[string]string
}

func (l *logRecords) Enabled(context.Context, slog.Level) bool { return true }
func (l *logRecords) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *logRecords) WithGroup(string) slog.Handler            { return l }
func (l *logRecords) Handle(_ context.Context, r slog.Record) error {
	m := map[string]string{"msg": r.Message}
	r.Attrs(func(a slog.Attr) bool { m[a.Key] = a.Value.String(); return true })
	l.mu.Lock()
	l.records = append(l.records, m)
	l.mu.Unlock()
	return nil
}

// count returns the records whose key holds a value containing sub.
func (l *logRecords) count(key, sub string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, r := range l.records {
		if v, ok := r[key]; ok && strings.Contains(v, sub) {
			n++
		}
	}
	return n
}

func (l *logRecords) find(key, sub string) map[string]string {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, r := range l.records {
		if v, ok := r[key]; ok && strings.Contains(v, sub) {
			return r
		}
	}
	return nil
}

// noParamsSpec is a valid job spec that lacks the demo executor's "params"
// input: the job the relayer accepted and could not run.
func noParamsSpec(t *testing.T) []byte {
	t.Helper()
	b, err := json.Marshal(gpumarket.JobSpec{Kind: gpumarket.JobKindLLM, Model: "llama-3-8b",
		Requirements: gpumarket.Requirements{GPUCount: 1, Estimate: gpumarket.Estimate{InputTokens: 10}},
		Inputs:       []gpumarket.JobInput{{Name: "prompt", URI: "data:,hello"}}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A job the executor cannot run is not accepted: no acceptJob is sent, the
// executor's reason is logged once however many ticks see the offer, and
// the offer is not checked again until it lapses; a later offer of the job
// is checked afresh.
func TestRefuseUnrunnableJob(t *testing.T) {
	ctx := context.Background()
	clock := &fakeClock{t: now}
	logs := &logRecords{}
	exec := &countingExec{inner: synthetic.New(nil), clock: clock}
	bad := gpumarket.Hash{0xba}
	g := newRigWith(t, 1, rigOptions{exec: exec, clock: clock, log: slog.New(logs), specs: specMap{bad: noParamsSpec(t)}})
	j := g.addJob(1, gpumarket.JobKindLLM, gpumarket.JobStateOpen, gpumarket.Address{})
	j.SpecHash = bad
	sa := offer(1, 900_000, now.Add(time.Minute), matcher[:])
	sa.Assignment.JobHash = fakeJobHash(1, bad)
	g.m.pending = []relayer.SignedAssignment{sa}
	for range 5 {
		if err := g.r.Tick(ctx); err != nil {
			t.Fatal(err)
		}
		clock.Add(time.Second)
	}
	if len(g.sender.keys) != 0 {
		t.Fatalf("sent %v for a job the executor cannot run, want nothing", g.sender.keys)
	}
	if n := logs.count("reason", relayer.LapseCannotRun); n != 1 {
		t.Errorf("refusal logged %d times over 5 ticks, want once", n)
	}
	if r := logs.find("reason", relayer.LapseCannotRun); r == nil || !strings.Contains(r["err"], `no "params" input`) {
		t.Errorf("refusal log %v does not give the executor's reason", r)
	}
	if exec.preflights != 1 {
		t.Errorf("Preflight called %d times for one offer, want 1", exec.preflights)
	}
	if len(exec.runTimes()) != 0 {
		t.Errorf("the unrunnable job was run %d times", len(exec.runTimes()))
	}

	// The offer lapses; the matcher's next offer (to us again, say) is
	// checked again, and refused again.
	clock.Add(time.Minute)
	next := sa
	next.Assignment.Expiry = clock.Now().Add(time.Minute).Unix()
	g.m.pending = []relayer.SignedAssignment{next}
	if err := g.r.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if exec.preflights != 2 || logs.count("reason", relayer.LapseCannotRun) != 2 || len(g.sender.keys) != 0 {
		t.Errorf("new offer: %d preflights, %d refusals logged, sent %v; want 2, 2, nothing", exec.preflights,
			logs.count("reason", relayer.LapseCannotRun), g.sender.keys)
	}

	// A runnable job in the same round is accepted.
	g.addJob(2, gpumarket.JobKindLLM, gpumarket.JobStateOpen, gpumarket.Address{})
	good := offer(2, 900_000, clock.Now().Add(time.Minute), matcher[:])
	g.m.pending = []relayer.SignedAssignment{next, good}
	if err := g.r.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	if !g.sender.has(relayer.AcceptKey(&good.Assignment)) || g.sender.has(relayer.AcceptKey(&next.Assignment)) {
		t.Errorf("sent %v, want only the runnable job's accept", g.sender.keys)
	}
}

// An unavailable spec is not a refusal: the relayer tries again next tick.
func TestPreflightSpecUnavailable(t *testing.T) {
	g := newRig(t, 1)
	j := g.addJob(1, gpumarket.JobKindLLM, gpumarket.JobStateOpen, gpumarket.Address{})
	j.SpecHash = gpumarket.Hash{0x99} // not in the spec map: ENOTFOUND, a refusal
	sa := offer(1, 900_000, now.Add(time.Minute), matcher[:])
	sa.Assignment.JobHash = fakeJobHash(1, j.SpecHash)
	g.m.pending = []relayer.SignedAssignment{sa}
	if err := g.r.Tick(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(g.sender.keys) != 0 {
		t.Fatalf("accepted a job whose spec does not exist: %v", g.sender.keys)
	}
}

// runRig is a relayer with one assigned job whose executor always fails,
// on a settable clock, with a 5s backoff doubling up to 12s and 3 attempts.
func runRig(t *testing.T, attempts relayer.Attempts, clock *fakeClock, runErr error, deadline time.Time) (*rig, *countingExec, *logRecords) {
	t.Helper()
	logs := &logRecords{}
	exec := &countingExec{inner: synthetic.New(nil), clock: clock, runErr: runErr}
	g := newRigWith(t, 1, rigOptions{exec: exec, clock: clock, attempts: attempts, log: slog.New(logs), config: func(c *relayer.Config) {
		c.MaxAttempts, c.AttemptBackoff, c.MaxAttemptBackoff = 3, 5*time.Second, 12*time.Second
	}})
	g.addJob(7, gpumarket.JobKindLLM, gpumarket.JobStateAssigned, me).Deadline = uint64(deadline.Unix())
	return g, exec, logs
}

func tickEach(t *testing.T, g *rig, clock *fakeClock, step time.Duration, n int) {
	t.Helper()
	for range n {
		if err := g.r.Tick(context.Background()); err != nil {
			t.Fatal(err)
		}
		g.r.Wait()
		clock.Add(step)
	}
}

// A job that keeps failing after acceptance is run exactly MaxAttempts
// times, each retry after a longer wait than the one before, then abandoned
// with a logged reason and the client's recourse, and not run again, even
// by a restarted relayer.
func TestFailingJobBoundedAttempts(t *testing.T) {
	clock := &fakeClock{t: now}
	store := &relayer.MemAttempts{}
	g, exec, logs := runRig(t, store, clock, errors.New("inference server crashed"), now.Add(time.Hour))
	tickEach(t, g, clock, time.Second, 60) // a tick a second for a minute

	runs := exec.runTimes()
	if len(runs) != 3 {
		t.Fatalf("ran %d times, want MaxAttempts = 3 (at %v)", len(runs), runs)
	}
	wantGaps := []time.Duration{5 * time.Second, 10 * time.Second}
	for i := 1; i < len(runs); i++ {
		if gap := runs[i].Sub(runs[i-1]); gap != wantGaps[i-1] {
			t.Errorf("attempt %d came %v after the previous, want %v", i+1, gap, wantGaps[i-1])
		}
	}
	if len(g.sender.keys) != 0 {
		t.Errorf("sent %v for a job that never ran", g.sender.keys)
	}
	rec, _ := store.JobAttempts(context.Background(), 7, fakeJobHash(7, gpumarket.Hash{0x5e}))
	if !rec.Abandoned() || rec.Attempts != 3 || !strings.Contains(rec.Reason, "inference server crashed") {
		t.Errorf("record %+v, want abandoned after 3 attempts with the last error", rec)
	}
	if n := logs.count("msg", "job abandoned"); n != 1 {
		t.Errorf("abandonment logged %d times, want once", n)
	}
	if r := logs.find("msg", "job abandoned"); r == nil || !strings.Contains(r["client_may"], "refund(7, job)") {
		t.Errorf("abandonment log %v does not say what the client may do", r)
	}

	// A restarted relayer (same store) does not run it again.
	g2, exec2, _ := runRig(t, store, clock, errors.New("still crashed"), now.Add(time.Hour))
	tickEach(t, g2, clock, time.Second, 30)
	if n := len(exec2.runTimes()); n != 0 {
		t.Errorf("restarted relayer ran the abandoned job %d times", n)
	}
}

// Backoff keeps growing to its cap: with 5 attempts, 5s, 10s, 12s, 12s.
func TestBackoffCapped(t *testing.T) {
	clock := &fakeClock{t: now}
	exec := &countingExec{inner: synthetic.New(nil), clock: clock, runErr: errors.New("boom")}
	g := newRigWith(t, 1, rigOptions{exec: exec, clock: clock, config: func(c *relayer.Config) {
		c.MaxAttempts, c.AttemptBackoff, c.MaxAttemptBackoff = 5, 5*time.Second, 12*time.Second
	}})
	g.addJob(7, gpumarket.JobKindLLM, gpumarket.JobStateAssigned, me)
	tickEach(t, g, clock, time.Second, 90)
	runs := exec.runTimes()
	want := []time.Duration{5 * time.Second, 10 * time.Second, 12 * time.Second, 12 * time.Second}
	if len(runs) != len(want)+1 {
		t.Fatalf("ran %d times, want %d", len(runs), len(want)+1)
	}
	for i, w := range want {
		if gap := runs[i+1].Sub(runs[i]); gap != w {
			t.Errorf("wait before attempt %d = %v, want %v", i+2, gap, w)
		}
	}
}

// No attempt starts at or past the deadline: a retry whose backoff would end
// past it is not waited for, the job is abandoned at once; a job first seen
// past its deadline is never run.
func TestNoAttemptPastDeadline(t *testing.T) {
	t.Run("retry would end past the deadline", func(t *testing.T) {
		clock := &fakeClock{t: now}
		store := &relayer.MemAttempts{}
		g, exec, logs := runRig(t, store, clock, errors.New("boom"), now.Add(12*time.Second))
		tickEach(t, g, clock, time.Second, 30)
		runs := exec.runTimes()
		// Attempt 1 at now, attempt 2 at now+5s; the third would start at
		// now+15s, past the deadline at now+12s.
		if len(runs) != 2 {
			t.Fatalf("ran %d times (at %v), want 2", len(runs), runs)
		}
		for _, r := range runs {
			if !r.Before(now.Add(12 * time.Second)) {
				t.Errorf("an attempt started at %v, at or past the deadline", r)
			}
		}
		if r := logs.find("msg", "job abandoned"); r == nil || !strings.Contains(r["reason"], "past the deadline") {
			t.Errorf("abandonment log %v, want the deadline as the reason", r)
		}
	})
	t.Run("deadline already passed", func(t *testing.T) {
		clock := &fakeClock{t: now}
		g, exec, logs := runRig(t, nil, clock, nil, now.Add(-time.Second))
		tickEach(t, g, clock, time.Second, 5)
		if n := len(exec.runTimes()); n != 0 {
			t.Errorf("ran a job past its deadline %d times", n)
		}
		if logs.count("msg", "job abandoned") != 1 {
			t.Error("a job past its deadline was not abandoned (once)")
		}
	})
}

// A job the executor refuses at run time (EINVALID) is not retried.
func TestRefusedAtRunNotRetried(t *testing.T) {
	clock := &fakeClock{t: now}
	g, exec, _ := runRig(t, nil, clock, gpumarket.Errorf(gpumarket.EINVALID, "spec lacks a prompt"), now.Add(time.Hour))
	tickEach(t, g, clock, time.Second, 30)
	if n := len(exec.runTimes()); n != 1 {
		t.Errorf("a job the executor refused was run %d times, want 1", n)
	}
}

// A run cut short by a stop of the relayer counts: after MaxAttempts
// starts, the restarted relayer abandons the job instead of running it.
func TestInterruptedAttemptsCount(t *testing.T) {
	clock := &fakeClock{t: now}
	store := &relayer.MemAttempts{}
	hash := fakeJobHash(7, gpumarket.Hash{0x5e})
	if err := store.SaveJobAttempts(context.Background(), relayer.JobAttempts{JobID: 7, JobHash: hash, Attempts: 3,
		LastError: "boom"}); err != nil {
		t.Fatal(err)
	}
	g, exec, logs := runRig(t, store, clock, nil, now.Add(time.Hour))
	tickEach(t, g, clock, time.Second, 3)
	if n := len(exec.runTimes()); n != 0 {
		t.Errorf("ran %d times after 3 attempts had started", n)
	}
	if r := logs.find("msg", "job abandoned"); r == nil || !strings.Contains(r["reason"], "cut short") {
		t.Errorf("abandonment log %v, want the interrupted attempt as the reason", r)
	}
	// The same job succeeding on its first attempt is submitted once.
	g2, _, _ := runRig(t, nil, clock, nil, now.Add(time.Hour))
	tickEach(t, g2, clock, time.Second, 3)
	if !g2.sender.has(relayer.SubmitKey(7)) {
		t.Errorf("sent %v, want the result submitted", g2.sender.keys)
	}
}
