package market_test

import (
	"context"
	"fmt"
	"math/big"
	"sort"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/internal/eth/ethtest"
	"github.com/gpumarket/gpumarket/internal/eth/market"
)

// Dev account roles in the market tests (matcher 9, arbiter 8, treasury 7
// are chaintest's defaults).
const (
	mkRelayer  = 1 // submits signed orders
	mkClient   = 2
	mkOperator = 3 // the provider (operator address: stake, payouts)
	mkSigner   = 4 // the provider's registered hot key
	mkAnyone   = 5 // an unrelated account: settles, refunds after timeouts
	mkCreator  = 6 // model creator
)

// mkHarness drives one deployed system: it sends each step, decodes the
// receipt's logs with market.Decoder, folds them into job and provider records,
// and after every step checks the folded state against the contracts.
type mkHarness struct {
	tb  testing.TB
	ctx context.Context
	s   *ethtest.System
	m   *market.Market
	dec *market.Decoder

	jobs      map[gpumarket.JobID]*gpumarket.JobRecord
	providers map[gpumarket.Address]*gpumarket.ProviderRecord
	other     []gpumarket.Event // Withdrawn, CompensationWithdrawn, MarketConfigEvent
	logs      []gpumarket.Log   // every log of the system's contracts
	gas       []mkGas
}

type mkGas struct {
	step string
	gas  uint64
}

func mkNew(tb testing.TB, cfg ethtest.SystemConfig) *mkHarness {
	tb.Helper()
	s := ethtest.DeploySystem(tb, cfg)
	m, err := market.NewMarket(s.ChainID, gpumarket.Address(s.Market), gpumarket.Address(s.Registry), s.Client)
	if err != nil {
		tb.Fatal(err)
	}
	return &mkHarness{
		tb: tb, ctx: context.Background(), s: s, m: m,
		dec:       market.NewDecoder(gpumarket.Address(s.Market), gpumarket.Address(s.Registry)),
		jobs:      map[gpumarket.JobID]*gpumarket.JobRecord{},
		providers: map[gpumarket.Address]*gpumarket.ProviderRecord{},
	}
}

func (h *mkHarness) addr(i int) gpumarket.Address { return gpumarket.Address(h.s.Addrs[i]) }
func (h *mkHarness) usdt() gpumarket.Address      { return gpumarket.Address(h.s.Stablecoin) }
func (h *mkHarness) gpus() gpumarket.Address      { return gpumarket.Address(h.s.StakingToken) }

// send sends c as dev account from, logs its gas, folds its events and
// checks every job and provider against the chain. It returns the receipt
// and the decoded events.
//
// It is curried so that a Call method's two results can be passed straight
// in: h.send("settle", mkClient)(h.m.Settle(job)).
func (h *mkHarness) send(step string, from int) func(market.Call, error) (*market.Receipt, []gpumarket.Event) {
	return func(c market.Call, err error) (*market.Receipt, []gpumarket.Event) {
		h.tb.Helper()
		return h.sendCall(step, from, c, err)
	}
}

func (h *mkHarness) sendCall(step string, from int, c market.Call, err error) (*market.Receipt, []gpumarket.Event) {
	h.tb.Helper()
	if err != nil {
		h.tb.Fatalf("%s: build call: %v", step, err)
	}
	r, err := h.m.Transact(h.ctx, h.s.Opts(h.tb, from), c)
	if err != nil {
		h.tb.Fatalf("%s: %v", step, err)
	}
	return r, h.fold(step, r)
}

