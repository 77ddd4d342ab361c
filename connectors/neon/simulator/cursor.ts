/**
 * Opaque members cursors: base64url of `{o: offset, s: sort_by, d: sort_order}`. Carrying the
 * sort lets a client send only `cursor` + `limit` on later pages, as it may with the real API.
 */
import { NeonError } from './vendor'

export type SortBy = 'joined_at' | 'email' | 'role'
export type SortOrder = 'asc' | 'desc'

export interface MembersCursor {
  offset: number
  sortBy: SortBy
  sortOrder: SortOrder
}

/**
 * `retry` marks a cursor that resumes where an earlier one did; the text then differs, so a
 * client that guards against repeated cursors does not mistake it for a loop.
 */
export function encodeCursor(c: MembersCursor, retry = false): string {
  const payload = { o: c.offset, s: c.sortBy, d: c.sortOrder, ...(retry ? { r: 1 } : {}) }
  return Buffer.from(JSON.stringify(payload)).toString('base64url')
}

export function decodeCursor(text: string): MembersCursor {
  let payload: { o?: unknown; s?: unknown; d?: unknown }
  try {
    payload = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'))
  } catch {
    throw new NeonError(400, 'invalid cursor')
  }
  const { o, s, d } = payload ?? {}
  if (typeof o !== 'number' || !Number.isInteger(o) || o < 0) throw new NeonError(400, 'invalid cursor')
  if (s !== 'joined_at' && s !== 'email' && s !== 'role') throw new NeonError(400, 'invalid cursor')
  if (d !== 'asc' && d !== 'desc') throw new NeonError(400, 'invalid cursor')
  return { offset: o, sortBy: s, sortOrder: d }
}
