package client_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/matcher/client"
)

// TestBlobRefusesWrongBytes: a matcher that serves bytes other than the
// hash named, or acknowledges an upload with another hash, is caught.
func TestBlobRefusesWrongBytes(t *testing.T) {
	want := sha256.Sum256([]byte("the real input"))
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			w.WriteHeader(http.StatusCreated)
			_, _ = w.Write([]byte(`{"sha256":"` + hex.EncodeToString(want[:]) + `","size_bytes":14,"uri":"x"}`))
			return
		}
		_, _ = w.Write([]byte("a forged input"))
	}))
	defer ts.Close()
	c, err := client.New(ts.URL, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := c.Blob(t.Context(), hex.EncodeToString(want[:]), &buf, 1<<20); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Fatalf("Blob of forged bytes = %v, want EINVALID", err)
	}
	if _, err := c.PutBlob(t.Context(), bytes.NewReader([]byte("something else")), 14, ""); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Fatalf("PutBlob acknowledged with another hash = %v, want EINVALID", err)
	}
	if err := c.Blob(t.Context(), "xyz", &buf, 1); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Fatalf("Blob of a malformed hash = %v, want EINVALID", err)
	}
}
