package eth

import (
	"bytes"
	"fmt"
	"math/big"
	"strconv"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/gpumarket/gpumarket"
	"github.com/gpumarket/gpumarket/bindings"
)

// Decoder turns the logs of one deployment (a JobMarketplace and its
// ProviderRegistry) into domain events: every event of both contracts,
// decoded through the generated bindings. It implements indexer.Decoder and
// is safe for concurrent use.
//
// A log is accepted only in its canonical ABI encoding: the topics count
// must match the event, indexed addresses must have zero padding, and the
// data must re-encode to exactly the bytes logged (so dirty padding,
// trailing bytes or odd offsets are errors). Values must fit their Solidity
// types (uint40 timestamps, uint128 amounts) and job ids must fit a JobID
// (64 bits). A log that a real contract could not have emitted is therefore
// an EINVALID error, never a panic and never a silently different event.
//
// Decoded jobs have ChainID zero: a log does not name its chain.
type Decoder struct {
	market, registry common.Address
	mkt              *bindings.JobMarketplace
	reg              *bindings.ProviderRegistry
	byTopic          map[common.Hash]decEvent
}

type decEvent struct {
	name     string
	contract common.Address
	args     abi.Arguments // the event's inputs
	decode   func(*types.Log) (gpumarket.Event, error)
}

