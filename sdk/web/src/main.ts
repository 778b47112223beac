// The page: a hash router over the explorer, a job's page and the
// post-a-job form.
import 'uplot/dist/uPlot.min.css'
import './app.css'
import { getConfig } from './api'
import { status } from './dom'
import { explorer, jobPage } from './explorer'
import { postPage } from './post'
import { connect } from './wallet'

async function route(): Promise<void> {
  const view = document.getElementById('view')!
  const cfg = await getConfig()
  const hash = location.hash.replace(/^#/, '') || '/'
  for (const a of document.querySelectorAll('nav a')) a.removeAttribute('aria-current')
  try {
    status('')
    const job = /^\/job\/(\d+)$/.exec(hash)
    if (job) await jobPage(cfg, view, job[1])
    else if (hash === '/post') {
      document.getElementById('nav-post')!.setAttribute('aria-current', 'page')
      await postPage(cfg, view)
    } else {
      document.getElementById('nav-explorer')!.setAttribute('aria-current', 'page')
      await explorer(cfg, view)
    }
    document.body.dataset.ready = hash
  } catch (e: any) {
    status(e.message ?? String(e), true)
  }
}

document.getElementById('connect')!.addEventListener('click', () => connect().catch((e) => status(e.message ?? String(e), true)))
window.addEventListener('hashchange', () => void route())
void route()
