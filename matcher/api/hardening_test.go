package api_test

import (
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/matcher"
	"github.com/gpumarket/gpumarket/matcher/api"
	"github.com/gpumarket/gpumarket/matcher/matchertest"
	"github.com/gpumarket/gpumarket/matcher/service"
)

// serverWithQuota returns the API on e's store and clock with quota.
func serverWithQuota(t *testing.T, e *matchertest.Env, quota service.SpecQuota) http.Handler {
	t.Helper()
	verifier, err := eip712.NewRegistryVerifier(matchertest.Chain, e.Registry)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := api.New(api.Config{ChainID: matchertest.Chain, Params: matcher.DefaultParams(),
		Quote:    matcher.QuoteParams{MinimumPrice: big.NewInt(1000)},
		Liveness: matcher.DefaultLivenessParams(), SpecQuota: quota}, e.APIStore, verifier, e.Log, e.Clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	return srv.Handler()
}

// upload posts a spec from the client at ip.
func upload(h http.Handler, ip string, body []byte) *httptest.ResponseRecorder {
	r := httptest.NewRequest("POST", "/v1/specs", strings.NewReader(string(body)))
	r.Header.Set("Content-Type", "application/json")
	r.RemoteAddr = ip + ":40000"
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestSpecUploadQuota(t *testing.T) {
	spec := func(i int) []byte { return matchertest.SpecBody(fmt.Sprintf("model-%d", i), 1000) }
	size := len(spec(0))
	tests := []struct {
		name   string
		quota  service.SpecQuota
		allow  int    // uploads of distinct specs accepted from one caller
		refuse string // what the refusal names
	}{
		{"count", service.SpecQuota{Window: time.Hour, MaxCount: 3, MaxBytes: 1 << 20}, 3, "3 specs per 1h0m0s"},
		{"bytes", service.SpecQuota{Window: time.Hour, MaxCount: 100, MaxBytes: int64(2*size + size/2)}, 2, fmt.Sprintf("%d bytes per 1h0m0s", 2*size+size/2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := matchertest.New(t)
			h := serverWithQuota(t, e, tt.quota)
			for i := range tt.allow {
				if w := upload(h, "198.51.100.7", spec(i)); w.Code != http.StatusCreated {
					t.Fatalf("upload %d = %d %s, want 201", i, w.Code, w.Body)
				}
				e.Clock.Add(time.Minute)
			}
			stored := e.Count(`SELECT count(*) FROM job_specs`)
			w := upload(h, "198.51.100.7", spec(tt.allow))
			if w.Code != http.StatusTooManyRequests || !strings.Contains(w.Body.String(), tt.refuse) || !strings.Contains(w.Body.String(), "quota") {
				t.Fatalf("upload over the quota = %d %s, want 429 naming %q", w.Code, w.Body, tt.refuse)
			}
			// The oldest upload (which frees enough bytes, too) leaves the
			// window in 60 minutes minus the minutes that passed since.
			wantRetry := 60 - tt.allow
			if got, _ := strconv.Atoi(w.Header().Get("Retry-After")); got != wantRetry*60 {
				t.Errorf("Retry-After = %q, want %d", w.Header().Get("Retry-After"), wantRetry*60)
			}
			if got := e.Count(`SELECT count(*) FROM job_specs`); got != stored {
				t.Errorf("specs stored after a refusal = %d, want %d (nothing changes)", got, stored)
			}
			if w := upload(h, "198.51.100.7", spec(0)); w.Code != http.StatusCreated {
				t.Errorf("re-upload of a stored spec over the quota = %d %s, want 201 (free)", w.Code, w.Body)
			}
			if w := upload(h, "2001:db8::1", spec(tt.allow)); w.Code != http.StatusCreated {
				t.Errorf("upload from another caller = %d %s, want 201", w.Code, w.Body)
			}
			if got := e.Count(`SELECT count(*) FROM job_specs WHERE uploader = '198.51.100.7'`); got != int64(tt.allow) {
				t.Errorf("specs charged to the first caller = %d, want %d", got, tt.allow)
			}
			e.Clock.Add(time.Hour) // every upload left the window
			if w := upload(h, "198.51.100.7", spec(tt.allow+1)); w.Code != http.StatusCreated {
				t.Errorf("upload after the window = %d %s, want 201", w.Code, w.Body)
			}
		})
	}

	t.Run("larger than the byte quota", func(t *testing.T) {
		e := matchertest.New(t)
		h := serverWithQuota(t, e, service.SpecQuota{Window: time.Hour, MaxCount: 10, MaxBytes: int64(size - 1)})
		w := upload(h, "198.51.100.7", spec(0))
		if w.Code != http.StatusRequestEntityTooLarge || !strings.Contains(w.Body.String(), "quota") || w.Header().Get("Retry-After") != "" {
			t.Errorf("spec above the byte quota = %d %s (Retry-After %q), want 413 naming the quota without Retry-After", w.Code, w.Body, w.Header().Get("Retry-After"))
		}
	})
}

func TestContentType(t *testing.T) {
	e := matchertest.New(t)
	body := string(matchertest.SpecBody("m", 1))
	tests := []struct {
		name string
		ct   []string
		want int
	}{
		{"exact", []string{"application/json"}, 201},
		{"case and utf-8 charset", []string{"application/JSON;charset=UTF-8"}, 201},
		{"spaces around the parameter", []string{"Application/Json ; charset=utf-8"}, 201},
		{"missing", nil, 415},
		{"jsonp", []string{"application/jsonp"}, 415},
		{"json-seq", []string{"application/json-seq"}, 415},
		{"text/json", []string{"text/json"}, 415},
		{"other charset", []string{"application/json; charset=latin1"}, 415},
		{"other parameter", []string{"application/json; boundary=x"}, 415},
		{"malformed", []string{"application/json; charset"}, 415},
		{"twice", []string{"application/json", "application/json"}, 415},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, path := range []string{"/v1/specs", "/v1/quote", "/v1/attestations", "/v1/heartbeats"} {
				r := httptest.NewRequest("POST", path, strings.NewReader(body))
				for _, v := range tt.ct {
					r.Header.Add("Content-Type", v)
				}
				w := httptest.NewRecorder()
				e.API.ServeHTTP(w, r)
				if tt.want == 415 && w.Code != 415 {
					t.Errorf("POST %s with Content-Type %q = %d %s, want 415", path, tt.ct, w.Code, w.Body)
				}
				if tt.want != 415 && w.Code == 415 {
					t.Errorf("POST %s with Content-Type %q = 415 %s, want it accepted", path, tt.ct, w.Body)
				}
				if path == "/v1/specs" && tt.want == 201 && w.Code != 201 {
					t.Errorf("POST %s with Content-Type %q = %d %s, want 201", path, tt.ct, w.Code, w.Body)
				}
			}
		})
	}
}

