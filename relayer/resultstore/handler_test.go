package resultstore

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gpumarket/gpumarket"
)

// getAs downloads path from srv as signer (see headerAuth) and returns the
// status and body.
func getAs(t *testing.T, srv *httptest.Server, path, signer string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if signer != "" {
		req.Header.Set("Test-Signer", signer)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestHandlerServesEveryOwner: two jobs of two clients produced identical
// bytes at this provider (a deterministic program, a public spec). Both
// clients download them; a third address is refused.
func TestHandlerServesEveryOwner(t *testing.T) {
	s, _ := openStore(t)
	ctx := t.Context()
	first, second, third := gpumarket.Address{0xc1}, gpumarket.Address{0xc2}, gpumarket.Address{0xc3}
	var owners MemOwners
	// The relayer records each job's client as it stores that job's result.
	for job, client := range map[gpumarket.JobID]gpumarket.Address{1: first, 2: second} {
		h, n, err := s.Put(ctx, strings.NewReader("deterministic"))
		if err != nil {
			t.Fatal(err)
		}
		if err := owners.SetOwner(ctx, h, job, client, n); err != nil {
			t.Fatal(err)
		}
	}
	hash := Keccak256([]byte("deterministic"))
	srv := httptest.NewServer(NewHandler(s, &owners, headerAuth{}, nil))
	defer srv.Close()
	for _, tt := range []struct {
		name   string
		signer gpumarket.Address
		want   int
	}{
		{"first client", first, 200},
		{"second client", second, 200},
		{"third address", third, 403},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, body := getAs(t, srv, "/v1/results/"+hash.String(), tt.signer.String())
			if status != tt.want {
				t.Fatalf("GET as %s = %d %s, want %d", tt.name, status, body, tt.want)
			}
			if status == 200 && body != "deterministic" {
				t.Errorf("GET as %s = %q, want the result", tt.name, body)
			}
			if status != 200 && strings.Contains(body, "deterministic") {
				t.Errorf("GET as %s leaked the result: %s", tt.name, body)
			}
		})
	}
}

// TestHandlerErrorBodies: a refusal names the problem without echoing the
// request, and never passes on database driver text or addresses.
func TestHandlerErrorBodies(t *testing.T) {
	s, _ := openStore(t)
	good, err := s.PutBytes(t.Context(), []byte("good"))
	if err != nil {
		t.Fatal(err)
	}
	client := gpumarket.Address{0xc1}
	var owners MemOwners
	owners.Set(good, client)
	long := "0x" + strings.Repeat("ab", 50_000)
	tests := []struct {
		name     string
		owners   Owners
		path     string
		want     int
		mention  string
		mustNot  []string
		maxBytes int
	}{
		{"long malformed hash", &owners, "/v1/results/" + long, 400, "64 hex digits", []string{"abababab"}, 300},
		{"not hex", &owners, "/v1/results/0x" + strings.Repeat("zz", 32), 400, "64 hex digits", []string{"zzzz"}, 300},
		{"driver not found", driverOwners{}, "/v1/results/" + good.String(), 404, "no result", []string{"no rows", "result set"}, 300},
		{"database down", brokenOwners{}, "/v1/results/" + good.String(), 503, "cannot be read", []string{"10.0.0.5", "dial", "refused"}, 300},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(NewHandler(s, tt.owners, headerAuth{}, nil))
			defer srv.Close()
			status, body := getAs(t, srv, tt.path, client.String())
			if status != tt.want {
				t.Fatalf("GET = %d %.200s, want %d", status, body, tt.want)
			}
			var e struct{ Error, Message string }
			if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error == "" {
				t.Fatalf("error body = %.200s, want JSON with a code", body)
			}
			if !strings.Contains(e.Message, tt.mention) {
				t.Errorf("message = %q, want it to mention %q", e.Message, tt.mention)
			}
			for _, bad := range tt.mustNot {
				if strings.Contains(body, bad) {
					t.Errorf("error body = %.200s, must not contain %q", body, bad)
				}
			}
			if len(body) > tt.maxBytes {
				t.Errorf("error body is %d bytes, want at most %d", len(body), tt.maxBytes)
			}
		})
	}
}
