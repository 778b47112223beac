// Package market is the client of one gpumarket deployment.
//
// For every JobMarketplace and ProviderRegistry action, Market returns the
// calldata (Call) that a relayer hands to the transaction manager, and
// Transact sends a Call with bind.TransactOpts for tests and the demo. Job
// actions pass the whole current Job back (JobToBinding), as the contract
// requires; HashJob computes keccak256(abi.encode(job)) locally, which must
// equal the contract's jobHash.
//
// Decoder turns the logs of both contracts into the root package's events
// (used by the indexer); it is a table of one named method per event and
// accepts only canonical ABI encodings.
package market
