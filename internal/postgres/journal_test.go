package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"testing"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/pgtest"
	"github.com/gpumarket/gpumarket/internal/postgres"
)

const chainID = 31337

var sender = gpumarket.Address{0xaa, 1}

func intent(key string) gpumarket.TxIntent {
	return gpumarket.TxIntent{ChainID: chainID, From: sender, Key: key, To: gpumarket.Address{0xbb}, Data: []byte{1, 2, 3}, Value: big.NewInt(7)}
}

// fakeSigned returns a signer callback producing a distinguishable attempt.
func fakeSigned(tag byte) func(nonce uint64) (gpumarket.TxAttempt, error) {
	return func(nonce uint64) (gpumarket.TxAttempt, error) {
		h := gpumarket.Hash{tag, byte(nonce), byte(nonce >> 8)}
		return gpumarket.TxAttempt{Nonce: nonce, Raw: []byte{0x02, tag, byte(nonce)}, Hash: h, GasLimit: 21000,
			MaxFeePerGas: big.NewInt(3e9), MaxPriorityFeePerGas: big.NewInt(1e9)}, nil
	}
}

func TestJournalSchemaIsCommented(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	var missing []string
	var n int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM information_schema.columns c
		WHERE c.table_schema = 'public' AND c.table_name LIKE 'tx\_%'`, nil, &n); err != nil {
		t.Fatal(err)
	}
	if n < 40 {
		t.Fatalf("%d journal columns found, want the tx_ tables of migration 00003", n)
	}
	for _, q := range []string{
		`SELECT string_agg(c.table_name || '.' || c.column_name, ', ') FROM information_schema.columns c
		 WHERE c.table_schema = 'public' AND c.table_name LIKE 'tx\_%'
		   AND col_description(('public.' || c.table_name)::regclass, c.ordinal_position) IS NULL`,
		`SELECT string_agg(relname, ', ') FROM pg_class WHERE relkind = 'r' AND relname LIKE 'tx\_%' AND obj_description(oid, 'pg_class') IS NULL`,
	} {
		var s *string
		if err := db.QueryRow(ctx, q, nil, &s); err != nil {
			t.Fatal(err)
		}
		if s != nil {
			missing = append(missing, *s)
		}
	}
	if len(missing) > 0 {
		t.Errorf("without COMMENT ON: %v", missing)
	}
}

func TestJournalIdempotentCreate(t *testing.T) {
	ctx := context.Background()
	j := postgres.NewJournal(pgtest.New(t))
	a, created, err := j.CreateIntent(ctx, intent("accept-1"))
	if err != nil || !created {
		t.Fatalf("first CreateIntent = %v, %v; want created", created, err)
	}
	b, created, err := j.CreateIntent(ctx, intent("accept-1"))
	if err != nil || created || b.ID != a.ID || b.State != gpumarket.TxPlanned {
		t.Fatalf("second CreateIntent = id %d (first %d) created %v state %s, %v", b.ID, a.ID, created, b.State, err)
	}
	other := intent("accept-1")
	other.Value = big.NewInt(8)
	if _, _, err := j.CreateIntent(ctx, other); gpumarket.ErrorCode(err) != gpumarket.ECONFLICT {
		t.Errorf("same key, other value: %v, want %s", err, gpumarket.ECONFLICT)
	}
	if _, err := j.Intent(ctx, chainID, sender, "nope"); gpumarket.ErrorCode(err) != gpumarket.ENOTFOUND {
		t.Errorf("Intent(missing) = %v, want %s", err, gpumarket.ENOTFOUND)
	}
}

// TestJournalNoncesContiguousUnderConcurrency signs intents from several
// goroutines at once: nonces come out 0..n-1, each once; a failed signature
// consumes no nonce.
func TestJournalNoncesContiguousUnderConcurrency(t *testing.T) {
	ctx := context.Background()
	j := postgres.NewJournal(pgtest.New(t))
	const n, workers = 40, 6
	ids := make(chan int64, n)
	for i := 0; i < n; i++ {
		in, _, err := j.CreateIntent(ctx, intent(fmt.Sprintf("k-%d", i)))
		if err != nil {
			t.Fatal(err)
		}
		ids <- in.ID
	}
	close(ids)
	failing, _, err := j.CreateIntent(ctx, intent("fails"))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := j.SignIntent(ctx, failing.ID, func(uint64) (gpumarket.TxAttempt, error) { return gpumarket.TxAttempt{}, errors.New("hsm offline") }); err == nil {
		t.Fatal("SignIntent with a failing signer succeeded")
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		seen = map[uint64]int{}
		errs []error
	)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range ids {
				in, a, err := j.SignIntent(ctx, id, fakeSigned(byte(id)))
				mu.Lock()
				if err != nil {
					errs = append(errs, err)
				} else {
					seen[in.Nonce]++
					if a.Nonce != in.Nonce || in.State != gpumarket.TxSigned || in.Hash != a.Hash {
						errs = append(errs, fmt.Errorf("intent %d: nonce %d attempt %d state %s", id, in.Nonce, a.Nonce, in.State))
					}
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for nonce := uint64(0); nonce < n; nonce++ {
		if seen[nonce] != 1 {
			t.Errorf("nonce %d assigned %d times, want 1", nonce, seen[nonce])
		}
	}
	if next, err := j.NextNonce(ctx, chainID, sender); err != nil || next != n {
		t.Errorf("NextNonce = %d, %v; want %d", next, err, n)
	}
	if in, _ := j.Intent(ctx, chainID, sender, "fails"); in.State != gpumarket.TxPlanned || in.HasNonce {
		t.Errorf("intent whose signature failed: state %s nonce %v, want planned without nonce", in.State, in.HasNonce)
	}
	if _, _, err := j.SignIntent(ctx, 1, fakeSigned(9)); gpumarket.ErrorCode(err) != gpumarket.ECONFLICT {
		t.Errorf("signing a signed intent again: %v, want %s", err, gpumarket.ECONFLICT)
	}
	if next, _ := j.RaiseNextNonce(ctx, chainID, sender, 5); next != n {
		t.Errorf("RaiseNextNonce(5) lowered the allocator to %d", next)
	}
}

func TestJournalTransitions(t *testing.T) {
	ctx := context.Background()
	j := postgres.NewJournal(pgtest.New(t))
	mined := gpumarket.TxUpdate{MinedHash: gpumarket.Hash{1}, MinedBlock: 9, MinedBlockHash: gpumarket.Hash{2}}
	tests := []struct {
		name     string
		from, to gpumarket.TxState
		u        gpumarket.TxUpdate
		code     string
	}{
		{"signed to broadcast", gpumarket.TxSigned, gpumarket.TxBroadcast, gpumarket.TxUpdate{}, ""},
		{"broadcast to mined", gpumarket.TxBroadcast, gpumarket.TxMined, mined, ""},
		{"mined back to broadcast (reorg)", gpumarket.TxMined, gpumarket.TxBroadcast, gpumarket.TxUpdate{}, ""},
		{"mined to confirmed", gpumarket.TxMined, gpumarket.TxConfirmed, gpumarket.TxUpdate{}, ""},
		{"confirmed is final", gpumarket.TxConfirmed, gpumarket.TxBroadcast, gpumarket.TxUpdate{}, gpumarket.EINVALID},
		{"signed cannot be skipped", gpumarket.TxSigned, gpumarket.TxSkipped, gpumarket.TxUpdate{Reason: "x"}, gpumarket.EINVALID},
		{"stale from state", gpumarket.TxSigned, gpumarket.TxBroadcast, gpumarket.TxUpdate{}, gpumarket.ECONFLICT},
		{"mined without receipt position", gpumarket.TxBroadcast, gpumarket.TxMined, gpumarket.TxUpdate{}, gpumarket.EINVALID},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := fmt.Sprintf("t-%d", i)
			in, _, err := j.CreateIntent(ctx, intent(key))
			if err != nil {
				t.Fatal(err)
			}
			if in, _, err = j.SignIntent(ctx, in.ID, fakeSigned(byte(i))); err != nil {
				t.Fatal(err)
			}
			// Walk the intent to tt.from along allowed steps.
			path := map[gpumarket.TxState][]gpumarket.TxState{
				gpumarket.TxSigned:    {},
				gpumarket.TxBroadcast: {gpumarket.TxBroadcast},
				gpumarket.TxMined:     {gpumarket.TxBroadcast, gpumarket.TxMined},
				gpumarket.TxConfirmed: {gpumarket.TxBroadcast, gpumarket.TxMined, gpumarket.TxConfirmed},
			}[tt.from]
			if tt.code == gpumarket.ECONFLICT {
				path = []gpumarket.TxState{gpumarket.TxBroadcast}
			}
			for _, s := range path {
				if in, err = j.Transition(ctx, in.ID, in.State, s, mined); err != nil {
					t.Fatalf("walk to %s: %v", s, err)
				}
			}
			out, err := j.Transition(ctx, in.ID, tt.from, tt.to, tt.u)
			if got := gpumarket.ErrorCode(err); got != tt.code {
				t.Fatalf("Transition(%s → %s) error %v (code %q), want code %q", tt.from, tt.to, err, got, tt.code)
			}
			if tt.code != "" {
				return
			}
			if out.State != tt.to {
				t.Errorf("state = %s, want %s", out.State, tt.to)
			}
			if tt.to == gpumarket.TxMined && (out.MinedHash != mined.MinedHash || out.MinedBlock != 9) {
				t.Errorf("mined position = %s@%d, want %s@9", out.MinedHash, out.MinedBlock, mined.MinedHash)
			}
			if tt.from == gpumarket.TxMined && tt.to == gpumarket.TxBroadcast && (!out.MinedHash.IsZero() || out.MinedBlock != 0) {
				t.Errorf("after a reorg the receipt position is %s@%d, want cleared", out.MinedHash, out.MinedBlock)
			}
			if tt.to.Final() == out.FinishedAt.IsZero() {
				t.Errorf("finished_at = %v for state %s", out.FinishedAt, out.State)
			}
		})
	}
}

// TestJournalAttemptsAndAbandon: replacements keep the nonce, a fill marks
// the intent abandoned, and a planned intent is skipped by Abandon.
func TestJournalAttemptsAndAbandon(t *testing.T) {
	ctx := context.Background()
	j := postgres.NewJournal(pgtest.New(t))
	in, _, _ := j.CreateIntent(ctx, intent("submit-1"))
	in, first, err := j.SignIntent(ctx, in.ID, fakeSigned(1))
	if err != nil {
		t.Fatal(err)
	}
	bump, _ := fakeSigned(2)(in.Nonce)
	bump.Kind = gpumarket.TxAttemptCall
	if _, _, err := j.AddAttempt(ctx, in.ID, gpumarket.TxAttempt{Kind: gpumarket.TxAttemptCall, Nonce: in.Nonce + 1, Raw: []byte{1}, Hash: gpumarket.Hash{3},
		GasLimit: 1, MaxFeePerGas: big.NewInt(1), MaxPriorityFeePerGas: big.NewInt(1)}); gpumarket.ErrorCode(err) != gpumarket.ECONFLICT {
		t.Errorf("attempt at another nonce: %v, want %s", err, gpumarket.ECONFLICT)
	}
	in, _, err = j.AddAttempt(ctx, in.ID, bump)
	if err != nil || in.Attempts != 2 || in.Hash != bump.Hash || in.Abandoned {
		t.Fatalf("after bump: attempts %d hash %s abandoned %v, %v", in.Attempts, in.Hash, in.Abandoned, err)
	}
	fill, _ := fakeSigned(3)(in.Nonce)
	fill.Kind = gpumarket.TxAttemptFill
	if in, _, err = j.AddAttempt(ctx, in.ID, fill); err != nil || !in.Abandoned {
		t.Fatalf("after fill: abandoned %v, %v", in.Abandoned, err)
	}
	atts, err := j.Attempts(ctx, chainID, sender, []int64{in.ID})
	if err != nil || len(atts) != 3 || atts[0].Hash != first.Hash || atts[2].Kind != gpumarket.TxAttemptFill {
		t.Fatalf("attempts = %+v, %v", atts, err)
	}
	for _, a := range atts {
		if a.Nonce != in.Nonce {
			t.Errorf("attempt %s at nonce %d, want %d", a.Hash, a.Nonce, in.Nonce)
		}
	}
	p, _, _ := j.CreateIntent(ctx, intent("submit-2"))
	p, err = j.Abandon(ctx, p.ID, "assignment expired")
	if err != nil || p.State != gpumarket.TxSkipped || p.Reason != "assignment expired" || p.Abandoned {
		t.Errorf("Abandon(planned) = %s %q abandoned %v, %v; want skipped", p.State, p.Reason, p.Abandoned, err)
	}
	if _, err := j.Abandon(ctx, p.ID, "again"); gpumarket.ErrorCode(err) != gpumarket.ECONFLICT {
		t.Errorf("Abandon(skipped) = %v, want %s", err, gpumarket.ECONFLICT)
	}
}

// TestJournalSenderLock: a second holder is refused; killing the holder's
// session cancels its work and reports the lock lost.
func TestJournalSenderLock(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	j := postgres.NewJournal(db)
	started := make(chan int, 1)
	result := make(chan error, 1)
	go func() {
		result <- j.WithSenderLock(ctx, chainID, sender, func(ctx context.Context) error {
			var pid int
			if err := db.QueryRow(ctx, "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted", nil, &pid); err != nil {
				return err
			}
			started <- pid
			<-ctx.Done() // work until the lock is lost
			return ctx.Err()
		})
	}()
	pid := <-started
	if err := j.WithSenderLock(ctx, chainID, sender, func(context.Context) error { return nil }); gpumarket.ErrorCode(err) != gpumarket.ECONFLICT {
		t.Errorf("second holder: %v, want %s", err, gpumarket.ECONFLICT)
	}
	if err := j.WithSenderLock(ctx, chainID, gpumarket.Address{0xcc}, func(context.Context) error { return nil }); err != nil {
		t.Errorf("another sender's lock: %v, want free", err)
	}
	if err := db.Exec(ctx, "SELECT pg_terminate_backend($1)", pid); err != nil {
		t.Fatal(err)
	}
	if err := <-result; gpumarket.ErrorCode(err) != gpumarket.EUNAVAILABLE {
		t.Errorf("holder after its session was killed: %v, want %s (lock lost)", err, gpumarket.EUNAVAILABLE)
	}
	if err := j.WithSenderLock(ctx, chainID, sender, func(context.Context) error { return nil }); err != nil {
		t.Errorf("lock after the holder's session died: %v, want free", err)
	}
}
