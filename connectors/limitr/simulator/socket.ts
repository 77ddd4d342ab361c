/**
 * The Limitr Cloud WebSocket (`/wss?ticket=…`, reference §6.3), attached to the kit server's
 * 'upgrade' event. Text frames in: `"ping"`, `{"type":"customer","id"}`, `{"type":"policy",…}`.
 *
 * Reply framing for a customer (variant `framing`):
 * - 'record' (default): the customer record itself, `{id, plan, alt_ids, refs, type, label, meters,
 *   overrides, grants, caps, metadata}`. This is what the SDK expects: `cloudMessageReceived` hands
 *   any frame with `type` and `id` to `update_customer_internals`, which parses the frame as the
 *   Customer. `type` is the customer's type ('user' | 'org') and `id` its primary id, even when the
 *   request named an alt id.
 * - 'envelope': `{"type":"customer","id":<id as requested>,"customer":{…record…}}`.
 * A miss is `{"error":"customer not found","id":<id as requested>,"type":"customer"}` either way.
 *
 * Faults: a transport fault queued for path `/wss` (matched as method GET, the upgrade's method)
 * hits the next customer request: 'hang' never answers, 'reset' drops the TCP connection without
 * a close frame, 'delay' answers late, 'status'/'rate-limit' answer with an error frame,
 * 'malformed-json'/'truncated'/'html-error' send a broken text frame. A `/wss` rule also matches
 * `POST /wss/ticket` unless it names method GET, so queue it after the ticket is fetched or say GET.
 */
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'
import type { SimServer, TransportFault } from '../../../src/sandbox/simulator-kit'
import type { LimitrAccount } from './data'
import { ACTIVE_POLICY_ID, policyDocument } from './policy'
import type { TicketBook } from './tickets'

export type ReplyFraming = 'record' | 'envelope'

export function parseFraming(value: string | undefined): ReplyFraming {
  if (value === undefined || value === 'record') return 'record'
  if (value === 'envelope') return 'envelope'
  throw new Error(`limitr simulator: unknown framing variant '${value}' (expected 'record' or 'envelope')`)
}

export interface CloudSocketOptions {
  sim: SimServer
  account: LimitrAccount
  tickets: TicketBook
  framing: ReplyFraming
  policyId: string
}

const LOG_CAP = 10_000

function rejectUpgrade(socket: Duplex, status: number, reason: string, body: unknown): void {
  const text = JSON.stringify(body)
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  )
  socket.destroy()
}

export function attachCloudSocket(options: CloudSocketOptions): { close(): void } {
  const { sim, account, tickets, framing, policyId } = options
  const wss = new WebSocketServer({ noServer: true })
  const timers = new Set<NodeJS.Timeout>()

  // WebSocket traffic goes into the kit's request log too, so tests can count it the same way.
  function log(method: string, query: string): void {
    sim.requests.push({ method, path: '/wss', query, at: Date.now() })
    if (sim.requests.length > LOG_CAP) sim.requests.splice(0, sim.requests.length - LOG_CAP)
    const key = `${method} /wss`
    sim.counts.set(key, (sim.counts.get(key) ?? 0) + 1)
  }

  function send(ws: WebSocket, data: string | Buffer): void {
    if (ws.readyState === ws.OPEN) ws.send(data)
  }

  function customerReply(requested: string): string {
    const customer = account.find(requested)
    if (!customer) return JSON.stringify({ error: 'customer not found', id: requested, type: 'customer' })
    return JSON.stringify(framing === 'record' ? customer : { type: 'customer', id: requested, customer })
  }

  function answerWithFault(ws: WebSocket, requested: string, fault: TransportFault | undefined): void {
    switch (fault?.kind) {
      case 'hang':
        return
      case 'reset':
        // terminate() destroys the socket: the client sees 1006, no close frame.
        return ws.terminate()
      case 'delay': {
        const timer = setTimeout(() => {
          timers.delete(timer)
          send(ws, customerReply(requested))
        }, fault.ms)
        timers.add(timer)
        return
      }
      case 'status':
        return send(ws, JSON.stringify({ error: fault.message ?? `Simulated ${fault.status}`, id: requested, type: 'customer' }))
      case 'rate-limit':
        return send(ws, JSON.stringify({ error: 'rate limit exceeded', id: requested, type: 'customer' }))
      case 'malformed-json':
        return send(ws, `{"type":"customer","id":${JSON.stringify(requested)},`)
      case 'truncated': {
        const text = customerReply(requested)
        return send(ws, text.slice(0, Math.max(1, Math.floor(text.length / 2))))
      }
      case 'html-error':
        return send(ws, '<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>')
      default:
        return send(ws, customerReply(requested))
    }
  }

  function onPolicy(ws: WebSocket, id: unknown, format: unknown): void {
    if (id !== ACTIVE_POLICY_ID && id !== policyId) {
      return send(ws, JSON.stringify({ error: 'policy not found', id, type: 'policy' }))
    }
    const doc = JSON.stringify(policyDocument(policyId))
    if (format === undefined || format === 'bstf') return send(ws, Buffer.from(doc, 'utf8'))
    if (format === 'json') return send(ws, doc)
    send(ws, JSON.stringify({ error: 'unsupported format', id, type: 'policy' }))
  }

  function onMessage(ws: WebSocket, raw: RawData, isBinary: boolean): void {
    if (isBinary) return send(ws, JSON.stringify({ error: 'binary frames are not accepted' }))
    const text = raw.toString()
    if (text === 'ping') return send(ws, 'pong')
    if (text === 'pong') return
    let message: Record<string, unknown>
    try {
      const parsed: unknown = JSON.parse(text)
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object')
      message = parsed as Record<string, unknown>
    } catch {
      return send(ws, JSON.stringify({ error: 'invalid message' }))
    }
    const { type, id } = message
    log('WS', `?type=${encodeURIComponent(String(type))}&id=${encodeURIComponent(String(id))}`)
    if (type === 'customer') {
      if (typeof id !== 'string' || id === '') return send(ws, JSON.stringify({ error: 'missing customer id', id: id ?? null, type }))
      return answerWithFault(ws, id, sim.faults.takeTransport('GET', '/wss'))
    }
    if (type === 'policy') return onPolicy(ws, id, message.format)
    send(ws, JSON.stringify({ error: 'unsupported message type', id: id ?? null, type: type ?? null }))
  }

  wss.on('connection', (ws: WebSocket) => {
    ws.on('message', (raw, isBinary) => onMessage(ws, raw, isBinary))
    // A client that vanishes mid-conversation must not take the simulator down with it.
    ws.on('error', () => ws.terminate())
  })

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://simulator')
    if (url.pathname !== '/wss') return rejectUpgrade(socket, 404, 'Not Found', { error: 'not found' })
    log('GET', url.search.replace(/ticket=[^&]*/, 'ticket=…'))
    if (!tickets.redeem(url.searchParams.get('ticket'))) {
      return rejectUpgrade(socket, 401, 'Unauthorized', { error: 'invalid ticket' })
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
  }
  sim.server.on('upgrade', onUpgrade)

  return {
    close() {
      sim.server.off('upgrade', onUpgrade)
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      for (const client of wss.clients) client.terminate()
      wss.close()
    },
  }
}
