/** Hand-written equivalent of mappings/usage-metering/users/cursor/user.jsonata. */
import { firstNonEmpty, keyBy, maxBy, minorUnits, toIso } from '../../src/engine/mapping/functions'
import type { HandMapper } from './index'
import { jsonataString, lookup, personFields } from './semantics'

type Row = Record<string, any>
const CASELESS = { caseless: true }
/** The unpaginated report holds active rows only and may leave isActive out: only false excludes. */
const ACTIVE = { isActive: { $ne: false } }

const positive = (v: unknown) => (typeof v === 'number' && v > 0 ? v : undefined)

/** effectivePerUserLimitDollars when the row has it, else the monthly limit, else the hard override. */
function limitDollars(row: Row | undefined): unknown {
  if (row === undefined || row === null) return undefined
  if (row.effectivePerUserLimitDollars !== undefined) return positive(row.effectivePerUserLimitDollars)
  return firstNonEmpty(positive(row.monthlyLimitDollars), positive(row.hardLimitOverrideDollars))
}

/** Joined on the email, case-insensitively; on the id only when the email finds nothing. */
function joined(byEmail: Row, byId: Row, m: Row): unknown {
  const hit = typeof m.email === 'string' ? byEmail[m.email.toLowerCase()] : undefined
  return hit !== undefined ? hit : m.id !== undefined ? lookup(byId, jsonataString(m.id)) : undefined
}

export const cursorUsers: HandMapper = ({ response, sideload }) => {
  const spendByEmail = keyBy(sideload?.spend, 'email', null, CASELESS)
  const spendById = keyBy(sideload?.spend, 'userId')
  const lastByEmail = maxBy(sideload?.activity, 'email', 'date', ACTIVE, CASELESS)
  const lastById = maxBy(sideload?.activity, 'userId', 'date', ACTIVE)
  const members = (Array.isArray(response) ? response : ((response as Row).teamMembers ?? [])) as unknown[]
  return members
    .filter((m): m is Row => m !== null && typeof m === 'object' && !Array.isArray(m))
    .map((m) => {
      const id = m.id !== undefined ? jsonataString(m.id) : m.email
      const dollars = limitDollars(joined(spendByEmail, spendById, m) as Row | undefined)
      return Object.assign(personFields(m, id), {
        status: m.isRemoved === true ? 'deleted' : 'active',
        spend_limit: dollars !== undefined ? { amount: minorUnits(dollars, 'USD'), currency: 'USD' } : null,
        last_active_at: toIso(joined(lastByEmail, lastById, m)),
        created_at: null,
        updated_at: null,
        remote_data: m,
      })
    })
}
