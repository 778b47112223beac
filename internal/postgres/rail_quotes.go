package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/gpumarket/gpumarket"
)

// RailQuoteStore keeps rail quotes (402 answers), the payments seen or
// presented for them, and the jobs they fund (rail_quotes,
// rail_quote_payments, rail_jobs). One payment funds at most one job and
// a quote at most one: both are unique constraints, so concurrent binders
// cannot double-fund.
type RailQuoteStore struct {
	db *DB
}

// NewRailQuoteStore returns the rail quote store in db.
func NewRailQuoteStore(db *DB) *RailQuoteStore { return &RailQuoteStore{db: db} }

// CreateRailQuote stores q (q.ID is ignored) and returns its id. A reused
// reference is an ECONFLICT error; invalid fields EINVALID.
func (s *RailQuoteStore) CreateRailQuote(ctx context.Context, q gpumarket.RailQuote) (int64, error) {
	t := q.Terms
	if t.Amount == nil || t.Amount.Sign() <= 0 {
		return 0, gpumarket.Errorf(gpumarket.EINVALID, "rail quote: amount must be positive")
	}
	var id int64
	err := s.db.pool.QueryRow(ctx, `INSERT INTO rail_quotes (rail, reference, cluster, chain_id, provider, recipient, mint, decimals,
			amount, spec_hash, breakdown, memo, url, created_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::numeric, $10, $11::jsonb, $12, $13, $14, $15) RETURNING id`,
		q.Rail, t.Reference, t.Cluster, int64(q.ChainID), q.Provider[:], t.Recipient, t.Mint, int16(t.Decimals),
		t.Amount.String(), q.SpecHash[:], string(q.Breakdown), q.Memo, q.URL, q.CreatedAt, t.ExpiresAt).Scan(&id)
	if err != nil {
		return 0, translate(fmt.Errorf("create rail quote %s: %w", t.Reference, err))
	}
	return id, nil
}

const railQuoteColumns = `id, rail, reference, cluster, chain_id, provider, recipient, mint, decimals, amount::text,
	spec_hash, breakdown::text, memo, url, created_at, expires_at`

func scanRailQuote(row pgx.Row) (gpumarket.RailQuote, error) {
	var q gpumarket.RailQuote
	var chainID int64
	var provider, spec []byte
	var decimals int16
	var amount, breakdown string
	if err := row.Scan(&q.ID, &q.Rail, &q.Terms.Reference, &q.Terms.Cluster, &chainID, &provider, &q.Terms.Recipient, &q.Terms.Mint,
		&decimals, &amount, &spec, &breakdown, &q.Memo, &q.URL, &q.CreatedAt, &q.Terms.ExpiresAt); err != nil {
		return q, err
	}
	a, err := decodeRequired("rail_quotes.amount", &amount)
	if err != nil {
		return q, err
	}
	q.ChainID, q.Terms.Decimals, q.Terms.Amount, q.Breakdown = uint64(chainID), uint8(decimals), a, []byte(breakdown)
	copy(q.Provider[:], provider)
	copy(q.SpecHash[:], spec)
	return q, nil
}

// RailQuote returns the quote whose reference is reference; ENOTFOUND when
// there is none.
func (s *RailQuoteStore) RailQuote(ctx context.Context, reference string) (gpumarket.RailQuote, error) {
	q, err := scanRailQuote(s.db.pool.QueryRow(ctx, `SELECT `+railQuoteColumns+` FROM rail_quotes WHERE reference = $1`, reference))
	if err != nil {
		return q, translate(fmt.Errorf("read rail quote %s: %w", reference, err))
	}
	return q, nil
}

