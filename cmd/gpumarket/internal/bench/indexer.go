// Package bench holds the benchmark commands that need real systems: the
// indexer's (anvil, PostgreSQL, the indexer) and the matcher's (PostgreSQL
// and matcher/service's queue). They print figures; they assert nothing about time, which is a
// test's job only for correctness.
package bench

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gpumarket/gpumarket/internal/eth/keys"

	"github.com/gpumarket/gpumarket/internal/eth/loadgen"
	"github.com/gpumarket/gpumarket/internal/eth/node"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/anvil"
	"github.com/gpumarket/gpumarket/internal/postgres"
)

// IndexerConfig says what the indexer benchmark does.
type IndexerConfig struct {
	Root         string // repository root (forge, the deploy script, the state cache)
	Binary       string // the gpumarket executable whose `indexer run` is measured
	DatabaseURL  string // a server where databases can be created
	Events       int    // marketplace events to generate (>= 100,000 for the figure)
	JobsPerBlock int    // jobs per round; each round is 4 blocks and 4 events per job
	RangeWidth   uint64 // eth_getLogs range width for both the indexer (--max-range) and the raw limit
	Runs         int    // backfill and raw-limit runs (each figure is min/median/max over them)
	LatencyTxs   int    // jobs created for the head-latency measurement (at jittered ~1 s blocks)
	BlockTime    time.Duration
	BlockJitter  time.Duration // each block is mined BlockTime ± up to BlockJitter after the last
	IndexerArgs  []string      // further `indexer run` flags for every run (e.g. --ws-url off)
	CPUProfile   string        // passed to the first backfill run's --cpuprofile
	StateFile    string        // anvil state cache; reused when it holds enough events
	Out          io.Writer
	Log          *slog.Logger
}

// Spread is min, median and max of a set of runs.
type Spread struct{ Min, Median, Max float64 }

func spread(v []float64) Spread {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s) == 0 {
		return Spread{}
	}
	return Spread{Min: s[0], Median: s[len(s)/2], Max: s[len(s)-1]}
}

func (s Spread) String() string { return fmt.Sprintf("%.0f / %.0f / %.0f", s.Min, s.Median, s.Max) }

