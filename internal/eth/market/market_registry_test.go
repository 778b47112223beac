package market_test

import (
	"encoding/json"
	"math/big"
	"os"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/internal/eth/ethtest"
	"github.com/gpumarket/gpumarket/internal/eth/market"
	"github.com/gpumarket/gpumarket/internal/eth/node"
)

// TestProviderLifecycle walks a provider through every registry action:
// register, update, deactivate, activate, stake, requestUnstake (twice,
// restarting the clock), withdrawStake after the unbonding period. After
// each step the record folded from the decoded events must equal
// getProvider (the harness checks it), and the staking token must move by
// exactly the staked and withdrawn amounts.
func TestProviderLifecycle(t *testing.T) {
	h := mkNew(t, ethtest.SystemConfig{})
	op := h.addr(mkOperator)
	start := h.tokenBalance(h.gpus(), op)
	stake := new(big.Int).Mul(big.NewInt(150), mkE18)
	part := new(big.Int).Mul(big.NewInt(40), mkE18)

	h.send("approve registry", mkOperator)(h.m.Approve(h.gpus(), h.m.RegistryAddress(), stake))
	h.mustRevert("stake before registering", mkOperator, "NotRegistered")(h.m.Stake(stake))
	att := gpumarket.Hash(crypto.Keccak256Hash([]byte("report 1")))
	h.send("register", mkOperator)(h.m.Register(h.addr(mkSigner), att, h.now()+50_000, "ipfs://meta-1"))
	h.mustRevert("register twice", mkOperator, "AlreadyRegistered")(h.m.Register(h.addr(mkSigner), att, h.now()+50_000, "ipfs://meta-1"))
	att2 := gpumarket.Hash(crypto.Keccak256Hash([]byte("report 2")))
	h.send("update", mkOperator)(h.m.Update(h.addr(mkAnyone), att2, h.now()+90_000, "ipfs://meta-2"))
	h.send("deactivate", mkOperator)(h.m.SetActive(false))
	h.mustRevert("deactivate twice", mkOperator, "StatusUnchanged")(h.m.SetActive(false))
	h.send("activate", mkOperator)(h.m.SetActive(true))
	h.send("stake", mkOperator)(h.m.Stake(stake))
	h.send("requestUnstake", mkOperator)(h.m.RequestUnstake(part))
	h.wait(10)
	_, evs := h.send("requestUnstake (again)", mkOperator)(h.m.RequestUnstake(part))
	u, ok := mkOne[*gpumarket.StakeChanged](evs)
	if !ok || u.Name != "UnstakeRequested" || u.Unbonding.Cmp(new(big.Int).Add(part, part)) != 0 {
		t.Fatalf("UnstakeRequested = %+v, want unbonding 2 x %v", u, part)
	}
	h.mustRevert("withdrawStake too early", mkOperator, "UnbondingNotReady")(h.m.WithdrawStake())
	h.wait(h.s.Config.UnbondingPeriod)
	h.send("withdrawStake", mkOperator)(h.m.WithdrawStake())

	rec := h.providers[op]
	want := gpumarket.ProviderRecord{
		Signer: h.addr(mkAnyone), AttestationHash: att2, MetadataURI: "ipfs://meta-2", Registered: true, Active: true,
		Stake: new(big.Int).Sub(stake, new(big.Int).Add(part, part)), Unbonding: new(big.Int),
	}
	if rec.Signer != want.Signer || rec.AttestationHash != want.AttestationHash || rec.MetadataURI != want.MetadataURI ||
		!rec.Registered || !rec.Active || rec.Stake.Cmp(want.Stake) != 0 || rec.Unbonding.Sign() != 0 || rec.UnbondingReadyAt != 0 {
		t.Fatalf("folded provider = %+v, want %+v", rec, want)
	}
	if got := new(big.Int).Sub(start, h.tokenBalance(h.gpus(), op)); got.Cmp(want.Stake) != 0 {
		t.Fatalf("operator's GPUS fell by %v, want the remaining stake %v", got, want.Stake)
	}
	if got := h.tokenBalance(h.gpus(), h.m.RegistryAddress()); got.Cmp(want.Stake) != 0 {
		t.Fatalf("registry holds %v GPUS, want %v", got, want.Stake)
	}
	t.Logf("gas: %s", h.gasTable())
}

