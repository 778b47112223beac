// Package bindings holds the Go bindings of the gpumarket contracts, generated
// by abigen (--v2) from the Foundry artifacts. bindings.go and
// bindings_aliased.go are generated: DO NOT EDIT them; change the contracts or
// bindings/contracts.json and run `make generate` (or `go generate ./bindings`).
// CI fails when they are stale. bindings_aliased.go holds contracts whose
// method names collide with those in bindings.go (abigen v2 does not prefix
// output structs); TestERC20's eip712Domain is bound as TokenEip712Domain.
//
// Only the packages under internal/eth import this package.
package bindings

//go:generate bash ../tools/gen-bindings.sh
