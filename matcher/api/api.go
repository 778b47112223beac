package api

import (
	"cmp"
	"context"
	_ "embed"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/httpserve"
	"github.com/gpumarket/gpumarket/matcher"
	"github.com/gpumarket/gpumarket/matcher/service"
)

// OpenAPI is the API's OpenAPI 3 document, served at /v1/openapi.json.
//
//go:embed openapi.json
var OpenAPI []byte

// Store is what the HTTP API needs from the database (internal/postgres's
// MatcherAPIStore implements it). The record and view types are the queue's
// (package service), which shares the store. Errors carry gpumarket codes;
// ENOTFOUND becomes a 404.
type Store interface {
	Registration(ctx context.Context, chainID uint64, p gpumarket.Address) (service.Registration, error)
	// StoreUpload stores an uploaded spec charged to u.Caller's quota; a
	// *service.SpecQuotaError when the quota refuses it (nothing stored).
	StoreUpload(ctx context.Context, s service.SpecRecord, u service.SpecUpload) error
	// Spec returns a stored spec document, whether it is valid and why not;
	// ENOTFOUND when none is stored.
	Spec(ctx context.Context, h gpumarket.Hash) (body []byte, valid bool, reason string, err error)
	SaveAttestation(ctx context.Context, r service.AttestationRecord, now time.Time) ([]gpumarket.Address, error)
	SaveHeartbeat(ctx context.Context, r service.HeartbeatRecord, now time.Time) (gpumarket.ProviderStatus, error)
	PendingAssignments(ctx context.Context, chainID uint64, p gpumarket.Address, now time.Time, limit int) ([]service.AssignmentView, error)
	Job(ctx context.Context, chainID uint64, id gpumarket.JobID) (service.JobView, error)
	Providers(ctx context.Context, f service.ProviderFilter) ([]service.ProviderView, error)
	// LatestRates and RateHistory read the oracle snapshots of chainID.
	LatestRates(ctx context.Context, chainID uint64, kind string) ([]service.RateView, error)
	RateHistory(ctx context.Context, chainID uint64, kind, unit, class string, limit int) ([]service.RateView, error)
	// QuoteCandidates returns the providers f selects, without their
	// documents; AttestationDocuments the documents of the commitments a
	// quote's attestation cache misses.
	QuoteCandidates(ctx context.Context, f service.QuoteFilter) ([]service.CandidateRow, error)
	AttestationDocuments(ctx context.Context, chainID uint64, commitments []gpumarket.Hash) (map[gpumarket.Hash][]byte, error)
	// The explorer's reads: recent jobs (newest first) and the analyst
	// views v_market_volume_daily, v_price_index_hourly (of kind, or all
	// when empty) and v_job_funnel from since on, oldest first.
	Jobs(ctx context.Context, f service.JobFilter) ([]service.JobSummary, error)
	VolumeDaily(ctx context.Context, chainID uint64, since time.Time) ([]service.VolumeDay, error)
	PriceIndex(ctx context.Context, chainID uint64, kind string, since time.Time) ([]service.PriceIndexHour, error)
	Funnel(ctx context.Context, chainID uint64, since time.Time) ([]service.FunnelDay, error)
	// ChargeBlobUpload charges a new input blob to u.Caller's quota
	// (charged false when it was charged before); a *service.SpecQuotaError
	// (Store "blob") when the quota refuses it, nothing recorded.
	ChargeBlobUpload(ctx context.Context, u service.BlobUpload) (charged bool, err error)
	// CheckBlobQuota returns ChargeBlobUpload's refusal for a new blob of
	// u.Size bytes without recording anything.
	CheckBlobQuota(ctx context.Context, u service.BlobUpload) error
	// JobWithActivity returns Job's view and, in the same snapshot, the
	// job's chain events from (fromBlock, fromLog) on and its offers with
	// an id above afterOffer (the status stream's durable sources).
	JobWithActivity(ctx context.Context, chainID uint64, id gpumarket.JobID, fromBlock uint64, fromLog uint32, afterOffer int64) (service.JobView, service.JobActivity, error)
	// JobsWithActivity is JobWithActivity for several jobs of one chain in
	// one snapshot: a snapshot per query, in order (an unindexed job's with
	// an ENOTFOUND Err); an error only when the read failed. The status
	// streams' re-reads go through it, batched.
	JobsWithActivity(ctx context.Context, chainID uint64, qs []service.ActivityQuery) ([]service.JobSnapshot, error)
}

