package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/urfave/cli/v3"
	"golang.org/x/sync/errgroup"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/indexer"
	"github.com/gpumarket/gpumarket/internal/eth"
	"github.com/gpumarket/gpumarket/internal/postgres"
)

// indexerConfig holds the indexer subcommand's settings.
type indexerConfig struct {
	contractFlags
	RPCURL        string
	StartBlock    uint64
	Confirmations uint64
	IgnoreTags    bool
	MaxRange      uint64
	Listen        string
	Owner         string
	From          uint64 // replay only
}

func indexerCommand(cfg *Config, stdout, stderr io.Writer) *cli.Command {
	ic := &indexerConfig{Listen: "127.0.0.1:9101", MaxRange: 5000}
	ic.Owner = indexer.LocalOwner()
	flags := []cli.Flag{
		&cli.StringFlag{Name: "database-url", Usage: "PostgreSQL URL (password never printed)", Sources: cli.EnvVars(envName("database-url")), Destination: &cfg.DatabaseURL},
		&cli.StringFlag{Name: "rpc-url", Usage: "EVM node JSON-RPC URL (http(s) or ws(s)); the source of truth", Sources: cli.EnvVars(envName("rpc-url")), Destination: &ic.RPCURL},
		&cli.StringFlag{Name: "deployment", Usage: "deployment file written by the deploy script (chain id, deploy block, contract addresses)", Sources: cli.EnvVars(envName("deployment")), Destination: &ic.Deployment},
		&cli.Uint64Flag{Name: "chain-id", Usage: "expected chain id (from the deployment file when omitted); the node must agree", Sources: cli.EnvVars(envName("chain-id")), Destination: &ic.ChainID},
		&cli.StringFlag{Name: "market", Usage: "JobMarketplace address (instead of the deployment file)", Sources: cli.EnvVars(envName("market")), Destination: &ic.Market},
		&cli.StringFlag{Name: "registry", Usage: "ProviderRegistry address (instead of the deployment file)", Sources: cli.EnvVars(envName("registry")), Destination: &ic.Registry},
		&cli.Uint64Flag{Name: "start-block", Usage: "first block to index: the contracts' deploy block (from the deployment file when omitted)", Sources: cli.EnvVars(envName("start-block")), Destination: &ic.StartBlock},
		&cli.Uint64Flag{Name: "confirmations", Value: 64, Usage: "depth treated as final when the node has no finalized tag", Sources: cli.EnvVars(envName("confirmations")), Destination: &ic.Confirmations},
		&cli.BoolFlag{Name: "ignore-finality-tags", Usage: "use --confirmations even if the node has a finalized tag", Sources: cli.EnvVars(envName("ignore-finality-tags")), Destination: &ic.IgnoreTags},
		&cli.Uint64Flag{Name: "max-range", Value: ic.MaxRange, Usage: "widest eth_getLogs range in blocks (narrowed automatically when the node refuses)", Sources: cli.EnvVars(envName("max-range")), Destination: &ic.MaxRange},
		&cli.StringFlag{Name: "listen", Value: ic.Listen, Usage: "address for /metrics, /healthz and /readyz (empty: none)", Sources: cli.EnvVars(envName("indexer-listen")), Destination: &ic.Listen},
		&cli.StringFlag{Name: "owner", Value: ic.Owner, Usage: "writer lease owner id; one writer per chain (default <hostname>-<pid>: a restart on the same host takes over the lease of a predecessor that is gone)", Sources: cli.EnvVars(envName("indexer-owner")), Destination: &ic.Owner},
	}
	return &cli.Command{
		Name:  "indexer",
		Usage: "mirror the contracts' events into PostgreSQL (reorg-safe, exactly once)",
		Commands: []*cli.Command{
			{
				Name:  "run",
				Usage: "index from the stored cursor (or the deploy block) and follow the chain until stopped",
				Flags: flags,
				Action: func(ctx context.Context, _ *cli.Command) error {
					return runIndexer(ctx, *cfg, *ic, stderr)
				},
			},
			{
				Name:  "replay",
				Usage: "re-derive everything from block --from: delete what is stored from there and index it again",
				Flags: append(flags, &cli.Uint64Flag{Name: "from", Usage: "first block to re-index (required)", Destination: &ic.From}),
				Action: func(ctx context.Context, _ *cli.Command) error {
					if ic.From == 0 {
						return gpumarket.Errorf(gpumarket.EINVALID, "--from: required (a block number of at least 1)")
					}
					return replayIndexer(ctx, *cfg, *ic, stdout, stderr)
				},
			},
			solanaCommand(cfg, stderr),
		},
	}
}

