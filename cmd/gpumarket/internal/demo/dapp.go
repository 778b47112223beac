package demo

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/internal/eth/keys"

	"github.com/gpumarket/gpumarket"
)

// client is the demo's dApp side: alice posts from her wallet, bob signs
// orders that the order relayer submits, the arbiter resolves disputes.
type dapp struct {
	d               *demo
	alice, gas, arb *txm
	matcherURL      string
	orders          int64
	permitted       bool
}

func (c *dapp) params(ctx context.Context, j *jobPlan) (*eip712.JobParams, error) {
	_, now, err := c.d.market.ChainTime(ctx)
	if err != nil {
		return nil, err
	}
	life := j.life
	if life == 0 {
		life = 10 * time.Minute
	}
	p := &eip712.JobParams{Kind: j.kind, Token: c.d.sys.Stablecoin, MaxPayment: j.maxPay, Deadline: now + uint64(life/time.Second),
		SpecHash: j.hash, SpecURI: c.matcherURL + "/v1/specs/" + j.hash.String()}
	if j.creator {
		p.Creator, p.CreatorShareBps = c.d.creator.addr, 1000
	}
	for _, pr := range c.d.providers {
		if pr.short == j.prefer {
			p.PreferredProvider = pr.operator.addr
		}
	}
	return p, nil
}

func createKey(j *jobPlan) string { return "create-" + j.name }

// post submits the jobs' creations and waits until each is confirmed. The
// first signed order carries bob's EIP-2612 permit (so bob never sends a
// transaction) and is confirmed before the others, which use its allowance.
func (c *dapp) post(ctx context.Context, jobs []*jobPlan) error {
	if err := c.submit(ctx, jobs); err != nil {
		return err
	}
	for _, j := range jobs {
		tm := c.alice
		if j.order {
			tm = c.gas
		}
		if err := tm.wait(ctx, createKey(j)); err != nil {
			return err
		}
	}
	return nil
}

func (c *dapp) submit(ctx context.Context, jobs []*jobPlan) error {
	for _, j := range jobs {
		p, err := c.params(ctx, j)
		if err != nil {
			return err
		}
		via := "alice's wallet"
		if !j.order {
			if err := c.alice.send(ctx, createKey(j), build(c.d.market.CreateJob(p))); err != nil {
				return err
			}
		} else {
			via = "bob's signed order (gasless)"
			c.orders++
			_, now, err := c.d.market.ChainTime(ctx)
			if err != nil {
				return err
			}
			o := &eip712.JobOrder{Params: *p, Auth: eip712.OrderAuth{Client: c.d.bob.addr, Nonce: big.NewInt(c.orders), Expiry: now + 600}}
			sig, err := eip712.SignJobOrder(c.d.bob.key, c.d.market.Domain(), o)
			if err != nil {
				return err
			}
			if !c.permitted {
				dom, err := c.d.market.TokenDomain(ctx, c.d.sys.Stablecoin)
				if err != nil {
					return err
				}
				pn, err := c.d.market.PermitNonce(ctx, c.d.sys.Stablecoin, c.d.bob.addr)
				if err != nil {
					return err
				}
				ps, err := eip712.SignPermit(c.d.bob.key, dom, &eip712.Permit{Owner: c.d.bob.addr, Spender: c.d.sys.Market,
					Value: usdt(100_000), Nonce: pn, Deadline: new(big.Int).SetUint64(now + 3600)})
				if err != nil {
					return err
				}
				if err := c.gas.send(ctx, createKey(j), build(c.d.market.CreateJobFromOrderWithPermit(o, sig, &ps))); err != nil {
					return err
				}
				if err := c.gas.wait(ctx, createKey(j)); err != nil {
					return err
				}
				c.permitted = true
				via = "bob's signed order + permit (gasless)"
			} else if err := c.gas.send(ctx, createKey(j), build(c.d.market.CreateJobFromOrder(o, sig))); err != nil {
				return err
			}
		}
		extra := ""
		if j.prefer != "" {
			extra = ", preferred provider " + j.prefer
		}
		if j.creator {
			extra += ", 10% to the model creator"
		}
		c.d.printf("  post %-18s %-6s %-24s max %s USDT via %s%s\n", j.name, j.kind, j.model, fmtUSDT(j.maxPay), via, extra)
	}
	return nil
}

