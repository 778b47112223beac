// The explorer: providers, recent jobs, the charts of the analyst views,
// and a job's timeline.
import uPlot from 'uplot'
import { api, type Config, formatAmount, toUnits, tokenOf } from './api'
import { h, short, svg, table } from './dom'

function txLink(cfg: Config, hash: string): Node {
  return cfg.tx_url ? h('a', { href: cfg.tx_url + hash, rel: 'noopener noreferrer', target: '_blank' }, short(hash)) : h('code', { title: hash }, short(hash))
}

function when(t?: string | null): string {
  return t ? new Date(t).toISOString().replace('T', ' ').slice(0, 19) + 'Z' : ''
}

export async function explorer(cfg: Config, view: HTMLElement): Promise<void> {
  // The Solana rail list answers enabled: false on a matcher without the
  // rail; an older matcher without the route is treated the same.
  const c = `/v1/chains/${cfg.chain_id}`
  const [provs, jobs, vol, prices, funnel, rail] = await Promise.all([
    api(`${c}/providers?limit=100`), api(`${c}/jobs?limit=50`), api(`${c}/analytics/volume?days=30`),
    api(`${c}/analytics/price-index?hours=168`), api(`${c}/analytics/funnel?days=30`),
    api('/v1/rail/solana/jobs?limit=20').catch(() => null)])
  const railJobs: any[] = rail?.enabled && Array.isArray(rail.jobs) ? rail.jobs : []
  view.replaceChildren(
    h('section', { 'aria-labelledby': 'h-providers' }, h('h2', { id: 'h-providers' }, 'Providers'), providersTable(cfg, provs.providers)),
    h('section', { 'aria-labelledby': 'h-jobs' }, h('h2', { id: 'h-jobs' }, 'Open and recent jobs'), jobsTable(cfg, jobs.jobs)),
    ...(railJobs.length ? [h('section', { 'aria-labelledby': 'h-rail-jobs' }, h('h2', { id: 'h-rail-jobs' }, 'Solana rail jobs'), railJobsTable(railJobs))] : []),
    h('section', { 'aria-labelledby': 'h-charts', class: 'charts' }, h('h2', { id: 'h-charts' }, 'Market'),
      chartBox('chart-volume', 'Daily volume paid per token (last 30 days)'),
      chartBox('chart-prices', 'Price index per kind and unit (hourly, last 7 days)'),
      chartBox('chart-funnel', 'Job funnel (last 30 days)')))
  volumeChart(cfg, document.getElementById('chart-volume')!, vol.volume)
  priceChart(cfg, document.getElementById('chart-prices')!, prices.prices)
  funnelChart(document.getElementById('chart-funnel')!, funnel.funnel)
}

function chartBox(id: string, title: string): HTMLElement {
  return h('figure', { class: 'chart' }, h('figcaption', { id: id + '-title' }, title), h('div', { id, class: 'plot', role: 'img', 'aria-labelledby': id + '-title' }))
}

function providersTable(cfg: Config, ps: any[]): HTMLElement {
  const rows = ps.map((p) => {
    const prices = (p.offers as any[]).flatMap((o) => (o.prices as any[]).map((pr) => `${o.kind} ${pr.unit}: ${formatAmount(cfg, p.price_token, pr.amount)}`))
    const bench = (p.benchmarks as any[]).map((b) => `${b.model}: ${(b.value_milli / 1000).toFixed(1)} ${b.metric.replace(/_/g, ' ')}`)
    return [h('code', { title: p.provider }, short(p.provider)), `${p.gpu_count}× ${p.gpu_model}`, `${Math.round(p.vram_mib / 1024)} GiB`, p.region,
      (p.models as string[]).join(', '), h('ul', { class: 'plain' }, ...prices.map((x) => h('li', {}, x))),
      h('ul', { class: 'plain' }, ...bench.map((x) => h('li', {}, x))), p.reputation === undefined ? '–' : String(p.reputation),
      h('span', { class: 'pill ' + p.status }, p.status)]
  })
  return table(`${ps.length} providers`, ['Provider', 'GPU', 'VRAM', 'Region', 'Models', 'Prices', 'Measured', 'Reputation', 'Status'], rows, 'providers')
}

