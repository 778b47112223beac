// The SDK against a real anvil and the real matcher API: the kept demo that TestShortScenario runs
// (cmd/gpumarket/internal/demo/sdk_tour_test.go passes it in GPUMARKET_SDK_RPC_URL, GPUMARKET_SDK_MATCHER_URL,
// GPUMARKET_SDK_DEPLOYMENT and GPUMARKET_SDK_KEY_FILE). Without them these tests skip, or fail when CI=true. The unit
// tests at the end need no stack.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createPublicClient, createWalletClient, erc20Abi, hashTypedData, sha256, http, keccak256, toBytes, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import {
  awaitJob,
  BelowBandError,
  NoProviderError,
  createGpuMarket,
  createJob,
  downloadResult,
  encodeSpec,
  GpuMarketError,
  InsufficientFundsError,
  jobMarketplaceAbi,
  jobOrderTypeString,
  assignmentTypeString,
  marketDomain,
  jobOrderTypes,
  quote,
  readJob,
  refund,
  dispute,
  resultAuthMessage,
  ResultMismatchError,
  signOrder,
  submitOrder,
  uploadInput,
  watchJob,
  WrongChainError,
  type JobEvent,
  type JobSpec,
} from '../src/index.js';

const here = path.dirname(fileURLToPath(import.meta.url)); // sdk/ts/dist/test
const repoRoot = path.resolve(here, '..', '..', '..', '..');
const env = {
  rpc: process.env.GPUMARKET_SDK_RPC_URL,
  matcher: process.env.GPUMARKET_SDK_MATCHER_URL,
  deployment: process.env.GPUMARKET_SDK_DEPLOYMENT,
  keyFile: process.env.GPUMARKET_SDK_KEY_FILE,
};
const live = Boolean(env.rpc && env.matcher && env.deployment && env.keyFile);
if (!live && process.env.CI === 'true') {
  throw new Error('GPUMARKET_SDK_RPC_URL, GPUMARKET_SDK_MATCHER_URL, GPUMARKET_SDK_DEPLOYMENT and GPUMARKET_SDK_KEY_FILE are required when CI=true (TestShortScenario sets them)');
}

function readKey(file: string): Hex {
  const k = readFileSync(file, 'utf8').trim();
  return (k.startsWith('0x') ? k : `0x${k}`) as Hex;
}

function setup() {
  const account = privateKeyToAccount(readKey(env.keyFile!));
  const transport = http(env.rpc!);
  const publicClient = createPublicClient({ transport });
  const walletClient = createWalletClient({ account, transport });
  const deployment = readFileSync(env.deployment!, 'utf8');
  const market = createGpuMarket({ deployment, matcherUrl: env.matcher!, publicClient, walletClient });
  return { account, publicClient, walletClient, deployment, market };
}

// An LLM job like examples/llm.json: the demo's executors read the params input from a data: URI.
function llmSpec(prompt: string): JobSpec {
  const params = Buffer.from(JSON.stringify({ model: 'llama-3-8b-instruct', prompt, max_tokens: 16, seed: 7 })).toString('base64');
  return {
    kind: 'llm',
    model: 'llama-3-8b-instruct',
    inputs: [{ name: 'params', uri: `data:application/json;base64,${params}` }],
    requirements: { min_vram_mib: 8192, gpu_count: 1, estimate: { input_tokens: 16, output_tokens: 16 } },
  };
}

const minute = 60_000;

