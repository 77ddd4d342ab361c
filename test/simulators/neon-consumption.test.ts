/**
 * The Neon simulator's consumption history (legacy and v2): documented shapes, paging by
 * project cursor, granularities that agree, span limits (406), the plan refusals (403), and the
 * running bucket that grows until it closes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator } from '../../connectors/neon/simulator'
import { consumptionHistory } from '../../connectors/neon/wire-schemas'
import type { RunningSimulator } from '../../src/sandbox/simulator-kit'
import { expectWireValid } from '../connectors/support/wire-examples'

const DAY = 86_400_000
const iso = (ms: number) => new Date(ms).toISOString()
const today = Math.floor(Date.now() / DAY) * DAY

async function get(sim: RunningSimulator, path: string): Promise<{ status: number; body: any }> {
  const res = await fetch(sim.baseUrl + path, { headers: { authorization: `Bearer ${sim.credentials.api_key}` } })
  return { status: res.status, body: await res.json() }
}

describe('Neon simulator: consumption history', () => {
  let sim: RunningSimulator
  let org: string
  beforeAll(async () => {
    sim = await startSimulator({ seed: 3, users: 40 })
    org = sim.context.org_id
  })
  afterAll(() => sim.close())

  const range = `from=${iso(today - 10 * DAY)}&to=${iso(today - 3 * DAY)}`

  it('pages the projects by cursor, newest first, every page in the documented shape', async () => {
    const ids: string[] = []
    let cursor = ''
    for (;;) {
      const { status, body } = await get(
        sim,
        `/consumption_history/projects?${range}&granularity=daily&limit=3${cursor && `&cursor=${cursor}`}`,
      )
      expect(status).toBe(200)
      expectWireValid(consumptionHistory, body, `after ${cursor}`)
      ids.push(...body.projects.map((p: any) => p.project_id))
      if (body.projects.length < 3) break
      cursor = body.pagination.cursor
    }
    expect(ids).toHaveLength(8)
    expect(new Set(ids).size).toBe(8)
  })

  it('answers v2 with nested metrics, and days that are the sums of their hours', async () => {
    const day = today - 2 * DAY
    const q = `org_id=${org}&metrics=compute_unit_seconds,public_network_transfer_bytes&limit=1`
    const daily = await get(sim, `/consumption_history/v2/projects?${q}&granularity=daily&from=${iso(day)}&to=${iso(day + DAY)}`)
    const hourly = await get(sim, `/consumption_history/v2/projects?${q}&granularity=hourly&from=${iso(day)}&to=${iso(day + DAY)}`)
    expectWireValid(consumptionHistory, daily.body, 'daily')
    const [bucket] = daily.body.projects[0].periods[0].consumption
    expect(bucket.metrics.map((m: any) => m.metric_name)).toEqual(['compute_unit_seconds', 'public_network_transfer_bytes'])
    const hours = hourly.body.projects[0].periods[0].consumption
    expect(hours).toHaveLength(24)
    const sum = hours.reduce((s: number, h: any) => s + h.metrics[0].value, 0)
    expect(bucket.metrics[0].value).toBe(sum)
  })

  it('refuses ranges beyond what a granularity reaches (406) and bad parameters (400)', async () => {
    const old = await get(sim, `/consumption_history/projects?from=${iso(today - 61 * DAY)}&to=${iso(today)}&granularity=daily`)
    expect(old.status).toBe(406)
    expect(old.body.message).toBe('daily consumption metrics are limited to the last 60 days')
    expect((await get(sim, `/consumption_history/projects?from=${iso(today - 8 * DAY)}&to=${iso(today)}&granularity=hourly`)).status).toBe(
      406,
    )
    expect((await get(sim, `/consumption_history/projects?${range}&granularity=weekly`)).status).toBe(400)
    expect((await get(sim, `/consumption_history/v2/projects?${range}&granularity=daily&org_id=${org}`)).body.message).toBe(
      'metrics is required',
    )
    expect((await get(sim, `/consumption_history/v2/projects?${range}&granularity=daily&metrics=compute_unit_seconds`)).status).toBe(400)
  })

  it('refuses plans without consumption history with the documented 403', async () => {
    const launch = await startSimulator({ variant: { plan: 'launch' } })
    const free = await startSimulator({ variant: { plan: 'free' } })
    try {
      const legacy = await get(launch, `/consumption_history/projects?${range}&granularity=daily`)
      expect(legacy.status).toBe(403)
      expect(legacy.body.message).toMatch(/only supported with Scale, Business, and Enterprise plan/)
      expect(
        (
          await get(
            launch,
            `/consumption_history/v2/projects?${range}&granularity=daily&org_id=${launch.context.org_id}&metrics=compute_unit_seconds`,
          )
        ).status,
      ).toBe(200)
      const v2 = await get(
        free,
        `/consumption_history/v2/projects?${range}&granularity=daily&org_id=${free.context.org_id}&metrics=compute_unit_seconds`,
      )
      expect(v2.status).toBe(403)
      expect(v2.body.message).toMatch(/requires a Launch, Scale, Agent, Business, or Enterprise plan/)
    } finally {
      await Promise.all([launch.close(), free.close()])
    }
  })

  it('writes v2 metrics flat in the docs-example variant', async () => {
    const flat = await startSimulator({ seed: 3, users: 40, variant: { consumption: 'flat' } })
    try {
      const { body } = await get(
        flat,
        `/consumption_history/v2/projects?${range}&granularity=daily&org_id=${flat.context.org_id}&metrics=compute_unit_seconds&limit=1`,
      )
      expectWireValid(consumptionHistory, body, 'flat')
      const [bucket] = body.projects[0].periods[0].consumption
      expect(bucket.metrics).toBeUndefined()
      expect(typeof bucket.compute_unit_seconds).toBe('number')
    } finally {
      await flat.close()
    }
  })

  it("holds today's bucket open: it covers the completed hours only", async () => {
    const { body } = await get(sim, `/consumption_history/projects?from=${iso(today)}&to=${iso(today + DAY)}&granularity=hourly&limit=1`)
    const hours = body.projects[0].periods[0].consumption
    expect(hours.length).toBe(Math.floor((Date.now() - today) / 3_600_000))
  })
})
