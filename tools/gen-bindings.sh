#!/usr/bin/env bash
# Regenerates bindings/bindings.go from the forge artifacts with the abigen
# pinned in go.mod (`tool` directive), and the dApp exports in contracts/abi/
# (ABIs + EIP-712 typed data, tools/export-abi.js). Run from anywhere;
# `make generate` calls it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export FOUNDRY_SOLC="$root/tools/solc.js"
node_modules/.bin/forge build --quiet
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
node tools/export-abi.js
node tools/combined-json.js > "$tmp"
go tool abigen --v2 --combined-json "$tmp" --pkg bindings --out bindings/bindings.go
# abigen v2 does not prefix output structs with the contract name: bind the colliding contracts separately,
# renaming their eip712Domain (see bindings/contracts.json).
node tools/combined-json.js aliased > "$tmp"
go tool abigen --v2 --combined-json "$tmp" --pkg bindings --alias eip712Domain=tokenEip712Domain \
  --out bindings/bindings_aliased.go
gofmt -w bindings/bindings.go bindings/bindings_aliased.go
# The TypeScript SDK's generated sources: ABIs and typed data (tools/gen-ts.js), and the matcher API's types from
# its OpenAPI document (openapi-typescript, pinned in sdk/ts/package.json).
node tools/gen-ts.js
node_modules/.bin/openapi-typescript matcher/api/openapi.json -o sdk/ts/src/generated/api.ts --silent
