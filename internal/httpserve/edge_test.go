package httpserve

import (
	"bytes"
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// fakeClock is a clock the test moves.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestRateLimitBurstGets429ThenRecovers(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	lim, err := NewRateLimiter("test", RateConfig{Rate: 0.5, Burst: 3}, clock.now)
	if err != nil {
		t.Fatal(err)
	}
	addr := serve(t, Config{}, lim.Limit(okHandler()))
	client := &http.Client{Timeout: failAfter}
	do := func() *http.Response {
		t.Helper()
		res, err := client.Post("http://"+addr+"/v1/specs", "application/json", strings.NewReader("{}"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { res.Body.Close() })
		return res
	}
	for i := range 3 {
		if res := do(); res.StatusCode != 200 {
			t.Fatalf("request %d of the burst: status %d, want 200", i+1, res.StatusCode)
		}
	}
	res := do()
	var body map[string]string
	_ = json.NewDecoder(res.Body).Decode(&body)
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "2" || !strings.Contains(body["error"], "retry after 2s") {
		t.Fatalf("request past the burst = %d Retry-After %q body %v, want 429, Retry-After 2 and a JSON error", res.StatusCode, res.Header.Get("Retry-After"), body)
	}
	clock.add(time.Second) // half a token: still refused, and the refusal took none
	if res := do(); res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "1" {
		t.Fatalf("after 1s: %d Retry-After %q, want 429 with Retry-After 1", res.StatusCode, res.Header.Get("Retry-After"))
	}
	clock.add(time.Second)
	if res := do(); res.StatusCode != 200 {
		t.Fatalf("after Retry-After: status %d, want 200", res.StatusCode)
	}
}

func TestRateLimiterIsPerClientAndBounded(t *testing.T) {
	clock := &fakeClock{t: time.Unix(1_700_000_000, 0)}
	lim, err := NewRateLimiter("test", RateConfig{Rate: 1, Burst: 1, MaxClients: 2}, clock.now)
	if err != nil {
		t.Fatal(err)
	}
	allow := func(client string) bool { ok, _ := lim.Allow(client); return ok }
	if !allow("a") || allow("a") {
		t.Fatal("a: want one request allowed and the next refused")
	}
	clock.add(time.Second) // a's bucket refills
	if !allow("b") || allow("b") {
		t.Fatal("b: want one request allowed and the next refused (another client's use does not count)")
	}
	if !allow("c") {
		t.Fatal("c: a new client refused")
	}
	if n := lim.clients(); n > 2 {
		t.Errorf("buckets kept = %d, want at most MaxClients 2", n)
	}
	if allow("b") {
		t.Error("b was let through: eviction dropped a bucket that had not refilled while a refilled one was there")
	}
	if n, err := NewRateLimiter("off", RateConfig{}, nil); n != nil || err != nil {
		t.Errorf("NewRateLimiter(zero) = %v, %v, want nil, nil (no limit)", n, err)
	}
	if _, err := NewRateLimiter("writes", RateConfig{Rate: 1}, nil); err == nil || !strings.Contains(err.Error(), "writes: burst") {
		t.Errorf("NewRateLimiter(rate without burst) = %v, want an error naming the burst", err)
	}
}

func TestRateKey(t *testing.T) {
	tests := []struct{ ip, want string }{
		{"203.0.113.5", "203.0.113.5"},
		{"2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"},
		{"2001:db8:1:2:bbbb::9", "2001:db8:1:2::/64"}, // same network, same bucket
		{"::ffff:203.0.113.5", "203.0.113.5"},
		{"not-an-ip", "not-an-ip"},
	}
	for _, tt := range tests {
		if got := rateKey(tt.ip); got != tt.want {
			t.Errorf("rateKey(%q) = %q, want %q", tt.ip, got, tt.want)
		}
	}
}

func TestCORS(t *testing.T) {
	allowed := serve(t, Config{CORS: CORSConfig{Origins: []string{"https://app.example"}, Headers: []string{"X-Gpumarket-Signature"}}}, okHandler())
	same := serve(t, Config{}, okHandler())
	tests := []struct {
		name, addr, method, origin string
		want                       string // Access-Control-Allow-Origin
	}{
		{"allowed origin", allowed, "GET", "https://app.example", "https://app.example"},
		{"allowed origin preflight", allowed, "OPTIONS", "https://app.example", "https://app.example"},
		{"other origin", allowed, "GET", "https://evil.example", ""},
		{"other origin preflight", allowed, "OPTIONS", "https://evil.example", ""},
		{"default same origin only", same, "GET", "https://app.example", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, "http://"+tt.addr+"/v1/results/x", nil)
			req.Header.Set("Origin", tt.origin)
			if tt.method == "OPTIONS" {
				req.Header.Set("Access-Control-Request-Method", "GET")
				req.Header.Set("Access-Control-Request-Headers", "x-gpumarket-signature")
			}
			res, err := (&http.Client{Timeout: failAfter}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if got := res.Header.Get("Access-Control-Allow-Origin"); got != tt.want {
				t.Errorf("Access-Control-Allow-Origin = %q, want %q", got, tt.want)
			}
			if tt.want == "" {
				for k := range res.Header {
					if strings.HasPrefix(k, "Access-Control-Allow") {
						t.Errorf("header %s sent to a refused origin", k)
					}
				}
			}
			if tt.method == "OPTIONS" && tt.want != "" && !strings.Contains(strings.ToLower(res.Header.Get("Access-Control-Allow-Headers")), "x-gpumarket-signature") {
				t.Errorf("preflight Access-Control-Allow-Headers = %q, want the configured header", res.Header.Get("Access-Control-Allow-Headers"))
			}
		})
	}
}

