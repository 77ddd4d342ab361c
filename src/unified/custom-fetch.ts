/**
 * Runs a connector's custom protocol hook (GetMethodSpec.fetch) for a get and turns its answer
 * into an ordinary vendor exchange: same error convention and error mapping, same invalid-body
 * and transport-failure errors, so a WebSocket vendor fails exactly like an HTTP one.
 */
import type { CustomFetch, CustomFetchInput } from '../engine/connector-types'
import { TransportError } from '../engine/http/transport'
import type { WebSocketFactory, WebSocketLike } from '../engine/http/websocket'
import { rateLimitHeaders } from '../engine/rate-limits'
import { abortSignalOf } from '../engine/request-abort'
import { callVendor } from '../engine/vendor-call'
import type { VendorExchange, VendorSession } from '../engine/vendor-session'
import { transportFailure } from '../engine/vendor-errors'
import { readVendorResponse } from '../engine/vendor-response'

/** The runtime's WebSocket class, else the global one (Workers, Node 22+). */
function webSocketFactory(session: VendorSession): WebSocketFactory {
  if (session.deps.webSocket) return session.deps.webSocket
  const Global = (globalThis as { WebSocket?: new (url: string) => WebSocketLike }).WebSocket
  if (Global) return (url) => new Global(url)
  return () => {
    throw new TransportError('network', 'this runtime has no WebSocket client')
  }
}

export async function customExchange(
  session: VendorSession,
  fetch: CustomFetch,
  id: string,
  query: Record<string, unknown>,
): Promise<{ exchange: VendorExchange; sideload: Record<string, unknown[]> }> {
  const { settings } = session.deps
  const timeoutMs = Math.max(0, Math.min(settings.UNIMETER_VENDOR_TIMEOUT_MS, session.deadline - Date.now()))
  const input: CustomFetchInput = {
    id,
    baseUrl: session.baseUrl,
    credentials: session.credentials,
    context: session.context,
    query,
    timeoutMs,
    connectTimeoutMs: Math.min(settings.UNIMETER_WS_CONNECT_TIMEOUT_MS, timeoutMs),
    signal: abortSignalOf(session.signal),
    http: (req) => callVendor(session, { method: req.method, path: req.path, query: req.query ?? {}, body: req.body }),
    webSocket: webSocketFactory(session),
  }
  let res: Awaited<ReturnType<CustomFetch>>
  try {
    res = await fetch(input)
  } catch (err) {
    if (err instanceof TransportError) throw transportFailure(session.connector, err)
    throw err
  }
  const text = res.text ?? (res.body === undefined ? '' : JSON.stringify(res.body))
  const body = await readVendorResponse(session, { status: res.status, headers: res.headers, body: text })
  return {
    exchange: {
      url: `${session.deps.redactor.redactText(session.baseUrl, session.secrets)} (custom protocol)`,
      method: 'GET',
      requestHeaders: {},
      status: res.status,
      headers: res.headers,
      body,
      rateLimit: rateLimitHeaders(session.connector, res.headers),
      attempts: 1,
    },
    sideload: res.sideload ?? {},
  }
}
