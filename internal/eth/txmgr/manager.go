package txmgr

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gpumarket/gpumarket/internal/eth/node"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/gpumarket/gpumarket"
)

// Journal is what the transaction manager needs from its persistent store
// (internal/postgres.Journal implements it). Methods that change several
// rows do so atomically.
type Journal interface {
	// WithSenderLock runs fn while this process alone may send for sender.
	WithSenderLock(ctx context.Context, chainID uint64, sender gpumarket.Address, fn func(ctx context.Context) error) error
	CreateIntent(ctx context.Context, in gpumarket.TxIntent) (gpumarket.TxIntent, bool, error)
	Intent(ctx context.Context, chainID uint64, sender gpumarket.Address, key string) (gpumarket.TxIntent, error)
	Intents(ctx context.Context, chainID uint64, sender gpumarket.Address, states []gpumarket.TxState, limit int) ([]gpumarket.TxIntent, error)
	Attempts(ctx context.Context, chainID uint64, sender gpumarket.Address, intentIDs []int64) ([]gpumarket.TxAttempt, error)
	NextNonce(ctx context.Context, chainID uint64, sender gpumarket.Address) (uint64, error)
	RaiseNextNonce(ctx context.Context, chainID uint64, sender gpumarket.Address, n uint64) (uint64, error)
	// SignIntent allocates the next nonce, calls sign with it and stores the
	// result, all in one database transaction.
	SignIntent(ctx context.Context, intentID int64, sign func(nonce uint64) (gpumarket.TxAttempt, error)) (gpumarket.TxIntent, gpumarket.TxAttempt, error)
	AddAttempt(ctx context.Context, intentID int64, a gpumarket.TxAttempt) (gpumarket.TxIntent, gpumarket.TxAttempt, error)
	Abandon(ctx context.Context, intentID int64, reason string) (gpumarket.TxIntent, error)
	MarkBroadcast(ctx context.Context, intentID, attemptID int64, block uint64) error
	MarkSendError(ctx context.Context, attemptID int64, class string) error
	Transition(ctx context.Context, intentID int64, from, to gpumarket.TxState, u gpumarket.TxUpdate) (gpumarket.TxIntent, error)
}

// Alert kinds passed to Config.OnAlert.
const (
	AlertFeeCeiling        = "fee_ceiling"        // a stuck tx cannot be bumped: the fee ceiling is reached
	AlertInsufficientFunds = "insufficient_funds" // the sender cannot pay for a tx
	AlertNonceConsumed     = "nonce_consumed"     // a foreign tx took one of our nonces
)

// Alert is a condition an operator must act on.
type Alert struct {
	Kind    string
	Key     string
	Nonce   uint64
	TxHash  gpumarket.Hash
	Message string
}

// Config configures a Manager. Zero fields take the defaults
// documented on each.
type Config struct {
	// Endpoint returns the node's JSON-RPC URL. It is called at every
	// (re)connection, so a node that moved (restart on a new port, failover)
	// is found again. Required.
	Endpoint func(ctx context.Context) (string, error)
	Key      *ecdsa.PrivateKey // the hot signer key. Required.
	Journal  Journal           // Required.
	// ChainID is the chain to sign for. 0: read from the node by
	// New. Every (re)connection checks that the node is on it.
	ChainID uint64

	Confirmations   uint64   // receipts this deep are final (1: the block holding it). Default 3.
	BumpAfterBlocks uint64   // blocks without a receipt before a fee bump. Default 3.
	BumpPermille    uint64   // fee increase per bump, per mille; at least 100 (the node's 10% minimum). Default 125.
	FeeCeiling      *big.Int // highest max fee per gas ever signed, wei. Default 500 gwei.
	TipCap          *big.Int // priority fee; nil: the node's eth_maxPriorityFeePerGas
	GasMarginPct    uint64   // added to eth_estimateGas, percent. Default 20.
	BatchSize       int      // planned intents signed per tick. Default 256.
	PollInterval    time.Duration
	CallTimeout     time.Duration // per RPC call. Default 10s.

	// Precheck, when set, is asked before an intent is signed; a non-empty
	// reason skips it (state skipped) because the chain already shows the
	// action done. The eth_call simulation runs after it in any case.
	Precheck func(ctx context.Context, in gpumarket.TxIntent) (reason string, err error)
	// OnAlert, when set, is called (synchronously, from the manager's loop)
	// for every alert, after it is logged at error level.
	OnAlert func(Alert)
	Logger  *slog.Logger
}

// Stats counts what the manager did since it was created.
type Stats struct {
	Sent, Resent, Bumped, Filled, Skipped, Reorged, Confirmed, Failed, Alerts int64
}

