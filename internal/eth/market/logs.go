package market

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/eth/node"
)

// DefaultMaxLogRange is the widest block range one eth_getLogs of the job
// reads (JobRecord, JobsOf) asks for.
const DefaultMaxLogRange = 10_000

// SetMaxLogRange sets the widest block range (at least 1) one eth_getLogs
// of the job reads asks for; 0 restores DefaultMaxLogRange. A node that
// refuses a range (too wide, too many results, a timeout) is asked for
// narrower ones, down to one block; a maximum width the node states is
// kept for later reads.
func (m *Market) SetMaxLogRange(n uint64) { m.logRange.Store(n) }

func (m *Market) maxLogRange() uint64 {
	if n := m.logRange.Load(); n > 0 {
		return n
	}
	return DefaultMaxLogRange
}

// rangeLogs returns the marketplace's logs matching topics from block from
// to the head, read in ranges of at most maxLogRange blocks, narrowing a
// range the node refuses as the indexer does (to the node's suggested end
// or stated maximum, else half) and widening again after each success. It returns an EUNAVAILABLE error when the
// node cannot be read, or refuses even one block.
func (m *Market) rangeLogs(ctx context.Context, from uint64, topics [][]common.Hash) ([]types.Log, error) {
	h, err := m.backend.HeaderByNumber(ctx, nil)
	if err != nil {
		return nil, callErr("latest header", err)
	}
	head := h.Number.Uint64()
	width := m.maxLogRange()
	var out []types.Log
	for lo := from; lo <= head; {
		hi := head
		if head-lo >= width {
			hi = lo + width - 1
		}
		logs, err := m.backend.FilterLogs(ctx, ethereum.FilterQuery{FromBlock: new(big.Int).SetUint64(lo), ToBlock: new(big.Int).SetUint64(hi),
			Addresses: []common.Address{m.market}, Topics: topics})
		if err == nil {
			out = append(out, logs...)
			lo = hi + 1
			width = min(width*2, m.maxLogRange()) // a dense stretch passed: widen again
			continue
		}
		err = node.LogsErr(lo, hi, err)
		var tooLarge *gpumarket.RangeTooLargeError
		isLarge := errors.As(err, &tooLarge)
		if (!isLarge && !errors.Is(err, gpumarket.ErrNodeTimeout)) || hi == lo || ctx.Err() != nil {
			if gpumarket.ErrorCode(err) == gpumarket.EUNAVAILABLE {
				return nil, fmt.Errorf("marketplace logs: %w", err)
			}
			return nil, gpumarket.Errorf(gpumarket.EUNAVAILABLE, "marketplace logs: %v", err)
		}
		n := hi - lo + 1
		next := n / 2
		if isLarge {
			if tooLarge.SuggestedTo >= lo && tooLarge.SuggestedTo < hi {
				next = tooLarge.SuggestedTo - lo + 1
			}
			if tooLarge.MaxWidth > 0 && tooLarge.MaxWidth < n {
				next = tooLarge.MaxWidth
				m.logRange.Store(next) // the node's limit: keep it
			}
		}
		width = max(next, 1)
	}
	return out, nil
}
