package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/matcher/service"
	"github.com/jackc/pgx/v5"
)

// Providers as the matcher sees them: registry rows (providers),
// accepted attestations, heartbeats and status transitions.

// candidateRow mirrors the columns of the candidates query for
// RowToStructByName.
type candidateRow struct {
	Provider   []byte
	Commitment []byte
	Document   string
	Status     string
	Stake      string
	Reserved   string
	Active     bool
	Committed  bool
	ChainExp   *time.Time
	Reputation int32
	LatencyMs  int32
	LoadBps    int32
	InFlight   int64
}

// candidates loads the matcher's candidates (service.Store and api.Store).
// Attestation documents are returned only when withDocs is set (see Documents for loading changed ones).
func candidates(ctx context.Context, db *DB, chainID uint64, withDocs bool) ([]service.CandidateRow, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT pa.provider, pa.commitment, CASE WHEN $2 THEN pa.document::text ELSE '' END AS document, pa.status,
		       p.stake::text AS stake, (p.reserved_stake + coalesce(o.reserve, 0))::text AS reserved, p.active,
		       coalesce(p.attestation_hash = pa.commitment, false) AS committed, p.attestation_expiry AS chain_exp,
		       coalesce(r.score, -1) AS reputation, coalesce(r.latency_ms, 0) AS latency_ms, coalesce(h.load_bps, 0) AS load_bps,
		       coalesce(l.offered, 0) + coalesce(run.n, 0) AS in_flight
		FROM provider_attestations pa
		JOIN providers p ON p.chain_id = pa.chain_id AND p.provider = pa.provider
		LEFT JOIN provider_reputation r ON r.chain_id = pa.chain_id AND r.provider = pa.provider
		LEFT JOIN provider_heartbeats h ON h.chain_id = pa.chain_id AND h.provider = pa.provider
		LEFT JOIN matcher_provider_load l ON l.chain_id = pa.chain_id AND l.provider = pa.provider
		LEFT JOIN (SELECT provider, count(*) AS n FROM jobs WHERE chain_id = $1 AND state = 'assigned' GROUP BY provider) run
		       ON run.provider = pa.provider
		LEFT JOIN (SELECT provider, sum(reserve) AS reserve FROM assignments WHERE chain_id = $1 AND state = 'offered' GROUP BY provider) o
		       ON o.provider = pa.provider
		WHERE pa.chain_id = $1 AND p.registered
		ORDER BY pa.provider`, int64(chainID), withDocs)
	if err != nil {
		return nil, translate(fmt.Errorf("load candidates: %w", err))
	}
	raw, err := pgx.CollectRows(rows, pgx.RowToStructByName[candidateRow])
	if err != nil {
		return nil, fmt.Errorf("load candidates: %w", err)
	}
	return candidateRows(raw)
}

// candidateRows decodes scanned candidate rows.
func candidateRows(raw []candidateRow) ([]service.CandidateRow, error) {
	out := make([]service.CandidateRow, len(raw))
	for i, r := range raw {
		st, err := gpumarket.ParseProviderStatus(r.Status)
		if err != nil {
			return nil, err
		}
		stake, err := decodeRequired("providers.stake", &r.Stake)
		if err != nil {
			return nil, err
		}
		reserved, err := decodeRequired("providers.reserved_stake", &r.Reserved)
		if err != nil {
			return nil, err
		}
		c := service.CandidateRow{
			Provider: toAddr(r.Provider), Status: st, Stake: stake, Reserved: reserved,
			Active: r.Active, ChainCommits: r.Committed, LoadBps: uint32(r.LoadBps), InFlight: uint32(r.InFlight),
			LatencyMs: uint32(r.LatencyMs),
		}
		if r.Document != "" {
			c.Document = []byte(r.Document)
		}
		copy(c.Commitment[:], r.Commitment)
		if r.Reputation >= 0 {
			c.Reputation, c.HasRep = uint32(r.Reputation), true
		}
		if r.ChainExp != nil {
			c.ChainExpiry = *r.ChainExp
		}
		out[i] = c
	}
	return out, nil
}

// Documents implements service.Store: the attestation documents of the
// given providers, by provider.
func (s *MatcherQueue) Documents(ctx context.Context, chainID uint64, providers []gpumarket.Address) (map[gpumarket.Address][]byte, error) {
	rows, err := s.db.pool.Query(ctx, `SELECT provider, document::text FROM provider_attestations WHERE chain_id = $1 AND provider = ANY($2::bytea[])`,
		int64(chainID), addrBytes(providers))
	if err != nil {
		return nil, translate(fmt.Errorf("load attestation documents: %w", err))
	}
	out := make(map[gpumarket.Address][]byte, len(providers))
	var p []byte
	var doc string
	_, err = pgx.ForEachRow(rows, []any{&p, &doc}, func() error {
		out[toAddr(p)] = []byte(doc)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load attestation documents: %w", err)
	}
	return out, nil
}

// Registration returns a provider's registry state from the indexer's
// providers table. It returns ENOTFOUND for a provider the chain does not
// know.
func (s *MatcherAPIStore) Registration(ctx context.Context, chainID uint64, p gpumarket.Address) (service.Registration, error) {
	var r service.Registration
	var signer, commit []byte
	var exp *time.Time
	var stake string
	err := s.db.pool.QueryRow(ctx, `
		SELECT signer, attestation_hash, attestation_expiry, registered, active, stake::text
		FROM providers WHERE chain_id = $1 AND provider = $2`, int64(chainID), p[:]).
		Scan(&signer, &commit, &exp, &r.Registered, &r.Active, &stake)
	if err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return r, gpumarket.Errorf(gpumarket.ENOTFOUND, "provider %s is not registered on chain %d", p, chainID)
		}
		return r, translate(fmt.Errorf("read registration of %s: %w", p, err))
	}
	r.Provider, r.Signer = p, toAddr(signer)
	copy(r.Commitment[:], commit)
	if exp != nil {
		r.Expiry = *exp
	}
	r.Stake, err = decodeAmount("providers.stake", &stake)
	return r, err
}

// SaveAttestation stores an accepted attestation as the provider's current
// one (keeping its status; a new provider starts offline), and flags and
// suspends every provider whose fingerprint it shares with another
// provider, recording the transitions. It returns the flagged providers.
func (s *MatcherAPIStore) SaveAttestation(ctx context.Context, r service.AttestationRecord, now time.Time) ([]gpumarket.Address, error) {
	a := r.Attestation
	var kinds, models []string
	for _, c := range a.Capabilities {
		kinds = append(kinds, c.Kind.String())
		models = append(models, c.Models...)
	}
	var flagged []gpumarket.Address
	err := pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		flagged = flagged[:0]
		if _, err := tx.Exec(ctx, `
			INSERT INTO provider_attestations (chain_id, provider, commitment, document, signature, signer, fingerprint,
			    slots, vram_mib, gpu_count, region, capabilities, models, issued_at, expires_at, accepted_at)
			VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8, $9, $10, $11, $12, $13, to_timestamp($14), to_timestamp($15), $16)
			ON CONFLICT (chain_id, provider) DO UPDATE SET
			    commitment = EXCLUDED.commitment, document = EXCLUDED.document, signature = EXCLUDED.signature,
			    signer = EXCLUDED.signer, fingerprint = EXCLUDED.fingerprint, slots = EXCLUDED.slots,
			    vram_mib = EXCLUDED.vram_mib, gpu_count = EXCLUDED.gpu_count, region = EXCLUDED.region,
			    capabilities = EXCLUDED.capabilities, models = EXCLUDED.models, issued_at = EXCLUDED.issued_at,
			    expires_at = EXCLUDED.expires_at, accepted_at = EXCLUDED.accepted_at`,
			int64(r.ChainID), a.Provider[:], r.Commitment[:], string(r.Document), r.Signature, r.Signer[:], r.Fingerprint[:],
			int32(a.Slots), int32(a.VRAMMiB), int32(a.GPUCount), a.Region, kinds, models, a.IssuedAt, a.ExpiresAt, now); err != nil {
			return fmt.Errorf("upsert attestation: %w", err)
		}
		rows, err := tx.Query(ctx, `
			SELECT provider, status FROM provider_attestations
			WHERE chain_id = $1 AND fingerprint = $2 ORDER BY provider FOR UPDATE`, int64(r.ChainID), r.Fingerprint[:])
		if err != nil {
			return fmt.Errorf("find fingerprint holders: %w", err)
		}
		type holder struct {
			Provider []byte
			Status   string
		}
		hs, err := pgx.CollectRows(rows, pgx.RowToStructByName[holder])
		if err != nil {
			return fmt.Errorf("find fingerprint holders: %w", err)
		}
		if len(hs) < 2 {
			return nil
		}
		for _, h := range hs {
			p := toAddr(h.Provider)
			flagged = append(flagged, p)
			reason := "hardware fingerprint " + r.Fingerprint.String() + " shared by " + strconv.Itoa(len(hs)) + " providers"
			if _, err := tx.Exec(ctx, `
				UPDATE provider_attestations SET fingerprint_flagged = true, status = 'suspended', status_reason = $3
				WHERE chain_id = $1 AND provider = $2`, int64(r.ChainID), h.Provider, reason); err != nil {
				return fmt.Errorf("flag %s: %w", p, err)
			}
			if h.Status != "suspended" {
				if err := insertTransition(ctx, tx, r.ChainID, p, h.Status, "suspended", reason, now); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, translate(err)
	}
	return flagged, nil
}

func insertTransition(ctx context.Context, tx pgx.Tx, chainID uint64, p gpumarket.Address, from, to, reason string, at time.Time) error {
	_, err := tx.Exec(ctx, `
		INSERT INTO provider_status_transitions (chain_id, provider, from_status, to_status, reason, at)
		VALUES ($1, $2, $3, $4, $5, $6)`, int64(chainID), p[:], from, to, reason, at)
	if err != nil {
		return fmt.Errorf("record transition of %s %s→%s: %w", p, from, to, err)
	}
	return nil
}

// SaveHeartbeat stores a verified, fresh heartbeat and moves the provider
// online (free slots) or busy (none), unless it is suspended. It returns
// ENOTFOUND when the provider has no accepted attestation and EUNAUTHORIZED
// for a replay (sequence not above the stored one); nothing changes then.
// It returns the new status.
func (s *MatcherAPIStore) SaveHeartbeat(ctx context.Context, r service.HeartbeatRecord, now time.Time) (gpumarket.ProviderStatus, error) {
	h := r.Heartbeat
	var out gpumarket.ProviderStatus
	err := pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		var status string
		err := tx.QueryRow(ctx, `SELECT status FROM provider_attestations WHERE chain_id = $1 AND provider = $2 FOR UPDATE`,
			int64(r.ChainID), h.Provider[:]).Scan(&status)
		if errors.Is(err, pgx.ErrNoRows) {
			return gpumarket.Errorf(gpumarket.ENOTFOUND, "provider %s has no accepted attestation: submit one first", h.Provider)
		}
		if err != nil {
			return fmt.Errorf("lock provider: %w", err)
		}
		var last string
		err = tx.QueryRow(ctx, `SELECT sequence::text FROM provider_heartbeats WHERE chain_id = $1 AND provider = $2`,
			int64(r.ChainID), h.Provider[:]).Scan(&last)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("read last heartbeat: %w", err)
		}
		if err == nil {
			seq, perr := strconv.ParseUint(last, 10, 64)
			if perr != nil {
				return fmt.Errorf("stored sequence %q: %w", last, perr)
			}
			if h.Sequence <= seq {
				return gpumarket.Errorf(gpumarket.EUNAUTHORIZED, "heartbeat sequence %d is not above the last accepted %d (replay)", h.Sequence, seq)
			}
		}
		var qd *int32
		if h.QueueDepth != nil {
			v := int32(min(*h.QueueDepth, 1<<31-1))
			qd = &v
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO provider_heartbeats (chain_id, provider, sequence, sent_at, received_at, free_slots, load_bps, queue_depth, signature)
			VALUES ($1, $2, $3::numeric, to_timestamp($4), $5, $6, $7, $8, $9)
			ON CONFLICT (chain_id, provider) DO UPDATE SET sequence = EXCLUDED.sequence, sent_at = EXCLUDED.sent_at,
			    received_at = EXCLUDED.received_at, free_slots = EXCLUDED.free_slots, load_bps = EXCLUDED.load_bps,
			    queue_depth = EXCLUDED.queue_depth, signature = EXCLUDED.signature`,
			int64(r.ChainID), h.Provider[:], strconv.FormatUint(h.Sequence, 10), h.Timestamp, now,
			int32(h.FreeSlots), int32(h.LoadBps), qd, r.Signature); err != nil {
			return fmt.Errorf("store heartbeat: %w", err)
		}
		cur, err := gpumarket.ParseProviderStatus(status)
		if err != nil {
			return err
		}
		next := gpumarket.ProviderOnline
		if h.FreeSlots == 0 {
			next = gpumarket.ProviderBusy
		}
		out = cur
		if cur == gpumarket.ProviderSuspended || cur == next || !cur.CanMoveTo(next) {
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE provider_attestations SET status = $3, status_reason = 'heartbeat' WHERE chain_id = $1 AND provider = $2`,
			int64(r.ChainID), h.Provider[:], next.String()); err != nil {
			return fmt.Errorf("update status: %w", err)
		}
		out = next
		return insertTransition(ctx, tx, r.ChainID, h.Provider, cur.String(), next.String(), "heartbeat", now)
	})
	if err != nil {
		return out, translate(err)
	}
	return out, nil
}

// MarkOffline moves every online or busy provider whose last heartbeat was
// received before cutoff (or that never sent one) offline, recording the
// transitions, and returns how many moved.
func (s *MatcherMaintenance) MarkOffline(ctx context.Context, chainID uint64, cutoff, now time.Time) (int64, error) {
	var n int64
	err := pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			WITH moved AS (
				UPDATE provider_attestations pa SET status = 'offline', status_reason = 'missed heartbeats'
				FROM provider_attestations old
				LEFT JOIN provider_heartbeats h ON h.chain_id = old.chain_id AND h.provider = old.provider
				WHERE pa.chain_id = $1 AND old.chain_id = pa.chain_id AND old.provider = pa.provider
				  AND pa.status IN ('online', 'busy') AND (h.received_at IS NULL OR h.received_at < $2)
				RETURNING pa.provider, old.status AS from_status
			)
			INSERT INTO provider_status_transitions (chain_id, provider, from_status, to_status, reason, at)
			SELECT $1, provider, from_status, 'offline', 'missed heartbeats', $3 FROM moved`,
			int64(chainID), cutoff, now)
		if err != nil {
			return fmt.Errorf("mark offline: %w", err)
		}
		n = tag.RowsAffected()
		return nil
	})
	return n, translate(err)
}

