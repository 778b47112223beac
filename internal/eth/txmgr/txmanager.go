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

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
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

// Reconcile compares the journal's nonce allocator with the chain's pending
// nonce. A chain ahead of the journal means the key was used outside it: the
// allocator is raised so no nonce is used twice. A chain behind the journal
// means signed transactions the node does not have (a crash before
// broadcast, a node restart): Tick re-sends them byte for byte. After a
// restart the first in-flight intent is simulated again before it is re-sent.
func (m *Manager) Reconcile(ctx context.Context) error {
	pending, err := call(ctx, m, func(ctx context.Context, c *ethclient.Client) (uint64, error) {
		return c.PendingNonceAt(ctx, common.Address(m.from))
	})
	if err != nil {
		return fmt.Errorf("reconcile: pending nonce: %w", err)
	}
	next, err := m.journal.NextNonce(ctx, m.ChainID(), m.from)
	if err != nil {
		return fmt.Errorf("reconcile: %w", err)
	}
	switch {
	case pending > next:
		m.log.Warn("chain is ahead of the journal: the key was used elsewhere; raising the allocator", "nonce", pending, "journal_next", next)
		if _, err := m.journal.RaiseNextNonce(ctx, m.ChainID(), m.from, pending); err != nil {
			return fmt.Errorf("reconcile: %w", err)
		}
	case pending < next:
		m.log.Info("journal holds signed transactions the node lacks; they will be re-sent", "nonce", pending, "journal_next", next)
	}
	m.resimulate = true
	clear(m.lastSent)
	return nil
}

// Tick does one round of work: it follows every in-flight intent (receipts,
// confirmations, reorgs, re-sends, fee bumps, fills) and then signs and
// sends planned intents. Errors are returned after the work that could be
// done; a transport failure drops the connection and ends the round.
func (m *Manager) Tick(ctx context.Context) error {
	head, err := call(ctx, m, func(ctx context.Context, c *ethclient.Client) (*types.Header, error) {
		return c.HeaderByNumber(ctx, nil)
	})
	if err != nil {
		return fmt.Errorf("tick: head: %w", err)
	}
	if err := m.followInFlight(ctx, head); err != nil {
		return fmt.Errorf("tick at block %d: %w", head.Number, err)
	}
	if err := m.sendPlanned(ctx, head); err != nil {
		return fmt.Errorf("tick at block %d: %w", head.Number, err)
	}
	return nil
}

var inFlightStates = []gpumarket.TxState{gpumarket.TxSigned, gpumarket.TxBroadcast, gpumarket.TxMined}

func (m *Manager) followInFlight(ctx context.Context, head *types.Header) error {
	intents, err := m.journal.Intents(ctx, m.ChainID(), m.from, inFlightStates, 0)
	if err != nil || len(intents) == 0 {
		return err
	}
	ids := make([]int64, len(intents))
	for i, in := range intents {
		ids[i] = in.ID
	}
	all, err := m.journal.Attempts(ctx, m.ChainID(), m.from, ids)
	if err != nil {
		return err
	}
	attempts := map[int64][]gpumarket.TxAttempt{}
	for _, a := range all {
		attempts[a.IntentID] = append(attempts[a.IntentID], a)
	}
	chainNonce, err := call(ctx, m, func(ctx context.Context, c *ethclient.Client) (uint64, error) {
		return c.NonceAt(ctx, common.Address(m.from), head.Number)
	})
	if err != nil {
		return fmt.Errorf("nonce at head: %w", err)
	}
	headers := map[uint64]common.Hash{}
	resim := m.resimulate
	for _, in := range intents {
		atts := attempts[in.ID]
		if len(atts) == 0 {
			return fmt.Errorf("intent %q at nonce %d has no attempt", in.Key, in.Nonce)
		}
		var err error
		if in.State == gpumarket.TxMined {
			in, err = m.followMined(ctx, head, headers, in, atts)
			if err != nil {
				return err
			}
			if in.State != gpumarket.TxBroadcast {
				continue
			}
		}
		if in.Nonce < chainNonce {
			err = m.findReceipt(ctx, head, in, atts)
		} else {
			err = m.followPending(ctx, head, in, atts, in.Nonce == chainNonce, resim)
		}
		if err != nil {
			if errors.Is(err, node.ErrUnavailable) || ctx.Err() != nil {
				return err
			}
			if errors.Is(err, node.ErrInsufficientFunds) {
				continue // alerted once already
			}
			m.log.Error("in-flight intent", "key", in.Key, "nonce", in.Nonce, "tx_hash", in.Hash.String(), "err", err)
		}
	}
	m.resimulate = false // the head of line was simulated (or nothing was in flight at it)
	return nil
}

