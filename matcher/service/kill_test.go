package service_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"math/big"
	"os"
	"os/exec"
	"os/signal"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/internal/eth/keys"
	"github.com/gpumarket/gpumarket/internal/eth/market"
	"github.com/gpumarket/gpumarket/internal/postgres"
	"github.com/gpumarket/gpumarket/matcher/matchertest"
	"github.com/gpumarket/gpumarket/matcher/service"
)

// childEnv, when set, makes the test binary a matcher instance: Service.Run
// on CHILD_DB as instance CHILD_INSTANCE (see runChild).
const childEnv = "GPUMARKET_TEST_MATCHER_CHILD"

// childLease is the children's job and partition lease period.
const childLease = 4 * time.Second

// runChild runs one matcher instance, as `matcher run` does (Service.Run:
// partitions, sync, drain, LISTEN), until it is killed or gets SIGTERM.
func runChild() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	db, err := postgres.Open(ctx, os.Getenv("CHILD_DB"))
	if err != nil {
		fail(err)
	}
	key, _, err := keys.GenerateKey()
	if err != nil {
		fail(err)
	}
	signer, err := eip712.NewAssignmentSigner(key, eip712.MarketDomain(big.NewInt(matchertest.Chain), matchertest.Addr(2)))
	if err != nil {
		fail(err)
	}
	cfg := service.DefaultConfig(matchertest.Chain, os.Getenv("CHILD_INSTANCE"))
	cfg.LeaseTTL, cfg.Poll, cfg.CandidateRefresh, cfg.OfferTTL = childLease, 100*time.Millisecond, 200*time.Millisecond, time.Hour
	cfg.OfflineSchedule, cfg.LeaseSchedule = "@every 1h", "@every 1h" // the test's heartbeats are not renewed
	cfg.JobHash = market.JobHashAtCreation
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	svc, err := service.New(cfg, postgres.NewMatcherQueue(db), postgres.NewMatcherMaintenance(db), signer, service.NewFetcher(0, 0, false), log, nil)
	if err != nil {
		fail(err)
	}
	if err := svc.Run(ctx, db); err != nil {
		fail(err)
	}
}

