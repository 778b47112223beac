package client

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math/big"
	"time"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/eth/market"
)

// KeyedSender is a Sender that records each call under an idempotency key
// before sending it (JournaledSender). A Client made by WithTxKey sends
// through SendKeyed: a second SendKeyed with a key already recorded sends
// nothing and returns the first call's outcome, even from another process
// after a crash.
type KeyedSender interface {
	Sender
	SendKeyed(ctx context.Context, key string, c market.Call) (*market.Receipt, error)
}

// TxJournal is what JournaledSender needs of a journaled transaction
// manager (internal/eth/txmgr.Manager satisfies it): Submit records the call
// under key once (later Submits of key return the recorded intent, or an
// ECONFLICT error for a different call) and sends it, re-sending it after
// a reorg; Intent reads the recorded intent (ENOTFOUND when none).
type TxJournal interface {
	Sender() gpumarket.Address
	Submit(ctx context.Context, key string, to gpumarket.Address, data []byte, value *big.Int) (gpumarket.TxIntent, error)
	Intent(ctx context.Context, key string) (gpumarket.TxIntent, error)
}

// ReceiptReader reads a mined transaction's receipt (*market.Market
// satisfies it); found is false when the node has none.
type ReceiptReader interface {
	TxReceipt(ctx context.Context, hash gpumarket.Hash) (rc *market.Receipt, found bool, err error)
}

var (
	_ KeyedSender   = (*JournaledSender)(nil)
	_ ReceiptReader = (*market.Market)(nil)
)

// JournaledSender sends a Client's transactions through a journaled
// transaction manager, so that they are in its journal (fee bumps, reorg
// re-sends and restarts are the manager's) and, under a key, sent at most
// once.
type JournaledSender struct {
	tx       TxJournal
	receipts ReceiptReader
	poll     time.Duration
}

// NewJournaledSender returns a sender over tx that reads receipts from
// receipts, checking tx's intents every poll (0: 200 ms). The manager's Run
// loop must be running: it is what sends.
func NewJournaledSender(tx TxJournal, receipts ReceiptReader, poll time.Duration) *JournaledSender {
	if poll <= 0 {
		poll = 200 * time.Millisecond
	}
	return &JournaledSender{tx: tx, receipts: receipts, poll: poll}
}

// From returns the address the manager signs for.
func (s *JournaledSender) From() gpumarket.Address { return s.tx.Sender() }

// Send sends c under a fresh random key: once, even across the manager's
// retries, but a caller that retries after a crash sends it again. Use a
// Client made by WithTxKey (SendKeyed) where that matters.
func (s *JournaledSender) Send(ctx context.Context, c market.Call) (*market.Receipt, error) {
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, gpumarket.Errorf(gpumarket.EINTERNAL, "send key: %v", err)
	}
	return s.SendKeyed(ctx, "client/"+hex.EncodeToString(b[:]), c)
}

// SendKeyed records c under key (unless key is recorded already: then c
// is ignored and the recorded call's outcome is returned) and waits until
// the call is confirmed at the manager's depth. It returns an EINVALID
// error when the call ended otherwise (it reverted, or the manager skipped
// it as one that would revert), with the manager's reason.
func (s *JournaledSender) SendKeyed(ctx context.Context, key string, c market.Call) (*market.Receipt, error) {
	in, err := s.tx.Intent(ctx, key)
	if gpumarket.ErrorCode(err) == gpumarket.ENOTFOUND {
		in, err = s.tx.Submit(ctx, key, c.To, c.Data, nil)
	}
	if err != nil {
		return nil, fmt.Errorf("send %q: %w", key, err)
	}
	for {
		if in.State.Final() {
			if in.State != gpumarket.TxConfirmed {
				return nil, gpumarket.Errorf(gpumarket.EINVALID, "transaction %q ended %s: %s", key, in.State, in.Reason)
			}
			rc, found, err := s.receipts.TxReceipt(ctx, in.MinedHash)
			if err != nil {
				return nil, fmt.Errorf("send %q: %w", key, err)
			}
			if found {
				return rc, nil
			}
			// Confirmed, then reorged out before we read it: the
			// manager follows it again.
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("wait for transaction %q: %w", key, ctx.Err())
		case <-time.After(s.poll):
		}
		if in, err = s.tx.Intent(ctx, key); err != nil {
			return nil, fmt.Errorf("wait for transaction %q: %w", key, err)
		}
	}
}

// WithTxKey returns a copy of c whose actions are idempotent under key:
// with a KeyedSender (Config.Sender) each transaction an action sends is
// recorded as key + "/" + its step (approve, create, dispute, refund,
// cancel, withdraw), and a gasless order's nonce is keccak256 of the
// client's address and key (the marketplace accepts a nonce once). Calling
// the same action again with the same key (a retry, a restart) sends
// nothing twice. Without a KeyedSender the key changes nothing but the
// order nonce. The copy shares c's connections: close only c. Use one key
// per action.
func (c *Client) WithTxKey(key string) *Client {
	k := *c
	k.txKey = key
	return &k
}

// send sends call, under c's key and step with a KeyedSender.
func (c *Client) send(ctx context.Context, step string, call market.Call) (*market.Receipt, error) {
	if ks, ok := c.wallet.(KeyedSender); ok && c.txKey != "" {
		return ks.SendKeyed(ctx, c.txKey+"/"+step, call)
	}
	return c.wallet.Send(ctx, call)
}