// followMined checks that a mined intent's block is still canonical and
// finalizes it at the confirmation depth. A reorg that removed it returns
// the intent in state broadcast, to be re-sent.
func (m *Manager) followMined(ctx context.Context, head *types.Header, headers map[uint64]common.Hash, in gpumarket.TxIntent, atts []gpumarket.TxAttempt) (gpumarket.TxIntent, error) {
	canonical, ok := headers[in.MinedBlock]
	if !ok && in.MinedBlock <= head.Number.Uint64() {
		// The node's own hash for the block: a header re-hashed locally may
		// differ on chains with extra header fields.
		var err error
		canonical, err = call(ctx, m, func(ctx context.Context, c *ethclient.Client) (common.Hash, error) {
			var b *struct {
				Hash common.Hash `json:"hash"`
			}
			if err := c.Client().CallContext(ctx, &b, "eth_getBlockByNumber", hexutil.EncodeUint64(in.MinedBlock), false); err != nil || b == nil {
				return common.Hash{}, err
			}
			return b.Hash, nil
		})
		if err != nil {
			return in, fmt.Errorf("block %d: %w", in.MinedBlock, err)
		}
		headers[in.MinedBlock] = canonical
	}
	if canonical != common.Hash(in.MinedBlockHash) {
		// The block that held the receipt is gone. The tx may be in another block.
		m.reorged.Add(1)
		m.reorgAt = head.Number.Uint64()
		m.log.Warn("reorg removed a mined transaction", "key", in.Key, "nonce", in.Nonce, "tx_hash", in.MinedHash.String(), "block", in.MinedBlock)
		out, err := m.journal.Transition(ctx, in.ID, gpumarket.TxMined, gpumarket.TxBroadcast, gpumarket.TxUpdate{})
		if err != nil {
			return in, err
		}
		for _, a := range atts { // re-send now, even at the same head height
			delete(m.lastSent, a.ID)
		}
		return out, nil
	}
	depth := head.Number.Uint64() - in.MinedBlock + 1
	if depth < m.cfg.Confirmations {
		return in, nil
	}
	rcpt, err := call(ctx, m, func(ctx context.Context, c *ethclient.Client) (*types.Receipt, error) {
		return c.TransactionReceipt(ctx, common.Hash(in.MinedHash))
	})
	if errors.Is(err, ethereum.NotFound) {
		return in, nil // the header check will see the reorg on the next tick
	}
	if err != nil {
		return in, fmt.Errorf("receipt %s: %w", in.MinedHash, err)
	}
	if rcpt.BlockHash != common.Hash(in.MinedBlockHash) {
		return in, nil
	}
	final, u := gpumarket.TxConfirmed, gpumarket.TxUpdate{}
	for _, a := range atts {
		if a.Hash == in.MinedHash && a.Kind == gpumarket.TxAttemptFill {
			final = gpumarket.TxReplaced
		}
	}
	if final == gpumarket.TxConfirmed && rcpt.Status != types.ReceiptStatusSuccessful {
		final, u.Reason = gpumarket.TxFailed, "reverted on chain"
	}
	out, err := m.journal.Transition(ctx, in.ID, gpumarket.TxMined, final, u)
	if err != nil {
		return in, err
	}
	if final == gpumarket.TxFailed {
		m.failed.Add(1)
	} else {
		m.confirmed.Add(1)
	}
	m.log.Info("transaction final", "key", in.Key, "nonce", in.Nonce, "tx_hash", in.MinedHash.String(), "state", string(final), "block", in.MinedBlock)
	return out, nil
}

