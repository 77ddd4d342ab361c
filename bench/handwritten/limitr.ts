/** Hand-written equivalent of mappings/usage-metering/users/limitr/customer.jsonata. */
import { keyBy, minorUnits, numberIn } from '../../src/engine/mapping/functions'
import type { HandMapper } from './index'
import { isObject, truthy } from './semantics'

type Row = Record<string, any>
const values = (o: unknown): unknown[] => (isObject(o) ? Object.values(o) : [])
const asList = (v: unknown): unknown[] => (v === undefined ? [] : Array.isArray(v) ? v : [v])
const emptyOrNotList = (v: unknown) => !Array.isArray(v) || v.length === 0

/** The customers `ids` lead to, following refs up to `depth` levels (a user → team → org). */
function reach(ids: unknown, depth: number, byId: Row): Row[] {
  const found = asList(ids)
    .map((id) => (typeof id === 'string' ? byId[id] : undefined))
    .filter(isObject)
  if (depth <= 1 || found.length === 0) return found
  return found.concat(
    reach(
      found.flatMap((f) => asList(f.refs)),
      depth - 1,
      byId,
    ),
  )
}

interface Ceiling {
  amount: number
  currency: string
}

/** A cap as money in the currency's smallest unit, or undefined (a quota in tokens, an odd value). */
function ceiling(cap: unknown): Ceiling | undefined {
  const c = isObject(cap) ? cap : {}
  const credit = typeof c.credit === 'string' ? c.credit.toLowerCase() : 'rune'
  const currency = credit === 'rune' ? 'USD' : credit.toUpperCase()
  const amount = minorUnits(numberIn(c.value, credit), currency)
  return amount === undefined ? undefined : { amount, currency }
}

/** A cap that limits: not observe-only, and covering every entitlement (no scope). */
const limits = (cap: unknown) => !(isObject(cap) && cap.observe_only === true) && !(isObject(cap) && !emptyOrNotList(cap.scope))

export const limitrUsers: HandMapper = (input) => {
  const response = input.response as any
  const customers: unknown[] =
    input.id !== undefined
      ? [response?.customer !== undefined ? response.customer : response]
      : Array.isArray(response)
        ? response
        : values(response)
  const byId = keyBy([...customers, ...asList(input.sideload?.refs)], 'id')
  return customers
    .filter((c): c is Row => isObject(c) && c.type !== 'org')
    .map((c) => {
      const reached = reach(c.refs, 3, byId)
      const org = reached.find((r) => r.type === 'org')
      const shared = reached
        .flatMap((r) => values(r.caps))
        .filter(
          (cap) =>
            isObject(cap) &&
            cap.shared === true &&
            (emptyOrNotList(cap.shared_with) || (typeof c.type === 'string' && cap.shared_with.includes(c.type))),
        )
      const ceilings = [...values(c.caps), ...shared]
        .filter(limits)
        .map(ceiling)
        .filter((x) => x !== undefined)
      const lowest = Math.min(...ceilings.map((x) => x.amount))
      return {
        id: c.id,
        name: c.label,
        emails: typeof c.metadata?.email === 'string' ? [{ email: c.metadata.email, is_primary: true }] : [],
        status: 'active',
        organization: truthy(org) ? { id: org!.id, name: org!.label } : null,
        spend_limit: ceilings.find((x) => x.amount === lowest) ?? null,
        remote_data: c,
      }
    })
}
