package postgres_test

import (
	"context"
	"encoding/json"
	"math/big"
	"reflect"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/indexer"
	"github.com/gpumarket/gpumarket/internal/pgtest"
	"github.com/gpumarket/gpumarket/internal/postgres"
)

// chainWriter commits synthetic blocks of decoded events through the
// indexer store, as the indexer would.
type chainWriter struct {
	t      *testing.T
	store  *postgres.IndexerStore
	blocks []gpumarket.Block
	fin    uint64
}

func newChainWriter(t *testing.T, store *postgres.IndexerStore) *chainWriter {
	if err := store.AcquireLease(context.Background(), 1, "test", time.Minute); err != nil {
		t.Fatal(err)
	}
	genesis := gpumarket.Block{Number: 0, Hash: gpumarket.Hash{0xee}, Time: 1_700_000_000}
	return &chainWriter{t: t, store: store, blocks: []gpumarket.Block{genesis}}
}

func (w *chainWriter) head() gpumarket.Block { return w.blocks[len(w.blocks)-1] }

// block commits the next block, its hash salted so a re-mined height differs.
func (w *chainWriter) block(salt byte, events ...gpumarket.Event) {
	w.t.Helper()
	parent := w.head()
	b := gpumarket.Block{Number: parent.Number + 1, ParentHash: parent.Hash, Time: parent.Time + 12}
	b.Hash = gpumarket.Hash{byte(b.Number), salt, 0xbb}
	batch := &indexer.Batch{ChainID: 1, Owner: "test", From: b.Number, To: b.Number, Block: b, Finalized: w.fin}
	for i, ev := range events {
		batch.Logs = append(batch.Logs, gpumarket.Log{BlockNumber: b.Number, BlockHash: b.Hash, BlockTime: b.Time,
			TxHash: gpumarket.Hash{byte(i), salt}, Index: uint(i), Address: gpumarket.Address{0xaa}, Topics: []gpumarket.Hash{{0x01}}})
		batch.Events = append(batch.Events, ev)
	}
	if err := w.store.Commit(context.Background(), batch); err != nil {
		w.t.Fatalf("commit block %d: %v", b.Number, err)
	}
	w.blocks = append(w.blocks, b)
}

func (w *chainWriter) rewind(to uint64) {
	w.t.Helper()
	old := w.head()
	w.blocks = w.blocks[:to+1]
	if err := w.store.Rewind(context.Background(), &indexer.Rewind{ChainID: 1, Owner: "test", Ancestor: w.head(), Depth: old.Number - to, OldHead: old.Hash}); err != nil {
		w.t.Fatalf("rewind to %d: %v", to, err)
	}
}

var (
	client   = gpumarket.Address{0xc1}
	provider = gpumarket.Address{0xd1}
	usdt     = gpumarket.Address{0x70}
)

func created(id gpumarket.JobID, max int64, spec string) *gpumarket.JobCreated {
	return &gpumarket.JobCreated{Job: gpumarket.Job{ID: id, Client: client, Token: usdt, MaxPayment: big.NewInt(max), Kind: gpumarket.JobKindLLM,
		State: gpumarket.JobStateOpen, Deadline: 1_800_000_000, FeeBps: 250, Price: new(big.Int), AmountDue: new(big.Int)}, SpecURI: gpumarket.ChainString(spec)}
}

type jobRow struct {
	State      string
	MaxPayment string
	Price      string
	AmountDue  string
	SpecURI    string
	Finalized  bool
}

func readJob(t *testing.T, dsn string, id int) (jobRow, bool) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var r jobRow
	err = conn.QueryRow(context.Background(), `SELECT state, max_payment::text, price::text, amount_due::text, spec_uri, finalized FROM jobs WHERE chain_id = 1 AND job_id = $1`, id).
		Scan(&r.State, &r.MaxPayment, &r.Price, &r.AmountDue, &r.SpecURI, &r.Finalized)
	if err == pgx.ErrNoRows {
		return r, false
	}
	if err != nil {
		t.Fatal(err)
	}
	return r, true
}

