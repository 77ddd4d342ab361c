/**
 * A tenant `acme` of three vendors (Claude, Cursor, OpenAI Codex sandbox accounts, and Limitly
 * without a usage copy) and a tenant `globex` (Neon): users synced from the simulators, and one
 * person — Claude's first member — with November usage at all three vendors, the address
 * spelled differently at each. Usage is stored as a sync stores it (stored-records.ts).
 */
import { expect } from 'vitest'
import { usageMeteringUsage } from '../../../src/models/usage-metering/usage'
import type { TestGateway } from '../../support/gateway'
import { storeRecords } from './stored-records'
import { createJob, runToEnd, superQueryAll, usersJob } from './sync-helpers'

export const ACME = ['sandbox-claude', 'sandbox-cursor', 'sandbox-openai-codex']

export interface UsageTenant {
  /** The person at every vendor, as Claude spells the address. */
  shared: string
  /** Each acme account's users, as its copy holds them. */
  seatsOf: Record<string, any[]>
}

const bucket = (id: string, email: string, amount: number, surface: string) => ({
  id,
  user: { id: null, email, name: null },
  surface,
  start_date: '2026-11-03T00:00:00.000Z',
  end_date: '2026-11-04T00:00:00.000Z',
  charges: [{ amount, currency: 'USD', type: 'total' }],
  usage: { tokens: { input: 100, output: 10 } },
  remote_data: {},
})

export async function setupUsageTenant(g: TestGateway): Promise<UsageTenant> {
  const patch = (id: string, tenant: string) =>
    g.json(`/integrated-account/${id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tenant_id: tenant }),
    })
  for (const id of [...ACME, 'sandbox-limitly']) expect((await patch(id, 'acme')).status).toBe(200)
  expect((await patch('sandbox-neon', 'globex')).status).toBe(200)
  const seatsOf: Record<string, any[]> = {}
  for (const id of ACME) {
    expect((await runToEnd(g, (await createJob(g, usersJob(id))).id)).status).toBe('succeeded')
    seatsOf[id] = await superQueryAll(g, id)
  }
  const shared: string = seatsOf['sandbox-claude'][0].emails[0].email
  const store = (id: string, record: Record<string, unknown>) => storeRecords(g.services.db, id, usageMeteringUsage, [record])
  await store('sandbox-claude', bucket('c1', shared, 123.45, 'claude_code'))
  await store('sandbox-cursor', bucket('k1', shared.toUpperCase(), 200, 'composer'))
  await store(
    'sandbox-openai-codex',
    bucket(
      'o1',
      shared.replace(/^./, (c) => c.toUpperCase()),
      0.55,
      'api',
    ),
  )
  await store('sandbox-neon', bucket('n1', 'globex@example.com', 9, 'api'))
  return { shared, seatsOf }
}
