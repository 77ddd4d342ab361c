/** Hand-written equivalent of mappings/usage-metering/users/limitr/customer.jsonata. */
import { keyBy, minorUnits } from '../../src/engine/mapping/functions'
import type { HandMapper } from './index'
import { truthy } from './semantics'

type Row = Record<string, any>
const isObject = (v: unknown): v is Row => v !== null && typeof v === 'object' && !Array.isArray(v)
const values = (o: unknown): unknown[] => (isObject(o) ? Object.values(o) : [])

export const limitrUsers: HandMapper = (input) => {
  const response = input.response as any
  const customers: unknown[] =
    input.id !== undefined
      ? [response?.customer !== undefined ? response.customer : response]
      : Array.isArray(response)
        ? response
        : values(response)
  const refs = input.sideload?.refs
  const byId = keyBy([...customers, ...(Array.isArray(refs) ? refs : refs === undefined ? [] : [refs])], 'id')
  return customers
    .filter((c): c is Row => isObject(c) && c.type !== 'org')
    .map((c) => {
      const refIds = c.refs === undefined ? [] : Array.isArray(c.refs) ? c.refs : [c.refs]
      const org = refIds
        .map((id: unknown) => (typeof id === 'string' ? (byId[id] as Row | undefined) : undefined))
        .find((r: Row | undefined) => r?.type === 'org')
      const cap = values(c.caps).find(
        (cap) => isObject(cap) && minorUnits(cap.value, cap.credit) !== undefined && cap.observe_only !== true,
      ) as Row | undefined
      return {
        id: c.id,
        name: c.label,
        emails: typeof c.metadata?.email === 'string' ? [{ email: c.metadata.email, is_primary: true }] : [],
        status: 'active',
        organization: truthy(org) ? { id: org!.id, name: org!.label } : null,
        spend_limit: truthy(cap) ? { amount: minorUnits(cap!.value, cap!.credit), currency: String(cap!.credit).toUpperCase() } : null,
        remote_data: c,
      }
    })
}
