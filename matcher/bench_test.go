package matcher

import (
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
)

var benchModels = map[gpumarket.JobKind][]string{
	gpumarket.JobKindRender: {"blender-cycles", "blender-eevee", "octane"},
	gpumarket.JobKindTTS:    {"voice-a", "voice-b", "voice-c", "voice-d"},
	gpumarket.JobKindSTT:    {"whisper-large-v3", "whisper-small"},
	gpumarket.JobKindLLM:    {"llama-3-8b", "llama-3-70b", "mistral-7b", "mixtral-8x7b", "qwen-2-7b", "phi-3"},
}

// benchMarket builds n providers with one or two capabilities, one to three
// models each, varied prices, stake, reputation, latency and load, from a
// fixed seed. With everyModel, every provider serves every LLM model (the
// worst case: all n providers are candidates for every job).
func benchMarket(n int, everyModel bool) []*Candidate {
	rng := rand.New(rand.NewPCG(1, 2))
	var out []*Candidate
	for i := range n {
		p := addr(i + 1)
		p[0] = byte(i >> 16) // unique for n > 65535 too
		att := &gpumarket.Attestation{
			Provider: p, GPUModel: "GPU", GPUCount: uint32(1 + rng.IntN(4)), VRAMMiB: []uint32{8192, 16384, 24576, 49152, 81920}[rng.IntN(5)],
			Architecture: gpumarket.ArchNVIDIA, CUDAVersion: "12.4", DriverVersion: "550", ComputeCapability: "8.9",
			Slots: uint32(1 + rng.IntN(4)), Region: "eu", Token: testToken,
			IssuedAt: testNow.Unix() - 60, ExpiresAt: testNow.Unix() + 86400,
		}
		kinds := []gpumarket.JobKind{gpumarket.JobKind(rng.IntN(4))}
		if rng.IntN(2) == 0 {
			kinds = append(kinds, gpumarket.JobKind(rng.IntN(4)))
		}
		if everyModel {
			kinds = []gpumarket.JobKind{gpumarket.JobKindLLM}
		}
		for _, k := range kinds {
			if att.Capability(k) != nil {
				continue
			}
			ms := benchModels[k]
			models := []string{ms[rng.IntN(len(ms))]}
			if everyModel {
				models = ms
			} else if extra := ms[rng.IntN(len(ms))]; extra != models[0] {
				models = append(models, extra)
			}
			var prices []gpumarket.Price
			for _, u := range k.Units() {
				prices = append(prices, gpumarket.Price{Unit: u, Amount: big.NewInt(int64(500 + rng.IntN(1500)))})
			}
			att.Capabilities = append(att.Capabilities, gpumarket.Capability{Kind: k, Models: models, Prices: prices})
		}
		status := gpumarket.ProviderOnline
		if rng.IntN(10) == 0 {
			status = gpumarket.ProviderOffline
		}
		out = append(out, &Candidate{
			Provider: p, Status: status, Attestation: att, Stake: stake(int64(rng.IntN(20))),
			Reputation: uint32(rng.IntN(Scale)), LatencyMs: uint32(rng.IntN(5000)), LoadBps: uint32(rng.IntN(10001)),
		})
	}
	return out
}

// benchJobs returns n jobs over all kinds and models with varied estimates,
// requirements and budgets.
func benchJobs(n int, onlyLLM bool) []*Request {
	rng := rand.New(rand.NewPCG(3, 4))
	var out []*Request
	for i := range n {
		k := gpumarket.JobKind(rng.IntN(4))
		if onlyLLM {
			k = gpumarket.JobKindLLM
		}
		ms := benchModels[k]
		var e gpumarket.Estimate
		switch k {
		case gpumarket.JobKindRender:
			e = gpumarket.Estimate{Frames: uint64(1 + rng.IntN(500)), GPUSeconds: uint64(rng.IntN(3600))}
		case gpumarket.JobKindTTS:
			e = gpumarket.Estimate{Characters: uint64(1 + rng.IntN(100_000))}
		case gpumarket.JobKindSTT:
			e = gpumarket.Estimate{AudioSeconds: uint64(1 + rng.IntN(3600))}
		case gpumarket.JobKindLLM:
			e = gpumarket.Estimate{InputTokens: uint64(1 + rng.IntN(8000)), OutputTokens: uint64(rng.IntN(2000))}
		}
		out = append(out, &Request{
			Job: &gpumarket.Job{ID: gpumarket.JobID(i + 1), Kind: k, Token: testToken, MaxPayment: big.NewInt(int64(1 + rng.IntN(10_000_000)))},
			Spec: &gpumarket.JobSpec{Kind: k, Model: ms[rng.IntN(len(ms))], Inputs: []gpumarket.JobInput{{Name: "in", URI: "data:,x"}},
				Requirements: gpumarket.Requirements{GPUCount: uint32(1 + rng.IntN(2)), MinVRAMMiB: []uint32{0, 8192, 16384, 24576}[rng.IntN(4)], Estimate: e}},
		})
	}
	return out
}