// resolve finds each job's id in the indexer's mirror by its spec hash.
func (c *dapp) resolve(ctx context.Context, jobs []*jobPlan) error {
	for _, j := range jobs {
		err := poll(ctx, 250*time.Millisecond, func(ctx context.Context) (bool, error) {
			id, err := c.d.chain().JobBySpec(ctx, j.hash)
			if gpumarket.ErrorCode(err) == gpumarket.ENOTFOUND {
				return false, nil
			}
			j.id = id
			return err == nil, err
		})
		if err != nil {
			return fmt.Errorf("find job %s in the mirror: %w", j.name, err)
		}
	}
	return nil
}

// reorgInfo is what the demo did to the chain.
type reorgInfo struct {
	Depth      uint64
	Head       uint64 // the head when it happened
	InFlight   int    // jobs assigned or submitted at that moment
	TxsDropped int64  // transactions the managers saw reorged out (and re-sent)
}

// postWithReorg broadcasts wave 2, lets it be mined, waits for the indexer
// to reach the head, and replaces the last two blocks (anvil_reorg): their
// transactions are dropped and must be re-sent by the transaction managers.
func (c *dapp) postWithReorg(ctx context.Context, jobs []*jobPlan) (*reorgInfo, error) {
	// The reorg replaces blocks holding the relayers' accepts, submissions
	// and settlements (and any client action), not fresh JobCreated events:
	// the matcher does not yet re-decide a job whose creation (and accept)
	// a reorg re-mined, so such a job would wait for its deadline (see the
	// issue's closing note). Wave 2 is confirmed first; bob's orders follow.
	var wallet, orders []*jobPlan
	for _, j := range jobs {
		if j.order {
			orders = append(orders, j)
		} else {
			wallet = append(wallet, j)
		}
	}
	if err := c.post(ctx, wallet); err != nil {
		return nil, err
	}
	if err := c.resolve(ctx, wallet); err != nil {
		return nil, err
	}
	if err := c.d.waitInFlight(ctx); err != nil {
		return nil, err
	}
	jobs = nil
	info := &reorgInfo{Depth: 2}
	inFlight, err := c.d.countInFlight(ctx)
	if err != nil {
		return nil, err
	}
	info.InFlight = inFlight
	// Let the indexer reach the head, so that it sees the blocks go.
	if err := c.d.waitIndexed(ctx); err != nil {
		return nil, err
	}
	if info.Head, err = c.d.node.BlockNumber(ctx); err != nil {
		return nil, err
	}
	before := c.reorged()
	if err := c.d.node.Reorg(ctx, info.Depth); err != nil {
		return nil, fmt.Errorf("demo: reorg: %w", err)
	}
	c.d.printf("  REORG: replaced the last %d blocks below head %d (anvil_reorg) with %d jobs in flight\n",
		info.Depth, info.Head, info.InFlight)
	for _, j := range jobs {
		tm := c.alice
		if j.order {
			tm = c.gas
		}
		if err := tm.wait(ctx, createKey(j)); err != nil {
			return nil, err
		}
	}
	if err := c.post(ctx, orders); err != nil {
		return nil, err
	}
	info.TxsDropped = c.reorged() - before
	return info, nil
}

func (c *dapp) reorged() int64 {
	n := c.alice.Stats().Reorged + c.gas.Stats().Reorged + c.arb.Stats().Reorged
	for _, p := range c.d.providers {
		n += p.d.Stats().Reorged
	}
	return n
}

