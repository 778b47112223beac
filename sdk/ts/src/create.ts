// Creating jobs: createJob (the wallet sends createJob or createJobWithPermit, after an approve when needed) and the
// gasless path, signOrder + submitOrder (the matcher's order relay sends createJobFromOrder[WithPermit]).
import {
  BaseError,
  ContractFunctionRevertedError,
  erc20Abi,
  getAddress,
  isAddress,
  parseEventLogs,
  parseSignature,
  zeroAddress,
  type Address,
  type Hex,
  type TransactionReceipt,
} from 'viem';
import { balances, chainTime } from './chain.js';
import { BelowBandError, GpuMarketError, InsufficientFundsError, NoProviderError } from './errors.js';
import { jobMarketplaceAbi, testERC20Abi } from './generated/abi.js';
import type { components } from './generated/api.js';
import { eip712DomainName, eip712DomainVersion, jobOrderTypes } from './generated/typedData.js';
import { matcherJSON } from './http.js';
import { checkChain, needWallet, paymentTokens, type GpuMarket } from './market.js';
import { encodeSpec, kindNumber, postSpec, quote, type JobSpec, type Quote } from './spec.js';

/** defaultJobLifetimeSeconds is the deadline's distance from the chain's clock when none is given (client.DefaultJobLifetime). */
export const defaultJobLifetimeSeconds = 600;

/** Funding chooses how the marketplace may pull the max price: 'auto' (an EIP-2612 permit when the token supports
 * one, else approve when the allowance is short), 'approve', 'permit' (refused when the token has no permit) or
 * 'allowance' (use the existing allowance; refuse when short). */
export type Funding = 'auto' | 'approve' | 'permit' | 'allowance';

/** JobRequest is a job to create. */
export interface JobRequest {
  spec: JobSpec | string; // the spec document (object or its JSON text)
  token?: Address; // a payment token of the deployment; default: the first
  maxPrice?: bigint; // base units; default: the quote's total
  lifetimeSeconds?: number; // deadline = chain time + lifetime (defaultJobLifetimeSeconds)
  preferredProvider?: Address;
  funding?: Funding; // createJob only; signOrder uses a permit when the allowance is short
  ignoreBand?: boolean; // submit even below the market band or every qualifying provider's price (or without rates to quote)
  signal?: AbortSignal;
}

/** Submission is a created job. */
export interface Submission {
  jobId: bigint;
  txHash: Hex;
  specHash: Hex;
  maxPayment: bigint;
  deadline: bigint; // unix seconds
  token: Address;
  quote?: Quote; // absent when the matcher had no rates
  fundedBy: 'permit' | 'approve' | 'allowance' | 'order' | 'order+permit';
}

/** JobParams is the marketplace's JobParams struct. */
export interface JobParams {
  kind: number;
  token: Address;
  maxPayment: bigint;
  deadline: number;
  preferredProvider: Address;
  creator: Address;
  creatorShareBps: number;
  specHash: Hex;
  specURI: string;
}

/** PermitSignature is an EIP-2612 permit of the marketplace, as createJob*WithPermit takes it. */
export interface PermitSignature {
  value: bigint;
  deadline: bigint;
  v: number;
  r: Hex;
  s: Hex;
}

/** permitTypes are EIP-2612's typed data types. */
export const permitTypes = {
  Permit: [
    { name: 'owner', type: 'address' },
    { name: 'spender', type: 'address' },
    { name: 'value', type: 'uint256' },
    { name: 'nonce', type: 'uint256' },
    { name: 'deadline', type: 'uint256' },
  ],
} as const;

/** marketDomain returns the marketplace's EIP-712 domain (GpuMarket, 1, the chain, the marketplace). */
export function marketDomain(m: GpuMarket) {
  return { name: eip712DomainName, version: eip712DomainVersion, chainId: m.chainId, verifyingContract: m.marketplace } as const;
}

interface Prepared {
  account: Address;
  params: JobParams;
  sub: Omit<Submission, 'jobId' | 'txHash'>;
  permit: boolean;
  lifetime: number;
}