// NewDecoder returns the decoder of the marketplace at market and the
// registry at registry.
func NewDecoder(market, registry gpumarket.Address) *Decoder {
	d := &Decoder{
		market: common.Address(market), registry: common.Address(registry),
		mkt: bindings.NewJobMarketplace(), reg: bindings.NewProviderRegistry(),
		byTopic: map[common.Hash]decEvent{},
	}
	m, r := d.mkt, d.reg
	add := func(contract common.Address, a abi.ABI, name string, f func(*types.Log) (gpumarket.Event, error)) {
		ev, ok := a.Events[name]
		if !ok {
			panic("eth: decoder: no event " + name) // the bindings changed: caught by every test
		}
		d.byTopic[ev.ID] = decEvent{name: name, contract: contract, args: ev.Inputs, decode: f}
	}
	ma, ra := m.GetABI(), r.GetABI()
	mc, rc := d.market, d.registry

	add(mc, ma, "JobCreated", func(l *types.Log) (gpumarket.Event, error) {
		e, err := m.UnpackJobCreatedEvent(l)
		if err != nil {
			return nil, err
		}
		id, err := decJobID(e.JobId)
		if err != nil {
			return nil, err
		}
		job, err := JobFromBinding(0, id, &e.Job)
		if err != nil {
			return nil, err
		}
		if job.Client != gpumarket.Address(e.Client) || job.Token != gpumarket.Address(e.Token) || job.State != gpumarket.JobStateOpen {
			return nil, gpumarket.Errorf(gpumarket.EINVALID, "job %d: topics (client %s, token %s) contradict the job (client %s, token %s, state %s)",
				id, e.Client, e.Token, job.Client, job.Token, job.State)
		}
		var nonce *big.Int
		if e.OrderNonce.Cmp(gpumarket.MaxUint256) != 0 {
			nonce = e.OrderNonce
		}
		return &gpumarket.JobCreated{Job: job, SpecURI: gpumarket.ChainString(e.SpecURI), OrderNonce: nonce}, nil
	})
	add(mc, ma, "JobAccepted", func(l *types.Log) (gpumarket.Event, error) {
		e, err := m.UnpackJobAcceptedEvent(l)
		if err != nil {
			return nil, err
		}
		id, err := decJobID(e.JobId)
		if err != nil {
			return nil, err
		}
		if err := mkCheckUint128("price", e.Price); err != nil {
			return nil, err
		}
		return &gpumarket.JobAccepted{ID: id, Client: gpumarket.Address(e.Client), Provider: gpumarket.Address(e.Provider),
			Price: e.Price, Signer: gpumarket.Address(e.Signer), Matcher: gpumarket.Address(e.Matcher)}, nil
	})
	add(mc, ma, "JobCancelled", func(l *types.Log) (gpumarket.Event, error) {
		e, err := m.UnpackJobCancelledEvent(l)
		if err != nil {
			return nil, err
		}
		id, err := decJobID(e.JobId)
		if err != nil {
			return nil, err
		}
		return &gpumarket.JobCancelled{ID: id, Client: gpumarket.Address(e.Client), Token: gpumarket.Address(e.Token), Refund: e.Refund}, nil
	})
	add(mc, ma, "ResultSubmitted", func(l *types.Log) (gpumarket.Event, error) {
		e, err := m.UnpackResultSubmittedEvent(l)
		if err != nil {
			return nil, err
		}
		id, err := decJobID(e.JobId)
		if err != nil {
			return nil, err
		}
		if err := mkCheckUint128("amount due", e.AmountDue); err != nil {
			return nil, err
		}
		end, err := uint40(e.ChallengeEnd)
		if err != nil {
			return nil, err
		}
		return &gpumarket.ResultSubmitted{ID: id, Client: gpumarket.Address(e.Client), Provider: gpumarket.Address(e.Provider),
			ResultHash: e.ResultHash, ResultURI: gpumarket.ChainString(e.ResultURI), Usage: gpumarket.Usage{Units1: e.Usage.Units, Units2: e.Usage.ExtraUnits},
			AmountDue: e.AmountDue, ChallengeEnd: end}, nil
	})
	add(mc, ma, "JobSettled", func(l *types.Log) (gpumarket.Event, error) {
		e, err := m.UnpackJobSettledEvent(l)
		if err != nil {
			return nil, err
		}
		id, err := decJobID(e.JobId)
		if err != nil {
			return nil, err
		}
		return &gpumarket.JobSettled{ID: id, Client: gpumarket.Address(e.Client), Provider: gpumarket.Address(e.Provider),
			Token: gpumarket.Address(e.Token), Payout: decPayout(e.Payout), SettledBy: gpumarket.Address(e.SettledBy)}, nil
	})
	add(mc, ma, "JobDisputed", func(l *types.Log) (gpumarket.Event, error) {
		e, err := m.UnpackJobDisputedEvent(l)
		if err != nil {
			return nil, err
		}
		id, err := decJobID(e.JobId)
		if err != nil {
			return nil, err
		}
		at, err := uint40(e.DisputedAt)
		if err != nil {
			return nil, err
		}
		return &gpumarket.JobDisputed{ID: id, Client: gpumarket.Address(e.Client), Provider: gpumarket.Address(e.Provider),
			ReasonHash: e.ReasonHash, DisputedAt: at}, nil
	})
	add(mc, ma, "JobDisputeResolved", func(l *types.Log) (gpumarket.Event, error) {
		e, err := m.UnpackJobDisputeResolvedEvent(l)
		if err != nil {
			return nil, err
		}
		id, err := decJobID(e.JobId)
		if err != nil {
			return nil, err
		}
		return &gpumarket.JobDisputeResolved{ID: id, Client: gpumarket.Address(e.Client), Provider: gpumarket.Address(e.Provider),
			Token: gpumarket.Address(e.Token), Payout: decPayout(e.Payout), ProviderPaid: e.ProviderPaid,
			SlashRequested: e.SlashRequested, Slashed: e.Slashed, Arbiter: gpumarket.Address(e.Arbiter), TimedOut: e.TimedOut}, nil
	})
	add(mc, ma, "JobRefunded", func(l *types.Log) (gpumarket.Event, error) {
		e, err := m.UnpackJobRefundedEvent(l)
		if err != nil {
			return nil, err
		}
		id, err := decJobID(e.JobId)
		if err != nil {
			return nil, err
		}
		return &gpumarket.JobRefunded{ID: id, Client: gpumarket.Address(e.Client), Provider: gpumarket.Address(e.Provider),
			Token: gpumarket.Address(e.Token), Refund: e.Refund, Slashed: e.Slashed, RefundedBy: gpumarket.Address(e.RefundedBy)}, nil
	})
	add(mc, ma, "Withdrawn", func(l *types.Log) (gpumarket.Event, error) {
		e, err := m.UnpackWithdrawnEvent(l)
		if err != nil {
			return nil, err
		}
		return &gpumarket.Withdrawn{Account: gpumarket.Address(e.Account), Token: gpumarket.Address(e.Token), Amount: e.Amount}, nil
	})

	// Configuration events: MarketConfigEvent with the fields as text.
	add(mc, ma, "OrderNonceCancelled", func(l *types.Log) (gpumarket.Event, error) {
		e, err := m.UnpackOrderNonceCancelledEvent(l)
		if err != nil {
			return nil, err
		}
		return decConfig("OrderNonceCancelled", "client", decAddr(e.Client), "nonce", e.Nonce.String()), nil
	})
	add(mc, ma, "TokenAllowlistUpdated", func(l *types.Log) (gpumarket.Event, error) {
		e, err := m.UnpackTokenAllowlistUpdatedEvent(l)
		if err != nil {
			return nil, err
		}
		return decConfig("TokenAllowlistUpdated", "token", decAddr(e.Token), "allowed", strconv.FormatBool(e.Allowed)), nil
	})
	add(mc, ma, "ProtocolFeeUpdated", func(l *types.Log) (gpumarket.Event, error) {
		e, err := m.UnpackProtocolFeeUpdatedEvent(l)
		if err != nil {
			return nil, err
		}
		return decConfig("ProtocolFeeUpdated", "previousBps", strconv.Itoa(int(e.PreviousBps)), "newBps", strconv.Itoa(int(e.NewBps))), nil
	})
	add(mc, ma, "TreasuryUpdated", func(l *types.Log) (gpumarket.Event, error) {
		e, err := m.UnpackTreasuryUpdatedEvent(l)
		if err != nil {
			return nil, err
		}
		return decConfig("TreasuryUpdated", "previousTreasury", decAddr(e.PreviousTreasury), "newTreasury", decAddr(e.NewTreasury)), nil
	})
	add(mc, ma, "MarketPaused", func(l *types.Log) (gpumarket.Event, error) {
		e, err := m.UnpackMarketPausedEvent(l)
		if err != nil {
			return nil, err
		}
		return decConfig("MarketPaused", "account", decAddr(e.Account)), nil
	})
	add(mc, ma, "MarketUnpaused", func(l *types.Log) (gpumarket.Event, error) {
		e, err := m.UnpackMarketUnpausedEvent(l)
		if err != nil {
			return nil, err
		}
		return decConfig("MarketUnpaused", "account", decAddr(e.Account)), nil
	})
	add(mc, ma, "RoleGranted", func(l *types.Log) (gpumarket.Event, error) {
		e, err := m.UnpackRoleGrantedEvent(l)
		if err != nil {
			return nil, err
		}
		return decConfig("RoleGranted", "role", decHash(e.Role), "account", decAddr(e.Account), "sender", decAddr(e.Sender)), nil
	})
	add(mc, ma, "RoleRevoked", func(l *types.Log) (gpumarket.Event, error) {
		e, err := m.UnpackRoleRevokedEvent(l)
		if err != nil {
			return nil, err
		}
		return decConfig("RoleRevoked", "role", decHash(e.Role), "account", decAddr(e.Account), "sender", decAddr(e.Sender)), nil
	})
	add(mc, ma, "RoleAdminChanged", func(l *types.Log) (gpumarket.Event, error) {
		e, err := m.UnpackRoleAdminChangedEvent(l)
		if err != nil {
			return nil, err
		}
		return decConfig("RoleAdminChanged", "role", decHash(e.Role), "previousAdminRole", decHash(e.PreviousAdminRole), "newAdminRole", decHash(e.NewAdminRole)), nil
	})
	add(mc, ma, "EIP712DomainChanged", func(l *types.Log) (gpumarket.Event, error) {
		if _, err := m.UnpackEIP712DomainChangedEvent(l); err != nil {
			return nil, err
		}
		return decConfig("EIP712DomainChanged"), nil
	})

	// Registry events.
	registered := func(update bool, provider, signer common.Address, h [32]byte, expiry *big.Int, uri string) (gpumarket.Event, error) {
		exp, err := uint40(expiry)
		if err != nil {
			return nil, err
		}
		return &gpumarket.ProviderRegistered{Provider: gpumarket.Address(provider), Signer: gpumarket.Address(signer),
			AttestationHash: h, AttestationExpiry: exp, MetadataURI: gpumarket.ChainString(uri), Update: update}, nil
	}
	add(rc, ra, "ProviderRegistered", func(l *types.Log) (gpumarket.Event, error) {
		e, err := r.UnpackProviderRegisteredEvent(l)
		if err != nil {
			return nil, err
		}
		return registered(false, e.Provider, e.Signer, e.AttestationHash, e.AttestationExpiry, e.MetadataURI)
	})
	add(rc, ra, "ProviderUpdated", func(l *types.Log) (gpumarket.Event, error) {
		e, err := r.UnpackProviderUpdatedEvent(l)
		if err != nil {
			return nil, err
		}
		return registered(true, e.Provider, e.Signer, e.AttestationHash, e.AttestationExpiry, e.MetadataURI)
	})
	add(rc, ra, "ProviderActivated", func(l *types.Log) (gpumarket.Event, error) {
		e, err := r.UnpackProviderActivatedEvent(l)
		if err != nil {
			return nil, err
		}
		return &gpumarket.ProviderActivation{Provider: gpumarket.Address(e.Provider), Active: true}, nil
	})
	add(rc, ra, "ProviderDeactivated", func(l *types.Log) (gpumarket.Event, error) {
		e, err := r.UnpackProviderDeactivatedEvent(l)
		if err != nil {
			return nil, err
		}
		return &gpumarket.ProviderActivation{Provider: gpumarket.Address(e.Provider), Active: false}, nil
	})
	add(rc, ra, "Staked", func(l *types.Log) (gpumarket.Event, error) {
		e, err := r.UnpackStakedEvent(l)
		if err != nil {
			return nil, err
		}
		return &gpumarket.StakeChanged{Name: "Staked", Provider: gpumarket.Address(e.Provider), Amount: e.Amount, Stake: e.Stake}, nil
	})
	add(rc, ra, "UnstakeRequested", func(l *types.Log) (gpumarket.Event, error) {
		e, err := r.UnpackUnstakeRequestedEvent(l)
		if err != nil {
			return nil, err
		}
		ready, err := uint40(e.ReadyAt)
		if err != nil {
			return nil, err
		}
		return &gpumarket.StakeChanged{Name: "UnstakeRequested", Provider: gpumarket.Address(e.Provider), Amount: e.Amount,
			Stake: e.Stake, Unbonding: e.Unbonding, ReadyAt: ready}, nil
	})
	add(rc, ra, "StakeWithdrawn", func(l *types.Log) (gpumarket.Event, error) {
		e, err := r.UnpackStakeWithdrawnEvent(l)
		if err != nil {
			return nil, err
		}
		return &gpumarket.StakeChanged{Name: "StakeWithdrawn", Provider: gpumarket.Address(e.Provider), Amount: e.Amount}, nil
	})
	add(rc, ra, "ProviderSlashed", func(l *types.Log) (gpumarket.Event, error) {
		e, err := r.UnpackProviderSlashedEvent(l)
		if err != nil {
			return nil, err
		}
		id, err := decJobID(e.JobId)
		if err != nil {
			return nil, err
		}
		return &gpumarket.ProviderSlashed{Provider: gpumarket.Address(e.Provider), Beneficiary: gpumarket.Address(e.Beneficiary),
			Job: id, Requested: e.Requested, Slashed: e.Slashed, Stake: e.Stake, Unbonding: e.Unbonding}, nil
	})
	add(rc, ra, "CompensationWithdrawn", func(l *types.Log) (gpumarket.Event, error) {
		e, err := r.UnpackCompensationWithdrawnEvent(l)
		if err != nil {
			return nil, err
		}
		return &gpumarket.CompensationWithdrawn{Account: gpumarket.Address(e.Account), Amount: e.Amount}, nil
	})
	return d
}

