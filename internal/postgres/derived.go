package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/indexer"
)

// touched is the set of jobs and providers a commit, rewind or replay
// changed: exactly the entities whose current state is recomputed.
type touched struct {
	jobs      map[gpumarket.JobID]bool
	providers map[gpumarket.Address]bool
	// batch holds, per job, the events of the batch being committed, in
	// chain order. A job whose JobCreated is among them has its whole
	// history here and is folded without reading it back.
	batch map[gpumarket.JobID][]batchEvent
	// folded holds the current state of each job created in the batch,
	// folded from batch alone (foldCreated).
	folded map[gpumarket.JobID]*gpumarket.JobRecord
	// foldedRows, when set, are folded's rows of jobs encoded for COPY
	// with finalized = foldedFinalized (Prepare).
	foldedRows      *copyStream
	foldedFinalized uint64
}

type batchEvent struct {
	ev          gpumarket.JobEvent
	block, time uint64
}

func newTouched() *touched {
	return &touched{jobs: map[gpumarket.JobID]bool{}, providers: map[gpumarket.Address]bool{}, batch: map[gpumarket.JobID][]batchEvent{},
		folded: map[gpumarket.JobID]*gpumarket.JobRecord{}}
}

// eventRows are a batch's rows of job_events, provider_events and
// market_events.
type eventRows struct {
	jobs, providers, market [][]any
}

// encodeEvents turns each decoded event into its row of job_events,
// provider_events or market_events (a log may be both a job's and a
// provider's: a slash) and notes what it touched; it reads nothing.
func encodeEvents(b *indexer.Batch, t *touched) (*eventRows, error) {
	rows := &eventRows{}
	for i, ev := range b.Events {
		if ev == nil {
			continue
		}
		l := &b.Logs[i]
		payload, err := json.Marshal(ev)
		if err != nil {
			return nil, fmt.Errorf("encode %s payload: %w", ev.EventName(), err)
		}
		at := time.Unix(int64(l.BlockTime), 0).UTC()
		fin := l.BlockNumber <= b.Finalized
		stored := false
		if je, ok := ev.(gpumarket.JobEvent); ok {
			t.jobs[je.JobID()] = true
			t.batch[je.JobID()] = append(t.batch[je.JobID()], batchEvent{je, l.BlockNumber, l.BlockTime})
			rows.jobs = append(rows.jobs, []any{int64(b.ChainID), l.BlockHash[:], int32(l.Index), copyUint64(uint64(je.JobID())),
				int64(l.BlockNumber), at, l.TxHash[:], ev.EventName(), payload, fin})
			stored = true
		}
		if pe, ok := ev.(gpumarket.ProviderEvent); ok {
			p := pe.ProviderAddress()
			t.providers[p] = true
			rows.providers = append(rows.providers, []any{int64(b.ChainID), l.BlockHash[:], int32(l.Index), slices.Clone(p[:]),
				int64(l.BlockNumber), at, l.TxHash[:], ev.EventName(), payload, fin})
			stored = true
		}
		if !stored {
			var account, token []byte
			var amount any
			switch e := ev.(type) {
			case *gpumarket.Withdrawn:
				account, token, amount = slices.Clone(e.Account[:]), slices.Clone(e.Token[:]), copyNumeric(e.Amount)
			case *gpumarket.CompensationWithdrawn:
				account, amount = slices.Clone(e.Account[:]), copyNumeric(e.Amount)
			}
			rows.market = append(rows.market, []any{int64(b.ChainID), l.BlockHash[:], int32(l.Index), int64(l.BlockNumber), at,
				l.TxHash[:], ev.EventName(), account, token, amount, payload, fin})
		}
	}
	return rows, nil
}

// storeEvents copies a batch's event rows in with COPY, so a range of
// thousands of events costs a few statements.
func storeEvents(ctx context.Context, tx pgx.Tx, rows *eventRows) error {
	if err := copyRows(ctx, tx, "job_events", jobEventColumns, rows.jobs); err != nil {
		return err
	}
	if err := copyRows(ctx, tx, "provider_events", providerEventColumns, rows.providers); err != nil {
		return err
	}
	return copyRows(ctx, tx, "market_events", marketEventColumns, rows.market)
}