// Verifier checks the signatures of the documents providers submit, under
// the EIP-712 domain of the chain's ProviderRegistry
// (internal/eth/eip712.RegistryVerifier implements it). Failed checks are
// EUNAUTHORIZED errors, malformed documents EINVALID. It must be safe for
// concurrent use.
type Verifier interface {
	// AcceptAttestation checks that a is signed by signer, valid at now
	// (unix seconds) and is the document committed on-chain as commitment,
	// and returns its hardware fingerprint.
	AcceptAttestation(a *gpumarket.Attestation, sig []byte, signer gpumarket.Address, commitment gpumarket.Hash, now int64) (gpumarket.Hash, error)
	// AttestationHash returns the commitment of a (its struct hash).
	AttestationHash(a *gpumarket.Attestation) (gpumarket.Hash, error)
	// VerifyHeartbeat checks that sig is signer's signature of h.
	VerifyHeartbeat(h *gpumarket.Heartbeat, sig []byte, signer gpumarket.Address) error
}

// Config configures the HTTP API.
type Config struct {
	ChainID  uint64
	Params   matcher.Params
	Quote    matcher.QuoteParams
	Liveness matcher.LivenessParams
	// Attestations is the decoded-attestation cache quotes read; share the
	// queue's (service.Config.Attestations) in one process. nil: the
	// server keeps its own.
	Attestations *service.AttestationCache
	// QuoteRowsTTL is how long the providers a quote's filter selected are
	// reused by quotes of the same kind, model and requirements; zero takes
	// DefaultQuoteRowsTTL, a negative value queries on every quote.
	QuoteRowsTTL time.Duration
	// SpecQuota caps each caller's uploads (POST /v1/specs); the zero
	// value takes service.DefaultSpecQuota.
	SpecQuota service.SpecQuota
	// Per-client-IP rate limits (internal/httpserve.RateLimiter; a zero
	// Rate turns one off). Writes covers the anonymous writes, POST
	// /v1/specs, /v1/quote, /v1/attestations, /v1/heartbeats and /v1/orders; Reads the
	// expensive reads, GET /v1/providers, /v1/pricing/rates,
	// /v1/pricing/history, /v1/jobs/{chainId}/{jobId} and the explorer's
	// reads (GET /v1/jobs, .../timeline, /v1/analytics/*); each route's
	// chain-scoped form (ChainPrefix) is under the same limit. A request
	// over its limit gets 429 with Retry-After and {"error": ...}.
	Writes httpserve.RateConfig
	Reads  httpserve.RateConfig
	// Orders relays gasless orders (POST /v1/orders under the Writes
	// limit, GET /v1/orders/{client}/{nonce} under Reads); nil: those
	// routes answer 501.
	Orders OrderRelay
	// Blobs is the input store behind POST and GET /v1/blobs; nil: those
	// routes answer 404.
	Blobs BlobStore
	// BlobMaxBytes caps one blob (zero: DefaultBlobMaxBytes); BlobQuota
	// caps each caller's uploads (zero: service.DefaultBlobQuota);
	// BlobTransferTimeout replaces the server's read (upload) and write
	// (download) timeouts on the blob routes (zero:
	// DefaultBlobTransferTimeout).
	BlobMaxBytes        int64
	BlobQuota           service.SpecQuota
	BlobTransferTimeout time.Duration
	// PublicURL is the scheme and host clients reach this API at, for the
	// uri of stored blobs (e.g. https://matcher.example.com); empty: the
	// request's own scheme and Host.
	PublicURL string
	// Status streams (GET /v1/jobs/{chainId}/{jobId}/events): the
	// heartbeat (and periodic re-read) interval, the time one event may
	// take to write before a stalled client is dropped, and the streams
	// open at once per client (429 above) and overall (503 above). Zero
	// takes the Default* value.
	EventHeartbeat        time.Duration
	EventWriteTimeout     time.Duration
	EventStreamsPerClient int
	EventStreams          int
	// Solana enables the Solana rail's quote routes (see SolanaConfig);
	// nil: they answer 404.
	Solana *SolanaConfig
}

// DefaultQuoteRowsTTL is the default of Config.QuoteRowsTTL.
const DefaultQuoteRowsTTL = time.Second

// Limits of the list endpoints.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// Server serves /v1. Handlers validate everything before touching the
// store; bad input is a 4xx with a message naming what is wrong, and changes
// nothing. GET handlers only read.
type Server struct {
	cfg      Config
	store    Store
	verifier Verifier
	log      *slog.Logger
	now      func() time.Time
	rep      uint32 // the neutral reputation of providers without history
	quotes   *quoteRowCache
	writes   *httpserve.RateLimiter
	reads    *httpserve.RateLimiter
	events   *eventHub
	activity *activityReads
}

