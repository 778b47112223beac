package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/indexer"
)

// IndexerStore is the indexer's PostgreSQL store.
type IndexerStore struct {
	db    *DB
	types *typesOnce // of the tables prepared batches copy into, read by the first commit
}

var _ indexer.Store = (*IndexerStore)(nil)

// NewIndexerStore returns the indexer store on db.
func NewIndexerStore(db *DB) *IndexerStore { return &IndexerStore{db: db, types: &typesOnce{}} }

// AcquireLease implements indexer.Store. Time is the database's clock.
func (s *IndexerStore) AcquireLease(ctx context.Context, chainID uint64, owner string, ttl time.Duration) error {
	if ttl < time.Second || owner == "" {
		return gpumarket.Errorf(gpumarket.EINVALID, "lease needs an owner and a ttl of at least 1s (got %q, %s)", owner, ttl)
	}
	tag, err := s.db.pool.Exec(ctx, `
		INSERT INTO indexer_leases (chain_id, owner, expires_at)
		VALUES ($1, $2, now() + $3::interval)
		ON CONFLICT (chain_id) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at
		WHERE indexer_leases.owner = EXCLUDED.owner OR indexer_leases.expires_at < now()`,
		int64(chainID), owner, ttl.String())
	if err != nil {
		return translate(fmt.Errorf("acquire lease: %w", err))
	}
	if tag.RowsAffected() == 0 {
		var holder string
		var until time.Time
		_ = s.db.pool.QueryRow(ctx, `SELECT owner, expires_at FROM indexer_leases WHERE chain_id = $1`, int64(chainID)).Scan(&holder, &until)
		return gpumarket.Errorf(gpumarket.ECONFLICT, "chain %d is indexed by %s (lease until %s)", chainID, holder, until.UTC().Format(time.RFC3339))
	}
	return nil
}

// LeaseHolder implements indexer.Store.
func (s *IndexerStore) LeaseHolder(ctx context.Context, chainID uint64) (string, error) {
	var holder string
	err := s.db.pool.QueryRow(ctx, `SELECT owner FROM indexer_leases WHERE chain_id = $1`, int64(chainID)).Scan(&holder)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", gpumarket.Errorf(gpumarket.ENOTFOUND, "chain %d has no indexer lease", chainID)
	}
	return holder, translate(err)
}

// TakeOverLease implements indexer.Store: one statement, so of two
// processes taking over from the same dead holder exactly one wins.
func (s *IndexerStore) TakeOverLease(ctx context.Context, chainID uint64, holder, owner string, ttl time.Duration) error {
	if ttl < time.Second || owner == "" {
		return gpumarket.Errorf(gpumarket.EINVALID, "lease needs an owner and a ttl of at least 1s (got %q, %s)", owner, ttl)
	}
	tag, err := s.db.pool.Exec(ctx, `UPDATE indexer_leases SET owner = $3, expires_at = now() + $4::interval WHERE chain_id = $1 AND owner = $2`,
		int64(chainID), holder, owner, ttl.String())
	if err != nil {
		return translate(fmt.Errorf("take over lease: %w", err))
	}
	if tag.RowsAffected() == 0 {
		return gpumarket.Errorf(gpumarket.ECONFLICT, "chain %d's lease is no longer held by %s", chainID, holder)
	}
	return nil
}

// ReleaseLease implements indexer.Store.
func (s *IndexerStore) ReleaseLease(ctx context.Context, chainID uint64, owner string) error {
	_, err := s.db.pool.Exec(ctx, `DELETE FROM indexer_leases WHERE chain_id = $1 AND owner = $2`, int64(chainID), owner)
	return translate(err)
}

// Cursor implements indexer.Store.
func (s *IndexerStore) Cursor(ctx context.Context, chainID uint64) (indexer.Cursor, error) {
	var c indexer.Cursor
	var number, fin int64
	var hash []byte
	err := s.db.pool.QueryRow(ctx, `SELECT block_number, block_hash, finalized_number FROM indexer_cursors WHERE chain_id = $1`, int64(chainID)).
		Scan(&number, &hash, &fin)
	if err != nil {
		return c, translate(fmt.Errorf("read cursor of chain %d: %w", chainID, err))
	}
	c.Number, c.Finalized = uint64(number), uint64(fin)
	copy(c.Hash[:], hash)
	return c, nil
}

