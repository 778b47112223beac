package postgres

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gpumarket/gpumarket"
)

// Journal is the transaction manager's persistent journal (tables
// tx_senders, tx_intents, tx_attempts of migration 00003). It implements
// eth.Journal. Every method that changes more than one row does so in one
// database transaction; a signed attempt is committed before the caller
// broadcasts it.
type Journal struct {
	db *DB
}

// NewJournal returns the journal stored in db.
func NewJournal(db *DB) *Journal { return &Journal{db: db} }

// lockPingInterval is how often WithSenderLock checks that the session
// holding the advisory lock is still alive.
const lockPingInterval = time.Second

// WithSenderLock runs fn while holding a PostgreSQL session advisory lock on
// (chainID, sender), so that two relayers with the same key cannot both
// send. The lock lives on a dedicated connection; if that connection dies
// the lock is gone, fn's context is cancelled and WithSenderLock returns an
// EUNAVAILABLE error. It returns an ECONFLICT error at once when another
// session holds the lock, and fn's error otherwise.
func (j *Journal) WithSenderLock(ctx context.Context, chainID uint64, sender gpumarket.Address, fn func(ctx context.Context) error) error {
	conn, err := j.db.pool.Acquire(ctx)
	if err != nil {
		return gpumarket.Errorf(gpumarket.EUNAVAILABLE, "acquire connection for sender lock: %v", err)
	}
	lockName := "gpumarket.tx:" + strconv.FormatUint(chainID, 10) + ":" + sender.String()
	var got bool
	if err := conn.QueryRow(ctx, "SELECT pg_try_advisory_lock(hashtextextended($1, 0))", lockName).Scan(&got); err != nil {
		conn.Release()
		return fmt.Errorf("take sender lock %s: %w", lockName, translate(err))
	}
	if !got {
		conn.Release()
		return gpumarket.Errorf(gpumarket.ECONFLICT, "sender %s on chain %d is locked by another session (another relayer with the same key?)", sender, chainID)
	}

	runCtx, cancel := context.WithCancelCause(ctx)
	lost := errors.New("sender lock lost: its database session ended")
	done := make(chan struct{})
	watcherDone := make(chan struct{})
	go func() { // owned: waited for below
		defer close(watcherDone)
		t := time.NewTicker(lockPingInterval)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				pctx, pcancel := context.WithTimeout(runCtx, 5*time.Second)
				err := conn.Ping(pctx)
				pcancel()
				if err != nil && runCtx.Err() == nil {
					cancel(lost)
					return
				}
			}
		}
	}()
	fnErr := fn(runCtx)
	close(done)
	<-watcherDone
	lockLost := errors.Is(context.Cause(runCtx), lost)
	cancel(nil)

	if lockLost {
		_ = conn.Conn().Close(context.Background()) // already broken
		conn.Release()
		return gpumarket.Errorf(gpumarket.EUNAVAILABLE, "sender %s: %v", sender, lost)
	}
	uctx, ucancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer ucancel()
	if _, err := conn.Exec(uctx, "SELECT pg_advisory_unlock(hashtextextended($1, 0))", lockName); err != nil {
		// Closing the session releases the lock too.
		_ = conn.Conn().Close(uctx)
	}
	conn.Release()
	return fnErr
}

const intentColumns = `id, chain_id, sender, key, recipient, data, value::text, state, nonce, gas_limit,
	raw_tx, tx_hash, max_fee_per_gas::text, max_priority_fee_per_gas::text, attempts, abandoned, reason,
	mined_tx_hash, mined_block_number, mined_block_hash, created_at, updated_at, finished_at`

