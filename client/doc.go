// Package client is the Go package for gpumarket's clients (dApps, scripts,
// the `gpumarket job` command): it takes a job from files and flags to a
// verified result.
//
// A Client holds one key (the client's wallet), one matcher and one chain:
//
//	c, err := client.Dial(ctx, client.Config{MatcherURL: ..., RPCURL: ..., Deployment: d, Key: key})
//	spec, err := c.BuildSpec(ctx, client.SpecRequest{Kind: gpumarket.JobKindLLM, Model: "llama-3-8b-instruct-q4", Params: ...})
//	sub, err := c.Submit(ctx, client.SubmitRequest{Spec: spec, MaxPrice: max})
//	st, err := c.AwaitResult(ctx, sub.JobID, progress) // refunds a job nobody served in time (ErrRefunded)
//	res, err := c.SaveResult(ctx, sub.JobID, "out.jsonl")
//
// Submit does every check before it sends anything: the spec is decoded
// with gpumarket.DecodeJobSpec, quoted (a max price below the market band
// is refused, with the band in the message; a spec no provider serves is
// refused), and the wallet's token balance, allowance and gas are read; a
// transaction is sent only when all pass. It funds the job with an EIP-2612
// permit (createJobWithPermit) when the token supports one, and with an
// approve otherwise, then reads the job id from the receipt's JobCreated
// log.
//
// The chain is the source of truth: a job's state, its result hash and URI
// are rebuilt from the marketplace's logs (market.JobRecord, from the
// deployment's block), and the matcher's job view only adds why a job is
// not matched yet. A result is accepted only when its bytes hash
// (keccak256) to the hash the provider committed on-chain; otherwise
// SaveResult returns ErrResultMismatch and keeps nothing.
//
// Inputs: with a BlobStore (the matcher's POST /v1/blobs), input files are
// uploaded and referenced by URI, sha256 and size; with
// Config.InlineSmallInputs too, only those over MaxInlineInputBytes are
// (what `gpumarket job --input-store auto`, the default, does). Without
// one, an input of at most MaxInlineInputBytes is embedded in the spec as a
// data: URI (gpumarket.DataURI) and a larger one is refused (EINVALID).
//
// Ports, each with an implementation against the matcher's API (issue 14's
// wire contract) and the default when unset: BlobStore (MatcherBlobs; unset:
// inline data: URIs), Notifier (MatcherEvents; unset: polling only),
// OrderRelay (the matcher's POST /v1/orders; unset: FundOrder is refused)
// and Sender (*market.Wallet of Config.Key; JournaledSender puts a
// journaled transaction manager, internal/eth/txmgr's, in its place: with
// WithTxKey each transaction is recorded under a key, so a retry or a
// restart sends nothing twice).
//
// Chain reads: List and Status rebuild jobs from the marketplace's logs,
// read from the deployment block to the head in ranges of at most
// Config.MaxLogRange blocks, narrower where the node refuses a range.
//
// Live status: Watch re-reads the job (chain logs and the matcher's view)
// every Config.PollInterval; a Notifier (the matcher's event stream) only
// wakes it earlier. It never trusts an event's content.
//
// Conditions callers branch on are sentinel errors checked with errors.Is
// (ErrNoProvider, ErrBelowBand, ErrRefunded, ErrResultMismatch,
// ErrInsufficientFunds, ErrWrongChain); every error also carries a
// gpumarket error code (gpumarket.ErrorCode) and a message fit for users.
// The key is never logged nor put in an error.
package client
