package matcher

import (
	"math/big"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
)

var llmKey = RateKey{gpumarket.JobKindLLM, gpumarket.UnitKTokens, ClassLarge}

// honest returns n proven providers (full stake, full volume, seen now) with
// prices spread evenly over [100-spread, 100+spread].
func honest(n int, spread int64) []PricePoint {
	p := DefaultOracleParams()
	var out []PricePoint
	for i := range n {
		price := 100 - spread + 2*spread*int64(i)/int64(n-1)
		out = append(out, PricePoint{Provider: addr(1000 + i), Price: big.NewInt(price),
			Stake: p.StakeCap, Volume: p.VolumeCap, LastSeen: testNow})
	}
	return out
}

// fakes returns n unproven providers at price, each with an enormous stake
// and no completed volume.
func fakes(n int, price *big.Int) []PricePoint {
	var out []PricePoint
	for i := range n {
		out = append(out, PricePoint{Provider: addr(2000 + i), Price: price,
			Stake: new(big.Int).Lsh(big.NewInt(1), 200), LastSeen: testNow})
	}
	return out
}

func fairRate(tb testing.TB, pts []PricePoint, st []Settlement) *Rate {
	tb.Helper()
	p := DefaultOracleParams()
	r, err := FairRate(llmKey, pts, st, testNow, &p)
	if err != nil {
		tb.Fatalf("FairRate = %v", err)
	}
	return r
}

func TestFairRateBasics(t *testing.T) {
	p := DefaultOracleParams()
	tests := []struct {
		name      string
		pts       []PricePoint
		st        []Settlement
		fair      int64
		reference int64
		providers int
		flagged   int
	}{
		// 90, 95, 100, 105, 110 equally weighted: mean and median 100.
		{"five honest", honest(5, 10), nil, 100, 100, 5, 0},
		// Weight: stake part 1 + volume part 9·(v/cap). A provider at 200
		// with half stake and no volume weighs 0.5 against 10 for the one
		// at 100: (100·10 + 200·0.5)/10.5 = 104.76.
		{"weights", []PricePoint{
			{Provider: addr(1), Price: big.NewInt(100), Stake: p.StakeCap, Volume: p.VolumeCap, LastSeen: testNow},
			{Provider: addr(2), Price: big.NewInt(200), Stake: new(big.Int).Div(p.StakeCap, big.NewInt(2)), LastSeen: testNow},
		}, nil, 104, 100, 2, 0},
		{"stale excluded", append(honest(5, 10),
			PricePoint{Provider: addr(3), Price: big.NewInt(250), Stake: p.StakeCap, Volume: p.VolumeCap, LastSeen: testNow.Add(-p.StaleAfter - time.Second)}),
			nil, 100, 100, 5, 0},
		{"weightless excluded", append(honest(5, 10),
			PricePoint{Provider: addr(3), Price: big.NewInt(250), LastSeen: testNow}),
			nil, 100, 100, 5, 0},
		// A settlement at 130 for the full volume cap weighs 9 against 50.
		// (100·50 + 130·9)/59 = 104.57.
		{"settlement counts", honest(5, 10), []Settlement{
			{Provider: addr(1), UnitPrice: big.NewInt(130), Units: p.VolumeCap, At: testNow.Add(-time.Hour)},
			{Provider: addr(1), UnitPrice: big.NewInt(999), Units: p.VolumeCap, At: testNow.Add(-25 * time.Hour)}, // outside the window
		}, 104, 100, 5, 0},
		// 400 > 3·100 is flagged even though it is proven.
		{"expensive proven flagged", append(honest(5, 10),
			PricePoint{Provider: addr(3), Price: big.NewInt(400), Stake: p.StakeCap, Volume: p.VolumeCap, LastSeen: testNow}),
			nil, 100, 100, 6, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := fairRate(t, tt.pts, tt.st)
			if r.Fair.Int64() != tt.fair || r.Reference.Int64() != tt.reference || r.Providers != tt.providers || len(r.Flagged) != tt.flagged {
				t.Errorf("FairRate(%s) = fair %v ref %v providers %d flagged %v, want %d %d %d %d",
					tt.name, r.Fair, r.Reference, r.Providers, r.Flagged, tt.fair, tt.reference, tt.providers, tt.flagged)
			}
			if r.Low.Cmp(r.Fair) > 0 || r.High.Cmp(r.Fair) < 0 {
				t.Errorf("FairRate(%s) band [%v, %v] does not contain fair %v", tt.name, r.Low, r.High, r.Fair)
			}
		})
	}
	if _, err := FairRate(llmKey, nil, nil, testNow, &p); gpumarket.ErrorCode(err) != gpumarket.ENOTFOUND {
		t.Errorf("FairRate(nothing) = %v, want %s", err, gpumarket.ENOTFOUND)
	}
	bad := p
	bad.UnprovenShare = Scale / 2
	if _, err := FairRate(llmKey, honest(3, 1), nil, testNow, &bad); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Errorf("FairRate(unproven share 0.5) = %v, want %s", err, gpumarket.EINVALID)
	}
}

