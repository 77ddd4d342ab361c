/**
 * A customer from Limitr Cloud, the only remote protocol Limitr has, in the order the SDK's
 * `Limitr.cloud()` and `addCloudCustomer()` use it (dev-formata-io/limitr `typescript/main.ts`):
 * trade the account token for a single-use ticket (`POST /wss/ticket` → `{ticket}`), open
 * `wss://<host>/wss?ticket=…`, send `{"type":"policy","id":"active","format":"bstf"}` and wait
 * for the policy (a binary BSTF frame; the SDK waits for it before anything else), then send
 * `{"type":"customer","id"}` and read the reply frame — the customer record (found by primary or
 * alt id), `{type:"customer", id, customer}`, or an error frame `{error, id, type:"customer"}`.
 * The customers the record refers to (its team, org…) are asked for on the same connection. One
 * connection per get, closed with 1000 when done.
 * https://github.com/dev-formata-io/limitr/blob/main/typescript/main.ts
 *
 * The socket address is derived from the base URL, which only the operator sets
 * (`UNIMETER_LIMITR_BASE_URL`); nothing an account stores decides where this connects.
 */
import type { CustomFetch, CustomFetchResult } from '../../src/engine/connector-types'
import { BINARY_FRAME, openSocket, type SocketSession } from '../../src/engine/http/websocket'

const PEER = 'Limitr Cloud'
/** Referenced customers looked up per get: enough for a user's team and org (and a few more refs). */
const MAX_REFS = 5
/** The policy the SDK asks for unless told otherwise. */
const POLICY = { type: 'policy', id: 'active', format: 'bstf' }

function socketUrl(baseUrl: string, ticket: string): string {
  const url = new URL(baseUrl)
  url.protocol = url.protocol === 'http:' ? 'ws:' : 'wss:'
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/wss`
  url.search = `?ticket=${encodeURIComponent(ticket)}`
  return url.toString()
}

const asObject = (v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined)

/**
 * Picks the reply to a request for `id` out of the frames the cloud pushes (invoices and policy
 * updates may arrive too). A frame that is not JSON is taken as the (broken) reply: only one
 * request is ever outstanding, and the engine reports it as an invalid response.
 */
function replyTo(id: string) {
  return (text: string | typeof BINARY_FRAME): string | undefined => {
    if (text === BINARY_FRAME) return undefined
    let frame: Record<string, unknown> | undefined
    try {
      frame = asObject(JSON.parse(text))
    } catch {
      return text
    }
    if (!frame) return text
    const { type } = frame
    if ('error' in frame)
      return (type === undefined || type === 'customer') && (frame.id === id || frame.id === undefined || frame.id === null)
        ? text
        : undefined
    if (type === 'customer') return frame.id === id && asObject(frame.customer) ? text : undefined
    if (type === 'policy' || String(type).startsWith('customer-')) return undefined
    const alts = Array.isArray(frame.alt_ids) ? frame.alt_ids : []
    return frame.id === id || alts.includes(id) ? text : undefined
  }
}

/** The customer record inside a successful reply, if it is one. */
function recordOf(text: string): Record<string, unknown> | undefined {
  try {
    const frame = asObject(JSON.parse(text))
    if (!frame || 'error' in frame) return undefined
    return frame.type === 'customer' ? asObject(frame.customer) : frame
  } catch {
    return undefined
  }
}

/**
 * The policy reply: the BSTF binary frame the SDK waits for, or the JSON form (`{policy:{plans}}`)
 * it also accepts; an error frame about the policy is returned as its message.
 */
function policyReply(frame: string | typeof BINARY_FRAME): { error?: string } | undefined {
  if (frame === BINARY_FRAME) return {}
  try {
    const body = asObject(JSON.parse(frame))
    if (asObject(asObject(body?.policy)?.plans)) return {}
    if (body && 'error' in body && body.type === 'policy') return { error: String(body.error) }
  } catch {
    // Not JSON: some other frame.
  }
  return undefined
}

const refsOf = (record: Record<string, unknown>): string[] =>
  (Array.isArray(record.refs) ? record.refs : []).filter((r): r is string => typeof r === 'string' && r !== '')

/**
 * The customers the record's refs lead to, breadth first (a user's team, then the team's org),
 * that answer within the time left, at most MAX_REFS; a ref that fails ends the search.
 */
async function lookUpRefs(socket: SocketSession, record: Record<string, unknown>, until: number): Promise<unknown[]> {
  const queue = refsOf(record)
  const asked = new Set<string>([String(record.id)])
  const found: unknown[] = []
  while (queue.length > 0 && asked.size <= MAX_REFS) {
    const ref = queue.shift()!
    if (asked.has(ref)) continue
    asked.add(ref)
    socket.send(JSON.stringify({ type: 'customer', id: ref }))
    try {
      const customer = recordOf(await socket.waitFor(replyTo(ref), until - Date.now()))
      if (customer) {
        found.push(customer)
        queue.push(...refsOf(customer))
      }
    } catch {
      // The org is enrichment: without it the user is still returned, organization null.
      break
    }
  }
  return found
}

export const fetchCustomer: CustomFetch = async (input): Promise<CustomFetchResult> => {
  const until = Date.now() + input.timeoutMs
  const id = String(input.id)
  // Through the engine: retries, and a 401 here is the contract's 401 (account needs_reauth).
  const issued = await input.http({ method: 'POST', path: '/wss/ticket', body: { token: input.credentials.token } })
  const ticket = asObject(issued.body)?.ticket
  if (typeof ticket !== 'string' || ticket === '') {
    return { status: 502, headers: issued.headers, body: { error: 'the ticket endpoint answered without a ticket' } }
  }
  const socket = await openSocket(input.webSocket, socketUrl(input.baseUrl, ticket), {
    peer: PEER,
    connectTimeoutMs: Math.min(input.connectTimeoutMs, Math.max(0, until - Date.now())),
    signal: input.signal,
  })
  try {
    socket.send(JSON.stringify(POLICY))
    const policy = await socket.waitFor(policyReply, until - Date.now())
    if (policy.error !== undefined) return { status: 502, headers: {}, body: { error: `Limitr Cloud sent no policy: ${policy.error}` } }
    socket.send(JSON.stringify({ type: 'customer', id }))
    const text = await socket.waitFor(replyTo(id), until - Date.now())
    const record = recordOf(text)
    const refs = record ? await lookUpRefs(socket, record, until) : []
    return { status: 200, headers: {}, text, sideload: { refs } }
  } finally {
    socket.close()
  }
}
