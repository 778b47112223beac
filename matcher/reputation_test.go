package matcher

import (
	"math"
	"testing"
	"time"
)

func TestDecay(t *testing.T) {
	const H = 14 * 24 * time.Hour
	tests := []struct {
		age  time.Duration
		want uint64
	}{
		{-time.Hour, Scale},
		{0, Scale},
		{H / 2, 750_000},
		{H, 500_000},
		{2 * H, 250_000},
		{3*H + H/2, 93_750},
		{20 * H, 0},
		{1000 * H, 0},
	}
	for _, tt := range tests {
		if got := Decay(tt.age, H); got != tt.want {
			t.Errorf("Decay(%v, %v) = %d, want %d", tt.age, H, got, tt.want)
		}
	}
	// Monotone, and within 6.2% of the exponential it approximates. (The
	// float here is only the reference in a test, never in the code.)
	prev := uint64(Scale + 1)
	for i := 0; i <= 400; i++ {
		age := time.Duration(i) * H / 40
		got := Decay(age, H)
		if got > prev {
			t.Fatalf("Decay(%v) = %d > Decay(earlier) = %d", age, got, prev)
		}
		prev = got
		exact := Scale * math.Exp2(-float64(age)/float64(H))
		if got > 0 && math.Abs(float64(got)-exact)/exact > 0.062 {
			t.Errorf("Decay(%v) = %d, exponential %.0f: off by more than 6.2%%", age, got, exact)
		}
	}
	// Long half-lives do not overflow.
	if got := Decay(100*365*24*time.Hour, 200*365*24*time.Hour); got != 750_000 {
		t.Errorf("Decay(100y, 200y) = %d, want 750000", got)
	}
}

func TestReputation(t *testing.T) {
	p := DefaultReputationParams()
	now := testNow
	done := func(ago time.Duration, ttr time.Duration) Outcome {
		return Outcome{Kind: OutcomeCompleted, At: now.Add(-ago), TimeToResult: ttr}
	}
	of := func(k OutcomeKind, ago time.Duration) Outcome { return Outcome{Kind: k, At: now.Add(-ago)} }
	many := func(n int, o Outcome) []Outcome {
		out := make([]Outcome, n)
		for i := range out {
			out[i] = o
		}
		return out
	}
	tests := []struct {
		name    string
		history []Outcome
		want    ReputationScore
	}{
		// No history: C = 0.5 (the prior), M = D = 0, S = 0.5:
		// 0.6·0.5 + 0.15 + 0.15 + 0.1·0.5 = 0.65.
		{"new provider", nil, ReputationScore{Score: 650_000, Completion: 500_000, Speed: 500_000}},
		// 97 fresh completions at the reference time: C = (97+1.5)/100,
		// S = 0.5: 0.6·0.985 + 0.3 + 0.05 = 0.941.
		{"reliable", many(97, done(0, time.Minute)),
			ReputationScore{Score: 941_000, Completion: 985_000, Speed: 500_000, Weight: 97 * Scale}},
		// 97 fresh missed deadlines: C = 1.5/100, M = 0.97:
		// 0.6·0.015 + 0.15·0.03 + 0.15 + 0.05 = 0.2135.
		{"misses deadlines", many(97, of(OutcomeMissedDeadline, 0)),
			ReputationScore{Score: 213_500, Completion: 15_000, Missed: 970_000, Speed: 500_000, Weight: 97 * Scale}},
		{"loses disputes", many(97, of(OutcomeDisputeLost, 0)),
			ReputationScore{Score: 213_500, Completion: 15_000, Disputes: 970_000, Speed: 500_000, Weight: 97 * Scale}},
		// Offer misses count a quarter: 4 misses weigh 1; C = 1.5/4.
		{"misses offers", many(4, of(OutcomeOfferMissed, 0)),
			ReputationScore{Score: 575_000, Completion: 375_000, Speed: 500_000, Weight: Scale}},
		// Old failures fade: 97 missed deadlines 20 half-lives ago count 0.
		{"old sins forgotten", many(97, of(OutcomeMissedDeadline, 20*p.HalfLife)),
			ReputationScore{Score: 650_000, Completion: 500_000, Speed: 500_000}},
		// One completion a half-life ago weighs 0.5: C = (0.5+1.5)/3.5.
		// Fast: 20 s against the 60 s reference: S = 60/80.
		{"decayed and fast", []Outcome{done(p.HalfLife, 20*time.Second)},
			ReputationScore{Score: 717_856, Completion: 571_428, Speed: 750_000, Weight: 500_000}},
		// Median of 10 s, 30 s, 90 s, 600 s is the lower middle, 30 s.
		{"median is lower middle", []Outcome{done(0, 600*time.Second), done(0, 10*time.Second), done(0, 90*time.Second), done(0, 30*time.Second)},
			ReputationScore{Score: 838_095, Completion: 785_714, Speed: 666_666, Weight: 4 * Scale}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Reputation(tt.history, now, p); got != tt.want {
				t.Errorf("Reputation(%s) = %+v, want %+v", tt.name, got, tt.want)
			}
		})
	}
}

func TestReputationOrderIndependentAndMonotone(t *testing.T) {
	p := DefaultReputationParams()
	h := []Outcome{
		{Kind: OutcomeCompleted, At: testNow.Add(-time.Hour), TimeToResult: 40 * time.Second},
		{Kind: OutcomeMissedDeadline, At: testNow.Add(-48 * time.Hour)},
		{Kind: OutcomeCompleted, At: testNow.Add(-72 * time.Hour), TimeToResult: 90 * time.Second},
		{Kind: OutcomeDisputeLost, At: testNow.Add(-300 * time.Hour)},
		{Kind: OutcomeOfferMissed, At: testNow.Add(-time.Minute)},
	}
	want := Reputation(h, testNow, p)
	rev := make([]Outcome, len(h))
	for i := range h {
		rev[len(h)-1-i] = h[i]
	}
	if got := Reputation(rev, testNow, p); got != want {
		t.Errorf("Reputation(reversed) = %+v, want %+v", got, want)
	}
	// One more completion never lowers the score; one more failure never
	// raises it.
	better := Reputation(append(h[:len(h):len(h)], Outcome{Kind: OutcomeCompleted, At: testNow, TimeToResult: 40 * time.Second}), testNow, p)
	worse := Reputation(append(h[:len(h):len(h)], Outcome{Kind: OutcomeMissedDeadline, At: testNow}), testNow, p)
	if better.Score < want.Score || worse.Score > want.Score {
		t.Errorf("Reputation: +completion %d, base %d, +miss %d; want non-decreasing then non-increasing", better.Score, want.Score, worse.Score)
	}
}

func TestValidateReputationParams(t *testing.T) {
	if err := ValidateReputationParams(DefaultReputationParams()); err != nil {
		t.Errorf("ValidateReputationParams(defaults) = %v", err)
	}
	bad := DefaultReputationParams()
	bad.HalfLife = 0
	if err := ValidateReputationParams(bad); err == nil {
		t.Error("ValidateReputationParams(half-life 0) = nil, want an error")
	}
}