// TestMarketConfigEvents sends every privileged marketplace action and an
// order-nonce cancellation, and checks that each decodes into the expected
// MarketConfigEvent; it also decodes the deployment's own logs (RoleGranted,
// TokenAllowlistUpdated, RoleRevoked from the admin hand-over).
func TestMarketConfigEvents(t *testing.T) {
	h := mkNew(t, ethtest.SystemConfig{Admin: ethtest.Dev(0)})
	fm, pauser := h.s.FeeManager, h.s.Pauser
	tests := []struct {
		name   string
		from   int
		call   func() (market.Call, error)
		want   string
		fields map[string]string
	}{
		{"setProtocolFee", fm, func() (market.Call, error) { return h.m.SetProtocolFee(300) }, "ProtocolFeeUpdated",
			map[string]string{"previousBps": "250", "newBps": "300"}},
		{"setTreasury", fm, func() (market.Call, error) { return h.m.SetTreasury(h.addr(mkAnyone)) }, "TreasuryUpdated",
			map[string]string{"previousTreasury": h.addr(h.s.Treasury).String(), "newTreasury": h.addr(mkAnyone).String()}},
		{"setTokenAllowed", h.s.Admin, func() (market.Call, error) { return h.m.SetTokenAllowed(h.gpus(), true) }, "TokenAllowlistUpdated",
			map[string]string{"token": h.gpus().String(), "allowed": "true"}},
		{"pause", pauser, h.m.Pause, "MarketPaused", map[string]string{"account": h.addr(pauser).String()}},
		{"unpause", pauser, h.m.Unpause, "MarketUnpaused", map[string]string{"account": h.addr(pauser).String()}},
		{"cancelOrderNonce", mkClient, func() (market.Call, error) { return h.m.CancelOrderNonce(big.NewInt(42)) }, "OrderNonceCancelled",
			map[string]string{"client": h.addr(mkClient).String(), "nonce": "42"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, evs := h.send(tt.name, tt.from)(tt.call())
			if len(evs) != 1 {
				t.Fatalf("%d events, want 1: %v", len(evs), evs)
			}
			ev, ok := evs[0].(*gpumarket.MarketConfigEvent)
			if !ok || ev.Name != tt.want || !reflect.DeepEqual(ev.Fields, tt.fields) {
				t.Fatalf("event = %#v, want %s %v", evs[0], tt.want, tt.fields)
			}
		})
	}
	if used, err := h.m.IsNonceUsed(h.ctx, h.addr(mkClient), big.NewInt(42)); err != nil || !used {
		t.Fatalf("isNonceUsed(42) after cancelOrderNonce = %v, %v", used, err)
	}
	h.mustRevert("pause (not the pauser)", mkAnyone, "AccessControlUnauthorizedAccount")(h.m.Pause())

	// The deployment's own logs, including the admin hand-over of a second system.
	h2 := mkNew(t, ethtest.SystemConfig{Admin: ethtest.Dev(5)})
	logs := mkSystemLogs(t, h2)
	names := map[string]int{}
	for _, l := range logs {
		ev, err := h2.dec.Decode(l)
		if err != nil {
			t.Fatalf("decode deployment log: %v", err)
		}
		if ev != nil {
			names[ev.EventName()]++
		}
	}
	want := map[string]int{"RoleGranted": 6, "RoleRevoked": 1, "TokenAllowlistUpdated": 1}
	if !reflect.DeepEqual(names, want) {
		t.Fatalf("deployment events = %v, want %v (admin at construction, 4 roles, admin hand-over; the renounce)", names, want)
	}
}

