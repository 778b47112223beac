package demo

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/gpumarket/gpumarket/internal/eth/market"
	"github.com/gpumarket/gpumarket/internal/eth/orders"

	"github.com/gpumarket/gpumarket/relayer/executor/synthetic"

	"github.com/gpumarket/gpumarket/internal/eth/eip712"

	"golang.org/x/sync/errgroup"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/blobstore"
	"github.com/gpumarket/gpumarket/internal/httpserve"
	"github.com/gpumarket/gpumarket/internal/postgres"
	"github.com/gpumarket/gpumarket/internal/webui"
	"github.com/gpumarket/gpumarket/matcher"
	"github.com/gpumarket/gpumarket/matcher/api"
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
	// scene: a render job of blenderModel whose .blend (Blender's test
	// scene) is uploaded to the matcher's input store and referenced by
	// URI, sha256 and size, when Blender is installed.
	scene bool

	spec []byte
	hash gpumarket.Hash
	id   gpumarket.JobID
	want gpumarket.JobState
}

func u64(v uint64) *uint64 { return &v }

// speechText is a tts job's parameters as both the demo executor
// (synthetic.TTSSpec) and the espeak-ng engine (openai.TTSParams) read
// them: the text alone.
type speechText struct {
	Text string `json:"text"`
}