// New returns the API for cfg.ChainID, checking signatures with verifier
// (which must be for the same chain); now defaults to time.Now and a nil log discards. It returns
// an EINVALID error for an invalid config or a missing verifier.
func New(cfg Config, store Store, verifier Verifier, log *slog.Logger, now func() time.Time) (*Server, error) {
	if cfg.ChainID == 0 {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "api: chain id is required")
	}
	if verifier == nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "api: a signature verifier is required")
	}
	if err := cfg.Params.Validate(); err != nil {
		return nil, err
	}
	if err := cfg.Quote.Validate(); err != nil {
		return nil, err
	}
	if err := cfg.Liveness.Validate(); err != nil {
		return nil, err
	}
	if cfg.QuoteRowsTTL == 0 {
		cfg.QuoteRowsTTL = DefaultQuoteRowsTTL
	}
	if cfg.SpecQuota == (service.SpecQuota{}) {
		cfg.SpecQuota = service.DefaultSpecQuota()
	}
	if err := cfg.SpecQuota.Validate(); err != nil {
		return nil, err
	}
	if cfg.BlobMaxBytes == 0 {
		cfg.BlobMaxBytes = DefaultBlobMaxBytes
	}
	if cfg.BlobMaxBytes < 0 {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "api: blob max bytes %d is negative", cfg.BlobMaxBytes)
	}
	if cfg.BlobQuota == (service.SpecQuota{}) {
		cfg.BlobQuota = service.DefaultBlobQuota()
	}
	if err := cfg.BlobQuota.Validate(); err != nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "api: blob quota: %s", gpumarket.ErrorMessage(err))
	}
	if cfg.BlobTransferTimeout == 0 {
		cfg.BlobTransferTimeout = DefaultBlobTransferTimeout
	}
	if cfg.BlobTransferTimeout < 0 {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "api: blob transfer timeout %v is negative", cfg.BlobTransferTimeout)
	}
	if cfg.Solana != nil {
		if err := cfg.Solana.validate(); err != nil {
			return nil, err
		}
	}
	cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	cfg.EventHeartbeat = cmp.Or(cfg.EventHeartbeat, DefaultEventHeartbeat)
	cfg.EventWriteTimeout = cmp.Or(cfg.EventWriteTimeout, DefaultEventWriteTimeout)
	cfg.EventStreamsPerClient = cmp.Or(cfg.EventStreamsPerClient, DefaultEventStreamsPerClient)
	cfg.EventStreams = cmp.Or(cfg.EventStreams, DefaultEventStreams)
	if cfg.EventHeartbeat < 0 || cfg.EventWriteTimeout < 0 || cfg.EventStreamsPerClient < 0 || cfg.EventStreams < 0 {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "api: status stream limits must not be negative")
	}
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.Attestations == nil {
		cfg.Attestations = service.NewAttestationCache(0)
	}
	writes, err := httpserve.NewRateLimiter("api: write rate limit", cfg.Writes, nil)
	if err != nil {
		return nil, err
	}
	reads, err := httpserve.NewRateLimiter("api: read rate limit", cfg.Reads, nil)
	if err != nil {
		return nil, err
	}
	return &Server{cfg: cfg, store: store, verifier: verifier, log: log, now: now, writes: writes, reads: reads,
		events: newEventHub(cfg.EventStreamsPerClient, cfg.EventStreams), activity: newActivityReads(store),
		rep: matcher.Reputation(nil, now(), matcher.DefaultReputationParams()).Score, quotes: newQuoteRowCache(cfg.QuoteRowsTTL, 1024)}, nil
}

// ChainPrefix is the path prefix of the chain-scoped routes: every route
// that depends on the chain is also served as ChainPrefix + its path
// under /v1 (GET /v1/chains/{chainId}/providers, and for the job routes
// /v1/chains/{chainId}/jobs/{jobId}), and answers 404 for a chain other
// than Config.ChainID. The unscoped forms are aliases of Config.ChainID's.
const ChainPrefix = "/v1/chains/{chainId}"

// servedChain wraps a chain-scoped route: a {chainId} that is not a
// positive decimal integer is a 400, one other than this server's chain a
// 404 naming the chain served, both before h reads the request.
func (s *Server) servedChain(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		raw := r.PathValue("chainId")
		chain, err := strconv.ParseUint(raw, 10, 64)
		if err != nil || chain == 0 {
			return badRequest("chain id %q is not a positive decimal integer", echo(raw))
		}
		if chain != s.cfg.ChainID {
			return &httpError{status: http.StatusNotFound, msg: fmt.Sprintf("chain %d is not served here: this matcher serves chain %d", chain, s.cfg.ChainID)}
		}
		return h(w, r)
	}
}

