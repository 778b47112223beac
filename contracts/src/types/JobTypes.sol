// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice The kind of GPU work a job asks for. It fixes how `Usage` is read.
enum JobKind {
    Render,
    TTS,
    STT,
    LLM
}

/// @notice Job life cycle. States only move forward (numerically increasing along every path):
/// None -> Open -> Assigned -> Submitted -> Disputed -> Settled, with the side exits
/// Open -> Cancelled, Open|Assigned -> Refunded, Submitted -> Settled. Settled, Refunded and Cancelled are terminal.
enum JobState {
    None,
    Open,
    Assigned,
    Submitted,
    Disputed,
    Settled,
    Refunded,
    Cancelled
}

/// @notice The full state of one job. The marketplace stores only `keccak256(abi.encode(job))`; callers pass the
/// struct back in calldata and every job event carries the struct as it is after the change, so the latest
/// event for a job id always holds the exact value to pass in the next call.
/// @param client Who locked the funds and receives refunds.
/// @param token ERC-20 the job is paid in (allowlisted at creation).
/// @param maxPayment Amount locked at creation (exactly what the marketplace received).
/// @param kind Kind of work; see `Usage` for its units.
/// @param state Current state.
/// @param deadline Unix time by which the result must be submitted; after it an unsubmitted job is refundable.
/// @param feeBps Protocol fee in basis points, snapshotted at creation.
/// @param creatorShareBps Model-creator share in basis points of the amount due (0 when there is no creator).
/// @param preferredProvider Provider (operator address) the client picked, or zero for matcher assignment.
/// @param creator Model creator credited with `creatorShareBps`, or zero.
/// @param treasury Account credited with the protocol fee, snapshotted at creation (a later setTreasury does not
/// redirect the fees of existing jobs).
/// @param specHash keccak256 of the off-chain job description (the document at `specURI`).
/// @param provider Assigned provider (operator address), zero until accepted.
/// @param price Agreed price (<= maxPayment), zero until accepted.
/// @param amountDue Amount the provider claims (<= price), zero until a result is submitted.
/// @param challengeEnd End of the challenge window (exclusive): the client may dispute while block.timestamp < it.
/// @param disputedAt When the client disputed, zero otherwise; the dispute timeout counts from it.
/// @param disputeBond Bond (in `token`) the client posted with its dispute, zero otherwise (see
/// IJobMarketplace.disputeBondFor).
struct Job {
    address client;
    address token;
    uint128 maxPayment;
    JobKind kind;
    JobState state;
    uint40 deadline;
    uint16 feeBps;
    uint16 creatorShareBps;
    address preferredProvider;
    address creator;
    address treasury;
    bytes32 specHash;
    address provider;
    uint128 price;
    uint128 amountDue;
    uint40 challengeEnd;
    uint40 disputedAt;
    uint128 disputeBond;
}

/// @notice What a client provides to create a job (from its wallet or inside a signed order).
/// @param kind Kind of work.
/// @param token Payment token (must be allowlisted).
/// @param maxPayment Amount to lock; the client gets back maxPayment - amountDue at settlement.
/// @param deadline Unix time by which the result must be submitted (in the future, within the maximum duration).
/// @param preferredProvider Provider the client picks directly, or zero to let the matcher assign.
/// @param creator Model creator to credit, or zero.
/// @param creatorShareBps Creator share in basis points (must be zero without a creator; capped).
/// @param specHash keccak256 of the job description document.
/// @param specURI Where the job description lives (IPFS, HTTPS, ...); only emitted, never stored.
struct JobParams {
    JobKind kind;
    address token;
    uint128 maxPayment;
    uint40 deadline;
    address preferredProvider;
    address creator;
    uint16 creatorShareBps;
    bytes32 specHash;
    string specURI;
}

/// @notice Usage reported with a result, in units that depend on the job kind:
/// Render: `units` = frames rendered, `extraUnits` = GPU-seconds;
/// TTS: `units` = input characters, `extraUnits` = output audio milliseconds;
/// STT: `units` = input audio seconds, `extraUnits` = output characters;
/// LLM: `units` = input (prompt) tokens, `extraUnits` = output (completion) tokens.
struct Usage {
    uint64 units;
    uint64 extraUnits;
}