func scanIntent(row pgx.Row) (gpumarket.TxIntent, error) {
	var (
		in                                gpumarket.TxIntent
		chainID, gasLimit                 int64
		sender, to, txHash, mined, minedB []byte
		value                             string
		maxFee, tip                       *string
		nonce, minedBlock                 *int64
		finished                          *time.Time
		state                             string
	)
	err := row.Scan(&in.ID, &chainID, &sender, &in.Key, &to, &in.Data, &value, &state, &nonce, &gasLimit,
		&in.Raw, &txHash, &maxFee, &tip, &in.Attempts, &in.Abandoned, &in.Reason,
		&mined, &minedBlock, &minedB, &in.CreatedAt, &in.UpdatedAt, &finished)
	if err != nil {
		return in, err
	}
	in.ChainID, in.GasLimit, in.State = uint64(chainID), uint64(gasLimit), gpumarket.TxState(state)
	copy(in.From[:], sender)
	copy(in.To[:], to)
	copy(in.Hash[:], txHash)
	copy(in.MinedHash[:], mined)
	copy(in.MinedBlockHash[:], minedB)
	if in.Value, err = decodeRequired("tx_intents.value", &value); err != nil {
		return in, err
	}
	if in.MaxFeePerGas, err = decodeNumeric("tx_intents.max_fee_per_gas", maxFee); err != nil {
		return in, err
	}
	if in.MaxPriorityFeePerGas, err = decodeNumeric("tx_intents.max_priority_fee_per_gas", tip); err != nil {
		return in, err
	}
	if nonce != nil {
		in.Nonce, in.HasNonce = uint64(*nonce), true
	}
	if minedBlock != nil {
		in.MinedBlock = uint64(*minedBlock)
	}
	if finished != nil {
		in.FinishedAt = *finished
	}
	return in, nil
}

const attemptColumns = `id, intent_id, kind, nonce, raw_tx, tx_hash, gas_limit, max_fee_per_gas::text,
	max_priority_fee_per_gas::text, signed_at, broadcast_at, broadcast_block, send_error`

func scanAttempt(row pgx.Row) (gpumarket.TxAttempt, error) {
	var (
		a               gpumarket.TxAttempt
		kind            string
		nonce, gasLimit int64
		hash            []byte
		maxFee, tip     string
		broadcastAt     *time.Time
		broadcastBlock  *int64
	)
	err := row.Scan(&a.ID, &a.IntentID, &kind, &nonce, &a.Raw, &hash, &gasLimit, &maxFee, &tip,
		&a.SignedAt, &broadcastAt, &broadcastBlock, &a.SendError)
	if err != nil {
		return a, err
	}
	a.Kind, a.Nonce, a.GasLimit = gpumarket.TxAttemptKind(kind), uint64(nonce), uint64(gasLimit)
	copy(a.Hash[:], hash)
	if a.MaxFeePerGas, err = decodeRequired("tx_attempts.max_fee_per_gas", &maxFee); err != nil {
		return a, err
	}
	if a.MaxPriorityFeePerGas, err = decodeRequired("tx_attempts.max_priority_fee_per_gas", &tip); err != nil {
		return a, err
	}
	if broadcastAt != nil {
		a.BroadcastAt = *broadcastAt
	}
	if broadcastBlock != nil {
		a.BroadcastBlock = uint64(*broadcastBlock)
	}
	return a, nil
}

