package httpserve

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// failAfter bounds every client read in these tests: reaching it means the
// server did not do what the test expects (it is not a speed threshold).
const failAfter = 10 * time.Second

// serve runs a Server of h with cfg on a free port until the test ends and
// returns its address.
func serve(tb testing.TB, cfg Config, h http.Handler, opts ...func(*Server)) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	srv, err := New(ln, cfg, h, nil)
	if err != nil {
		tb.Fatal(err)
	}
	for _, o := range opts {
		o(srv)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx) }()
	tb.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			tb.Errorf("Run: %v", err)
		}
	})
	return srv.Addr().String()
}

func dial(tb testing.TB, addr string) net.Conn {
	tb.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.Close() })
	_ = c.SetDeadline(time.Now().Add(failAfter))
	return c
}

// waitClosed reads c until the server closes it, failing when failAfter
// passes first.
func waitClosed(tb testing.TB, c net.Conn) {
	tb.Helper()
	_, err := io.Copy(io.Discard, c)
	if errors.Is(err, os.ErrDeadlineExceeded) {
		tb.Fatalf("connection still open after %v", failAfter)
	}
}

func okHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, "ok")
	})
}

func TestSlowHeadersAreClosed(t *testing.T) {
	addr := serve(t, Config{ReadHeaderTimeout: 100 * time.Millisecond}, okHandler())
	c := dial(t, addr)
	if _, err := io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: "); err != nil {
		t.Fatal(err)
	}
	waitClosed(t, c) // the head never ends
}

func TestSlowBodyIsClosed(t *testing.T) {
	read := make(chan error, 1)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := io.ReadAll(r.Body)
		read <- err
	})
	addr := serve(t, Config{ReadHeaderTimeout: time.Second, ReadTimeout: 200 * time.Millisecond}, h)
	c := dial(t, addr)
	if _, err := io.WriteString(c, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n0123456789"); err != nil {
		t.Fatal(err)
	}
	waitClosed(t, c)
	if err := <-read; err == nil {
		t.Error("the handler read the whole body of a client that never sent it")
	}
}

func TestIdleConnectionIsClosed(t *testing.T) {
	addr := serve(t, Config{IdleTimeout: 100 * time.Millisecond}, okHandler())
	c := dial(t, addr)
	br := bufio.NewReader(c)
	get(t, c, br, "/")
	waitClosed(t, c) // a keep-alive connection the client never reuses
}

// get sends a keep-alive GET on c and returns the response's status.
func get(tb testing.TB, c net.Conn, br *bufio.Reader, path string) int {
	tb.Helper()
	if _, err := fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", path); err != nil {
		tb.Fatal(err)
	}
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		tb.Fatalf("read response: %v", err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

func TestConnectionCap(t *testing.T) {
	addr := serve(t, Config{MaxConns: 2}, okHandler())
	first, second := dial(t, addr), dial(t, addr)
	get(t, first, bufio.NewReader(first), "/")
	get(t, second, bufio.NewReader(second), "/")

	third := dial(t, addr)
	if _, err := io.WriteString(third, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	_ = third.SetReadDeadline(time.Now().Add(300 * time.Millisecond))
	br := bufio.NewReader(third)
	if _, err := br.Peek(1); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("the third connection was answered (err %v) while two were open with MaxConns 2", err)
	}
	first.Close()
	_ = third.SetReadDeadline(time.Now().Add(failAfter))
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatalf("the third connection was not served once the first closed: %v", err)
	}
	if res.StatusCode != 200 {
		t.Errorf("third connection status = %d, want 200", res.StatusCode)
	}
}

func TestOversizedHeaderIs431(t *testing.T) {
	addr := serve(t, Config{MaxHeaderBytes: 1 << 10}, okHandler())
	c := dial(t, addr)
	// Go's server allows 4 KiB of slack above MaxHeaderBytes.
	if _, err := fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: %s\r\n\r\n", strings.Repeat("a", 64<<10)); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("status = %d, want 431", res.StatusCode)
	}
}

func TestOversizedBodyIs413(t *testing.T) {
	var mu sync.Mutex
	var calls int
	var readErr error
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, err := io.ReadAll(r.Body)
		mu.Lock()
		calls, readErr = calls+1, err
		mu.Unlock()
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			WriteError(w, http.StatusRequestEntityTooLarge, "too large")
		}
	})
	addr := serve(t, Config{MaxBodyBytes: 100}, h)
	tests := []struct {
		name      string
		header    string
		body      string
		wantCalls int
	}{
		{"declared length", "Content-Length: 1000\r\n", strings.Repeat("a", 1000), 0},
		{"chunked", "Transfer-Encoding: chunked\r\n", fmt.Sprintf("%x\r\n%s\r\n0\r\n\r\n", 1000, strings.Repeat("a", 1000)), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mu.Lock()
			calls = 0
			mu.Unlock()
			c := dial(t, addr)
			if _, err := fmt.Fprintf(c, "POST / HTTP/1.1\r\nHost: x\r\n%s\r\n%s", tt.header, tt.body); err != nil {
				t.Fatal(err)
			}
			res, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.Body)
			if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(b), `"error"`) {
				t.Errorf("response = %d %s, want 413 with a JSON error", res.StatusCode, b)
			}
			mu.Lock()
			defer mu.Unlock()
			if calls != tt.wantCalls {
				t.Errorf("handler called %d times, want %d", calls, tt.wantCalls)
			}
			var mbe *http.MaxBytesError
			if tt.wantCalls == 1 && !errors.As(readErr, &mbe) {
				t.Errorf("handler's read error = %v, want *http.MaxBytesError", readErr)
			}
		})
	}
}

func TestZeroConfigTakesDefaults(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	srv, err := New(ln, Config{IdleTimeout: time.Second}, okHandler(), nil)
	if err != nil {
		t.Fatal(err)
	}
	h, def := srv.HTTP(), DefaultConfig()
	if h.ReadHeaderTimeout != def.ReadHeaderTimeout || h.ReadTimeout != def.ReadTimeout || h.WriteTimeout != def.WriteTimeout ||
		h.MaxHeaderBytes != def.MaxHeaderBytes || h.IdleTimeout != time.Second {
		t.Errorf("server limits = %v %v %v %v %d, want the defaults with a 1s idle timeout",
			h.ReadHeaderTimeout, h.ReadTimeout, h.WriteTimeout, h.IdleTimeout, h.MaxHeaderBytes)
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string // "" for valid
	}{
		{"zero", Config{}, ""},
		{"negative idle", Config{IdleTimeout: -1}, "IdleTimeout"},
		{"negative conns", Config{MaxConns: -1}, "MaxConns"},
		{"origin with path", Config{CORS: CORSConfig{Origins: []string{"https://app.example/x"}}}, "CORS origin"},
		{"origin without scheme", Config{CORS: CORSConfig{Origins: []string{"app.example"}}}, "CORS origin"},
		{"wildcard origin", Config{CORS: CORSConfig{Origins: []string{"*", "https://*.app.example", "http://localhost:3000"}}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("Validate() = %v, want %q", err, tt.want)
			}
		})
	}
}
