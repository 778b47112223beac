// Package eth is the folder of gpumarket's EVM adapters: the only code that
// imports go-ethereum and the generated bindings. go-ethereum types stop in
// these packages; the rest of the system speaks the root package's domain
// types. The package itself holds no code; each concern has its own:
//
//   - node: reading blocks and logs from a node (Source), with every answer
//     checked, and Classify, the one reader of node error messages.
//   - market: the client of one deployment (Market: calldata for every
//     contract action, reads, Transact for tests and the demo), the job
//     struct's conversions and hash, and the log Decoder the indexer uses.
//   - eip712: gpumarket's typed-data messages (attestation, heartbeat,
//     assignment, job order, EIP-2612 permit), their digests, signatures, and
//     RegistryVerifier (the matcher API's signature checks).
//   - keys: keystore files and their passwords; one loader and one password
//     policy for every command.
//   - resultauth: the EIP-191 signatures clients send to download results.
//   - txmgr: the transaction manager; every transaction sent exactly once.
//   - deploy: deploying the contracts and writing the deployment file.
//   - loadgen: load generation for benchmarks.
//   - ethtest: test support (a real anvil chain with funded accounts and a
//     deployed system).
//
// Invariants of all of them:
//   - Signatures are 65 bytes r‖s‖v with v in {27, 28} and s in the lower
//     half of the curve order; anything else is rejected (EUNAUTHORIZED), so a
//     signature has exactly one valid encoding.
//   - Verification recovers the signer from the digest and compares it with
//     the expected address; a wrong chain id, verifying contract, field value
//     or signer therefore all fail the same way, with EUNAUTHORIZED.
//   - No error or log line ever contains a password or a key.
package eth