func TestDerivedStateFollowsEventsAndReorgs(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.URL(t)
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	w := newChainWriter(t, postgres.NewIndexerStore(db))

	listener, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer listener.Close(ctx)
	if _, err := listener.Exec(ctx, "LISTEN gpumarket_jobs"); err != nil {
		t.Fatal(err)
	}

	huge, _ := new(big.Int).SetString("340282366920938463463374607431768211455", 10) // 2^128-1: exact, not a float
	w.block(0, created(7, 1_000_000, "ipfs://spec-a"), &gpumarket.ProviderRegistered{Provider: provider, Signer: gpumarket.Address{0x51}, AttestationHash: gpumarket.Hash{0xa7}, AttestationExpiry: 1_900_000_000},
		&gpumarket.StakeChanged{Name: "Staked", Provider: provider, Amount: huge, Stake: huge})
	w.block(0, &gpumarket.JobAccepted{ID: 7, Client: client, Provider: provider, Price: big.NewInt(900_000)})
	w.block(0, &gpumarket.ResultSubmitted{ID: 7, Client: client, Provider: provider, AmountDue: big.NewInt(800_000), ChallengeEnd: 1_700_001_000, Usage: gpumarket.Usage{Units1: 10, Units2: 20}})

	got, ok := readJob(t, dsn, 7)
	want := jobRow{State: "submitted", MaxPayment: "1000000", Price: "900000", AmountDue: "800000", SpecURI: "ipfs://spec-a"}
	if !ok || got != want {
		t.Fatalf("job 7 after submit = %+v (found %v), want %+v", got, ok, want)
	}
	var stake string
	if err := db.QueryRow(ctx, `SELECT stake::text FROM providers WHERE chain_id = 1 AND provider = $1`, []any{provider[:]}, &stake); err != nil || stake != huge.String() {
		t.Fatalf("provider stake = %s, %v; want %s exactly", stake, err, huge)
	}

	// The notification names the job, and arrives only after commit.
	n, err := listener.WaitForNotification(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var note struct {
		ChainID uint64   `json:"chain_id"`
		JobIDs  []uint64 `json:"job_ids"`
	}
	if err := json.Unmarshal([]byte(n.Payload), &note); err != nil || note.ChainID != 1 || len(note.JobIDs) != 1 || note.JobIDs[0] != 7 {
		t.Fatalf("notification %q: %+v, %v", n.Payload, note, err)
	}

	// Reorg below the acceptance: the job is open again.
	w.rewind(1)
	if got, _ := readJob(t, dsn, 7); got.State != "open" || got.Price != "0" {
		t.Fatalf("job 7 after rewinding past its acceptance = %+v, want open with price 0", got)
	}
	// The new chain cancels it instead.
	w.block(1, &gpumarket.JobCancelled{ID: 7, Client: client, Token: usdt, Refund: big.NewInt(1_000_000)})
	if got, _ := readJob(t, dsn, 7); got.State != "cancelled" {
		t.Fatalf("job 7 on the new chain = %+v, want cancelled", got)
	}

	// A reorg that removes the job's creation with its later events: the job
	// disappears, and a different job may take its id on the new chain.
	w.rewind(0)
	if _, ok := readJob(t, dsn, 7); ok {
		t.Fatal("job 7 still present after its creation was reorganized away")
	}
	var providers int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM providers`, nil, &providers); err != nil || providers != 0 {
		t.Fatalf("providers after the registration was reorganized away = %d, %v", providers, err)
	}
	w.fin = 1
	w.block(2, created(7, 5, "ipfs://spec-b"))
	w.block(2)
	got, _ = readJob(t, dsn, 7)
	if got.SpecURI != "ipfs://spec-b" || got.MaxPayment != "5" || got.State != "open" || !got.Finalized {
		t.Fatalf("job 7 re-created on the new chain = %+v, want spec-b, 5, open, finalized", got)
	}
	var events int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM job_events WHERE job_id = 7`, nil, &events); err != nil || events != 1 {
		t.Fatalf("job_events for job 7 = %d, %v; want exactly the new creation", events, err)
	}
}

