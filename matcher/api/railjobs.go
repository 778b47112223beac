package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gpumarket/gpumarket"
)

// RailJobSummary is one entry of GET /v1/rail/solana/jobs: a job paid on
// the Solana rail with its quote and funding payment. Amounts are decimal
// strings in the mint's base units (lamports when Mint is empty), exact.
type RailJobSummary struct {
	QuoteID      int64   `json:"quote_id"`
	State        string  `json:"state"`
	ChainID      uint64  `json:"chain_id"`
	Provider     string  `json:"provider"`
	Recipient    string  `json:"recipient"`
	Payer        string  `json:"payer"`
	Mint         string  `json:"mint"`
	Decimals     uint8   `json:"decimals"`
	Quoted       string  `json:"quoted"`
	Paid         string  `json:"paid"`
	Excess       string  `json:"excess"`
	Signature    string  `json:"signature"`
	Reference    string  `json:"reference"`
	Cluster      string  `json:"cluster"`
	SpecHash     string  `json:"spec_hash"`
	QuotedAt     string  `json:"quoted_at"`
	FundedAt     string  `json:"funded_at"`
	DispatchedAt *string `json:"dispatched_at"`
	StartedAt    *string `json:"started_at"`
	FinishedAt   *string `json:"finished_at"`
	ResultHash   *string `json:"result_hash"`
	Failure      string  `json:"failure"`
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func rfc3339OrNil(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := rfc3339(*t)
	return &s
}

func railJobSummary(j gpumarket.RailJob, q gpumarket.RailQuote) RailJobSummary {
	out := RailJobSummary{QuoteID: j.QuoteID, State: string(j.State), ChainID: q.ChainID, Provider: q.Provider.String(),
		Recipient: q.Terms.Recipient, Payer: j.Payer, Mint: q.Terms.Mint, Decimals: q.Terms.Decimals, Quoted: q.Terms.Amount.String(),
		Paid: j.Paid.String(), Excess: j.Excess.String(), Signature: j.Signature, Reference: q.Terms.Reference, Cluster: q.Terms.Cluster,
		SpecHash: q.SpecHash.String(), QuotedAt: rfc3339(q.CreatedAt), FundedAt: rfc3339(j.FundedAt),
		DispatchedAt: rfc3339OrNil(j.DispatchedAt), StartedAt: rfc3339OrNil(j.StartedAt), FinishedAt: rfc3339OrNil(j.FinishedAt),
		Failure: j.Failure}
	if j.ResultHash != (gpumarket.Hash{}) {
		h := j.ResultHash.String()
		out.ResultHash = &h
	}
	return out
}

// getRailJobs lists the recent Solana rail jobs, newest first: before (a
// quote id, the previous page's next_before) and limit ([1, MaxLimit],
// DefaultLimit). A matcher without the Solana rail answers enabled: false
// and no jobs.
func (s *Server) getRailJobs(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	if err := checkQuery(q, "before", "limit"); err != nil {
		return err
	}
	var before int64
	if v := q.Get("before"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			return badRequest("before: %q is not a quote id (a positive integer)", echo(v))
		}
		before = n
	}
	limit, err := parseLimit(q)
	if err != nil {
		return err
	}
	if s.cfg.Solana == nil {
		writeJSON(w, http.StatusOK, map[string]any{"rail": gpumarket.RailSolana, "enabled": false, "jobs": []RailJobSummary{}, "next_before": nil})
		return nil
	}
	jobs, quotes, err := s.cfg.Solana.Rail.Jobs(r.Context(), before, limit)
	if err != nil {
		return err
	}
	out := make([]RailJobSummary, len(jobs))
	for i := range jobs {
		out[i] = railJobSummary(jobs[i], quotes[i])
	}
	var next *int64
	if len(jobs) == limit {
		n := jobs[len(jobs)-1].QuoteID
		next = &n
	}
	writeJSON(w, http.StatusOK, map[string]any{"rail": gpumarket.RailSolana, "enabled": true, "jobs": out, "next_before": next})
	return nil
}
