/**
 * Property-based: random, oversized, deeply nested, unicode, prototype-polluting and ill-typed
 * query strings on list and get, for every connector. The gateway never answers a 5xx of its
 * own, never crashes, says what was wrong, and forwards to the vendor neither prototype keys nor
 * the contract's own parameters.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestGateway, type TestGateway } from '../support/gateway'
import { resourceKey } from '../../src/models/model-registry'
import { usageMeteringUsers } from '../../src/models/usage-metering/users'
import { connectorCasesOf } from '../reliability/support/connectors-under-test'
import { answerOf, expectWellFormed, forwardedKeys, hostileQuery, PROTO_KEYS, prototypeIntact, type Answer } from './support/hostile'

let g: TestGateway
beforeAll(async () => {
  g = await startTestGateway({ env: { UNIMETER_RETRY_MAX: '0' }, simulator: { users: 6 } })
})
afterAll(async () => {
  await g?.close()
})

const call = (path: string): Promise<Answer> => answerOf(g, path)

/** Vendor requests made while `run` ran, across every simulator. */
async function vendorRequestsDuring(run: () => Promise<void>): Promise<Array<{ path: string; query: string }>> {
  const sims = [...g.sandbox!.simulators.values()]
  const before = sims.map((s) => s.requests.length)
  await run()
  return sims.flatMap((s, i) => s.requests.slice(before[i]))
}

/** Keys of the remote_query a query string carries at its top level (what may be forwarded as-is). */
function remoteQueryRoots(search: string): Set<string> {
  const roots = new Set<string>()
  for (const k of new URLSearchParams(search).keys()) {
    const m = /^remote_query\[([^\]]*)\]/.exec(k)
    if (m) roots.add(m[1])
  }
  return roots
}

/** The resource under attack: its list and get on every connector serving it. */
const RESOURCE = usageMeteringUsers
const LIST = `/unified/${resourceKey(RESOURCE)}`
const accounts = connectorCasesOf(RESOURCE).map((c) => c.accountId)
const GATEWAY_ONLY = /^(truto_.*|integrated_account_id|next_cursor|remote_query)$/

describe('hostile list query strings', () => {
  it('are answered well-formed, and nothing forbidden reaches a vendor', async () => {
    await fc.assert(
      fc.asyncProperty(hostileQuery(accounts), async (query) => {
        let answer: Answer | undefined
        const forwarded = await vendorRequestsDuring(async () => {
          answer = await call(`${LIST}?${query}`)
        })
        expectWellFormed(answer as Answer, query)
        const allowed = remoteQueryRoots(query)
        for (const req of forwarded) {
          for (const { root, segments } of forwardedKeys(req.query)) {
            for (const s of segments) expect(PROTO_KEYS, `${req.path}${req.query}`).not.toContain(s)
            // The contract's own parameters are the gateway's; only remote_query may name them.
            // (`limit` and `cursor` are not checked: vendors use those names for their own paging.)
            if (!allowed.has(root)) expect(GATEWAY_ONLY.test(root), `${root} forwarded: ${req.query}`).toBe(false)
          }
        }
      }),
      { numRuns: 150 },
    )
    prototypeIntact()
  })
})

describe('hostile get query strings', () => {
  it('are answered well-formed', async () => {
    await fc.assert(
      fc.asyncProperty(hostileQuery(accounts), fc.constantFrom('some-id', 'user_1', '1'), async (query, id) => {
        expectWellFormed(await call(`${LIST}/${id}?${query}`), query)
      }),
      { numRuns: 100 },
    )
    prototypeIntact()
  })
})

describe('bad values get messages that say what to fix', () => {
  const list = (q: string) => call(`${LIST}?integrated_account_id=sandbox-claude&${q}`)
  it.each([
    ['limit=-1', /limit.*at least 1/],
    ['limit=0', /limit.*at least 1/],
    ['limit=abc', /limit/],
    ['limit=1.5', /limit.*whole number/],
    ['limit=1e309', /limit/],
    ['limit=99999999999999999999', /limit.*at most 1000/],
    ['limit[]=5&limit[]=6', /limit/],
    ['limit[a]=5', /limit/],
    ['truto_response_format=xml', /truto_response_format/],
    ['truto_ignore_limit=maybe', /truto_ignore_limit/],
    ['next_cursor=garbage', /next_cursor is not valid/],
    [`next_cursor=${'a'.repeat(9000)}`, /next_cursor/],
    ['remote_query=flat', /remote_query/],
    ['a[b][c][d][e][f][g][h]=1', /query string/],
  ])('%s → 400 naming the problem', async (q, message) => {
    const answer = await list(q)
    expect(answer.status, answer.text).toBe(400)
    expectWellFormed(answer, q)
    expect(answer.body.message).toMatch(message)
  })

  it('a missing or malformed integrated_account_id says so, with the insight', async () => {
    for (const q of ['', 'integrated_account_id=', 'integrated_account_id[]=x']) {
      const answer = await call(`${LIST}?${q}`)
      expect(answer.status, `${q}: ${answer.text}`).toBe(400)
      expect(answer.body.message).toMatch(/integrated_account_id/)
    }
  })

  it('too many parameters are refused, not parsed', async () => {
    const many = Array.from({ length: 600 }, (_, i) => `p${i}=1`).join('&')
    const answer = await list(many)
    expect(answer.status).toBe(400)
    expect(answer.body.code).toBe('invalid_query')
  })
})
