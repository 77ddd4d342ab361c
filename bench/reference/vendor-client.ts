/**
 * The reference gateway's vendor calls: one undici request over a keep-alive agent, the vendor's
 * own authentication headers, the JSON body parsed. A vendor error is thrown (answered 502).
 */
import { Agent, request } from 'undici'

export interface VendorClient {
  call(method: 'GET' | 'POST', path: string, query?: Record<string, string | number>, body?: unknown): Promise<any>
}

export function vendorClient(baseUrl: string, headers: Record<string, string>): VendorClient {
  const dispatcher = new Agent({ keepAliveTimeout: 30_000 })
  const base = baseUrl.replace(/\/$/, '')
  return {
    async call(method, path, query, body) {
      let url = `${base}${path}`
      if (query) url += `?${new URLSearchParams(query as Record<string, string>).toString()}`
      const res = await request(url, {
        method,
        dispatcher,
        headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const text = await res.body.text()
      if (res.statusCode !== 200) throw new Error(`${method} ${path} answered ${res.statusCode}: ${text.slice(0, 200)}`)
      return JSON.parse(text)
    },
  }
}
