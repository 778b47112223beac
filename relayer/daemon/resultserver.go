package daemon

import (
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/eth/resultauth"
	"github.com/gpumarket/gpumarket/internal/httpserve"
	"github.com/gpumarket/gpumarket/internal/solana"
)

// The result server's defaults where they differ from internal/httpserve's:
// a download may take DefaultResultWriteTimeout, a request (a GET) carries
// no body, and DefaultResultRate/DefaultResultBurst is the rate limit
// `gpumarket relayer run` applies per client IP.
const (
	DefaultResultWriteTimeout = 5 * time.Minute
	DefaultResultMaxBodyBytes = 1 << 10
	DefaultResultMaxConns     = 256
	DefaultResultRate         = 5.0
	DefaultResultBurst        = 20
)

// DefaultResultServer returns the result server's limits: httpserve's
// defaults (headers within 5s, the request within 15s, idle connections
// closed after 60s, 16 KiB of headers) with a 5 minute write timeout for
// downloads, 1 KiB of body and 256 connections.
func DefaultResultServer() httpserve.Config {
	c := httpserve.DefaultConfig()
	c.WriteTimeout, c.MaxBodyBytes, c.MaxConns = DefaultResultWriteTimeout, DefaultResultMaxBodyBytes, DefaultResultMaxConns
	// Any page may download a result (the web page does, from the
	// matcher's origin): a download is authorised by the client's
	// signature header, never by cookies, so a cross-origin caller gains
	// nothing it could not do with curl.
	c.CORS = httpserve.CORSConfig{Origins: []string{"*"}, Headers: []string{resultauth.ResultSignatureHeader, resultauth.ResultExpiryHeader}}
	return c
}

// resultServerDefaults fills the zero limits of c.ResultServer from
// DefaultResultServer and checks them and c.ResultRate.
func (c *Config) resultServerDefaults() error {
	def := DefaultResultServer()
	if c.ResultServer.WriteTimeout == 0 {
		c.ResultServer.WriteTimeout = def.WriteTimeout
	}
	if c.ResultServer.MaxBodyBytes == 0 {
		c.ResultServer.MaxBodyBytes = def.MaxBodyBytes
	}
	if c.ResultServer.MaxConns == 0 {
		c.ResultServer.MaxConns = def.MaxConns
	}
	if len(c.ResultServer.CORS.Origins) == 0 {
		c.ResultServer.CORS = def.CORS
	}
	if err := c.ResultServer.Validate(); err != nil {
		return err
	}
	return c.ResultRate.Validate("relayer: result rate limit")
}

// newResultServer returns the result server of h on ln: limits (its zero
// fields httpserve's defaults), rate per client IP (refused in the result
// handler's error shape), and CORS, when limits names origins, letting a
// browser send the download credentials and read the result hash.
func newResultServer(ln net.Listener, limits httpserve.Config, rate httpserve.RateConfig, h http.Handler, log *slog.Logger) (*httpserve.Server, error) {
	rate.Refuse = func(w http.ResponseWriter, status int, msg string) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": gpumarket.EUNAVAILABLE, "message": msg})
	}
	limiter, err := httpserve.NewRateLimiter("relayer: result rate limit", rate, nil)
	if err != nil {
		return nil, err
	}
	limits.CORS.Headers = append(limits.CORS.Headers, resultauth.ResultSignatureHeader, resultauth.ResultExpiryHeader, solana.ResultPayerHeader)
	limits.CORS.ExposedHeaders = append(limits.CORS.ExposedHeaders, "Gpumarket-Result-Hash")
	return httpserve.New(ln, limits, limiter.Limit(h), log)
}
