package postgres

import (
	"context"
	"fmt"

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
// amount and parties never change), and the cursor moves to p.Cursor.
// Saving the same poll twice changes nothing.
func (s *RailStore) Save(ctx context.Context, rail, address string, p gpumarket.RailPoll) error {
	return translate(pgx.BeginFunc(ctx, s.db.pool, func(tx pgx.Tx) error {
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
					payer, recipient, mint, amount, decimals, memo, job_chain_id, job_id, job_ref_error, final)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::numeric, $12, $13, $14, $15::numeric, $16, $17)
				ON CONFLICT (rail, signature, instruction, inner_instruction) DO UPDATE
				SET slot = EXCLUDED.slot, block_time = coalesce(EXCLUDED.block_time, rail_payments.block_time),
				    final = rail_payments.final OR EXCLUDED.final,
				    updated_at = CASE WHEN rail_payments.final OR NOT EXCLUDED.final THEN rail_payments.updated_at ELSE now() END`,
				rail, pay.Signature, pay.Instruction, pay.InnerInstruction, address, int64(pay.Slot), pay.BlockTime,
				pay.Payer, pay.Recipient, pay.Mint, pay.Amount.String(), int16(pay.Decimals), pay.Memo, chainID, jobID,
				pay.JobRefError, pay.Final); err != nil {
				return fmt.Errorf("save %s payment %s: %w", rail, pay.Signature, err)
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO rail_cursors (rail, address, cursor) VALUES ($1, $2, $3)
			ON CONFLICT (rail, address) DO UPDATE SET cursor = EXCLUDED.cursor,
			    updated_at = CASE WHEN rail_cursors.cursor = EXCLUDED.cursor THEN rail_cursors.updated_at ELSE now() END`,
			rail, address, p.Cursor); err != nil {
			return fmt.Errorf("save %s cursor of %s: %w", rail, address, err)
		}
		return nil
	}))
}