// foldCreated folds each job whose JobCreated is in the batch from the
// batch's events alone (its whole history) into t.folded. A history the
// fold rejects is an indexer.ErrCritical: it can only come from a bug.
func foldCreated(chainID uint64, t *touched) error {
	for id, evs := range t.batch {
		if len(evs) == 0 || evs[0].ev.EventName() != "JobCreated" {
			continue
		}
		r := &gpumarket.JobRecord{}
		for _, e := range evs {
			if err := r.Apply(e.ev, e.block, e.time); err != nil {
				return fmt.Errorf("%w: fold job %d: %v", indexer.ErrCritical, id, err)
			}
		}
		r.ChainID, r.ID = chainID, id
		t.folded[id] = r
	}
	return nil
}

// copyRows copies rows into table with COPY. A batch's rows are new by
// construction: Commit checked under the cursor lock that the batch
// continues the cursor, every row above the cursor was deleted by the
// rewind or replay that moved it, and a block hash belongs to one height.
// A duplicate key is therefore a bug, and it fails the commit (a unique
// violation) instead of being skipped.
func copyRows(ctx context.Context, tx pgx.Tx, table string, cols []string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows)); err != nil {
		return fmt.Errorf("copy %d rows into %s: %w", len(rows), table, err)
	}
	return nil
}

