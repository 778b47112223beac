// Package matcher decides which attested GPU provider gets each open job,
// explains every decision, tracks offers until they are accepted or move to
// the runner-up, computes provider reputation, runs the pricing oracle, and
// keeps each provider's liveness status. It is pure logic: no I/O, no
// goroutines, no wall clock (time comes from arguments or an injected
// now func), no go-ethereum (signatures and hashes are internal/eth/eip712's job,
// reached through the consumer-declared AssignmentSigner interface).
//
// Invariants:
//   - Money is *big.Int (token base units) or uint64 where it provably fits;
//     scores are fixed-point integers with Scale = 1,000,000 meaning 1.0.
//     No float touches money or a score, so every process on every platform
//     makes the same decision from the same inputs.
//   - Decisions are deterministic: candidates are ranked by total score, then
//     lower cost, then lower provider address.
//   - A provider never holds more offered-or-accepted jobs than the slots its
//     attestation advertises (Book).
//   - Stake alone cannot buy the market: the stake component saturates at
//     Params.StakeCap and its weight is at most MaxStakeWeight, so a provider
//     that is worse than another by more than that weight on the other
//     components loses whatever its stake.
//   - The oracle's fair rate cannot be moved by providers without completed
//     volume beyond the bound documented on FairRate.
//
// Measured speed: a provider's attestation may carry benchmarks measured by
// `gpumarket relayer check` (frames/s, tokens/s, real-time factor per kind
// and model). EstimatedRunMs turns the job's estimate into a run time with
// them; the deadline filter (RejectDeadline) rejects a provider that would
// finish after the job's deadline, and the throughput score component
// (weight Weights.Throughput, 0.10 by default) ranks faster providers
// higher: Scale × fastest estimate / own estimate, NeutralThroughput (0.5)
// without a benchmark. When no eligible candidate of a decision has a
// benchmark, the throughput weight is added to the price weight, so the
// decision is the one made before benchmarks existed. Providers without a
// benchmark are never rejected by the deadline filter.
//
// The SQL (reputation recomputed in the database, leases with SKIP LOCKED),
// HTTP and cron parts of the matcher build on these functions.
package matcher