// TestFairRateManipulationBound is the oracle-manipulation test of the
// issue: ten (and a thousand) fake providers with stake but without volume,
// all cheap, all expensive or split, at every interesting price, never move
// the fair rate outside the bound documented on FairRate. Here: eleven honest
// providers at 90, 92, ..., 110 (μ = 100, L = 90, max H = 110), share α ≤ 0.1, so
//
//	100 − 0.1·(100 − 9) = 90.9  ≤  Fair  ≤  100 + 0.1·(330 − 100) = 123.
func TestFairRateManipulationBound(t *testing.T) {
	h := honest(11, 10)
	base := fairRate(t, h, nil)
	if base.Fair.Int64() != 100 || base.LowestProven.Int64() != 90 {
		t.Fatalf("honest market: fair %v lowest %v, want 100 and 90", base.Fair, base.LowestProven)
	}
	const lo, hi = 90, 123 // Fair is floored: floor(90.9) = 90
	prices := []*big.Int{
		big.NewInt(0), big.NewInt(1), big.NewInt(8), big.NewInt(9), big.NewInt(10), big.NewInt(50),
		big.NewInt(95), big.NewInt(200), big.NewInt(300), big.NewInt(330), big.NewInt(331),
		new(big.Int).Exp(big.NewInt(10), big.NewInt(30), nil),
	}
	for _, n := range []int{10, 1000} {
		seenLo, seenHi := int64(1<<62), int64(0)
		for _, cheap := range prices {
			for _, dear := range prices {
				pts := append(append(append([]PricePoint(nil), h...), fakes(n/2, cheap)...), fakes(n-n/2, dear)...)
				for i := range pts[len(h):] {
					pts[len(h)+i].Provider = addr(3000 + i)
				}
				r := fairRate(t, pts, nil)
				seenLo, seenHi = min(seenLo, r.Fair.Int64()), max(seenHi, r.Fair.Int64())
				if f := r.Fair.Int64(); f > hi || f < lo {
					t.Errorf("%d fakes at %v and %v: Fair = %v, want in [floor(90.9), 123]", n, cheap, dear, r.Fair)
				}
				if r.Reference.Int64() < 90 || r.Reference.Int64() > 110 {
					t.Errorf("%d fakes at %v and %v: reference = %v, want within the honest range", n, cheap, dear, r.Reference)
				}
				if r.LowestProven.Int64() != 90 {
					t.Errorf("%d fakes at %v and %v: lowest proven = %v, want 90 (fakes cannot move the anchor)", n, cheap, dear, r.LowestProven)
				}
				// Ten fakes weigh 10 against 110 (share 0.083, under the cap);
				// a thousand must be scaled down to the 0.1 share.
				if r.UnprovenCapped != (n == 1000) {
					t.Errorf("%d fakes: UnprovenCapped = %v, want %v", n, r.UnprovenCapped, n == 1000)
				}
			}
		}
		t.Logf("%d fakes at %d price pairs: fair rate stayed in [%d, %d] (honest 100, bound [90.9, 123])", n, len(prices)*len(prices), seenLo, seenHi)
	}
	// Fakes beyond the thresholds are flagged and change nothing at all.
	r := fairRate(t, append(append([]PricePoint(nil), h...), fakes(10, big.NewInt(1))...), nil)
	if r.Fair.Cmp(base.Fair) != 0 || len(r.Flagged) != 10 || r.Flagged[0].Reason != "below_0.1x_lowest_proven" {
		t.Errorf("ten fakes at 1 wei: fair %v flagged %v, want %v and ten low flags", r.Fair, r.Flagged, base.Fair)
	}
	r = fairRate(t, append(append([]PricePoint(nil), h...), fakes(10, big.NewInt(1000))...), nil)
	if r.Fair.Cmp(base.Fair) != 0 || len(r.Flagged) != 10 || r.Flagged[0].Reason != "above_3x_reference" {
		t.Errorf("ten fakes at 10x: fair %v flagged %v, want %v and ten high flags", r.Fair, r.Flagged, base.Fair)
	}
}

// TestFairRateBootstrap: with no proven point there is nothing to cap
// against; stake weighs alone and the flags still use the median.
func TestFairRateBootstrap(t *testing.T) {
	p := DefaultOracleParams()
	pts := []PricePoint{
		{Provider: addr(1), Price: big.NewInt(100), Stake: p.StakeCap, LastSeen: testNow},
		{Provider: addr(2), Price: big.NewInt(120), Stake: p.StakeCap, LastSeen: testNow},
		{Provider: addr(3), Price: big.NewInt(5), Stake: p.StakeCap, LastSeen: testNow},
	}
	r := fairRate(t, pts, nil)
	// Median 100 is the anchor; 5 < 100/10 is flagged; fair = 110.
	if r.Fair.Int64() != 110 || r.UnprovenCapped || len(r.Flagged) != 1 || r.LowestProven.Int64() != 100 {
		t.Errorf("bootstrap: fair %v capped %v flagged %v anchor %v, want 110 false 1 100", r.Fair, r.UnprovenCapped, r.Flagged, r.LowestProven)
	}
}

