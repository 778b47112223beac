package resultauth_test

import (
	"context"
	"crypto/ecdsa"
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

	"github.com/gpumarket/gpumarket/internal/eth/resultauth"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/relayer/resultstore"
)

var _ resultstore.Authorizer = (*resultauth.ResultAuthorizer)(nil)

// clock is a settable clock for the authorizer.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func key(tb testing.TB, hexKey string) (*ecdsa.PrivateKey, gpumarket.Address) {
	tb.Helper()
	k, err := crypto.HexToECDSA(hexKey)
	if err != nil {
		tb.Fatal(err)
	}
	return k, gpumarket.Address(crypto.PubkeyToAddress(k.PublicKey))
}

// anvil's first two default accounts
const (
	clientKey = "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
	otherKey  = "59c6995e998f97a5a0044966f0945389dc9d5bf1e3f8cf8bac7b3f5a7e5e6b7c"
)

func TestResultAuthMessage(t *testing.T) {
	h := gpumarket.Hash{0xab, 0xcd}
	got := resultauth.ResultAuthMessage(h, 1700000000)
	want := "gpumarket-result:0xabcd000000000000000000000000000000000000000000000000000000000000:1700000000"
	if got != want {
		t.Errorf("ResultAuthMessage = %q, want %q", got, want)
	}
}

func TestSignMatchesKnownAddress(t *testing.T) {
	_, addr := key(t, clientKey)
	if got := addr.String(); got != "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266" {
		t.Fatalf("address = %s, want anvil account 0", got)
	}
}

// setup stores one result owned by the client and returns a test server
// serving it, the result's bytes and hash, and the clock.
func setup(tb testing.TB) (*httptest.Server, []byte, gpumarket.Hash, *clock) {
	tb.Helper()
	store, err := resultstore.Open(tb.TempDir(), nil)
	if err != nil {
		tb.Fatal(err)
	}
	body := []byte("a private LLM completion")
	hash, err := store.PutBytes(context.Background(), body)
	if err != nil {
		tb.Fatal(err)
	}
	_, client := key(tb, clientKey)
	var owners resultstore.MemOwners
	owners.Set(hash, client)
	clk := &clock{t: time.Unix(1_800_000_000, 0)}
	srv := httptest.NewServer(resultstore.NewHandler(store, &owners, resultauth.NewResultAuthorizer(5*time.Minute, clk.now), nil))
	tb.Cleanup(srv.Close)
	return srv, body, hash, clk
}

func get(tb testing.TB, url, sig, expiry string) (int, []byte, http.Header) {
	tb.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		tb.Fatal(err)
	}
	if sig != "" {
		req.Header.Set(resultauth.ResultSignatureHeader, sig)
	}
	if expiry != "" {
		req.Header.Set(resultauth.ResultExpiryHeader, expiry)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return resp.StatusCode, b, resp.Header
}

func sign(tb testing.TB, hexKey string, h gpumarket.Hash, expiry int64) string {
	tb.Helper()
	k, _ := key(tb, hexKey)
	sig, err := resultauth.SignResultRequest(k, h, expiry)
	if err != nil {
		tb.Fatal(err)
	}
	return sig
}

// highS turns a signature into its malleable twin (n - s, v flipped), which
// recovers the same key but must be refused.
func highS(tb testing.TB, sig string) string {
	tb.Helper()
	b, _ := hex.DecodeString(sig[2:])
	s := new(big.Int).SetBytes(b[32:64])
	s.Sub(crypto.S256().Params().N, s)
	s.FillBytes(b[32:64])
	b[64] = 27 + 28 - b[64] // the other recovery id, in the same 27/28 form
	return "0x" + hex.EncodeToString(b)
}