describe('against the kept demo', { skip: live ? false : 'no demo stack (set GPUMARKET_SDK_*; TestShortScenario does)' }, () => {
  test('bad input is refused before any transaction', async () => {
    const { account, publicClient, market, deployment } = setup();
    const nonce = await publicClient.getTransactionCount({ address: account.address });
    const spec = llmSpec('refused');
    // Unknown kind.
    await assert.rejects(createJob(market, { spec: { ...spec, kind: 'video' as 'llm' }, maxPrice: 1_000_000n }), (e: unknown) => e instanceof GpuMarketError && e.code === 'EINVALID' && /unknown job kind "video"/.test(e.message));
    // More than the wallet holds.
    const tokens = JSON.parse(deployment).tokens.paymentTokens as Hex[];
    await assert.rejects(createJob(market, { spec, maxPrice: 10n ** 30n }), (e: unknown) => e instanceof InsufficientFundsError && /holds \d+ base units/.test(e.message));
    // Below the market band.
    await assert.rejects(createJob(market, { spec, maxPrice: 1n }), (e: unknown) => e instanceof BelowBandError && e.bandLow > 1n);
    // Allowance-only funding with no allowance.
    const allowance = await publicClient.readContract({ address: tokens[0]!, abi: erc20Abi, functionName: 'allowance', args: [account.address, market.marketplace] });
    const over = allowance >= 5_000_000n ? allowance + 1n : 5_000_000n;
    await assert.rejects(createJob(market, { spec, maxPrice: over, funding: 'allowance', token: tokens[0] }), (e: unknown) => e instanceof InsufficientFundsError && /approve it or allow funding/.test(e.message));
    // A token the deployment does not list.
    await assert.rejects(createJob(market, { spec, maxPrice: 5_000_000n, token: account.address }), /not a payment token of this deployment/);
    // The wrong chain.
    const d = JSON.parse(deployment);
    const other = createGpuMarket({ deployment: { ...d, chainId: 1 }, matcherUrl: env.matcher!, publicClient, walletClient: setup().walletClient });
    await assert.rejects(createJob(other, { spec, maxPrice: 5_000_000n }), (e: unknown) => e instanceof WrongChainError && e.want === 1 && e.got === 31337);
    // A model nobody serves: the message lists what is served.
    await assert.rejects(quote(market, { ...spec, model: 'no-such-model' }), (e: unknown) => e instanceof NoProviderError && /these are served: .*llama-3-8b-instruct/.test(e.message));
    // A job that does not exist.
    await assert.rejects(readJob(market, 10n ** 12n), (e: unknown) => e instanceof GpuMarketError && e.code === 'ENOTFOUND');
    assert.equal(await publicClient.getTransactionCount({ address: account.address }), nonce, 'a refused request sent a transaction');
  });

  test('uploadInput stores the bytes under their SHA-256; the matcher serves them back', async () => {
    const { market } = setup();
    const bytes = new TextEncoder().encode(`input ${Date.now()}`);
    const ref = await uploadInput(market, 'notes.txt', bytes);
    assert.equal(ref.sha256, sha256(bytes).slice(2));
    assert.equal(ref.size_bytes, bytes.byteLength);
    assert.ok(ref.uri.startsWith(env.matcher!), ref.uri);
    const back = new Uint8Array(await (await fetch(ref.uri)).arrayBuffer());
    assert.deepEqual(back, bytes);
    await assert.rejects(uploadInput(market, '', bytes), /needs a name/);
  });

  test('createJob (approve) and signOrder+submitOrder (gasless, permit) settle; results download verified', { timeout: 6 * minute }, async () => {
    const { account, publicClient, market } = setup();
    const marketAbi = jobMarketplaceAbi;
    // The typed data the SDK exports is the contract's.
    const [orderTypehash, assignmentTypehash] = await Promise.all([
      publicClient.readContract({ address: market.marketplace, abi: marketAbi, functionName: 'JOB_ORDER_TYPEHASH' }),
      publicClient.readContract({ address: market.marketplace, abi: marketAbi, functionName: 'ASSIGNMENT_TYPEHASH' }),
    ]);
    assert.equal(keccak256(toBytes(jobOrderTypeString)), orderTypehash);
    assert.equal(keccak256(toBytes(assignmentTypeString)), assignmentTypehash);

    const specA = llmSpec('explain reorgs');
    const q = await quote(market, specA);
    assert.ok(q.total > 0n && q.bandLow <= q.total && q.total <= q.bandHigh, `quote ${q.total} outside its band ${q.bandLow}-${q.bandHigh}`);
    assert.ok(q.qualifying.length > 0);
    const tokens = JSON.parse(readFileSync(env.deployment!, 'utf8')).tokens.paymentTokens as Hex[];
    const before = await publicClient.readContract({ address: tokens[0]!, abi: erc20Abi, functionName: 'balanceOf', args: [account.address] });
    const [maxA, maxB] = [2_000_000n, 3_000_000n];

    const a = await createJob(market, { spec: specA, maxPrice: maxA, funding: 'approve' });
    assert.equal(a.fundedBy === 'approve' || a.fundedBy === 'allowance', true, `fundedBy ${a.fundedBy}`);
    assert.ok(a.jobId > 0n);
    const recA = await readJob(market, a.jobId);
    assert.equal(recA.job.client.toLowerCase(), account.address.toLowerCase());
    assert.equal(recA.job.maxPayment, maxA);
    assert.equal(recA.orderNonce, undefined);

    const specB = llmSpec('explain finality');
    const o = await signOrder(market, { spec: specB, maxPrice: maxB });
    // The digest the wallet signed is the one the contract computes.
    const digest = hashTypedData({ domain: marketDomain(market), types: jobOrderTypes, primaryType: 'JobOrder', message: { ...o.params, ...o.auth } });
    assert.equal(await publicClient.readContract({ address: market.marketplace, abi: marketAbi, functionName: 'hashOrder', args: [o.params, o.auth] }), digest);
    const b = await submitOrder(market, o, { pollMs: 500 });
    assert.ok(b.jobId > 0n && b.jobId !== a.jobId);
    assert.equal(b.fundedBy, 'order+permit');
    // Posting the same order again only reads its status: the same job.
    assert.equal((await submitOrder(market, o, { pollMs: 500 })).jobId, b.jobId);
    const recB = await readJob(market, b.jobId);
    assert.equal(recB.orderNonce, o.auth.nonce);
    assert.equal(recB.job.maxPayment, maxB);

    // Watch both to settlement; the first to be submitted gets a dispute refused (not the client's? it is: window open,
    // so only check the refund refusal, which must send nothing).
    await assert.rejects(refund(market, a.jobId), /deadline has not passed|only an open or assigned job/);
    const [sa, sb] = await Promise.all([awaitJob(market, a.jobId, { pollMs: 1000 }), awaitJob(market, b.jobId, { pollMs: 1000 })]);
    assert.equal(sa.state, 'settled');
    assert.equal(sb.state, 'settled');
    for (const r of [sa, sb]) {
      const p = r.payout!;
      assert.equal(p.protocolFee + p.creatorAmount + p.providerAmount + p.clientRefund, r.job.maxPayment, `job ${r.id}: the split does not add up to the locked max payment`);
    }
    await assert.rejects(dispute(market, a.jobId, 'too late'), /only a submitted result can be disputed/);
    const after = await publicClient.readContract({ address: tokens[0]!, abi: erc20Abi, functionName: 'balanceOf', args: [account.address] });
    assert.equal(before - after, maxA + maxB, 'the wallet paid the two max payments (what is left goes to its pull balance)');

    for (const r of [sa, sb]) {
      const res = await downloadResult(market, r.id);
      assert.equal(res.hash, r.resultHash!.toLowerCase());
      assert.equal(keccak256(res.bytes), r.resultHash!.toLowerCase());
      assert.ok(res.size > 0);
    }
    // The same bytes altered in transit: refused, typed.
    const tamper: typeof fetch = async (input, init) => {
      const resp = await fetch(input, init);
      if (String(input) !== sa.resultURI) return resp;
      const body = new Uint8Array(await resp.arrayBuffer());
      body[0] = (body[0] ?? 0) ^ 1;
      return new Response(body, { status: resp.status, headers: resp.headers });
    };
    const s2 = setup();
    const bad = createGpuMarket({ deployment: s2.deployment, publicClient: s2.publicClient, walletClient: s2.walletClient, matcherUrl: env.matcher!, fetch: tamper });
    await assert.rejects(downloadResult(bad, sa.id), (e: unknown) => e instanceof ResultMismatchError && e.want === sa.resultHash!.toLowerCase() && e.got !== e.want);

    // The event stream: from the start to `final`, then resumed after its first event: exactly the rest.
    const all: JobEvent[] = [];
    for await (const ev of watchJob(market, a.jobId)) all.push(ev);
    assert.equal(all[0]?.event, 'state');
    assert.equal(all.at(-1)?.event, 'final');
    const rest: JobEvent[] = [];
    for await (const ev of watchJob(market, a.jobId, { lastEventId: all[0]!.id })) rest.push(ev);
    assert.deepEqual(rest.map((e) => e.id), all.slice(1).map((e) => e.id));
  });

  test('dispute posts the bond on a submitted result', { timeout: 3 * minute }, async () => {
    const { account, publicClient, market } = setup();
    const c = await createJob(market, { spec: llmSpec('a result to dispute'), maxPrice: 1_000_000n });
    const sub = await awaitJob(market, c.jobId, { until: ['submitted'], pollMs: 500 });
    await assert.rejects(dispute(market, c.jobId, ''), /the reason must be 1 to 4096 bytes/);
    const bond = await publicClient.readContract({ address: market.marketplace, abi: jobMarketplaceAbi, functionName: 'disputeBondFor', args: [sub.job.token, sub.job.price] });
    const before = await publicClient.readContract({ address: sub.job.token, abi: erc20Abi, functionName: 'balanceOf', args: [account.address] });
    await dispute(market, c.jobId, 'the answer is off topic');
    const d = await readJob(market, c.jobId);
    assert.equal(d.state, 'disputed');
    assert.equal(d.job.disputeBond, bond);
    const after = await publicClient.readContract({ address: sub.job.token, abi: erc20Abi, functionName: 'balanceOf', args: [account.address] });
    assert.equal(before - after, bond, 'the wallet posted exactly the bond');
    await assert.rejects(dispute(market, c.jobId, 'again'), /only a submitted result can be disputed/);
  });

  test("the README's ten lines run as printed", { timeout: 4 * minute }, async () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    const m = /```ts sdk=ten-lines\n([\s\S]*?)```/.exec(readme);
    assert.ok(m, 'README.md has no ```ts sdk=ten-lines block');
    const lines = m[1]!.trim().split('\n');
    assert.ok(lines.length <= 12, `the README's SDK snippet has ${lines.length} lines`);
    const file = path.join(here, 'readme-snippet.mjs');
    writeFileSync(file, m[1]!);
    const { stdout } = await promisify(execFile)(process.execPath, [file], {
      cwd: repoRoot,
      env: { ...process.env, RPC: env.rpc, MATCHER: env.matcher, DEPLOYMENT: env.deployment, KEY: env.keyFile },
      timeout: 3 * minute,
    });
    const out = /^job (\d+) settled, result (0x[0-9a-f]{64})/m.exec(stdout);
    assert.ok(out, `snippet output: ${stdout}`);
    const rec = await readJob(setup().market, BigInt(out[1]!));
    assert.equal(rec.state, 'settled');
    assert.equal(rec.resultHash?.toLowerCase(), out[2]);
  });
});

