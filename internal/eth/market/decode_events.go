package market

import (
	"math/big"
	"strconv"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/gpumarket/gpumarket"
)

// namedDecoder decodes one event, named as in the ABI.
type namedDecoder struct {
	name   string
	decode func(*Decoder, *types.Log) (gpumarket.Event, error)
}

// marketEvents lists the JobMarketplace events the decoder knows, each with its method.
var marketEvents = []namedDecoder{
	{"JobCreated", (*Decoder).decodeJobCreated},
	{"JobAccepted", (*Decoder).decodeJobAccepted},
	{"JobCancelled", (*Decoder).decodeJobCancelled},
	{"ResultSubmitted", (*Decoder).decodeResultSubmitted},
	{"JobSettled", (*Decoder).decodeJobSettled},
	{"JobDisputed", (*Decoder).decodeJobDisputed},
	{"JobDisputeResolved", (*Decoder).decodeJobDisputeResolved},
	{"JobRefunded", (*Decoder).decodeJobRefunded},
	{"Withdrawn", (*Decoder).decodeWithdrawn},
	{"OrderNonceCancelled", (*Decoder).decodeOrderNonceCancelled},
	{"TokenAllowlistUpdated", (*Decoder).decodeTokenAllowlistUpdated},
	{"ProtocolFeeUpdated", (*Decoder).decodeProtocolFeeUpdated},
	{"TreasuryUpdated", (*Decoder).decodeTreasuryUpdated},
	{"DisputeBondFloorUpdated", (*Decoder).decodeDisputeBondFloorUpdated},
	{"MarketPaused", (*Decoder).decodeMarketPaused},
	{"MarketUnpaused", (*Decoder).decodeMarketUnpaused},
	{"RoleGranted", (*Decoder).decodeRoleGranted},
	{"RoleRevoked", (*Decoder).decodeRoleRevoked},
	{"RoleAdminChanged", (*Decoder).decodeRoleAdminChanged},
	{"EIP712DomainChanged", (*Decoder).decodeEIP712DomainChanged},
	{"DefaultAdminTransferScheduled", (*Decoder).decodeDefaultAdminTransferScheduled},
	{"DefaultAdminTransferCanceled", (*Decoder).decodeDefaultAdminTransferCanceled},
	{"DefaultAdminDelayChangeScheduled", (*Decoder).decodeDefaultAdminDelayChangeScheduled},
	{"DefaultAdminDelayChangeCanceled", (*Decoder).decodeDefaultAdminDelayChangeCanceled},
}

// registryEvents lists the ProviderRegistry events the decoder knows, each with its method.
var registryEvents = []namedDecoder{
	{"ProviderRegistered", (*Decoder).decodeProviderRegistered},
	{"ProviderUpdated", (*Decoder).decodeProviderUpdated},
	{"ProviderActivated", (*Decoder).decodeProviderActivated},
	{"ProviderDeactivated", (*Decoder).decodeProviderDeactivated},
	{"Staked", (*Decoder).decodeStaked},
	{"UnstakeRequested", (*Decoder).decodeUnstakeRequested},
	{"StakeWithdrawn", (*Decoder).decodeStakeWithdrawn},
	{"ProviderSlashed", (*Decoder).decodeProviderSlashed},
	{"CompensationWithdrawn", (*Decoder).decodeCompensationWithdrawn},
}

func (d *Decoder) decodeJobCreated(l *types.Log) (gpumarket.Event, error) {
	e, err := unpack(d, l, wordsJobCreated, d.mkt.UnpackJobCreatedEvent)
	if err != nil {
		return nil, err
	}
	id, err := jobIDOf(e.JobId)
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
}

