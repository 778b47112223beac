package httpserve

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"
)

// MaxLoggedPath is the most bytes of a request path the access log writes.
const MaxLoggedPath = 256

// Truncate returns s when it has at most n bytes, and otherwise its first n
// bytes (cut at a rune boundary) followed by a marker saying how many bytes
// were left out: for logs and error messages that must not echo a whole
// input.
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := max(n, 0)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s…[%d more bytes]", s[:cut], len(s)-cut)
}

// Metrics counts a server's requests by route and status and times them.
type Metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

// NewMetrics registers gpumarket_<subsystem>_http_requests_total (labels
// route, code) and gpumarket_<subsystem>_http_request_duration_seconds
// (label route) with reg. The route is the ServeMux pattern that served the
// request ("GET /v1/jobs/{chainId}/{jobId}"), "unmatched" when none did. It
// panics when the names are already registered with reg (a wiring bug).
func NewMetrics(reg prometheus.Registerer, subsystem string) *Metrics {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "gpumarket", Subsystem: subsystem, Name: "http_requests_total",
			Help: "HTTP requests answered, by route pattern and status code.",
		}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "gpumarket", Subsystem: subsystem, Name: "http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"route"}),
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

type clientIPKey struct{}

// ClientIP returns the address of the client that sent r: what the server's
// edge resolved (the peer's address, or behind a trusted proxy the last
// untrusted address of X-Forwarded-For), or, for a request that did not go
// through a Server of this package, the host of r.RemoteAddr.
func ClientIP(r *http.Request) string {
	if ip, ok := r.Context().Value(clientIPKey{}).(string); ok {
		return ip
	}
	return remoteHost(r.RemoteAddr)
}

func remoteHost(addr string) string {
	if host, _, err := net.SplitHostPort(addr); err == nil {
		return host
	}
	return addr
}

// resolveClientIP returns the peer's address unless the peer is a trusted
// proxy; then X-Forwarded-For is walked from the right, past trusted
// proxies, to the first address that is not one.
func resolveClientIP(r *http.Request, trusted []netip.Prefix) string {
	peer := remoteHost(r.RemoteAddr)
	if len(trusted) == 0 {
		return peer
	}
	isTrusted := func(s string) bool {
		a, err := netip.ParseAddr(strings.TrimSpace(s))
		if err != nil {
			return false
		}
		a = a.Unmap()
		for _, p := range trusted {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}
	if !isTrusted(peer) {
		return peer
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		if hop == "" || isTrusted(hop) {
			continue
		}
		if a, err := netip.ParseAddr(hop); err == nil {
			return a.Unmap().String()
		}
		return peer // a malformed hop: believe only the proxy
	}
	return peer
}

// edge is every server's outer handler: client address, body limit, access
// log and metrics around next.
type edge struct {
	next    http.Handler
	maxBody int64
	trusted []netip.Prefix
	log     *slog.Logger
	metrics *Metrics
}

func (e *edge) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	ip := resolveClientIP(r, e.trusted)
	r = r.WithContext(context.WithValue(r.Context(), clientIPKey{}, ip))
	// MaxBytesReader gets the server's own writer, so that an overlong
	// body also closes the connection.
	r.Body = http.MaxBytesReader(w, r.Body, e.maxBody)
	rec := &recorder{ResponseWriter: w}
	if r.ContentLength > e.maxBody {
		WriteError(rec, http.StatusRequestEntityTooLarge, fmt.Sprintf("body is larger than %d bytes", e.maxBody))
	} else {
		e.next.ServeHTTP(rec, r)
	}
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	elapsed := time.Since(start)
	route := r.Pattern // set by the innermost ServeMux that routed r
	if route == "" {
		route = "unmatched"
	}
	e.log.Info("http request", "method", Truncate(r.Method, 16), "path", Truncate(r.URL.Path, MaxLoggedPath), "route", route,
		"status", rec.status, "bytes", rec.bytes, "duration", elapsed, "client_ip", ip)
	if e.metrics != nil {
		e.metrics.requests.WithLabelValues(route, fmt.Sprint(rec.status)).Inc()
		e.metrics.duration.WithLabelValues(route).Observe(elapsed.Seconds())
	}
}

// WriteError writes the JSON error body {"error": msg} with status, the
// matcher API's error shape.
func WriteError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": msg})
}

// recorder notes the status and the body bytes of a response.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *recorder) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *recorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the server's writer (Flush,
// deadlines).
func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }
