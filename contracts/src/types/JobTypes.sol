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
/// @param specHash keccak256 of the off-chain job description (the document at `specURI`).
/// @param provider Assigned provider (operator address), zero until accepted.
/// @param price Agreed price (<= maxPayment), zero until accepted.
/// @param amountDue Amount the provider claims (<= price), zero until a result is submitted.
/// @param challengeEnd End of the challenge window (exclusive): the client may dispute while block.timestamp < it.
/// @param disputedAt When the client disputed, zero otherwise; the dispute timeout counts from it.
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
    bytes32 specHash;
    address provider;
    uint128 price;
    uint128 amountDue;
    uint40 challengeEnd;
    uint40 disputedAt;
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

/// @notice A matcher-signed assignment (EIP-712 type `Assignment`).
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
