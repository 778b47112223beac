package api

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/httpserve"
	"github.com/gpumarket/gpumarket/matcher"
	"github.com/gpumarket/gpumarket/matcher/service"
)

func (s *Server) getOpenAPI(w http.ResponseWriter, _ *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(OpenAPI)
	return nil
}

// callerOf returns the client a request is charged to (the spec quota's
// key): httpserve.ClientKey, the client's IPv4 address or IPv6 /64 (behind
// a trusted proxy, the address it forwarded for), at most 64 bytes.
func callerOf(r *http.Request) string {
	return cut(cmp.Or(httpserve.ClientKey(r), "unknown"), 64)
}

func (s *Server) postSpec(w http.ResponseWriter, r *http.Request) error {
	if err := checkQuery(r.URL.Query()); err != nil {
		return err
	}
	b, err := readBody(w, r, gpumarket.MaxJobSpecBytes)
	if err != nil {
		return err
	}
	sp, err := gpumarket.DecodeJobSpec(bytes.NewReader(b))
	if err != nil {
		return err
	}
	h := service.SpecHash(b)
	err = s.store.StoreUpload(r.Context(), service.SpecRecord{Hash: h, Body: b, Source: "upload", Spec: sp},
		service.SpecUpload{Caller: callerOf(r), Quota: s.cfg.SpecQuota, Now: s.now()})
	if qe, ok := errors.AsType[*service.SpecQuotaError](err); ok {
		if qe.RetryAfter == 0 { // it can never fit
			return &httpError{status: http.StatusRequestEntityTooLarge, msg: qe.Error()}
		}
		return &httpError{status: http.StatusTooManyRequests, msg: qe.Error(), retryAfter: qe.RetryAfter}
	}
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]any{"spec_hash": h, "size_bytes": len(b)})
	return nil
}

// getSpec serves a stored spec document byte for byte, so that a provider can
// check it against the job's on-chain spec hash before running it. A spec
// the matcher rejected is a 422 with the recorded reason.
func (s *Server) getSpec(w http.ResponseWriter, r *http.Request) error {
	err := checkQuery(r.URL.Query())
	var h gpumarket.Hash
	if err == nil {
		h, err = gpumarket.ParseHash(r.PathValue("hash"))
	}
	if err != nil {
		return err
	}
	body, valid, reason, err := s.store.Spec(r.Context(), h)
	if err != nil {
		return err
	}
	if !valid {
		return &httpError{status: http.StatusUnprocessableEntity, msg: fmt.Sprintf("spec %s was rejected: %s", h, reason)}
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(body)
	return nil
}

func (s *Server) postAttestation(w http.ResponseWriter, r *http.Request) error {
	req, att, sig, err := readSigned[AttestationRequest](s, w, r, gpumarket.MaxAttestationBytes+1024, gpumarket.DecodeAttestation)
	if err != nil {
		return err
	}
	ctx := r.Context()
	reg, err := s.store.Registration(ctx, s.cfg.ChainID, att.Provider)
	if err != nil {
		return err
	}
	if !reg.Registered || reg.Signer.IsZero() {
		return gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "provider %s has no registered signer", att.Provider)
	}
	if reg.Commitment.IsZero() {
		return gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "provider %s has no attestation commitment on-chain: register its hash first", att.Provider)
	}
	now := s.now()
	fp, err := s.verifier.AcceptAttestation(att, sig, reg.Signer, reg.Commitment, now.Unix())
	if err != nil {
		return err
	}
	commit, err := s.verifier.AttestationHash(att)
	if err != nil {
		return err
	}
	flagged, err := s.store.SaveAttestation(ctx, service.AttestationRecord{ChainID: s.cfg.ChainID, Attestation: att, Document: req.Attestation,
		Commitment: commit, Signature: sig, Signer: reg.Signer, Fingerprint: fp}, now)
	if err != nil {
		return err
	}
	if len(flagged) > 0 {
		s.log.Warn("hardware fingerprint shared", "provider", att.Provider, "fingerprint", fp, "holders", len(flagged))
	}
	writeJSON(w, http.StatusOK, map[string]any{"provider": att.Provider, "commitment": commit, "fingerprint": fp,
		"fingerprint_flagged": len(flagged) > 0, "flagged_providers": nonNil(flagged)})
	return nil
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (s *Server) postHeartbeat(w http.ResponseWriter, r *http.Request) error {
	_, h, sig, err := readSigned[HeartbeatRequest](s, w, r, gpumarket.MaxHeartbeatBytes+512, gpumarket.DecodeHeartbeat)
	if err != nil {
		return err
	}
	ctx := r.Context()
	reg, err := s.store.Registration(ctx, s.cfg.ChainID, h.Provider)
	if err != nil {
		return err
	}
	if err := s.verifier.VerifyHeartbeat(h, sig, reg.Signer); err != nil {
		return err
	}
	now := s.now()
	sent := time.Unix(h.Timestamp, 0)
	switch {
	case now.Sub(sent) > s.cfg.Liveness.MaxAge:
		return gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "heartbeat timestamp %d is stale: older than %v", h.Timestamp, s.cfg.Liveness.MaxAge)
	case sent.Sub(now) > s.cfg.Liveness.MaxSkew:
		return gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "heartbeat timestamp %d is more than %v in the future", h.Timestamp, s.cfg.Liveness.MaxSkew)
	}
	st, err := s.store.SaveHeartbeat(ctx, service.HeartbeatRecord{ChainID: s.cfg.ChainID, Heartbeat: h, Signature: sig}, now)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"provider": h.Provider, "sequence": h.Sequence, "status": st})
	return nil
}

