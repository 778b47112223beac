// Live status: the matcher's Server-Sent Events (GET /v1/jobs/{chainId}/{jobId}/events) read with fetch streaming, so
// it works in node 20 and in browsers alike, resumed with Last-Event-ID after a dropped connection.
import { EventSourceParserStream } from 'eventsource-parser/stream';
import { readJob, type JobRecord, type JobStateName } from './chain.js';
import { GpuMarketError, RefundedError } from './errors.js';
import { responseError, send } from './http.js';
import type { GpuMarket } from './market.js';
import { sleep } from './create.js';

/** JobEvent is one event of a job's stream: id is the cursor to resume after it; data is its JSON, parsed (integers
 * beyond 2^53 are not in it: amounts are decimal strings). */
export interface JobEvent {
  id: string;
  event: 'state' | 'offer' | 'offer_lapsed' | 'result' | 'settled' | 'final' | string;
  data: unknown;
}

/** WatchOptions tune watchJob. */
export interface WatchOptions {
  lastEventId?: string; // resume after this event (without: the first event is `state`, the current view)
  signal?: AbortSignal;
  maxReconnects?: number; // consecutive failed reconnects before giving up (5)
  reconnectMs?: number; // the wait before reconnecting (1000; the server's retry: wins)
}

/** watchJob yields job id's events as the matcher streams them, until the `final` event (the job is settled,
 * refunded or cancelled) or signal aborts. A dropped stream is reopened with Last-Event-ID, so no event is lost nor
 * seen twice. The first answer's error is thrown as it is (ENOTFOUND for an unknown job, EUNAVAILABLE when the
 * client holds too many streams); EUNAVAILABLE after maxReconnects failed reconnects. Event content is the matcher's
 * word: read the chain (readJob) before acting on it, as awaitJob does. */
export async function* watchJob(m: GpuMarket, id: bigint, opts: WatchOptions = {}): AsyncGenerator<JobEvent, void, undefined> {
  let last = opts.lastEventId;
  let retry = opts.reconnectMs ?? 1000;
  let failures = 0;
  let opened = false;
  const url = `${m.matcherUrl}/v1/jobs/${m.chainId}/${id}/events`;
  for (;;) {
    const headers: Record<string, string> = { Accept: 'text/event-stream' };
    if (last !== undefined) headers['Last-Event-ID'] = last;
    let resp: Response;
    try {
      resp = await send(m, url, { headers, ...(opts.signal ? { signal: opts.signal } : {}) }, 'job events');
      if (resp.status !== 200 || !(resp.headers.get('content-type') ?? '').startsWith('text/event-stream')) {
        throw resp.status === 200 ? new GpuMarketError('EINVALID', `job events: ${resp.headers.get('content-type')} is not text/event-stream`) : await responseError(resp, 'job events');
      }
    } catch (e) {
      if (opts.signal?.aborted) return;
      if (!opened || !(e instanceof GpuMarketError) || e.code !== 'EUNAVAILABLE' || ++failures > (opts.maxReconnects ?? 5)) throw e;
      await sleep(retry, opts.signal).catch(() => undefined);
      continue;
    }
    opened = true;
    const events = resp.body!.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream({ onRetry: (ms) => (retry = ms) }));
    const reader = events.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        failures = 0;
        if (value.id !== undefined) last = value.id;
        let data: unknown = value.data;
        try {
          data = JSON.parse(value.data);
        } catch {
          // not JSON: keep the text
        }
        yield { id: value.id ?? '', event: value.event ?? 'message', data };
        if (value.event === 'final') return;
      }
    } catch (e) {
      if (opts.signal?.aborted) return;
      if (++failures > (opts.maxReconnects ?? 5)) throw new GpuMarketError('EUNAVAILABLE', `job events: stream broken: ${(e as Error).message}`, { cause: e });
    } finally {
      reader.releaseLock();
      await events.cancel().catch(() => undefined);
    }
    if (opts.signal?.aborted) return;
    await sleep(retry, opts.signal).catch(() => undefined);
  }
}

/** AwaitOptions tune awaitJob. */
export interface AwaitOptions {
  until?: JobStateName[]; // the states to wait for (default: settled, refunded, cancelled)
  pollMs?: number; // re-read the chain at least this often (2000), events or not
  signal?: AbortSignal;
  onChange?: (r: JobRecord) => void; // called with each new state read from the chain
}

/** awaitJob waits until job id reaches one of opts.until on chain and returns its record. Every stream event (and a
 * poll every pollMs, so a refused or broken stream only slows it) re-reads the chain: events are never trusted. It
 * throws RefundedError when the job ends refunded or cancelled while waiting for another state, and rethrows when
 * signal aborts. */
export async function awaitJob(m: GpuMarket, id: bigint, opts: AwaitOptions = {}): Promise<JobRecord> {
  const until = opts.until ?? ['settled', 'refunded', 'cancelled'];
  const ac = new AbortController();
  const stop = () => ac.abort(opts.signal?.reason);
  opts.signal?.addEventListener('abort', stop, { once: true });
  // A wake-up (a stream event, or the end of the wait) ends the current wait; one that comes while the chain is being
  // read makes the next wait end at once.
  let pending = false;
  let endWait: (() => void) | undefined;
  const wake = () => (endWait ? endWait() : (pending = true));
  ac.signal.addEventListener('abort', wake, { once: true });
  void (async () => {
    try {
      for await (const _ of watchJob(m, id, { signal: ac.signal })) wake();
    } catch {
      // polling goes on
    }
  })();
  let seen: JobStateName | undefined;
  try {
    for (;;) {
      pending = false;
      const r = await readJob(m, id).catch((e: unknown) => {
        if (e instanceof GpuMarketError && e.code === 'ENOTFOUND') return undefined; // the node may lag the receipt
        throw e;
      });
      if (r) {
        if (r.state !== seen) opts.onChange?.(r);
        seen = r.state;
        if (until.includes(r.state)) return r;
        if (r.state === 'refunded' || r.state === 'cancelled') throw new RefundedError(`job ${id} was ${r.state} (${r.refund ?? 0n} base units back to the client) before reaching ${until.join(' or ')}`);
      }
      if (opts.signal?.aborted) throw opts.signal.reason;
      if (!pending) {
        await new Promise<void>((resolve) => {
          const t = setTimeout(() => endWait?.(), opts.pollMs ?? 2000);
          endWait = () => {
            clearTimeout(t);
            endWait = undefined;
            resolve();
          };
        });
      }
      if (opts.signal?.aborted) throw opts.signal.reason;
    }
  } finally {
    ac.abort();
    opts.signal?.removeEventListener('abort', stop);
  }
}