type providerRow struct {
	Provider     []byte
	Status       string
	Flagged      bool
	GPUModel     string
	GPUCount     int32
	VRAMMiB      int32
	Region       string
	Slots        int32
	Capabilities []string
	Models       []string
	ExpiresAt    time.Time
	Stake        string // NUMERIC as text, decoded by decodeAmount
	Reputation   *int32
	Offers       []byte  // the document's capabilities (JSON)
	Benchmarks   []byte  // the document's benchmarks (JSON), NULL without
	PriceToken   *string // the document's token
}

// Providers lists providers with an accepted attestation matching f, in
// address order after f.After, at most f.Limit. Filters are parameters,
// never SQL text.
func (s *MatcherAPIStore) Providers(ctx context.Context, f service.ProviderFilter) ([]service.ProviderView, error) {
	var after []byte
	if f.HasAfter {
		after = f.After[:]
	}
	rows, err := s.readDB().pool.Query(ctx, `
		SELECT pa.provider, pa.status, pa.fingerprint_flagged AS flagged, pa.document->>'gpu_model' AS gpu_model,
		       pa.gpu_count, pa.vram_mib, pa.region, pa.slots, pa.capabilities, pa.models, pa.expires_at,
		       p.stake::text AS stake, r.score AS reputation, pa.document->'capabilities' AS offers,
		       pa.document->'benchmarks' AS benchmarks, pa.document->>'token' AS price_token
		FROM provider_attestations pa
		JOIN providers p ON p.chain_id = pa.chain_id AND p.provider = pa.provider
		LEFT JOIN provider_reputation r ON r.chain_id = pa.chain_id AND r.provider = pa.provider
		WHERE pa.chain_id = $1
		  AND ($2 = '' OR $2 = ANY(pa.capabilities))
		  AND ($3 = '' OR $3 = ANY(pa.models))
		  AND pa.vram_mib >= $4
		  AND ($5 = '' OR pa.region = $5)
		  AND ($6::bytea IS NULL OR pa.provider > $6)
		ORDER BY pa.provider
		LIMIT $7`, int64(f.ChainID), f.Capability, f.Model, int32(f.MinVRAMMiB), f.Region, after, f.Limit)
	if err != nil {
		return nil, translate(fmt.Errorf("list providers: %w", err))
	}
	raw, err := pgx.CollectRows(rows, pgx.RowToStructByName[providerRow])
	if err != nil {
		return nil, fmt.Errorf("list providers: %w", err)
	}
	out := make([]service.ProviderView, len(raw))
	for i, r := range raw {
		stake, err := decodeAmount("providers.stake", &r.Stake)
		if err != nil {
			return nil, fmt.Errorf("list providers: %w", err)
		}
		status, err := gpumarket.ParseProviderStatus(r.Status)
		if err != nil {
			return nil, fmt.Errorf("list providers: %w", err)
		}
		out[i] = service.ProviderView{
			Provider: toAddr(r.Provider), Status: status, Flagged: r.Flagged, GPUModel: r.GPUModel,
			GPUCount: int(r.GPUCount), VRAMMiB: int(r.VRAMMiB), Region: r.Region, Slots: int(r.Slots),
			Capabilities: r.Capabilities, Models: r.Models, ExpiresAt: r.ExpiresAt.UTC(), Stake: stake,
		}
		if r.Reputation != nil {
			v := int(*r.Reputation)
			out[i].Reputation = &v
		}
		// The document was validated when it was accepted.
		if err := json.Unmarshal(r.Offers, &out[i].Offers); err != nil {
			return nil, fmt.Errorf("list providers: %s capabilities: %w", out[i].Provider, err)
		}
		if r.Benchmarks != nil {
			if err := json.Unmarshal(r.Benchmarks, &out[i].Benchmarks); err != nil {
				return nil, fmt.Errorf("list providers: %s benchmarks: %w", out[i].Provider, err)
			}
		}
		if r.PriceToken != nil {
			if out[i].PriceToken, err = gpumarket.ParseAddress(*r.PriceToken); err != nil {
				return nil, fmt.Errorf("list providers: %s token: %w", out[i].Provider, err)
			}
		}
	}
	return out, nil
}