const maxUint128 = (1n << 128n) - 1n;

/** prepare does every check before anything is sent (client.Submit): spec, token, quote and band, chain, balance,
 * allowance, permit support, gas (unless gasless); then uploads the spec and computes the deadline. */
async function prepare(m: GpuMarket, req: JobRequest, gasless: boolean): Promise<Prepared> {
  const op = gasless ? 'signOrder' : 'createJob';
  const { account } = needWallet(m, op);
  const enc = encodeSpec(req.spec);
  const funding = req.funding ?? 'auto';
  if (!['auto', 'approve', 'permit', 'allowance'].includes(funding)) throw new GpuMarketError('EINVALID', `${op}: funding ${JSON.stringify(funding)}: want auto, approve, permit or allowance`);
  const life = req.lifetimeSeconds ?? defaultJobLifetimeSeconds;
  if (!Number.isSafeInteger(life) || life <= 0) throw new GpuMarketError('EINVALID', `${op}: lifetimeSeconds ${life}: want a positive integer`);
  if (req.maxPrice !== undefined && (typeof req.maxPrice !== 'bigint' || req.maxPrice <= 0n || req.maxPrice > maxUint128)) {
    throw new GpuMarketError('EINVALID', `${op}: maxPrice ${String(req.maxPrice)} is not a positive uint128 bigint`);
  }
  if (req.preferredProvider !== undefined && !isAddress(req.preferredProvider, { strict: false })) throw new GpuMarketError('EINVALID', `${op}: preferredProvider ${req.preferredProvider} is not an address`);
  const listed = paymentTokens(m);
  let token: Address;
  if (req.token === undefined) {
    const first = listed[0];
    if (!first) throw new GpuMarketError('EINVALID', `${op}: no token given and the deployment lists no payment tokens`);
    token = first;
  } else {
    if (!isAddress(req.token, { strict: false })) throw new GpuMarketError('EINVALID', `${op}: token ${req.token} is not an address`);
    token = getAddress(req.token);
    if (!listed.includes(token)) throw new GpuMarketError('EINVALID', `${op}: token ${token} is not a payment token of this deployment (it lists ${listed.join(', ') || 'none'})`);
  }
  await checkChain(m, true);

  let q: Quote | undefined;
  try {
    q = await quote(m, enc.spec, { token, ...(req.signal ? { signal: req.signal } : {}) });
  } catch (e) {
    // No rates yet: go on only with a max price (or when told to ignore the band); no provider: never.
    if (!(e instanceof GpuMarketError) || e.code !== 'ENOTFOUND' || e instanceof NoProviderError || (req.maxPrice === undefined && !req.ignoreBand)) throw e;
  }
  const max = req.maxPrice ?? q?.total;
  if (max === undefined) throw new GpuMarketError('EINVALID', `${op}: no maxPrice given and the matcher has no quote`);
  if (max <= 0n || max > maxUint128) throw new GpuMarketError('EINVALID', `${op}: max price ${max} is not a positive uint128`);
  if (q && !req.ignoreBand && max < q.bandLow) {
    throw new BelowBandError(`max price ${max} is below the market band ${q.bandLow} – ${q.bandHigh} (base units of ${token}) for this job (suggested ${q.total}); raise the max price`, q.bandLow, q.bandHigh);
  }
  const cheapest = q?.qualifying[0]?.cost;
  if (q && !req.ignoreBand && cheapest !== undefined && max < cheapest) {
    throw new BelowBandError(`max price ${max} is below every provider able to serve this job now: the cheapest of ${q.qualifying.length} asks ${cheapest} (base units of ${token}); raise the max price to at least ${cheapest}`, q.bandLow, q.bandHigh);
  }

  const bal = await balances(m, token, account.address);
  if (bal.token < max) throw new InsufficientFundsError(`wallet ${account.address} holds ${bal.token} base units of ${token}, the max price is ${max}: fund it first`);
  let permit = false;
  let fundedBy: Submission['fundedBy'];
  const short = bal.allowance < max;
  if (!short) fundedBy = gasless ? 'order' : 'allowance';
  else if (gasless || funding === 'permit' || funding === 'auto') {
    const ok = await supportsPermit(m, token, account.address);
    if (ok) [permit, fundedBy] = [true, gasless ? 'order+permit' : 'permit'];
    else if (gasless || funding === 'permit') {
      throw new InsufficientFundsError(`the marketplace may pull ${bal.allowance} of wallet ${account.address}'s ${token}, the max price is ${max}, and the token has no EIP-2612 permit: approve it first`);
    } else fundedBy = 'approve';
  } else if (funding === 'allowance') {
    throw new InsufficientFundsError(`the marketplace may pull ${bal.allowance} of wallet ${account.address}'s ${token}, the max price is ${max}: approve it or allow funding`);
  } else fundedBy = 'approve';
  if (!gasless && bal.gas === 0n) throw new InsufficientFundsError(`wallet ${account.address} has no ETH to pay for gas`);

  const specHash = await postSpec(m, enc, req.signal);
  const now = await chainTime(m);
  const deadline = now + BigInt(life);
  const params: JobParams = {
    kind: kindNumber(enc.spec.kind),
    token,
    maxPayment: max,
    deadline: Number(deadline),
    preferredProvider: req.preferredProvider ? getAddress(req.preferredProvider) : zeroAddress,
    creator: zeroAddress,
    creatorShareBps: 0,
    specHash,
    specURI: `${m.matcherUrl}/v1/specs/${specHash}`,
  };
  return { account: account.address, params, permit, lifetime: life, sub: { specHash, maxPayment: max, deadline, token, ...(q ? { quote: q } : {}), fundedBy } };
}

