package api

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/matcher/service"
)

// readBody reads at most limit bytes of a JSON body (http.MaxBytesReader)
// after checking its content type (checkContentType).
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	if err := checkContentType(r.Header.Values("Content-Type")); err != nil {
		return nil, err
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, &httpError{status: http.StatusRequestEntityTooLarge, msg: fmt.Sprintf("body is larger than %d bytes", limit)}
		}
		return nil, badRequest("read body: %v", err)
	}
	return b, nil
}

// checkContentType accepts exactly one Content-Type whose media type is
// application/json (compared case-insensitively, parsed with
// mime.ParseMediaType) with at most a charset parameter, utf-8. Anything
// else (missing, application/jsonp, application/json-seq, text/json,
// another charset or parameter) is a 415 naming the problem.
func checkContentType(values []string) error {
	refuse := func(format string, args ...any) error {
		return &httpError{status: http.StatusUnsupportedMediaType, msg: fmt.Sprintf(format, args...)}
	}
	switch len(values) {
	case 0:
		return refuse("content type is missing: send Content-Type: application/json")
	case 1:
	default:
		return refuse("content type given %d times: send one Content-Type: application/json", len(values))
	}
	mt, params, err := mime.ParseMediaType(values[0])
	if err != nil {
		return refuse("content type %q is malformed: want application/json", echo(values[0]))
	}
	if mt != "application/json" { // ParseMediaType lower-cases it
		return refuse("content type %q is not application/json", echo(mt))
	}
	for k, v := range params { // keys lower-cased by ParseMediaType
		if k != "charset" {
			return refuse("content type parameter %q is not allowed (only charset=utf-8)", echo(k))
		}
		if !strings.EqualFold(v, "utf-8") {
			return refuse("charset %q is not supported: the body must be utf-8", echo(v))
		}
	}
	return nil
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
			return badRequest("unknown query parameter %q (allowed: %s)", echo(k), strings.Join(allowed, ", "))
		}
		if len(vs) > 1 {
			return badRequest("query parameter %q given %d times", echo(k), len(vs))
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
		return 0, badRequest("limit: %q is not an integer in [1, %d]", echo(s), MaxLimit)
	}
	return n, nil
}

// AttestationRequest is the body of POST /v1/attestations.
type AttestationRequest struct {
	ChainID     uint64          `json:"chain_id"`
	Attestation json.RawMessage `json:"attestation"`
	Signature   string          `json:"signature"`
}

// HeartbeatRequest is the body of POST /v1/heartbeats.
type HeartbeatRequest struct {
	ChainID   uint64          `json:"chain_id"`
	Heartbeat json.RawMessage `json:"heartbeat"`
	Signature string          `json:"signature"`
}

// signedRequest is the body of a signed provider document: the chain it is
// for, the document as sent (named by its field) and the signature.
type signedRequest interface {
	chain() uint64
	document() (field string, raw json.RawMessage)
	signature() string
}

func (r *AttestationRequest) chain() uint64     { return r.ChainID }
func (r *AttestationRequest) signature() string { return r.Signature }
func (r *AttestationRequest) document() (string, json.RawMessage) {
	return "attestation", r.Attestation
}

func (r *HeartbeatRequest) chain() uint64     { return r.ChainID }
func (r *HeartbeatRequest) signature() string { return r.Signature }
func (r *HeartbeatRequest) document() (string, json.RawMessage) {
	return "heartbeat", r.Heartbeat
}

// decodeSigned decodes a signed request body R strictly, its document with
// decode and its signature. Every failure is an EINVALID error.
func decodeSigned[R any, PR interface {
	*R
	signedRequest
}, D any](b []byte, decode func(io.Reader) (*D, error)) (*R, *D, []byte, error) {
	req := PR(new(R))
	if err := gpumarket.UnmarshalStrict(b, req); err != nil {
		return nil, nil, nil, err
	}
	field, raw := req.document()
	if len(raw) == 0 {
		return nil, nil, nil, gpumarket.Errorf(gpumarket.EINVALID, "%s: required", field)
	}
	doc, err := decode(bytes.NewReader(raw))
	if err != nil {
		return nil, nil, nil, err
	}
	sig, err := parseSig(req.signature())
	if err != nil {
		return nil, nil, nil, err
	}
	return (*R)(req), doc, sig, nil
}

// DecodeAttestationRequest decodes and validates a POST /v1/attestations
// body. Every failure is an EINVALID error.
func DecodeAttestationRequest(b []byte) (*AttestationRequest, *gpumarket.Attestation, []byte, error) {
	return decodeSigned[AttestationRequest](b, gpumarket.DecodeAttestation)
}

// DecodeHeartbeatRequest decodes and validates a POST /v1/heartbeats body.
// Every failure is an EINVALID error.
func DecodeHeartbeatRequest(b []byte) (*HeartbeatRequest, *gpumarket.Heartbeat, []byte, error) {
	return decodeSigned[HeartbeatRequest](b, gpumarket.DecodeHeartbeat)
}

// readSigned reads a signed request of at most limit bytes without query
// parameters, decodes it (decodeSigned) and checks that it is for the chain
// this matcher serves.
func readSigned[R any, PR interface {
	*R
	signedRequest
}, D any](s *Server, w http.ResponseWriter, r *http.Request, limit int64, decode func(io.Reader) (*D, error)) (*R, *D, []byte, error) {
	b, err := readBody(w, r, limit)
	if err == nil {
		err = checkQuery(r.URL.Query())
	}
	if err != nil {
		return nil, nil, nil, err
	}
	req, doc, sig, err := decodeSigned[R, PR](b, decode)
	if err == nil {
		err = s.checkChain(PR(req).chain())
	}
	if err != nil {
		return nil, nil, nil, err
	}
	return req, doc, sig, nil
}

func (s *Server) checkChain(id uint64) error {
	if id != s.cfg.ChainID {
		return badRequest("chain_id %d is wrong: this matcher serves chain %d", id, s.cfg.ChainID)
	}
	return nil
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

// ParseProviderFilter validates the query of GET /v1/providers.
func ParseProviderFilter(chainID uint64, q url.Values) (service.ProviderFilter, error) {
	f := service.ProviderFilter{ChainID: chainID}
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
			return f, badRequest("min_vram_mib: %q is not an integer in [0, %d]", echo(s), gpumarket.MaxVRAMMiB)
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