// TestChainStateRoundTrip: the job and provider read back from PostgreSQL
// equal the fold of the same events in Go, field for field, including
// amounts beyond 2^64.
func TestChainStateRoundTrip(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	w := newChainWriter(t, postgres.NewIndexerStore(db))
	big128, _ := new(big.Int).SetString("340282366920938463463374607431768211455", 10)
	c := created(9, 0, "https://spec.example/9")
	c.Job.MaxPayment = big128
	c.Job.PreferredProvider, c.Job.Creator, c.Job.CreatorShareBps, c.Job.SpecHash = provider, gpumarket.Address{0xcc}, 500, gpumarket.Hash{0x5e}
	c.Job.Treasury, c.Job.DisputeBond = gpumarket.Address{0x7e}, new(big.Int)
	c.OrderNonce = big.NewInt(12)
	events := []gpumarket.Event{
		c,
		&gpumarket.JobAccepted{ID: 9, Client: client, Provider: provider, Price: new(big.Int).Sub(big128, big.NewInt(1)), Signer: gpumarket.Address{0x51},
			ReservedStake: new(big.Int).Lsh(big.NewInt(1), 100)},
		&gpumarket.ResultSubmitted{ID: 9, Client: client, Provider: provider, ResultHash: gpumarket.Hash{0xfe}, ResultURI: "https://p/r/9",
			Usage: gpumarket.Usage{Units1: 1 << 40, Units2: 7}, AmountDue: big.NewInt(1234), ChallengeEnd: 1_700_009_999},
		&gpumarket.JobDisputed{ID: 9, Client: client, Provider: provider, ReasonHash: gpumarket.Hash{0xd1}, DisputedAt: 1_700_000_100,
			DisputeBond: big.NewInt(777)},
	}
	var want gpumarket.JobRecord
	for _, ev := range events {
		w.block(0, ev)
		if err := want.Apply(ev.(gpumarket.JobEvent), w.head().Number, w.head().Time); err != nil {
			t.Fatal(err)
		}
	}
	want.ChainID = 1
	got, err := postgres.NewChainState(db, 1).Job(ctx, 9)
	if err != nil {
		t.Fatal(err)
	}
	// Fields the jobs table does not keep are not compared.
	want.Signer, want.DisputeReason, want.DisputedTime = got.Signer, got.DisputeReason, got.DisputedTime
	if !reflect.DeepEqual(*got, want) {
		t.Fatalf("read back\n %+v\nwant\n %+v", *got, want)
	}
	if _, err := postgres.NewChainState(db, 1).Job(ctx, 10); gpumarket.ErrorCode(err) != gpumarket.ENOTFOUND {
		t.Fatalf("Job(10) error = %v, want %s", err, gpumarket.ENOTFOUND)
	}
	jobs, err := postgres.NewChainState(db, 1).ProviderJobs(ctx, provider, gpumarket.JobStateDisputed)
	if err != nil || len(jobs) != 1 || jobs[0].ID != 9 {
		t.Fatalf("ProviderJobs(disputed) = %v, %v", jobs, err)
	}
}

// TestStoredEventsFeedAnalystViews: events written by the indexer store are
// read correctly by the analyst views (the payload keys are the contract's
// parameter names), so the encoder and the views cannot drift apart.
func TestStoredEventsFeedAnalystViews(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	w := newChainWriter(t, postgres.NewIndexerStore(db))
	w.block(0, &gpumarket.StakeChanged{Name: "Staked", Provider: provider, Amount: big.NewInt(100), Stake: big.NewInt(100)},
		&gpumarket.ProviderRegistered{Provider: provider, Signer: gpumarket.Address{0x51}})
	w.block(0, &gpumarket.ProviderSlashed{Provider: provider, Beneficiary: client, Job: 3, Requested: big.NewInt(50), Slashed: big.NewInt(40),
		Stake: big.NewInt(60), Unbonding: big.NewInt(0)})
	var beneficiary, jobID, slashed string
	if err := db.QueryRow(ctx, `SELECT beneficiary, job_id::text, slashed::text FROM v_slashes`, nil, &beneficiary, &jobID, &slashed); err != nil {
		t.Fatal(err)
	}
	if beneficiary != client.String() || jobID != "3" || slashed != "40" {
		t.Fatalf("v_slashes = %s %s %s; want %s 3 40", beneficiary, jobID, slashed, client)
	}
	var owed string
	if err := db.QueryRow(ctx, `SELECT owed::text FROM v_balances_owed WHERE ledger = 'registry' AND account = $1`, []any{client.String()}, &owed); err != nil {
		t.Fatal(err)
	}
	if owed != "40" {
		t.Fatalf("registry compensation owed to the client = %s, want 40", owed)
	}
}