// dispute: when the provider submits, alice disputes, posting the dispute
// bond; the arbiter then awards the provider half of what it claimed and
// half of the bond, and slashes 5 GPUS of the stake the job reserved to
// alice.
func (c *dapp) dispute(ctx context.Context, j *jobPlan) error {
	// A reorg may drop the dispute and re-mine it before the provider's
	// re-sent submission (another sender): it then reverts, and alice tries
	// again under a new key while the job is still submitted.
	var job *gpumarket.JobRecord
	for attempt := 1; ; attempt++ {
		var err error
		if job, err = c.d.waitAnyState(ctx, j.id, gpumarket.JobStateSubmitted, gpumarket.JobStateDisputed); err != nil {
			return fmt.Errorf("dispute %s: %w", j.name, err)
		}
		if job.State == gpumarket.JobStateDisputed {
			break
		}
		bond, err := c.d.market.DisputeBondFor(ctx, job.Token, job.Price)
		if err != nil {
			return fmt.Errorf("dispute %s: %w", j.name, err)
		}
		approveKey := fmt.Sprintf("approve-bond-%s-%d", j.id, attempt)
		// approve sets the allowance, it does not add to it: keep the
		// wallet's headroom for the jobs alice has yet to post (a fast
		// provider's result brings the dispute before them).
		allowance := new(big.Int).Add(bond, usdt(100_000))
		if err := c.alice.send(ctx, approveKey, build(c.d.market.Approve(job.Token, c.d.market.Address(), allowance))); err != nil {
			return err
		}
		if err := c.alice.wait(ctx, approveKey); err != nil {
			return err
		}
		key := fmt.Sprintf("dispute-%s-%d", j.id, attempt)
		if err := c.alice.send(ctx, key, build(c.d.market.Dispute(&job.Job, keys.Keccak256([]byte("the voice sounds robotic"))))); err != nil {
			return err
		}
		if err := c.alice.wait(ctx, key); err != nil {
			if attempt >= 5 {
				return err
			}
			c.d.log.Warn("dispute did not go through; retrying", "job_id", j.id, "err", err)
			continue
		}
		c.d.printf("  alice disputes job %d (%s), posting a %s USDT bond: \"the voice sounds robotic\"\n", j.id, j.name, fmtUSDT(bond))
	}
	award := new(big.Int).Div(job.AmountDue, big.NewInt(2))
	bondShare := new(big.Int).Div(job.DisputeBond, big.NewInt(2))
	slash := new(big.Int).Mul(big.NewInt(5), e18)
	for attempt := 1; ; attempt++ {
		var err error
		if job, err = c.d.waitAnyState(ctx, j.id, gpumarket.JobStateDisputed, gpumarket.JobStateSettled); err != nil {
			return err
		}
		if job.State == gpumarket.JobStateSettled {
			break
		}
		key := fmt.Sprintf("resolve-%s-%d", j.id, attempt)
		if err := c.arb.send(ctx, key, build(c.d.market.ResolveDispute(&job.Job, award, slash, bondShare))); err != nil {
			return err
		}
		if err := c.arb.wait(ctx, key); err != nil {
			if attempt >= 5 {
				return err
			}
			c.d.log.Warn("resolution did not go through; retrying", "job_id", j.id, "err", err)
			continue
		}
		c.d.printf("  arbiter resolves job %d: provider gets %s of %s USDT claimed and %s of the %s USDT bond, 5 GPUS of its reserved stake go to alice\n",
			j.id, fmtUSDT(award), fmtUSDT(job.AmountDue), fmtUSDT(bondShare), fmtUSDT(job.DisputeBond))
	}
	return nil
}

// refund: once the deadline of the job nobody could serve has passed, the
// order relayer (anyone may) refunds it to the client.
func (c *dapp) refund(ctx context.Context, j *jobPlan) error {
	var job *gpumarket.JobRecord
	err := poll(ctx, 500*time.Millisecond, func(ctx context.Context) (bool, error) {
		var err error
		if job, err = c.d.chain().Job(ctx, j.id); err != nil {
			return false, err
		}
		_, now, err := c.d.market.ChainTime(ctx)
		return err == nil && now > job.Deadline, err
	})
	if err != nil {
		return fmt.Errorf("refund %s: %w", j.name, err)
	}
	if job.State != gpumarket.JobStateOpen {
		return fmt.Errorf("refund %s: job %d is %s at its deadline, want open", j.name, j.id, job.State)
	}
	key := refundKey(j.id)
	if err := c.gas.send(ctx, key, build(c.d.market.Refund(&job.Job))); err != nil {
		return err
	}
	if err := c.gas.wait(ctx, key); err != nil {
		return err
	}
	c.d.printf("  job %d (%s) expired unserved: refunded %s USDT to its client (permissionless refund)\n", j.id, j.name, fmtUSDT(job.MaxPayment))
	return nil
}
