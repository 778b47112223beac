// Package httpserve builds every HTTP server of the project, so that none
// can be started without limits. New (or Listen) returns a server with
//
//   - read-header, read, write and idle timeouts (an idle keep-alive
//     connection is closed after IdleTimeout, a slow client after
//     ReadHeaderTimeout or ReadTimeout);
//   - a small MaxHeaderBytes (a larger request head gets 431);
//   - a body limit (a declared Content-Length above MaxBodyBytes gets 413
//     before the handler runs; a longer chunked body fails the handler's
//     read with *http.MaxBytesError);
//   - a connection cap (golang.org/x/net/netutil.LimitListener: the
//     MaxConns+1th connection is not accepted until one closes);
//   - an access log line per request (the path truncated, see Truncate) and,
//     with Metrics, a request count and latency histogram per ServeMux route
//     pattern (never the raw path);
//   - optional CORS (github.com/rs/cors; default: none, same origin only);
//   - the client's address in the request context (ClientIP), taken from
//     X-Forwarded-For only behind configured trusted proxies.
//
// RateLimiter adds per-client-IP token buckets (golang.org/x/time/rate) to
// the routes that need them, answering 429 with Retry-After.
//
// Invariants: a zero Config field takes DefaultConfig's value, so a caller
// cannot leave a limit unset; a negative one is an EINVALID error. Run owns
// the serving goroutine and returns only after it has ended.
package httpserve

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"time"

	"github.com/rs/cors"
	"golang.org/x/net/netutil"

	"github.com/gpumarket/gpumarket"
)

// Config holds a server's limits. A zero field takes DefaultConfig's value.
type Config struct {
	ReadHeaderTimeout time.Duration // to read the request line and headers
	ReadTimeout       time.Duration // to read the whole request, body included
	WriteTimeout      time.Duration // from the end of the request head to the end of the response
	IdleTimeout       time.Duration // a keep-alive connection waiting for its next request
	ShutdownTimeout   time.Duration // requests in flight may finish for this long after Run's ctx ends
	MaxHeaderBytes    int           // request line and headers (Go's server allows 4 KiB of slack above it)
	MaxBodyBytes      int64         // request body
	MaxConns          int           // connections open at once

	// CORS, when it names origins, answers cross-origin requests from them;
	// without origins no CORS header is ever sent (same origin only).
	CORS CORSConfig
	// TrustedProxies are the peers whose X-Forwarded-For is believed (see
	// ClientIP); none by default.
	TrustedProxies []netip.Prefix
	// Metrics, when set, counts requests by route pattern and status.
	Metrics *Metrics
}

// CORSConfig configures cross-origin requests.
type CORSConfig struct {
	// Origins allowed, as scheme://host[:port] ("*" for any origin, a "*"
	// inside the host for a wildcard, e.g. https://*.example.com).
	Origins []string
	// Headers a cross-origin request may send besides the CORS-safelisted
	// ones (Content-Type is always allowed).
	Headers []string
	// ExposedHeaders a cross-origin caller may read (Retry-After always).
	ExposedHeaders []string
}

// Defaults of DefaultConfig.
const (
	DefaultReadHeaderTimeout = 5 * time.Second
	DefaultReadTimeout       = 15 * time.Second
	DefaultWriteTimeout      = 30 * time.Second
	DefaultIdleTimeout       = 60 * time.Second
	DefaultShutdownTimeout   = 10 * time.Second
	DefaultMaxHeaderBytes    = 16 << 10
	DefaultMaxBodyBytes      = 1 << 20
	DefaultMaxConns          = 1024
)

// DefaultConfig returns the limits every server starts from: headers within
// 5s, the whole request within 15s, the response within 30s, idle
// connections closed after 60s, 10s to drain on shutdown, 16 KiB of headers,
// 1 MiB of body, 1024 connections, no CORS, no trusted proxy.
func DefaultConfig() Config {
	return Config{
		ReadHeaderTimeout: DefaultReadHeaderTimeout,
		ReadTimeout:       DefaultReadTimeout,
		WriteTimeout:      DefaultWriteTimeout,
		IdleTimeout:       DefaultIdleTimeout,
		ShutdownTimeout:   DefaultShutdownTimeout,
		MaxHeaderBytes:    DefaultMaxHeaderBytes,
		MaxBodyBytes:      DefaultMaxBodyBytes,
		MaxConns:          DefaultMaxConns,
	}
}

// withDefaults returns c with every zero limit set from DefaultConfig.
func (c Config) withDefaults() Config {
	def := DefaultConfig()
	set := func(v *time.Duration, d time.Duration) {
		if *v == 0 {
			*v = d
		}
	}
	set(&c.ReadHeaderTimeout, def.ReadHeaderTimeout)
	set(&c.ReadTimeout, def.ReadTimeout)
	set(&c.WriteTimeout, def.WriteTimeout)
	set(&c.IdleTimeout, def.IdleTimeout)
	set(&c.ShutdownTimeout, def.ShutdownTimeout)
	if c.MaxHeaderBytes == 0 {
		c.MaxHeaderBytes = def.MaxHeaderBytes
	}
	if c.MaxBodyBytes == 0 {
		c.MaxBodyBytes = def.MaxBodyBytes
	}
	if c.MaxConns == 0 {
		c.MaxConns = def.MaxConns
	}
	return c
}

