package api_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/blobstore"
	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/matcher"
	"github.com/gpumarket/gpumarket/matcher/api"
	"github.com/gpumarket/gpumarket/matcher/client"
	"github.com/gpumarket/gpumarket/matcher/matchertest"
	"github.com/gpumarket/gpumarket/matcher/service"
)

var _ api.BlobStore = (*blobstore.Store)(nil)

// blobServer returns the API on e's store with an input store in a
// temporary directory, blobs of at most maxBytes and quota.
func blobServer(t *testing.T, e *matchertest.Env, maxBytes int64, quota service.SpecQuota) (http.Handler, *api.Server) {
	t.Helper()
	verifier, err := eip712.NewRegistryVerifier(matchertest.Chain, e.Registry)
	if err != nil {
		t.Fatal(err)
	}
	bs, err := blobstore.Open(context.Background(), "file://"+t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	srv, err := api.New(api.Config{ChainID: matchertest.Chain, Params: matcher.DefaultParams(),
		Quote: matcher.QuoteParams{MinimumPrice: big.NewInt(1000)}, Liveness: matcher.DefaultLivenessParams(),
		Blobs: bs, BlobMaxBytes: maxBytes, BlobQuota: quota, PublicURL: "https://matcher.example/"}, e.APIStore, verifier, e.Log, e.Clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	return srv.Handler(), srv
}

func postBlob(h http.Handler, ip string, body []byte, hdr map[string]string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("POST", "/v1/blobs", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/octet-stream")
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	r.RemoteAddr = ip + ":40000"
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestBlobUploadAndDownload(t *testing.T) {
	e := matchertest.New(t)
	h, _ := blobServer(t, e, 1<<20, service.SpecQuota{})
	body := bytes.Repeat([]byte{0, 1, 2, 3}, 50_000)
	sum := sha256.Sum256(body)
	hexSum := hex.EncodeToString(sum[:])

	w := postBlob(h, "198.51.100.7", body, map[string]string{api.BlobSHA256Header: hexSum})
	if w.Code != http.StatusCreated {
		t.Fatalf("POST /v1/blobs = %d %s, want 201", w.Code, w.Body)
	}
	var ref api.BlobRef
	if err := json.Unmarshal(w.Body.Bytes(), &ref); err != nil {
		t.Fatal(err)
	}
	want := api.BlobRef{SHA256: hexSum, SizeBytes: int64(len(body)), URI: "https://matcher.example/v1/blobs/" + hexSum}
	if ref != want {
		t.Fatalf("POST /v1/blobs = %+v, want %+v", ref, want)
	}
	if w := postBlob(h, "198.51.100.8", body, nil); w.Code != http.StatusOK {
		t.Fatalf("POST of stored bytes = %d %s, want 200", w.Code, w.Body)
	}
	if n := e.Count(`SELECT count(*) FROM blob_uploads`); n != 1 {
		t.Fatalf("blob_uploads rows = %d, want 1 (the second upload is free)", n)
	}

	for _, method := range []string{"GET", "HEAD"} {
		r := httptest.NewRequest(method, "/v1/blobs/"+hexSum, nil)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Length") != strconv.Itoa(len(body)) || rec.Header().Get("ETag") != `"`+hexSum+`"` ||
			rec.Header().Get("Content-Type") != "application/octet-stream" {
			t.Fatalf("%s = %d %v, want 200 with length, ETag and octet-stream", method, rec.Code, rec.Header())
		}
		if method == "GET" && !bytes.Equal(rec.Body.Bytes(), body) {
			t.Fatalf("GET body: %d bytes differ from the %d uploaded", rec.Body.Len(), len(body))
		}
		if method == "HEAD" && rec.Body.Len() != 0 {
			t.Fatalf("HEAD body = %d bytes, want none", rec.Body.Len())
		}
	}
}

func TestBlobRefusals(t *testing.T) {
	body := []byte("frames 1-4 of scene.blend")
	sum := sha256.Sum256(body)
	other := sha256.Sum256([]byte("other"))
	tests := []struct {
		name   string
		method string
		path   string
		body   []byte
		hdr    map[string]string
		status int
		msg    string
	}{
		{"hash mismatch", "POST", "/v1/blobs", body, map[string]string{api.BlobSHA256Header: hex.EncodeToString(other[:])}, 400, "declared sha256"},
		{"bad hash header", "POST", "/v1/blobs", body, map[string]string{api.BlobSHA256Header: "xyz"}, 400, api.BlobSHA256Header},
		{"over the limit", "POST", "/v1/blobs", bytes.Repeat([]byte("a"), 1025), nil, 413, "larger than 1024 bytes"},
		{"unknown query", "POST", "/v1/blobs?x=1", body, nil, 400, "unknown query parameter"},
		{"unknown blob", "GET", "/v1/blobs/" + hex.EncodeToString(sum[:]), nil, nil, 404, "not stored"},
		{"malformed hash", "GET", "/v1/blobs/abc", nil, nil, 400, "64 hex digits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := matchertest.New(t)
			h, _ := blobServer(t, e, 1024, service.SpecQuota{})
			r := httptest.NewRequest(tt.method, tt.path, bytes.NewReader(tt.body))
			for k, v := range tt.hdr {
				r.Header.Set(k, v)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.msg) {
				t.Fatalf("%s %s = %d %s, want %d naming %q", tt.method, tt.path, w.Code, w.Body, tt.status, tt.msg)
			}
			if n := e.Count(`SELECT count(*) FROM blob_uploads`); n != 0 {
				t.Fatalf("blob_uploads rows after a refusal = %d, want 0", n)
			}
		})
	}
}

func TestBlobUploadQuota(t *testing.T) {
	blob := func(i int) []byte { return bytes.Repeat([]byte(fmt.Sprint(i)), 100) }
	tests := []struct {
		name   string
		quota  service.SpecQuota
		allow  int
		refuse string
	}{
		{"count", service.SpecQuota{Window: time.Hour, MaxCount: 2, MaxBytes: 1 << 20}, 2, "2 blobs per 1h0m0s"},
		{"bytes", service.SpecQuota{Window: time.Hour, MaxCount: 100, MaxBytes: 250}, 2, "250 bytes per 1h0m0s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := matchertest.New(t)
			h, _ := blobServer(t, e, 1<<20, tt.quota)
			for i := range tt.allow {
				if w := postBlob(h, "198.51.100.7", blob(i), nil); w.Code != http.StatusCreated {
					t.Fatalf("upload %d = %d %s, want 201", i, w.Code, w.Body)
				}
				e.Clock.Add(time.Minute)
			}
			w := postBlob(h, "198.51.100.7", blob(tt.allow), nil)
			if w.Code != http.StatusTooManyRequests || !strings.Contains(w.Body.String(), tt.refuse) || w.Header().Get("Retry-After") == "" {
				t.Fatalf("upload over the quota = %d %s, want 429 naming %q with Retry-After", w.Code, w.Body, tt.refuse)
			}
			// The refusal comes before the body is read.
			r := httptest.NewRequest("POST", "/v1/blobs", unreadable{})
			r.ContentLength = 100
			r.RemoteAddr = "198.51.100.7:40000"
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			if rec.Code != http.StatusTooManyRequests {
				t.Fatalf("upload over the quota with an unreadable body = %d %s, want 429 before reading", rec.Code, rec.Body)
			}
			sum := sha256.Sum256(blob(tt.allow))
			rec = httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest("HEAD", "/v1/blobs/"+hex.EncodeToString(sum[:]), nil))
			if rec.Code != http.StatusNotFound {
				t.Fatalf("HEAD of the refused blob = %d, want 404 (nothing stored)", rec.Code)
			}
			if w := postBlob(h, "198.51.100.9", blob(tt.allow), nil); w.Code != http.StatusCreated {
				t.Fatalf("another caller's upload = %d %s, want 201", w.Code, w.Body)
			}
		})
	}
}

// TestRouteBodyCaps: with the server-wide cap raised to the blob limit,
// every other route still refuses a body above its own cap before reading.
func TestRouteBodyCaps(t *testing.T) {
	e := matchertest.New(t)
	h, srv := blobServer(t, e, 8<<20, service.SpecQuota{})
	if got := srv.MaxBodyBytes(); got != 8<<20 {
		t.Fatalf("MaxBodyBytes() = %d, want the blob limit %d", got, 8<<20)
	}
	big := bytes.Repeat([]byte(" "), api.DefaultMaxBodyBytes+1)
	for _, path := range []string{"/v1/specs", "/v1/quote", "/v1/attestations", "/v1/heartbeats"} {
		r := httptest.NewRequest("POST", path, bytes.NewReader(big))
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("POST %s with %d bytes = %d %s, want 413", path, len(big), w.Code, w.Body)
		}
	}
	if w := postBlob(h, "198.51.100.7", bytes.Repeat([]byte("b"), 2<<20), nil); w.Code != http.StatusCreated {
		t.Fatalf("POST /v1/blobs of 2 MiB = %d %s, want 201", w.Code, w.Body)
	}
}

