package executor

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
)

func newHTTP(tb testing.TB, cfg HTTPConfig) *HTTP {
	tb.Helper()
	h, err := NewHTTP(cfg, nil)
	if err != nil {
		tb.Fatalf("NewHTTP(%+v) = %v", cfg, err)
	}
	return h
}

// respond is a handler answering body with the given Content-Type and
// Gpumarket-Usage-Units1 headers, each left unset when empty.
func respond(contentType, units1, body string) func(w http.ResponseWriter, r *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		if units1 != "" {
			w.Header().Set("Gpumarket-Usage-Units1", units1)
		}
		io.WriteString(w, body)
	}
}

func TestHTTPExecutor(t *testing.T) {
	type seen struct {
		body         []byte
		id, kind, ct string
	}
	tests := []struct {
		name    string
		handler func(w http.ResponseWriter, r *http.Request)
		cfg     HTTPConfig
		job     Job
		check   func(t *testing.T, res *Result, err error)
	}{
		{
			name: "ok",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/x-ndjson")
				w.Header().Set("Gpumarket-Usage-Units1", "12")
				w.Header().Set("Gpumarket-Usage-Units2", "34")
				io.WriteString(w, `{"token":"hi"}`+"\n")
			},
			cfg: HTTPConfig{ContentType: "application/x-ndjson"},
			check: func(t *testing.T, res *Result, err error) {
				if err != nil {
					t.Fatalf("Run() = %v", err)
				}
				if string(res.Body) != `{"token":"hi"}`+"\n" || res.ContentType != "application/x-ndjson" || res.Usage != (gpumarket.Usage{Units1: 12, Units2: 34}) {
					t.Errorf("Run() = %q %q %+v, want the server's body, type and usage", res.Body, res.ContentType, res.Usage)
				}
			},
		},
		{
			name: "slow server",
			handler: func(w http.ResponseWriter, r *http.Request) {
				<-r.Context().Done()
			},
			cfg:   HTTPConfig{Timeout: 100 * time.Millisecond},
			check: wantErr(ErrTimeout),
		},
		{
			name: "slow body",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Gpumarket-Usage-Units1", "1")
				io.WriteString(w, "partial")
				w.(http.Flusher).Flush()
				<-r.Context().Done()
			},
			cfg:   HTTPConfig{Timeout: 100 * time.Millisecond},
			check: wantErr(ErrTimeout),
		},
		{
			name:    "job deadline passed",
			handler: func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() },
			job:     Job{Deadline: time.Unix(1, 0)},
			check:   wantErr(ErrTimeout),
		},
		{
			name: "huge streamed response",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Gpumarket-Usage-Units1", "1")
				chunk := bytes.Repeat([]byte("x"), 64<<10)
				for range 64 { // 4 MiB, no Content-Length
					if _, err := w.Write(chunk); err != nil {
						return
					}
				}
			},
			cfg:   HTTPConfig{MaxResponseBytes: 1 << 20},
			check: wantErr(ErrOutputLimit),
		},
		{
			name: "huge declared response",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Gpumarket-Usage-Units1", "1")
				w.Header().Set("Content-Length", "4194304")
				w.Write(bytes.Repeat([]byte("x"), 4<<20))
			},
			cfg:   HTTPConfig{MaxResponseBytes: 1 << 20},
			check: wantErr(ErrOutputLimit),
		},
		{
			name: "exactly at the limit",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Gpumarket-Usage-Units1", "1")
				w.Write(bytes.Repeat([]byte("x"), 1<<20))
			},
			cfg: HTTPConfig{MaxResponseBytes: 1 << 20},
			check: func(t *testing.T, res *Result, err error) {
				if err != nil || len(res.Body) != 1<<20 {
					t.Errorf("Run() = %v, want the whole 1 MiB body", err)
				}
			},
		},
		{
			name: "500",
			handler: func(w http.ResponseWriter, r *http.Request) {
				http.Error(w, "CUDA out of memory", http.StatusInternalServerError)
			},
			check: func(t *testing.T, res *Result, err error) {
				var se *HTTPStatusError
				if !errors.As(err, &se) || se.StatusCode != 500 || !strings.Contains(string(se.Body), "CUDA out of memory") {
					t.Errorf("Run() = %v, want HTTPStatusError 500 with the body", err)
				}
			},
		},
		{
			name:    "wrong content type",
			handler: respond("text/html; charset=utf-8", "1", "<html>"),
			cfg:     HTTPConfig{ContentType: "image/png"},
			check:   wantErrText(`response content type "text/html; charset=utf-8", want "image/png"`),
		},
		{
			name:    "content type with parameters",
			handler: respond("text/plain; charset=utf-8", "3", "hello"),
			cfg:     HTTPConfig{ContentType: "text/plain"},
			check: func(t *testing.T, res *Result, err error) {
				if err != nil || res.Usage.Units1 != 3 {
					t.Errorf("Run() = %v, want success", err)
				}
			},
		},
		{
			name:    "missing usage",
			handler: respond("", "", "x"),
			check:   wantErr(ErrNoUsage),
		},
		{
			name:    "malformed usage",
			handler: respond("", "-1", "x"),
			check:   wantErr(ErrNoUsage),
		},
		{
			name: "duplicate usage",
			handler: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Add("Gpumarket-Usage-Units1", "1")
				w.Header().Add("Gpumarket-Usage-Units1", "1000")
				io.WriteString(w, "x")
			},
			check: wantErr(ErrNoUsage),
		},
		{
			name: "redirect",
			handler: func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "http://example.com/steal", http.StatusTemporaryRedirect)
			},
			check: func(t *testing.T, res *Result, err error) {
				var se *HTTPStatusError
				if !errors.As(err, &se) || se.StatusCode != http.StatusTemporaryRedirect {
					t.Errorf("Run() = %v, want the redirect refused as a 307 status error", err)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := make(chan seen, 1)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				body, _ := io.ReadAll(r.Body)
				select {
				case got <- seen{body, r.Header.Get("Gpumarket-Job-Id"), r.Header.Get("Gpumarket-Job-Kind"), r.Header.Get("Content-Type")}:
				default:
				}
				tt.handler(w, r)
			}))
			defer srv.Close()
			cfg := tt.cfg
			cfg.URL = srv.URL + "/v1/run"
			h := newHTTP(t, cfg)
			job := tt.job
			job.ID, job.Kind, job.Spec = 77, gpumarket.JobKindLLM, []byte(`{"prompt":"$(touch pwned)"}`)
			res, err := h.Run(t.Context(), job)
			tt.check(t, res, err)
			select {
			case s := <-got:
				if tt.name == "job deadline passed" {
					t.Errorf("a job past its deadline reached the server")
				}
				if string(s.body) != string(job.Spec) || s.id != "77" || s.kind != "llm" || s.ct != "application/json" {
					t.Errorf("server saw %q id %q kind %q type %q, want the spec verbatim, 77, llm, application/json", s.body, s.id, s.kind, s.ct)
				}
			default:
				if tt.name != "job deadline passed" {
					t.Errorf("server never saw the request")
				}
			}
		})
	}
}

