/**
 * The unified format's rule on absent values: every field of the unified schema is present, null
 * where the mapping gave no value, whichever connector sits behind the account, on the live list,
 * a get and the super-query. Before, a mapping that wrote `null` kept the key and one whose
 * expression had no value dropped it (JSONata leaves such keys out).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { usageMeteringUserSchema } from '../../src/models/usage-metering/users'
import { startTestGateway, type TestGateway } from '../support/gateway'
import { createJob, runToEnd, SYNC_TEST_ENV, USERS_LIST, usersJob } from '../sync/support/sync-helpers'

const SCHEMA_KEYS = Object.keys(usageMeteringUserSchema.shape).sort()
const CONNECTORS = ['claude', 'openai-codex', 'cursor', 'neon', 'limitly', 'limitr', 'github-copilot']

let g: TestGateway
beforeAll(async () => {
  g = await startTestGateway({ simulator: { users: 4 }, env: { ...SYNC_TEST_ENV, UNIMETER_SYNC_SCHEDULER: 'off' } })
})
afterAll(async () => {
  await g?.close()
})

/** Every schema key is an own key of the record; extension keys (Limitly's `plan`) may follow. */
function expectEverySchemaField(record: Record<string, unknown>, context: string) {
  const missing = SCHEMA_KEYS.filter((k) => !Object.prototype.hasOwnProperty.call(record, k))
  expect(missing, context).toEqual([])
}

describe('unified: every schema field, null when unknown', () => {
  it.each(CONNECTORS)('%s: list, get and stream', async (connector) => {
    const q = `integrated_account_id=sandbox-${connector}`
    const { status, body } = await g.json(`${USERS_LIST}?${q}&limit=4`)
    expect(status, JSON.stringify(body)).toBe(200)
    expect(body.result.length).toBeGreaterThan(0)
    for (const r of body.result) expectEverySchemaField(r, `${connector} list ${r.id}`)
    // Some field is unknown for some record of every sandbox (no vendor fills all thirteen).
    expect(body.result.some((r: Record<string, unknown>) => SCHEMA_KEYS.some((k) => r[k] === null))).toBe(true)

    const id = body.result[0].id
    const got = await g.json(`${USERS_LIST}/${encodeURIComponent(id)}?${q}`)
    expect(got.status).toBe(200)
    expectEverySchemaField(got.body, `${connector} get ${id}`)

    const stream = await g.api(`${USERS_LIST}?${q}&limit=4&truto_response_format=stream`)
    const lines = (await stream.text()).trim().split('\n')
    for (const line of lines) expectEverySchemaField(JSON.parse(line), `${connector} stream`)
  })

  it('super-query records answer the same rule; exclude_fields still removes a field', async () => {
    const job = await createJob(g, usersJob('sandbox-neon'))
    expect((await runToEnd(g, job.id)).status).toBe('succeeded')
    const sq = `${USERS_LIST}?integrated_account_id=sandbox-neon&truto_super_query=1`
    const { body } = await g.json(sq)
    for (const r of body.result) expectEverySchemaField(r, `super-query ${r.id}`)
    // Neon's invitation mapping writes no first or last name: null, not absent.
    const invited = body.result.filter((r: Record<string, unknown>) => r.status === 'invited')
    expect(invited.length).toBeGreaterThan(0)
    for (const r of invited) expect([r.first_name, r.last_name]).toEqual([null, null])
    const slim = await g.json(`${sq}&truto_exclude_fields=first_name`)
    for (const r of slim.body.result) expect(Object.prototype.hasOwnProperty.call(r, 'first_name')).toBe(false)
  })
})
