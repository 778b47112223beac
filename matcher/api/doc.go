// Package api serves the matcher's provider- and dApp-facing HTTP API
// (/v1, described by openapi.json): spec uploads and downloads, the input
// store (content-addressed blobs), live job status streams, signed
// attestations and heartbeats, a provider's pending assignments, job and
// provider listings, oracle rates and quotes. The assignment queue itself
// (claim, decide, record) is package matcher/service; both share its store.
//
// The API reads and writes through the consumer-declared Store (implemented
// by internal/postgres) and checks provider signatures through Verifier
// (implemented by internal/eth/eip712), so it needs neither pgx nor go-ethereum.
//
// Every route that depends on the chain has a chain-scoped form under
// ChainPrefix (/v1/chains/{chainId}/...) that answers 404, naming the
// chain served, for any other chain; the unscoped forms are aliases of
// Config.ChainID's. Specs and blobs (content-addressed) and the Solana
// rail's quotes have no chain-scoped form.
//
// Invariants:
//   - Handlers validate everything before touching the store: bad input is
//     a 4xx whose {"error": message} names what is wrong, and changes
//     nothing. Reads (every GET, and POST /v1/quote) never write.
//   - Handlers return their errors; Server.Error is the one place that maps
//     gpumarket error codes to HTTP statuses. A 5xx is logged and shows only
//     "internal error"; a 4xx message quotes at most MaxEchoBytes of any
//     input, is cut to MaxMessageBytes, and never carries the store's
//     driver text.
//   - Every JSON body is sent as exactly application/json (charset utf-8
//     at most) and decoded strictly (gpumarket.UnmarshalStrict: duplicate
//     and case-variant keys refused).
//   - A spec upload is charged to its caller (callerOf: the client IP)
//     under Config.SpecQuota, counted in the store so that it holds across
//     replicas; over it, a 429 with Retry-After names the quota.
//   - Every route caps its own body (DefaultMaxBodyBytes; Config.BlobMaxBytes
//     for POST /v1/blobs); the server-wide cap is MaxBodyBytes, the largest.
//   - An input (POST /v1/blobs) is visible under its SHA-256 only once it
//     was streamed in full, hashed, found to match the declared hash and
//     charged to its caller's Config.BlobQuota; anything refused leaves
//     nothing stored. Inputs are served as application/octet-stream only.
//   - A status stream's event ids are cursors over durable, ordered rows
//     (chain events by block and log index, offers by id, the matching
//     state's update time): resuming with Last-Event-ID delivers exactly the
//     events after it. One LISTEN per process (RunEvents) wakes the streams;
//     each re-reads at every heartbeat too. Streams are capped per client
//     (429) and overall (503); each write has its own deadline, so a stalled
//     client is dropped and the server's write timeout never cuts a stream.
//   - A quote reads only the providers the store's SQL filter selects
//     (service.QuoteFilter) and decodes only the attestations the shared
//     cache (service.AttestationCache) misses.
package api
