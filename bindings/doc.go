// Package bindings holds the Go bindings of the gpumarket contracts, generated
// by abigen (--v2) from the Foundry artifacts. bindings.go is generated: DO
// NOT EDIT it; change the contracts or bindings/contracts.json and run
// `make generate` (or `go generate ./bindings`). CI fails when it is stale.
//
// Only internal/eth and the test harness internal/chaintest import this package.
package bindings

//go:generate bash ../tools/gen-bindings.sh
