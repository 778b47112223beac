// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IProviderRegistry} from "./IProviderRegistry.sol";
import {Job, JobParams, JobState, Usage, Assignment, OrderAuth, PermitData, Payout} from "../types/JobTypes.sol";

/// @title IJobMarketplace
/// @notice Job marketplace and escrow of the GPU compute market. Clients lock ERC-20 funds for a job; the matcher
/// signs assignments that providers accept (or a client-picked provider accepts directly); providers submit result
/// commitments; after a challenge window (or earlier acceptance by the client) the amount due is split exactly
/// between the treasury, the model creator and the provider, and the rest goes back to the client. Every payout is
/// credited to a pull balance that only its owner can withdraw.
///
/// Storage: only `keccak256(abi.encode(job))` is stored per job id. Every function acting on a job takes the
/// current `Job` struct back in calldata and reverts `JobMismatch` if it does not hash to the stored value. Every
/// JobCreated carries the initial struct; every later job event names the fields it changed ("Job update: ..."),
/// so an indexer rebuilds the exact struct (and can check it against `jobHash`) from events alone.
///
/// Custody: this contract holds, per token, exactly the funds of non-terminal jobs (their maxPayment) plus all pull
/// balances. Provider stake and slashing compensation live in the ProviderRegistry.
///
/// Stake: accepting a job reserves `reservationFor(job.token, price)` of the provider's free stake in the registry
/// (a pure function of the job's token and price, so it is derived from the job rather than stored); a refund after a missed deadline slashes exactly that reservation, an arbiter
/// slashes at most that reservation, and every terminal path releases it. A provider's other jobs can never take
/// stake reserved for this one.
///
/// Disputes: the client posts `disputeBondFor(job.token, job.price)` in the job's token with its dispute (recorded
/// in `job.disputeBond`); the arbiter returns, splits or pays it to the provider; under the timeout rule it goes
/// to the provider.
///
/// Roles (OpenZeppelin AccessControlDefaultAdminRules: one DEFAULT_ADMIN_ROLE holder, transferred in two steps
/// with a delay): DEFAULT_ADMIN_ROLE grants roles and manages the token allowlist and dispute-bond floors;
/// MATCHER_ROLE signs assignments (off-chain only); ARBITER_ROLE resolves disputes; PAUSER_ROLE pauses new jobs
/// and acceptances; FEE_MANAGER_ROLE sets the protocol fee and the treasury (both snapshotted into new jobs).
interface IJobMarketplace {
    // ---------------------------------------------------------------- events: jobs

    /// @notice A job was created and `job.maxPayment` of `token` was locked. `orderNonce` is the signed order's
    /// nonce, or type(uint256).max when the client sent the transaction itself. New state: Open.
    event JobCreated(
        uint256 indexed jobId,
        address indexed client,
        address indexed token,
        Job job,
        string specURI,
        uint256 orderNonce
    );

    /// @notice `provider` accepted the job at `price` through its signer `signer`, and `reservedStake` of its free
    /// stake was reserved for the job in the registry. `matcher` is the matcher that signed the assignment, or zero
    /// for a direct acceptance by the preferred provider (price = maxPayment).
    /// Job update: state = Assigned, provider = provider, price = price, reservedStake = reservedStake.
    event JobAccepted(
        uint256 indexed jobId,
        address indexed client,
        address indexed provider,
        uint128 price,
        uint128 reservedStake,
        address signer,
        address matcher
    );

    /// @notice The client cancelled an unassigned job; `refund` (= maxPayment) was credited to its pull balance.
    /// Job update: state = Cancelled.
    event JobCancelled(uint256 indexed jobId, address indexed client, address indexed token, uint256 refund);

    /// @notice The provider's signer committed a result and claims `amountDue`; the client may dispute until
    /// `challengeEnd` (exclusive). `usage` is in the units of the job kind (see `Usage`).
    /// Job update: state = Submitted, amountDue = amountDue, challengeEnd = challengeEnd.
    event ResultSubmitted(
        uint256 indexed jobId,
        address indexed client,
        address indexed provider,
        bytes32 resultHash,
        string resultURI,
        Usage usage,
        uint128 amountDue,
        uint40 challengeEnd
    );

