package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/matcher/service"
)

// A job's durable activity for its live status stream, and the
// notifications that tell the stream to re-read it.

// JobWithActivity implements api.Store: Job and its activity read in one
// snapshot, so that a stream never sees a job's new state without the
// event that made it, nor the reverse. It is JobsWithActivity for one job.
func (s *MatcherAPIStore) JobWithActivity(ctx context.Context, chainID uint64, id gpumarket.JobID, fromBlock uint64, fromLog uint32, afterOffer int64) (service.JobView, service.JobActivity, error) {
	snaps, err := s.JobsWithActivity(ctx, chainID, []service.ActivityQuery{{JobID: id, FromBlock: fromBlock, FromLog: fromLog, AfterOffer: afterOffer}})
	if err != nil {
		return service.JobView{ChainID: chainID, JobID: id}, service.JobActivity{}, err
	}
	return snaps[0].View, snaps[0].Activity, snaps[0].Err
}

// JobsWithActivity implements api.Store: for each query, the job's view
// (as Job returns it) and its chain events from (FromBlock, FromLog) on, in
// chain order, and offers with an id above AfterOffer, in creation order;
// all in one snapshot (a read-only repeatable-read transaction) and one
// round trip for its five queries, however many jobs are asked for. A job
// the indexer does not know gets an ENOTFOUND Err. Queries may name a job
// more than once.
func (s *MatcherAPIStore) JobsWithActivity(ctx context.Context, chainID uint64, qs []service.ActivityQuery) ([]service.JobSnapshot, error) {
	out := make([]service.JobSnapshot, len(qs))
	if len(qs) == 0 {
		return out, nil
	}
	ids := make([]string, len(qs))
	fromBlocks, fromLogs, afterOffers := make([]int64, len(qs)), make([]int32, len(qs)), make([]int64, len(qs))
	byID := make(map[gpumarket.JobID][]int, len(qs))
	for i, q := range qs {
		ids[i] = q.JobID.String()
		fromBlocks[i], fromLogs[i], afterOffers[i] = int64(min(q.FromBlock, 1<<63-1)), int32(min(q.FromLog, 1<<31-1)), q.AfterOffer
		byID[q.JobID] = append(byID[q.JobID], i)
		out[i].View = service.JobView{ChainID: chainID, JobID: q.JobID}
		out[i].Err = gpumarket.Errorf(gpumarket.ENOTFOUND, "job %d/%d is not indexed", chainID, q.JobID) // until its row is read
	}
	chain := int64(chainID)
	err := pgx.BeginTxFunc(ctx, s.db.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		b.Queue(`SELECT job_id::text, `+jobScanColumns+` FROM jobs WHERE chain_id = $1 AND job_id = ANY($2::text[]::numeric[])`, chain, ids)
		b.Queue(`SELECT job_id::text, `+matchingScanColumns+` FROM matcher_jobs WHERE chain_id = $1 AND job_id = ANY($2::text[]::numeric[])`, chain, ids)
		b.Queue(`SELECT `+assignmentViewColumns+` FROM assignments WHERE chain_id = $1 AND job_id = ANY($2::text[]::numeric[]) ORDER BY job_id, id`, chain, ids)
		b.Queue(`
			SELECT q.i, e.block_number, e.block_hash, e.log_index, e.event_name, e.tx_hash, e.block_time, e.payload
			FROM unnest($2::text[], $3::bigint[], $4::int[]) WITH ORDINALITY AS q(job_id, from_block, from_log, i)
			CROSS JOIN LATERAL (
				SELECT * FROM job_events e
				WHERE e.chain_id = $1 AND e.job_id = q.job_id::numeric AND (e.block_number, e.log_index) >= (q.from_block, q.from_log)
			) e
			ORDER BY q.i, e.block_number, e.log_index`, chain, ids, fromBlocks, fromLogs)
		b.Queue(`
			SELECT q.i, a.id, a.provider, a.price::text, extract(epoch FROM a.expiry)::bigint, a.rank, a.state, a.created_at, a.closed_at
			FROM unnest($2::text[], $3::bigint[]) WITH ORDINALITY AS q(job_id, after_offer, i)
			CROSS JOIN LATERAL (
				SELECT * FROM assignments a WHERE a.chain_id = $1 AND a.job_id = q.job_id::numeric AND a.id > q.after_offer
			) a
			ORDER BY q.i, a.id`, chain, ids, afterOffers)
		br := tx.SendBatch(ctx, b)
		err := readActivityBatch(br, chainID, byID, out)
		if cerr := br.Close(); err == nil {
			err = cerr
		}
		return err
	})
	if err != nil {
		if gpumarket.ErrorCode(err) == gpumarket.EINTERNAL {
			err = translate(err)
		}
		return nil, fmt.Errorf("read %d jobs of chain %d with their activity: %w", len(qs), chainID, err)
	}
	for i := range out {
		if out[i].Err == nil && out[i].View.Assignments == nil {
			out[i].View.Assignments = []service.AssignmentView{}
		}
	}
	return out, nil
}