// Validate returns an EINVALID error naming the first negative limit or
// malformed CORS origin; zero limits are valid (they take the defaults).
func (c Config) Validate() error {
	for _, f := range []struct {
		name string
		v    int64
	}{
		{"ReadHeaderTimeout", int64(c.ReadHeaderTimeout)}, {"ReadTimeout", int64(c.ReadTimeout)},
		{"WriteTimeout", int64(c.WriteTimeout)}, {"IdleTimeout", int64(c.IdleTimeout)},
		{"ShutdownTimeout", int64(c.ShutdownTimeout)}, {"MaxHeaderBytes", int64(c.MaxHeaderBytes)},
		{"MaxBodyBytes", c.MaxBodyBytes}, {"MaxConns", int64(c.MaxConns)},
	} {
		if f.v < 0 {
			return gpumarket.Errorf(gpumarket.EINVALID, "http server: %s is negative", f.name)
		}
	}
	for _, o := range c.CORS.Origins {
		if err := ValidateOrigin(o); err != nil {
			return err
		}
	}
	return nil
}

// ValidateOrigin returns an EINVALID error when o is not "*" nor an origin
// scheme://host[:port] with scheme http or https and nothing after the host.
func ValidateOrigin(o string) error {
	if o == "*" {
		return nil
	}
	u, err := url.Parse(strings.Replace(o, "*", "wildcard", 1))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return gpumarket.Errorf(gpumarket.EINVALID, "CORS origin %q: want scheme://host[:port] (http or https) or *", Truncate(o, 100))
	}
	return nil
}

// ParsePrefixes parses trusted proxy addresses: CIDR prefixes or single IP
// addresses. It returns an EINVALID error naming the first malformed one.
func ParsePrefixes(list []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range list {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			return nil, gpumarket.Errorf(gpumarket.EINVALID, "trusted proxy %q: not an IP address or CIDR prefix", Truncate(s, 100))
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

// Server is an *http.Server with its capped listener.
type Server struct {
	srv      *http.Server
	ln       net.Listener
	shutdown time.Duration
}

// Listen listens on the TCP address addr and returns New's server. It
// returns an EINVALID error when addr cannot be listened on or cfg is
// invalid.
func Listen(addr string, cfg Config, h http.Handler, log *slog.Logger) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "%v", err) // "listen tcp <addr>: …"
	}
	s, err := New(ln, cfg, h, log)
	if err != nil {
		ln.Close()
	}
	return s, err
}

// New returns a server of h on ln (which Run closes) with cfg's limits, a
// zero field taking DefaultConfig's value. log receives the access log (nil:
// none). It returns an EINVALID error for an invalid cfg.
func New(ln net.Listener, cfg Config, h http.Handler, log *slog.Logger) (*Server, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if len(cfg.CORS.Origins) > 0 {
		h = cors.New(cors.Options{
			AllowedOrigins: cfg.CORS.Origins,
			AllowedMethods: []string{http.MethodGet, http.MethodHead, http.MethodPost},
			AllowedHeaders: append([]string{"Content-Type"}, cfg.CORS.Headers...),
			ExposedHeaders: append([]string{"Retry-After"}, cfg.CORS.ExposedHeaders...),
			MaxAge:         600,
		}).Handler(h)
	}
	base := &edge{next: h, maxBody: cfg.MaxBodyBytes, trusted: cfg.TrustedProxies, log: log, metrics: cfg.Metrics}
	srv := &http.Server{
		Handler:           base,
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		MaxHeaderBytes:    cfg.MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelDebug),
	}
	return &Server{srv: srv, ln: netutil.LimitListener(ln, cfg.MaxConns), shutdown: cfg.ShutdownTimeout}, nil
}

// Addr returns the address the server listens on.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// HTTP returns the underlying server, to read its limits; do not start it.
func (s *Server) HTTP() *http.Server { return s.srv }

// Run serves until ctx ends, then shuts down: it stops accepting, lets
// requests in flight finish for up to ShutdownTimeout, then closes what is
// left. A cancelled ctx is a normal return (nil). It returns the error that
// stopped serving otherwise, and an error when the drain timed out.
func (s *Server) Run(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- s.srv.Serve(s.ln) }()
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return fmt.Errorf("serve http on %s: %w", s.ln.Addr(), err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.shutdown)
	defer cancel()
	err := s.srv.Shutdown(sctx)
	if err != nil {
		_ = s.srv.Close()
		err = fmt.Errorf("shut down http server on %s: %w", s.ln.Addr(), err)
	}
	<-errc
	return err
}