describe('without a stack', () => {
  test('encodeSpec refuses bad specs, naming the field', () => {
    const ok: JobSpec = { kind: 'tts', model: 'espeak', inputs: [{ name: 'text', uri: 'data:,hi' }], requirements: {} };
    assert.equal(encodeSpec(ok).hash, keccak256(toBytes(JSON.stringify(ok))));
    const cases: [string, unknown, RegExp][] = [
      ['unknown kind', { ...ok, kind: 'video' }, /unknown job kind "video"/],
      ['no model', { ...ok, model: '' }, /spec\.model/],
      ['no inputs', { ...ok, inputs: [] }, /spec\.inputs: 0 inputs/],
      ['input without uri', { ...ok, inputs: [{ name: 'x' }] }, /spec\.inputs\[0\]/],
      ['unknown field', { ...ok, extra: 1 }, /unknown field "extra"/],
      ['no requirements', { ...ok, requirements: null }, /spec\.requirements/],
    ];
    for (const [name, spec, want] of cases) {
      assert.throws(() => encodeSpec(spec as JobSpec), (e: unknown) => e instanceof GpuMarketError && e.code === 'EINVALID' && want.test(e.message), name);
    }
    assert.throws(() => encodeSpec('{'), /not JSON/);
  });

  test('encodeSpec on mutated specs: a spec or an EINVALID GpuMarketError, never another error', () => {
    const seed = JSON.stringify(JSON.parse(readFileSync(path.join(repoRoot, 'examples', 'llm.json'), 'utf8')));
    let x = 0x9e3779b9; // xorshift32, fixed seed: the same 5000 mutations every run
    const rnd = (n: number) => {
      x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
      return x % n;
    };
    const alphabet = '{}[]":,0123456789-eE.tfnul \\abc';
    let accepted = 0;
    for (let i = 0; i < 5000; i++) {
      const chars = [...seed];
      for (let k = 1 + rnd(4); k > 0; k--) {
        const at = rnd(chars.length);
        const op = rnd(3);
        if (op === 0) chars.splice(at, 1);
        else if (op === 1) chars.splice(at, 0, alphabet[rnd(alphabet.length)]!);
        else chars[at] = alphabet[rnd(alphabet.length)]!;
      }
      const text = chars.join('');
      try {
        const enc = encodeSpec(text);
        assert.equal(enc.hash, keccak256(toBytes(text)));
        accepted++;
      } catch (e) {
        assert.ok(e instanceof GpuMarketError && e.code === 'EINVALID', `encodeSpec(${JSON.stringify(text)}) threw ${String(e)}`);
      }
    }
    assert.ok(accepted > 0 && accepted < 5000, `accepted ${accepted} of 5000 mutations`);
  });

  test('resultAuthMessage is internal/eth/resultauth.ResultAuthMessage', () => {
    const h = `0x${'AB'.repeat(32)}` as Hex;
    assert.equal(resultAuthMessage(h, 1800000000n), `gpumarket-result:0x${'ab'.repeat(32)}:1800000000`);
    assert.throws(() => resultAuthMessage('0x12' as Hex, 1n), /64 hex digits/);
  });

  test('createGpuMarket refuses bad settings', () => {
    const pc = createPublicClient({ transport: http('http://127.0.0.1:1') });
    const d = { chainId: 31337, deployBlock: 0, contracts: { JobMarketplace: `0x${'11'.repeat(20)}`, ProviderRegistry: `0x${'22'.repeat(20)}` } };
    assert.throws(() => createGpuMarket({ deployment: d as never, publicClient: pc, matcherUrl: 'ftp://x' }), /matcherUrl/);
    assert.throws(() => createGpuMarket({ deployment: { ...d, chainId: 0 } as never, publicClient: pc, matcherUrl: 'http://x' }), /chainId/);
    assert.throws(() => createGpuMarket({ deployment: '{', publicClient: pc, matcherUrl: 'http://x' }), /not JSON/);
    assert.throws(() => createGpuMarket({ deployment: { ...d, contracts: { ...d.contracts, JobMarketplace: 'x' } } as never, publicClient: pc, matcherUrl: 'http://x' }), /contracts\.JobMarketplace/);
  });
});