    /// @notice The job was settled as submitted by `settledBy` (the client early, or anyone after the window);
    /// `payout` (in `token`) was credited to pull balances: job.treasury, job.creator, provider, client; the job's
    /// reservation (the job's reservation) was released. Job update: state = Settled.
    event JobSettled(
        uint256 indexed jobId,
        address indexed client,
        address indexed provider,
        address token,
        Payout payout,
        address settledBy
    );

    /// @notice The client disputed the result within the challenge window and posted `disputeBond` (in the job's
    /// token, held by the marketplace until the dispute ends). Job update: state = Disputed,
    /// disputedAt = disputedAt, disputeBond = disputeBond.
    event JobDisputed(
        uint256 indexed jobId,
        address indexed client,
        address indexed provider,
        bytes32 reasonHash,
        uint40 disputedAt,
        uint128 disputeBond
    );

    /// @notice A dispute ended: by the arbiter (`timedOut` false; `arbiter` set; the provider was paid
    /// `providerPaid` <= amountDue and `slashed` (<= the job's reservation, always slashed in full) moved from its
    /// stake to the client in the registry) or, after the dispute timeout, by anyone under the timeout rule
    /// (`timedOut` true: settled as submitted, `arbiter` zero, no slash, the whole bond to the provider).
    /// `payout` (in `token`) was credited to pull balances; of the dispute bond (job.disputeBond), `bondToProvider`
    /// was credited to the provider and the rest back to the client (no fees on the bond). The rest of the job's
    /// reservation was released. Job update: state = Settled.
    event JobDisputeResolved(
        uint256 indexed jobId,
        address indexed client,
        address indexed provider,
        address token,
        Payout payout,
        uint256 providerPaid,
        uint256 slashed,
        uint128 bondToProvider,
        address arbiter,
        bool timedOut
    );

    /// @notice After the deadline, a job that was never accepted (`provider` zero) or whose provider never
    /// submitted was refunded by `refundedBy`: `refund` (= maxPayment, in `token`) credited to the client; for an
    /// accepted job its whole reservation (`slashed` = the job's reservation) went from the provider's stake to the
    /// client in the registry. Job update: state = Refunded.
    event JobRefunded(
        uint256 indexed jobId,
        address indexed client,
        address indexed provider,
        address token,
        uint256 refund,
        uint256 slashed,
        address refundedBy
    );

    // ---------------------------------------------------------------- events: balances, orders, config

    /// @notice `account` withdrew `amount` of `token` from its pull balance.
    event Withdrawn(address indexed account, address indexed token, uint256 amount);

    /// @notice The client cancelled the order nonce `nonce`; orders with it can no longer be submitted.
    event OrderNonceCancelled(address indexed client, uint256 indexed nonce);

    /// @notice The admin added (`allowed`) or removed a payment token.
    event TokenAllowlistUpdated(address indexed token, bool allowed);

    /// @notice The fee manager changed the protocol fee (applies to jobs created afterwards).
    event ProtocolFeeUpdated(uint16 previousBps, uint16 newBps);

    /// @notice The fee manager changed the treasury (applies to jobs created afterwards: each job snapshots it).
    event TreasuryUpdated(address indexed previousTreasury, address indexed newTreasury);

    /// @notice The admin set the dispute-bond floor of `token` (applies to disputes opened afterwards).
    event DisputeBondFloorUpdated(address indexed token, uint128 previousFloor, uint128 newFloor);

    /// @notice The pauser stopped new jobs and new acceptances.
    event MarketPaused(address indexed account);

    /// @notice The pauser resumed new jobs and new acceptances.
    event MarketUnpaused(address indexed account);

    // ---------------------------------------------------------------- errors

