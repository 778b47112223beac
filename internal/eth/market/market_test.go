package market_test

import (
	"fmt"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/internal/eth/ethtest"
)

// Amounts of the lifecycle tests, odd so that every floor in the fee split
// leaves dust (which must go to the provider).
var (
	mkMaxPayment = big.NewInt(100_000_001)
	mkPrice      = big.NewInt(80_000_002)
	mkAmountDue  = big.NewInt(75_000_003)
	mkE18        = new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)
	mkStake      = new(big.Int).Mul(big.NewInt(200), mkE18)
)

const mkCreatorShareBps = 500

// mkSplit is the README's fee split, computed independently of the
// contract: fee and creator share floor, the provider gets the rest of paid,
// the client the rest of maxPayment.
func mkSplit(paid, maxPayment *big.Int, feeBps, creatorBps int64) (fee, creator, provider, client *big.Int) {
	fee = new(big.Int).Div(new(big.Int).Mul(paid, big.NewInt(feeBps)), big.NewInt(10_000))
	creator = new(big.Int).Div(new(big.Int).Mul(paid, big.NewInt(creatorBps)), big.NewInt(10_000))
	provider = new(big.Int).Sub(new(big.Int).Sub(paid, fee), creator)
	client = new(big.Int).Sub(maxPayment, paid)
	return
}