// syncBuffer is a bytes.Buffer safe for a child's output and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// TestKillOneInstance runs two matcher processes over a stream of jobs and
// kills one with SIGKILL while it holds claimed jobs. The survivor takes
// the dead instance's partitions and its claimed jobs within one lease
// period of the kill, jobs arriving afterwards are matched too, and in the
// end every job has exactly one offer (none assigned twice, none lost) and
// no provider holds more offers than its slots.
func TestKillOneInstance(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two matcher processes")
	}
	e := matchertest.New(t)
	e.Clock.Add(time.Since(e.Clock.Now())) // the children run on the real clock
	for i := 0; i < 16; i++ {
		e.Online(matchertest.ProvOpts{Slots: 200, Price: int64(1000 + 10*i)})
	}
	spec := e.UploadSpec(matchertest.SpecBody("llama-3-8b", 4000))
	addJobs := func(from, n int) {
		client := matchertest.Addr(9)
		e.Exec(`INSERT INTO jobs (chain_id, job_id, client, token, max_payment, kind, state, deadline, fee_bps, creator_share_bps,
			spec_hash, spec_uri, spec_uri_raw, created_at, last_block)
			SELECT $1, g, $2, $3, 1000000, 'llm', 'open', now() + interval '1 hour', 250, 0, $4, 'ipfs://x', convert_to('ipfs://x', 'UTF8'), now(), 1
			FROM generate_series($5::bigint, $6::bigint) g`, matchertest.Chain, client[:], e.Token[:], spec[:], from, from+n-1)
		e.Exec(`SELECT pg_notify('gpumarket_jobs', '{"chain_id":31337,"job_ids":[]}')`)
	}

	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	start := func(instance string) (*exec.Cmd, *syncBuffer) {
		out := &syncBuffer{}
		cmd := exec.Command(exe, "-test.run=^$")
		cmd.Env = append(os.Environ(), childEnv+"=1", "CHILD_DB="+e.DSN, "CHILD_INSTANCE="+instance)
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			if t.Failed() {
				t.Logf("instance %s said:\n%s", instance, out.String())
			}
		})
		return cmd, out
	}
	a, _ := start("a")
	start("b")
	waitFor(t, 30*time.Second, "both instances to hold half the partitions", func() bool {
		return e.Count(`SELECT count(*) FROM matcher_partitions WHERE owner = 'a'`) == service.Partitions/2 &&
			e.Count(`SELECT count(*) FROM matcher_partitions WHERE owner = 'b'`) == service.Partitions/2
	})

	// Jobs arrive in waves until instance a is caught holding claims.
	total, held := 0, int64(0)
	for wave := 0; held == 0; wave++ {
		if wave == 50 {
			t.Fatal("instance a never seen holding a claim")
		}
		addJobs(total+1, 100)
		total += 100
		for end := time.Now().Add(300 * time.Millisecond); time.Now().Before(end); {
			if held = e.Count(`SELECT count(*) FROM matcher_jobs WHERE lease_owner = 'a' AND status = 'pending'`); held > 0 {
				break
			}
		}
	}
	killed := time.Now()
	if err := a.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = a.Wait()
	orphans := e.Count(`SELECT count(*) FROM matcher_jobs WHERE lease_owner = 'a' AND status = 'pending'`)
	e.Exec(`CREATE TABLE orphans AS SELECT job_id FROM matcher_jobs WHERE lease_owner = 'a' AND status = 'pending'`)
	t.Logf("killed instance a holding %d claimed jobs of %d", orphans, total)
	addJobs(total+1, 300) // arriving after the death
	total += 300

	waitFor(t, 6*childLease, "every job to be offered", func() bool {
		return e.Count(`SELECT count(*) FROM matcher_jobs WHERE status = 'offered'`) == int64(total)
	})
	if got := e.Count(`SELECT count(*) FROM (SELECT job_id FROM assignments GROUP BY job_id HAVING count(*) > 1) d`); got != 0 {
		t.Errorf("jobs with more than one offer = %d, want 0", got)
	}
	if got := e.Count(`SELECT count(DISTINCT job_id) FROM assignments WHERE state = 'offered'`); got != int64(total) {
		t.Errorf("jobs offered = %d, want %d", got, total)
	}
	e.CheckLoad()
	// Within one lease period (plus a second for scheduling on a loaded
	// machine) the survivor holds every partition and has offered the
	// jobs the dead instance had claimed.
	bound := killed.Add(childLease + time.Second)
	if got := e.Count(`SELECT count(*) FROM matcher_partitions WHERE owner = 'b'`); got != service.Partitions {
		t.Errorf("partitions held by the survivor = %d, want %d", got, service.Partitions)
	}
	if got := e.Count(`SELECT count(*) FROM matcher_partitions WHERE owner = 'b' AND acquired_at > $1`, killed); got != service.Partitions/2 {
		t.Errorf("partitions taken over after the kill = %d, want %d", got, service.Partitions/2)
	}
	if got := e.Count(`SELECT count(*) FROM matcher_partitions WHERE acquired_at > $1`, bound); got != 0 {
		t.Errorf("partitions taken later than one lease period after the kill = %d, want 0", got)
	}
	if got := e.Count(`SELECT count(*) FROM assignments a JOIN orphans o USING (job_id) WHERE a.instance = 'b'`); got != orphans {
		t.Errorf("orphaned claims offered by the survivor = %d, want %d", got, orphans)
	}
	if got := e.Count(`SELECT count(*) FROM assignments a JOIN orphans o USING (job_id) WHERE a.created_at > $1`, bound.Add(time.Second)); got != 0 {
		t.Errorf("orphaned claims offered later than a lease period (and a poll) after the kill = %d, want 0", got)
	}
}

// waitFor polls cond every 50 ms until it holds, failing t after timeout.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(timeout); !cond(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(end) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
	}
}
