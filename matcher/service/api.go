package service

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/eth"
	"github.com/gpumarket/gpumarket/matcher"
)

// OpenAPI is the API's OpenAPI 3 document, served at /v1/openapi.json.
//
//go:embed openapi.json
var OpenAPI []byte

// APIStore is what the HTTP API needs from the database.
type APIStore interface {
	Registration(ctx context.Context, chainID uint64, p gpumarket.Address) (Registration, error)
	StoreSpec(ctx context.Context, s SpecRecord) error
	// Spec returns a stored spec document, whether it is valid and why not;
	// ENOTFOUND when none is stored.
	Spec(ctx context.Context, h gpumarket.Hash) (body []byte, valid bool, reason string, err error)
	SaveAttestation(ctx context.Context, r AttestationRecord, now time.Time) ([]gpumarket.Address, error)
	SaveHeartbeat(ctx context.Context, r HeartbeatRecord, now time.Time) (gpumarket.ProviderStatus, error)
	PendingAssignments(ctx context.Context, chainID uint64, p gpumarket.Address, now time.Time, limit int) ([]AssignmentView, error)
	Job(ctx context.Context, chainID uint64, id gpumarket.JobID) (JobView, error)
	Providers(ctx context.Context, f ProviderFilter) ([]ProviderView, error)
	LatestRates(ctx context.Context, kind string) ([]RateView, error)
	RateHistory(ctx context.Context, kind, unit, class string, limit int) ([]RateView, error)
	Candidates(ctx context.Context, chainID uint64, withDocs bool) ([]CandidateRow, error)
}

// APIConfig configures the HTTP API.
type APIConfig struct {
	ChainID  uint64
	Registry gpumarket.Address // ProviderRegistry: the domain of attestations and heartbeats
	Params   matcher.Params
	Quote    matcher.QuoteParams
	Liveness matcher.LivenessParams
}

// Limits of the list endpoints.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// API serves /v1. Handlers validate everything before touching the store;
// bad input is a 4xx with a message naming what is wrong, and changes
// nothing. GET handlers only read.
type API struct {
	cfg    APIConfig
	store  APIStore
	log    *slog.Logger
	now    func() time.Time
	domain eth.Domain
	rep    uint32
}

// NewAPI returns the API. It returns an EINVALID error for an invalid
// config.
func NewAPI(cfg APIConfig, store APIStore, log *slog.Logger, now func() time.Time) (*API, error) {
	if cfg.ChainID == 0 || cfg.Registry.IsZero() {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "api: chain id and registry address are required")
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
	if now == nil {
		now = time.Now
	}
	d := eth.RegistryDomain(new(big.Int).SetUint64(cfg.ChainID), cfg.Registry)
	if _, err := d.Separator(); err != nil {
		return nil, err
	}
	return &API{cfg: cfg, store: store, log: log, now: now, domain: d,
		rep: matcher.Reputation(nil, now(), matcher.DefaultReputationParams()).Score}, nil
}

// Handler returns the /v1 routes.
func (a *API) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(OpenAPI)
	})
	mux.HandleFunc("POST /v1/specs", a.postSpec)
	mux.HandleFunc("GET /v1/specs/{hash}", a.getSpec)
	mux.HandleFunc("POST /v1/attestations", a.postAttestation)
	mux.HandleFunc("POST /v1/heartbeats", a.postHeartbeat)
	mux.HandleFunc("GET /v1/providers/{addr}/assignments", a.getAssignments)
	mux.HandleFunc("GET /v1/jobs/{chainId}/{jobId}", a.getJob)
	mux.HandleFunc("GET /v1/providers", a.getProviders)
	mux.HandleFunc("GET /v1/pricing/rates", a.getRates)
	mux.HandleFunc("GET /v1/pricing/history", a.getHistory)
	mux.HandleFunc("POST /v1/quote", a.postQuote)
	return mux
}

// httpError is an error with its HTTP status, made only at this edge.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

