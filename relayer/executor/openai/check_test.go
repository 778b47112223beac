package openai

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gpumarket/gpumarket"
)

func TestLLMCheck(t *testing.T) {
	s := usageServer(t, "one two three four five six seven eight nine ten", 20, 12, 32)
	got, err := newTestLLM(t, s.URL, nil).Check(t.Context())
	if err != nil {
		t.Fatalf("Check: %v", err)
	}
	if len(got) != 1 || got[0].Kind != gpumarket.JobKindLLM || got[0].Work != 12 || got[0].Wall <= 0 ||
		got[0].Metric() != gpumarket.MetricTokensPerSecond || len(got[0].Models) != 1 || got[0].Models[0] != "llama-3-8b" {
		t.Fatalf("Check = %+v, want 12 completion tokens of llama-3-8b", got)
	}
}

func TestLLMCheckFailsForAModelTheServerRefuses(t *testing.T) {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"error":{"message":"model not found","type":"invalid_request_error"}}`))
	}))
	t.Cleanup(s.Close)
	if got, err := newTestLLM(t, s.URL, nil).Check(t.Context()); err == nil {
		t.Fatalf("Check against a server without the model = %+v, nil; want an error", got)
	}
}
