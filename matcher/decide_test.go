package matcher

import (
	"encoding/json"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
)

var (
	testNow   = time.Unix(1_790_000_000, 0)
	testToken = gpumarket.Address{0x70}
	e18       = new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)
)

func addr(n int) gpumarket.Address {
	var a gpumarket.Address
	a[18], a[19] = byte(n>>8), byte(n)
	return a
}

func stake(units int64) *big.Int { return new(big.Int).Mul(big.NewInt(units), e18) }

// llmAttestation returns a valid attestation of provider p serving the LLM
// model "llama-3-8b" at price per 1k tokens.
func llmAttestation(p gpumarket.Address, price int64) *gpumarket.Attestation {
	return &gpumarket.Attestation{
		Provider: p, GPUModel: "RTX 4090", GPUCount: 1, VRAMMiB: 24576, Architecture: gpumarket.ArchNVIDIA,
		CUDAVersion: "12.4", DriverVersion: "550", ComputeCapability: "8.9", Slots: 2, Region: "eu", Token: testToken,
		Capabilities: []gpumarket.Capability{{Kind: gpumarket.JobKindLLM, Models: []string{"llama-3-8b"},
			Prices: []gpumarket.Price{{Unit: gpumarket.UnitKTokens, Amount: big.NewInt(price)}}}},
		IssuedAt: testNow.Unix() - 60, ExpiresAt: testNow.Unix() + 3600,
	}
}

// candidate returns an online, staked LLM candidate with neutral scores.
func candidate(n int, price int64) *Candidate {
	p := addr(n)
	return &Candidate{
		Provider: p, Status: gpumarket.ProviderOnline, Attestation: llmAttestation(p, price),
		Stake: stake(5), Reputation: Scale / 2, LatencyMs: 2000, LoadBps: 5000,
	}
}

// llmRequest asks for 10,000 tokens of llama-3-8b with the given maximum
// payment, so a candidate at price P per 1k tokens costs 10·P.
func llmRequest(id gpumarket.JobID, maxPayment int64) *Request {
	return &Request{
		Job: &gpumarket.Job{ChainID: 31337, ID: id, Kind: gpumarket.JobKindLLM, State: gpumarket.JobStateOpen,
			Token: testToken, MaxPayment: big.NewInt(maxPayment)},
		Spec: &gpumarket.JobSpec{Kind: gpumarket.JobKindLLM, Model: "llama-3-8b",
			Inputs: []gpumarket.JobInput{{Name: "prompt", URI: "data:,hi"}},
			Requirements: gpumarket.Requirements{MinVRAMMiB: 16384, GPUCount: 1,
				Estimate: gpumarket.Estimate{InputTokens: 8000, OutputTokens: 2000}}},
	}
}

func newDecider(tb testing.TB, mutate func(p *Params)) *Decider {
	tb.Helper()
	p := DefaultParams()
	if mutate != nil {
		mutate(&p)
	}
	d, err := NewDecider(p)
	if err != nil {
		tb.Fatal(err)
	}
	return d
}

