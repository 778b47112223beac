// The browser tour of the kept demo (run by the Go test browserTour,
// cmd/gpumarket/internal/demo/browser_tour_test.go): Debian's chromium
// driven by playwright-core opens the explorer, checks that providers,
// jobs and charts render (non-empty canvas and SVG), saves screenshots,
// then posts a job through the page with an injected EIP-1193 wallet
// backed by an anvil key, watches it settle, downloads the verified
// result and compares its keccak256 with the chain's. Any console error
// fails it. Environment: GM_URL (the page), GM_RPC_URL, GM_KEY_FILE (hex
// private key), GM_OUT (artefact directory), GM_CHROMIUM (default
// /usr/bin/chromium). Exits non-zero on any failure.
import { chromium } from 'playwright-core'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createWalletClient, http, keccak256, toHex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'

const env = (k) => { const v = process.env[k]; if (!v) throw new Error(`${k} is not set`); return v }
const url = env('GM_URL').replace(/\/$/, ''), rpc = env('GM_RPC_URL'), out = env('GM_OUT')
const key = readFileSync(env('GM_KEY_FILE'), 'utf8').trim()
const account = privateKeyToAccount(key.startsWith('0x') ? key : `0x${key}`)
const log = (...a) => console.log('browser-tour:', ...a)

async function rpcCall(method, params = []) {
  const r = await fetch(rpc, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
  const j = await r.json()
  if (j.error) { const e = new Error(j.error.message); e.code = j.error.code; e.data = j.error.data; throw e }
  return j.result
}
const chainId = Number(await rpcCall('eth_chainId'))
const wallet = createWalletClient({ account, transport: http(rpc), chain: { id: chainId, name: 'anvil', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [rpc] } } } })

// The test wallet: what an EIP-1193 wallet does, signing with the key in
// this process (the page only ever sees window.ethereum).
const calls = {}
async function walletRequest({ method, params = [] }) {
  calls[method] = (calls[method] ?? 0) + 1
  switch (method) {
    case 'eth_requestAccounts': case 'eth_accounts': return [account.address]
    case 'personal_sign': return account.signMessage({ message: { raw: params[0] } })
    case 'eth_signTypedData_v4': {
      if (params[0].toLowerCase() !== account.address.toLowerCase()) throw new Error(`unknown account ${params[0]}`)
      const td = typeof params[1] === 'string' ? JSON.parse(params[1]) : params[1]
      const { EIP712Domain: _, ...types } = td.types
      return account.signTypedData({ domain: td.domain, types, primaryType: td.primaryType, message: td.message })
    }
    case 'eth_sendTransaction': {
      const tx = params[0]
      if (tx.from && tx.from.toLowerCase() !== account.address.toLowerCase()) throw new Error(`unknown account ${tx.from}`)
      return wallet.sendTransaction({ to: tx.to, data: tx.data, value: tx.value ? BigInt(tx.value) : undefined, gas: tx.gas ? BigInt(tx.gas) : undefined })
    }
    default: return rpcCall(method, params)
  }
}