// EventNames returns the names of the events d decodes, for tests and docs.
func (d *Decoder) EventNames() []string {
	out := make([]string, 0, len(d.byTopic))
	for _, e := range d.byTopic {
		out = append(out, e.name)
	}
	return out
}

// Decode returns the domain event of l. It returns (nil, nil) for a log
// without topics, with an unknown topic0, or from an address other than the
// contract that emits that event; and an EINVALID error naming the event
// for a known event that is not in its canonical encoding or holds a value
// out of range (including a job id above 2^64-1).
func (d *Decoder) Decode(l gpumarket.Log) (gpumarket.Event, error) {
	if len(l.Topics) == 0 {
		return nil, nil
	}
	ed, ok := d.byTopic[common.Hash(l.Topics[0])]
	if !ok || common.Address(l.Address) != ed.contract {
		return nil, nil
	}
	tl := &types.Log{Address: common.Address(l.Address), Data: l.Data, BlockNumber: l.BlockNumber,
		TxHash: common.Hash(l.TxHash), TxIndex: l.TxIndex, BlockHash: common.Hash(l.BlockHash), Index: l.Index}
	tl.Topics = make([]common.Hash, len(l.Topics))
	for i, t := range l.Topics {
		tl.Topics[i] = common.Hash(t)
	}
	if err := ed.canonical(tl); err != nil {
		return nil, decErr(ed.name, l, err)
	}
	ev, err := ed.decode(tl)
	if err != nil {
		return nil, decErr(ed.name, l, err)
	}
	return ev, nil
}

