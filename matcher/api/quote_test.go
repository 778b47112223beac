package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/matcher"
	"github.com/gpumarket/gpumarket/matcher/api"
	"github.com/gpumarket/gpumarket/matcher/matchertest"
	"github.com/gpumarket/gpumarket/matcher/service"
)

// countingStore counts the attestation documents the API loads.
type countingStore struct {
	api.Store
	docs    atomic.Int64
	queries atomic.Int64
}

func (s *countingStore) QuoteCandidates(ctx context.Context, f service.QuoteFilter) ([]service.CandidateRow, error) {
	s.queries.Add(1)
	return s.Store.QuoteCandidates(ctx, f)
}

func (s *countingStore) AttestationDocuments(ctx context.Context, chainID uint64, hs []gpumarket.Hash) (map[gpumarket.Hash][]byte, error) {
	s.docs.Add(int64(len(hs)))
	return s.Store.AttestationDocuments(ctx, chainID, hs)
}

// TestQuoteFiltersInSQLAndCaches checks that a quote lists exactly the
// providers the matcher's full check accepts among every stored candidate
// (the SQL filter drops none it should keep), that it loads only the
// documents of the providers the filter selects, and none once they are
// cached (or when the queue's cache already holds them).
func TestQuoteFiltersInSQLAndCaches(t *testing.T) {
	e := matchertest.New(t)
	e.Online(matchertest.ProvOpts{Price: 1000, Model: "llama-3-8b"})
	e.Online(matchertest.ProvOpts{Price: 1500, Model: "llama-3-8b", VRAM: 81920})
	e.Online(matchertest.ProvOpts{Price: 900, Model: "mistral-7b"})              // another model
	e.Online(matchertest.ProvOpts{Price: 900, Model: "llama-3-8b", VRAM: 8192})  // too little VRAM
	e.Online(matchertest.ProvOpts{Price: 900, Model: "llama-3-8b", Stake: "1"})  // stake below the minimum
	offline := e.Register(matchertest.ProvOpts{Price: 800, Model: "llama-3-8b"}) // attested, no heartbeat
	if code, body := e.Do("POST", "/v1/attestations", e.AttestBody(offline, matchertest.Chain)); code != 200 {
		t.Fatalf("attest: %d %s", code, body)
	}
	gone := e.Online(matchertest.ProvOpts{Price: 700, Model: "llama-3-8b"})
	e.Exec(`UPDATE providers SET active = false WHERE provider = $1`, gone.Addr[:])
	now := e.Clock.Now()
	k := matcher.RateKey{Kind: gpumarket.JobKindLLM, Unit: gpumarket.UnitKTokens, Class: matcher.ClassOf(16000)}
	if err := e.Maint.SaveSnapshots(e.Ctx, []service.Snapshot{{ChainID: matchertest.Chain, Token: e.Token, ComputedAt: now,
		Rate: &matcher.Rate{Key: k, Fair: big.NewInt(1000), Low: big.NewInt(900), High: big.NewInt(1100)}}}); err != nil {
		t.Fatal(err)
	}

	// What the matcher's filters accept among every stored provider.
	spec := matchertest.SpecBody("llama-3-8b", 4000)
	sp, err := gpumarket.DecodeJobSpec(strings.NewReader(string(spec)))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := e.Queue.Candidates(e.Ctx, matchertest.Chain, true)
	if err != nil {
		t.Fatal(err)
	}
	params := matcher.DefaultParams()
	req := &matcher.Request{Job: &gpumarket.Job{Kind: sp.Kind, Token: e.Token, MaxPayment: gpumarket.MaxUint256}, Spec: sp}
	var want []string
	for _, r := range rows {
		if rej, _ := matcher.Check(req, r.Candidate(nil, now, 0), &params, now); rej.Reason == matcher.Eligible {
			want = append(want, r.Provider.String())
		}
	}
	if len(want) != 2 || len(rows) != 7 {
		t.Fatalf("fixture: %d of %d providers eligible, want 2 of 7", len(want), len(rows))
	}

	verifier, err := eip712.NewRegistryVerifier(matchertest.Chain, e.Registry)
	if err != nil {
		t.Fatal(err)
	}
	newServer := func(cache *service.AttestationCache, ttl time.Duration) (http.Handler, *countingStore) {
		store := &countingStore{Store: e.APIStore}
		srv, err := api.New(api.Config{ChainID: matchertest.Chain, Params: params,
			Quote:    matcher.QuoteParams{MinimumPrice: big.NewInt(1000), ProtocolFeeBps: 250},
			Liveness: matcher.DefaultLivenessParams(), Attestations: cache, QuoteRowsTTL: ttl}, store, verifier, e.Log, e.Clock.Now)
		if err != nil {
			t.Fatal(err)
		}
		return srv.Handler(), store
	}
	body := fmt.Sprintf(`{"spec":%s,"token":"%s"}`, spec, e.Token)
	quote := func(h http.Handler) []string {
		t.Helper()
		r := httptest.NewRequest("POST", "/v1/quote", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 200 {
			t.Fatalf("quote: %d %s", w.Code, w.Body)
		}
		var q struct {
			Qualifying []struct {
				Provider string `json:"provider"`
			} `json:"qualifying"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &q); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range q.Qualifying {
			got = append(got, p.Provider)
		}
		slices.Sort(got)
		return got
	}

	h, store := newServer(nil, -1)
	if got := quote(h); !slices.Equal(got, want) {
		t.Errorf("qualifying = %v, want %v", got, want)
	}
	if n := store.docs.Load(); n != 2 {
		t.Errorf("first quote loaded %d documents, want 2 (only the providers the SQL filter selects)", n)
	}
	if got := quote(h); !slices.Equal(got, want) {
		t.Errorf("second quote qualifying = %v, want %v", got, want)
	}
	if n := store.docs.Load(); n != 2 {
		t.Errorf("after a second quote %d documents loaded, want still 2 (cached)", n)
	}
	if n := store.queries.Load(); n != 2 {
		t.Errorf("quotes without a row TTL queried %d times, want 2", n)
	}

	// With a row TTL, a quote of the same filter reuses the rows; another
	// model queries.
	h, store = newServer(nil, time.Hour)
	quote(h)
	quote(h)
	if n := store.queries.Load(); n != 1 {
		t.Errorf("two quotes within the row TTL queried %d times, want 1", n)
	}
	other := strings.NewReader(fmt.Sprintf(`{"spec":%s,"token":"%s"}`, matchertest.SpecBody("mistral-7b", 4000), e.Token))
	r := httptest.NewRequest("POST", "/v1/quote", other)
	r.Header.Set("Content-Type", "application/json")
	h.ServeHTTP(httptest.NewRecorder(), r)
	if n := store.queries.Load(); n != 2 {
		t.Errorf("a quote of another model queried %d times in all, want 2", n)
	}

	// The queue's cache, shared: a quote after a load decodes nothing.
	shared := service.NewAttestationCache(0)
	s := e.NewService("q", func(c *service.Config) { c.Attestations = shared })
	e.AddJob(1, e.UploadSpec(spec), "ipfs://x", "1000000", nil)
	if err := e.Queue.Sync(e.Ctx, matchertest.Chain, time.Time{}, now); err != nil {
		t.Fatal(err)
	}
	matchertest.Drain(t, e.Ctx, s)
	if shared.Len() != 7 {
		t.Errorf("shared cache holds %d attestations after a load, want 7", shared.Len())
	}
	h, store = newServer(shared, 0)
	quote(h)
	if n := store.docs.Load(); n != 0 {
		t.Errorf("quote over the queue's cache loaded %d documents, want 0", n)
	}
}