func badRequest(format string, args ...any) error {
	return &httpError{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

// statusOf maps domain error codes to HTTP statuses.
func statusOf(err error) (int, string) {
	var he *httpError
	if errors.As(err, &he) {
		return he.status, he.msg
	}
	switch gpumarket.ErrorCode(err) {
	case gpumarket.EINVALID:
		return http.StatusBadRequest, gpumarket.ErrorMessage(err)
	case gpumarket.EUNAUTHORIZED:
		return http.StatusUnauthorized, gpumarket.ErrorMessage(err)
	case gpumarket.ENOTFOUND:
		return http.StatusNotFound, gpumarket.ErrorMessage(err)
	case gpumarket.ECONFLICT:
		return http.StatusConflict, gpumarket.ErrorMessage(err)
	case gpumarket.EUNAVAILABLE:
		return http.StatusServiceUnavailable, gpumarket.ErrorMessage(err)
	}
	return http.StatusInternalServerError, "internal error"
}

func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := statusOf(err)
	if status >= 500 {
		a.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	writeJSON(w, status, map[string]string{"error": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	_ = enc.Encode(v)
}

// readBody reads at most limit bytes of a JSON body (http.MaxBytesReader).
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return nil, &httpError{http.StatusUnsupportedMediaType, fmt.Sprintf("content type %q is not application/json", ct)}
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, &httpError{http.StatusRequestEntityTooLarge, fmt.Sprintf("body is larger than %d bytes", limit)}
		}
		return nil, badRequest("read body: %v", err)
	}
	return b, nil
}

func parseSig(s string) ([]byte, error) {
	h, ok := strings.CutPrefix(s, "0x")
	if !ok || len(h) != 130 {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "signature: want 0x and 130 hex digits (65 bytes)")
	}
	b, err := hex.DecodeString(h)
	if err != nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "signature: not hex")
	}
	return b, nil
}

// checkQuery rejects unknown and repeated query parameters.
func checkQuery(q url.Values, allowed ...string) error {
	for k, vs := range q {
		ok := false
		for _, a := range allowed {
			ok = ok || a == k
		}
		if !ok {
			return badRequest("unknown query parameter %q (allowed: %s)", k, strings.Join(allowed, ", "))
		}
		if len(vs) > 1 {
			return badRequest("query parameter %q given %d times", k, len(vs))
		}
	}
	return nil
}

// checkName accepts model and region names: 1 to max characters of
// [A-Za-z0-9._:/+@-]. Anything else (quotes, semicolons, spaces, control
// characters) is refused before it reaches the store.
func checkName(field, v string, maxLen int) error {
	if len(v) == 0 || len(v) > maxLen {
		return badRequest("%s: must be 1 to %d characters", field, maxLen)
	}
	for _, c := range v {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("._:/+@-", c)) {
			return badRequest("%s: character %q is not allowed (letters, digits and ._:/+@- only)", field, c)
		}
	}
	return nil
}

func parseLimit(q url.Values) (int, error) {
	s := q.Get("limit")
	if s == "" {
		return DefaultLimit, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > MaxLimit {
		return 0, badRequest("limit: %q is not an integer in [1, %d]", s, MaxLimit)
	}
	return n, nil
}

func (a *API) postSpec(w http.ResponseWriter, r *http.Request) {
	if err := checkQuery(r.URL.Query()); err != nil {
		a.fail(w, r, err)
		return
	}
	b, err := readBody(w, r, gpumarket.MaxJobSpecBytes)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	sp, err := gpumarket.DecodeJobSpec(bytes.NewReader(b))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	h := hashSpec(b)
	if err := a.store.StoreSpec(r.Context(), SpecRecord{Hash: h, Body: b, Source: "upload", Spec: sp}); err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"spec_hash": h, "size_bytes": len(b)})
}