// findReceipt handles an intent whose nonce the chain has consumed: one of
// its attempts must have a receipt. If none does for Confirmations blocks,
// a foreign transaction took the nonce and the intent fails.
func (m *Manager) findReceipt(ctx context.Context, head *types.Header, in gpumarket.TxIntent, atts []gpumarket.TxAttempt) error {
	for i := len(atts) - 1; i >= 0; i-- {
		a := atts[i]
		rcpt, err := call(ctx, m, func(ctx context.Context, c *ethclient.Client) (*types.Receipt, error) {
			return c.TransactionReceipt(ctx, common.Hash(a.Hash))
		})
		if errors.Is(err, ethereum.NotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("receipt %s: %w", a.Hash, err)
		}
		delete(m.consumedAt, in.ID)
		if in.State == gpumarket.TxSigned {
			if err := m.journal.MarkBroadcast(ctx, in.ID, a.ID, rcpt.BlockNumber.Uint64()); err != nil {
				return err
			}
			in.State = gpumarket.TxBroadcast
		}
		_, err = m.journal.Transition(ctx, in.ID, in.State, gpumarket.TxMined, gpumarket.TxUpdate{
			MinedHash: a.Hash, MinedBlock: rcpt.BlockNumber.Uint64(), MinedBlockHash: gpumarket.Hash(rcpt.BlockHash),
		})
		if err == nil {
			m.log.Debug("mined", "key", in.Key, "nonce", in.Nonce, "tx_hash", a.Hash.String(), "block", rcpt.BlockNumber)
		}
		return err
	}
	first, seen := m.consumedAt[in.ID]
	if !seen {
		m.consumedAt[in.ID] = head.Number.Uint64()
		return nil
	}
	if head.Number.Uint64()-first+1 < m.cfg.Confirmations {
		return nil
	}
	delete(m.consumedAt, in.ID)
	msg := fmt.Sprintf("nonce %d was consumed by a transaction that is not in the journal", in.Nonce)
	m.alert(Alert{Kind: AlertNonceConsumed, Key: in.Key, Nonce: in.Nonce, TxHash: in.Hash, Message: msg})
	if _, err := m.journal.Transition(ctx, in.ID, in.State, gpumarket.TxFailed, gpumarket.TxUpdate{Reason: msg}); err != nil {
		return err
	}
	m.failed.Add(1)
	return nil
}