func TestResultDownload(t *testing.T) {
	srv, body, hash, clk := setup(t)
	url := srv.URL + "/v1/results/" + hash.String()
	now := clk.t.Unix()
	exp := now + 60
	good := sign(t, clientKey, hash, exp)
	tests := []struct {
		name       string
		url        string
		sig, exp   string
		wantStatus int
		wantCode   string
	}{
		{"client", url, good, strconv.FormatInt(exp, 10), 200, ""},
		{"other signer", url, sign(t, otherKey, hash, exp), strconv.FormatInt(exp, 10), 403, gpumarket.EUNAUTHORIZED},
		{"signature for another expiry", url, good, strconv.FormatInt(exp+1, 10), 403, gpumarket.EUNAUTHORIZED},
		{"signature for another hash", url, sign(t, clientKey, gpumarket.Hash{1}, exp), strconv.FormatInt(exp, 10), 403, gpumarket.EUNAUTHORIZED},
		{"expired", url, sign(t, clientKey, hash, now-1), strconv.FormatInt(now-1, 10), 401, gpumarket.EUNAUTHORIZED},
		{"expires now", url, sign(t, clientKey, hash, now), strconv.FormatInt(now, 10), 401, gpumarket.EUNAUTHORIZED},
		{"expiry too far ahead", url, sign(t, clientKey, hash, now+3600), strconv.FormatInt(now+3600, 10), 401, gpumarket.EUNAUTHORIZED},
		{"no headers", url, "", "", 400, gpumarket.EINVALID},
		{"malformed signature", url, "0x1234", strconv.FormatInt(exp, 10), 400, gpumarket.EINVALID},
		{"signature not hex", url, "0x" + strings.Repeat("zz", 65), strconv.FormatInt(exp, 10), 400, gpumarket.EINVALID},
		{"bad v", url, good[:130] + "1d", strconv.FormatInt(exp, 10), 400, gpumarket.EINVALID},
		{"zero r and s", url, "0x" + hex.EncodeToString(append(make([]byte, 64), 27)), strconv.FormatInt(exp, 10), 400, gpumarket.EINVALID},
		{"malleable high-s twin", url, highS(t, good), strconv.FormatInt(exp, 10), 400, gpumarket.EINVALID},
		{"malformed expiry", url, good, "+" + strconv.FormatInt(exp, 10), 400, gpumarket.EINVALID},
		{"negative expiry", url, good, "-5", 400, gpumarket.EINVALID},
		{"leading zero expiry", url, good, "0" + strconv.FormatInt(exp, 10), 400, gpumarket.EINVALID},
		{"malformed hash", srv.URL + "/v1/results/0x1234", good, strconv.FormatInt(exp, 10), 400, gpumarket.EINVALID},
		{"path traversal", srv.URL + "/v1/results/..%2f..%2fetc%2fpasswd", good, strconv.FormatInt(exp, 10), 400, gpumarket.EINVALID},
		{"unknown hash", srv.URL + "/v1/results/" + gpumarket.Hash{9}.String(), sign(t, clientKey, gpumarket.Hash{9}, exp), strconv.FormatInt(exp, 10), 404, gpumarket.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, got, hdr := get(t, tt.url, tt.sig, tt.exp)
			if status != tt.wantStatus {
				t.Fatalf("GET %s = %d %s, want %d", tt.name, status, got, tt.wantStatus)
			}
			if tt.wantStatus == 200 {
				if string(got) != string(body) {
					t.Errorf("GET = %q, want %q", got, body)
				}
				if resultstore.Keccak256(got) != hash || hdr.Get("Gpumarket-Result-Hash") != hash.String() {
					t.Errorf("downloaded bytes hash to %s (header %s), want %s", resultstore.Keccak256(got), hdr.Get("Gpumarket-Result-Hash"), hash)
				}
				return
			}
			var e struct{ Error, Message string }
			if err := json.Unmarshal(got, &e); err != nil || e.Error != tt.wantCode || e.Message == "" {
				t.Errorf("GET %s error body = %s, want code %q and a message", tt.name, got, tt.wantCode)
			}
			if string(got) == string(body) {
				t.Errorf("GET %s leaked the result", tt.name)
			}
		})
	}
}

func TestResultReplayAfterExpiry(t *testing.T) {
	srv, body, hash, clk := setup(t)
	url := srv.URL + "/v1/results/" + hash.String()
	exp := clk.t.Unix() + 60
	sig, expStr := sign(t, clientKey, hash, exp), strconv.FormatInt(exp, 10)
	if status, got, _ := get(t, url, sig, expStr); status != 200 || string(got) != string(body) {
		t.Fatalf("first GET = %d %s, want 200 and the result", status, got)
	}
	clk.t = time.Unix(exp, 0)
	if status, got, _ := get(t, url, sig, expStr); status != 401 {
		t.Errorf("replayed GET after expiry = %d %s, want 401", status, got)
	}
	clk.t = time.Unix(exp+3600, 0)
	if status, got, _ := get(t, url, sig, expStr); status != 401 {
		t.Errorf("replayed GET an hour after expiry = %d %s, want 401", status, got)
	}
}

func TestResultMethodNotAllowed(t *testing.T) {
	srv, _, hash, _ := setup(t)
	resp, err := http.Post(srv.URL+"/v1/results/"+hash.String(), "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST = %d, want 405", resp.StatusCode)
	}
}

// FuzzResultAuthorize feeds arbitrary headers to the authorizer: it never
// panics, fails only with EINVALID or EUNAUTHORIZED, and accepts the client's
// address only for the client's own signature.
func FuzzResultAuthorize(f *testing.F) {
	k, client := key(f, clientKey)
	now := time.Unix(1_800_000_000, 0)
	h := gpumarket.Hash{0x42}
	good, err := resultauth.SignResultRequest(k, h, now.Unix()+60)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good, strconv.FormatInt(now.Unix()+60, 10))
	f.Add(good, "0")
	f.Add("0x", "")
	f.Add(highS(f, good), strconv.FormatInt(now.Unix()+60, 10))
	a := resultauth.NewResultAuthorizer(5*time.Minute, func() time.Time { return now })
	f.Fuzz(func(t *testing.T, sig, exp string) {
		hdr := http.Header{}
		hdr.Set(resultauth.ResultSignatureHeader, sig)
		hdr.Set(resultauth.ResultExpiryHeader, exp)
		addr, err := a.Authorize(context.Background(), h, hdr)
		if err != nil {
			if c := gpumarket.ErrorCode(err); c != gpumarket.EINVALID && c != gpumarket.EUNAUTHORIZED {
				t.Fatalf("Authorize(%q, %q) = %v, want EINVALID or EUNAUTHORIZED", sig, exp, err)
			}
			return
		}
		// Only the client's own (r, s, v) over the signed expiry recovers
		// the client; hex case does not matter.
		if addr == client && (!strings.EqualFold(sig, good) || exp != strconv.FormatInt(now.Unix()+60, 10)) {
			t.Fatalf("Authorize(%q, %q) recovered the client from something it did not sign", sig, exp)
		}
	})
}