// touchedAbove returns the jobs and providers with events above block n.
func touchedAbove(ctx context.Context, tx pgx.Tx, chainID uint64, n uint64) (*touched, error) {
	t := newTouched()
	rows, err := tx.Query(ctx, `SELECT DISTINCT job_id::text FROM job_events WHERE chain_id = $1 AND block_number > $2`, int64(chainID), int64(n))
	if err != nil {
		return nil, fmt.Errorf("find jobs above %d: %w", n, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("find jobs above %d: %w", n, err)
	}
	for _, s := range ids {
		id, err := gpumarket.ParseJobID(s)
		if err != nil {
			return nil, err
		}
		t.jobs[id] = true
	}
	rows, err = tx.Query(ctx, `SELECT DISTINCT provider FROM provider_events WHERE chain_id = $1 AND block_number > $2`, int64(chainID), int64(n))
	if err != nil {
		return nil, fmt.Errorf("find providers above %d: %w", n, err)
	}
	addrs, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
	if err != nil {
		return nil, fmt.Errorf("find providers above %d: %w", n, err)
	}
	for _, a := range addrs {
		t.providers[gpumarket.Address(a)] = true
	}
	return t, nil
}

// refresh recomputes the current state of every touched job and provider
// from its whole event history (a pure fold, gpumarket.JobRecord.Apply),
// replacing its rows: deleted, then copied in fresh. An entity left with no
// events (its creation was reorganized away) disappears. A history the fold
// rejects is an indexer.ErrCritical: it can only come from a bug.
func refresh(ctx context.Context, tx pgx.Tx, chainID uint64, finalized uint64, t *touched) error {
	backers := map[gpumarket.Address]bool{} // providers whose reservations may have changed
	if len(t.jobs) > 0 {
		if err := refreshJobs(ctx, tx, chainID, finalized, t, backers); err != nil {
			return err
		}
	}
	if len(t.providers) > 0 {
		if err := refreshProviders(ctx, tx, chainID, finalized, t.providers); err != nil {
			return err
		}
		for a := range t.providers {
			backers[a] = true // its row was rewritten
		}
	}
	return refreshReservations(ctx, tx, chainID, backers)
}

// reservingStates are the job states that hold a stake reservation.
var reservingStates = []string{gpumarket.JobStateAssigned.String(), gpumarket.JobStateSubmitted.String(), gpumarket.JobStateDisputed.String()}

// refreshReservations sets providers.reserved_stake of the given providers
// to the sum of the reservations of their unfinished jobs: the registry
// emits no event for reservations, the marketplace's job events carry them.
func refreshReservations(ctx context.Context, tx pgx.Tx, chainID uint64, providers map[gpumarket.Address]bool) error {
	if len(providers) == 0 {
		return nil
	}
	list := make([][]byte, 0, len(providers))
	for a := range providers {
		list = append(list, slices.Clone(a[:]))
	}
	_, err := tx.Exec(ctx, `
		UPDATE providers p SET reserved_stake = coalesce((
			SELECT sum(j.reserved_stake) FROM jobs j
			WHERE j.chain_id = p.chain_id AND j.provider = p.provider AND j.state = ANY($3)), 0)
		WHERE p.chain_id = $1 AND p.provider = ANY($2)`, int64(chainID), list, reservingStates)
	if err != nil {
		return fmt.Errorf("refresh reserved stake of %d providers: %w", len(list), err)
	}
	return nil
}

type jobHistoryRow struct {
	JobID     string
	Name      string
	Payload   []byte
	Block     int64
	BlockTime time.Time
}

type providerHistoryRow struct {
	Provider  []byte
	Name      string
	Payload   []byte
	Block     int64
	BlockTime time.Time
}

// refreshJobs re-folds the touched jobs (those created in the batch were
// folded by foldCreated) and adds to backers the providers
// they name, before and after (a reorg can drop an acceptance).
func refreshJobs(ctx context.Context, tx pgx.Tx, chainID, finalized uint64, t *touched, backers map[gpumarket.Address]bool) error {
	var records []*gpumarket.JobRecord
	var stored []string // jobs created before this batch: their history is read back
	encoded := t.foldedRows != nil && t.foldedFinalized == finalized
	for id := range t.jobs {
		if r, ok := t.folded[id]; ok {
			if !r.Provider.IsZero() {
				backers[r.Provider] = true
			}
			if !encoded {
				records = append(records, r)
			}
			continue
		}
		stored = append(stored, id.String())
	}
	if encoded {
		if err := t.foldedRows.send(ctx, tx); err != nil {
			return err
		}
	}
	if len(stored) > 0 {
		history, err := loadJobHistories(ctx, tx, chainID, stored)
		if err != nil {
			return err
		}
		folded, err := foldJobHistories(chainID, history)
		if err != nil {
			return err
		}
		records = append(records, folded...)
	}
	// Only jobs created before this batch can have a row: a job created in
	// it is new (a rewind that removed an earlier creation deleted its row).
	if len(stored) > 0 {
		rows, err := tx.Query(ctx, `DELETE FROM jobs WHERE chain_id = $1 AND job_id = ANY($2::numeric[]) RETURNING provider`, int64(chainID), stored)
		if err != nil {
			return fmt.Errorf("clear touched jobs: %w", err)
		}
		old, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
		if err != nil {
			return fmt.Errorf("clear touched jobs: %w", err)
		}
		for _, p := range old {
			if p != nil {
				backers[gpumarket.Address(p)] = true
			}
		}
	}
	for _, r := range records {
		if !r.Provider.IsZero() {
			backers[r.Provider] = true
		}
	}
	if len(records) == 0 {
		return nil
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"jobs"}, jobColumns, pgx.CopyFromSlice(len(records), func(i int) ([]any, error) {
		return jobRow(records[i], finalized), nil
	}))
	if err != nil {
		return fmt.Errorf("write %d jobs: %w", len(records), err)
	}
	return nil
}

func loadJobHistories(ctx context.Context, tx pgx.Tx, chainID uint64, list []string) ([]jobHistoryRow, error) {
	rows, err := tx.Query(ctx, `
		SELECT job_id::text, event_name, payload, block_number, block_time FROM job_events
		WHERE chain_id = $1 AND job_id = ANY($2::numeric[])
		ORDER BY job_id, block_number, log_index`, int64(chainID), list)
	if err != nil {
		return nil, fmt.Errorf("load job histories: %w", err)
	}
	history, err := pgx.CollectRows(rows, pgx.RowToStructByPos[jobHistoryRow])
	if err != nil {
		return nil, fmt.Errorf("load job histories: %w", err)
	}
	return history, nil
}