// OpenRailQuotes returns the quotes of rail with an id above after that expire after since (so
// payments made just before the expiry, which finalize after it, are
// still found), by id, at most limit (the caller pages with after). Funded quotes stay listed
// until then, so a second payment is recorded (spent) and reported.
func (s *RailQuoteStore) OpenRailQuotes(ctx context.Context, rail string, since time.Time, after int64, limit int) ([]gpumarket.RailQuote, error) {
	rows, err := s.db.pool.Query(ctx, `SELECT `+railQuoteColumns+` FROM rail_quotes q
		WHERE rail = $1 AND expires_at > $2 AND id > $3
		ORDER BY id LIMIT $4`, rail, since, after, limit)
	if err != nil {
		return nil, translate(fmt.Errorf("list open rail quotes: %w", err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (gpumarket.RailQuote, error) { return scanRailQuote(r) })
	if err != nil {
		return nil, translate(fmt.Errorf("list open rail quotes: %w", err))
	}
	return out, nil
}

// RecordRailPayments records, in one transaction, the payments seen or
// presented for quote (in order) and binds the first that funds it: its
// job is created funded. A payment already recorded keeps its verdict
// (unless it was set aside as unreadable). A funding payment becomes
// RailSpent, with the reason, when the quote is already funded by another
// or the payment already funds another quote's job. It returns the
// payments as recorded, the quote's job (nil when not funded) and whether
// this call funded it.
func (s *RailQuoteStore) RecordRailPayments(ctx context.Context, quote gpumarket.RailQuote, ps []gpumarket.RailQuotePayment) ([]gpumarket.RailQuotePayment, *gpumarket.RailJob, bool, error) {
	var out []gpumarket.RailQuotePayment
	var job *gpumarket.RailJob
	var funded bool
	err := pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		out, funded = out[:0], false
		for _, p := range ps {
			if !p.Verdict.Valid() {
				return gpumarket.Errorf(gpumarket.EINVALID, "rail payment %s: verdict %q", p.Signature, p.Verdict)
			}
			rec, bound, err := recordRailPayment(ctx, tx, quote, p)
			if err != nil {
				return err
			}
			out, funded = append(out, rec), funded || bound
		}
		var err error
		job, err = railJob(ctx, tx, quote.ID)
		if gpumarket.ErrorCode(err) == gpumarket.ENOTFOUND {
			job, err = nil, nil
		}
		return err
	})
	if err != nil {
		return nil, nil, false, translate(fmt.Errorf("record payments of rail quote %d: %w", quote.ID, err))
	}
	return out, job, funded, nil
}

func recordRailPayment(ctx context.Context, tx pgx.Tx, quote gpumarket.RailQuote, p gpumarket.RailQuotePayment) (gpumarket.RailQuotePayment, bool, error) {
	arrived, excess := zeroIfNil(p.Arrived), zeroIfNil(p.Excess)
	var verdict, reason string
	err := tx.QueryRow(ctx, `INSERT INTO rail_quote_payments (quote_id, signature, slot, block_time, payer, mint, arrived, excess, verdict, reason)
		VALUES ($1, $2, $3, $4, $5, $6, $7::numeric, $8::numeric, $9, $10)
		ON CONFLICT (quote_id, signature) DO UPDATE SET slot = EXCLUDED.slot, block_time = EXCLUDED.block_time, payer = EXCLUDED.payer,
		    arrived = EXCLUDED.arrived, excess = EXCLUDED.excess, verdict = EXCLUDED.verdict, reason = EXCLUDED.reason
		    WHERE rail_quote_payments.verdict = 'unreadable'
		RETURNING verdict, reason`,
		quote.ID, p.Signature, int64(p.Slot), p.BlockTime, p.Payer, p.Mint, arrived.String(), excess.String(), string(p.Verdict), p.Reason).Scan(&verdict, &reason)
	if errors.Is(err, pgx.ErrNoRows) {
		// Recorded before: its verdict stands.
		err = tx.QueryRow(ctx, `SELECT verdict, reason FROM rail_quote_payments WHERE quote_id = $1 AND signature = $2`, quote.ID, p.Signature).Scan(&verdict, &reason)
		p.Verdict, p.Reason = gpumarket.RailVerdict(verdict), reason
		return p, false, err
	}
	if err != nil {
		return p, false, fmt.Errorf("record rail payment %s: %w", p.Signature, err)
	}
	if p.Verdict != gpumarket.RailFunds {
		return p, false, nil
	}
	// Bind it, unless the quote or the payment is taken (the unique
	// constraints decide under concurrency; a savepoint keeps the
	// transaction usable after a violation).
	var n int64
	err = pgx.BeginFunc(ctx, tx, func(sp pgx.Tx) error {
		tag, err := sp.Exec(ctx, `INSERT INTO rail_jobs (quote_id, rail, signature, payer, paid, excess, state)
			VALUES ($1, $2, $3, $4, $5::numeric, $6::numeric, 'funded') ON CONFLICT (quote_id) DO NOTHING`,
			quote.ID, quote.Rail, p.Signature, p.Payer, arrived.String(), excess.String())
		n = tag.RowsAffected()
		return err
	})
	var pgErr *pgconn.PgError
	switch {
	case errors.As(err, &pgErr) && pgErr.Code == "23505":
		var other int64
		if err := tx.QueryRow(ctx, `SELECT quote_id FROM rail_jobs WHERE rail = $1 AND signature = $2`, quote.Rail, p.Signature).Scan(&other); err != nil {
			return p, false, fmt.Errorf("find the job %s funds: %w", p.Signature, err)
		}
		p.Verdict, p.Reason = gpumarket.RailSpent, fmt.Sprintf("this payment already funds the job of quote %d", other)
	case err != nil:
		return p, false, fmt.Errorf("bind rail payment %s: %w", p.Signature, err)
	case n == 0:
		var by string
		if err := tx.QueryRow(ctx, `SELECT signature FROM rail_jobs WHERE quote_id = $1`, quote.ID).Scan(&by); err != nil {
			return p, false, fmt.Errorf("find the payment funding quote %d: %w", quote.ID, err)
		}
		if by == p.Signature {
			return p, false, nil
		}
		p.Verdict, p.Reason = gpumarket.RailSpent, "the quote is already funded by "+by
	default:
		return p, true, nil
	}
	if _, err := tx.Exec(ctx, `UPDATE rail_quote_payments SET verdict = $3, reason = $4 WHERE quote_id = $1 AND signature = $2`,
		quote.ID, p.Signature, string(p.Verdict), p.Reason); err != nil {
		return p, false, fmt.Errorf("mark rail payment %s spent: %w", p.Signature, err)
	}
	return p, false, nil
}

