// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title IProviderRegistry
/// @notice Registry of GPU providers: each provider (its operator address) registers a signer (the relayer's hot
/// key that accepts jobs and submits results), a commitment to its off-chain attestation (hash of the signed
/// hardware report, with an expiry) and a metadata URI, and stakes the staking token. The registry holds the
/// stake; only the marketplace fixed at deployment can slash it. Slashed tokens are credited to the beneficiary
/// (the wronged client) as a pull balance in this registry.
///
/// Reservations: when a provider accepts a job the marketplace reserves that job's slashable amount out of the
/// provider's free (unreserved) active stake (`reserve`), and releases it when the job ends (`release`, or `slash`,
/// which releases the job's reservation and slashes at most that reservation). Reserved stake cannot be unstaked,
/// and one job's slash can never take stake reserved for another, so every accepted job is backed by its own
/// reservation whatever the provider does with its other jobs. Invariant: reserved <= stake for every provider.
/// Reservations change without registry events: the marketplace's JobAccepted carries the job's reservation and
/// every terminal job event releases it (ProviderSlashed also carries the reserved stake after the slash).
/// @dev Custody: this contract's staking-token balance always equals the sum of all stakes, all unbonding amounts
/// and all unclaimed compensation. Configuration is immutable; the registry has no admin.
interface IProviderRegistry {
    /// @notice A provider's record.
    /// @param signer Hot key allowed to act for the provider in the marketplace.
    /// @param attestationExpiry Unix time after which the attestation is no longer valid.
    /// @param active Whether the provider accepts new jobs.
    /// @param registered Whether the operator ever registered.
    /// @param attestationHash keccak256 of the signed off-chain hardware report.
    /// @param stake Active stake (counts towards the minimum), reserved part included.
    /// @param reserved Part of `stake` reserved for accepted, unfinished jobs (<= stake); cannot be unstaked.
    /// @param unbonding Stake requested for withdrawal; still slashable until withdrawn.
    /// @param unbondingReadyAt When `unbonding` can be withdrawn.
    /// @param metadataURI Off-chain metadata (endpoints, GPU models, prices).
    struct Provider {
        address signer;
        uint40 attestationExpiry;
        bool active;
        bool registered;
        bytes32 attestationHash;
        uint128 stake;
        uint128 reserved;
        uint128 unbonding;
        uint40 unbondingReadyAt;
        string metadataURI;
    }

    // ---------------------------------------------------------------- events

    /// @notice A provider registered (and became active).
    event ProviderRegistered(
        address indexed provider,
        address indexed signer,
        bytes32 attestationHash,
        uint40 attestationExpiry,
        string metadataURI
    );

    /// @notice A provider replaced its signer, attestation and metadata.
    event ProviderUpdated(
        address indexed provider,
        address indexed signer,
        bytes32 attestationHash,
        uint40 attestationExpiry,
        string metadataURI
    );

    /// @notice A provider started accepting jobs again.
    event ProviderActivated(address indexed provider);

    /// @notice A provider stopped accepting new jobs (accepted jobs are unaffected).
    event ProviderDeactivated(address indexed provider);

    /// @notice `amount` was added to the provider's active stake, which is now `stake`.
    event Staked(address indexed provider, uint256 amount, uint256 stake);

    /// @notice `amount` moved from active stake to unbonding; all of `unbonding` is withdrawable at `readyAt`.
    event UnstakeRequested(address indexed provider, uint256 amount, uint256 stake, uint256 unbonding, uint40 readyAt);

    /// @notice The provider withdrew `amount` of unbonded stake.
    event StakeWithdrawn(address indexed provider, uint256 amount);

    /// @notice The marketplace ended job `jobId`'s reservation `released` and slashed `slashed` (of `requested`
    /// <= released, taken from active stake first, then unbonding) from `provider`, credited to `beneficiary`.
    /// `stake`, `reserved` and `unbonding` are the values after the slash.
    event ProviderSlashed(
        address indexed provider,
        address indexed beneficiary,
        uint256 indexed jobId,
        uint256 requested,
        uint256 slashed,
        uint256 released,
        uint256 stake,
        uint256 reserved,
        uint256 unbonding
    );

    /// @notice `account` withdrew `amount` of slashing compensation.
    event CompensationWithdrawn(address indexed account, uint256 amount);

    // ---------------------------------------------------------------- errors

    /// @notice The caller is not the marketplace.
    error NotMarketplace(address caller);
    /// @notice The operator is already registered.
    error AlreadyRegistered(address provider);
    /// @notice The operator is not registered.
    error NotRegistered(address provider);
    /// @notice The signer is the zero address.
    error ZeroSigner();
    /// @notice The attestation expiry is not in the future.
    error AttestationExpired(address provider, uint40 expiry);
    /// @notice The provider is inactive.
    error ProviderInactive(address provider);
    /// @notice The provider's active stake is below the minimum.
    error InsufficientStake(address provider, uint256 stake, uint256 minStake);
    /// @notice The amount is zero.
    error ZeroAmount();
    /// @notice The amount exceeds the free (unreserved) active stake.
    error AmountExceedsFreeStake(uint256 amount, uint256 freeStake);
    /// @notice The provider's free (unreserved) active stake is below the job's reservation.
    error InsufficientFreeStake(address provider, uint256 freeStake, uint256 reservation);
    /// @notice Releasing more than the provider has reserved (cannot happen through the marketplace).
    error ReleaseExceedsReserved(address provider, uint256 amount, uint256 reserved);
    /// @notice A slash above the reservation it releases (cannot happen through the marketplace).
    error SlashExceedsReservation(uint256 amount, uint256 reservation);
    /// @notice Nothing is unbonding, or it is not ready yet.
    error UnbondingNotReady(uint256 unbonding, uint40 readyAt, uint256 nowTime);
    /// @notice The staking token delivered a different amount than requested (fee-on-transfer is not supported).
    error TransferAmountMismatch(uint256 expected, uint256 received);
    /// @notice The provider is already in the requested active/inactive status.
    error StatusUnchanged(address provider, bool active);
    /// @notice Nothing to withdraw.
    error NothingToWithdraw(address account);
    /// @notice A constructor argument is invalid.
    error InvalidConfig();

