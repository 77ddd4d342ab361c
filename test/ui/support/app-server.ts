/**
 * The app an end user comes from, on its own loopback origin: a page that loads Truto's link SDK
 * (@truto/truto-link-sdk, bundled here by esbuild as the app's own build would), the page
 * redirect_uri points at, and a webhook receiver that fails until told otherwise.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { build } from 'esbuild'

export interface AppServer {
  url: string
  /** Webhook bodies received with a 2xx answer. */
  hooks: { event: string; payload: Record<string, unknown> }[]
  /** Whether the receiver answers 2xx (otherwise 500). */
  acceptHooks: boolean
  close(): Promise<void>
}

async function sdkBundle(): Promise<string> {
  const out = await build({
    stdin: {
      contents: "import authenticate from '@truto/truto-link-sdk'; window.trutoAuthenticate = authenticate",
      resolveDir: process.cwd(),
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  })
  return out.outputFiles[0].text
}

export async function startAppServer(): Promise<AppServer> {
  const sdk = await sdkBundle()
  const state: AppServer = { url: '', hooks: [], acceptHooks: true, close: async () => {} }
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    if (path === '/sdk.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(sdk)
    if (path === '/') {
      return res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          '<!doctype html><html><head><title>App</title><link rel="icon" href="data:,"><script src="/sdk.js"></script></head><body><h1>App</h1></body></html>',
        )
    }
    if (path === '/done')
      return res
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<!doctype html><title>Done</title><link rel="icon" href="data:,"><h1>Connected</h1>')
    if (path === '/hook' && req.method === 'POST') {
      let body = ''
      req.on('data', (c) => (body += c))
      req.on('end', () => {
        if (!state.acceptHooks) return res.writeHead(500).end('down')
        state.hooks.push(JSON.parse(body))
        res.writeHead(200).end('ok')
      })
      return
    }
    res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()))
  return state
}
