// Job specs, quotes and input uploads: the matcher's POST /v1/quote, GET /v1/providers, POST /v1/specs, POST /v1/blobs.
import { keccak256, sha256, type Address, type Hex } from 'viem';
import { GpuMarketError, NoProviderError } from './errors.js';
import type { components } from './generated/api.js';
import { matcherJSON } from './http.js';
import type { GpuMarket } from './market.js';

/** JobSpec is a job's spec document (the API's JobSpec schema). */
export type JobSpec = components['schemas']['JobSpec'];
/** JobInput is one entry of a spec's inputs. */
export type JobInput = JobSpec['inputs'][number];
/** JobKindName is a job kind as the API names it. */
export type JobKindName = JobSpec['kind'];

/** jobKinds are the kinds in the contract's enum order (JobKind: Render, TTS, STT, LLM). */
export const jobKinds = ['render', 'tts', 'stt', 'llm'] as const satisfies readonly JobKindName[];

/** maxJobSpecBytes bounds a spec document (gpumarket.MaxJobSpecBytes). */
export const maxJobSpecBytes = 256 << 10;
/** maxJobInputs bounds a spec's inputs (gpumarket.MaxJobInputs). */
export const maxJobInputs = 64;

/** kindNumber returns the contract's enum value of kind, or throws EINVALID for an unknown kind. */
export function kindNumber(kind: string): number {
  const i = (jobKinds as readonly string[]).indexOf(kind);
  if (i < 0) throw new GpuMarketError('EINVALID', `unknown job kind ${JSON.stringify(kind)}: want one of ${jobKinds.join(', ')}`);
  return i;
}

/** EncodedSpec is a checked spec and the exact bytes that are uploaded and hashed. */
export interface EncodedSpec {
  spec: JobSpec;
  bytes: Uint8Array;
  hash: Hex; // keccak256(bytes): the on-chain spec hash
}

/** encodeSpec checks a spec (object or JSON text) the way the matcher's strict decoder will, before anything is
 * sent: a known kind, a model, 1 to maxJobInputs inputs each with a name and a URI, requirements, no unknown top-level
 * field, at most maxJobSpecBytes. It throws an EINVALID GpuMarketError naming the field. */
