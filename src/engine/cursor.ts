/**
 * Opaque, signed cursors. A cursor is base64url(JSON state) + "." + HMAC, bound to the account
 * and the (model, resource) it was issued for: tampered, foreign or garbage cursors are refused
 * with 400 `invalid_cursor` before any vendor is called.
 */
import { base64UrlToBytes, bytesToBase64Url, utf8 } from '../crypto/encoding'
import { hmacBase64Url, timingSafeEqual, type HmacSigner } from '../crypto/digest'
import { badRequest } from '../lib/http-errors'

interface CursorBinding {
  accountId: string
  /** e.g. `usage-metering/users`, or `sq:usage-metering/users` for super-query reads. */
  resource: string
}

export interface CursorCodec {
  encode(binding: CursorBinding, state: Record<string, unknown>): Promise<string>
  decode(binding: CursorBinding, token: string): Promise<Record<string, unknown>>
}

const MAX_CURSOR_LENGTH = 8192

const invalid = (why: string) =>
  badRequest(
    'invalid_cursor',
    `next_cursor is not valid here (${why}). Pass back the next_cursor of a previous page of the same list, or omit it to start at the first page.`,
  )

/** `key`: the signing key, or a signer over it (the runtime's cheaper HMAC of the same result). */
export function createCursorCodec(key: CryptoKey | HmacSigner): CursorCodec {
  const sign: HmacSigner = typeof key === 'function' ? key : (text) => hmacBase64Url(key, text)
  return {
    async encode(binding, state) {
      const payload = bytesToBase64Url(utf8.encode(JSON.stringify({ a: binding.accountId, r: binding.resource, ...state })))
      return `${payload}.${await sign(payload)}`
    },
    async decode(binding, token) {
      if (typeof token !== 'string' || token.length === 0) throw invalid('it is empty')
      if (token.length > MAX_CURSOR_LENGTH) throw invalid('it is too long')
      const dot = token.indexOf('.')
      if (dot < 1 || dot !== token.lastIndexOf('.')) throw invalid('it is malformed')
      const payload = token.slice(0, dot)
      const mac = token.slice(dot + 1)
      if (!timingSafeEqual(mac, await sign(payload))) throw invalid('its signature does not match')
      let state: Record<string, unknown>
      try {
        state = JSON.parse(utf8.decode(base64UrlToBytes(payload)))
      } catch {
        throw invalid('it is malformed')
      }
      if (!state || typeof state !== 'object') throw invalid('it is malformed')
      if (state.a !== binding.accountId) throw invalid('it was issued for another integrated account')
      if (state.r !== binding.resource) throw invalid('it was issued for another resource')
      return state
    },
  }
}
