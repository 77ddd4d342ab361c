/** The `debug` format's `debug` block: the last vendor exchange, secrets scrubbed. */
import type { VendorExchange, VendorSession } from '../engine/vendor-session'

export function debugInfo(
  exchange: VendorExchange | undefined,
  session: VendorSession,
  list?: { nextCursor: string | null; isLooping: boolean; resultCount: number; vendorRequests: number },
): Record<string, unknown> | null {
  if (!exchange) return null
  const base = {
    requestUrl: exchange.url,
    requestOptions: {
      method: exchange.method,
      headers: exchange.requestHeaders,
      ...(exchange.requestBody !== undefined ? { body: exchange.requestBody } : {}),
    },
    data: exchange.body,
    responseHeaders: exchange.headers,
    ...(list
      ? {
          nextCursor: list.nextCursor,
          isLooping: list.isLooping,
          isEmptyResult: list.resultCount === 0,
          resultCount: list.resultCount,
          vendorRequests: list.vendorRequests,
        }
      : {}),
  }
  return session.deps.redactor.redactValue(base, session.secrets)
}
