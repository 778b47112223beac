package postgres

import "context"

// Exec runs one statement in its own transaction (autocommit) and translates
// driver errors, for this package's tests (postgrestest is the helper for
// other packages' tests).
func (db *DB) Exec(ctx context.Context, sql string, args ...any) error {
	_, err := db.pool.Exec(ctx, sql, args...)
	return translate(err)
}

// QueryRow runs a query that returns one row and scans it into dest, for
// this package's tests. It returns an ENOTFOUND error when there is no row.
func (db *DB) QueryRow(ctx context.Context, sql string, args []any, dest ...any) error {
	return translate(db.pool.QueryRow(ctx, sql, args...).Scan(dest...))
}

// QueryRows runs a query of one text column and calls row with each value,
// for this package's tests.
func (db *DB) QueryRows(ctx context.Context, sql string, args []any, row func(string)) error {
	rows, err := db.pool.Query(ctx, sql, args...)
	if err != nil {
		return translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return err
		}
		row(s)
	}
	return translate(rows.Err())
}

// PreparedStreams reports whether a Prepare result carries COPY streams
// of its logs and events and of the jobs it creates.
func PreparedStreams(p any) bool {
	pp, ok := p.(*prepared)
	return ok && pp.streams != nil && pp.t.foldedRows != nil
}
