// Package daemon is the provider's daemon, the one `gpumarket relayer run`
// and the demo start: it builds the job loop of package relayer (which holds
// the logic and no I/O of its own) from the real parts and runs it. Its
// parts: the hot signer's and the operator's transaction managers
// (journaled in PostgreSQL), the chain mirror the indexer keeps, the
// matcher's API, an executor, the content-addressed result store and its
// download server, the heartbeat loop and the withdrawal schedule. Register
// is the one-off registration `gpumarket relayer register` runs.
//
// Configuration: Config embeds relayer.Config (provider, market, capacity,
// margins, what the provider serves, the bound on a job's runs) and TxConfig (the transaction
// managers'); DefaultConfig holds every default, and New fills the zero
// fields of a Config from it.
//
// Keys: the hot signer (the provider's registered signer) signs heartbeats,
// accepts, result submissions and settlements; the operator key (the
// provider address, which owns stake and earnings) signs only withdrawals and
// may be left out, in which case the daemon never withdraws.
package daemon

import (
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gpumarket/gpumarket/internal/eth/keys"

	"github.com/gpumarket/gpumarket/internal/eth/eip712"
	"github.com/gpumarket/gpumarket/internal/eth/resultauth"

	"github.com/gpumarket/gpumarket/internal/eth/market"
	"github.com/gpumarket/gpumarket/internal/eth/txmgr"

	"github.com/robfig/cron/v3"
	"golang.org/x/sync/errgroup"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/httpserve"
	"github.com/gpumarket/gpumarket/internal/postgres"
	"github.com/gpumarket/gpumarket/internal/solana"
	"github.com/gpumarket/gpumarket/matcher/client"
	"github.com/gpumarket/gpumarket/relayer"
	"github.com/gpumarket/gpumarket/relayer/executor"
	"github.com/gpumarket/gpumarket/relayer/resultstore"
)

// Config holds a daemon's settings. DefaultConfig gives the defaults; New
// fills every zero field from it. The embedded relayer.Config holds the job
// loop's settings (Provider, Market and Capacity are required; a zero
// ResultBaseURL becomes http://<the result server's bound address>, a nil
// ChainTime the latest block's time); the embedded TxConfig tunes the
// transaction managers.
type Config struct {
	relayer.Config
	TxConfig

	ChainID  uint64
	Registry gpumarket.Address
	NodeURL  string // JSON-RPC endpoint
	// Endpoint, when set, is asked for the node URL at every reconnection
	// (a node that restarts on a new port); otherwise NodeURL is used.
	Endpoint     func(ctx context.Context) (string, error) `json:"-"`
	MatcherURL   string
	ResultDir    string // where results are stored, content-addressed
	ResultListen string // the result server's address
	// ResultServer holds the result server's limits (a zero field takes
	// DefaultResultServer's) and CORS origins; ResultRate its per-client-IP
	// rate limit (a zero Rate: none).
	ResultServer httpserve.Config
	ResultRate   httpserve.RateConfig

	TickEvery      time.Duration // how often the job loop ticks
	HeartbeatEvery time.Duration // how often a heartbeat is posted

	// Withdrawals: on WithdrawSchedule (robfig/cron syntax), each token in
	// WithdrawTokens whose balance is at least WithdrawThreshold is
	// withdrawn by the operator key.
	WithdrawSchedule  string
	WithdrawThreshold *big.Int
	WithdrawTokens    []gpumarket.Address

	// SolanaRail runs the rail loop (relayer.RailLoop): jobs prepaid on the
	// Solana rail, offered by the matcher (GET
	// /v1/rail/solana/offers/{addr}) and served to their payer keys. The
	// daemon's database must then be the matcher's: it is the mirror whose
	// rail_jobs and rail_quote_payments show each payment final, and where
	// the jobs' lifecycle is recorded.
	SolanaRail bool

	// Attestation, when set, is posted to the matcher when Run starts (and
	// retried until the matcher takes it), so a matcher that lost its copy
	// learns it again.
	Attestation *SignedAttestation
}

// DefaultResultListen is the result server's address when `gpumarket relayer
// run` is given no --result-listen (an embedding program's zero value is a
// free port on 127.0.0.1 instead, see DefaultConfig).
const DefaultResultListen = "127.0.0.1:8091"

