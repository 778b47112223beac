// Package txmgr is the transaction manager (Manager) through which a
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
// Node errors are classified by node.Classify.
package txmgr
