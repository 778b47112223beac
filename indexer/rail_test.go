package indexer_test

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket/internal/postgres/postgrestest"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/indexer"
	"github.com/gpumarket/gpumarket/internal/pgtest"
	"github.com/gpumarket/gpumarket/internal/postgres"
)

// scriptedRail answers polls from a script (a poll and an error each) and
// records the cursors asked.
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
	var err error
	if i < len(s.errs) {
		err = s.errs[i] // with the poll: what was handled before the error
	}
	return s.polls[i], err
}

// Genesis hashes of mainnet-beta and devnet, as recorded in
// internal/solana/testdata/getGenesisHash_*.json.
const (
	mainnet = "5eykt4UsFv8P8NJdTREpY1vzqKqZKvdpKuc147dw2N9d"
	devnet  = "EtWTRABZaYq6iMfeYKouRu166VU2xqa1wcaWoxPkrZBG"
)

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
			{Payments: []gpumarket.RailPayment{railPayment("sigA", 5_000, true, big.NewInt(42)), railPayment("sigB", 7, false, nil)}, Cursor: "sigA", GenesisHash: mainnet},
			{},
			{Payments: []gpumarket.RailPayment{railPayment("sigB", 7, true, nil)}, Cursor: "sigB", GenesisHash: mainnet},
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
	bad := gpumarket.RailPoll{Payments: []gpumarket.RailPayment{railPayment("sigC", -1, true, nil)}, Cursor: "sigC", GenesisHash: mainnet}
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

// Each address is polled independently: a source whose poll fails does not
// keep the next from being polled and saved, and the part of a poll handled
// before a failed fetch is kept (cursor and payments), nothing more.
// Transactions set aside and credits that are not payments are stored with
// their reason and cluster.
func TestRailFollowerIndependentAndPartial(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.URL(t)
	db := pgtest.Open(t, dsn)
	sql := postgrestest.Open(t, dsn)
	store := postgres.NewRailStore(db)
	rent := gpumarket.RailNonPayment{Rail: gpumarket.RailSolana, Address: "Dep2", Signature: "sigR", InnerInstruction: 1, Slot: 90,
		Kind: "ata_rent", Reason: "rent of a token account", Source: "Payer1", Recipient: "Dep2", Amount: big.NewInt(2039280), Decimals: 9, Final: true}
	broken := &scriptedRail{addr: "Dep1", // fails outright, every time
		polls: []gpumarket.RailPoll{{}, {}}, errs: []error{errors.New("node down"), errors.New("node down")}}
	partial := &scriptedRail{addr: "Dep2",
		polls: []gpumarket.RailPoll{
			// a 429 after two transactions: the payment, the rent and a
			// rejected transaction before it are kept, the cursor moves to
			// the last handled one
			{Payments: []gpumarket.RailPayment{railPayment("sigP", 11, true, nil)}, NonPayments: []gpumarket.RailNonPayment{rent},
				Rejected: []gpumarket.RailRejected{{Rail: gpumarket.RailSolana, Address: "Dep2", Signature: "sigX", Slot: 95,
					Reason: "decode transaction sigX: amount overflows u64 \x00", Final: true}},
				Cursor: "sigX", GenesisHash: mainnet},
			{Payments: []gpumarket.RailPayment{railPayment("sigQ", 13, true, nil)}, Cursor: "sigQ", GenesisHash: mainnet},
		},
		errs: []error{errors.New("rpc getTransaction: http 429"), nil}}
	partial.polls[0].Payments[0].Memo = "nul\x00inside" // valid UTF-8 that PostgreSQL TEXT refuses
	f := indexer.NewRailFollower(gpumarket.RailSolana, []indexer.RailSource{broken, partial}, store, time.Second, nil)
	n, err := f.Step(ctx)
	if err == nil || n != 1 || broken.called != 1 || partial.called != 1 {
		t.Fatalf("Step 1 = %d, %v (polls %d, %d); want 1 payment, both errors, both polled", n, err, broken.called, partial.called)
	}
	if cur, _ := store.Cursor(ctx, gpumarket.RailSolana, "Dep2"); cur != "sigX" {
		t.Fatalf("cursor of Dep2 = %q, want sigX (what was handled before the 429)", cur)
	}
	if n, err := f.Step(ctx); n != 1 || err == nil || partial.asked[1] != "sigX" {
		t.Fatalf("Step 2 = %d, %v, asked %q; want the rest from sigX, Dep1 still failing", n, err, partial.asked)
	}
	var rows, rejected, nonPay int64
	var reason, genesis string
	if err := sql.TryQueryRow(ctx, `SELECT (SELECT count(*) FROM rail_payments WHERE genesis_hash = $1),
		(SELECT count(*) FROM rail_rejected_transactions WHERE genesis_hash = $1 AND final),
		(SELECT count(*) FROM rail_non_payments WHERE kind = 'ata_rent' AND amount = 2039280 AND genesis_hash = $1),
		(SELECT reason FROM rail_rejected_transactions WHERE signature = 'sigX'),
		(SELECT genesis_hash FROM rail_cursors WHERE address = 'Dep2')`, []any{mainnet},
		&rows, &rejected, &nonPay, &reason, &genesis); err != nil {
		t.Fatal(err)
	}
	if rows != 2 || rejected != 1 || nonPay != 1 || !strings.HasPrefix(reason, "decode transaction sigX") || genesis != mainnet {
		t.Fatalf("stored %d payments, %d rejected, %d non-payments, reason %q, pin %q; want 2, 1, 1, the reason, mainnet",
			rows, rejected, nonPay, reason, genesis)
	}
	var memo string
	if err := sql.TryQueryRow(ctx, `SELECT memo FROM rail_payments WHERE signature = 'sigP'`, nil, &memo); err != nil || memo != "nul\uFFFDinside" {
		t.Fatalf("memo with a NUL stored as %q (%v), want it with U+FFFD", memo, err)
	}
	var dep1 int64
	if err := sql.TryQueryRow(ctx, `SELECT count(*) FROM rail_cursors WHERE address = 'Dep1'`, nil, &dep1); err != nil || dep1 != 0 {
		t.Fatalf("Dep1 cursor rows = %d (%v), want none: its polls failed before anything", dep1, err)
	}
}

