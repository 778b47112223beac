package matcher

import (
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
)

func newLiveness(tb testing.TB, clock *fakeClock) *Liveness {
	tb.Helper()
	l, err := NewLiveness(DefaultLivenessParams(), clock.now)
	if err != nil {
		tb.Fatal(err)
	}
	return l
}

func hb(p gpumarket.Address, seq uint64, ts time.Time, free uint32) *gpumarket.Heartbeat {
	return &gpumarket.Heartbeat{Provider: p, Sequence: seq, Timestamp: ts.Unix(), FreeSlots: free, LoadBps: 1000}
}

func TestLivenessHeartbeats(t *testing.T) {
	clock := &fakeClock{testNow}
	l := newLiveness(t, clock)
	p := addr(1)
	l.Register(p)
	type step struct {
		name    string
		advance time.Duration
		hb      *gpumarket.Heartbeat
		code    string // "" = accepted
		status  gpumarket.ProviderStatus
	}
	steps := []step{
		{"first heartbeat", 0, hb(p, 1, testNow, 2), "", gpumarket.ProviderOnline},
		{"replayed", 0, hb(p, 1, testNow, 2), gpumarket.EUNAUTHORIZED, gpumarket.ProviderOnline},
		{"older sequence", time.Second, hb(p, 0, testNow, 2), gpumarket.EINVALID, gpumarket.ProviderOnline},
		{"full", 29 * time.Second, hb(p, 2, testNow.Add(30*time.Second), 0), "", gpumarket.ProviderBusy},
		{"stale", 10 * time.Second, hb(p, 3, testNow.Add(-21*time.Second), 1), gpumarket.EUNAUTHORIZED, gpumarket.ProviderBusy},
		{"from the future", 0, hb(p, 3, testNow.Add(51*time.Second), 1), gpumarket.EUNAUTHORIZED, gpumarket.ProviderBusy},
		{"slightly ahead is fine", 0, hb(p, 3, testNow.Add(50*time.Second), 1), "", gpumarket.ProviderOnline},
		{"sequence may jump", 0, hb(p, 100, testNow.Add(40*time.Second), 1), "", gpumarket.ProviderOnline},
		{"unknown provider", 0, hb(addr(9), 1, testNow.Add(40*time.Second), 1), gpumarket.ENOTFOUND, gpumarket.ProviderOnline},
	}
	for _, s := range steps {
		clock.advance(s.advance)
		_, err := l.Heartbeat(s.hb)
		if gpumarket.ErrorCode(err) != s.code {
			t.Fatalf("%s: Heartbeat = %v, want code %q", s.name, err, s.code)
		}
		if st, _ := l.State(p); st.Status != s.status {
			t.Fatalf("%s: status = %v, want %v", s.name, st.Status, s.status)
		}
	}
	if st, _ := l.State(p); st.Sequence != 100 || st.FreeSlots != 1 {
		t.Errorf("state = %+v, want sequence 100 and 1 free slot (rejected heartbeats change nothing)", st)
	}
}

func TestLivenessOfflineAfterMissedHeartbeats(t *testing.T) {
	clock := &fakeClock{testNow}
	l := newLiveness(t, clock)
	a, b := addr(1), addr(2)
	l.Register(a)
	l.Register(b)
	for _, p := range []gpumarket.Address{a, b} {
		if _, err := l.Heartbeat(hb(p, 1, testNow, 1)); err != nil {
			t.Fatal(err)
		}
	}
	clock.advance(60 * time.Second)
	if _, err := l.Heartbeat(hb(b, 2, clock.t, 1)); err != nil {
		t.Fatal(err)
	}
	clock.advance(29 * time.Second) // a silent for 89 s, b for 29 s
	if got := l.Tick(); len(got) != 0 {
		t.Fatalf("Tick() at 89s = %+v, want none", got)
	}
	clock.advance(time.Second) // a silent for 90 s = 3 intervals
	got := l.Tick()
	if len(got) != 1 || got[0].Provider != a || got[0].From != gpumarket.ProviderOnline || got[0].To != gpumarket.ProviderOffline || !got[0].At.Equal(clock.t) {
		t.Fatalf("Tick() at 90s = %+v, want a online→offline now", got)
	}
	if again := l.Tick(); len(again) != 0 {
		t.Errorf("Tick() again = %+v, want none", again)
	}
	// A fresh heartbeat brings it back.
	if tr, err := l.Heartbeat(hb(a, 2, clock.t, 1)); err != nil || tr == nil || tr.To != gpumarket.ProviderOnline {
		t.Errorf("Heartbeat(after offline) = %+v, %v, want →online", tr, err)
	}
}

