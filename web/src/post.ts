// Post a job from an injected EIP-1193 wallet: choose kind and model,
// upload the input, quote (with the market band), approve and create the
// job with the wallet, watch its status live (SSE), then download the
// result with a wallet-signed request and check it against the on-chain
// hash before offering to save it.
import { createPublicClient, createWalletClient, custom, decodeEventLog, keccak256, parseUnits, toHex, type Address, type Hex } from 'viem'
import marketAbi from '../../contracts/abi/JobMarketplace.json'
import erc20Abi from '../../contracts/abi/TestERC20.json'
import { api, type Config, formatAmount, parseExact, tokenOf } from './api'
import { h, status } from './dom'
import { account, ethereum } from './wallet'

const kinds = ['render', 'tts', 'stt', 'llm'] as const
type Kind = typeof kinds[number]

// Spec templates per kind (examples/*.json); the page fills in the model.
function template(kind: Kind, model: string): object {
  const params = (o: object) => ({ name: 'params', uri: 'data:application/json;base64,' + btoa(JSON.stringify(o)) })
  switch (kind) {
    case 'llm': return { kind, model, inputs: [params({ model, prompt: 'Write a haiku about unified memory.', max_tokens: 32, seed: 7 })],
      requirements: { min_vram_mib: 8192, gpu_count: 1, estimate: { input_tokens: 16, output_tokens: 32 } } }
    case 'tts': return { kind, model, inputs: [params({ text: 'Welcome to gpumarket.' })],
      requirements: { min_vram_mib: 4096, gpu_count: 1, estimate: { characters: 21 } } }
    case 'stt': return { kind, model, inputs: [], requirements: { min_vram_mib: 4096, gpu_count: 1, estimate: { audio_seconds: 10 } } }
    case 'render': return { kind, model, inputs: [], requirements: { min_vram_mib: 8192, gpu_count: 1, estimate: { frames: 1 } } }
  }
}

async function sha256Hex(b: ArrayBuffer): Promise<string> {
  return [...new Uint8Array(await crypto.subtle.digest('SHA-256', b))].map((x) => x.toString(16).padStart(2, '0')).join('')
}