    /// @notice The passed job does not hash to the stored value (wrong struct, stale state, or unknown id).
    error JobMismatch(uint256 jobId, bytes32 stored, bytes32 passed);
    /// @notice The job is in `current`, which does not allow this action.
    error InvalidJobState(uint256 jobId, JobState current);
    /// @notice The token is not allowlisted.
    error TokenNotAllowed(address token);
    /// @notice The token delivered a different amount than requested (fee-on-transfer tokens are rejected).
    error FeeOnTransferNotSupported(address token, uint256 expected, uint256 received);
    /// @notice maxPayment is zero.
    error ZeroPayment();
    /// @notice The deadline is not in the future or beyond now + maxJobDuration.
    error InvalidDeadline(uint256 deadline, uint256 nowTime, uint256 maxDeadline);
    /// @notice The creator share exceeds the cap, or a share was given without a creator.
    error InvalidCreatorShare(address creator, uint256 shareBps, uint256 maxBps);
    /// @notice The protocol fee exceeds the cap.
    error FeeTooHigh(uint256 bps, uint256 maxBps);
    /// @notice A zero address where one is required.
    error ZeroAddress();
    /// @notice The market is paused (new jobs and acceptances only).
    error MarketIsPaused();
    /// @notice The market is not paused.
    error MarketNotPaused();
    /// @notice The order expired.
    error OrderExpired(uint256 expiry, uint256 nowTime);
    /// @notice The order nonce was used or cancelled.
    error NonceAlreadyUsed(address client, uint256 nonce);
    /// @notice The order signature is not the client's.
    error InvalidOrderSignature(address client);
    /// @notice The assignment expired.
    error AssignmentExpired(uint256 expiry, uint256 nowTime);
    /// @notice The assignment is for another job (its job id differs).
    error AssignmentJobMismatch(uint256 assignmentJobId, uint256 jobId);
    /// @notice The price exceeds the job's maxPayment.
    error PriceExceedsMax(uint256 price, uint256 maxPayment);
    /// @notice The assignment was not signed by an account holding MATCHER_ROLE.
    error InvalidMatcherSignature(address recovered);
    /// @notice The job has a preferred provider and the assignment names another.
    error NotPreferredProvider(uint256 jobId, address preferred, address provider);
    /// @notice The job has no preferred provider.
    error NoPreferredProvider(uint256 jobId);
    /// @notice The caller is not the provider's registered signer.
    error NotProviderSigner(address provider, address caller);
    /// @notice The caller is not the job's client.
    error NotClient(uint256 jobId, address caller);
    /// @notice The deadline passed (no acceptance or submission after it).
    error DeadlinePassed(uint256 jobId, uint256 deadline);
    /// @notice The deadline has not passed (no refund before it).
    error DeadlineNotPassed(uint256 jobId, uint256 deadline);
    /// @notice amountDue exceeds the agreed price.
    error AmountDueExceedsPrice(uint256 amountDue, uint256 price);
    /// @notice The challenge window is still open (only the client may settle now).
    error ChallengeWindowOpen(uint256 jobId, uint256 challengeEnd);
    /// @notice The challenge window has closed (no more disputes).
    error ChallengeWindowClosed(uint256 jobId, uint256 challengeEnd);
    /// @notice The arbiter's provider amount exceeds the amount due.
    error ProviderAmountExceedsDue(uint256 providerAmount, uint256 amountDue);
    /// @notice The arbiter's slash exceeds the job's bound (its reservation, the job's reservation).
    error SlashExceedsReservation(uint256 jobId, uint256 slashAmount, uint256 reservedStake);
    /// @notice The arbiter's bond share for the provider exceeds the posted bond.
    error BondShareExceedsBond(uint256 jobId, uint256 bondToProvider, uint256 disputeBond);
    /// @notice The dispute timeout has not passed.
    error DisputeTimeoutNotReached(uint256 jobId, uint256 timeoutAt);
    /// @notice The caller is not the provider registry.
    error NotRegistry(address caller);
    /// @notice The account has nothing to withdraw in this token.
    error NothingToWithdraw(address account, address token);
    /// @notice A constructor argument is invalid (caps, windows, reservation bounds, or a registry not bound to
    /// this marketplace).
    error InvalidConfig();

    // ---------------------------------------------------------------- creating jobs

    /// @notice Creates a job funded from the caller's wallet (needs an ERC-20 approval of `p.maxPayment`).
    /// @return jobId The new job id (a counter starting at 1; also in JobCreated).
    /// @dev Reverts MarketIsPaused, TokenNotAllowed, ZeroPayment, InvalidDeadline, InvalidCreatorShare,
    /// FeeOnTransferNotSupported, or the token's own error.
    function createJob(JobParams calldata p) external returns (uint256 jobId);

