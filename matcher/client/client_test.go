package client_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gpumarket/gpumarket/internal/eth/keys"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/matcher/client"
)

const me = "0x00000000000000000000000000000000000000a1"

func sig() string { return "0x" + strings.Repeat("ab", 65) }

func TestPendingRefusesMalformedEntries(t *testing.T) {
	good := fmt.Sprintf(`{"chain_id":31337,"job_id":"7","job_hash":"0x%064x","provider":"%s","price":"1000","expiry":1900000000,"signature":"%s","matcher":"0x00000000000000000000000000000000000000b2"}`, 7, me, sig())
	entries := []struct{ json, reason string }{
		{good, ""},
		{strings.Replace(good, `"chain_id":31337`, `"chain_id":1`, 1), "chain_id 1 is not this chain"},
		{strings.Replace(good, `"job_id":"7"`, `"job_id":"x7"`, 1), "is not a job id"},
		{strings.Replace(good, `"job_id":"7"`, `"job_id":"0"`, 1), "is not a job id"},
		{strings.Replace(good, `"job_hash":"0x`, `"job_hash":"0xzz`, 1), "job_hash"},
		{strings.Replace(good, me, "0x00000000000000000000000000000000000000c3", 1), "not " + me},
		{strings.Replace(good, `"price":"1000"`, `"price":"-1"`, 1), "price"},
		{strings.Replace(good, `"price":"1000"`, `"price":"340282366920938463463374607431768211456"`, 1), "does not fit uint128"},
		{strings.Replace(good, `"expiry":1900000000`, `"expiry":0`, 1), "expiry"},
		{strings.Replace(good, sig(), "0x1234", 1), "65 hex-encoded bytes"},
		{`{"job_id": 5, "price": []}`, "malformed assignment"},
		{`"'; DROP TABLE jobs; --"`, "malformed assignment"},
	}
	var parts []string
	for _, e := range entries {
		parts = append(parts, e.json)
	}
	body := `{"assignments":[` + strings.Join(parts, ",") + `]}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/chains/31337/providers/"+me+"/assignments" {
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte(body))
	}))
	defer srv.Close()
	c, err := client.New(srv.URL, 31337, nil)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := gpumarket.ParseAddress(me)
	offers, refused, err := c.Pending(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	if len(offers) != 1 || offers[0].Assignment.JobID != 7 || offers[0].Assignment.Price.String() != "1000" || len(offers[0].Signature) != 65 {
		t.Fatalf("offers = %+v, want job 7 only", offers)
	}
	if len(refused) != len(entries)-1 {
		t.Fatalf("%d refusals, want %d: %+v", len(refused), len(entries)-1, refused)
	}
	for i, r := range refused {
		if want := entries[r.Index].reason; !strings.Contains(r.Reason, want) || r.Index != i+1 {
			t.Errorf("refusal %d = %+v, want reason containing %q", i, r, want)
		}
	}
}

func TestErrorsCarryCodes(t *testing.T) {
	tests := []struct {
		status int
		code   string
	}{
		{400, gpumarket.EINVALID}, {401, gpumarket.EUNAUTHORIZED}, {404, gpumarket.ENOTFOUND},
		{409, gpumarket.ECONFLICT}, {413, gpumarket.EINVALID}, {503, gpumarket.EUNAVAILABLE},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(`{"error":"what went wrong"}`))
			}))
			defer srv.Close()
			c, _ := client.New(srv.URL, 31337, nil)
			_, err := c.Spec(context.Background(), gpumarket.Hash{1})
			if gpumarket.ErrorCode(err) != tt.code || !strings.Contains(err.Error(), "what went wrong") {
				t.Fatalf("Spec = %v, want %s with the API's message", err, tt.code)
			}
		})
	}
}

func TestSpecHashChecked(t *testing.T) {
	body := []byte(`{"kind":"llm"}`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(body) }))
	defer srv.Close()
	c, _ := client.New(srv.URL, 31337, nil)
	if got, err := c.Spec(context.Background(), keys.Keccak256(body)); err != nil || string(got) != string(body) {
		t.Fatalf("Spec(right hash) = %q, %v", got, err)
	}
	if _, err := c.Spec(context.Background(), gpumarket.Hash{9}); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Fatalf("Spec(wrong hash) = %v, want EINVALID", err)
	}
	if _, err := client.New("ftp://x", 1, nil); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Fatalf("New(ftp) = %v, want EINVALID", err)
	}
	if _, err := client.New(srv.URL, 0, nil); gpumarket.ErrorCode(err) != gpumarket.EINVALID {
		t.Fatalf("New(chain 0) = %v, want EINVALID", err)
	}
}

func FuzzPending(f *testing.F) {
	f.Add(`{"assignments":[{"chain_id":31337,"job_id":"7","job_hash":"0x` + strings.Repeat("ab", 32) + `","provider":"` + me + `","price":"1","expiry":1,"signature":"` + sig() + `"}]}`)
	f.Add(`{"assignments":null}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, body string) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(body)) }))
		defer srv.Close()
		c, _ := client.New(srv.URL, 31337, nil)
		p, _ := gpumarket.ParseAddress(me)
		offers, _, err := c.Pending(context.Background(), p)
		if err != nil {
			return
		}
		for _, o := range offers {
			if o.Assignment.Provider != p || o.Assignment.Price == nil || o.Assignment.Price.Sign() < 0 || len(o.Signature) != 65 || o.Assignment.Expiry <= 0 {
				t.Fatalf("offer passed validation: %+v", o)
			}
		}
	})
}

// FuzzRailOffers: whatever the matcher answers, a listed rail offer is the
// asked provider's, prepaid, with a positive quote id and expiry, a spec
// hash and a 65-byte signature; anything else is an error, never a panic.
func FuzzRailOffers(f *testing.F) {
	f.Add(`{"offers":[{"quote_id":1,"reference":"r","provider":"` + me + `","spec_hash":"0x` + strings.Repeat("ab", 32) + `","payer":"p","expiry":5,"prepaid":true,"signature":"` + sig() + `"}]}`)
	f.Add(`{"offers":[{"quote_id":0,"provider":"` + me + `","prepaid":true}]}`)
	f.Add(`{"offers":null}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, body string) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(body)) }))
		defer srv.Close()
		c, _ := client.New(srv.URL, 31337, nil)
		p, _ := gpumarket.ParseAddress(me)
		offers, err := c.RailOffers(context.Background(), p)
		if err != nil {
			return
		}
		for _, o := range offers {
			if o.Offer.Provider != p || o.Offer.QuoteID <= 0 || o.Offer.Expiry <= 0 || o.Offer.SpecHash == (gpumarket.Hash{}) || len(o.Signature) != 65 {
				t.Fatalf("rail offer passed validation: %+v", o)
			}
		}
	})
}
