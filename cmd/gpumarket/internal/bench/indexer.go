// Package bench holds the benchmark commands that need real systems: the
// indexer's (anvil, PostgreSQL, the indexer) and the matcher's (PostgreSQL
// and matcher/service's queue). They print figures; they assert nothing about time, which is a
// test's job only for correctness.
package bench

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/gpumarket/gpumarket/internal/eth/keys"

	"github.com/gpumarket/gpumarket/internal/eth/market"

	"github.com/gpumarket/gpumarket/internal/eth/loadgen"
	"github.com/gpumarket/gpumarket/internal/eth/node"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/indexer"
	"github.com/gpumarket/gpumarket/internal/anvil"
	"github.com/gpumarket/gpumarket/internal/postgres"
)

// IndexerConfig says what the indexer benchmark does.
type IndexerConfig struct {
	Root         string // repository root (forge, the deploy script, the state cache)
	DatabaseURL  string // a server where databases can be created
	Events       int    // marketplace events to generate (>= 100,000 for the figure)
	JobsPerBlock int    // jobs per round; each round is 4 blocks and 4 events per job
	RangeWidth   uint64 // eth_getLogs range width for both the indexer and the raw limit
	LatencyTxs   int    // transactions for the head-latency measurement (at 1 s blocks)
	StateFile    string // anvil state cache; reused when it holds enough events
	Out          io.Writer
	Log          *slog.Logger
}

// IndexerResult holds the figures.
type IndexerResult struct {
	Events, Blocks                     int
	Backfill, Raw                      time.Duration
	BackfillEPS, RawEPS                float64
	Ratio                              float64
	LatencyP50, LatencyP99, LatencyMax time.Duration
	LatencySamples                     int
}

type cacheMeta struct {
	Deployment gpumarket.Deployment `json:"deployment"`
	Events     int                  `json:"events"`
	Head       uint64               `json:"head"`
}

type tokens struct {
	StakingToken gpumarket.Address `json:"stakingToken"`
	Stablecoin   gpumarket.Address `json:"stablecoin"`
}

