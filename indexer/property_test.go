package indexer_test

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/internal/eth/market"
	"github.com/gpumarket/gpumarket/internal/eth/node"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/indexer"
	"github.com/gpumarket/gpumarket/internal/anvil"
	"github.com/gpumarket/gpumarket/internal/eth/ethtest"
	"github.com/gpumarket/gpumarket/internal/pgtest"
	"github.com/gpumarket/gpumarket/internal/postgres"
)

var propertySteps = flag.Int("gpumarket.steps", 300, "steps of the randomized indexer property test (CI runs 300; a soak: -args -gpumarket.steps=2000)")

// Dev accounts in the property test (matcher 9, arbiter 8, treasury 7 are
// DeploySystem's defaults).
var (
	propClients   = []int{1, 2}
	propOperators = []int{3, 5} // provider operator addresses
	propSigners   = []int{4, 6} // their hot keys, same order
)

// world drives random marketplace traffic and random reorgs against a real
// anvil, indexes it, and checks the database against the contracts.
type world struct {
	t       *testing.T
	ctx     context.Context
	rng     *rand.Rand
	s       *ethtest.System
	m       *market.Market
	ix      *indexer.Indexer
	chain   *postgres.ChainState
	actions map[string]int
}

func TestPropertyRandomTrafficAndReorgs(t *testing.T) {
	t.Parallel()
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d, %d steps", seed, *propertySteps)
	const slots = 4 // finalized = head - 8: reorgs of depth 1..7 stay above finality
	s := ethtest.DeploySystem(t, ethtest.SystemConfig{Anvil: anvil.Config{SlotsInEpoch: slots}})
	ctx := context.Background()
	m, err := market.NewMarket(s.ChainID, gpumarket.Address(s.Market), gpumarket.Address(s.Registry), s.Client)
	if err != nil {
		t.Fatal(err)
	}
	marketAddr, registry := gpumarket.Address(s.Market), gpumarket.Address(s.Registry)
	src, err := node.Dial(ctx, s.URL, []gpumarket.Address{marketAddr, registry}, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	db := pgtest.New(t)
	w := &world{t: t, ctx: ctx, rng: rand.New(rand.NewPCG(seed, 2)), s: s, m: m, chain: postgres.NewChainState(db, anvil.ChainID), actions: map[string]int{}}
	w.ix = indexer.New(indexer.Config{ChainID: anvil.ChainID, StartBlock: s.DeployBlock, Owner: "property"}, src, postgres.NewIndexerStore(db),
		market.NewDecoder(marketAddr, registry), slog.New(slog.NewTextHandler(io.Discard, nil)), nil)

	// Setup is final before traffic starts: providers registered and staked, clients approved.
	for i, op := range propOperators {
		stake := new(big.Int).Mul(big.NewInt(1000), big.NewInt(1e18))
		w.send("approve stake", op)(m.Approve(gpumarket.Address(s.StakingToken), registry, stake))
		w.send("register", op)(m.Register(w.addr(propSigners[i]), gpumarket.Hash(crypto.Keccak256Hash([]byte{byte(i)})), w.now()+1_000_000, fmt.Sprintf("ipfs://provider-%d", i)))
		w.send("stake", op)(m.Stake(stake))
	}
	for _, c := range propClients {
		w.send("approve market", c)(m.Approve(gpumarket.Address(s.Stablecoin), marketAddr, new(big.Int).Lsh(big.NewInt(1), 200)))
	}
	if err := s.Mine(ctx, 2*slots+1); err != nil {
		t.Fatal(err)
	}

	for step := 0; step < *propertySteps; step++ {
		if w.rng.IntN(8) == 0 {
			depth := uint64(1 + w.rng.IntN(2*slots-1))
			head, _ := s.Client.BlockNumber(ctx)
			if head-depth > s.DeployBlock+uint64(len(propOperators)*3+len(propClients)) {
				if err := s.Reorg(ctx, depth); err != nil {
					t.Fatal(err)
				}
				w.actions[fmt.Sprintf("reorg depth %d", depth)]++
			}
		} else {
			w.act()
		}
		catchUp(t, w.ix)
		w.check(step)
	}
	t.Logf("actions: %v; indexer reorgs handled: %d", w.actions, w.ix.Status().Reorgs)
	if w.ix.Status().Reorgs == 0 {
		t.Fatal("no reorg happened: the property test did not exercise reorgs")
	}
}

func (w *world) addr(i int) gpumarket.Address { return gpumarket.Address(w.s.Addrs[i]) }

func (w *world) now() uint64 {
	h, err := w.s.Client.HeaderByNumber(w.ctx, nil)
	if err != nil {
		w.t.Fatal(err)
	}
	return h.Time
}

// send returns a function sending a built call as dev account from, so a
// Call builder's two results pass straight in: w.send("cancel", 1)(m.CancelJob(j)).
func (w *world) send(what string, from int) func(market.Call, error) {
	return func(c market.Call, err error) { w.sendCall(what, from, c, err) }
}

func (w *world) sendCall(what string, from int, c market.Call, err error) {
	w.t.Helper()
	if err != nil {
		w.t.Fatalf("%s: build: %v", what, err)
	}
	if _, err := w.m.Transact(w.ctx, w.s.Opts(w.t, from), c); err != nil {
		w.t.Fatalf("%s from dev %d: %v", what, from, err)
	}
	w.actions[what]++
}

// jobsIn returns the indexed jobs in state.
func (w *world) jobsIn(state gpumarket.JobState) []*gpumarket.JobRecord {
	all, err := w.chain.Jobs(w.ctx)
	if err != nil {
		w.t.Fatal(err)
	}
	var out []*gpumarket.JobRecord
	for _, j := range all {
		if j.State == state {
			out = append(out, j)
		}
	}
	return out
}

func (w *world) pick(state gpumarket.JobState) *gpumarket.JobRecord {
	jobs := w.jobsIn(state)
	if len(jobs) == 0 {
		return nil
	}
	return jobs[w.rng.IntN(len(jobs))]
}

func clientIndex(w *world, a gpumarket.Address) int {
	for _, c := range propClients {
		if w.addr(c) == a {
			return c
		}
	}
	w.t.Fatalf("job client %s is not a test client", a)
	return 0
}

func signerOf(w *world, operator gpumarket.Address) int {
	for i, op := range propOperators {
		if w.addr(op) == operator {
			return propSigners[i]
		}
	}
	w.t.Fatalf("provider %s is not a test provider", operator)
	return 0
}

// act performs one random valid action, chosen from what the indexed state
// allows (so a wrong mirror shows up as a reverted call).
func (w *world) act() {
	m, now := w.m, w.now()
	switch w.rng.IntN(10) {
	case 0, 1, 2: // create
		c := propClients[w.rng.IntN(len(propClients))]
		p := &eip712.JobParams{Kind: gpumarket.JobKind(w.rng.IntN(4)), Token: gpumarket.Address(w.s.Stablecoin),
			MaxPayment: big.NewInt(int64(1_000 + w.rng.IntN(1_000_000))), Deadline: now + 1800,
			SpecHash: gpumarket.Hash(crypto.Keccak256Hash([]byte(fmt.Sprint(w.rng.Uint64())))), SpecURI: "ipfs://spec"}
		if w.rng.IntN(4) == 0 {
			p.PreferredProvider = w.addr(propOperators[w.rng.IntN(len(propOperators))])
		}
		if w.rng.IntN(3) == 0 {
			p.Creator, p.CreatorShareBps = w.addr(propClients[0]), uint16(w.rng.IntN(2001))
		}
		w.send("create", c)(m.CreateJob(p))
	case 3: // accept
		j := w.pick(gpumarket.JobStateOpen)
		if j == nil || j.Deadline <= now+60 {
			return
		}
		if !j.PreferredProvider.IsZero() {
			w.send("accept preferred", signerOf(w, j.PreferredProvider))(m.AcceptPreferredJob(&j.Job))
			return
		}
		i := w.rng.IntN(len(propOperators))
		jh, err := market.JobHashAtCreation(&j.Job)
		if err != nil {
			w.t.Fatal(err)
		}
		a := &gpumarket.Assignment{JobID: j.ID, JobHash: jh, Provider: w.addr(propOperators[i]), Price: new(big.Int).Sub(j.MaxPayment, big.NewInt(int64(w.rng.IntN(500)))), Expiry: int64(now + 600)}
		sig, err := eip712.SignAssignment(w.s.Key(w.s.Matcher), m.Domain(), a)
		if err != nil {
			w.t.Fatal(err)
		}
		c, err := m.AcceptJob(&j.Job, a, sig)
		w.sendCall("accept", propSigners[i], c, err)
	case 4: // submit
		j := w.pick(gpumarket.JobStateAssigned)
		if j == nil || j.Deadline <= now+5 {
			return
		}
		due := new(big.Int).Sub(j.Price, big.NewInt(int64(w.rng.IntN(100))))
		w.send("submit", signerOf(w, j.Provider))(m.SubmitResult(&j.Job, gpumarket.Hash{byte(w.rng.IntN(256)), 1}, "https://relayer/r",
			gpumarket.Usage{Units1: uint64(w.rng.IntN(1e6)), Units2: uint64(w.rng.IntN(1e6))}, due))
	case 5: // client accepts the result early
		if j := w.pick(gpumarket.JobStateSubmitted); j != nil {
			w.send("settle", clientIndex(w, j.Client))(m.Settle(&j.Job))
		}
	case 6: // dispute, then sometimes resolve
		if j := w.pick(gpumarket.JobStateSubmitted); j != nil && j.ChallengeEnd > now+2 {
			w.send("dispute", clientIndex(w, j.Client))(m.Dispute(&j.Job, gpumarket.Hash{0xd1}))
		} else if j := w.pick(gpumarket.JobStateDisputed); j != nil {
			paid := new(big.Int).Div(j.AmountDue, big.NewInt(int64(1+w.rng.IntN(3))))
			bondShare := new(big.Int).Mul(j.DisputeBond, big.NewInt(int64(w.rng.IntN(3)))) // none, half or all of the bond
			bondShare.Quo(bondShare, big.NewInt(2))
			w.send("resolve", w.s.Arbiter)(m.ResolveDispute(&j.Job, paid, big.NewInt(int64(w.rng.IntN(1000))), bondShare))
		}
	case 7: // cancel
		if j := w.pick(gpumarket.JobStateOpen); j != nil {
			w.send("cancel", clientIndex(w, j.Client))(m.CancelJob(&j.Job))
		}
	case 8: // withdraw whatever is owed
		accounts := append(append([]int{}, propClients...), propOperators...)
		a := accounts[w.rng.IntN(len(accounts))]
		owed, err := m.BalanceOf(w.ctx, gpumarket.Address(w.s.Stablecoin), w.addr(a))
		if err != nil {
			w.t.Fatal(err)
		}
		if owed.Sign() > 0 {
			w.send("withdraw", a)(m.Withdraw(gpumarket.Address(w.s.Stablecoin)))
		}
	case 9: // time passes: deadlines expire, then refunds
		if w.rng.IntN(3) != 0 {
			if err := w.s.Mine(w.ctx, 1+w.rng.IntN(3)); err != nil {
				w.t.Fatal(err)
			}
			w.actions["mine"]++
			return
		}
		if err := w.s.IncreaseTime(w.ctx, 1900); err != nil {
			w.t.Fatal(err)
		}
		if err := w.s.Mine(w.ctx, 1); err != nil {
			w.t.Fatal(err)
		}
		now = w.now()
		for _, st := range []gpumarket.JobState{gpumarket.JobStateOpen, gpumarket.JobStateAssigned} {
			for _, j := range w.jobsIn(st) {
				if j.Deadline < now {
					w.send("refund", 0)(m.Refund(&j.Job))
				}
			}
		}
	}
}

// check compares the mirror with the contracts: every job's struct hashes to
// the contract's jobHash, no job exists in one and not the other, every
// provider equals the registry's getter, and the pull balances owed equal
// the contract's.
func (w *world) check(step int) {
	w.t.Helper()
	next, err := w.m.NextJobID(w.ctx)
	if err != nil {
		w.t.Fatal(err)
	}
	jobs, err := w.chain.Jobs(w.ctx)
	if err != nil {
		w.t.Fatal(err)
	}
	byID := map[gpumarket.JobID]*gpumarket.JobRecord{}
	for _, j := range jobs {
		if j.ID >= next {
			w.t.Fatalf("step %d: job %d indexed but the contract's next id is %d", step, j.ID, next)
		}
		byID[j.ID] = j
	}
	for id := gpumarket.JobID(0); id < next; id++ {
		onChain, err := w.m.JobHash(w.ctx, id)
		if err != nil {
			w.t.Fatal(err)
		}
		j, ok := byID[id]
		switch {
		case !ok && !onChain.IsZero():
			w.t.Fatalf("step %d: job %d exists on chain but not in the mirror", step, id)
		case ok:
			h, err := market.StoredJobHash(&j.Job)
			if err != nil {
				w.t.Fatal(err)
			}
			if h != onChain {
				w.t.Fatalf("step %d: job %d mirror %+v hashes to %s, contract jobHash %s", step, id, j.Job, h, onChain)
			}
		}
	}
	if n, err := w.chain.OrphanEvents(w.ctx); err != nil || n != 0 {
		w.t.Fatalf("step %d: %d decoded events without their raw log (%v)", step, n, err)
	}
	for _, op := range propOperators {
		want, err := w.m.Provider(w.ctx, w.addr(op))
		if err != nil {
			w.t.Fatal(err)
		}
		got, err := w.chain.Provider(w.ctx, w.addr(op))
		if err != nil {
			w.t.Fatalf("step %d: provider %s: %v", step, w.addr(op), err)
		}
		if got.Signer != want.Signer || got.AttestationHash != want.AttestationHash || got.AttestationExpiry != want.AttestationExpiry ||
			got.Active != want.Active || got.Registered != want.Registered || got.Stake.Cmp(want.Stake) != 0 ||
			got.Unbonding.Cmp(want.Unbonding) != 0 || got.UnbondingReadyAt != want.UnbondingReadyAt || got.MetadataURI != want.MetadataURI {
			w.t.Fatalf("step %d: provider %s mirror %+v, registry %+v", step, w.addr(op), got, want)
		}
	}
}
