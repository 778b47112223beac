package matcher

import (
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
)

// fakeClock is a settable clock for tests.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newBook(tb testing.TB, clock *fakeClock) *Book {
	tb.Helper()
	b, err := NewBook(2*time.Minute, clock.now)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// decision returns a decision for job id ranking the given providers in
// order, each with slots advertised slots and cost 100+rank.
func decision(id gpumarket.JobID, slots uint32, providers ...gpumarket.Address) *Decision {
	d := &Decision{JobID: id}
	for i, p := range providers {
		d.Ranked = append(d.Ranked, Ranked{Provider: p, Cost: big.NewInt(int64(100 + i)), Slots: slots})
	}
	return d
}

func TestBookFallbackOnExpiry(t *testing.T) {
	clock := &fakeClock{testNow}
	b := newBook(t, clock)
	a, c, e := addr(1), addr(2), addr(3)
	o, err := b.Offer(decision(1, 1, a, c, e))
	if err != nil {
		t.Fatal(err)
	}
	if o.Assignment.Provider != a || o.Rank != 0 || o.Assignment.Expiry != testNow.Add(2*time.Minute).Unix() || o.Assignment.Price.Int64() != 100 {
		t.Fatalf("Offer = %+v, want provider %s rank 0 price 100 expiry now+2m", o, a)
	}
	if _, err := b.Offer(decision(1, 1, a)); gpumarket.ErrorCode(err) != gpumarket.ECONFLICT {
		t.Errorf("Offer(same job twice) = %v, want %s", err, gpumarket.ECONFLICT)
	}
	clock.advance(2*time.Minute - time.Second)
	if got := b.Expire(); len(got) != 0 {
		t.Fatalf("Expire() before expiry = %+v, want none", got)
	}
	clock.advance(time.Second)
	got := b.Expire()
	if len(got) != 1 || got[0].Expired.Assignment.Provider != a || got[0].Next == nil || got[0].Next.Assignment.Provider != c || got[0].Next.Rank != 1 {
		t.Fatalf("Expire() = %+v, want a's offer expired and c's next", got)
	}
	if got[0].Next.Assignment.Price.Int64() != 101 || got[0].Next.Assignment.Expiry != clock.t.Add(2*time.Minute).Unix() {
		t.Errorf("next offer = %+v, want c's own price 101 and a fresh expiry", got[0].Next)
	}
	if b.Misses(a) != 1 || b.InFlight(a) != 0 || b.InFlight(c) != 1 || b.Misses(c) != 0 {
		t.Errorf("after expiry: misses(a)=%d inflight(a)=%d inflight(c)=%d, want 1 0 1", b.Misses(a), b.InFlight(a), b.InFlight(c))
	}
	// c accepts: the slot stays held until the job finishes.
	if err := b.Accepted(1, c); err != nil {
		t.Fatal(err)
	}
	if _, ok := b.Pending(1); ok || b.InFlight(c) != 1 {
		t.Errorf("after accept: pending=%v inflight(c)=%d, want none and 1", ok, b.InFlight(c))
	}
	if err := b.Accepted(1, e); gpumarket.ErrorCode(err) != gpumarket.ECONFLICT {
		t.Errorf("Accepted(by another) = %v, want %s", err, gpumarket.ECONFLICT)
	}
	if _, err := b.Offer(decision(1, 1, e)); gpumarket.ErrorCode(err) != gpumarket.ECONFLICT {
		t.Errorf("Offer(accepted job) = %v, want %s", err, gpumarket.ECONFLICT)
	}
	b.Finished(1)
	b.Finished(1) // replayed event
	if b.InFlight(c) != 0 {
		t.Errorf("after finish: inflight(c) = %d, want 0", b.InFlight(c))
	}
}