// foldJobHistories folds histories ordered by job, block and log index.
func foldJobHistories(chainID uint64, history []jobHistoryRow) ([]*gpumarket.JobRecord, error) {
	var records []*gpumarket.JobRecord
	var cur *gpumarket.JobRecord
	for _, h := range history {
		id, err := gpumarket.ParseJobID(h.JobID)
		if err != nil {
			return nil, err
		}
		if cur == nil || cur.ID != id {
			cur = &gpumarket.JobRecord{}
			records = append(records, cur)
		}
		ev, err := decodeJobEvent(h.Name, h.Payload)
		if err != nil {
			return nil, fmt.Errorf("%w: job %d: %v", indexer.ErrCritical, id, err)
		}
		if err := cur.Apply(ev, uint64(h.Block), uint64(h.BlockTime.Unix())); err != nil {
			return nil, fmt.Errorf("%w: fold job %d: %v", indexer.ErrCritical, id, err)
		}
		cur.ChainID, cur.ID = chainID, id
	}
	return records, nil
}

var jobColumns = []string{"chain_id", "job_id", "client", "token", "max_payment", "kind", "state", "deadline", "fee_bps", "creator_share_bps",
	"preferred_provider", "creator", "spec_hash", "spec_uri", "order_nonce", "provider", "price", "amount_due", "challenge_end", "disputed_at",
	"signer", "matcher", "result_hash", "result_uri", "usage_units", "usage_extra_units", "dispute_reason", "treasury", "protocol_fee",
	"creator_amount", "provider_amount", "client_refund", "refund", "slashed", "arbiter", "timed_out", "closed_by", "created_at",
	"assigned_at", "submitted_at", "dispute_opened_at", "settled_at", "refunded_at", "cancelled_at", "last_block", "finalized",
	"spec_uri_raw", "spec_uri_escaped", "result_uri_raw", "result_uri_escaped",
	"reserved_stake", "dispute_bond", "bond_to_provider", "bond_to_client"}

func jobRow(r *gpumarket.JobRecord, finalized uint64) []any {
	row := []any{int64(r.ChainID), copyUint64(uint64(r.ID)), r.Client[:], r.Token[:], copyNumeric(r.MaxPayment), r.Kind.String(), r.State.String(),
		unixTime(r.Deadline), int32(r.FeeBps), int32(r.CreatorShareBps), optAddr(r.PreferredProvider), optAddr(r.Creator), r.SpecHash[:],
		r.SpecURI.Text(), copyNumeric(r.OrderNonce), optAddr(r.Provider), copyNumeric(zeroIfNil(r.Price)), copyNumeric(zeroIfNil(r.AmountDue)), optTime(r.ChallengeEnd),
		optTime(r.DisputedAt), optAddr(r.Signer), optAddr(r.Matcher), optHash(r.ResultHash), optChainText(r.ResultURI)}
	if r.SubmittedAt != 0 {
		row = append(row, copyUint64(r.Usage.Units1), copyUint64(r.Usage.Units2))
	} else {
		row = append(row, nil, nil)
	}
	row = append(row, optHash(r.DisputeReason))
	// The treasury is the job's (snapshotted at creation; the payout credits
	// the same account).
	row = append(row, optAddr(r.Treasury))
	if p := r.Payout; p != nil {
		row = append(row, copyNumeric(p.ProtocolFee), copyNumeric(p.CreatorAmount), copyNumeric(p.ProviderAmount), copyNumeric(p.ClientRefund))
	} else {
		row = append(row, nil, nil, nil, nil)
	}
	row = append(row, copyNumeric(r.Refund), copyNumeric(r.Slashed), optAddr(r.Arbiter), r.TimedOut, optAddr(r.ClosedBy), unixTime(r.CreatedAt),
		optTime(r.AssignedAt), optTime(r.SubmittedAt), optTime(r.DisputedTime), optTime(r.SettledAt), optTime(r.RefundedAt),
		optTime(r.CancelledAt), int64(r.LastBlock), r.LastBlock <= finalized,
		[]byte(r.SpecURI), !r.SpecURI.IsText(), optChainRaw(r.ResultURI), !r.ResultURI.IsText(),
		copyNumeric(r.ReservedStake), copyNumeric(zeroIfNil(r.DisputeBond)), copyNumeric(r.BondToProvider), copyNumeric(r.BondToClient))
	return row
}