// TestJobOrderMatchesContract pins JobOrderType to the type string the
// contract exports, and checks on anvil that JobOrderDigest equals the
// contract's hashOrder for orders with every field set.
func TestJobOrderMatchesContract(t *testing.T) {
	raw, err := os.ReadFile("../../../contracts/abi/typed-data/JobOrder.type.txt")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(raw)); got != eip712.JobOrderType {
		t.Fatalf("contract JobOrder type = %q, Go JobOrderType = %q", got, eip712.JobOrderType)
	}
	raw, err = os.ReadFile("../../../contracts/abi/typed-data/JobOrder.json")
	if err != nil {
		t.Fatal(err)
	}
	var exported struct {
		Types       map[string][]map[string]string `json:"types"`
		PrimaryType string                         `json:"primaryType"`
		Domain      struct{ Name, Version string } `json:"domain"`
	}
	if err := json.Unmarshal(raw, &exported); err != nil {
		t.Fatal(err)
	}
	td, err := eip712.JobOrderTypedData(eip712.MarketDomain(big.NewInt(31337), gpumarket.Address{1}),
		&eip712.JobOrder{Params: eip712.JobParams{MaxPayment: big.NewInt(1)}, Auth: eip712.OrderAuth{Nonce: big.NewInt(1)}})
	if err != nil {
		t.Fatal(err)
	}
	v4, err := eip712.EncodeTypedDataV4(td)
	if err != nil {
		t.Fatal(err)
	}
	var ours struct {
		Types       map[string][]map[string]string `json:"types"`
		PrimaryType string                         `json:"primaryType"`
		Domain      struct{ Name, Version string } `json:"domain"`
	}
	if err := json.Unmarshal(v4, &ours); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(ours, exported) {
		t.Fatalf("JobOrderTypedData types/primaryType/domain = %+v, contract export %+v", ours, exported)
	}

	h := mkNew(t, ethtest.SystemConfig{})
	maxU256 := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(2))
	orders := []eip712.JobOrder{
		{Params: eip712.JobParams{Kind: gpumarket.JobKindRender, Token: h.usdt(), MaxPayment: big.NewInt(1), Deadline: 1}, Auth: eip712.OrderAuth{Nonce: new(big.Int)}},
		{
			Params: eip712.JobParams{Kind: gpumarket.JobKindLLM, Token: h.usdt(), MaxPayment: new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 128), big.NewInt(1)),
				Deadline: 1<<40 - 1, PreferredProvider: h.addr(3), Creator: h.addr(6), CreatorShareBps: 2000,
				SpecHash: gpumarket.Hash{0xff, 1}, SpecURI: "ipfs://bafy…ünïcode"},
			Auth: eip712.OrderAuth{Client: h.addr(2), Nonce: maxU256, Expiry: 1<<64 - 1},
		},
	}
	for i, o := range orders {
		local, err := eip712.JobOrderDigest(h.m.Domain(), &o)
		if err != nil {
			t.Fatal(err)
		}
		chain, err := h.m.OrderDigest(h.ctx, &o)
		if err != nil {
			t.Fatal(err)
		}
		if local != chain {
			t.Errorf("order %d: JobOrderDigest = %s, contract hashOrder = %s", i, local, chain)
		}
	}
	bad := orders[0]
	bad.Params.MaxPayment = new(big.Int).Lsh(big.NewInt(1), 128)
	if _, err := eip712.JobOrderDigest(h.m.Domain(), &bad); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Fatalf("JobOrderDigest with maxPayment 2^128: err = %v, want EINVALID", err)
	}
}