// TestResultSignatureFormsMatchEIP712: a result download signature is
// accepted in exactly the forms a heartbeat, attestation or assignment
// signature is (eip712.Recover): v 27 or 28, low s. The raw recovery ids 0
// and 1, other v values and the malleable high-s twin are refused by both.
func TestResultSignatureFormsMatchEIP712(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	exp := now.Unix() + 60
	expStr := strconv.FormatInt(exp, 10)
	a := resultauth.NewResultAuthorizer(5*time.Minute, func() time.Time { return now })
	_, client := key(t, clientKey)
	// One result hash whose signature has v = 27 and one with v = 28.
	byV := map[byte]gpumarket.Hash{}
	for i := 0; len(byV) < 2 && i < 64; i++ {
		h := gpumarket.Hash{0x42, byte(i)}
		v, _ := hex.DecodeString(sign(t, clientKey, h, exp)[130:])
		if _, ok := byV[v[0]]; !ok {
			byV[v[0]] = h
		}
	}
	if len(byV) != 2 {
		t.Fatalf("found signatures with v in %v only; want both 27 and 28", byV)
	}
	for v, h := range byV {
		good := sign(t, clientKey, h, exp)
		digest := gpumarket.Hash(accounts.TextHash([]byte(resultauth.ResultAuthMessage(h, exp))))
		withV := func(v byte) string { return good[:130] + hex.EncodeToString([]byte{v}) }
		tests := []struct {
			name   string
			sig    string
			accept bool
		}{
			{"as signed", good, true},
			{"upper-case hex", "0x" + strings.ToUpper(good[2:]), true},
			{"raw recovery id", withV(v - 27), false},
			{"other raw recovery id", withV(28 - v), false},
			{"v 29", withV(29), false},
			{"v 26", withV(26), false},
			{"malleable high-s twin", highS(t, good), false},
		}
		for _, tt := range tests {
			t.Run(fmt.Sprintf("v %d %s", v, tt.name), func(t *testing.T) {
				sig, err := hex.DecodeString(tt.sig[2:])
				if err != nil {
					t.Fatal(err)
				}
				want, wantErr := eip712.Recover(digest, sig)
				if (wantErr == nil) != tt.accept {
					t.Fatalf("eip712.Recover(%s) = %s, %v; want accepted = %v", tt.name, want, wantErr, tt.accept)
				}
				hdr := http.Header{}
				hdr.Set(resultauth.ResultSignatureHeader, tt.sig)
				hdr.Set(resultauth.ResultExpiryHeader, expStr)
				got, err := a.Authorize(t.Context(), h, hdr)
				if (err == nil) != tt.accept {
					t.Fatalf("Authorize(%s) = %s, %v; want accepted = %v, as eip712.Recover", tt.name, got, err, tt.accept)
				}
				if err != nil {
					if gpumarket.ErrorCode(err) != gpumarket.EINVALID {
						t.Errorf("Authorize(%s) = %v, want EINVALID", tt.name, err)
					}
					return
				}
				if got != client || want != client {
					t.Errorf("Authorize(%s) = %s, eip712.Recover = %s, want %s", tt.name, got, want, client)
				}
			})
		}
	}
}

// TestResultAuthErrorsDoNotEcho: a refused header is named, not quoted back.
func TestResultAuthErrorsDoNotEcho(t *testing.T) {
	a := resultauth.NewResultAuthorizer(0, nil)
	long := strings.Repeat("7", 10_000)
	for name, hdr := range map[string][2]string{
		"long expiry":    {"0x" + strings.Repeat("ab", 65), long},
		"long signature": {"0x" + long, "1800000000"},
	} {
		t.Run(name, func(t *testing.T) {
			h := http.Header{}
			h.Set(resultauth.ResultSignatureHeader, hdr[0])
			h.Set(resultauth.ResultExpiryHeader, hdr[1])
			_, err := a.Authorize(t.Context(), gpumarket.Hash{1}, h)
			if gpumarket.ErrorCode(err) != gpumarket.EINVALID {
				t.Fatalf("Authorize = %v, want EINVALID", err)
			}
			if msg := gpumarket.ErrorMessage(err); len(msg) > 200 || strings.Contains(msg, "7777") {
				t.Errorf("Authorize message = %.300q, want the header named, not echoed", msg)
			}
		})
	}
}
