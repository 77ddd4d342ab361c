/**
 * GET /integrations against a real gateway: every registered connector with its fields and
 * methods; the support matrix agrees with what the sandbox accounts actually return and with the
 * README's copy.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectors } from '../../connectors'
import { resourceFields } from '../../src/integrations/catalog'
import { extractSupportMatrix, renderSupportMatrix } from '../../src/integrations/matrix-markdown'
import { models } from '../../src/models'
import { startTestGateway, walkAll, type TestGateway } from '../support/gateway'

let g: TestGateway
let integrations: any[]

beforeAll(async () => {
  g = await startTestGateway()
  const { status, body } = await g.json('/integrations')
  expect(status).toBe(200)
  integrations = body.result
})
afterAll(async () => {
  await g?.close()
})

const byId = (id: string) => integrations.find((i) => i.id === id)

describe('GET /integrations', () => {
  it('needs an API token', async () => {
    const res = await fetch(`${g.url}/integrations`)
    expect(res.status).toBe(401)
    expect(await res.json()).toMatchObject({ statusCode: 401, code: 'unauthorized' })
  })

  it('lists every registered connector once', () => {
    expect(integrations.map((i) => i.id)).toEqual(connectors.ids())
    for (const i of integrations) expect(i.label).toBe(connectors.get(i.id)!.label)
  })

  it('describes credential and context fields, and which are secret', () => {
    expect(byId('cursor').credentials).toEqual([
      expect.objectContaining({ name: 'api_key', label: 'Admin API key', secret: true, required: true, pattern: '^(key_|crsr_)' }),
    ])
    expect(byId('cursor').context_fields).toEqual([])
    expect(byId('neon').context_fields).toEqual([
      expect.objectContaining({ name: 'org_id', label: 'Organization ID', secret: false, required: true }),
    ])
  })

  it('lists resources and methods, and the fields each method fills', () => {
    expect(byId('cursor').resources).toEqual([
      expect.objectContaining({ model: 'usage-metering', resource: 'users', methods: ['list', 'get'] }),
      expect.objectContaining({ model: 'usage-metering', resource: 'usage', methods: ['list'] }),
    ])
    expect(byId('cursor').resources[1].fields.list).toEqual(expect.arrayContaining(['usage', 'user', 'start_date', 'end_date']))
    const claude = byId('claude').resources[0].fields
    expect(claude.list).toContain('last_active_at')
    expect(claude.list).not.toContain('updated_at') // mapped to the literal null
    expect(claude.list).not.toContain('spend_limit') // not mapped at all
    expect(byId('cursor').resources[0].fields.get).toContain('spend_limit')
    expect(byId('neon').resources[0].fields.list).toContain('organization')
    // A list's other reports count: OpenAI Codex charges come from its cost report alone.
    const openaiUsage = byId('openai-codex').resources.find((r: { resource: string }) => r.resource === 'usage')
    expect(openaiUsage.fields.list).toEqual(expect.arrayContaining(['user', 'model', 'usage', 'charges', 'resources']))
    expect(openaiUsage.fields.list).not.toContain('organization')
  })

  it('is documented in the OpenAPI document', async () => {
    const { body } = await g.json('/openapi.json')
    expect(body.paths['/integrations'].get.responses['200']).toBeDefined()
    expect(body.components.schemas.Integration.properties).toHaveProperty('context_fields')
    expect(body.components.schemas.IntegrationResource.properties).toHaveProperty('field_sources')
  })

  it('says where each field comes from, in schema order, for connectors that document it (null for the others)', () => {
    const schemaKeys = resourceFields(models)['usage-metering/users']
    for (const i of integrations) {
      const sources = i.resources[0].field_sources
      const declared = connectors.get(i.id)!.resources['usage-metering/users'].fieldSources
      if (!declared) {
        expect(sources).toBeNull()
        continue
      }
      // Only unified fields, in schema order, each one sentence of text.
      expect(Object.keys(sources)).toEqual(schemaKeys.filter((k) => k in declared))
      for (const text of Object.values(sources)) expect(text).toMatch(/\S/)
    }
    // Claude and OpenAI document every field, including the ones they leave null and why.
    for (const id of ['claude', 'openai-codex']) expect(Object.keys(byId(id).resources[0].field_sources)).toEqual(schemaKeys)
    expect(byId('openai-codex').resources[0].field_sources.last_active_at).toContain('Always null')
  })
})

describe('the support matrix is honest', () => {
  // Keys beyond the unified schema (vendor extensions) are not part of the matrix.
  const schemaKeys = new Set(resourceFields(models)['usage-metering/users'])
  const filled = (records: any[]) => {
    const seen = new Set<string>()
    for (const r of records) for (const [k, v] of Object.entries(r)) if (v !== null && v !== undefined && schemaKeys.has(k)) seen.add(k)
    return [...seen]
  }

  it.each(connectors.ids())('%s: the list fields are exactly the ones the sandbox account fills', async (id) => {
    const { records } = await walkAll(g, `/unified/usage-metering/users?integrated_account_id=sandbox-${id}&limit=1000`)
    expect(records.length).toBeGreaterThan(0)
    const claimed = byId(id).resources.find((r: any) => r.resource === 'users').fields.list
    expect(filled(records).sort()).toEqual([...claimed].sort())
  })

  it('README.md carries the same matrix as GET /integrations (regenerate with npm run docs:matrix)', () => {
    const readme = readFileSync(resolve(__dirname, '../../README.md'), 'utf8')
    expect(extractSupportMatrix(readme)).toBe(renderSupportMatrix(integrations, resourceFields(models)))
  })
})