// lockedBuffer is a log destination the server and the test share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *lockedBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

func TestAccessLogTruncatesPath(t *testing.T) {
	var logs lockedBuffer
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /v1/results/{hash}", okHandler())
	// A head large enough for the path, to reach the access log.
	srv, err := New(ln, Config{MaxHeaderBytes: 2 << 20}, mux, slog.New(slog.NewJSONHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Run(t.Context()) }()
	long := "/v1/results/" + strings.Repeat("a", 900<<10)
	res, err := (&http.Client{Timeout: failAfter}).Get("http://" + srv.Addr().String() + long)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	line := strings.TrimSpace(logs.String())
	if strings.Count(line, "\n") != 0 || len(line) > 2048 {
		t.Fatalf("access log = %d bytes on %d lines, want one line under 2 KiB", len(line), strings.Count(line, "\n")+1)
	}
	var rec map[string]any
	if err := json.Unmarshal([]byte(line), &rec); err != nil {
		t.Fatal(err)
	}
	path, _ := rec["path"].(string)
	if !strings.HasPrefix(path, "/v1/results/aaaa") || !strings.Contains(path, "more bytes]") || len(path) > MaxLoggedPath+40 {
		t.Errorf("logged path = %q, want the first %d bytes and a marker", path, MaxLoggedPath)
	}
	if rec["route"] != "GET /v1/results/{hash}" || rec["status"] != float64(200) || rec["client_ip"] != "127.0.0.1" || rec["method"] != "GET" {
		t.Errorf("access log = %v, want route, status 200, client_ip 127.0.0.1, method", rec)
	}
}

func TestMetricsCountByPattern(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewMetrics(reg, "test")
	mux := http.NewServeMux()
	mux.Handle("GET /v1/jobs/{id}", okHandler())
	inner := http.NewServeMux() // patterns of a nested mux win
	inner.Handle("POST /v1/specs", okHandler())
	mux.Handle("/v1/specs", inner)
	addr := serve(t, Config{Metrics: m}, mux)
	client := &http.Client{Timeout: failAfter}
	for _, p := range []string{"/v1/jobs/1", "/v1/jobs/2", "/nope/1", "/nope/2"} {
		res, err := client.Get("http://" + addr + p)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	res, err := client.Post("http://"+addr+"/v1/specs", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	tests := []struct {
		route, code string
		want        float64
	}{{"GET /v1/jobs/{id}", "200", 2}, {"unmatched", "404", 2}, {"POST /v1/specs", "200", 1}}
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]float64{} // "route code" → requests
	var latencySeries int
	for _, mf := range families {
		for _, m := range mf.GetMetric() {
			labels := map[string]string{}
			for _, l := range m.GetLabel() {
				labels[l.GetName()] = l.GetValue()
			}
			switch mf.GetName() {
			case "gpumarket_test_http_requests_total":
				counts[labels["route"]+" "+labels["code"]] = m.GetCounter().GetValue()
			case "gpumarket_test_http_request_duration_seconds":
				latencySeries++
			}
		}
	}
	for _, tt := range tests {
		if got := counts[tt.route+" "+tt.code]; got != tt.want {
			t.Errorf("requests{route=%q,code=%s} = %v, want %v", tt.route, tt.code, got, tt.want)
		}
	}
	if len(counts) != len(tests) {
		t.Errorf("request series = %v, want %d (one per pattern and code, never per path)", counts, len(tests))
	}
	if latencySeries != len(tests) {
		t.Errorf("latency series = %d, want %d", latencySeries, len(tests))
	}
}

func TestClientIP(t *testing.T) {
	trusted, err := ParsePrefixes([]string{"10.0.0.0/8", "192.168.1.1"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		remote  string
		xff     []string
		trusted []netip.Prefix
		want    string
	}{
		{"no proxy", "203.0.113.5:4000", nil, nil, "203.0.113.5"},
		{"forwarded header ignored by default", "203.0.113.5:4000", []string{"1.2.3.4"}, nil, "203.0.113.5"},
		{"untrusted peer's header ignored", "203.0.113.5:4000", []string{"1.2.3.4"}, trusted, "203.0.113.5"},
		{"trusted proxy", "10.1.2.3:4000", []string{"198.51.100.7"}, trusted, "198.51.100.7"},
		{"spoofed left entries skipped", "10.1.2.3:4000", []string{"6.6.6.6, 198.51.100.7", "192.168.1.1"}, trusted, "198.51.100.7"},
		{"only proxies", "10.1.2.3:4000", []string{"10.9.9.9"}, trusted, "10.1.2.3"},
		{"malformed hop", "10.1.2.3:4000", []string{"not-an-ip"}, trusted, "10.1.2.3"},
		{"ipv6", "[2001:db8::1]:4000", nil, nil, "2001:db8::1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = tt.remote
			for _, v := range tt.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := resolveClientIP(r, tt.trusted); got != tt.want {
				t.Errorf("resolveClientIP(%s, %v) = %q, want %q", tt.remote, tt.xff, got, tt.want)
			}
		})
	}
	if _, err := ParsePrefixes([]string{"10.0.0.0/8", "nope"}); err == nil || !strings.Contains(err.Error(), `"nope"`) {
		t.Errorf("ParsePrefixes(nope) = %v, want an error naming it", err)
	}
	// Through a server, ClientIP reads what the edge resolved.
	got := make(chan string, 1)
	addr := serve(t, Config{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}},
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got <- ClientIP(r) }))
	req, _ := http.NewRequest("GET", "http://"+addr+"/", nil)
	req.Header.Set("X-Forwarded-For", "198.51.100.9")
	res, err := (&http.Client{Timeout: failAfter}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if ip := <-got; ip != "198.51.100.9" {
		t.Errorf("ClientIP behind a trusted proxy = %q, want 198.51.100.9", ip)
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"exactly10!", 10, "exactly10!"},
		{"abcdefghijkl", 4, "abcd…[8 more bytes]"},
		{"ééé", 3, "é…[4 more bytes]"}, // never splits a rune
		{"abc", 0, "…[3 more bytes]"},
	}
	for _, tt := range tests {
		if got := Truncate(tt.in, tt.n); got != tt.want {
			t.Errorf("Truncate(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

// TestEveryServerIsBuiltHere guards the invariant that no HTTP server of
// the module is built outside this package, where it could miss a limit.
func TestEveryServerIsBuiltHere(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root not found at %s: %v", root, err)
	}
	self, _ := filepath.Abs(".")
	forbidden := []string{"http.Server{", "http.ListenAndServe(", "http.ListenAndServeTLS(", "http.Serve(", "http.ServeTLS("}
	checked := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			name := d.Name()
			if path == self || name == "node_modules" || name == "testdata" || (strings.HasPrefix(name, ".") && path != root) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		src, err := io.ReadAll(f)
		if err != nil {
			return err
		}
		checked++
		for _, s := range forbidden {
			if bytes.Contains(src, []byte(s)) {
				rel, _ := filepath.Rel(root, path)
				t.Errorf("%s uses %s: build HTTP servers with internal/httpserve (New or Listen)", rel, s)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Fatalf("checked only %d Go files under %s", checked, root)
	}
}