// TestJobLifecycle walks every path of the job state machine end to end on
// a real anvil, each case on its own fresh deployment. After every
// transaction the harness decodes the receipt's logs with eth.Decoder, folds
// them with gpumarket.JobRecord.Apply / ProviderRecord.Apply, and asserts
// HashJob(folded job) == jobHash(id) == hashJob(folded job) and folded
// provider == getProvider. At the end every party withdraws; the test checks
// the payout against an independent computation of the fee split, that the
// four parts sum to maxPayment, that the ERC-20 balances moved by exactly
// those amounts, that the marketplace holds nothing afterwards, and the
// slashing compensation in the staking token. Gas per step is logged.
func TestJobLifecycle(t *testing.T) {
	type outcome struct {
		state   gpumarket.JobState
		paid    *big.Int // provider side of the payout (before fees); nil: no payout (refund/cancel)
		slashed *big.Int // provider stake slashed to the client
	}
	zero := new(big.Int)
	penalty := new(big.Int).Mul(big.NewInt(10), mkE18)     // the reservation of a USDT job: ethtest's reservation floor
	arbiterSlash := new(big.Int).Mul(big.NewInt(5), mkE18) // within the reservation (the arbiter's bound)
	arbiterPays := big.NewInt(40_000_001)

	tests := []struct {
		name      string
		preferred bool
		run       func(t *testing.T, h *mkHarness, p *eip712.JobParams) gpumarket.JobID
		want      outcome
	}{
		{
			name: "wallet job, matcher assignment, client settles early",
			run: func(t *testing.T, h *mkHarness, p *eip712.JobParams) gpumarket.JobID {
				id := h.createJob(p)
				h.assign(id, mkPrice)
				h.submit(id, mkAmountDue)
				_, evs := h.send("settle (client, early)", mkClient)(h.m.Settle(h.job(id)))
				if s, ok := mkOne[*gpumarket.JobSettled](evs); !ok || s.SettledBy != h.addr(mkClient) {
					t.Fatalf("JobSettled = %+v, want settled by the client", s)
				}
				return id
			},
			want: outcome{gpumarket.JobStateSettled, mkAmountDue, zero},
		},
		{
			name: "anyone settles once the challenge window has ended",
			run: func(t *testing.T, h *mkHarness, p *eip712.JobParams) gpumarket.JobID {
				id := h.createJob(p)
				h.assign(id, mkPrice)
				h.submit(id, mkAmountDue)
				h.mustRevert("settle (anyone, window open)", mkAnyone, "ChallengeWindowOpen")(h.m.Settle(h.job(id)))
				h.wait(h.s.Config.ChallengeWindow)
				h.mustRevert("dispute (client, window closed)", mkClient, "ChallengeWindowClosed")(h.m.Dispute(h.job(id), gpumarket.Hash{1}))
				_, evs := h.send("settle (anyone, after window)", mkAnyone)(h.m.Settle(h.job(id)))
				if s, ok := mkOne[*gpumarket.JobSettled](evs); !ok || s.SettledBy != h.addr(mkAnyone) {
					t.Fatalf("JobSettled = %+v, want settled by dev %d", s, mkAnyone)
				}
				return id
			},
			want: outcome{gpumarket.JobStateSettled, mkAmountDue, zero},
		},
		{
			name: "signed order submitted by a relayer, funds from the signer",
			run: func(t *testing.T, h *mkHarness, p *eip712.JobParams) gpumarket.JobID {
				h.send("approve market", mkClient)(h.m.Approve(p.Token, h.m.Address(), p.MaxPayment))
				o := &eip712.JobOrder{Params: *p, Auth: eip712.OrderAuth{Client: h.addr(mkClient), Nonce: big.NewInt(7), Expiry: h.now() + 600}}
				sig, err := eip712.SignJobOrder(h.s.Key(mkClient), h.m.Domain(), o)
				if err != nil {
					t.Fatal(err)
				}
				relayerBefore := h.tokenBalance(p.Token, h.addr(mkRelayer))
				_, evs := h.send("createJobFromOrder (relayer)", mkRelayer)(h.m.CreateJobFromOrder(o, sig))
				c, ok := mkOne[*gpumarket.JobCreated](evs)
				if !ok || c.Job.Client != h.addr(mkClient) || c.OrderNonce == nil || c.OrderNonce.Int64() != 7 {
					t.Fatalf("JobCreated = %+v, want client dev %d and order nonce 7", c, mkClient)
				}
				if got := h.tokenBalance(p.Token, h.addr(mkRelayer)); got.Cmp(relayerBefore) != 0 {
					t.Fatalf("relayer paid: balance %v -> %v", relayerBefore, got)
				}
				if used, err := h.m.IsNonceUsed(h.ctx, h.addr(mkClient), big.NewInt(7)); err != nil || !used {
					t.Fatalf("isNonceUsed(7) = %v, %v, want true", used, err)
				}
				h.mustRevert("replay the order", mkRelayer, "NonceAlreadyUsed")(h.m.CreateJobFromOrder(o, sig))
				id := c.Job.ID
				h.assign(id, mkPrice)
				h.submit(id, mkAmountDue)
				h.send("settle (client, early)", mkClient)(h.m.Settle(h.job(id)))
				return id
			},
			want: outcome{gpumarket.JobStateSettled, mkAmountDue, zero},
		},
		{
			name: "signed order with an EIP-2612 permit, no approval, client sends nothing",
			run: func(t *testing.T, h *mkHarness, p *eip712.JobParams) gpumarket.JobID {
				o := &eip712.JobOrder{Params: *p, Auth: eip712.OrderAuth{Client: h.addr(mkClient), Nonce: big.NewInt(1 << 40), Expiry: h.now() + 600}}
				sig, err := eip712.SignJobOrder(h.s.Key(mkClient), h.m.Domain(), o)
				if err != nil {
					t.Fatal(err)
				}
				td, err := h.m.TokenDomain(h.ctx, p.Token)
				if err != nil {
					t.Fatal(err)
				}
				nonce, err := h.m.PermitNonce(h.ctx, p.Token, h.addr(mkClient))
				if err != nil {
					t.Fatal(err)
				}
				permit, err := eip712.SignPermit(h.s.Key(mkClient), td, &eip712.Permit{Owner: h.addr(mkClient), Spender: h.m.Address(),
					Value: p.MaxPayment, Nonce: nonce, Deadline: new(big.Int).SetUint64(h.now() + 600)})
				if err != nil {
					t.Fatal(err)
				}
				_, evs := h.send("createJobFromOrderWithPermit", mkRelayer)(h.m.CreateJobFromOrderWithPermit(o, sig, &permit))
				id := mkCreated(t, evs)
				if after, err := h.m.PermitNonce(h.ctx, p.Token, h.addr(mkClient)); err != nil || after.Cmp(new(big.Int).Add(nonce, big.NewInt(1))) != 0 {
					t.Fatalf("permit nonce after = %v, %v, want %v + 1 (the permit was used, not skipped)", after, err, nonce)
				}
				h.assign(id, mkPrice)
				h.submit(id, mkAmountDue)
				h.send("settle (client, early)", mkClient)(h.m.Settle(h.job(id)))
				return id
			},
			want: outcome{gpumarket.JobStateSettled, mkAmountDue, zero},
		},
		{
			name: "wallet job with an EIP-2612 permit instead of an approval",
			run: func(t *testing.T, h *mkHarness, p *eip712.JobParams) gpumarket.JobID {
				td, err := h.m.TokenDomain(h.ctx, p.Token)
				if err != nil {
					t.Fatal(err)
				}
				if td.Name != "USD Test" || td.Version != "1" || td.VerifyingContract != p.Token {
					t.Fatalf("token domain = %+v", td)
				}
				nonce, err := h.m.PermitNonce(h.ctx, p.Token, h.addr(mkClient))
				if err != nil {
					t.Fatal(err)
				}
				permit, err := eip712.SignPermit(h.s.Key(mkClient), td, &eip712.Permit{Owner: h.addr(mkClient), Spender: h.m.Address(),
					Value: p.MaxPayment, Nonce: nonce, Deadline: new(big.Int).SetUint64(h.now() + 600)})
				if err != nil {
					t.Fatal(err)
				}
				_, evs := h.send("createJobWithPermit", mkClient)(h.m.CreateJobWithPermit(p, &permit))
				id := mkCreated(t, evs)
				if c, _ := mkOne[*gpumarket.JobCreated](evs); c.OrderNonce != nil {
					t.Fatalf("wallet job has order nonce %v, want nil", c.OrderNonce)
				}
				h.assign(id, mkPrice)
				h.submit(id, mkAmountDue)
				h.send("settle (client, early)", mkClient)(h.m.Settle(h.job(id)))
				return id
			},
			want: outcome{gpumarket.JobStateSettled, mkAmountDue, zero},
		},
		{
			name:      "preferred provider accepts directly at maxPayment",
			preferred: true,
			run: func(t *testing.T, h *mkHarness, p *eip712.JobParams) gpumarket.JobID {
				id := h.createJob(p)
				_, evs := h.send("acceptPreferredJob", mkSigner)(h.m.AcceptPreferredJob(h.job(id)))
				a, ok := mkOne[*gpumarket.JobAccepted](evs)
				if !ok || a.Price.Cmp(p.MaxPayment) != 0 || !a.Matcher.IsZero() || a.Signer != h.addr(mkSigner) {
					t.Fatalf("JobAccepted = %+v, want price = maxPayment, no matcher, signer dev %d", a, mkSigner)
				}
				h.submit(id, mkAmountDue)
				h.send("settle (client, early)", mkClient)(h.m.Settle(h.job(id)))
				return id
			},
			want: outcome{gpumarket.JobStateSettled, mkAmountDue, zero},
		},
		{
			name: "client cancels an open job",
			run: func(t *testing.T, h *mkHarness, p *eip712.JobParams) gpumarket.JobID {
				id := h.createJob(p)
				h.mustRevert("cancel (not the client)", mkAnyone, "NotClient")(h.m.CancelJob(h.job(id)))
				h.send("cancelJob", mkClient)(h.m.CancelJob(h.job(id)))
				return id
			},
			want: outcome{gpumarket.JobStateCancelled, nil, zero},
		},
		{
			name: "refund of a never-accepted job after the deadline",
			run: func(t *testing.T, h *mkHarness, p *eip712.JobParams) gpumarket.JobID {
				id := h.createJob(p)
				h.mustRevert("refund before the deadline", mkAnyone, "DeadlineNotPassed")(h.m.Refund(h.job(id)))
				h.wait(p.Deadline - h.now() + 1)
				_, evs := h.send("refund (open job)", mkAnyone)(h.m.Refund(h.job(id)))
				if r, ok := mkOne[*gpumarket.JobRefunded](evs); !ok || r.Slashed.Sign() != 0 || r.RefundedBy != h.addr(mkAnyone) {
					t.Fatalf("JobRefunded = %+v, want no slash, refunded by dev %d", r, mkAnyone)
				}
				return id
			},
			want: outcome{gpumarket.JobStateRefunded, nil, zero},
		},
		{
			name: "refund of an accepted, never-submitted job slashes the provider",
			run: func(t *testing.T, h *mkHarness, p *eip712.JobParams) gpumarket.JobID {
				id := h.createJob(p)
				h.assign(id, mkPrice)
				h.wait(p.Deadline - h.now() + 1)
				h.mustRevert("submit after the deadline", mkSigner, "DeadlinePassed")(h.m.SubmitResult(h.job(id), gpumarket.Hash{2}, "x", gpumarket.Usage{}, mkAmountDue))
				_, evs := h.send("refund (assigned job, slash)", mkAnyone)(h.m.Refund(h.job(id)))
				if s, ok := mkOne[*gpumarket.ProviderSlashed](evs); !ok || s.Job != id || s.Beneficiary != h.addr(mkClient) {
					t.Fatalf("ProviderSlashed = %+v, want job %d to the client", s, id)
				}
				return id
			},
			want: outcome{gpumarket.JobStateRefunded, nil, penalty},
		},
		{
			name: "dispute resolved by the arbiter with a slash",
			run: func(t *testing.T, h *mkHarness, p *eip712.JobParams) gpumarket.JobID {
				id := h.createJob(p)
				h.assign(id, mkPrice)
				h.submit(id, mkAmountDue)
				reason := gpumarket.Hash(crypto.Keccak256Hash([]byte("the output is empty")))
				h.dispute(id, reason)
				h.mustRevert("resolve (not the arbiter)", mkAnyone, "AccessControlUnauthorizedAccount")(h.m.ResolveDispute(h.job(id), arbiterPays, arbiterSlash, big.NewInt(0)))
				_, evs := h.send("resolveDispute (arbiter)", h.s.Arbiter)(h.m.ResolveDispute(h.job(id), arbiterPays, arbiterSlash, big.NewInt(0)))
				r, ok := mkOne[*gpumarket.JobDisputeResolved](evs)
				if !ok || r.TimedOut || r.Arbiter != h.addr(h.s.Arbiter) || r.Slashed.Cmp(arbiterSlash) != 0 || r.SlashRequested.Cmp(arbiterSlash) != 0 {
					t.Fatalf("JobDisputeResolved = %+v", r)
				}
				if h.jobs[id].DisputeReason != reason {
					t.Fatalf("folded dispute reason = %s, want %s", h.jobs[id].DisputeReason, reason)
				}
				return id
			},
			want: outcome{gpumarket.JobStateSettled, arbiterPays, arbiterSlash},
		},
		{
			name: "dispute timeout settles as submitted",
			run: func(t *testing.T, h *mkHarness, p *eip712.JobParams) gpumarket.JobID {
				id := h.createJob(p)
				h.assign(id, mkPrice)
				h.submit(id, mkAmountDue)
				h.dispute(id, gpumarket.Hash{3})
				h.mustRevert("timeout rule too early", mkAnyone, "DisputeTimeoutNotReached")(h.m.ResolveDisputeAfterTimeout(h.job(id)))
				h.wait(h.s.Config.DisputeTimeout)
				_, evs := h.send("resolveDisputeAfterTimeout", mkAnyone)(h.m.ResolveDisputeAfterTimeout(h.job(id)))
				if r, ok := mkOne[*gpumarket.JobDisputeResolved](evs); !ok || !r.TimedOut || !r.Arbiter.IsZero() || r.Slashed.Sign() != 0 {
					t.Fatalf("JobDisputeResolved = %+v, want timed out, no arbiter, no slash", r)
				}
				return id
			},
			want: outcome{gpumarket.JobStateSettled, mkAmountDue, zero},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := mkNew(t, ethtest.SystemConfig{})
			h.registerProvider(mkStake)
			p := &eip712.JobParams{
				Kind: gpumarket.JobKindLLM, Token: h.usdt(), MaxPayment: mkMaxPayment, Deadline: h.now() + 1800,
				Creator: h.addr(mkCreator), CreatorShareBps: mkCreatorShareBps,
				SpecHash: gpumarket.Hash(crypto.Keccak256Hash([]byte("spec"))), SpecURI: "ipfs://spec",
			}
			if tt.preferred {
				p.PreferredProvider = h.addr(mkOperator)
			}
			parties := []int{mkClient, mkOperator, mkCreator, h.s.Treasury, mkRelayer, mkAnyone}
			before := map[int]*big.Int{}
			for _, i := range parties {
				before[i] = h.tokenBalance(h.usdt(), h.addr(i))
			}
			clientStakeBefore := h.tokenBalance(h.gpus(), h.addr(mkClient))

			id := tt.run(t, h, p)

			rec := h.jobs[id]
			if rec.State != tt.want.state {
				t.Fatalf("folded state = %s, want %s", rec.State, tt.want.state)
			}
			want := map[int]*big.Int{mkClient: new(big.Int).Set(mkMaxPayment)} // refund or cancel: all back
			if tt.want.paid != nil {
				fee, creator, provider, client := mkSplit(tt.want.paid, mkMaxPayment, int64(*h.s.Config.FeeBps), mkCreatorShareBps)
				if sum := new(big.Int).Add(new(big.Int).Add(fee, creator), new(big.Int).Add(provider, client)); sum.Cmp(mkMaxPayment) != 0 {
					t.Fatalf("split sums to %v, want %v", sum, mkMaxPayment)
				}
				got := rec.Payout
				if got == nil || got.ProtocolFee.Cmp(fee) != 0 || got.CreatorAmount.Cmp(creator) != 0 ||
					got.ProviderAmount.Cmp(provider) != 0 || got.ClientRefund.Cmp(client) != 0 || got.Treasury != h.addr(h.s.Treasury) {
					t.Fatalf("payout = %+v, want fee %v creator %v provider %v client %v", got, fee, creator, provider, client)
				}
				want = map[int]*big.Int{mkClient: client, mkOperator: provider, mkCreator: creator, h.s.Treasury: fee}
			}
			// A dispute bond is credited on top, without fees: the
			// provider's share to the provider, the rest back to the client.
			bond := new(big.Int)
			if rec.DisputeBond != nil && rec.DisputeBond.Sign() > 0 {
				bond.Set(rec.DisputeBond)
				if rec.BondToProvider == nil || rec.BondToClient == nil || new(big.Int).Add(rec.BondToProvider, rec.BondToClient).Cmp(bond) != 0 {
					t.Fatalf("folded bond split %v + %v, want the %v bond", rec.BondToProvider, rec.BondToClient, bond)
				}
				want[mkOperator] = new(big.Int).Add(orZeroBig(want[mkOperator]), rec.BondToProvider)
				want[mkClient] = new(big.Int).Add(orZeroBig(want[mkClient]), rec.BondToClient)
			}
			got, comp := h.withdrawAll(h.usdt(), parties...)
			total := new(big.Int)
			for _, i := range parties {
				w := want[i]
				if w == nil {
					w = zero
				}
				if got[i].Cmp(w) != 0 {
					t.Errorf("dev %d withdrew %v, want %v", i, got[i], w)
				}
				total.Add(total, got[i])
				delta := new(big.Int).Sub(h.tokenBalance(h.usdt(), h.addr(i)), before[i])
				wantDelta := new(big.Int).Set(w)
				if i == mkClient {
					wantDelta.Sub(wantDelta, mkMaxPayment)
					wantDelta.Sub(wantDelta, bond) // it posted the bond
				}
				if delta.Cmp(wantDelta) != 0 {
					t.Errorf("dev %d USDT balance moved by %v, want %v", i, delta, wantDelta)
				}
			}
			if want := new(big.Int).Add(mkMaxPayment, bond); total.Cmp(want) != 0 {
				t.Errorf("withdrawals sum to %v, want maxPayment %v plus the bond %v", total, mkMaxPayment, bond)
			}
			if left := h.tokenBalance(h.usdt(), h.m.Address()); left.Sign() != 0 {
				t.Errorf("marketplace still holds %v USDT", left)
			}
			if comp[mkClient].Cmp(tt.want.slashed) != 0 {
				t.Errorf("client compensation = %v, want %v", comp[mkClient], tt.want.slashed)
			}
			if d := new(big.Int).Sub(h.tokenBalance(h.gpus(), h.addr(mkClient)), clientStakeBefore); d.Cmp(tt.want.slashed) != 0 {
				t.Errorf("client GPUS balance moved by %v, want the slash %v", d, tt.want.slashed)
			}
			prov := h.providers[h.addr(mkOperator)]
			if prov.SlashedTotal.Cmp(tt.want.slashed) != 0 {
				t.Errorf("folded SlashedTotal = %v, want %v", prov.SlashedTotal, tt.want.slashed)
			}
			if reg := h.tokenBalance(h.gpus(), h.m.RegistryAddress()); reg.Cmp(new(big.Int).Sub(mkStake, tt.want.slashed)) != 0 {
				t.Errorf("registry holds %v GPUS, want stake %v - slashed %v", reg, mkStake, tt.want.slashed)
			}
			t.Logf("gas: %s", h.gasTable())
		})
	}
}

