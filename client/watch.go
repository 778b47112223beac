package client

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/gpumarket/gpumarket"
)

// Status is a job as the chain and the matcher see it.
type Status struct {
	Job      *gpumarket.JobRecord // rebuilt from the chain's logs: the truth
	Matching string               // the matcher's status and reason ("" when unknown)
	ChainNow uint64               // the latest block's time (unix seconds)
}

// State returns the job's state on-chain.
func (s *Status) State() gpumarket.JobState { return s.Job.State }

// DeadlinePassed reports whether the job's deadline is behind the chain's
// clock.
func (s *Status) DeadlinePassed() bool { return s.ChainNow > s.Job.Deadline }

// Refundable reports whether anyone may refund the job now: Open or
// Assigned with the deadline passed.
func (s *Status) Refundable() bool {
	st := s.Job.State
	return (st == gpumarket.JobStateOpen || st == gpumarket.JobStateAssigned) && s.DeadlinePassed()
}

// Line is a one-line progress summary for a terminal.
func (s *Status) Line(t Token) string {
	j := s.Job
	line := fmt.Sprintf("job %d: %s", j.ID, j.State)
	switch j.State {
	case gpumarket.JobStateOpen:
		if s.Matching != "" {
			line += " (" + s.Matching + ")"
		}
		if left := int64(j.Deadline) - int64(s.ChainNow); left > 0 {
			line += fmt.Sprintf(", deadline in %ds", left)
		} else {
			line += ", deadline passed"
		}
	case gpumarket.JobStateAssigned:
		line += fmt.Sprintf(" to %s at %s", j.Provider, t.Format(j.Price))
	case gpumarket.JobStateSubmitted:
		line += fmt.Sprintf(", result %s, due %s, challenge window ends %s", j.ResultHash, t.Format(j.AmountDue), time.Unix(int64(j.ChallengeEnd), 0).UTC().Format(time.TimeOnly))
	case gpumarket.JobStateSettled:
		if j.ProviderPaid != nil {
			line += fmt.Sprintf(", provider paid %s", t.Format(j.ProviderPaid))
		}
	case gpumarket.JobStateRefunded, gpumarket.JobStateCancelled:
		if j.Refund != nil {
			line += fmt.Sprintf(", %s back to the client", t.Format(j.Refund))
		}
	}
	return line
}

// Status reads job id: from the chain's logs (state, result) and the
// matcher's view (why it is not matched yet). A matcher that cannot answer
// only leaves Matching empty. It returns ENOTFOUND for a job that does not
// exist.
func (c *Client) Status(ctx context.Context, id gpumarket.JobID) (*Status, error) {
	r, err := c.market.JobRecord(ctx, id, c.cfg.Deployment.DeployBlock)
	if err != nil {
		return nil, err
	}
	_, now, err := c.market.ChainTime(ctx)
	if err != nil {
		return nil, err
	}
	st := &Status{Job: r, ChainNow: now}
	if r.State == gpumarket.JobStateOpen {
		if v, err := c.api.job(ctx, c.chainID, id); err == nil && v.Matching != nil {
			st.Matching = v.Matching.Status
			if v.Matching.Reason != "" {
				st.Matching += ": " + v.Matching.Reason
			}
		}
	}
	return st, nil
}

// Until says when Watch stops.
type Until func(*Status) bool

// Watch stop conditions.
var (
	// UntilResult: a result is on-chain (Submitted or later), or the job
	// ended without one, or its deadline passed with none.
	UntilResult Until = func(s *Status) bool {
		return s.Job.State != gpumarket.JobStateOpen && s.Job.State != gpumarket.JobStateAssigned || s.Refundable()
	}
	// UntilFinal: the job is Settled, Refunded or Cancelled, or its
	// deadline passed with no result (it can only be refunded).
	UntilFinal Until = func(s *Status) bool { return s.Job.State.Terminal() || s.Refundable() }
)

// Watch follows job id until until holds, calling progress (if not nil)
// with every status that differs from the previous one, and returns the
// last status. It re-reads the job every Config.PollInterval; the Notifier,
// when configured, only wakes it earlier. It returns ctx's error when ctx
// ends first; a read that fails with EUNAVAILABLE is retried.
func (c *Client) Watch(ctx context.Context, id gpumarket.JobID, until Until, progress func(*Status)) (*Status, error) {
	var wake <-chan struct{}
	if c.cfg.Notifier != nil {
		// The stream lives as long as this call.
		nctx, stop := context.WithCancel(ctx)
		defer stop()
		if ch, err := c.cfg.Notifier.Notify(nctx, c.chainID, id); err == nil {
			wake = ch
		} else {
			c.log.Debug("no event stream; polling", "job_id", id.String(), "err", err)
		}
	}
	tick := time.NewTicker(c.cfg.PollInterval)
	defer tick.Stop()
	var last string
	for {
		st, err := c.Status(ctx, id)
		switch {
		case err == nil:
			if line := st.Line(Token{Decimals: 0}) + st.Matching; line != last {
				last = line
				if progress != nil {
					progress(st)
				}
			}
			if until(st) {
				return st, nil
			}
		case gpumarket.ErrorCode(err) == gpumarket.EUNAVAILABLE && ctx.Err() == nil:
			c.log.Debug("status read failed; retrying", "job_id", id.String(), "err", err)
		default:
			return nil, err
		}
		select {
		case <-ctx.Done():
			return st, ctx.Err()
		case <-tick.C:
		case _, ok := <-wake:
			if !ok {
				wake = nil // the stream ended: poll
			}
		}
	}
}

// jobRecord is the job's current record, for the actions.
func (c *Client) jobRecord(ctx context.Context, id gpumarket.JobID) (*gpumarket.JobRecord, uint64, error) {
	st, err := c.Status(ctx, id)
	if err != nil {
		return nil, 0, err
	}
	return st.Job, st.ChainNow, nil
}

func orZero(v *big.Int) *big.Int {
	if v == nil {
		return new(big.Int)
	}
	return v
}

// AwaitResult watches job id (Watch, UntilResult) until its result is
// on-chain. When the deadline passes first, it refunds the job (the max
// payment goes back to the client's marketplace balance) and returns an
// error wrapping ErrRefunded; a job that ended without a result (cancelled)
// is an EINVALID error.
func (c *Client) AwaitResult(ctx context.Context, id gpumarket.JobID, progress func(*Status)) (*Status, error) {
	st, err := c.Watch(ctx, id, UntilResult, progress)
	if err != nil {
		return st, err
	}
	if st.Refundable() {
		tx, err := c.Refund(ctx, id)
		if err != nil {
			return st, err
		}
		return st, condErr(ErrRefunded, gpumarket.ECONFLICT,
			"job %d: the deadline passed with no result; refunded in %s (the max payment is in your marketplace balance: withdraw it)", id, tx)
	}
	if st.Job.ResultHash == (gpumarket.Hash{}) {
		return st, gpumarket.Errorf(gpumarket.EINVALID, "job %d ended %s without a result", id, st.State())
	}
	return st, nil
}