// followPending handles an intent whose nonce is not yet used on chain:
// fill it when abandoned, bump it when stuck, otherwise (re-)send its latest
// attempt byte for byte, at most once per block.
//
// Only the head of line (the intent at the chain's next nonce) is simulated
// or bumped: a later one cannot be mined before it, and simulated on the
// latest state it would miss its predecessors' effects and be abandoned
// wrongly.
func (m *Manager) followPending(ctx context.Context, head *types.Header, in gpumarket.TxIntent, atts []gpumarket.TxAttempt, headOfLine, resimulate bool) error {
	latest := atts[len(atts)-1]
	stuck := headOfLine && latest.BroadcastBlock > 0 && head.Number.Uint64() >= latest.BroadcastBlock+m.cfg.BumpAfterBlocks
	if !in.Abandoned && latest.Kind == gpumarket.TxAttemptCall {
		if headOfLine && (resimulate || stuck) {
			// The first unmined nonce runs on exactly the latest state (the
			// pending state would already hold the transaction itself), but
			// in the next block: its timestamp, not the latest block's, is
			// what time checks such as a challenge window ending see.
			if reason, err := m.simulate(ctx, in, head); err != nil {
				return err
			} else if reason == "" {
				delete(m.revertSince, in.ID)
			} else if since, seen := m.revertSince[in.ID]; !seen && m.reorgAt > 0 && head.Number.Uint64() < m.reorgAt+4*m.cfg.BumpAfterBlocks {
				// Right after a reorg the call may revert only until other
				// senders' transactions it depends on (the job's creation)
				// are mined again: then the revert must last BumpAfterBlocks
				// blocks before the nonce is filled. Otherwise a revert
				// fills the nonce at once (no gas spent on a failing call).
				m.revertSince[in.ID] = head.Number.Uint64()
				m.log.Info("in-flight call reverts now; filling its nonce if it still does in a few blocks", "key", in.Key, "nonce", in.Nonce, "reason", reason)
			} else if !seen || head.Number.Uint64() >= since+m.cfg.BumpAfterBlocks {
				delete(m.revertSince, in.ID)
				m.log.Warn("in-flight call now reverts; filling its nonce", "key", in.Key, "nonce", in.Nonce, "reason", reason)
				if in, err = m.journal.Abandon(ctx, in.ID, reason); err != nil {
					return err
				}
			}
		}
		if !in.Abandoned && stuck {
			return m.replace(ctx, head, in, atts, gpumarket.TxAttemptCall, "not mined after "+fmt.Sprint(m.cfg.BumpAfterBlocks)+" blocks")
		}
	}
	if in.Abandoned && latest.Kind == gpumarket.TxAttemptCall {
		return m.replace(ctx, head, in, atts, gpumarket.TxAttemptFill, in.Reason)
	}
	if latest.Kind == gpumarket.TxAttemptFill && stuck {
		return m.replace(ctx, head, in, atts, gpumarket.TxAttemptFill, "fill not mined")
	}
	if sentAt, ok := m.lastSent[latest.ID]; ok && sentAt == head.Number.Uint64() {
		return nil
	}
	return m.send(ctx, head, in, atts, latest)
}

// send broadcasts attempt a's raw bytes and handles the node's answer.
func (m *Manager) send(ctx context.Context, head *types.Header, in gpumarket.TxIntent, atts []gpumarket.TxAttempt, a gpumarket.TxAttempt) error {
	_, err := call(ctx, m, func(ctx context.Context, c *ethclient.Client) (struct{}, error) {
		var h common.Hash
		return struct{}{}, c.Client().CallContext(ctx, &h, "eth_sendRawTransaction", hexutil.Encode(a.Raw))
	})
	if _, before := m.lastSent[a.ID]; before || a.BroadcastBlock > 0 {
		m.resent.Add(1)
	}
	m.lastSent[a.ID] = head.Number.Uint64()
	log := m.log.With("key", in.Key, "nonce", a.Nonce, "tx_hash", a.Hash.String())
	switch {
	case err == nil, errors.Is(err, node.ErrAlreadyKnown):
		if a.BroadcastBlock == 0 || in.State == gpumarket.TxSigned {
			if a.BroadcastBlock == 0 {
				m.sent.Add(1)
			}
			log.Debug("broadcast", "attempt", a.ID, "class", node.ClassName(err))
			return m.journal.MarkBroadcast(ctx, in.ID, a.ID, head.Number.Uint64())
		}
		return nil
	case errors.Is(err, node.ErrNonceTooLow):
		// Mined already (ours, found by receipt on the next tick) or taken.
		log.Debug("nonce already used on chain; looking for the receipt next tick")
		return m.journal.MarkSendError(ctx, a.ID, node.ClassName(err))
	case errors.Is(err, node.ErrFeeTooLow):
		log.Info("fee cap below the base fee; re-signing at the same nonce with higher fees")
		if err := m.journal.MarkSendError(ctx, a.ID, node.ClassName(err)); err != nil {
			return err
		}
		return m.replace(ctx, head, in, atts, a.Kind, "fee cap below base fee")
	case errors.Is(err, node.ErrUnderpriced):
		// Another tx at this nonce pays at least as much: one of our earlier
		// attempts (still pending) or a foreign one. The bump clock decides.
		log.Info("replacement underpriced; waiting for the pool's tx or the next bump")
		return m.journal.MarkSendError(ctx, a.ID, node.ClassName(err))
	case errors.Is(err, node.ErrInsufficientFunds):
		if k := fmt.Sprintf("%s/%d", AlertInsufficientFunds, a.ID); !m.alerted[k] {
			m.alerted[k] = true
			m.alert(Alert{Kind: AlertInsufficientFunds, Key: in.Key, Nonce: a.Nonce, TxHash: a.Hash, Message: err.Error()})
		}
		if merr := m.journal.MarkSendError(ctx, a.ID, node.ClassName(err)); merr != nil {
			return merr
		}
		return err // stop signing more behind it
	case errors.Is(err, node.ErrNonceTooHigh):
		log.Info("node lacks an earlier nonce; it is re-sent in order")
		return m.journal.MarkSendError(ctx, a.ID, node.ClassName(err))
	case errors.Is(err, node.ErrUnavailable), ctx.Err() != nil:
		return err
	default:
		log.Error("node rejected transaction", "err", err)
		return m.journal.MarkSendError(ctx, a.ID, node.ClassName(err))
	}
}

