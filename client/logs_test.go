package client_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/client"
	"github.com/gpumarket/gpumarket/internal/eth/ethtest"
)

// rangeLimit forwards JSON-RPC to anvil and refuses an eth_getLogs wider
// than max blocks (or without a toBlock) the way hosted nodes do, in one of
// three styles: a suggested range (Infura, Alchemy), a stated maximum, or
// no numbers at all. It records the width of every range it served.
type rangeLimit struct {
	target string
	max    uint64
	style  string // "suggest", "max" or "plain"

	mu      sync.Mutex
	served  []uint64
	refused int
}

func (p *rangeLimit) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var req struct {
		Method string            `json:"method"`
		Params []json.RawMessage `json:"params"`
		ID     json.RawMessage   `json:"id"`
	}
	_ = json.Unmarshal(body, &req)
	if req.Method == "eth_getLogs" && len(req.Params) == 1 {
		var f struct {
			From string `json:"fromBlock"`
			To   string `json:"toBlock"`
		}
		_ = json.Unmarshal(req.Params[0], &f)
		from, ferr := strconv.ParseUint(strings.TrimPrefix(f.From, "0x"), 16, 64)
		to, terr := strconv.ParseUint(strings.TrimPrefix(f.To, "0x"), 16, 64)
		p.mu.Lock()
		if ferr != nil || terr != nil || to < from || to-from+1 > p.max {
			p.refused++
			p.mu.Unlock()
			msg := "block range is too wide"
			switch p.style {
			case "suggest":
				msg = fmt.Sprintf("query returned more than 10000 results. Try with this block range [0x%x, 0x%x].", from, from+p.max-1)
			case "max":
				msg = fmt.Sprintf("eth_getLogs is limited to a %d block range", p.max)
			}
			fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%s,"error":{"code":-32005,"message":%q}}`, req.ID, msg)
			return
		}
		p.served = append(p.served, to-from+1)
		p.mu.Unlock()
	}
	resp, err := http.Post(p.target, "application/json", bytes.NewReader(body))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
}

// TestListAndStatusSplitLogRanges: through a node that serves at most 3
// blocks per eth_getLogs, List and Status read every job from the
// deployment block to the head in ranges no wider than the node allows
// (narrowing from a suggested range, a stated maximum or a bare refusal)
// and find what a direct read finds.
func TestListAndStatusSplitLogRanges(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s := ethtest.DeploySystem(t, ethtest.SystemConfig{})
	path := filepath.Join(t.TempDir(), "deployment.json")
	if err := s.WriteDeploymentFile(path); err != nil {
		t.Fatal(err)
	}
	d, err := gpumarket.LoadDeployment(path)
	if err != nil {
		t.Fatal(err)
	}
	matcherURL := stubMatcher(t).URL
	direct, err := client.Dial(ctx, client.Config{MatcherURL: matcherURL, RPCURL: s.URL, Deployment: d, Key: s.Key(2)})
	if err != nil {
		t.Fatal(err)
	}
	defer direct.Close()
	usdt, err := direct.Token(ctx, "usdt")
	if err != nil {
		t.Fatal(err)
	}
	max, _ := usdt.Parse("0.25")
	var ids []gpumarket.JobID
	for i := range 3 {
		spec, err := direct.BuildSpec(ctx, client.SpecRequest{Kind: gpumarket.JobKindLLM, Model: "m", Params: map[string]any{"prompt": fmt.Sprint("job ", i)}})
		if err != nil {
			t.Fatal(err)
		}
		sub, err := direct.Submit(ctx, client.SubmitRequest{Spec: spec, Token: usdt, MaxPrice: max, Funding: client.FundApprove})
		if err != nil {
			t.Fatalf("Submit %d: %v", i, err)
		}
		ids = append(ids, sub.JobID)
	}
	if _, err := direct.Cancel(ctx, ids[1]); err != nil {
		t.Fatal(err)
	}
	want, err := direct.List(ctx, gpumarket.Address{})
	if err != nil || len(want) != 3 {
		t.Fatalf("List directly = %d jobs, %v; want 3", len(want), err)
	}
	head, err := s.Client.HeaderByNumber(ctx, nil)
	if err != nil || head.Number.Uint64() < d.DeployBlock+10 {
		t.Fatalf("head %v: want at least 10 blocks after the deployment block %d for the ranges to matter", head, d.DeployBlock)
	}

	for _, style := range []string{"suggest", "max", "plain"} {
		t.Run(style, func(t *testing.T) {
			p := &rangeLimit{target: s.URL, max: 3, style: style}
			srv := httptest.NewServer(p)
			defer srv.Close()
			c, err := client.Dial(ctx, client.Config{MatcherURL: matcherURL, RPCURL: srv.URL, Deployment: d, Key: s.Key(2), MaxLogRange: 1000})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			got, err := c.List(ctx, gpumarket.Address{})
			if err != nil {
				t.Fatalf("List through a 3-block node = %v", err)
			}
			if len(got) != len(want) {
				t.Fatalf("List = %d jobs, want %d", len(got), len(want))
			}
			for i := range got {
				if got[i].ID != want[i].ID || got[i].State != want[i].State || got[i].MaxPayment.Cmp(want[i].MaxPayment) != 0 {
					t.Errorf("List[%d] = job %d %s max %s, want job %d %s max %s", i, got[i].ID, got[i].State, got[i].MaxPayment, want[i].ID, want[i].State, want[i].MaxPayment)
				}
			}
			st, err := c.Status(ctx, ids[1])
			if err != nil || st.State() != gpumarket.JobStateCancelled {
				t.Fatalf("Status(job %d) = %+v, %v; want cancelled", ids[1], st, err)
			}
			p.mu.Lock()
			defer p.mu.Unlock()
			if p.refused == 0 || len(p.served) == 0 {
				t.Fatalf("the node refused %d ranges and served %d: want both", p.refused, len(p.served))
			}
			for _, w := range p.served {
				if w > 3 {
					t.Fatalf("a served range was %d blocks wide, over the node's 3", w)
				}
			}
		})
	}

	// A node that refuses even one block is an EUNAVAILABLE error.
	p := &rangeLimit{target: s.URL, max: 0, style: "plain"}
	srv := httptest.NewServer(p)
	defer srv.Close()
	c, err := client.Dial(ctx, client.Config{MatcherURL: matcherURL, RPCURL: srv.URL, Deployment: d, Key: s.Key(2)})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.List(ctx, gpumarket.Address{}); gpumarket.ErrorCode(err) != gpumarket.EUNAVAILABLE {
		t.Fatalf("List through a node that serves no range = %v, want EUNAVAILABLE", err)
	}
}