func refreshProviders(ctx context.Context, tx pgx.Tx, chainID, finalized uint64, addrs map[gpumarket.Address]bool) error {
	list := make([][]byte, 0, len(addrs))
	for a := range addrs {
		list = append(list, slices.Clone(a[:]))
	}
	rows, err := tx.Query(ctx, `
		SELECT provider, event_name, payload, block_number, block_time FROM provider_events
		WHERE chain_id = $1 AND provider = ANY($2)
		ORDER BY provider, block_number, log_index`, int64(chainID), list)
	if err != nil {
		return fmt.Errorf("load provider histories: %w", err)
	}
	history, err := pgx.CollectRows(rows, pgx.RowToStructByPos[providerHistoryRow])
	if err != nil {
		return fmt.Errorf("load provider histories: %w", err)
	}
	var records []*gpumarket.ProviderRecord
	var cur *gpumarket.ProviderRecord
	for _, h := range history {
		addr := gpumarket.Address(h.Provider)
		if cur == nil || cur.Provider != addr {
			cur = &gpumarket.ProviderRecord{ChainID: chainID, Provider: addr}
			records = append(records, cur)
		}
		ev, err := decodeProviderEvent(h.Name, h.Payload)
		if err != nil {
			return fmt.Errorf("%w: provider %s: %v", indexer.ErrCritical, addr, err)
		}
		if err := cur.Apply(ev, uint64(h.Block), uint64(h.BlockTime.Unix())); err != nil {
			return fmt.Errorf("%w: fold provider %s: %v", indexer.ErrCritical, addr, err)
		}
	}
	if _, err := tx.Exec(ctx, `DELETE FROM providers WHERE chain_id = $1 AND provider = ANY($2)`, int64(chainID), list); err != nil {
		return fmt.Errorf("clear touched providers: %w", err)
	}
	if len(records) == 0 {
		return nil
	}
	_, err = tx.CopyFrom(ctx, pgx.Identifier{"providers"},
		[]string{"chain_id", "provider", "signer", "attestation_hash", "attestation_expiry", "metadata_uri", "registered", "active", "stake",
			"unbonding", "unbonding_ready_at", "slashed_total", "registered_at", "last_block", "finalized", "metadata_uri_raw", "metadata_uri_escaped"},
		pgx.CopyFromSlice(len(records), func(i int) ([]any, error) {
			r := records[i]
			return []any{int64(chainID), r.Provider[:], optAddr(r.Signer), optHash(r.AttestationHash), optTime(r.AttestationExpiry), r.MetadataURI.Text(),
				r.Registered, r.Active, copyNumeric(r.Stake), copyNumeric(r.Unbonding), optTime(r.UnbondingReadyAt), copyNumeric(r.SlashedTotal),
				optTime(r.RegisteredAt), int64(r.LastBlock), r.LastBlock <= finalized, []byte(r.MetadataURI), !r.MetadataURI.IsText()}, nil
		}))
	if err != nil {
		return fmt.Errorf("write %d providers: %w", len(records), err)
	}
	return nil
}

func decodeJobEvent(name string, payload []byte) (gpumarket.JobEvent, error) {
	var ev gpumarket.JobEvent
	switch name {
	case "JobCreated":
		ev = &gpumarket.JobCreated{}
	case "JobAccepted":
		ev = &gpumarket.JobAccepted{}
	case "JobCancelled":
		ev = &gpumarket.JobCancelled{}
	case "ResultSubmitted":
		ev = &gpumarket.ResultSubmitted{}
	case "JobSettled":
		ev = &gpumarket.JobSettled{}
	case "JobDisputed":
		ev = &gpumarket.JobDisputed{}
	case "JobDisputeResolved":
		ev = &gpumarket.JobDisputeResolved{}
	case "JobRefunded":
		ev = &gpumarket.JobRefunded{}
	default:
		return nil, fmt.Errorf("unknown job event %q", name)
	}
	if err := json.Unmarshal(payload, ev); err != nil {
		return nil, fmt.Errorf("decode %s payload: %w", name, err)
	}
	return ev, nil
}