// getSpec serves a stored spec document byte for byte, so that a provider can
// check it against the job's on-chain spec hash before running it. A spec
// the matcher rejected is a 422 with the recorded reason.
func (a *API) getSpec(w http.ResponseWriter, r *http.Request) {
	err := checkQuery(r.URL.Query())
	var h gpumarket.Hash
	if err == nil {
		h, err = gpumarket.ParseHash(r.PathValue("hash"))
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	body, valid, reason, err := a.store.Spec(r.Context(), h)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if !valid {
		a.fail(w, r, &httpError{http.StatusUnprocessableEntity, fmt.Sprintf("spec %s was rejected: %s", h, reason)})
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(body)
}

// AttestationRequest is the body of POST /v1/attestations.
type AttestationRequest struct {
	ChainID     uint64          `json:"chain_id"`
	Attestation json.RawMessage `json:"attestation"`
	Signature   string          `json:"signature"`
}

// DecodeAttestationRequest decodes and validates a POST /v1/attestations
// body. Every failure is an EINVALID error.
func DecodeAttestationRequest(b []byte) (*AttestationRequest, *gpumarket.Attestation, []byte, error) {
	var req AttestationRequest
	if err := gpumarket.UnmarshalStrict(b, &req); err != nil {
		return nil, nil, nil, err
	}
	if len(req.Attestation) == 0 {
		return nil, nil, nil, gpumarket.Errorf(gpumarket.EINVALID, "attestation: required")
	}
	att, err := gpumarket.DecodeAttestation(bytes.NewReader(req.Attestation))
	if err != nil {
		return nil, nil, nil, err
	}
	sig, err := parseSig(req.Signature)
	if err != nil {
		return nil, nil, nil, err
	}
	return &req, att, sig, nil
}

func (a *API) checkChain(id uint64) error {
	if id != a.cfg.ChainID {
		return badRequest("chain_id %d is wrong: this matcher serves chain %d", id, a.cfg.ChainID)
	}
	return nil
}

func (a *API) postAttestation(w http.ResponseWriter, r *http.Request) {
	b, err := readBody(w, r, gpumarket.MaxAttestationBytes+1024)
	if err == nil {
		err = checkQuery(r.URL.Query())
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	req, att, sig, err := DecodeAttestationRequest(b)
	if err == nil {
		err = a.checkChain(req.ChainID)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	ctx := r.Context()
	reg, err := a.store.Registration(ctx, a.cfg.ChainID, att.Provider)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if !reg.Registered || reg.Signer.IsZero() {
		a.fail(w, r, gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "provider %s has no registered signer", att.Provider))
		return
	}
	if reg.Commitment.IsZero() {
		a.fail(w, r, gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "provider %s has no attestation commitment on-chain: register its hash first", att.Provider))
		return
	}
	now := a.now()
	fp, err := eth.AcceptAttestation(a.domain, att, sig, reg.Signer, reg.Commitment, now.Unix())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	commit, err := eth.AttestationHash(att)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	flagged, err := a.store.SaveAttestation(ctx, AttestationRecord{ChainID: a.cfg.ChainID, Attestation: att, Document: req.Attestation,
		Commitment: commit, Signature: sig, Signer: reg.Signer, Fingerprint: fp}, now)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if len(flagged) > 0 {
		a.log.Warn("hardware fingerprint shared", "provider", att.Provider, "fingerprint", fp, "holders", len(flagged))
	}
	writeJSON(w, http.StatusOK, map[string]any{"provider": att.Provider, "commitment": commit, "fingerprint": fp,
		"fingerprint_flagged": len(flagged) > 0, "flagged_providers": nonNil(flagged)})
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// HeartbeatRequest is the body of POST /v1/heartbeats.
type HeartbeatRequest struct {
	ChainID   uint64          `json:"chain_id"`
	Heartbeat json.RawMessage `json:"heartbeat"`
	Signature string          `json:"signature"`
}

// DecodeHeartbeatRequest decodes and validates a POST /v1/heartbeats body.
// Every failure is an EINVALID error.
func DecodeHeartbeatRequest(b []byte) (*HeartbeatRequest, *gpumarket.Heartbeat, []byte, error) {
	var req HeartbeatRequest
	if err := gpumarket.UnmarshalStrict(b, &req); err != nil {
		return nil, nil, nil, err
	}
	if len(req.Heartbeat) == 0 {
		return nil, nil, nil, gpumarket.Errorf(gpumarket.EINVALID, "heartbeat: required")
	}
	h, err := gpumarket.DecodeHeartbeat(bytes.NewReader(req.Heartbeat))
	if err != nil {
		return nil, nil, nil, err
	}
	sig, err := parseSig(req.Signature)
	if err != nil {
		return nil, nil, nil, err
	}
	return &req, h, sig, nil
}

func (a *API) postHeartbeat(w http.ResponseWriter, r *http.Request) {
	b, err := readBody(w, r, gpumarket.MaxHeartbeatBytes+512)
	if err == nil {
		err = checkQuery(r.URL.Query())
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	req, h, sig, err := DecodeHeartbeatRequest(b)
	if err == nil {
		err = a.checkChain(req.ChainID)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	ctx := r.Context()
	reg, err := a.store.Registration(ctx, a.cfg.ChainID, h.Provider)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if err := eth.VerifyHeartbeat(a.domain, h, sig, reg.Signer); err != nil {
		a.fail(w, r, err)
		return
	}
	now := a.now()
	sent := time.Unix(h.Timestamp, 0)
	switch {
	case now.Sub(sent) > a.cfg.Liveness.MaxAge:
		a.fail(w, r, gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "heartbeat timestamp %d is stale: older than %v", h.Timestamp, a.cfg.Liveness.MaxAge))
		return
	case sent.Sub(now) > a.cfg.Liveness.MaxSkew:
		a.fail(w, r, gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "heartbeat timestamp %d is more than %v in the future", h.Timestamp, a.cfg.Liveness.MaxSkew))
		return
	}
	st, err := a.store.SaveHeartbeat(ctx, HeartbeatRecord{ChainID: a.cfg.ChainID, Heartbeat: h, Signature: sig}, now)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"provider": h.Provider, "sequence": h.Sequence, "status": st})
}

func (a *API) getAssignments(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	err := checkQuery(q, "limit")
	var p gpumarket.Address
	if err == nil {
		p, err = gpumarket.ParseAddress(r.PathValue("addr"))
	}
	limit := 0
	if err == nil {
		limit, err = parseLimit(q)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	as, err := a.store.PendingAssignments(r.Context(), a.cfg.ChainID, p, a.now(), limit)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"assignments": nonNil(as)})
}

