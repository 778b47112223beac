package resultstore

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"sync"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/httpserve"
)

// Authorizer authenticates a download request: it checks the credentials in
// the request headers (for the relayer, an EIP-191 signature over
// "gpumarket-result:<hash>:<expiry>", see internal/eth/resultauth) and returns the
// address that made the request for hash.
//
// It returns an EINVALID *gpumarket.Error for missing or malformed
// credentials and an EUNAUTHORIZED one for well-formed credentials that do not
// hold (expired, expiry too far ahead). A signature over another message
// recovers some other address, which the handler refuses as not the owner.
type Authorizer interface {
	Authorize(ctx context.Context, hash gpumarket.Hash, header http.Header) (gpumarket.Address, error)
}

// Owners tells who may download each result. The relayer records the job's
// client when it stores the job's result; when several jobs produced the
// same bytes (a deterministic program and a public spec), each of their
// clients owns the result and may download it.
//
// IsOwner reports whether client is one of the owners of the result hash.
// It returns an ENOTFOUND *gpumarket.Error for a hash no job produced, and an
// EUNAVAILABLE one when the record cannot be read now.
type Owners interface {
	IsOwner(ctx context.Context, hash gpumarket.Hash, client gpumarket.Address) (bool, error)
}

// RailAuthorizer authenticates a download request made with a rail payer
// key (the Solana rail: an ed25519 signature, see
// internal/solana.ResultAuthorizer). ok is false when the request carries
// no rail credentials (it is then an EVM request); errors as Authorizer's.
type RailAuthorizer interface {
	AuthorizeRail(ctx context.Context, hash gpumarket.Hash, header http.Header) (payer string, ok bool, err error)
}

// RailOwners tells whether a payer key paid for a delivered rail job whose
// result is hash; ENOTFOUND for a hash no rail job delivered.
type RailOwners interface {
	IsRailOwner(ctx context.Context, hash gpumarket.Hash, payer string) (bool, error)
}

// MemOwners is an in-memory [Owners] for tests and the demo; the relayer's
// durable record belongs with its journal. The zero value is ready to use.
type MemOwners struct {
	mu sync.RWMutex
	m  map[gpumarket.Hash]map[gpumarket.Address]bool
}

var _ Owners = (*MemOwners)(nil)

// Set records client as an owner of the result hash, besides any recorded
// before.
func (o *MemOwners) Set(hash gpumarket.Hash, client gpumarket.Address) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.m == nil {
		o.m = make(map[gpumarket.Hash]map[gpumarket.Address]bool)
	}
	if o.m[hash] == nil {
		o.m[hash] = make(map[gpumarket.Address]bool)
	}
	o.m[hash][client] = true
}

// SetOwner records client as an owner of the result hash (the relayer's
// Owners); it never fails.
func (o *MemOwners) SetOwner(_ context.Context, hash gpumarket.Hash, _ gpumarket.JobID, client gpumarket.Address, _ int64) error {
	o.Set(hash, client)
	return nil
}

// IsOwner reports whether client was recorded as an owner of hash; it
// returns an ENOTFOUND error for a hash with no owner.
func (o *MemOwners) IsOwner(_ context.Context, hash gpumarket.Hash, client gpumarket.Address) (bool, error) {
	o.mu.RLock()
	defer o.mu.RUnlock()
	owners, ok := o.m[hash]
	if !ok {
		return false, gpumarket.Errorf(gpumarket.ENOTFOUND, "no result %s", hash)
	}
	return owners[client], nil
}

// Handler serves GET /v1/results/{hash}: the stored bytes, to the job's
// clients only.
//
// Responses: 200 with the bytes (application/octet-stream, the hash in
// Gpumarket-Result-Hash) once the stored file has been re-hashed; 400 for a
// malformed hash or malformed credentials; 401 for credentials that do not
// hold (expired or replayed after expiry, wrong message); 403 when the signer
// is not a client of a job that produced the result; 404 for a result the relayer does not know or
// no longer has; 405 for other methods; 500 when the stored bytes fail their
// check. Errors are JSON {"error": code, "message": text}; a message names
// the problem without echoing the request back, and 5xx messages are generic.
type Handler struct {
	store      *Store
	owners     Owners
	auth       Authorizer
	railAuth   RailAuthorizer
	railOwners RailOwners
	log        *slog.Logger
	mux        *http.ServeMux
}

// WithRail makes h serve rail jobs' results too: a request carrying rail
// credentials is authorized by auth and served only to a payer owners
// names for the hash. It returns h.
func (h *Handler) WithRail(auth RailAuthorizer, owners RailOwners) *Handler {
	h.railAuth, h.railOwners = auth, owners
	return h
}

// NewHandler returns the result download handler.
func NewHandler(store *Store, owners Owners, auth Authorizer, log *slog.Logger) *Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	h := &Handler{store: store, owners: owners, auth: auth, log: log, mux: http.NewServeMux()}
	h.mux.HandleFunc("GET /v1/results/{hash}", h.get)
	return h
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

