/**
 * `group_by[]` over stored usage records: Truto's dimensions (product, surface, model, user,
 * charge_type, token_type), each read from the unified record, so one rule serves every vendor,
 * and `day`: the UTC day of the bucket's start_date (what a chart of cost per day needs in one
 * request; a record without a start_date has no day and groups under the empty key).
 *
 * A person is their e-mail, lower-cased: the same address at Claude, Cursor and OpenAI is one
 * person. A user the vendor names without an e-mail stays apart, as `<account>/<user id>`: an id
 * means nothing at another vendor. Usage no vendor attributes to a person groups under no user.
 *
 * charge_type and token_type split a record into parts: by charge type a row carries only the
 * charges of that type (no counts, which are not per charge); by token type only that token
 * count (no charges, which are not per token). A record without charges (or tokens) has no part
 * there. Together they would split unrelated measures, so they are refused together.
 */
import { badRequest } from '../../lib/http-errors'
import { getPath } from '../../lib/object-path'
import type { MeasureSlice } from './usage-measures'

export const GROUP_DIMENSIONS = ['product', 'surface', 'model', 'user', 'charge_type', 'token_type', 'day'] as const
export type GroupDimension = (typeof GROUP_DIMENSIONS)[number]

/** The dimension values of one group: what the row shows and the key it is found by. */
export interface GroupPart {
  key: string
  /** What the row shows for the dimension (e.g. `user: {id, email, name}`). */
  shown: unknown
}

export interface Contribution {
  /** In group_by's order. */
  parts: GroupPart[]
  slice: MeasureSlice
}

export function parseGroupBy(value: unknown): GroupDimension[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined
  const known = GROUP_DIMENSIONS as readonly string[]
  if (!list || list.length === 0 || !list.every((v) => typeof v === 'string' && known.includes(v))) {
    throw badRequest(
      'invalid_group_by',
      `group_by takes dimensions from ${GROUP_DIMENSIONS.join(', ')}: group_by[]=user&group_by[]=model (or group_by=user,model)`,
    )
  }
  const dims = [...new Set(list as GroupDimension[])]
  if (dims.includes('charge_type') && dims.includes('token_type')) {
    throw badRequest(
      'invalid_group_by',
      'group_by charge_type splits charges and token_type splits token counts: they cannot split one row together; group by one of them',
    )
  }
  return dims
}

const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null)

/** Where a record comes from: its account, and that account's users by id (from the users copy). */
export interface RecordOrigin {
  accountId: string
  emailOfUser?: ReadonlyMap<string, string>
}

export interface Person {
  key: string
  id: string | null
  email: string | null
  name: string | null
}

/** The key of a user known only by an id: meaningful inside its account alone. */
export const accountUserKey = (accountId: string, userId: string) => `${accountId}/${userId}`

/**
 * The person a usage record belongs to, or undefined when the vendor names none. A record that
 * gives only the user's id takes the e-mail the account's users copy has for that id.
 */
export function personOf(record: Record<string, unknown>, origin: RecordOrigin): Person | undefined {
  const id = text(getPath(record, 'user.id'))
  const email = (text(getPath(record, 'user.email')) ?? (id ? origin.emailOfUser?.get(id) : undefined))?.toLowerCase() ?? null
  const name = text(getPath(record, 'user.name'))
  if (email) return { key: email, id, email, name }
  if (id) return { key: accountUserKey(origin.accountId, id), id, email: null, name }
  return undefined
}

function single(dim: 'product' | 'surface' | 'model' | 'user' | 'day', record: Record<string, unknown>, origin: RecordOrigin): GroupPart {
  switch (dim) {
    case 'user': {
      const person = personOf(record, origin)
      return person ? { key: person.key, shown: { id: person.id, email: person.email, name: person.name } } : { key: '', shown: null }
    }
    case 'day': {
      // The same UTC day active_days counts (usage-measures.ts).
      const day = text(record.start_date)?.slice(0, 10) ?? null
      return { key: day ?? '', shown: day }
    }
    case 'surface': {
      const surface = text(record.surface)
      return { key: surface ?? '', shown: surface }
    }
    case 'model': {
      const id = text(getPath(record, 'model.id'))
      return { key: id ?? '', shown: id ? { id, provider: text(getPath(record, 'model.provider')) } : null }
    }
    case 'product': {
      const id = text(getPath(record, 'product.id'))
      const name = text(getPath(record, 'product.name'))
      return { key: id ?? name ?? '', shown: id || name ? { id, name } : null }
    }
  }
}

function chargeTypes(record: Record<string, unknown>): Array<string | null> {
  if (!Array.isArray(record.charges)) return []
  const types = record.charges.filter((c) => c && typeof c === 'object').map((c) => text((c as Record<string, unknown>).type))
  return [...new Set(types)]
}

function tokenTypes(record: Record<string, unknown>): string[] {
  const tokens = getPath(record, 'usage.tokens')
  if (!tokens || typeof tokens !== 'object' || Array.isArray(tokens)) return []
  return Object.entries(tokens as Record<string, unknown>)
    .filter(([, v]) => typeof v === 'number' && Number.isFinite(v))
    .map(([k]) => k)
}

/** The groups one record adds to, with the part of it each one sums. */
export function contributions(record: Record<string, unknown>, dims: GroupDimension[], origin: RecordOrigin): Contribution[] {
  const splitBy = dims.find((d) => d === 'charge_type' || d === 'token_type')
  const base = (extra?: GroupPart) =>
    dims.map((d) => (d === 'charge_type' || d === 'token_type' ? (extra as GroupPart) : single(d, record, origin)))
  if (splitBy === 'charge_type') {
    return chargeTypes(record).map((type) => ({
      parts: base({ key: type ?? '', shown: type }),
      slice: { chargeType: type, chargesOnly: true },
    }))
  }
  if (splitBy === 'token_type') {
    return tokenTypes(record).map((type) => ({ parts: base({ key: type, shown: type }), slice: { tokenType: type } }))
  }
  return [{ parts: base(), slice: {} }]
}

/** A group's id: its keys joined by `|` (escaped inside keys), so it is readable and unique. */
export function groupId(parts: GroupPart[]): string {
  return parts.map((p) => p.key.replace(/%/g, '%25').replace(/\|/g, '%7C')).join('|')
}
