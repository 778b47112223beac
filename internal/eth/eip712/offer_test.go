package eip712

import (
	"math/big"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/matcher"
)

// TestSignedOfferFallback runs the matcher's offer flow with the real
// signer: the first choice's signed assignment verifies until it expires,
// then the runner-up receives its own signed assignment, and the expired one
// no longer verifies.
func TestSignedOfferFallback(t *testing.T) {
	key, matcherAddr := tdKey(t)
	d := MarketDomain(tdChainID, tdMarket)
	signer, err := NewAssignmentSigner(key, d)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_790_000_000, 0)
	clock := func() time.Time { return now }
	book, err := matcher.NewBook(2*time.Minute, clock)
	if err != nil {
		t.Fatal(err)
	}
	first, second := gpumarket.Address{1}, gpumarket.Address{2}
	decimalString := &matcher.Decision{JobID: 42, Ranked: []matcher.Ranked{
		{Provider: first, Cost: big.NewInt(1000), Slots: 1},
		{Provider: second, Cost: big.NewInt(1100), Slots: 1},
	}}
	o, err := book.Offer(decimalString)
	if err != nil {
		t.Fatal(err)
	}
	so, err := o.Sign(signer)
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyAssignment(d, &so.Assignment, so.Signature, matcherAddr, now.Unix()); err != nil {
		t.Fatalf("VerifyAssignment(first offer) = %v, want nil", err)
	}
	now = now.Add(2 * time.Minute)
	if err := VerifyAssignment(d, &so.Assignment, so.Signature, matcherAddr, now.Unix()); gpumarket.ErrorCode(err) != gpumarket.EUNAUTHORIZED {
		t.Errorf("VerifyAssignment(expired first offer) = %v, want %s", err, gpumarket.EUNAUTHORIZED)
	}
	exp := book.Expire()
	if len(exp) != 1 || exp[0].Next == nil || exp[0].Next.Assignment.Provider != second {
		t.Fatalf("Expire() = %+v, want the job moved to the runner-up", exp)
	}
	next, err := exp[0].Next.Sign(signer)
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyAssignment(d, &next.Assignment, next.Signature, matcherAddr, now.Unix()); err != nil {
		t.Errorf("VerifyAssignment(runner-up offer) = %v, want nil", err)
	}
	if next.Assignment.Price.Int64() != 1100 || book.Misses(first) != 1 {
		t.Errorf("runner-up price %v, misses(first) %d; want 1100 and 1", next.Assignment.Price, book.Misses(first))
	}
	// The first provider cannot reuse its signature for the runner-up's terms.
	stolen := next.Assignment
	stolen.Provider = first
	if err := VerifyAssignment(d, &stolen, next.Signature, matcherAddr, now.Unix()); gpumarket.ErrorCode(err) != gpumarket.EUNAUTHORIZED {
		t.Errorf("VerifyAssignment(runner-up signature, first provider) = %v, want %s", err, gpumarket.EUNAUTHORIZED)
	}
}
