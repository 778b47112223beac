package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/gpumarket/gpumarket/internal/eth/market"

	"github.com/gpumarket/gpumarket/internal/eth/node"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/urfave/cli/v3"
	"golang.org/x/sync/errgroup"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/indexer"
	"github.com/gpumarket/gpumarket/internal/httpserve"
	"github.com/gpumarket/gpumarket/internal/postgres"
)

// indexerConfig holds the indexer subcommand's settings.
type indexerConfig struct {
	contractFlags
	RPCURL        string
	WSURL         string        // newHeads endpoint; "" derives it from RPCURL, "off" polls only
	PollInterval  time.Duration // head poll interval (the fallback while no subscription is live)
	StartBlock    uint64
	Confirmations uint64
	IgnoreTags    bool
	MaxRange      uint64
	Listen        string
	Owner         string
	From          uint64 // replay only
	CPUProfile    string // run only
}

// DefaultIndexerConfig returns the indexer subcommands' defaults.
func DefaultIndexerConfig() indexerConfig {
	return indexerConfig{Confirmations: 64, MaxRange: 5000, PollInterval: 250 * time.Millisecond, Listen: "127.0.0.1:9101", Owner: indexer.LocalOwner()}
}

func indexerCommand(cfg *Config, stdout, stderr io.Writer) *cli.Command {
	ic := &indexerConfig{}
	*ic = DefaultIndexerConfig()
	flags := join([]cli.Flag{databaseURLFlag(cfg, ""), rpcURLFlag(&ic.RPCURL)}, ic.contractFlags.flags(), []cli.Flag{
		&cli.StringFlag{Name: "ws-url", Usage: "WebSocket endpoint for new-head notifications (eth_subscribe newHeads); empty: --rpc-url with the ws/wss scheme (anvil and geth serve both on one port); \"off\": poll only. When the subscription fails the indexer polls every --poll-interval and subscribes again", Sources: env("ws-url"), Destination: &ic.WSURL},
		&cli.DurationFlag{Name: "poll-interval", Value: ic.PollInterval, Usage: "how often the node's head is polled while no head subscription is live (with one, a safety net)", Sources: env("indexer-poll-interval"), Destination: &ic.PollInterval},
		&cli.Uint64Flag{Name: "start-block", Usage: "first block to index: the contracts' deploy block (from the deployment file when omitted)", Sources: env("start-block"), Destination: &ic.StartBlock},
		&cli.Uint64Flag{Name: "confirmations", Value: ic.Confirmations, Usage: "depth treated as final when the node has no finalized tag", Sources: env("confirmations"), Destination: &ic.Confirmations},
		&cli.BoolFlag{Name: "ignore-finality-tags", Usage: "use --confirmations even if the node has a finalized tag", Sources: env("ignore-finality-tags"), Destination: &ic.IgnoreTags},
		&cli.Uint64Flag{Name: "max-range", Value: ic.MaxRange, Usage: "widest eth_getLogs range in blocks (narrowed automatically when the node refuses)", Sources: env("max-range"), Destination: &ic.MaxRange},
		&cli.StringFlag{Name: "listen", Value: ic.Listen, Usage: "address for /metrics, /healthz and /readyz (empty: none)", Sources: env("indexer-listen"), Destination: &ic.Listen},
		&cli.StringFlag{Name: "owner", Value: ic.Owner, Usage: "writer lease owner id; one writer per chain (default <hostname>-<pid>: a restart on the same host takes over the lease of a predecessor that is gone)", Sources: env("indexer-owner"), Destination: &ic.Owner},
	})
	return &cli.Command{
		Name:  "indexer",
		Usage: "mirror the contracts' events into PostgreSQL (reorg-safe, exactly once)",
		Commands: []*cli.Command{
			{
				Name:  "run",
				Usage: "index from the stored cursor (or the deploy block) and follow the chain until stopped",
				Flags: join(flags, []cli.Flag{&cli.StringFlag{Name: "cpuprofile", Usage: "write a CPU profile of the run to this file (go tool pprof)", Sources: env("indexer-cpuprofile"), Destination: &ic.CPUProfile}}),
				Action: func(ctx context.Context, cmd *cli.Command) error {
					return runIndexer(ctx, cmd, *cfg, *ic, stderr)
				},
			},
			{
				Name:  "replay",
				Usage: "re-derive everything from block --from: delete what is stored from there and index it again",
				Flags: join(flags, []cli.Flag{&cli.Uint64Flag{Name: "from", Usage: "first block to re-index (required)", Destination: &ic.From}}),
				Action: func(ctx context.Context, cmd *cli.Command) error {
					return replayIndexer(ctx, cmd, *cfg, *ic, stdout, stderr)
				},
			},
			solanaCommand(cfg, stderr),
		},
	}
}