// replace signs a new attempt at in's nonce with both fee fields raised by
// BumpPermille over every earlier attempt (and at least the current market
// fees), capped at FeeCeiling, stores it and sends it. A fill is a 0-value
// self-transfer. When the ceiling leaves no room for a valid replacement it
// alerts and waits.
func (m *Manager) replace(ctx context.Context, head *types.Header, in gpumarket.TxIntent, atts []gpumarket.TxAttempt, kind gpumarket.TxAttemptKind, why string) error {
	maxFee, maxTip := new(big.Int), new(big.Int)
	for _, a := range atts {
		if a.MaxFeePerGas.Cmp(maxFee) > 0 {
			maxFee.Set(a.MaxFeePerGas)
		}
		if a.MaxPriorityFeePerGas.Cmp(maxTip) > 0 {
			maxTip.Set(a.MaxPriorityFeePerGas)
		}
	}
	minFee, minTip := m.bump(maxFee), m.bump(maxTip)
	tip, fee, err := m.fees(ctx, head)
	if err != nil {
		return err
	}
	tip = bigMax(tip, minTip)
	fee = bigMax(bigMax(fee, minFee), tip)
	if fee.Cmp(m.cfg.FeeCeiling) > 0 {
		fee = new(big.Int).Set(m.cfg.FeeCeiling)
		if tip.Cmp(fee) > 0 {
			tip = new(big.Int).Set(fee)
		}
	}
	if fee.Cmp(minFee) < 0 || tip.Cmp(minTip) < 0 {
		alertKey := fmt.Sprintf("%s/%d/%d", AlertFeeCeiling, in.ID, len(atts))
		if !m.alerted[alertKey] {
			m.alerted[alertKey] = true
			m.alert(Alert{Kind: AlertFeeCeiling, Key: in.Key, Nonce: in.Nonce, TxHash: in.Hash,
				Message: fmt.Sprintf("cannot replace (%s): a valid bump needs max fee %s and tip %s, the ceiling is %s", why, minFee, minTip, m.cfg.FeeCeiling)})
		}
		return nil
	}
	to, data, value, gas := common.Address(in.To), in.Data, in.Value, in.GasLimit
	if kind == gpumarket.TxAttemptFill {
		to, data, value, gas = common.Address(m.from), nil, new(big.Int), 21_000
	}
	a, err := m.sign(in.Nonce, kind, to, data, value, gas, tip, fee)
	if err != nil {
		return err
	}
	in, a, err = m.journal.AddAttempt(ctx, in.ID, a)
	if err != nil {
		return err
	}
	if kind == gpumarket.TxAttemptFill {
		m.filled.Add(1)
	} else {
		m.bumped.Add(1)
	}
	m.log.Info("replacing at the same nonce", "key", in.Key, "nonce", in.Nonce, "tx_hash", a.Hash.String(), "kind", string(kind),
		"why", why, "max_fee", fee.String(), "tip", tip.String(), "prev_max_fee", maxFee.String(), "prev_tip", maxTip.String())
	return m.send(ctx, head, in, append(atts, a), a)
}