func (d *Decoder) decodeJobAccepted(l *types.Log) (gpumarket.Event, error) {
	e, err := unpack(d, l, wordsJobAccepted, d.mkt.UnpackJobAcceptedEvent)
	if err != nil {
		return nil, err
	}
	id, err := jobIDOf(e.JobId)
	if err != nil {
		return nil, err
	}
	if err := checkUint128("price", e.Price); err != nil {
		return nil, err
	}
	if err := checkUint128("reservedStake", e.ReservedStake); err != nil {
		return nil, err
	}
	return &gpumarket.JobAccepted{ID: id, Client: gpumarket.Address(e.Client), Provider: gpumarket.Address(e.Provider),
		Price: e.Price, ReservedStake: e.ReservedStake, Signer: gpumarket.Address(e.Signer), Matcher: gpumarket.Address(e.Matcher)}, nil
}

func (d *Decoder) decodeJobCancelled(l *types.Log) (gpumarket.Event, error) {
	e, err := unpack(d, l, wordsJobCancelled, d.mkt.UnpackJobCancelledEvent)
	if err != nil {
		return nil, err
	}
	id, err := jobIDOf(e.JobId)
	if err != nil {
		return nil, err
	}
	return &gpumarket.JobCancelled{ID: id, Client: gpumarket.Address(e.Client), Token: gpumarket.Address(e.Token), Refund: e.Refund}, nil
}

func (d *Decoder) decodeResultSubmitted(l *types.Log) (gpumarket.Event, error) {
	e, err := unpack(d, l, wordsResultSubmitted, d.mkt.UnpackResultSubmittedEvent)
	if err != nil {
		return nil, err
	}
	id, err := jobIDOf(e.JobId)
	if err != nil {
		return nil, err
	}
	if err := checkUint128("amount due", e.AmountDue); err != nil {
		return nil, err
	}
	end, err := uint40(e.ChallengeEnd)
	if err != nil {
		return nil, err
	}
	return &gpumarket.ResultSubmitted{ID: id, Client: gpumarket.Address(e.Client), Provider: gpumarket.Address(e.Provider),
		ResultHash: e.ResultHash, ResultURI: gpumarket.ChainString(e.ResultURI), Usage: gpumarket.Usage{Units1: e.Usage.Units, Units2: e.Usage.ExtraUnits},
		AmountDue: e.AmountDue, ChallengeEnd: end}, nil
}

func (d *Decoder) decodeJobSettled(l *types.Log) (gpumarket.Event, error) {
	e, err := unpack(d, l, wordsJobSettled, d.mkt.UnpackJobSettledEvent)
	if err != nil {
		return nil, err
	}
	id, err := jobIDOf(e.JobId)
	if err != nil {
		return nil, err
	}
	return &gpumarket.JobSettled{ID: id, Client: gpumarket.Address(e.Client), Provider: gpumarket.Address(e.Provider),
		Token: gpumarket.Address(e.Token), Payout: payoutOf(e.Payout), SettledBy: gpumarket.Address(e.SettledBy)}, nil
}

func (d *Decoder) decodeJobDisputed(l *types.Log) (gpumarket.Event, error) {
	e, err := unpack(d, l, wordsJobDisputed, d.mkt.UnpackJobDisputedEvent)
	if err != nil {
		return nil, err
	}
	id, err := jobIDOf(e.JobId)
	if err != nil {
		return nil, err
	}
	at, err := uint40(e.DisputedAt)
	if err != nil {
		return nil, err
	}
	if err := checkUint128("disputeBond", e.DisputeBond); err != nil {
		return nil, err
	}
	return &gpumarket.JobDisputed{ID: id, Client: gpumarket.Address(e.Client), Provider: gpumarket.Address(e.Provider),
		ReasonHash: e.ReasonHash, DisputedAt: at, DisputeBond: e.DisputeBond}, nil
}

