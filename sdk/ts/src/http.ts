// The matcher's HTTP API as the SDK calls it: bounded reads, errors mapped to domain codes.
import { isInteger, parse as parseLossless } from 'lossless-json';
import { codeOfStatus, GpuMarketError } from './errors.js';
import type { GpuMarket } from './market.js';

/** maxMatcherResponse bounds what the SDK reads from one matcher answer (client/matcher.go's maxMatcherResponse). */
export const maxMatcherResponse = 4 << 20;

/** readBounded reads a response body of at most limit bytes; more is an EINVALID error. */
export async function readBounded(resp: Response, limit: number, what: string): Promise<Uint8Array> {
  const len = Number(resp.headers.get('content-length') ?? '-1');
  if (len > limit) {
    await resp.body?.cancel();
    throw new GpuMarketError('EINVALID', `${what}: the answer is larger than ${limit} bytes`);
  }
  if (!resp.body) return new Uint8Array();
  const reader = resp.body.getReader();
  const chunks: Uint8Array[] = [];
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    n += value.byteLength;
    if (n > limit) {
      await reader.cancel();
      throw new GpuMarketError('EINVALID', `${what}: the answer is larger than ${limit} bytes`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(n);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.byteLength;
  }
  return out;
}

/** responseError is the GpuMarketError of a non-2xx answer: its code from the status, its message from {"error"}. */
export async function responseError(resp: Response, who: string): Promise<GpuMarketError> {
  let msg = '';
  try {
    msg = new TextDecoder().decode(await readBounded(resp, 4096, who)).trim();
    const j = JSON.parse(msg) as { error?: unknown };
    if (typeof j.error === 'string' && j.error !== '') msg = j.error;
  } catch {
    // not JSON: keep the text
  }
  return new GpuMarketError(codeOfStatus(resp.status), `${who}: ${resp.status} ${msg.slice(0, 512)}`, { status: resp.status });
}

/** send performs one request, mapping a network failure to EUNAVAILABLE (an abort is rethrown as it is). */
export async function send(m: GpuMarket, url: string, init: RequestInit, who: string): Promise<Response> {
  try {
    return await m.fetch(url, init);
  } catch (e) {
    if (init.signal?.aborted) throw e;
    throw new GpuMarketError('EUNAVAILABLE', `${who}: unreachable: ${(e as Error).message}`, { cause: e });
  }
}

/** Lossless is parsed JSON in which every integer is a bigint (so amounts stay exact) and other numbers are numbers. */
export function parseExact(text: string): unknown {
  return parseLossless(text, null, (s: string) => (isInteger(s) ? BigInt(s) : Number(s)));
}

/** matcherJSON sends a request to the matcher's path and decodes a 2xx JSON answer; exact makes integers bigints. */
export async function matcherJSON<T>(m: GpuMarket, method: string, path: string, opts: { body?: BodyInit; contentType?: string; headers?: Record<string, string>; signal?: AbortSignal; exact?: boolean } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...(opts.headers ?? {}) };
  if (opts.body !== undefined) headers['Content-Type'] = opts.contentType ?? 'application/json';
  const who = `matcher ${method} ${path.split('?')[0]}`;
  const init: RequestInit = { method, headers };
  if (opts.body !== undefined) init.body = opts.body;
  if (opts.signal) init.signal = opts.signal;
  const resp = await send(m, m.matcherUrl + path, init, who);
  if (resp.status < 200 || resp.status > 299) throw await responseError(resp, who);
  const text = new TextDecoder().decode(await readBounded(resp, maxMatcherResponse, who));
  try {
    return (opts.exact ? parseExact(text) : JSON.parse(text)) as T;
  } catch (e) {
    throw new GpuMarketError('EINVALID', `${who}: malformed answer: ${(e as Error).message}`);
  }
}
