// Post a job from an injected EIP-1193 wallet with @gpumarket/sdk: choose
// kind and model, upload the input (uploadInput), see the quote and the
// market band (quote), sign (createJob: approve or an EIP-2612 permit with
// the wallet; or signOrder + submitOrder: a gasless order the matcher
// relays), watch the status live (watchJob, SSE), then download the
// result with a wallet-signed request verified against the on-chain hash
// (downloadResult) and save it.
import { createGpuMarket, createJob, downloadResult, quote as sdkQuote, signOrder, submitOrder, uploadInput, watchJob, type GpuMarket, type JobInput } from '@gpumarket/sdk'
import { createPublicClient, createWalletClient, custom, parseUnits, type Address } from 'viem'
import { api, type Config, formatAmount, tokenOf } from './api'
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

// market is the SDK's handle over the injected wallet: reads and writes
// both go through window.ethereum, as a dApp's would.
function market(cfg: Config): GpuMarket {
  const eth = ethereum()
  const from = account()
  if (!from) throw new Error('Connect a wallet first.')
  const chain = { id: cfg.chain_id, name: `chain ${cfg.chain_id}`, nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [] } } } as const
  return createGpuMarket({
    deployment: { chainId: cfg.chain_id, deployBlock: 0, contracts: { JobMarketplace: cfg.market as Address, ProviderRegistry: cfg.registry as Address },
      tokens: { paymentTokens: cfg.tokens.map((t) => t.address as Address) } },
    publicClient: createPublicClient({ chain, transport: custom(eth) }) as any,
    walletClient: createWalletClient({ chain, account: from, transport: custom(eth) }),
    matcherUrl: location.origin,
  })
}

export async function postPage(cfg: Config, view: HTMLElement): Promise<void> {
  const provs = (await api(`/v1/chains/${cfg.chain_id}/providers?limit=500`)).providers as any[]
  const modelsOf = (k: string) => [...new Set(provs.flatMap((p) => (p.offers as any[]).filter((o) => o.kind === k).flatMap((o) => o.models as string[])))].sort()
  const kindSel = h('select', { id: 'kind', name: 'kind' }, ...kinds.map((k) => h('option', { value: k, selected: k === 'llm' }, k)))
  const modelSel = h('select', { id: 'model', name: 'model' })
  const tokenSel = h('select', { id: 'token', name: 'token' }, ...cfg.tokens.map((t) => h('option', { value: t.address }, t.symbol)))
  const specArea = h('textarea', { id: 'spec', name: 'spec', rows: '10', spellcheck: 'false', 'aria-describedby': 'spec-help' })
  const fileIn = h('input', { id: 'input-file', name: 'input', type: 'file' })
  const maxIn = h('input', { id: 'max-payment', name: 'max', inputmode: 'decimal', autocomplete: 'off', 'aria-describedby': 'quote' })
  const fundSel = h('select', { id: 'funding', name: 'funding' },
    h('option', { value: 'wallet' }, 'Wallet transaction (approve, or a permit signature when the token has one)'),
    h('option', { value: 'order' }, 'Gasless order (sign only; the matcher relays it)'))
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
  let uploaded: JobInput | undefined
  const specBytes = (): string => {
    const s = JSON.parse(specArea.value)
    if (uploaded) s.inputs = [...(s.inputs ?? []), uploaded]
    return JSON.stringify(s)
  }
  fileIn.addEventListener('change', async () => {
    const f = fileIn.files?.[0]
    if (!f) return
    try {
      uploaded = await uploadInput(market(cfg), 'input', new Uint8Array(await f.arrayBuffer()))
      step(`Uploaded ${f.name} (${uploaded.size_bytes} bytes) to the input store: ${uploaded.uri}`)
    } catch (e: any) {
      status(e.message ?? String(e), true)
    }
  })

  const quote = async () => {
    const t = tokenSel.value as Address
    const q = await sdkQuote(market(cfg), specBytes(), { token: t })
    const fee = q.raw.protocol_fee as bigint | undefined
    quoteOut.replaceChildren(`Quote ${formatAmount(cfg, t, q.total)} (market band ${formatAmount(cfg, t, q.bandLow)} – ${formatAmount(cfg, t, q.bandHigh)}; `,
      fee !== undefined ? `protocol fee ${formatAmount(cfg, t, fee)}; ` : '', `${q.qualifying.length} qualifying providers)`)
    maxIn.value = formatAmount(cfg, t, q.total).split(' ')[0]
  }

  const submit = async (ev: Event) => {
    ev.preventDefault()
    progress.replaceChildren()
    resultBox.replaceChildren()
    try {
      const m = market(cfg)
      const token = tokenSel.value as Address
      const tok = tokenOf(cfg, token)
      if (!tok) throw new Error('Choose a token.')
      const maxPrice = parseUnits(maxIn.value.trim(), tok.decimals)
      if (maxPrice <= 0n) throw new Error('The maximum payment must be positive.')
      const req = { spec: specBytes(), token, maxPrice, lifetimeSeconds: 1800 }
      let sub
      if (fundSel.value === 'order') {
        step('Signing a gasless job order: confirm in your wallet')
        const o = await signOrder(m, req)
        step(`Order signed (${o.submission.fundedBy}); the matcher relays it`)
        sub = await submitOrder(m, o)
      } else {
        step('Creating the job: confirm the approval or permit and the transaction in your wallet')
        sub = await createJob(m, req)
      }
      const id = sub.jobId
      step(`Job #${id} created (tx ${sub.txHash}, funded by ${sub.fundedBy}), locked ${formatAmount(cfg, token, sub.maxPayment)}`)
      progress.append(h('li', {}, h('a', { href: `#/job/${id}`, id: 'job-link' }, `Job #${id}'s page`)))
      await watch(m, id, step)
      resultBox.append(h('button', { type: 'button', id: 'download', onclick: () => download(m, id, resultBox).catch((e) => status(String(e.message ?? e), true)) }, 'Download the result'))
    } catch (e: any) {
      status(e.shortMessage ?? e.message ?? String(e), true)
    }
  }

  view.replaceChildren(h('section', { 'aria-labelledby': 'h-post' }, h('h2', { id: 'h-post' }, 'Post a job'),
    h('form', { id: 'post-form', onsubmit: submit },
      h('label', { for: 'kind' }, 'Kind'), kindSel,
      h('label', { for: 'model' }, 'Model'), modelSel,
      h('label', { for: 'token' }, 'Paid in'), tokenSel,
      h('label', { for: 'funding' }, 'Sign with'), fundSel,
      h('label', { for: 'input-file' }, 'Input file (optional, uploaded to the input store)'), fileIn,
      h('label', { for: 'spec' }, 'Job spec'), specArea,
      h('p', { id: 'spec-help', class: 'help' }, 'The JSON job spec as uploaded (its keccak256 is the on-chain spec hash).'),
      h('button', { type: 'button', id: 'get-quote', onclick: () => quote().catch((e) => status(String(e.message ?? e), true)) }, 'Get a quote'),
      quoteOut,
      h('label', { for: 'max-payment' }, 'Maximum payment'), maxIn,
      h('button', { type: 'submit', id: 'post' }, 'Approve and post the job')),
    h('h3', {}, 'Progress'), progress, resultBox))
}