func TestClassOf(t *testing.T) {
	tests := []struct {
		vram uint32
		want GPUClass
	}{
		{8192, ClassSmall}, {12288, ClassMedium}, {16384, ClassMedium}, {24564, ClassLarge},
		{40960, ClassXLarge}, {49152, ClassXLarge}, {81920, ClassXXLarge},
	}
	for _, tt := range tests {
		if got := ClassOf(tt.vram); got != tt.want {
			t.Errorf("ClassOf(%d) = %s, want %s", tt.vram, got, tt.want)
		}
	}
}

func TestQuote(t *testing.T) {
	p := DefaultParams()
	rates := map[RateKey]*Rate{
		{gpumarket.JobKindLLM, gpumarket.UnitKTokens, ClassLarge}: {Fair: big.NewInt(1000), Low: big.NewInt(900), High: big.NewInt(1200)},
	}
	spec := llmRequest(1, 1).Spec // 10,000 tokens, min VRAM 16 GiB (medium: no rates, falls to large)
	cands := []*Candidate{candidate(3, 1100), candidate(1, 950), candidate(2, 950), candidate(4, 500)}
	cands[3].Status = gpumarket.ProviderOffline
	qp := QuoteParams{MinimumPrice: big.NewInt(2000), ProtocolFeeBps: 250, CreatorShareBps: 100}
	q, err := NewQuote(spec, testToken, rates, cands, &p, &qp, testNow)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{
		"subtotal": 10_000, "total": 10_000, "fee": 250, "creator": 100, "net": 9_650, "low": 9_000, "high": 12_000,
	}
	got := map[string]int64{
		"subtotal": q.Subtotal.Int64(), "total": q.Total.Int64(), "fee": q.ProtocolFee.Int64(), "creator": q.CreatorShare.Int64(),
		"net": q.ProviderNet.Int64(), "low": q.BandLow.Int64(), "high": q.BandHigh.Int64(),
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("Quote %s = %d, want %d", k, got[k], w)
		}
	}
	if q.Class != ClassLarge || len(q.Lines) != 1 || q.Lines[0].Quantity != 10_000 {
		t.Errorf("Quote class %s lines %+v, want large and one line of 10000 tokens", q.Class, q.Lines)
	}
	wantQ := []gpumarket.Address{addr(1), addr(2), addr(3)}
	if len(q.Qualifying) != 3 {
		t.Fatalf("Qualifying = %+v, want %v", q.Qualifying, wantQ)
	}
	for i, w := range wantQ {
		if q.Qualifying[i].Provider != w {
			t.Errorf("Qualifying[%d] = %s, want %s (cheapest first, then address)", i, q.Qualifying[i].Provider, w)
		}
	}
	// When every qualifying provider asks more than the fair rate, the total
	// is the cheapest one's price, so a job locked at it is taken now.
	q, err = NewQuote(spec, testToken, rates, []*Candidate{candidate(3, 1100), candidate(5, 1150)}, &p, &qp, testNow)
	if err != nil || q.Subtotal.Int64() != 10_000 || q.Cheapest == nil || q.Cheapest.Int64() != 11_000 || q.Total.Int64() != 11_000 ||
		q.ProtocolFee.Int64() != 275 || q.BandLow.Int64() != 9_000 {
		t.Errorf("Quote(dear providers) = subtotal %v cheapest %v total %v fee %v low %v, %v; want 10000, 11000, 11000, 275, 9000",
			q.Subtotal, q.Cheapest, q.Total, q.ProtocolFee, q.BandLow, err)
	}
	// The minimum price binds a tiny job.
	small := *spec
	small.Requirements.Estimate = gpumarket.Estimate{InputTokens: 10}
	q, err = NewQuote(&small, testToken, rates, nil, &p, &qp, testNow)
	if err != nil || q.Subtotal.Int64() != 10 || q.Total.Int64() != 2000 || q.BandLow.Int64() != 2000 {
		t.Errorf("Quote(tiny) = subtotal %v total %v low %v, %v; want 10, 2000, 2000", q.Subtotal, q.Total, q.BandLow, err)
	}
	// No rates large enough.
	big80 := *spec
	big80.Requirements.MinVRAMMiB = 80 << 10
	if _, err := NewQuote(&big80, testToken, rates, nil, &p, &qp, testNow); gpumarket.ErrorCode(err) != gpumarket.ENOTFOUND {
		t.Errorf("Quote(80 GiB) = %v, want %s", err, gpumarket.ENOTFOUND)
	}
	qp.ProtocolFeeBps = 9_950
	if _, err := NewQuote(spec, testToken, rates, nil, &p, &qp, testNow); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Errorf("Quote(fees over 100%%) = %v, want %s", err, gpumarket.EINVALID)
	}
}
