// Package client is the provider's side of the matcher's /v1 HTTP API: it
// posts signed attestations and heartbeats, fetches job specs (checking each
// against its content hash) and lists the provider's pending assignments,
// validating every entry before the relayer sees it.
//
// Errors carry the gpumarket error code matching the API's status: 400 is
// EINVALID, 401 and 403 EUNAUTHORIZED, 404 ENOTFOUND, 409 ECONFLICT, 422
// EINVALID; a 5xx or a connection failure is EUNAVAILABLE (worth retrying).
package client

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gpumarket/gpumarket/internal/eth/keys"

	"github.com/gpumarket/gpumarket"
)

// Limits of what the client reads from the matcher.
const (
	MaxResponseBytes = 4 << 20
	MaxAssignments   = 500
)

// Client talks to one matcher.
type Client struct {
	base    *url.URL
	http    *http.Client
	chainID uint64
}

// New returns a client of the matcher at baseURL (scheme and host, e.g.
// http://127.0.0.1:8090) serving chainID. A nil httpClient uses one with a
// 15 s timeout. It returns an EINVALID error for a bad URL.
func New(baseURL string, chainID uint64, httpClient *http.Client) (*Client, error) {
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "matcher url %q: want http(s)://host[:port]", baseURL)
	}
	if chainID == 0 {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "matcher client: chain id is required")
	}
	if httpClient == nil {
		httpClient = &http.Client{Timeout: 15 * time.Second}
	}
	u.Path = strings.TrimRight(u.Path, "/")
	return &Client{base: u, http: httpClient, chainID: chainID}, nil
}

// Offer is a validated pending assignment with the matcher's signature.
type Offer struct {
	Assignment gpumarket.Assignment
	Signature  []byte
	Matcher    gpumarket.Address // the signer the matcher claims; the relayer recovers and checks it
}

// Refusal is a pending assignment the client refused to pass on, and why.
type Refusal struct {
	Index  int
	JobID  string
	Reason string
}

// assignmentJSON is one entry of GET /v1/providers/{addr}/assignments.
type assignmentJSON struct {
	ChainID   uint64 `json:"chain_id"`
	JobID     string `json:"job_id"`
	JobHash   string `json:"job_hash"`
	Provider  string `json:"provider"`
	Price     string `json:"price"`
	Expiry    int64  `json:"expiry"`
	Signature string `json:"signature"`
	Matcher   string `json:"matcher"`
}

// chainPath is the chain-scoped form (/v1/chains/{chainId}/...) of the
// route rest: a matcher serving another chain answers it with a 404
// naming the chain it serves.
func (c *Client) chainPath(rest string) string {
	return "/v1/chains/" + strconv.FormatUint(c.chainID, 10) + rest
}