// IndexerResult holds the figures.
type IndexerResult struct {
	Events, Blocks                     int
	BackfillEPS, RawEPS, Ratio         Spread
	RawPipelinedEPS, RatioPipelined    Spread // the raw limit with the indexer's prefetch depth
	LatencyP50, LatencyP99, LatencyMax time.Duration
	LatencySamples, LatencyBlocks      int
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

// Indexer runs the benchmark on the shipped code path: fill anvil (or load
// the cached state), then Runs times (a) a full backfill by `gpumarket
// indexer run` (the built binary, a subprocess) into an empty database and
// (b) the raw limit, eth_getLogs + COPY over the same ranges, in pairs;
// then head latency of `indexer run` (its default flags: newHeads
// subscription, polling fallback) at jittered ~1 s blocks.
func Indexer(ctx context.Context, cfg IndexerConfig) (*IndexerResult, error) {
	res := &IndexerResult{}
	fmt.Fprintf(cfg.Out, "load at start: %s\n", loadavg())
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
	depFile, err := writeDeployment(d)
	if err != nil {
		return nil, err
	}
	defer os.Remove(depFile)

	src, err := node.Dial(ctx, chain.URL, []gpumarket.Address{marketAddr, registry}, time.Minute)
	if err != nil {
		return nil, err
	}
	defer src.Close()

	backfillArgs := append([]string{"--max-range", fmt.Sprint(cfg.RangeWidth), "--ignore-finality-tags", "--confirmations", "1"}, cfg.IndexerArgs...)
	fmt.Fprintf(cfg.Out, "(a) backfill: %s indexer run %s (a subprocess per run, into an empty database; until its cursor is the head)\n",
		filepath.Base(cfg.Binary), strings.Join(backfillArgs, " "))
	fmt.Fprintf(cfg.Out, "(b) raw limit: eth_getLogs + COPY over the same %d-block ranges, nothing else, one range after the other\n", cfg.RangeWidth)
	fmt.Fprintf(cfg.Out, "(b') raw limit pipelined: the same with %d ranges fetched ahead of the one copying, as indexer run fetches\n", rawPrefetchDepth)
	meter := cpuMeter{node: chain.Pid(), postmaster: postmasterPid(ctx, cfg.DatabaseURL)}
	var bf, rw, rp, ratio, ratioP []float64
	var last *postgres.DB
	var lastDSN string
	lastDrop := func() {}
	defer func() { lastDrop() }()
	indexed := map[string]int{}
	for run := 1; run <= cfg.Runs; run++ {
		var a, b, bp float64
		var cpuA, cpuB, cpuBP cpuFigures
		// Rotate the order: no side always runs first, on a warmer or
		// quieter machine.
		sides := []string{"backfill", "raw", "raw-pipelined"}
		k := (run - 1) % len(sides)
		sides = append(sides[k:], sides[:k]...)
		for _, side := range sides {
			switch side {
			case "backfill":
				args := backfillArgs
				if run == 1 && cfg.CPUProfile != "" {
					args = append(slices.Clone(args), "--cpuprofile", cfg.CPUProfile)
				}
				db, dsn, drop, eps, n, cpu, err := backfillRun(ctx, cfg, meter, run, d, depFile, chain.URL, meta, args)
				if err != nil {
					return nil, err
				}
				lastDrop()
				last, lastDSN, lastDrop, a, cpuA = db, dsn, drop, eps, cpu
				indexed[side] = n
			case "raw":
				eps, n, cpu, err := rawRun(ctx, cfg, meter, run, src, d.ChainID, start, meta.Head, 0)
				if err != nil {
					return nil, err
				}
				b, cpuB = eps, cpu
				indexed[side] = n
			default:
				eps, n, cpu, err := rawRun(ctx, cfg, meter, run, src, d.ChainID, start, meta.Head, rawPrefetchDepth)
				if err != nil {
					return nil, err
				}
				bp, cpuBP = eps, cpu
				indexed[side] = n
			}
		}
		if indexed["backfill"] != indexed["raw"] || indexed["raw"] != indexed["raw-pipelined"] {
			return nil, fmt.Errorf("run %d: the backfill indexed %d logs, the raw limit copied %d, pipelined %d", run, indexed["backfill"], indexed["raw"], indexed["raw-pipelined"])
		}
		res.Events = indexed["raw"]
		bf, rw, rp, ratio, ratioP = append(bf, a), append(rw, b), append(rp, bp), append(ratio, a/b), append(ratioP, a/bp)
		fmt.Fprintf(cfg.Out, "  run %d: backfill %.0f events/s, raw %.0f events/s, a/b %.2f; raw pipelined %.0f events/s, a/b' %.2f (load %s)\n", run, a, b, a/b, bp, a/bp, loadavg())
		fmt.Fprintf(cfg.Out, "    CPU: backfill %s; raw %s; raw pipelined %s\n", cpuA, cpuB, cpuBP)
	}
	res.BackfillEPS, res.RawEPS, res.Ratio = spread(bf), spread(rw), spread(ratio)
	res.RawPipelinedEPS, res.RatioPipelined = spread(rp), spread(ratioP)
	fmt.Fprintf(cfg.Out, "(a) backfill, %d runs, %d contract events: min/median/max %s events/s\n", cfg.Runs, res.Events, res.BackfillEPS)
	fmt.Fprintf(cfg.Out, "(b) raw limit, %d runs: min/median/max %s events/s\n", cfg.Runs, res.RawEPS)
	fmt.Fprintf(cfg.Out, "(b') raw limit pipelined, %d runs: min/median/max %s events/s\n", cfg.Runs, res.RawPipelinedEPS)
	fmt.Fprintf(cfg.Out, "(c) a/b per run: min/median/max %.2f / %.2f / %.2f (target >= 0.8)\n", res.Ratio.Min, res.Ratio.Median, res.Ratio.Max)
	fmt.Fprintf(cfg.Out, "(c') a/b' per run: min/median/max %.2f / %.2f / %.2f\n", res.RatioPipelined.Min, res.RatioPipelined.Median, res.RatioPipelined.Max)

	if cfg.LatencyTxs > 0 {
		if err := headLatency(ctx, cfg, chain, last, lastDSN, depFile, meta, res); err != nil {
			return nil, err
		}
	}
	fmt.Fprintf(cfg.Out, "load at end: %s\n", loadavg())
	return res, nil
}

// backfillRun indexes the whole chain with `indexer run` into a fresh
// database and returns it (caught up, for the latency run), its URL, the
// rate and the number of logs indexed.
func backfillRun(ctx context.Context, cfg IndexerConfig, meter cpuMeter, run int, d *gpumarket.Deployment, depFile, rpcURL string, meta *cacheMeta, args []string) (db *postgres.DB, dsn string, drop func(), eps float64, logs int, cpu cpuFigures, err error) {
	name := fmt.Sprintf("bench_full_%d", run)
	db, drop, err = freshDB(ctx, cfg.DatabaseURL, name)
	if err != nil {
		return nil, "", nil, 0, 0, cpu, err
	}
	dsn, err = postgres.WithDatabase(cfg.DatabaseURL, name)
	if err != nil {
		drop()
		return nil, "", nil, 0, 0, cpu, err
	}
	empty, err := db.Size(ctx)
	if err != nil {
		drop()
		return nil, "", nil, 0, 0, cpu, err
	}
	before := meter.read()
	t0 := time.Now()
	p, err := startIndexer(ctx, cfg.Binary, dsn, depFile, rpcURL, fmt.Sprintf("bench-backfill-%d", run), args)
	if err != nil {
		drop()
		return nil, "", nil, 0, 0, cpu, err
	}
	err = waitCursor(ctx, postgres.NewIndexerStore(db), d.ChainID, meta.Head, p)
	took := time.Since(t0)
	if serr := p.stop(); err == nil {
		err = serr
	}
	used := meter.read().sub(before)
	cpu = cpuFigures{client: p.cpu(), server: used.server, node: used.node}
	if err != nil {
		drop()
		return nil, "", nil, 0, 0, cpu, fmt.Errorf("backfill run %d: %w", run, err)
	}
	indexed, err := db.Count(ctx, "logs")
	if err == nil {
		var jobEvents int64
		if jobEvents, err = db.Count(ctx, "job_events"); err == nil && int(jobEvents) != meta.Events {
			err = fmt.Errorf("backfill run %d indexed %d job events, the generator sent %d", run, jobEvents, meta.Events)
		}
	}
	if err != nil {
		drop()
		return nil, "", nil, 0, 0, cpu, err
	}
	if run == 1 {
		if size, err := db.Size(ctx); err == nil {
			fmt.Fprintf(cfg.Out, "  the backfill grew the database by %.1f MB for %d contract events (%.0f bytes per event: logs, events, jobs, providers, indexes)\n",
				float64(size-empty)/1e6, indexed, float64(size-empty)/float64(indexed))
		}
	}
	return db, dsn, drop, float64(indexed) / took.Seconds(), int(indexed), cpu, nil
}

// rawPrefetchDepth is how many ranges the pipelined raw limit fetches
// ahead of the one it copies: the indexer's own prefetch depth.
const rawPrefetchDepth = 3

// rawRun fetches the same ranges and copies the logs, nothing else: one
// range after the other with depth 0, or with depth ranges fetched ahead
// (each in its own goroutine) of the one copying, in order.
func rawRun(ctx context.Context, cfg IndexerConfig, meter cpuMeter, run int, src *node.Source, chainID, start, head uint64, depth int) (float64, int, cpuFigures, error) {
	raw, drop, err := freshDB(ctx, cfg.DatabaseURL, fmt.Sprintf("bench_raw_%d_%d", run, depth))
	if err != nil {
		return 0, 0, cpuFigures{}, err
	}
	defer drop()
	sink, err := postgres.NewRawLogSink(ctx, raw)
	if err != nil {
		return 0, 0, cpuFigures{}, err
	}
	before := meter.read()
	t0 := time.Now()
	copied := 0
	type fetched struct {
		logs []gpumarket.Log
		err  error
	}
	fetch := func(from uint64) <-chan fetched {
		ch := make(chan fetched, 1)
		go func() {
			logs, err := src.RangeLogs(ctx, from, min(from+cfg.RangeWidth-1, head))
			ch <- fetched{logs, err}
		}()
		return ch
	}
	var ahead []<-chan fetched
	next := start
	for from := start; from <= head; from += cfg.RangeWidth {
		if len(ahead) == 0 {
			ahead, next = append(ahead, fetch(next)), next+cfg.RangeWidth
		}
		f := <-ahead[0]
		ahead = ahead[1:]
		for next <= head && len(ahead) < depth { // while this range copies, as the indexer's commit
			ahead, next = append(ahead, fetch(next)), next+cfg.RangeWidth
		}
		if f.err != nil {
			for _, ch := range ahead {
				<-ch
			}
			return 0, 0, cpuFigures{}, fmt.Errorf("raw limit: %w", f.err)
		}
		if err := sink.Copy(ctx, chainID, f.logs); err != nil {
			for _, ch := range ahead {
				<-ch
			}
			return 0, 0, cpuFigures{}, err
		}
		copied += len(f.logs)
	}
	took := time.Since(t0)
	used := meter.read().sub(before)
	return float64(copied) / took.Seconds(), copied, cpuFigures{client: used.self, server: used.server, node: used.node}, nil
}

// postmasterPid returns the pid of the PostgreSQL server at serverURL when
// it runs on this machine (the parent of a backend), or 0.
func postmasterPid(ctx context.Context, serverURL string) int {
	db, err := postgres.Open(ctx, serverURL)
	if err != nil {
		return 0
	}
	defer db.Close()
	backend, err := db.BackendPid(ctx)
	if err != nil {
		return 0
	}
	if _, ppid, err := procCPU(backend, false); err == nil {
		return ppid
	}
	return 0
}

// indexerProcess is `gpumarket indexer run` started from the built binary.
type indexerProcess struct {
	cmd    *exec.Cmd
	stderr *lockedBuffer
	done   chan struct{}
	err    error
}

// startIndexer starts `bin indexer run` with the flags a user passes.
func startIndexer(ctx context.Context, bin, dsn, depFile, rpcURL, owner string, args []string) (*indexerProcess, error) {
	argv := append([]string{"indexer", "run", "--database-url", dsn, "--rpc-url", rpcURL, "--deployment", depFile, "--owner", owner}, args...)
	cmd := exec.CommandContext(ctx, bin, argv...)
	p := &indexerProcess{cmd: cmd, stderr: &lockedBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = io.Discard, p.stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s indexer run: %w", bin, err)
	}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	return p, nil
}

// cpu is the exited process's user+system time.
func (p *indexerProcess) cpu() time.Duration {
	if st := p.cmd.ProcessState; st != nil {
		return st.UserTime() + st.SystemTime()
	}
	return 0
}

// stop sends SIGINT (what Ctrl-C sends) and waits; the command must exit 0.
func (p *indexerProcess) stop() error {
	select {
	case <-p.done:
	default:
		_ = p.cmd.Process.Signal(os.Interrupt)
		select {
		case <-p.done:
		case <-time.After(15 * time.Second):
			_ = p.cmd.Process.Kill()
			<-p.done
			return fmt.Errorf("indexer run did not stop within 15s of SIGINT: %s", p.stderr.tail())
		}
	}
	if p.err != nil {
		return fmt.Errorf("indexer run: %v: %s", p.err, p.stderr.tail())
	}
	return nil
}

// waitCursor polls the stored cursor every 5ms until it reaches target.
func waitCursor(ctx context.Context, store *postgres.IndexerStore, chainID, target uint64, p *indexerProcess) error {
	deadline := time.Now().Add(10 * time.Minute)
	for {
		cur, err := store.Cursor(ctx, chainID)
		if err == nil && cur.Number >= target {
			return nil
		}
		select {
		case <-p.done:
			return fmt.Errorf("indexer run exited before reaching block %d: %v: %s", target, p.err, p.stderr.tail())
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("indexer run did not reach block %d within 10 minutes: %s", target, p.stderr.tail())
		}
	}
}

// lockedBuffer collects a subprocess's stderr.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *lockedBuffer) tail() string { return tail([]byte(b.String())) }

// writeDeployment writes the chain's deployment file for --deployment.
func writeDeployment(d *gpumarket.Deployment) (string, error) {
	f, err := os.CreateTemp("", "gpumarket-bench-deployment-*.json")
	if err != nil {
		return "", fmt.Errorf("write deployment file: %w", err)
	}
	defer f.Close()
	if err := json.NewEncoder(f).Encode(d); err != nil {
		return "", fmt.Errorf("write deployment file: %w", err)
	}
	return f.Name(), nil
}

// loadavg is the machine's load (the first three fields of /proc/loadavg, as uptime prints them).
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
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

// headLatency runs `indexer run` with its default head-following flags
// (plus IndexerArgs) on the caught-up database, mines blocks at jittered
// intervals and measures, for each new job, the time from its receipt being
// available (the first receipt of its block seen by a 2ms poll) to its row
// being committed (the gpumarket_jobs notification, sent at commit).
func headLatency(ctx context.Context, cfg IndexerConfig, chain *anvil.Node, db *postgres.DB, dsn, depFile string, meta *cacheMeta, res *IndexerResult) error {
	d := &meta.Deployment
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var mu sync.Mutex
	committed := map[uint64]time.Time{}
	listenErr := make(chan error, 1)
	go func() {
		listenErr <- db.Listen(ctx, "gpumarket_jobs", func(payload []byte) {
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
	p, err := startIndexer(ctx, cfg.Binary, dsn, depFile, chain.URL, "bench-latency", cfg.IndexerArgs)
	if err != nil {
		return err
	}
	defer p.stop() //nolint:errcheck // stopped and checked below; this covers early returns
	if err := chain.SetAutomine(ctx, false); err != nil {
		return err
	}
	mined := make(chan error, 1)
	go func() { mined <- mineJittered(ctx, chain, cfg.BlockTime, cfg.BlockJitter) }()
	// The indexer is up when it has committed a block mined after it started.
	if err := waitCursor(ctx, postgres.NewIndexerStore(db), d.ChainID, meta.Head+2, p); err != nil {
		return fmt.Errorf("head latency: %w", err)
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
	early := 0
	for time.Now().Before(deadline) {
		mu.Lock()
		lat, early = lat[:0], 0
		for id, t := range available {
			if c, ok := committed[uint64(id)]; ok {
				if c.Before(t) {
					early++ // committed before the 2ms receipt poll saw it
				}
				lat = append(lat, max(c.Sub(t), 0))
			}
		}
		mu.Unlock()
		if len(lat) == len(available) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := p.stop(); err != nil {
		return err
	}
	cancel()
	if err := <-mined; err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("mine blocks: %w", err)
	}
	if len(lat) < len(available) {
		return fmt.Errorf("head latency: %d of %d jobs never arrived", len(available)-len(lat), len(available))
	}
	blocks := map[time.Time]bool{}
	for _, t := range available {
		blocks[t] = true
	}
	slices.Sort(lat)
	res.LatencySamples, res.LatencyBlocks = len(lat), len(blocks)
	res.LatencyP50, res.LatencyP99, res.LatencyMax = lat[len(lat)/2], lat[len(lat)*99/100], lat[len(lat)-1]
	fmt.Fprintf(cfg.Out, "head latency of %s indexer run %s at %s ± %s blocks (receipt available -> decoded row committed), %d jobs in %d blocks (%d committed before the receipt poll saw them, counted as 0): p50 %s, p99 %s, max %s (target p99 <= 50ms)\n",
		filepath.Base(cfg.Binary), flagsOrDefault(cfg.IndexerArgs), cfg.BlockTime, cfg.BlockJitter, len(lat), len(blocks), early,
		res.LatencyP50.Round(time.Microsecond), res.LatencyP99.Round(time.Microsecond), res.LatencyMax.Round(time.Microsecond))
	for _, line := range strings.Split(p.stderr.String(), "\n") {
		if strings.Contains(line, "level=WARN") || strings.Contains(line, "level=ERROR") {
			fmt.Fprintf(cfg.Out, "  indexer run logged: %s\n", line)
		}
	}
	return nil
}

func flagsOrDefault(args []string) string {
	if len(args) == 0 {
		return "(its default flags: newHeads subscription on the --rpc-url's port, polling fallback)"
	}
	return strings.Join(args, " ")
}

// mineJittered mines a block every interval ± up to jitter (uniform) until ctx ends.
func mineJittered(ctx context.Context, chain *anvil.Node, interval, jitter time.Duration) error {
	for {
		wait := interval
		if jitter > 0 {
			wait += time.Duration(rand.Int64N(int64(2*jitter+1))) - jitter
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
		if err := chain.Mine(ctx, 1); err != nil {
			return err
		}
	}
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