// TestHappyPathGasSteadyState measures the happy path (createJob, acceptJob,
// submitResult, client settles early) on the second job of a deployment,
// when every party already has a pull balance (the README's "steady
// state"), and holds it to the project's budget of 250,000 gas. Gas is
// deterministic for a given contract build, so this is no timing test.
func TestHappyPathGasSteadyState(t *testing.T) {
	h := mkNew(t, ethtest.SystemConfig{})
	h.registerProvider(mkStake)
	p := &eip712.JobParams{Kind: gpumarket.JobKindLLM, Token: h.usdt(), MaxPayment: mkMaxPayment, Deadline: h.now() + 1800,
		Creator: h.addr(mkCreator), CreatorShareBps: mkCreatorShareBps, SpecHash: gpumarket.Hash{1}, SpecURI: "ipfs://spec"}
	var total [2]uint64
	for round := range total {
		id := h.createJob(p)
		h.assign(id, mkPrice)
		h.submit(id, mkAmountDue)
		h.send("settle (client, early)", mkClient)(h.m.Settle(h.job(id)))
		for _, g := range h.gas[len(h.gas)-4:] {
			total[round] += g.gas
		}
		h.gas = append(h.gas, mkGas{fmt.Sprintf("TOTAL job %d (create+accept+submit+settle)", id), total[round]})
		t.Logf("gas job %d happy path: %d", id, total[round])
	}
	t.Logf("gas: %s", h.gasTable())
	if next, err := h.m.NextJobID(h.ctx); err != nil || next != 3 {
		t.Fatalf("NextJobID after two jobs = %d, %v, want 3", next, err)
	}
	if total[1] > 250_000 {
		t.Fatalf("steady-state happy path = %d gas, budget 250,000", total[1])
	}
	if total[1] >= total[0] {
		t.Fatalf("steady state (%d) not cheaper than the first job (%d): pull-balance slots should already exist", total[1], total[0])
	}
}

func orZeroBig(v *big.Int) *big.Int {
	if v == nil {
		return new(big.Int)
	}
	return v
}