    // ---------------------------------------------------------------- provider functions

    /// @notice Registers the caller as a provider (active immediately).
    /// @param signer Hot key that will accept jobs and submit results.
    /// @param attestationHash keccak256 of the signed hardware report.
    /// @param attestationExpiry Unix time the attestation expires; must be in the future.
    /// @param metadataURI Off-chain metadata.
    /// @dev Reverts AlreadyRegistered, ZeroSigner, AttestationExpired.
    function register(address signer, bytes32 attestationHash, uint40 attestationExpiry, string calldata metadataURI)
        external;

    /// @notice Replaces the caller's signer, attestation and metadata.
    /// @dev Reverts NotRegistered, ZeroSigner, AttestationExpired.
    function update(address signer, bytes32 attestationHash, uint40 attestationExpiry, string calldata metadataURI)
        external;

    /// @notice Marks the caller active (true) or inactive (false). Inactive providers cannot accept jobs.
    /// @dev Reverts NotRegistered, StatusUnchanged.
    function setActive(bool active) external;

    /// @notice Adds `amount` of the staking token to the caller's stake (needs an approval).
    /// @dev Reverts NotRegistered, ZeroAmount, TransferAmountMismatch.
    function stake(uint256 amount) external;

    /// @notice Moves `amount` of free (unreserved) active stake to unbonding and restarts the unbonding clock for
    /// all of it.
    /// @dev Reverts ZeroAmount, AmountExceedsFreeStake.
    function requestUnstake(uint256 amount) external;

    /// @notice Withdraws all unbonded stake once the unbonding period has passed.
    /// @dev Reverts UnbondingNotReady.
    function withdrawStake() external;

    /// @notice Withdraws the caller's slashing compensation.
    /// @dev Reverts NothingToWithdraw.
    function withdrawCompensation() external;

    // ---------------------------------------------------------------- marketplace functions

    /// @notice Reserves `amount` of the provider's free active stake for a job it accepts, after checking it can be
    /// assigned now (see assignableSigner). Only the marketplace.
    /// @return signer The provider's signer (the marketplace checks it is the caller of the acceptance).
    /// @dev Reverts NotMarketplace, NotRegistered, ProviderInactive, AttestationExpired, InsufficientStake,
    /// InsufficientFreeStake.
    function reserve(address provider, uint256 amount) external returns (address signer);

    /// @notice Releases `amount` of the provider's reserved stake (a job ended without a slash). Only the
    /// marketplace.
    /// @dev Reverts NotMarketplace, ReleaseExceedsReserved.
    function release(address provider, uint256 amount) external;

    /// @notice Releases a job's reservation `reservation` and slashes `amount` (<= reservation) from `provider`
    /// (active stake first, then unbonding), credited to `beneficiary`. Only the marketplace. Because reserved <=
    /// stake always holds, the whole `amount` is slashed; the cap by stake + unbonding is kept as a safety net.
    /// @param jobId Job the fault happened on (for the event).
    /// @return slashed The amount actually slashed.
    /// @dev Reverts NotMarketplace, SlashExceedsReservation, ReleaseExceedsReserved.
    function slash(address provider, uint256 reservation, uint256 amount, address beneficiary, uint256 jobId)
        external
        returns (uint256 slashed);

    // ---------------------------------------------------------------- views

    /// @notice The provider's signer if it can be assigned a job now: registered, active, attestation unexpired,
    /// active stake >= the minimum.
    /// @dev Reverts NotRegistered, ProviderInactive, AttestationExpired, InsufficientStake.
    function assignableSigner(address provider) external view returns (address signer);

    /// @notice Active stake not reserved for any job (stake - reserved): what a new job can reserve and what can be
    /// unstaked.
    function freeStakeOf(address provider) external view returns (uint256);

    /// @notice The provider's current signer (zero when unregistered).
    function signerOf(address provider) external view returns (address);

    /// @notice The provider's full record.
    function getProvider(address provider) external view returns (Provider memory);

    /// @notice Unclaimed slashing compensation of `account`.
    function compensationOf(address account) external view returns (uint256);

    /// @notice The only address allowed to slash.
    function marketplace() external view returns (address);

    /// @notice Token providers stake.
    function stakingToken() external view returns (IERC20);

    /// @notice Minimum active stake to be assigned.
    function minStake() external view returns (uint256);

    /// @notice Seconds between an unstake request and the withdrawal.
    function unbondingPeriod() external view returns (uint256);
}