// CreateIntent records a planned intent unless one with the same (chain,
// sender, key) exists; it returns the stored intent and whether it was
// created. An existing intent with a different recipient, data or value is an
// ECONFLICT error: an idempotency key names exactly one action.
func (j *Journal) CreateIntent(ctx context.Context, in gpumarket.TxIntent) (gpumarket.TxIntent, bool, error) {
	if in.Value == nil {
		in.Value = new(big.Int)
	}
	var out gpumarket.TxIntent
	created := false
	err := pgx.BeginFunc(ctx, j.db.pool, func(tx pgx.Tx) error {
		if err := ensureSender(ctx, tx, in.ChainID, in.From); err != nil {
			return err
		}
		row := tx.QueryRow(ctx, `INSERT INTO tx_intents (chain_id, sender, key, recipient, data, value, gas_limit)
			VALUES ($1, $2, $3, $4, $5, $6::numeric, $7)
			ON CONFLICT (chain_id, sender, key) DO NOTHING
			RETURNING `+intentColumns,
			int64(in.ChainID), in.From[:], in.Key, in.To[:], nonNil(in.Data), in.Value.String(), int64(in.GasLimit))
		var err error
		out, err = scanIntent(row)
		if err == nil {
			created = true
			return nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("insert intent %q: %w", in.Key, translate(err))
		}
		out, err = scanIntent(tx.QueryRow(ctx, `SELECT `+intentColumns+` FROM tx_intents WHERE chain_id = $1 AND sender = $2 AND key = $3`,
			int64(in.ChainID), in.From[:], in.Key))
		if err != nil {
			return fmt.Errorf("read intent %q: %w", in.Key, translate(err))
		}
		return nil
	})
	if err != nil {
		return out, false, err
	}
	if !created && (out.To != in.To || string(out.Data) != string(in.Data) || out.Value.Cmp(in.Value) != 0) {
		return out, false, gpumarket.Errorf(gpumarket.ECONFLICT, "idempotency key %q already names a different action (to %s, %d bytes of data, value %s)", in.Key, out.To, len(out.Data), out.Value)
	}
	return out, created, nil
}

func nonNil(b []byte) []byte {
	if b == nil {
		return []byte{}
	}
	return b
}

func ensureSender(ctx context.Context, tx pgx.Tx, chainID uint64, sender gpumarket.Address) error {
	if _, err := tx.Exec(ctx, `INSERT INTO tx_senders (chain_id, sender) VALUES ($1, $2) ON CONFLICT DO NOTHING`, int64(chainID), sender[:]); err != nil {
		return fmt.Errorf("record sender %s: %w", sender, translate(err))
	}
	return nil
}

// Intent returns the intent with key. It returns an ENOTFOUND error when there is none.
func (j *Journal) Intent(ctx context.Context, chainID uint64, sender gpumarket.Address, key string) (gpumarket.TxIntent, error) {
	in, err := scanIntent(j.db.pool.QueryRow(ctx, `SELECT `+intentColumns+` FROM tx_intents WHERE chain_id = $1 AND sender = $2 AND key = $3`,
		int64(chainID), sender[:], key))
	if err != nil {
		return in, fmt.Errorf("read intent %q: %w", key, translate(err))
	}
	return in, nil
}

// Intents lists the sender's intents in the given states (all states when
// none are given), in nonce order then creation order, at most limit rows
// (no limit when limit <= 0).
func (j *Journal) Intents(ctx context.Context, chainID uint64, sender gpumarket.Address, states []gpumarket.TxState, limit int) ([]gpumarket.TxIntent, error) {
	names := make([]string, 0, len(states))
	for _, s := range states {
		names = append(names, string(s))
	}
	if limit <= 0 {
		limit = -1
	}
	return queryRows(ctx, j.db, "list intents", func(r pgx.CollectableRow) (gpumarket.TxIntent, error) { return scanIntent(r) },
		`SELECT `+intentColumns+` FROM tx_intents
		WHERE chain_id = $1 AND sender = $2 AND (cardinality($3::text[]) = 0 OR state = ANY($3::text[]))
		ORDER BY nonce NULLS LAST, id
		LIMIT CASE WHEN $4::int < 0 THEN NULL ELSE $4::int END`, int64(chainID), sender[:], names, limit)
}

// Attempts returns the sender's signed attempts for the given intents (all
// of the sender's attempts when ids is empty), in signing order.
func (j *Journal) Attempts(ctx context.Context, chainID uint64, sender gpumarket.Address, ids []int64) ([]gpumarket.TxAttempt, error) {
	if ids == nil {
		ids = []int64{}
	}
	return queryRows(ctx, j.db, "list attempts", func(r pgx.CollectableRow) (gpumarket.TxAttempt, error) { return scanAttempt(r) },
		`SELECT `+attemptColumns+` FROM tx_attempts
		WHERE intent_id IN (SELECT id FROM tx_intents WHERE chain_id = $1 AND sender = $2)
		  AND (cardinality($3::bigint[]) = 0 OR intent_id = ANY($3::bigint[]))
		ORDER BY id`, int64(chainID), sender[:], ids)
}