func wantErr(target error) func(*testing.T, *Result, error) {
	return func(t *testing.T, res *Result, err error) {
		t.Helper()
		if !errors.Is(err, target) {
			t.Errorf("Run() = %v, %v; want %v", res, err, target)
		}
	}
}

func wantErrText(sub string) func(*testing.T, *Result, error) {
	return func(t *testing.T, res *Result, err error) {
		t.Helper()
		if err == nil || !strings.Contains(err.Error(), sub) {
			t.Errorf("Run() = %v, %v; want an error containing %q", res, err, sub)
		}
	}
}

func TestHTTPCancelled(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer srv.Close()
	h := newHTTP(t, HTTPConfig{URL: srv.URL})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := h.Run(ctx, Job{ID: 1, Kind: gpumarket.JobKindTTS, Spec: []byte(`{}`)})
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrTimeout) {
		t.Errorf("Run(cancelled) = %v, want context.Canceled", err)
	}
}

func TestNewHTTPConfig(t *testing.T) {
	tests := []struct {
		url   string
		allow bool
		ok    bool
	}{
		{"http://127.0.0.1:8080/v1/run", false, true},
		{"http://127.1.2.3/", false, true},
		{"http://[::1]:9000/", false, true},
		{"http://localhost:9000/", false, true},
		{"https://LOCALHOST/", false, true},
		{"http://10.0.0.1/", false, false},
		{"http://0.0.0.0:80/", false, false},
		{"http://example.com/", false, false},
		{"http://127.0.0.1.nip.io/", false, false},
		{"http://[::ffff:10.0.0.1]/", false, false},
		{"http://user:pw@127.0.0.1/", false, false},
		{"file:///etc/passwd", false, false},
		{"127.0.0.1:80", false, false},
		{"", false, false},
		{"http://example.com/", true, true},
		{"ftp://example.com/", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			_, err := NewHTTP(HTTPConfig{URL: tt.url, AllowNonLoopback: tt.allow}, nil)
			if tt.ok && err != nil || !tt.ok && (gpumarket.ErrorCode(err) != gpumarket.EINVALID || !strings.Contains(err.Error(), "URL")) {
				t.Errorf("NewHTTP(%q, allow=%v) = %v, want ok=%v", tt.url, tt.allow, err, tt.ok)
			}
			var ce *ConfigError
			if !tt.ok && (!errors.As(err, &ce) || ce.Field != "URL") {
				t.Errorf("NewHTTP(%q) = %v, want a *ConfigError naming the field URL", tt.url, err)
			}
		})
	}
}

func TestHTTPDialGuard(t *testing.T) {
	// Every connection is checked after name resolution: a non-loopback
	// address is refused before any packet is sent (192.0.2.1 is TEST-NET-1).
	h := newHTTP(t, HTTPConfig{URL: "http://127.0.0.1:1/"})
	conn, derr := h.client.Transport.(*http.Transport).DialContext(t.Context(), "tcp", "192.0.2.1:80")
	if derr == nil {
		conn.Close()
		t.Fatal("DialContext(192.0.2.1:80) succeeded, want refused as non-loopback")
	}
	if !strings.Contains(derr.Error(), "not a loopback address") {
		t.Errorf("DialContext(192.0.2.1:80) = %v, want refused as non-loopback", derr)
	}
}
