// Results: downloaded from the URI the provider committed on-chain with a request signed by the wallet (EIP-191, as
// internal/eth/resultauth checks it), accepted only when the bytes hash to the committed result hash.
import { keccak256, type Hex } from 'viem';
import { readJob } from './chain.js';
import { GpuMarketError, ResultMismatchError } from './errors.js';
import { resultAuthMessagePrefix, resultExpiryHeader, resultSignatureHeader } from './generated/typedData.js';
import { readBounded, responseError, send } from './http.js';
import { needWallet, type GpuMarket } from './market.js';

/** maxResultBytes bounds a downloaded result (client.MaxResultBytes). */
export const maxResultBytes = 1 << 30;
/** resultAuthTtlSeconds is how long a download signature is good for (the relayer accepts at most 10 minutes). */
export const resultAuthTtlSeconds = 300;

/** Result is a downloaded, verified result. */
export interface Result {
  jobId: bigint;
  hash: Hex; // keccak256 of the bytes, equal to the chain's
  uri: string;
  size: number;
  bytes: Uint8Array;
}

/** resultAuthMessage is the text signed to download the result with hash until expiry (resultauth.ResultAuthMessage):
 * "gpumarket-result:0x<64 lower-case hex digits>:<unix seconds>". */
export function resultAuthMessage(hash: Hex, expiry: bigint): string {
  if (!/^0x[0-9a-fA-F]{64}$/.test(hash)) throw new GpuMarketError('EINVALID', `result hash ${hash}: want 0x and 64 hex digits`);
  return `${resultAuthMessagePrefix}${hash.toLowerCase()}:${expiry}`;
}

/** signResultRequest signs the download request for hash until expiry with the wallet (personal_sign) and returns the
 * two headers, the signature's v as 27 or 28. */
export async function signResultRequest(m: GpuMarket, hash: Hex, expiry: bigint): Promise<Record<string, string>> {
  const { walletClient, account } = needWallet(m, 'downloadResult');
  let sig = await walletClient.signMessage({ account, message: resultAuthMessage(hash, expiry) });
  if (!/^0x[0-9a-fA-F]{130}$/.test(sig)) throw new GpuMarketError('EINTERNAL', 'sign result request: the wallet returned a malformed signature');
  const v = parseInt(sig.slice(130), 16);
  if (v < 27) sig = `${sig.slice(0, 130)}${(v + 27).toString(16)}` as Hex;
  return { [resultSignatureHeader]: sig, [resultExpiryHeader]: expiry.toString() };
}

/** downloadResult reads job id's result hash and URI from the chain, downloads the bytes with a signed request and
 * checks that they hash (keccak256) to the committed hash. It throws an EINVALID GpuMarketError when the job has no
 * result yet or its URI is not http(s), ResultMismatchError (dispute it) when the bytes do not match, the provider's
 * answer as a GpuMarketError (EUNAUTHORIZED for a refused signature, EUNAVAILABLE when unreachable), and EINVALID for a
 * result over maxBytes. */
export async function downloadResult(m: GpuMarket, id: bigint, opts: { maxBytes?: number; signal?: AbortSignal; now?: () => number } = {}): Promise<Result> {
  needWallet(m, 'downloadResult');
  const r = await readJob(m, id);
  if (!r.resultHash || !r.resultURI) throw new GpuMarketError('EINVALID', `job ${id} has no result yet (it is ${r.state})`);
  const uri = r.resultURI;
  if (!/^https?:\/\//.test(uri)) throw new GpuMarketError('EINVALID', `job ${id}: result URI ${JSON.stringify(uri.slice(0, 80))} is not http(s)`);
  const expiry = BigInt(Math.floor((opts.now?.() ?? Date.now()) / 1000) + resultAuthTtlSeconds);
  const headers = await signResultRequest(m, r.resultHash, expiry);
  const who = `job ${id}: download ${uri}`;
  const resp = await send(m, uri, { headers, ...(opts.signal ? { signal: opts.signal } : {}) }, who);
  if (resp.status !== 200) throw await responseError(resp, who);
  const bytes = await readBounded(resp, opts.maxBytes ?? maxResultBytes, who);
  const got = keccak256(bytes);
  if (got !== r.resultHash.toLowerCase()) {
    throw new ResultMismatchError(
      `job ${id}: the ${bytes.byteLength} bytes from ${uri} hash to ${got}, the provider committed ${r.resultHash} on-chain; nothing kept. Dispute it: dispute(market, ${id}n, 'result does not match its hash')`,
      r.resultHash,
      got,
      bytes.byteLength,
    );
  }
  return { jobId: id, hash: got, uri, size: bytes.byteLength, bytes };
}
