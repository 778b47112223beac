#!/usr/bin/env bash
# Checks the pinned toolchain: the solc stand-in answers like native solc
# (--version, --standard-json with imports resolved through --base-path and
# --include-path), and forge compiles through it from a clean cache.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
fail() { echo "toolchain: $*" >&2; exit 1; }

node tools/solc.js --version | grep -q '^Version: 0\.8\.30+' || fail "solc stand-in --version does not report 0.8.30"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/base/src" "$tmp/inc/lib"
cat > "$tmp/inc/lib/Lib.sol" <<'SOL'
// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;
library Lib { function two() internal pure returns (uint256) { return 2; } }
SOL
input='{"language":"Solidity","sources":{"src/A.sol":{"content":"// SPDX-License-Identifier: MIT\npragma solidity 0.8.30;\nimport {Lib} from \"lib/Lib.sol\";\ncontract A { function f() external pure returns (uint256) { return Lib.two(); } }"}},"settings":{"outputSelection":{"*":{"*":["abi","evm.bytecode.object"]}}}}'
out=$(echo "$input" | node tools/solc.js --standard-json --base-path "$tmp/base" --include-path="$tmp/inc")
echo "$out" | grep -q '"A":' || fail "standard-json did not compile A: $out"
echo "$out" | grep -q '"severity":"error"' && fail "standard-json reported an error: $out"

bad='{"language":"Solidity","sources":{"src/B.sol":{"content":"pragma solidity 0.8.30;\nimport \"missing/X.sol\";\ncontract B {}"}},"settings":{"outputSelection":{"*":{"*":["abi"]}}}}'
echo "$bad" | node tools/solc.js --standard-json --base-path "$tmp/base" | grep -q 'File not found: missing/X.sol' \
  || fail "a missing import is not reported as File not found"

export FOUNDRY_SOLC="$root/tools/solc.js"
node_modules/.bin/forge build --force --quiet --out "$tmp/out" --cache-path "$tmp/cache"
[ -s "$tmp/out/TestERC20.sol/TestERC20.json" ] || fail "forge build through the stand-in produced no TestERC20 artifact"
echo "toolchain: solc stand-in and forge build OK"
