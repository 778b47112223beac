package service_test

import (
	"context"
	"encoding/hex"
	"fmt"
	"math/big"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/eth"
	"github.com/gpumarket/gpumarket/matcher"
	"github.com/gpumarket/gpumarket/matcher/service"
)

// TestRaceTwoInstances: two matcher instances claim and decide the same 200
// jobs at once; every job ends with exactly one live offer, none is lost,
// and no provider holds more offers than its slots.
func TestRaceTwoInstances(t *testing.T) {
	e := newEnv(t)
	for i := 0; i < 30; i++ {
		e.online(provOpts{slots: 8, price: int64(1000 + 10*i)})
	}
	spec := e.uploadSpec(specBody("llama-3-8b", 4000))
	for id := uint64(1); id <= 200; id++ {
		e.addJob(id, spec, "ipfs://x", "1000000", nil)
	}
	if err := e.store.Sync(e.ctx, testChain, time.Time{}, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	offered := map[string]int{}
	g, ctx := errgroup.WithContext(context.Background())
	for _, name := range []string{"a", "b"} {
		s := e.newService(name, func(c *service.Config) { c.Batch = 7 })
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
	if got := e.count(`SELECT count(*) FROM assignments WHERE state = 'offered'`); got != 200 {
		t.Errorf("live offers = %d, want 200", got)
	}
	if got := e.count(`SELECT count(DISTINCT job_id) FROM assignments`); got != 200 {
		t.Errorf("jobs with an offer = %d, want 200", got)
	}
	if got := e.count(`SELECT count(*) FROM (SELECT job_id FROM assignments GROUP BY job_id HAVING count(*) > 1) d`); got != 0 {
		t.Errorf("jobs offered twice = %d, want 0", got)
	}
	if got := e.count(`SELECT count(*) FROM matcher_jobs WHERE status <> 'offered'`); got != 0 {
		t.Errorf("jobs not offered = %d, want 0", got)
	}
	if got := e.count(`SELECT count(*) FROM (SELECT a.provider FROM assignments a JOIN provider_attestations pa USING (chain_id, provider)
		WHERE a.state = 'offered' GROUP BY a.provider, pa.slots HAVING count(*) > pa.slots) o`); got != 0 {
		t.Errorf("providers over capacity = %d, want 0", got)
	}
	if offered["a"]+offered["b"] != 200 {
		t.Errorf("offers reported = %v, want 200 in total", offered)
	}
	e.checkLoad()
	t.Logf("instance a offered %d, b offered %d", offered["a"], offered["b"])
}

// TestDrainRaceAtCapacity: two instances drain the same 60 jobs with
// pipelined recording (Service.Drain) against 10 providers of 3 slots:
// decisions made on stale in-flight counts are refused by the database and
// decided again, so exactly 30 jobs are offered, none twice, no provider
// beyond its slots, and the rest wait for capacity.
func TestDrainRaceAtCapacity(t *testing.T) {
	e := newEnv(t)
	for i := 0; i < 10; i++ {
		e.online(provOpts{slots: 3, price: int64(1000 + 10*i)})
	}
	spec := e.uploadSpec(specBody("llama-3-8b", 4000))
	for id := uint64(1); id <= 60; id++ {
		e.addJob(id, spec, "ipfs://x", "1000000", nil)
	}
	if err := e.store.Sync(e.ctx, testChain, time.Time{}, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	offered := 0
	g, ctx := errgroup.WithContext(context.Background())
	for _, name := range []string{"a", "b"} {
		s := e.newService(name, func(c *service.Config) { c.Batch = 4 })
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
	if got := e.count(`SELECT count(*) FROM assignments WHERE state = 'offered'`); got != 30 || offered != 30 {
		t.Errorf("live offers = %d (reported %d), want 30 (the slots)", got, offered)
	}
	if got := e.count(`SELECT count(*) FROM (SELECT job_id FROM assignments GROUP BY job_id HAVING count(*) > 1) d`); got != 0 {
		t.Errorf("jobs offered twice = %d, want 0", got)
	}
	if got := e.count(`SELECT count(*) FROM (SELECT a.provider FROM assignments a JOIN provider_attestations pa USING (chain_id, provider)
		WHERE a.state = 'offered' GROUP BY a.provider, pa.slots HAVING count(*) > pa.slots) o`); got != 0 {
		t.Errorf("providers over capacity = %d, want 0", got)
	}
	if got := e.count(`SELECT count(*) FROM matcher_jobs WHERE status = 'pending' AND lease_owner IS NULL`); got != 30 {
		t.Errorf("jobs waiting for capacity = %d, want 30", got)
	}
	e.checkLoad()
}

// TestExpiryMovesToRunnerUp: the first choice lets the offer expire; the
// next step offers the job to the runner-up of the same decision, signed,
// and the expired offer is kept as the explanation of the miss.
func TestExpiryMovesToRunnerUp(t *testing.T) {
	e := newEnv(t)
	cheap := e.online(provOpts{price: 1000})
	mid := e.online(provOpts{price: 1100})
	e.online(provOpts{price: 5000})
	spec := e.uploadSpec(specBody("llama-3-8b", 4000))
	e.addJob(7, spec, "ipfs://x", "1000000", nil)
	if err := e.store.Sync(e.ctx, testChain, time.Time{}, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	s := e.newService("a", func(c *service.Config) { c.OfferTTL = 30 * time.Second })
	drain(t, e.ctx, s)
	first := e.job(7)
	if len(first.Assignments) != 1 || first.Assignments[0].Provider != cheap.addr || first.Assignments[0].Rank != 0 {
		t.Fatalf("first offer = %+v, want rank 0 to %s", first.Assignments, cheap.addr)
	}
	e.verifySig(first.Assignments[0])

	e.clock.Add(31 * time.Second) // the offer expires unaccepted
	drain(t, e.ctx, s)
	got := e.job(7)
	if len(got.Assignments) != 2 {
		t.Fatalf("assignments = %+v, want 2", got.Assignments)
	}
	if a := got.Assignments[0]; a.State != "expired" {
		t.Errorf("first offer state = %s, want expired", a.State)
	}
	if a := got.Assignments[1]; a.Provider != mid.addr || a.Rank != 1 || a.State != "offered" {
		t.Errorf("second offer = %s rank %d %s, want %s rank 1 offered", a.Provider, a.Rank, a.State, mid.addr)
	}
	e.verifySig(got.Assignments[1])
	if !strings.Contains(string(got.Assignments[1].RunnersUp), cheap.addr.String()) {
		t.Errorf("runners_up does not explain the ranking: %s", got.Assignments[1].RunnersUp)
	}

	// The chain shows the runner-up accepted: the offer becomes accepted.
	e.exec(`UPDATE jobs SET state = 'assigned', provider = $1 WHERE job_id = 7`, mid.addr[:])
	if err := e.store.Sync(e.ctx, testChain, time.Time{}, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if got := e.job(7); got.Assignments[1].State != "accepted" || got.Matching.Status != "closed" {
		t.Errorf("after acceptance: offer %s, matching %s; want accepted, closed", got.Assignments[1].State, got.Matching.Status)
	}
	e.checkLoad() // offered → expired, offered → accepted

	// A reorg undoes the acceptance: the offer is live again, and accepted
	// again when the chain shows it accepted again.
	e.exec(`UPDATE jobs SET state = 'open', provider = NULL WHERE job_id = 7`)
	if err := e.store.Sync(e.ctx, testChain, time.Time{}, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if got := e.job(7); got.Assignments[1].State != "offered" || got.Matching.Status != "offered" {
		t.Errorf("after the reorg: offer %s, matching %s; want offered, offered", got.Assignments[1].State, got.Matching.Status)
	}
	pending, err := e.store.PendingAssignments(e.ctx, testChain, mid.addr, e.clock.Now(), 10)
	if err != nil || len(pending) != 1 || pending[0].JobID != "7" {
		t.Errorf("pending offers of the runner-up after the reorg = %+v, %v; want job 7", pending, err)
	}
	e.checkLoad()
	e.exec(`UPDATE jobs SET state = 'assigned', provider = $1 WHERE job_id = 7`, mid.addr[:])
	if err := e.store.Sync(e.ctx, testChain, time.Time{}, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if got := e.job(7); got.Assignments[1].State != "accepted" || got.Matching.Status != "closed" {
		t.Errorf("after the re-acceptance: offer %s, matching %s; want accepted, closed", got.Assignments[1].State, got.Matching.Status)
	}
	e.checkLoad()
	// It accepted 12 s after the offer: the latency the score uses.
	e.exec(`UPDATE jobs SET assigned_at = (SELECT created_at FROM assignments WHERE job_id = 7 AND state = 'accepted') + interval '12 seconds' WHERE job_id = 7`)
	if _, err := e.store.RecomputeReputation(e.ctx, testChain, e.clock.Now(), matcher.DefaultReputationParams()); err != nil {
		t.Fatal(err)
	}
	rows, err := e.store.Candidates(e.ctx, testChain, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		want := uint32(0)
		if r.Provider == mid.addr {
			want = 12_000
		}
		if r.LatencyMs != want {
			t.Errorf("latency of %s = %d ms, want %d", r.Provider, r.LatencyMs, want)
		}
	}
}

func (e *env) job(id uint64) service.JobView {
	e.tb.Helper()
	v, err := e.store.Job(e.ctx, testChain, gpumarket.JobID(id))
	if err != nil {
		e.tb.Fatal(err)
	}
	return v
}

func (e *env) verifySig(a service.AssignmentView) {
	e.tb.Helper()
	sig, err := hex.DecodeString(strings.TrimPrefix(a.Signature, "0x"))
	if err != nil {
		e.tb.Fatal(err)
	}
	id, _ := gpumarket.ParseJobID(a.JobID)
	price, _ := new(big.Int).SetString(a.Price, 10)
	as := &gpumarket.Assignment{JobID: id, Provider: a.Provider, Price: price, Expiry: a.Expiry}
	if err := eth.VerifyAssignment(eth.MarketDomain(big.NewInt(testChain), e.market), as, sig, e.signer.Address(), e.clock.Now().Unix()); err != nil {
		e.tb.Errorf("VerifyAssignment(%+v) = %v", a, err)
	}
}

// TestCapacityNeverExceeded: a provider with 2 slots and 5 jobs gets 2
// offers; a job it already runs on-chain counts against its slots too.
func TestCapacityNeverExceeded(t *testing.T) {
	e := newEnv(t)
	p := e.online(provOpts{slots: 2, price: 1000})
	spec := e.uploadSpec(specBody("llama-3-8b", 4000))
	for id := uint64(1); id <= 5; id++ {
		e.addJob(id, spec, "ipfs://x", "1000000", nil)
	}
	if err := e.store.Sync(e.ctx, testChain, time.Time{}, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	s := e.newService("a", nil)
	if got := drain(t, e.ctx, s); got != 2 {
		t.Errorf("offers = %d, want 2 (slots)", got)
	}
	if got := e.count(`SELECT count(*) FROM matcher_jobs WHERE status = 'pending' AND reason LIKE 'no eligible provider%capacity%'`); got != 3 {
		t.Errorf("jobs pending for capacity = %d, want 3", got)
	}
	// One offered job is accepted on-chain and a second provider-less job
	// is assigned to p directly: p now runs 2 (1 accepted + 1 direct) and
	// holds 1 offer: over its slots, so nothing more is offered.
	e.exec(`UPDATE jobs SET state = 'assigned', provider = $1 WHERE job_id = (SELECT min(job_id) FROM assignments WHERE state = 'offered')`, p.addr[:])
	e.addJob(99, spec, "ipfs://x", "1000000", nil)
	e.exec(`UPDATE jobs SET state = 'assigned', provider = $1 WHERE job_id = 99`, p.addr[:])
	e.clock.Add(time.Minute)
	if err := e.store.Sync(e.ctx, testChain, time.Time{}, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	e.clock.Add(-time.Minute + 20*time.Second) // offers still live
	drain(t, e.ctx, s)
	if got := e.count(`SELECT count(*) FROM assignments WHERE state = 'offered'`); got != 1 {
		t.Errorf("live offers = %d, want 1", got)
	}
	e.checkLoad()
}

// TestSpecFromDataURI: a job whose spec is inline in its URI is matched
// without an upload; a data: URI whose hash differs from the chain's is not.
func TestSpecFromDataURI(t *testing.T) {
	e := newEnv(t)
	e.online(provOpts{price: 1000})
	body := specBody("llama-3-8b", 4000)
	e.addJob(1, eth.Keccak256(body), "data:application/json,"+url.PathEscape(string(body)), "1000000", nil)
	e.addJob(2, eth.Keccak256([]byte("other")), "data:application/json,"+url.PathEscape(string(body)), "1000000", nil)
	invalid := []byte(`{"kind":"llm"}`)
	e.addJob(3, eth.Keccak256(invalid), "data:,"+url.PathEscape(string(invalid)), "1000000", nil)
	if err := e.store.Sync(e.ctx, testChain, time.Time{}, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	drain(t, e.ctx, e.newService("a", nil))
	if got := e.job(1); got.Matching.Status != "offered" {
		t.Errorf("job 1 = %+v, want offered", got.Matching)
	}
	if got := e.job(2); got.Matching.Status != "pending" || !strings.Contains(got.Matching.Reason, "hashes to") {
		t.Errorf("job 2 = %+v, want pending with a hash mismatch reason", got.Matching)
	}
	if got := e.job(3); got.Matching.Status != "unmatchable" || !strings.Contains(got.Matching.Reason, "spec rejected") {
		t.Errorf("job 3 = %+v, want unmatchable, spec rejected", got.Matching)
	}
	if got := e.count(`SELECT count(*) FROM job_specs WHERE source = 'data_uri' AND NOT valid AND rejection_reason <> ''`); got != 1 {
		t.Errorf("recorded rejected specs = %d, want 1", got)
	}
}

// TestReputationSQLMatchesGo: the SQL reputation equals matcher.Reputation
// on the same history, for several providers and ages.
func TestReputationSQLMatchesGo(t *testing.T) {
	e := newEnv(t)
	now := e.clock.Now()
	params := matcher.DefaultReputationParams()
	spec := e.uploadSpec(specBody("llama-3-8b", 4000))
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
			p := e.register(provOpts{price: 1000})
			var hist []matcher.Outcome
			for _, o := range tc.outcomes {
				jobID++
				at := now.Add(-o.age)
				hist = append(hist, matcher.Outcome{Kind: o.kind, At: at, TimeToResult: o.ttr})
				e.addJob(jobID, spec, "ipfs://x", "1000000", nil)
				switch o.kind {
				case matcher.OutcomeCompleted:
					e.exec(`UPDATE jobs SET state = 'settled', provider = $2, assigned_at = $3, submitted_at = $4, settled_at = $5 WHERE job_id = $1`,
						fmt.Sprint(jobID), p.addr[:], at.Add(-o.ttr-time.Minute), at.Add(-time.Minute), at)
				case matcher.OutcomeMissedDeadline:
					e.exec(`UPDATE jobs SET state = 'refunded', provider = $2, assigned_at = $3, refunded_at = $3 WHERE job_id = $1`, fmt.Sprint(jobID), p.addr[:], at)
				case matcher.OutcomeDisputeLost:
					e.exec(`UPDATE jobs SET state = 'settled', provider = $2, dispute_opened_at = $3, slashed = 5, settled_at = $3 WHERE job_id = $1`, fmt.Sprint(jobID), p.addr[:], at)
				case matcher.OutcomeOfferMissed:
					e.exec(`INSERT INTO matcher_jobs (chain_id, job_id) VALUES ($1, $2)`, testChain, fmt.Sprint(jobID))
					e.exec(`INSERT INTO assignments (chain_id, job_id, provider, price, expiry, signature, matcher, state, rank, score, runners_up, instance)
						VALUES ($1, $2, $3, 1, $4, $5, $6, 'expired', 0, '{}', '[]', 't')`, testChain, fmt.Sprint(jobID), p.addr[:], at, make([]byte, 65), p.addr[:])
				}
			}
			if _, err := e.store.RecomputeReputation(e.ctx, testChain, now, params); err != nil {
				t.Fatal(err)
			}
			got, err := e.store.Reputation(e.ctx, testChain, p.addr)
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
	e := newEnv(t)
	for i := 0; i < 3; i++ {
		e.online(provOpts{price: int64(1000 + 100*i)})
	}
	s := e.newService("a", nil)
	if err := s.Snapshot(e.ctx); err != nil {
		t.Fatal(err)
	}
	if got := e.count(`SELECT count(*) FROM oracle_snapshots WHERE kind = 'llm' AND unit = '1k_tokens' AND gpu_class = 'large'`); got != 1 {
		t.Errorf("snapshots = %d, want 1", got)
	}
	e.clock.Add(5 * time.Minute)
	if err := s.MarkOffline(e.ctx); err != nil {
		t.Fatal(err)
	}
	if got := e.count(`SELECT count(*) FROM provider_attestations WHERE status = 'offline'`); got != 3 {
		t.Errorf("offline providers = %d, want 3", got)
	}
	if got := e.count(`SELECT count(*) FROM provider_status_transitions WHERE to_status = 'offline' AND reason = 'missed heartbeats'`); got != 3 {
		t.Errorf("offline transitions = %d, want 3", got)
	}
}