// The first saved poll pins an address to its cluster; a poll from another
// cluster is refused, changes nothing, and stops Run.
func TestRailFollowerWrongCluster(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.URL(t)
	db := pgtest.Open(t, dsn)
	sql := postgrestest.Open(t, dsn)
	store := postgres.NewRailStore(db)
	src := &scriptedRail{addr: "Dep1", polls: []gpumarket.RailPoll{
		{Payments: []gpumarket.RailPayment{railPayment("sigA", 5, true, nil)}, Cursor: "sigA", GenesisHash: mainnet},
		{Payments: []gpumarket.RailPayment{railPayment("sigB", 6, true, nil)}, Cursor: "sigB", GenesisHash: devnet},
		{Payments: []gpumarket.RailPayment{railPayment("sigB", 6, true, nil)}, Cursor: "sigB", GenesisHash: devnet},
	}}
	other := &scriptedRail{addr: "Dep9", polls: []gpumarket.RailPoll{{Cursor: "", GenesisHash: mainnet}, {GenesisHash: mainnet}}}
	f := indexer.NewRailFollower(gpumarket.RailSolana, []indexer.RailSource{src, other}, store, time.Millisecond, nil)
	if _, err := f.Step(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := f.Step(ctx); !errors.Is(err, gpumarket.ErrRailWrongCluster) {
		t.Fatalf("Step on devnet = %v, want ErrRailWrongCluster", err)
	}
	if other.called != 1 {
		t.Fatalf("the step went on polling after the wrong cluster (%d polls of Dep9)", other.called)
	}
	if err := f.Run(ctx); !errors.Is(err, gpumarket.ErrRailWrongCluster) {
		t.Fatalf("Run on devnet = %v, want it to stop with ErrRailWrongCluster", err)
	}
	var rows int64
	if err := sql.TryQueryRow(ctx, `SELECT count(*) FROM rail_payments`, nil, &rows); err != nil || rows != 1 {
		t.Fatalf("%d payments (%v), want only the mainnet one", rows, err)
	}
	if cur, _ := store.Cursor(ctx, gpumarket.RailSolana, "Dep1"); cur != "sigA" {
		t.Fatalf("cursor = %q, want sigA", cur)
	}
	if g, _ := store.Pinned(ctx, gpumarket.RailSolana, "Dep1"); g != mainnet {
		t.Fatalf("pinned = %q, want mainnet", g)
	}
	if err := store.Save(ctx, gpumarket.RailSolana, "Dep1", gpumarket.RailPoll{Cursor: "sigZ"}); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Fatalf("Save without a cluster = %v, want EINVALID", err)
	}
}
