package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/gpumarket/gpumarket"
)

// Provider partitions (matcher_instances, matcher_partitions of migration
// 00019): each matcher instance renews its membership and leases its share
// of the partitions.

// Partitions implements service.Store. In one transaction it renews owner's
// row in matcher_instances until now+ttl, deletes the rows of instances
// that lapsed, locks the total partition rows (created when missing) and
// rebalances: with n live instances sorted by id and owner at rank r,
// owner's share is every partition p with p mod n = r. It releases the
// partitions it holds outside its share, takes or renews (until now+ttl)
// those of its share that are free, lapsed or its own, and leaves the rest
// to their live holders until they release them. It returns the partitions
// owner holds after the call, in order.
func (s *MatcherQueue) Partitions(ctx context.Context, chainID uint64, owner string, total int, ttl time.Duration, now time.Time) ([]int, error) {
	if owner == "" || total < 1 || ttl <= 0 {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "partitions need an owner, a positive partition count and ttl")
	}
	until := now.Add(ttl)
	var held []int
	err := pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		held = held[:0]
		if _, err := tx.Exec(ctx, `
			INSERT INTO matcher_instances (chain_id, instance, expires_at) VALUES ($1, $2, $3)
			ON CONFLICT (chain_id, instance) DO UPDATE SET expires_at = excluded.expires_at`, int64(chainID), owner, until); err != nil {
			return fmt.Errorf("renew instance: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM matcher_instances WHERE chain_id = $1 AND expires_at <= $2`, int64(chainID), now); err != nil {
			return fmt.Errorf("drop lapsed instances: %w", err)
		}
		rows, _ := tx.Query(ctx, `SELECT instance FROM matcher_instances WHERE chain_id = $1 ORDER BY instance COLLATE "C"`, int64(chainID))
		live, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return fmt.Errorf("read instances: %w", err)
		}
		rank := -1
		for i, in := range live {
			if in == owner {
				rank = i
			}
		}
		if rank < 0 { // cannot happen: its row was written above
			return fmt.Errorf("instance %q missing after renewal", owner)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO matcher_partitions (chain_id, part) SELECT $1, g FROM generate_series(0, $2::int - 1) g ON CONFLICT DO NOTHING`,
			int64(chainID), total); err != nil {
			return fmt.Errorf("create partitions: %w", err)
		}
		rows, _ = tx.Query(ctx, `SELECT part, owner, expires_at FROM matcher_partitions WHERE chain_id = $1 AND part < $2 ORDER BY part FOR UPDATE`,
			int64(chainID), total)
		type part struct {
			Part    int32
			Owner   *string
			Expires *time.Time
		}
		parts, err := pgx.CollectRows(rows, pgx.RowToStructByPos[part])
		if err != nil {
			return fmt.Errorf("lock partitions: %w", err)
		}
		var take, release []int32
		for _, p := range parts {
			mine := p.Owner != nil && *p.Owner == owner
			share := int(p.Part)%len(live) == rank
			switch {
			case share && (mine || p.Owner == nil || !p.Expires.After(now)):
				take = append(take, p.Part)
				held = append(held, int(p.Part))
			case mine && !share:
				release = append(release, p.Part)
			}
		}
		if _, err := tx.Exec(ctx, `
			UPDATE matcher_partitions SET owner = $3, expires_at = $4,
			       acquired_at = CASE WHEN owner IS DISTINCT FROM $3 THEN $5 ELSE acquired_at END
			WHERE chain_id = $1 AND part = ANY($2::int[])`, int64(chainID), take, owner, until, now); err != nil {
			return fmt.Errorf("take partitions: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE matcher_partitions SET owner = NULL, expires_at = NULL, acquired_at = NULL WHERE chain_id = $1 AND part = ANY($2::int[])`,
			int64(chainID), release); err != nil {
			return fmt.Errorf("release partitions: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, translate(fmt.Errorf("partitions of %s: %w", owner, err))
	}
	return held, nil
}

// LeavePartitions implements service.Store: it deletes owner's
// matcher_instances row and releases its partitions, so that the others
// take them at their next renewal instead of after the lease.
func (s *MatcherQueue) LeavePartitions(ctx context.Context, chainID uint64, owner string) error {
	err := pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM matcher_instances WHERE chain_id = $1 AND instance = $2`, int64(chainID), owner); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE matcher_partitions SET owner = NULL, expires_at = NULL, acquired_at = NULL WHERE chain_id = $1 AND owner = $2`,
			int64(chainID), owner)
		return err
	})
	if err != nil {
		return translate(fmt.Errorf("leave partitions of %s: %w", owner, err))
	}
	return nil
}