// resolve fills chain id, contract addresses and start block from the
// deployment file and flags (flags win), and validates them.
func (ic *indexerConfig) resolve() (market, registry gpumarket.Address, err error) {
	market, registry, d, errs, err := ic.contractFlags.resolve()
	if err != nil {
		return market, registry, err
	}
	if d != nil && ic.StartBlock == 0 {
		// The script records the block before its first transaction: 0 on a
		// fresh chain, whose genesis block holds nothing of ours.
		ic.StartBlock = max(d.DeployBlock, 1)
	}
	if ic.RPCURL == "" {
		errs = append(errs, fieldErr("rpc-url", "required"))
	}
	if ic.StartBlock == 0 {
		errs = append(errs, fieldErr("start-block", "required (or --deployment): the contracts' deploy block"))
	}
	if ic.MaxRange == 0 {
		errs = append(errs, fieldErr("max-range", "must be at least 1"))
	}
	if len(errs) > 0 {
		return market, registry, gpumarket.Errorf(gpumarket.EINVALID, "configuration: %v", errors.Join(errs...))
	}
	return market, registry, nil
}

func openIndexer(ctx context.Context, cfg Config, ic *indexerConfig, stderr io.Writer, reg prometheus.Registerer) (*indexer.Indexer, *postgres.IndexerStore, *eth.Source, func(), error) {
	if err := cfg.Validate(true); err != nil {
		return nil, nil, nil, nil, err
	}
	market, registry, err := ic.resolve()
	if err != nil {
		return nil, nil, nil, nil, err
	}
	contracts := []gpumarket.Address{market}
	if registry != market {
		contracts = append(contracts, registry)
	}
	log := newLogger(cfg, stderr)
	db, err := postgres.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	src, err := eth.Dial(ctx, ic.RPCURL, contracts, 0)
	if err != nil {
		db.Close()
		return nil, nil, nil, nil, err
	}
	cleanup := func() { src.Close(); db.Close() }
	store := postgres.NewIndexerStore(db)
	ix := indexer.New(indexer.Config{
		ChainID: ic.ChainID, StartBlock: ic.StartBlock, Confirmations: ic.Confirmations, IgnoreTags: ic.IgnoreTags,
		MaxRange: ic.MaxRange, Owner: ic.Owner, HolderGone: indexer.LocalHolderGone,
	}, src, store, eth.NewDecoder(market, registry), log, indexer.NewMetrics(reg))
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

func runIndexer(ctx context.Context, cfg Config, ic indexerConfig, stderr io.Writer) error {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	ix, _, _, cleanup, err := openIndexer(ctx, cfg, &ic, stderr, reg)
	if err != nil {
		return err
	}
	defer cleanup()
	log := newLogger(cfg, stderr)
	log.Info("indexer starting", "chain_id", ic.ChainID, "start_block", ic.StartBlock, "owner", ic.Owner, "config", cfg)

	g, ctx := errgroup.WithContext(ctx)
	if ic.Listen != "" {
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
		mux.Handle("/", ix.Health(2))
		ln, err := net.Listen("tcp", ic.Listen)
		if err != nil {
			return gpumarket.Errorf(gpumarket.EINVALID, "--listen %s: %v", ic.Listen, err)
		}
		srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
		g.Go(func() error {
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			return nil
		})
		g.Go(func() error {
			<-ctx.Done()
			shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			return srv.Shutdown(shutdown)
		})
		log.Info("serving metrics and health", "addr", ln.Addr().String())
	}
	g.Go(func() error {
		err := ix.Run(ctx)
		if err != nil {
			return err
		}
		return context.Canceled // stop the HTTP server too
	})
	if err := g.Wait(); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

func replayIndexer(ctx context.Context, cfg Config, ic indexerConfig, stdout, stderr io.Writer) error {
	_, store, src, cleanup, err := openIndexer(ctx, cfg, &ic, stderr, nil)
	if err != nil {
		return err
	}
	defer cleanup()
	if err := store.AcquireLease(ctx, ic.ChainID, ic.Owner, time.Minute); err != nil {
		return fmt.Errorf("replay needs the writer lease (stop the running indexer first): %w", err)
	}
	defer func() { _ = store.ReleaseLease(context.WithoutCancel(ctx), ic.ChainID, ic.Owner) }()
	before, err := src.BlockByNumber(ctx, ic.From-1)
	if err != nil {
		return fmt.Errorf("read block %d: %w", ic.From-1, err)
	}
	if err := store.Replay(ctx, ic.ChainID, ic.Owner, before); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "deleted everything from block %d; `gpumarket indexer run` re-indexes it\n", ic.From)
	return nil
}
