/**
 * Cursors cannot be forged or replayed elsewhere: a tampered, re-signed, truncated or random
 * cursor, a cursor of another account or another list, and a correctly signed cursor with
 * malicious contents are all refused with 400 `invalid_cursor` before any vendor is called.
 */
import { createHmac } from 'node:crypto'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { baseUrlOverrideKey } from '../../src/config/settings'
import { startTestGateway, type TestGateway } from '../support/gateway'
import { ask } from '../reliability/support/fault-gateway'

let g: TestGateway
let cursorA: string
let secondClaude: string

const LIST = '/unified/usage-metering/users'

// Built before the gateway starts: fast-check takes seconds to build a 'binary' string
// arbitrary, and a stall that long inside a test outlasts the server's keep-alive timeout, so
// the next request went out on a socket the server was closing (ECONNRESET).
const binaryText = fc.string({ unit: 'binary', maxLength: 50 })

/** Vendor requests (any simulator) made while `run` ran. */
async function vendorCallsDuring(run: () => Promise<void>): Promise<number> {
  const sims = [...g.sandbox!.simulators.values()]
  const before = sims.reduce((n, s) => n + s.requests.length, 0)
  await run()
  return sims.reduce((n, s) => n + s.requests.length, 0) - before
}

async function expectRefused(account: string, cursor: string, why?: RegExp): Promise<void> {
  let status = 0
  let body: any
  const calls = await vendorCallsDuring(async () => {
    const answer = await ask(g, `${LIST}?integrated_account_id=${account}&limit=2&next_cursor=${encodeURIComponent(cursor)}`)
    status = answer.status
    body = answer.body
  })
  expect(status, JSON.stringify(body)).toBe(400)
  expect(body).toMatchObject({ statusCode: 400, code: expect.stringMatching(/^invalid_(cursor|request)$/) })
  expect(body.message).toMatch(/next_cursor/)
  if (why) expect(body.message).toMatch(why)
  expect(calls).toBe(0)
}

beforeAll(async () => {
  g = await startTestGateway({ simulator: { users: 10 } })
  const sim = g.sandbox!.simulators.get('claude')!
  g.services.env[baseUrlOverrideKey('claude')] = sim.baseUrl
  const created = await ask(g, '/integrated-account', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ integration: 'claude', context: { api_key: sim.credentials.api_key } }),
  })
  expect(created.status).toBe(201)
  secondClaude = created.body.id
  const first = await ask(g, `${LIST}?integrated_account_id=sandbox-claude&limit=2`)
  cursorA = first.body.next_cursor
  expect(cursorA).toEqual(expect.any(String))
})
afterAll(async () => {
  await g?.close()
})

describe('cursor forgery and replay', () => {
  it('the genuine cursor works (so the refusals below are about the cursor)', async () => {
    expect((await ask(g, `${LIST}?integrated_account_id=sandbox-claude&limit=2&next_cursor=${encodeURIComponent(cursorA)}`)).status).toBe(
      200,
    )
  })

  it('is refused on another account of the same vendor, and on another vendor', async () => {
    await expectRefused(secondClaude, cursorA, /another integrated account/)
    await expectRefused('sandbox-neon', cursorA, /another integrated account/)
  })

  it('a cursor of another list (the accounts listing) is refused on a unified list', async () => {
    const accounts = await ask(g, '/integrated-account?limit=1')
    expect(accounts.body.next_cursor).toEqual(expect.any(String))
    await expectRefused('sandbox-claude', accounts.body.next_cursor)
  })

  it('a payload edited to name another account, keeping the old signature, is refused', async () => {
    const [payload, mac] = cursorA.split('.')
    const state = JSON.parse(Buffer.from(payload, 'base64url').toString())
    const edited = Buffer.from(JSON.stringify({ ...state, a: secondClaude })).toString('base64url')
    await expectRefused(secondClaude, `${edited}.${mac}`, /signature/)
  })

  it('a payload re-signed with a guessed key is refused', async () => {
    const [payload] = cursorA.split('.')
    for (const key of ['', 'secret', Buffer.alloc(32, 7).toString('base64'), 'cursor-signing']) {
      await expectRefused('sandbox-claude', `${payload}.${createHmac('sha256', key).update(payload).digest('base64url')}`, /signature/)
    }
  })

  it('correctly signed but malicious contents are refused, not obeyed', async () => {
    const binding = { accountId: 'sandbox-claude', resource: 'usage-metering/users' }
    const states: Record<string, unknown>[] = [
      { s: { $gt: '' }, o: 0, ps: 2 },
      { s: '../../admin', o: -1, ps: 2 },
      { s: null, o: 1e12, ps: 2 },
      { s: null, o: 0, ps: 1e9 },
      { s: null, o: 0, ps: 0 },
      { s: null, o: '0', ps: 2 },
      { s: null, o: 0, ps: 2, fp: { x: 1 } },
    ]
    for (const state of states) await expectRefused('sandbox-claude', await g.services.cursors.encode(binding, state), /malformed/)
  })

  it('random and mangled cursors are always refused before any vendor call', async () => {
    const mangled = fc.oneof(
      fc.string({ maxLength: 200 }),
      binaryText,
      fc.nat({ max: cursorA.length - 1 }).map((i) => cursorA.slice(0, i)),
      fc
        .tuple(fc.nat({ max: cursorA.length - 1 }), fc.string({ minLength: 1, maxLength: 1 }))
        .map(([i, ch]) => cursorA.slice(0, i) + (cursorA[i] === ch ? (ch === 'A' ? 'B' : 'A') : ch) + cursorA.slice(i + 1)),
      fc.constantFrom(`${cursorA}.x`, `.${cursorA}`, cursorA.replace('.', '..'), 'a'.repeat(9000)),
    )
    await fc.assert(
      fc.asyncProperty(
        mangled.filter((c) => c.length > 0 && c !== cursorA),
        async (cursor) => {
          await expectRefused('sandbox-claude', cursor)
        },
      ),
      { numRuns: 150 },
    )
  })
})
