package executor

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
)

// jobSpec returns the JSON of a valid llm job spec for model with inputs.
func jobSpec(tb testing.TB, model string, inputs ...gpumarket.JobInput) []byte {
	tb.Helper()
	js := gpumarket.JobSpec{Kind: gpumarket.JobKindLLM, Model: model, Inputs: inputs,
		Requirements: gpumarket.Requirements{GPUCount: 1, Estimate: gpumarket.Estimate{InputTokens: 10}}}
	if err := js.Validate(); err != nil {
		tb.Fatalf("test spec invalid: %v", err)
	}
	b, err := json.Marshal(js)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func dataInput(name string, b []byte) gpumarket.JobInput {
	return gpumarket.JobInput{Name: name, URI: gpumarket.DataURI("application/octet-stream", b)}
}

// inputServer serves /ok (200, 100 bytes), /big (200, 5000 bytes), /missing
// (404), /nohead (405 to HEAD; a ranged GET answers 206 with a total of
// 5000 bytes) and /slow (answers after 10s), counting requests and the
// ranged GETs.
func inputServer(tb testing.TB) (srv *httptest.Server, requests, rangedGets *atomic.Int64) {
	tb.Helper()
	requests, rangedGets = new(atomic.Int64), new(atomic.Int64)
	mux := http.NewServeMux()
	body := func(n int) func(w http.ResponseWriter, r *http.Request) {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", strconv.Itoa(n))
			w.Write([]byte(strings.Repeat("x", n)))
		}
	}
	mux.HandleFunc("/ok", body(100))
	mux.HandleFunc("/big", body(5000))
	mux.HandleFunc("/missing", http.NotFound)
	mux.HandleFunc("/nohead", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		if r.Header.Get("Range") == "bytes=0-0" {
			rangedGets.Add(1)
		}
		w.Header().Set("Content-Range", "bytes 0-0/5000")
		w.WriteHeader(http.StatusPartialContent)
		w.Write([]byte("x"))
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	})
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		mux.ServeHTTP(w, r)
	}))
	tb.Cleanup(srv.Close)
	return srv, requests, rangedGets
}

func TestPreflight(t *testing.T) {
	srv, _, rangedGets := inputServer(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedURL := "http://" + ln.Addr().String() + "/gone"
	ln.Close()
	params := []byte(`{"prompt":"hi"}`)
	sum := sha256.Sum256(params)
	local := PreflightConfig{AllowPrivateInputs: true, MaxInputBytes: 1000, InputTimeout: 2 * time.Second}
	served := local
	served.Models = map[gpumarket.JobKind][]string{gpumarket.JobKindLLM: {"llama-3-8b"}, gpumarket.JobKindTTS: nil}
	anyLLM := local
	anyLLM.Models = map[gpumarket.JobKind][]string{gpumarket.JobKindLLM: {}}
	url := func(path string) gpumarket.JobInput { return gpumarket.JobInput{Name: "in", URI: srv.URL + path} }
	withSHA := dataInput("params", params)
	withSHA.SHA256 = hex.EncodeToString(sum[:])
	badSHA := withSHA
	badSHA.SHA256 = strings.Repeat("0", 64)
	declared := url("/ok")
	declared.SizeBytes = 1001

	tests := []struct {
		name string
		cfg  PreflightConfig
		kind gpumarket.JobKind
		spec []byte
		want func(*testing.T, error)
	}{
		{"data input", local, gpumarket.JobKindLLM, jobSpec(t, "llama-3-8b", dataInput("params", params)), wantNil},
		{"data input matching its sha256", local, gpumarket.JobKindLLM, jobSpec(t, "m", withSHA), wantNil},
		{"served model", served, gpumarket.JobKindLLM, jobSpec(t, "llama-3-8b", dataInput("p", params)), wantNil},
		{"any model of a kind served with no list", anyLLM, gpumarket.JobKindLLM, jobSpec(t, "mistral-7b", dataInput("p", params)), wantNil},
		{"http input within the limit", local, gpumarket.JobKindLLM, jobSpec(t, "m", url("/ok")), wantNil},
		{"ipfs input (only its declared size is checked)", local, gpumarket.JobKindLLM,
			jobSpec(t, "m", gpumarket.JobInput{Name: "w", URI: "ipfs://bafy", SizeBytes: 10}), wantNil},

		{"empty spec", local, gpumarket.JobKindLLM, nil, wantCodeMsg(gpumarket.EINVALID, "empty spec")},
		{"not a job spec", local, gpumarket.JobKindLLM, []byte(`{"prompt":"hi"}`), wantCodeMsg(gpumarket.EINVALID, "spec")},
		{"not JSON", local, gpumarket.JobKindLLM, []byte(`{"kind":`), wantCodeMsg(gpumarket.EINVALID, "spec")},
		{"duplicate key", local, gpumarket.JobKindLLM,
			[]byte(strings.Replace(string(jobSpec(t, "a", dataInput("p", params))), `"model":"a"`, `"model":"a","model":"b"`, 1)),
			wantCodeMsg(gpumarket.EINVALID, "spec")},
		{"case-variant key", local, gpumarket.JobKindLLM,
			[]byte(strings.Replace(string(jobSpec(t, "a", dataInput("p", params))), `"model":"a"`, `"MODEL":"a"`, 1)),
			wantCodeMsg(gpumarket.EINVALID, "spec")},
		{"spec of another kind", local, gpumarket.JobKindTTS, jobSpec(t, "m", dataInput("p", params)), wantCodeMsg(gpumarket.EINVALID, "spec is for llm")},
		{"model not served", served, gpumarket.JobKindLLM, jobSpec(t, "gpt-5", dataInput("p", params)), wantCodeMsg(gpumarket.EINVALID, `model "gpt-5" is not served`)},
		{"kind not served", PreflightConfig{Models: map[gpumarket.JobKind][]string{gpumarket.JobKindTTS: nil}}, gpumarket.JobKindLLM,
			jobSpec(t, "m", dataInput("p", params)), wantCodeMsg(gpumarket.EINVALID, "is not served")},
		{"data input over the limit", local, gpumarket.JobKindLLM, jobSpec(t, "m", dataInput("big", make([]byte, 1001))),
			wantCodeMsg(gpumarket.EINVALID, `input "big"`)},
		{"malformed data input", local, gpumarket.JobKindLLM, jobSpec(t, "m", gpumarket.JobInput{Name: "p", URI: "data:nocomma"}),
			wantCodeMsg(gpumarket.EINVALID, "no comma")},
		{"data input not matching its sha256", local, gpumarket.JobKindLLM, jobSpec(t, "m", badSHA), wantCodeMsg(gpumarket.EINVALID, "sha256")},
		{"declared size over the limit", local, gpumarket.JobKindLLM, jobSpec(t, "m", declared), wantCodeMsg(gpumarket.EINVALID, "declares 1001 bytes")},
		{"http input over the limit", local, gpumarket.JobKindLLM, jobSpec(t, "m", url("/big")), wantCodeMsg(gpumarket.EINVALID, "reports 5000 bytes")},
		{"http input without HEAD, over the limit by its range", local, gpumarket.JobKindLLM, jobSpec(t, "m", url("/nohead")),
			wantCodeMsg(gpumarket.EINVALID, "reports 5000 bytes")},
		{"http input missing", local, gpumarket.JobKindLLM, jobSpec(t, "m", url("/missing")), wantIsMsg(ErrInputUnreachable, "404")},
		{"http input refusing connections", local, gpumarket.JobKindLLM,
			jobSpec(t, "m", gpumarket.JobInput{Name: "in", URI: closedURL}), wantIsMsg(ErrInputUnreachable, "")},
		{"http input too slow", PreflightConfig{AllowPrivateInputs: true, InputTimeout: 100 * time.Millisecond}, gpumarket.JobKindLLM,
			jobSpec(t, "m", url("/slow")), wantIsMsg(ErrInputUnreachable, "")},
		{"http input on a private address", PreflightConfig{}, gpumarket.JobKindLLM, jobSpec(t, "m", url("/ok")),
			wantIsMsg(ErrInputUnreachable, "not a public address")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHTTP(t, HTTPConfig{URL: "http://127.0.0.1:1/infer", Preflight: tt.cfg})
			tt.want(t, h.Preflight(context.Background(), Job{ID: 7, Kind: tt.kind, Spec: tt.spec}))
		})
	}
	if rangedGets.Load() == 0 {
		t.Error("the input refusing HEAD was not checked with a ranged GET")
	}
}

