#!/usr/bin/env bash
# Deploys the contracts to a throwaway anvil with contracts/script/Deploy.s.sol and checks the result:
# the deployment JSON exists and is complete, and the deployed contracts answer `cast call` as configured.
# anvil is always stopped (trap), whatever happens.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export FOUNDRY_SOLC="$root/tools/solc.js"
bin="$root/node_modules/.bin"

port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
rpc="http://127.0.0.1:$port"
log=$(mktemp)
out="out/deployment-test-$port.json"
"$bin/anvil" --port "$port" --host 127.0.0.1 >"$log" 2>&1 &
anvil_pid=$!
cleanup() {
  kill "$anvil_pid" 2>/dev/null || true
  wait "$anvil_pid" 2>/dev/null || true
  rm -f "$log" "$out"
}
trap cleanup EXIT

for _ in $(seq 1 50); do
  if "$bin/cast" block-number --rpc-url "$rpc" >/dev/null 2>&1; then break; fi
  sleep 0.1
done
"$bin/cast" block-number --rpc-url "$rpc" >/dev/null || { echo "anvil did not start:" >&2; cat "$log" >&2; exit 1; }

matcher=0x70997970C51812dc3A010C7d01b50e0d17dc79C8
GPUMARKET_DEPLOYMENT_FILE="$out" GPUMARKET_DEPLOY_TEST_STABLECOIN=true GPUMARKET_MATCHER="$matcher" \
  "$bin/forge" script contracts/script/Deploy.s.sol:Deploy --rpc-url "$rpc" --broadcast --slow >/dev/null

fail() { echo "test-deploy: $*" >&2; exit 1; }
[ -s "$out" ] || fail "deployment file $out missing"
get() { node -e 'const d=require(process.argv[1]); const v=process.argv[2].split(".").reduce((o,k)=>o[k],d); console.log(v)' "$root/$out" "$1"; }
chain=$(get chainId); market=$(get contracts.JobMarketplace); registry=$(get contracts.ProviderRegistry)
usdt=$(get tokens.stablecoin); stake=$(get tokens.stakingToken); block=$(get deployBlock)
[ "$chain" = 31337 ] || fail "chainId $chain"
[[ "$block" =~ ^[0-9]+$ ]] || fail "deployBlock $block"
for a in "$market" "$registry" "$usdt" "$stake"; do
  [ "$("$bin/cast" code "$a" --rpc-url "$rpc")" != 0x ] || fail "no code at $a"
done
call() { "$bin/cast" call "$@" --rpc-url "$rpc"; }
lower() { tr 'A-F' 'a-f'; }
[ "$(call "$market" 'registry()(address)' | lower)" = "$(echo "$registry" | lower)" ] || fail "market.registry()"
[ "$(call "$registry" 'marketplace()(address)' | lower)" = "$(echo "$market" | lower)" ] || fail "registry.marketplace()"
[ "$(call "$registry" 'stakingToken()(address)' | lower)" = "$(echo "$stake" | lower)" ] || fail "registry.stakingToken()"
[ "$(call "$market" 'isTokenAllowed(address)(bool)' "$usdt")" = true ] || fail "stablecoin not allowlisted"
[ "$(call "$market" 'protocolFeeBps()(uint16)')" = 250 ] || fail "protocolFeeBps"
[ "$(call "$usdt" 'decimals()(uint8)')" = 6 ] || fail "stablecoin decimals"
[ "$(call "$usdt" 'symbol()(string)')" = '"USDT"' ] || fail "stablecoin symbol"
role=$(call "$market" 'MATCHER_ROLE()(bytes32)')
[ "$(call "$market" 'hasRole(bytes32,address)(bool)' "$role" "$matcher")" = true ] || fail "matcher role"
[ "$(call "$market" 'nextJobId()(uint256)')" = 1 ] || fail "nextJobId"
echo "test-deploy: ok (chain $chain, block $block, JobMarketplace $market, ProviderRegistry $registry, USDT $usdt)"
