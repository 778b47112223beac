// A job's state rebuilt from the marketplace's logs (the chain is the source of truth), balances and chain time.
import { erc20Abi, maxUint256, pad, parseEventLogs, toHex, type Address, type ContractFunctionArgs, type Hex } from 'viem';
import { GpuMarketError } from './errors.js';
import { jobMarketplaceAbi } from './generated/abi.js';
import type { GpuMarket } from './market.js';

/** ChainJob is the marketplace's Job struct, as every job call takes it (its hash is jobHash(jobId)). */
export type ChainJob = ContractFunctionArgs<typeof jobMarketplaceAbi, 'nonpayable', 'refund'>[1];

/** jobStates are the contract's JobState names in enum order. */
export const jobStates = ['none', 'open', 'assigned', 'submitted', 'disputed', 'settled', 'refunded', 'cancelled'] as const;
/** JobStateName is a job state as the API names it. */
export type JobStateName = (typeof jobStates)[number];

/** Payout is a settlement's split in the token's base units. */
export interface Payout {
  treasury: Address;
  protocolFee: bigint;
  creatorAmount: bigint;
  providerAmount: bigint;
  clientRefund: bigint;
}

/** JobRecord is a job folded from its events (gpumarket.JobRecord). */
export interface JobRecord {
  id: bigint;
  state: JobStateName;
  job: ChainJob; // the struct as the contract hashes it now
  specURI: string;
  orderNonce?: bigint; // set when created from a signed order
  resultHash?: Hex;
  resultURI?: string;
  payout?: Payout;
  refund?: bigint;
  providerPaid?: bigint;
  lastBlock: bigint;
}

/** readJob folds job id's events from the deployment block to the head (JobCreated, JobAccepted, ResultSubmitted,
 * JobDisputed, JobSettled, JobDisputeResolved, JobRefunded, JobCancelled) into a JobRecord. It throws ENOTFOUND for a
 * job that does not exist and EINTERNAL when the events do not fold (a transition the contract forbids). */
export async function readJob(m: GpuMarket, id: bigint): Promise<JobRecord> {
  if (id <= 0n) throw new GpuMarketError('EINVALID', `job id ${id}: want a positive integer`);
  const raw = (await m.publicClient.request({
    method: 'eth_getLogs',
    params: [{ address: m.marketplace, fromBlock: toHex(m.deployment.deployBlock ?? 0), toBlock: 'latest', topics: [null, pad(toHex(id), { size: 32 })] }],
  })) as Parameters<typeof parseEventLogs>[0]['logs'];
  const logs = parseEventLogs({ abi: jobMarketplaceAbi, logs: raw, strict: true });
  let r: JobRecord | undefined;
  const move = (to: JobStateName, block: bigint, from: JobStateName[]) => {
    if (!r || !from.includes(r.state)) throw new GpuMarketError('EINTERNAL', `job ${id}: moves ${r?.state ?? 'none'} to ${to}`);
    r.state = to;
    r.job = { ...r.job, state: jobStates.indexOf(to) };
    r.lastBlock = block;
  };
  for (const l of logs) {
    const b = BigInt(l.blockNumber ?? 0);
    switch (l.eventName) {
      case 'JobCreated':
        if (r) throw new GpuMarketError('EINTERNAL', `job ${id} created twice`);
        r = { id, state: 'open', job: l.args.job, specURI: l.args.specURI, lastBlock: b };
        if (l.args.orderNonce !== maxUint256) r.orderNonce = l.args.orderNonce; // max marks a wallet-created job
        break;
      case 'JobAccepted':
        move('assigned', b, ['open']);
        r!.job = { ...r!.job, provider: l.args.provider, price: l.args.price };
        break;
      case 'ResultSubmitted':
        move('submitted', b, ['assigned']);
        r!.job = { ...r!.job, amountDue: l.args.amountDue, challengeEnd: l.args.challengeEnd };
        r!.resultHash = l.args.resultHash;
        r!.resultURI = l.args.resultURI;
        break;
      case 'JobDisputed':
        move('disputed', b, ['submitted']);
        r!.job = { ...r!.job, disputedAt: l.args.disputedAt, disputeBond: l.args.disputeBond };
        break;
      case 'JobSettled':
        move('settled', b, ['submitted']);
        r!.payout = { ...l.args.payout };
        r!.providerPaid = l.args.payout.providerAmount;
        break;
      case 'JobDisputeResolved':
        move('settled', b, ['disputed']);
        r!.payout = { ...l.args.payout };
        r!.providerPaid = l.args.providerPaid;
        break;
      case 'JobRefunded':
        move('refunded', b, ['open', 'assigned']);
        r!.refund = l.args.refund;
        break;
      case 'JobCancelled':
        move('cancelled', b, ['open']);
        r!.refund = l.args.refund;
        break;
    }
  }
  if (!r) throw new GpuMarketError('ENOTFOUND', `job ${id} does not exist on chain ${m.chainId} (no JobCreated since block ${m.deployment.deployBlock ?? 0})`);
  return r;
}

/** checkFolded compares the folded struct's hash with the contract's jobHash(id); a job call with another struct would
 * revert, so a mismatch is an EINTERNAL error before anything is sent. */
export async function checkFolded(m: GpuMarket, r: JobRecord): Promise<void> {
  const [local, stored] = await Promise.all([
    m.publicClient.readContract({ address: m.marketplace, abi: jobMarketplaceAbi, functionName: 'hashJob', args: [r.job] }),
    m.publicClient.readContract({ address: m.marketplace, abi: jobMarketplaceAbi, functionName: 'jobHash', args: [r.id] }),
  ]);
  if (local !== stored) throw new GpuMarketError('EINTERNAL', `job ${r.id}: the struct folded from its events hashes to ${local}, the contract holds ${stored}`);
}

/** chainTime returns the latest block's timestamp (unix seconds): the clock deadlines are checked against. */
export async function chainTime(m: GpuMarket): Promise<bigint> {
  return (await m.publicClient.getBlock({ blockTag: 'latest' })).timestamp;
}

/** Balances are what an account holds of one token. */
export interface Balances {
  token: bigint; // ERC-20 balance
  allowance: bigint; // what the marketplace may pull
  owed: bigint; // pull balance in the marketplace (refunds, returned bonds)
  gas: bigint; // ETH (wei) for gas
}

/** balances reads account's balances of token. */
export async function balances(m: GpuMarket, token: Address, account: Address): Promise<Balances> {
  const [bal, allowance, owed, gas] = await Promise.all([
    m.publicClient.readContract({ address: token, abi: erc20Abi, functionName: 'balanceOf', args: [account] }),
    m.publicClient.readContract({ address: token, abi: erc20Abi, functionName: 'allowance', args: [account, m.marketplace] }),
    m.publicClient.readContract({ address: m.marketplace, abi: jobMarketplaceAbi, functionName: 'balanceOf', args: [token, account] }),
    m.publicClient.getBalance({ address: account }),
  ]);
  return { token: bal, allowance, owed, gas };
}