func TestClientBlobRoundTrip(t *testing.T) {
	e := matchertest.New(t)
	h, _ := blobServer(t, e, 1<<20, service.SpecQuota{})
	ts := httptest.NewServer(h)
	defer ts.Close()
	c, err := client.New(ts.URL, matchertest.Chain, nil)
	if err != nil {
		t.Fatal(err)
	}
	body := bytes.Repeat([]byte("input "), 30_000)
	sum := sha256.Sum256(body)
	ref, err := c.PutBlob(t.Context(), bytes.NewReader(body), int64(len(body)), hex.EncodeToString(sum[:]))
	if err != nil {
		t.Fatal(err)
	}
	if ref.SHA256 != hex.EncodeToString(sum[:]) || ref.SizeBytes != int64(len(body)) {
		t.Fatalf("PutBlob = %+v, want the hash and size of the bytes", ref)
	}
	var got bytes.Buffer
	if err := c.Blob(t.Context(), ref.SHA256, &got, 1<<20); err != nil || !bytes.Equal(got.Bytes(), body) {
		t.Fatalf("Blob = %v (%d bytes), want the %d uploaded", err, got.Len(), len(body))
	}
	if err := c.Blob(t.Context(), ref.SHA256, io.Discard, 100); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Fatalf("Blob over its limit = %v, want EINVALID", err)
	}
	if _, err := c.PutBlob(t.Context(), bytes.NewReader(body[1:]), -1, ref.SHA256); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Fatalf("PutBlob of bytes not matching the declared hash = %v, want EINVALID", err)
	}
}

// TestOpenAPIDocumentsIssue14Routes: the input store and status stream
// routes and the job view's new fields are in openapi.json.
func TestOpenAPIDocumentsIssue14Routes(t *testing.T) {
	var doc struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]json.RawMessage `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(api.OpenAPI, &doc); err != nil {
		t.Fatal(err)
	}
	for path, methods := range map[string][]string{
		"/v1/blobs": {"post"}, "/v1/blobs/{sha256}": {"get", "head"}, "/v1/jobs/{chainId}/{jobId}/events": {"get"},
	} {
		for _, m := range methods {
			if _, ok := doc.Paths[path][m]; !ok {
				t.Errorf("openapi.json lacks %s %s", m, path)
			}
		}
	}
	for _, field := range []string{"amount_due", "settlement", "result_hash"} {
		if !strings.Contains(string(doc.Components.Schemas["Job"]), `"`+field+`"`) {
			t.Errorf("openapi.json's Job lacks %s", field)
		}
	}
}

// unreadable is a body whose every read fails.
type unreadable struct{}

func (unreadable) Read([]byte) (int, error) { return 0, fmt.Errorf("the body was read") }
