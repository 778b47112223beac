// Package solana follows the Solana payment rail of the market: clients
// pay for GPU jobs in SOL or an SPL token (e.g. USDC) by transferring to a
// provider's or the market's deposit address, with a memo that names the
// job. It is the only package of the module that imports solana-go; its
// results are plain Go values (base58 strings, *big.Int, time.Time).
//
// # Flow
//
// A [Follower] reads the cluster's genesis hash once ([Follower.Genesis])
// and is pinned to it, pages through getSignaturesForAddress for the
// watched address (newest first, before/until cursors), skips failed
// transactions (recording why), fetches the others with getTransaction
// (maxSupportedTransactionVersion 0, encoding jsonParsed, json or base64),
// checks that each answer carries the requested signature, and decodes
// them with [DecodeTransaction] into [Payment] values ([DecodeCredits] also
// reports the lamports that are not payments, [NotPayment]). An answer
// that carries the right signature but cannot be decoded is set aside
// ([Rejected], with the reason) and the poll goes on. [Follower.PollWatch]
// and [Follower.PollEach] poll any set of addresses, each independently,
// listing one address and crediting another (a Solana Pay reference key
// and its recipient).
//
// # What counts as a payment
//
// Every System Program transfer and every SPL Token or Token-2022
// Transfer/TransferChecked, top-level or inner (CPI), that credits the
// watched address, or (SPL) a token account whose owner, per the
// transaction's token balances, is the watched address. The payer is the
// transfer's source (SOL) or authority (SPL), never assumed to be the fee
// payer: relayers commonly pay fees for clients. Memos are read from the
// spl-memo v1 and v2 programs; a memo in the format described at
// [ParseJobRef] ("gpumarket:job:<chainId>:<jobId>") yields a [JobRef],
// any other memo is kept as plain-text reference in Payment.Memo.
//
// # Memo format
//
// A payment names its job with one memo instruction whose text is exactly
//
//	gpumarket:job:<chainId>:<jobId>
//
// chainId is the decimal EVM chain id of the market (1 to 2^64-1), jobId
// the decimal job id (0 to 2^256-1); no sign, no leading zeros, no spaces,
// case-sensitive, nothing before or after. Example: "gpumarket:job:8453:42".
// A memo that does not start with "gpumarket:" is a plain-text reference
// (kept in Payment.Memo, JobRef nil). A memo that starts with "gpumarket:"
// but breaks the format sets Payment.JobRefErr (ErrMalformedMemo); two
// memos naming different jobs set ErrAmbiguousMemo. The payment is
// reported either way: money that arrived is never hidden because its
// memo is wrong. The RPC's own memo summary in getSignaturesForAddress
// ("[<len>] <text>; ...") is split by [ParseSignatureMemo].
//
// # Invariants
//
//   - A failed transaction (err not null) never yields a payment; it is
//     reported as a [FailedError] or in PollResult.Skipped with its reason.
//     meta.err and meta.status must both be present and agree, and fee,
//     preBalances and postBalances present; otherwise the transaction is
//     malformed (set aside), never credited.
//   - Every getTransaction answer is checked against the requested
//     signature before anything in it is believed ([ErrWrongTransaction]).
//   - Instruction data is read as the programs read it: the System
//     program (bincode) and the token programs (TokenInstruction::unpack)
//     ignore trailing bytes, so transfers with extra data are payments;
//     data too short fails on chain and is malformed.
//   - Nothing in a memo can fail a poll: the RPC's "[N] (unparsable)" for
//     a memo that is not UTF-8 is [UnparsableMemo] (no job), and a memo
//     field that cannot be parsed at all is kept as SignatureInfo.MemoErr.
//   - Transactions are handled oldest first; a failed fetch stops the
//     poll with the part already handled and a cursor that covers exactly
//     that, so nothing is skipped and nothing handled is fetched again.
//   - A payment is final (Payment.Final) only when the RPC reported the
//     transaction as finalized; PollResult.Cursor never moves past a
//     transaction that is not finalized, so payments seen at "confirmed"
//     are reported again until they are final.
//   - Account indexes of v0 transactions resolve against the static keys,
//     then meta.loadedAddresses writable, then readonly; a mismatch with
//     the message's lookups is an error, never a guess.
//   - Amounts are exact base units that fit in a u64; anything else is an
//     error wrapping [ErrMalformed]. Decoding never panics on any input
//     (fuzzed).
//   - The package holds no global state and no context; logs go to the
//     injected *slog.Logger.
//
// # Limits
//
// Not payments, reported as [NotPayment] with the reason: System
// TransferWithSeed, and the rent the Associated Token Account program moves
// into a token account it creates (a System transfer or createAccount it
// invokes, found by stackHeight; responses older than RPC 1.14 carry no
// stackHeight, so there only an ATA instruction at top level is seen).
// Not recognized at all: Token-2022 TransferCheckedWithFee and
// confidential transfers, lamports moved by other CreateAccounts or by
// closing an account. Zero-amount transfers are
// reported (amount 0); the caller decides. getSignaturesForAddress lists a
// transaction under the accounts it touches, so SPL payments into an
// existing token account are found by following the token account, not
// its owner (see Config.Address).
//
// # Errors
//
// Conditions callers branch on are sentinels ([ErrNotFound],
// [ErrMalformed], [ErrWrongTransaction], [ErrWrongCluster], [ErrNoJobRef],
// [ErrMalformedMemo], [ErrAmbiguousMemo], [ErrRateLimited],
// [ErrInvalidConfig]) or typed ([FailedError],
// [RPCError]); every error is wrapped with the operation that failed.
package solana
