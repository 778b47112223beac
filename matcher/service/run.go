package service

import (
	"bytes"
	"context"
	"encoding/json"
	"math/big"
	"time"

	"github.com/robfig/cron/v3"
	"golang.org/x/sync/errgroup"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/matcher"
)

// Run matches until ctx ends: it syncs with the chain state on every
// notification on NotifyChannel for its chain (when notifier is not nil)
// and every Config.Poll, steps until the queue is drained, and runs the
// periodic work on the cron schedule. Cancellation is a normal return.
func (s *Service) Run(ctx context.Context, notifier Notifier) error {
	g, ctx := errgroup.WithContext(ctx)
	wake := make(chan struct{}, 1)
	signal := func() {
		select {
		case wake <- struct{}{}:
		default:
		}
	}
	if notifier != nil {
		g.Go(func() error {
			for {
				err := notifier.Listen(ctx, NotifyChannel, func(payload []byte) {
					var n struct {
						ChainID uint64   `json:"chain_id"`
						JobIDs  []uint64 `json:"job_ids"`
						Source  string   `json:"source"` // "matcher": its own offers, nothing new to match
					}
					if json.Unmarshal(payload, &n) == nil && n.ChainID == s.cfg.ChainID && n.Source != "matcher" {
						signal()
					}
				})
				if ctx.Err() != nil {
					return nil
				}
				s.log.Warn("listen failed; polling until it is back", "err", err)
				select {
				case <-ctx.Done():
					return nil
				case <-time.After(5 * time.Second):
				}
			}
		})
	}
	sched, err := s.schedule(ctx)
	if err != nil {
		return err
	}
	// Take this instance's share of the provider partitions before the
	// first claim, and keep it (see partition.go).
	if err := s.Rebalance(ctx); err != nil && ctx.Err() == nil {
		s.log.Warn("take partitions failed; offering to every provider until a renewal works", "err", err)
	}
	g.Go(func() error { return s.KeepPartitions(ctx) })
	sched.Start()
	g.Go(func() error {
		<-ctx.Done()
		<-sched.Stop().Done() // wait for running jobs
		return nil
	})
	g.Go(func() error {
		t := time.NewTicker(s.cfg.Poll)
		defer t.Stop()
		var lastFull time.Time
		for {
			// Incremental syncs look at jobs created in the last
			// SyncLookback; a full one (every open job) runs at start and
			// every FullSyncEvery, catching jobs indexed late (backfill).
			now := s.now()
			since := now.Add(-s.cfg.SyncLookback)
			if now.Sub(lastFull) >= s.cfg.FullSyncEvery {
				since, lastFull = time.Time{}, now
			}
			if err := s.store.Sync(ctx, s.cfg.ChainID, since, now); err != nil && ctx.Err() == nil {
				s.log.Error("sync failed", "err", err)
			}
			err := s.Drain(ctx, func(st Stats) {
				if st.Offered > 0 || st.Expired > 0 {
					s.log.Info("matched", "claimed", st.Claimed, "offered", st.Offered, "retried", st.Retried, "expired", st.Expired)
				}
			})
			if err != nil && ctx.Err() == nil {
				s.log.Error("step failed", "err", err)
			}
			select {
			case <-ctx.Done():
				return nil
			case <-wake:
			case <-t.C:
			}
		}
	})
	return g.Wait()
}

func (s *Service) schedule(ctx context.Context) (*cron.Cron, error) {
	c := cron.New(cron.WithChain(cron.SkipIfStillRunning(cron.DiscardLogger)))
	jobs := []struct {
		name, spec string
		fn         func(context.Context) error
	}{
		{"expire_leases", s.cfg.LeaseSchedule, func(ctx context.Context) error {
			_, err := s.maint.ExpireLeases(ctx, s.now())
			return err
		}},
		{"mark_offline", s.cfg.OfflineSchedule, s.MarkOffline},
		{"reputation", s.cfg.ReputationSchedule, func(ctx context.Context) error {
			_, err := s.maint.RecomputeReputation(ctx, s.cfg.ChainID, s.now(), s.cfg.Reputation)
			return err
		}},
		{"oracle_snapshot", s.cfg.OracleSchedule, s.Snapshot},
		{"spec_gc", s.cfg.SpecGCSchedule, func(ctx context.Context) error {
			_, err := s.CollectSpecs(ctx)
			return err
		}},
	}
	if s.cfg.Inputs != nil {
		jobs = append(jobs, struct {
			name, spec string
			fn         func(context.Context) error
		}{"blob_gc", s.cfg.BlobGCSchedule, func(ctx context.Context) error {
			_, err := s.CollectBlobs(ctx)
			return err
		}})
	}
	if s.maint == nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "service: periodic work needs a maintainer")
	}
	for _, j := range jobs {
		if _, err := c.AddFunc(j.spec, func() {
			if err := j.fn(ctx); err != nil && ctx.Err() == nil {
				s.log.Error("periodic job failed", "job", j.name, "err", err)
			}
		}); err != nil {
			return nil, gpumarket.Errorf(gpumarket.EINVALID, "schedule %s %q: %v", j.name, j.spec, err)
		}
	}
	return c, nil
}

