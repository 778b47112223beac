// The injected EIP-1193 wallet (window.ethereum).
import type { Address, EIP1193Provider } from 'viem'
import { getConfig } from './api'
import { status } from './dom'

declare global { interface Window { ethereum?: EIP1193Provider } }

let current: Address | undefined

export function ethereum(): EIP1193Provider {
  if (!window.ethereum) throw new Error('No wallet found: install an EIP-1193 wallet (window.ethereum).')
  return window.ethereum
}

export function account(): Address | undefined { return current }

export async function connect(): Promise<void> {
  const eth = ethereum()
  const cfg = await getConfig()
  const accts = await eth.request({ method: 'eth_requestAccounts' }) as Address[]
  const chain = Number(await eth.request({ method: 'eth_chainId' }))
  if (chain !== cfg.chain_id) throw new Error(`The wallet is on chain ${chain}; this market is on chain ${cfg.chain_id}.`)
  current = accts[0]
  document.getElementById('account')!.textContent = current ? `Connected: ${current}` : ''
  status(current ? 'Wallet connected' : 'No account')
}