// Pending returns the provider's pending assignments. Entries that are
// malformed (bad numbers, wrong chain id, another provider, a signature that
// is not 65 bytes) are returned as refusals, never as offers; verifying the
// signature against the matcher role is the caller's job.
func (c *Client) Pending(ctx context.Context, provider gpumarket.Address) ([]Offer, []Refusal, error) {
	body, err := c.do(ctx, http.MethodGet, c.chainPath("/providers/"+provider.String()+"/assignments?limit="+strconv.Itoa(MaxAssignments)), nil)
	if err != nil {
		return nil, nil, fmt.Errorf("list assignments: %w", err)
	}
	var resp struct {
		Assignments []json.RawMessage `json:"assignments"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		return nil, nil, gpumarket.Errorf(gpumarket.EINVALID, "list assignments: malformed response: %v", err)
	}
	if len(resp.Assignments) > MaxAssignments {
		return nil, nil, gpumarket.Errorf(gpumarket.EINVALID, "list assignments: %d entries, more than %d", len(resp.Assignments), MaxAssignments)
	}
	var offers []Offer
	var refused []Refusal
	for i, raw := range resp.Assignments {
		o, jobID, err := c.parseOffer(raw, provider)
		if err != nil {
			refused = append(refused, Refusal{Index: i, JobID: jobID, Reason: gpumarket.ErrorMessage(err)})
			continue
		}
		offers = append(offers, o)
	}
	return offers, refused, nil
}

// parseOffer validates one assignment entry as served by the matcher API.
func (c *Client) parseOffer(raw []byte, provider gpumarket.Address) (Offer, string, error) {
	var a assignmentJSON
	if err := json.Unmarshal(raw, &a); err != nil {
		return Offer{}, "", gpumarket.Errorf(gpumarket.EINVALID, "malformed assignment: %v", err)
	}
	bad := func(format string, args ...any) (Offer, string, error) {
		return Offer{}, a.JobID, gpumarket.Errorf(gpumarket.EINVALID, format, args...)
	}
	if a.ChainID != c.chainID {
		return bad("chain_id %d is not this chain (%d)", a.ChainID, c.chainID)
	}
	id, err := strconv.ParseUint(a.JobID, 10, 64)
	if err != nil || id == 0 {
		return bad("job_id %q is not a job id", a.JobID)
	}
	p, err := gpumarket.ParseAddress(a.Provider)
	if err != nil {
		return bad("provider: %v", gpumarket.ErrorMessage(err))
	}
	if p != provider {
		return bad("assignment is for provider %s, not %s", p, provider)
	}
	price, err := gpumarket.ParseAmount(a.Price)
	if err != nil {
		return bad("price: %v", gpumarket.ErrorMessage(err))
	}
	if price.BitLen() > 128 {
		return bad("price %s does not fit uint128", price)
	}
	if a.Expiry <= 0 {
		return bad("expiry %d is not a unix time", a.Expiry)
	}
	jobHash, err := gpumarket.ParseHash(a.JobHash)
	if err != nil {
		return bad("job_hash: %v", gpumarket.ErrorMessage(err))
	}
	sig, err := hex.DecodeString(strings.TrimPrefix(a.Signature, "0x"))
	if err != nil || len(sig) != 65 {
		return bad("signature is not 65 hex-encoded bytes")
	}
	var m gpumarket.Address
	if a.Matcher != "" {
		if m, err = gpumarket.ParseAddress(a.Matcher); err != nil {
			return bad("matcher: %v", gpumarket.ErrorMessage(err))
		}
	}
	return Offer{Assignment: gpumarket.Assignment{JobID: gpumarket.JobID(id), JobHash: jobHash, Provider: p, Price: price, Expiry: a.Expiry},
		Signature: sig, Matcher: m}, a.JobID, nil
}

// PostAttestation submits a signed attestation document. doc is the exact
// JSON the signature covers the fields of.
func (c *Client) PostAttestation(ctx context.Context, doc json.RawMessage, sig []byte) error {
	req := map[string]any{"chain_id": c.chainID, "attestation": doc, "signature": "0x" + hex.EncodeToString(sig)}
	if _, err := c.postJSON(ctx, c.chainPath("/attestations"), req); err != nil {
		return fmt.Errorf("post attestation: %w", err)
	}
	return nil
}

// PostHeartbeat submits a signed heartbeat and returns the provider's status
// as the matcher sees it.
func (c *Client) PostHeartbeat(ctx context.Context, h *gpumarket.Heartbeat, sig []byte) (string, error) {
	req := map[string]any{"chain_id": c.chainID, "heartbeat": h, "signature": "0x" + hex.EncodeToString(sig)}
	body, err := c.postJSON(ctx, c.chainPath("/heartbeats"), req)
	if err != nil {
		return "", fmt.Errorf("post heartbeat %d: %w", h.Sequence, err)
	}
	var resp struct {
		Status string `json:"status"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		return "", gpumarket.Errorf(gpumarket.EINVALID, "post heartbeat: malformed response: %v", err)
	}
	return resp.Status, nil
}

