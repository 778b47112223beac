package client

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/eth/keys"
)

// MaxDisputeReasonBytes bounds a dispute's reason (only its keccak256 goes
// on-chain).
const MaxDisputeReasonBytes = 4 << 10

// Dispute disputes job id's submitted result with reason: it posts the
// dispute bond (the contract's disputeBondFor(token, price), in the job's
// token), approving it first when the allowance is short, and sends
// dispute(reasonHash = keccak256(reason)). Everything is checked before
// anything is sent: it returns an EINVALID error when the job is not
// Submitted, the sender is not its client, the challenge window has closed
// or the reason is empty or too long, and one wrapping ErrInsufficientFunds
// when the wallet cannot post the bond.
func (c *Client) Dispute(ctx context.Context, id gpumarket.JobID, reason string) (gpumarket.Hash, error) {
	if err := c.needWallet("dispute"); err != nil {
		return gpumarket.Hash{}, err
	}
	if reason == "" || len(reason) > MaxDisputeReasonBytes {
		return gpumarket.Hash{}, gpumarket.Errorf(gpumarket.EINVALID, "dispute: the reason must be 1 to %d bytes", MaxDisputeReasonBytes)
	}
	r, now, err := c.jobRecord(ctx, id)
	if err != nil {
		return gpumarket.Hash{}, err
	}
	switch {
	case r.State != gpumarket.JobStateSubmitted:
		return gpumarket.Hash{}, gpumarket.Errorf(gpumarket.EINVALID, "dispute: job %d is %s; only a submitted result can be disputed", id, r.State)
	case r.Client != c.Address():
		return gpumarket.Hash{}, gpumarket.Errorf(gpumarket.EINVALID, "dispute: job %d belongs to %s, not %s", id, r.Client, c.Address())
	case now >= r.ChallengeEnd:
		return gpumarket.Hash{}, gpumarket.Errorf(gpumarket.EINVALID, "dispute: job %d's challenge window closed at %s", id, time.Unix(int64(r.ChallengeEnd), 0).UTC().Format(time.RFC3339))
	}
	bond, err := c.market.DisputeBondFor(ctx, r.Token, r.Price)
	if err != nil {
		return gpumarket.Hash{}, err
	}
	bal, err := c.Balances(ctx, r.Token)
	if err != nil {
		return gpumarket.Hash{}, err
	}
	if bal.Token.Cmp(bond) < 0 {
		return gpumarket.Hash{}, condErr(ErrInsufficientFunds, gpumarket.EINVALID, "dispute: the bond is %s base units of %s, wallet %s holds %s", bond, r.Token, c.Address(), bal.Token)
	}
	if err := c.checkGas(ctx); err != nil {
		return gpumarket.Hash{}, err
	}
	if bond.Sign() > 0 && bal.Allowance.Cmp(bond) < 0 {
		approve, err := c.market.Approve(r.Token, c.market.Address(), bond)
		if err != nil {
			return gpumarket.Hash{}, err
		}
		if _, err := c.send(ctx, "approve", approve); err != nil {
			return gpumarket.Hash{}, fmt.Errorf("dispute: approve the bond: %w", err)
		}
	}
	call, err := c.market.Dispute(&r.Job, keys.Keccak256([]byte(reason)))
	if err != nil {
		return gpumarket.Hash{}, err
	}
	rc, err := c.send(ctx, "dispute", call)
	if err != nil {
		return gpumarket.Hash{}, fmt.Errorf("dispute job %d: %w", id, err)
	}
	return rc.TxHash, nil
}

