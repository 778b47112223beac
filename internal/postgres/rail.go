package postgres

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/gpumarket/gpumarket"
)

// RailStore keeps what the payment rail followers saw (rail_payments) and
// where each resumes (rail_cursors).
type RailStore struct {
	db *DB
}

// NewRailStore returns the rail store in db.
func NewRailStore(db *DB) *RailStore { return &RailStore{db: db} }

// Cursor returns where the follower of rail's address resumes, "" when it
// never polled.
func (s *RailStore) Cursor(ctx context.Context, rail, address string) (string, error) {
	var c string
	err := s.db.pool.QueryRow(ctx, `SELECT cursor FROM rail_cursors WHERE rail = $1 AND address = $2`, rail, address).Scan(&c)
	if err == pgx.ErrNoRows {
		return "", nil
	}
	if err != nil {
		return "", translate(fmt.Errorf("read %s cursor of %s: %w", rail, address, err))
	}
	return c, nil
}

// Save records one poll of rail's address in one transaction: every payment
// is inserted or, when seen before, updated (a payment becomes final; its
// amount and parties never change), likewise every credit that is not a
// payment, every transaction set aside is recorded with its reason, and the
// cursor moves to p.Cursor. Saving the same poll twice changes nothing.
//
// The address is pinned to the cluster of its first saved poll
// (p.GenesisHash, required): a poll from another cluster is refused with an
// error wrapping gpumarket.ErrRailWrongCluster and changes nothing. Invalid
// input (a negative amount, no genesis hash) is EINVALID and changes nothing.
func (s *RailStore) Save(ctx context.Context, rail, address string, p gpumarket.RailPoll) error {
	if p.GenesisHash == "" {
		return gpumarket.Errorf(gpumarket.EINVALID, "save %s poll of %s: no genesis hash (cluster)", rail, address)
	}
	return translate(pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
		if err := pinRailCluster(ctx, tx, rail, address, p.GenesisHash); err != nil {
			return err
		}
		for _, pay := range p.Payments {
			if pay.Amount == nil || pay.Amount.Sign() < 0 {
				return gpumarket.Errorf(gpumarket.EINVALID, "rail payment %s: amount %v", pay.Signature, pay.Amount)
			}
			var chainID *int64
			var jobID *string
			if pay.JobID != nil {
				c, j := int64(pay.JobChainID), pay.JobID.String()
				chainID, jobID = &c, &j
			}
			if _, err := tx.Exec(ctx, `INSERT INTO rail_payments (rail, signature, instruction, inner_instruction, address, slot, block_time,
					payer, recipient, mint, amount, decimals, memo, job_chain_id, job_id, job_ref_error, final, genesis_hash)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::numeric, $12, $13, $14, $15::numeric, $16, $17, $18)
				ON CONFLICT (rail, signature, instruction, inner_instruction) DO UPDATE
				SET slot = EXCLUDED.slot, block_time = coalesce(EXCLUDED.block_time, rail_payments.block_time),
				    final = rail_payments.final OR EXCLUDED.final,
				    genesis_hash = CASE WHEN rail_payments.genesis_hash = '' THEN EXCLUDED.genesis_hash ELSE rail_payments.genesis_hash END,
				    updated_at = CASE WHEN rail_payments.final OR NOT EXCLUDED.final THEN rail_payments.updated_at ELSE now() END`,
				rail, pay.Signature, pay.Instruction, pay.InnerInstruction, address, int64(pay.Slot), pay.BlockTime,
				pay.Payer, pay.Recipient, pay.Mint, pay.Amount.String(), int16(pay.Decimals), pgText(pay.Memo), chainID, jobID,
				pay.JobRefError, pay.Final, p.GenesisHash); err != nil {
				return fmt.Errorf("save %s payment %s: %w", rail, pay.Signature, err)
			}
		}
		for _, n := range p.NonPayments {
			if n.Amount == nil || n.Amount.Sign() < 0 {
				return gpumarket.Errorf(gpumarket.EINVALID, "rail non-payment %s: amount %v", n.Signature, n.Amount)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO rail_non_payments (rail, signature, instruction, inner_instruction, address, slot,
					block_time, kind, reason, source, recipient, mint, amount, decimals, genesis_hash, final)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::numeric, $14, $15, $16)
				ON CONFLICT (rail, signature, instruction, inner_instruction) DO UPDATE
				SET slot = EXCLUDED.slot, block_time = coalesce(EXCLUDED.block_time, rail_non_payments.block_time),
				    final = rail_non_payments.final OR EXCLUDED.final,
				    updated_at = CASE WHEN rail_non_payments.final OR NOT EXCLUDED.final THEN rail_non_payments.updated_at ELSE now() END`,
				rail, n.Signature, n.Instruction, n.InnerInstruction, address, int64(n.Slot), n.BlockTime, n.Kind, pgText(n.Reason),
				n.Source, n.Recipient, n.Mint, n.Amount.String(), int16(n.Decimals), p.GenesisHash, n.Final); err != nil {
				return fmt.Errorf("save %s non-payment %s: %w", rail, n.Signature, err)
			}
		}
		for _, r := range p.Rejected {
			if _, err := tx.Exec(ctx, `INSERT INTO rail_rejected_transactions (rail, address, signature, slot, reason, genesis_hash, final)
				VALUES ($1, $2, $3, $4, $5, $6, $7)
				ON CONFLICT (rail, address, signature) DO UPDATE
				SET slot = EXCLUDED.slot, reason = EXCLUDED.reason, final = rail_rejected_transactions.final OR EXCLUDED.final,
				    updated_at = CASE WHEN rail_rejected_transactions.reason = EXCLUDED.reason
				        AND (rail_rejected_transactions.final OR NOT EXCLUDED.final) THEN rail_rejected_transactions.updated_at ELSE now() END`,
				rail, address, r.Signature, int64(r.Slot), truncate(pgText(r.Reason), 2000), p.GenesisHash, r.Final); err != nil {
				return fmt.Errorf("save %s rejected transaction %s: %w", rail, r.Signature, err)
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE rail_cursors SET cursor = $3,
			    updated_at = CASE WHEN cursor = $3 THEN updated_at ELSE now() END
			WHERE rail = $1 AND address = $2`, rail, address, p.Cursor); err != nil {
			return fmt.Errorf("save %s cursor of %s: %w", rail, address, err)
		}
		return nil
	}))
}