func TestBookExhaustsRankedList(t *testing.T) {
	clock := &fakeClock{testNow}
	b := newBook(t, clock)
	if _, err := b.Offer(decision(1, 1, addr(1), addr(2))); err != nil {
		t.Fatal(err)
	}
	for i, want := range []gpumarket.Address{addr(2), {}} {
		clock.advance(3 * time.Minute)
		got := b.Expire()
		if len(got) != 1 {
			t.Fatalf("Expire() #%d = %+v, want one", i, got)
		}
		if want.IsZero() != (got[0].Next == nil) || (got[0].Next != nil && got[0].Next.Assignment.Provider != want) {
			t.Fatalf("Expire() #%d next = %+v, want %v", i, got[0].Next, want)
		}
	}
	if b.InFlight(addr(1))+b.InFlight(addr(2)) != 0 || b.Misses(addr(1)) != 1 || b.Misses(addr(2)) != 1 {
		t.Errorf("after exhaustion: inflight %d %d misses %d %d, want 0 0 1 1", b.InFlight(addr(1)), b.InFlight(addr(2)), b.Misses(addr(1)), b.Misses(addr(2)))
	}
	// The job can be decided and offered again.
	if _, err := b.Offer(decision(1, 1, addr(1))); err != nil {
		t.Errorf("Offer(after exhaustion) = %v, want nil", err)
	}
}

// TestBookNeverExceedsSlots offers many jobs to the same ranked providers:
// each gets exactly its slots, then the book refuses.
func TestBookNeverExceedsSlots(t *testing.T) {
	clock := &fakeClock{testNow}
	b := newBook(t, clock)
	a, c := addr(1), addr(2)
	var got []gpumarket.Address
	for id := gpumarket.JobID(1); id <= 5; id++ {
		o, err := b.Offer(decision(id, 2, a, c))
		if id == 5 {
			var e *gpumarket.Error
			if !errors.As(err, &e) || e.Code != gpumarket.EUNAVAILABLE {
				t.Fatalf("Offer(job 5 with 4 slots taken) = %+v, %v, want %s", o, err, gpumarket.EUNAVAILABLE)
			}
			break
		}
		if err != nil {
			t.Fatalf("Offer(job %d) = %v", id, err)
		}
		got = append(got, o.Assignment.Provider)
	}
	want := []gpumarket.Address{a, a, c, c}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("offers went to %v, want %v", got, want)
		}
	}
	if b.InFlight(a) != 2 || b.InFlight(c) != 2 {
		t.Errorf("InFlight = %d, %d, want 2, 2", b.InFlight(a), b.InFlight(c))
	}
	// Expiry of job 1 (a's) cannot fall back to c (full): a's slot frees,
	// and the fallback skips full providers.
	clock.advance(3 * time.Minute)
	for _, e := range b.Expire() {
		if e.Next != nil {
			t.Errorf("Expire: job %d moved to %s although every ranked provider was full or expired", e.Expired.Assignment.JobID, e.Next.Assignment.Provider)
		}
	}
}

func TestBookLateAcceptOfMovedOffer(t *testing.T) {
	clock := &fakeClock{testNow}
	b := newBook(t, clock)
	a, c := addr(1), addr(2)
	if _, err := b.Offer(decision(1, 1, a, c)); err != nil {
		t.Fatal(err)
	}
	clock.advance(3 * time.Minute)
	b.Expire() // moved to c
	// The chain says a accepted after all (mined before its expiry): the
	// chain wins, c's reservation is released.
	if err := b.Accepted(1, a); err != nil {
		t.Fatal(err)
	}
	if b.InFlight(a) != 1 || b.InFlight(c) != 0 {
		t.Errorf("InFlight(a, c) = %d, %d, want 1, 0", b.InFlight(a), b.InFlight(c))
	}
}

type fakeSigner struct{ signed []gpumarket.Assignment }

func (f *fakeSigner) SignAssignment(a *gpumarket.Assignment) ([]byte, error) {
	f.signed = append(f.signed, *a)
	return []byte{1, 2, 3}, nil
}

func TestOfferSign(t *testing.T) {
	var s fakeSigner
	o := Offer{Assignment: gpumarket.Assignment{JobID: 9, Provider: addr(1), Price: big.NewInt(5), Expiry: 10}}
	so, err := o.Sign(&s)
	if err != nil || len(so.Signature) != 3 || len(s.signed) != 1 || s.signed[0].JobID != 9 {
		t.Errorf("Sign = %+v, %v; signer saw %+v", so, err, s.signed)
	}
}

func TestNewBookRejects(t *testing.T) {
	if _, err := NewBook(time.Millisecond, time.Now); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Errorf("NewBook(1ms) = %v, want %s", err, gpumarket.EINVALID)
	}
	if _, err := NewBook(time.Minute, nil); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Errorf("NewBook(no clock) = %v, want %s", err, gpumarket.EINVALID)
	}
}
