package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket/internal/eth/keys"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/pgtest"
	"github.com/gpumarket/gpumarket/matcher/matchertest"
	"github.com/gpumarket/gpumarket/matcher/service"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// snapshotTables returns a fingerprint of every matcher and chain table:
// row count and the sum of xmin, which changes on any insert, update or
// delete.
func snapshotTables(e *matchertest.Env) string {
	e.TB.Helper()
	var out []string
	for _, t := range []string{"job_specs", "provider_attestations", "provider_status_transitions", "provider_heartbeats",
		"matcher_jobs", "assignments", "provider_reputation", "oracle_snapshots", "jobs", "providers"} {
		n := e.Count(`SELECT count(*) FROM ` + t)
		x := e.Count(`SELECT coalesce(sum(xmin::text::bigint), 0) FROM ` + t)
		out = append(out, fmt.Sprintf("%s:%d:%d", t, n, x))
	}
	return strings.Join(out, " ")
}

func TestAPI(t *testing.T) {
	e := matchertest.New(t)
	p := e.Online(matchertest.ProvOpts{Price: 1000, Model: "llama-3-8b", Region: "eu-west"})
	e.Online(matchertest.ProvOpts{Price: 1200, Model: "mistral-7b", Region: "us-east", VRAM: 81920})
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

	// A registered provider whose on-chain commitment is another document.
	mismatch := e.Register(matchertest.ProvOpts{Price: 1000})
	mismatch.Att.Region = "ap-south" // the signed document is not the committed one

	unregistered := e.Register(matchertest.ProvOpts{Price: 1000})
	e.Exec(`DELETE FROM providers WHERE provider = $1`, unregistered.Addr[:])

	now := e.Clock.Now().Unix()
	badSig := strings.Replace(string(e.HeartbeatBody(p, 90, now, 4)), `"signature":"0x`, `"signature":"0x00`, 1)
	badSig = badSig[:len(badSig)-4] + `"}`
	otherKey := e.Register(matchertest.ProvOpts{})
	forged := e.HeartbeatBody(&matchertest.Provider{Addr: p.Addr, Key: otherKey.Key}, 91, now, 4)
	quote := fmt.Sprintf(`{"spec":%s,"token":"%s"}`, matchertest.SpecBody("llama-3-8b", 4000), e.Token)

	tests := []struct {
		name     string
		method   string
		path     string
		body     string
		want     int
		contains string
		writes   bool // the request may change the database
	}{
		{"openapi", "GET", "/v1/openapi.json", "", 200, `"openapi": "3.0.3"`, false},

		{"spec upload", "POST", "/v1/specs", string(matchertest.SpecBody("mistral-7b", 10)), 201, keys.Keccak256(matchertest.SpecBody("mistral-7b", 10)).String(), true},
		{"spec malformed JSON", "POST", "/v1/specs", `{"kind":`, 400, "", false},
		{"spec unknown field", "POST", "/v1/specs", `{"kind":"llm","x":1}`, 400, "unknown field", false},
		{"spec wrong type", "POST", "/v1/specs", `{"kind":"llm","model":7}`, 400, "", false},
		{"spec invalid", "POST", "/v1/specs", `{"kind":"llm","model":"m","inputs":[],"requirements":{"gpu_count":1}}`, 400, "inputs", false},
		{"spec oversize", "POST", "/v1/specs", `{"model":"` + strings.Repeat("a", gpumarket.MaxJobSpecBytes) + `"}`, 413, "larger than", false},
		{"spec trailing data", "POST", "/v1/specs", string(matchertest.SpecBody("m", 1)) + `{}`, 400, "", false},
		{"spec download", "GET", "/v1/specs/" + keys.Keccak256(matchertest.SpecBody("mistral-7b", 10)).String(), "", 200, string(matchertest.SpecBody("mistral-7b", 10)), false},
		{"spec download unknown", "GET", "/v1/specs/0x" + strings.Repeat("ab", 32), "", 404, "", false},
		{"spec download bad hash", "GET", "/v1/specs/0x12;DROP", "", 400, "", false},
		{"spec download query", "GET", "/v1/specs/" + keys.Keccak256(matchertest.SpecBody("mistral-7b", 10)).String() + "?x=1", "", 400, "unknown query parameter", false},

		{"attestation ok (again)", "POST", "/v1/attestations", string(e.AttestBody(p, matchertest.Chain)), 200, `"fingerprint_flagged":false`, true},
		{"attestation hash not on chain", "POST", "/v1/attestations", string(e.AttestBody(mismatch, matchertest.Chain)), 401, "commitment", false},
		{"attestation wrong chain id", "POST", "/v1/attestations", string(e.AttestBody(p, 1)), 400, "chain_id 1 is wrong", false},
		{"attestation unregistered", "POST", "/v1/attestations", string(e.AttestBody(unregistered, matchertest.Chain)), 404, "not registered", false},
		{"attestation bad signature", "POST", "/v1/attestations", strings.Replace(string(e.AttestBody(p, matchertest.Chain)), `"signature":"0x`, `"signature":"0xff`, 1), 400, "signature", false},
		{"attestation unknown field", "POST", "/v1/attestations", `{"chain_id":31337,"attestation":{},"signature":"0x","admin":true}`, 400, "unknown field", false},
		{"attestation chain id negative", "POST", "/v1/attestations", `{"chain_id":-1}`, 400, "chain_id", false},
		{"attestation chain id string", "POST", "/v1/attestations", `{"chain_id":"31337"}`, 400, "chain_id", false},
		{"attestation not JSON content", "POST", "/v1/attestations", `x`, 400, "malformed", false},

		{"heartbeat ok", "POST", "/v1/heartbeats", string(e.HeartbeatBody(p, 50, now, 4)), 200, `"status":"online"`, true},
		{"heartbeat replayed", "POST", "/v1/heartbeats", string(e.HeartbeatBody(p, 50, now, 4)), 401, "replay", false},
		{"heartbeat older sequence", "POST", "/v1/heartbeats", string(e.HeartbeatBody(p, 49, now, 4)), 401, "replay", false},
		{"heartbeat stale", "POST", "/v1/heartbeats", string(e.HeartbeatBody(p, 60, now-3600, 4)), 401, "stale", false},
		{"heartbeat from the future", "POST", "/v1/heartbeats", string(e.HeartbeatBody(p, 61, now+3600, 4)), 401, "future", false},
		{"heartbeat wrong signer", "POST", "/v1/heartbeats", string(forged), 401, "", false},
		{"heartbeat bad signature", "POST", "/v1/heartbeats", badSig, 401, "signature", false},
		{"heartbeat short signature", "POST", "/v1/heartbeats", strings.Replace(string(e.HeartbeatBody(p, 71, now, 4)), `"signature":"0x`, `"signature":"0x1`, 1), 400, "130 hex digits", false},
		{"heartbeat oversize", "POST", "/v1/heartbeats", `{"chain_id":31337,"heartbeat":"` + strings.Repeat("a", 4096) + `"}`, 413, "", false},
		{"heartbeat wrong chain", "POST", "/v1/heartbeats", strings.Replace(string(e.HeartbeatBody(p, 70, now, 4)), `"chain_id":31337`, `"chain_id":5`, 1), 400, "chain_id 5", false},

		{"assignments", "GET", "/v1/providers/" + p.Addr.String() + "/assignments", "", 200, `"job_id":"1"`, false},
		{"assignments bad address", "GET", "/v1/providers/0x12/assignments", "", 400, "address", false},
		{"assignments negative limit", "GET", "/v1/providers/" + p.Addr.String() + "/assignments?limit=-1", "", 400, "limit", false},
		{"assignments absurd limit", "GET", "/v1/providers/" + p.Addr.String() + "/assignments?limit=1000000", "", 400, "limit", false},

		{"job", "GET", "/v1/jobs/31337/1", "", 200, `"status":"offered"`, false},
		{"job unknown", "GET", "/v1/jobs/31337/2", "", 404, "not indexed", false},
		{"job bad id", "GET", "/v1/jobs/31337/1;DROP", "", 400, "job id", false},
		{"job bad chain", "GET", "/v1/jobs/-5/1", "", 400, "chain id", false},

		{"jobs", "GET", "/v1/jobs", "", 200, `"jobs":[{"job_id":"1","kind":"llm","state":"open"`, false},
		{"jobs open", "GET", "/v1/jobs?state=open&limit=1", "", 200, `"next_before":"1"`, false},
		{"jobs settled: none", "GET", "/v1/jobs?state=settled", "", 200, `"jobs":[]`, false},
		{"jobs before the first", "GET", "/v1/jobs?before=1", "", 200, `"jobs":[]`, false},
		{"jobs bad state", "GET", "/v1/jobs?state=open%27%20OR%201=1", "", 400, "state", false},
		{"jobs bad before", "GET", "/v1/jobs?before=-1", "", 400, "before", false},
		{"jobs bad limit", "GET", "/v1/jobs?limit=0", "", 400, "limit", false},
		{"jobs unknown parameter", "GET", "/v1/jobs?chain=1", "", 400, "unknown query parameter", false},
		{"job timeline", "GET", "/v1/jobs/31337/1/timeline", "", 200, `"offers":[{"offer_id":`, false},
		{"job timeline unknown", "GET", "/v1/jobs/31337/2/timeline", "", 404, "not indexed", false},
		{"rail jobs without the rail", "GET", "/v1/rail/solana/jobs", "", 200, `"enabled":false,"jobs":[]`, false},
		{"rail jobs without the rail, bad limit", "GET", "/v1/rail/solana/jobs?limit=0", "", 400, "limit", false},
		{"rail quote without the rail", "POST", "/v1/rail/solana/quotes", `{}`, 404, `"error":"this matcher has no Solana rail (matcher run --solana-rpc-url, GPUMARKET_MATCHER_SOLANA_RPC_URL`, false},
		{"rail offers without the rail", "GET", "/v1/rail/solana/offers/0x00000000000000000000000000000000000000a1", "", 404, "no Solana rail", false},
		{"job timeline query", "GET", "/v1/jobs/31337/1/timeline?x=1", "", 400, "unknown query parameter", false},
		{"volume", "GET", "/v1/analytics/volume?days=366", "", 200, `"jobs_created":1,"jobs_settled":0,"volume_locked":"1000000"`, false},
		{"volume bad days", "GET", "/v1/analytics/volume?days=0", "", 400, "days", false},
		{"volume too many days", "GET", "/v1/analytics/volume?days=367", "", 400, "days", false},
		{"price index: nothing submitted", "GET", "/v1/analytics/price-index?kind=llm", "", 200, `"prices":[]`, false},
		{"price index bad kind", "GET", "/v1/analytics/price-index?kind=gpu", "", 400, "", false},
		{"price index bad hours", "GET", "/v1/analytics/price-index?hours=100000", "", 400, "hours", false},
		{"funnel", "GET", "/v1/analytics/funnel?days=366", "", 200, `"kind":"llm","created":1,"assigned":0`, false},
		{"funnel bad days", "GET", "/v1/analytics/funnel?days=x", "", 400, "days", false},
		{"providers: prices and benchmarks", "GET", "/v1/providers", "", 200, `"offers":[{"kind":"llm","models":["llama-3-8b"],"prices":[`, false},

		{"providers all", "GET", "/v1/providers", "", 200, p.Addr.String(), false},
		{"providers by model", "GET", "/v1/providers?model=mistral-7b", "", 200, "mistral-7b", false},
		{"providers by vram", "GET", "/v1/providers?min_vram_mib=80000&capability=llm", "", 200, `"vram_mib":81920`, false},
		{"providers by region", "GET", "/v1/providers?region=us-east&limit=1", "", 200, "us-east", false},
		{"providers SQL in model", "GET", "/v1/providers?model=" + url.QueryEscape("x' OR '1'='1"), "", 400, "not allowed", false},
		{"providers SQL in region", "GET", "/v1/providers?region=" + url.QueryEscape("eu;DELETE FROM jobs--"), "", 400, "not allowed", false},
		{"providers unknown capability", "GET", "/v1/providers?capability=mining", "", 400, "capability", false},
		{"providers negative vram", "GET", "/v1/providers?min_vram_mib=-1", "", 400, "min_vram_mib", false},
		{"providers zero limit", "GET", "/v1/providers?limit=0", "", 400, "limit", false},
		{"providers absurd limit", "GET", "/v1/providers?limit=99999999999999999999", "", 400, "limit", false},
		{"providers unknown parameter", "GET", "/v1/providers?sort=stake", "", 400, "unknown query parameter", false},
		{"providers repeated parameter", "GET", "/v1/providers?model=a&model=b", "", 400, "2 times", false},
		{"providers bad cursor", "GET", "/v1/providers?after=zz", "", 400, "after", false},

		{"rates", "GET", "/v1/pricing/rates", "", 200, `"unit":"1k_tokens"`, false},
		{"rates bad kind", "GET", "/v1/pricing/rates?kind=x", "", 400, "kind", false},
		{"history", "GET", "/v1/pricing/history?kind=llm&unit=1k_tokens&class=large", "", 200, `"fair":"`, false},
		{"history unit of another kind", "GET", "/v1/pricing/history?kind=llm&unit=frame&class=large", "", 400, "unit", false},
		{"history bad class", "GET", "/v1/pricing/history?kind=llm&unit=1k_tokens&class=huge", "", 400, "class", false},

		{"quote", "POST", "/v1/quote", quote, 200, `"qualifying":[{`, false},
		{"quote unknown field", "POST", "/v1/quote", `{"spec":{},"token":"0x","x":1}`, 400, "unknown field", false},
		{"quote bad token", "POST", "/v1/quote", fmt.Sprintf(`{"spec":%s,"token":"nope"}`, matchertest.SpecBody("m", 1)), 400, "token", false},
		{"quote no rates for kind", "POST", "/v1/quote", fmt.Sprintf(`{"spec":%s,"token":"%s"}`,
			`{"kind":"tts","model":"v","inputs":[{"name":"t","uri":"data:,x"}],"requirements":{"gpu_count":1,"estimate":{"characters":100}}}`, e.Token), 404, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := snapshotTables(e)
			var body []byte
			if tc.method == "POST" {
				body = []byte(tc.body)
			}
			code, resp := e.Do(tc.method, tc.path, body)
			if code != tc.want {
				t.Fatalf("%s %s = %d %s, want %d", tc.method, tc.path, code, resp, tc.want)
			}
			if tc.contains != "" && !strings.Contains(string(resp), tc.contains) {
				t.Errorf("%s %s body = %s, want it to contain %q", tc.method, tc.path, resp, tc.contains)
			}
			if code >= 400 {
				var m map[string]string
				if err := json.Unmarshal(resp, &m); err != nil || m["error"] == "" {
					t.Errorf("error body = %s, want {\"error\": message}", resp)
				}
			}
			if !tc.writes {
				if after := snapshotTables(e); after != before {
					t.Errorf("%s %s changed the database:\nbefore %s\nafter  %s", tc.method, tc.path, before, after)
				}
			}
		})
	}
}