func TestHardFilters(t *testing.T) {
	params := DefaultParams()
	tests := []struct {
		name   string
		mutate func(c *Candidate, r *Request)
		want   Reason
		detail string // substring of the detail
	}{
		{"eligible", func(c *Candidate, r *Request) {}, Eligible, ""},
		{"preferred is me", func(c *Candidate, r *Request) { r.Job.PreferredProvider = c.Provider }, Eligible, ""},
		{"preferred is another", func(c *Candidate, r *Request) { r.Job.PreferredProvider = addr(999) }, RejectNotPreferred, addr(999).String()},
		{"offline", func(c *Candidate, r *Request) { c.Status = gpumarket.ProviderOffline }, RejectStatus, "offline"},
		{"busy", func(c *Candidate, r *Request) { c.Status = gpumarket.ProviderBusy }, RejectStatus, "busy"},
		{"suspended", func(c *Candidate, r *Request) { c.Status = gpumarket.ProviderSuspended }, RejectStatus, "suspended"},
		{"no attestation", func(c *Candidate, r *Request) { c.Attestation = nil }, RejectNoAttestation, "attestation"},
		{"attestation expired", func(c *Candidate, r *Request) { c.Attestation.ExpiresAt = testNow.Unix() }, RejectAttestationExpired, "expired"},
		{"other token", func(c *Candidate, r *Request) { r.Job.Token = gpumarket.Address{0x71} }, RejectToken, "token"},
		{"no capability", func(c *Candidate, r *Request) {
			r.Job.Kind, r.Spec.Kind = gpumarket.JobKindTTS, gpumarket.JobKindTTS
			r.Spec.Requirements.Estimate = gpumarket.Estimate{Characters: 10}
		}, RejectCapability, "tts"},
		{"other model", func(c *Candidate, r *Request) { r.Spec.Model = "llama-3-70b" }, RejectModel, "llama-3-70b"},
		{"too few gpus", func(c *Candidate, r *Request) { r.Spec.Requirements.GPUCount = 2 }, RejectGPUCount, "needs 2"},
		{"too little vram", func(c *Candidate, r *Request) { r.Spec.Requirements.MinVRAMMiB = 40960 }, RejectVRAM, "40960"},
		{"vram exactly enough", func(c *Candidate, r *Request) { r.Spec.Requirements.MinVRAMMiB = 24576 }, Eligible, ""},
		{"stake below minimum", func(c *Candidate, r *Request) { c.Stake = new(big.Int).Sub(e18, big.NewInt(1)) }, RejectStake, "below minimum"},
		{"no stake", func(c *Candidate, r *Request) { c.Stake = nil }, RejectStake, ""},
		{"stake exactly minimum", func(c *Candidate, r *Request) { c.Stake = new(big.Int).Set(e18) }, Eligible, ""},
		{"all slots taken", func(c *Candidate, r *Request) { c.InFlight = 2 }, RejectCapacity, "2 of 2"},
		{"one slot free", func(c *Candidate, r *Request) { c.InFlight = 1 }, Eligible, ""},
		{"too expensive", func(c *Candidate, r *Request) { r.Job.MaxPayment = big.NewInt(9999) }, RejectPrice, "price 10000"},
		{"price exactly max", func(c *Candidate, r *Request) { r.Job.MaxPayment = big.NewInt(10000) }, Eligible, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, r := candidate(1, 1000), llmRequest(1, 1_000_000)
			tt.mutate(c, r)
			rej, cost := Check(r, c, &params, testNow)
			if rej.Reason != tt.want {
				t.Fatalf("Check(%s) = %v (%s), want %v", tt.name, rej.Reason, rej.Detail, tt.want)
			}
			if !strings.Contains(rej.Detail, tt.detail) {
				t.Errorf("Check(%s) detail = %q, want it to contain %q", tt.name, rej.Detail, tt.detail)
			}
			if (cost != nil) != (tt.want == Eligible) {
				t.Errorf("Check(%s) cost = %v, want one only when eligible", tt.name, cost)
			}
			if tt.want == Eligible && cost.Int64() != 10000 {
				t.Errorf("Check(%s) cost = %v, want 10000", tt.name, cost)
			}
		})
	}
}

