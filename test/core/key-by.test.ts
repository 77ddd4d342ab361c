/**
 * truto_key_by on a live list and on a super-query, in every format that keys (unified,
 * normalized, debug; raw too on the super-query, whose raw records are a list): records that share
 * a key keep the last one and the x-unimeter-key-by-collisions header counts the ones replaced;
 * a dotted path keys by a nested own field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getPath } from '../../src/lib/object-path'
import { startTestGateway, type TestGateway } from '../support/gateway'
import { createJob, runToEnd, SYNC_TEST_ENV, USERS_LIST, usersJob } from '../sync/support/sync-helpers'

const ACCOUNT = 'sandbox-claude'
const HEADER = 'x-unimeter-key-by-collisions'

let g: TestGateway
beforeAll(async () => {
  g = await startTestGateway({ simulator: { users: 5 }, env: { ...SYNC_TEST_ENV, UNIMETER_SYNC_SCHEDULER: 'off' } })
  const job = await createJob(g, usersJob(ACCOUNT))
  expect((await runToEnd(g, job.id)).status).toBe('succeeded')
})
afterAll(async () => {
  await g?.close()
})

const urlOf = (entry: 'list' | 'super-query', format: string, extra = '') =>
  `${USERS_LIST}?integrated_account_id=${ACCOUNT}${entry === 'super-query' ? '&truto_super_query=1' : ''}&limit=5&truto_response_format=${format}${extra}`

async function envelopeOf(url: string) {
  const answer = await g.json(url)
  expect(answer.status, JSON.stringify(answer.body)).toBe(200)
  return { envelope: url.includes('format=debug') ? answer.body.result : answer.body, headers: answer.headers }
}

/** What keying `records` by `path` must give: the last record per key, and how many were replaced. */
function expectedKeying(records: Record<string, unknown>[], path: string) {
  const last = new Map<string, unknown>()
  for (const r of records) last.set(String(getPath(r, path)), r)
  return { result: Object.fromEntries(last), collisions: records.length - last.size }
}

const CASES = [
  ['list', 'unified'],
  ['list', 'normalized'],
  ['list', 'debug'],
  ['super-query', 'unified'],
  ['super-query', 'normalized'],
  ['super-query', 'debug'],
] as const

describe('truto_key_by', () => {
  it.each(CASES)('%s %s: a shared key keeps the last record and the header counts the others', async (entry, format) => {
    const plain = (await envelopeOf(urlOf(entry, format))).envelope.result as Record<string, unknown>[]
    expect(plain).toHaveLength(5)
    // Every sandbox member belongs to the one organization: 5 records, 1 key, 4 replaced.
    const { result, collisions } = expectedKeying(plain, 'organization.id')
    expect(collisions).toBe(4)
    const keyed = await envelopeOf(urlOf(entry, format, '&truto_key_by=organization.id'))
    expect(keyed.envelope.result).toEqual(result)
    expect(keyed.envelope.result_count).toBe(5)
    expect(keyed.headers.get(HEADER)).toBe('4')

    const byId = await envelopeOf(urlOf(entry, format, '&truto_key_by=id'))
    expect(Object.keys(byId.envelope.result).sort()).toEqual(plain.map((r) => r.id).sort())
    expect(byId.headers.get(HEADER)).toBeNull()
  })

  it('super-query raw: keys the vendor records, collisions counted', async () => {
    const plain = (await g.json(urlOf('super-query', 'raw'))).body.result as Record<string, unknown>[]
    // Members and invites share a handful of `type` values across the five records.
    const { result, collisions } = expectedKeying(plain, 'type')
    expect(collisions).toBeGreaterThan(0)
    const keyed = await g.json(urlOf('super-query', 'raw', '&truto_key_by=type'))
    expect(keyed.body.result).toEqual(result)
    expect(keyed.headers.get(HEADER)).toBe(String(collisions))
  })

  it.each(['list', 'super-query'] as const)('%s: a dotted path to an object or a missing field is a 400', async (entry) => {
    for (const path of ['organization', 'organization.nope', 'organization.constructor']) {
      const answer = await g.json(urlOf(entry, 'unified', `&truto_key_by=${path}`))
      expect(answer.status).toBe(400)
      expect(answer.body).toMatchObject({ code: 'invalid_key_by', message: expect.stringContaining(path) })
    }
  })
})