/** supportsPermit reports whether token answers nonces(owner) and eip712Domain() (EIP-2612 with ERC-5267). */
export async function supportsPermit(m: GpuMarket, token: Address, owner: Address): Promise<boolean> {
  try {
    await Promise.all([
      m.publicClient.readContract({ address: token, abi: testERC20Abi, functionName: 'nonces', args: [owner] }),
      m.publicClient.readContract({ address: token, abi: testERC20Abi, functionName: 'eip712Domain' }),
    ]);
    return true;
  } catch {
    return false;
  }
}

/** signPermit signs an EIP-2612 permit for the marketplace to pull value of token until deadline. */
export async function signPermit(m: GpuMarket, token: Address, value: bigint, deadline: bigint): Promise<PermitSignature> {
  const { walletClient, account } = needWallet(m, 'permit');
  const [dom, nonce] = await Promise.all([
    m.publicClient.readContract({ address: token, abi: testERC20Abi, functionName: 'eip712Domain' }),
    m.publicClient.readContract({ address: token, abi: testERC20Abi, functionName: 'nonces', args: [account.address] }),
  ]);
  const [, name, version, chainId, verifyingContract] = dom;
  const sig = await walletClient.signTypedData({
    account,
    domain: { name, version, chainId, verifyingContract },
    types: permitTypes,
    primaryType: 'Permit',
    message: { owner: account.address, spender: m.marketplace, value, nonce, deadline },
  });
  const p = parseSignature(sig);
  return { value, deadline, v: Number(p.v ?? BigInt(27 + (p.yParity ?? 0))), r: p.r, s: p.s };
}

/** send simulates a marketplace or token call (a revert is an EINVALID error naming the contract's error, nothing
 * sent), sends it from the wallet and waits for a successful receipt. */
async function send(m: GpuMarket, what: string, call: { address: Address; abi: readonly unknown[]; functionName: string; args: readonly unknown[] }): Promise<TransactionReceipt> {
  const { walletClient, account } = needWallet(m, what);
  let hash: Hex;
  try {
    const { request } = await m.publicClient.simulateContract({ ...call, account } as Parameters<typeof m.publicClient.simulateContract>[0]);
    hash = await walletClient.writeContract({ ...(request as Parameters<typeof walletClient.writeContract>[0]), chain: walletClient.chain ?? null });
  } catch (e) {
    throw revertError(what, e);
  }
  const r = await m.publicClient.waitForTransactionReceipt({ hash });
  if (r.status !== 'success') throw new GpuMarketError('EINVALID', `${what}: transaction ${hash} reverted`);
  return r;
}

