// Package webui serves the market explorer and the post-a-job page: the
// bundle sdk/web/ builds (npm run -w sdk/web build, part of make build) into dist/,
// embedded into the binary with go:embed. The bundle is committed as a
// generated artefact (make check-generated rebuilds it and fails on any
// difference), so that go build and go test work on a clean clone before
// any npm build.
//
// Invariants:
//   - Only the embedded files are served, at exactly their names; any other
//     path under /assets/ is a 404. Nothing is read from disk at run time.
//   - Every response carries a strict Content-Security-Policy (scripts,
//     styles, fonts and images from this origin only, no inline script,
//     no framing, no plugins, no base or form targets), nosniff and
//     no-referrer. connect-src also allows http(s) origins: a job's result
//     lives on its provider's own server, which the page downloads from
//     (signed by the wallet, checked against the on-chain hash).
//   - Content types come from a fixed table by extension, never sniffed.
//   - index.html (and config.json) are revalidated on every load
//     (no-cache); assets have content-hashed names and are immutable.
package webui

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/httpserve"
)

//go:embed all:dist
var dist embed.FS

// CSP is the Content-Security-Policy of every response.
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self'; " +
	"connect-src 'self' http: https:; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'"

// contentTypes maps the extensions of the bundle to their content types.
var contentTypes = map[string]string{
	".html":  "text/html; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".json":  "application/json",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".woff2": "font/woff2",
	".txt":   "text/plain; charset=utf-8",
}

// Config is what the page needs to know about the market it shows: the
// chain, the contracts, the tokens jobs are paid in, and where to link
// transactions. It is served as /config.json.
type Config struct {
	ChainID  uint64            `json:"chain_id"`
	Market   gpumarket.Address `json:"market"`
	Registry gpumarket.Address `json:"registry"`
	Tokens   []Token           `json:"tokens"`
	// TxURL prefixes a transaction hash to link it (e.g.
	// https://etherscan.io/tx/); empty: hashes are shown unlinked.
	TxURL string `json:"tx_url,omitempty"`
}

// Token is a payment token the page formats amounts of and offers to pay
// jobs in.
type Token struct {
	Address  gpumarket.Address `json:"address"`
	Symbol   string            `json:"symbol"`
	Decimals uint8             `json:"decimals"`
}

// ParseToken parses ADDRESS:SYMBOL:DECIMALS (matcher run --ui-token). It
// returns an EINVALID error naming the bad part.
func ParseToken(s string) (Token, error) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return Token{}, gpumarket.Errorf(gpumarket.EINVALID, "token %q: want ADDRESS:SYMBOL:DECIMALS", httpserve.Truncate(s, 100))
	}
	a, err := gpumarket.ParseAddress(parts[0])
	if err != nil {
		return Token{}, gpumarket.Errorf(gpumarket.EINVALID, "token %q: address: %s", httpserve.Truncate(s, 100), gpumarket.ErrorMessage(err))
	}
	sym := parts[1]
	if len(sym) == 0 || len(sym) > 11 || strings.ContainsFunc(sym, func(r rune) bool { return !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') }) {
		return Token{}, gpumarket.Errorf(gpumarket.EINVALID, "token %q: symbol must be 1 to 11 letters or digits", httpserve.Truncate(s, 100))
	}
	d, err := strconv.ParseUint(parts[2], 10, 8)
	if err != nil || d > 36 {
		return Token{}, gpumarket.Errorf(gpumarket.EINVALID, "token %q: decimals must be an integer in [0, 36]", httpserve.Truncate(s, 100))
	}
	return Token{Address: a, Symbol: sym, Decimals: uint8(d)}, nil
}

// Validate returns an EINVALID error naming the bad field.
func (c Config) Validate() error {
	switch {
	case c.ChainID == 0:
		return gpumarket.Errorf(gpumarket.EINVALID, "webui: chain id is required")
	case c.Market.IsZero():
		return gpumarket.Errorf(gpumarket.EINVALID, "webui: the marketplace address is required")
	case c.TxURL != "" && !strings.HasPrefix(c.TxURL, "https://") && !strings.HasPrefix(c.TxURL, "http://"):
		return gpumarket.Errorf(gpumarket.EINVALID, "webui: transaction link prefix %q is not http(s)", c.TxURL)
	}
	return nil
}

// Register mounts the page on mux: GET / (index.html), GET /config.json
// and GET /assets/{name}. They do not overlap /v1/, /metrics or /healthz.
// It returns Validate's error.
func Register(mux *http.ServeMux, cfg Config) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	if cfg.Tokens == nil {
		cfg.Tokens = []Token{}
	}
	conf, err := json.Marshal(cfg)
	if err != nil {
		return fmt.Errorf("webui: encode config: %w", err)
	}
	index, err := dist.ReadFile("dist/index.html")
	if err != nil {
		return fmt.Errorf("webui: the embedded bundle has no index.html: %w", err)
	}
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		write(w, r, ".html", "no-cache", index)
	})
	mux.HandleFunc("GET /config.json", func(w http.ResponseWriter, r *http.Request) {
		write(w, r, ".json", "no-cache", conf)
	})
	mux.HandleFunc("GET /assets/{name}", func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("name")
		b, err := fs.ReadFile(dist, "dist/assets/"+name)
		ext := path.Ext(name)
		if _, known := contentTypes[ext]; err != nil || !known || strings.ContainsAny(name, "/\\") {
			headers(w, ".txt", "no-store")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte("not found\n"))
			return
		}
		write(w, r, ext, "public, max-age=31536000, immutable", b)
	})
	return nil
}

func headers(w http.ResponseWriter, ext, cache string) {
	h := w.Header()
	h.Set("Content-Type", contentTypes[ext])
	h.Set("Cache-Control", cache)
	h.Set("Content-Security-Policy", CSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
}

func write(w http.ResponseWriter, r *http.Request, ext, cache string, b []byte) {
	headers(w, ext, cache)
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(b)
}
