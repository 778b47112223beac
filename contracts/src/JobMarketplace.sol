// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {
    AccessControlDefaultAdminRules
} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {IJobMarketplace} from "./interfaces/IJobMarketplace.sol";
import {IProviderRegistry} from "./interfaces/IProviderRegistry.sol";
import {FeeMath} from "./libraries/FeeMath.sol";
import {
    Job,
    JobParams,
    JobState,
    Usage,
    Assignment,
    OrderAuth,
    PermitData,
    Payout,
    MarketConfig
} from "./types/JobTypes.sol";

/// @title JobMarketplace
/// @notice Jobs, escrow and settlement of the GPU compute market. See IJobMarketplace for the model.
/// @dev One storage slot per job (the hash of its state). Custody invariant, per token:
/// token.balanceOf(this) == sum(maxPayment of Open/Assigned/Submitted/Disputed jobs)
///                        + sum(disputeBond of Disputed jobs) + sum(pull balances).
contract JobMarketplace is IJobMarketplace, AccessControlDefaultAdminRules, ReentrancyGuardTransient, EIP712 {
    using SafeERC20 for IERC20;

    // ---------------------------------------------------------------- constants

    /// @notice Signs assignments (off-chain).
    bytes32 public constant MATCHER_ROLE = keccak256("MATCHER_ROLE");
    /// @notice Resolves disputes.
    bytes32 public constant ARBITER_ROLE = keccak256("ARBITER_ROLE");
    /// @notice Pauses and unpauses new jobs and acceptances.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice Sets the protocol fee and the treasury.
    bytes32 public constant FEE_MANAGER_ROLE = keccak256("FEE_MANAGER_ROLE");

    /// @notice EIP-712 type of a client's signed job order.
    bytes32 public constant JOB_ORDER_TYPEHASH = keccak256(
        "JobOrder(uint8 kind,address token,uint128 maxPayment,uint40 deadline,address preferredProvider,"
        "address creator,uint16 creatorShareBps,bytes32 specHash,string specURI,address client,uint256 nonce,"
        "uint64 expiry)"
    );
    /// @notice EIP-712 type of a matcher's signed assignment.
    bytes32 public constant ASSIGNMENT_TYPEHASH =
        keccak256("Assignment(uint256 jobId,bytes32 jobHash,address provider,uint128 price,uint64 expiry)");

    /// @dev `orderNonce` in JobCreated for jobs created from the client's own transaction.
    uint256 private constant NO_ORDER = type(uint256).max;

    /// @dev abi.encode(Job) length: 18 static members of one word each.
    uint256 private constant JOB_SIZE = 18 * 32;

    // ---------------------------------------------------------------- immutables

    IProviderRegistry private immutable _registry;
    address private immutable _stakingToken;
    uint16 private immutable _maxProtocolFeeBps;
    uint16 private immutable _maxCreatorShareBps;
    uint256 private immutable _challengeWindow;
    uint256 private immutable _disputeTimeout;
    uint256 private immutable _maxJobDuration;
    uint16 private immutable _reservationBps;
    uint128 private immutable _reservationFloor;
    uint128 private immutable _reservationCap;
    uint16 private immutable _disputeBondBps;

    // ---------------------------------------------------------------- storage

    /// @dev One slot per token, read by every creation.
    struct TokenConfig {
        bool allowed;
        uint128 disputeBondFloor;
    }

    // One slot, read by every creation: treasury, fee, pause flag and the job counter.
    address private _treasury;
    uint16 private _protocolFeeBps;
    bool private _paused;
    uint64 private _nextJobId;

    mapping(uint256 jobId => bytes32) private _jobHashes;
    /// @dev The registry's signer of each provider, pushed by the registry on every change (saves submitResult a
    /// call to the registry).
    mapping(address provider => address) private _signers;
    mapping(address token => TokenConfig) private _tokens;
    mapping(address token => mapping(address account => uint256)) private _balances;
    mapping(address client => mapping(uint256 word => uint256)) private _nonceBitmap;

    // ---------------------------------------------------------------- constructor

    /// @param admin Receives DEFAULT_ADMIN_ROLE (grants the other roles, manages the allowlist and bond floors);
    /// the role moves only by a two-step transfer that waits `config.adminDelay` (AccessControlDefaultAdminRules).
    /// @param registry_ The provider registry; must name this contract as its marketplace and have an unbonding
    /// period of at least maxJobDuration + challengeWindow + disputeTimeout, and a minimum stake of at least the
    /// reservation floor.
    /// @param config Fees, windows, reservation and bond rules (see MarketConfig).
    constructor(address admin, IProviderRegistry registry_, MarketConfig memory config)
        AccessControlDefaultAdminRules(config.adminDelay, admin)
        EIP712("GpuMarket", "1")
    {
        if (admin == address(0) || config.treasury == address(0)) revert ZeroAddress();
        if (config.protocolFeeBps > config.maxProtocolFeeBps) {
            revert FeeTooHigh(config.protocolFeeBps, config.maxProtocolFeeBps);
        }
        uint256 jobSpan = config.maxJobDuration + config.challengeWindow + config.disputeTimeout;
        if (
            uint256(config.maxProtocolFeeBps) + config.maxCreatorShareBps > FeeMath.BPS || config.challengeWindow == 0
                || config.disputeTimeout == 0 || config.maxJobDuration == 0 || jobSpan > type(uint32).max
                || config.reservationBps > FeeMath.BPS || config.disputeBondBps > FeeMath.BPS
                || config.reservationFloor > config.reservationCap || registry_.marketplace() != address(this)
                || registry_.unbondingPeriod() < jobSpan || registry_.minStake() < config.reservationFloor
        ) revert InvalidConfig();
        _registry = registry_;
        _stakingToken = address(registry_.stakingToken());
        _maxProtocolFeeBps = config.maxProtocolFeeBps;
        _maxCreatorShareBps = config.maxCreatorShareBps;
        _challengeWindow = config.challengeWindow;
        _disputeTimeout = config.disputeTimeout;
        _maxJobDuration = config.maxJobDuration;
        _reservationBps = config.reservationBps;
        _reservationFloor = config.reservationFloor;
        _reservationCap = config.reservationCap;
        _disputeBondBps = config.disputeBondBps;
        _treasury = config.treasury;
        _protocolFeeBps = config.protocolFeeBps;
        _nextJobId = 1;
    }

    // ---------------------------------------------------------------- creating jobs

    /// @inheritdoc IJobMarketplace
    function createJob(JobParams calldata p) external override nonReentrant returns (uint256 jobId) {
        return _create(p, msg.sender, NO_ORDER);
    }

    /// @inheritdoc IJobMarketplace
    function createJobWithPermit(JobParams calldata p, PermitData calldata permit)
        external
        override
        nonReentrant
        returns (uint256 jobId)
    {
        _tryPermit(p.token, msg.sender, permit);
        return _create(p, msg.sender, NO_ORDER);
    }

    /// @inheritdoc IJobMarketplace
    function createJobFromOrder(JobParams calldata p, OrderAuth calldata auth, bytes calldata signature)
        external
        override
        nonReentrant
        returns (uint256 jobId)
    {
        _useOrder(p, auth, signature);
        return _create(p, auth.client, auth.nonce);
    }

    /// @inheritdoc IJobMarketplace
    function createJobFromOrderWithPermit(
        JobParams calldata p,
        OrderAuth calldata auth,
        bytes calldata signature,
        PermitData calldata permit
    ) external override nonReentrant returns (uint256 jobId) {
        _useOrder(p, auth, signature);
        _tryPermit(p.token, auth.client, permit);
        return _create(p, auth.client, auth.nonce);
    }

    /// @inheritdoc IJobMarketplace
    function cancelOrderNonce(uint256 nonce) external override {
        _consumeNonce(msg.sender, nonce);
        emit OrderNonceCancelled(msg.sender, nonce);
    }

    // ---------------------------------------------------------------- job life cycle

    /// @inheritdoc IJobMarketplace
    function acceptJob(uint256 jobId, Job calldata job, Assignment calldata assignment, bytes calldata matcherSig)
        external
        override
    {
        _whenNotPaused();
        (Job memory j, bytes32 currentHash) = _loadHashed(jobId, job);
        _requireState(jobId, j, JobState.Open);
        if (block.timestamp > j.deadline) revert DeadlinePassed(jobId, j.deadline);
        if (assignment.jobId != jobId) revert AssignmentJobMismatch(assignment.jobId, jobId);
        if (block.timestamp > assignment.expiry) revert AssignmentExpired(assignment.expiry, block.timestamp);
        if (assignment.price > j.maxPayment) revert PriceExceedsMax(assignment.price, j.maxPayment);
        if (j.preferredProvider != address(0) && assignment.provider != j.preferredProvider) {
            revert NotPreferredProvider(jobId, j.preferredProvider, assignment.provider);
        }
        // An Open job's hash is the hash it got at creation: signing it binds the assignment to the job's terms.
        address matcher = ECDSA.recover(_hashTypedDataV4(_assignmentStructHash(assignment, currentHash)), matcherSig);
        if (!hasRole(MATCHER_ROLE, matcher)) revert InvalidMatcherSignature(matcher);
        _accept(jobId, j, assignment.provider, assignment.price, matcher);
    }

    /// @inheritdoc IJobMarketplace
    function acceptPreferredJob(uint256 jobId, Job calldata job) external override {
        _whenNotPaused();
        Job memory j = _load(jobId, job);
        _requireState(jobId, j, JobState.Open);
        if (block.timestamp > j.deadline) revert DeadlinePassed(jobId, j.deadline);
        if (j.preferredProvider == address(0)) revert NoPreferredProvider(jobId);
        _accept(jobId, j, j.preferredProvider, j.maxPayment, address(0));
    }

    /// @inheritdoc IJobMarketplace
    function cancelJob(uint256 jobId, Job calldata job) external override nonReentrant {
        Job memory j = _load(jobId, job);
        if (msg.sender != j.client) revert NotClient(jobId, msg.sender);
        _requireState(jobId, j, JobState.Open);
        j.state = JobState.Cancelled;
        _finish(jobId);
        _credit(j.token, j.client, j.maxPayment);
        emit JobCancelled(jobId, j.client, j.token, j.maxPayment);
    }

    /// @inheritdoc IJobMarketplace
    function submitResult(
        uint256 jobId,
        Job calldata job,
        bytes32 resultHash,
        string calldata resultURI,
        Usage calldata usage,
        uint128 amountDue
    ) external override {
        Job memory j = _load(jobId, job);
        _requireState(jobId, j, JobState.Assigned);
        if (block.timestamp > j.deadline) revert DeadlinePassed(jobId, j.deadline);
        if (amountDue > j.price) revert AmountDueExceedsPrice(amountDue, j.price);
        // The registry pushes every signer change here (syncSigner), so this is the provider's current signer.
        if (msg.sender != _signers[j.provider]) revert NotProviderSigner(j.provider, msg.sender);
        j.state = JobState.Submitted;
        j.amountDue = amountDue;
        // block.timestamp + challengeWindow < 2^40 for the next ~34,000 years (challengeWindow < 2^32).
        j.challengeEnd = uint40(block.timestamp + _challengeWindow);
        _store(jobId, j);
        emit ResultSubmitted(jobId, j.client, j.provider, resultHash, resultURI, usage, amountDue, j.challengeEnd);
    }

    /// @inheritdoc IJobMarketplace
    function settle(uint256 jobId, Job calldata job) external override nonReentrant {
        Job memory j = _load(jobId, job);
        _requireState(jobId, j, JobState.Submitted);
        if (msg.sender != j.client && block.timestamp < j.challengeEnd) {
            revert ChallengeWindowOpen(jobId, j.challengeEnd);
        }
        j.state = JobState.Settled;
        _finish(jobId);
        Payout memory payout = _payOut(j, j.amountDue);
        emit JobSettled(jobId, j.client, j.provider, j.token, payout, msg.sender);
        _release(j, _reservationFor(j.token, j.price));
    }

    /// @inheritdoc IJobMarketplace
    function dispute(uint256 jobId, Job calldata job, bytes32 reasonHash) external override nonReentrant {
        Job memory j = _load(jobId, job);
        if (msg.sender != j.client) revert NotClient(jobId, msg.sender);
        _requireState(jobId, j, JobState.Submitted);
        if (block.timestamp >= j.challengeEnd) revert ChallengeWindowClosed(jobId, j.challengeEnd);
        uint128 bond = _disputeBondFor(j.token, j.price);
        j.state = JobState.Disputed;
        j.disputedAt = uint40(block.timestamp);
        j.disputeBond = bond;
        _store(jobId, j);
        emit JobDisputed(jobId, j.client, j.provider, reasonHash, j.disputedAt, bond);
        if (bond != 0) _pull(j.token, j.client, bond);
    }

    /// @inheritdoc IJobMarketplace
    function resolveDispute(
        uint256 jobId,
        Job calldata job,
        uint128 providerAmount,
        uint256 slashAmount,
        uint128 bondToProvider
    ) external override nonReentrant onlyRole(ARBITER_ROLE) {
        Job memory j = _load(jobId, job);
        _requireState(jobId, j, JobState.Disputed);
        if (providerAmount > j.amountDue) revert ProviderAmountExceedsDue(providerAmount, j.amountDue);
        uint256 reservation = _reservationFor(j.token, j.price);
        if (slashAmount > reservation) revert SlashExceedsReservation(jobId, slashAmount, reservation);
        if (bondToProvider > j.disputeBond) revert BondShareExceedsBond(jobId, bondToProvider, j.disputeBond);
        j.state = JobState.Settled;
        _finish(jobId);
        Payout memory payout = _payOut(j, providerAmount);
        _credit(j.token, j.provider, bondToProvider);
        // unchecked: bondToProvider <= disputeBond (checked above).
        unchecked {
            _credit(j.token, j.client, j.disputeBond - bondToProvider);
        }
        emit JobDisputeResolved(
            jobId, j.client, j.provider, j.token, payout, providerAmount, slashAmount, bondToProvider, msg.sender, false
        );
        // The slash cannot fall short: slashAmount <= the job's reservation, which is part of the provider's
        // active stake (registry invariant reserved <= stake).
        if (slashAmount != 0) _registry.slash(j.provider, reservation, slashAmount, j.client, jobId);
        else _release(j, reservation);
    }

    /// @inheritdoc IJobMarketplace
    function resolveDisputeAfterTimeout(uint256 jobId, Job calldata job) external override nonReentrant {
        Job memory j = _load(jobId, job);
        _requireState(jobId, j, JobState.Disputed);
        uint256 timeoutAt = uint256(j.disputedAt) + _disputeTimeout;
        if (block.timestamp < timeoutAt) revert DisputeTimeoutNotReached(jobId, timeoutAt);
        j.state = JobState.Settled;
        _finish(jobId);
        Payout memory payout = _payOut(j, j.amountDue);
        _credit(j.token, j.provider, j.disputeBond);
        emit JobDisputeResolved(
            jobId, j.client, j.provider, j.token, payout, j.amountDue, 0, j.disputeBond, address(0), true
        );
        _release(j, _reservationFor(j.token, j.price));
    }

    /// @inheritdoc IJobMarketplace
    function refund(uint256 jobId, Job calldata job) external override nonReentrant {
        Job memory j = _load(jobId, job);
        if (j.state != JobState.Open && j.state != JobState.Assigned) revert InvalidJobState(jobId, j.state);
        if (block.timestamp <= j.deadline) revert DeadlineNotPassed(jobId, j.deadline);
        j.state = JobState.Refunded;
        _finish(jobId);
        _credit(j.token, j.client, j.maxPayment);
        // The penalty is the job's whole reservation (none for an Open job): always there, see resolveDispute.
        uint256 penalty = j.provider == address(0) ? 0 : _reservationFor(j.token, j.price);
        emit JobRefunded(jobId, j.client, j.provider, j.token, j.maxPayment, penalty, msg.sender);
        if (penalty != 0) _registry.slash(j.provider, penalty, penalty, j.client, jobId);
    }

    /// @inheritdoc IJobMarketplace
    function syncSigner(address provider, address signer) external override {
        if (msg.sender != address(_registry)) revert NotRegistry(msg.sender);
        _signers[provider] = signer;
    }

    /// @inheritdoc IJobMarketplace
    function withdraw(address token) external override nonReentrant returns (uint256 amount) {
        amount = _balances[token][msg.sender];
        if (amount == 0) revert NothingToWithdraw(msg.sender, token);
        _balances[token][msg.sender] = 0;
        emit Withdrawn(msg.sender, token, amount);
        IERC20(token).safeTransfer(msg.sender, amount);
    }

    // ---------------------------------------------------------------- privileged

    /// @inheritdoc IJobMarketplace
    function setTokenAllowed(address token, bool allowed) external override onlyRole(DEFAULT_ADMIN_ROLE) {
        if (token == address(0)) revert ZeroAddress();
        _tokens[token].allowed = allowed;
        emit TokenAllowlistUpdated(token, allowed);
    }

    /// @inheritdoc IJobMarketplace
    function setDisputeBondFloor(address token, uint128 floor) external override onlyRole(DEFAULT_ADMIN_ROLE) {
        if (token == address(0)) revert ZeroAddress();
        uint128 previous = _tokens[token].disputeBondFloor;
        _tokens[token].disputeBondFloor = floor;
        emit DisputeBondFloorUpdated(token, previous, floor);
    }

    /// @inheritdoc IJobMarketplace
    function setProtocolFee(uint16 bps) external override onlyRole(FEE_MANAGER_ROLE) {
        if (bps > _maxProtocolFeeBps) revert FeeTooHigh(bps, _maxProtocolFeeBps);
        uint16 previous = _protocolFeeBps;
        _protocolFeeBps = bps;
        emit ProtocolFeeUpdated(previous, bps);
    }

    /// @inheritdoc IJobMarketplace
    function setTreasury(address treasury_) external override onlyRole(FEE_MANAGER_ROLE) {
        if (treasury_ == address(0)) revert ZeroAddress();
        address previous = _treasury;
        _treasury = treasury_;
        emit TreasuryUpdated(previous, treasury_);
    }

    /// @inheritdoc IJobMarketplace
    function pause() external override onlyRole(PAUSER_ROLE) {
        _whenNotPaused();
        _paused = true;
        emit MarketPaused(msg.sender);
    }

    /// @inheritdoc IJobMarketplace
    function unpause() external override onlyRole(PAUSER_ROLE) {
        if (!_paused) revert MarketNotPaused();
        _paused = false;
        emit MarketUnpaused(msg.sender);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IJobMarketplace
    function jobHash(uint256 jobId) external view override returns (bytes32) {
        return _jobHashes[jobId];
    }

    /// @inheritdoc IJobMarketplace
    function hashJob(Job calldata job) external pure override returns (bytes32 h) {
        // The calldata bytes of a static struct are its ABI encoding (what _store hashes); hashing them directly
        // keeps the bytecode under the size limit.
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            calldatacopy(ptr, job, JOB_SIZE)
            h := keccak256(ptr, JOB_SIZE)
        }
    }

    /// @inheritdoc IJobMarketplace
    function nextJobId() external view override returns (uint256) {
        return _nextJobId;
    }

    /// @inheritdoc IJobMarketplace
    function balanceOf(address token, address account) external view override returns (uint256) {
        return _balances[token][account];
    }

    /// @inheritdoc IJobMarketplace
    function isTokenAllowed(address token) external view override returns (bool) {
        return _tokens[token].allowed;
    }

    /// @inheritdoc IJobMarketplace
    function isNonceUsed(address client, uint256 nonce) external view override returns (bool) {
        return nonce == NO_ORDER || _nonceBitmap[client][nonce >> 8] & (1 << (nonce & 0xff)) != 0;
    }

    /// @inheritdoc IJobMarketplace
    function protocolFeeBps() external view override returns (uint16) {
        return _protocolFeeBps;
    }

    /// @inheritdoc IJobMarketplace
    function treasury() external view override returns (address) {
        return _treasury;
    }

    /// @inheritdoc IJobMarketplace
    function paused() external view override returns (bool) {
        return _paused;
    }

    /// @inheritdoc IJobMarketplace
    function hashOrder(JobParams calldata p, OrderAuth calldata auth) external view override returns (bytes32) {
        return _hashTypedDataV4(_orderStructHash(p, auth));
    }

    /// @inheritdoc IJobMarketplace
    function hashAssignment(Assignment calldata assignment, bytes32 jobHash_) external view override returns (bytes32) {
        return _hashTypedDataV4(_assignmentStructHash(assignment, jobHash_));
    }

    /// @inheritdoc IJobMarketplace
    function domainSeparator() external view override returns (bytes32) {
        return _domainSeparatorV4();
    }

    /// @inheritdoc IJobMarketplace
    function registry() external view override returns (IProviderRegistry) {
        return _registry;
    }

    /// @inheritdoc IJobMarketplace
    function challengeWindow() external view override returns (uint256) {
        return _challengeWindow;
    }

    /// @inheritdoc IJobMarketplace
    function disputeTimeout() external view override returns (uint256) {
        return _disputeTimeout;
    }

    /// @inheritdoc IJobMarketplace
    function maxJobDuration() external view override returns (uint256) {
        return _maxJobDuration;
    }

    /// @inheritdoc IJobMarketplace
    function maxProtocolFeeBps() external view override returns (uint16) {
        return _maxProtocolFeeBps;
    }

    /// @inheritdoc IJobMarketplace
    function maxCreatorShareBps() external view override returns (uint16) {
        return _maxCreatorShareBps;
    }

    /// @inheritdoc IJobMarketplace
    function reservationFor(address token, uint128 price) external view override returns (uint128) {
        return _reservationFor(token, price);
    }

    /// @inheritdoc IJobMarketplace
    function reservationBps() external view override returns (uint16) {
        return _reservationBps;
    }

    /// @inheritdoc IJobMarketplace
    function reservationFloor() external view override returns (uint128) {
        return _reservationFloor;
    }

    /// @inheritdoc IJobMarketplace
    function reservationCap() external view override returns (uint128) {
        return _reservationCap;
    }

    /// @inheritdoc IJobMarketplace
    function disputeBondFor(address token, uint128 price) external view override returns (uint128) {
        return _disputeBondFor(token, price);
    }

    /// @inheritdoc IJobMarketplace
    function disputeBondBps() external view override returns (uint16) {
        return _disputeBondBps;
    }

    /// @inheritdoc IJobMarketplace
    function disputeBondFloor(address token) external view override returns (uint128) {
        return _tokens[token].disputeBondFloor;
    }

    // ---------------------------------------------------------------- internal: creation

    function _create(JobParams calldata p, address client, uint256 orderNonce) private returns (uint256 jobId) {
        _whenNotPaused();
        address token = p.token;
        if (!_tokens[token].allowed) revert TokenNotAllowed(token);
        if (p.maxPayment == 0) revert ZeroPayment();
        uint256 maxDeadline = block.timestamp + _maxJobDuration;
        if (p.deadline <= block.timestamp || p.deadline > maxDeadline) {
            revert InvalidDeadline(p.deadline, block.timestamp, maxDeadline);
        }
        if (p.creatorShareBps > _maxCreatorShareBps || (p.creator == address(0) && p.creatorShareBps != 0)) {
            revert InvalidCreatorShare(p.creator, p.creatorShareBps, _maxCreatorShareBps);
        }
        jobId = _nextJobId;
        // unchecked: a uint64 counter incremented once per transaction cannot reach 2^64.
        unchecked {
            _nextJobId = uint64(jobId + 1);
        }
        Job memory j = Job({
            client: client,
            token: token,
            maxPayment: p.maxPayment,
            kind: p.kind,
            state: JobState.Open,
            deadline: p.deadline,
            feeBps: _protocolFeeBps,
            creatorShareBps: p.creatorShareBps,
            preferredProvider: p.preferredProvider,
            creator: p.creator,
            treasury: _treasury,
            specHash: p.specHash,
            provider: address(0),
            price: 0,
            amountDue: 0,
            challengeEnd: 0,
            disputedAt: 0,
            disputeBond: 0
        });
        _store(jobId, j);
        emit JobCreated(jobId, client, token, j, p.specURI, orderNonce);
        // Interaction last; the whole call reverts if the token delivers less than maxPayment.
        _pull(token, client, p.maxPayment);
    }

    /// @dev Transfers exactly `amount` of `token` from `from` to this contract (reverts on fee-on-transfer).
    function _pull(address token, address from, uint256 amount) private {
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(from, address(this), amount);
        uint256 received = IERC20(token).balanceOf(address(this)) - before;
        if (received != amount) revert FeeOnTransferNotSupported(token, amount, received);
    }

    function _useOrder(JobParams calldata p, OrderAuth calldata auth, bytes calldata signature) private {
        if (block.timestamp > auth.expiry) revert OrderExpired(auth.expiry, block.timestamp);
        bytes32 digest = _hashTypedDataV4(_orderStructHash(p, auth));
        if (!SignatureChecker.isValidSignatureNow(auth.client, digest, signature)) {
            revert InvalidOrderSignature(auth.client);
        }
        _consumeNonce(auth.client, auth.nonce);
    }

    function _consumeNonce(address client, uint256 nonce) private {
        // type(uint256).max marks wallet-created jobs in JobCreated.orderNonce, so it is never usable.
        if (nonce == NO_ORDER) revert NonceAlreadyUsed(client, nonce);
        uint256 bit = 1 << (nonce & 0xff);
        uint256 word = _nonceBitmap[client][nonce >> 8];
        if (word & bit != 0) revert NonceAlreadyUsed(client, nonce);
        _nonceBitmap[client][nonce >> 8] = word | bit;
    }

    function _tryPermit(address token, address owner, PermitData calldata permit) private {
        // A permit can be front-run (someone submits it first, consuming its nonce): ignore failures and let
        // transferFrom decide with whatever allowance exists.
        try IERC20Permit(token)
            .permit(owner, address(this), permit.value, permit.deadline, permit.v, permit.r, permit.s) {}
            catch {}
    }

    function _orderStructHash(JobParams calldata p, OrderAuth calldata auth) private pure returns (bytes32) {
        // Two abi.encode halves (all static 32-byte words) avoid stack-too-deep; the concatenation is exactly
        // the EIP-712 encodeData of JobOrder.
        return keccak256(
            bytes.concat(
                abi.encode(
                    JOB_ORDER_TYPEHASH, uint8(p.kind), p.token, p.maxPayment, p.deadline, p.preferredProvider, p.creator
                ),
                abi.encode(
                    p.creatorShareBps, p.specHash, keccak256(bytes(p.specURI)), auth.client, auth.nonce, auth.expiry
                )
            )
        );
    }

    function _assignmentStructHash(Assignment calldata a, bytes32 jobHash_) private pure returns (bytes32) {
        return keccak256(abi.encode(ASSIGNMENT_TYPEHASH, a.jobId, jobHash_, a.provider, a.price, a.expiry));
    }

    // ---------------------------------------------------------------- internal: life cycle

    function _accept(uint256 jobId, Job memory j, address provider, uint128 price, address matcher) private {
        uint128 reservation = _reservationFor(j.token, price);
        // The registry is trusted (fixed at deployment): it checks eligibility and free stake, and reserves.
        address signer = _registry.reserve(provider, reservation);
        if (msg.sender != signer) revert NotProviderSigner(provider, msg.sender);
        j.state = JobState.Assigned;
        j.provider = provider;
        j.price = price;
        _store(jobId, j);
        emit JobAccepted(jobId, j.client, provider, price, reservation, signer, matcher);
    }

    /// @dev Releases the job's whole reservation (a terminal path without a slash).
    function _release(Job memory j, uint256 reservation) private {
        if (reservation != 0) _registry.release(j.provider, reservation);
    }

    function _reservationFor(address token, uint128 price) private view returns (uint128) {
        uint256 reservation = _reservationFloor;
        if (token == _stakingToken) {
            // unchecked: price < 2^128 and bps <= 10_000, so the product fits in 2^142. The result is
            // <= reservationCap < 2^128.
            uint256 share;
            unchecked {
                share = uint256(price) * _reservationBps / FeeMath.BPS;
            }
            if (share > reservation) reservation = share;
            if (reservation > _reservationCap) reservation = _reservationCap;
        }
        return uint128(reservation);
    }

    function _disputeBondFor(address token, uint128 price) private view returns (uint128) {
        // unchecked: price < 2^128 and bps <= 10_000, so the product fits in 2^142 and the share is <= price.
        uint256 bond;
        unchecked {
            bond = uint256(price) * _disputeBondBps / FeeMath.BPS;
        }
        uint128 floor = _tokens[token].disputeBondFloor;
        return bond > floor ? uint128(bond) : floor;
    }

    /// @dev Credits the exact split of `paid` out of j.maxPayment. Caller guarantees paid <= j.amountDue <=
    /// j.price <= j.maxPayment, and the caps keep feeBps + creatorShareBps <= 10_000 (FeeMath's preconditions).
    function _payOut(Job memory j, uint256 paid) private returns (Payout memory payout) {
        (uint256 fee, uint256 creatorAmount, uint256 providerAmount, uint256 clientRefund) =
            FeeMath.split(j.maxPayment, paid, j.feeBps, j.creatorShareBps);
        address treasury_ = j.treasury;
        _credit(j.token, treasury_, fee);
        _credit(j.token, j.creator, creatorAmount);
        _credit(j.token, j.provider, providerAmount);
        _credit(j.token, j.client, clientRefund);
        payout = Payout({
            treasury: treasury_,
            protocolFee: fee,
            creatorAmount: creatorAmount,
            providerAmount: providerAmount,
            clientRefund: clientRefund
        });
    }

    function _credit(address token, address account, uint256 amount) private {
        if (amount != 0) _balances[token][account] += amount;
    }

    /// @dev Copies the caller's job into memory and checks it against the stored hash. `Job` has only static
    /// members, so its calldata bytes are exactly abi.encode(job) (608 bytes) and its memory layout is the same
    /// 19 words. Dirty (non-canonical) calldata cannot match: the stored hash was computed from clean values.
    function _load(uint256 jobId, Job calldata job) private view returns (Job memory j) {
        bytes32 passed;
        assembly ("memory-safe") {
            j := mload(0x40)
            mstore(0x40, add(j, JOB_SIZE))
            calldatacopy(j, job, JOB_SIZE)
            passed := keccak256(j, JOB_SIZE)
        }
        bytes32 stored = _jobHashes[jobId];
        if (stored != passed) revert JobMismatch(jobId, stored, passed);
    }

    /// @dev _load that also returns the job's (current, checked) hash.
    function _loadHashed(uint256 jobId, Job calldata job) private view returns (Job memory j, bytes32 passed) {
        assembly ("memory-safe") {
            j := mload(0x40)
            mstore(0x40, add(j, JOB_SIZE))
            calldatacopy(j, job, JOB_SIZE)
            passed := keccak256(j, JOB_SIZE)
        }
        bytes32 stored = _jobHashes[jobId];
        if (stored != passed) revert JobMismatch(jobId, stored, passed);
    }

    function _requireState(uint256 jobId, Job memory j, JobState expected) private pure {
        if (j.state != expected) revert InvalidJobState(jobId, j.state);
    }

    /// @dev Stores keccak256(abi.encode(j)); a memory struct of static members is laid out as its ABI encoding.
    function _store(uint256 jobId, Job memory j) private {
        bytes32 h;
        assembly ("memory-safe") {
            h := keccak256(j, JOB_SIZE)
        }
        _jobHashes[jobId] = h;
    }

    /// @dev A finished job holds nothing: its hash is deleted (refunding storage gas), so every later call with any
    /// struct fails JobMismatch (no struct hashes to zero) and jobHash returns zero.
    function _finish(uint256 jobId) private {
        delete _jobHashes[jobId];
    }

    function _whenNotPaused() private view {
        if (_paused) revert MarketIsPaused();
    }
}
