package demo

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/gpumarket/gpumarket/relayer/executor/synthetic"

	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/internal/eth/keys"
	"github.com/gpumarket/gpumarket/internal/eth/market"
	"github.com/gpumarket/gpumarket/internal/eth/txmgr"

	"golang.org/x/sync/errgroup"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/postgres"
	"github.com/gpumarket/gpumarket/matcher"
	"github.com/gpumarket/gpumarket/matcher/api"
	"github.com/gpumarket/gpumarket/matcher/client"
	"github.com/gpumarket/gpumarket/matcher/service"
	"github.com/gpumarket/gpumarket/relayer/executor"
)

// jobPlan is one job of the scenario and what should become of it.
type jobPlan struct {
	name    string
	kind    gpumarket.JobKind
	model   string
	params  any
	req     gpumarket.Requirements
	maxPay  *big.Int
	order   bool   // signed by bob, submitted by the order relayer (gasless for bob)
	prefer  string // preferred provider (short name)
	creator bool   // a model creator takes a share
	life    time.Duration
	story   string // "", "refund" (nobody can serve it), "dispute"
	short   bool   // part of the short (CI) form
	wave    int

	spec []byte
	hash gpumarket.Hash
	id   gpumarket.JobID
	want gpumarket.JobState
}

func u64(v uint64) *uint64 { return &v }

