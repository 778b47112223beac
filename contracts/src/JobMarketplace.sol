// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {IJobMarketplace} from "./interfaces/IJobMarketplace.sol";
import {IProviderRegistry} from "./interfaces/IProviderRegistry.sol";
import {FeeMath} from "./libraries/FeeMath.sol";
import {Job, JobParams, JobState, Usage, Assignment, OrderAuth, PermitData, Payout} from "./types/JobTypes.sol";

/// @title JobMarketplace
/// @notice Jobs, escrow and settlement of the GPU compute market. See IJobMarketplace for the model.
/// @dev One storage slot per job (the hash of its state). Custody invariant, per token:
/// token.balanceOf(this) == sum(maxPayment of Open/Assigned/Submitted/Disputed jobs) + sum(pull balances).
contract JobMarketplace is IJobMarketplace, AccessControl, ReentrancyGuardTransient, EIP712 {
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
        keccak256("Assignment(uint256 jobId,address provider,uint128 price,uint64 expiry)");

    /// @dev `orderNonce` in JobCreated for jobs created from the client's own transaction.
    uint256 private constant NO_ORDER = type(uint256).max;

    /// @dev abi.encode(Job) length: 16 static members of one word each.
    uint256 private constant JOB_SIZE = 16 * 32;

    // ---------------------------------------------------------------- immutables

    IProviderRegistry private immutable _registry;
    uint16 private immutable _maxProtocolFeeBps;
    uint16 private immutable _maxCreatorShareBps;
    uint256 private immutable _challengeWindow;
    uint256 private immutable _disputeTimeout;
    uint256 private immutable _maxJobDuration;
    uint256 private immutable _missedDeadlinePenalty;

    // ---------------------------------------------------------------- storage

    // One slot, read by every creation: treasury, fee, pause flag and the job counter.
    address private _treasury;
    uint16 private _protocolFeeBps;
    bool private _paused;
    uint64 private _nextJobId;

    mapping(uint256 jobId => bytes32) private _jobHashes;
    mapping(address token => bool) private _allowedTokens;
    mapping(address token => mapping(address account => uint256)) private _balances;
    mapping(address client => mapping(uint256 word => uint256)) private _nonceBitmap;

    // ---------------------------------------------------------------- constructor

    /// @param admin Receives DEFAULT_ADMIN_ROLE (grants the other roles, manages the allowlist).
    /// @param registry_ The provider registry; must name this contract as its marketplace and have an unbonding
    /// period of at least maxJobDuration + challengeWindow + disputeTimeout (so stake that may be slashed for a
    /// job cannot be withdrawn before the job ends).
    /// @param treasury_ Receives protocol fees.
    /// @param protocolFeeBps_ Initial protocol fee (<= maxProtocolFeeBps_).
    /// @param maxProtocolFeeBps_ Cap on the protocol fee; maxProtocolFeeBps_ + maxCreatorShareBps_ <= 10_000 so the
    /// fee split can never exceed the amount paid.
    /// @param maxCreatorShareBps_ Cap on the model-creator share.
    /// @param challengeWindow_ Seconds after a submission during which the client may dispute (> 0).
    /// @param disputeTimeout_ Seconds after a dispute after which anyone may apply the timeout rule (> 0).
    /// @param maxJobDuration_ Longest time from creation to deadline (> 0).
    /// @param missedDeadlinePenalty_ Stake slashed when an accepted provider misses the deadline.
    constructor(
        address admin,
        IProviderRegistry registry_,
        address treasury_,
        uint16 protocolFeeBps_,
        uint16 maxProtocolFeeBps_,
        uint16 maxCreatorShareBps_,
        uint256 challengeWindow_,
        uint256 disputeTimeout_,
        uint256 maxJobDuration_,
        uint256 missedDeadlinePenalty_
    ) EIP712("GpuMarket", "1") {
        if (admin == address(0) || treasury_ == address(0)) revert ZeroAddress();
        if (protocolFeeBps_ > maxProtocolFeeBps_) revert FeeTooHigh(protocolFeeBps_, maxProtocolFeeBps_);
        if (
            uint256(maxProtocolFeeBps_) + maxCreatorShareBps_ > FeeMath.BPS || challengeWindow_ == 0
                || disputeTimeout_ == 0 || maxJobDuration_ == 0
                || maxJobDuration_ + challengeWindow_ + disputeTimeout_ > type(uint32).max
                || registry_.marketplace() != address(this)
                || registry_.unbondingPeriod() < maxJobDuration_ + challengeWindow_ + disputeTimeout_
        ) revert InvalidConfig();
        _registry = registry_;
        _maxProtocolFeeBps = maxProtocolFeeBps_;
        _maxCreatorShareBps = maxCreatorShareBps_;
        _challengeWindow = challengeWindow_;
        _disputeTimeout = disputeTimeout_;
        _maxJobDuration = maxJobDuration_;
        _missedDeadlinePenalty = missedDeadlinePenalty_;
        _treasury = treasury_;
        _protocolFeeBps = protocolFeeBps_;
        _nextJobId = 1;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
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
        Job memory j = _load(jobId, job);
        _requireState(jobId, j, JobState.Open);
        if (block.timestamp > j.deadline) revert DeadlinePassed(jobId, j.deadline);
        if (assignment.jobId != jobId) revert AssignmentJobMismatch(assignment.jobId, jobId);
        if (block.timestamp > assignment.expiry) revert AssignmentExpired(assignment.expiry, block.timestamp);
        if (assignment.price > j.maxPayment) revert PriceExceedsMax(assignment.price, j.maxPayment);
        if (j.preferredProvider != address(0) && assignment.provider != j.preferredProvider) {
            revert NotPreferredProvider(jobId, j.preferredProvider, assignment.provider);
        }
        address matcher = ECDSA.recover(_hashTypedDataV4(_assignmentStructHash(assignment)), matcherSig);
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
        _store(jobId, j);
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
        address signer = _registry.signerOf(j.provider);
        if (msg.sender != signer) revert NotProviderSigner(j.provider, msg.sender);
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
        _store(jobId, j);
        Payout memory payout = _payOut(j, j.amountDue);
        emit JobSettled(jobId, j.client, j.provider, j.token, payout, msg.sender);
    }

    /// @inheritdoc IJobMarketplace
    function dispute(uint256 jobId, Job calldata job, bytes32 reasonHash) external override {
        Job memory j = _load(jobId, job);
        if (msg.sender != j.client) revert NotClient(jobId, msg.sender);
        _requireState(jobId, j, JobState.Submitted);
        if (block.timestamp >= j.challengeEnd) revert ChallengeWindowClosed(jobId, j.challengeEnd);
        j.state = JobState.Disputed;
        j.disputedAt = uint40(block.timestamp);
        _store(jobId, j);
        emit JobDisputed(jobId, j.client, j.provider, reasonHash, j.disputedAt);
    }

    /// @inheritdoc IJobMarketplace
    function resolveDispute(uint256 jobId, Job calldata job, uint128 providerAmount, uint256 slashAmount)
        external
        override
        nonReentrant
        onlyRole(ARBITER_ROLE)
    {
        Job memory j = _load(jobId, job);
        _requireState(jobId, j, JobState.Disputed);
        if (providerAmount > j.amountDue) revert ProviderAmountExceedsDue(providerAmount, j.amountDue);
        j.state = JobState.Settled;
        _store(jobId, j);
        Payout memory payout = _payOut(j, providerAmount);
        uint256 slashed = slashAmount == 0 ? 0 : _registry.slash(j.provider, slashAmount, j.client, jobId);
        emit JobDisputeResolved(
            jobId, j.client, j.provider, j.token, payout, providerAmount, slashAmount, slashed, msg.sender, false
        );
    }

    /// @inheritdoc IJobMarketplace
    function resolveDisputeAfterTimeout(uint256 jobId, Job calldata job) external override nonReentrant {
        Job memory j = _load(jobId, job);
        _requireState(jobId, j, JobState.Disputed);
        uint256 timeoutAt = uint256(j.disputedAt) + _disputeTimeout;
        if (block.timestamp < timeoutAt) revert DisputeTimeoutNotReached(jobId, timeoutAt);
        j.state = JobState.Settled;
        _store(jobId, j);
        Payout memory payout = _payOut(j, j.amountDue);
        emit JobDisputeResolved(jobId, j.client, j.provider, j.token, payout, j.amountDue, 0, 0, address(0), true);
    }

    /// @inheritdoc IJobMarketplace
    function refund(uint256 jobId, Job calldata job) external override nonReentrant {
        Job memory j = _load(jobId, job);
        if (j.state != JobState.Open && j.state != JobState.Assigned) revert InvalidJobState(jobId, j.state);
        if (block.timestamp <= j.deadline) revert DeadlineNotPassed(jobId, j.deadline);
        j.state = JobState.Refunded;
        _store(jobId, j);
        _credit(j.token, j.client, j.maxPayment);
        uint256 slashed;
        if (j.provider != address(0) && _missedDeadlinePenalty != 0) {
            slashed = _registry.slash(j.provider, _missedDeadlinePenalty, j.client, jobId);
        }
        emit JobRefunded(jobId, j.client, j.provider, j.token, j.maxPayment, slashed, msg.sender);
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
        _allowedTokens[token] = allowed;
        emit TokenAllowlistUpdated(token, allowed);
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
    function hashJob(Job calldata job) external pure override returns (bytes32) {
        return keccak256(abi.encode(job));
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
        return _allowedTokens[token];
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
    function hashAssignment(Assignment calldata assignment) external view override returns (bytes32) {
        return _hashTypedDataV4(_assignmentStructHash(assignment));
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
    function missedDeadlinePenalty() external view override returns (uint256) {
        return _missedDeadlinePenalty;
    }

    // ---------------------------------------------------------------- internal: creation

    function _create(JobParams calldata p, address client, uint256 orderNonce) private returns (uint256 jobId) {
        _whenNotPaused();
        address token = p.token;
        if (!_allowedTokens[token]) revert TokenNotAllowed(token);
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
            specHash: p.specHash,
            provider: address(0),
            price: 0,
            amountDue: 0,
            challengeEnd: 0,
            disputedAt: 0
        });
        _store(jobId, j);
        emit JobCreated(jobId, client, token, j, p.specURI, orderNonce);
        // Interaction last; the whole call reverts if the token delivers less than maxPayment.
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(client, address(this), p.maxPayment);
        uint256 received = IERC20(token).balanceOf(address(this)) - before;
        if (received != p.maxPayment) revert FeeOnTransferNotSupported(token, p.maxPayment, received);
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

    function _assignmentStructHash(Assignment calldata a) private pure returns (bytes32) {
        return keccak256(abi.encode(ASSIGNMENT_TYPEHASH, a.jobId, a.provider, a.price, a.expiry));
    }

    // ---------------------------------------------------------------- internal: life cycle

    function _accept(uint256 jobId, Job memory j, address provider, uint128 price, address matcher) private {
        address signer = _registry.assignableSigner(provider);
        if (msg.sender != signer) revert NotProviderSigner(provider, msg.sender);
        j.state = JobState.Assigned;
        j.provider = provider;
        j.price = price;
        _store(jobId, j);
        emit JobAccepted(jobId, j.client, provider, price, signer, matcher);
    }

    /// @dev Credits the exact split of `paid` out of j.maxPayment. Caller guarantees paid <= j.amountDue <=
    /// j.price <= j.maxPayment, and the caps keep feeBps + creatorShareBps <= 10_000 (FeeMath's preconditions).
    function _payOut(Job memory j, uint256 paid) private returns (Payout memory payout) {
        (uint256 fee, uint256 creatorAmount, uint256 providerAmount, uint256 clientRefund) =
            FeeMath.split(j.maxPayment, paid, j.feeBps, j.creatorShareBps);
        address treasury_ = _treasury;
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
    /// members, so its calldata bytes are exactly abi.encode(job) (512 bytes) and its memory layout is the same
    /// 16 words. Dirty (non-canonical) calldata cannot match: the stored hash was computed from clean values.
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

    function _whenNotPaused() private view {
        if (_paused) revert MarketIsPaused();
    }
}