// watch follows the job's status stream (watchJob) until it is final. The
// matcher knows the job once its indexer mirrored it: the page waits for
// it in the job list (never a 404) before opening the stream.
async function watch(m: GpuMarket, id: bigint, step: (msg: string) => void): Promise<void> {
  step(`Waiting for the matcher to index job #${id}`)
  for (;;) {
    const page = await api(`/v1/chains/${m.chainId}/jobs?before=${id + 1n}&limit=1`)
    if (page.jobs.length && BigInt(page.jobs[0].job_id) === id) break
    await new Promise((r) => setTimeout(r, 1000))
  }
  let last = ''
  for await (const ev of watchJob(m, id)) {
    const d = ev.data as any
    let msg = ''
    switch (ev.event) {
      case 'state': msg = `Job #${id}: ${d.chain.state}${d.matching ? ` (matching: ${d.matching.status}${d.matching.reason ? `: ${d.matching.reason}` : ''})` : ''}`; break
      case 'offer': msg = `Offer to ${d.provider} at ${d.price} base units`; break
      case 'offer_lapsed': msg = `Offer to ${d.provider} ${d.state}`; break
      case 'result': msg = `Result submitted: ${d.payload?.resultHash ?? ''}`; break
      case 'settled': msg = 'Settled'; break
      case 'final':
        step(`Job #${id} is ${d.state}`)
        if (d.state !== 'settled') throw new Error(`job #${id} ended ${d.state}`)
        return
    }
    if (msg && msg !== last) step(msg)
    last = msg
  }
  throw new Error(`job #${id}: the status stream ended before the job was final`)
}

// download fetches the result with a wallet-signed request, checks its
// keccak256 against the on-chain hash (downloadResult) and offers the
// bytes to save.
async function download(m: GpuMarket, id: bigint, box: HTMLElement): Promise<void> {
  status('Sign the download request in your wallet')
  const r = await downloadResult(m, id)
  const url = URL.createObjectURL(new Blob([r.bytes as BlobPart], { type: 'application/octet-stream' }))
  box.replaceChildren(h('p', { id: 'verified' }, `Verified: ${r.size} bytes, keccak256 ${r.hash} as committed on-chain.`),
    h('a', { href: url, download: `job-${id}.result`, id: 'save', class: 'button' }, 'Save the result'))
  status('Result verified')
}