// plans returns the scenario's jobs; the stt jobs transcribe audio made by
// the demo executor's own text-to-speech.
func plans(ctx context.Context) ([]*jobPlan, error) {
	wav := func(text string) (string, error) {
		spec, err := synthetic.NewJobSpec(gpumarket.JobKindTTS, "piper-en-amy", synthetic.TTSSpec{Text: text, SampleRate: 8000},
			gpumarket.Requirements{GPUCount: 1, Estimate: gpumarket.Estimate{Characters: uint64(len(text))}})
		if err != nil {
			return "", err
		}
		res, err := synthetic.New(nil).Run(ctx, executor.Job{ID: 1, Kind: gpumarket.JobKindTTS, Spec: spec})
		if err != nil {
			return "", fmt.Errorf("synthesize stt input: %w", err)
		}
		return b64(res.Body), nil
	}
	meeting, err := wav("Ship the demo.")
	if err != nil {
		return nil, err
	}
	voicemail, err := wav("Call me back.")
	if err != nil {
		return nil, err
	}
	tts := func(text string) gpumarket.Requirements {
		return gpumarket.Requirements{GPUCount: 1, MinVRAMMiB: 4096, Estimate: gpumarket.Estimate{Characters: uint64(len(text))}}
	}
	llm := func(vram uint32, in, out uint64) gpumarket.Requirements {
		return gpumarket.Requirements{GPUCount: 1, MinVRAMMiB: vram, Estimate: gpumarket.Estimate{InputTokens: in, OutputTokens: out}}
	}
	render := func(frames, secs uint64) gpumarket.Requirements {
		return gpumarket.Requirements{GPUCount: 1, MinVRAMMiB: 16384, Estimate: gpumarket.Estimate{Frames: frames, GPUSeconds: secs}}
	}
	stt := func(secs uint64) gpumarket.Requirements {
		return gpumarket.Requirements{GPUCount: 1, MinVRAMMiB: 4096, Estimate: gpumarket.Estimate{AudioSeconds: secs}}
	}
	const podcast = "Welcome back to GPU Talk, the show about compute markets."
	const chapter = "Chapter one. The rain had not stopped for three days."
	const ivr = "Press one for billing, two for support."
	return []*jobPlan{
		// Wave 1.
		{name: "city-flythrough", kind: gpumarket.JobKindRender, model: "mandelbrot", short: true, wave: 1,
			params: synthetic.RenderSpec{Width: 160, Height: 90, Frames: 4, MaxIter: 96}, req: render(4, 2), maxPay: usdt(150)},
		{name: "support-bot-70b", kind: gpumarket.JobKindLLM, model: "llama-3-70b-instruct", creator: true, short: true, wave: 1,
			params: synthetic.LLMSpec{Prompt: "Summarise the customer's refund request politely.", MaxTokens: 96, Seed: u64(7)},
			req:    llm(40960, 64, 96), maxPay: usdt(100)},
		{name: "audiobook-ch1", kind: gpumarket.JobKindTTS, model: "piper-en-amy", order: true, short: true, wave: 1,
			params: synthetic.TTSSpec{Text: chapter, Voice: "low"}, req: tts(chapter), maxPay: usdt(50)},
		{name: "meeting-notes", kind: gpumarket.JobKindSTT, model: "whisper-large-v3", order: true, wave: 1,
			params: synthetic.STTSpec{Audio: meeting}, req: stt(30), maxPay: usdt(50)},
		{name: "on-device-8b", kind: gpumarket.JobKindLLM, model: "llama-3-8b-instruct", prefer: "m2max", short: true, wave: 1,
			params: synthetic.LLMSpec{Prompt: "Write a haiku about unified memory.", MaxTokens: 32, Seed: u64(3)},
			req:    llm(8192, 16, 32), maxPay: usdt(50)},
		{name: "giant-405b", kind: gpumarket.JobKindLLM, model: "llama-3.1-405b-instruct", story: "refund", short: true, wave: 1,
			life: 45 * time.Second, params: synthetic.LLMSpec{Prompt: "Prove the Riemann hypothesis.", MaxTokens: 512},
			req:    gpumarket.Requirements{GPUCount: 8, MinVRAMMiB: 81920, Estimate: gpumarket.Estimate{InputTokens: 8, OutputTokens: 512}},
			maxPay: usdt(500)},
		{name: "podcast-intro", kind: gpumarket.JobKindTTS, model: "xtts-v2", story: "dispute", short: true, wave: 1,
			params: synthetic.TTSSpec{Text: podcast, Voice: "high"}, req: tts(podcast), maxPay: usdt(50)},
		// Wave 2: posted right before the reorg.
		{name: "product-turntable", kind: gpumarket.JobKindRender, model: "cycles-4.1", order: true, short: true, wave: 2,
			params: synthetic.RenderSpec{Width: 128, Height: 128, Frames: 3, Scene: "gradient"}, req: render(3, 1), maxPay: usdt(120)},
		{name: "code-review-8b", kind: gpumarket.JobKindLLM, model: "llama-3-8b-instruct", order: true, wave: 2,
			params: synthetic.LLMSpec{Prompt: "Review: for i := range n { go f(i) } // who waits?", MaxTokens: 64, Seed: u64(11)},
			req:    llm(8192, 24, 64), maxPay: usdt(60)},
		{name: "voicemail", kind: gpumarket.JobKindSTT, model: "whisper-small", wave: 2,
			params: synthetic.STTSpec{Audio: voicemail}, req: stt(20), maxPay: usdt(40)},
		{name: "ivr-prompts", kind: gpumarket.JobKindTTS, model: "piper-en-amy", short: true, wave: 2,
			params: synthetic.TTSSpec{Text: ivr}, req: tts(ivr), maxPay: usdt(30)},
		{name: "logo-zoom", kind: gpumarket.JobKindRender, model: "mandelbrot", wave: 2,
			params: synthetic.RenderSpec{Width: 96, Height: 96, Frames: 2, MaxIter: 200}, req: render(2, 1), maxPay: usdt(80)},
	}, nil
}

// txm is a journaled transaction manager of one of the demo's own accounts.
type txm struct {
	*txmgr.Manager
	who string
}

func (d *demo) newTxm(ctx context.Context, p party) (*txm, error) {
	url := d.node.URL
	tm, err := txmgr.New(ctx, txmgr.Config{Endpoint: func(context.Context) (string, error) { return url, nil },
		Key: p.key, Journal: postgres.NewJournal(d.db), ChainID: d.chainID, PollInterval: 200 * time.Millisecond,
		Logger: d.log.With("component", "txmanager", "who", p.name)})
	if err != nil {
		return nil, fmt.Errorf("transaction manager of %s: %w", p.name, err)
	}
	return &txm{Manager: tm, who: p.name}, nil
}

// built is a call as eth.Market's builders return it.
type built struct {
	c   market.Call
	err error
}

func build(c market.Call, err error) built { return built{c, err} }

// send submits the call under key (once: the key is the idempotency key).
func (t *txm) send(ctx context.Context, key string, b built) error {
	c, err := b.c, b.err
	if err != nil {
		return fmt.Errorf("%s: build %s: %w", t.who, key, err)
	}
	if _, err := t.Submit(ctx, key, c.To, c.Data, nil); err != nil {
		return fmt.Errorf("%s: submit %s: %w", t.who, key, err)
	}
	return nil
}

