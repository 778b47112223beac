// Package demo runs the whole gpumarket market on one machine: anvil with
// 1 s blocks and short finality, PostgreSQL, the contracts with a test
// stablecoin, the indexer, the matcher and three provider relayers with
// different attested GPUs, and a scenario of clients posting a mix of jobs
// (wallet transactions and gasless signed orders, a preferred provider, a job
// nobody can serve that is refunded, a dispute the arbiter resolves) with a
// chain reorganization while jobs are in flight. It prints progress from
// PostgreSQL, a summary, and checks the end state against the chain.
//
// Everything runs in this process (one errgroup) except anvil and the private
// PostgreSQL cluster, which are child processes with a parent-death signal:
// cancelling the context (Ctrl-C) stops all of it. Ports are chosen by the
// OS, so several demos and the tests can run at once.
//
// Every on-chain action after the deployment goes through a journaled
// transaction manager (the clients', the order submitter's and the arbiter's
// as well as the relayers'), so the reorg's dropped transactions are re-sent
// and the end check can prove that nothing was sent twice.
package demo

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gpumarket/gpumarket/internal/eth/deploy"
	"github.com/gpumarket/gpumarket/internal/eth/keys"
	"github.com/gpumarket/gpumarket/internal/eth/market"
	"github.com/gpumarket/gpumarket/internal/eth/node"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/indexer"
	"github.com/gpumarket/gpumarket/internal/anvil"
	"github.com/gpumarket/gpumarket/internal/pgcluster"
	"github.com/gpumarket/gpumarket/internal/postgres"
	"github.com/gpumarket/gpumarket/relayer/executor/blender"
)

// ErrCheckFailed is returned (wrapped) by Run when the end state disagrees
// with the chain; the report lists each disagreement.
var ErrCheckFailed = errors.New("demo: end state check failed")

// Config configures Run. Zero fields take the defaults in brackets.
type Config struct {
	// DatabaseURL is a PostgreSQL server on which the demo creates (and,
	// unless Keep, drops) its own database; the URL must allow CREATE
	// DATABASE. Empty: a private cluster under DataDir.
	DatabaseURL string
	DataDir     string // [.data/demo] logs, results, the private cluster
	Short       bool   // the CI form: eight jobs instead of twelve
	Keep        bool   // leave everything running (the providers too) until ctx ends

	BlockTime       time.Duration // [1s]
	ChallengeWindow time.Duration // [30s]
	ProgressEvery   time.Duration // [5s]
	Timeout         time.Duration // the scenario, from the first job [6m]

	Out io.Writer    // progress and summary [discarded]
	Log *slog.Logger // component logs [DataDir/run-*/demo.log]
	// Ready, when set, is called once everything runs, before the first job.
	Ready func(*Info)
	// Kept, when set, is called with Keep once the end state is checked and
	// the tour printed, the providers still running: keyFile holds the
	// tour client's key (funded with ETH and USDT).
	Kept func(info *Info, keyFile string)
}

// Info says how to reach a running demo.
type Info struct {
	RunDir      string
	NodeURL     string
	DatabaseURL string // secret-free: the demo's clusters use trust authentication on loopback
	MatcherURL  string
	Deployment  string // path of the deployment file
	Market      gpumarket.Address
	Registry    gpumarket.Address
	Stablecoin  gpumarket.Address
	Staking     gpumarket.Address // the registry's staking token (GPUS)
}

func (c *Config) defaults() {
	if c.DataDir == "" {
		c.DataDir = filepath.Join(".data", "demo")
	}
	if c.BlockTime <= 0 {
		c.BlockTime = time.Second
	}
	if c.ChallengeWindow <= 0 {
		c.ChallengeWindow = 30 * time.Second
	}
	if c.ProgressEvery <= 0 {
		c.ProgressEvery = 5 * time.Second
	}
	if c.Timeout <= 0 {
		c.Timeout = 6 * time.Minute
	}
	if c.Out == nil {
		c.Out = io.Discard
	}
}

// Run runs the demo and returns its report. It returns an error wrapping
// ErrCheckFailed (with the report) when the end state disagrees with the
// chain, an EUNAVAILABLE error when anvil or PostgreSQL cannot be started,
// and ctx's error when it is cancelled before the end.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	cfg.defaults()
	d := &demo{cfg: cfg, t0: time.Now()}
	defer d.close()
	if err := d.setup(ctx); err != nil {
		return nil, err
	}
	return d.run(ctx)
}

// party is an account of the demo with its role.
type party struct {
	name string
	key  *ecdsa.PrivateKey
	addr gpumarket.Address
}

func newParty(name string, key *ecdsa.PrivateKey) party {
	return party{name: name, key: key, addr: keys.KeyAddress(key)}
}

