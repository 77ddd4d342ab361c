/**
 * Vendors that bend pagination: an empty page that says there is more, a cursor repeated
 * forever, a page far larger than asked for. For every connector the invariant is the same: a
 * walk ends, serves no record twice, and a result missing records is flagged
 * `is_partial_response` — never presented as complete.
 *
 * Gap, by design of the vendor: an unpaginated list (Cursor's members, Limitr's snapshot) has no
 * next page to bend, so its simulator never applies these faults there; for those connectors
 * the tests assert the walk is simply unaffected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestGateway } from '../support/gateway'
import { connectorCases, liveConnector, type LiveConnector } from './support/connectors-under-test'
import { ask, expectEnvelope, startFaultGateway, walk, type Walk } from './support/fault-gateway'

let g: TestGateway
beforeAll(async () => {
  g = await startFaultGateway()
})
afterAll(async () => {
  await g?.close()
})

const PAGE = 'limit=5'

function expectNoDuplicates(ids: string[]): void {
  expect(new Set(ids).size, `duplicates in ${ids.join(',')}`).toBe(ids.length)
}

/** Complete and flagged as such, or flagged partial with a subset: never incomplete-but-unflagged. */
function expectHonest(result: Walk, clean: string[]): void {
  expectNoDuplicates(result.ids)
  if (result.partial) expect(clean).toEqual(expect.arrayContaining(result.ids))
  else expect(result.ids).toEqual(clean)
}

describe.each(connectorCases)('$id: pagination faults', (c) => {
  let live: LiveConnector
  let clean: string[]
  const paginated = c.spec.pagination.type !== 'none'

  beforeAll(async () => {
    live = liveConnector(g, c)
    live.reset()
    const baseline = await walk(g, live.listUrl(PAGE))
    expect(baseline.partial).toBe(false)
    clean = baseline.ids
    expectNoDuplicates(clean)
    expect(clean.length).toBeGreaterThan(5)
  })

  it('an empty page that says there is more: the walk continues or says it is partial', async () => {
    live.reset()
    live.sim.faults.add({ fault: { kind: 'empty-has-more' }, times: 1, skip: 1, path: live.vendorPath })
    expectHonest(await walk(g, live.listUrl(PAGE)), clean)
  })

  it('an empty first page that says there is more', async () => {
    live.reset()
    live.sim.faults.add({ fault: { kind: 'empty-has-more' }, times: 1, path: live.vendorPath })
    expectHonest(await walk(g, live.listUrl(PAGE)), clean)
  })

  it('a cursor repeated forever: the walk ends, flagged partial, with bounded vendor calls', async () => {
    live.reset()
    live.sim.faults.add({ fault: { kind: 'repeat-cursor' }, times: -1, skip: 1, path: live.vendorPath })
    const result = await walk(g, live.listUrl(PAGE))
    expectHonest(result, clean)
    // Only the first vendor page is real, so the list cannot be whole: it must say so.
    if (paginated) expect(result.partial).toBe(true)
    expect(live.attempts()).toBeLessThanOrEqual(result.pages * g.settings.UNIMETER_MAX_VENDOR_PAGES_PER_REQUEST)
  })

  it('a repeating vendor shows isLooping in the debug output', async () => {
    live.reset()
    live.sim.faults.add({ fault: { kind: 'repeat-cursor' }, times: -1, skip: 1, path: live.vendorPath })
    const first = await ask(g, live.listUrl(PAGE))
    expect(first.status).toBe(200)
    // The cursor fixes the vendor page size at 5, so a larger gateway page needs several vendor
    // pages, and from here on every one of them repeats.
    const cursor = first.body.next_cursor ? `&next_cursor=${encodeURIComponent(first.body.next_cursor)}` : ''
    const answer = await ask(g, live.listUrl(`limit=${clean.length}&truto_response_format=debug${cursor}`))
    expect(answer.status, JSON.stringify(answer.body)).toBe(200)
    if (paginated) {
      expect(answer.body.result.is_partial_response).toBe(true)
      expect(answer.body.debug.isLooping).toBe(true)
    } else {
      expect(answer.body.debug.isLooping).toBe(false)
    }
  })

  it('pages far larger than asked for: exactly `limit` per page, every record once', async () => {
    live.reset()
    live.sim.faults.add({ fault: { kind: 'oversized-page', factor: 10 }, times: -1, path: live.vendorPath })
    let cursor: string | null = null
    const seen: string[] = []
    do {
      const answer = await ask(g, live.listUrl(`${PAGE}${cursor ? `&next_cursor=${encodeURIComponent(cursor)}` : ''}`))
      expect(answer.status, JSON.stringify(answer.body)).toBe(200)
      expect(answer.body.result.length).toBeLessThanOrEqual(5)
      expect(answer.body.result_count).toBe(answer.body.result.length)
      seen.push(...answer.body.result.map((r: { id: unknown }) => String(r.id)))
      cursor = answer.body.next_cursor
    } while (cursor && seen.length <= clean.length)
    expect(seen).toEqual(clean)
  })
})

describe('a vendor page beyond the response size cap', () => {
  let small: TestGateway
  beforeAll(async () => {
    // Enough users that a page five thousand times too big is far over a 16 KB cap. The vendor
    // timeout is raised: building that page is slow on a loaded machine, and a timeout (504,
    // retried) is not what this case is about.
    small = await startFaultGateway(
      { UNIMETER_MAX_RESPONSE_BYTES: String(16 * 1024), UNIMETER_VENDOR_TIMEOUT_MS: '8000', UNIMETER_REQUEST_DEADLINE_MS: '15000' },
      3000,
    )
  })
  afterAll(async () => {
    await small?.close()
  })

  // Only a paginated list can be made to overflow by asking for a page: the rest are skipped.
  it.each(connectorCases.filter((c) => c.spec.pagination.type !== 'none'))('$id: 502 remote_response_too_large, not a crash', async (c) => {
    const live = liveConnector(small, c)
    live.reset()
    expect((await ask(small, live.listUrl('limit=2'))).status).toBe(200)
    live.reset()
    live.sim.faults.add({ fault: { kind: 'oversized-page', factor: 5000 }, times: -1, path: live.vendorPath })
    const answer = await ask(small, live.listUrl('limit=2'))
    expectEnvelope(answer, 502, { code: 'remote_response_too_large', truto_is_remote_error: true })
    // Too large is not retried: the next attempt would be just as large.
    expect(live.attempts()).toBe(1)
  })
})