// BlockHash implements indexer.Store.
func (s *IndexerStore) BlockHash(ctx context.Context, chainID, n uint64) (gpumarket.Hash, bool, error) {
	var h gpumarket.Hash
	var raw []byte
	err := s.db.pool.QueryRow(ctx, `SELECT hash FROM blocks WHERE chain_id = $1 AND number = $2`, int64(chainID), int64(n)).Scan(&raw)
	if errors.Is(err, pgx.ErrNoRows) {
		return h, false, nil
	}
	if err != nil {
		return h, false, fmt.Errorf("read block %d: %w", n, err)
	}
	copy(h[:], raw)
	return h, true, nil
}

// lockCursor checks the lease and locks the chain's cursor row for the
// transaction; it returns the cursor (ok false before the first commit).
func lockCursor(ctx context.Context, tx pgx.Tx, chainID uint64, owner string) (number int64, hash []byte, fin int64, ok bool, err error) {
	var held bool
	err = tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM indexer_leases WHERE chain_id = $1 AND owner = $2 AND expires_at > now() FOR UPDATE)`,
		int64(chainID), owner).Scan(&held)
	if err != nil {
		return 0, nil, 0, false, fmt.Errorf("check lease: %w", err)
	}
	if !held {
		return 0, nil, 0, false, indexer.ErrLeaseLost
	}
	err = tx.QueryRow(ctx, `SELECT block_number, block_hash, finalized_number FROM indexer_cursors WHERE chain_id = $1 FOR UPDATE`, int64(chainID)).
		Scan(&number, &hash, &fin)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil, 0, false, nil
	}
	if err != nil {
		return 0, nil, 0, false, fmt.Errorf("lock cursor: %w", err)
	}
	return number, hash, fin, true, nil
}

// Commit implements indexer.Store: logs, the cursor block, derived state and
// the cursor in one transaction, with the rows Prepare encoded ahead when
// b.Prepared holds them. The batch must continue the stored cursor
// (From = cursor + 1), which makes a replayed or concurrent batch fail
// with ECONFLICT instead of writing twice.
func (s *IndexerStore) Commit(ctx context.Context, b *indexer.Batch) error {
	p, _ := b.Prepared.(*prepared)
	return pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		number, _, fin, ok, err := lockCursor(ctx, tx, b.ChainID, b.Owner)
		if err != nil {
			return err
		}
		if ok && uint64(number)+1 != b.From {
			return gpumarket.Errorf(gpumarket.ECONFLICT, "batch %d-%d does not continue cursor %d", b.From, b.To, number)
		}
		if p == nil || !p.of(b) {
			if p, err = prepare(b, nil); err != nil {
				return err
			}
		}
		if _, err := s.types.get(ctx, tx); err != nil {
			return err
		}
		if err := p.copy(ctx, tx); err != nil {
			return err
		}
		t := p.t
		if err := refresh(ctx, tx, b.ChainID, max(b.Finalized, uint64(fin)), t); err != nil {
			return err
		}
		// The rest only writes: one round trip (pgx pipelines a batch).
		var w stmts
		queueNotifyJobs(&w, b.ChainID, t.jobs)
		w.add(fmt.Sprintf("store block %d", b.Block.Number), `
			INSERT INTO blocks (chain_id, number, hash, parent_hash, block_time, finalized)
			VALUES ($1, $2, $3, $4, to_timestamp($5), $6)
			ON CONFLICT (chain_id, number) DO UPDATE SET hash = EXCLUDED.hash, parent_hash = EXCLUDED.parent_hash,
				block_time = EXCLUDED.block_time, finalized = EXCLUDED.finalized`,
			int64(b.ChainID), int64(b.Block.Number), b.Block.Hash[:], b.Block.ParentHash[:], int64(b.Block.Time), b.Block.Number <= b.Finalized)
		newFin := max(int64(b.Finalized), fin)
		w.add("store cursor", `
			INSERT INTO indexer_cursors (chain_id, block_number, block_hash, finalized_number, updated_at)
			VALUES ($1, $2, $3, $4, now())
			ON CONFLICT (chain_id) DO UPDATE SET block_number = EXCLUDED.block_number, block_hash = EXCLUDED.block_hash,
				finalized_number = EXCLUDED.finalized_number, updated_at = now()`,
			int64(b.ChainID), int64(b.To), b.Block.Hash[:], newFin)
		if newFin > fin {
			queueFinalize(&w, b.ChainID, newFin)
		}
		return w.send(ctx, tx)
	})
}

// stmts are statements that return nothing the caller reads, sent in one
// round trip; each is named for its error.
type stmts struct {
	batch pgx.Batch
	names []string
}

func (s *stmts) add(name, sql string, args ...any) {
	s.batch.Queue(sql, args...)
	s.names = append(s.names, name)
}

// send runs the statements in tx and returns the first failure, wrapped
// with its name.
func (s *stmts) send(ctx context.Context, tx pgx.Tx) error {
	if len(s.names) == 0 {
		return nil
	}
	br := tx.SendBatch(ctx, &s.batch)
	for _, name := range s.names {
		if _, err := br.Exec(); err != nil {
			_ = br.Close()
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	if err := br.Close(); err != nil {
		return fmt.Errorf("%s: %w", s.names[len(s.names)-1], err)
	}
	return nil
}

// prepared is the part of a commit computed from its batch alone: the rows
// of logs and of the decoded events, what the batch touches, and the jobs
// created in it, folded. Commit computes it, unless Prepare did ahead.
type prepared struct {
	// what it was computed from: the batch's logs (their first element),
	// count and finalized number
	first     *gpumarket.Log
	n         int
	finalized uint64

	logs   [][]any    // the logs' rows (nil once in streams)
	events *eventRows // the events' rows (nil once in streams)
	t      *touched
	// streams are logs and events encoded for COPY (nil: copied from
	// the rows by pgx): logs, job_events, provider_events, market_events.
	streams []*copyStream
}

// copy writes the batch's logs and events.
func (p *prepared) copy(ctx context.Context, tx pgx.Tx) error {
	if p.streams != nil {
		for _, s := range p.streams {
			if err := s.send(ctx, tx); err != nil {
				return err
			}
		}
		return nil
	}
	if err := copyRows(ctx, tx, "logs", logColumns, p.logs); err != nil {
		return err
	}
	return storeEvents(ctx, tx, p.events)
}

var _ indexer.Preparer = (*IndexerStore)(nil)

// Prepare implements indexer.Preparer: it computes the batch's rows and
// folds its new jobs, reading nothing, and returns nil when that fails
// (Commit then fails the same way).
func (s *IndexerStore) Prepare(b *indexer.Batch) any {
	p, err := prepare(b, s.types.p.Load())
	if err != nil {
		return nil
	}
	return p
}

// prepare computes b's rows, and encodes its logs and events for COPY
// when the column types are known (types not nil).
func prepare(b *indexer.Batch, types *copyTables) (*prepared, error) {
	p := &prepared{n: len(b.Logs), finalized: b.Finalized, t: newTouched(), logs: make([][]any, len(b.Logs))}
	if len(b.Logs) > 0 {
		p.first = &b.Logs[0]
	}
	for i := range b.Logs {
		name := "unknown"
		if i < len(b.Events) && b.Events[i] != nil {
			name = b.Events[i].EventName()
		}
		p.logs[i] = logRow(b.ChainID, &b.Logs[i], name, b.Logs[i].BlockNumber <= b.Finalized)
	}
	var err error
	if p.events, err = encodeEvents(b, p.t); err != nil {
		return nil, err
	}
	if err := foldCreated(b.ChainID, p.t); err != nil {
		return nil, err
	}
	if types != nil {
		m := pgtype.NewMap() // a Map caches plans and is not safe for concurrent use
		for _, x := range []struct {
			table *copyTable
			rows  [][]any
		}{{types.logs, p.logs}, {types.jobEvents, p.events.jobs}, {types.providerEvents, p.events.providers}, {types.marketEvents, p.events.market}} {
			s, err := encodeCopy(m, x.table, x.rows)
			if err != nil {
				return nil, err
			}
			if s != nil {
				p.streams = append(p.streams, s)
			}
		}
		if p.streams == nil {
			p.streams = []*copyStream{} // nothing to copy
		}
		p.logs, p.events = nil, nil // encoded: the rows are not copied again (less to keep and collect)
		// The new jobs' rows, for a commit that finalizes up to
		// b.Finalized (refreshJobs checks).
		rows := make([][]any, 0, len(p.t.folded))
		for _, r := range p.t.folded {
			rows = append(rows, jobRow(r, b.Finalized))
		}
		if p.t.foldedRows, err = encodeCopy(m, types.jobs, rows); err != nil {
			return nil, err
		}
		p.t.foldedFinalized = b.Finalized
	}
	return p, nil
}

// of reports whether p was prepared from b as it is now.
func (p *prepared) of(b *indexer.Batch) bool {
	first := (*gpumarket.Log)(nil)
	if len(b.Logs) > 0 {
		first = &b.Logs[0]
	}
	return p.first == first && p.n == len(b.Logs) && p.finalized == b.Finalized
}

// logColumns are the columns logRow fills, in order.
var logColumns = []string{"chain_id", "block_hash", "log_index", "block_number", "block_time", "tx_hash", "tx_index", "address",
	"topic0", "topics", "data", "event_name", "finalized"}

// logRow is a log as a row of logs (or raw_logs).
func logRow(chainID uint64, l *gpumarket.Log, name string, finalized bool) []any {
	topics := make([][]byte, len(l.Topics))
	for j := range l.Topics {
		topics[j] = l.Topics[j][:]
	}
	var topic0 []byte
	if len(topics) > 0 {
		topic0 = topics[0]
	}
	data := l.Data
	if data == nil {
		data = []byte{} // a log with no data ("0x") is empty, not NULL
	}
	return []any{int64(chainID), l.BlockHash[:], int32(l.Index), int64(l.BlockNumber), time.Unix(int64(l.BlockTime), 0).UTC(),
		l.TxHash[:], int32(l.TxIndex), l.Address[:], topic0, topics, data, name, finalized}
}

func finalize(ctx context.Context, tx pgx.Tx, chainID uint64, n int64) error {
	var w stmts
	queueFinalize(&w, chainID, n)
	return w.send(ctx, tx)
}

// queueFinalize adds the statements that mark everything at or below n final.
func queueFinalize(w *stmts, chainID uint64, n int64) {
	w.add(fmt.Sprintf("finalize logs up to %d", n), `UPDATE logs SET finalized = true WHERE chain_id = $1 AND block_number <= $2 AND NOT finalized`, int64(chainID), n)
	w.add(fmt.Sprintf("finalize blocks up to %d", n), `UPDATE blocks SET finalized = true WHERE chain_id = $1 AND number <= $2 AND NOT finalized`, int64(chainID), n)
	queueFinalizeState(w, chainID, n)
	// Keep the finalized tail short: headers far below finality are never needed again.
	w.add("prune blocks", `DELETE FROM blocks WHERE chain_id = $1 AND number < $2 - 1024`, int64(chainID), n)
}

// Finalize implements indexer.Store.
func (s *IndexerStore) Finalize(ctx context.Context, chainID uint64, owner string, n uint64) error {
	return pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		number, _, fin, ok, err := lockCursor(ctx, tx, chainID, owner)
		if err != nil || !ok || int64(n) <= fin {
			return err
		}
		n = min(n, uint64(number))
		if _, err := tx.Exec(ctx, `UPDATE indexer_cursors SET finalized_number = $2, updated_at = now() WHERE chain_id = $1`, int64(chainID), int64(n)); err != nil {
			return fmt.Errorf("store finalized number: %w", err)
		}
		return finalize(ctx, tx, chainID, int64(n))
	})
}

// Rewind implements indexer.Store: it deletes every row above the ancestor,
// moves the cursor there and records the reorg, in one transaction. It
// refuses (gpumarket.ErrReorgBelowFinality) to touch finalized rows.
func (s *IndexerStore) Rewind(ctx context.Context, r *indexer.Rewind) error {
	return pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		_, _, fin, ok, err := lockCursor(ctx, tx, r.ChainID, r.Owner)
		if err != nil {
			return err
		}
		if ok && int64(r.Ancestor.Number) < fin {
			return fmt.Errorf("rewind to %d below finalized %d: %w", r.Ancestor.Number, fin, gpumarket.ErrReorgBelowFinality)
		}
		t, err := touchedAbove(ctx, tx, r.ChainID, r.Ancestor.Number)
		if err != nil {
			return err
		}
		// Decoded events go with their logs (ON DELETE CASCADE).
		tag, err := tx.Exec(ctx, `DELETE FROM logs WHERE chain_id = $1 AND block_number > $2`, int64(r.ChainID), int64(r.Ancestor.Number))
		if err != nil {
			return fmt.Errorf("delete logs above %d: %w", r.Ancestor.Number, err)
		}
		removed := tag.RowsAffected()
		if err := refresh(ctx, tx, r.ChainID, uint64(fin), t); err != nil {
			return err
		}
		if err := notifyJobs(ctx, tx, r.ChainID, t.jobs); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM blocks WHERE chain_id = $1 AND number > $2`, int64(r.ChainID), int64(r.Ancestor.Number)); err != nil {
			return fmt.Errorf("delete blocks above %d: %w", r.Ancestor.Number, err)
		}
		a := r.Ancestor
		if _, err := tx.Exec(ctx, `
			INSERT INTO blocks (chain_id, number, hash, parent_hash, block_time, finalized)
			VALUES ($1, $2, $3, $4, to_timestamp($5), $6)
			ON CONFLICT (chain_id, number) DO NOTHING`,
			int64(r.ChainID), int64(a.Number), a.Hash[:], a.ParentHash[:], int64(a.Time), int64(a.Number) <= fin); err != nil {
			return fmt.Errorf("store ancestor %d: %w", a.Number, err)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO indexer_cursors (chain_id, block_number, block_hash, finalized_number, updated_at)
			VALUES ($1, $2, $3, $4, now())
			ON CONFLICT (chain_id) DO UPDATE SET block_number = EXCLUDED.block_number, block_hash = EXCLUDED.block_hash, updated_at = now()`,
			int64(r.ChainID), int64(a.Number), a.Hash[:], fin); err != nil {
			return fmt.Errorf("move cursor to %d: %w", a.Number, err)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO indexer_reorgs (chain_id, ancestor, ancestor_hash, depth, old_head_hash, logs_removed)
			VALUES ($1, $2, $3, $4, $5, $6)`,
			int64(r.ChainID), int64(a.Number), a.Hash[:], int64(r.Depth), r.OldHead[:], removed); err != nil {
			return fmt.Errorf("record reorg: %w", err)
		}
		return nil
	})
}