// bump returns v raised by BumpPermille, rounded up.
func (m *Manager) bump(v *big.Int) *big.Int {
	out := new(big.Int).Mul(v, big.NewInt(int64(1000+m.cfg.BumpPermille)))
	out.Add(out, big.NewInt(999))
	return out.Div(out, big.NewInt(1000))
}

func bigMax(a, b *big.Int) *big.Int {
	if a.Cmp(b) >= 0 {
		return new(big.Int).Set(a)
	}
	return new(big.Int).Set(b)
}

// fees returns the EIP-1559 fees for a new transaction: the tip (TipCap or
// the node's suggestion) and max fee = tip + 2 × base fee, capped at the
// ceiling.
func (m *Manager) fees(ctx context.Context, head *types.Header) (tip, fee *big.Int, err error) {
	if m.cfg.TipCap != nil {
		tip = new(big.Int).Set(m.cfg.TipCap)
	} else {
		tip, err = call(ctx, m, func(ctx context.Context, c *ethclient.Client) (*big.Int, error) { return c.SuggestGasTipCap(ctx) })
		if err != nil {
			return nil, nil, fmt.Errorf("suggest tip: %w", err)
		}
	}
	base := head.BaseFee
	if base == nil {
		base = new(big.Int)
	}
	fee = new(big.Int).Add(tip, new(big.Int).Mul(base, big.NewInt(2)))
	if fee.Cmp(m.cfg.FeeCeiling) > 0 {
		fee = new(big.Int).Set(m.cfg.FeeCeiling)
	}
	if tip.Cmp(fee) > 0 {
		tip = new(big.Int).Set(fee)
	}
	return tip, fee, nil
}

func (m *Manager) sign(nonce uint64, kind gpumarket.TxAttemptKind, to common.Address, data []byte, value *big.Int, gas uint64, tip, fee *big.Int) (gpumarket.TxAttempt, error) {
	tx, err := types.SignNewTx(m.key, m.signer, &types.DynamicFeeTx{
		ChainID: m.chainID, Nonce: nonce, GasTipCap: tip, GasFeeCap: fee, Gas: gas, To: &to, Value: value, Data: data,
	})
	if err != nil {
		return gpumarket.TxAttempt{}, fmt.Errorf("sign nonce %d: %w", nonce, err)
	}
	raw, err := tx.MarshalBinary()
	if err != nil {
		return gpumarket.TxAttempt{}, fmt.Errorf("encode nonce %d: %w", nonce, err)
	}
	return gpumarket.TxAttempt{Kind: kind, Nonce: nonce, Raw: raw, Hash: gpumarket.Hash(tx.Hash()), GasLimit: gas,
		MaxFeePerGas: new(big.Int).Set(fee), MaxPriorityFeePerGas: new(big.Int).Set(tip)}, nil
}

