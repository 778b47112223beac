package api_test

import (
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/internal/httpserve"
	"github.com/gpumarket/gpumarket/matcher"
	"github.com/gpumarket/gpumarket/matcher/api"
	"github.com/gpumarket/gpumarket/matcher/matchertest"
)

// TestRateLimitsByRouteClass sends malformed requests, which the handlers
// refuse before reaching the store (none is given): anonymous writes share
// one bucket per client IP, expensive reads another, and the cheap reads a
// provider polls have none.
func TestRateLimitsByRouteClass(t *testing.T) {
	verifier, err := eip712.NewRegistryVerifier(matchertest.Chain, matchertest.Addr(1))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := api.New(api.Config{ChainID: matchertest.Chain, Params: matcher.DefaultParams(),
		Quote:    matcher.QuoteParams{MinimumPrice: big.NewInt(1000), ProtocolFeeBps: 250},
		Liveness: matcher.DefaultLivenessParams(),
		Writes:   httpserve.RateConfig{Rate: 0.01, Burst: 2}, // a token per 100s: none comes back during the test
		Reads:    httpserve.RateConfig{Rate: 0.01, Burst: 1},
	}, nil, verifier, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	tests := []struct {
		method, path string
		limited      bool
	}{
		{"POST", "/v1/specs", false},
		{"POST", "/v1/heartbeats", false},
		{"POST", "/v1/quote", true}, // the third write
		{"POST", "/v1/attestations", true},
		{"POST", "/v1/orders", true},
		{"GET", "/v1/providers?bogus=1", false},
		{"GET", "/v1/pricing/rates?bogus=1", true}, // the second expensive read
		{"GET", "/v1/pricing/history?bogus=1", true},
		{"GET", "/v1/jobs/x/1", true},
		{"GET", "/v1/orders/0x12/1", true},
		{"GET", "/v1/jobs?bogus=1", true},
		{"GET", "/v1/jobs/x/1/timeline", true},
		{"GET", "/v1/analytics/volume?bogus=1", true},
		{"GET", "/v1/analytics/price-index?bogus=1", true},
		{"GET", "/v1/analytics/funnel?bogus=1", true},
		{"GET", "/v1/openapi.json", false},
		{"GET", "/v1/openapi.json", false},
		{"GET", "/v1/providers/0x12/assignments", false},
		{"GET", "/v1/providers/0x12/assignments", false},
		{"GET", "/v1/providers/0x12/assignments", false},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, ts.URL+tt.path, strings.NewReader("not json"))
		req.Header.Set("Content-Type", "application/json")
		res, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body map[string]string
		_ = json.NewDecoder(res.Body).Decode(&body)
		res.Body.Close()
		limited := res.StatusCode == http.StatusTooManyRequests
		if limited != tt.limited {
			t.Errorf("%s %s = %d %v, want limited %v", tt.method, tt.path, res.StatusCode, body, tt.limited)
			continue
		}
		if limited && (res.Header.Get("Retry-After") == "" || !strings.Contains(body["error"], "too many requests")) {
			t.Errorf("%s %s: 429 with Retry-After %q and body %v, want Retry-After and {\"error\": ...}", tt.method, tt.path, res.Header.Get("Retry-After"), body)
		}
	}
}

func TestRateLimitConfigIsChecked(t *testing.T) {
	verifier, err := eip712.NewRegistryVerifier(matchertest.Chain, matchertest.Addr(1))
	if err != nil {
		t.Fatal(err)
	}
	_, err = api.New(api.Config{ChainID: matchertest.Chain, Params: matcher.DefaultParams(),
		Quote: matcher.QuoteParams{MinimumPrice: big.NewInt(1000)}, Liveness: matcher.DefaultLivenessParams(),
		Writes: httpserve.RateConfig{Rate: 1, Burst: 0}}, nil, verifier, nil, nil)
	if err == nil || !strings.Contains(err.Error(), "write rate limit: burst") {
		t.Errorf("New(write rate without burst) = %v, want an error naming the write limit's burst", err)
	}
}
