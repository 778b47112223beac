package api

import (
	"context"
	"fmt"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/gpumarket/gpumarket/matcher/service"
)

// quoteRowCache keeps the candidate rows of recent quote filters for a
// short time, so that a burst of quotes for one kind and model costs one
// query. Freshness is measured on the monotonic clock (a quote is an
// estimate; a row at most ttl old is good enough, and the matcher's
// filters still run on it at the request's time). Concurrent misses of
// one filter share one query. It is safe for concurrent use.
type quoteRowCache struct {
	ttl   time.Duration
	max   int
	group singleflight.Group
	mu    sync.Mutex
	m     map[quoteKey]quoteRows
}

// quoteKey is a QuoteFilter without its time.
type quoteKey struct {
	kind             string
	model            string
	minGPUs, minVRAM uint32
	chain            uint64
	minStake         string
}

type quoteRows struct {
	rows []service.CandidateRow
	at   time.Time
}

func newQuoteRowCache(ttl time.Duration, max int) *quoteRowCache {
	return &quoteRowCache{ttl: ttl, max: max, m: map[quoteKey]quoteRows{}}
}

// rows returns the rows of f, loading them with load when none younger
// than the cache's ttl are held. The rows must not be modified.
func (c *quoteRowCache) rows(ctx context.Context, f service.QuoteFilter, load func(context.Context, service.QuoteFilter) ([]service.CandidateRow, error)) ([]service.CandidateRow, error) {
	if c.ttl <= 0 {
		return load(ctx, f)
	}
	k := quoteKey{kind: f.Kind.String(), model: f.Model, minGPUs: f.MinGPUs, minVRAM: f.MinVRAMMiB, chain: f.ChainID}
	if f.MinStake != nil {
		k.minStake = f.MinStake.String()
	}
	c.mu.Lock()
	e, ok := c.m[k]
	c.mu.Unlock()
	if ok && time.Since(e.at) < c.ttl {
		return e.rows, nil
	}
	v, err, _ := c.group.Do(fmt.Sprintf("%#v", k), func() (any, error) {
		// The query serves every caller waiting on it: one leaving does
		// not cancel it for the others.
		rows, err := load(context.WithoutCancel(ctx), f)
		if err != nil {
			return nil, err
		}
		c.put(k, quoteRows{rows: rows, at: time.Now()})
		return rows, nil
	})
	if err != nil {
		return nil, err
	}
	return v.([]service.CandidateRow), nil
}

func (c *quoteRowCache) put(k quoteKey, e quoteRows) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.max {
		for old, oe := range c.m {
			if time.Since(oe.at) >= c.ttl {
				delete(c.m, old)
			}
		}
		if len(c.m) >= c.max {
			c.m = map[quoteKey]quoteRows{}
		}
	}
	c.m[k] = e
}