// Logs returns the stored logs of blocks from..to in chain order.
func (s *IndexerStore) Logs(ctx context.Context, chainID, from, to uint64) ([]gpumarket.Log, error) {
	rows, err := s.db.pool.Query(ctx, `
		SELECT block_number, block_hash, extract(epoch FROM block_time)::bigint, tx_hash, tx_index, log_index, address, topics, data
		FROM logs WHERE chain_id = $1 AND block_number BETWEEN $2 AND $3
		ORDER BY block_number, log_index`, int64(chainID), int64(from), int64(to))
	if err != nil {
		return nil, fmt.Errorf("query logs: %w", err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (gpumarket.Log, error) {
		var l gpumarket.Log
		var number, blockTime int64
		var txIndex, index int32
		var blockHash, txHash, address []byte
		var topics [][]byte
		if err := row.Scan(&number, &blockHash, &blockTime, &txHash, &txIndex, &index, &address, &topics, &l.Data); err != nil {
			return l, err
		}
		l.BlockNumber, l.BlockTime, l.TxIndex, l.Index = uint64(number), uint64(blockTime), uint(txIndex), uint(index)
		copy(l.BlockHash[:], blockHash)
		copy(l.TxHash[:], txHash)
		copy(l.Address[:], address)
		for _, t := range topics {
			var h gpumarket.Hash
			copy(h[:], t)
			l.Topics = append(l.Topics, h)
		}
		return l, nil
	})
}

// Reorgs returns how many reorganizations were recorded for the chain.
func (s *IndexerStore) Reorgs(ctx context.Context, chainID uint64) (int, error) {
	var n int
	err := s.db.pool.QueryRow(ctx, `SELECT count(*) FROM indexer_reorgs WHERE chain_id = $1`, int64(chainID)).Scan(&n)
	return n, translate(err)
}

// Replay deletes every log and block from block from upward and moves the
// cursor to from-1 (whose hash the caller read from the node), so that the
// indexer re-derives everything from there. Unlike a reorg rewind it may go
// below the finalized block: it is an operator's decision, and the data is
// fetched again from the canonical chain. It needs the lease.
func (s *IndexerStore) Replay(ctx context.Context, chainID uint64, owner string, before gpumarket.Block) error {
	return pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		_, _, fin, _, err := lockCursor(ctx, tx, chainID, owner)
		if err != nil {
			return err
		}
		t, err := touchedAbove(ctx, tx, chainID, before.Number)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM logs WHERE chain_id = $1 AND block_number > $2`, int64(chainID), int64(before.Number)); err != nil {
			return fmt.Errorf("delete logs above %d: %w", before.Number, err)
		}
		if err := refresh(ctx, tx, chainID, uint64(min(fin, int64(before.Number))), t); err != nil {
			return err
		}
		if err := notifyJobs(ctx, tx, chainID, t.jobs); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM blocks WHERE chain_id = $1 AND number >= $2`, int64(chainID), int64(before.Number)); err != nil {
			return fmt.Errorf("delete blocks from %d: %w", before.Number, err)
		}
		fin = min(fin, int64(before.Number))
		_, err = tx.Exec(ctx, `
			INSERT INTO indexer_cursors (chain_id, block_number, block_hash, finalized_number, updated_at)
			VALUES ($1, $2, $3, $4, now())
			ON CONFLICT (chain_id) DO UPDATE SET block_number = EXCLUDED.block_number, block_hash = EXCLUDED.block_hash,
				finalized_number = EXCLUDED.finalized_number, updated_at = now()`,
			int64(chainID), int64(before.Number), before.Hash[:], fin)
		if err != nil {
			return fmt.Errorf("move cursor to %d: %w", before.Number, err)
		}
		return nil
	})
}
