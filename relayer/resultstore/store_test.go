package resultstore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gpumarket/gpumarket"
)

func openStore(tb testing.TB) (*Store, string) {
	tb.Helper()
	dir := tb.TempDir()
	s, err := Open(dir, nil)
	if err != nil {
		tb.Fatalf("Open(%s) = %v", dir, err)
	}
	return s, dir
}

func TestKeccak256(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"", "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"},
		{"hello", "0x1c8aff950685c2ed4bc3174f3472287b56d9517b9c948127319a09a7a36deac8"},
	}
	for _, tt := range tests {
		if got := Keccak256([]byte(tt.in)).String(); got != tt.want {
			t.Errorf("Keccak256(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestPutGet(t *testing.T) {
	s, dir := openStore(t)
	ctx := t.Context()
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"text", []byte("hello")},
		{"binary", bytes.Repeat([]byte{0, 1, 2, 255}, 1<<18)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := s.PutBytes(ctx, tt.data)
			if err != nil {
				t.Fatalf("PutBytes = %v", err)
			}
			if h != Keccak256(tt.data) {
				t.Errorf("PutBytes = %s, want keccak256 %s", h, Keccak256(tt.data))
			}
			got, err := s.Get(ctx, h)
			if err != nil || !bytes.Equal(got, tt.data) {
				t.Errorf("Get(%s) = %d bytes, %v; want the %d bytes stored", h, len(got), err, len(tt.data))
			}
			st, err := os.Stat(s.path(h))
			if err != nil || st.Mode().Perm() != 0o444 {
				t.Errorf("stored file mode = %v, %v; want read-only 0444", st.Mode(), err)
			}
			// idempotent: same hash, same single file
			h2, n, err := s.Put(ctx, bytes.NewReader(tt.data))
			if err != nil || h2 != h || n != int64(len(tt.data)) {
				t.Errorf("Put again = %s, %d, %v; want %s, %d, nil", h2, n, err, h, len(tt.data))
			}
		})
	}
	if ents, _ := os.ReadDir(filepath.Join(dir, "tmp")); len(ents) != 0 {
		t.Errorf("temp files left behind: %v", ents)
	}
}

func TestGetMissing(t *testing.T) {
	s, _ := openStore(t)
	_, err := s.Get(t.Context(), gpumarket.Hash{1})
	if gpumarket.ErrorCode(err) != gpumarket.ENOTFOUND {
		t.Errorf("Get(unknown) = %v, want ENOTFOUND", err)
	}
}

func TestCorruption(t *testing.T) {
	s, _ := openStore(t)
	ctx := t.Context()
	data := []byte("the committed result")
	h, err := s.PutBytes(ctx, data)
	if err != nil {
		t.Fatal(err)
	}
	p := s.path(h)
	tamper := func(b []byte) {
		t.Helper()
		os.Chmod(p, 0o644)
		if err := os.WriteFile(p, b, 0o444); err != nil {
			t.Fatal(err)
		}
	}
	for _, bad := range [][]byte{[]byte("the committed resulT"), data[:5], append(append([]byte(nil), data...), '!'), nil} {
		tamper(bad)
		if got, err := s.Get(ctx, h); !errors.Is(err, ErrCorrupt) {
			t.Errorf("Get(tampered %q) = %q, %v; want ErrCorrupt", bad, got, err)
		}
		if f, _, err := s.Open(ctx, h); !errors.Is(err, ErrCorrupt) {
			if f != nil {
				f.Close()
			}
			t.Errorf("Open(tampered %q) = %v, want ErrCorrupt", bad, err)
		}
	}
	// Put repairs a corrupt file.
	if _, err := s.PutBytes(ctx, data); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Get(ctx, h); err != nil || !bytes.Equal(got, data) {
		t.Errorf("Get after repair = %q, %v; want %q", got, err, data)
	}
}

func TestConcurrentPut(t *testing.T) {
	s, dir := openStore(t)
	data := bytes.Repeat([]byte("concurrent "), 10000)
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for range 16 {
		wg.Go(func() {
			h, err := s.PutBytes(context.Background(), data)
			if err == nil && h != Keccak256(data) {
				err = fmt.Errorf("hash %s", h)
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Errorf("PutBytes = %v", err)
		}
	}
	var files int
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, _ error) error {
		if d != nil && d.Type().IsRegular() {
			files++
		}
		return nil
	})
	if files != 1 {
		t.Errorf("store holds %d files after 16 identical puts, want 1", files)
	}
}