// DefaultConfig returns the daemon's defaults, which the relayer command's
// flags also show: the job loop's (relayer.DefaultConfig), the result server
// on 127.0.0.1 at a free port (the command uses DefaultResultListen), a tick
// every second, a heartbeat every 10s, a withdrawal round every 10 minutes
// for balances of at least 1 base unit, and the transaction managers' own
// defaults (see TxConfig).
func DefaultConfig() Config {
	return Config{
		Config:            relayer.DefaultConfig(),
		ResultListen:      "127.0.0.1:0",
		TickEvery:         time.Second,
		HeartbeatEvery:    10 * time.Second,
		WithdrawSchedule:  "@every 10m",
		WithdrawThreshold: big.NewInt(1),
	}
}

// TxConfig tunes the daemon's transaction managers (the hot signer's and
// the operator's; Register's too). A zero field takes txmgr.TxManagerConfig's
// default: 3 confirmations, a fee bump after 3 blocks, a 500 gwei ceiling.
type TxConfig struct {
	Confirmations   uint64   // receipts this deep are final
	BumpAfterBlocks uint64   // blocks without a receipt before a fee bump
	FeeCeiling      *big.Int // highest max fee per gas ever signed, wei
	PollInterval    time.Duration
}

// manager returns the transaction manager configuration for key.
func (t TxConfig) manager(endpoint func(context.Context) (string, error), key *ecdsa.PrivateKey, journal *postgres.Journal,
	chainID uint64, log *slog.Logger) txmgr.Config {
	return txmgr.Config{Endpoint: endpoint, Key: key, Journal: journal, ChainID: chainID,
		Confirmations: t.Confirmations, BumpAfterBlocks: t.BumpAfterBlocks, FeeCeiling: t.FeeCeiling,
		PollInterval: t.PollInterval, Logger: log}
}

// Keys are the daemon's signing keys.
type Keys struct {
	Signer   *ecdsa.PrivateKey // hot key: the provider's registered signer. Required.
	Operator *ecdsa.PrivateKey // the provider address's key; nil: no withdrawals
}

// Daemon is one provider's daemon: the job loop and the parts it runs with.
type Daemon struct {
	cfg      Config
	log      *slog.Logger
	db       *postgres.DB
	market   *market.Market
	closeRPC func()
	signer   *txmgr.Manager
	operator *txmgr.Manager
	matcher  *client.Client
	results  *resultstore.Store
	owners   *postgres.ResultOwners
	relayer  *relayer.Relayer
	rail     *relayer.RailLoop
	railJobs *postgres.RailQuoteStore
	hbKey    *ecdsa.PrivateKey
	journal  *postgres.Journal

	ln      net.Listener
	baseURL string

	heartbeats atomic.Int64
}

