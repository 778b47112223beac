// Package eth is gpumarket's EVM adapter: the only package that imports
// go-ethereum's clients and the generated bindings. It reads blocks and logs
// from a node for the indexer (checking the node's answers for consistency
// and translating its error messages into the domain's node errors), turns
// contract logs into domain events, and holds the EIP-712 and signing code.
// go-ethereum types do not leave this package.
package eth