// fold logs r's gas, decodes and folds its logs, and checks the chain.
func (h *mkHarness) fold(step string, r *market.Receipt) []gpumarket.Event {
	h.tb.Helper()
	hd, err := h.s.Client.HeaderByNumber(h.ctx, new(big.Int).SetUint64(r.BlockNumber))
	if err != nil {
		h.tb.Fatal(err)
	}
	if hd.Time != r.BlockTime || r.GasUsed == 0 {
		h.tb.Fatalf("%s: receipt block time %d gas %d, block %d has time %d", step, r.BlockTime, r.GasUsed, r.BlockNumber, hd.Time)
	}
	h.gas = append(h.gas, mkGas{step, r.GasUsed})
	h.tb.Logf("gas %-34s %7d", step, r.GasUsed)
	var evs []gpumarket.Event
	for _, l := range r.Logs {
		ev, err := h.dec.Decode(l)
		if err != nil {
			h.tb.Fatalf("%s: decode log %d: %v", step, l.Index, err)
		}
		ours := l.Address == h.m.Address() || l.Address == h.m.RegistryAddress()
		if ours != (ev != nil) {
			h.tb.Fatalf("%s: log %d from %s decoded to %v (ours: %v)", step, l.Index, l.Address, ev, ours)
		}
		if ev == nil {
			continue
		}
		h.logs = append(h.logs, l)
		evs = append(evs, ev)
		switch e := ev.(type) {
		case gpumarket.JobEvent:
			rec := h.jobs[e.JobID()]
			if rec == nil {
				rec = &gpumarket.JobRecord{}
				h.jobs[e.JobID()] = rec
			}
			if err := rec.Apply(e, l.BlockNumber, l.BlockTime); err != nil {
				h.tb.Fatalf("%s: fold %s: %v", step, ev.EventName(), err)
			}
		case gpumarket.ProviderEvent:
			rec := h.providers[e.ProviderAddress()]
			if rec == nil {
				rec = &gpumarket.ProviderRecord{Provider: e.ProviderAddress()}
				h.providers[e.ProviderAddress()] = rec
			}
			if err := rec.Apply(e, l.BlockNumber, l.BlockTime); err != nil {
				h.tb.Fatalf("%s: fold %s: %v", step, ev.EventName(), err)
			}
		default:
			h.other = append(h.other, ev)
		}
	}
	h.check(step)
	return evs
}

// check asserts, for every job seen, HashJob(folded job) == jobHash(id) ==
// the contract's hashJob(folded job), and, for every provider seen, that the
// folded record equals the registry's getter.
func (h *mkHarness) check(step string) {
	h.tb.Helper()
	for id, rec := range h.jobs {
		local, err := market.HashJob(&rec.Job)
		if err != nil {
			h.tb.Fatalf("%s: HashJob(job %d): %v", step, id, err)
		}
		stored, err := h.m.JobHash(h.ctx, id)
		if err != nil {
			h.tb.Fatal(err)
		}
		if local != stored {
			h.tb.Fatalf("%s: job %d: HashJob(folded %+v) = %s, contract jobHash = %s", step, id, rec.Job, local, stored)
		}
		pure, err := h.m.ContractHashJob(h.ctx, &rec.Job)
		if err != nil {
			h.tb.Fatal(err)
		}
		if pure != local {
			h.tb.Fatalf("%s: job %d: contract hashJob = %s, HashJob = %s", step, id, pure, local)
		}
	}
	for p, rec := range h.providers {
		got, err := h.m.Provider(h.ctx, p)
		if err != nil {
			h.tb.Fatal(err)
		}
		if diff := mkProviderDiff(rec, &got); diff != "" {
			h.tb.Fatalf("%s: provider %s: folded events != registry getter: %s", step, p, diff)
		}
	}
}

func mkProviderDiff(folded, chain *gpumarket.ProviderRecord) string {
	var d []string
	cmp := func(name string, a, b any) {
		if fmt.Sprint(a) != fmt.Sprint(b) {
			d = append(d, fmt.Sprintf("%s: folded %v, chain %v", name, a, b))
		}
	}
	cmp("signer", folded.Signer, chain.Signer)
	cmp("attestationHash", folded.AttestationHash, chain.AttestationHash)
	cmp("attestationExpiry", folded.AttestationExpiry, chain.AttestationExpiry)
	cmp("metadataURI", folded.MetadataURI, chain.MetadataURI)
	cmp("registered", folded.Registered, chain.Registered)
	cmp("active", folded.Active, chain.Active)
	cmp("stake", folded.Stake, chain.Stake)
	cmp("unbonding", folded.Unbonding, chain.Unbonding)
	cmp("unbondingReadyAt", folded.UnbondingReadyAt, chain.UnbondingReadyAt)
	return strings.Join(d, "; ")
}

