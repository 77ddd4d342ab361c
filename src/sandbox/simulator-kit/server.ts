/**
 * The HTTP side of every vendor simulator: a real node:http server on loopback, a tiny router,
 * a request log, fault injection and a `/__sim/*` control surface so tests in another process
 * (the CLI suite, wrangler dev) can inject faults too.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { FaultController, type FaultRule, type SemanticFaultKind, type SemanticFault } from './faults'
import { parseRecordEdits, RecordOverrides } from './records'

export interface SimRequest {
  method: string
  /** Path without the query string, e.g. `/v1/organizations/users`. */
  path: string
  query: URLSearchParams
  headers: IncomingMessage['headers']
  /** Parsed JSON body, or null when there is none (or it is not JSON: see rawBody). */
  body: unknown
  rawBody: string
  /** Route parameters from `:name` segments, already decoded. */
  params: Record<string, string>
  /** Whether a semantic fault hits this request (consumes it). */
  fault<K extends SemanticFaultKind>(kind: K): Extract<SemanticFault, { kind: K }> | undefined
  /** Run-time edits to the simulator's data (changed or removed records), for handlers that honour them. */
  records: RecordOverrides
}

export interface SimResponse {
  status?: number
  /** Objects are sent as JSON; strings as they are. */
  body?: unknown
  headers?: Record<string, string>
}

export type SimHandler = (req: SimRequest) => SimResponse | Promise<SimResponse>

export interface SimRoute {
  method: string
  /** `/v1/organizations/users/:user_id` */
  pattern: string
  handler: SimHandler
}

export interface VendorShape {
  /** The vendor's own error body for a status. */
  errorBody(status: number, message: string): unknown
  /** Headers the vendor sends with a 429 besides retry-after (optional). */
  rateLimitHeaders?: () => Record<string, string>
  /** Default `retry-after` value for an injected 429 (null: vendor sends none). */
  defaultRetryAfter?: string | null
  /**
   * Headers the vendor sends on every response it answers (e.g. Anthropic's `request-id`). It sees
   * the status and body so an id in the header can match the one in an error body. Optional.
   */
  responseHeaders?: (status: number, body: unknown) => Record<string, string>
}

interface SimServerOptions {
  routes: SimRoute[]
  vendor: VendorShape
  host?: string
  port?: number
  seed?: number
}

interface RequestLogEntry {
  method: string
  path: string
  query: string
  at: number
}

export interface SimServer {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  origin: string
  port: number
  server: Server
  faults: FaultController
  /** Run-time edits to the generated data (see records.ts). */
  records: RecordOverrides
  /** Every request served (control requests excluded), oldest first; capped at 10,000. */
  requests: RequestLogEntry[]
  /** Requests served per `METHOD path`, not capped. */
  counts: Map<string, number>
  close(): Promise<void>
}

const LOG_CAP = 10_000

interface CompiledRoute extends SimRoute {
  regex: RegExp
  names: string[]
}