func decodeProviderEvent(name string, payload []byte) (gpumarket.ProviderEvent, error) {
	var ev gpumarket.ProviderEvent
	switch name {
	case "ProviderRegistered", "ProviderUpdated":
		ev = &gpumarket.ProviderRegistered{}
	case "ProviderActivated", "ProviderDeactivated":
		ev = &gpumarket.ProviderActivation{}
	case "Staked", "UnstakeRequested", "StakeWithdrawn":
		ev = &gpumarket.StakeChanged{}
	case "ProviderSlashed":
		ev = &gpumarket.ProviderSlashed{}
	default:
		return nil, fmt.Errorf("unknown provider event %q", name)
	}
	if err := json.Unmarshal(payload, ev); err != nil {
		return nil, fmt.Errorf("decode %s payload: %w", name, err)
	}
	return ev, nil
}

// notifyJobs tells listeners on channel gpumarket_jobs which jobs changed,
// in chunks that fit PostgreSQL's 8000-byte payload limit. Notifications are
// sent at commit, so listeners never see uncommitted state.
func notifyJobs(ctx context.Context, tx pgx.Tx, chainID uint64, jobs map[gpumarket.JobID]bool) error {
	var w stmts
	queueNotifyJobs(&w, chainID, jobs)
	return w.send(ctx, tx)
}

// queueNotifyJobs adds notifyJobs' statements to w.
func queueNotifyJobs(w *stmts, chainID uint64, jobs map[gpumarket.JobID]bool) {
	if len(jobs) == 0 {
		return
	}
	ids := make([]uint64, 0, len(jobs))
	for id := range jobs {
		ids = append(ids, uint64(id))
	}
	slices.Sort(ids)
	for start := 0; start < len(ids); start += 300 {
		chunk := ids[start:min(start+300, len(ids))]
		payload, _ := json.Marshal(struct {
			ChainID uint64   `json:"chain_id"`
			JobIDs  []uint64 `json:"job_ids"`
		}{chainID, chunk})
		w.add("notify job changes", `SELECT pg_notify('gpumarket_jobs', $1)`, string(payload))
	}
}

// queueFinalizeState adds the statements that mark derived rows final up to block n.
func queueFinalizeState(w *stmts, chainID uint64, n int64) {
	for _, stmt := range []string{
		`UPDATE job_events SET finalized = true WHERE chain_id = $1 AND block_number <= $2 AND NOT finalized`,
		`UPDATE provider_events SET finalized = true WHERE chain_id = $1 AND block_number <= $2 AND NOT finalized`,
		`UPDATE market_events SET finalized = true WHERE chain_id = $1 AND block_number <= $2 AND NOT finalized`,
		`UPDATE jobs SET finalized = true WHERE chain_id = $1 AND last_block <= $2 AND NOT finalized`,
		`UPDATE providers SET finalized = true WHERE chain_id = $1 AND last_block <= $2 AND NOT finalized`,
	} {
		w.add(fmt.Sprintf("finalize derived state up to %d", n), stmt, int64(chainID), n)
	}
}

func unixTime(s uint64) time.Time { return time.Unix(int64(s), 0).UTC() }

func optTime(s uint64) any {
	if s == 0 {
		return nil
	}
	return unixTime(s)
}

func optAddr(a gpumarket.Address) any {
	if a.IsZero() {
		return nil
	}
	return slices.Clone(a[:])
}

func optHash(h gpumarket.Hash) any {
	if h.IsZero() {
		return nil
	}
	return slices.Clone(h[:])
}

// optChainText is a chain string's TEXT column value: its text or escaped
// form, NULL for an empty string (no resultURI yet).
func optChainText(s gpumarket.ChainString) any {
	if s == "" {
		return nil
	}
	return s.Text()
}

// optChainRaw is a chain string's BYTEA column value: every byte, NULL for
// an empty string.
func optChainRaw(s gpumarket.ChainString) any {
	if s == "" {
		return nil
	}
	return []byte(s)
}