// Manager sends one sender's transactions exactly once. Submit may be
// called from any goroutine; Reconcile and Tick (or Run, which calls them)
// from one goroutine at a time.
type Manager struct {
	cfg     Config
	log     *slog.Logger
	key     *ecdsa.PrivateKey
	from    gpumarket.Address
	chainID *big.Int
	signer  types.Signer
	journal Journal
	wake    chan struct{}

	mu     sync.Mutex
	client *ethclient.Client

	// Loop-only state (Tick's goroutine).
	lastSent                                                                  map[int64]uint64 // attempt id → head at last send
	consumedAt                                                                map[int64]uint64 // intent id → head when its nonce was first seen consumed without our receipt
	revertSince                                                               map[int64]uint64 // intent id → head when its re-simulation first reverted
	reorgAt                                                                   uint64           // head when a reorg last removed one of our mined transactions
	alerted                                                                   map[string]bool
	resimulate                                                                bool
	sent, resent, bumped, filled, skipped, reorged, confirmed, failed, alerts atomic.Int64
}

// New validates cfg, connects to the node and reads its chain id.
// It returns an EINVALID error naming a bad field and an EUNAVAILABLE error
// when the node cannot be reached.
func New(ctx context.Context, cfg Config) (*Manager, error) {
	switch {
	case cfg.Endpoint == nil:
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "tx manager: Endpoint is required")
	case cfg.Key == nil:
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "tx manager: Key is required")
	case cfg.Journal == nil:
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "tx manager: Journal is required")
	case cfg.BumpPermille != 0 && cfg.BumpPermille < 100:
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "tx manager: BumpPermille %d is below the nodes' 10%% replacement minimum (100)", cfg.BumpPermille)
	case cfg.FeeCeiling != nil && cfg.FeeCeiling.Sign() <= 0:
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "tx manager: FeeCeiling must be positive")
	}
	if cfg.Confirmations == 0 {
		cfg.Confirmations = 3
	}
	if cfg.BumpAfterBlocks == 0 {
		cfg.BumpAfterBlocks = 3
	}
	if cfg.BumpPermille == 0 {
		cfg.BumpPermille = 125
	}
	if cfg.FeeCeiling == nil {
		cfg.FeeCeiling = big.NewInt(500_000_000_000)
	}
	if cfg.GasMarginPct == 0 {
		cfg.GasMarginPct = 20
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 256
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = 250 * time.Millisecond
	}
	if cfg.CallTimeout <= 0 {
		cfg.CallTimeout = 10 * time.Second
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	m := &Manager{
		cfg:         cfg,
		key:         cfg.Key,
		from:        gpumarket.Address(crypto.PubkeyToAddress(cfg.Key.PublicKey)),
		journal:     cfg.Journal,
		wake:        make(chan struct{}, 1),
		lastSent:    map[int64]uint64{},
		consumedAt:  map[int64]uint64{},
		revertSince: map[int64]uint64{},
		alerted:     map[string]bool{},
	}
	m.log = log.With("sender", m.from.String())
	if cfg.ChainID != 0 {
		m.chainID = new(big.Int).SetUint64(cfg.ChainID)
	} else if _, err := m.conn(ctx); err != nil { // learns the chain id
		return nil, gpumarket.Errorf(gpumarket.EUNAVAILABLE, "tx manager: %v", err)
	}
	m.signer = types.LatestSignerForChainID(m.chainID)
	return m, nil
}

// Sender returns the address the manager signs for.
func (m *Manager) Sender() gpumarket.Address { return m.from }

// ChainID returns the chain the manager sends on.
func (m *Manager) ChainID() uint64 { return m.chainID.Uint64() }

// Stats returns counters of what the manager did.
func (m *Manager) Stats() Stats {
	return Stats{Sent: m.sent.Load(), Resent: m.resent.Load(), Bumped: m.bumped.Load(), Filled: m.filled.Load(),
		Skipped: m.skipped.Load(), Reorged: m.reorged.Load(), Confirmed: m.confirmed.Load(), Failed: m.failed.Load(), Alerts: m.alerts.Load()}
}

// Close closes the node connection.
func (m *Manager) Close() { m.dropConn() }

// Submit records the action key (a call of to with data and value) and
// returns its intent. It is idempotent: when key exists it returns the
// existing intent and sends nothing more. It returns an EINVALID error for
// an empty or over-long key, and an ECONFLICT error when key already names a
// different action.
func (m *Manager) Submit(ctx context.Context, key string, to gpumarket.Address, data []byte, value *big.Int) (gpumarket.TxIntent, error) {
	if key == "" || len(key) > 200 {
		return gpumarket.TxIntent{}, gpumarket.Errorf(gpumarket.EINVALID, "idempotency key must have 1 to 200 characters, got %d", len(key))
	}
	if value == nil {
		value = new(big.Int)
	}
	if value.Sign() < 0 {
		return gpumarket.TxIntent{}, gpumarket.Errorf(gpumarket.EINVALID, "value %s is negative", value)
	}
	in, created, err := m.journal.CreateIntent(ctx, gpumarket.TxIntent{
		ChainID: m.ChainID(), From: m.from, Key: key, To: to, Data: data, Value: value,
	})
	if err != nil {
		return in, fmt.Errorf("submit %q: %w", key, err)
	}
	if created {
		m.log.Debug("intent recorded", "key", key, "to", to.String())
		select {
		case m.wake <- struct{}{}:
		default:
		}
	}
	return in, nil
}

