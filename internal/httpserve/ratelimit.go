package httpserve

import (
	"fmt"
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/gpumarket/gpumarket"
)

// RateConfig is a per-client-IP rate limit: each address has a token bucket
// of Burst tokens refilled at Rate per second, and a request takes one.
type RateConfig struct {
	Rate  float64 // requests per second per client address; 0 turns the limit off
	Burst int     // requests at once; with a Rate, at least 1
	// MaxClients bounds the buckets kept (DefaultMaxClients when zero).
	MaxClients int
	// Refuse writes the refusal, status 429 with msg, in the server's
	// error shape (the Retry-After header is already set); nil is
	// WriteError, {"error": msg}.
	Refuse func(w http.ResponseWriter, status int, msg string) `json:"-"`
}

// DefaultMaxClients is the number of client buckets a RateLimiter keeps.
const DefaultMaxClients = 100_000

// Enabled reports whether c limits anything.
func (c RateConfig) Enabled() bool { return c.Rate > 0 }

// Validate returns an EINVALID error for a negative or non-finite rate, a
// rate without a burst of at least 1, or a negative MaxClients; name names
// the limit in the message.
func (c RateConfig) Validate(name string) error {
	switch {
	case math.IsNaN(c.Rate) || math.IsInf(c.Rate, 0) || c.Rate < 0:
		return gpumarket.Errorf(gpumarket.EINVALID, "%s: rate %v is not a non-negative number", name, c.Rate)
	case c.Rate > 0 && c.Burst < 1:
		return gpumarket.Errorf(gpumarket.EINVALID, "%s: burst %d is below 1", name, c.Burst)
	case c.MaxClients < 0:
		return gpumarket.Errorf(gpumarket.EINVALID, "%s: max clients %d is negative", name, c.MaxClients)
	}
	return nil
}

// RateLimiter keeps one token bucket per client address (ClientIP; an
// IPv6 client's /64). The
// buckets are bounded by MaxClients: when full, buckets that have refilled
// (which decide exactly as a new one would) are dropped first, then
// arbitrary ones, which lets those clients start afresh with a full burst.
// A nil *RateLimiter limits nothing. It is safe for concurrent use.
type RateLimiter struct {
	cfg     RateConfig
	now     func() time.Time
	mu      sync.Mutex
	buckets map[string]*rate.Limiter
}

// NewRateLimiter returns cfg's limiter, nil when cfg is not Enabled; now
// defaults to time.Now. It returns an EINVALID error naming name for an
// invalid cfg.
func NewRateLimiter(name string, cfg RateConfig, now func() time.Time) (*RateLimiter, error) {
	if err := cfg.Validate(name); err != nil {
		return nil, err
	}
	if !cfg.Enabled() {
		return nil, nil
	}
	if cfg.MaxClients == 0 {
		cfg.MaxClients = DefaultMaxClients
	}
	if now == nil {
		now = time.Now
	}
	return &RateLimiter{cfg: cfg, now: now, buckets: make(map[string]*rate.Limiter)}, nil
}

// Allow takes a token of client's bucket. Without one it returns false and
// how long until one is there.
func (l *RateLimiter) Allow(client string) (ok bool, retryAfter time.Duration) {
	if l == nil {
		return true, 0
	}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b, found := l.buckets[client]
	if !found {
		l.makeRoom(now)
		b = rate.NewLimiter(rate.Limit(l.cfg.Rate), l.cfg.Burst)
		l.buckets[client] = b
	}
	res := b.ReserveN(now, 1)
	if !res.OK() {
		return false, time.Duration(math.MaxInt64)
	}
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		return false, d
	}
	return true, 0
}

// makeRoom drops buckets until one more fits: refilled ones, then, when
// none is, arbitrary ones down to nine tenths of the bound (so that the
// sweep runs once per many new clients).
func (l *RateLimiter) makeRoom(now time.Time) {
	if len(l.buckets) < l.cfg.MaxClients {
		return
	}
	for k, b := range l.buckets {
		if b.TokensAt(now) >= float64(l.cfg.Burst) {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) < l.cfg.MaxClients {
		return
	}
	target := l.cfg.MaxClients * 9 / 10 // below MaxClients for any MaxClients >= 1
	for k := range l.buckets {
		if len(l.buckets) <= target {
			break
		}
		delete(l.buckets, k)
	}
}

// ClientKey is what per-client limits (rate buckets, the matcher's spec
// quota) key on: ClientIP(r) for IPv4, its /64 for IPv6 (one subscriber's
// network, which hands out addresses freely).
func ClientKey(r *http.Request) string { return rateKey(ClientIP(r)) }

// rateKey is the bucket of a client address: the address itself for IPv4,
// its /64 for IPv6.
func rateKey(ip string) string {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	if a = a.Unmap(); a.Is4() {
		return a.String()
	}
	p, _ := a.Prefix(64)
	return p.String()
}

// clients returns how many buckets are kept (for tests).
func (l *RateLimiter) clients() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// Limit returns next behind the limit: a request over it gets 429 Too Many
// Requests with Retry-After (whole seconds, at least 1) and an error body
// saying when to retry. A nil l returns next.
func (l *RateLimiter) Limit(next http.Handler) http.Handler {
	if l == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ok, wait := l.Allow(ClientKey(r))
		if ok {
			next.ServeHTTP(w, r)
			return
		}
		secs := int64(math.Ceil(wait.Seconds()))
		if secs < 1 || wait < 0 {
			secs = 1
		}
		if wait > 24*time.Hour {
			secs = 86400
		}
		w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
		msg := fmt.Sprintf("too many requests from this address: retry after %ds", secs)
		refuse := l.cfg.Refuse
		if refuse == nil {
			refuse = WriteError
		}
		refuse(w, http.StatusTooManyRequests, msg)
	})
}
