package service_test

import (
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/matcher/matchertest"
	"github.com/gpumarket/gpumarket/matcher/service"
)

// TestPartitionsRebalance walks the partition leases through a join, a
// lapse and a clean leave: a lone instance holds every partition; a second
// one gets its share once the first releases it (never both at once); when
// one stops renewing, the other takes its share after the lease; after a
// leave, at the next renewal.
func TestPartitionsRebalance(t *testing.T) {
	e := matchertest.New(t)
	const ttl = 3 * time.Second
	held := func(owner string) []int {
		t.Helper()
		ps, err := e.Queue.Partitions(e.Ctx, matchertest.Chain, owner, service.Partitions, ttl, e.Clock.Now())
		if err != nil {
			t.Fatalf("Partitions(%s): %v", owner, err)
		}
		return ps
	}
	owned := func(owner string) int64 {
		return e.Count(`SELECT count(*) FROM matcher_partitions WHERE owner = $1 AND expires_at > $2`, owner, e.Clock.Now())
	}
	steps := []struct {
		name      string
		owner     string
		tick      time.Duration // clock move before the call
		want      int           // partitions held after it
		other     string        // another instance and what it holds then
		otherHeld int64
	}{
		{"alone", "a", 0, service.Partitions, "b", 0},
		{"joins, share still held", "b", 0, 0, "a", service.Partitions},
		{"releases", "a", time.Second, service.Partitions / 2, "b", 0},
		{"takes its share", "b", 0, service.Partitions / 2, "a", service.Partitions / 2},
		{"renews", "a", time.Second, service.Partitions / 2, "b", service.Partitions / 2},
		// b stops renewing: its instance row and leases lapse.
		{"takes the lapsed share", "a", ttl, service.Partitions, "b", 0},
	}
	for _, st := range steps {
		e.Clock.Add(st.tick)
		if got := len(held(st.owner)); got != st.want {
			t.Fatalf("%s: %s holds %d partitions, want %d", st.name, st.owner, got, st.want)
		}
		if got := owned(st.other); got != st.otherHeld {
			t.Fatalf("%s: %s holds %d partitions, want %d", st.name, st.other, got, st.otherHeld)
		}
		if got := e.Count(`SELECT count(*) FROM matcher_partitions WHERE owner IS NOT NULL AND expires_at > $1`, e.Clock.Now()); got > service.Partitions {
			t.Fatalf("%s: %d live leases on %d partitions", st.name, got, service.Partitions)
		}
	}
	// b comes back, takes half; then leaves cleanly: a takes it at once.
	held("b")
	held("a")
	if got := len(held("b")); got != service.Partitions/2 {
		t.Fatalf("b back: holds %d, want %d", got, service.Partitions/2)
	}
	if err := e.Queue.LeavePartitions(e.Ctx, matchertest.Chain, "b"); err != nil {
		t.Fatal(err)
	}
	if got := len(held("a")); got != service.Partitions {
		t.Errorf("after b left: a holds %d, want %d", got, service.Partitions)
	}
	if _, err := e.Queue.Partitions(e.Ctx, matchertest.Chain, "", service.Partitions, ttl, e.Clock.Now()); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Errorf("Partitions without an owner = %v, want EINVALID", err)
	}
}