// TestCallTargets checks that every Call method addresses the right contract
// with the right selector, so a relayer's TxManager.Submit(ctx, key, c.To,
// c.Data, nil) sends what the contract expects, and that values outside
// their Solidity type are EINVALID before anything is sent.
func TestCallTargets(t *testing.T) {
	marketAddr, registry, token := gpumarket.Address{1}, gpumarket.Address{2}, gpumarket.Address{3}
	m, err := market.NewMarket(big.NewInt(31337), marketAddr, registry, mkNoBackend{})
	if err != nil {
		t.Fatal(err)
	}
	job := &gpumarket.Job{ID: 9, MaxPayment: big.NewInt(1), Price: new(big.Int), AmountDue: new(big.Int)}
	p := &eip712.JobParams{Token: token, MaxPayment: big.NewInt(5), Deadline: 100}
	o := &eip712.JobOrder{Params: *p, Auth: eip712.OrderAuth{Nonce: big.NewInt(1)}}
	a := &gpumarket.Assignment{JobID: 9, Provider: gpumarket.Address{4}, Price: big.NewInt(1), Expiry: 10}
	permit := &eip712.PermitSignature{Value: big.NewInt(1), Deadline: big.NewInt(1)}
	one := big.NewInt(1)
	type build func() (market.Call, error)
	tests := []struct {
		sig string
		to  gpumarket.Address
		b   build
	}{
		{"createJob((uint8,address,uint128,uint40,address,address,uint16,bytes32,string))", marketAddr, func() (market.Call, error) { return m.CreateJob(p) }},
		{"createJobWithPermit((uint8,address,uint128,uint40,address,address,uint16,bytes32,string),(uint256,uint256,uint8,bytes32,bytes32))", marketAddr, func() (market.Call, error) { return m.CreateJobWithPermit(p, permit) }},
		{"createJobFromOrder((uint8,address,uint128,uint40,address,address,uint16,bytes32,string),(address,uint256,uint64),bytes)", marketAddr, func() (market.Call, error) { return m.CreateJobFromOrder(o, []byte{1}) }},
		{"createJobFromOrderWithPermit((uint8,address,uint128,uint40,address,address,uint16,bytes32,string),(address,uint256,uint64),bytes,(uint256,uint256,uint8,bytes32,bytes32))", marketAddr, func() (market.Call, error) { return m.CreateJobFromOrderWithPermit(o, nil, permit) }},
		{"cancelOrderNonce(uint256)", marketAddr, func() (market.Call, error) { return m.CancelOrderNonce(one) }},
		{"acceptJob(uint256," + jobTuple + ",(uint256,address,uint128,uint64),bytes)", marketAddr, func() (market.Call, error) { return m.AcceptJob(job, a, nil) }},
		{"acceptPreferredJob(uint256," + jobTuple + ")", marketAddr, func() (market.Call, error) { return m.AcceptPreferredJob(job) }},
		{"cancelJob(uint256," + jobTuple + ")", marketAddr, func() (market.Call, error) { return m.CancelJob(job) }},
		{"submitResult(uint256," + jobTuple + ",bytes32,string,(uint64,uint64),uint128)", marketAddr, func() (market.Call, error) {
			return m.SubmitResult(job, gpumarket.Hash{}, "", gpumarket.Usage{}, one)
		}},
		{"settle(uint256," + jobTuple + ")", marketAddr, func() (market.Call, error) { return m.Settle(job) }},
		{"dispute(uint256," + jobTuple + ",bytes32)", marketAddr, func() (market.Call, error) { return m.Dispute(job, gpumarket.Hash{}) }},
		{"resolveDispute(uint256," + jobTuple + ",uint128,uint256)", marketAddr, func() (market.Call, error) { return m.ResolveDispute(job, one, one) }},
		{"resolveDisputeAfterTimeout(uint256," + jobTuple + ")", marketAddr, func() (market.Call, error) { return m.ResolveDisputeAfterTimeout(job) }},
		{"refund(uint256," + jobTuple + ")", marketAddr, func() (market.Call, error) { return m.Refund(job) }},
		{"withdraw(address)", marketAddr, func() (market.Call, error) { return m.Withdraw(token) }},
		{"setTokenAllowed(address,bool)", marketAddr, func() (market.Call, error) { return m.SetTokenAllowed(token, true) }},
		{"setProtocolFee(uint16)", marketAddr, func() (market.Call, error) { return m.SetProtocolFee(1) }},
		{"setTreasury(address)", marketAddr, func() (market.Call, error) { return m.SetTreasury(token) }},
		{"pause()", marketAddr, m.Pause},
		{"unpause()", marketAddr, m.Unpause},
		{"register(address,bytes32,uint40,string)", registry, func() (market.Call, error) { return m.Register(token, gpumarket.Hash{}, 1, "") }},
		{"update(address,bytes32,uint40,string)", registry, func() (market.Call, error) { return m.Update(token, gpumarket.Hash{}, 1, "") }},
		{"setActive(bool)", registry, func() (market.Call, error) { return m.SetActive(true) }},
		{"stake(uint256)", registry, func() (market.Call, error) { return m.Stake(one) }},
		{"requestUnstake(uint256)", registry, func() (market.Call, error) { return m.RequestUnstake(one) }},
		{"withdrawStake()", registry, m.WithdrawStake},
		{"withdrawCompensation()", registry, m.WithdrawCompensation},
		{"approve(address,uint256)", token, func() (market.Call, error) { return m.Approve(token, marketAddr, one) }},
	}
	for _, tt := range tests {
		name, _, _ := strings.Cut(tt.sig, "(")
		t.Run(name, func(t *testing.T) {
			c, err := tt.b()
			if err != nil {
				t.Fatal(err)
			}
			sel := crypto.Keccak256([]byte(tt.sig))[:4]
			if c.To != tt.to || len(c.Data) < 4 || string(c.Data[:4]) != string(sel) {
				t.Fatalf("%s: to %s selector %x, want to %s selector %x", name, c.To, c.Data[:4], tt.to, sel)
			}
		})
	}

	tooBig := new(big.Int).Lsh(big.NewInt(1), 128)
	invalid := []struct {
		name string
		b    build
	}{
		{"maxPayment 2^128", func() (market.Call, error) {
			q := *p
			q.MaxPayment = tooBig
			return m.CreateJob(&q)
		}},
		{"deadline 2^40", func() (market.Call, error) {
			q := *p
			q.Deadline = 1 << 40
			return m.CreateJob(&q)
		}},
		{"amountDue 2^128", func() (market.Call, error) {
			return m.SubmitResult(job, gpumarket.Hash{}, "", gpumarket.Usage{}, tooBig)
		}},
		{"provider amount 2^128", func() (market.Call, error) { return m.ResolveDispute(job, tooBig, one) }},
		{"negative stake", func() (market.Call, error) { return m.Stake(big.NewInt(-1)) }},
		{"attestation expiry 2^40", func() (market.Call, error) { return m.Register(token, gpumarket.Hash{}, 1<<40, "") }},
		{"job id 0", func() (market.Call, error) { return m.Settle(&gpumarket.Job{}) }},
		{"assignment without provider", func() (market.Call, error) {
			return m.AcceptJob(job, &gpumarket.Assignment{JobID: 9, Price: one, Expiry: 1}, nil)
		}},
	}
	for _, tt := range invalid {
		t.Run("invalid/"+tt.name, func(t *testing.T) {
			if _, err := tt.b(); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
				t.Fatalf("err = %v, want EINVALID", err)
			}
		})
	}
}