// readActivityBatch reads JobsWithActivity's five results into out.
func readActivityBatch(br pgx.BatchResults, chainID uint64, byID map[gpumarket.JobID][]int, out []service.JobSnapshot) error {
	rows, err := br.Query()
	if err != nil {
		return fmt.Errorf("read jobs: %w", err)
	}
	var v service.JobView
	var j jobScan
	var idText string
	dest := append([]any{&idText}, j.dest(&v)...)
	_, err = pgx.ForEachRow(rows, dest, func() error {
		id, err := gpumarket.ParseJobID(idText)
		if err != nil {
			return err
		}
		err = j.finish(&v)
		if err != nil { // this job's stream fails, not the others of the batch
			err = fmt.Errorf("read job %d/%d: %w", chainID, id, err)
		}
		for _, i := range byID[id] {
			out[i].View.Chain, out[i].Err = v.Chain, err
		}
		v, j = service.JobView{}, jobScan{}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read jobs: %w", err)
	}

	if rows, err = br.Query(); err != nil {
		return fmt.Errorf("read matching states: %w", err)
	}
	var m matchingScan
	dest = append([]any{&idText}, m.dest()...)
	_, err = pgx.ForEachRow(rows, dest, func() error {
		id, err := gpumarket.ParseJobID(idText)
		if err != nil {
			return err
		}
		for _, i := range byID[id] {
			out[i].View.Matching = m.view()
		}
		m = matchingScan{}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read matching states: %w", err)
	}

	if rows, err = br.Query(); err != nil {
		return fmt.Errorf("read assignments: %w", err)
	}
	assignments, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (service.AssignmentView, error) {
		return scanAssignment(r, chainID, true)
	})
	if err != nil {
		return fmt.Errorf("read assignments: %w", err)
	}
	for _, a := range assignments {
		for _, i := range byID[a.JobID] {
			out[i].View.Assignments = append(out[i].View.Assignments, a)
		}
	}

	if rows, err = br.Query(); err != nil {
		return fmt.Errorf("read job events: %w", err)
	}
	var at int64
	var e service.JobChainEvent
	var block int64
	var logIndex int32
	var bh, tx, payload []byte
	_, err = pgx.ForEachRow(rows, []any{&at, &block, &bh, &logIndex, &e.Name, &tx, &e.BlockTime, &payload}, func() error {
		e.Block, e.LogIndex, e.Payload = uint64(max(block, 0)), uint32(max(logIndex, 0)), json.RawMessage(payload)
		copy(e.BlockHash[:], bh)
		copy(e.TxHash[:], tx)
		if i := int(at - 1); i >= 0 && i < len(out) {
			out[i].Activity.Chain = append(out[i].Activity.Chain, e)
		}
		e, payload = service.JobChainEvent{}, nil
		return nil
	})
	if err != nil {
		return fmt.Errorf("read job events: %w", err)
	}

	if rows, err = br.Query(); err != nil {
		return fmt.Errorf("read offers: %w", err)
	}
	var o service.JobOffer
	var prov []byte
	var price string
	var rank int32
	_, err = pgx.ForEachRow(rows, []any{&at, &o.ID, &prov, &price, &o.Expiry, &rank, &o.State, &o.CreatedAt, &o.ClosedAt}, func() error {
		o.Provider, o.Rank = toAddr(prov), int(rank)
		var err error
		o.Price, err = decodeAmount("assignments.price", &price)
		if i := int(at - 1); i >= 0 && i < len(out) {
			if err != nil && out[i].Err == nil {
				out[i].Err = fmt.Errorf("read offers of job %d/%d: %w", chainID, out[i].View.JobID, err)
			}
			out[i].Activity.Offers = append(out[i].Activity.Offers, o)
		}
		o = service.JobOffer{}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read offers: %w", err)
	}
	return nil
}

// queueNotifyMatcher queues, on b, a notification on gpumarket_jobs that
// the matcher changed jobs (offers made or expired, matching state), with
// "source": "matcher" so that the matcher's own queue does not wake on it.
// It is sent at commit, like the indexer's.
func queueNotifyMatcher(b *pgx.Batch, chainID uint64, jobIDs []string) {
	for start := 0; start < len(jobIDs); start += 300 {
		chunk := jobIDs[start:min(start+300, len(jobIDs))]
		ids := make([]json.Number, len(chunk))
		for i, id := range chunk {
			ids[i] = json.Number(id)
		}
		payload, _ := json.Marshal(struct {
			ChainID uint64        `json:"chain_id"`
			JobIDs  []json.Number `json:"job_ids"`
			Source  string        `json:"source"`
		}{chainID, ids, "matcher"})
		b.Queue(`SELECT pg_notify('gpumarket_jobs', $1)`, string(payload))
	}
}

// notifyMatcher sends queueNotifyMatcher's notifications outside a
// transaction (after the change committed).
func notifyMatcher(ctx context.Context, db *DB, chainID uint64, jobIDs []string) error {
	if len(jobIDs) == 0 {
		return nil
	}
	b := &pgx.Batch{}
	queueNotifyMatcher(b, chainID, jobIDs)
	if err := db.pool.SendBatch(ctx, b).Close(); err != nil {
		return translate(fmt.Errorf("notify job changes: %w", err))
	}
	return nil
}