const errors = []
const dataDir = mkdtempSync(join(tmpdir(), 'gm-chromium-'))
const ctx = await chromium.launchPersistentContext(dataDir, {
  executablePath: process.env.GM_CHROMIUM || '/usr/bin/chromium', headless: true, acceptDownloads: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 900 },
})
let failed = false
try {
  await ctx.exposeBinding('__gmWallet', async (_src, req) => {
    try { return { ok: await walletRequest(req) } } catch (e) { return { err: { message: e.shortMessage ?? e.message, code: e.code ?? 4001 } } }
  })
  await ctx.addInitScript(() => {
    window.ethereum = {
      isTestWallet: true,
      async request(req) {
        const r = await window.__gmWallet({ method: req.method, params: req.params })
        if (r.err) throw Object.assign(new Error(r.err.message), { code: r.err.code })
        return r.ok
      },
      on() {}, removeListener() {},
    }
  })
  const page = ctx.pages()[0] ?? await ctx.newPage()
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`) })
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`))
  page.on('requestfailed', async (r) => {
    // The page closes the status stream itself once the job is final.
    if (r.failure()?.errorText === 'net::ERR_ABORTED' && /\/v1\/jobs\/\d+\/\d+\/events$/.test(r.url())) return
    // Chromium sometimes reports a request it already answered 200 (the
    // result download) as aborted once its stream is released; the bytes
    // arrived (the page checks their hash, and so does this script).
    const resp = await r.response().catch(() => null)
    if (r.failure()?.errorText === 'net::ERR_ABORTED' && resp?.status() === 200) { log(`note: ${r.url()} answered 200, then reported aborted`); return }
    errors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`)
  })
  page.on('response', (r) => { if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`) })
  const extern = []
  page.on('request', (r) => { const u = new URL(r.url()); if (!['blob:', 'data:'].includes(u.protocol) && !u.hostname.match(/^(127\.0\.0\.1|localhost)$/)) extern.push(r.url()) })

  // The explorer.
  await page.goto(url + '/')
  await page.waitForSelector('body[data-ready="/"]', { timeout: 30_000 })
  const providers = await page.locator('#providers tbody tr').count()
  const jobs = await page.locator('#jobs tbody tr').count()
  if (providers < 3) throw new Error(`explorer: ${providers} provider rows, want the demo's 3`)
  if (jobs < 1) throw new Error('explorer: no job rows')
  const canvases = await page.evaluate(() => ['chart-volume', 'chart-prices'].map((id) => {
    const c = document.querySelector(`#${id} canvas`)
    if (!c || !c.width || !c.height) return 0
    const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data
    let n = 0
    for (let i = 3; i < px.length; i += 4) if (px[i] !== 0) n++
    return n
  }))
  if (canvases.some((n) => n === 0)) throw new Error(`explorer: a chart canvas is empty (painted pixels ${canvases})`)
  const bars = await page.locator('#chart-funnel svg rect').count()
  if (bars < 6) throw new Error(`explorer: the funnel has ${bars} bars, want 6`)
  await page.screenshot({ path: join(out, 'explorer.png'), fullPage: true })
  await page.setViewportSize({ width: 390, height: 844 })
  await page.screenshot({ path: join(out, 'explorer-phone.png'), fullPage: true })
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
  if (overflow > 0) throw new Error(`explorer: the page is ${overflow}px wider than a 390px phone`)
  await page.setViewportSize({ width: 1280, height: 900 })
  log(`explorer: ${providers} providers, ${jobs} jobs, chart pixels ${canvases}, funnel bars ${bars}`)

  // A job's page, by keyboard: focus the first job link and follow it.
  await page.locator('#jobs tbody tr a').first().focus()
  await page.keyboard.press('Enter')
  await page.waitForSelector('body[data-ready^="/job/"]', { timeout: 15_000 })
  const events = await page.locator('#timeline li').count()
  if (events < 1) throw new Error('job page: empty timeline')
  log(`job page: ${events} timeline entries`)

  // Post a job with the wallet.
  await page.click('#connect')
  await page.waitForFunction((a) => document.getElementById('account')?.textContent?.includes(a), account.address, { timeout: 15_000 })
  await page.goto(url + '/#/post')
  await page.waitForSelector('body[data-ready="/post"]', { timeout: 15_000 })
  await page.selectOption('#kind', 'llm')
  const models = await page.locator('#model option').allTextContents()
  if (!models.includes('llama-3-8b-instruct')) throw new Error(`post: llm models offered ${models}, want llama-3-8b-instruct`)
  await page.selectOption('#model', 'llama-3-8b-instruct')
  await page.click('#get-quote')
  await page.waitForFunction(() => document.getElementById('quote')?.textContent?.startsWith('Quote') || document.getElementById('status')?.className === 'error', null, { timeout: 15_000 })
  const quote = await page.textContent('#quote')
  if (!quote?.includes('market band')) throw new Error(`post: no quote: ${await page.textContent('#status')}`)
  log(`post: models ${models.join(', ')}; ${quote}`)
  // The quote prefills the maximum; a client may offer more (as the
  // README's tour does) so that the provider's own price fits.
  await page.fill('#max-payment', '0.5')
  await page.click('#post')
  await page.waitForFunction(() => document.getElementById('download') || document.getElementById('status')?.className === 'error', null, { timeout: 240_000 })
  if (await page.locator('#download').count() === 0) throw new Error(`post: ${await page.textContent('#status')}; progress: ${await page.textContent('#progress')}`)
  const progress = await page.locator('#progress li').allTextContents()
  log(`post: ${progress.join(' | ')}`)
  const jobId = (await page.getAttribute('#job-link', 'href')).split('/').pop()
  await page.click('#download')
  await page.waitForSelector('#save', { timeout: 30_000 })
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#save')])
  const saved = join(out, `job-${jobId}.result`)
  await dl.saveAs(saved)
  const got = keccak256(readFileSync(saved))
  const view = await (await fetch(`${url}/v1/jobs/${chainId}/${jobId}`)).json()
  if (view.chain.state !== 'settled') throw new Error(`job ${jobId} is ${view.chain.state}, want settled`)
  if (got !== view.chain.result_hash.toLowerCase()) throw new Error(`job ${jobId}: the saved result hashes to ${got}, the chain has ${view.chain.result_hash}`)
  await page.screenshot({ path: join(out, 'posted.png'), fullPage: true })
  log(`job ${jobId} settled; saved ${saved}, keccak256 ${got} = the on-chain result hash; wallet calls ${JSON.stringify(calls)}`)
  if (extern.length) throw new Error(`requests outside this machine: ${extern.join(', ')}`)
  if (!calls.eth_sendTransaction || !calls.personal_sign || !calls.eth_signTypedData_v4) throw new Error(`the wallet was not asked to send and sign: ${JSON.stringify(calls)}`)
} catch (e) {
  failed = true
  console.error('browser-tour: FAIL:', e.message)
  const page = ctx.pages()[0]
  if (page) {
    console.error('browser-tour: status:', await page.textContent('#status').catch(() => ''))
    console.error('browser-tour: progress:', (await page.locator('#progress li').allTextContents().catch(() => [])).join(' | '))
    await page.screenshot({ path: join(out, 'failed.png'), fullPage: true }).catch(() => {})
  }
} finally {
  await ctx.close()
  rmSync(dataDir, { recursive: true, force: true })
}
if (errors.length) { failed = true; console.error('browser-tour: FAIL: console errors:\n  ' + errors.join('\n  ')) }
process.exit(failed ? 1 : 0)