func TestCost(t *testing.T) {
	huge := new(big.Int).Lsh(big.NewInt(1), 200)
	render := func(frame, sec *big.Int) *gpumarket.Capability {
		return &gpumarket.Capability{Kind: gpumarket.JobKindRender, Models: []string{"blender"}, Prices: []gpumarket.Price{
			{Unit: gpumarket.UnitFrame, Amount: frame}, {Unit: gpumarket.UnitGPUSecond, Amount: sec}}}
	}
	tests := []struct {
		name string
		c    *gpumarket.Capability
		e    gpumarket.Estimate
		want *big.Int
	}{
		{"render both units", render(big.NewInt(20000), big.NewInt(150)), gpumarket.Estimate{Frames: 240, GPUSeconds: 3600}, big.NewInt(240*20000 + 3600*150)},
		{"render big price", render(huge, big.NewInt(1)), gpumarket.Estimate{Frames: 3, GPUSeconds: 1}, new(big.Int).Add(new(big.Int).Mul(huge, big.NewInt(3)), big.NewInt(1))},
		{"overflowing product", render(new(big.Int).SetUint64(1<<63), big.NewInt(0)), gpumarket.Estimate{Frames: 4}, new(big.Int).Lsh(big.NewInt(1), 65)},
		{"overflowing sum", render(new(big.Int).SetUint64(1<<63), new(big.Int).SetUint64(1<<63)), gpumarket.Estimate{Frames: 1, GPUSeconds: 1}, new(big.Int).Lsh(big.NewInt(1), 64)},
		{"llm rounds up", &llmAttestation(addr(1), 7).Capabilities[0], gpumarket.Estimate{InputTokens: 1, OutputTokens: 0}, big.NewInt(1)},
		{"missing price", &gpumarket.Capability{Kind: gpumarket.JobKindTTS}, gpumarket.Estimate{Characters: 1}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Cost(tt.c, tt.e)
			if (got == nil) != (tt.want == nil) || (got != nil && got.Cmp(tt.want) != 0) {
				t.Errorf("Cost(%s) = %v, want %v", tt.name, got, tt.want)
			}
		})
	}
}

func TestScoreComponents(t *testing.T) {
	p := DefaultParams()
	tests := []struct {
		name          string
		c             *Candidate
		cost, minCost int64
		want          Score
	}{
		{"cheapest, neutral", candidate(1, 1000), 100, 100,
			Score{Price: Scale, Reputation: Scale / 2, Latency: Scale / 2, Load: Scale / 2, Stake: Scale / 2}},
		{"twice the cheapest", candidate(1, 1000), 200, 100,
			Score{Price: Scale / 2, Reputation: Scale / 2, Latency: Scale / 2, Load: Scale / 2, Stake: Scale / 2}},
		{"free", candidate(1, 0), 0, 0,
			Score{Price: Scale, Reputation: Scale / 2, Latency: Scale / 2, Load: Scale / 2, Stake: Scale / 2}},
		{"perfect", &Candidate{Reputation: Scale, LatencyMs: 1, LoadBps: 0, Stake: stake(1000)}, 5, 5,
			Score{Price: Scale, Reputation: Scale, Latency: 999500, Load: Scale, Stake: Scale}},
		{"unknown latency is the reference", &Candidate{LatencyMs: 0, Stake: stake(1)}, 5, 5,
			Score{Price: Scale, Latency: Scale / 2, Load: Scale, Stake: Scale / 10}},
		{"reputation clamped", &Candidate{Reputation: 5 * Scale, LoadBps: 10000, Stake: stake(1)}, 5, 5,
			Score{Price: Scale, Reputation: Scale, Latency: Scale / 2, Stake: Scale / 10}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Without benchmarks: throughput neutral, its weight on price.
			w := p.Weights
			w.Price, w.Throughput = w.Price+w.Throughput, 0
			tt.want.Throughput = NeutralThroughput
			tt.want.Total = tt.want.weighted(w)
			got := ScoreOf(tt.c, big.NewInt(tt.cost), big.NewInt(tt.minCost), &p)
			if got != tt.want {
				t.Errorf("Score(%s) = %+v, want %+v", tt.name, got, tt.want)
			}
		})
	}
	// The documented total of the neutral cheapest candidate:
	// 0.35·1 + 0.25·0.5 + 0.15·0.5 + 0.10·0.5 + 0.15·0.5 = 0.675.
	if got := ScoreOf(candidate(1, 1), big.NewInt(1), big.NewInt(1), &p).Total; got != 675_000 {
		t.Errorf("Score(neutral cheapest).Total = %d, want 675000", got)
	}
}

func TestParamsValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(p *Params)
		field  string
	}{
		{"defaults", func(p *Params) {}, ""},
		{"weights sum", func(p *Params) { p.Weights.Price++ }, "weights"},
		{"stake weight too high", func(p *Params) { p.Weights.Stake, p.Weights.Price = 250_000, 150_000 }, "weights.stake"},
		{"no stake cap", func(p *Params) { p.StakeCap = nil }, "stake_cap"},
		{"negative min stake", func(p *Params) { p.MinStake = big.NewInt(-1) }, "min_stake"},
		{"no latency ref", func(p *Params) { p.LatencyRefMs = 0 }, "latency_ref_ms"},
		{"top k zero", func(p *Params) { p.TopK = 0 }, "top_k"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := DefaultParams()
			tt.mutate(&p)
			err := p.Validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if gpumarket.ErrorCode(err) != gpumarket.EINVALID || !strings.HasPrefix(gpumarket.ErrorMessage(err), tt.field+":") {
				t.Errorf("Validate() = %v, want %s naming %s", err, gpumarket.EINVALID, tt.field)
			}
		})
	}
}

// TestStakeCannotBuyTheMarket: a whale with unbounded stake but twice the
// price of an otherwise identical minimum-stake provider loses, and stake
// never moves a total by more than the stake weight.
func TestStakeCannotBuyTheMarket(t *testing.T) {
	d := newDecider(t, nil)
	whale := candidate(1, 2000)
	whale.Stake = new(big.Int).Lsh(big.NewInt(1), 200)
	small := candidate(2, 1000)
	small.Stake = new(big.Int).Set(e18)
	dec, err := d.Decide(llmRequest(1, 1_000_000), []*Candidate{whale, small}, testNow, DecideOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := dec.Choice(); got.Provider != small.Provider {
		t.Fatalf("Decide(whale at 2x price vs small) chose %s (%+v), want %s", got.Provider, dec.Ranked, small.Provider)
	}
	// Identical providers except stake: the difference is at most the weight.
	p := d.Params()
	for _, s := range []*big.Int{big.NewInt(0), e18, p.StakeCap, new(big.Int).Lsh(big.NewInt(1), 255)} {
		c := candidate(3, 1000)
		c.Stake = s
		rich := candidate(3, 1000)
		rich.Stake = new(big.Int).Lsh(big.NewInt(1), 255)
		diff := int64(ScoreOf(rich, big.NewInt(1), big.NewInt(1), &p).Total) - int64(ScoreOf(c, big.NewInt(1), big.NewInt(1), &p).Total)
		if diff < 0 || diff > int64(p.Weights.Stake) {
			t.Errorf("Score(stake 2^255) - Score(stake %v) = %d, want in [0, %d]", s, diff, p.Weights.Stake)
		}
	}
}

func TestDecideRanksAndExplains(t *testing.T) {
	d := newDecider(t, func(p *Params) { p.TopK = 3 })
	cands := []*Candidate{
		candidate(5, 1000),
		candidate(4, 1000), // ties with 5 on everything: lower address first
		candidate(3, 900),  // cheapest
		candidate(2, 1000),
		candidate(1, 500),
	}
	cands[4].Status = gpumarket.ProviderOffline // cheapest of all, but offline
	cands[3].Attestation.Capabilities[0].Models = []string{"other"}
	dec, err := d.Decide(llmRequest(7, 1_000_000), cands, testNow, DecideOptions{Rejections: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []gpumarket.Address
	for _, r := range dec.Ranked {
		got = append(got, r.Provider)
	}
	want := []gpumarket.Address{addr(3), addr(4), addr(5)}
	if len(got) != len(want) {
		t.Fatalf("Decide ranked %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Decide ranked %v, want %v", got, want)
		}
	}
	if dec.Considered != 5 || dec.Eligible != 3 || dec.RejectedFor(RejectStatus) != 1 || dec.RejectedFor(RejectModel) != 1 {
		t.Errorf("Decide counts = considered %d eligible %d rejected %v, want 5, 3, status 1 model 1", dec.Considered, dec.Eligible, dec.Rejected)
	}
	if dec.Rejected["status"] != 1 || dec.Rejected["model"] != 1 || len(dec.Rejected) != 2 {
		t.Errorf("Decision.Rejected = %v, want status:1 model:1", dec.Rejected)
	}
	if len(dec.Rejections) != 2 || dec.Rejections[0].Detail == "" {
		t.Errorf("Decision.Rejections = %+v, want two with details", dec.Rejections)
	}
	if top := dec.Ranked[0]; top.Cost.Int64() != 9000 || top.Score.Price != Scale || dec.Ranked[1].Score.Price != 900_000 {
		t.Errorf("Ranked[0] = %+v, Ranked[1].Price = %d; want cost 9000, price 1.0 then 0.9", top, dec.Ranked[1].Score.Price)
	}
	if dec.JobID != 7 || dec.At != testNow.Unix() || dec.Weights != d.Params().Weights {
		t.Errorf("Decision header = %d %d %+v", dec.JobID, dec.At, dec.Weights)
	}
}

// TestDecideDeterministic: any permutation of the candidates gives the same
// decision.
func TestDecideDeterministic(t *testing.T) {
	d := newDecider(t, nil)
	var cands []*Candidate
	for i := range 40 {
		c := candidate(i+1, int64(900+(i*37)%200))
		c.Reputation = uint32((i * 7919) % Scale)
		c.LatencyMs = uint32(100 + (i*131)%3000)
		cands = append(cands, c)
	}
	first, err := d.Decide(llmRequest(1, 1_000_000), cands, testNow, DecideOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for seed := 1; seed <= 20; seed++ {
		perm := append([]*Candidate(nil), cands...)
		for i := len(perm) - 1; i > 0; i-- { // deterministic shuffle
			j := (seed*7 + i*13) % (i + 1)
			perm[i], perm[j] = perm[j], perm[i]
		}
		again, err := d.Decide(llmRequest(1, 1_000_000), perm, testNow, DecideOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for i := range first.Ranked {
			if again.Ranked[i].Provider != first.Ranked[i].Provider || again.Ranked[i].Score != first.Ranked[i].Score {
				t.Fatalf("Decide(permutation %d).Ranked[%d] = %+v, want %+v", seed, i, again.Ranked[i], first.Ranked[i])
			}
		}
	}
}

func TestDecideInvalidRequest(t *testing.T) {
	d := newDecider(t, nil)
	r := llmRequest(1, 100)
	r.Spec.Kind = gpumarket.JobKindTTS
	if _, err := d.Decide(r, nil, testNow, DecideOptions{}); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Errorf("Decide(kind mismatch) = %v, want %s", err, gpumarket.EINVALID)
	}
	r = llmRequest(1, 100)
	r.Job.MaxPayment = nil
	if _, err := d.Decide(r, nil, testNow, DecideOptions{}); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Errorf("Decide(no max payment) = %v, want %s", err, gpumarket.EINVALID)
	}
	dec, err := d.Decide(llmRequest(1, 100), []*Candidate{candidate(1, 1000)}, testNow, DecideOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := dec.Choice(); ok || dec.RejectedFor(RejectPrice) != 1 {
		t.Errorf("Decide(all too expensive) = %+v, want no choice and one price rejection", dec)
	}
}

// TestDecisionJSON: the stored explanation carries every component, the
// weights, the rejection counts and the runners-up.
func TestDecisionJSON(t *testing.T) {
	d := newDecider(t, nil)
	cands := []*Candidate{candidate(1, 1000), candidate(2, 1200), candidate(3, 900)}
	cands[2].Status = gpumarket.ProviderBusy
	dec, err := d.Decide(llmRequest(3, 1_000_000), cands, testNow, DecideOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(dec)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		JobID    uint64         `json:"job_id"`
		Weights  Weights        `json:"weights"`
		Rejected map[string]int `json:"rejected"`
		Ranked   []struct {
			Provider gpumarket.Address `json:"provider"`
			Cost     string            `json:"cost"`
			Score    Score             `json:"score"`
		} `json:"ranked"`
	}
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("Unmarshal(%s) = %v", b, err)
	}
	if back.JobID != 3 || back.Weights != d.Params().Weights || back.Rejected["status"] != 1 || len(back.Ranked) != 2 {
		t.Fatalf("Decision JSON = %s", b)
	}
	if back.Ranked[0].Provider != addr(1) || back.Ranked[0].Cost != "10000" || back.Ranked[0].Score != dec.Ranked[0].Score {
		t.Errorf("Ranked[0] JSON = %+v, want provider %s, cost \"10000\" and %+v", back.Ranked[0], addr(1), dec.Ranked[0].Score)
	}
}
