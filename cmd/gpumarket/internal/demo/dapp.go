package demo

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/client"
	"github.com/gpumarket/gpumarket/internal/eth/orders"
	matcherclient "github.com/gpumarket/gpumarket/matcher/client"
)

// dapp is the demo's dApp side, on the public client package (what users
// use): alice posts from her wallet, her transactions journaled by her
// transaction manager (client.JournaledSender, each under a key, so none
// is sent twice); bob signs orders that the matcher relays (POST
// /v1/orders, through the order relayer's manager); the arbiter resolves
// disputes.
type dapp struct {
	d               *demo
	alice, gas, arb *txm
	aliceC, bobC    *client.Client
	usdt            client.Token
	matcherURL      string
}

// newDapp dials alice's and bob's clients.
func newDapp(ctx context.Context, d *demo, matcherURL string, alice, gas, arb *txm) (*dapp, error) {
	mc, err := matcherclient.New(matcherURL, d.chainID, nil)
	if err != nil {
		return nil, err
	}
	dep := d.sys.Deployment
	base := client.Config{MatcherURL: matcherURL, RPCURL: d.node.URL, Deployment: &dep, PollInterval: 250 * time.Millisecond,
		Log: d.log.With("component", "client")}
	ac := base
	ac.Key, ac.Sender = d.alice.key, client.NewJournaledSender(alice.Manager, d.market, 200*time.Millisecond)
	aliceC, err := client.Dial(ctx, ac)
	if err != nil {
		return nil, fmt.Errorf("alice's client: %w", err)
	}
	bc := base
	bc.Key, bc.Orders = d.bob.key, &client.MatcherOrders{Matcher: mc, Poll: 200 * time.Millisecond}
	bobC, err := client.Dial(ctx, bc)
	if err != nil {
		aliceC.Close()
		return nil, fmt.Errorf("bob's client: %w", err)
	}
	c := &dapp{d: d, alice: alice, gas: gas, arb: arb, aliceC: aliceC, bobC: bobC, matcherURL: matcherURL}
	if c.usdt, err = aliceC.Token(ctx, d.sys.Stablecoin.String()); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

func (c *dapp) Close() { c.aliceC.Close(); c.bobC.Close() }

// request is j as a client.SubmitRequest.
func (c *dapp) request(j *jobPlan) client.SubmitRequest {
	life := j.life
	if life == 0 {
		life = 10 * time.Minute
	}
	r := client.SubmitRequest{Spec: j.spec, Token: c.usdt, MaxPrice: j.maxPay, Lifetime: life,
		// The refund story's job is one nobody serves: the quote would
		// refuse it (ErrNoProvider).
		SkipQuote: j.story == "refund"}
	if j.creator {
		r.Creator, r.CreatorShareBps = c.d.creator.addr, 1000
	}
	if j.order {
		r.Funding = client.FundOrder
	}
	for _, pr := range c.d.providers {
		if pr.short == j.prefer {
			r.PreferredProvider = pr.operator.addr
		}
	}
	return r
}

func createKey(j *jobPlan) string { return "create-" + j.name }

// post submits the jobs one after the other (each Submit returns once its
// job is created) and waits until each creation is confirmed. Bob's orders
// carry an EIP-2612 permit whenever his allowance is short, so bob never
// sends a transaction.
func (c *dapp) post(ctx context.Context, jobs []*jobPlan) error {
	for _, j := range jobs {
		cl, via := c.aliceC, "alice's wallet"
		if j.order {
			cl, via = c.bobC, "bob's signed order (gasless)"
		}
		sub, err := cl.WithTxKey(createKey(j)).Submit(ctx, c.request(j))
		if err != nil {
			return fmt.Errorf("post %s: %w", j.name, err)
		}
		j.hash = sub.SpecHash
		// Confirmed in the journal of the manager that sent it.
		if j.order {
			n, err := gpumarket.NewAmount(sub.OrderNonce)
			if err != nil {
				return err
			}
			if err := c.gas.wait(ctx, orders.Key(c.d.bob.addr, n)); err != nil {
				return err
			}
			if sub.FundedBy == "order+permit" {
				via = "bob's signed order + permit (gasless)"
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
		// Dispute approves the bond when the allowance is short, and
		// Submit funds alice's later jobs itself if that leaves too little.
		key := fmt.Sprintf("dispute-%s-%d", j.id, attempt)
		if _, err := c.aliceC.WithTxKey(key).Dispute(ctx, j.id, "the voice sounds robotic"); err != nil {
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