func (a *API) getJob(w http.ResponseWriter, r *http.Request) {
	err := checkQuery(r.URL.Query())
	var chain uint64
	if err == nil {
		chain, err = strconv.ParseUint(r.PathValue("chainId"), 10, 64)
		if err != nil || chain == 0 {
			err = badRequest("chain id %q is not a positive decimal integer", r.PathValue("chainId"))
		}
	}
	var id gpumarket.JobID
	if err == nil {
		id, err = gpumarket.ParseJobID(r.PathValue("jobId"))
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	v, err := a.store.Job(r.Context(), chain, id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// ParseProviderFilter validates the query of GET /v1/providers.
func ParseProviderFilter(chainID uint64, q url.Values) (ProviderFilter, error) {
	f := ProviderFilter{ChainID: chainID}
	if err := checkQuery(q, "capability", "model", "min_vram_mib", "region", "limit", "after"); err != nil {
		return f, err
	}
	if s := q.Get("capability"); s != "" {
		k, err := gpumarket.ParseJobKind(s)
		if err != nil {
			return f, badRequest("capability: %s", gpumarket.ErrorMessage(err))
		}
		f.Capability = k.String()
	}
	if s, ok := q["model"]; ok {
		if err := checkName("model", s[0], 128); err != nil {
			return f, err
		}
		f.Model = s[0]
	}
	if s, ok := q["region"]; ok {
		if err := checkName("region", s[0], 32); err != nil {
			return f, err
		}
		f.Region = s[0]
	}
	if s := q.Get("min_vram_mib"); s != "" {
		n, err := strconv.ParseUint(s, 10, 32)
		if err != nil || n > gpumarket.MaxVRAMMiB {
			return f, badRequest("min_vram_mib: %q is not an integer in [0, %d]", s, gpumarket.MaxVRAMMiB)
		}
		f.MinVRAMMiB = uint32(n)
	}
	if s := q.Get("after"); s != "" {
		p, err := gpumarket.ParseAddress(s)
		if err != nil {
			return f, badRequest("after: %s", gpumarket.ErrorMessage(err))
		}
		f.After, f.HasAfter = p, true
	}
	var err error
	f.Limit, err = parseLimit(q)
	return f, err
}

func (a *API) getProviders(w http.ResponseWriter, r *http.Request) {
	f, err := ParseProviderFilter(a.cfg.ChainID, r.URL.Query())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	ps, err := a.store.Providers(r.Context(), f)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	var next *gpumarket.Address
	if len(ps) == f.Limit {
		next = &ps[len(ps)-1].Provider
	}
	writeJSON(w, http.StatusOK, map[string]any{"providers": nonNil(ps), "next_after": next})
}

func (a *API) getRates(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	err := checkQuery(q, "kind")
	kind := q.Get("kind")
	if err == nil && kind != "" {
		_, err = gpumarket.ParseJobKind(kind)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	rs, err := a.store.LatestRates(r.Context(), kind)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"rates": nonNil(rs)})
}

func (a *API) getHistory(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	err := checkQuery(q, "kind", "unit", "class", "limit")
	var k gpumarket.JobKind
	if err == nil {
		k, err = gpumarket.ParseJobKind(q.Get("kind"))
	}
	unit := gpumarket.PriceUnit(q.Get("unit"))
	if err == nil && (!unit.Valid() || unit.Kind() != k) {
		err = badRequest("unit: %q is not a unit of %v (want one of %v)", unit, k, k.Units())
	}
	class := matcher.GPUClass(q.Get("class"))
	if err == nil {
		ok := false
		for _, c := range matcher.Classes {
			ok = ok || c == class
		}
		if !ok {
			err = badRequest("class: %q is not one of %v", class, matcher.Classes)
		}
	}
	limit := 0
	if err == nil {
		limit, err = parseLimit(q)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	rs, err := a.store.RateHistory(r.Context(), k.String(), string(unit), string(class), limit)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"history": nonNil(rs)})
}

// QuoteRequest is the body of POST /v1/quote.
type QuoteRequest struct {
	Spec  json.RawMessage `json:"spec"`
	Token string          `json:"token"`
}

// DecodeQuoteRequest decodes and validates a POST /v1/quote body. Every
// failure is an EINVALID error.
func DecodeQuoteRequest(b []byte) (*gpumarket.JobSpec, gpumarket.Address, error) {
	var req QuoteRequest
	if err := gpumarket.UnmarshalStrict(b, &req); err != nil {
		return nil, gpumarket.Address{}, err
	}
	if len(req.Spec) == 0 {
		return nil, gpumarket.Address{}, gpumarket.Errorf(gpumarket.EINVALID, "spec: required")
	}
	sp, err := gpumarket.DecodeJobSpec(bytes.NewReader(req.Spec))
	if err != nil {
		return nil, gpumarket.Address{}, err
	}
	tok, err := gpumarket.ParseAddress(req.Token)
	if err != nil {
		return nil, gpumarket.Address{}, gpumarket.Errorf(gpumarket.EINVALID, "token: %s", gpumarket.ErrorMessage(err))
	}
	return sp, tok, nil
}

// postQuote only reads: it prices from stored snapshots and the current
// candidates.
func (a *API) postQuote(w http.ResponseWriter, r *http.Request) {
	b, err := readBody(w, r, gpumarket.MaxJobSpecBytes+1024)
	if err == nil {
		err = checkQuery(r.URL.Query())
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	sp, tok, err := DecodeQuoteRequest(b)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	ctx := r.Context()
	views, err := a.store.LatestRates(ctx, sp.Kind.String())
	if err != nil {
		a.fail(w, r, err)
		return
	}
	rates := map[matcher.RateKey]*matcher.Rate{}
	for _, v := range views {
		if v.Token != tok {
			continue
		}
		fair, _ := new(big.Int).SetString(v.Fair, 10)
		low, _ := new(big.Int).SetString(v.Low, 10)
		high, _ := new(big.Int).SetString(v.High, 10)
		k := matcher.RateKey{Kind: sp.Kind, Unit: gpumarket.PriceUnit(v.Unit), Class: matcher.GPUClass(v.Class)}
		rates[k] = &matcher.Rate{Key: k, Fair: fair, Low: low, High: high}
	}
	rows, err := a.store.Candidates(ctx, a.cfg.ChainID, true)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	now := a.now()
	cands := make([]*matcher.Candidate, 0, len(rows))
	for _, row := range rows {
		cands = append(cands, candidateOf(row, nil, now, a.rep))
	}
	q, err := matcher.NewQuote(sp, tok, rates, cands, &a.cfg.Params, &a.cfg.Quote, now)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, q)
}

// candidateOf builds a matcher candidate from a stored row; att is the
// decoded attestation when the caller has it cached (nil: decode).
func candidateOf(r CandidateRow, att *gpumarket.Attestation, now time.Time, neutral uint32) *matcher.Candidate {
	c := &matcher.Candidate{Provider: r.Provider, Status: r.Status, Stake: r.Stake, LoadBps: r.LoadBps, LatencyMs: r.LatencyMs,
		InFlight: r.InFlight, Reputation: neutral}
	if r.HasRep {
		c.Reputation = r.Reputation
	}
	if att == nil {
		if a, err := gpumarket.DecodeAttestation(bytes.NewReader(r.Document)); err == nil {
			att = a
		}
	}
	// Only an attestation the chain still commits to, of an active provider
	// whose on-chain expiry has not passed, counts.
	if att != nil && r.Active && r.ChainCommits && (r.ChainExpiry.IsZero() || now.Before(r.ChainExpiry)) {
		c.Attestation = att
	}
	return c
}
