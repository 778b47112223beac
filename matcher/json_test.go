package matcher

import (
	"encoding/json"
	"math/big"
	"strings"
	"testing"

	"github.com/gpumarket/gpumarket"
)

// TestAmountsEncodeAsStrings: no amount reaches JSON as a number.
func TestAmountsEncodeAsStrings(t *testing.T) {
	huge := new(big.Int).Lsh(big.NewInt(1), 100) // not representable in a float64
	r := fairRate(t, []PricePoint{{Provider: addr(1), Price: huge, Stake: e18, Volume: 1, LastSeen: testNow}}, nil)
	p := DefaultParams()
	qp := QuoteParams{MinimumPrice: big.NewInt(1), ProtocolFeeBps: 100}
	q, err := NewQuote(llmRequest(1, 1).Spec, testToken, map[RateKey]*Rate{llmKey: r}, []*Candidate{candidate(1, 1000)}, &p, &qp, testNow)
	if err != nil {
		t.Fatal(err)
	}
	rf := *r
	rf.Flagged = []Flag{{Provider: addr(2), Price: huge, Reason: "above_3x_reference"}}
	for name, v := range map[string]any{"rate": rf, "quote": q} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("Marshal(%s) = %v", name, err)
		}
		s := string(b)
		if !strings.Contains(s, `"`+huge.String()+`"`) || strings.Contains(s, ":"+huge.String()) {
			t.Errorf("Marshal(%s) = %s, want %s only as a string", name, s, huge)
		}
		if name == "quote" && (!strings.Contains(s, `"total":"`) || !strings.Contains(s, `"cost":"10000"`)) {
			t.Errorf("Marshal(quote) = %s, want string totals and costs", s)
		}
		if name == "rate" && !strings.Contains(s, `"key":{"kind":"llm","unit":"1k_tokens","class":"large"}`) {
			t.Errorf("Marshal(rate) = %s, want the key by name", s)
		}
	}
}

func TestExplanationJSONNames(t *testing.T) {
	b, err := json.Marshal(Rejection{Provider: addr(1), Reason: RejectVRAM, Detail: "has 8192 MiB"})
	if err != nil || !strings.Contains(string(b), `"reason":"vram"`) {
		t.Errorf("Marshal(Rejection) = %s, %v, want the reason by name", b, err)
	}
	b, err = json.Marshal(Transition{Provider: addr(1), From: gpumarket.ProviderOnline, To: gpumarket.ProviderOffline, At: testNow})
	if err != nil || !strings.Contains(string(b), `"from":"online","to":"offline"`) {
		t.Errorf("Marshal(Transition) = %s, %v, want statuses by name", b, err)
	}
}

// TestAppendJSONMatchesMarshal: the hand-written encoders of decisions,
// rankings and scores produce exactly json.Marshal's bytes.
func TestAppendJSONMatchesMarshal(t *testing.T) {
	huge := new(big.Int).Lsh(big.NewInt(1), 100)
	ranked := []Ranked{
		{Provider: addr(1), Cost: big.NewInt(1234), Slots: 8, Score: Score{Price: 1_000_000, Reputation: 500_000, Latency: 1, Load: 0, Stake: 200_000, Total: 654_321}},
		{Provider: addr(2), Cost: huge, Slots: 1024, Score: Score{Total: 1}},
		{Provider: addr(3), Cost: nil},
	}
	decisions := map[string]*Decision{
		"full": {JobID: 1<<64 - 1, At: -5, Weights: DefaultParams().Weights, Considered: 10, Eligible: 3,
			Rejected: map[string]int{"vram": 2, "capacity": 4, "status": 1}, Ranked: ranked},
		"empty":           {JobID: 7, Rejected: map[string]int{}, Ranked: []Ranked{}},
		"nil maps":        {JobID: 7},
		"escaped key":     {Rejected: map[string]int{`a"<b>&é`: 1}},
		"with rejections": {Rejected: map[string]int{"vram": 1}, Rejections: []Rejection{{Provider: addr(4), Reason: RejectVRAM, Detail: `has "8" <GiB>`}}},
	}
	for name, d := range decisions {
		t.Run(name, func(t *testing.T) {
			want, err := json.Marshal(d)
			if err != nil {
				t.Fatal(err)
			}
			got, err := d.AppendJSON(nil)
			if err != nil || string(got) != string(want) {
				t.Errorf("AppendJSON = %s, %v\nwant %s", got, err, want)
			}
			want, _ = json.Marshal(d.Ranked)
			if got := AppendRankedJSON(nil, d.Ranked); string(got) != string(want) {
				t.Errorf("AppendRankedJSON = %s\nwant %s", got, want)
			}
		})
	}
	for _, r := range ranked {
		want, _ := json.Marshal(r.Score)
		if got := r.Score.AppendJSON(nil); string(got) != string(want) {
			t.Errorf("Score.AppendJSON = %s, want %s", got, want)
		}
	}
}
