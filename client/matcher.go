package client

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"time"

	matcherclient "github.com/gpumarket/gpumarket/matcher/client"

	"github.com/gpumarket/gpumarket"
)

// maxMatcherResponse bounds what the client reads from the matcher.
const maxMatcherResponse = 4 << 20

// matcherAPI is the client's side of the matcher's read endpoints that
// matcher/client (the provider's side) does not cover: POST /v1/quote,
// GET /v1/jobs/{chainId}/{jobId} and GET /v1/providers. Responses are
// decoded leniently (new fields are ignored): the server's output may grow.
type matcherAPI struct {
	base    string
	chainID uint64 // quotes and provider listings use /v1/chains/{chainID}/...
	http    *http.Client
}

func (a *matcherAPI) do(ctx context.Context, method, path string, body []byte, out any) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, rd)
	if err != nil {
		return gpumarket.Errorf(gpumarket.EINVALID, "build request: %v", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := a.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return gpumarket.Errorf(gpumarket.EUNAVAILABLE, "matcher unreachable: %v", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxMatcherResponse+1))
	if err != nil {
		return gpumarket.Errorf(gpumarket.EUNAVAILABLE, "read matcher response: %v", err)
	}
	if len(b) > maxMatcherResponse {
		return gpumarket.Errorf(gpumarket.EINVALID, "matcher response is larger than %d bytes", maxMatcherResponse)
	}
	if resp.StatusCode/100 != 2 {
		return matcherclient.ResponseError(resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, out); err != nil {
		return gpumarket.Errorf(gpumarket.EINVALID, "matcher %s %s: malformed response: %v", method, path, err)
	}
	return nil
}

// Quote is the matcher's price estimate of a spec (POST /v1/quote), in the
// token's base units.
type Quote struct {
	Total      *big.Int // what the matcher suggests as max price (at least the cheapest qualifying provider's cost)
	BandLow    *big.Int // the market band's ends for this spec
	BandHigh   *big.Int
	Qualifying []QualifiedProvider // providers that would take it now, cheapest first
}

// QualifiedProvider is a provider that would take the job, at its cost.
type QualifiedProvider struct {
	Provider gpumarket.Address
	Cost     *big.Int
}

type quoteJSON struct {
	Total      gpumarket.Amount `json:"total"`
	BandLow    gpumarket.Amount `json:"band_low"`
	BandHigh   gpumarket.Amount `json:"band_high"`
	Qualifying []struct {
		Provider gpumarket.Address `json:"provider"`
		Cost     gpumarket.Amount  `json:"cost"`
	} `json:"qualifying"`
}

func (a *matcherAPI) quote(ctx context.Context, spec []byte, token gpumarket.Address) (*Quote, error) {
	body, err := json.Marshal(map[string]any{"spec": json.RawMessage(spec), "token": token})
	if err != nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "quote: encode request: %v", err)
	}
	var q quoteJSON
	if err := a.do(ctx, http.MethodPost, fmt.Sprintf("/v1/chains/%d/quote", a.chainID), body, &q); err != nil {
		return nil, fmt.Errorf("quote: %w", err)
	}
	out := &Quote{Total: q.Total.Big(), BandLow: q.BandLow.Big(), BandHigh: q.BandHigh.Big()}
	for _, p := range q.Qualifying {
		out.Qualifying = append(out.Qualifying, QualifiedProvider{Provider: p.Provider, Cost: p.Cost.Big()})
	}
	return out, nil
}

// JobView is what the matcher says about a job (GET /v1/jobs/{chainId}/{jobId}):
// its matching status and, when it has none yet, the reason in words.
type JobView struct {
	State    string `json:"-"`
	Matching *struct {
		Status   string    `json:"status"`
		Reason   string    `json:"reason"`
		Attempts int       `json:"attempts"`
		Updated  time.Time `json:"updated_at"`
	} `json:"matching"`
	Chain struct {
		State string `json:"state"`
	} `json:"chain"`
}

func (a *matcherAPI) job(ctx context.Context, chainID uint64, id gpumarket.JobID) (*JobView, error) {
	var v JobView
	if err := a.do(ctx, http.MethodGet, fmt.Sprintf("/v1/jobs/%d/%d", chainID, id), nil, &v); err != nil {
		return nil, fmt.Errorf("job view %d: %w", id, err)
	}
	v.State = v.Chain.State
	return &v, nil
}

// providerJSON is the part of GET /v1/providers the client reads.
type providerJSON struct {
	Provider gpumarket.Address `json:"provider"`
	Status   string            `json:"status"`
	Models   []string          `json:"models"`
}

func (a *matcherAPI) providers(ctx context.Context, kind gpumarket.JobKind, model string) ([]providerJSON, error) {
	q := url.Values{"capability": {kind.String()}}
	if model != "" {
		q.Set("model", model)
	}
	var out struct {
		Providers []providerJSON `json:"providers"`
	}
	if err := a.do(ctx, http.MethodGet, fmt.Sprintf("/v1/chains/%d/providers?", a.chainID)+q.Encode(), nil, &out); err != nil {
		return nil, fmt.Errorf("providers: %w", err)
	}
	return out.Providers, nil
}