func decErr(name string, l gpumarket.Log, err error) error {
	return fmt.Errorf("decode %s (block %d, log %d): %w", name, l.BlockNumber, l.Index,
		gpumarket.Errorf(gpumarket.EINVALID, "%v", err))
}

// canonical checks the topic count, the padding of indexed addresses, and
// that the data is exactly the ABI encoding of what it decodes to.
func (ed decEvent) canonical(l *types.Log) error {
	var indexed int
	for _, a := range ed.args {
		if !a.Indexed {
			continue
		}
		indexed++
		if indexed < len(l.Topics) && a.Type.T == abi.AddressTy && !decIsZero(l.Topics[indexed][:12]) {
			return fmt.Errorf("topic %d (%s): address with non-zero padding", indexed, a.Name)
		}
	}
	if len(l.Topics) != indexed+1 {
		return fmt.Errorf("%d topics, want %d", len(l.Topics), indexed+1)
	}
	data := ed.args.NonIndexed()
	values, err := data.UnpackValues(l.Data)
	if err != nil {
		return fmt.Errorf("data: %w", err)
	}
	again, err := data.Pack(values...)
	if err != nil {
		return fmt.Errorf("data: re-encode: %w", err)
	}
	if !bytes.Equal(again, l.Data) {
		return fmt.Errorf("data is not in canonical ABI encoding (%d bytes, canonical %d)", len(l.Data), len(again))
	}
	return nil
}

func decIsZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}

func decJobID(v *big.Int) (gpumarket.JobID, error) {
	if v == nil || v.Sign() < 0 || !v.IsUint64() {
		return 0, gpumarket.Errorf(gpumarket.EINVALID, "job id %v does not fit in 64 bits", v)
	}
	return gpumarket.JobID(v.Uint64()), nil
}

func decPayout(p bindings.Payout) gpumarket.Payout {
	return gpumarket.Payout{Treasury: gpumarket.Address(p.Treasury), ProtocolFee: p.ProtocolFee,
		CreatorAmount: p.CreatorAmount, ProviderAmount: p.ProviderAmount, ClientRefund: p.ClientRefund}
}

func decConfig(name string, kv ...string) *gpumarket.MarketConfigEvent {
	f := make(map[string]string, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		f[kv[i]] = kv[i+1]
	}
	return &gpumarket.MarketConfigEvent{Name: name, Fields: f}
}

func decAddr(a common.Address) string { return gpumarket.Address(a).String() }
func decHash(h [32]byte) string       { return gpumarket.Hash(h).String() }
