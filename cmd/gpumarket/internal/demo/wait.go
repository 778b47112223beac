package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/gpumarket/gpumarket/internal/eth/market"
	"github.com/gpumarket/gpumarket/internal/eth/txmgr"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/postgres"
)

// txm is a journaled transaction manager of one of the demo's own accounts.
type txm struct {
	*txmgr.Manager
	who string
}

func (d *demo) newTxm(ctx context.Context, p party) (*txm, error) {
	url := d.node.URL
	tm, err := txmgr.New(ctx, txmgr.Config{Endpoint: func(context.Context) (string, error) { return url, nil },
		Key: p.key, Journal: postgres.NewJournal(d.db), ChainID: d.chainID, PollInterval: 200 * time.Millisecond,
		Logger: d.log.With("component", "txmanager", "who", p.name)})
	if err != nil {
		return nil, fmt.Errorf("transaction manager of %s: %w", p.name, err)
	}
	return &txm{Manager: tm, who: p.name}, nil
}

// built is a call as eth.Market's builders return it.
type built struct {
	c   market.Call
	err error
}

func build(c market.Call, err error) built { return built{c, err} }

// send submits the call under key (once: the key is the idempotency key).
func (t *txm) send(ctx context.Context, key string, b built) error {
	c, err := b.c, b.err
	if err != nil {
		return fmt.Errorf("%s: build %s: %w", t.who, key, err)
	}
	if _, err := t.Submit(ctx, key, c.To, c.Data, nil); err != nil {
		return fmt.Errorf("%s: submit %s: %w", t.who, key, err)
	}
	return nil
}

// wait waits until key is final; anything but confirmed is an error.
func (t *txm) wait(ctx context.Context, key string) error {
	return poll(ctx, 200*time.Millisecond, func(ctx context.Context) (bool, error) {
		in, err := t.Intent(ctx, key)
		if err != nil {
			return false, err
		}
		if !in.State.Final() {
			return false, nil
		}
		if in.State != gpumarket.TxConfirmed {
			return false, fmt.Errorf("%s: %s ended %s: %s", t.who, key, in.State, in.Reason)
		}
		return true, nil
	})
}

// poll calls f every interval until it reports done, fails or ctx ends.
func poll(ctx context.Context, every time.Duration, f func(ctx context.Context) (bool, error)) error {
	for {
		ok, err := f(ctx)
		if err != nil || ok {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(every):
		}
	}
}

// waitAnyState waits until job id is in one of states.
func (d *demo) waitAnyState(ctx context.Context, id gpumarket.JobID, states ...gpumarket.JobState) (*gpumarket.JobRecord, error) {
	var job *gpumarket.JobRecord
	err := poll(ctx, 250*time.Millisecond, func(ctx context.Context) (bool, error) {
		var err error
		if job, err = d.chain().Job(ctx, id); err != nil {
			return false, err
		}
		for _, s := range states {
			if job.State == s {
				return true, nil
			}
		}
		if job.State.Terminal() {
			return false, fmt.Errorf("job %d ended %s while waiting for %v", id, job.State, states)
		}
		return false, nil
	})
	return job, err
}

func (d *demo) chain() *postgres.ChainState { return postgres.NewChainState(d.db, d.chainID) }

func (d *demo) journal() *postgres.Journal { return postgres.NewJournal(d.db) }

func (d *demo) countInFlight(ctx context.Context) (int, error) {
	n, err := d.chain().CountJobs(ctx, gpumarket.JobStateAssigned, gpumarket.JobStateSubmitted)
	return int(n), err
}

func (d *demo) waitInFlight(ctx context.Context) error {
	return poll(ctx, 250*time.Millisecond, func(ctx context.Context) (bool, error) {
		n, err := d.countInFlight(ctx)
		return n > 0, err
	})
}

func (d *demo) waitOnline(ctx context.Context) error {
	wctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	err := poll(wctx, 250*time.Millisecond, func(ctx context.Context) (bool, error) {
		n, err := d.chain().CountProviders(ctx, gpumarket.ProviderOnline, gpumarket.ProviderBusy)
		return n == int64(len(d.providers)), err
	})
	if err != nil {
		return fmt.Errorf("wait for the providers to be online: %w", err)
	}
	return nil
}

func (d *demo) waitTerminal(ctx context.Context, jobs []*jobPlan) error {
	err := poll(ctx, 500*time.Millisecond, func(ctx context.Context) (bool, error) {
		n, err := d.chain().CountJobs(ctx, gpumarket.JobStateSettled, gpumarket.JobStateRefunded, gpumarket.JobStateCancelled)
		return n == int64(len(jobs)), err
	})
	if err != nil {
		return fmt.Errorf("wait for every job to be settled or refunded: %w", err)
	}
	return nil
}

// waitWithdrawn waits (at most a minute) until no provider has earnings
// left in the marketplace.
func (d *demo) waitWithdrawn(ctx context.Context) error {
	wctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	return poll(wctx, time.Second, func(ctx context.Context) (bool, error) {
		for _, p := range d.providers {
			b, err := d.market.BalanceOf(ctx, d.sys.Stablecoin, p.operator.addr)
			if err != nil || b.Sign() != 0 {
				return false, err
			}
		}
		return true, nil
	})
}

// waitIndexed waits until the indexer's cursor is at the chain's head as it
// was when called.
func (d *demo) waitIndexed(ctx context.Context) error {
	head, err := d.node.BlockNumber(ctx)
	if err != nil {
		return err
	}
	return poll(ctx, 100*time.Millisecond, func(ctx context.Context) (bool, error) {
		cur, err := postgres.NewIndexerStore(d.db).Cursor(ctx, d.chainID)
		if gpumarket.ErrorCode(err) == gpumarket.ENOTFOUND {
			return false, nil
		}
		return cur.Number >= head, err
	})
}