type demo struct {
	cfg Config
	t0  time.Time
	log *slog.Logger

	runDir   string
	logFile  *os.File
	node     *anvil.Node
	cluster  *pgcluster.Cluster
	dropDB   func()
	dbURL    string
	db       *postgres.DB
	sys      *deploy.System
	market   *market.Market
	closeRPC func()
	chainID  uint64
	depPath  string

	deployer, alice, bob, gas, treasury, arbiter, matcher, creator party
	providers                                                      []*provider
	// blender is a provider's Blender engine when Blender is installed
	// (nil: render jobs run on the demo executor); it also makes the scene
	// of the scenario's real render job.
	blender *blender.Executor

	stages []stage // wall-clock phases
}

type stage struct {
	name string
	took time.Duration
}

func (d *demo) mark(name string, since time.Time) time.Time {
	now := time.Now()
	d.stages = append(d.stages, stage{name, now.Sub(since)})
	return now
}

func (d *demo) printf(format string, args ...any) {
	fmt.Fprintf(d.cfg.Out, format, args...)
}

func (d *demo) close() {
	if d.closeRPC != nil {
		d.closeRPC()
	}
	if d.db != nil {
		d.db.Close()
	}
	if d.dropDB != nil {
		d.dropDB()
	}
	if d.cluster != nil {
		d.cluster.Stop()
	}
	if d.node != nil {
		d.node.Stop()
	}
	if d.logFile != nil {
		d.logFile.Close()
	}
}

var e18 = new(big.Int).Exp(big.NewInt(10), big.NewInt(18), nil)

// usdt is n/100 USDT in base units (6 decimals).
func usdt(cents int64) *big.Int { return big.NewInt(cents * 10_000) }