// NextNonce returns the nonce the sender's next signed intent will get (0
// for a sender the journal has never seen).
func (j *Journal) NextNonce(ctx context.Context, chainID uint64, sender gpumarket.Address) (uint64, error) {
	var n int64
	err := j.db.pool.QueryRow(ctx, `SELECT next_nonce FROM tx_senders WHERE chain_id = $1 AND sender = $2`, int64(chainID), sender[:]).Scan(&n)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read next nonce of %s: %w", sender, translate(err))
	}
	return uint64(n), nil
}

// RaiseNextNonce sets the sender's next nonce to at least n (it never lowers
// it) and returns the resulting value.
func (j *Journal) RaiseNextNonce(ctx context.Context, chainID uint64, sender gpumarket.Address, n uint64) (uint64, error) {
	var next int64
	err := pgx.BeginFunc(ctx, j.db.pool, func(tx pgx.Tx) error {
		if err := ensureSender(ctx, tx, chainID, sender); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `UPDATE tx_senders SET next_nonce = GREATEST(next_nonce, $3), updated_at = now()
			WHERE chain_id = $1 AND sender = $2 RETURNING next_nonce`, int64(chainID), sender[:], int64(n)).Scan(&next)
	})
	if err != nil {
		return 0, fmt.Errorf("raise next nonce of %s to %d: %w", sender, n, translate(err))
	}
	return uint64(next), nil
}

// SignIntent moves a planned intent to signed: in one database transaction
// it takes the sender's next nonce (row-locked), calls sign with it, stores
// the signed attempt and the intent's nonce, and advances the allocator. If
// sign fails nothing changes. It returns an ECONFLICT error when the intent
// is no longer planned.
func (j *Journal) SignIntent(ctx context.Context, intentID int64, sign func(nonce uint64) (gpumarket.TxAttempt, error)) (gpumarket.TxIntent, gpumarket.TxAttempt, error) {
	var (
		out    gpumarket.TxIntent
		stored gpumarket.TxAttempt
	)
	err := pgx.BeginFunc(ctx, j.db.pool, func(tx pgx.Tx) error {
		var (
			chainID int64
			sender  []byte
			state   string
		)
		if err := tx.QueryRow(ctx, `SELECT chain_id, sender, state FROM tx_intents WHERE id = $1 FOR UPDATE`, intentID).Scan(&chainID, &sender, &state); err != nil {
			return fmt.Errorf("lock intent %d: %w", intentID, translate(err))
		}
		if state != string(gpumarket.TxPlanned) {
			return gpumarket.Errorf(gpumarket.ECONFLICT, "intent %d is %s, not planned", intentID, state)
		}
		var nonce int64
		if err := tx.QueryRow(ctx, `SELECT next_nonce FROM tx_senders WHERE chain_id = $1 AND sender = $2 FOR UPDATE`, chainID, sender).Scan(&nonce); err != nil {
			return fmt.Errorf("lock nonce allocator: %w", translate(err))
		}
		a, err := sign(uint64(nonce))
		if err != nil {
			return fmt.Errorf("sign intent %d at nonce %d: %w", intentID, nonce, err)
		}
		if a.Nonce != uint64(nonce) {
			return fmt.Errorf("sign intent %d: signed nonce %d, allocated %d", intentID, a.Nonce, nonce)
		}
		a.IntentID, a.Kind = intentID, gpumarket.TxAttemptCall
		if err := insertAttempt(ctx, tx, &a); err != nil {
			return err
		}
		stored = a
		out, err = scanIntent(tx.QueryRow(ctx, `UPDATE tx_intents SET state = 'signed', nonce = $2, gas_limit = $3, raw_tx = $4, tx_hash = $5,
				max_fee_per_gas = $6::numeric, max_priority_fee_per_gas = $7::numeric, attempts = attempts + 1, updated_at = now()
			WHERE id = $1 RETURNING `+intentColumns,
			intentID, nonce, int64(a.GasLimit), a.Raw, a.Hash[:], a.MaxFeePerGas.String(), a.MaxPriorityFeePerGas.String()))
		if err != nil {
			return fmt.Errorf("store signed intent %d: %w", intentID, translate(err))
		}
		if _, err := tx.Exec(ctx, `UPDATE tx_senders SET next_nonce = $3 + 1, updated_at = now() WHERE chain_id = $1 AND sender = $2`, chainID, sender, nonce); err != nil {
			return fmt.Errorf("advance nonce allocator: %w", translate(err))
		}
		return nil
	})
	return out, stored, err
}

