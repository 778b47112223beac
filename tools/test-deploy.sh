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
usdt=$(get tokens.stablecoin); stake=$(get tokens.stakingToken); block=$(get deployBlock); treasury=$(get roles.treasury)
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
last_total=0
# ---------------------------------------------------------------- happy path through cast, twice
# (client = anvil account 2, provider operator = 3, provider signer = 4, matcher = 1). Proves the exported
# EIP-712 typed data signs what the contract verifies, that the Job struct rebuilt off-chain hashes to jobHash,
# and measures real transaction gas (receipts' gasUsed).
k_matcher=0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d
k_client=0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a
k_operator=0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6
k_signer=0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a
k_relayer=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80
client=$("$bin/cast" wallet address --private-key $k_client)
operator=$("$bin/cast" wallet address --private-key $k_operator)
signer=$("$bin/cast" wallet address --private-key $k_signer)
send() { local key=$1; shift; "$bin/cast" send --private-key "$key" --rpc-url "$rpc" --json "$@"; }
gas_of() { node -e 'console.log(parseInt(JSON.parse(process.argv[1]).gasUsed))' "$1"; }
ts_of() { "$bin/cast" block "$(node -e 'console.log(parseInt(JSON.parse(process.argv[1]).blockNumber))' "$1")" -f timestamp --rpc-url "$rpc"; }
ok_of() { [ "$(node -e 'console.log(JSON.parse(process.argv[1]).status)' "$1")" = 0x1 ] || fail "transaction failed: $1"; }
zero=0x0000000000000000000000000000000000000000

send $k_client "$usdt" 'mint(address,uint256)' "$client" 1000000000 >/dev/null
send $k_client "$usdt" 'approve(address,uint256)' "$market" 1000000000 >/dev/null
send $k_operator "$stake" 'mint(address,uint256)' "$operator" 100000000000000000000 >/dev/null
send $k_operator "$stake" 'approve(address,uint256)' "$registry" 100000000000000000000 >/dev/null
now=$("$bin/cast" block latest -f timestamp --rpc-url "$rpc")
send $k_operator "$registry" 'register(address,bytes32,uint40,string)' "$signer" "$("$bin/cast" keccak report)" \
  $((now + 86400 * 30)) "https://provider.example" >/dev/null
send $k_operator "$registry" 'stake(uint256)' 100000000000000000000 >/dev/null