const jobTuple = "(address,address,uint128,uint8,uint8,uint40,uint16,uint16,address,address,bytes32,address,uint128,uint128,uint40,uint40)"

// mkSystemLogs returns every log of the system's two contracts from the
// deploy block to the head.
func mkSystemLogs(tb testing.TB, h *mkHarness) []gpumarket.Log {
	tb.Helper()
	src, err := node.Dial(h.ctx, h.s.URL, []gpumarket.Address{h.m.Address(), h.m.RegistryAddress()}, 0)
	if err != nil {
		tb.Fatal(err)
	}
	defer src.Close()
	head, err := src.Head(h.ctx)
	if err != nil {
		tb.Fatal(err)
	}
	logs, err := src.RangeLogs(h.ctx, h.s.DeployBlock, head.Number)
	if err != nil {
		tb.Fatal(err)
	}
	sort.SliceStable(logs, func(i, j int) bool { return logs[i].BlockNumber < logs[j].BlockNumber })
	return logs
}

// mkNoBackend is a backend that must never be called: building calldata
// needs no node.
type mkNoBackend struct{ bind.ContractBackend }

// TestTransactErrors checks how Transact reports a call the contract
// rejects: at estimation (EINVALID naming the custom error, nothing mined)
// and, with a fixed gas limit that skips estimation, when mined (EINVALID,
// with the receipt of the reverted transaction).
func TestTransactErrors(t *testing.T) {
	h := mkNew(t, ethtest.SystemConfig{})
	c, err := h.m.Pause()
	if err != nil {
		t.Fatal(err)
	}
	_, err = h.m.Transact(h.ctx, h.s.Opts(t, mkAnyone), c)
	if gpumarket.ErrorCode(err) != gpumarket.EINVALID || !strings.Contains(err.Error(), "AccessControlUnauthorizedAccount") {
		t.Fatalf("estimation revert: err = %v, want EINVALID naming AccessControlUnauthorizedAccount", err)
	}
	opts := h.s.Opts(t, mkAnyone)
	opts.GasLimit = 100_000
	r, err := h.m.Transact(h.ctx, opts, c)
	if gpumarket.ErrorCode(err) != gpumarket.EINVALID || r == nil || r.GasUsed == 0 || !strings.Contains(err.Error(), "reverted") {
		t.Fatalf("mined revert: receipt %+v, err = %v, want EINVALID with the receipt", r, err)
	}
}