// pinRailCluster makes sure rail's address has a cursor row pinned to
// genesis (creating it, or pinning a row written before pins existed) and
// refuses another cluster. The row is locked until the transaction ends.
func pinRailCluster(ctx context.Context, tx pgx.Tx, rail, address, genesis string) error {
	if _, err := tx.Exec(ctx, `INSERT INTO rail_cursors (rail, address, genesis_hash) VALUES ($1, $2, $3)
		ON CONFLICT (rail, address) DO NOTHING`, rail, address, genesis); err != nil {
		return fmt.Errorf("pin %s cluster of %s: %w", rail, address, err)
	}
	var pinned string
	if err := tx.QueryRow(ctx, `SELECT genesis_hash FROM rail_cursors WHERE rail = $1 AND address = $2 FOR UPDATE`,
		rail, address).Scan(&pinned); err != nil {
		return fmt.Errorf("pin %s cluster of %s: %w", rail, address, err)
	}
	switch pinned {
	case genesis:
		return nil
	case "":
		if _, err := tx.Exec(ctx, `UPDATE rail_cursors SET genesis_hash = $3 WHERE rail = $1 AND address = $2`,
			rail, address, genesis); err != nil {
			return fmt.Errorf("pin %s cluster of %s: %w", rail, address, err)
		}
		return nil
	default:
		return fmt.Errorf("save %s poll of %s: pinned to cluster %s, the node is on %s: %w",
			rail, address, pinned, genesis, gpumarket.ErrRailWrongCluster)
	}
}

// Pinned returns the cluster rail's address is pinned to ("" when it never
// polled, or polled before pins existed).
func (s *RailStore) Pinned(ctx context.Context, rail, address string) (string, error) {
	var g string
	err := s.db.pool.QueryRow(ctx, `SELECT genesis_hash FROM rail_cursors WHERE rail = $1 AND address = $2`, rail, address).Scan(&g)
	if err == pgx.ErrNoRows {
		return "", nil
	}
	if err != nil {
		return "", translate(fmt.Errorf("read %s cluster of %s: %w", rail, address, err))
	}
	return g, nil
}

// pgText makes s storable in a TEXT column: PostgreSQL refuses NUL bytes
// (valid UTF-8, so a memo can hold them), which would otherwise fail the
// whole save on every poll.
func pgText(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}

// truncate cuts s to at most n bytes on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
