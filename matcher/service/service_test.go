package service_test

import (
	"context"
	"fmt"
	"math/big"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket/internal/eth/market"
	"github.com/gpumarket/gpumarket/internal/postgres"

	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/internal/eth/keys"

	"golang.org/x/sync/errgroup"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/pgtest"
	"github.com/gpumarket/gpumarket/matcher"
	"github.com/gpumarket/gpumarket/matcher/matchertest"
	"github.com/gpumarket/gpumarket/matcher/service"
)

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) != "" {
		runChild() // the matcher process TestKillOneInstance kills
		return
	}
	pgtest.Main(m)
}

// TestRaceTwoInstances: two matcher instances claim and decide the same 200
// jobs at once; every job ends with exactly one live offer, none is lost,
// and no provider holds more offers than its slots.
func TestRaceTwoInstances(t *testing.T) {
	e := matchertest.New(t)
	for i := 0; i < 30; i++ {
		e.Online(matchertest.ProvOpts{Slots: 8, Price: int64(1000 + 10*i)})
	}
	spec := e.UploadSpec(matchertest.SpecBody("llama-3-8b", 4000))
	for id := uint64(1); id <= 200; id++ {
		e.AddJob(id, spec, "ipfs://x", "1000000", nil)
	}
	if err := e.Queue.Sync(e.Ctx, matchertest.Chain, time.Time{}, e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	offered := map[string]int{}
	g, ctx := errgroup.WithContext(context.Background())
	for _, name := range []string{"a", "b"} {
		s := e.NewService(name, func(c *service.Config) { c.Batch = 7 })
		g.Go(func() error {
			for {
				st, err := s.Step(ctx)
				if err != nil {
					return err
				}
				mu.Lock()
				offered[name] += st.Offered
				mu.Unlock()
				if st.Claimed == 0 {
					return nil
				}
			}
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	if got := e.Count(`SELECT count(*) FROM assignments WHERE state = 'offered'`); got != 200 {
		t.Errorf("live offers = %d, want 200", got)
	}
	if got := e.Count(`SELECT count(DISTINCT job_id) FROM assignments`); got != 200 {
		t.Errorf("jobs with an offer = %d, want 200", got)
	}
	if got := e.Count(`SELECT count(*) FROM (SELECT job_id FROM assignments GROUP BY job_id HAVING count(*) > 1) d`); got != 0 {
		t.Errorf("jobs offered twice = %d, want 0", got)
	}
	if got := e.Count(`SELECT count(*) FROM matcher_jobs WHERE status <> 'offered'`); got != 0 {
		t.Errorf("jobs not offered = %d, want 0", got)
	}
	if got := e.Count(`SELECT count(*) FROM (SELECT a.provider FROM assignments a JOIN provider_attestations pa USING (chain_id, provider)
		WHERE a.state = 'offered' GROUP BY a.provider, pa.slots HAVING count(*) > pa.slots) o`); got != 0 {
		t.Errorf("providers over capacity = %d, want 0", got)
	}
	if offered["a"]+offered["b"] != 200 {
		t.Errorf("offers reported = %v, want 200 in total", offered)
	}
	e.CheckLoad()
	t.Logf("instance a offered %d, b offered %d", offered["a"], offered["b"])
}

// TestDrainRaceAtCapacity: two instances drain the same 60 jobs with
// pipelined recording (Service.Drain) against 10 providers of 3 slots:
// decisions made on stale in-flight counts are refused by the database and
// decided again, so exactly 30 jobs are offered, none twice, no provider
// beyond its slots, and the rest wait for capacity.
func TestDrainRaceAtCapacity(t *testing.T) {
	e := matchertest.New(t)
	for i := 0; i < 10; i++ {
		e.Online(matchertest.ProvOpts{Slots: 3, Price: int64(1000 + 10*i)})
	}
	spec := e.UploadSpec(matchertest.SpecBody("llama-3-8b", 4000))
	for id := uint64(1); id <= 60; id++ {
		e.AddJob(id, spec, "ipfs://x", "1000000", nil)
	}
	if err := e.Queue.Sync(e.Ctx, matchertest.Chain, time.Time{}, e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	offered := 0
	g, ctx := errgroup.WithContext(context.Background())
	for _, name := range []string{"a", "b"} {
		s := e.NewService(name, func(c *service.Config) { c.Batch = 4 })
		g.Go(func() error {
			return s.Drain(ctx, func(st service.Stats) {
				mu.Lock()
				offered += st.Offered
				mu.Unlock()
			})
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	if got := e.Count(`SELECT count(*) FROM assignments WHERE state = 'offered'`); got != 30 || offered != 30 {
		t.Errorf("live offers = %d (reported %d), want 30 (the slots)", got, offered)
	}
	if got := e.Count(`SELECT count(*) FROM (SELECT job_id FROM assignments GROUP BY job_id HAVING count(*) > 1) d`); got != 0 {
		t.Errorf("jobs offered twice = %d, want 0", got)
	}
	if got := e.Count(`SELECT count(*) FROM (SELECT a.provider FROM assignments a JOIN provider_attestations pa USING (chain_id, provider)
		WHERE a.state = 'offered' GROUP BY a.provider, pa.slots HAVING count(*) > pa.slots) o`); got != 0 {
		t.Errorf("providers over capacity = %d, want 0", got)
	}
	if got := e.Count(`SELECT count(*) FROM matcher_jobs WHERE status = 'pending' AND lease_owner IS NULL`); got != 30 {
		t.Errorf("jobs waiting for capacity = %d, want 30", got)
	}
	e.CheckLoad()
}

// TestExpiryMovesToRunnerUp: the first choice lets the offer expire; the
// next step offers the job to the runner-up of the same decision, signed,
// and the expired offer is kept as the explanation of the miss.
func TestExpiryMovesToRunnerUp(t *testing.T) {
	e := matchertest.New(t)
	cheap := e.Online(matchertest.ProvOpts{Price: 1000})
	mid := e.Online(matchertest.ProvOpts{Price: 1100})
	e.Online(matchertest.ProvOpts{Price: 5000})
	spec := e.UploadSpec(matchertest.SpecBody("llama-3-8b", 4000))
	e.AddJob(7, spec, "ipfs://x", "1000000", nil)
	if err := e.Queue.Sync(e.Ctx, matchertest.Chain, time.Time{}, e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	s := e.NewService("a", func(c *service.Config) { c.OfferTTL = 30 * time.Second })
	matchertest.Drain(t, e.Ctx, s)
	first := job(e, 7)
	if len(first.Assignments) != 1 || first.Assignments[0].Provider != cheap.Addr || first.Assignments[0].Rank != 0 {
		t.Fatalf("first offer = %+v, want rank 0 to %s", first.Assignments, cheap.Addr)
	}
	verifySig(e, first.Assignments[0])

	e.Clock.Add(31 * time.Second) // the offer expires unaccepted
	matchertest.Drain(t, e.Ctx, s)
	got := job(e, 7)
	if len(got.Assignments) != 2 {
		t.Fatalf("assignments = %+v, want 2", got.Assignments)
	}
	if a := got.Assignments[0]; a.State != "expired" {
		t.Errorf("first offer state = %s, want expired", a.State)
	}
	if a := got.Assignments[1]; a.Provider != mid.Addr || a.Rank != 1 || a.State != "offered" {
		t.Errorf("second offer = %s rank %d %s, want %s rank 1 offered", a.Provider, a.Rank, a.State, mid.Addr)
	}
	verifySig(e, got.Assignments[1])
	if !strings.Contains(string(got.Assignments[1].RunnersUp), cheap.Addr.String()) {
		t.Errorf("runners_up does not explain the ranking: %s", got.Assignments[1].RunnersUp)
	}

	// The chain shows the runner-up accepted: the offer becomes accepted.
	e.Exec(`UPDATE jobs SET state = 'assigned', provider = $1 WHERE job_id = 7`, mid.Addr[:])
	if err := e.Queue.Sync(e.Ctx, matchertest.Chain, time.Time{}, e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	if got := job(e, 7); got.Assignments[1].State != "accepted" || got.Matching.Status != "closed" {
		t.Errorf("after acceptance: offer %s, matching %s; want accepted, closed", got.Assignments[1].State, got.Matching.Status)
	}
	e.CheckLoad() // offered → expired, offered → accepted

	// A reorg undoes the acceptance: the offer is live again, and accepted
	// again when the chain shows it accepted again.
	e.Exec(`UPDATE jobs SET state = 'open', provider = NULL WHERE job_id = 7`)
	if err := e.Queue.Sync(e.Ctx, matchertest.Chain, time.Time{}, e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	if got := job(e, 7); got.Assignments[1].State != "offered" || got.Matching.Status != "offered" {
		t.Errorf("after the reorg: offer %s, matching %s; want offered, offered", got.Assignments[1].State, got.Matching.Status)
	}
	pending, err := e.APIStore.PendingAssignments(e.Ctx, matchertest.Chain, mid.Addr, e.Clock.Now(), 10)
	if err != nil || len(pending) != 1 || pending[0].JobID != 7 {
		t.Errorf("pending offers of the runner-up after the reorg = %+v, %v; want job 7", pending, err)
	}
	e.CheckLoad()
	e.Exec(`UPDATE jobs SET state = 'assigned', provider = $1 WHERE job_id = 7`, mid.Addr[:])
	if err := e.Queue.Sync(e.Ctx, matchertest.Chain, time.Time{}, e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	if got := job(e, 7); got.Assignments[1].State != "accepted" || got.Matching.Status != "closed" {
		t.Errorf("after the re-acceptance: offer %s, matching %s; want accepted, closed", got.Assignments[1].State, got.Matching.Status)
	}
	e.CheckLoad()
	// It accepted 12 s after the offer: the latency the score uses.
	e.Exec(`UPDATE jobs SET assigned_at = (SELECT created_at FROM assignments WHERE job_id = 7 AND state = 'accepted') + interval '12 seconds' WHERE job_id = 7`)
	if _, err := e.Maint.RecomputeReputation(e.Ctx, matchertest.Chain, e.Clock.Now(), matcher.DefaultReputationParams()); err != nil {
		t.Fatal(err)
	}
	rows, err := e.Queue.Candidates(e.Ctx, matchertest.Chain, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		want := uint32(0)
		if r.Provider == mid.Addr {
			want = 12_000
		}
		if r.LatencyMs != want {
			t.Errorf("latency of %s = %d ms, want %d", r.Provider, r.LatencyMs, want)
		}
	}
}

func job(e *matchertest.Env, id uint64) service.JobView {
	e.TB.Helper()
	v, err := e.APIStore.Job(e.Ctx, matchertest.Chain, gpumarket.JobID(id))
	if err != nil {
		e.TB.Fatal(err)
	}
	return v
}

func verifySig(e *matchertest.Env, a service.AssignmentView) {
	e.TB.Helper()
	sig := a.Signature
	price := a.Price.Big()
	as := &gpumarket.Assignment{JobID: a.JobID, JobHash: a.JobHash, Provider: a.Provider, Price: price, Expiry: a.Expiry}
	if err := eip712.VerifyAssignment(eip712.MarketDomain(big.NewInt(matchertest.Chain), e.Market), as, sig, e.Signer.Address(), e.Clock.Now().Unix()); err != nil {
		e.TB.Errorf("VerifyAssignment(%+v) = %v", a, err)
	}
}

// TestCapacityNeverExceeded: a provider with 2 slots and 5 jobs gets 2
// offers; a job it already runs on-chain counts against its slots too.
func TestCapacityNeverExceeded(t *testing.T) {
	e := matchertest.New(t)
	p := e.Online(matchertest.ProvOpts{Slots: 2, Price: 1000})
	spec := e.UploadSpec(matchertest.SpecBody("llama-3-8b", 4000))
	for id := uint64(1); id <= 5; id++ {
		e.AddJob(id, spec, "ipfs://x", "1000000", nil)
	}
	if err := e.Queue.Sync(e.Ctx, matchertest.Chain, time.Time{}, e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	s := e.NewService("a", nil)
	if got := matchertest.Drain(t, e.Ctx, s); got != 2 {
		t.Errorf("offers = %d, want 2 (slots)", got)
	}
	if got := e.Count(`SELECT count(*) FROM matcher_jobs WHERE status = 'pending' AND reason = 'no provider can take the job: 1 provider has every slot taken (retry later)'`); got != 3 {
		t.Errorf("jobs pending for capacity = %d, want 3", got)
	}
	// One offered job is accepted on-chain and a second provider-less job
	// is assigned to p directly: p now runs 2 (1 accepted + 1 direct) and
	// holds 1 offer: over its slots, so nothing more is offered.
	e.Exec(`UPDATE jobs SET state = 'assigned', provider = $1 WHERE job_id = (SELECT min(job_id) FROM assignments WHERE state = 'offered')`, p.Addr[:])
	e.AddJob(99, spec, "ipfs://x", "1000000", nil)
	e.Exec(`UPDATE jobs SET state = 'assigned', provider = $1 WHERE job_id = 99`, p.Addr[:])
	e.Clock.Add(time.Minute)
	if err := e.Queue.Sync(e.Ctx, matchertest.Chain, time.Time{}, e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	e.Clock.Add(-time.Minute + 20*time.Second) // offers still live
	matchertest.Drain(t, e.Ctx, s)
	if got := e.Count(`SELECT count(*) FROM assignments WHERE state = 'offered'`); got != 1 {
		t.Errorf("live offers = %d, want 1", got)
	}
	e.CheckLoad()
}

// TestSpecFromDataURI: a job whose spec is inline in its URI is matched
// without an upload; a data: URI whose hash differs from the chain's is not.
func TestSpecFromDataURI(t *testing.T) {
	e := matchertest.New(t)
	e.Online(matchertest.ProvOpts{Price: 1000})
	body := matchertest.SpecBody("llama-3-8b", 4000)
	e.AddJob(1, keys.Keccak256(body), "data:application/json,"+url.PathEscape(string(body)), "1000000", nil)
	e.AddJob(2, keys.Keccak256([]byte("other")), "data:application/json,"+url.PathEscape(string(body)), "1000000", nil)
	invalid := []byte(`{"kind":"llm"}`)
	e.AddJob(3, keys.Keccak256(invalid), "data:,"+url.PathEscape(string(invalid)), "1000000", nil)
	if err := e.Queue.Sync(e.Ctx, matchertest.Chain, time.Time{}, e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	matchertest.Drain(t, e.Ctx, e.NewService("a", nil))
	if got := job(e, 1); got.Matching.Status != "offered" {
		t.Errorf("job 1 = %+v, want offered", got.Matching)
	}
	if got := job(e, 2); got.Matching.Status != "pending" || !strings.Contains(got.Matching.Reason, "hashes to") {
		t.Errorf("job 2 = %+v, want pending with a hash mismatch reason", got.Matching)
	}
	if got := job(e, 3); got.Matching.Status != "unmatchable" || !strings.Contains(got.Matching.Reason, "spec rejected") {
		t.Errorf("job 3 = %+v, want unmatchable, spec rejected", got.Matching)
	}
	if got := e.Count(`SELECT count(*) FROM job_specs WHERE source = 'data_uri' AND NOT valid AND rejection_reason <> ''`); got != 1 {
		t.Errorf("recorded rejected specs = %d, want 1", got)
	}
}

// TestReputationSQLMatchesGo: the SQL reputation equals matcher.Reputation
// on the same history, for several providers and ages.
func TestReputationSQLMatchesGo(t *testing.T) {
	e := matchertest.New(t)
	now := e.Clock.Now()
	params := matcher.DefaultReputationParams()
	spec := e.UploadSpec(matchertest.SpecBody("llama-3-8b", 4000))
	type outcome struct {
		kind matcher.OutcomeKind
		age  time.Duration
		ttr  time.Duration
	}
	cases := []struct {
		name     string
		outcomes []outcome
	}{
		{"fresh completions", []outcome{{matcher.OutcomeCompleted, time.Hour, 30 * time.Second}, {matcher.OutcomeCompleted, 2 * time.Hour, 90*time.Second + 123*time.Millisecond}}},
		{"mixed and old", []outcome{
			{matcher.OutcomeCompleted, 3 * 24 * time.Hour, 45 * time.Second}, {matcher.OutcomeCompleted, 20 * 24 * time.Hour, 10 * time.Second},
			{matcher.OutcomeMissedDeadline, 5*24*time.Hour + 17*time.Minute, 0}, {matcher.OutcomeDisputeLost, 40 * 24 * time.Hour, 0},
			{matcher.OutcomeOfferMissed, 7 * time.Hour, 0}, {matcher.OutcomeCompleted, 400 * 24 * time.Hour, time.Second}}},
		{"only misses", []outcome{{matcher.OutcomeOfferMissed, time.Minute, 0}, {matcher.OutcomeMissedDeadline, 13*24*time.Hour + 999*time.Millisecond, 0}}},
	}
	jobID := uint64(1000)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := e.Register(matchertest.ProvOpts{Price: 1000})
			var hist []matcher.Outcome
			for _, o := range tc.outcomes {
				jobID++
				at := now.Add(-o.age)
				hist = append(hist, matcher.Outcome{Kind: o.kind, At: at, TimeToResult: o.ttr})
				e.AddJob(jobID, spec, "ipfs://x", "1000000", nil)
				switch o.kind {
				case matcher.OutcomeCompleted:
					e.Exec(`UPDATE jobs SET state = 'settled', provider = $2, assigned_at = $3, submitted_at = $4, settled_at = $5 WHERE job_id = $1`,
						fmt.Sprint(jobID), p.Addr[:], at.Add(-o.ttr-time.Minute), at.Add(-time.Minute), at)
				case matcher.OutcomeMissedDeadline:
					e.Exec(`UPDATE jobs SET state = 'refunded', provider = $2, assigned_at = $3, refunded_at = $3 WHERE job_id = $1`, fmt.Sprint(jobID), p.Addr[:], at)
				case matcher.OutcomeDisputeLost:
					e.Exec(`UPDATE jobs SET state = 'settled', provider = $2, dispute_opened_at = $3, slashed = 5, settled_at = $3 WHERE job_id = $1`, fmt.Sprint(jobID), p.Addr[:], at)
				case matcher.OutcomeOfferMissed:
					e.Exec(`INSERT INTO matcher_jobs (chain_id, job_id) VALUES ($1, $2)`, matchertest.Chain, fmt.Sprint(jobID))
					e.Exec(`INSERT INTO assignments (chain_id, job_id, provider, price, expiry, signature, matcher, state, rank, score, runners_up, instance)
						VALUES ($1, $2, $3, 1, $4, $5, $6, 'expired', 0, '{}', '[]', 't')`, matchertest.Chain, fmt.Sprint(jobID), p.Addr[:], at, make([]byte, 65), p.Addr[:])
				}
			}
			if _, err := e.Maint.RecomputeReputation(e.Ctx, matchertest.Chain, now, params); err != nil {
				t.Fatal(err)
			}
			got, err := e.Maint.Reputation(e.Ctx, matchertest.Chain, p.Addr)
			if err != nil {
				t.Fatal(err)
			}
			want := matcher.Reputation(hist, now, params)
			if got != want {
				t.Errorf("SQL reputation = %+v, want (Go) %+v", got, want)
			}
		})
	}
}

// TestMarkOfflineAndSnapshot: providers that stop heartbeating go offline
// with a recorded transition; the oracle snapshot runs from the schedule's
// function and is what /v1/pricing/rates serves.
func TestMarkOfflineAndSnapshot(t *testing.T) {
	e := matchertest.New(t)
	for i := 0; i < 3; i++ {
		e.Online(matchertest.ProvOpts{Price: int64(1000 + 100*i)})
	}
	s := e.NewService("a", nil)
	if err := s.Snapshot(e.Ctx); err != nil {
		t.Fatal(err)
	}
	if got := e.Count(`SELECT count(*) FROM oracle_snapshots WHERE kind = 'llm' AND unit = '1k_tokens' AND gpu_class = 'large'`); got != 1 {
		t.Errorf("snapshots = %d, want 1", got)
	}
	e.Clock.Add(5 * time.Minute)
	if err := s.MarkOffline(e.Ctx); err != nil {
		t.Fatal(err)
	}
	if got := e.Count(`SELECT count(*) FROM provider_attestations WHERE status = 'offline'`); got != 3 {
		t.Errorf("offline providers = %d, want 3", got)
	}
	if got := e.Count(`SELECT count(*) FROM provider_status_transitions WHERE to_status = 'offline' AND reason = 'missed heartbeats'`); got != 3 {
		t.Errorf("offline transitions = %d, want 3", got)
	}
}

// TestFreeStakeLimitsOffers: a provider is offered only as many jobs as its
// free stake can back under the marketplace's reservation rule, counting
// its live offers (also after another instance reloads the candidates) and
// the reservations of its accepted jobs; the jobs left say why.
func TestFreeStakeLimitsOffers(t *testing.T) {
	e := matchertest.New(t)
	p := e.Online(matchertest.ProvOpts{Slots: 10, Price: 1000, Stake: "1000" + e18})
	spec := e.UploadSpec(matchertest.SpecBody("llama-3-8b", 4000))
	for id := uint64(1); id <= 5; id++ {
		e.AddJob(id, spec, "ipfs://x", "1000000", nil)
	}
	// Every field of the job struct counts in the hash its assignment is
	// bound to: the snapshotted treasury too.
	treasury := matchertest.Addr(0x7e)
	e.Exec(`UPDATE jobs SET treasury = $1`, treasury[:])
	if err := e.Queue.Sync(e.Ctx, matchertest.Chain, time.Time{}, e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	// Jobs are paid in e.Token, not the staking token: each reserves the floor.
	rule := gpumarket.ReservationRule{StakingToken: matchertest.Addr(0x57), Bps: 1000, Floor: tokens(300), Cap: tokens(600)}
	withRule := func(c *service.Config) { c.Reservation = rule }
	s := e.NewService("a", withRule)
	if got := matchertest.Drain(t, e.Ctx, s); got != 3 {
		t.Fatalf("offers = %d, want 3 (1000 of stake backs three 300 reservations)", got)
	}
	if got := e.Count(`SELECT count(*) FROM assignments WHERE state = 'offered' AND reserve = 300` + e18); got != 3 {
		t.Errorf("offers recording their 300 reservation = %d, want 3", got)
	}
	if got := e.Count(`SELECT count(*) FROM matcher_jobs WHERE status = 'pending' AND reason = 'no provider can take the job: 1 provider lacks the free stake to back the job'`); got != 2 {
		t.Errorf("jobs pending for lack of free stake = %d, want 2", got)
	}
	chain := postgres.NewChainState(e.DB, matchertest.Chain)
	for id := gpumarket.JobID(1); id <= 5; id++ {
		var signed []byte
		if e.SQL.TryQueryRow(e.Ctx, `SELECT job_hash FROM assignments WHERE job_id = $1`, []any{id.String()}, &signed) != nil {
			continue // not offered
		}
		j, err := chain.Job(e.Ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if want, err := market.JobHashAtCreation(&j.Job); err != nil || gpumarket.Hash(signed) != want {
			t.Errorf("job %d: assignment bound to %x, the mirror's job hashes to %s (%v)", id, signed, want, err)
		}
	}
	// Another instance loads the candidates from the store: the live
	// offers' reservations count there too.
	if got := matchertest.Drain(t, e.Ctx, e.NewService("b", withRule)); got != 0 {
		t.Errorf("offers by a fresh instance = %d, want 0", got)
	}
	// One offer is accepted on-chain (its reservation moves to the mirror)
	// and the provider stakes 300 more: one more job fits.
	e.Exec(`UPDATE assignments SET state = 'accepted' WHERE job_id = (SELECT min(job_id) FROM assignments WHERE state = 'offered')`)
	e.Exec(`UPDATE jobs SET state = 'assigned', provider = $1, reserved_stake = 300`+e18+` WHERE job_id = (SELECT min(job_id) FROM assignments WHERE state = 'accepted')`, p.Addr[:])
	e.Exec(`UPDATE providers SET stake = 1300`+e18+`, reserved_stake = 300`+e18+` WHERE provider = $1`, p.Addr[:])
	e.Clock.Add(time.Minute)
	if err := e.Queue.Sync(e.Ctx, matchertest.Chain, time.Time{}, e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	e.Clock.Add(-time.Minute + 20*time.Second) // offers still live
	if got := matchertest.Drain(t, e.Ctx, e.NewService("c", withRule)); got != 1 {
		t.Errorf("offers after the provider staked 300 more = %d, want 1", got)
	}
}

// e18 is the decimal suffix of whole staking tokens (18 decimals).
const e18 = "000000000000000000"

func tokens(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(1e18)) }