// New validates cfg, connects to the node and the database and builds the
// daemon; Run runs it. It returns an EINVALID error naming a bad setting and
// an EUNAVAILABLE one when the node cannot be reached.
func New(ctx context.Context, cfg Config, ks Keys, db *postgres.DB, exec executor.Executor, log *slog.Logger) (*Daemon, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	if ks.Signer == nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "relayer: the hot signer key is required")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With("provider", cfg.Provider.String())
	endpoint := cfg.Endpoint
	if endpoint == nil {
		url := cfg.NodeURL
		endpoint = func(context.Context) (string, error) { return url, nil }
	}
	url, err := endpoint(ctx)
	if err != nil {
		return nil, gpumarket.Errorf(gpumarket.EUNAVAILABLE, "relayer: node url: %v", err)
	}
	market, closeRPC, err := market.DialMarket(ctx, url, cfg.ChainID, cfg.Market, cfg.Registry)
	if err != nil {
		return nil, err
	}
	d := &Daemon{cfg: cfg, log: log, db: db, market: market, closeRPC: closeRPC, hbKey: ks.Signer, journal: postgres.NewJournal(db)}
	fail := func(err error) (*Daemon, error) { d.Close(); return nil, err }
	txcfg := func(key *ecdsa.PrivateKey, role string) txmgr.Config {
		return cfg.TxConfig.manager(endpoint, key, d.journal, cfg.ChainID, log.With("role", role))
	}
	if d.signer, err = txmgr.New(ctx, txcfg(ks.Signer, "signer")); err != nil {
		return fail(err)
	}
	if ks.Operator != nil {
		if got := keys.KeyAddress(ks.Operator); got != cfg.Provider {
			return fail(gpumarket.Errorf(gpumarket.EINVALID, "relayer: operator key is %s, not the provider %s", got, cfg.Provider))
		}
		if d.operator, err = txmgr.New(ctx, txcfg(ks.Operator, "operator")); err != nil {
			return fail(err)
		}
	}
	if d.matcher, err = client.New(cfg.MatcherURL, cfg.ChainID, nil); err != nil {
		return fail(err)
	}
	if d.results, err = resultstore.Open(cfg.ResultDir, log); err != nil {
		return fail(fmt.Errorf("open result store: %w", err))
	}
	d.owners = postgres.NewResultOwners(db, cfg.ChainID, cfg.Provider)
	if d.ln, err = net.Listen("tcp", cfg.ResultListen); err != nil {
		return fail(gpumarket.Errorf(gpumarket.EINVALID, "result server listen %s: %v", cfg.ResultListen, err))
	}
	rc := cfg.Config
	if rc.ResultBaseURL == "" {
		rc.ResultBaseURL = "http://" + d.ln.Addr().String()
	}
	d.baseURL = rc.ResultBaseURL
	if rc.ChainTime == nil {
		rc.ChainTime = func(ctx context.Context) (time.Time, error) {
			_, t, err := market.ChainTime(ctx)
			return time.Unix(int64(t), 0), err
		}
	}
	chain := &chainView{ChainState: postgres.NewChainState(db, cfg.ChainID), market: market, ttl: 30 * time.Second}
	d.relayer, err = relayer.New(rc, &offers{c: d.matcher, log: log}, market, chain, calls{market}, d.signer, d.matcher,
		d.results, d.owners, postgres.NewRelayerAttempts(db, cfg.ChainID, cfg.Provider), exec, log)
	if err != nil {
		return fail(err)
	}
	if cfg.SolanaRail {
		d.railJobs = postgres.NewRailQuoteStore(db)
		d.rail, err = relayer.NewRailLoop(relayer.RailConfig{Provider: cfg.Provider, ResultBaseURL: rc.ResultBaseURL, MaxAttempts: rc.MaxAttempts, Now: rc.Now}, d.matcher,
			railVerifier{eip712.MarketDomain(new(big.Int).SetUint64(cfg.ChainID), cfg.Market)}, chain, d.railJobs, d.matcher, d.results, exec, log)
		if err != nil {
			return fail(err)
		}
	}
	return d, nil
}

func (c *Config) defaults() error {
	var errs []string
	if c.ChainID == 0 {
		errs = append(errs, "chain id is required")
	}
	if c.Market.IsZero() || c.Registry.IsZero() {
		errs = append(errs, "market and registry addresses are required")
	}
	if c.Provider.IsZero() {
		errs = append(errs, "provider address is required")
	}
	if c.NodeURL == "" && c.Endpoint == nil {
		errs = append(errs, "node url is required")
	}
	if c.MatcherURL == "" {
		errs = append(errs, "matcher url is required")
	}
	if c.ResultDir == "" {
		errs = append(errs, "result directory is required")
	}
	if c.Capacity < 1 {
		errs = append(errs, "capacity must be at least 1")
	}
	def := DefaultConfig()
	if c.ResultListen == "" {
		c.ResultListen = def.ResultListen
	}
	durationDefault := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	durationDefault(&c.TickEvery, def.TickEvery)
	durationDefault(&c.HeartbeatEvery, def.HeartbeatEvery)
	if c.WithdrawSchedule == "" {
		c.WithdrawSchedule = def.WithdrawSchedule
	}
	if _, err := cron.ParseStandard(c.WithdrawSchedule); err != nil {
		errs = append(errs, fmt.Sprintf("withdraw schedule %q: %v", c.WithdrawSchedule, err))
	}
	if c.WithdrawThreshold == nil || c.WithdrawThreshold.Sign() <= 0 {
		c.WithdrawThreshold = def.WithdrawThreshold
	}
	if len(errs) > 0 {
		return gpumarket.Errorf(gpumarket.EINVALID, "relayer: %s", strings.Join(errs, "; "))
	}
	return c.resultServerDefaults()
}

// ResultBaseURL is where the daemon serves results.
func (d *Daemon) ResultBaseURL() string { return d.baseURL }