// Indexer runs the benchmark: fill anvil (or load the cached state), then
// (a) a full backfill into an empty database, (b) the raw limit over the same
// ranges, (c) a/b, then head latency at 1 s blocks.
func Indexer(ctx context.Context, cfg IndexerConfig) (*IndexerResult, error) {
	res := &IndexerResult{}
	chain, meta, err := prepareChain(ctx, cfg)
	if err != nil {
		return nil, err
	}
	defer chain.Stop()
	d := &meta.Deployment
	marketAddr, registry := d.Contracts[gpumarket.ContractMarket], d.Contracts[gpumarket.ContractRegistry]
	res.Blocks = int(meta.Head - d.DeployBlock)
	start := max(d.DeployBlock, 1)
	fmt.Fprintf(cfg.Out, "chain: %d job lifecycle events in blocks %d-%d\n", meta.Events, start, meta.Head)

	src, err := node.Dial(ctx, chain.URL, []gpumarket.Address{marketAddr, registry}, time.Minute)
	if err != nil {
		return nil, err
	}
	defer src.Close()

	// (a) full backfill: decoding, events, folds, cursor.
	full, dropFull, err := freshDB(ctx, cfg.DatabaseURL, "bench_full")
	if err != nil {
		return nil, err
	}
	defer dropFull()
	ix := indexer.New(indexer.Config{ChainID: d.ChainID, StartBlock: start, IgnoreTags: true, Confirmations: 1,
		InitialRange: cfg.RangeWidth, MaxRange: cfg.RangeWidth, Owner: "bench"},
		src, postgres.NewIndexerStore(full), market.NewDecoder(marketAddr, registry), cfg.Log, nil)
	if err := postgres.NewIndexerStore(full).AcquireLease(ctx, d.ChainID, "bench", time.Hour); err != nil {
		return nil, err
	}
	t0 := time.Now()
	for {
		progressed, err := ix.Step(ctx)
		if err != nil {
			return nil, fmt.Errorf("backfill: %w", err)
		}
		if !progressed {
			break
		}
	}
	res.Backfill = time.Since(t0)
	indexed, err := full.Count(ctx, "logs")
	if err != nil {
		return nil, err
	}
	jobEvents, err := full.Count(ctx, "job_events")
	if err != nil {
		return nil, err
	}
	if int(jobEvents) != meta.Events {
		return nil, fmt.Errorf("backfill indexed %d job events, the generator sent %d", jobEvents, meta.Events)
	}
	res.Events = int(indexed)
	res.BackfillEPS = float64(indexed) / res.Backfill.Seconds()
	fmt.Fprintf(cfg.Out, "(a) full backfill: %d contract events (%d job lifecycle events) decoded, stored, folded in %s = %.0f events/s\n",
		indexed, jobEvents, res.Backfill.Round(time.Millisecond), res.BackfillEPS)

	// (b) raw limit: the same ranges, eth_getLogs + COPY, nothing else.
	raw, dropRaw, err := freshDB(ctx, cfg.DatabaseURL, "bench_raw")
	if err != nil {
		return nil, err
	}
	defer dropRaw()
	sink, err := postgres.NewRawLogSink(ctx, raw)
	if err != nil {
		return nil, err
	}
	t0 = time.Now()
	copied := 0
	for from := start; from <= meta.Head; from += cfg.RangeWidth {
		logs, err := src.RangeLogs(ctx, from, min(from+cfg.RangeWidth-1, meta.Head))
		if err != nil {
			return nil, fmt.Errorf("raw limit: %w", err)
		}
		if err := sink.Copy(ctx, d.ChainID, logs); err != nil {
			return nil, err
		}
		copied += len(logs)
	}
	res.Raw = time.Since(t0)
	if copied != res.Events {
		return nil, fmt.Errorf("raw limit copied %d logs, the backfill indexed %d", copied, res.Events)
	}
	res.RawEPS = float64(copied) / res.Raw.Seconds()
	res.Ratio = res.BackfillEPS / res.RawEPS
	fmt.Fprintf(cfg.Out, "(b) raw limit: %d logs fetched and copied in %s = %.0f events/s\n", copied, res.Raw.Round(time.Millisecond), res.RawEPS)
	fmt.Fprintf(cfg.Out, "(c) a/b = %.2f (target >= 0.5)\n", res.Ratio)

	if cfg.LatencyTxs > 0 {
		if err := headLatency(ctx, cfg, chain, full, src, meta, res); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// prepareChain starts anvil from the cached state when it has enough events,
// or deploys and generates traffic and caches the state.
func prepareChain(ctx context.Context, cfg IndexerConfig) (*anvil.Node, *cacheMeta, error) {
	metaPath := cfg.StateFile + ".meta.json"
	if raw, err := os.ReadFile(metaPath); err == nil {
		var meta cacheMeta
		if json.Unmarshal(raw, &meta) == nil && meta.Events >= cfg.Events {
			chain, err := anvil.Start(ctx, anvil.Config{LoadState: cfg.StateFile})
			if err == nil {
				if head, herr := chain.BlockNumber(ctx); herr == nil && head >= meta.Head {
					fmt.Fprintf(cfg.Out, "reusing anvil state %s\n", cfg.StateFile)
					return chain, &meta, nil
				}
				chain.Stop()
			}
		}
	}
	chain, err := anvil.Start(ctx, anvil.Config{})
	if err != nil {
		return nil, nil, err
	}
	meta, err := generate(ctx, cfg, chain)
	if err != nil {
		chain.Stop()
		return nil, nil, err
	}
	if err := chain.DumpStateFile(ctx, cfg.StateFile); err != nil {
		chain.Stop()
		return nil, nil, err
	}
	b, _ := json.Marshal(meta)
	if err := os.WriteFile(metaPath, b, 0o644); err != nil {
		chain.Stop()
		return nil, nil, err
	}
	return chain, meta, nil
}

func generate(ctx context.Context, cfg IndexerConfig, chain *anvil.Node) (*cacheMeta, error) {
	depFile := filepath.Join(cfg.Root, "out", "deployment-bench.json")
	cmd := exec.CommandContext(ctx, filepath.Join(cfg.Root, "node_modules", ".bin", "forge"), "script", "contracts/script/Deploy.s.sol:Deploy",
		"--rpc-url", chain.URL, "--broadcast", "--slow")
	cmd.Dir = cfg.Root
	cmd.Env = append(os.Environ(), "FOUNDRY_SOLC="+filepath.Join(cfg.Root, "tools", "solc.js"), "GPUMARKET_DEPLOYMENT_FILE="+depFile,
		"GPUMARKET_DEPLOY_TEST_STABLECOIN=true", "GPUMARKET_MAX_JOB_DURATION=604800")
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("deploy with forge script: %v: %s", err, tail(out))
	}
	d, err := gpumarket.LoadDeployment(depFile)
	if err != nil {
		return nil, err
	}
	if err := chain.SetAutomine(ctx, false); err != nil {
		return nil, err
	}
	gen, err := newLoadGen(ctx, chain, d)
	if err != nil {
		return nil, err
	}
	defer gen.Close()
	if err := gen.Setup(ctx); err != nil {
		return nil, err
	}
	events, t0 := 0, time.Now()
	for events < cfg.Events {
		n, err := gen.Round(ctx, cfg.JobsPerBlock)
		if err != nil {
			return nil, fmt.Errorf("generate traffic after %d events: %w", events, err)
		}
		events += n
		if events%20_000 < n {
			fmt.Fprintf(cfg.Out, "generated %d events (%.0f/s)\n", events, float64(events)/time.Since(t0).Seconds())
		}
	}
	head, err := chain.BlockNumber(ctx)
	if err != nil {
		return nil, err
	}
	return &cacheMeta{Deployment: *d, Events: events, Head: head}, nil
}

// newLoadGen drives the deployment with anvil's dev accounts: 0 is the
// deployer and matcher, 3 the provider operator, 4 its hot key, 5-9 clients.
func newLoadGen(ctx context.Context, chain *anvil.Node, d *gpumarket.Deployment) (*loadgen.Generator, error) {
	var tk tokens
	if err := json.Unmarshal(d.Tokens, &tk); err != nil {
		return nil, fmt.Errorf("deployment tokens: %w", err)
	}
	devKeys := make([]*ecdsa.PrivateKey, len(anvil.DevKeys))
	for i, h := range anvil.DevKeys {
		k, err := keys.ParseKey(h)
		if err != nil {
			return nil, err
		}
		devKeys[i] = k
	}
	return loadgen.New(ctx, chain.URL, d, tk.Stablecoin, tk.StakingToken,
		loadgen.Keys{Matcher: devKeys[0], Operator: devKeys[3], HotKey: devKeys[4], Clients: devKeys[5:]})
}

// headLatency mines a block every second and measures, for each new job,
// the time from its receipt being available to its row being committed
// (the gpumarket_jobs notification, sent at commit).
func headLatency(ctx context.Context, cfg IndexerConfig, chain *anvil.Node, db *postgres.DB, src *node.Source, meta *cacheMeta, res *IndexerResult) error {
	d := &meta.Deployment
	marketAddr, registry := d.Contracts[gpumarket.ContractMarket], d.Contracts[gpumarket.ContractRegistry]
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var mu sync.Mutex
	committed := map[uint64]time.Time{}
	listening := make(chan struct{})
	go func() {
		close(listening)
		_ = db.Listen(ctx, "gpumarket_jobs", func(payload []byte) {
			at := time.Now()
			var n struct {
				JobIDs []uint64 `json:"job_ids"`
			}
			if json.Unmarshal(payload, &n) == nil {
				mu.Lock()
				for _, id := range n.JobIDs {
					if _, seen := committed[id]; !seen {
						committed[id] = at
					}
				}
				mu.Unlock()
			}
		})
	}()
	<-listening
	ix := indexer.New(indexer.Config{ChainID: d.ChainID, StartBlock: max(d.DeployBlock, 1), IgnoreTags: true, Confirmations: 8,
		PollInterval: 10 * time.Millisecond, Owner: "bench"}, src, postgres.NewIndexerStore(db), market.NewDecoder(marketAddr, registry), cfg.Log, nil)
	done := make(chan error, 1)
	go func() { done <- ix.Run(ctx) }()
	if err := chain.SetIntervalMining(ctx, time.Second); err != nil {
		return err
	}
	gen, err := newLoadGen(ctx, chain, d)
	if err != nil {
		return err
	}
	defer gen.Close()
	available, err := gen.CreateJobsTimed(ctx, cfg.LatencyTxs, 10)
	if err != nil {
		return err
	}
	deadline := time.Now().Add(30 * time.Second)
	var lat []time.Duration
	for time.Now().Before(deadline) {
		mu.Lock()
		lat = lat[:0]
		for id, t := range available {
			if c, ok := committed[uint64(id)]; ok {
				lat = append(lat, max(c.Sub(t), 0))
			}
		}
		mu.Unlock()
		if len(lat) == len(available) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	<-done
	if len(lat) < len(available) {
		return fmt.Errorf("head latency: %d of %d jobs never arrived", len(available)-len(lat), len(available))
	}
	slices.Sort(lat)
	res.LatencySamples = len(lat)
	res.LatencyP50, res.LatencyP99, res.LatencyMax = lat[len(lat)/2], lat[len(lat)*99/100], lat[len(lat)-1]
	fmt.Fprintf(cfg.Out, "head latency at 1 s blocks (receipt available -> decoded row committed), %d txs: p50 %s, p99 %s, max %s (target p99 <= 100ms)\n",
		len(lat), res.LatencyP50.Round(time.Microsecond), res.LatencyP99.Round(time.Microsecond), res.LatencyMax.Round(time.Microsecond))
	return nil
}

// freshDB creates a migrated database name on the server.
func freshDB(ctx context.Context, serverURL, name string) (*postgres.DB, func(), error) {
	_ = postgres.DropDatabase(ctx, serverURL, name)
	if err := postgres.CreateDatabase(ctx, serverURL, name, ""); err != nil {
		return nil, nil, err
	}
	dsn, err := postgres.WithDatabase(serverURL, name)
	if err != nil {
		return nil, nil, err
	}
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		return nil, nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, func() { db.Close(); _ = postgres.DropDatabase(context.Background(), serverURL, name) }, nil
}

func tail(b []byte) string {
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}
