/**
 * Side loads are cached per account and per request they send (src/engine/side-loads.ts), and the
 * key of that request is itself kept instead of being rebuilt on every gateway request. Kept keys
 * must still follow what the request is built from: the same request asked with other query
 * parameters (another `limit`) finds the same records, and a parameter the side load's request
 * reads (Claude's `date`, the usage report's day) gets a report of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { simulatedAccount, useGateway, type VendorAccount } from '../connectors/support/vendor-accounts'

const REPORT = '/v1/organizations/usage_report/claude_code'

describe('side-load keys kept across requests', () => {
  const holder = useGateway()
  let account: VendorAccount
  beforeAll(async () => {
    account = await simulatedAccount(holder.g, 'claude', { users: 30 })
  })
  afterAll(async () => {
    await account?.sim.close()
  })

  /** The days the usage report was asked for so far, in order. */
  const reportDays = () => account.sim.requests.filter((r) => r.path === REPORT).map((r) => new URLSearchParams(r.query).get('starting_at'))

  async function lastActive(query: string): Promise<unknown[]> {
    const { status, body } = await holder.g.json(`${account.list}&${query}`)
    expect(status, JSON.stringify(body)).toBe(200)
    return body.result.map((u: { last_active_at: unknown }) => u.last_active_at)
  }

  it('finds the cached report for other query parameters, and asks again for another day', async () => {
    const before = reportDays().length
    const first = await lastActive('date=2025-12-15&limit=10')
    expect(await lastActive('date=2025-12-15&limit=10')).toEqual(first)
    expect(await lastActive('date=2025-12-15&limit=5')).toEqual(first.slice(0, 5))
    expect(reportDays().slice(before)).toEqual(['2025-12-15'])

    const other = await lastActive('date=2025-12-16&limit=10')
    expect(reportDays().slice(before)).toEqual(['2025-12-15', '2025-12-16'])
    // Each day's activity is its own: the first day's answer was not served for the second.
    expect(other.filter(Boolean).every((at) => String(at).startsWith('2025-12-16'))).toBe(true)
    expect(first.filter(Boolean).every((at) => String(at).startsWith('2025-12-15'))).toBe(true)
  })
})
