package client

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gpumarket/gpumarket"
)

// TestMatcherBlobs: an input file goes to POST /v1/blobs with its sha256
// header, and the spec references the stored blob; a refusal is an error
// naming the status.
func TestMatcherBlobs(t *testing.T) {
	var got []byte
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/v1/blobs" {
			http.NotFound(w, r)
			return
		}
		got, _ = io.ReadAll(r.Body)
		sum := sha256.Sum256(got)
		if h := r.Header.Get("X-Gpumarket-Sha256"); h != hex.EncodeToString(sum[:]) {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `{"error":"sha256 mismatch"}`)
			return
		}
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(map[string]any{"sha256": hex.EncodeToString(sum[:]), "size_bytes": len(got), "uri": "http://" + r.Host + "/v1/blobs/" + hex.EncodeToString(sum[:])})
	}))
	defer srv.Close()
	path := filepath.Join(t.TempDir(), "scene.blend")
	body := strings.Repeat("scene ", MaxInlineInputBytes) // over the inline limit
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	spec, err := buildSpec(context.Background(), SpecRequest{Kind: gpumarket.JobKindRender, Model: "m", Params: map[string]any{"frames": 1},
		Inputs: []InputFile{{Name: "scene", Path: path}}}, &MatcherBlobs{BaseURL: srv.URL}, false)
	if err != nil {
		t.Fatalf("buildSpec with the matcher's blob store: %v", err)
	}
	if string(got) != body {
		t.Fatalf("the store got %d bytes, want %d", len(got), len(body))
	}
	s, err := gpumarket.DecodeJobSpec(strings.NewReader(string(spec)))
	if err != nil || !strings.HasPrefix(s.Inputs[1].URI, srv.URL+"/v1/blobs/") || s.Inputs[1].SizeBytes != uint64(len(body)) {
		t.Fatalf("spec input %+v (%v), want the blob's URI and size", s.Inputs, err)
	}
	_, err = (&MatcherBlobs{BaseURL: srv.URL}).Put(context.Background(), strings.NewReader("x"), 1, strings.Repeat("0", 64))
	if gpumarket.ErrorCode(err) != gpumarket.EINVALID || !strings.Contains(err.Error(), "sha256 mismatch") {
		t.Errorf("Put(wrong hash) = %v, want EINVALID with the server's message", err)
	}
}

// TestMatcherEvents: each server-sent event is one wake-up (heartbeat
// comments are not); the channel closes when the stream ends; a matcher
// without the endpoint is an error (the watcher polls).
func TestMatcherEvents(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/jobs/31337/7/events" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, ": ping\n\nid: 1\nevent: state\ndata: {}\n\n")
		w.(http.Flusher).Flush()
		fmt.Fprint(w, ": ping\n\n")
	}))
	defer srv.Close()
	e := &MatcherEvents{BaseURL: srv.URL}
	ch, err := e.Notify(context.Background(), 31337, 7)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for range ch {
		n++
	}
	if n != 1 {
		t.Errorf("got %d wake-ups, want 1 (one event, heartbeats ignored)", n)
	}
	if _, err := e.Notify(context.Background(), 31337, 8); gpumarket.ErrorCode(err) != gpumarket.ENOTFOUND {
		t.Errorf("Notify(no stream) = %v, want ENOTFOUND", err)
	}
}
