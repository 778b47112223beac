package client_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/matcher/client"
)

// TestOrderStatusChecked: the client refuses answers that are not about
// the order it asked for or that contradict themselves, and keeps the
// API's refusal codes.
func TestOrderStatusChecked(t *testing.T) {
	const who = "0x00000000000000000000000000000000000000c1"
	tests := []struct {
		name, status string
		code         int
		wantCode     string
		wantMsg      string
	}{
		{"mined", `{"order_id":"` + who + `:7","state":"mined","tx_hash":null,"job_id":"12"}`, 200, "", ""},
		{"another order", `{"order_id":"` + who + `:8","state":"pending","tx_hash":null,"job_id":null}`, 200, gpumarket.EINVALID, "answered for order"},
		{"unknown state", `{"order_id":"` + who + `:7","state":"lost","tx_hash":null,"job_id":null}`, 200, gpumarket.EINVALID, "unknown state"},
		{"mined without a job", `{"order_id":"` + who + `:7","state":"mined","tx_hash":null,"job_id":null}`, 200, gpumarket.EINVALID, "without a job id"},
		{"bad job id", `{"order_id":"` + who + `:7","state":"mined","tx_hash":null,"job_id":"x"}`, 200, gpumarket.EINVALID, "job id"},
		{"not found", `{"error":"order was not submitted here"}`, 404, gpumarket.ENOTFOUND, "not submitted here"},
		{"no relay", `{"error":"this matcher does not relay orders"}`, 501, gpumarket.EUNAVAILABLE, "does not relay"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != "/v1/chains/31337/orders/"+who+"/7" {
					http.NotFound(w, r)
					return
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.code)
				_, _ = w.Write([]byte(tt.status))
			}))
			defer srv.Close()
			c, err := client.New(srv.URL, 31337, nil)
			if err != nil {
				t.Fatal(err)
			}
			addr, _ := gpumarket.ParseAddress(who)
			st, err := c.Order(context.Background(), addr, gpumarket.AmountFromUint64(7))
			if tt.wantCode == "" {
				if err != nil || st.State != gpumarket.OrderMined || *st.JobID != "12" {
					t.Fatalf("Order = %+v, %v, want mined as job 12", st, err)
				}
				return
			}
			if gpumarket.ErrorCode(err) != tt.wantCode || !strings.Contains(gpumarket.ErrorMessage(err), tt.wantMsg) {
				t.Fatalf("Order = %v, want %s naming %q", err, tt.wantCode, tt.wantMsg)
			}
		})
	}
}

// TestSubmitOrderValidatesFirst: a malformed order is refused before any request.
func TestSubmitOrderValidatesFirst(t *testing.T) {
	called := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { called = true }))
	defer srv.Close()
	c, err := client.New(srv.URL, 31337, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.SubmitOrder(context.Background(), gpumarket.OrderRequest{Signature: "0x12"})
	if gpumarket.ErrorCode(err) != gpumarket.EINVALID || called {
		t.Fatalf("SubmitOrder(malformed) = %v (request sent: %v), want EINVALID and no request", err, called)
	}
}
