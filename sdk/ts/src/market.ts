// The SDK's handle on one deployment: the viem clients, the matcher's URL and the deployment file's contents.
import { getAddress, isAddress, type Account, type Address, type PublicClient, type WalletClient } from 'viem';
import { GpuMarketError, WrongChainError } from './errors.js';

/** Deployment is the part of deployments/<chain>.json (gpumarket deploy) the SDK reads. */
export interface Deployment {
  chainId: number;
  deployBlock: number;
  contracts: { JobMarketplace: Address; ProviderRegistry: Address; [name: string]: Address };
  tokens?: { paymentTokens?: Address[]; stakingToken?: Address; [name: string]: unknown };
}

/** GpuMarketConfig is what createGpuMarket takes. walletClient (with an account) is needed by every function that
 * signs: createJob, signOrder, downloadResult, dispute, refund. */
export interface GpuMarketConfig {
  deployment: Deployment | string; // the object, or the deployment file's JSON text
  publicClient: PublicClient;
  walletClient?: WalletClient;
  matcherUrl: string; // http(s)://host[:port]
  fetch?: typeof globalThis.fetch; // default: globalThis.fetch
}

/** GpuMarket is a checked GpuMarketConfig; every SDK function takes one first. */
export interface GpuMarket {
  readonly deployment: Deployment;
  readonly chainId: number;
  readonly marketplace: Address;
  readonly registry: Address;
  readonly publicClient: PublicClient;
  readonly walletClient?: WalletClient;
  readonly matcherUrl: string;
  readonly fetch: typeof globalThis.fetch;
}

/** createGpuMarket checks cfg (a deployment with both contracts, an http(s) matcher URL) and returns the handle. It
 * reads nothing from the network: the chain is checked by each function before it sends (WrongChainError). It throws
 * an EINVALID GpuMarketError naming the bad setting. */
export function createGpuMarket(cfg: GpuMarketConfig): GpuMarket {
  let d: Deployment;
  try {
    d = typeof cfg.deployment === 'string' ? (JSON.parse(cfg.deployment) as Deployment) : cfg.deployment;
  } catch (e) {
    throw new GpuMarketError('EINVALID', `deployment: not JSON: ${(e as Error).message}`);
  }
  if (!d || typeof d !== 'object') throw new GpuMarketError('EINVALID', 'deployment: want an object');
  if (!Number.isSafeInteger(d.chainId) || d.chainId <= 0) throw new GpuMarketError('EINVALID', `deployment: chainId ${String(d.chainId)} is not a positive integer`);
  for (const name of ['JobMarketplace', 'ProviderRegistry'] as const) {
    const a = d.contracts?.[name];
    if (typeof a !== 'string' || !isAddress(a, { strict: false })) throw new GpuMarketError('EINVALID', `deployment: contracts.${name} is not an address`);
  }
  if (!/^https?:\/\/[^/]/.test(cfg.matcherUrl ?? '')) throw new GpuMarketError('EINVALID', `matcherUrl ${JSON.stringify(cfg.matcherUrl)} is not an http(s) URL`);
  const f = cfg.fetch ?? globalThis.fetch;
  if (typeof f !== 'function') throw new GpuMarketError('EINVALID', 'no fetch: pass fetch (node 18+ and browsers have one)');
  return {
    deployment: d,
    chainId: d.chainId,
    marketplace: getAddress(d.contracts.JobMarketplace),
    registry: getAddress(d.contracts.ProviderRegistry),
    publicClient: cfg.publicClient,
    ...(cfg.walletClient ? { walletClient: cfg.walletClient } : {}),
    matcherUrl: cfg.matcherUrl.replace(/\/+$/, ''),
    fetch: f.bind(globalThis),
  };
}

/** paymentTokens returns the deployment's payment tokens (tokens.paymentTokens), checksummed. */
export function paymentTokens(m: GpuMarket): Address[] {
  const list = m.deployment.tokens?.paymentTokens ?? [];
  return list.map((a) => {
    if (!isAddress(a, { strict: false })) throw new GpuMarketError('EINVALID', `deployment: payment token ${JSON.stringify(a)} is not an address`);
    return getAddress(a);
  });
}

/** checkChain throws WrongChainError when the node (and the wallet, when given) is on another chain than the
 * deployment. */
export async function checkChain(m: GpuMarket, withWallet: boolean): Promise<void> {
  const got = await m.publicClient.getChainId();
  if (got !== m.chainId) {
    throw new WrongChainError(`the node is on chain ${got}, the deployment is for chain ${m.chainId}: check the RPC URL and the deployment file`, m.chainId, got);
  }
  if (withWallet) {
    const w = await needWallet(m, 'check chain').walletClient.getChainId();
    if (w !== m.chainId) {
      throw new WrongChainError(`the wallet is on chain ${w}, the deployment is for chain ${m.chainId}: switch the wallet's network`, m.chainId, w);
    }
  }
}

/** needWallet returns m's wallet client and its account, or throws EINVALID naming op. */
export function needWallet(m: GpuMarket, op: string): { walletClient: WalletClient; account: Account } {
  const w = m.walletClient;
  if (!w || !w.account) throw new GpuMarketError('EINVALID', `${op}: needs a wallet client with an account`);
  return { walletClient: w, account: w.account };
}
