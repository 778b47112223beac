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
