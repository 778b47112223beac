package api

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/matcher/service"
)

// The explorer's reads (the web page's explorer, internal/webui): recent
// jobs, a job's timeline and the analyst views. All GET, under the Reads
// rate limit, of this server's chain.

// Windows of the analytics routes.
const (
	DefaultAnalyticsDays = 30
	MaxAnalyticsDays     = 366
	DefaultPriceHours    = 7 * 24
	MaxPriceHours        = 31 * 24
)

// parseWindow parses the query parameter name as an integer in [1, max]
// (def when absent).
func parseWindow(q url.Values, name string, def, max int) (int, error) {
	s := q.Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > max {
		return 0, badRequest("%s: %q is not an integer in [1, %d]", name, echo(s), max)
	}
	return n, nil
}

// ParseJobFilter parses the query of GET /v1/jobs: state, before (a job
// id) and limit. It returns EINVALID errors naming the parameter.
func ParseJobFilter(chainID uint64, q url.Values) (service.JobFilter, error) {
	f := service.JobFilter{ChainID: chainID}
	if err := checkQuery(q, "state", "before", "limit"); err != nil {
		return f, err
	}
	if s := q.Get("state"); s != "" {
		st, err := gpumarket.ParseJobState(s)
		if err != nil {
			return f, badRequest("state: %q is not a job state (open, assigned, submitted, disputed, settled, refunded, cancelled)", echo(s))
		}
		f.State = st.String()
	}
	if s := q.Get("before"); s != "" {
		id, err := gpumarket.ParseJobID(s)
		if err != nil {
			return f, badRequest("before: %q is not a job id", echo(s))
		}
		f.Before, f.HasBefore = id, true
	}
	var err error
	f.Limit, err = parseLimit(q)
	return f, err
}

func (s *Server) getJobs(w http.ResponseWriter, r *http.Request) error {
	f, err := ParseJobFilter(s.cfg.ChainID, r.URL.Query())
	if err != nil {
		return err
	}
	js, err := s.store.Jobs(r.Context(), f)
	if err != nil {
		return err
	}
	var next *string
	if len(js) == f.Limit {
		n := js[len(js)-1].JobID.String()
		next = &n
	}
	writeJSON(w, http.StatusOK, map[string]any{"chain_id": s.cfg.ChainID, "jobs": each(js, jobSummaryOut), "next_before": next})
	return nil
}

// getJobTimeline answers the job's view with every chain event (with its
// transaction) and every offer, in order: what the job page draws.
func (s *Server) getJobTimeline(w http.ResponseWriter, r *http.Request) error {
	chain, id, err := parseJobPath(r)
	if err != nil {
		return err
	}
	v, a, err := s.store.JobWithActivity(r.Context(), chain, id, 0, 0, 0)
	if err != nil {
		return err
	}
	events := make([]chainEventJSON, len(a.Chain))
	for i := range a.Chain {
		events[i] = chainEventOut(&a.Chain[i])
	}
	writeJSON(w, http.StatusOK, map[string]any{"job": jobOut(v), "events": events, "offers": each(a.Offers, offerOut)})
	return nil
}

// daysOf reads the analytics routes' only parameter, days
// (DefaultAnalyticsDays, at most MaxAnalyticsDays); any other is EINVALID.
func daysOf(q url.Values) (int, error) {
	if err := checkQuery(q, "days"); err != nil {
		return 0, err
	}
	return parseWindow(q, "days", DefaultAnalyticsDays, MaxAnalyticsDays)
}

func (s *Server) getVolume(w http.ResponseWriter, r *http.Request) error {
	days, err := daysOf(r.URL.Query())
	if err != nil {
		return err
	}
	rows, err := s.store.VolumeDaily(r.Context(), s.cfg.ChainID, s.now().AddDate(0, 0, -(days-1)))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"chain_id": s.cfg.ChainID, "days": days, "volume": each(rows, volumeOut)})
	return nil
}

func (s *Server) getPriceIndex(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	err := checkQuery(q, "kind", "hours")
	kind := q.Get("kind")
	if err == nil && kind != "" {
		_, err = gpumarket.ParseJobKind(kind)
	}
	hours := 0
	if err == nil {
		hours, err = parseWindow(q, "hours", DefaultPriceHours, MaxPriceHours)
	}
	if err != nil {
		return err
	}
	rows, err := s.store.PriceIndex(r.Context(), s.cfg.ChainID, kind, s.now().Add(-time.Duration(hours)*time.Hour).Truncate(time.Hour))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"chain_id": s.cfg.ChainID, "hours": hours, "prices": each(rows, priceIndexOut)})
	return nil
}

func (s *Server) getFunnel(w http.ResponseWriter, r *http.Request) error {
	days, err := daysOf(r.URL.Query())
	if err != nil {
		return err
	}
	rows, err := s.store.Funnel(r.Context(), s.cfg.ChainID, s.now().AddDate(0, 0, -(days-1)))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"chain_id": s.cfg.ChainID, "days": days, "funnel": each(rows, funnelOut)})
	return nil
}