// wait waits until key is final; anything but confirmed is an error.
func (t *txm) wait(ctx context.Context, key string) error {
	return poll(ctx, 200*time.Millisecond, func(ctx context.Context) (bool, error) {
		in, err := t.Intent(ctx, key)
		if err != nil {
			return false, err
		}
		if !in.State.Final() {
			return false, nil
		}
		if in.State != gpumarket.TxConfirmed {
			return false, fmt.Errorf("%s: %s ended %s: %s", t.who, key, in.State, in.Reason)
		}
		return true, nil
	})
}

// poll calls f every interval until it reports done, fails or ctx ends.
func poll(ctx context.Context, every time.Duration, f func(ctx context.Context) (bool, error)) error {
	for {
		ok, err := f(ctx)
		if err != nil || ok {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(every):
		}
	}
}

func (d *demo) run(ctx context.Context) (*Report, error) {
	ix, closeSrc, err := d.newIndexer(ctx)
	if err != nil {
		return nil, err
	}
	defer closeSrc()
	signer, err := eip712.NewAssignmentSigner(d.matcher.key, eip712.MarketDomain(new(big.Int).SetUint64(d.chainID), d.sys.Market))
	if err != nil {
		return nil, err
	}
	mlog := d.log.With("component", "matcher")
	scfg := service.DefaultConfig(d.chainID, "demo-matcher")
	scfg.OfferTTL, scfg.Poll, scfg.RetryAfter = 30*time.Second, time.Second, 5*time.Second
	scfg.Params.MinStake = new(big.Int).Mul(big.NewInt(100), e18)
	svc, err := service.New(scfg, postgres.NewMatcherQueue(d.db), postgres.NewMatcherMaintenance(d.db), signer, service.NewFetcher(0, 5*time.Second, false), mlog, nil)
	if err != nil {
		return nil, err
	}
	verifier, err := eip712.NewRegistryVerifier(d.chainID, d.sys.Registry)
	if err != nil {
		return nil, err
	}
	apiSrv, err := api.New(api.Config{ChainID: d.chainID, Params: scfg.Params,
		Quote:    matcher.QuoteParams{MinimumPrice: big.NewInt(1000), ProtocolFeeBps: 250, CreatorShareBps: 0},
		Liveness: scfg.Liveness}, postgres.NewMatcherAPIStore(d.db), verifier, mlog, nil)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("demo: matcher listen: %w", err)
	}
	matcherURL := "http://" + ln.Addr().String()
	mux := http.NewServeMux()
	mux.Handle("/v1/", apiSrv.Handler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}

	alice, err := d.newTxm(ctx, d.alice)
	if err != nil {
		return nil, err
	}
	defer alice.Close()
	gas, err := d.newTxm(ctx, d.gas)
	if err != nil {
		return nil, err
	}
	defer gas.Close()
	arb, err := d.newTxm(ctx, d.arbiter)
	if err != nil {
		return nil, err
	}
	defer arb.Close()

	// Services live until the scenario ends (or, with Keep, until ctx ends).
	g, gctx := errgroup.WithContext(ctx)
	svcCtx, stopServices := context.WithCancel(gctx)
	defer stopServices()
	quiet := func(err error) error {
		if err != nil && svcCtx.Err() != nil && errors.Is(err, context.Canceled) {
			return nil
		}
		return err
	}
	g.Go(func() error { return quiet(ix.Run(svcCtx)) })
	g.Go(func() error {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return fmt.Errorf("matcher api: %w", err)
		}
		return nil
	})
	g.Go(func() error {
		<-svcCtx.Done()
		sctx, cancel := context.WithTimeout(context.WithoutCancel(svcCtx), 5*time.Second)
		defer cancel()
		return srv.Shutdown(sctx)
	})
	g.Go(func() error { return quiet(svc.Run(svcCtx, d.db)) })
	for _, t := range []*txm{alice, gas, arb} {
		g.Go(func() error { return quiet(t.Run(svcCtx)) })
	}

	var rep *Report
	g.Go(func() error {
		defer stopServices()
		var err error
		rep, err = d.scenario(gctx, matcherURL, alice, gas, arb)
		if err != nil {
			return err
		}
		if d.cfg.Keep {
			d.printKeep(matcherURL)
			<-gctx.Done()
		}
		return nil
	})
	err = g.Wait()
	if err != nil && ctx.Err() != nil {
		return rep, ctx.Err()
	}
	if err != nil {
		return rep, err
	}
	if len(rep.Problems) > 0 {
		return rep, fmt.Errorf("%w: %d disagreement(s): %s", ErrCheckFailed, len(rep.Problems), strings.Join(rep.Problems, "; "))
	}
	return rep, nil
}

