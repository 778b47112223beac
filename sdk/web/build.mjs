// Builds the page into ../../internal/webui/dist (committed; make
// check-generated rebuilds it and fails on a difference): index.html and
// content-hashed assets. Deterministic: same sources, same bytes.
import { build } from 'esbuild'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const out = join(here, '..', '..', 'internal', 'webui', 'dist')
rmSync(out, { recursive: true, force: true })
mkdirSync(join(out, 'assets'), { recursive: true })

const res = await build({
  entryPoints: [join(here, 'src', 'main.ts')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  platform: 'browser',
  outdir: join(out, 'assets'),
  entryNames: '[name]-[hash]',
  legalComments: 'eof',
  metafile: true,
  logLevel: 'warning',
  charset: 'utf8',
  // The SDK from its sources (its dist/ is a build output, not committed).
  alias: { '@gpumarket/sdk': join(here, '..', 'ts', 'src', 'index.ts') },
})
const files = Object.keys(res.metafile.outputs).map((f) => basename(f))
const js = files.find((f) => f.endsWith('.js'))
const css = files.find((f) => f.endsWith('.css'))
if (!js || !css) throw new Error(`build: want one .js and one .css, got ${files.join(', ')}`)
const html = readFileSync(join(here, 'src', 'index.html'), 'utf8')
  .replace('%CSS%', `/assets/${css}`)
  .replace('%JS%', `/assets/${js}`)
writeFileSync(join(out, 'index.html'), html)
console.log(`web: ${join('internal', 'webui', 'dist')}: index.html, ${files.join(', ')}`)
