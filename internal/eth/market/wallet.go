package market

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/internal/eth/keys"
	"github.com/gpumarket/gpumarket/internal/eth/node"
)

// Wallet sends a Market's calls as the holder of one key, one at a time,
// each waited for until mined (Transact). It is the simple sender of a
// client that sends a handful of transactions; a daemon uses the journaled
// transaction manager (txmgr) instead. A Wallet is not safe for concurrent
// sends (they would race for the nonce).
type Wallet struct {
	m    *Market
	opts *bind.TransactOpts
	addr gpumarket.Address
}

// Wallet returns the sender of calls signed by key on m's chain. It returns
// an EINVALID error for a nil key.
func (m *Market) Wallet(key *ecdsa.PrivateKey) (*Wallet, error) {
	if key == nil {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "wallet: no key")
	}
	return &Wallet{m: m, opts: bind.NewKeyedTransactor(key, m.chainID), addr: keys.KeyAddress(key)}, nil
}

// Address returns the wallet's address (the sender of its transactions).
func (w *Wallet) Address() gpumarket.Address { return w.addr }

// Send sends c and waits until it is mined; errors as Transact returns them.
// A call that would revert is refused at gas estimation: nothing is sent.
func (w *Wallet) Send(ctx context.Context, c Call) (*Receipt, error) {
	return w.m.Transact(ctx, w.opts, c)
}

// ---------------------------------------------------------------- token reads

// TokenDecimals returns token's decimals().
func (m *Market) TokenDecimals(ctx context.Context, token gpumarket.Address) (uint8, error) {
	inst := m.erc.Instance(m.backend, common.Address(token))
	v, err := bind.Call(inst, callOpts(ctx), m.erc.PackDecimals(), m.erc.UnpackDecimals)
	if err != nil {
		return 0, callErr("decimals", err)
	}
	return v, nil
}

// TokenSymbol returns token's symbol().
func (m *Market) TokenSymbol(ctx context.Context, token gpumarket.Address) (string, error) {
	inst := m.erc.Instance(m.backend, common.Address(token))
	v, err := bind.Call(inst, callOpts(ctx), m.erc.PackSymbol(), m.erc.UnpackSymbol)
	if err != nil {
		return "", callErr("symbol", err)
	}
	return v, nil
}

// TokenAllowance returns what spender may move of owner's token (allowance).
func (m *Market) TokenAllowance(ctx context.Context, token, owner, spender gpumarket.Address) (*big.Int, error) {
	inst := m.erc.Instance(m.backend, common.Address(token))
	v, err := bind.Call(inst, callOpts(ctx), m.erc.PackAllowance(common.Address(owner), common.Address(spender)), m.erc.UnpackAllowance)
	if err != nil {
		return nil, callErr("allowance", err)
	}
	return v, nil
}

// SupportsPermit reports whether token answers the EIP-2612 reads a permit
// needs (nonces and eip712Domain); a token without them is approved instead.
func (m *Market) SupportsPermit(ctx context.Context, token, owner gpumarket.Address) bool {
	if _, err := m.PermitNonce(ctx, token, owner); err != nil {
		return false
	}
	_, err := m.TokenDomain(ctx, token)
	return err == nil
}

// ---------------------------------------------------------------- job history from logs

// jobTopic is a job id as an indexed topic.
func jobTopic(id gpumarket.JobID) common.Hash {
	return common.BigToHash(new(big.Int).SetUint64(uint64(id)))
}

// marketJobEvents returns the marketplace's logs from block from to the head
// whose topics match (nil: any), decoded into job events in chain order.
func (m *Market) marketJobEvents(ctx context.Context, from uint64, topics [][]common.Hash) ([]JobLogEvent, error) {
	logs, err := m.rangeLogs(ctx, from, topics)
	if err != nil {
		return nil, err
	}
	dec := NewDecoder(m.Address(), m.RegistryAddress())
	var out []JobLogEvent
	for i := range logs {
		l := &logs[i]
		if l.Removed {
			continue
		}
		ev, err := dec.Decode(node.DomainLog(l, l.BlockTimestamp))
		if err != nil {
			continue // an event of no job (config, withdrawals)
		}
		if je, ok := ev.(gpumarket.JobEvent); ok {
			out = append(out, JobLogEvent{Event: je, Block: l.BlockNumber, Time: l.BlockTimestamp, TxHash: gpumarket.Hash(l.TxHash)})
		}
	}
	return out, nil
}