// resolve fills chain id, contract addresses and start block from the
// deployment file and flags (flags win), and validates them.
func (ic *indexerConfig) resolve(cmd *cli.Command) (marketAddr, registry gpumarket.Address, err error) {
	marketAddr, registry, d, errs, err := ic.contractFlags.resolve(cmd)
	if err != nil {
		return marketAddr, registry, err
	}
	if d != nil && ic.StartBlock == 0 {
		// The script records the block before its first transaction: 0 on a
		// fresh chain, whose genesis block holds nothing of ours.
		ic.StartBlock = max(d.DeployBlock, 1)
	}
	if ic.RPCURL == "" {
		errs = append(errs, flagErr(cmd, "rpc-url", "required"))
	}
	if ic.StartBlock == 0 {
		errs = append(errs, flagErr(cmd, "start-block", "required (or --deployment): the contracts' deploy block"))
	}
	if ic.MaxRange == 0 {
		errs = append(errs, flagErr(cmd, "max-range", "must be at least 1"))
	}
	if ic.Owner == "" {
		errs = append(errs, flagErr(cmd, "owner", "required: a writer lease owner id"))
	}
	if ic.PollInterval < time.Millisecond || ic.PollInterval > time.Hour {
		errs = append(errs, flagErr(cmd, "poll-interval", "must be between 1ms and 1h"))
	}
	if ic.WSURL != "" && ic.WSURL != "off" {
		if u, err := node.WebSocketURL(ic.WSURL); err != nil || u != ic.WSURL {
			errs = append(errs, flagErr(cmd, "ws-url", "must be a ws:// or wss:// URL, or off"))
		}
	}
	return marketAddr, registry, invalid(errs...)
}

func openIndexer(ctx context.Context, cmd *cli.Command, cfg Config, ic *indexerConfig, stderr io.Writer, reg prometheus.Registerer) (*indexer.Indexer, *postgres.IndexerStore, *node.Source, func(), error) {
	if err := cfg.Validate(cmd, true); err != nil {
		return nil, nil, nil, nil, err
	}
	marketAddr, registry, err := ic.resolve(cmd)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	contracts := []gpumarket.Address{marketAddr}
	if registry != marketAddr {
		contracts = append(contracts, registry)
	}
	log := newLogger(cfg, stderr)
	db, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	src, err := node.Dial(ctx, ic.RPCURL, contracts, 0)
	if err != nil {
		db.Close()
		return nil, nil, nil, nil, err
	}
	cleanup := func() { src.Close(); db.Close() }
	store := postgres.NewIndexerStore(db)
	var heads indexer.HeadFeed
	if ws := ic.WSURL; ws != "off" {
		if ws == "" {
			ws, _ = node.WebSocketURL(ic.RPCURL) // a scheme with no WebSocket form: poll only
		}
		if ws != "" {
			heads = node.NewHeads(ws, 0)
		}
	}
	ix := indexer.New(indexer.Config{
		ChainID: ic.ChainID, StartBlock: ic.StartBlock, Confirmations: ic.Confirmations, IgnoreTags: ic.IgnoreTags,
		MaxRange: ic.MaxRange, Owner: ic.Owner, HolderGone: indexer.LocalHolderGone, PollInterval: ic.PollInterval, Heads: heads,
	}, src, store, market.NewDecoder(marketAddr, registry), log, indexer.NewMetrics(reg))
	if err := ix.Check(ctx); err != nil {
		cleanup()
		return nil, nil, nil, nil, err
	}
	if err := src.CheckContracts(ctx); err != nil {
		cleanup()
		return nil, nil, nil, nil, err
	}
	return ix, store, src, cleanup, nil
}

func runIndexer(ctx context.Context, cmd *cli.Command, cfg Config, ic indexerConfig, stderr io.Writer) error {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	ix, _, _, cleanup, err := openIndexer(ctx, cmd, cfg, &ic, stderr, reg)
	if err != nil {
		return err
	}
	defer cleanup()
	stop, err := startCPUProfile(cmd, "cpuprofile", ic.CPUProfile)
	if err != nil {
		return err
	}
	defer stop()
	log := newLogger(cfg, stderr)
	log.Info("indexer starting", "chain_id", ic.ChainID, "market", ic.Market, "registry", ic.Registry,
		"start_block", ic.StartBlock, "owner", ic.Owner, "poll_interval", ic.PollInterval, "head_subscription", ic.WSURL != "off", "config", cfg)

	g, ctx := errgroup.WithContext(ctx)
	if ic.Listen != "" {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
		mux.Handle("/", ix.Health(2))
		limits := httpserve.DefaultConfig()
		limits.MaxConns, limits.MaxBodyBytes = 64, 1<<10 // scrapes and probes: GETs only
		limits.Metrics = httpserve.NewMetrics(reg, "indexer")
		addr, err := serveHTTP(ctx, g, cmd, "listen", ic.Listen, mux, limits, log)
		if err != nil {
			return err
		}
		log.Info("serving metrics and health", "addr", addr.String())
	}
	g.Go(func() error {
		if err := ix.Run(ctx); err != nil {
			return err
		}
		return context.Canceled // stop the HTTP server too
	})
	if err := g.Wait(); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

func replayIndexer(ctx context.Context, cmd *cli.Command, cfg Config, ic indexerConfig, stdout, stderr io.Writer) error {
	if ic.From == 0 {
		return invalid(flagErr(cmd, "from", "required (a block number of at least 1)"))
	}
	_, store, src, cleanup, err := openIndexer(ctx, cmd, cfg, &ic, stderr, nil)
	if err != nil {
		return err
	}
	defer cleanup()
	if err := indexer.Replay(ctx, src, store, ic.ChainID, ic.Owner, ic.From); err != nil {
		if gpumarket.ErrorCode(err) == gpumarket.EINVALID { // the block: the owner was checked above
			return invalid(flagErr(cmd, "from", gpumarket.ErrorMessage(err)))
		}
		return err
	}
	fmt.Fprintf(stdout, "deleted everything from block %d; `gpumarket indexer run` re-indexes it\n", ic.From)
	return nil
}