func (d *demo) scenario(ctx context.Context, matcherURL string, alice, gas, arb *txm) (*Report, error) {
	t := time.Now()
	if err := d.registerProviders(ctx, matcherURL); err != nil {
		return nil, err
	}
	// The relayers run until the jobs are done and the earnings withdrawn.
	pg, pctx := errgroup.WithContext(ctx)
	provCtx, stopProviders := context.WithCancel(pctx)
	defer func() { stopProviders(); _ = pg.Wait() }()
	for _, p := range d.providers {
		pg.Go(func() error { return p.d.Run(provCtx) })
	}
	if err := d.waitOnline(ctx); err != nil {
		return nil, err
	}
	t = d.mark("register, stake, attest 3 providers", t)
	d.printf("  matcher    %s\n", matcherURL)
	for _, p := range d.providers {
		d.printf("  provider   %-13s %s  signer %s  results %s\n", p.name, p.operator.addr, p.signer.addr, p.d.ResultBaseURL())
	}
	if d.cfg.Ready != nil {
		d.cfg.Ready(d.info(matcherURL))
	}

	ctx, cancel := context.WithTimeout(ctx, d.cfg.Timeout)
	defer cancel()
	jobs, err := plans(ctx)
	if err != nil {
		return nil, err
	}
	if d.cfg.Short {
		var short []*jobPlan
		for _, j := range jobs {
			if j.short {
				short = append(short, j)
			}
		}
		jobs = short
	}
	mc, err := client.New(matcherURL, d.chainID, nil)
	if err != nil {
		return nil, err
	}
	for _, j := range jobs {
		if p, ok := j.params.(synthetic.LLMSpec); ok {
			p.Model = j.model
			j.params = p
		}
		j.want = gpumarket.JobStateSettled
		if j.story == "refund" {
			j.want = gpumarket.JobStateRefunded
		}
		if j.spec, err = synthetic.NewJobSpec(j.kind, j.model, j.params, j.req); err != nil {
			return nil, fmt.Errorf("spec of %s: %w", j.name, err)
		}
		if j.hash, err = mc.PostSpec(ctx, j.spec); err != nil {
			return nil, fmt.Errorf("upload spec of %s: %w", j.name, err)
		}
	}

	// Progress until the end of the scenario.
	sg, sctx := errgroup.WithContext(ctx)
	progressCtx, stopProgress := context.WithCancel(sctx) // progress only
	defer stopProgress()
	sg.Go(func() error { d.progress(progressCtx); return nil })

	c := &dapp{d: d, alice: alice, gas: gas, arb: arb, matcherURL: matcherURL}
	d.printf("\nscenario: %d jobs (render, tts, stt, llm; wallet and gasless orders), a reorg, a refund, a dispute\n", len(jobs))
	if err := alice.send(ctx, "approve-usdt", build(d.market.Approve(d.sys.Stablecoin, d.sys.Market, usdt(100_000)))); err != nil {
		return nil, err
	}
	if err := alice.wait(ctx, "approve-usdt"); err != nil {
		return nil, err
	}
	var wave1, wave2 []*jobPlan
	for _, j := range jobs {
		if j.wave == 1 {
			wave1 = append(wave1, j)
		} else {
			wave2 = append(wave2, j)
		}
	}
	if err := c.post(ctx, wave1); err != nil {
		return nil, err
	}
	if err := c.resolve(ctx, wave1); err != nil {
		return nil, err
	}
	// The dispute and the refund follow their jobs in the background.
	wg, wctx := errgroup.WithContext(ctx)
	for _, j := range jobs {
		switch j.story {
		case "dispute":
			wg.Go(func() error { return c.dispute(wctx, j) })
		case "refund":
			wg.Go(func() error { return c.refund(wctx, j) })
		}
	}
	t = d.mark("post wave 1", t)

	// The reorg: right after wave 2 is broadcast, while wave 1 is in flight.
	if err := d.waitInFlight(ctx); err != nil {
		return nil, err
	}
	reorg, err := c.postWithReorg(ctx, wave2)
	if err != nil {
		return nil, err
	}
	if err := c.resolve(ctx, wave2); err != nil {
		return nil, err
	}
	t = d.mark("post wave 2 + reorg", t)

	if err := d.waitTerminal(wctx, jobs); err != nil {
		if werr := wg.Wait(); werr != nil {
			return nil, werr
		}
		return nil, err
	}
	t = d.mark("all jobs final", t)
	if err := wg.Wait(); err != nil {
		return nil, err
	}
	// Earnings: the relayers withdraw on their schedule; alice withdraws her refunds.
	withdrawn := d.waitWithdrawn(ctx) == nil
	if err := alice.send(ctx, "withdraw-usdt", build(d.market.Withdraw(d.sys.Stablecoin))); err != nil {
		return nil, err
	}
	if err := alice.wait(ctx, "withdraw-usdt"); err != nil {
		return nil, err
	}
	t = d.mark("withdrawals", t)
	stopProviders()
	if err := pg.Wait(); err != nil && !errors.Is(err, context.Canceled) {
		return nil, fmt.Errorf("relayer: %w", err)
	}
	if err := d.waitIndexed(ctx); err != nil {
		return nil, err
	}
	stopProgress()
	_ = sg.Wait()
	d.progressLine(ctx)
	d.mark("relayers stopped, indexer caught up", t)

	rep, err := d.report(ctx, jobs, reorg, []*txm{alice, gas, arb})
	if err != nil {
		return nil, err
	}
	if !withdrawn {
		rep.Notes = append(rep.Notes, "a provider's earnings were not all withdrawn within the wait (they stay owed in the marketplace)")
	}
	rep.print(d.cfg.Out)
	return rep, nil
}

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