func (s *Server) getAssignments(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	err := checkQuery(q, "limit")
	var p gpumarket.Address
	if err == nil {
		p, err = gpumarket.ParseAddress(r.PathValue("addr"))
	}
	limit := 0
	if err == nil {
		limit, err = parseLimit(q)
	}
	if err != nil {
		return err
	}
	as, err := s.store.PendingAssignments(r.Context(), s.cfg.ChainID, p, s.now(), limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"assignments": each(as, assignmentOut)})
	return nil
}

func (s *Server) getJob(w http.ResponseWriter, r *http.Request) error {
	err := checkQuery(r.URL.Query())
	var chain uint64
	if err == nil {
		chain, err = strconv.ParseUint(r.PathValue("chainId"), 10, 64)
		if err != nil || chain == 0 {
			err = badRequest("chain id %q is not a positive decimal integer", echo(r.PathValue("chainId")))
		}
	}
	var id gpumarket.JobID
	if err == nil {
		id, err = gpumarket.ParseJobID(r.PathValue("jobId"))
	}
	if err != nil {
		return err
	}
	v, err := s.store.Job(r.Context(), chain, id)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, jobOut(v))
	return nil
}

func (s *Server) getProviders(w http.ResponseWriter, r *http.Request) error {
	f, err := ParseProviderFilter(s.cfg.ChainID, r.URL.Query())
	if err != nil {
		return err
	}
	ps, err := s.store.Providers(r.Context(), f)
	if err != nil {
		return err
	}
	var next *gpumarket.Address
	if len(ps) == f.Limit {
		next = &ps[len(ps)-1].Provider
	}
	writeJSON(w, http.StatusOK, map[string]any{"providers": each(ps, providerOut), "next_after": next})
	return nil
}

func (s *Server) getRates(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	err := checkQuery(q, "kind")
	kind := q.Get("kind")
	if err == nil && kind != "" {
		_, err = gpumarket.ParseJobKind(kind)
	}
	if err != nil {
		return err
	}
	rs, err := s.store.LatestRates(r.Context(), s.cfg.ChainID, kind)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"rates": each(rs, rateOut)})
	return nil
}