// Refund refunds job id after its deadline (anyone may: the max payment
// goes back to the job's client's pull balance; Withdraw takes it out). It
// returns an EINVALID error, sending nothing, when the job is not Open or
// Assigned or its deadline has not passed on the chain's clock.
func (c *Client) Refund(ctx context.Context, id gpumarket.JobID) (gpumarket.Hash, error) {
	if err := c.needWallet("refund"); err != nil {
		return gpumarket.Hash{}, err
	}
	r, now, err := c.jobRecord(ctx, id)
	if err != nil {
		return gpumarket.Hash{}, err
	}
	if r.State != gpumarket.JobStateOpen && r.State != gpumarket.JobStateAssigned {
		return gpumarket.Hash{}, gpumarket.Errorf(gpumarket.EINVALID, "refund: job %d is %s; only an open or assigned job can be refunded", id, r.State)
	}
	if now <= r.Deadline {
		return gpumarket.Hash{}, gpumarket.Errorf(gpumarket.EINVALID, "refund: job %d's deadline has not passed (in %ds on the chain's clock)", id, r.Deadline-now+1)
	}
	if err := c.checkGas(ctx); err != nil {
		return gpumarket.Hash{}, err
	}
	call, err := c.market.Refund(&r.Job)
	if err != nil {
		return gpumarket.Hash{}, err
	}
	rc, err := c.send(ctx, "refund", call)
	if err != nil {
		return gpumarket.Hash{}, fmt.Errorf("refund job %d: %w", id, err)
	}
	return rc.TxHash, nil
}

// Cancel cancels job id while it is Open (only its client may); the max
// payment goes back to the client's pull balance. It returns an EINVALID
// error, sending nothing, for a job that is not Open or not the wallet's.
func (c *Client) Cancel(ctx context.Context, id gpumarket.JobID) (gpumarket.Hash, error) {
	if err := c.needWallet("cancel"); err != nil {
		return gpumarket.Hash{}, err
	}
	r, _, err := c.jobRecord(ctx, id)
	if err != nil {
		return gpumarket.Hash{}, err
	}
	switch {
	case r.State != gpumarket.JobStateOpen:
		return gpumarket.Hash{}, gpumarket.Errorf(gpumarket.EINVALID, "cancel: job %d is %s; only an open job can be cancelled", id, r.State)
	case r.Client != c.Address():
		return gpumarket.Hash{}, gpumarket.Errorf(gpumarket.EINVALID, "cancel: job %d belongs to %s, not %s", id, r.Client, c.Address())
	}
	if err := c.checkGas(ctx); err != nil {
		return gpumarket.Hash{}, err
	}
	call, err := c.market.CancelJob(&r.Job)
	if err != nil {
		return gpumarket.Hash{}, err
	}
	rc, err := c.send(ctx, "cancel", call)
	if err != nil {
		return gpumarket.Hash{}, fmt.Errorf("cancel job %d: %w", id, err)
	}
	return rc.TxHash, nil
}

// List returns the jobs client created, oldest first, rebuilt from the
// marketplace's logs since the deployment block (the chain is the one
// source every client can reach; the matcher has no listing by client). A
// zero client is the wallet's own address.
func (c *Client) List(ctx context.Context, client gpumarket.Address) ([]*gpumarket.JobRecord, error) {
	if client.IsZero() {
		if err := c.needWallet("list"); err != nil {
			return nil, err
		}
		client = c.Address()
	}
	return c.market.JobsOf(ctx, client, c.cfg.Deployment.DeployBlock)
}

// Spent returns what a job cost its client so far: the max payment while it
// is open, the amount due once submitted, what was paid once settled, 0
// once refunded or cancelled.
func Spent(r *gpumarket.JobRecord) *big.Int {
	switch r.State {
	case gpumarket.JobStateRefunded, gpumarket.JobStateCancelled:
		return new(big.Int)
	case gpumarket.JobStateSubmitted, gpumarket.JobStateDisputed:
		return orZero(r.AmountDue)
	case gpumarket.JobStateSettled:
		if r.Payout != nil {
			return new(big.Int).Sub(orZero(r.MaxPayment), orZero(r.Payout.ClientRefund))
		}
	}
	return orZero(r.MaxPayment)
}
