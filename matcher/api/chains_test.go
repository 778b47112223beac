package api_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket/matcher/api"
	"github.com/gpumarket/gpumarket/matcher/matchertest"
)

// TestChainScopedRoutes runs every chain-scoped route
// (/v1/chains/{chainId}/...) with the served chain, which answers as the
// unscoped alias does, and with another chain, which is a 404 naming the
// chain served and changes nothing. The table must cover every
// chain-scoped path of openapi.json.
func TestChainScopedRoutes(t *testing.T) {
	e := matchertest.New(t)
	p := e.Online(matchertest.ProvOpts{Price: 1000, Model: "llama-3-8b", Region: "eu-west"})
	spec := e.UploadSpec(matchertest.SpecBody("llama-3-8b", 4000))
	e.AddJob(1, spec, "ipfs://x", "1000000", nil)
	if err := e.Queue.Sync(e.Ctx, matchertest.Chain, time.Time{}, e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	s := e.NewService("a", nil)
	matchertest.Drain(t, e.Ctx, s)
	if err := s.Snapshot(e.Ctx); err != nil {
		t.Fatal(err)
	}
	now := e.Clock.Now().Unix()
	quote := fmt.Sprintf(`{"spec":%s,"token":"%s"}`, matchertest.SpecBody("llama-3-8b", 4000), e.Token)
	order := `{"order":{}}`
	addr := p.Addr.String()

	tests := []struct {
		method, template string // the route as openapi.json names it
		path             string // under /v1/chains/{chainId}
		body             func() string
		want             int // with the served chain
		contains         string
		writes           bool
	}{
		{"POST", "/attestations", "/attestations", func() string { return string(e.AttestBody(p, matchertest.Chain)) }, 200, `"fingerprint_flagged":false`, true},
		{"POST", "/heartbeats", "/heartbeats", func() string { return string(e.HeartbeatBody(p, 100, now, 4)) }, 200, `"status":"online"`, true},
		{"GET", "/providers/{addr}/assignments", "/providers/" + addr + "/assignments", nil, 200, `"job_id":"1"`, false},
		{"GET", "/jobs/{jobId}", "/jobs/1", nil, 200, `"status":"offered"`, false},
		{"GET", "/jobs/{jobId}/events", "/jobs/2/events", nil, 404, "not indexed", false},
		{"GET", "/jobs/{jobId}/timeline", "/jobs/1/timeline", nil, 200, `"offers":[{"offer_id":`, false},
		{"GET", "/jobs", "/jobs?state=open", nil, 200, `"jobs":[{"job_id":"1"`, false},
		{"GET", "/analytics/volume", "/analytics/volume?days=366", nil, 200, `"jobs_created":1`, false},
		{"GET", "/analytics/price-index", "/analytics/price-index", nil, 200, `"prices":[]`, false},
		{"GET", "/analytics/funnel", "/analytics/funnel?days=366", nil, 200, `"created":1`, false},
		{"GET", "/providers", "/providers", nil, 200, addr, false},
		{"GET", "/pricing/rates", "/pricing/rates", nil, 200, `"unit":"1k_tokens"`, false},
		{"GET", "/pricing/history", "/pricing/history?kind=llm&unit=1k_tokens&class=large", nil, 200, `"fair":"`, false},
		{"POST", "/quote", "/quote", func() string { return quote }, 200, `"qualifying":[{`, false},
		// This environment relays no orders: the served chain reaches the
		// handler, which answers 501.
		{"POST", "/orders", "/orders", func() string { return order }, 501, "", false},
		{"GET", "/orders/{client}/{nonce}", "/orders/" + addr + "/7", nil, 501, "", false},
	}

	covered := map[string]bool{}
	for _, tc := range tests {
		covered[tc.method+" "+tc.template] = true
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(api.OpenAPI, &doc); err != nil {
		t.Fatal(err)
	}
	scoped := 0
	for path, ops := range doc.Paths {
		rest, ok := strings.CutPrefix(path, "/v1/chains/{chainId}")
		if !ok {
			continue
		}
		for method := range ops {
			if method == "parameters" {
				continue
			}
			scoped++
			if !covered[strings.ToUpper(method)+" "+rest] {
				t.Errorf("openapi.json's %s %s is not in this test's table", strings.ToUpper(method), path)
			}
		}
	}
	if scoped != len(tests) {
		t.Errorf("openapi.json documents %d chain-scoped operations, the table has %d", scoped, len(tests))
	}

	chains := []struct {
		name  string
		chain string
	}{{"served", fmt.Sprint(matchertest.Chain)}, {"other", "31338"}, {"bad", "x1"}}
	for _, tc := range tests {
		for _, c := range chains {
			t.Run(tc.method+" "+tc.template+" "+c.name, func(t *testing.T) {
				var body []byte
				if tc.body != nil {
					body = []byte(tc.body())
				}
				before := snapshotTables(e)
				path := "/v1/chains/" + c.chain + tc.path
				code, resp := e.Do(tc.method, path, body)
				want, contains := tc.want, tc.contains
				switch c.name {
				case "other":
					want, contains = 404, fmt.Sprintf("chain 31338 is not served here: this matcher serves chain %d", matchertest.Chain)
				case "bad":
					want, contains = 400, "chain id"
				}
				if code != want || !strings.Contains(string(resp), contains) {
					t.Fatalf("%s %s = %d %s, want %d containing %q", tc.method, path, code, resp, want, contains)
				}
				if c.name != "served" || !tc.writes {
					if after := snapshotTables(e); after != before {
						t.Errorf("%s %s changed the database:\nbefore %s\nafter  %s", tc.method, path, before, after)
					}
				}
			})
		}
	}
}