func TestProvidersPagination(t *testing.T) {
	e := matchertest.New(t)
	want := map[gpumarket.Address]bool{}
	for i := 0; i < 7; i++ {
		want[e.Online(matchertest.ProvOpts{Price: 1000}).Addr] = true
	}
	seen := map[gpumarket.Address]bool{}
	path := "/v1/providers?limit=3"
	for pages := 0; pages < 10; pages++ {
		code, body := e.Do("GET", path, nil)
		if code != 200 {
			t.Fatalf("GET %s = %d %s", path, code, body)
		}
		var resp struct {
			Providers []struct {
				Provider gpumarket.Address `json:"provider"`
			} `json:"providers"`
			Next *gpumarket.Address `json:"next_after"`
		}
		if err := json.Unmarshal(body, &resp); err != nil {
			t.Fatal(err)
		}
		for _, p := range resp.Providers {
			if seen[p.Provider] {
				t.Errorf("provider %s listed twice", p.Provider)
			}
			seen[p.Provider] = true
		}
		if resp.Next == nil {
			break
		}
		path = "/v1/providers?limit=3&after=" + resp.Next.String()
	}
	if len(seen) != len(want) {
		t.Errorf("listed %d providers, want %d", len(seen), len(want))
	}
}

// TestFingerprintReuse: two providers attesting the same hardware under the
// same signer key are both flagged and suspended, with transitions.
func TestFingerprintReuse(t *testing.T) {
	e := matchertest.New(t)
	a := e.Online(matchertest.ProvOpts{Price: 1000, Devices: []string{"GPU-1"}})
	b := e.Register(matchertest.ProvOpts{Price: 1000, Key: a.Key, Devices: []string{"GPU-1"}})
	code, body := e.Do("POST", "/v1/attestations", e.AttestBody(b, matchertest.Chain))
	if code != 200 || !strings.Contains(string(body), `"fingerprint_flagged":true`) {
		t.Fatalf("second attestation = %d %s, want 200 flagged", code, body)
	}
	for _, p := range []*matchertest.Provider{a, b} {
		if got := e.Count(`SELECT count(*) FROM provider_attestations WHERE provider = $1 AND status = 'suspended' AND fingerprint_flagged`, p.Addr[:]); got != 1 {
			t.Errorf("provider %s suspended+flagged = %d, want 1", p.Addr, got)
		}
	}
	if got := e.Count(`SELECT count(*) FROM provider_status_transitions WHERE to_status = 'suspended'`); got != 2 {
		t.Errorf("suspension transitions = %d, want 2", got)
	}
	// A suspended provider's heartbeat is recorded but it stays suspended.
	a.Seq++
	code, body = e.Do("POST", "/v1/heartbeats", e.HeartbeatBody(a, a.Seq, e.Clock.Now().Unix(), 4))
	if code != 200 || !strings.Contains(string(body), `"status":"suspended"`) {
		t.Errorf("heartbeat of suspended provider = %d %s, want 200 suspended", code, body)
	}
}

