package api_test

import (
	"context"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/matcher"
	"github.com/gpumarket/gpumarket/matcher/api"
	"github.com/gpumarket/gpumarket/matcher/matchertest"
)

// fakeRelay records what reaches it and answers with a fixed status.
type fakeRelay struct {
	got []*gpumarket.OrderRequest
	err error
}

func (f *fakeRelay) SubmitOrder(_ context.Context, req *gpumarket.OrderRequest) (gpumarket.OrderStatus, error) {
	f.got = append(f.got, req)
	if f.err != nil {
		return gpumarket.OrderStatus{}, f.err
	}
	h := gpumarket.Hash{0x11}
	return gpumarket.OrderStatus{OrderID: req.OrderID(), State: gpumarket.OrderPending, TxHash: &h}, nil
}

func (f *fakeRelay) Order(_ context.Context, c gpumarket.Address, n gpumarket.Amount) (gpumarket.OrderStatus, error) {
	id := "12"
	return gpumarket.OrderStatus{OrderID: gpumarket.OrderID(c, n), State: gpumarket.OrderMined, JobID: &id}, nil
}

const validOrder = `{"params":{"kind":"llm","token":"0x00000000000000000000000000000000000000a1","max_payment":"5000000","deadline":1900000000,` +
	`"preferred_provider":"0x0000000000000000000000000000000000000000","creator":"0x0000000000000000000000000000000000000000","creator_share_bps":0,` +
	`"spec_hash":"0xab00000000000000000000000000000000000000000000000000000000000000","spec_uri":"https://specs.example/ab"},` +
	`"auth":{"client":"0x00000000000000000000000000000000000000c1","nonce":"7","deadline":1800000000},` +
	`"signature":"0x` + "11111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111" + `1b","permit":null}`

func orderServer(t *testing.T, relay api.OrderRelay) *httptest.Server {
	t.Helper()
	verifier, err := eip712.NewRegistryVerifier(matchertest.Chain, matchertest.Addr(1))
	if err != nil {
		t.Fatal(err)
	}
	srv, err := api.New(api.Config{ChainID: matchertest.Chain, Params: matcher.DefaultParams(),
		Quote: matcher.QuoteParams{MinimumPrice: big.NewInt(1000), ProtocolFeeBps: 250}, Liveness: matcher.DefaultLivenessParams(),
		Orders: relay}, nil, verifier, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts
}

// TestOrderRoutes pins the wire format of /v1/orders and checks that bad
// bodies never reach the relay.
func TestOrderRoutes(t *testing.T) {
	relay := &fakeRelay{}
	ts := orderServer(t, relay)
	tests := []struct {
		name, method, path, body string
		wantStatus               int
		wantBody                 string
		reachesRelay             bool
	}{
		{"valid order", "POST", "/v1/orders", validOrder, 202,
			`{"order_id":"0x00000000000000000000000000000000000000c1:7","state":"pending","tx_hash":"0x1100000000000000000000000000000000000000000000000000000000000000","job_id":null}`, true},
		{"status", "GET", "/v1/orders/0x00000000000000000000000000000000000000c1/7", "", 200,
			`{"order_id":"0x00000000000000000000000000000000000000c1:7","state":"mined","tx_hash":null,"job_id":"12"}`, false},
		{"unknown field", "POST", "/v1/orders", strings.Replace(validOrder, `"permit":null`, `"permit":null,"chain_id":1`, 1), 400, `unknown field \"chain_id\"`, false},
		{"nonce as a number", "POST", "/v1/orders", strings.Replace(validOrder, `"nonce":"7"`, `"nonce":7`, 1), 400, "amount", false},
		{"short signature", "POST", "/v1/orders", strings.Replace(validOrder, `1b","permit"`, `","permit"`, 1), 400, "signature is not 0x followed by 130 hex digits", false},
		{"zero max payment", "POST", "/v1/orders", strings.Replace(validOrder, `"5000000"`, `"0"`, 1), 400, "params.max_payment is zero", false},
		{"unknown kind", "POST", "/v1/orders", strings.Replace(validOrder, `"llm"`, `"video"`, 1), 400, "video", false},
		{"too large", "POST", "/v1/orders", strings.Replace(validOrder, `"https://specs.example/ab"`, `"`+strings.Repeat("a", gpumarket.MaxOrderRequestBytes)+`"`, 1), 413, "larger than", false},
		{"bad client in path", "GET", "/v1/orders/0x12/7", "", 400, "", false},
		{"bad nonce in path", "GET", "/v1/orders/0x00000000000000000000000000000000000000c1/-1", "", 400, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(relay.got)
			req, _ := http.NewRequest(tt.method, ts.URL+tt.path, strings.NewReader(tt.body))
			if tt.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			res, err := ts.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != tt.wantStatus || !strings.Contains(string(b), tt.wantBody) {
				t.Fatalf("%s %s = %d %s, want %d containing %s", tt.method, tt.path, res.StatusCode, b, tt.wantStatus, tt.wantBody)
			}
			if reached := len(relay.got) > before; reached != tt.reachesRelay {
				t.Fatalf("reached the relay: %v, want %v", reached, tt.reachesRelay)
			}
		})
	}
	// The relay's refusals keep their codes.
	relay.err = gpumarket.Errorf(gpumarket.ECONFLICT, "nonce used")
	res, err := http.Post(ts.URL+"/v1/orders", "application/json", strings.NewReader(validOrder))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("POST with the relay refusing = %d, want 409", res.StatusCode)
	}
}
