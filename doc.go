// Package gpumarket holds the domain of the gpumarket system: the types,
// identifiers, state transitions and error codes that every other package
// speaks. It imports only the standard library.
//
// # The system in one page
//
// gpumarket settles GPU compute jobs (rendering, text-to-speech,
// speech-to-text, LLM inference) between clients (dApps and their users) and
// GPU providers, with the money held by contracts on an EVM chain.
//
//	client wallet ──create job / signed order──▶ JobMarketplace contract (escrow)
//	      ▲                                           │ events
//	      │ refund / change                           ▼
//	      │                                  indexer ──▶ PostgreSQL ◀── analysts (SQL)
//	      │                                                 │ LISTEN/NOTIFY
//	      │                                                 ▼
//	      │                 provider relayer ◀─signed assignment─ matcher (+ pricing oracle)
//	      │                        │
//	      └── settle / dispute ◀───┴──accept, submit result, settle, withdraw──▶ chain
//
// Who writes what:
//   - contracts/ hold the funds. Clients lock the maximum payment when they
//     create a job (from their wallet, or through an EIP-712 order that anyone
//     may submit). A provider's signer accepts a job with an assignment signed
//     by the matcher (or directly when the client named it), commits a result
//     hash, and is paid after a challenge window. Fees are split on-chain into
//     pull balances; expiry refunds are permissionless; an arbiter resolves
//     disputes; providers stake and are slashed for objective faults.
//   - indexer/ is the only writer of the chain mirror in PostgreSQL. It copies
//     every contract event, follows reorgs, and commits its cursor in the same
//     transaction as the rows it covers.
//   - matcher/ reads the mirror, verifies providers' signed attestations and
//     heartbeats, scores providers for each open job, and signs assignments.
//   - relayer/ is the provider's side: package relayer is the job loop (it
//     accepts assignments, runs the job through an executor, and sends
//     transactions through a journal that never sends one twice or loses
//     one) and relayer/daemon is the daemon that builds and runs it.
//   - migrations/ is the schema, applied by `gpumarket migrate up`.
//
// # The job lifecycle
//
// A job moves only forward through the states of [JobState]:
//
//	Open ──accept──▶ Assigned ──submit──▶ Submitted ──settle──▶ Settled
//	 │                  │                    │
//	 │                  │                    └──dispute──▶ Disputed ──resolve / timeout──▶ Settled
//	 ├──cancel (client)──▶ Cancelled
//	 └──expire──▶ Refunded ◀──expire, no result (provider slashed)──┘ (from Assigned)
//
// [JobState.CanMoveTo] is the single source of these rules off-chain; the
// contracts enforce the same rules on-chain.
//
// Amounts are exact integers in the token's base units (*big.Int in Go,
// NUMERIC(78,0) in PostgreSQL); floats never carry money.
package gpumarket