func TestPutCancelled(t *testing.T) {
	s, dir := openStore(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, _, err := s.Put(ctx, strings.NewReader("x")); !errors.Is(err, context.Canceled) {
		t.Errorf("Put(cancelled) = %v, want context.Canceled", err)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("store dir after a cancelled put = %v, want only tmp/", ents)
	}
}

// headerAuth is a stand-in Authorizer: the signer is named in a header. The
// real, signature-checking one is tested end to end in internal/eth/resultauth.
type headerAuth struct{}

func (headerAuth) Authorize(_ context.Context, _ gpumarket.Hash, h http.Header) (gpumarket.Address, error) {
	switch v := h.Get("Test-Signer"); v {
	case "":
		return gpumarket.Address{}, gpumarket.Errorf(gpumarket.EINVALID, "no signer")
	case "expired":
		return gpumarket.Address{}, gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "expired")
	default:
		return gpumarket.ParseAddress(v)
	}
}

type brokenOwners struct{}

func (brokenOwners) IsOwner(context.Context, gpumarket.Hash, gpumarket.Address) (bool, error) {
	return false, gpumarket.Errorf(gpumarket.EUNAVAILABLE, "dial tcp 10.0.0.5:5432: connection refused")
}

// driverOwners fails as the postgres adapter does for a missing row: an
// ENOTFOUND code whose message is the driver's text.
type driverOwners struct{}

func (driverOwners) IsOwner(context.Context, gpumarket.Hash, gpumarket.Address) (bool, error) {
	return false, gpumarket.Errorf(gpumarket.ENOTFOUND, "read owners of result: no rows in result set")
}

func TestHandlerStatuses(t *testing.T) {
	s, _ := openStore(t)
	ctx := t.Context()
	good, _ := s.PutBytes(ctx, []byte("good"))
	corrupt, _ := s.PutBytes(ctx, []byte("will be corrupted"))
	os.Chmod(s.path(corrupt), 0o644)
	os.WriteFile(s.path(corrupt), []byte("tampered"), 0o444)
	gone := Keccak256([]byte("owned but not stored"))
	client := gpumarket.Address{0xc1}
	var owners MemOwners
	for _, h := range []gpumarket.Hash{good, corrupt, gone} {
		owners.Set(h, client)
	}
	tests := []struct {
		name   string
		owners Owners
		hash   string
		signer string
		want   int
	}{
		{"ok", &owners, good.String(), client.String(), 200},
		{"not the client", &owners, good.String(), gpumarket.Address{0xba}.String(), 403},
		{"no credentials", &owners, good.String(), "", 400},
		{"expired", &owners, good.String(), "expired", 401},
		{"bad hash", &owners, "zz", client.String(), 400},
		{"unknown owner", &owners, gpumarket.Hash{7}.String(), client.String(), 404},
		{"owned but missing", &owners, gone.String(), client.String(), 404},
		{"corrupt on disk", &owners, corrupt.String(), client.String(), 500},
		{"owners unavailable", brokenOwners{}, good.String(), client.String(), 503},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(NewHandler(s, tt.owners, headerAuth{}, nil))
			defer srv.Close()
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1/results/"+tt.hash, nil)
			if tt.signer != "" {
				req.Header.Set("Test-Signer", tt.signer)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.want {
				t.Fatalf("GET %s = %d %s, want %d", tt.name, resp.StatusCode, body, tt.want)
			}
			if tt.want == 200 {
				if string(body) != "good" {
					t.Errorf("GET = %q, want %q", body, "good")
				}
				return
			}
			var e struct{ Error, Message string }
			if err := json.Unmarshal(body, &e); err != nil || e.Error == "" {
				t.Errorf("error body = %s, want JSON with a code", body)
			}
			if tt.want == 500 && e.Message != "internal error" {
				t.Errorf("500 error body = %s, want the generic message only", body)
			}
		})
	}
}

func BenchmarkPut1MiB(b *testing.B) {
	s, _ := openStore(b)
	data := make([]byte, 1<<20)
	b.SetBytes(int64(len(data)))
	i := 0
	for b.Loop() {
		i++
		data[0], data[1], data[2] = byte(i), byte(i>>8), byte(i>>16) // new content each time
		if _, err := s.PutBytes(b.Context(), data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkGet1MiB(b *testing.B) {
	s, _ := openStore(b)
	data := make([]byte, 1<<20)
	h, err := s.PutBytes(b.Context(), data)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := s.Get(b.Context(), h); err != nil {
			b.Fatal(err)
		}
	}
}