export async function postPage(cfg: Config, view: HTMLElement): Promise<void> {
  const provs = (await api('/v1/providers?limit=500')).providers as any[]
  const modelsOf = (k: string) => [...new Set(provs.flatMap((p) => (p.offers as any[]).filter((o) => o.kind === k).flatMap((o) => o.models as string[])))].sort()
  const kindSel = h('select', { id: 'kind', name: 'kind' }, ...kinds.map((k) => h('option', { value: k, selected: k === 'llm' }, k)))
  const modelSel = h('select', { id: 'model', name: 'model' })
  const tokenSel = h('select', { id: 'token', name: 'token' }, ...cfg.tokens.map((t) => h('option', { value: t.address }, t.symbol)))
  const specArea = h('textarea', { id: 'spec', name: 'spec', rows: '10', spellcheck: 'false', 'aria-describedby': 'spec-help' })
  const fileIn = h('input', { id: 'input-file', name: 'input', type: 'file' })
  const maxIn = h('input', { id: 'max-payment', name: 'max', inputmode: 'decimal', autocomplete: 'off', 'aria-describedby': 'quote' })
  const quoteOut = h('output', { id: 'quote', for: 'spec token' })
  const progress = h('ol', { id: 'progress', class: 'timeline', 'aria-live': 'polite' })
  const resultBox = h('div', { id: 'result' })
  const refill = () => {
    const ms = modelsOf(kindSel.value)
    modelSel.replaceChildren(...ms.map((m) => h('option', { value: m }, m)))
    specArea.value = JSON.stringify(template(kindSel.value as Kind, ms[0] ?? ''), null, 2)
  }
  kindSel.addEventListener('change', refill)
  modelSel.addEventListener('change', () => specArea.value = JSON.stringify(template(kindSel.value as Kind, modelSel.value), null, 2))
  refill()
  const step = (msg: string) => { progress.append(h('li', {}, msg)); status(msg) }

  // The spec as it will be uploaded: the textarea plus the uploaded input.
  let uploaded: object | undefined
  const specBytes = (): string => {
    const s = JSON.parse(specArea.value)
    if (uploaded) s.inputs = [...(s.inputs ?? []), uploaded]
    return JSON.stringify(s)
  }
  fileIn.addEventListener('change', async () => {
    const f = fileIn.files?.[0]
    if (!f) return
    const b = await f.arrayBuffer()
    const ref = await api('/v1/blobs', { method: 'POST', body: b, headers: { 'Content-Type': 'application/octet-stream', 'X-Gpumarket-Sha256': await sha256Hex(b) } })
    uploaded = { name: 'input', uri: ref.uri, sha256: ref.sha256, size_bytes: ref.size_bytes }
    step(`Uploaded ${f.name} (${ref.size_bytes} bytes) to the input store`)
  })

  const quote = async () => {
    const t = tokenSel.value
    const q = await api('/v1/quote', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ spec: JSON.parse(specBytes()), token: t }) })
    quoteOut.replaceChildren(`Quote ${formatAmount(cfg, t, q.total)} (market band ${formatAmount(cfg, t, q.band_low)} – ${formatAmount(cfg, t, q.band_high)}; `,
      `protocol fee ${formatAmount(cfg, t, q.protocol_fee)}; ${q.qualifying.length} qualifying providers)`)
    const tok = tokenOf(cfg, t)
    maxIn.value = formatAmount(cfg, t, q.total).split(' ')[0]
    return { q, tok }
  }

  const submit = async (ev: Event) => {
    ev.preventDefault()
    progress.replaceChildren()
    resultBox.replaceChildren()
    try {
      const from = account()
      if (!from) throw new Error('Connect a wallet first.')
      const token = tokenSel.value as Address
      const tok = tokenOf(cfg, token)
      if (!tok) throw new Error('Choose a token.')
      const max = parseUnits(maxIn.value.trim(), tok.decimals)
      if (max <= 0n) throw new Error('The maximum payment must be positive.')
      const body = specBytes()
      const up = await api('/v1/specs', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body })
      step(`Spec stored: ${up.spec_hash}`)
      const eth = ethereum()
      const chain = { id: cfg.chain_id, name: `chain ${cfg.chain_id}`, nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [] } } } as const
      const pub = createPublicClient({ chain, transport: custom(eth) })
      const wal = createWalletClient({ chain, account: from, transport: custom(eth) })
      const market = cfg.market as Address
      const allowance = await pub.readContract({ address: token, abi: erc20Abi, functionName: 'allowance', args: [from, market] }) as bigint
      if (allowance < max) {
        step(`Approving ${formatAmount(cfg, token, max)} for the marketplace: confirm in your wallet`)
        const tx = await wal.writeContract({ address: token, abi: erc20Abi, functionName: 'approve', args: [market, max] })
        await pub.waitForTransactionReceipt({ hash: tx, pollingInterval: 500 })
        step(`Approved (tx ${tx})`)
      }
      // The deadline counts from the chain's clock, not this machine's.
      const head = await pub.getBlock({ blockTag: 'latest' })
      const deadline = head.timestamp + 1800n
      const params = { kind: kinds.indexOf(JSON.parse(body).kind), token, maxPayment: max, deadline, preferredProvider: '0x0000000000000000000000000000000000000000',
        creator: '0x0000000000000000000000000000000000000000', creatorShareBps: 0, specHash: up.spec_hash as Hex, specURI: `${location.origin}/v1/specs/${up.spec_hash}` }
      step('Creating the job: confirm in your wallet')
      const tx = await wal.writeContract({ address: market, abi: marketAbi, functionName: 'createJob', args: [params] })
      const rc = await pub.waitForTransactionReceipt({ hash: tx, pollingInterval: 500 })
      let jobId: bigint | undefined
      for (const log of rc.logs) {
        try {
          const ev = decodeEventLog({ abi: marketAbi, data: log.data, topics: log.topics }) as any
          if (ev.eventName === 'JobCreated') jobId = ev.args.jobId as bigint
        } catch { /* another contract's event */ }
      }
      if (jobId === undefined) throw new Error(`transaction ${tx} created no job`)
      step(`Job #${jobId} created (tx ${tx}), locked ${formatAmount(cfg, token, max)}`)
      progress.append(h('li', {}, h('a', { href: `#/job/${jobId}`, id: 'job-link' }, `Job #${jobId}'s page`)))
      await watch(cfg, jobId, step)
      resultBox.append(h('button', { type: 'button', id: 'download', onclick: () => download(cfg, jobId!, resultBox).catch((e) => status(String(e.message ?? e), true)) }, 'Download the result'))
    } catch (e: any) {
      status(e.shortMessage ?? e.message ?? String(e), true)
    }
  }

  view.replaceChildren(h('section', { 'aria-labelledby': 'h-post' }, h('h2', { id: 'h-post' }, 'Post a job'),
    h('form', { id: 'post-form', onsubmit: submit },
      h('label', { for: 'kind' }, 'Kind'), kindSel,
      h('label', { for: 'model' }, 'Model'), modelSel,
      h('label', { for: 'token' }, 'Paid in'), tokenSel,
      h('label', { for: 'input-file' }, 'Input file (optional, uploaded to the input store)'), fileIn,
      h('label', { for: 'spec' }, 'Job spec'), specArea,
      h('p', { id: 'spec-help', class: 'help' }, 'The JSON job spec as uploaded (its keccak256 is the on-chain spec hash).'),
      h('button', { type: 'button', id: 'get-quote', onclick: () => quote().catch((e) => status(String(e.message ?? e), true)) }, 'Get a quote'),
      quoteOut,
      h('label', { for: 'max-payment' }, 'Maximum payment'), maxIn,
      h('button', { type: 'submit', id: 'post' }, 'Approve and post the job')),
    h('h3', {}, 'Progress'), progress, resultBox))
}