func (d *Decoder) decodeJobDisputeResolved(l *types.Log) (gpumarket.Event, error) {
	e, err := unpack(d, l, wordsJobDisputeResolved, d.mkt.UnpackJobDisputeResolvedEvent)
	if err != nil {
		return nil, err
	}
	id, err := jobIDOf(e.JobId)
	if err != nil {
		return nil, err
	}
	return &gpumarket.JobDisputeResolved{ID: id, Client: gpumarket.Address(e.Client), Provider: gpumarket.Address(e.Provider),
		Token: gpumarket.Address(e.Token), Payout: payoutOf(e.Payout), ProviderPaid: e.ProviderPaid,
		// v2 slashes exactly what the arbiter asks (bounded by the job's
		// reservation), so the event carries one amount for both.
		SlashRequested: e.Slashed, Slashed: e.Slashed, BondToProvider: e.BondToProvider,
		Arbiter: gpumarket.Address(e.Arbiter), TimedOut: e.TimedOut}, nil
}

func (d *Decoder) decodeJobRefunded(l *types.Log) (gpumarket.Event, error) {
	e, err := unpack(d, l, wordsJobRefunded, d.mkt.UnpackJobRefundedEvent)
	if err != nil {
		return nil, err
	}
	id, err := jobIDOf(e.JobId)
	if err != nil {
		return nil, err
	}
	return &gpumarket.JobRefunded{ID: id, Client: gpumarket.Address(e.Client), Provider: gpumarket.Address(e.Provider),
		Token: gpumarket.Address(e.Token), Refund: e.Refund, Slashed: e.Slashed, RefundedBy: gpumarket.Address(e.RefundedBy)}, nil
}

func (d *Decoder) decodeWithdrawn(l *types.Log) (gpumarket.Event, error) {
	e, err := d.mkt.UnpackWithdrawnEvent(l)
	if err != nil {
		return nil, err
	}
	return &gpumarket.Withdrawn{Account: gpumarket.Address(e.Account), Token: gpumarket.Address(e.Token), Amount: e.Amount}, nil
}

func (d *Decoder) decodeOrderNonceCancelled(l *types.Log) (gpumarket.Event, error) {
	e, err := d.mkt.UnpackOrderNonceCancelledEvent(l)
	if err != nil {
		return nil, err
	}
	return configEvent("OrderNonceCancelled", "client", addressText(e.Client), "nonce", e.Nonce.String()), nil
}

func (d *Decoder) decodeTokenAllowlistUpdated(l *types.Log) (gpumarket.Event, error) {
	e, err := d.mkt.UnpackTokenAllowlistUpdatedEvent(l)
	if err != nil {
		return nil, err
	}
	return configEvent("TokenAllowlistUpdated", "token", addressText(e.Token), "allowed", strconv.FormatBool(e.Allowed)), nil
}

func (d *Decoder) decodeProtocolFeeUpdated(l *types.Log) (gpumarket.Event, error) {
	e, err := d.mkt.UnpackProtocolFeeUpdatedEvent(l)
	if err != nil {
		return nil, err
	}
	return configEvent("ProtocolFeeUpdated", "previousBps", strconv.Itoa(int(e.PreviousBps)), "newBps", strconv.Itoa(int(e.NewBps))), nil
}

func (d *Decoder) decodeTreasuryUpdated(l *types.Log) (gpumarket.Event, error) {
	e, err := d.mkt.UnpackTreasuryUpdatedEvent(l)
	if err != nil {
		return nil, err
	}
	return configEvent("TreasuryUpdated", "previousTreasury", addressText(e.PreviousTreasury), "newTreasury", addressText(e.NewTreasury)), nil
}

func (d *Decoder) decodeDisputeBondFloorUpdated(l *types.Log) (gpumarket.Event, error) {
	e, err := d.mkt.UnpackDisputeBondFloorUpdatedEvent(l)
	if err != nil {
		return nil, err
	}
	return configEvent("DisputeBondFloorUpdated", "token", addressText(e.Token), "previousFloor", e.PreviousFloor.String(),
		"newFloor", e.NewFloor.String()), nil
}

