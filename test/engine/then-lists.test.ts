/**
 * A list that walks a second vendor list after its own (`then`): Claude's members, then its
 * pending invites, against the Anthropic simulator through a real gateway. The boundary between
 * the lists must be invisible to a caller (no record lost or repeated at any limit), a second
 * list that loops is caught and flagged like a first one, and a cursor naming a list the
 * connector does not have is refused before any vendor call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFaultGateway, walk } from '../reliability/support/fault-gateway'
import type { TestGateway } from '../support/gateway'

const A = 'integrated_account_id=sandbox-claude'
const LIST = `/unified/usage-metering/users?${A}`
const INVITES = '/v1/organizations/invites'

let g: TestGateway
let clean: string[]
const sim = () => g.sandbox!.simulators.get('claude')!

beforeAll(async () => {
  g = await startFaultGateway({}, 9)
  clean = (await walk(g, `${LIST}&limit=100`)).ids
})
afterAll(async () => {
  await g?.close()
})

describe('then lists: members, then pending invites', () => {
  it('ends with the pending invites after all 9 members', () => {
    expect(clean.slice(0, 9).every((id) => id.startsWith('user_'))).toBe(true)
    expect(clean.slice(9).length).toBeGreaterThan(0)
    expect(clean.slice(9).every((id) => id.startsWith('invite_'))).toBe(true)
  })

  it.each([1, 2, 4, 9, 10, 11])('gives the same records at limit=%i, each once', async (limit) => {
    const result = await walk(g, `${LIST}&limit=${limit}`)
    expect(result.ids).toEqual(clean)
    expect(result.partial).toBe(false)
  })

  it('a second list that repeats its cursor forever: the walk ends, flagged partial, members all there', async () => {
    sim().faults.clear()
    sim().faults.add({ fault: { kind: 'repeat-cursor' }, times: -1, skip: 1, path: INVITES })
    try {
      const result = await walk(g, `${LIST}&limit=2`)
      expect(result.partial).toBe(true)
      expect(new Set(result.ids).size).toBe(result.ids.length)
      expect(result.ids.slice(0, 9)).toEqual(clean.slice(0, 9))
      expect(clean).toEqual(expect.arrayContaining(result.ids))
    } finally {
      sim().faults.clear()
    }
  })

  it('a failing second list fails the page (the caller sees the vendor error, not a short list)', async () => {
    sim().faults.add({ fault: { kind: 'status', status: 403, message: 'no invites for you' }, times: -1, path: INVITES })
    try {
      const res = await g.json(`${LIST}&limit=100`)
      expect(res.status).toBe(403)
      expect(res.body.message).toBe('no invites for you')
    } finally {
      sim().faults.clear()
    }
  })

  it('refuses a signed cursor naming a list the connector does not have', async () => {
    const binding = { accountId: 'sandbox-claude', resource: 'usage-metering/users' }
    const before = sim().requests.length
    for (const l of [2, 0, -1, 1.5, 'x']) {
      const cursor = await g.services.cursors.encode(binding, { s: null, o: 0, ps: 5, l })
      const res = await g.json(`${LIST}&next_cursor=${encodeURIComponent(cursor)}`)
      expect(res.status).toBe(400)
      expect(res.body.code).toBe('invalid_cursor')
    }
    expect(sim().requests.length).toBe(before)
    // The second list's first page, addressed by a cursor of its own, is served.
    const ok = await g.services.cursors.encode(binding, { s: null, o: 0, ps: 5, l: 1 })
    const res = await g.json(`${LIST}&next_cursor=${encodeURIComponent(ok)}`)
    expect(res.status).toBe(200)
    expect(res.body.result.map((r: { id: string }) => r.id)).toEqual(clean.slice(9, 14))
  })
})