func (d *demo) setup(ctx context.Context) error {
	t := time.Now()
	if err := os.MkdirAll(d.cfg.DataDir, 0o755); err != nil {
		return fmt.Errorf("demo: create %s: %w", d.cfg.DataDir, err)
	}
	dir, err := os.MkdirTemp(d.cfg.DataDir, "run-"+time.Now().Format("20060102-150405")+"-")
	if err != nil {
		return fmt.Errorf("demo: create run directory: %w", err)
	}
	d.runDir, _ = filepath.Abs(dir)
	d.log = d.cfg.Log
	if d.log == nil {
		if d.logFile, err = os.Create(filepath.Join(d.runDir, "demo.log")); err != nil {
			return fmt.Errorf("demo: create log: %w", err)
		}
		d.log = slog.New(slog.NewTextHandler(d.logFile, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	d.printf("gpumarket demo: run directory %s (component logs in demo.log)\n", d.runDir)

	// The chain: interval mining, finality 2×4 blocks behind the head.
	var anvilLog io.Writer = io.Discard
	if d.logFile != nil {
		anvilLog = &prefixWriter{w: d.logFile, prefix: "anvil: "}
	}
	if d.node, err = anvil.Start(ctx, anvil.Config{BlockTime: d.cfg.BlockTime, SlotsInEpoch: 4, Log: anvilLog}); err != nil {
		return gpumarket.Errorf(gpumarket.EUNAVAILABLE, "demo: start anvil: %v", err)
	}
	d.chainID = anvil.ChainID
	t = d.mark("start anvil", t)

	if err := d.openDatabase(ctx); err != nil {
		return err
	}
	t = d.mark("start PostgreSQL + migrate", t)

	if err := d.deploy(ctx); err != nil {
		return err
	}
	d.mark("deploy contracts", t)
	d.printf("  anvil      %s (chain %d, %v blocks, finalized = head - 8)\n", d.node.URL, d.chainID, d.cfg.BlockTime)
	d.printf("  PostgreSQL %s\n", postgres.RedactDSN(d.dbURL))
	d.printf("  market     %s   registry %s   USDT %s\n", d.sys.Market, d.sys.Registry, d.sys.Stablecoin)
	return nil
}

func (d *demo) openDatabase(ctx context.Context) error {
	admin := d.cfg.DatabaseURL
	if admin == "" {
		c, err := pgcluster.Start(ctx, d.runDir)
		if err != nil && os.Geteuid() == 0 {
			// As root the cluster runs as the OS user postgres, which may not
			// be able to enter the working tree: use the temporary directory.
			d.log.Warn("private cluster under the run directory failed; using the temporary directory", "err", err)
			c, err = pgcluster.Start(ctx, "")
		}
		if err != nil {
			return gpumarket.Errorf(gpumarket.EUNAVAILABLE, "demo: start PostgreSQL: %v", err)
		}
		d.cluster = c
		admin = c.URL
	}
	name := fmt.Sprintf("gpumarket_demo_%d_%d", time.Now().Unix(), os.Getpid())
	if err := postgres.CreateDatabase(ctx, admin, name, ""); err != nil {
		return gpumarket.Errorf(gpumarket.EUNAVAILABLE, "demo: create database: %v", err)
	}
	if !d.cfg.Keep {
		d.dropDB = func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			if err := postgres.DropDatabase(ctx, admin, name); err != nil {
				d.log.Warn("drop demo database", "err", err)
			}
		}
	}
	url, err := postgres.WithDatabase(admin, name)
	if err != nil {
		return err
	}
	d.dbURL = url
	// Every transaction manager holds a session (its sender lock) for as
	// long as it runs and needs more to work: the demo runs ten of them.
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	if d.db, err = postgres.Open(ctx, url+sep+"pool_max_conns=60"); err != nil {
		return err
	}
	if _, err := d.db.Migrate(ctx); err != nil {
		return fmt.Errorf("demo: migrate: %w", err)
	}
	return nil
}

func devKey(i int) *ecdsa.PrivateKey {
	k, err := keys.ParseKey(anvil.DevKeys[i])
	if err != nil {
		panic(err) // fixed, valid keys
	}
	return k
}

func (d *demo) deploy(ctx context.Context) error {
	d.deployer = newParty("deployer", devKey(0))
	d.alice = newParty("alice (studio, wallet)", devKey(1))
	d.bob = newParty("bob (app, gasless orders)", devKey(2))
	d.gas = newParty("order relayer", devKey(3))
	d.treasury = newParty("treasury", devKey(7))
	d.arbiter = newParty("arbiter", devKey(8))
	d.matcher = newParty("matcher", devKey(9))
	ck, _, err := keys.GenerateKey()
	if err != nil {
		return err
	}
	d.creator = newParty("model creator", ck)
	d.providers = providerProfiles()
	for i, p := range d.providers {
		p.operator = newParty(p.name+" operator", devKey(4+i))
		sk, _, err := keys.GenerateKey()
		if err != nil {
			return err
		}
		p.signer = newParty(p.name+" hot signer", sk)
		// The hot signer pays gas for accepts, submissions and settlements.
		if err := d.node.SetBalance(ctx, p.signer.addr, new(big.Int).Mul(big.NewInt(100), e18)); err != nil {
			return fmt.Errorf("demo: fund signer: %w", err)
		}
	}
	var mint []gpumarket.Address
	for i := range 10 {
		mint = append(mint, keys.KeyAddress(devKey(i)))
	}
	cw := uint64(d.cfg.ChallengeWindow / time.Second)
	d.sys, err = deploy.Run(ctx, d.node.URL, deploy.Config{
		Deployer: d.deployer.key, Matcher: d.matcher.addr, Arbiter: d.arbiter.addr, Pauser: d.deployer.addr,
		FeeManager: d.deployer.addr, Treasury: d.treasury.addr,
		FeeBps: 250, MaxFeeBps: 1000, MaxCreatorShareBps: 2000,
		ChallengeWindow: cw, DisputeTimeout: 300, MaxJobDuration: 3600, UnbondingPeriod: cw + 300 + 3600,
		MinStake: new(big.Int).Mul(big.NewInt(100), e18),
		// A job paid in USDT reserves the floor of its provider's stake: 25
		// GPUS, so a provider at the minimum stake backs four jobs at once.
		ReservationBps: 1000, ReservationFloor: new(big.Int).Mul(big.NewInt(25), e18),
		ReservationCap: new(big.Int).Mul(big.NewInt(500), e18),
		DisputeBondBps: 500, DisputeBondFloor: usdt(1),
		MintTo: mint, StablecoinMint: usdt(100_000), StakeMint: new(big.Int).Mul(big.NewInt(10_000), e18),
	})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	d.depPath = filepath.Join(d.runDir, "deployment.json")
	if err := deploy.WriteDeploymentFile(d.depPath, d.sys.Deployment); err != nil {
		return err
	}
	d.market, d.closeRPC, err = market.DialMarket(ctx, d.node.URL, d.chainID, d.sys.Market, d.sys.Registry)
	return err
}

// newIndexer builds the indexer over the demo's chain and database.
func (d *demo) newIndexer(ctx context.Context) (*indexer.Indexer, func(), error) {
	contracts := []gpumarket.Address{d.sys.Market, d.sys.Registry}
	src, err := node.Dial(ctx, d.node.URL, contracts, 0)
	if err != nil {
		return nil, nil, err
	}
	ix := indexer.New(indexer.Config{ChainID: d.chainID, StartBlock: max(d.sys.DeployBlock, 1), Confirmations: 8,
		MaxRange: 5000, Owner: fmt.Sprintf("demo-%d", os.Getpid())},
		src, postgres.NewIndexerStore(d.db), market.NewDecoder(d.sys.Market, d.sys.Registry), d.log.With("component", "indexer"), indexer.NewMetrics(nil))
	if err := ix.Check(ctx); err != nil {
		src.Close()
		return nil, nil, err
	}
	return ix, src.Close, nil
}

// prefixWriter prefixes each write (anvil writes whole lines).
type prefixWriter struct {
	w      io.Writer
	prefix string
}

func (p *prefixWriter) Write(b []byte) (int, error) {
	if _, err := io.WriteString(p.w, p.prefix); err != nil {
		return 0, err
	}
	return p.w.Write(b)
}
