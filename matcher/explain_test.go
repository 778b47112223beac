package matcher

import (
	"math/big"
	"strings"
	"testing"

	"github.com/gpumarket/gpumarket"
)

func TestExplain(t *testing.T) {
	params := DefaultParams()
	// prices: per 1k tokens; the request's 10,000 tokens cost 10 × price.
	market := func(prices ...int64) []*Candidate {
		cs := make([]*Candidate, len(prices))
		for i, p := range prices {
			cs[i] = candidate(i+1, p)
		}
		return cs
	}
	tests := []struct {
		name   string
		cands  []*Candidate
		mutate func(cs []*Candidate, r *Request)
		passed Passed
		want   string // the whole explanation
	}{
		{"nobody", nil, nil, Passed{}, "no provider is registered, attested and known to this matcher"},
		{"price: the cheapest that would do", market(1200, 1500, 2000), func(cs []*Candidate, r *Request) { r.Job.MaxPayment = big.NewInt(8000) }, Passed{},
			`no provider can take the job: 3 providers serve llm model "llama-3-8b" for this job's estimate at ≥ 12000 (token base units); ` +
				`your max payment allows 8000: raise it to at least 12000`},
		{"price and capacity", market(1000, 1500), func(cs []*Candidate, r *Request) { r.Job.MaxPayment = big.NewInt(12000); cs[0].InFlight = 2 }, Passed{},
			`no provider can take the job: 1 provider has every slot taken (retry later); ` +
				`1 provider serves llm model "llama-3-8b" for this job's estimate at ≥ 15000 (token base units); your max payment allows 12000: raise it to at least 15000`},
		{"model nobody serves", market(1000, 1000), func(cs []*Candidate, r *Request) {
			r.Spec.Model = "mistral-7b"
			cs[1].Attestation.Capabilities[0].Models = []string{"qwen-2-7b", "llama-3-8b"}
		}, Passed{}, `no provider can take the job: no provider serves model "mistral-7b"; these are served for kind llm: llama-3-8b, qwen-2-7b`},
		{"model some serve", market(1000, 1000), func(cs []*Candidate, r *Request) {
			r.Spec.Model = "qwen-2-7b"
			cs[1].Attestation.Capabilities[0].Models = []string{"qwen-2-7b"}
			cs[1].Status = gpumarket.ProviderOffline
		}, Passed{}, `no provider can take the job: 1 provider is not online; 1 provider does not serve model "qwen-2-7b"`},
		{"vram", market(1000, 1000), func(cs []*Candidate, r *Request) { r.Spec.Requirements.MinVRAMMiB = 40960 }, Passed{},
			"no provider can take the job: 2 providers have less than 40960 MiB of VRAM per GPU (the most offered is 24576 MiB)"},
		{"eligible but passed over", market(1000, 1000, 1000), nil, Passed{AlreadyOffered: 2, StakeShort: 1},
			"no provider can take the job: 2 providers were offered the job and let the offer lapse; 1 provider lacks the free stake to back the job"},
		{"everyone eligible, nothing to say", market(1000), nil, Passed{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := llmRequest(1, 1_000_000)
			if tt.mutate != nil {
				tt.mutate(tt.cands, r)
			}
			got := Explain(r, tt.cands, &params, testNow, tt.passed)
			if got != tt.want {
				t.Errorf("Explain(%s) =\n%q\nwant\n%q", tt.name, got, tt.want)
			}
			if strings.Contains(got, "map[") {
				t.Errorf("Explain(%s) prints a Go map: %q", tt.name, got)
			}
		})
	}
}
