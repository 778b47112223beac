package indexer_test

import (
	"context"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket/internal/postgres/postgrestest"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/indexer"
	"github.com/gpumarket/gpumarket/internal/pgtest"
	"github.com/gpumarket/gpumarket/internal/postgres"
)

// scriptedRail answers polls from a script and records the cursors asked.
type scriptedRail struct {
	addr   string
	polls  []gpumarket.RailPoll
	errs   []error
	asked  []string
	called int
}

func (s *scriptedRail) Address() string { return s.addr }

func (s *scriptedRail) PollRail(_ context.Context, until string) (gpumarket.RailPoll, error) {
	s.asked = append(s.asked, until)
	i := s.called
	s.called++
	if i < len(s.errs) && s.errs[i] != nil {
		return gpumarket.RailPoll{}, s.errs[i]
	}
	return s.polls[i], nil
}

func railPayment(sig string, amount int64, final bool, job *big.Int) gpumarket.RailPayment {
	p := gpumarket.RailPayment{Rail: gpumarket.RailSolana, Address: "Dep1", Signature: sig, InnerInstruction: -1, Slot: 100,
		Payer: "Payer1", Recipient: "Dep1", Amount: big.NewInt(amount), Decimals: 9, Memo: "it's; DROP TABLE jobs; --", Final: final}
	if job != nil {
		p.JobChainID, p.JobID = 8453, job
	}
	return p
}

// The follower saves payments and moves the cursor in one transaction: a
// payment seen unfinal and then final is one row, final; a failed poll
// changes nothing; every poll starts from the stored cursor.
func TestRailFollower(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.URL(t)
	db := pgtest.Open(t, dsn)
	sql := postgrestest.Open(t, dsn)
	store := postgres.NewRailStore(db)
	src := &scriptedRail{addr: "Dep1",
		polls: []gpumarket.RailPoll{
			{Payments: []gpumarket.RailPayment{railPayment("sigA", 5_000, true, big.NewInt(42)), railPayment("sigB", 7, false, nil)}, Cursor: "sigA"},
			{},
			{Payments: []gpumarket.RailPayment{railPayment("sigB", 7, true, nil)}, Cursor: "sigB"},
		},
		errs: []error{nil, errors.New("node down"), nil},
	}
	f := indexer.NewRailFollower(gpumarket.RailSolana, []indexer.RailSource{src}, store, time.Second, nil)
	if n, err := f.Step(ctx); err != nil || n != 2 {
		t.Fatalf("Step 1 = %d, %v; want 2 payments", n, err)
	}
	if _, err := f.Step(ctx); err == nil {
		t.Fatal("Step 2 with the node down: no error")
	}
	if n, err := f.Step(ctx); err != nil || n != 1 {
		t.Fatalf("Step 3 = %d, %v; want 1 payment", n, err)
	}
	if want := []string{"", "sigA", "sigA"}; len(src.asked) != 3 || src.asked[0] != want[0] || src.asked[1] != want[1] || src.asked[2] != want[2] {
		t.Fatalf("cursors asked = %q, want %q", src.asked, want)
	}
	var rows, final int64
	var total, memo string
	if err := sql.TryQueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE final), sum(amount)::text, min(memo) FROM rail_payments`, nil,
		&rows, &final, &total, &memo); err != nil {
		t.Fatal(err)
	}
	if rows != 2 || final != 2 || total != "5007" || memo != "it's; DROP TABLE jobs; --" {
		t.Fatalf("rail_payments: %d rows, %d final, total %s, memo %q; want 2, 2, 5007 and the memo unchanged", rows, final, total, memo)
	}
	var job string
	if err := sql.TryQueryRow(ctx, `SELECT job_chain_id::text || ':' || job_id::text FROM rail_payments WHERE signature = 'sigA'`, nil, &job); err != nil || job != "8453:42" {
		t.Fatalf("job of sigA = %q (%v), want 8453:42", job, err)
	}
	if cur, err := store.Cursor(ctx, gpumarket.RailSolana, "Dep1"); err != nil || cur != "sigB" {
		t.Fatalf("cursor = %q (%v), want sigB", cur, err)
	}

	// Saving the same poll again changes nothing; a negative amount is
	// refused and changes nothing either.
	if err := store.Save(ctx, gpumarket.RailSolana, "Dep1", src.polls[2]); err != nil {
		t.Fatal(err)
	}
	bad := gpumarket.RailPoll{Payments: []gpumarket.RailPayment{railPayment("sigC", -1, true, nil)}, Cursor: "sigC"}
	if err := store.Save(ctx, gpumarket.RailSolana, "Dep1", bad); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Fatalf("Save(negative amount) = %v, want EINVALID", err)
	}
	if err := sql.TryQueryRow(ctx, `SELECT count(*) FROM rail_payments`, nil, &rows); err != nil || rows != 2 {
		t.Fatalf("%d rows (%v) after the repeated and the refused save, want 2", rows, err)
	}
	if cur, _ := store.Cursor(ctx, gpumarket.RailSolana, "Dep1"); cur != "sigB" {
		t.Fatalf("cursor after a refused save = %q, want sigB", cur)
	}
}
