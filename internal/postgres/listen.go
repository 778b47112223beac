package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Listen subscribes to channel (LISTEN) on a dedicated connection and calls
// fn with each notification's payload until ctx ends (then it returns nil)
// or the connection fails (then it returns the error; callers poll and
// retry).
func (db *DB) Listen(ctx context.Context, channel string, fn func(payload []byte)) error {
	conn, err := db.pool.Acquire(ctx)
	if err != nil {
		return translate(fmt.Errorf("listen %s: acquire connection: %w", channel, err))
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
		return translate(fmt.Errorf("listen %s: %w", channel, err))
	}
	defer func() {
		// The connection returns to the pool: stop listening first.
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_, _ = conn.Exec(uctx, "UNLISTEN *")
	}()
	for {
		n, err := conn.Conn().WaitForNotification(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("listen %s: %w", channel, err)
		}
		fn([]byte(n.Payload))
	}
}
