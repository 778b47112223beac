// Package eth is gpumarket's EVM adapter: the only package that imports
// go-ethereum's clients and cryptography and the generated bindings;
// go-ethereum types stop here, and the rest of the system speaks the root
// package's domain types.
//
// source.go reads blocks and logs for the indexer, checking the node's
// answers for consistency and translating its error messages into the
// domain's node errors (classify is the only place that reads them).
//
// The typeddata*.go files hold gpumarket's EIP-712 messages: the provider's
// attestation and heartbeat (signed by the provider's registered signer,
// domain "gpumarket ProviderRegistry") and the matcher's assignment (signed by
// the matcher key, domain "gpumarket JobMarket"). Each type is defined by one
// type-string constant, parsed into go-ethereum's apitypes.TypedData, so that
// aligning with the contracts means changing one string. resultauth.go
// verifies the EIP-191 signatures clients use to download their results.
//
// market.go is the client of one deployment (Market): for every
// JobMarketplace and ProviderRegistry action it returns the calldata (Call)
// that a relayer hands to TxManager.Submit, and Transact sends a Call with
// bind.TransactOpts for tests and the demo. Job actions pass the whole
// current Job back (JobToBinding), as the contract requires; HashJob
// computes keccak256(abi.encode(job)) locally, which must equal the
// contract's jobHash. typeddata_order.go holds the client's EIP-712
// JobOrder (gasless posting) and EIP-2612 permits. decode.go turns the logs
// of both contracts into the root package's events (Decoder, used by the
// indexer); it accepts only canonical ABI encodings.
//
// keys.go and keystore.go hold the provider's keys: go-ethereum keystore (V3)
// files read (LoadKey) and written (WriteKey, mode 0600, never over an
// existing file), and their passwords (ReadPassword, from a file no other
// user can read, or an environment variable); no error or log line ever
// contains a password or a key.
//
// txmanager*.go hold the transaction manager (TxManager), through which a
// provider's relayer sends every transaction exactly once:
//   - every action has an idempotency key; submitting a key twice never sends twice;
//   - a nonce is allocated from the journal in the same database transaction
//     that stores the signed raw transaction, before any broadcast; nonces
//     have no gaps and no duplicates, and a nonce is never re-used for another
//     action: an abandoned action's nonce is filled with a 0-value
//     self-transfer;
//   - after a restart, in-flight transactions are re-sent byte for byte;
//     a new signature at the same nonce is made only to raise fees (stuck, or
//     below the base fee) or to fill;
//   - an action is done only when its receipt is at the confirmation depth;
//     a reorg that removes it sends it again;
//   - one process sends for a key at a time (a PostgreSQL advisory lock held
//     by Run).
//
// Invariants of the rest:
//   - Signatures are 65 bytes r‖s‖v with v in {27, 28} and s in the lower
//     half of the curve order; anything else is rejected (EUNAUTHORIZED), so a
//     signature has exactly one valid encoding.
//   - Verification recovers the signer from the digest and compares it with
//     the expected address; a wrong chain id, verifying contract, field value
//     or signer therefore all fail the same way, with EUNAUTHORIZED.
//   - The attestation commitment registered on-chain is the EIP-712 struct
//     hash (hashStruct) of the attestation document, without the domain.
//   - Node answers are checked before they are returned: header hashes are
//     computed from the header, logs must lie in the block or range asked
//     for, with no duplicates, and an empty log list contradicted by the
//     bloom filter is cross-checked against the receipts.
package eth