// job returns the folded job id (what the next call passes back).
func (h *mkHarness) job(id gpumarket.JobID) *gpumarket.Job {
	h.tb.Helper()
	rec := h.jobs[id]
	if rec == nil {
		h.tb.Fatalf("job %d was never folded", id)
	}
	j := rec.Job
	return &j
}

// now returns the latest block's timestamp.
func (h *mkHarness) now() uint64 {
	h.tb.Helper()
	hd, err := h.s.Client.HeaderByNumber(h.ctx, nil)
	if err != nil {
		h.tb.Fatal(err)
	}
	return hd.Time
}

// wait moves the chain's clock forward by seconds.
func (h *mkHarness) wait(seconds uint64) {
	h.tb.Helper()
	if err := h.s.IncreaseTime(h.ctx, seconds); err != nil {
		h.tb.Fatal(err)
	}
}

// registerProvider registers mkOperator with signer mkSigner and stakes
// stake (approving the registry first).
func (h *mkHarness) registerProvider(stake *big.Int) {
	h.tb.Helper()
	h.send("approve registry", mkOperator)(h.m.Approve(h.gpus(), h.m.RegistryAddress(), stake))
	att := gpumarket.Hash(crypto.Keccak256Hash([]byte("hardware report v1")))
	h.send("register", mkOperator)(h.m.Register(h.addr(mkSigner), att, h.now()+100_000, "ipfs://provider-meta-v1"))
	h.send("stake", mkOperator)(h.m.Stake(stake))
}

// createJob approves and creates a job from the client's wallet and returns
// its id. Every other job it creates goes through Market.ApproveAndCreateJob
// (its receipt is folded the same way).
func (h *mkHarness) createJob(p *eip712.JobParams) gpumarket.JobID {
	h.tb.Helper()
	if len(h.jobs)%2 == 1 {
		id, r, err := h.m.ApproveAndCreateJob(h.ctx, h.s.Opts(h.tb, mkClient), p)
		if err != nil {
			h.tb.Fatalf("ApproveAndCreateJob: %v", err)
		}
		h.fold("createJob (ApproveAndCreateJob)", r)
		if _, ok := h.jobs[id]; !ok {
			h.tb.Fatalf("ApproveAndCreateJob returned job %d, the receipt holds no JobCreated for it", id)
		}
		return id
	}
	h.send("approve market", mkClient)(h.m.Approve(p.Token, h.m.Address(), p.MaxPayment))
	_, evs := h.send("createJob", mkClient)(h.m.CreateJob(p))
	return mkCreated(h.tb, evs)
}

func mkCreated(tb testing.TB, evs []gpumarket.Event) gpumarket.JobID {
	tb.Helper()
	for _, ev := range evs {
		if c, ok := ev.(*gpumarket.JobCreated); ok {
			return c.Job.ID
		}
	}
	tb.Fatalf("no JobCreated among %v", evs)
	return 0
}

// assign has the matcher sign an assignment at price and the provider's
// signer accept it.
func (h *mkHarness) assign(id gpumarket.JobID, price *big.Int) {
	h.tb.Helper()
	a := &gpumarket.Assignment{JobID: id, Provider: h.addr(mkOperator), Price: price, Expiry: int64(h.now() + 600)}
	sig, err := eip712.SignAssignment(h.s.Key(h.s.Matcher), h.m.Domain(), a)
	if err != nil {
		h.tb.Fatal(err)
	}
	h.send("acceptJob", mkSigner)(h.m.AcceptJob(h.job(id), a, sig))
}

func (h *mkHarness) submit(id gpumarket.JobID, amountDue *big.Int) {
	h.tb.Helper()
	res := gpumarket.Hash(crypto.Keccak256Hash([]byte(fmt.Sprintf("result of job %d", id))))
	h.send("submitResult", mkSigner)(h.m.SubmitResult(h.job(id), res, "ipfs://result", gpumarket.Usage{Units1: 1200, Units2: 345}, amountDue))
}

// mustRevert asserts that sending c as from fails before it is mined (the
// contract rejects it) and that nothing changed.
func (h *mkHarness) mustRevert(step string, from int, want string) func(market.Call, error) {
	return func(c market.Call, err error) {
		h.tb.Helper()
		h.revertCall(step, from, c, err, want)
	}
}