func insertAttempt(ctx context.Context, tx pgx.Tx, a *gpumarket.TxAttempt) error {
	err := tx.QueryRow(ctx, `INSERT INTO tx_attempts (intent_id, kind, nonce, raw_tx, tx_hash, gas_limit, max_fee_per_gas, max_priority_fee_per_gas)
		VALUES ($1, $2, $3, $4, $5, $6, $7::numeric, $8::numeric) RETURNING id, signed_at`,
		a.IntentID, string(a.Kind), int64(a.Nonce), a.Raw, a.Hash[:], int64(a.GasLimit), a.MaxFeePerGas.String(), a.MaxPriorityFeePerGas.String()).Scan(&a.ID, &a.SignedAt)
	if err != nil {
		return fmt.Errorf("store attempt %s for intent %d: %w", a.Hash, a.IntentID, translate(err))
	}
	return nil
}

// AddAttempt stores a further signed attempt at an in-flight intent's nonce
// (a fee-bumped replacement, or a fill) and makes it the intent's current
// transaction. A fill also marks the intent abandoned. It returns an
// ECONFLICT error when the intent is not in flight or the nonce differs.
func (j *Journal) AddAttempt(ctx context.Context, intentID int64, a gpumarket.TxAttempt) (gpumarket.TxIntent, gpumarket.TxAttempt, error) {
	var out gpumarket.TxIntent
	err := pgx.BeginFunc(ctx, j.db.pool, func(tx pgx.Tx) error {
		var (
			state string
			nonce *int64
		)
		if err := tx.QueryRow(ctx, `SELECT state, nonce FROM tx_intents WHERE id = $1 FOR UPDATE`, intentID).Scan(&state, &nonce); err != nil {
			return fmt.Errorf("lock intent %d: %w", intentID, translate(err))
		}
		if !gpumarket.TxState(state).InFlight() || nonce == nil || uint64(*nonce) != a.Nonce {
			return gpumarket.Errorf(gpumarket.ECONFLICT, "intent %d is %s at nonce %v: cannot add an attempt at nonce %d", intentID, state, nonce, a.Nonce)
		}
		a.IntentID = intentID
		if err := insertAttempt(ctx, tx, &a); err != nil {
			return err
		}
		var err error
		out, err = scanIntent(tx.QueryRow(ctx, `UPDATE tx_intents SET raw_tx = $2, tx_hash = $3, max_fee_per_gas = $4::numeric,
				max_priority_fee_per_gas = $5::numeric, attempts = attempts + 1, abandoned = abandoned OR $6, updated_at = now()
			WHERE id = $1 RETURNING `+intentColumns,
			intentID, a.Raw, a.Hash[:], a.MaxFeePerGas.String(), a.MaxPriorityFeePerGas.String(), a.Kind == gpumarket.TxAttemptFill))
		if err != nil {
			return fmt.Errorf("store attempt on intent %d: %w", intentID, translate(err))
		}
		return nil
	})
	return out, a, err
}