func (d *Decoder) decodeDefaultAdminTransferScheduled(l *types.Log) (gpumarket.Event, error) {
	e, err := d.mkt.UnpackDefaultAdminTransferScheduledEvent(l)
	if err != nil {
		return nil, err
	}
	return configEvent("DefaultAdminTransferScheduled", "newAdmin", addressText(e.NewAdmin), "acceptSchedule", e.AcceptSchedule.String()), nil
}

func (d *Decoder) decodeDefaultAdminTransferCanceled(l *types.Log) (gpumarket.Event, error) {
	if _, err := d.mkt.UnpackDefaultAdminTransferCanceledEvent(l); err != nil {
		return nil, err
	}
	return configEvent("DefaultAdminTransferCanceled"), nil
}

func (d *Decoder) decodeDefaultAdminDelayChangeScheduled(l *types.Log) (gpumarket.Event, error) {
	e, err := d.mkt.UnpackDefaultAdminDelayChangeScheduledEvent(l)
	if err != nil {
		return nil, err
	}
	return configEvent("DefaultAdminDelayChangeScheduled", "newDelay", e.NewDelay.String(), "effectSchedule", e.EffectSchedule.String()), nil
}

func (d *Decoder) decodeDefaultAdminDelayChangeCanceled(l *types.Log) (gpumarket.Event, error) {
	if _, err := d.mkt.UnpackDefaultAdminDelayChangeCanceledEvent(l); err != nil {
		return nil, err
	}
	return configEvent("DefaultAdminDelayChangeCanceled"), nil
}

func (d *Decoder) decodeMarketPaused(l *types.Log) (gpumarket.Event, error) {
	e, err := d.mkt.UnpackMarketPausedEvent(l)
	if err != nil {
		return nil, err
	}
	return configEvent("MarketPaused", "account", addressText(e.Account)), nil
}

func (d *Decoder) decodeMarketUnpaused(l *types.Log) (gpumarket.Event, error) {
	e, err := d.mkt.UnpackMarketUnpausedEvent(l)
	if err != nil {
		return nil, err
	}
	return configEvent("MarketUnpaused", "account", addressText(e.Account)), nil
}

func (d *Decoder) decodeRoleGranted(l *types.Log) (gpumarket.Event, error) {
	e, err := d.mkt.UnpackRoleGrantedEvent(l)
	if err != nil {
		return nil, err
	}
	return configEvent("RoleGranted", "role", hashText(e.Role), "account", addressText(e.Account), "sender", addressText(e.Sender)), nil
}

func (d *Decoder) decodeRoleRevoked(l *types.Log) (gpumarket.Event, error) {
	e, err := d.mkt.UnpackRoleRevokedEvent(l)
	if err != nil {
		return nil, err
	}
	return configEvent("RoleRevoked", "role", hashText(e.Role), "account", addressText(e.Account), "sender", addressText(e.Sender)), nil
}

func (d *Decoder) decodeRoleAdminChanged(l *types.Log) (gpumarket.Event, error) {
	e, err := d.mkt.UnpackRoleAdminChangedEvent(l)
	if err != nil {
		return nil, err
	}
	return configEvent("RoleAdminChanged", "role", hashText(e.Role), "previousAdminRole", hashText(e.PreviousAdminRole), "newAdminRole", hashText(e.NewAdminRole)), nil
}

func (d *Decoder) decodeEIP712DomainChanged(l *types.Log) (gpumarket.Event, error) {
	if _, err := d.mkt.UnpackEIP712DomainChangedEvent(l); err != nil {
		return nil, err
	}
	return configEvent("EIP712DomainChanged"), nil
}

func (d *Decoder) decodeProviderRegistered(l *types.Log) (gpumarket.Event, error) {
	e, err := d.reg.UnpackProviderRegisteredEvent(l)
	if err != nil {
		return nil, err
	}
	return registeredEvent(false, e.Provider, e.Signer, e.AttestationHash, e.AttestationExpiry, e.MetadataURI)
}