const railJobColumns = `quote_id, rail, signature, payer, paid::text, excess::text, state, funded_at, dispatched_at, started_at, finished_at,
	result_hash, result_uri, failure`

func scanRailJob(row pgx.Row) (gpumarket.RailJob, error) {
	var j gpumarket.RailJob
	var paid, excess, state string
	var result []byte
	if err := row.Scan(&j.QuoteID, &j.Rail, &j.Signature, &j.Payer, &paid, &excess, &state, &j.FundedAt, &j.DispatchedAt, &j.StartedAt, &j.FinishedAt,
		&result, &j.ResultURI, &j.Failure); err != nil {
		return j, err
	}
	copy(j.ResultHash[:], result)
	var err error
	if j.Paid, err = decodeRequired("rail_jobs.paid", &paid); err != nil {
		return j, err
	}
	if j.Excess, err = decodeRequired("rail_jobs.excess", &excess); err != nil {
		return j, err
	}
	j.State = gpumarket.RailJobState(state)
	return j, nil
}

func railJob(ctx context.Context, q pgx.Tx, quoteID int64) (*gpumarket.RailJob, error) {
	j, err := scanRailJob(q.QueryRow(ctx, `SELECT `+railJobColumns+` FROM rail_jobs WHERE quote_id = $1`, quoteID))
	if err != nil {
		return nil, translate(err)
	}
	return &j, nil
}

// RailJob returns the job quote quoteID funds; ENOTFOUND when none.
func (s *RailQuoteStore) RailJob(ctx context.Context, quoteID int64) (gpumarket.RailJob, error) {
	j, err := scanRailJob(s.db.pool.QueryRow(ctx, `SELECT `+railJobColumns+` FROM rail_jobs WHERE quote_id = $1`, quoteID))
	if err != nil {
		return j, translate(fmt.Errorf("read rail job %d: %w", quoteID, err))
	}
	return j, nil
}