function jobsTable(cfg: Config, js: any[]): HTMLElement {
  const rows = js.map((j) => [h('a', { href: `#/job/${j.job_id}` }, `#${j.job_id}`), j.kind, h('span', { class: 'pill ' + j.state }, j.state),
    formatAmount(cfg, j.token, j.max_payment), j.price === '0' ? '–' : formatAmount(cfg, j.token, j.price),
    j.provider ? h('code', { title: j.provider }, short(j.provider)) : '–', when(j.created_at)])
  return table(`${js.length} most recent jobs`, ['Job', 'Kind', 'State', 'Max payment', 'Price', 'Provider', 'Created'], rows, 'jobs')
}

// formatBase writes base units exactly with the given decimals.
export function formatBase(base: string | bigint, decimals: number): string {
  const v = BigInt(base)
  const unit = 10n ** BigInt(decimals)
  const frac = (v % unit).toString().padStart(decimals, '0').replace(/0+$/, '')
  return `${v / unit}${frac ? '.' + frac : ''}`
}

// railJobsTable lists jobs paid per job on the Solana rail: paid straight
// to the provider's wallet (no escrow), amounts exact in SOL or the mint.
function railJobsTable(js: any[]): HTMLElement {
  const rows = js.map((j) => {
    const unit = j.mint ? short(j.mint) : 'SOL'
    const amount = (v: string) => `${formatBase(v, j.decimals)} ${unit}`
    return [`#${j.quote_id}`, h('span', { class: 'pill ' + j.state }, j.state), h('code', { title: j.provider }, short(j.provider)),
      h('code', { title: j.payer }, short(j.payer)), amount(j.quoted), j.excess === '0' ? amount(j.paid) : `${amount(j.paid)} (+${amount(j.excess)})`,
      h('code', { title: j.signature }, short(j.signature)), when(j.funded_at), when(j.finished_at),
      j.result_hash ? h('code', { title: j.result_hash }, short(j.result_hash)) : (j.failure || '–')]
  })
  return table(`${js.length} most recent Solana rail jobs`, ['Quote', 'State', 'Provider', 'Payer', 'Quoted', 'Paid', 'Payment', 'Funded', 'Finished', 'Result'], rows, 'rail-jobs')
}

const palette = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#0891b2', '#be185d', '#4b5563']

// plot draws one uPlot chart; pad (seconds) widens the time axis around a
// single point so that it is not spread over years.
function plot(el: HTMLElement, series: { label: string }[], data: uPlot.AlignedData, yLabel: string, pad: number, bars = false): void {
  const width = Math.max(260, el.clientWidth || 600)
  const opts: uPlot.Options = {
    width, height: 220,
    series: [{}, ...series.map((s, i) => ({
      label: s.label, stroke: palette[i % palette.length], width: 2,
      fill: bars ? palette[i % palette.length] + '55' : undefined,
      points: { show: true, size: 6 },
      paths: bars ? uPlot.paths.bars!({ size: [0.6, 40] }) : undefined,
    }))],
    axes: [{}, { label: yLabel, size: 60 }],
    scales: { x: { time: true } },
  }
  if (data[0].length === 0) {
    el.append(h('p', { class: 'empty' }, 'No data yet.'))
  }
  if (data[0].length === 1) {
    // One point: empty neighbours keep the axis near it.
    const x = data[0][0] as number
    data = [[x - pad, x, x + pad], ...data.slice(1).map((ys) => [null, ys[0], null])] as uPlot.AlignedData
  }
  new uPlot(opts, data, el)
}

function volumeChart(cfg: Config, el: HTMLElement, rows: any[]): void {
  const days = [...new Set(rows.map((r) => r.day as string))].sort()
  const tokens = [...new Set(rows.map((r) => r.token as string))]
  const x = days.map((d) => Date.parse(d + 'T00:00:00Z') / 1000)
  const ys = tokens.map((t) => days.map((d) => rows.filter((r) => r.day === d && r.token === t).reduce((s, r) => s + toUnits(cfg, t, r.volume_paid), 0)))
  plot(el, tokens.map((t) => ({ label: tokenOf(cfg, t)?.symbol ?? short(t) })), [x, ...ys], 'paid', 86400, true)
}

