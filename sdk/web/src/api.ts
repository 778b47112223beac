// The matcher API (same origin, /v1) and the page's config.

export interface Token { address: string; symbol: string; decimals: number }
export interface Config { chain_id: number; market: string; registry: string; tokens: Token[]; tx_url?: string }

export class ApiError extends Error {
  constructor(public status: number, msg: string) { super(msg) }
}

// parseExact parses JSON keeping integers beyond 2^53 exact: such numbers
// become bigint (JSON.parse's source text, where the browser has it).
export function parseExact(text: string): any {
  return JSON.parse(text, function (this: any, _k: string, v: any, ctx?: { source?: string }) {
    if (typeof v === 'number' && Number.isInteger(v) && ctx?.source !== undefined && /^-?\d+$/.test(ctx.source)) {
      return Number.isSafeInteger(v) ? v : BigInt(ctx.source)
    }
    return v
  } as any)
}

export async function api(path: string, init?: RequestInit): Promise<any> {
  const r = await fetch(path, init)
  const text = await r.text()
  if (!r.ok) {
    let msg = text
    try { msg = JSON.parse(text).error ?? text } catch { /* not JSON */ }
    throw new ApiError(r.status, `${init?.method ?? 'GET'} ${path}: ${r.status} ${msg}`)
  }
  return parseExact(text)
}

let config: Config | undefined
export async function getConfig(): Promise<Config> {
  config ??= await api('/config.json') as Config
  return config
}

export function tokenOf(cfg: Config, addr: string): Token | undefined {
  return cfg.tokens.find((t) => t.address.toLowerCase() === addr.toLowerCase())
}

// formatAmount writes base units exactly in the token's units.
export function formatAmount(cfg: Config, token: string, base: string | bigint): string {
  const t = tokenOf(cfg, token)
  const v = BigInt(base)
  if (!t) return `${v} (base units of ${token.slice(0, 8)}…)`
  const d = BigInt(t.decimals)
  const unit = 10n ** d
  const neg = v < 0n
  const a = neg ? -v : v
  let frac = (a % unit).toString().padStart(t.decimals, '0').replace(/0+$/, '')
  if (frac.length < 2 && t.decimals >= 2) frac = frac.padEnd(2, '0')
  return `${neg ? '-' : ''}${a / unit}${frac ? '.' + frac : ''} ${t.symbol}`
}

// toUnits is an amount as a float in token units: for charts only.
export function toUnits(cfg: Config, token: string, base: string | bigint): number {
  const t = tokenOf(cfg, token)
  return Number(BigInt(base)) / 10 ** (t?.decimals ?? 0)
}