func (h *mkHarness) revertCall(step string, from int, c market.Call, err error, want string) {
	h.tb.Helper()
	if err != nil {
		h.tb.Fatalf("%s: build call: %v", step, err)
	}
	_, err = h.m.Transact(h.ctx, h.s.Opts(h.tb, from), c)
	if err == nil || !strings.Contains(err.Error(), want) {
		h.tb.Fatalf("%s: err = %v, want a revert with %s", step, err, want)
	}
	h.check(step + " (reverted)")
}

func (h *mkHarness) tokenBalance(token, owner gpumarket.Address) *big.Int {
	h.tb.Helper()
	b, err := h.m.TokenBalance(h.ctx, token, owner)
	if err != nil {
		h.tb.Fatal(err)
	}
	return b
}

func (h *mkHarness) pull(token, owner gpumarket.Address) *big.Int {
	h.tb.Helper()
	b, err := h.m.BalanceOf(h.ctx, token, owner)
	if err != nil {
		h.tb.Fatal(err)
	}
	return b
}

// withdrawAll has each account withdraw its marketplace pull balance of
// token (and its registry compensation), checks each Withdrawn event and
// token balance delta against the pull balance, and returns what each
// account received.
func (h *mkHarness) withdrawAll(token gpumarket.Address, accounts ...int) (got map[int]*big.Int, comp map[int]*big.Int) {
	h.tb.Helper()
	got, comp = map[int]*big.Int{}, map[int]*big.Int{}
	for _, i := range accounts {
		a := h.addr(i)
		owed := h.pull(token, a)
		got[i] = owed
		if owed.Sign() > 0 {
			before := h.tokenBalance(token, a)
			_, evs := h.send(fmt.Sprintf("withdraw (dev %d)", i), i)(h.m.Withdraw(token))
			w, ok := mkOne[*gpumarket.Withdrawn](evs)
			if !ok || w.Account != a || w.Token != token || w.Amount.Cmp(owed) != 0 {
				h.tb.Fatalf("withdraw dev %d: events %v, want Withdrawn of %v", i, evs, owed)
			}
			if d := new(big.Int).Sub(h.tokenBalance(token, a), before); d.Cmp(owed) != 0 {
				h.tb.Fatalf("withdraw dev %d: token balance rose by %v, pull balance was %v", i, d, owed)
			}
			if left := h.pull(token, a); left.Sign() != 0 {
				h.tb.Fatalf("withdraw dev %d: %v left in the pull balance", i, left)
			}
		}
		c, err := h.m.CompensationOf(h.ctx, a)
		if err != nil {
			h.tb.Fatal(err)
		}
		comp[i] = c
		if c.Sign() > 0 {
			before := h.tokenBalance(h.gpus(), a)
			_, evs := h.send(fmt.Sprintf("withdrawCompensation (dev %d)", i), i)(h.m.WithdrawCompensation())
			w, ok := mkOne[*gpumarket.CompensationWithdrawn](evs)
			if !ok || w.Account != a || w.Amount.Cmp(c) != 0 {
				h.tb.Fatalf("withdrawCompensation dev %d: events %v, want CompensationWithdrawn of %v", i, evs, c)
			}
			if d := new(big.Int).Sub(h.tokenBalance(h.gpus(), a), before); d.Cmp(c) != 0 {
				h.tb.Fatalf("withdrawCompensation dev %d: staking token rose by %v, compensation was %v", i, d, c)
			}
		}
	}
	return got, comp
}

func mkOne[T gpumarket.Event](evs []gpumarket.Event) (T, bool) {
	for _, ev := range evs {
		if e, ok := ev.(T); ok {
			return e, true
		}
	}
	var zero T
	return zero, false
}

// gasTable returns the logged gas per step, in order, for the closing log.
func (h *mkHarness) gasTable() string {
	var b strings.Builder
	for _, g := range h.gas {
		fmt.Fprintf(&b, "%s=%d ", g.step, g.gas)
	}
	return b.String()
}

// eventNames returns the sorted distinct names of the decoded events.
func (h *mkHarness) eventNames() []string {
	seen := map[string]bool{}
	for _, l := range h.logs {
		ev, _ := h.dec.Decode(l)
		seen[ev.EventName()] = true
	}
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