export function encodeSpec(spec: JobSpec | string | Uint8Array): EncodedSpec {
  let obj: unknown;
  let bytes: Uint8Array;
  if (typeof spec === 'string' || spec instanceof Uint8Array) {
    bytes = typeof spec === 'string' ? new TextEncoder().encode(spec) : spec;
    try {
      obj = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch (e) {
      throw new GpuMarketError('EINVALID', `spec: not JSON: ${(e as Error).message}`);
    }
  } else {
    obj = spec;
    bytes = new TextEncoder().encode(JSON.stringify(spec));
  }
  if (bytes.byteLength > maxJobSpecBytes) throw new GpuMarketError('EINVALID', `spec: ${bytes.byteLength} bytes, at most ${maxJobSpecBytes}`);
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new GpuMarketError('EINVALID', 'spec: want a JSON object');
  const s = obj as Record<string, unknown>;
  for (const k of Object.keys(s)) {
    if (!['kind', 'model', 'inputs', 'requirements'].includes(k)) throw new GpuMarketError('EINVALID', `spec: unknown field ${JSON.stringify(k)}`);
  }
  kindNumber(String(s.kind));
  if (typeof s.model !== 'string' || s.model === '') throw new GpuMarketError('EINVALID', 'spec.model: want a non-empty string');
  if (!Array.isArray(s.inputs)) throw new GpuMarketError('EINVALID', 'spec.inputs: want an array');
  if (s.inputs.length === 0 || s.inputs.length > maxJobInputs) throw new GpuMarketError('EINVALID', `spec.inputs: ${s.inputs.length} inputs, want 1 to ${maxJobInputs}`);
  s.inputs.forEach((inp: unknown, i: number) => {
    const o = inp as Record<string, unknown> | null;
    if (!o || typeof o !== 'object' || typeof o.name !== 'string' || o.name === '' || typeof o.uri !== 'string' || o.uri === '') {
      throw new GpuMarketError('EINVALID', `spec.inputs[${i}]: want {name, uri, ...} with a non-empty name and uri`);
    }
  });
  if (!s.requirements || typeof s.requirements !== 'object' || Array.isArray(s.requirements)) throw new GpuMarketError('EINVALID', 'spec.requirements: want an object');
  return { spec: obj as JobSpec, bytes, hash: keccak256(bytes) };
}

/** Quote is the matcher's price estimate of a spec in the token's base units (POST /v1/quote). */
export interface Quote {
  total: bigint; // what the matcher suggests as max price
  bandLow: bigint; // the market band's ends for this spec
  bandHigh: bigint;
  qualifying: { provider: Address; cost: bigint }[]; // providers that would take it now, cheapest first
  raw: Record<string, unknown>; // the whole answer (lines, fee split), integers as bigint
}

function amount(v: unknown, field: string): bigint {
  if (typeof v === 'bigint' && v >= 0n) return v;
  if (typeof v === 'string' && /^[0-9]{1,78}$/.test(v)) return BigInt(v);
  throw new GpuMarketError('EINVALID', `quote: malformed ${field} ${String(v)}`);
}

/** quote asks the matcher what spec costs in token (default: the deployment's first payment token). It throws a
 * NoProviderError when no provider serves the spec's kind and model (the message lists the models that are served)
 * or none passes its requirements, an ENOTFOUND GpuMarketError when the matcher has no rates yet, and EINVALID for a
 * bad spec (nothing is sent then). */
export async function quote(m: GpuMarket, spec: JobSpec | string, opts: { token?: Address; signal?: AbortSignal } = {}): Promise<Quote> {
  const enc = encodeSpec(spec);
  const token = opts.token ?? m.deployment.tokens?.paymentTokens?.[0];
  if (!token) throw new GpuMarketError('EINVALID', 'quote: no token given and the deployment lists no payment tokens');
  let q: Quote | undefined;
  let qerr: unknown;
  try {
    const body = `{"spec":${new TextDecoder().decode(enc.bytes)},"token":${JSON.stringify(token)}}`;
    const raw = await matcherJSON<Record<string, unknown>>(m, 'POST', `/v1/chains/${m.chainId}/quote`, { body, exact: true, ...(opts.signal ? { signal: opts.signal } : {}) });
    const qual = Array.isArray(raw.qualifying) ? (raw.qualifying as { provider: Address; cost: unknown }[]) : [];
    q = {
      total: amount(raw.total, 'total'),
      bandLow: amount(raw.band_low, 'band_low'),
      bandHigh: amount(raw.band_high, 'band_high'),
      qualifying: qual.map((p) => ({ provider: p.provider, cost: amount(p.cost, 'cost') })),
      raw,
    };
  } catch (e) {
    if (!(e instanceof GpuMarketError) || e.code !== 'ENOTFOUND') throw e;
    qerr = e;
  }
  if (q && q.qualifying.length > 0) return q;
  await checkServed(m, enc.spec, opts.signal);
  if (qerr) throw qerr;
  const r = enc.spec.requirements as { gpu_count?: number; min_vram_mib?: number };
  throw new NoProviderError(`no provider can serve this ${enc.spec.kind} job for ${enc.spec.model} now (providers serve the model but none passes the spec's requirements: ${r.gpu_count ?? 0} GPU(s), ${r.min_vram_mib ?? 0} MiB VRAM, or none is online)`);
}

interface ProviderRow {
  provider: Address;
  status?: string;
  models?: string[];
}

/** providers lists the matcher's providers serving kind (and model, when given): GET /v1/providers. */
export async function providers(m: GpuMarket, kind: JobKindName, model?: string, signal?: AbortSignal): Promise<ProviderRow[]> {
  const q = new URLSearchParams({ capability: kind });
  if (model) q.set('model', model);
  const out = await matcherJSON<{ providers?: ProviderRow[] }>(m, 'GET', `/v1/chains/${m.chainId}/providers?${q}`, signal ? { signal } : {});
  return out.providers ?? [];
}

async function checkServed(m: GpuMarket, s: JobSpec, signal?: AbortSignal): Promise<void> {
  if ((await providers(m, s.kind, s.model, signal)).length > 0) return;
  const models = [...new Set((await providers(m, s.kind, undefined, signal)).flatMap((p) => p.models ?? []))];
  if (models.length === 0) throw new NoProviderError(`no provider serves ${s.kind} jobs`);
  throw new NoProviderError(`no provider serves model ${JSON.stringify(s.model)} for ${s.kind} jobs; these are served: ${models.join(', ')}`);
}

/** postSpec uploads the spec's bytes (POST /v1/specs) and returns its hash, checking the matcher's answer against
 * keccak256 of the bytes (EINVALID on a mismatch). */
export async function postSpec(m: GpuMarket, enc: EncodedSpec, signal?: AbortSignal): Promise<Hex> {
  const out = await matcherJSON<{ spec_hash?: string }>(m, 'POST', '/v1/specs', { body: enc.bytes as BodyInit, ...(signal ? { signal } : {}) });
  if (out.spec_hash?.toLowerCase() !== enc.hash) {
    throw new GpuMarketError('EINVALID', `upload spec: matcher answered hash ${String(out.spec_hash)}, the bytes hash to ${enc.hash}`);
  }
  return enc.hash;
}

/** uploadInput stores bytes in the matcher's input store (POST /v1/blobs with the X-Gpumarket-Sha256 header, which
 * the matcher checks) and returns the JobInput a spec lists: {name, uri, sha256, size_bytes}. It throws EINVALID for
 * an empty name or an answer that does not name the same SHA-256 and size, EUNAVAILABLE when the input quota is used
 * up (429), and ENOTFOUND when the matcher has no input store. */
export async function uploadInput(m: GpuMarket, name: string, bytes: Uint8Array, opts: { signal?: AbortSignal } = {}): Promise<Required<JobInput>> {
  if (name === '') throw new GpuMarketError('EINVALID', 'uploadInput: the input needs a name');
  const sum = sha256(bytes).slice(2);
  const out = await matcherJSON<{ sha256?: string; size_bytes?: number; uri?: string }>(m, 'POST', '/v1/blobs', {
    body: bytes as BodyInit,
    contentType: 'application/octet-stream',
    headers: { 'X-Gpumarket-Sha256': sum },
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  if (out.sha256 !== sum || out.size_bytes !== bytes.byteLength || typeof out.uri !== 'string' || !/^https?:\/\//.test(out.uri)) {
    throw new GpuMarketError('EINVALID', `upload input: malformed answer (sha256 ${String(out.sha256).slice(0, 80)}, size ${String(out.size_bytes)}, uri ${String(out.uri).slice(0, 80)}); sent ${sum}, ${bytes.byteLength} bytes`);
  }
  return { name, uri: out.uri, sha256: sum, size_bytes: bytes.byteLength };
}