// simulate runs the intent's call with eth_call and returns the revert
// reason, "" when it succeeds. With head nil it runs in the pending block
// (for a call about to be signed). Otherwise it runs on head's state as if in
// the next block: a block override sets the timestamp to the later of head's
// time + 1 and now (for the head of line, whose own transaction the pending
// state already holds).
func (m *Manager) simulate(ctx context.Context, in gpumarket.TxIntent, head *types.Header) (string, error) {
	arg := map[string]any{"from": common.Address(m.from), "to": common.Address(in.To), "input": hexutil.Bytes(in.Data)}
	if in.Value != nil && in.Value.Sign() > 0 {
		arg["value"] = (*hexutil.Big)(in.Value)
	}
	_, err := call(ctx, m, func(ctx context.Context, c *ethclient.Client) (hexutil.Bytes, error) {
		var out hexutil.Bytes
		if head == nil {
			return out, c.Client().CallContext(ctx, &out, "eth_call", arg, "pending")
		}
		next := max(head.Time+1, uint64(time.Now().Unix()))
		return out, c.Client().CallContext(ctx, &out, "eth_call", arg, hexutil.EncodeBig(head.Number), map[string]any{},
			map[string]any{"time": hexutil.Uint64(next)})
	})
	var re *node.RPCError
	if errors.As(err, &re) && errors.Is(err, node.ErrReverted) {
		return re.Reason, nil
	}
	if err != nil {
		return "", fmt.Errorf("simulate %q: %w", in.Key, err)
	}
	return "", nil
}

// sendPlanned signs and sends planned intents in creation order: precheck,
// eth_call simulation (a revert skips), gas estimate, then nonce allocation
// and signature stored in one database transaction, then broadcast.
func (m *Manager) sendPlanned(ctx context.Context, head *types.Header) error {
	planned, err := m.journal.Intents(ctx, m.ChainID(), m.from, []gpumarket.TxState{gpumarket.TxPlanned}, m.cfg.BatchSize)
	if err != nil || len(planned) == 0 {
		return err
	}
	tip, fee, err := m.fees(ctx, head)
	if err != nil {
		return err
	}
	for _, in := range planned {
		log := m.log.With("key", in.Key)
		reason := ""
		if m.cfg.Precheck != nil {
			if reason, err = m.cfg.Precheck(ctx, in); err != nil {
				return fmt.Errorf("precheck %q: %w", in.Key, err)
			}
		}
		if reason == "" {
			if reason, err = m.simulate(ctx, in, nil); err != nil {
				return err
			}
		}
		var gas uint64
		if reason == "" {
			est, err := call(ctx, m, func(ctx context.Context, c *ethclient.Client) (uint64, error) {
				return c.EstimateGas(ctx, ethereum.CallMsg{From: common.Address(m.from), To: (*common.Address)(&in.To), Data: in.Data, Value: in.Value})
			})
			var re *node.RPCError
			switch {
			case errors.As(err, &re) && errors.Is(err, node.ErrReverted):
				reason = re.Reason
			case err != nil:
				return fmt.Errorf("estimate gas %q: %w", in.Key, err)
			default:
				gas = est + est*m.cfg.GasMarginPct/100
			}
		}
		if reason != "" {
			if _, err := m.journal.Transition(ctx, in.ID, gpumarket.TxPlanned, gpumarket.TxSkipped, gpumarket.TxUpdate{Reason: reason}); err != nil {
				return err
			}
			m.skipped.Add(1)
			log.Info("skipped: the chain already shows the action done or it would revert", "reason", reason)
			continue
		}
		signed, a, err := m.journal.SignIntent(ctx, in.ID, func(nonce uint64) (gpumarket.TxAttempt, error) {
			return m.sign(nonce, gpumarket.TxAttemptCall, common.Address(in.To), in.Data, in.Value, gas, tip, fee)
		})
		if err != nil {
			return err
		}
		if err := m.send(ctx, head, signed, []gpumarket.TxAttempt{a}, a); err != nil {
			return err
		}
	}
	return nil
}

func (m *Manager) alert(a Alert) {
	m.alerts.Add(1)
	m.log.Error("tx manager alert", "alert", a.Kind, "key", a.Key, "nonce", a.Nonce, "tx_hash", a.TxHash.String(), "msg", a.Message)
	if m.cfg.OnAlert != nil {
		m.cfg.OnAlert(a)
	}
}