// TestStrictJSONBodies checks that duplicate and case-variant keys are
// refused in every JSON body (a provider's case-sensitive parser would
// read another spec than the one priced), and nothing is stored.
func TestStrictJSONBodies(t *testing.T) {
	e := matchertest.New(t)
	const req = `"inputs":[{"name":"prompt","uri":"data:,hi"}],"requirements":{"min_vram_mib":16000,"gpu_count":1,"estimate":{"input_tokens":4}}`
	tests := []struct {
		name, path, body, want string
	}{
		{"spec case variant", "/v1/specs", `{"kind":"llm","model":"a","MODEL":"b",` + req + `}`, `unknown field \"MODEL\"`},
		{"spec duplicate", "/v1/specs", `{"kind":"llm","model":"a","model":"b",` + req + `}`, `duplicate field \"model\"`},
		{"spec nested case variant", "/v1/specs", `{"kind":"llm","model":"a",` + strings.Replace(req, `"gpu_count":1`, `"gpu_count":1,"GPU_count":2`, 1) + `}`, `unknown field \"GPU_count\"`},
		{"quote spec duplicate", "/v1/quote", `{"spec":{"kind":"llm","model":"a","model":"b",` + req + `},"token":"0x0000000000000000000000000000000000000003"}`, `duplicate field \"model\"`},
		{"quote case variant", "/v1/quote", `{"spec":{"kind":"llm","model":"a",` + req + `},"Token":"0x0000000000000000000000000000000000000003"}`, `unknown field \"Token\"`},
		{"attestation duplicate", "/v1/attestations", `{"chain_id":31337,"chain_id":1,"attestation":{},"signature":"0x"}`, `duplicate field \"chain_id\"`},
		{"heartbeat case variant", "/v1/heartbeats", `{"Chain_ID":31337,"heartbeat":{},"signature":"0x"}`, `unknown field \"Chain_ID\"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := snapshotTables(e)
			code, body := e.Do("POST", tt.path, []byte(tt.body))
			if code != 400 || !strings.Contains(string(body), tt.want) {
				t.Errorf("POST %s %s = %d %s, want 400 with %s", tt.path, tt.body, code, body, tt.want)
			}
			if after := snapshotTables(e); after != before {
				t.Errorf("refused body changed the database")
			}
		})
	}
}

// TestErrorBodies checks that 4xx bodies name the problem without the
// store's driver text and without echoing a huge input back.
func TestErrorBodies(t *testing.T) {
	e := matchertest.New(t)
	huge := strings.Repeat("9", 900_000)
	hugeKey := strings.Repeat("k", 200_000)
	tests := []struct {
		name, method, path, body string
		want                     int
		contains                 string
	}{
		{"unknown job", "GET", "/v1/jobs/31337/424242", "", 404, "not indexed"},
		{"unknown spec", "GET", "/v1/specs/0x" + strings.Repeat("ab", 32), "", 404, "not stored"},
		{"900 KB job id", "GET", "/v1/jobs/31337/" + huge, "", 400, "job id"},
		{"900 KB chain id", "GET", "/v1/jobs/" + huge + "/1", "", 400, "chain id"},
		{"900 KB spec hash", "GET", "/v1/specs/0x" + huge, "", 400, "hash"},
		{"900 KB query parameter", "GET", "/v1/providers?" + huge + "=1", "", 400, "unknown query parameter"},
		{"900 KB limit", "GET", "/v1/providers?limit=" + huge, "", 400, "limit"},
		{"200 KB unknown key", "POST", "/v1/specs", `{"` + hugeKey + `":1}`, 400, "unknown field"},
		{"200 KB kind", "POST", "/v1/specs", `{"kind":"` + hugeKey + `"}`, 400, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body []byte
			if tt.method == "POST" {
				body = []byte(tt.body)
			}
			code, resp := e.Do(tt.method, tt.path, body)
			if code != tt.want || !strings.Contains(string(resp), tt.contains) {
				t.Errorf("%s = %d %.300s, want %d containing %q", tt.name, code, resp, tt.want, tt.contains)
			}
			if len(resp) > api.MaxMessageBytes+64 {
				t.Errorf("%s: body is %d bytes, want at most %d (input echoed)", tt.name, len(resp), api.MaxMessageBytes+64)
			}
			for _, leak := range []string{"no rows", "pgx", "pgconn", "SQLSTATE", "result set"} {
				if strings.Contains(string(resp), leak) {
					t.Errorf("%s: body %s leaks driver text %q", tt.name, resp, leak)
				}
			}
		})
	}
}
