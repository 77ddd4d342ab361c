/**
 * The hand-written reference gateway of figure 1 (bench/reference) against the real gateway, on
 * the same simulator and account: every page of a full walk must be the same bytes (the whole
 * envelope but the cursor text), and each one's cursors must walk the same records to the same end.
 */
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectors } from '../../connectors'
import { baseUrlOverrideKey } from '../../src/config/settings'
import type { RunningSimulator } from '../../src/sandbox/simulator-kit/types'
import { startReferenceGateway, type ReferenceGateway } from '../../bench/reference/server'
import { referenceVendors } from '../../bench/reference/vendors'
import { startTestGateway, TEST_TOKEN, type TestGateway } from '../support/gateway'

/** Vendors whose list ends with pending invitations. */
const INVITES = ['claude', 'openai-codex', 'neon']

/** Fields each vendor's side loads fill. */
const SIDE_LOADED: Record<string, string[]> = {
  claude: ['organization', 'last_active_at'],
  cursor: ['spend_limit', 'last_active_at'],
  neon: ['organization'],
}

/** The body with its cursor text replaced by whether there is one: all else must be byte-identical. */
const withoutCursor = (text: string) =>
  text.replace(/"next_cursor":(?:"[^"]*"|null)/, (m) => `"next_cursor":${m.endsWith('null') ? 'null' : '"…"'}`)

async function walk(base: string, path: string): Promise<{ pages: string[]; cursors: string[] }> {
  const pages: string[] = []
  const cursors: string[] = []
  let cursor: string | null = null
  do {
    const res: Response = await fetch(`${base}${path}${cursor ? `&next_cursor=${encodeURIComponent(cursor)}` : ''}`, {
      headers: { authorization: `Bearer ${TEST_TOKEN}` },
    })
    const text = await res.text()
    if (res.status !== 200) throw new Error(`${base}${path}: page ${pages.length + 1} answered ${res.status} ${text.slice(0, 300)}`)
    pages.push(withoutCursor(text))
    cursor = (JSON.parse(text) as { next_cursor: string | null }).next_cursor
    if (cursor) cursors.push(cursor)
    if (pages.length > 200) throw new Error('walk did not end')
  } while (cursor)
  return { pages, cursors }
}

describe.each(Object.keys(referenceVendors))('reference gateway for %s', (connector) => {
  let sim: RunningSimulator
  let gw: TestGateway
  let ref: ReferenceGateway
  let accountId: string

  beforeAll(async () => {
    const start = await connectors.module(connector)!.simulator!()
    sim = await start({ users: 250, seed: 7 })
    gw = await startTestGateway({
      sandbox: false,
      env: { UNIMETER_ALLOW_PRIVATE_URLS: 'true', [baseUrlOverrideKey(connector)]: sim.baseUrl },
    })
    const { status, body } = await gw.json('/integrated-account', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ integration: connector, context: { ...sim.context, ...sim.credentials } }),
    })
    expect(status).toBe(201)
    accountId = body.id
    ref = await startReferenceGateway({
      connector,
      baseUrl: sim.baseUrl,
      credentials: sim.credentials,
      context: sim.context,
      accountId,
      token: TEST_TOKEN,
      cursorKey: randomBytes(32),
    })
  })

  afterAll(async () => {
    await ref?.close()
    await gw?.close()
    await sim?.close()
  })

  it.each([100, 37, 1000])('walks the same pages, byte for byte, with limit %i', async (limit) => {
    const path = `/unified/usage-metering/users?integrated_account_id=${accountId}&limit=${limit}`
    const [ours, theirs] = await Promise.all([walk(gw.url, path), walk(ref.url, path)])
    expect(ours.pages.length).toBeGreaterThan(limit < 250 ? 1 : 0)
    expect(theirs.pages.length).toBe(ours.pages.length)
    ours.pages.forEach((page, i) => {
      const at = [...page].findIndex((ch, j) => ch !== theirs.pages[i][j])
      const where = (text: string) => text.slice(Math.max(0, at - 150), at + 150)
      // On a difference, the page and the bytes around it (a whole page would bury it).
      expect({ page: i + 1, bytes: where(theirs.pages[i]) }).toEqual({ page: i + 1, bytes: where(page) })
      expect(theirs.pages[i]).toBe(page)
    })
    // Something to compare: every record, the invites walked after the members, and the fields
    // the side loads fill set on some of them.
    const records = ours.pages.flatMap((p) => (JSON.parse(p) as { result: Array<Record<string, unknown>> }).result)
    expect(records.length).toBeGreaterThanOrEqual(250)
    if (INVITES.includes(connector)) expect(records.some((r) => r.status === 'invited')).toBe(true)
    for (const field of SIDE_LOADED[connector] ?? [])
      expect(
        records.some((r) => r[field] !== null),
        field,
      ).toBe(true)
  })

  it('refuses a cursor it did not sign', async () => {
    const path = `/unified/usage-metering/users?integrated_account_id=${accountId}&limit=10`
    const { cursors } = await walk(ref.url, `${path.replace('limit=10', 'limit=200')}`)
    const forged = `${cursors[0].split('.')[0]}.${'A'.repeat(43)}`
    const res = await fetch(`${ref.url}${path}&next_cursor=${forged}`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } })
    expect(res.status).toBe(400)
  })
})
