// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IProviderRegistry} from "./interfaces/IProviderRegistry.sol";
import {IJobMarketplace} from "./interfaces/IJobMarketplace.sol";

/// @title ProviderRegistry
/// @notice Provider registration, attestation commitments, staking with unbonding, and slashing by the marketplace.
/// @dev Custody invariant: stakingToken.balanceOf(this) == sum(stake) + sum(unbonding) + sum(compensation).
/// Reservation invariant: reserved <= stake for every provider (stake and reserved share one storage slot, so a
/// reservation or release costs one SSTORE on a slot that is already non-zero).
contract ProviderRegistry is IProviderRegistry, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using SafeCast for uint256;

    // ---------------------------------------------------------------- storage

    /// @inheritdoc IProviderRegistry
    address public immutable override marketplace;
    /// @inheritdoc IProviderRegistry
    IERC20 public immutable override stakingToken;
    /// @inheritdoc IProviderRegistry
    uint256 public immutable override minStake;
    /// @inheritdoc IProviderRegistry
    uint256 public immutable override unbondingPeriod;

    mapping(address provider => Provider) private _providers;
    mapping(address account => uint256) private _compensation;

    // ---------------------------------------------------------------- constructor

    /// @param marketplace_ The marketplace (its address is computed before deployment); the only slasher.
    /// @param stakingToken_ Token providers stake (must transfer exact amounts).
    /// @param minStake_ Minimum active stake to be assigned (> 0).
    /// @param unbondingPeriod_ Seconds an unstake request waits (> 0; the marketplace requires it to outlast a job).
    constructor(address marketplace_, IERC20 stakingToken_, uint256 minStake_, uint256 unbondingPeriod_) {
        if (
            marketplace_ == address(0) || address(stakingToken_) == address(0) || minStake_ == 0
                || unbondingPeriod_ == 0 || minStake_ > type(uint128).max
        ) revert InvalidConfig();
        marketplace = marketplace_;
        stakingToken = stakingToken_;
        minStake = minStake_;
        unbondingPeriod = unbondingPeriod_;
    }

    // ---------------------------------------------------------------- provider functions

    /// @inheritdoc IProviderRegistry
    function register(address signer, bytes32 attestationHash, uint40 attestationExpiry, string calldata metadataURI)
        external
        override
    {
        Provider storage p = _providers[msg.sender];
        if (p.registered) revert AlreadyRegistered(msg.sender);
        _checkTerms(signer, attestationExpiry);
        p.signer = signer;
        p.attestationExpiry = attestationExpiry;
        p.active = true;
        p.registered = true;
        p.attestationHash = attestationHash;
        p.metadataURI = metadataURI;
        emit ProviderRegistered(msg.sender, signer, attestationHash, attestationExpiry, metadataURI);
        IJobMarketplace(marketplace).syncSigner(msg.sender, signer);
    }

    /// @inheritdoc IProviderRegistry
    function update(address signer, bytes32 attestationHash, uint40 attestationExpiry, string calldata metadataURI)
        external
        override
    {
        Provider storage p = _registered(msg.sender);
        _checkTerms(signer, attestationExpiry);
        p.signer = signer;
        p.attestationExpiry = attestationExpiry;
        p.attestationHash = attestationHash;
        p.metadataURI = metadataURI;
        emit ProviderUpdated(msg.sender, signer, attestationHash, attestationExpiry, metadataURI);
        IJobMarketplace(marketplace).syncSigner(msg.sender, signer);
    }

    /// @inheritdoc IProviderRegistry
    function setActive(bool active) external override {
        Provider storage p = _registered(msg.sender);
        if (p.active == active) revert StatusUnchanged(msg.sender, active);
        p.active = active;
        if (active) emit ProviderActivated(msg.sender);
        else emit ProviderDeactivated(msg.sender);
    }

    /// @inheritdoc IProviderRegistry
    function stake(uint256 amount) external override nonReentrant {
        Provider storage p = _registered(msg.sender);
        if (amount == 0) revert ZeroAmount();
        uint256 newStake = p.stake + amount;
        p.stake = newStake.toUint128();
        emit Staked(msg.sender, amount, newStake);
        uint256 before = stakingToken.balanceOf(address(this));
        stakingToken.safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = stakingToken.balanceOf(address(this)) - before;
        if (received != amount) revert TransferAmountMismatch(amount, received);
    }

    /// @inheritdoc IProviderRegistry
    function requestUnstake(uint256 amount) external override {
        Provider storage p = _providers[msg.sender];
        if (amount == 0) revert ZeroAmount();
        uint256 current = p.stake;
        // unchecked: reserved <= stake is an invariant of this contract.
        uint256 free;
        unchecked {
            free = current - p.reserved;
        }
        if (amount > free) revert AmountExceedsFreeStake(amount, free);
        // unchecked: amount <= free <= current (checked above), so the subtraction cannot underflow and fits in
        // uint128.
        uint128 newStake;
        unchecked {
            newStake = uint128(current - amount);
        }
        // Checked: stake + unbonding can exceed 2^128 for a token with a huge supply.
        uint128 newUnbonding = (uint256(p.unbonding) + amount).toUint128();
        uint40 readyAt = (block.timestamp + unbondingPeriod).toUint40();
        p.stake = newStake;
        p.unbonding = newUnbonding;
        p.unbondingReadyAt = readyAt;
        emit UnstakeRequested(msg.sender, amount, newStake, newUnbonding, readyAt);
    }

    /// @inheritdoc IProviderRegistry
    function withdrawStake() external override nonReentrant {
        Provider storage p = _providers[msg.sender];
        uint256 amount = p.unbonding;
        uint40 readyAt = p.unbondingReadyAt;
        if (amount == 0 || block.timestamp < readyAt) revert UnbondingNotReady(amount, readyAt, block.timestamp);
        p.unbonding = 0;
        p.unbondingReadyAt = 0;
        emit StakeWithdrawn(msg.sender, amount);
        stakingToken.safeTransfer(msg.sender, amount);
    }

    /// @inheritdoc IProviderRegistry
    function withdrawCompensation() external override nonReentrant {
        uint256 amount = _compensation[msg.sender];
        if (amount == 0) revert NothingToWithdraw(msg.sender);
        _compensation[msg.sender] = 0;
        emit CompensationWithdrawn(msg.sender, amount);
        stakingToken.safeTransfer(msg.sender, amount);
    }

    // ---------------------------------------------------------------- marketplace functions

    /// @inheritdoc IProviderRegistry
    function reserve(address provider, uint256 amount) external override returns (address signer) {
        if (msg.sender != marketplace) revert NotMarketplace(msg.sender);
        Provider storage p = _providers[provider];
        signer = _assignable(provider, p);
        uint256 current = p.stake;
        uint256 reserved = p.reserved;
        // unchecked: reserved <= stake (invariant), and reserved + amount <= stake < 2^128 once the check passed.
        unchecked {
            uint256 free = current - reserved;
            if (amount > free) revert InsufficientFreeStake(provider, free, amount);
            p.reserved = uint128(reserved + amount);
        }
    }

    /// @inheritdoc IProviderRegistry
    function release(address provider, uint256 amount) external override {
        if (msg.sender != marketplace) revert NotMarketplace(msg.sender);
        Provider storage p = _providers[provider];
        uint256 reserved = p.reserved;
        if (amount > reserved) revert ReleaseExceedsReserved(provider, amount, reserved);
        // unchecked: amount <= reserved (checked above).
        unchecked {
            p.reserved = uint128(reserved - amount);
        }
    }

    /// @inheritdoc IProviderRegistry
    function slash(address provider, uint256 reservation, uint256 amount, address beneficiary, uint256 jobId)
        external
        override
        returns (uint256 slashed)
    {
        if (msg.sender != marketplace) revert NotMarketplace(msg.sender);
        if (amount > reservation) revert SlashExceedsReservation(amount, reservation);
        Provider storage p = _providers[provider];
        uint256 reserved = p.reserved;
        if (reservation > reserved) revert ReleaseExceedsReserved(provider, reservation, reserved);
        uint256 fromStake = p.stake;
        uint256 fromUnbonding = p.unbonding;
        // unchecked: reservation <= reserved (checked above); every other subtraction takes at most what is there
        // (min), and the sum of two uint128 values fits in a uint256. reserved - reservation <= stake - fromStake
        // because amount <= reservation and reserved <= stake, so the reservation invariant survives.
        unchecked {
            reserved -= reservation;
            if (amount < fromStake) fromStake = amount;
            uint256 rest = amount - fromStake;
            if (rest < fromUnbonding) fromUnbonding = rest;
            slashed = fromStake + fromUnbonding;
            p.reserved = uint128(reserved);
            if (slashed == 0) return 0;
            p.stake = uint128(p.stake - fromStake);
            p.unbonding = uint128(p.unbonding - fromUnbonding);
        }
        _compensation[beneficiary] += slashed;
        emit ProviderSlashed(provider, beneficiary, jobId, amount, slashed, reservation, p.stake, reserved, p.unbonding);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IProviderRegistry
    function assignableSigner(address provider) external view override returns (address signer) {
        return _assignable(provider, _providers[provider]);
    }

    /// @inheritdoc IProviderRegistry
    function freeStakeOf(address provider) external view override returns (uint256) {
        Provider storage p = _providers[provider];
        return p.stake - p.reserved;
    }

    /// @inheritdoc IProviderRegistry
    function signerOf(address provider) external view override returns (address) {
        return _providers[provider].signer;
    }

    /// @inheritdoc IProviderRegistry
    function getProvider(address provider) external view override returns (Provider memory) {
        return _providers[provider];
    }

    /// @inheritdoc IProviderRegistry
    function compensationOf(address account) external view override returns (uint256) {
        return _compensation[account];
    }

    // ---------------------------------------------------------------- internal

    function _assignable(address provider, Provider storage p) private view returns (address) {
        if (!p.registered) revert NotRegistered(provider);
        if (!p.active) revert ProviderInactive(provider);
        uint40 expiry = p.attestationExpiry;
        if (expiry <= block.timestamp) revert AttestationExpired(provider, expiry);
        uint256 current = p.stake;
        if (current < minStake) revert InsufficientStake(provider, current, minStake);
        return p.signer;
    }

    function _registered(address provider) private view returns (Provider storage p) {
        p = _providers[provider];
        if (!p.registered) revert NotRegistered(provider);
    }

    function _checkTerms(address signer, uint40 attestationExpiry) private view {
        if (signer == address(0)) revert ZeroSigner();
        if (attestationExpiry <= block.timestamp) revert AttestationExpired(msg.sender, attestationExpiry);
    }
}