/** revertError turns a viem error into a GpuMarketError, naming the contract's custom error when it reverted. */
export function revertError(what: string, e: unknown): GpuMarketError {
  if (e instanceof BaseError) {
    const rev = e.walk((x) => x instanceof ContractFunctionRevertedError);
    if (rev instanceof ContractFunctionRevertedError) {
      const name = rev.data?.errorName ?? rev.reason ?? 'reverted';
      const args = rev.data?.args ? `(${rev.data.args.map(String).join(', ')})` : '';
      return new GpuMarketError('EINVALID', `${what}: the contract refuses it: ${name}${args}`, { cause: e });
    }
    return new GpuMarketError('EUNAVAILABLE', `${what}: ${e.shortMessage}`, { cause: e });
  }
  return new GpuMarketError('EINTERNAL', `${what}: ${(e as Error)?.message ?? String(e)}`, { cause: e });
}

/** createdJobId returns the job id of the marketplace's JobCreated log in receipt (EINTERNAL when there is none). */
export function createdJobId(m: GpuMarket, receipt: TransactionReceipt): bigint {
  const mine = receipt.logs.filter((l) => l.address.toLowerCase() === m.marketplace.toLowerCase());
  const [ev] = parseEventLogs({ abi: jobMarketplaceAbi, eventName: 'JobCreated', logs: mine });
  if (!ev) throw new GpuMarketError('EINTERNAL', `transaction ${receipt.transactionHash}: no JobCreated event`);
  return ev.args.jobId;
}

/** createJob creates a job from the wallet: it checks everything first (spec, token, quote and band, chain, token
 * balance, allowance, gas), uploads the spec, funds it (a permit, or an approve when the allowance is short) and sends
 * createJob or createJobWithPermit, then reads the job id from the receipt's JobCreated log. Nothing is sent when a
 * check fails: it throws NoProviderError, BelowBandError, InsufficientFundsError, WrongChainError, or an EINVALID
 * GpuMarketError for a bad spec or request. */
export async function createJob(m: GpuMarket, req: JobRequest): Promise<Submission> {
  const p = await prepare(m, req, false);
  let receipt: TransactionReceipt;
  if (p.permit) {
    const permit = await signPermit(m, p.params.token, p.params.maxPayment, p.sub.deadline);
    receipt = await send(m, 'createJobWithPermit', { address: m.marketplace, abi: jobMarketplaceAbi, functionName: 'createJobWithPermit', args: [p.params, permit] });
  } else {
    if (p.sub.fundedBy === 'approve') {
      await send(m, 'approve', { address: p.params.token, abi: erc20Abi, functionName: 'approve', args: [m.marketplace, p.params.maxPayment] });
    }
    receipt = await send(m, 'createJob', { address: m.marketplace, abi: jobMarketplaceAbi, functionName: 'createJob', args: [p.params] });
  }
  return { ...p.sub, jobId: createdJobId(m, receipt), txHash: receipt.transactionHash };
}

/** OrderRequest is the body of POST /v1/orders. */
export type OrderRequest = components['schemas']['OrderRequest'];
/** OrderStatus is the relay's answer (POST /v1/orders, GET /v1/orders/{client}/{nonce}). */
export type OrderStatus = components['schemas']['OrderStatus'];

/** SignedOrder is a JobOrder signed by the wallet, ready for submitOrder. */
export interface SignedOrder {
  request: OrderRequest; // what is posted
  params: JobParams;
  auth: { client: Address; nonce: bigint; expiry: bigint };
  signature: Hex;
  permit?: PermitSignature;
  submission: Omit<Submission, 'jobId' | 'txHash'>;
}

