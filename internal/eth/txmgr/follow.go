package txmgr

import (
	"context"
	"errors"
	"fmt"

	"github.com/gpumarket/gpumarket/internal/eth/node"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/gpumarket/gpumarket"
)

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