job_sig='(address,address,uint128,uint8,uint8,uint40,uint16,uint16,address,address,address,bytes32,address,uint128,uint128,uint40,uint40,uint128)'
spec=$("$bin/cast" keccak spec)
happy_path() {
  local id=$1 now deadline job r g total=0 sig challenge_end open_hash
  now=$("$bin/cast" block latest -f timestamp --rpc-url "$rpc")
  deadline=$((now + 86400))
  r=$(send $k_client "$market" 'createJob((uint8,address,uint128,uint40,address,address,uint16,bytes32,string))' \
    "(0,$usdt,100000000,$deadline,$zero,$zero,0,$spec,ipfs://spec)"); ok_of "$r"; g=$(gas_of "$r"); total=$((total + g))
  echo "  createJob      $g"
  job="($client,$usdt,100000000,0,1,$deadline,250,0,$zero,$zero,$treasury,$spec,$zero,0,0,0,0,0)"
  open_hash=$(call "$market" 'jobHash(uint256)(bytes32)' "$id")
  [ "$(call "$market" "hashJob($job_sig)(bytes32)" "$job")" = "$open_hash" ] \
    || fail "off-chain Job struct does not hash to jobHash($id)"
  node -e '
    const d = require(process.argv[1]);
    d.domain.chainId = 31337; d.domain.verifyingContract = process.argv[2];
    d.message = { jobId: process.argv[3], jobHash: process.argv[7], provider: process.argv[4], price: "80000000",
      expiry: Number(process.argv[5]) };
    require("fs").writeFileSync(process.argv[6], JSON.stringify(d));
  ' "$root/contracts/abi/typed-data/Assignment.json" "$market" "$id" "$operator" $((now + 600)) \
    "$root/out/assignment-$port.json" "$open_hash"
  sig=$("$bin/cast" wallet sign --data --from-file "$root/out/assignment-$port.json" --private-key $k_matcher)
  rm -f "$root/out/assignment-$port.json"
  r=$(send $k_signer "$market" "acceptJob(uint256,$job_sig,(uint256,address,uint128,uint64),bytes)" "$id" "$job" \
    "($id,$operator,80000000,$((now + 600)))" "$sig"); ok_of "$r"; g=$(gas_of "$r"); total=$((total + g))
  echo "  acceptJob      $g"
  job="($client,$usdt,100000000,0,2,$deadline,250,0,$zero,$zero,$treasury,$spec,$operator,80000000,0,0,0,0)"
  r=$(send $k_signer "$market" "submitResult(uint256,$job_sig,bytes32,string,(uint64,uint64),uint128)" "$id" "$job" \
    "$("$bin/cast" keccak result)" "ipfs://result" "(1200,3600)" 75000000); ok_of "$r"; g=$(gas_of "$r"); total=$((total + g))
  echo "  submitResult   $g"
  challenge_end=$(( $(ts_of "$r") + 3600 ))
  job="($client,$usdt,100000000,0,3,$deadline,250,0,$zero,$zero,$treasury,$spec,$operator,80000000,75000000,$challenge_end,0,0)"
  r=$(send $k_client "$market" "settle(uint256,$job_sig)" "$id" "$job"); ok_of "$r"; g=$(gas_of "$r"); total=$((total + g))
  [ "$(call "$market" 'jobHash(uint256)(bytes32)' "$id")" = 0x0000000000000000000000000000000000000000000000000000000000000000 ] \
    || fail "a settled job's hash is not deleted"
  [ "$(call "$registry" 'freeStakeOf(address)(uint256)' "$operator")" = "100000000000000000000 [1e20]" ] \
    || fail "the reservation was not released at settle"
  echo "  settle         $g"
  echo "  total          $total"
  last_total=$total
}
echo "test-deploy: happy path on anvil, first job (every balance starts at zero), receipts' gasUsed:"
happy_path 1
echo "test-deploy: happy path on anvil, second job (steady state):"
happy_path 2
[ "$last_total" -le 250000 ] || fail "steady-state happy path costs $last_total gas > 250000"
[ "$(call "$market" 'balanceOf(address,address)(uint256)' "$usdt" "$operator")" = "146250000 [1.462e8]" ] \
  || fail "provider balance after two jobs: $(call "$market" 'balanceOf(address,address)(uint256)' "$usdt" "$operator")"
r=$(send $k_operator "$market" 'withdraw(address)' "$usdt"); ok_of "$r"
echo "test-deploy: provider withdraw gas $(gas_of "$r")"

# ---------------------------------------------------------------- a gasless order signed with cast wallet sign --data
now=$("$bin/cast" block latest -f timestamp --rpc-url "$rpc")
node -e '
  const d = require(process.argv[1]);
  d.domain.chainId = 31337; d.domain.verifyingContract = process.argv[2];
  Object.assign(d.message, { kind: 3, token: process.argv[3], maxPayment: "5000000", deadline: Number(process.argv[4]),
    specHash: process.argv[5], specURI: "ipfs://llm-spec", client: process.argv[6], nonce: "7", expiry: Number(process.argv[7]) });
  require("fs").writeFileSync(process.argv[8], JSON.stringify(d));
' "$root/contracts/abi/typed-data/JobOrder.json" "$market" "$usdt" $((now + 3600)) "$spec" "$client" $((now + 600)) \
  "$root/out/order-$port.json"
sig=$("$bin/cast" wallet sign --data --from-file "$root/out/order-$port.json" --private-key $k_client)
rm -f "$root/out/order-$port.json"
r=$(send $k_relayer "$market" \
  'createJobFromOrder((uint8,address,uint128,uint40,address,address,uint16,bytes32,string),(address,uint256,uint64),bytes)' \
  "(3,$usdt,5000000,$((now + 3600)),$zero,$zero,0,$spec,ipfs://llm-spec)" "($client,7,$((now + 600)))" "$sig"); ok_of "$r"
[ "$(call "$market" 'isNonceUsed(address,uint256)(bool)' "$client" 7)" = true ] || fail "order nonce not consumed"
[ "$(call "$market" 'nextJobId()(uint256)')" = 4 ] || fail "nextJobId after the order"
echo "test-deploy: signed order submitted by a relayer, gas $(gas_of "$r")"

echo "test-deploy: ok (chain $chain, block $block, JobMarketplace $market, ProviderRegistry $registry, USDT $usdt)"
