/**
 * Contract cases: unified list and get of one resource for every vendor that serves it, in every
 * response format, with cursor walks. What is asserted holds for any vendor and any resource
 * (its path, schema and methods come from the resource); vendor-specific mapping details are
 * tested on Node next to each connector.
 */
import { describe, expect, it } from 'vitest'
import { connectorModules } from '../../connectors'
import { resourceKey, type UnifiedResource } from '../../src/models/model-registry'
import type { ContractContext } from './suite'

const withSimulator = connectorModules.filter((m) => m.simulator).map((m) => m.definition)

export function unifiedCases({ client, vendor, accountId }: ContractContext, resource: UnifiedResource): void {
  const key = resourceKey(resource)
  const base = `/unified/${key}`
  const schemaKeys = Object.keys(resource.schema.shape)
  const vendorIds = withSimulator.filter((c) => c.resources[key]?.list).map((c) => c.id)
  const withGet = new Set(withSimulator.filter((c) => resource.methods.includes('get') && c.resources[key]?.get).map((c) => c.id))
  describe.each(vendorIds)(`unified ${resource.resource} of %s`, (id) => {
    const list = () => `${base}?integrated_account_id=${accountId(id)}`
    // Debug shows the vendor URL called, redacted whole when the URL is itself a credential (Limitr's presigned snapshot URL).
    const calledVendor = (requestUrl: string) => requestUrl.startsWith(vendor(id).sim.baseUrl) || requestUrl === '[REDACTED]'

    it('walks every user exactly once with a small page size, and the stream has the same users', async () => {
      const { records, pages } = await client.walk(`${list()}&limit=4`)
      const ids = records.map((r) => r.id)
      expect(new Set(ids).size).toBe(ids.length)
      expect(pages).toBe(Math.max(1, Math.ceil(ids.length / 4)))
      expect(ids.length).toBeGreaterThan(4)

      const stream = await client.fetch(`${list()}&limit=5&truto_response_format=stream`)
      expect(stream.status).toBe(200)
      expect(stream.headers.get('content-type')).toMatch(/^application\/x-ndjson/)
      const lines = (await stream.text())
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { id: string })
      expect(lines.map((l) => l.id)).toEqual(ids)
    })

    it('unified: the list envelope, records carrying remote_data', async () => {
      const page = await client.json(`${list()}&limit=3`)
      expect(page.status).toBe(200)
      expect(page.body).toMatchObject({ next_cursor: expect.any(String), prev_cursor: null, result_count: 3 })
      expect(page.body.result).toHaveLength(3)
      for (const user of page.body.result) {
        expect(user.id).toEqual(expect.any(String))
        expect(user.remote_data).toEqual(expect.any(Object))
      }
    })

    it('normalized: exactly the schema keys on every record', async () => {
      const page = await client.json(`${list()}&limit=3&truto_response_format=normalized`)
      expect(page.status).toBe(200)
      const keys = [...schemaKeys].sort()
      for (const user of page.body.result) expect(Object.keys(user).sort()).toEqual(keys)
    })

    it('raw: the vendor body itself, the next cursor in a header when the vendor pages', async () => {
      const unified = await client.json(`${list()}&limit=2`)
      const raw = await client.json(`${list()}&limit=2&truto_response_format=raw`)
      expect(raw.status).toBe(200)
      expect(raw.body.result_count).toBeUndefined()
      expect(raw.text).toContain(String(unified.body.result[0].id))
      // Raw answers one whole vendor page: a vendor without pagination has no next one.
      const paged = vendor(id).connector.resources[key]?.list?.pagination.type !== 'none'
      expect(raw.headers.get('x-unimeter-next-cursor')).toEqual(paged ? expect.any(String) : null)
    })

    it('debug: the unified body beside the vendor exchange, no credential in it', async () => {
      const debug = await client.json(`${list()}&limit=2&truto_response_format=debug`)
      expect(debug.status).toBe(200)
      expect(debug.body.result.result).toHaveLength(2)
      expect(debug.body.debug).toMatchObject({ nextCursor: debug.body.result.next_cursor, resultCount: 2, isLooping: false })
      expect(calledVendor(debug.body.debug.requestUrl)).toBe(true)
      for (const secret of Object.values(vendor(id).sim.credentials)) expect(debug.text).not.toContain(secret)
    })

    it.skipIf(!withGet.has(id))('get: the bare record in every format', async () => {
      const first = (await client.json(`${list()}&limit=1`)).body.result[0]
      const path = `${base}/${encodeURIComponent(first.id)}?integrated_account_id=${accountId(id)}`
      const unified = await client.json(path)
      expect(unified.status).toBe(200)
      expect(unified.body).toMatchObject({ id: first.id, ...('name' in resource.schema.shape ? { name: first.name } : {}) })
      const normalized = await client.json(`${path}&truto_response_format=normalized&truto_ignore_remote_data=true`)
      expect(Object.keys(normalized.body).sort()).toEqual(schemaKeys.filter((k) => k !== 'remote_data').sort())
      const raw = await client.json(`${path}&truto_response_format=raw`)
      expect(raw.status).toBe(200)
      expect(raw.body.result_count).toBeUndefined()
      const debug = await client.json(`${path}&truto_response_format=debug`)
      expect(debug.body.result.id).toBe(first.id)
      expect(calledVendor(debug.body.debug.requestUrl)).toBe(true)
      const stream = await client.fetch(`${path}&truto_response_format=stream`)
      expect(JSON.parse((await stream.text()).trim()).id).toBe(first.id)
    })
  })
}