// TestChainStringColumns checks the three stored forms of a chain string:
// the exact bytes, the text (escaped when needed) and the flag, for jobs'
// spec and result URIs and providers' metadata URIs, and that an analyst
// can get the bytes back from the text and flag alone.
func TestChainStringColumns(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.URL(t)
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	w := newChainWriter(t, postgres.NewIndexerStore(db))
	tests := []struct {
		in      string
		text    string
		escaped bool
	}{
		{"ipfs://spec", "ipfs://spec", false},
		{`a\b`, `a\b`, false},
		{"ipfs://spec\x00tail", `ipfs://spec\x00tail`, true},
		{"bad\xff\\", `bad\xff\\`, true},
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	for i, tt := range tests {
		id := gpumarket.JobID(100 + i)
		p := gpumarket.Address{0xd2, byte(i)}
		w.block(byte(i), created(id, 1000, tt.in),
			&gpumarket.JobAccepted{ID: id, Client: client, Provider: p, Price: big.NewInt(1), Signer: p},
			&gpumarket.ResultSubmitted{ID: id, Client: client, Provider: p, ResultHash: gpumarket.Hash{1}, ResultURI: gpumarket.ChainString(tt.in),
				AmountDue: big.NewInt(1), ChallengeEnd: 1_800_000_000},
			&gpumarket.ProviderRegistered{Provider: p, Signer: p, AttestationHash: gpumarket.Hash{2}, AttestationExpiry: 1_900_000_000,
				MetadataURI: gpumarket.ChainString(tt.in)})
		var spec, result, meta string
		var specRaw, resultRaw, metaRaw []byte
		var specEsc, resultEsc, metaEsc bool
		if err := conn.QueryRow(ctx, `SELECT j.spec_uri, j.spec_uri_raw, j.spec_uri_escaped, j.result_uri, j.result_uri_raw, j.result_uri_escaped,
				p.metadata_uri, p.metadata_uri_raw, p.metadata_uri_escaped
			FROM jobs j, providers p WHERE j.chain_id = 1 AND j.job_id = $1 AND p.chain_id = 1 AND p.provider = $2`, int64(id), p[:]).
			Scan(&spec, &specRaw, &specEsc, &result, &resultRaw, &resultEsc, &meta, &metaRaw, &metaEsc); err != nil {
			t.Fatalf("%q: %v", tt.in, err)
		}
		for _, got := range []struct {
			text    string
			raw     []byte
			escaped bool
		}{{spec, specRaw, specEsc}, {result, resultRaw, resultEsc}, {meta, metaRaw, metaEsc}} {
			if got.text != tt.text || string(got.raw) != tt.in || got.escaped != tt.escaped {
				t.Errorf("stored %q as (%q, %q, %v), want (%q, %q, %v)", tt.in, got.text, got.raw, got.escaped, tt.text, tt.in, tt.escaped)
			}
			if back, err := gpumarket.ParseChainStringText(got.text, got.escaped); err != nil || string(back) != tt.in {
				t.Errorf("ParseChainStringText(%q, %v) = %q, %v; want %q", got.text, got.escaped, back, err, tt.in)
			}
		}
	}
}

// TestReservedStakeMirror: providers.reserved_stake is the sum of the
// reservations of the provider's unfinished jobs, kept up to date by job
// events alone (the registry emits none for reservations), across terminal
// events and a reorg that drops an acceptance.
func TestReservedStakeMirror(t *testing.T) {
	ctx := context.Background()
	db := pgtest.New(t)
	w := newChainWriter(t, postgres.NewIndexerStore(db))
	chain := postgres.NewChainState(db, 1)
	reserved := func(want int64) {
		t.Helper()
		p, err := chain.Provider(ctx, provider)
		if err != nil {
			t.Fatal(err)
		}
		if p.Reserved.Cmp(big.NewInt(want)) != 0 {
			t.Fatalf("providers.reserved_stake = %s, want %d", p.Reserved, want)
		}
		var sum string
		if err := db.QueryRow(ctx, `SELECT reserved::text FROM v_provider_stakes WHERE provider = $1`, []any{gpumarket.Address(provider).String()}, &sum); err != nil || sum != big.NewInt(want).String() {
			t.Fatalf("v_provider_stakes.reserved = %q (%v), want %d", sum, err, want)
		}
	}
	accepted := func(id gpumarket.JobID, r int64) *gpumarket.JobAccepted {
		return &gpumarket.JobAccepted{ID: id, Client: client, Provider: provider, Price: big.NewInt(10), ReservedStake: big.NewInt(r), Signer: gpumarket.Address{0x51}}
	}
	w.block(0, &gpumarket.StakeChanged{Name: "Staked", Provider: provider, Amount: big.NewInt(1000), Stake: big.NewInt(1000)},
		&gpumarket.ProviderRegistered{Provider: provider, Signer: gpumarket.Address{0x51}})
	w.block(0, created(1, 10, "ipfs://1"), created(2, 10, "ipfs://2"))
	reserved(0)
	w.block(0, accepted(1, 300))
	reserved(300)
	afterFirst := w.head().Number
	w.block(0, accepted(2, 200))
	reserved(500)
	// A provider event rewrites the provider's row: the reservation stays.
	w.block(0, &gpumarket.StakeChanged{Name: "Staked", Provider: provider, Amount: big.NewInt(1), Stake: big.NewInt(1001)})
	reserved(500)
	w.block(0, &gpumarket.JobRefunded{ID: 1, Client: client, Provider: provider, Token: usdt, Refund: big.NewInt(10), Slashed: big.NewInt(300), RefundedBy: client},
		&gpumarket.ProviderSlashed{Provider: provider, Beneficiary: client, Job: 1, Requested: big.NewInt(300), Slashed: big.NewInt(300),
			Released: big.NewInt(300), Stake: big.NewInt(701), Reserved: big.NewInt(200), Unbonding: new(big.Int)})
	reserved(200)
	// A reorg back to just after job 1's acceptance drops job 2's
	// acceptance, the stake and the refund: job 1 holds its 300 again.
	w.rewind(afterFirst)
	reserved(300)
}
