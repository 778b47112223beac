// Package node reads blocks and the logs of gpumarket's contracts from an
// EVM node for the indexer (Source), and classifies node errors (Classify).
//
// Node answers are checked before they are returned: header hashes are
// computed from the header, logs must lie in the block or range asked for,
// with no duplicates, and an empty log list contradicted by the bloom filter
// is cross-checked against the receipts.
//
// Classify is the only place that reads node error messages, for the read
// path (ranges too large, rate limits, timeouts: the root package's node
// errors the indexer branches on) and for the transaction manager (already
// known, nonce too low, underpriced, ...) alike.
package node