// MarkOffline moves providers that missed Liveness.MissedBeforeOffline
// heartbeat intervals offline.
func (s *Service) MarkOffline(ctx context.Context) error {
	now := s.now()
	cutoff := now.Add(-time.Duration(s.cfg.Liveness.MissedBeforeOffline) * s.cfg.Liveness.Interval)
	n, err := s.maint.MarkOffline(ctx, s.cfg.ChainID, cutoff, now)
	if n > 0 {
		s.log.Info("providers offline", "count", n)
	}
	return err
}

// Snapshot computes the oracle's fair rates from the active providers'
// prices and the settlements of the window, and records them. Render
// settlements are left out: a render job's amount covers two units (frames
// and GPU-seconds) that cannot be separated into unit prices.
func (s *Service) Snapshot(ctx context.Context) error {
	now := s.now()
	rows, err := s.store.Candidates(ctx, s.cfg.ChainID, true)
	if err != nil {
		return err
	}
	type key struct {
		rk    matcher.RateKey
		token gpumarket.Address
	}
	points := map[key][]matcher.PricePoint{}
	for _, r := range rows {
		if r.Status != gpumarket.ProviderOnline && r.Status != gpumarket.ProviderBusy {
			continue
		}
		a, err := gpumarket.DecodeAttestation(bytes.NewReader(r.Document))
		if err != nil || a.Expired(now.Unix()) || !r.ChainCommits || !r.Active {
			continue
		}
		for _, c := range a.Capabilities {
			for _, p := range c.Prices {
				k := key{matcher.RateKey{Kind: c.Kind, Unit: p.Unit, Class: matcher.ClassOf(a.VRAMMiB)}, a.Token}
				points[k] = append(points[k], matcher.PricePoint{Provider: r.Provider, Price: p.Amount, Stake: r.Stake, LastSeen: now})
			}
		}
	}
	setts, err := s.maint.Settlements(ctx, s.cfg.ChainID, now.Add(-s.cfg.Oracle.Window))
	if err != nil {
		return err
	}
	bySett := map[key][]matcher.Settlement{}
	volume := map[key]map[gpumarket.Address]uint64{}
	for _, st := range setts {
		if st.Kind == gpumarket.JobKindRender {
			continue
		}
		u := st.Kind.Units()[0]
		q := st.Units1
		if st.Kind == gpumarket.JobKindLLM {
			q += st.Units2
		}
		if q == 0 {
			continue
		}
		price := new(big.Int).Mul(st.AmountDue, new(big.Int).SetUint64(u.Divisor()))
		price.Quo(price, new(big.Int).SetUint64(q))
		k := key{matcher.RateKey{Kind: st.Kind, Unit: u, Class: matcher.ClassOf(st.VRAMMiB)}, st.Token}
		bySett[k] = append(bySett[k], matcher.Settlement{Provider: st.Provider, UnitPrice: price, Units: q, At: st.SettledAt})
		if volume[k] == nil {
			volume[k] = map[gpumarket.Address]uint64{}
		}
		volume[k][st.Provider] += q
	}
	var snaps []Snapshot
	for k, pts := range points {
		for i := range pts {
			pts[i].Volume = volume[k][pts[i].Provider]
		}
		r, err := matcher.FairRate(k.rk, pts, bySett[k], now, &s.cfg.Oracle)
		if err != nil {
			if gpumarket.ErrorCode(err) == gpumarket.ENOTFOUND {
				continue
			}
			return err
		}
		snaps = append(snaps, Snapshot{ChainID: s.cfg.ChainID, Token: k.token, Rate: r, ComputedAt: now})
	}
	return s.maint.SaveSnapshots(ctx, snaps)
}