    /// @notice Like createJob, first trying an EIP-2612 permit. The permit is wrapped in try/catch: if it fails
    /// (e.g. it was front-run and already used) creation still succeeds when the allowance suffices.
    function createJobWithPermit(JobParams calldata p, PermitData calldata permit) external returns (uint256 jobId);

    /// @notice Creates a job from a client-signed EIP-712 `JobOrder`, submitted by anyone; funds come from
    /// `auth.client`. Supports EOA (non-malleable ECDSA) and ERC-1271 signers. Consumes `auth.nonce`.
    /// @dev Reverts as createJob, plus OrderExpired, NonceAlreadyUsed, InvalidOrderSignature.
    function createJobFromOrder(JobParams calldata p, OrderAuth calldata auth, bytes calldata signature)
        external
        returns (uint256 jobId);

    /// @notice createJobFromOrder with an EIP-2612 permit from the client tried first (try/catch).
    function createJobFromOrderWithPermit(
        JobParams calldata p,
        OrderAuth calldata auth,
        bytes calldata signature,
        PermitData calldata permit
    ) external returns (uint256 jobId);

    /// @notice Cancels the caller's order nonce so no order signed with it can be submitted.
    /// @dev Reverts NonceAlreadyUsed.
    function cancelOrderNonce(uint256 nonce) external;

    // ---------------------------------------------------------------- job life cycle

    /// @notice The provider's signer accepts a matcher-signed assignment. Checks: Open, before the deadline,
    /// assignment for this job and unexpired, price <= maxPayment, signer holds MATCHER_ROLE, the provider is
    /// the preferred one when the job has one, the signature covers the job's hash (its terms), and the
    /// registry says the provider is assignable (active, unexpired attestation, stake >= minimum) and has at least
    /// `reservationFor(job.token, price)` of free stake, which it reserves; the caller must be its signer.
    /// @dev Reverts MarketIsPaused, JobMismatch, InvalidJobState, DeadlinePassed, AssignmentJobMismatch,
    /// AssignmentExpired, PriceExceedsMax, NotPreferredProvider, InvalidMatcherSignature,
    /// OpenZeppelin's ECDSAInvalidSignature/ECDSAInvalidSignatureLength/ECDSAInvalidSignatureS (malformed or
    /// malleable signature), NotProviderSigner, or the registry's NotRegistered/ProviderInactive/
    /// AttestationExpired/InsufficientStake/InsufficientFreeStake.
    function acceptJob(uint256 jobId, Job calldata job, Assignment calldata assignment, bytes calldata matcherSig)
        external;

    /// @notice The preferred provider's signer accepts the job directly at price = maxPayment, reserving
    /// `reservationFor(job.token, job.maxPayment)` of the provider's free stake.
    /// @dev Reverts MarketIsPaused, JobMismatch, InvalidJobState, DeadlinePassed, NoPreferredProvider,
    /// NotProviderSigner, or the registry's eligibility errors (InsufficientFreeStake included).
    function acceptPreferredJob(uint256 jobId, Job calldata job) external;

    /// @notice The client cancels an unassigned (Open) job; maxPayment is credited back to it.
    /// @dev Reverts JobMismatch, NotClient, InvalidJobState.
    function cancelJob(uint256 jobId, Job calldata job) external;

    /// @notice The assigned provider's current signer submits the result commitment before the deadline,
    /// opening the challenge window.
    /// @param resultHash keccak256 of the result artefact.
    /// @param resultURI Where the result is.
    /// @param usage Units consumed (see `Usage` for each job kind).
    /// @param amountDue What the provider claims, <= the agreed price.
    /// @dev Reverts JobMismatch, InvalidJobState, DeadlinePassed, NotProviderSigner, AmountDueExceedsPrice.
    function submitResult(
        uint256 jobId,
        Job calldata job,
        bytes32 resultHash,
        string calldata resultURI,
        Usage calldata usage,
        uint128 amountDue
    ) external;

    /// @notice Settles a submitted job as submitted: the client at any time (early acceptance), anyone once the
    /// challenge window has ended. Credits the exact split (see FeeMath) to pull balances and releases the job's
    /// reservation.
    /// @dev Reverts JobMismatch, InvalidJobState, ChallengeWindowOpen.
    function settle(uint256 jobId, Job calldata job) external;

