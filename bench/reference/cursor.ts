/**
 * The reference gateway's cursor: base64url(JSON position) + "." + HMAC-SHA256, as the gateway's
 * own (src/engine/cursor.ts) signs it, bound to the account and resource it was issued for.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'

/** Where a walk stands: vendor state, records of that page already served, page size, list index. */
export interface Position {
  s: string | number | null
  o: number
  ps: number
  /** Which vendor list (0 = the first; Claude and OpenAI walk their invites after the members). */
  l?: number
}

export interface ReferenceCursor {
  encode(p: Position): string
  /** The position, or undefined for a cursor that is forged, foreign or malformed. */
  decode(token: string): Position | undefined
}

export function referenceCursor(key: Buffer, accountId: string, resource: string): ReferenceCursor {
  const sign = (payload: string) => createHmac('sha256', key).update(payload).digest('base64url')
  return {
    encode(p) {
      const payload = Buffer.from(JSON.stringify({ a: accountId, r: resource, ...p })).toString('base64url')
      return `${payload}.${sign(payload)}`
    },
    decode(token) {
      const dot = token.indexOf('.')
      if (dot < 1) return undefined
      const payload = token.slice(0, dot)
      const mac = Buffer.from(token.slice(dot + 1))
      const expected = Buffer.from(sign(payload))
      if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) return undefined
      try {
        const { a, r, s, o, ps, l } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'))
        if (a !== accountId || r !== resource || !Number.isInteger(o) || !Number.isInteger(ps)) return undefined
        return { s, o, ps, ...(l ? { l } : {}) }
      } catch {
        return undefined
      }
    },
  }
}
