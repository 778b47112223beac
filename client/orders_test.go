package client_test

import (
	"context"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/client"
	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	matcherclient "github.com/gpumarket/gpumarket/matcher/client"
)

// TestMatcherOrdersWaitsUntilMined: the relay posts the order in the
// matcher's wire format, polls its status while pending, and returns the
// job id and transaction once mined; a failed order is an error with the
// relay's reason.
func TestMatcherOrdersWaitsUntilMined(t *testing.T) {
	const who = "0x00000000000000000000000000000000000000c1"
	const tx = "0x" + "ab" + "00000000000000000000000000000000000000000000000000000000000000"
	for _, tt := range []struct {
		name, final, wantErr string
		wantJob              gpumarket.JobID
	}{
		{"mined", `{"order_id":"` + who + `:7","state":"mined","tx_hash":"` + tx + `","job_id":"12"}`, "", 12},
		{"failed", `{"order_id":"` + who + `:7","state":"failed","tx_hash":"` + tx + `","job_id":null,"error":"reverted: ERC20InsufficientBalance"}`, "ERC20InsufficientBalance", 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var polls atomic.Int32
			var posted map[string]any
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				switch {
				case r.Method == http.MethodPost && r.URL.Path == "/v1/chains/31337/orders":
					_ = json.NewDecoder(r.Body).Decode(&posted)
					w.WriteHeader(http.StatusAccepted)
					_, _ = w.Write([]byte(`{"order_id":"` + who + `:7","state":"pending","tx_hash":null,"job_id":null}`))
				case r.Method == http.MethodGet && r.URL.Path == "/v1/chains/31337/orders/"+who+"/7":
					if polls.Add(1) < 3 {
						_, _ = w.Write([]byte(`{"order_id":"` + who + `:7","state":"pending","tx_hash":"` + tx + `","job_id":null}`))
						return
					}
					_, _ = w.Write([]byte(tt.final))
				default:
					http.NotFound(w, r)
				}
			}))
			defer srv.Close()
			mc, err := matcherclient.New(srv.URL, 31337, nil)
			if err != nil {
				t.Fatal(err)
			}
			addr, _ := gpumarket.ParseAddress(who)
			sig := make([]byte, 65)
			sig[0], sig[32], sig[64] = 1, 1, 27
			o := client.SignedOrder{Signature: sig, Order: eip712.JobOrder{
				Params: eip712.JobParams{Kind: gpumarket.JobKindLLM, Token: addr, MaxPayment: big.NewInt(5_000_000),
					Deadline: uint64(time.Now().Add(time.Hour).Unix()), SpecHash: gpumarket.Hash{1}, SpecURI: "https://m/v1/specs/0x01"},
				Auth: eip712.OrderAuth{Client: addr, Nonce: big.NewInt(7), Expiry: uint64(time.Now().Add(time.Hour).Unix())}}}
			id, hash, err := (&client.MatcherOrders{Matcher: mc, Poll: time.Millisecond}).SubmitOrder(context.Background(), o)
			if tt.wantErr != "" {
				if gpumarket.ErrorCode(err) != gpumarket.EINVALID || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("SubmitOrder = %v, want EINVALID naming %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || id != tt.wantJob || hash.String() != tx {
				t.Fatalf("SubmitOrder = %d, %s, %v; want job %d in %s", id, hash, err, tt.wantJob, tx)
			}
			if polls.Load() != 3 {
				t.Errorf("polled %d times, want 3 (two pending answers, then mined)", polls.Load())
			}
			auth, _ := posted["auth"].(map[string]any)
			if auth["client"] != who || auth["nonce"] != "7" {
				t.Errorf("posted auth %v, want client %s and nonce \"7\"", auth, who)
			}
		})
	}
}