    /// @notice The client disputes a submitted result while the challenge window is open, posting the bond
    /// `disputeBondFor(job.token, job.price)` in the job's token (needs an ERC-20 approval; pulled from the client).
    /// @param reasonHash keccak256 of the client's off-chain complaint.
    /// @dev Reverts JobMismatch, NotClient, InvalidJobState, ChallengeWindowClosed, FeeOnTransferNotSupported, or
    /// the token's own error.
    function dispute(uint256 jobId, Job calldata job, bytes32 reasonHash) external;

    /// @notice The arbiter resolves a dispute: the provider is paid `providerAmount` (<= amountDue, split with
    /// fees as in settle), the client gets the rest; `slashAmount` (<= the job's reservation: the arbiter's bound) of
    /// the provider's stake goes to the client in the registry and the rest of the reservation is released;
    /// `bondToProvider` (<= job.disputeBond) of the bond goes to the provider, the rest back to the client.
    /// Allowed at any time while Disputed, including after the timeout if nobody applied the timeout rule yet.
    /// @dev Reverts AccessControlUnauthorizedAccount, JobMismatch, InvalidJobState, ProviderAmountExceedsDue,
    /// SlashExceedsReservation, BondShareExceedsBond.
    function resolveDispute(
        uint256 jobId,
        Job calldata job,
        uint128 providerAmount,
        uint256 slashAmount,
        uint128 bondToProvider
    ) external;

    /// @notice Timeout rule: once `disputeTimeout` seconds have passed since the dispute without an arbiter
    /// decision, anyone can settle the job as submitted (the provider is paid amountDue and the whole dispute bond,
    /// no slash, the reservation is released). Arbiter inactivity is an operator failure; the rule restores the
    /// outcome that would have held without the dispute so that funds never stay locked.
    /// @dev Reverts JobMismatch, InvalidJobState, DisputeTimeoutNotReached.
    function resolveDisputeAfterTimeout(uint256 jobId, Job calldata job) external;

    /// @notice After the deadline, anyone refunds a job that is Open (never accepted) or Assigned (accepted,
    /// no result): maxPayment is credited to the client; for an Assigned job the provider is slashed the job's
    /// whole reservation (the job's reservation), paid to the client in the registry.
    /// @dev Reverts JobMismatch, InvalidJobState, DeadlineNotPassed.
    function refund(uint256 jobId, Job calldata job) external;

    /// @notice Mirrors a provider's signer from the registry (called by the registry on register and update, so
    /// submitResult checks the current signer without calling the registry). Only the registry.
    /// @dev Reverts NotRegistry.
    function syncSigner(address provider, address signer) external;

    /// @notice Withdraws the caller's whole pull balance of `token`. Never paused.
    /// @return amount The amount transferred.
    /// @dev Reverts NothingToWithdraw, or the token's error.
    function withdraw(address token) external returns (uint256 amount);

    // ---------------------------------------------------------------- privileged

    /// @notice Adds or removes a payment token. DEFAULT_ADMIN_ROLE only. Removal affects new jobs only.
    /// @dev Reverts AccessControlUnauthorizedAccount, ZeroAddress.
    function setTokenAllowed(address token, bool allowed) external;

    /// @notice Sets the dispute-bond floor of `token` (in its units) for disputes opened afterwards.
    /// DEFAULT_ADMIN_ROLE only.
    /// @dev Reverts AccessControlUnauthorizedAccount, ZeroAddress.
    function setDisputeBondFloor(address token, uint128 floor) external;

    /// @notice Sets the protocol fee for jobs created afterwards. FEE_MANAGER_ROLE only.
    /// @dev Reverts AccessControlUnauthorizedAccount, FeeTooHigh.
    function setProtocolFee(uint16 bps) external;

    /// @notice Sets the treasury credited with the protocol fees of jobs created afterwards (each job snapshots it
    /// in job.treasury). FEE_MANAGER_ROLE only.
    /// @dev Reverts AccessControlUnauthorizedAccount, ZeroAddress.
    function setTreasury(address treasury) external;

    /// @notice Stops createJob* and accept*. PAUSER_ROLE only. Everything else keeps working.
    /// @dev Reverts AccessControlUnauthorizedAccount, MarketIsPaused.
    function pause() external;