func (s *Server) getHistory(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	err := checkQuery(q, "kind", "unit", "class", "limit")
	var k gpumarket.JobKind
	if err == nil {
		k, err = gpumarket.ParseJobKind(q.Get("kind"))
	}
	unit := gpumarket.PriceUnit(q.Get("unit"))
	if err == nil && (!unit.Valid() || unit.Kind() != k) {
		err = badRequest("unit: %q is not a unit of %v (want one of %v)", echo(string(unit)), k, k.Units())
	}
	class := matcher.GPUClass(q.Get("class"))
	if err == nil {
		ok := false
		for _, c := range matcher.Classes {
			ok = ok || c == class
		}
		if !ok {
			err = badRequest("class: %q is not one of %v", echo(string(class)), matcher.Classes)
		}
	}
	limit := 0
	if err == nil {
		limit, err = parseLimit(q)
	}
	if err != nil {
		return err
	}
	rs, err := s.store.RateHistory(r.Context(), s.cfg.ChainID, k.String(), string(unit), string(class), limit)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"history": each(rs, rateOut)})
	return nil
}

// postQuote only reads: it prices from stored snapshots and the current
// candidates.
func (s *Server) postQuote(w http.ResponseWriter, r *http.Request) error {
	b, err := readBody(w, r, gpumarket.MaxJobSpecBytes+1024)
	if err == nil {
		err = checkQuery(r.URL.Query())
	}
	if err != nil {
		return err
	}
	sp, tok, err := DecodeQuoteRequest(b)
	if err != nil {
		return err
	}
	ctx := r.Context()
	views, err := s.store.LatestRates(ctx, s.cfg.ChainID, sp.Kind.String())
	if err != nil {
		return err
	}
	rates := map[matcher.RateKey]*matcher.Rate{}
	for _, v := range views {
		if v.Token != tok {
			continue
		}
		k := matcher.RateKey{Kind: sp.Kind, Unit: v.Unit, Class: v.Class}
		rates[k] = &matcher.Rate{Key: k, Fair: v.Fair.Big(), Low: v.Low.Big(), High: v.High.Big()}
	}
	now := s.now()
	cands, err := s.quoteCandidates(ctx, sp, now)
	if err != nil {
		return err
	}
	q, err := matcher.NewQuote(sp, tok, rates, cands, &s.cfg.Params, &s.cfg.Quote, now)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, q)
	return nil
}

// quoteCandidates returns the candidates a quote of sp may list: the
// providers the store selects in SQL (service.QuoteFilter; reused for
// Config.QuoteRowsTTL by quotes of the same filter), with their
// attestations from the shared cache; only the documents it misses are
// loaded and decoded (and cached).
func (s *Server) quoteCandidates(ctx context.Context, sp *gpumarket.JobSpec, now time.Time) ([]*matcher.Candidate, error) {
	rows, err := s.quotes.rows(ctx, service.QuoteFilter{ChainID: s.cfg.ChainID, Kind: sp.Kind, Model: sp.Model,
		MinGPUs: sp.Requirements.GPUCount, MinVRAMMiB: sp.Requirements.MinVRAMMiB, MinStake: s.cfg.Params.MinStake, Now: now}, s.store.QuoteCandidates)
	if err != nil {
		return nil, err
	}
	cache := s.cfg.Attestations
	atts := make([]*gpumarket.Attestation, len(rows))
	var missing []gpumarket.Hash
	for i, r := range rows {
		if atts[i] = cache.Get(r.Commitment); atts[i] == nil {
			missing = append(missing, r.Commitment)
		}
	}
	if len(missing) > 0 {
		docs, err := s.store.AttestationDocuments(ctx, s.cfg.ChainID, missing)
		if err != nil {
			return nil, err
		}
		decoded := make(map[gpumarket.Hash]*gpumarket.Attestation, len(docs))
		for h, d := range docs {
			a, err := gpumarket.DecodeAttestation(bytes.NewReader(d))
			if err != nil {
				s.log.Warn("stored attestation does not decode", "commitment", h, "err", err)
				continue
			}
			decoded[h] = a
		}
		cache.Put(decoded)
		for i, r := range rows {
			if atts[i] == nil {
				atts[i] = decoded[r.Commitment]
			}
		}
	}
	cands := make([]*matcher.Candidate, 0, len(rows))
	for i, r := range rows {
		if atts[i] == nil {
			continue // changed meanwhile, or undecodable: not quotable now
		}
		cands = append(cands, r.Candidate(atts[i], now, s.rep))
	}
	return cands, nil
}