// Abandon records that an intent's call must not be sent again, with the
// reason; the manager then fills its nonce. A planned intent is skipped
// instead. It returns an ECONFLICT error for an intent that is already mined
// (the chain decided) or final.
func (j *Journal) Abandon(ctx context.Context, intentID int64, reason string) (gpumarket.TxIntent, error) {
	in, err := scanIntent(j.db.pool.QueryRow(ctx, `UPDATE tx_intents SET
			abandoned = (state <> 'planned'),
			state = CASE WHEN state = 'planned' THEN 'skipped' ELSE state END,
			finished_at = CASE WHEN state = 'planned' THEN now() ELSE finished_at END,
			reason = $2, updated_at = now()
		WHERE id = $1 AND state IN ('planned','signed','broadcast') RETURNING `+intentColumns, intentID, reason))
	if errors.Is(err, pgx.ErrNoRows) {
		return in, gpumarket.Errorf(gpumarket.ECONFLICT, "intent %d is already mined, final, or does not exist", intentID)
	}
	if err != nil {
		return in, fmt.Errorf("abandon intent %d: %w", intentID, translate(err))
	}
	return in, nil
}

// MarkBroadcast records that a node accepted attempt (first acceptance
// only: the stuck clock starts there) at chain head block, and moves a
// signed intent to broadcast.
func (j *Journal) MarkBroadcast(ctx context.Context, intentID, attemptID int64, block uint64) error {
	err := pgx.BeginFunc(ctx, j.db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE tx_attempts SET broadcast_at = COALESCE(broadcast_at, now()),
				broadcast_block = COALESCE(broadcast_block, $2), send_error = '' WHERE id = $1`, attemptID, int64(block)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE tx_intents SET state = 'broadcast', updated_at = now() WHERE id = $1 AND state = 'signed'`, intentID)
		return err
	})
	if err != nil {
		return fmt.Errorf("mark attempt %d broadcast: %w", attemptID, translate(err))
	}
	return nil
}

// MarkSendError records the class of an attempt's last send failure.
func (j *Journal) MarkSendError(ctx context.Context, attemptID int64, class string) error {
	if _, err := j.db.pool.Exec(ctx, `UPDATE tx_attempts SET send_error = $2 WHERE id = $1`, attemptID, class); err != nil {
		return fmt.Errorf("mark attempt %d send error: %w", attemptID, translate(err))
	}
	return nil
}

// Transition moves an intent from one state to another, as allowed by
// gpumarket.TxState.CanTransition, with u's fields: the receipt's position
// when entering mined (also recorded on the attempt), cleared when a reorg
// sends a mined intent back to broadcast; the reason when given. It returns
// an EINVALID error for a transition the state machine forbids and an
// ECONFLICT error when the intent is no longer in state from.
func (j *Journal) Transition(ctx context.Context, intentID int64, from, to gpumarket.TxState, u gpumarket.TxUpdate) (gpumarket.TxIntent, error) {
	if !from.CanTransition(to) {
		return gpumarket.TxIntent{}, gpumarket.Errorf(gpumarket.EINVALID, "intent %d: transition %s → %s is not allowed", intentID, from, to)
	}
	if to == gpumarket.TxMined && (u.MinedHash.IsZero() || u.MinedBlockHash.IsZero()) {
		return gpumarket.TxIntent{}, gpumarket.Errorf(gpumarket.EINVALID, "intent %d: mined needs the receipt's tx hash and block hash", intentID)
	}
	var out gpumarket.TxIntent
	err := pgx.BeginFunc(ctx, j.db.pool, func(tx pgx.Tx) error {
		var minedHash, minedBlockHash []byte
		var minedBlock *int64
		switch {
		case to == gpumarket.TxMined:
			minedHash, minedBlockHash = u.MinedHash[:], u.MinedBlockHash[:]
			b := int64(u.MinedBlock)
			minedBlock = &b
			if _, err := tx.Exec(ctx, `UPDATE tx_attempts SET mined_block_number = CASE WHEN tx_hash = $2 THEN $3::bigint END,
					mined_block_hash = CASE WHEN tx_hash = $2 THEN $4::bytea END WHERE intent_id = $1`,
				intentID, minedHash, b, minedBlockHash); err != nil {
				return fmt.Errorf("record receipt on attempt: %w", translate(err))
			}
		case from == gpumarket.TxMined && to == gpumarket.TxBroadcast:
			if _, err := tx.Exec(ctx, `UPDATE tx_attempts SET mined_block_number = NULL, mined_block_hash = NULL WHERE intent_id = $1`, intentID); err != nil {
				return fmt.Errorf("clear receipt on attempt: %w", translate(err))
			}
		}
		keepMined := from == gpumarket.TxMined && to != gpumarket.TxBroadcast
		row := tx.QueryRow(ctx, `UPDATE tx_intents SET state = $3,
				mined_tx_hash = CASE WHEN $7 THEN mined_tx_hash ELSE $4::bytea END,
				mined_block_number = CASE WHEN $7 THEN mined_block_number ELSE $5::bigint END,
				mined_block_hash = CASE WHEN $7 THEN mined_block_hash ELSE $6::bytea END,
				reason = CASE WHEN $8 = '' THEN reason ELSE $8 END,
				finished_at = CASE WHEN $3 IN ('confirmed','failed','skipped','replaced') THEN now() END,
				updated_at = now()
			WHERE id = $1 AND state = $2 RETURNING `+intentColumns,
			intentID, string(from), string(to), minedHash, minedBlock, minedBlockHash, keepMined, u.Reason)
		var err error
		out, err = scanIntent(row)
		if errors.Is(err, pgx.ErrNoRows) {
			return gpumarket.Errorf(gpumarket.ECONFLICT, "intent %d is no longer %s", intentID, from)
		}
		if err != nil {
			return fmt.Errorf("move intent %d %s → %s: %w", intentID, from, to, translate(err))
		}
		return nil
	})
	return out, err
}