/** signOrder checks a job like createJob (but needs no gas) and signs it as an EIP-712 JobOrder of the marketplace's
 * domain with a random 128-bit nonce, the order expiring with the job's deadline; with a permit when the allowance is
 * short (the token must support EIP-2612: otherwise InsufficientFundsError). Nothing is sent but the spec upload. */
export async function signOrder(m: GpuMarket, req: JobRequest): Promise<SignedOrder> {
  const p = await prepare(m, req, true);
  const { walletClient, account } = needWallet(m, 'signOrder');
  const nb = new Uint8Array(16);
  globalThis.crypto.getRandomValues(nb);
  const nonce = BigInt('0x' + [...nb].map((b) => b.toString(16).padStart(2, '0')).join(''));
  const auth = { client: p.account, nonce, expiry: p.sub.deadline };
  const signature = await walletClient.signTypedData({
    account,
    domain: marketDomain(m),
    types: jobOrderTypes,
    primaryType: 'JobOrder',
    message: { ...p.params, maxPayment: p.params.maxPayment, client: auth.client, nonce: auth.nonce, expiry: auth.expiry },
  });
  const permit = p.permit ? await signPermit(m, p.params.token, p.params.maxPayment, p.sub.deadline) : undefined;
  const kinds = ['render', 'tts', 'stt', 'llm'] as const;
  const request: OrderRequest = {
    params: {
      kind: kinds[p.params.kind]!,
      token: p.params.token,
      max_payment: p.params.maxPayment.toString(),
      deadline: p.params.deadline,
      preferred_provider: p.params.preferredProvider,
      creator: p.params.creator,
      creator_share_bps: p.params.creatorShareBps,
      spec_hash: p.params.specHash,
      spec_uri: p.params.specURI,
    },
    auth: { client: auth.client, nonce: nonce.toString(), deadline: Number(auth.expiry) },
    signature,
    permit: permit ? { value: permit.value.toString(), deadline: permit.deadline.toString(), v: permit.v, r: permit.r, s: permit.s } : null,
  };
  return { request, params: p.params, auth, signature, ...(permit ? { permit } : {}), submission: p.sub };
}

/** orderStatus reads a relayed order's status (GET /v1/orders/{client}/{nonce}). */
export async function orderStatus(m: GpuMarket, client: Address, nonce: bigint, signal?: AbortSignal): Promise<OrderStatus> {
  return matcherJSON<OrderStatus>(m, 'GET', `/v1/chains/${m.chainId}/orders/${client}/${nonce}`, signal ? { signal } : {});
}

/** submitOrder posts a signed order to the matcher's relay (POST /v1/orders) and polls GET /v1/orders/{client}/{nonce}
 * every pollMs (1000) until the job it creates is mined. Posting the same order again only reads its status. A
 * refused order keeps the matcher's code (EINVALID, ECONFLICT, EUNAUTHORIZED; ENOTFOUND when the matcher relays no
 * orders); an order whose transaction failed is an EINVALID error with the relay's reason. */
export async function submitOrder(m: GpuMarket, o: SignedOrder, opts: { pollMs?: number; signal?: AbortSignal } = {}): Promise<Submission> {
  const signal = opts.signal;
  let st = await matcherJSON<OrderStatus>(m, 'POST', `/v1/chains/${m.chainId}/orders`, { body: JSON.stringify(o.request), ...(signal ? { signal } : {}) });
  const poll = opts.pollMs ?? 1000;
  for (;;) {
    if (st.state === 'mined') {
      if (!st.job_id || !st.tx_hash) throw new GpuMarketError('EINTERNAL', `order ${st.order_id}: mined without a job id or transaction`);
      return { ...o.submission, jobId: BigInt(st.job_id), txHash: st.tx_hash as Hex };
    }
    if (st.state === 'failed') throw new GpuMarketError('EINVALID', `order ${st.order_id} failed: ${st.error ?? 'no reason given'}`);
    await sleep(poll, signal);
    st = await orderStatus(m, o.auth.client, o.auth.nonce, signal);
  }
}

/** sleep waits ms, or rejects when signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