function priceChart(cfg: Config, el: HTMLElement, rows: any[]): void {
  const hours = [...new Set(rows.map((r) => r.hour as string))].sort()
  const keys = [...new Set(rows.map((r) => `${r.kind}|${r.unit}|${r.token}`))]
  const x = hours.map((t) => Date.parse(t) / 1000)
  const ys = keys.map((k) => hours.map((t) => {
    const r = rows.find((r) => r.hour === t && `${r.kind}|${r.unit}|${r.token}` === k)
    return r ? toUnits(cfg, r.token, r.price_per_unit.split('.')[0]) : null
  }))
  plot(el, keys.map((k) => {
    const [kind, unit, tok] = k.split('|')
    return { label: `${kind} per ${unit} (${tokenOf(cfg, tok)?.symbol ?? short(tok)})` }
  }), [x, ...ys] as uPlot.AlignedData, 'price per unit', 3600)
}

const stages = ['created', 'assigned', 'submitted', 'settled', 'refunded', 'cancelled'] as const

function funnelChart(el: HTMLElement, rows: any[]): void {
  const totals = stages.map((s) => rows.reduce((n, r) => n + Number(r[s]), 0))
  const max = Math.max(1, ...totals)
  const W = 320, bh = 26, gap = 8, left = 80
  const g = svg('svg', { viewBox: `0 0 ${W} ${stages.length * (bh + gap)}`, width: '100%', role: 'img', 'aria-label': stages.map((s, i) => `${s} ${totals[i]}`).join(', ') })
  stages.forEach((s, i) => {
    const y = i * (bh + gap), w = Math.max(2, ((W - left - 40) * totals[i]) / max)
    g.append(svg('text', { x: 0, y: y + bh * 0.7, 'font-size': 13 }, s),
      svg('rect', { x: left, y, width: w, height: bh, fill: palette[i], rx: 3 }),
      svg('text', { x: left + w + 4, y: y + bh * 0.7, 'font-size': 13 }, String(totals[i])))
  })
  el.append(g)
}

export async function jobPage(cfg: Config, view: HTMLElement, id: string): Promise<void> {
  const t = await api(`/v1/chains/${cfg.chain_id}/jobs/${encodeURIComponent(id)}/timeline`)
  const j = t.job.chain
  const fmt = (v: string) => formatAmount(cfg, j.token, v)
  const items: HTMLElement[] = []
  for (const e of t.events as any[]) {
    const extra: (string | Node)[] = []
    const p = e.payload ?? {}
    if (e.event === 'JobCreated') extra.push(`locked ${fmt(j.max_payment)}`)
    if (e.event === 'JobAccepted') extra.push(`by ${short(j.provider ?? '')} at ${fmt(j.price)}`)
    if (e.event === 'ResultSubmitted') extra.push(`result ${short(p.resultHash ?? j.result_hash ?? '')}, claims ${fmt(j.amount_due)}`)
    if ((e.event === 'JobSettled' || e.event === 'JobDisputeResolved') && j.settlement) {
      const s = j.settlement
      extra.push(`split: provider ${fmt(s.provider_amount)}, protocol fee ${fmt(s.protocol_fee)}, creator ${fmt(s.creator_amount)}, back to client ${fmt(s.client_refund)}`)
    }
    if (e.event === 'JobRefunded' && j.refund) extra.push(`refunded ${fmt(j.refund)}`)
    items.push(h('li', { class: 'ev' }, h('strong', {}, e.event), ' ', when(e.block_time), ' · block ', String(e.block_number), ' · tx ', txLink(cfg, e.tx_hash),
      extra.length ? h('div', {}, ...extra) : null))
  }
  for (const o of t.offers as any[]) {
    items.push(h('li', { class: 'offer' }, h('strong', {}, 'Offer'), ` ${when(o.created_at)} to `, h('code', {}, short(o.provider)), ` at ${fmt(o.price)}: ${o.state}`))
  }
  view.replaceChildren(h('section', { 'aria-labelledby': 'h-job' },
    h('h2', { id: 'h-job' }, `Job #${id}`),
    h('dl', { class: 'facts' },
      h('dt', {}, 'State'), h('dd', { id: 'job-state' }, j.state + (j.finalized ? ' (final)' : '')),
      h('dt', {}, 'Kind'), h('dd', {}, j.kind),
      h('dt', {}, 'Client'), h('dd', {}, h('code', {}, j.client)),
      h('dt', {}, 'Max payment'), h('dd', {}, fmt(j.max_payment)),
      h('dt', {}, 'Deadline'), h('dd', {}, when(j.deadline)),
      j.result_hash ? h('dt', {}, 'Result hash') : null, j.result_hash ? h('dd', {}, h('code', {}, j.result_hash)) : null),
    h('h3', {}, 'Timeline'),
    h('ol', { class: 'timeline', id: 'timeline' }, ...items)))
}
