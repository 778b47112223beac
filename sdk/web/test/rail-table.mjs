// rail-table checks the explorer's "Solana rail jobs" table in Chromium
// against a stub of the matcher's reads serving the committed bundle
// (internal/webui/dist): with the rail off (enabled: false) and with no
// route at all the section is absent, with a job it lists it with exact
// amounts; no case may log a page error, and with the rail off or on no
// console error either. Run: node sdk/web/test/rail-table.mjs
// (GM_CHROMIUM, default /usr/bin/chromium). Exits non-zero on failure.
import { chromium } from 'playwright-core'
import { createServer } from 'node:http'
import { readFileSync } from 'node:fs'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'internal', 'webui', 'dist')
const job = {
  quote_id: 7, state: 'delivered', chain_id: 31337, provider: '0x' + '11'.repeat(20), recipient: 'W'.repeat(44), payer: 'P'.repeat(44),
  mint: '', decimals: 9, quoted: '18446744073709551617', paid: '18446744073709551622', excess: '5', signature: 'S'.repeat(88),
  reference: 'R'.repeat(44), cluster: 'G'.repeat(44), spec_hash: '0x' + 'ab'.repeat(32), quoted_at: '2026-12-03T10:00:00Z',
  funded_at: '2026-12-03T10:00:30Z', dispatched_at: '2026-12-03T10:00:31Z', started_at: '2026-12-03T10:00:32Z',
  finished_at: '2026-12-03T10:01:00Z', result_hash: '0x' + 'de'.repeat(32), failure: '',
}
let mode = 'off'
const reads = {
  '/config.json': { chain_id: 31337, market: '0x' + 'e1'.repeat(20), registry: '0x' + 'e2'.repeat(20), tokens: [] },
  '/v1/providers': { providers: [] }, '/v1/jobs': { jobs: [], next_before: null }, '/v1/analytics/volume': { volume: [] },
  '/v1/analytics/price-index': { prices: [] }, '/v1/analytics/funnel': { funnel: [] },
}
const srv = createServer((req, res) => {
  const path = new URL(req.url, 'http://x').pathname
  const send = (code, type, body) => { res.writeHead(code, { 'Content-Type': type }); res.end(body) }
  if (path === '/' || path.startsWith('/assets/')) {
    const f = path === '/' ? 'index.html' : path.slice(1)
    return send(200, f.endsWith('.js') ? 'text/javascript' : f.endsWith('.css') ? 'text/css' : 'text/html', readFileSync(join(dist, f)))
  }
  if (path === '/v1/rail/solana/jobs') {
    if (mode === 'missing') return send(404, 'text/plain', '404 page not found\n')
    return send(200, 'application/json', JSON.stringify({ rail: 'solana', enabled: mode === 'on', jobs: mode === 'on' ? [job] : [], next_before: null }))
  }
  if (reads[path]) return send(200, 'application/json', JSON.stringify(reads[path]))
  send(404, 'text/plain', 'no stub for ' + path)
})
await new Promise((r) => srv.listen(0, '127.0.0.1', r))
const url = `http://127.0.0.1:${srv.address().port}/`
const browser = await chromium.launch({ executablePath: process.env.GM_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] })
let failed = false
const check = (ok, msg) => { if (!ok) { failed = true; console.error('rail-table: FAIL:', msg) } else console.log('rail-table: ok:', msg) }
try {
  for (const m of ['off', 'missing', 'on']) {
    mode = m
    const page = await browser.newPage()
    const errors = [], pageErrors = []
    page.on('console', (c) => { if (c.type() === 'error') errors.push(c.text()) })
    page.on('pageerror', (e) => pageErrors.push(e.message))
    await page.goto(url)
    await page.waitForSelector('body[data-ready]', { timeout: 15000 })
    const rows = await page.locator('#rail-jobs tbody tr').count()
    const heading = await page.locator('#h-rail-jobs').count()
    check(pageErrors.length === 0, `${m}: no page error (${pageErrors.join('; ')})`)
    if (m !== 'missing') check(errors.length === 0, `${m}: no console error (${errors.join('; ')})`)
    if (m === 'on') {
      const text = (await page.locator('#rail-jobs tbody tr').first().textContent()) ?? ''
      check(heading === 1 && rows === 1, `on: one Solana rail jobs table with one row (heading ${heading}, rows ${rows})`)
      check(text.includes('18446744073.709551617 SOL') && text.includes('18446744073.709551622 SOL (+0.000000005 SOL)') && text.includes('delivered'),
        `on: exact amounts and state in the row: ${text}`)
    } else {
      check(heading === 0 && rows === 0, `${m}: no Solana rail jobs section (heading ${heading}, rows ${rows})`)
    }
    await page.close()
  }
} finally {
  await browser.close()
  srv.close()
}
process.exit(failed ? 1 : 0)
