package txmgr

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/gpumarket/gpumarket/internal/eth/node"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/gpumarket/gpumarket"
)

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