// JobLogEvent is one job event as a log of the chain.
type JobLogEvent struct {
	Event  gpumarket.JobEvent
	Block  uint64
	Time   uint64 // block timestamp, 0 when the node does not report it
	TxHash gpumarket.Hash
}

// JobRecord rebuilds job id from the marketplace's logs since block from
// (the deployment block): the job as the contract holds it (what every job
// action passes back) plus what the events add (result hash and URI,
// payout). It returns an ENOTFOUND error when no JobCreated event is found,
// EUNAVAILABLE when the logs cannot be read, and EINVALID for a history that
// does not fold.
func (m *Market) JobRecord(ctx context.Context, id gpumarket.JobID, from uint64) (*gpumarket.JobRecord, error) {
	evs, err := m.marketJobEvents(ctx, from, [][]common.Hash{nil, {jobTopic(id)}})
	if err != nil {
		return nil, fmt.Errorf("job %d: %w", id, err)
	}
	r := &gpumarket.JobRecord{}
	for _, e := range evs {
		if e.Event.JobID() != id {
			continue
		}
		if err := r.Apply(e.Event, e.Block, e.Time); err != nil {
			return nil, fmt.Errorf("job %d: %w", id, err)
		}
	}
	if r.State == gpumarket.JobStateNone {
		return nil, gpumarket.Errorf(gpumarket.ENOTFOUND, "job %d: no JobCreated event on chain %s since block %d", id, m.chainID, from)
	}
	r.ChainID = m.chainID.Uint64()
	return r, nil
}

// JobsOf returns the jobs created by client since block from, rebuilt from
// the logs (JobRecord), oldest first.
func (m *Market) JobsOf(ctx context.Context, client gpumarket.Address, from uint64) ([]*gpumarket.JobRecord, error) {
	// Every job event has the client as its second indexed topic.
	evs, err := m.marketJobEvents(ctx, from, [][]common.Hash{nil, nil, {common.BytesToHash(client[:])}})
	if err != nil {
		return nil, fmt.Errorf("jobs of %s: %w", client, err)
	}
	byID := map[gpumarket.JobID]*gpumarket.JobRecord{}
	var order []gpumarket.JobID
	for _, e := range evs {
		id := e.Event.JobID()
		r := byID[id]
		if r == nil {
			if _, ok := e.Event.(*gpumarket.JobCreated); !ok {
				continue
			}
			r = &gpumarket.JobRecord{}
			byID[id] = r
			order = append(order, id)
		}
		if err := r.Apply(e.Event, e.Block, e.Time); err != nil {
			return nil, fmt.Errorf("jobs of %s: job %d: %w", client, id, err)
		}
	}
	out := make([]*gpumarket.JobRecord, 0, len(order))
	for _, id := range order {
		byID[id].ChainID = m.chainID.Uint64()
		out = append(out, byID[id])
	}
	return out, nil
}

// CreatedJobID returns the id of the job whose JobCreated event r carries.
// It returns an EINTERNAL error when there is none.
func CreatedJobID(market, registry gpumarket.Address, r *Receipt) (gpumarket.JobID, error) {
	dec := NewDecoder(market, registry)
	for _, l := range r.Logs {
		if ev, err := dec.Decode(l); err == nil {
			if c, ok := ev.(*gpumarket.JobCreated); ok {
				return c.Job.ID, nil
			}
		}
	}
	return 0, gpumarket.Errorf(gpumarket.EINTERNAL, "transaction %s: no JobCreated event", r.TxHash)
}

// GasBalance returns account's ETH balance in wei (what pays for gas).
func (m *Market) GasBalance(ctx context.Context, account gpumarket.Address) (*big.Int, error) {
	r, ok := m.backend.(interface {
		BalanceAt(ctx context.Context, account common.Address, block *big.Int) (*big.Int, error)
	})
	if !ok {
		return nil, gpumarket.Errorf(gpumarket.EINVALID, "gas balance: the backend cannot read balances")
	}
	v, err := r.BalanceAt(ctx, common.Address(account), nil)
	if err != nil {
		return nil, callErr("eth_getBalance", err)
	}
	return v, nil
}