// RailQuotePayments returns what was recorded for quote quoteID, in the
// order it was first seen.
func (s *RailQuoteStore) RailQuotePayments(ctx context.Context, quoteID int64) ([]gpumarket.RailQuotePayment, error) {
	rows, err := s.db.pool.Query(ctx, `SELECT signature, slot, block_time, payer, mint, arrived::text, excess::text, verdict, reason
		FROM rail_quote_payments WHERE quote_id = $1 ORDER BY seen_at, slot, signature`, quoteID)
	if err != nil {
		return nil, translate(fmt.Errorf("list payments of rail quote %d: %w", quoteID, err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (gpumarket.RailQuotePayment, error) {
		var p gpumarket.RailQuotePayment
		var slot int64
		var arrived, excess, verdict string
		if err := r.Scan(&p.Signature, &slot, &p.BlockTime, &p.Payer, &p.Mint, &arrived, &excess, &verdict, &p.Reason); err != nil {
			return p, err
		}
		p.Slot, p.Verdict = uint64(slot), gpumarket.RailVerdict(verdict)
		var err error
		if p.Arrived, err = decodeRequired("rail_quote_payments.arrived", &arrived); err != nil {
			return p, err
		}
		p.Excess, err = decodeRequired("rail_quote_payments.excess", &excess)
		return p, err
	})
	if err != nil {
		return nil, translate(fmt.Errorf("list payments of rail quote %d: %w", quoteID, err))
	}
	return out, nil
}

// FundedRailJobs returns up to limit jobs of rail waiting for dispatch,
// oldest first, with their quotes.
func (s *RailQuoteStore) FundedRailJobs(ctx context.Context, rail string, limit int) ([]gpumarket.RailJob, []gpumarket.RailQuote, error) {
	jobs, quotes, err := s.jobQuotes(ctx, `WHERE j.rail = $1 AND j.state = 'funded' ORDER BY j.funded_at, j.quote_id LIMIT $2`, rail, limit)
	if err != nil {
		return nil, nil, translate(fmt.Errorf("list funded rail jobs: %w", err))
	}
	return jobs, quotes, nil
}

// RecentRailJobs returns up to limit jobs of rail, newest (highest quote
// id) first, with their quotes, in every state: what the explorer lists.
// before > 0 lists only jobs with a lower quote id (the next page).
func (s *RailQuoteStore) RecentRailJobs(ctx context.Context, rail string, before int64, limit int) ([]gpumarket.RailJob, []gpumarket.RailQuote, error) {
	jobs, quotes, err := s.jobQuotes(ctx, `WHERE j.rail = $1 AND ($2::bigint <= 0 OR j.quote_id < $2) ORDER BY j.quote_id DESC LIMIT $3`, rail, before, limit)
	if err != nil {
		return nil, nil, translate(fmt.Errorf("list recent rail jobs: %w", err))
	}
	return jobs, quotes, nil
}

// jobQuotes runs a query of rail jobs joined to their quotes; where is
// its WHERE/ORDER/LIMIT tail, with placeholders for args.
func (s *RailQuoteStore) jobQuotes(ctx context.Context, where string, args ...any) ([]gpumarket.RailJob, []gpumarket.RailQuote, error) {
	rows, err := s.db.pool.Query(ctx, `SELECT j.quote_id, j.rail, j.signature, j.payer, j.paid::text, j.excess::text, j.state, j.funded_at, j.dispatched_at,
			j.started_at, j.finished_at, j.result_hash, j.result_uri, j.failure,
			q.id, q.rail, q.reference, q.cluster, q.chain_id, q.provider, q.recipient, q.mint, q.decimals, q.amount::text,
			q.spec_hash, q.breakdown::text, q.memo, q.url, q.created_at, q.expires_at
		FROM rail_jobs j JOIN rail_quotes q ON q.id = j.quote_id `+where, args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var jobs []gpumarket.RailJob
	var quotes []gpumarket.RailQuote
	for rows.Next() {
		j, q, err := scanJobQuote(rows)
		if err != nil {
			return nil, nil, err
		}
		jobs, quotes = append(jobs, j), append(quotes, q)
	}
	return jobs, quotes, rows.Err()
}

func scanJobQuote(rows pgx.Rows) (gpumarket.RailJob, gpumarket.RailQuote, error) {
	var j gpumarket.RailJob
	var q gpumarket.RailQuote
	var paid, excess, state, amount, breakdown string
	var chainID int64
	var decimals int16
	var provider, spec, result []byte
	if err := rows.Scan(&j.QuoteID, &j.Rail, &j.Signature, &j.Payer, &paid, &excess, &state, &j.FundedAt, &j.DispatchedAt,
		&j.StartedAt, &j.FinishedAt, &result, &j.ResultURI, &j.Failure,
		&q.ID, &q.Rail, &q.Terms.Reference, &q.Terms.Cluster, &chainID, &provider, &q.Terms.Recipient, &q.Terms.Mint, &decimals, &amount,
		&spec, &breakdown, &q.Memo, &q.URL, &q.CreatedAt, &q.Terms.ExpiresAt); err != nil {
		return j, q, err
	}
	var err error
	var a *big.Int
	if j.Paid, err = decodeRequired("rail_jobs.paid", &paid); err != nil {
		return j, q, err
	}
	if j.Excess, err = decodeRequired("rail_jobs.excess", &excess); err != nil {
		return j, q, err
	}
	if a, err = decodeRequired("rail_quotes.amount", &amount); err != nil {
		return j, q, err
	}
	j.State = gpumarket.RailJobState(state)
	q.ChainID, q.Terms.Decimals, q.Terms.Amount, q.Breakdown = uint64(chainID), uint8(decimals), a, []byte(breakdown)
	copy(q.Provider[:], provider)
	copy(q.SpecHash[:], spec)
	copy(j.ResultHash[:], result)
	return j, q, nil
}

// MoveRailJob moves the job of quote quoteID from state from to to (a
// transition RailJobState.CanBecome allows). It returns an ECONFLICT error
// when the job is not in from (someone moved it first), EINVALID for a
// transition that is not allowed, ENOTFOUND when there is no job.
func (s *RailQuoteStore) MoveRailJob(ctx context.Context, quoteID int64, from, to gpumarket.RailJobState) error {
	if to == gpumarket.RailJobDelivered {
		return gpumarket.Errorf(gpumarket.EINVALID, "rail job %d: delivered needs its result hash (DeliverRailJob)", quoteID)
	}
	return s.moveRailJob(ctx, quoteID, from, to, nil, "", "")
}

// DeliverRailJob moves the running job of quote quoteID to delivered with
// its result hash and where it is served; errors as MoveRailJob.
func (s *RailQuoteStore) DeliverRailJob(ctx context.Context, quoteID int64, result gpumarket.Hash, uri string) error {
	return s.moveRailJob(ctx, quoteID, gpumarket.RailJobRunning, gpumarket.RailJobDelivered, result[:], uri, "")
}

// FailRailJob moves the job of quote quoteID from from to failed, with
// the reason (cut to 1000 bytes); errors as MoveRailJob.
func (s *RailQuoteStore) FailRailJob(ctx context.Context, quoteID int64, from gpumarket.RailJobState, reason string) error {
	if len(reason) > 1000 {
		reason = reason[:1000]
	}
	return s.moveRailJob(ctx, quoteID, from, gpumarket.RailJobFailed, nil, "", reason)
}

func (s *RailQuoteStore) moveRailJob(ctx context.Context, quoteID int64, from, to gpumarket.RailJobState, result []byte, uri, failure string) error {
	if !from.CanBecome(to) {
		return gpumarket.Errorf(gpumarket.EINVALID, "rail job %d: %s cannot become %s", quoteID, from, to)
	}
	tag, err := s.db.pool.Exec(ctx, `UPDATE rail_jobs SET state = $3, updated_at = now(),
			dispatched_at = CASE WHEN $3 = 'dispatched' THEN now() ELSE dispatched_at END,
			started_at = CASE WHEN $3 = 'running' THEN now() ELSE started_at END,
			finished_at = CASE WHEN $3 IN ('delivered', 'completed', 'failed') THEN now() ELSE finished_at END,
			result_hash = $4, result_uri = $5, failure = $6
		WHERE quote_id = $1 AND state = $2`, quoteID, string(from), string(to), result, uri, failure)
	if err != nil {
		return translate(fmt.Errorf("move rail job %d to %s: %w", quoteID, to, err))
	}
	if tag.RowsAffected() == 0 {
		if _, err := s.RailJob(ctx, quoteID); err != nil {
			return err
		}
		return gpumarket.Errorf(gpumarket.ECONFLICT, "rail job %d is not %s", quoteID, from)
	}
	return nil
}

// StoreRailOffer records the signed offer of a dispatched (or still
// funded) job; storing it again is a no-op (the first offer stands), so a
// dispatch repeated after a crash is idempotent per quote id. ENOTFOUND
// when there is no job.
func (s *RailQuoteStore) StoreRailOffer(ctx context.Context, o gpumarket.SignedRailOffer) error {
	_, err := s.db.pool.Exec(ctx, `INSERT INTO rail_offers (quote_id, provider, expiry, signature)
		VALUES ($1, $2, $3, $4) ON CONFLICT (quote_id) DO NOTHING`, o.Offer.QuoteID, o.Offer.Provider[:], o.Offer.Expiry, o.Signature)
	if err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "23503" {
			return gpumarket.Errorf(gpumarket.ENOTFOUND, "store rail offer %d: no such rail job", o.Offer.QuoteID)
		}
		return translate(fmt.Errorf("store rail offer %d: %w", o.Offer.QuoteID, err))
	}
	return nil
}

// RailOffers returns up to limit signed offers to provider whose job is
// dispatched (not yet claimed) and whose expiry is after now (unix
// seconds), oldest first, rebuilt from the job, its quote and payment.
func (s *RailQuoteStore) RailOffers(ctx context.Context, provider gpumarket.Address, now int64, limit int) ([]gpumarket.SignedRailOffer, error) {
	rows, err := s.db.pool.Query(ctx, `SELECT o.quote_id, q.reference, o.provider, q.spec_hash, j.payer, o.expiry, o.signature
		FROM rail_offers o JOIN rail_jobs j ON j.quote_id = o.quote_id JOIN rail_quotes q ON q.id = o.quote_id
		WHERE o.provider = $1 AND o.expiry > $2 AND j.state = 'dispatched'
		ORDER BY o.quote_id LIMIT $3`, provider[:], now, limit)
	if err != nil {
		return nil, translate(fmt.Errorf("list rail offers of %s: %w", provider, err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (gpumarket.SignedRailOffer, error) {
		var o gpumarket.SignedRailOffer
		var prov, spec []byte
		if err := r.Scan(&o.Offer.QuoteID, &o.Offer.Reference, &prov, &spec, &o.Offer.Payer, &o.Offer.Expiry, &o.Signature); err != nil {
			return o, err
		}
		copy(o.Offer.Provider[:], prov)
		copy(o.Offer.SpecHash[:], spec)
		return o, nil
	})
	if err != nil {
		return nil, translate(fmt.Errorf("list rail offers of %s: %w", provider, err))
	}
	return out, nil
}

// ClaimRailJob moves the dispatched job of quote quoteID, offered to
// provider, to running and counts the attempt: exactly one relayer claims
// it. ECONFLICT when it is not dispatched (claimed already), ENOTFOUND
// when there is no such job of provider's.
func (s *RailQuoteStore) ClaimRailJob(ctx context.Context, provider gpumarket.Address, quoteID int64) error {
	tag, err := s.db.pool.Exec(ctx, `UPDATE rail_jobs j SET state = 'running', started_at = now(), updated_at = now(), attempts = attempts + 1
		FROM rail_quotes q WHERE q.id = j.quote_id AND j.quote_id = $1 AND q.provider = $2 AND j.state = 'dispatched'`, quoteID, provider[:])
	if err != nil {
		return translate(fmt.Errorf("claim rail job %d: %w", quoteID, err))
	}
	if tag.RowsAffected() == 0 {
		if _, err := s.RailJob(ctx, quoteID); err != nil {
			return err
		}
		return gpumarket.Errorf(gpumarket.ECONFLICT, "rail job %d is not dispatched to %s", quoteID, provider)
	}
	return nil
}

// RestartRailJob counts another attempt of provider's running job of
// quote quoteID (a run cut short by a crash or a failure) and returns the
// attempts so far; ECONFLICT when it is not running.
func (s *RailQuoteStore) RestartRailJob(ctx context.Context, provider gpumarket.Address, quoteID int64) (int, error) {
	var n int
	err := s.db.pool.QueryRow(ctx, `UPDATE rail_jobs j SET attempts = attempts + 1, updated_at = now()
		FROM rail_quotes q WHERE q.id = j.quote_id AND j.quote_id = $1 AND q.provider = $2 AND j.state = 'running'
		RETURNING j.attempts`, quoteID, provider[:]).Scan(&n)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, gpumarket.Errorf(gpumarket.ECONFLICT, "rail job %d is not running at %s", quoteID, provider)
	}
	if err != nil {
		return 0, translate(fmt.Errorf("restart rail job %d: %w", quoteID, err))
	}
	return n, nil
}

// RunningRailJobs returns provider's rail jobs that are running (claimed,
// not delivered: after a crash, the ones to finish), with their quotes'
// spec hashes and the attempts so far.
func (s *RailQuoteStore) RunningRailJobs(ctx context.Context, provider gpumarket.Address) ([]gpumarket.RailOffer, []int, error) {
	rows, err := s.db.pool.Query(ctx, `SELECT j.quote_id, q.reference, q.spec_hash, j.payer, j.attempts
		FROM rail_jobs j JOIN rail_quotes q ON q.id = j.quote_id
		WHERE q.provider = $1 AND j.state = 'running' ORDER BY j.quote_id`, provider[:])
	if err != nil {
		return nil, nil, translate(fmt.Errorf("list running rail jobs of %s: %w", provider, err))
	}
	defer rows.Close()
	var offers []gpumarket.RailOffer
	var attempts []int
	for rows.Next() {
		o := gpumarket.RailOffer{Provider: provider}
		var spec []byte
		var n int
		if err := rows.Scan(&o.QuoteID, &o.Reference, &spec, &o.Payer, &n); err != nil {
			return nil, nil, translate(fmt.Errorf("list running rail jobs of %s: %w", provider, err))
		}
		copy(o.SpecHash[:], spec)
		offers, attempts = append(offers, o), append(attempts, n)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, translate(fmt.Errorf("list running rail jobs of %s: %w", provider, err))
	}
	return offers, attempts, nil
}

// IsRailOwner reports whether payer is the payer key of one of provider's
// delivered rail jobs whose result is hash (the result server's owner
// lookup for rail downloads); ENOTFOUND when no rail job of provider's
// delivered hash.
func (s *RailQuoteStore) IsRailOwner(ctx context.Context, provider gpumarket.Address, hash gpumarket.Hash, payer string) (bool, error) {
	var owned, known bool
	err := s.db.pool.QueryRow(ctx, `SELECT
		EXISTS (SELECT 1 FROM rail_jobs j JOIN rail_quotes q ON q.id = j.quote_id
			WHERE j.result_hash = $1 AND j.state = 'delivered' AND q.provider = $2 AND j.payer = $3),
		EXISTS (SELECT 1 FROM rail_jobs j JOIN rail_quotes q ON q.id = j.quote_id
			WHERE j.result_hash = $1 AND j.state = 'delivered' AND q.provider = $2)`, hash[:], provider[:], payer).Scan(&owned, &known)
	if err != nil {
		return false, translate(fmt.Errorf("read rail owners of result %s: %w", hash, err))
	}
	if !known {
		return false, gpumarket.Errorf(gpumarket.ENOTFOUND, "no rail result %s", hash)
	}
	return owned, nil
}

// RailPaymentFinal reports whether the job of quote quoteID is funded by
// a payment recorded as funding it (recorded only at finalized
// commitment), and returns the job: the relayer's check of the mirror
// before it runs a prepaid job. ENOTFOUND when there is no job.
func (s *RailQuoteStore) RailPaymentFinal(ctx context.Context, quoteID int64) (gpumarket.RailJob, bool, error) {
	j, err := s.RailJob(ctx, quoteID)
	if err != nil {
		return j, false, err
	}
	var n int
	err = s.db.pool.QueryRow(ctx, `SELECT count(*) FROM rail_quote_payments
		WHERE quote_id = $1 AND signature = $2 AND verdict = 'funds'`, quoteID, j.Signature).Scan(&n)
	if err != nil {
		return j, false, translate(fmt.Errorf("check payment of rail job %d: %w", quoteID, err))
	}
	return j, n == 1, nil
}
