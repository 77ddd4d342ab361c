/**
 * Neon consumption from its documented examples (test/fixtures/neon): the legacy endpoint, the v2
 * example's flat metrics and the v2 schema's nested `metrics`, each mapped to exact unified usage
 * records (one per project, bucket and metric, never a person); every example valid against the
 * wire schema.
 */
import { describe, expect, it } from 'vitest'
import { consumptionHistory } from '../../connectors/neon/wire-schemas'
import { stableId } from '../../src/engine/mapping/stable-id'
import LEGACY from '../fixtures/neon/consumption-history-projects'
import V2 from '../fixtures/neon/consumption-history-v2-projects'
import V2_METRICS from '../fixtures/neon/consumption-history-v2-projects.metrics'
import { evaluatorOf, mapUsage } from './support/usage-mapping'
import { describeDocExamples } from './support/wire-examples'

const FILE = 'neon/consumption.jsonata'
const ORG = { org_id: 'org-morning-bread-81040908' }
const noGroups = { tokens: null, requests: null, sessions: null, code: null, activity: null }

describeDocExamples('neon consumption', [
  ['consumption-history-projects', consumptionHistory, LEGACY],
  ['consumption-history-v2-projects', consumptionHistory, V2],
  ['consumption-history-v2-projects.metrics', consumptionHistory, V2_METRICS],
])

describe('neon consumption mapping', () => {
  it('runs compiled', async () => {
    expect(await evaluatorOf(FILE)).toBe('closures')
  })

  it('maps the v2 nested form: one record per metric, the project as resource, no user or cost', async () => {
    const bucket = V2_METRICS.projects[0].periods[0].consumption[0]
    const record = (metric: string, value: number, product: object, unit: string) => ({
      id: stableId('neon', { project: 'misty-stream-987654', start: bucket.timeframe_start, end: bucket.timeframe_end, metric }),
      product,
      metric_name: metric,
      resources: [{ id: 'misty-stream-987654', name: null, workspace: null }],
      organization: { id: ORG.org_id, name: null },
      user: null,
      model: null,
      surface: null,
      charges: null,
      usage: { quantity: value, unit, ...noGroups },
      start_date: '2026-03-02T00:00:00.000Z',
      end_date: '2026-03-03T00:00:00.000Z',
      created_at: null,
      updated_at: null,
      remote_data: { project_id: 'misty-stream-987654', period_plan: 'launch', bucket },
    })
    expect(await mapUsage(FILE, V2_METRICS, ORG)).toEqual([
      record('compute_unit_seconds', 14400, { id: 'compute', name: 'Compute' }, 'second'),
      record('root_branch_bytes_month', 2147483648, { id: 'storage', name: 'Storage' }, 'byte_month'),
      record('public_network_transfer_bytes', 52428800, { id: 'data_transfer', name: 'Data transfer' }, 'byte'),
    ])
  })

  it('maps flat metric fields (v2 docs example): every numeric field of each bucket', async () => {
    const records = (await mapUsage(FILE, V2, ORG)) as any[]
    expect(records).toHaveLength(8)
    expect(records.slice(0, 4).map((r) => [r.metric_name, r.usage.quantity, r.usage.unit, r.product?.id])).toEqual([
      ['active_time_seconds', 86400, 'second', 'compute'],
      ['compute_time_seconds', 21600, 'second', 'compute'],
      ['written_data_bytes', 4194304, 'byte', 'storage'],
      ['synthetic_storage_size_bytes', 1782579200, 'byte', 'storage'],
    ])
    expect(records[4].start_date).toBe('2025-01-16T10:30:00.000Z')
    expect(new Set(records.map((r) => r.id)).size).toBe(8)
  })

  it('maps the legacy example (three projects) and leaves organization null without an org_id', async () => {
    const records = (await mapUsage(FILE, LEGACY)) as any[]
    expect(records).toHaveLength(12)
    expect(records.map((r) => r.resources[0].id)).toEqual([
      ...Array(4).fill('quiet-river-000270'),
      ...Array(4).fill('quiet-river-000271'),
      ...Array(4).fill('quiet-river-000272'),
    ])
    expect(records[0]).toMatchObject({ organization: null, user: null, metric_name: 'active_time_seconds', usage: { quantity: 72 } })
  })

  it('gives the same ids to a restated bucket (new values, same project, times and metric)', async () => {
    const restated = structuredClone(V2_METRICS)
    restated.projects[0].periods[0].consumption[0].metrics[0].value = 20000
    const before = (await mapUsage(FILE, V2_METRICS, ORG)) as any[]
    const after = (await mapUsage(FILE, restated, ORG)) as any[]
    expect(after.map((r) => r.id)).toEqual(before.map((r) => r.id))
    expect(after[0].usage.quantity).toBe(20000)
  })
})