// watch follows the job's status stream until it is final (settled,
// refunded or cancelled), re-reading the job view on every event.
async function watch(cfg: Config, id: bigint, step: (m: string) => void): Promise<void> {
  // The matcher knows the job once its indexer mirrored it: wait for it
  // in the job list (never a 404) before opening the stream.
  step(`Waiting for the matcher to index job #${id}`)
  for (;;) {
    const page = await api(`/v1/jobs?before=${id + 1n}&limit=1`)
    if (page.jobs.length && BigInt(page.jobs[0].job_id) === id) break
    await new Promise((r) => setTimeout(r, 1000))
  }
  return new Promise((resolve, reject) => {
    const es = new EventSource(`/v1/jobs/${cfg.chain_id}/${id}/events`)
    let last = ''
    const show = (state: string, detail = '') => {
      if (state + detail === last) return
      last = state + detail
      step(`Job #${id}: ${state}${detail}`)
    }
    es.addEventListener('state', (e) => {
      const v = parseExact((e as MessageEvent).data)
      show(v.chain.state, v.matching ? ` (matching: ${v.matching.status})` : '')
    })
    es.addEventListener('offer', (e) => {
      const o = parseExact((e as MessageEvent).data)
      step(`Offer to ${o.provider} at ${o.price} base units`)
    })
    es.addEventListener('result', () => step('Result submitted'))
    es.addEventListener('settled', () => step('Settled'))
    es.addEventListener('final', (e) => {
      es.close()
      const f = parseExact((e as MessageEvent).data)
      step(`Job #${id} is ${f.state}`)
      f.state === 'settled' ? resolve() : reject(new Error(`job #${id} ended ${f.state}`))
    })
    es.onerror = () => {
      // EventSource reconnects by itself (with Last-Event-ID) unless the
      // server refused the stream; then say so and stop.
      if (es.readyState === EventSource.CLOSED) reject(new Error(`job #${id}: the status stream was refused`))
    }
  })
}

// download fetches the result from its provider with a wallet-signed
// request, checks its keccak256 against the on-chain result hash and
// offers the bytes to save.
async function download(cfg: Config, id: bigint, box: HTMLElement): Promise<void> {
  const v = await api(`/v1/jobs/${cfg.chain_id}/${id}`)
  const want = v.chain.result_hash as string, uri = v.chain.result_uri as string
  if (!want || !/^https?:\/\//.test(uri)) throw new Error(`job #${id} has no downloadable result`)
  const expiry = Math.floor(Date.now() / 1000) + 300
  const msg = `gpumarket-result:${want}:${expiry}`
  const sig = await ethereum().request({ method: 'personal_sign', params: [toHex(msg), account()!] }) as string
  status('Downloading the result')
  const r = await fetch(uri, { headers: { 'X-Gpumarket-Signature': sig, 'X-Gpumarket-Expiry': String(expiry) } })
  if (!r.ok) throw new Error(`the provider answered ${r.status}`)
  const bytes = new Uint8Array(await r.arrayBuffer())
  const got = keccak256(bytes)
  if (got !== want.toLowerCase()) throw new Error(`the ${bytes.length} bytes hash to ${got}, the provider committed ${want}: dispute it`)
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }))
  box.replaceChildren(h('p', { id: 'verified' }, `Verified: ${bytes.length} bytes, keccak256 ${got} as committed on-chain.`),
    h('a', { href: url, download: `job-${id}.result`, id: 'save', class: 'button' }, 'Save the result'))
  status('Result verified')
}