// PostSpec uploads a job spec and returns its hash (keccak256 of the bytes).
func (c *Client) PostSpec(ctx context.Context, spec []byte) (gpumarket.Hash, error) {
	body, err := c.do(ctx, http.MethodPost, "/v1/specs", spec)
	if err != nil {
		return gpumarket.Hash{}, fmt.Errorf("upload spec: %w", err)
	}
	var resp struct {
		SpecHash gpumarket.Hash `json:"spec_hash"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		return gpumarket.Hash{}, gpumarket.Errorf(gpumarket.EINVALID, "upload spec: malformed response: %v", err)
	}
	if want := keys.Keccak256(spec); resp.SpecHash != want {
		return gpumarket.Hash{}, gpumarket.Errorf(gpumarket.EINVALID, "upload spec: matcher answered hash %s, the bytes hash to %s", resp.SpecHash, want)
	}
	return resp.SpecHash, nil
}

// Spec returns the spec document with hash h. Bytes that do not hash to h
// are refused (EINVALID): the on-chain spec hash is the final word.
func (c *Client) Spec(ctx context.Context, h gpumarket.Hash) ([]byte, error) {
	body, err := c.do(ctx, http.MethodGet, "/v1/specs/"+h.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("fetch spec %s: %w", h, err)
	}
	if got := keys.Keccak256(body); got != h {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "fetch spec %s: the matcher served bytes hashing to %s", h, got)
	}
	return body, nil
}

func (c *Client) postJSON(ctx context.Context, path string, v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "encode request: %v", err)
	}
	return c.do(ctx, http.MethodPost, path, b)
}

// do sends one request and returns the body of a 2xx response; any other
// status is an error with the API's message and a matching code.
func (c *Client) do(ctx context.Context, method, path string, body []byte) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base.String()+path, rd)
	if err != nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "build request: %v", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.send(c.http, req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes+1))
	if err != nil {
		return nil, gpumarket.Errorf(gpumarket.EUNAVAILABLE, "read matcher response: %v", err)
	}
	if len(b) > MaxResponseBytes {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "matcher response is larger than %d bytes", MaxResponseBytes)
	}
	return b, nil
}

// send sends req with hc and returns a 2xx response (the caller closes its
// body); any other status is an error with the API's message and a
// matching code.
func (c *Client) send(hc *http.Client, req *http.Request) (*http.Response, error) {
	resp, err := hc.Do(req)
	if err != nil {
		if req.Context().Err() != nil {
			return nil, req.Context().Err()
		}
		return nil, gpumarket.Errorf(gpumarket.EUNAVAILABLE, "matcher unreachable: %v", err)
	}
	if resp.StatusCode/100 == 2 {
		return resp, nil
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	return nil, ResponseError(resp.StatusCode, b)
}

// ResponseError is the error of a matcher answer with a status other than
// 2xx: the API's {"error": message} (or the body itself), at most 512
// bytes, under the gpumarket code of the status (ErrorCodeOf).
func ResponseError(status int, body []byte) error {
	var e struct {
		Error string `json:"error"`
	}
	msg := strings.TrimSpace(string(body))
	if json.Unmarshal(body, &e) == nil && e.Error != "" {
		msg = e.Error
	}
	if len(msg) > 512 {
		msg = msg[:512]
	}
	return gpumarket.Errorf(ErrorCodeOf(status), "matcher: %d %s", status, msg)
}

// ErrorCodeOf is the gpumarket code of an HTTP error status from the
// matcher or a provider: 401 and 403 EUNAUTHORIZED, 404 ENOTFOUND, 409
// ECONFLICT, 429 and 5xx EUNAVAILABLE (worth retrying), any other 4xx
// EINVALID (the request was wrong), anything else EINTERNAL.
func ErrorCodeOf(status int) string {
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		return gpumarket.EUNAUTHORIZED
	case status == http.StatusNotFound:
		return gpumarket.ENOTFOUND
	case status == http.StatusConflict:
		return gpumarket.ECONFLICT
	case status == http.StatusTooManyRequests || status >= 500:
		return gpumarket.EUNAVAILABLE
	case status >= 400:
		return gpumarket.EINVALID
	}
	return gpumarket.EINTERNAL
}

// Unavailable reports whether err is worth retrying later.
func Unavailable(err error) bool {
	return gpumarket.ErrorCode(err) == gpumarket.EUNAVAILABLE || errors.Is(err, context.DeadlineExceeded)
}

// MaxRailOffers is the most rail offers one list may hold.
const MaxRailOffers = 1000

// RailOffers lists the Solana rail's prepaid offers to provider (GET
// /v1/rail/solana/offers/{addr}). Entries are decoded, not verified: the
// relayer checks each signature and the payment itself. A malformed
// response is an EINVALID error.
func (c *Client) RailOffers(ctx context.Context, provider gpumarket.Address) ([]gpumarket.SignedRailOffer, error) {
	body, err := c.do(ctx, http.MethodGet, "/v1/rail/solana/offers/"+provider.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("list rail offers: %w", err)
	}
	var resp struct {
		Offers []struct {
			QuoteID   int64  `json:"quote_id"`
			Reference string `json:"reference"`
			Provider  string `json:"provider"`
			SpecHash  string `json:"spec_hash"`
			Payer     string `json:"payer"`
			Expiry    int64  `json:"expiry"`
			Prepaid   bool   `json:"prepaid"`
			Signature string `json:"signature"`
		} `json:"offers"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "list rail offers: malformed response: %v", err)
	}
	if len(resp.Offers) > MaxRailOffers {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "list rail offers: %d entries, more than %d", len(resp.Offers), MaxRailOffers)
	}
	out := make([]gpumarket.SignedRailOffer, 0, len(resp.Offers))
	for i, o := range resp.Offers {
		p, err := gpumarket.ParseAddress(o.Provider)
		if err != nil {
			return nil, gpumarket.Errorf(gpumarket.EINVALID, "list rail offers: entry %d: provider: %v", i, err)
		}
		h, err := gpumarket.ParseHash(o.SpecHash)
		if err != nil {
			return nil, gpumarket.Errorf(gpumarket.EINVALID, "list rail offers: entry %d: spec_hash: %v", i, err)
		}
		digits, ok := strings.CutPrefix(o.Signature, "0x")
		sig, err := hex.DecodeString(digits)
		if !ok || err != nil || len(sig) != 65 {
			return nil, gpumarket.Errorf(gpumarket.EINVALID, "list rail offers: entry %d: signature: want 0x and 130 hex digits", i)
		}
		if !o.Prepaid {
			return nil, gpumarket.Errorf(gpumarket.EINVALID, "list rail offers: entry %d is not marked prepaid", i)
		}
		if p != provider {
			return nil, gpumarket.Errorf(gpumarket.EINVALID, "list rail offers: entry %d is for %s, not %s", i, p, provider)
		}
		ro := gpumarket.RailOffer{QuoteID: o.QuoteID, Reference: o.Reference, Provider: p, SpecHash: h, Payer: o.Payer, Expiry: o.Expiry}
		if err := ro.Validate(); err != nil {
			return nil, fmt.Errorf("list rail offers: entry %d: %w", i, err)
		}
		out = append(out, gpumarket.SignedRailOffer{Offer: ro, Signature: sig})
	}
	return out, nil
}