// BenchmarkDecide runs a stream of jobs through the in-memory matcher with
// 10,000 providers: index lookup, filters, scoring, top-k, offer in the book
// (capacity reserved), and a finish of an older job so that slots recycle.
// It reports decisions per second and the 99th percentile time per decision,
// measured per iteration with the monotonic clock, and the process CPU time
// per decision (user+system, GC included), which is the figure to trust when
// other processes compete for the CPUs.
func BenchmarkDecide(b *testing.B) {
	for _, bc := range []struct {
		name       string
		everyModel bool
	}{
		{"10k-providers-indexed", false},
		{"10k-providers-all-candidates", true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			cands := benchMarket(10_000, bc.everyModel)
			idx := NewIndex(cands)
			byAddr := make(map[gpumarket.Address]*Candidate, len(cands))
			for _, c := range cands {
				byAddr[c.Provider] = c
			}
			jobs := benchJobs(4096, bc.everyModel)
			d, err := NewDecider(DefaultParams())
			if err != nil {
				b.Fatal(err)
			}
			clock := &fakeClock{testNow}
			book, err := NewBook(time.Minute, clock.now)
			if err != nil {
				b.Fatal(err)
			}
			var (
				lat        []time.Duration
				assigned   int
				considered int
				inflight   []gpumarket.JobID
				owner      = map[gpumarket.JobID]gpumarket.Address{}
				seq        gpumarket.JobID
			)
			sync := func(p gpumarket.Address) { byAddr[p].InFlight = book.InFlight(p) }
			cpu0, cpuOK := processCPUTime()
			for i := 0; b.Loop(); i++ {
				tmpl := jobs[i%len(jobs)]
				seq++
				job := *tmpl.Job
				job.ID = seq
				req := &Request{Job: &job, Spec: tmpl.Spec}
				start := time.Now()
				dec, err := d.DecideIndexed(req, idx, testNow, DecideOptions{})
				if err != nil {
					b.Fatal(err)
				}
				considered += dec.Considered
				if _, ok := dec.Choice(); ok {
					if o, err := book.Offer(dec); err == nil {
						sync(o.Assignment.Provider)
						assigned++
						inflight = append(inflight, seq)
						owner[seq] = o.Assignment.Provider
					}
				}
				lat = append(lat, time.Since(start))
				// Keep about 5,000 jobs in flight: finish the oldest.
				if len(inflight) > 5000 {
					id := inflight[0]
					inflight = inflight[1:]
					book.Finished(id)
					sync(owner[id])
					delete(owner, id)
				}
			}
			b.StopTimer()
			if cpu1, ok := processCPUTime(); ok && cpuOK {
				b.ReportMetric(float64((cpu1-cpu0).Microseconds())/float64(len(lat)), "cpu-µs/decision")
			}
			slices.Sort(lat)
			p99 := lat[(len(lat)*99)/100]
			b.ReportMetric(float64(len(lat))/b.Elapsed().Seconds(), "decisions/s")
			b.ReportMetric(float64(p99.Microseconds()), "p99-µs/decision")
			b.ReportMetric(float64(assigned)/float64(len(lat)), "assigned/decision")
			b.ReportMetric(float64(considered)/float64(len(lat)), "candidates/decision")
		})
	}
}

// TestBenchMarketSane keeps the benchmark honest: its jobs find providers,
// and capacity is never exceeded over a stream.
func TestBenchMarketSane(t *testing.T) {
	cands := benchMarket(2000, false)
	idx := NewIndex(cands)
	byAddr := map[gpumarket.Address]*Candidate{}
	for _, c := range cands {
		byAddr[c.Provider] = c
	}
	d, _ := NewDecider(DefaultParams())
	clock := &fakeClock{testNow}
	book, _ := NewBook(time.Minute, clock.now)
	assigned := 0
	for _, req := range benchJobs(3000, false) {
		dec, err := d.Decide(req, idx.Candidates(req.Spec.Kind, req.Spec.Model), testNow, DecideOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if o, err := book.Offer(dec); err == nil {
			assigned++
			c := byAddr[o.Assignment.Provider]
			c.InFlight = book.InFlight(c.Provider)
			if c.InFlight > c.Attestation.Slots {
				t.Fatalf("provider %s holds %d jobs with %d slots", c.Provider, c.InFlight, c.Attestation.Slots)
			}
		}
	}
	if assigned < 500 {
		t.Errorf("assigned %d of 3000 jobs, want a market where most small jobs find a provider", assigned)
	}
	t.Logf("assigned %d of 3000 jobs", assigned)
}