// handlerFunc is a route that returns its error instead of writing it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// Handler returns the /v1 routes, each behind its rate limit (Config.Writes
// or Config.Reads; none for the cheap reads a provider polls) and its body
// cap (DefaultMaxBodyBytes, Config.BlobMaxBytes for POST /v1/blobs: a
// declared Content-Length above it is a 413 before the handler runs, a
// longer body fails its read). Every route's error is written by Error,
// the one place that turns errors into responses.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	type route struct {
		pattern string
		h       handlerFunc
		limit   *httpserve.RateLimiter
		maxBody int64 // 0: DefaultMaxBodyBytes
		// scoped is the route's chain-scoped form, a path under
		// /v1/chains/{chainId}; empty for the routes that do not depend
		// on the chain (content-addressed specs and blobs, the OpenAPI
		// document, the Solana rail).
		scoped string
	}
	routes := []route{
		{"GET /v1/openapi.json", s.getOpenAPI, nil, 0, ""},
		{"POST /v1/specs", s.postSpec, s.writes, 0, ""},
		{"GET /v1/specs/{hash}", s.getSpec, nil, 0, ""},
		{"POST /v1/attestations", s.postAttestation, s.writes, 0, "/attestations"},
		{"POST /v1/heartbeats", s.postHeartbeat, s.writes, 0, "/heartbeats"},
		{"GET /v1/providers/{addr}/assignments", s.getAssignments, nil, 0, "/providers/{addr}/assignments"},
		{"GET /v1/jobs/{chainId}/{jobId}", s.getJob, s.reads, 0, "/jobs/{jobId}"},
		{"GET /v1/jobs/{chainId}/{jobId}/events", s.getJobEvents, s.reads, 0, "/jobs/{jobId}/events"},
		{"GET /v1/jobs/{chainId}/{jobId}/timeline", s.getJobTimeline, s.reads, 0, "/jobs/{jobId}/timeline"},
		{"GET /v1/jobs", s.getJobs, s.reads, 0, "/jobs"},
		{"GET /v1/analytics/volume", s.getVolume, s.reads, 0, "/analytics/volume"},
		{"GET /v1/analytics/price-index", s.getPriceIndex, s.reads, 0, "/analytics/price-index"},
		{"GET /v1/analytics/funnel", s.getFunnel, s.reads, 0, "/analytics/funnel"},
		{"GET /v1/providers", s.getProviders, s.reads, 0, "/providers"},
		{"GET /v1/pricing/rates", s.getRates, s.reads, 0, "/pricing/rates"},
		{"GET /v1/pricing/history", s.getHistory, s.reads, 0, "/pricing/history"},
		{"POST /v1/quote", s.postQuote, s.writes, 0, "/quote"},
		{"POST /v1/orders", s.postOrder, s.writes, 0, "/orders"},
		{"GET /v1/orders/{client}/{nonce}", s.getOrder, s.reads, 0, "/orders/{client}/{nonce}"},
		{"POST /v1/blobs", s.postBlob, s.writes, s.cfg.BlobMaxBytes, ""},
		{"GET /v1/blobs/{sha256}", s.getBlob, nil, 0, ""}, // GET also answers HEAD
		// Answered without the rail too (enabled: false, no jobs), so the
		// explorer page asks it on every matcher without a failed request.
		{"GET /v1/rail/solana/jobs", s.getRailJobs, s.reads, 0, ""},
	}
	rail := []route{
		{"POST /v1/rail/solana/quotes", s.postRailQuote, s.writes, 0, ""},
		{"GET /v1/rail/solana/quotes/{reference}", s.getRailQuote, s.reads, 0, ""},
		{"POST /v1/rail/solana/quotes/{reference}/confirm", s.postRailConfirm, s.writes, 0, ""},
		{"GET /v1/rail/solana/offers/{addr}", s.getRailOffers, s.reads, 0, ""},
	}
	if s.cfg.Solana == nil { // the same routes, each a JSON 404 that says why
		for i := range rail {
			rail[i].h = railOff
		}
	}
	routes = append(routes, rail...)
	handle := func(pattern string, rt route, h handlerFunc) {
		maxBody := cmp.Or(rt.maxBody, DefaultMaxBodyBytes)
		mux.Handle(pattern, rt.limit.Limit(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.ContentLength > maxBody {
				s.Error(w, r, &httpError{status: http.StatusRequestEntityTooLarge, msg: fmt.Sprintf("body is larger than %d bytes", maxBody)})
				return
			}
			r.Body = http.MaxBytesReader(w, r.Body, maxBody)
			if err := h(w, r); err != nil {
				s.Error(w, r, err)
			}
		})))
	}
	for _, rt := range routes {
		handle(rt.pattern, rt, rt.h)
		if rt.scoped != "" {
			method, _, _ := strings.Cut(rt.pattern, " ")
			handle(method+" "+ChainPrefix+rt.scoped, rt, s.servedChain(rt.h))
		}
	}
	return mux
}

// railOff answers the Solana rail's routes on a matcher without the rail.
func railOff(http.ResponseWriter, *http.Request) error {
	return gpumarket.Errorf(gpumarket.ENOTFOUND, "this matcher has no Solana rail (matcher run --solana-rpc-url, GPUMARKET_MATCHER_SOLANA_RPC_URL, enables it)")
}