/// @notice A matcher-signed assignment. The EIP-712 type the matcher signs,
/// `Assignment(uint256 jobId,bytes32 jobHash,address provider,uint128 price,uint64 expiry)`, has one more member
/// than this struct: `jobHash`, the job's hash while Open (`jobHash(jobId)` right after creation), which the
/// contract fills in from the job being accepted. It binds the assignment to the job's terms, so after a reorg
/// renumbers jobs a signed assignment cannot apply to another job that now holds `jobId` (the signature would not
/// recover to a matcher). It is not passed in calldata because the contract knows it (and it saves gas).
/// @param jobId Job being assigned.
/// @param provider Provider (operator address) that may accept it.
/// @param price Agreed price, <= the job's maxPayment.
/// @param expiry Unix time after which the assignment can no longer be accepted.
struct Assignment {
    uint256 jobId;
    address provider;
    uint128 price;
    uint64 expiry;
}

/// @notice Replay protection and expiry of a signed job order (EIP-712 type `JobOrder` = JobParams + these).
/// @param client The signer; funds are pulled from it.
/// @param nonce Unordered per-client nonce; each can be used or cancelled once.
/// @param expiry Unix time after which the order can no longer be submitted.
struct OrderAuth {
    address client;
    uint256 nonce;
    uint64 expiry;
}

/// @notice An EIP-2612 permit for the payment token (owner = the client, spender = the marketplace).
struct PermitData {
    uint256 value;
    uint256 deadline;
    uint8 v;
    bytes32 r;
    bytes32 s;
}

/// @notice How an amount was split at settlement or dispute resolution; the parts sum exactly to the job's
/// maxPayment: protocolFee + creatorAmount + providerAmount + clientRefund == maxPayment.
/// @param treasury Account credited with the protocol fee.
/// @param protocolFee floor(paid * feeBps / 10_000).
/// @param creatorAmount floor(paid * creatorShareBps / 10_000).
/// @param providerAmount paid - protocolFee - creatorAmount (receives the rounding remainder).
/// @param clientRefund maxPayment - paid.
struct Payout {
    address treasury;
    uint256 protocolFee;
    uint256 creatorAmount;
    uint256 providerAmount;
    uint256 clientRefund;
}

/// @notice JobMarketplace constructor settings (one struct: too many for separate arguments).
/// @param treasury Initial treasury (receives protocol fees of jobs created while it is set).
/// @param protocolFeeBps Initial protocol fee (<= maxProtocolFeeBps).
/// @param maxProtocolFeeBps Immutable cap on the protocol fee; maxProtocolFeeBps + maxCreatorShareBps <= 10_000.
/// @param maxCreatorShareBps Immutable cap on the model-creator share.
/// @param challengeWindow Seconds after a submission during which the client may dispute (> 0).
/// @param disputeTimeout Seconds after a dispute after which anyone may apply the timeout rule (> 0).
/// @param maxJobDuration Longest time from creation to deadline (> 0).
/// @param reservationBps Share of the price reserved from the provider's stake for a job paid in the staking
/// token (<= 10_000).
/// @param reservationFloor Smallest reservation per accepted job, staking-token units (<= the registry's
/// minStake, so a provider holding the minimum can take a job); the whole reservation of a job paid in another
/// token.
/// @param reservationCap Largest reservation per accepted job (>= reservationFloor).
/// @param disputeBondBps Share of the price a client posts as a bond with a dispute (<= 10_000); the per-token
/// floor is set with setDisputeBondFloor.
/// @param adminDelay Delay (seconds) of a DEFAULT_ADMIN_ROLE transfer (OpenZeppelin AccessControlDefaultAdminRules).
struct MarketConfig {
    address treasury;
    uint16 protocolFeeBps;
    uint16 maxProtocolFeeBps;
    uint16 maxCreatorShareBps;
    uint256 challengeWindow;
    uint256 disputeTimeout;
    uint256 maxJobDuration;
    uint16 reservationBps;
    uint128 reservationFloor;
    uint128 reservationCap;
    uint16 disputeBondBps;
    uint48 adminDelay;
}