// dispute: when the provider submits, alice disputes; the arbiter then
// awards the provider half of what it claimed and slashes 5 GPUS of its
// stake to alice.
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
		c.d.printf("  alice disputes job %d (%s): \"the voice sounds robotic\"\n", j.id, j.name)
	}
	award := new(big.Int).Div(job.AmountDue, big.NewInt(2))
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
		if err := c.arb.send(ctx, key, build(c.d.market.ResolveDispute(&job.Job, award, slash))); err != nil {
			return err
		}
		if err := c.arb.wait(ctx, key); err != nil {
			if attempt >= 5 {
				return err
			}
			c.d.log.Warn("resolution did not go through; retrying", "job_id", j.id, "err", err)
			continue
		}
		c.d.printf("  arbiter resolves job %d: provider gets %s of %s USDT claimed, 5 GPUS of its stake go to alice\n",
			j.id, fmtUSDT(award), fmtUSDT(job.AmountDue))
	}
	return nil
}

// waitAnyState waits until job id is in one of states.
func (d *demo) waitAnyState(ctx context.Context, id gpumarket.JobID, states ...gpumarket.JobState) (*gpumarket.JobRecord, error) {
	var job *gpumarket.JobRecord
	err := poll(ctx, 250*time.Millisecond, func(ctx context.Context) (bool, error) {
		var err error
		if job, err = d.chain().Job(ctx, id); err != nil {
			return false, err
		}
		for _, s := range states {
			if job.State == s {
				return true, nil
			}
		}
		if job.State.Terminal() {
			return false, fmt.Errorf("job %d ended %s while waiting for %v", id, job.State, states)
		}
		return false, nil
	})
	return job, err
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
	key := "refund-" + j.id.String()
	if err := c.gas.send(ctx, key, build(c.d.market.Refund(&job.Job))); err != nil {
		return err
	}
	if err := c.gas.wait(ctx, key); err != nil {
		return err
	}
	c.d.printf("  job %d (%s) expired unserved: refunded %s USDT to its client (permissionless refund)\n", j.id, j.name, fmtUSDT(job.MaxPayment))
	return nil
}

func (d *demo) chain() *postgres.ChainState { return postgres.NewChainState(d.db, d.chainID) }

