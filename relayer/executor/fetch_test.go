package executor

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gpumarket/gpumarket"
)

func TestFetchInput(t *testing.T) {
	blob := []byte("scene bytes")
	sum := sha256.Sum256(blob)
	digest := hex.EncodeToString(sum[:])
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/v1/blobs/" + digest:
			w.Write(blob)
		case "/big":
			w.Write(bytes.Repeat([]byte("x"), 100)) // chunked: no Content-Length up front
			w.(http.Flusher).Flush()
			w.Write(bytes.Repeat([]byte("x"), 100))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	private := PreflightConfig{AllowPrivateInputs: true}
	tests := []struct {
		name  string
		in    gpumarket.JobInput
		limit int64
		cfg   PreflightConfig
		want  string // "" for success
		code  string
	}{
		{"blob store URL", gpumarket.JobInput{Name: "scene", URI: srv.URL + "/v1/blobs/" + digest, SHA256: digest, SizeBytes: uint64(len(blob))}, 0, private, "", ""},
		{"data URI", gpumarket.JobInput{Name: "scene", URI: gpumarket.DataURI("", blob), SHA256: digest}, 0, PreflightConfig{}, "", ""},
		{"digest mismatch", gpumarket.JobInput{Name: "scene", URI: srv.URL + "/v1/blobs/" + digest, SHA256: strings.Repeat("0", 64)}, 0, private, "sha256 does not match", gpumarket.EINVALID},
		{"size mismatch", gpumarket.JobInput{Name: "scene", URI: srv.URL + "/v1/blobs/" + digest, SizeBytes: 3}, 0, private, "11 bytes, the spec declares 3", gpumarket.EINVALID},
		{"declared over limit", gpumarket.JobInput{Name: "scene", URI: srv.URL + "/big", SizeBytes: 500}, 150, private, "declares 500 bytes, limit 150", gpumarket.EINVALID},
		{"body over limit", gpumarket.JobInput{Name: "scene", URI: srv.URL + "/big"}, 150, private, "over 150 bytes", gpumarket.EINVALID},
		{"not found", gpumarket.JobInput{Name: "scene", URI: srv.URL + "/nope"}, 0, private, "answered 404", ""},
		{"private refused", gpumarket.JobInput{Name: "scene", URI: srv.URL + "/v1/blobs/" + digest}, 0, PreflightConfig{}, "not a public address", ""},
		{"ipfs", gpumarket.JobInput{Name: "scene", URI: "ipfs://bafy"}, 0, private, `scheme "ipfs" is not fetched`, gpumarket.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got bytes.Buffer
			n, err := FetchInput(t.Context(), tt.in, &got, tt.limit, tt.cfg)
			if tt.want == "" {
				if err != nil || n != int64(len(blob)) || got.String() != string(blob) {
					t.Fatalf("FetchInput = %d, %v, wrote %q; want %d bytes %q", n, err, got.String(), len(blob), blob)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("FetchInput = %v, want an error with %q", err, tt.want)
			}
			if strings.Contains(err.Error(), srv.URL) {
				t.Errorf("error %q quotes the URL", err)
			}
			if tt.code != "" && gpumarket.ErrorCode(err) != tt.code {
				t.Errorf("ErrorCode(%v) = %q, want %q", err, gpumarket.ErrorCode(err), tt.code)
			}
		})
	}
}

func TestURLInputsFetch(t *testing.T) {
	blob := []byte("audio bytes")
	sum := sha256.Sum256(blob)
	digest := hex.EncodeToString(sum[:])
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(blob) }))
	defer srv.Close()
	in := gpumarket.JobInput{Name: "audio", URI: srv.URL + "/v1/blobs/" + digest, SHA256: digest, SizeBytes: uint64(len(blob))}
	tests := []struct {
		name  string
		cfg   PreflightConfig
		limit int64
		want  string // in the error; "" for success
	}{
		{"private allowed", PreflightConfig{AllowPrivateInputs: true}, 0, ""},
		{"private refused", PreflightConfig{}, 0, "not a public address"},
		{"over the limit", PreflightConfig{AllowPrivateInputs: true}, 4, "limit 4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := URLInputs{Config: tt.cfg}.Fetch(t.Context(), in, tt.limit)
			if tt.want == "" {
				if err != nil || !bytes.Equal(got, blob) {
					t.Fatalf("Fetch = %q, %v; want %q", got, err, blob)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Fetch error = %v, want %q", err, tt.want)
			}
		})
	}
}
