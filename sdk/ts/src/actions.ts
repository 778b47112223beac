// Disputes and refunds: every check on the folded job and the chain's clock before anything is sent.
import { erc20Abi, keccak256, toBytes, type Hex } from 'viem';
import { balances, chainTime, checkFolded, readJob } from './chain.js';
import { GpuMarketError, InsufficientFundsError } from './errors.js';
import { jobMarketplaceAbi } from './generated/abi.js';
import { checkChain, needWallet, type GpuMarket } from './market.js';
import { revertError } from './create.js';

/** maxDisputeReasonBytes bounds a dispute's reason (only its keccak256 goes on-chain). */
export const maxDisputeReasonBytes = 4 << 10;

async function sendMarket(m: GpuMarket, what: string, functionName: 'dispute' | 'refund', args: readonly unknown[]): Promise<Hex> {
  const { walletClient, account } = needWallet(m, what);
  let hash: Hex;
  try {
    const { request } = await m.publicClient.simulateContract({ address: m.marketplace, abi: jobMarketplaceAbi, functionName, args, account } as never);
    hash = await walletClient.writeContract({ ...(request as object), chain: walletClient.chain ?? null } as never);
  } catch (e) {
    throw revertError(what, e);
  }
  const r = await m.publicClient.waitForTransactionReceipt({ hash });
  if (r.status !== 'success') throw new GpuMarketError('EINVALID', `${what}: transaction ${hash} reverted`);
  return hash;
}

/** dispute disputes job id's submitted result with reason: it posts the dispute bond (disputeBondFor(token, price), in
 * the job's token), approving it first when the allowance is short, and sends dispute(reasonHash = keccak256(reason)).
 * Everything is checked first: it throws an EINVALID GpuMarketError when the reason is empty or over
 * maxDisputeReasonBytes, the job is not submitted, the wallet is not its client or the challenge window has closed,
 * InsufficientFundsError when the wallet cannot post the bond or pay gas, WrongChainError on another chain. */
export async function dispute(m: GpuMarket, id: bigint, reason: string): Promise<Hex> {
  const { account } = needWallet(m, 'dispute');
  const rb = toBytes(reason);
  if (rb.byteLength === 0 || rb.byteLength > maxDisputeReasonBytes) throw new GpuMarketError('EINVALID', `dispute: the reason must be 1 to ${maxDisputeReasonBytes} bytes`);
  await checkChain(m, true);
  const [r, now] = await Promise.all([readJob(m, id), chainTime(m)]);
  if (r.state !== 'submitted') throw new GpuMarketError('EINVALID', `dispute: job ${id} is ${r.state}; only a submitted result can be disputed`);
  if (r.job.client.toLowerCase() !== account.address.toLowerCase()) throw new GpuMarketError('EINVALID', `dispute: job ${id} belongs to ${r.job.client}, not ${account.address}`);
  if (now >= BigInt(r.job.challengeEnd)) throw new GpuMarketError('EINVALID', `dispute: job ${id}'s challenge window closed at ${new Date(Number(r.job.challengeEnd) * 1000).toISOString()}`);
  await checkFolded(m, r);
  const bond = await m.publicClient.readContract({ address: m.marketplace, abi: jobMarketplaceAbi, functionName: 'disputeBondFor', args: [r.job.token, r.job.price] });
  const bal = await balances(m, r.job.token, account.address);
  if (bal.token < bond) throw new InsufficientFundsError(`dispute: the bond is ${bond} base units of ${r.job.token}, wallet ${account.address} holds ${bal.token}`);
  if (bal.gas === 0n) throw new InsufficientFundsError(`wallet ${account.address} has no ETH to pay for gas`);
  if (bond > 0n && bal.allowance < bond) {
    const { walletClient } = needWallet(m, 'dispute');
    try {
      const { request } = await m.publicClient.simulateContract({ address: r.job.token, abi: erc20Abi, functionName: 'approve', args: [m.marketplace, bond], account });
      await m.publicClient.waitForTransactionReceipt({ hash: await walletClient.writeContract({ ...request, chain: walletClient.chain ?? null } as never) });
    } catch (e) {
      throw revertError('dispute: approve the bond', e);
    }
  }
  return sendMarket(m, `dispute job ${id}`, 'dispute', [id, r.job, keccak256(rb)]);
}

/** refund refunds job id after its deadline (anyone may: the max payment goes back to the job's client's pull balance
 * in the marketplace). It throws an EINVALID GpuMarketError, sending nothing, when the job is not open or assigned or
 * its deadline has not passed on the chain's clock; InsufficientFundsError without gas; WrongChainError on another
 * chain. */
export async function refund(m: GpuMarket, id: bigint): Promise<Hex> {
  const { account } = needWallet(m, 'refund');
  await checkChain(m, true);
  const [r, now] = await Promise.all([readJob(m, id), chainTime(m)]);
  if (r.state !== 'open' && r.state !== 'assigned') throw new GpuMarketError('EINVALID', `refund: job ${id} is ${r.state}; only an open or assigned job can be refunded`);
  if (now <= BigInt(r.job.deadline)) throw new GpuMarketError('EINVALID', `refund: job ${id}'s deadline has not passed (in ${BigInt(r.job.deadline) - now + 1n}s on the chain's clock)`);
  await checkFolded(m, r);
  if ((await m.publicClient.getBalance({ address: account.address })) === 0n) throw new InsufficientFundsError(`wallet ${account.address} has no ETH to pay for gas`);
  return sendMarket(m, `refund job ${id}`, 'refund', [id, r.job]);
}