func TestLivenessSuspension(t *testing.T) {
	clock := &fakeClock{testNow}
	l := newLiveness(t, clock)
	p := addr(1)
	l.Register(p)
	if _, err := l.Heartbeat(hb(p, 1, testNow, 1)); err != nil {
		t.Fatal(err)
	}
	tr, err := l.Suspend(p, "operator: abuse report")
	if err != nil || tr.From != gpumarket.ProviderOnline || tr.To != gpumarket.ProviderSuspended {
		t.Fatalf("Suspend = %+v, %v", tr, err)
	}
	if _, err := l.Suspend(p, "again"); gpumarket.ErrorCode(err) != gpumarket.ECONFLICT {
		t.Errorf("Suspend(suspended) = %v, want %s", err, gpumarket.ECONFLICT)
	}
	// Heartbeats are recorded, the suspension holds, Tick leaves it alone.
	if tr, err := l.Heartbeat(hb(p, 2, testNow, 1)); err != nil || tr != nil {
		t.Errorf("Heartbeat(suspended) = %+v, %v, want recorded without transition", tr, err)
	}
	clock.advance(time.Hour)
	if got := l.Tick(); len(got) != 0 {
		t.Errorf("Tick(suspended) = %+v, want none", got)
	}
	if st, _ := l.State(p); st.Status != gpumarket.ProviderSuspended || st.Sequence != 2 || st.Flag != "operator: abuse report" {
		t.Errorf("state = %+v", st)
	}
	tr, err = l.Reinstate(p, "operator: cleared")
	if err != nil || tr.To != gpumarket.ProviderOffline {
		t.Fatalf("Reinstate = %+v, %v, want →offline", tr, err)
	}
	if _, err := l.Reinstate(p, "again"); gpumarket.ErrorCode(err) != gpumarket.ECONFLICT {
		t.Errorf("Reinstate(offline) = %v, want %s", err, gpumarket.ECONFLICT)
	}
	if _, err := l.Suspend(addr(7), "x"); gpumarket.ErrorCode(err) != gpumarket.ENOTFOUND {
		t.Errorf("Suspend(unknown) = %v, want %s", err, gpumarket.ENOTFOUND)
	}
}

func TestLivenessFingerprintReuse(t *testing.T) {
	clock := &fakeClock{testNow}
	l := newLiveness(t, clock)
	a, b, c := addr(1), addr(2), addr(3)
	for _, p := range []gpumarket.Address{a, b, c} {
		l.Register(p)
		if _, err := l.Heartbeat(hb(p, 1, testNow, 1)); err != nil {
			t.Fatal(err)
		}
	}
	fp1, fp2 := gpumarket.Hash{1}, gpumarket.Hash{2}
	if got, err := l.Attest(a, fp1); err != nil || len(got) != 0 {
		t.Fatalf("Attest(a, fp1) = %+v, %v, want no flag", got, err)
	}
	if got, err := l.Attest(c, fp2); err != nil || len(got) != 0 {
		t.Fatalf("Attest(c, fp2) = %+v, %v, want no flag", got, err)
	}
	// Re-attesting the same machine is not reuse.
	if got, err := l.Attest(a, fp1); err != nil || len(got) != 0 {
		t.Fatalf("Attest(a, fp1) again = %+v, %v, want no flag", got, err)
	}
	got, err := l.Attest(b, fp1)
	if err != nil || len(got) != 2 || got[0].Provider != a || got[1].Provider != b {
		t.Fatalf("Attest(b, fp1) = %+v, %v, want a and b suspended", got, err)
	}
	for _, p := range []gpumarket.Address{a, b} {
		if st, _ := l.State(p); st.Status != gpumarket.ProviderSuspended || st.Flag == "" {
			t.Errorf("state of %s = %+v, want suspended with a flag", p, st)
		}
	}
	if st, _ := l.State(c); st.Status != gpumarket.ProviderOnline {
		t.Errorf("state of c = %+v, want online (own fingerprint)", st)
	}
	// b re-attests on other hardware: fp1 is a's alone again, and b stays
	// suspended until an operator reinstates it.
	if got, err := l.Attest(b, gpumarket.Hash{3}); err != nil || len(got) != 0 {
		t.Errorf("Attest(b, fp3) = %+v, %v, want nothing (b already suspended)", got, err)
	}
	if _, err := l.Attest(addr(8), fp1); gpumarket.ErrorCode(err) != gpumarket.ENOTFOUND {
		t.Errorf("Attest(unknown) = %v, want %s", err, gpumarket.ENOTFOUND)
	}
}

func TestLivenessParamsValidate(t *testing.T) {
	p := DefaultLivenessParams()
	p.MissedBeforeOffline = 0
	if _, err := NewLiveness(p, time.Now); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Errorf("NewLiveness(missed 0) = %v, want %s", err, gpumarket.EINVALID)
	}
	if _, err := NewLiveness(DefaultLivenessParams(), nil); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Errorf("NewLiveness(no clock) = %v, want %s", err, gpumarket.EINVALID)
	}
}