func (h *Handler) get(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	hash, err := gpumarket.ParseHash(r.PathValue("hash"))
	if err != nil {
		h.fail(w, r, http.StatusBadRequest, gpumarket.Errorf(gpumarket.EINVALID,
			"result hash in the path must be 0x and 64 hex digits (got %d characters)", len(r.PathValue("hash"))))
		return
	}
	client, ok, err := h.authorizeRail(r, hash)
	if !ok && err == nil {
		client, err = h.authorize(r, hash)
	}
	if err != nil {
		h.fail(w, r, statusFor(err), err)
		return
	}
	signer := client
	f, size, err := h.store.Open(ctx, hash)
	if err != nil {
		if errors.Is(err, ErrCorrupt) {
			h.log.Error("stored result is corrupt", "result_hash", hash.String(), "err", err)
		}
		h.fail(w, r, statusFor(err), err)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
	w.Header().Set("Gpumarket-Result-Hash", hash.String())
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if _, err := io.Copy(w, f); err != nil {
		h.log.Warn("send result", "result_hash", hash.String(), "err", err)
		return
	}
	h.log.Info("result served", "result_hash", hash.String(), "client", signer, "bytes", size)
}

// authorize checks an EVM download request and that its signer is a
// client of the result; it returns the signer.
func (h *Handler) authorize(r *http.Request, hash gpumarket.Hash) (string, error) {
	signer, err := h.auth.Authorize(r.Context(), hash, r.Header)
	if err != nil {
		return "", err
	}
	owned, err := h.owners.IsOwner(r.Context(), hash, signer)
	if err != nil {
		return "", ownersError(hash, err)
	}
	if !owned {
		return "", forbidden(gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "%s is not a client of result %s", signer, hash))
	}
	return signer.String(), nil
}

// authorizeRail checks a rail download request (ok false: none) and that
// its payer key paid for a job that delivered the result.
func (h *Handler) authorizeRail(r *http.Request, hash gpumarket.Hash) (string, bool, error) {
	if h.railAuth == nil {
		return "", false, nil
	}
	payer, ok, err := h.railAuth.AuthorizeRail(r.Context(), hash, r.Header)
	if !ok || err != nil {
		return "", ok, err
	}
	owned, err := h.railOwners.IsRailOwner(r.Context(), hash, payer)
	if err != nil {
		return "", true, ownersError(hash, err)
	}
	if !owned {
		return "", true, forbidden(gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "payer %s did not pay for result %s", payer, hash))
	}
	return payer, true, nil
}

// forbiddenError is an EUNAUTHORIZED error answered 403 (the signer is
// known, but not an owner).
type forbiddenError struct{ error }

func (e forbiddenError) Unwrap() error { return e.error }

func forbidden(err error) error { return forbiddenError{err} }

// ownersError is what a client is told when the owner lookup fails: the
// lookup's own message may carry database driver text ("no rows in result
// set"), so only its code is kept, with a message of the handler's own; the
// original error stays in the chain for the log.
func ownersError(hash gpumarket.Hash, err error) error {
	var msg string
	switch gpumarket.ErrorCode(err) {
	case gpumarket.ENOTFOUND:
		msg = "no result " + hash.String()
	case gpumarket.EUNAVAILABLE:
		msg = "result owners cannot be read now"
	default:
		return err // a 500: its message is the generic one
	}
	return &publicError{public: gpumarket.Errorf(gpumarket.ErrorCode(err), "%s", msg), err: err}
}

// publicError is an error whose *gpumarket.Error (what the client sees) is
// public, while Error() keeps the underlying error for the log.
type publicError struct {
	public *gpumarket.Error
	err    error
}

func (e *publicError) Error() string { return e.public.Message + ": " + e.err.Error() }

// Unwrap puts the public error first, so that gpumarket.ErrorCode and
// gpumarket.ErrorMessage find it before any code inside err.
func (e *publicError) Unwrap() []error { return []error{e.public, e.err} }

// statusFor maps a domain error code to an HTTP status.
func statusFor(err error) int {
	if _, ok := errors.AsType[forbiddenError](err); ok {
		return http.StatusForbidden
	}
	switch gpumarket.ErrorCode(err) {
	case gpumarket.EINVALID:
		return http.StatusBadRequest
	case gpumarket.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case gpumarket.ENOTFOUND:
		return http.StatusNotFound
	case gpumarket.ECONFLICT:
		return http.StatusConflict
	case gpumarket.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

func (h *Handler) fail(w http.ResponseWriter, r *http.Request, status int, err error) {
	code := gpumarket.ErrorCode(err)
	if status >= 500 {
		h.log.Error("result request failed", "path", httpserve.Truncate(r.URL.Path, httpserve.MaxLoggedPath), "status", status, "err", err)
	} else {
		h.log.Info("result request refused", "path", httpserve.Truncate(r.URL.Path, httpserve.MaxLoggedPath), "status", status,
			"err", httpserve.Truncate(err.Error(), 2*httpserve.MaxLoggedPath))
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "message": gpumarket.ErrorMessage(err)})
}