// Signer returns the hot signer's address.
func (d *Daemon) Signer() gpumarket.Address { return d.signer.Sender() }

// Stats returns the hot signer's transaction counts.
func (d *Daemon) Stats() txmgr.Stats { return d.signer.Stats() }

// Heartbeats returns how many heartbeats the matcher accepted.
func (d *Daemon) Heartbeats() int64 { return d.heartbeats.Load() }

// Close releases the node connection and the listener (Run closes them too).
func (d *Daemon) Close() {
	if d.ln != nil {
		_ = d.ln.Close()
	}
	if d.signer != nil {
		d.signer.Close()
	}
	if d.operator != nil {
		d.operator.Close()
	}
	if d.closeRPC != nil {
		d.closeRPC()
	}
}

// Run runs the daemon until ctx is cancelled (a normal return: nil): the
// transaction managers, the result server, heartbeats, the relayer's ticks
// and the withdrawal schedule. Running jobs are waited for before it
// returns. It returns an ECONFLICT error when another process holds a
// sender lock of one of the keys.
func (d *Daemon) Run(ctx context.Context) error {
	defer d.Close()
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return d.signer.Run(ctx) })
	if d.operator != nil {
		g.Go(func() error { return d.operator.Run(ctx) })
	}
	g.Go(func() error {
		srv, err := newResultServer(d.ln, d.cfg.ResultServer, d.cfg.ResultRate, d.resultHandler(), d.log)
		if err != nil {
			return err
		}
		return srv.Run(ctx)
	})
	g.Go(func() error { d.loop(ctx, d.cfg.HeartbeatEvery, d.heartbeat); return nil })
	if d.cfg.Attestation != nil {
		g.Go(func() error { d.postAttestation(ctx); return nil })
	}
	if d.rail != nil {
		g.Go(func() error { d.loop(ctx, d.cfg.TickEvery, d.rail.Tick); return nil })
	}
	g.Go(func() error {
		d.loop(ctx, d.cfg.TickEvery, d.tick)
		d.relayer.Wait()
		return nil
	})
	if d.operator != nil && len(d.cfg.WithdrawTokens) > 0 {
		c := cron.New()
		var mu sync.Mutex // one withdrawal round at a time
		if _, err := c.AddFunc(d.cfg.WithdrawSchedule, func() {
			if !mu.TryLock() {
				return
			}
			defer mu.Unlock()
			if err := d.WithdrawNow(ctx); err != nil && ctx.Err() == nil {
				d.log.Warn("withdrawal round failed", "err", err)
			}
		}); err != nil {
			return gpumarket.Errorf(gpumarket.EINVALID, "withdraw schedule: %v", err)
		}
		c.Start()
		g.Go(func() error { <-ctx.Done(); <-c.Stop().Done(); return nil })
	}
	d.log.Info("relayer running", "signer", d.signer.Sender(), "results", d.baseURL, "capacity", d.cfg.Capacity)
	err := g.Wait()
	d.log.Info("relayer stopped", "stats", fmt.Sprintf("%+v", d.signer.Stats()))
	return err
}

