/**
 * Record-wise lists (`VendorListSpec.recordWise`): the engine maps only the records a request
 * serves. Every answer must stay byte-identical to mapping the whole vendor answer — records,
 * order, cursors, every response format — which is what these tests compare, on Cursor's team
 * members (one unpaginated answer), with the declaration on and then off.
 */
import { afterAll, describe, expect, it } from 'vitest'
import type { VendorListSpec } from '../../src/engine/connector-types'
import { startReplay, useGateway, withSimulatedAccount } from '../connectors/support/vendor-accounts'
import type { TestGateway } from '../support/gateway'

const FORMATS = ['unified', 'normalized', 'raw', 'debug', 'stream'] as const

function cursorMembersList(g: TestGateway): VendorListSpec {
  const list = g.services.connectors.get('cursor')?.resources['usage-metering/users']?.list
  if (!list) throw new Error('cursor has no users list')
  return list
}

/** The answer as text; the debug view's response `date` header is the clock's, not the gateway's. */
async function answer(g: TestGateway, path: string): Promise<{ status: number; text: string; next: string | null }> {
  const res = await g.api(path)
  const text = await res.text()
  const next = res.headers.get('x-unimeter-next-cursor')
  if (!path.includes('truto_response_format=debug')) return { status: res.status, text, next }
  const body = JSON.parse(text)
  delete body.debug?.responseHeaders?.date
  return { status: res.status, text: JSON.stringify(body), next }
}

/** Every page of `path` (following next_cursor, or the raw format's header), as text. */
async function walkTexts(g: TestGateway, path: string): Promise<string[]> {
  const texts: string[] = []
  let cursor: string | null = null
  do {
    const { status, text, next } = await answer(g, `${path}${cursor ? `&next_cursor=${encodeURIComponent(cursor)}` : ''}`)
    texts.push(`${status} ${text}`)
    cursor = path.includes('truto_response_format=raw')
      ? next
      : path.includes('stream') || status !== 200
        ? null
        : JSON.parse(text).next_cursor
    if (texts.length > 500) throw new Error('walk did not end')
  } while (cursor)
  return texts
}

/** The same walks with the list declared record-wise and without: they must answer the same bytes. */
async function compareWalks(g: TestGateway, paths: string[]): Promise<void> {
  const list = cursorMembersList(g)
  expect(list.recordWise).toBe(true)
  for (const path of paths) {
    const mapped = await walkTexts(g, path)
    list.recordWise = false
    try {
      expect(mapped, path).toEqual(await walkTexts(g, path))
    } finally {
      list.recordWise = true
    }
  }
}

describe('record-wise lists: the same answers as mapping the whole vendor page', () => {
  const gateway = useGateway()

  it('answers every page, format and limit as the whole-page mapping does (simulated team of 120)', async () => {
    await withSimulatedAccount(gateway.g, 'cursor', { users: 120 }, async (account) => {
      const paths: string[] = []
      for (const limit of [7, 100, 119, 120, 1000]) paths.push(`${account.list}&limit=${limit}`)
      for (const format of FORMATS) paths.push(`${account.list}&limit=45&truto_response_format=${format}`)
      paths.push(`${account.list}&limit=30&truto_ignore_limit=true`)
      paths.push(`${account.list}&limit=30&truto_exclude_fields=remote_data,emails`)
      await compareWalks(gateway.g, paths)
      // A get served by the list finds the same member either way.
      const [first] = JSON.parse((await answer(gateway.g, `${account.list}&limit=1`)).text).result
      await compareWalks(gateway.g, [account.get(first.id).replace('?', '?limit=1&')])
    })
  })

  describe('an answer holding members that are not objects', () => {
    const recording = {
      'GET /teams/members': {
        teamMembers: [
          { id: 1, name: 'Ada Lovelace', email: 'ada@example.com', role: 'owner' },
          'not a member',
          null,
          { id: 2, name: 'Grace', email: 'grace@example.com', role: 'member', isRemoved: true },
          [{ id: 9 }],
          { name: 'No Id', email: 'noid@example.com', role: 'member' },
          { id: 4, name: 'Alan Turing', email: 'alan@example.com', role: 'member' },
        ],
      },
      'POST /teams/spend': { teamMemberSpend: [{ userId: 1, email: 'ada@example.com', monthlyLimitDollars: 12 }], totalPages: 1 },
      'POST /teams/daily-usage-data': { data: [{ email: 'alan@example.com', date: 1767225600000, isActive: true }] },
    }
    let close: (() => Promise<void>) | undefined
    afterAll(async () => close?.())

    it('skips them exactly as the mapping does, at every offset', async () => {
      const g = gateway.g
      const replay = await startReplay('', recording)
      close = () => replay.close()
      g.services.env.UNIMETER_CURSOR_BASE_URL = replay.baseUrl
      const created = await g.json('/integrated-account', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ integration: 'cursor', context: { api_key: 'key_replay' } }),
      })
      expect(created.status).toBe(201)
      const list = `/unified/usage-metering/users?integrated_account_id=${created.body.id}`
      const ids = async (path: string) => {
        const texts = await walkTexts(g, path)
        return texts.flatMap((t) => JSON.parse(t.slice(4)).result.map((r: { id: string }) => r.id))
      }
      expect(await ids(`${list}&limit=2`)).toEqual(['1', '2', 'noid@example.com', '4'])
      await compareWalks(
        g,
        [1, 2, 3, 4, 5].map((limit) => `${list}&limit=${limit}`),
      )
    })
  })
})