func (d *Decoder) decodeProviderUpdated(l *types.Log) (gpumarket.Event, error) {
	e, err := d.reg.UnpackProviderUpdatedEvent(l)
	if err != nil {
		return nil, err
	}
	return registeredEvent(true, e.Provider, e.Signer, e.AttestationHash, e.AttestationExpiry, e.MetadataURI)
}

func (d *Decoder) decodeProviderActivated(l *types.Log) (gpumarket.Event, error) {
	e, err := d.reg.UnpackProviderActivatedEvent(l)
	if err != nil {
		return nil, err
	}
	return &gpumarket.ProviderActivation{Provider: gpumarket.Address(e.Provider), Active: true}, nil
}

func (d *Decoder) decodeProviderDeactivated(l *types.Log) (gpumarket.Event, error) {
	e, err := d.reg.UnpackProviderDeactivatedEvent(l)
	if err != nil {
		return nil, err
	}
	return &gpumarket.ProviderActivation{Provider: gpumarket.Address(e.Provider), Active: false}, nil
}

func (d *Decoder) decodeStaked(l *types.Log) (gpumarket.Event, error) {
	e, err := d.reg.UnpackStakedEvent(l)
	if err != nil {
		return nil, err
	}
	return &gpumarket.StakeChanged{Name: "Staked", Provider: gpumarket.Address(e.Provider), Amount: e.Amount, Stake: e.Stake}, nil
}

func (d *Decoder) decodeUnstakeRequested(l *types.Log) (gpumarket.Event, error) {
	e, err := d.reg.UnpackUnstakeRequestedEvent(l)
	if err != nil {
		return nil, err
	}
	ready, err := uint40(e.ReadyAt)
	if err != nil {
		return nil, err
	}
	return &gpumarket.StakeChanged{Name: "UnstakeRequested", Provider: gpumarket.Address(e.Provider), Amount: e.Amount,
		Stake: e.Stake, Unbonding: e.Unbonding, ReadyAt: ready}, nil
}

func (d *Decoder) decodeStakeWithdrawn(l *types.Log) (gpumarket.Event, error) {
	e, err := d.reg.UnpackStakeWithdrawnEvent(l)
	if err != nil {
		return nil, err
	}
	return &gpumarket.StakeChanged{Name: "StakeWithdrawn", Provider: gpumarket.Address(e.Provider), Amount: e.Amount}, nil
}

func (d *Decoder) decodeProviderSlashed(l *types.Log) (gpumarket.Event, error) {
	e, err := d.reg.UnpackProviderSlashedEvent(l)
	if err != nil {
		return nil, err
	}
	id, err := jobIDOf(e.JobId)
	if err != nil {
		return nil, err
	}
	return &gpumarket.ProviderSlashed{Provider: gpumarket.Address(e.Provider), Beneficiary: gpumarket.Address(e.Beneficiary),
		Job: id, Requested: e.Requested, Slashed: e.Slashed, Released: e.Released, Stake: e.Stake, Reserved: e.Reserved,
		Unbonding: e.Unbonding}, nil
}

func (d *Decoder) decodeCompensationWithdrawn(l *types.Log) (gpumarket.Event, error) {
	e, err := d.reg.UnpackCompensationWithdrawnEvent(l)
	if err != nil {
		return nil, err
	}
	return &gpumarket.CompensationWithdrawn{Account: gpumarket.Address(e.Account), Amount: e.Amount}, nil
}

// registeredEvent is ProviderRegistered or (update) ProviderUpdated.
func registeredEvent(update bool, provider, signer common.Address, h [32]byte, expiry *big.Int, uri string) (gpumarket.Event, error) {
	exp, err := uint40(expiry)
	if err != nil {
		return nil, err
	}
	return &gpumarket.ProviderRegistered{Provider: gpumarket.Address(provider), Signer: gpumarket.Address(signer),
		AttestationHash: h, AttestationExpiry: exp, MetadataURI: gpumarket.ChainString(uri), Update: update}, nil
}