    /// @notice Resumes creation and acceptance. PAUSER_ROLE only.
    /// @dev Reverts AccessControlUnauthorizedAccount, MarketNotPaused.
    function unpause() external;

    // ---------------------------------------------------------------- views

    /// @notice The stored hash of job `jobId` (zero if it does not exist).
    function jobHash(uint256 jobId) external view returns (bytes32);

    /// @notice keccak256(abi.encode(job)): what is stored for a job (hashes the struct as passed, without
    /// validating it; a canonically encoded struct gives exactly the stored value).
    function hashJob(Job calldata job) external pure returns (bytes32);

    /// @notice The id the next job will get.
    function nextJobId() external view returns (uint256);

    /// @notice Pull balance of `account` in `token`.
    function balanceOf(address token, address account) external view returns (uint256);

    /// @notice Whether `token` is allowlisted.
    function isTokenAllowed(address token) external view returns (bool);

    /// @notice Whether `nonce` of `client` was used or cancelled. type(uint256).max is reserved (always used): it
    /// marks wallet-created jobs in JobCreated.orderNonce.
    function isNonceUsed(address client, uint256 nonce) external view returns (bool);

    /// @notice Current protocol fee in basis points.
    function protocolFeeBps() external view returns (uint16);

    /// @notice Current treasury (snapshotted into jobs created now).
    function treasury() external view returns (address);

    /// @notice Whether new jobs and acceptances are paused.
    function paused() external view returns (bool);

    /// @notice The EIP-712 digest a client signs for an order.
    function hashOrder(JobParams calldata p, OrderAuth calldata auth) external view returns (bytes32);

    /// @notice The EIP-712 digest the matcher signs for an assignment of the job whose hash (while Open, i.e. as
    /// created) is `jobHash` (type `Assignment(uint256 jobId,bytes32 jobHash,address provider,uint128 price,
    /// uint64 expiry)`).
    function hashAssignment(Assignment calldata assignment, bytes32 jobHash) external view returns (bytes32);

    /// @notice The EIP-712 domain separator (name "GpuMarket", version "1", chain id, this contract).
    function domainSeparator() external view returns (bytes32);

    /// @notice The provider registry.
    function registry() external view returns (IProviderRegistry);

    /// @notice Seconds from result submission during which the client may dispute.
    function challengeWindow() external view returns (uint256);

    /// @notice Seconds after a dispute after which anyone may apply the timeout rule.
    function disputeTimeout() external view returns (uint256);

    /// @notice Longest allowed time from creation to deadline.
    function maxJobDuration() external view returns (uint256);

    /// @notice Cap on the protocol fee in basis points (immutable).
    function maxProtocolFeeBps() external view returns (uint16);

    /// @notice Cap on the model-creator share in basis points (immutable); maxProtocolFeeBps + maxCreatorShareBps
    /// <= 10_000.
    function maxCreatorShareBps() external view returns (uint16);

    /// @notice The stake (staking-token units) a job reserves at acceptance: for a job paid in the registry's
    /// staking token min(reservationCap, max(reservationFloor, price * reservationBps / 10_000)) (rounded down);
    /// for any other token reservationFloor (its price cannot be valued in staking-token units without an
    /// oracle). It is also the missed-deadline penalty and the bound of an arbiter's slash.
    function reservationFor(address token, uint128 price) external view returns (uint128);

    /// @notice Share of the price reserved for a job paid in the staking token, in basis points (immutable).
    function reservationBps() external view returns (uint16);

    /// @notice Smallest reservation of an accepted job, staking-token units (immutable).
    function reservationFloor() external view returns (uint128);

    /// @notice Largest reservation of an accepted job, staking-token units (immutable).
    function reservationCap() external view returns (uint128);

    /// @notice The bond a dispute posts: max(price * disputeBondBps / 10_000 (rounded down), disputeBondFloor(token)),
    /// in `token`.
    function disputeBondFor(address token, uint128 price) external view returns (uint128);

    /// @notice Share of the price a dispute posts as a bond, in basis points (immutable).
    function disputeBondBps() external view returns (uint16);

    /// @notice Smallest dispute bond in `token` (set by the admin; zero by default).
    function disputeBondFloor(address token) external view returns (uint128);
}