// plans returns the scenario's jobs; the stt jobs transcribe text spoken
// by espeak-ng when it is installed, or else audio made by the demo
// executor's own text-to-speech.
func plans(ctx context.Context) ([]*jobPlan, error) {
	wav := func(text string) (string, error) {
		if b, ok := spokenWAV(ctx, text); ok {
			return b64(b), nil
		}
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
			params: speechText{Text: chapter}, req: tts(chapter), maxPay: usdt(50)},
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
			params: speechText{Text: podcast}, req: tts(podcast), maxPay: usdt(50)},
		// Wave 2: posted right before the reorg.
		// Blender's parameters, which the demo executor reads too.
		{name: "product-turntable", kind: gpumarket.JobKindRender, model: blenderModel, order: true, short: true, wave: 2, scene: true,
			params: map[string]any{"frame_start": 1, "frame_end": 1, "width": 64, "height": 48, "samples": 4}, req: render(1, 1), maxPay: usdt(120)},
		{name: "code-review-8b", kind: gpumarket.JobKindLLM, model: "llama-3-8b-instruct", order: true, wave: 2,
			params: synthetic.LLMSpec{Prompt: "Review: for i := range n { go f(i) } // who waits?", MaxTokens: 64, Seed: u64(11)},
			req:    llm(8192, 24, 64), maxPay: usdt(60)},
		{name: "voicemail", kind: gpumarket.JobKindSTT, model: "whisper-small", wave: 2,
			params: synthetic.STTSpec{Audio: voicemail}, req: stt(20), maxPay: usdt(40)},
		{name: "ivr-prompts", kind: gpumarket.JobKindTTS, model: "piper-en-amy", short: true, wave: 2,
			params: speechText{Text: ivr}, req: tts(ivr), maxPay: usdt(30)},
		{name: "logo-zoom", kind: gpumarket.JobKindRender, model: "mandelbrot", wave: 2,
			params: synthetic.RenderSpec{Width: 96, Height: 96, Frames: 2, MaxIter: 200}, req: render(2, 1), maxPay: usdt(80)},
	}, nil
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
	if scfg.Reservation, err = d.market.ReservationRule(ctx); err != nil {
		return nil, err
	}
	scfg.JobHash = market.JobHashAtCreation
	scfg.Attestations = service.NewAttestationCache(0) // shared with the API's quotes
	svc, err := service.New(scfg, postgres.NewMatcherQueue(d.db), postgres.NewMatcherMaintenance(d.db), signer, service.NewFetcher(0, 5*time.Second, false), mlog, nil)
	if err != nil {
		return nil, err
	}
	verifier, err := eip712.NewRegistryVerifier(d.chainID, d.sys.Registry)
	if err != nil {
		return nil, err
	}
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
	// The matcher relays gasless orders (POST /v1/orders) through the order
	// relayer's manager.
	relay, err := orders.New(d.market, gas.Manager, 0)
	if err != nil {
		return nil, err
	}
	// The input store: a directory in the run directory.
	blobDir, err := filepath.Abs(filepath.Join(d.runDir, "blobs"))
	if err != nil {
		return nil, err
	}
	blobs, err := blobstore.Open(ctx, "file://"+filepath.ToSlash(blobDir))
	if err != nil {
		return nil, err
	}
	defer blobs.Close()
	apiSrv, err := api.New(api.Config{ChainID: d.chainID, Params: scfg.Params,
		Quote:    matcher.QuoteParams{MinimumPrice: big.NewInt(1000), ProtocolFeeBps: 250, CreatorShareBps: 0},
		Liveness: scfg.Liveness, Attestations: scfg.Attestations, Orders: relay, Blobs: blobs}, postgres.NewMatcherAPIStore(d.db), verifier, mlog, nil)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/v1/", apiSrv.Handler())
	// The explorer and post-a-job page at / (as matcher run serves it).
	if err := webui.Register(mux, webui.Config{ChainID: d.chainID, Market: d.sys.Market, Registry: d.sys.Registry,
		Tokens: []webui.Token{{Address: d.sys.Stablecoin, Symbol: "USDT", Decimals: 6}, {Address: d.sys.StakingToken, Symbol: "GPUS", Decimals: 18}}}); err != nil {
		return nil, err
	}
	// The server's limits are httpserve's defaults; no access log (the
	// demo's relayers poll every second).
	srv, err := httpserve.Listen("127.0.0.1:0", httpserve.Config{MaxBodyBytes: apiSrv.MaxBodyBytes()}, mux, nil)
	if err != nil {
		return nil, fmt.Errorf("demo: matcher listen: %w", err)
	}
	matcherURL := "http://" + srv.Addr().String()

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
		if err := srv.Run(svcCtx); err != nil {
			return fmt.Errorf("matcher api: %w", err)
		}
		return nil
	})
	g.Go(func() error { return quiet(svc.Run(svcCtx, d.db)) })
	g.Go(func() error { return quiet(apiSrv.RunEvents(svcCtx, d.db)) }) // the status streams' LISTEN
	for _, t := range []*txm{alice, gas, arb} {
		g.Go(func() error { return quiet(t.Run(svcCtx)) })
	}

	var rep *Report
	g.Go(func() error {
		defer stopServices()
		var err error
		rep, err = d.scenario(gctx, matcherURL, alice, gas, arb)
		return err
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

// scenario runs the jobs, checks the end state and returns the report;
// with Keep, it then keeps the providers running (and refunds expired jobs)
// until ctx ends.
func (d *demo) scenario(ctx context.Context, matcherURL string, alice, gas, arb *txm) (*Report, error) {
	t := time.Now()
	outer := ctx // the scenario's timeout does not bound --keep
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
	d.printf("  explorer   %s/  (providers, jobs, charts; post a job from a browser wallet)\n", matcherURL)
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
		if j.scene && d.blender != nil {
			if j.spec, err = d.withScene(ctx, matcherURL, j.spec); err != nil {
				return nil, fmt.Errorf("spec of %s: %w", j.name, err)
			}
		}
	}

	// Progress until the end of the scenario.
	sg, sctx := errgroup.WithContext(ctx)
	progressCtx, stopProgress := context.WithCancel(sctx) // progress only
	defer stopProgress()
	sg.Go(func() error { d.progress(progressCtx); return nil })

	c, err := newDapp(ctx, d, matcherURL, alice, gas, arb)
	if err != nil {
		return nil, err
	}
	defer c.Close()
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
	// The end state refunds every job that expired unserved (the refund
	// story's job is refunded already: the key is the same).
	if _, err := d.refundExpired(ctx, gas); err != nil {
		return nil, err
	}
	// Earnings: the relayers withdraw on their schedule; alice withdraws her refunds.
	withdrawn := d.waitWithdrawn(ctx) == nil
	if _, err := c.aliceC.WithTxKey("withdraw-usdt").Withdraw(ctx, d.sys.Stablecoin); err != nil {
		return nil, err
	}
	t = d.mark("withdrawals", t)
	if !d.cfg.Keep { // with --keep the providers keep serving
		stopProviders()
		if err := pg.Wait(); err != nil && !errors.Is(err, context.Canceled) {
			return nil, fmt.Errorf("relayer: %w", err)
		}
	}
	if err := d.waitIndexed(ctx); err != nil {
		return nil, err
	}
	stopProgress()
	_ = sg.Wait()
	d.progressLine(ctx)
	if d.cfg.Keep {
		d.mark("indexer caught up (relayers keep running)", t)
	} else {
		d.mark("relayers stopped, indexer caught up", t)
	}

	rep, err := d.report(ctx, jobs, reorg, []*txm{alice, gas, arb})
	if err != nil {
		return nil, err
	}
	if !withdrawn {
		rep.Notes = append(rep.Notes, "a provider's earnings were not all withdrawn within the wait (they stay owed in the marketplace)")
	}
	rep.print(d.cfg.Out)
	if d.cfg.Keep {
		return rep, d.keep(outer, matcherURL, gas, jobs)
	}
	return rep, nil
}

// keep funds the tour's client, prints the tour and refunds expired jobs
// until ctx ends (a normal return), the providers still running.
func (d *demo) keep(ctx context.Context, matcherURL string, gas *txm, jobs []*jobPlan) error {
	c, err := d.newTourClient(ctx, gas)
	if err != nil {
		return err
	}
	var last gpumarket.JobID
	for _, j := range jobs {
		last = max(last, j.id)
	}
	d.printKeep(matcherURL, c, last)
	if d.cfg.Kept != nil {
		d.cfg.Kept(d.info(matcherURL), c.keyFile)
	}
	d.keepRefunding(ctx, gas, 10*time.Second)
	return nil
}

func (d *demo) info(matcherURL string) *Info {
	return &Info{RunDir: d.runDir, NodeURL: d.node.URL, DatabaseURL: d.dbURL, MatcherURL: matcherURL, Deployment: d.depPath,
		Market: d.sys.Market, Registry: d.sys.Registry, Stablecoin: d.sys.Stablecoin, Staking: d.sys.StakingToken}
}