// An input on a private address is refused without being contacted, and a
// long URL is not echoed in the error.
func TestPreflightDoesNotContactPrivateInputs(t *testing.T) {
	srv, requests, _ := inputServer(t)
	long := gpumarket.JobInput{Name: "in", URI: srv.URL + "/ok?" + strings.Repeat("a", 20_000)}
	h := newHTTP(t, HTTPConfig{URL: "http://127.0.0.1:1/infer"})
	err := h.Preflight(context.Background(), Job{ID: 7, Kind: gpumarket.JobKindLLM, Spec: jobSpec(t, "m", long)})
	if !errors.Is(err, ErrInputUnreachable) {
		t.Fatalf("Preflight = %v, want ErrInputUnreachable", err)
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("the private input's server got %d requests, want 0", n)
	}
	if len(err.Error()) > 500 {
		t.Errorf("error is %d bytes: it echoes the input's URL", len(err.Error()))
	}
}

func TestPreflightCancelled(t *testing.T) {
	srv, _, _ := inputServer(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	h := newHTTP(t, HTTPConfig{URL: "http://127.0.0.1:1/infer", Preflight: PreflightConfig{AllowPrivateInputs: true}})
	err := h.Preflight(ctx, Job{ID: 7, Kind: gpumarket.JobKindLLM, Spec: jobSpec(t, "m", gpumarket.JobInput{Name: "in", URI: srv.URL + "/ok"})})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Preflight(cancelled) = %v, want context.Canceled", err)
	}
}

func TestPublicAddr(t *testing.T) {
	for addr, want := range map[string]bool{
		"8.8.8.8": true, "2606:4700::1111": true,
		"127.0.0.1": false, "::1": false, "10.1.2.3": false, "172.16.0.1": false, "192.168.1.1": false,
		"169.254.169.254": false, "fe80::1": false, "fc00::1": false, "100.64.0.1": false, "0.0.0.0": false,
		"224.0.0.1": false, "198.18.0.1": false, "2001:db8::1": false,
	} {
		if got := publicAddr(netip.MustParseAddr(addr)); got != want {
			t.Errorf("publicAddr(%s) = %v, want %v", addr, got, want)
		}
	}
}

func wantNil(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("Preflight = %v, want nil", err)
	}
}

func wantCodeMsg(code, sub string) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		if gpumarket.ErrorCode(err) != code || !strings.Contains(err.Error(), sub) {
			t.Fatalf("Preflight = %v (%s), want %s containing %q", err, gpumarket.ErrorCode(err), code, sub)
		}
	}
}

func wantIsMsg(target error, sub string) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		if !errors.Is(err, target) || !strings.Contains(err.Error(), sub) {
			t.Fatalf("Preflight = %v, want %v containing %q", err, target, sub)
		}
	}
}
