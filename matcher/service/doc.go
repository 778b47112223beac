// Package service is the matcher's assignment queue, run against
// PostgreSQL: it claims open, funded jobs with leases (several instances may
// run at once), decides them with matcher.Decider, signs assignments with
// the matcher key, records each decision with its score components and
// runners-up, offers a job to the next candidate when an offer expires
// unaccepted, and does the periodic work (leases, liveness, reputation,
// oracle snapshots, deletion of specs no job references after
// Config.SpecGCGrace, collection of the input store: CollectBlobs) on a
// robfig/cron schedule. It publishes the decoded
// attestations of its candidates (Config.Attestations) for the API's
// quotes. The HTTP API (/v1) is
// package matcher/api, over the same store.
//
// The pure decisions stay in package matcher; this package does I/O through
// the consumer-declared Store and Maintainer interfaces (internal/postgres's
// MatcherQueue and MatcherMaintenance implement them) and signs through
// matcher.AssignmentSigner. The record and view types of store.go and
// views.go are the store's results for both the queue and the API; they
// carry domain types (gpumarket.Amount for money), and matcher/api alone
// shapes them as JSON.
//
// Several instances split the providers, not the jobs: each leases a share
// of Partitions provider partitions (Rebalance, KeepPartitions) and offers
// jobs only to its own providers, routing a job it cannot place to the
// partition of the best provider elsewhere; see partition.go.
//
// Files: service.go claims and records (Step, Drain), decide.go decides
// claimed jobs, partition.go the provider partitions, run.go is the daemon
// loop and the periodic work, fetch.go
// resolves spec URIs, cache.go is the shared attestation cache, specs.go
// the spec upload quota and garbage collection.
//
// Invariants:
//   - A job has at most one live offer (a unique index), and a claimed job
//     is recorded only while the claim is still held.
//   - A provider never holds more live offers plus running jobs than its
//     attested slots: offers are inserted under a row lock on the
//     provider's live-offer count (matcher_provider_load, kept exact by
//     triggers on assignments).
//
// Throughput: Service.Drain (what Run uses) overlaps consecutive batches:
// while one batch is decided (sequentially: each offer takes a slot before
// the next job is decided) and signed (on every CPU), the previous one is
// being recorded and the next one claimed.
package service