function compile(route: SimRoute): CompiledRoute {
  const names: string[] = []
  const source = route.pattern
    .split('/')
    .map((seg) => {
      if (seg.startsWith(':')) {
        names.push(seg.slice(1))
        return '([^/]+)'
      }
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    })
    .join('/')
  return { ...route, regex: new RegExp(`^${source}/?$`), names }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function parseJson(text: string): unknown {
  if (!text) return null
  try {
    return JSON.parse(text)
  } catch {
    return null
  }
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const isText = typeof body === 'string'
  const text = body === undefined ? '' : isText ? (body as string) : JSON.stringify(body)
  res.writeHead(status, {
    'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  })
  res.end(text)
}

export async function startSimServer(options: SimServerOptions): Promise<SimServer> {
  const routes = options.routes.map(compile)
  const faults = new FaultController(options.seed ?? 42)
  const records = new RecordOverrides()
  const requests: RequestLogEntry[] = []
  const counts = new Map<string, number>()
  const sockets = new Set<Socket>()
  const hanging = new Set<ServerResponse>()
  const { vendor } = options
  /** A response in the vendor's name: its per-response headers first, the caller's win. */
  const sendVendor = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void =>
    send(res, status, body, { ...(vendor.responseHeaders?.(status, body) ?? {}), ...headers })

  async function handleControl(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const text = await readBody(req)
    if (path === '/__sim/faults' && req.method === 'POST') {
      const rules = parseJson(text) as FaultRule | FaultRule[] | null
      if (!rules) return send(res, 400, { error: 'body must be a fault rule or an array of them' })
      faults.add(rules)
      return send(res, 200, { pending: faults.pending })
    }
    if (path === '/__sim/faults' && req.method === 'DELETE') {
      faults.clear()
      return send(res, 200, { pending: 0 })
    }
    if (path === '/__sim/records' && req.method === 'POST') {
      const edits = parseRecordEdits(parseJson(text))
      if (!edits) return send(res, 400, { error: 'body must be {collection, id, set?: {...}, remove?: boolean} or an array of them' })
      for (const edit of edits) records.apply(edit)
      return send(res, 200, { edits: records.size })
    }
    if (path === '/__sim/records' && req.method === 'DELETE') {
      records.clear()
      return send(res, 200, { edits: 0 })
    }
    if (path === '/__sim/requests' && req.method === 'GET') {
      return send(res, 200, { total: requests.length, counts: Object.fromEntries(counts), requests: requests.slice(-200) })
    }
    if (path === '/__sim/requests' && req.method === 'DELETE') {
      requests.length = 0
      counts.clear()
      return send(res, 200, { total: 0 })
    }
    return send(res, 404, { error: 'unknown simulator control path' })
  }

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://simulator')
    const method = (req.method ?? 'GET').toUpperCase()
    const path = url.pathname
    try {
      if (path.startsWith('/__sim/')) return await handleControl(req, res, path)

      const key = `${method} ${path}`
      counts.set(key, (counts.get(key) ?? 0) + 1)
      requests.push({ method, path, query: url.search, at: Date.now() })
      if (requests.length > LOG_CAP) requests.splice(0, requests.length - LOG_CAP)

      const rawBody = await readBody(req)
      const fault = faults.takeTransport(method, path)
      if (fault?.kind === 'hang') {
        hanging.add(res)
        res.on('close', () => hanging.delete(res))
        return
      }
      if (fault?.kind === 'delay') await new Promise((r) => setTimeout(r, fault.ms))
      if (fault?.kind === 'status') {
        return sendVendor(res, fault.status, vendor.errorBody(fault.status, fault.message ?? `Simulated ${fault.status}`), fault.headers)
      }
      if (fault?.kind === 'rate-limit') {
        // `defaultRetryAfter: null` means the vendor sends none, so only `undefined` falls back to '1'.
        const vendorDefault = vendor.defaultRetryAfter === undefined ? '1' : vendor.defaultRetryAfter
        const retryAfter = fault.retryAfter === undefined ? vendorDefault : fault.retryAfter
        const headers = { ...(vendor.rateLimitHeaders?.() ?? {}), ...(retryAfter === null ? {} : { 'retry-after': retryAfter }) }
        return sendVendor(res, 429, vendor.errorBody(429, 'Rate limit exceeded'), headers)
      }
      if (fault?.kind === 'html-error') {
        res.writeHead(fault.status ?? 502, { 'content-type': 'text/html' })
        return void res.end('<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>')
      }
      if (fault?.kind === 'malformed-json') {
        res.writeHead(200, { 'content-type': 'application/json' })
        return void res.end('{"data": [ {"id": "user_broken", ')
      }

      let match: { route: CompiledRoute; params: Record<string, string> } | undefined
      for (const route of routes) {
        if (route.method !== method) continue
        const m = route.regex.exec(path)
        if (!m) continue
        const params: Record<string, string> = {}
        route.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1])))
        match = { route, params }
        break
      }
      if (!match) return sendVendor(res, 404, vendor.errorBody(404, `No route for ${method} ${path}`))

      const simReq: SimRequest = {
        method,
        path,
        query: url.searchParams,
        headers: req.headers,
        body: parseJson(rawBody),
        rawBody,
        params: match.params,
        fault: (kind) => faults.takeSemantic(kind, method, path),
        records,
      }
      const out = await match.route.handler(simReq)
      const status = out.status ?? 200
      if (fault?.kind === 'reset' || fault?.kind === 'truncated') {
        const text = typeof out.body === 'string' ? out.body : JSON.stringify(out.body ?? {})
        res.writeHead(status, {
          ...(vendor.responseHeaders?.(status, out.body) ?? {}),
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
        })
        res.write(text.slice(0, Math.max(1, Math.floor(text.length / 2))))
        if (fault.kind === 'reset') res.socket?.destroy()
        else res.socket?.end()
        return
      }
      sendVendor(res, status, out.body, out.headers)
    } catch (err) {
      sendVendor(res, 500, vendor.errorBody(500, `Simulator failure: ${(err as Error).message}`))
    }
  })
  server.keepAliveTimeout = 5_000
  server.on('connection', (s) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve())
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0

  return {
    origin: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    server,
    faults,
    records,
    requests,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy()
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}
