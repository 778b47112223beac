package postgres

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"strings"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// COPY streams encoded ahead. pgx's CopyFrom encodes rows while the COPY
// runs, in the transaction that the next backfill range waits for; a
// prepared batch (Prepare) instead carries its rows (logs, events, the
// jobs created in it) already in COPY's binary format, encoded by pgx's own codecs (pgtype.Map.Encode, as
// CopyFrom does) in the goroutine that fetched the range, and the commit
// only sends them.

// copyTable is a table's COPY columns and their type OIDs, read from the
// database (pg_attribute), so a column whose type changes is encoded for
// its new type, never misread as another.
type copyTable struct {
	name string
	cols []string
	oids []uint32
}

// copyStream is rows of one table in COPY's binary format, header and
// trailer included.
type copyStream struct {
	table *copyTable
	rows  int
	data  []byte
}

// copyHeader starts a binary COPY stream: the signature, no flags, no
// header extension.
var copyHeader = []byte("PGCOPY\n\377\r\n\000\000\000\000\000\000\000\000\000")

// encodeCopy encodes rows (values as copyRows takes them) for table with m.
func encodeCopy(m *pgtype.Map, table *copyTable, rows [][]any) (*copyStream, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	buf := make([]byte, 0, len(rows)*64*len(table.cols)/4)
	buf = append(buf, copyHeader...)
	for _, row := range rows {
		if len(row) != len(table.cols) {
			return nil, fmt.Errorf("encode %s: %d values for %d columns", table.name, len(row), len(table.cols))
		}
		buf = binary.BigEndian.AppendUint16(buf, uint16(len(row)))
		for i, v := range row {
			at := len(buf)
			buf = binary.BigEndian.AppendUint32(buf, 0xffffffff) // NULL unless a value follows
			out, err := m.Encode(table.oids[i], pgtype.BinaryFormatCode, v, buf)
			if err != nil {
				return nil, fmt.Errorf("encode %s.%s: %w", table.name, table.cols[i], err)
			}
			if out != nil {
				buf = out
				binary.BigEndian.PutUint32(buf[at:], uint32(len(buf)-at-4))
			}
		}
	}
	buf = binary.BigEndian.AppendUint16(buf, 0xffff)
	return &copyStream{table: table, rows: len(rows), data: buf}, nil
}

// send copies the stream into its table in tx.
func (s *copyStream) send(ctx context.Context, tx pgx.Tx) error {
	if s == nil {
		return nil
	}
	cols := make([]string, len(s.table.cols))
	for i, c := range s.table.cols {
		cols[i] = pgx.Identifier{c}.Sanitize()
	}
	sql := fmt.Sprintf("COPY %s (%s) FROM STDIN BINARY", pgx.Identifier{s.table.name}.Sanitize(), strings.Join(cols, ", "))
	if _, err := tx.Conn().PgConn().CopyFrom(ctx, bytes.NewReader(s.data), sql); err != nil {
		return fmt.Errorf("copy %d rows into %s: %w", s.rows, s.table.name, err)
	}
	return nil
}

// copyTables are the tables a prepared batch copies into, with their
// column types once a commit has read them.
type copyTables struct {
	logs, jobEvents, providerEvents, marketEvents, jobs *copyTable
}

var (
	jobEventColumns = []string{"chain_id", "block_hash", "log_index", "job_id", "block_number", "block_time",
		"tx_hash", "event_name", "payload", "finalized"}
	providerEventColumns = []string{"chain_id", "block_hash", "log_index", "provider", "block_number", "block_time",
		"tx_hash", "event_name", "payload", "finalized"}
	marketEventColumns = []string{"chain_id", "block_hash", "log_index", "block_number", "block_time", "tx_hash",
		"event_name", "account", "token", "amount", "payload", "finalized"}
)

// loadCopyTables reads the column types of the tables prepared batches
// copy into.
func loadCopyTables(ctx context.Context, tx pgx.Tx) (*copyTables, error) {
	t := &copyTables{}
	for _, x := range []struct {
		dst  **copyTable
		name string
		cols []string
	}{{&t.logs, "logs", logColumns}, {&t.jobEvents, "job_events", jobEventColumns},
		{&t.providerEvents, "provider_events", providerEventColumns}, {&t.marketEvents, "market_events", marketEventColumns},
		{&t.jobs, "jobs", jobColumns}} {
		rows, err := tx.Query(ctx, `SELECT attname::text, atttypid::int8 FROM pg_attribute
			WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`, x.name)
		if err != nil {
			return nil, fmt.Errorf("read column types of %s: %w", x.name, err)
		}
		types := map[string]uint32{}
		var name string
		var oid int64
		if _, err := pgx.ForEachRow(rows, []any{&name, &oid}, func() error { types[name] = uint32(oid); return nil }); err != nil {
			return nil, fmt.Errorf("read column types of %s: %w", x.name, err)
		}
		ct := &copyTable{name: x.name, cols: x.cols}
		for _, c := range x.cols {
			oid, ok := types[c]
			if !ok {
				return nil, fmt.Errorf("read column types of %s: no column %s", x.name, c)
			}
			ct.oids = append(ct.oids, oid)
		}
		*x.dst = ct
	}
	return t, nil
}

// typesOnce holds the copyTables of a store once read.
type typesOnce struct{ p atomic.Pointer[copyTables] }

// get returns the tables, reading them in tx the first time.
func (o *typesOnce) get(ctx context.Context, tx pgx.Tx) (*copyTables, error) {
	if t := o.p.Load(); t != nil {
		return t, nil
	}
	t, err := loadCopyTables(ctx, tx)
	if err != nil {
		return nil, err
	}
	o.p.Store(t)
	return t, nil
}
