package webui_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/webui"
)

func newMux(t *testing.T) *http.ServeMux {
	t.Helper()
	mux := http.NewServeMux()
	// The API's routes beside the page's, as matcher run mounts them: the
	// patterns must not conflict (ServeMux panics if they do).
	mux.Handle("/v1/", http.NotFoundHandler())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {})
	cfg := webui.Config{ChainID: 31337, Market: gpumarket.Address{0xaa}, Tokens: []webui.Token{{Address: gpumarket.Address{0xbb}, Symbol: "USDT", Decimals: 6}}}
	if err := webui.Register(mux, cfg); err != nil {
		t.Fatal(err)
	}
	return mux
}

// TestServe checks what the page is served with: content types from the
// table, the strict CSP and nosniff on every answer, no-cache for the
// document and config, immutable hashed assets, 404 for anything else.
func TestServe(t *testing.T) {
	mux := newMux(t)
	get := func(path string) *http.Response {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		return rec.Result()
	}
	index := get("/")
	body, _ := io.ReadAll(index.Body)
	var js, css string
	for _, f := range strings.Fields(strings.NewReplacer(`"`, " ").Replace(string(body))) {
		switch {
		case strings.HasPrefix(f, "/assets/") && strings.HasSuffix(f, ".js"):
			js = f
		case strings.HasPrefix(f, "/assets/") && strings.HasSuffix(f, ".css"):
			css = f
		}
	}
	if js == "" || css == "" {
		t.Fatalf("index.html names no script or stylesheet under /assets/:\n%s", body)
	}
	tests := []struct {
		path, status, ctype, cache, contains string
	}{
		{"/", "200", "text/html; charset=utf-8", "no-cache", "<main"},
		{"/config.json", "200", "application/json", "no-cache", `"chain_id":31337,"market":"0xaa00000000000000000000000000000000000000"`},
		{js, "200", "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", ""},
		{css, "200", "text/css; charset=utf-8", "public, max-age=31536000, immutable", ""},
		{"/assets/missing.js", "404", "text/plain; charset=utf-8", "no-store", ""},
		{"/assets/..%2findex.html", "404", "text/plain; charset=utf-8", "no-store", ""},
		{"/index.html", "404", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			r := get(tt.path)
			b, _ := io.ReadAll(r.Body)
			if got := r.Status[:3]; got != tt.status {
				t.Fatalf("GET %s = %s, want %s", tt.path, r.Status, tt.status)
			}
			if tt.ctype == "" {
				return
			}
			if got := r.Header.Get("Content-Type"); got != tt.ctype {
				t.Errorf("GET %s Content-Type = %q, want %q", tt.path, got, tt.ctype)
			}
			if got := r.Header.Get("Cache-Control"); got != tt.cache {
				t.Errorf("GET %s Cache-Control = %q, want %q", tt.path, got, tt.cache)
			}
			if got := r.Header.Get("Content-Security-Policy"); got != webui.CSP {
				t.Errorf("GET %s CSP = %q", tt.path, got)
			}
			if r.Header.Get("X-Content-Type-Options") != "nosniff" || r.Header.Get("Referrer-Policy") != "no-referrer" {
				t.Errorf("GET %s lacks nosniff or no-referrer: %v", tt.path, r.Header)
			}
			if !strings.Contains(string(b), tt.contains) {
				t.Errorf("GET %s body lacks %q", tt.path, tt.contains)
			}
		})
	}
	for _, bad := range []string{"'unsafe-inline'", "'unsafe-eval'", "*"} {
		if strings.Contains(webui.CSP, bad) {
			t.Errorf("CSP allows %s: %s", bad, webui.CSP)
		}
	}
	for _, want := range []string{"script-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"} {
		if !strings.Contains(webui.CSP, want) {
			t.Errorf("CSP lacks %s: %s", want, webui.CSP)
		}
	}
	// No inline script in the document: everything is an asset.
	if strings.Contains(string(body), "<script>") || strings.Contains(string(body), "style=") {
		t.Errorf("index.html has inline script or style:\n%s", body)
	}
}

func TestConfigValidate(t *testing.T) {
	ok := webui.Config{ChainID: 1, Market: gpumarket.Address{1}}
	tests := []struct {
		name string
		mod  func(*webui.Config)
		want string
	}{
		{"ok", func(*webui.Config) {}, ""},
		{"https tx link", func(c *webui.Config) { c.TxURL = "https://etherscan.io/tx/" }, ""},
		{"no chain", func(c *webui.Config) { c.ChainID = 0 }, "chain id"},
		{"no market", func(c *webui.Config) { c.Market = gpumarket.Address{} }, "marketplace"},
		{"script tx link", func(c *webui.Config) { c.TxURL = "javascript:alert(1)//" }, "not http(s)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.mod(&c)
			err := c.Validate()
			if (tt.want == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate() = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestParseToken(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"0xbb00000000000000000000000000000000000000:USDT:6", ""},
		{"0xbb00000000000000000000000000000000000000:USDT", "ADDRESS:SYMBOL:DECIMALS"},
		{"0xbb:USDT:6", "address"},
		{"0xbb00000000000000000000000000000000000000:<b>:6", "symbol"},
		{"0xbb00000000000000000000000000000000000000:USDT:37", "decimals"},
		{"0xbb00000000000000000000000000000000000000:USDT:-1", "decimals"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			tok, err := webui.ParseToken(tt.in)
			if tt.want == "" {
				if err != nil || tok.Symbol != "USDT" || tok.Decimals != 6 || tok.Address != (gpumarket.Address{0xbb}) {
					t.Errorf("ParseToken(%q) = %+v, %v", tt.in, tok, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseToken(%q) = %v, want an error naming %q", tt.in, err, tt.want)
			}
		})
	}
}

func FuzzParseToken(f *testing.F) {
	f.Add("0xbb00000000000000000000000000000000000000:USDT:6")
	f.Add("0xbb00000000000000000000000000000000000000:<script>:6")
	f.Add("::")
	f.Fuzz(func(t *testing.T, s string) {
		tok, err := webui.ParseToken(s)
		if err != nil {
			if gpumarket.ErrorCode(err) != gpumarket.EINVALID {
				t.Fatalf("ParseToken(%q) = %v, want EINVALID", s, err)
			}
			return
		}
		if tok.Decimals > 36 || tok.Symbol == "" || len(tok.Symbol) > 11 || strings.ContainsAny(tok.Symbol, "<>\"'&:") {
			t.Fatalf("ParseToken(%q) accepted %+v", s, tok)
		}
	})
}
