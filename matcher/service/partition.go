package service

import (
	"context"
	"hash/fnv"
	"time"

	"github.com/gpumarket/gpumarket"
)

// Scale-out: instances split the providers, not the jobs. Two instances
// that rank the same providers both offer the cheapest ones first, and
// about half of their offers are refused by the provider load locks (each
// refusal costs a decision, a signature and a round trip). Instead the
// providers fall into Partitions partitions by address, each leased by one
// live instance (Store.Partitions: partition p of n instances sorted by id
// goes to rank p mod n). An instance claims jobs from the shared queue as
// before but ranks and offers only among the providers of its partitions,
// so that no two instances compete for a provider's slots and each
// decision scores 1/n of the candidates. A job it cannot place there goes
// to the partition of the best provider elsewhere (Retry.Route), and only
// that partition's holder claims it next.
//
// Partition leases keep instances apart for speed only: capacity and "one
// live offer per job" are still enforced by the job leases, the live-offer
// index and the provider load locks, so an overlap while leases change
// hands costs refused offers, never a wrong assignment.

// Partitions is the number of provider partitions: the most instances that
// share the work of one chain.
const Partitions = 64

// PartitionOf returns provider p's partition: FNV-1a (32-bit) of its 20
// address bytes modulo Partitions.
func PartitionOf(p gpumarket.Address) int {
	h := fnv.New32a()
	_, _ = h.Write(p[:])
	return int(h.Sum32() % Partitions)
}

// partSet is the partitions an instance holds.
type partSet struct {
	all  bool // every one (alone, or never rebalanced: unpartitioned)
	held [Partitions]bool
	list []int
}

func (ps *partSet) has(p gpumarket.Address) bool {
	return ps == nil || ps.all || ps.held[PartitionOf(p)]
}

// claimParts returns the partitions to pass to Store.Claim (nil: every
// job) and whether the instance may claim at all (it holds a partition).
func (ps *partSet) claimParts() ([]int, bool) {
	if ps == nil || ps.all {
		return nil, true
	}
	return ps.list, len(ps.list) > 0
}

// partitionTTL is how long a partition lease lasts; renewEvery how often
// Run renews. A holder that dies renewed at most renewEvery before; its
// leases lapse partitionTTL later and the next renewal of a survivor takes
// them, within LeaseTTL of the death, when the job claims it held lapse.
func (s *Service) partitionTTL() time.Duration { return s.cfg.LeaseTTL * 3 / 4 }
func (s *Service) renewEvery() time.Duration   { return s.cfg.LeaseTTL / 4 }

// Rebalance renews the instance's membership and partition leases
// (Store.Partitions) and uses the partitions it holds from the next batch
// on. Until its first call the instance offers to every provider. It
// returns the store's error and keeps the partitions it had.
func (s *Service) Rebalance(ctx context.Context) error {
	held, err := s.store.Partitions(ctx, s.cfg.ChainID, s.cfg.Instance, Partitions, s.partitionTTL(), s.now())
	if err != nil {
		return err
	}
	ps := &partSet{list: held, all: len(held) == Partitions}
	for _, p := range held {
		ps.held[p] = true
	}
	if old := s.parts.Swap(ps); old == nil || len(old.list) != len(held) {
		s.log.Info("provider partitions", "instance", s.cfg.Instance, "held", len(held), "of", Partitions)
	}
	return nil
}

// KeepPartitions rebalances every LeaseTTL/4 until ctx ends, then leaves
// (releasing the partitions for the others at once). Run calls it; it
// returns nil.
func (s *Service) KeepPartitions(ctx context.Context) error {
	t := time.NewTicker(s.renewEvery())
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			if err := s.store.LeavePartitions(lctx, s.cfg.ChainID, s.cfg.Instance); err != nil {
				s.log.Warn("release partitions failed; they lapse after their lease", "err", err)
			}
			return nil
		case <-t.C:
			if err := s.Rebalance(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("renew partitions failed", "err", err)
			}
		}
	}
}
