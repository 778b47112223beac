#!/usr/bin/env bash
# Regenerates bindings/bindings.go from the forge artifacts with the abigen
# pinned in go.mod (`tool` directive). Run from anywhere; `make generate` calls it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export FOUNDRY_SOLC="$root/tools/solc.js"
node_modules/.bin/forge build --quiet
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
node tools/combined-json.js > "$tmp"
go tool abigen --v2 --combined-json "$tmp" --pkg bindings --out bindings/bindings.go
gofmt -w bindings/bindings.go
