/** Hand-written equivalent of mappings/usage-metering/users/cursor/user.jsonata. */
import { keyBy, maxBy, minorUnits, toIso } from '../../src/engine/mapping/functions'
import type { HandMapper } from './index'
import { jsonataString, lookup, personFields, truthy } from './semantics'

/** A hard-limit override (0 = none) wins over the monthly limit (null = none); dollars → cents. */
function limitCents(row: Record<string, any> | undefined): number | null {
  const override = row?.hardLimitOverrideDollars
  const dollars = typeof override === 'number' && override > 0 ? override : row?.monthlyLimitDollars
  return typeof dollars === 'number' && dollars > 0 ? (minorUnits(dollars, 'USD') ?? null) : null
}

export const cursorUsers: HandMapper = ({ response, sideload }) => {
  const spend = keyBy(sideload?.spend, 'userId')
  const lastActive = maxBy(sideload?.activity, 'userId', 'date', { isActive: true })
  const members = ((response as Record<string, any>).teamMembers ?? []) as Array<Record<string, any>>
  return members.map((m) => {
    const id = jsonataString(m.id)
    const cents = limitCents(lookup(spend, id) as Record<string, any> | undefined)
    return Object.assign(personFields(m, id), {
      status: m.isRemoved === true ? 'deleted' : 'active',
      spend_limit: truthy(cents) ? { amount: cents, currency: 'USD' } : null,
      last_active_at: toIso(lookup(lastActive, id)),
      created_at: null,
      updated_at: null,
      remote_data: m,
    })
  })
}