// TestFetcher: data: URIs decode; http(s) to loopback is refused unless
// allowed; oversize documents are refused.
func TestFetcher(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/big" {
			_, _ = w.Write([]byte(strings.Repeat("a", 2048)))
			return
		}
		_, _ = w.Write([]byte(`{"ok":true}`))
	}))
	defer srv.Close()
	tests := []struct {
		name         string
		uri          string
		allowPrivate bool
		want         string
		code         string
	}{
		{"data plain", "data:," + url.PathEscape(`{"a":1}`), false, `{"a":1}`, ""},
		{"data base64", "data:application/json;base64,eyJhIjoxfQ==", false, `{"a":1}`, ""},
		{"data no comma", "data:abc", false, "", gpumarket.EINVALID},
		{"data oversize", "data:," + strings.Repeat("a", 1025), false, "", gpumarket.EINVALID},
		{"loopback refused", srv.URL + "/x", false, "", gpumarket.EINVALID},
		{"loopback allowed", srv.URL + "/x", true, `{"ok":true}`, ""},
		{"oversize over http", srv.URL + "/big", true, "", gpumarket.EINVALID},
		{"ipfs unsupported", "ipfs://Qm", false, "", gpumarket.EINVALID},
		{"private literal refused", "http://10.0.0.1/x", false, "", gpumarket.EINVALID},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := service.NewFetcher(1024, 2*time.Second, tc.allowPrivate)
			b, _, err := f.Fetch(t.Context(), tc.uri)
			if code := gpumarket.ErrorCode(err); code != tc.code {
				t.Fatalf("Fetch(%.40q) error = %v (code %q), want code %q", tc.uri, err, code, tc.code)
			}
			if string(b) != tc.want {
				t.Errorf("Fetch(%.40q) = %q, want %q", tc.uri, b, tc.want)
			}
		})
	}
}