func (d *demo) journal() *postgres.Journal { return postgres.NewJournal(d.db) }

func (d *demo) countInFlight(ctx context.Context) (int, error) {
	n, err := d.chain().CountJobs(ctx, gpumarket.JobStateAssigned, gpumarket.JobStateSubmitted)
	return int(n), err
}

func (d *demo) waitInFlight(ctx context.Context) error {
	return poll(ctx, 250*time.Millisecond, func(ctx context.Context) (bool, error) {
		n, err := d.countInFlight(ctx)
		return n > 0, err
	})
}

func (d *demo) waitOnline(ctx context.Context) error {
	wctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	err := poll(wctx, 250*time.Millisecond, func(ctx context.Context) (bool, error) {
		n, err := d.chain().CountProviders(ctx, gpumarket.ProviderOnline, gpumarket.ProviderBusy)
		return n == int64(len(d.providers)), err
	})
	if err != nil {
		return fmt.Errorf("wait for the providers to be online: %w", err)
	}
	return nil
}

func (d *demo) waitTerminal(ctx context.Context, jobs []*jobPlan) error {
	err := poll(ctx, 500*time.Millisecond, func(ctx context.Context) (bool, error) {
		n, err := d.chain().CountJobs(ctx, gpumarket.JobStateSettled, gpumarket.JobStateRefunded, gpumarket.JobStateCancelled)
		return n == int64(len(jobs)), err
	})
	if err != nil {
		return fmt.Errorf("wait for every job to be settled or refunded: %w", err)
	}
	return nil
}

// waitWithdrawn waits (at most a minute) until no provider has earnings
// left in the marketplace.
func (d *demo) waitWithdrawn(ctx context.Context) error {
	wctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	return poll(wctx, time.Second, func(ctx context.Context) (bool, error) {
		for _, p := range d.providers {
			b, err := d.market.BalanceOf(ctx, d.sys.Stablecoin, p.operator.addr)
			if err != nil || b.Sign() != 0 {
				return false, err
			}
		}
		return true, nil
	})
}

// waitIndexed waits until the indexer's cursor is at the chain's head as it
// was when called.
func (d *demo) waitIndexed(ctx context.Context) error {
	head, err := d.node.BlockNumber(ctx)
	if err != nil {
		return err
	}
	return poll(ctx, 100*time.Millisecond, func(ctx context.Context) (bool, error) {
		cur, err := postgres.NewIndexerStore(d.db).Cursor(ctx, d.chainID)
		if gpumarket.ErrorCode(err) == gpumarket.ENOTFOUND {
			return false, nil
		}
		return cur.Number >= head, err
	})
}

func (d *demo) info(matcherURL string) *Info {
	return &Info{RunDir: d.runDir, NodeURL: d.node.URL, DatabaseURL: d.dbURL, MatcherURL: matcherURL, Deployment: d.depPath,
		Market: d.sys.Market, Registry: d.sys.Registry, Stablecoin: d.sys.Stablecoin}
}

func (d *demo) printKeep(matcherURL string) {
	w := d.cfg.Out
	fmt.Fprintf(w, "\n--keep: everything keeps running (indexer, matcher; anvil keeps mining). Ctrl-C stops it all.\n")
	fmt.Fprintf(w, "  psql '%s'\n", d.dbURL)
	fmt.Fprintf(w, "  cast block-number --rpc-url %s\n", d.node.URL)
	fmt.Fprintf(w, "  curl -s %s/v1/providers | head -c 600\n", matcherURL)
	fmt.Fprintf(w, "  deployment file: %s\n", d.depPath)
	fmt.Fprintf(w, "Example queries (migrations/ANALYTICS.md has ten more):\n")
	for _, q := range []string{
		`SELECT job_id, kind, state, provider, price, amount_due FROM v_jobs ORDER BY job_id;`,
		`SELECT * FROM v_job_funnel;`,
		`SELECT account, token, owed FROM v_balances_owed WHERE owed > 0;`,
		`SELECT * FROM v_provider_earnings;`,
		`SELECT ancestor, depth, logs_removed, detected_at FROM indexer_reorgs;`,
		`SELECT job_id, provider, score, runners_up FROM assignments ORDER BY job_id;`,
	} {
		fmt.Fprintf(w, "  %s\n", q)
	}
}