// postAttestation posts the saved attestation until the matcher takes it.
func (d *Daemon) postAttestation(ctx context.Context) {
	sig, err := hex.DecodeString(strings.TrimPrefix(d.cfg.Attestation.Signature, "0x"))
	if err != nil {
		d.log.Error("saved attestation has a malformed signature; not posted", "err", err)
		return
	}
	for wait := time.Second; ; wait = min(2*wait, 30*time.Second) {
		err := d.matcher.PostAttestation(ctx, d.cfg.Attestation.Attestation, sig)
		if err == nil {
			d.log.Info("attestation posted to the matcher")
			return
		}
		d.log.Warn("posting the attestation failed; retrying", "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// loop calls f at once and then every interval until ctx is done.
func (d *Daemon) loop(ctx context.Context, every time.Duration, f func(ctx context.Context) error) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := f(ctx); err != nil && ctx.Err() == nil {
			d.log.Warn("relayer step failed; retrying", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (d *Daemon) tick(ctx context.Context) error { return d.relayer.Tick(ctx) }

// heartbeat signs and posts one heartbeat. The sequence is the signing time
// in milliseconds, so it keeps increasing across restarts without a stored
// counter.
func (d *Daemon) heartbeat(ctx context.Context) error {
	busy := d.relayer.Running()
	free := d.cfg.Capacity - busy
	if free < 0 {
		free = 0
	}
	now := time.Now()
	h := &gpumarket.Heartbeat{Provider: d.cfg.Provider, Sequence: uint64(now.UnixMilli()), Timestamp: now.Unix(),
		FreeSlots: uint32(free), LoadBps: uint32(busy * 10_000 / d.cfg.Capacity)}
	sig, err := eip712.SignHeartbeat(d.hbKey, eip712.RegistryDomain(new(big.Int).SetUint64(d.cfg.ChainID), d.cfg.Registry), h)
	if err != nil {
		return fmt.Errorf("sign heartbeat: %w", err)
	}
	if _, err := d.matcher.PostHeartbeat(ctx, h, sig); err != nil {
		return err
	}
	d.heartbeats.Add(1)
	return nil
}

// WithdrawNow withdraws every configured token whose balance in the
// marketplace is at least the threshold, one withdrawal in flight per token.
func (d *Daemon) WithdrawNow(ctx context.Context) error {
	if d.operator == nil {
		return gpumarket.Errorf(gpumarket.EINVALID, "relayer: no operator key: withdrawals are disabled")
	}
	var errs []error
	for _, token := range d.cfg.WithdrawTokens {
		if _, _, err := d.withdraw(ctx, token); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// withdraw starts the withdrawal of token when its balance is at least the
// threshold and none is in flight. The n of the key withdraw-<token>-<n> is
// the count of earlier withdrawal intents for the token, so a retry after a
// crash reuses the key. It returns the balance and the key of the withdrawal
// started or still in flight, "" when there is none.
func (d *Daemon) withdraw(ctx context.Context, token gpumarket.Address) (*big.Int, string, error) {
	last, n, found, err := d.journal.LatestWithPrefix(ctx, d.cfg.ChainID, d.operator.Sender(), fmt.Sprintf("withdraw-%s-", token))
	if err != nil {
		return nil, "", err
	}
	bal, err := d.market.BalanceOf(ctx, token, d.cfg.Provider)
	if err != nil {
		return nil, "", fmt.Errorf("balance of %s: %w", token, err)
	}
	if found && !last.State.Final() {
		return bal, last.Key, nil // the previous withdrawal is still in flight
	}
	if bal.Cmp(d.cfg.WithdrawThreshold) < 0 {
		return bal, "", nil
	}
	if err := d.relayer.Withdraw(ctx, d.operator, token, bal, d.cfg.WithdrawThreshold, n); err != nil {
		return bal, "", err
	}
	d.log.Info("withdrawing earnings", "token", token.String(), "amount", bal.String(), "n", n)
	return bal, relayer.WithdrawKey(token, n), nil
}

// Withdrawal is the outcome of one token's withdrawal by WithdrawAndWait.
type Withdrawal struct {
	Token  gpumarket.Address
	Amount *big.Int // the balance when the round ran
	State  string   // the journal state of the withdrawal, or "below threshold"
}

// WithdrawAndWait runs one withdrawal round with the operator's transaction
// manager running and waits until every withdrawal it started is final (for
// `relayer withdraw`; the daemon's Run does the same on its schedule).
func (d *Daemon) WithdrawAndWait(ctx context.Context) ([]Withdrawal, error) {
	if d.operator == nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "relayer: no operator key: withdrawals are disabled")
	}
	runCtx, stop := context.WithCancel(ctx)
	g, gctx := errgroup.WithContext(runCtx)
	g.Go(func() error { return d.operator.Run(gctx) })
	var out []Withdrawal
	g.Go(func() error {
		defer stop()
		for _, token := range d.cfg.WithdrawTokens {
			bal, key, err := d.withdraw(gctx, token)
			if err != nil {
				return err
			}
			w := Withdrawal{Token: token, Amount: bal, State: "below threshold"}
			if key != "" {
				if err := waitDone(gctx, d.operator, key); err != nil {
					return err
				}
				w.State = string(gpumarket.TxConfirmed)
			}
			out = append(out, w)
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return out, err
	}
	return out, ctx.Err()
}

// chainView is the relayer's view of the chain: jobs from the indexer's
// mirror, the matcher role from the chain itself (cached briefly).
type chainView struct {
	*postgres.ChainState
	market *market.Market
	ttl    time.Duration

	mu    sync.Mutex
	roles map[gpumarket.Address]roleEntry
}

type roleEntry struct {
	ok bool
	at time.Time
}

func (c *chainView) IsMatcher(ctx context.Context, addr gpumarket.Address) (bool, error) {
	c.mu.Lock()
	e, hit := c.roles[addr]
	c.mu.Unlock()
	if hit && time.Since(e.at) < c.ttl {
		return e.ok, nil
	}
	ok, err := c.market.IsMatcher(ctx, addr)
	if err != nil {
		return false, err
	}
	c.mu.Lock()
	if c.roles == nil {
		c.roles = map[gpumarket.Address]roleEntry{}
	}
	c.roles[addr] = roleEntry{ok: ok, at: time.Now()}
	c.mu.Unlock()
	return ok, nil
}

// calls adapts market.Market's call builders to the relayer's calldata needs.
type calls struct{ m *market.Market }

func (c calls) AcceptJob(job *gpumarket.Job, a *gpumarket.Assignment, sig []byte) ([]byte, error) {
	call, err := c.m.AcceptJob(job, a, sig)
	return call.Data, err
}

func (c calls) SubmitResult(job *gpumarket.Job, h gpumarket.Hash, uri string, u gpumarket.Usage, due *big.Int) ([]byte, error) {
	call, err := c.m.SubmitResult(job, h, uri, u, due)
	return call.Data, err
}

func (c calls) Settle(job *gpumarket.Job) ([]byte, error) {
	call, err := c.m.Settle(job)
	return call.Data, err
}

func (c calls) Withdraw(token gpumarket.Address) ([]byte, error) {
	call, err := c.m.Withdraw(token)
	return call.Data, err
}

// resultHandler is the result server's handler: EVM clients' results, and
// with SolanaRail the rail jobs' results to their payer keys.
func (d *Daemon) resultHandler() *resultstore.Handler {
	h := resultstore.NewHandler(d.results, d.owners, resultauth.NewResultAuthorizer(0, nil), d.log)
	if d.railJobs != nil {
		h.WithRail(solana.NewResultAuthorizer(0, nil), railOwners{d.railJobs, d.cfg.Provider})
	}
	return h
}

// railVerifier recovers rail offers' signers in the market's domain.
type railVerifier struct{ d eip712.Domain }

func (v railVerifier) RailOfferSigner(o *gpumarket.RailOffer, sig []byte) (gpumarket.Address, error) {
	return eip712.RailOfferSignerOf(v.d, o, sig)
}

// railOwners is the rail result owner lookup of one provider.
type railOwners struct {
	s *postgres.RailQuoteStore
	p gpumarket.Address
}

func (o railOwners) IsRailOwner(ctx context.Context, hash gpumarket.Hash, payer string) (bool, error) {
	return o.s.IsRailOwner(ctx, o.p, hash, payer)
}

// offers adapts the matcher client to the relayer, logging every entry the
// client refused as malformed.
type offers struct {
	c   *client.Client
	log *slog.Logger
}

func (o *offers) Pending(ctx context.Context, p gpumarket.Address) ([]relayer.SignedAssignment, error) {
	got, refused, err := o.c.Pending(ctx, p)
	if err != nil {
		return nil, err
	}
	for _, r := range refused {
		o.log.Warn("assignment refused", "job_id", r.JobID, "reason", r.Reason)
	}
	out := make([]relayer.SignedAssignment, len(got))
	for i, g := range got {
		out[i] = relayer.SignedAssignment{Assignment: g.Assignment, Signature: g.Signature}
	}
	return out, nil
}

var (
	_ relayer.Chain       = (*chainView)(nil)
	_ relayer.Calls       = calls{}
	_ relayer.Assignments = (*offers)(nil)
	_ relayer.Owners      = (*postgres.ResultOwners)(nil)
	_ relayer.Attempts    = (*postgres.RelayerAttempts)(nil)
	_ relayer.Sender      = (*txmgr.Manager)(nil)
	_ relayer.Specs       = (*client.Client)(nil)
	_ relayer.RailOffers  = (*client.Client)(nil)
	_ relayer.RailMirror  = (*postgres.RailQuoteStore)(nil)
)