// SenderSummary is one sender's journal on a chain, for checks that nothing
// was sent twice or left open.
type SenderSummary struct {
	Sender         gpumarket.Address
	DistinctNonces int64 // distinct nonces of its intents and attempts
	MaxNonce       int64 // the largest of them; -1 when none
	Intents        int64
	Confirmed      int64
	Skipped        int64
	Failed         int64
	Open           int64 // intents not in a final state (confirmed, failed, skipped, replaced)
}

// SenderSummaries returns the journal summary of every sender of chainID,
// in address order.
func (j *Journal) SenderSummaries(ctx context.Context, chainID uint64) ([]SenderSummary, error) {
	rows, err := j.db.pool.Query(ctx, `WITH n AS (
			SELECT sender, nonce FROM tx_intents WHERE chain_id = $1 AND nonce IS NOT NULL
			UNION
			SELECT i.sender, a.nonce FROM tx_attempts a JOIN tx_intents i ON i.id = a.intent_id WHERE i.chain_id = $1
		), s AS (
			SELECT i.sender,
			       count(*) AS intents,
			       count(*) FILTER (WHERE state = 'confirmed') AS confirmed,
			       count(*) FILTER (WHERE state = 'skipped') AS skipped,
			       count(*) FILTER (WHERE state = 'failed') AS failed,
			       count(*) FILTER (WHERE state NOT IN ('confirmed','failed','skipped','replaced')) AS open
			  FROM tx_intents i WHERE chain_id = $1 GROUP BY i.sender
		)
		SELECT s.sender,
		       (SELECT count(DISTINCT nonce) FROM n WHERE n.sender = s.sender),
		       (SELECT coalesce(max(nonce), -1) FROM n WHERE n.sender = s.sender),
		       s.intents, s.confirmed, s.skipped, s.failed, s.open
		  FROM s ORDER BY s.sender`, int64(chainID))
	if err != nil {
		return nil, translate(fmt.Errorf("summarize the transaction journal: %w", err))
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (SenderSummary, error) {
		var s SenderSummary
		var sender []byte
		err := r.Scan(&sender, &s.DistinctNonces, &s.MaxNonce, &s.Intents, &s.Confirmed, &s.Skipped, &s.Failed, &s.Open)
		s.Sender = toAddr(sender)
		return s, err
	})
	if err != nil {
		return nil, fmt.Errorf("summarize the transaction journal: %w", err)
	}
	return out, nil
}