// TestPartitionedInstancesStayApart: two rebalanced instances drain 200
// jobs over 30 providers. Each offers only to the providers of its own
// partitions, no offer is refused (they never compete for a slot), jobs an
// instance cannot place among its providers are routed to the other, and
// every job ends with exactly one offer within capacity.
func TestPartitionedInstancesStayApart(t *testing.T) {
	e := matchertest.New(t)
	var provs []gpumarket.Address
	for i := 0; i < 30; i++ {
		provs = append(provs, e.Online(matchertest.ProvOpts{Slots: 8, Price: int64(1000 + 10*i)}).Addr)
	}
	spec := e.UploadSpec(matchertest.SpecBody("llama-3-8b", 4000))
	for id := uint64(1); id <= 200; id++ {
		e.AddJob(id, spec, "ipfs://x", "1000000", nil)
	}
	if err := e.Queue.Sync(e.Ctx, matchertest.Chain, time.Time{}, e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	svcs := map[string]*service.Service{}
	for _, name := range []string{"a", "b"} {
		svcs[name] = e.NewService(name, func(c *service.Config) { c.Batch = 16 })
	}
	for range 2 {
		for _, name := range []string{"a", "b"} {
			if err := svcs[name].Rebalance(e.Ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Partition p of 2 instances sorted by id belongs to rank p mod 2.
	mine := map[string][][]byte{}
	for _, p := range provs {
		owner := []string{"a", "b"}[service.PartitionOf(p)%2]
		mine[owner] = append(mine[owner], append([]byte(nil), p[:]...))
	}
	refused, routed := 0, 0
	for round, idle := 0, 0; idle < 2; round++ {
		if round == 100 {
			t.Fatal("never drained")
		}
		idle++
		for _, name := range []string{"a", "b"} {
			st, err := svcs[name].Step(e.Ctx)
			if err != nil {
				t.Fatal(err)
			}
			refused += st.Refused
			routed += st.Routed
			if st.Claimed > 0 {
				idle = 0
			}
		}
	}
	if refused != 0 {
		t.Errorf("refused offers = %d, want 0", refused)
	}
	for name, ps := range mine {
		if got := e.Count(`SELECT count(*) FROM assignments WHERE instance = $1 AND NOT provider = ANY($2::bytea[])`, name, ps); got != 0 {
			t.Errorf("offers of %s to another instance's providers = %d, want 0", name, got)
		}
	}
	if got := e.Count(`SELECT count(DISTINCT job_id) FROM assignments WHERE state = 'offered'`); got != 200 {
		t.Errorf("jobs offered = %d, want 200", got)
	}
	if got := e.Count(`SELECT count(*) FROM (SELECT job_id FROM assignments GROUP BY job_id HAVING count(*) > 1) d`); got != 0 {
		t.Errorf("jobs offered twice = %d, want 0", got)
	}
	e.CheckLoad()
	t.Logf("providers a=%d b=%d; routed %d jobs", len(mine["a"]), len(mine["b"]), routed)
}

// TestRoutedToPartitionHolder: the instance that claims a job whose only
// provider is in the other instance's partitions routes it there (it does
// not offer it, nor claim it again), and the holder offers it.
func TestRoutedToPartitionHolder(t *testing.T) {
	e := matchertest.New(t)
	p := e.Online(matchertest.ProvOpts{Price: 1000}).Addr
	spec := e.UploadSpec(matchertest.SpecBody("llama-3-8b", 4000))
	e.AddJob(1, spec, "ipfs://x", "1000000", nil)
	if err := e.Queue.Sync(e.Ctx, matchertest.Chain, time.Time{}, e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	names := []string{"a", "b"}
	holder, other := names[service.PartitionOf(p)%2], names[1-service.PartitionOf(p)%2]
	svcs := map[string]*service.Service{}
	for _, name := range names {
		svcs[name] = e.NewService(name, nil)
	}
	for range 2 {
		for _, name := range names {
			if err := svcs[name].Rebalance(e.Ctx); err != nil {
				t.Fatal(err)
			}
		}
	}
	steps := []struct {
		who                    string
		claimed, offer, routed int
	}{
		{other, 1, 0, 1},  // claims, finds no provider of its own, routes
		{other, 0, 0, 0},  // the routed job is not its to claim
		{holder, 1, 1, 0}, // the holder offers it
	}
	for i, st := range steps {
		got, err := svcs[st.who].Step(e.Ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got.Claimed != st.claimed || got.Offered != st.offer || got.Routed != st.routed {
			t.Errorf("step %d (%s): claimed %d offered %d routed %d, want %d %d %d", i, st.who, got.Claimed, got.Offered, got.Routed, st.claimed, st.offer, st.routed)
		}
		if i == 0 {
			if got := e.Count(`SELECT count(*) FROM matcher_jobs WHERE route_partition = $1 AND reason LIKE 'routed to provider partition%'`, service.PartitionOf(p)); got != 1 {
				t.Errorf("jobs routed to partition %d = %d, want 1", service.PartitionOf(p), got)
			}
		}
	}
	if got := e.Count(`SELECT count(*) FROM assignments WHERE instance = $1 AND provider = $2 AND state = 'offered'`, holder, p[:]); got != 1 {
		t.Errorf("offers by the holder = %d, want 1", got)
	}
	if got := e.Count(`SELECT count(*) FROM matcher_jobs WHERE route_partition IS NOT NULL`); got != 0 {
		t.Errorf("jobs still routed after the offer = %d, want 0", got)
	}
}