// jobSummaryJSON is openapi.json's JobSummary.
type jobSummaryJSON struct {
	JobID      string             `json:"job_id"`
	Kind       string             `json:"kind"`
	State      string             `json:"state"`
	Client     gpumarket.Address  `json:"client"`
	Provider   *gpumarket.Address `json:"provider,omitempty"`
	Token      gpumarket.Address  `json:"token"`
	MaxPayment gpumarket.Amount   `json:"max_payment"`
	Price      gpumarket.Amount   `json:"price"`
	CreatedAt  time.Time          `json:"created_at"`
	ClosedAt   *time.Time         `json:"closed_at,omitempty"`
	Finalized  bool               `json:"finalized"`
}

func jobSummaryOut(j service.JobSummary) jobSummaryJSON {
	return jobSummaryJSON{JobID: j.JobID.String(), Kind: j.Kind.String(), State: j.State.String(), Client: j.Client, Provider: j.Provider,
		Token: j.Token, MaxPayment: j.MaxPayment, Price: j.Price, CreatedAt: j.CreatedAt, ClosedAt: j.ClosedAt, Finalized: j.Finalized}
}

// volumeJSON is openapi.json's VolumeDay.
type volumeJSON struct {
	Day               string            `json:"day"`
	Token             gpumarket.Address `json:"token"`
	Kind              string            `json:"kind"`
	JobsCreated       int64             `json:"jobs_created"`
	JobsSettled       int64             `json:"jobs_settled"`
	VolumeLocked      gpumarket.Amount  `json:"volume_locked"`
	VolumePaid        gpumarket.Amount  `json:"volume_paid"`
	VolumeToProviders gpumarket.Amount  `json:"volume_to_providers"`
	CreatorAmounts    gpumarket.Amount  `json:"creator_amounts"`
	ProtocolFees      gpumarket.Amount  `json:"protocol_fees"`
	Finalized         bool              `json:"finalized"`
}

func volumeOut(v service.VolumeDay) volumeJSON {
	return volumeJSON{Day: v.Day.Format(time.DateOnly), Token: v.Token, Kind: v.Kind.String(), JobsCreated: v.JobsCreated, JobsSettled: v.JobsSettled,
		VolumeLocked: v.VolumeLocked, VolumePaid: v.VolumePaid, VolumeToProviders: v.VolumeToProviders, CreatorAmounts: v.CreatorAmounts,
		ProtocolFees: v.ProtocolFees, Finalized: v.Finalized}
}

// priceIndexJSON is openapi.json's PriceIndexHour.
type priceIndexJSON struct {
	Hour            time.Time         `json:"hour"`
	Kind            string            `json:"kind"`
	Token           gpumarket.Address `json:"token"`
	Unit            string            `json:"unit"`
	Jobs            int64             `json:"jobs"`
	Units           string            `json:"units"`
	AmountDue       gpumarket.Amount  `json:"amount_due"`
	PricePerUnit    string            `json:"price_per_unit"`
	MinPricePerUnit string            `json:"min_price_per_unit"`
	MaxPricePerUnit string            `json:"max_price_per_unit"`
	Finalized       bool              `json:"finalized"`
}

func priceIndexOut(p service.PriceIndexHour) priceIndexJSON {
	return priceIndexJSON{Hour: p.Hour, Kind: p.Kind.String(), Token: p.Token, Unit: p.Unit, Jobs: p.Jobs, Units: p.Units, AmountDue: p.AmountDue,
		PricePerUnit: p.PricePerUnit, MinPricePerUnit: p.MinPricePerUnit, MaxPricePerUnit: p.MaxPricePerUnit, Finalized: p.Finalized}
}

// funnelJSON is openapi.json's FunnelDay.
type funnelJSON struct {
	Day        string `json:"day"`
	Kind       string `json:"kind"`
	Created    int64  `json:"created"`
	Assigned   int64  `json:"assigned"`
	Submitted  int64  `json:"submitted"`
	Disputed   int64  `json:"disputed"`
	Settled    int64  `json:"settled"`
	Refunded   int64  `json:"refunded"`
	Cancelled  int64  `json:"cancelled"`
	InProgress int64  `json:"in_progress"`
	Finalized  bool   `json:"finalized"`
}

func funnelOut(f service.FunnelDay) funnelJSON {
	return funnelJSON{Day: f.Day.Format(time.DateOnly), Kind: f.Kind.String(), Created: f.Created, Assigned: f.Assigned, Submitted: f.Submitted,
		Disputed: f.Disputed, Settled: f.Settled, Refunded: f.Refunded, Cancelled: f.Cancelled, InProgress: f.InProgress, Finalized: f.Finalized}
}
