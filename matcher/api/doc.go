// Package api serves the matcher's provider- and dApp-facing HTTP API
// (/v1, described by openapi.json): spec uploads and downloads, signed
// attestations and heartbeats, a provider's pending assignments, job and
// provider listings, oracle rates and quotes. The assignment queue itself
// (claim, decide, record) is package matcher/service; both share its store.
//
// The API reads and writes through the consumer-declared Store (implemented
// by internal/postgres) and checks provider signatures through Verifier
// (implemented by internal/eth/eip712), so it needs neither pgx nor go-ethereum.
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
//   - A quote reads only the providers the store's SQL filter selects
//     (service.QuoteFilter) and decodes only the attestations the shared
//     cache (service.AttestationCache) misses.
package api