// Intent returns the intent recorded under key, or an ENOTFOUND error.
func (m *Manager) Intent(ctx context.Context, key string) (gpumarket.TxIntent, error) {
	return m.journal.Intent(ctx, m.ChainID(), m.from, key)
}

// Cancel abandons the action key: a planned intent is skipped; a signed or
// broadcast one has its nonce filled with a 0-value self-transfer (unless
// the call is mined first, in which case the chain wins). It returns an
// ECONFLICT error when the intent is already mined or final.
func (m *Manager) Cancel(ctx context.Context, key, reason string) (gpumarket.TxIntent, error) {
	in, err := m.Intent(ctx, key)
	if err != nil {
		return in, fmt.Errorf("cancel %q: %w", key, err)
	}
	if reason == "" {
		reason = "cancelled"
	}
	in, err = m.journal.Abandon(ctx, in.ID, reason)
	if err != nil {
		return in, fmt.Errorf("cancel %q: %w", key, err)
	}
	select {
	case m.wake <- struct{}{}:
	default:
	}
	return in, nil
}

// Run holds the sender lock, reconciles the journal with the chain and then
// calls Tick on every poll interval and whenever an intent is submitted,
// until ctx is cancelled (a normal return: nil). It returns an ECONFLICT
// error when another process holds the sender lock, an EUNAVAILABLE error
// when the lock is lost, and an EINVALID error when the node is on another
// chain. Node and transient errors are logged and retried. Close must not be
// called while Run runs.
func (m *Manager) Run(ctx context.Context) error {
	err := m.journal.WithSenderLock(ctx, m.ChainID(), m.from, func(ctx context.Context) error {
		t := time.NewTicker(m.cfg.PollInterval)
		defer t.Stop()
		for {
			err := m.Reconcile(ctx)
			if err == nil {
				break
			}
			if ctx.Err() != nil {
				return nil
			}
			if gpumarket.ErrorCode(err) == gpumarket.EINVALID {
				return err // wrong chain: retrying cannot help
			}
			m.log.Warn("reconcile with the chain failed; retrying", "err", err)
			select {
			case <-ctx.Done():
				return nil
			case <-t.C:
			}
		}
		for {
			if err := m.Tick(ctx); err != nil && ctx.Err() == nil {
				m.log.Warn("tick failed; retrying", "err", err)
			}
			select {
			case <-ctx.Done():
				return nil
			case <-t.C:
			case <-m.wake:
			}
		}
	})
	if ctx.Err() != nil {
		return nil // cancellation is a normal return
	}
	if err != nil {
		return fmt.Errorf("tx manager %s: %w", m.from, err)
	}
	return nil
}

// conn returns the node client, dialing Endpoint when there is none.
func (m *Manager) conn(ctx context.Context) (*ethclient.Client, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.client != nil {
		return m.client, nil
	}
	url, err := m.cfg.Endpoint(ctx)
	if err != nil {
		return nil, &node.RPCError{Class: node.ErrUnavailable, Err: fmt.Errorf("resolve node endpoint: %w", err)}
	}
	dctx, cancel := context.WithTimeout(ctx, m.cfg.CallTimeout)
	defer cancel()
	rc, err := rpc.DialContext(dctx, url)
	if err != nil {
		return nil, &node.RPCError{Class: node.ErrUnavailable, Err: fmt.Errorf("dial %s: %w", url, err)}
	}
	c := ethclient.NewClient(rc)
	// Never sign for, or send to, a node on another chain.
	id, err := c.ChainID(dctx)
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("chain id of %s: %w", url, node.Classify(err))
	}
	if m.chainID == nil {
		m.chainID = id
	} else if id.Cmp(m.chainID) != 0 {
		c.Close()
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "node %s is on chain %v, the manager signs for chain %v", url, id, m.chainID)
	}
	m.client = c
	return m.client, nil
}

// dropConn closes the client so that the next call dials Endpoint again.
func (m *Manager) dropConn() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.client != nil {
		m.client.Close()
		m.client = nil
	}
	clear(m.lastSent)
}

// rpcErr classifies err and, for a transport failure, drops the connection.
func (m *Manager) rpcErr(err error) error {
	err = node.Classify(err)
	if errors.Is(err, node.ErrUnavailable) {
		m.dropConn()
	}
	return err
}

// call runs f with a per-call timeout derived from ctx and classifies its error.
func call[T any](ctx context.Context, m *Manager, f func(ctx context.Context, c *ethclient.Client) (T, error)) (T, error) {
	var zero T
	c, err := m.conn(ctx)
	if err != nil {
		return zero, err
	}
	cctx, cancel := context.WithTimeout(ctx, m.cfg.CallTimeout)
	defer cancel()
	v, err := f(cctx, c)
	if err != nil {
		if ctx.Err() != nil {
			return zero, ctx.Err()
		}
		return zero, m.rpcErr(err)
	}
	return v, nil
}

func (m *Manager) alert(a Alert) {
	m.alerts.Add(1)
	m.log.Error("tx manager alert", "alert", a.Kind, "key", a.Key, "nonce", a.Nonce, "tx_hash", a.TxHash.String(), "msg", a.Message)
	if m.cfg.OnAlert != nil {
		m.cfg.OnAlert(a)
	}
}
