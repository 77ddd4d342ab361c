/**
 * Records that live at URLs a response hands out (signed download links on another host): the
 * engine follows every link in order, reads JSON lines or a JSON array, puts the records where
 * the list reads them, never sends the vendor's headers or credentials to the link's host,
 * applies the URL policy to each link, and reports an unreadable file or answer as a 502.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadSettings } from '../../src/config/settings'
import type { ConnectorDefinition, LinkedRecordsSpec } from '../../src/engine/connector-types'
import { createUndiciTransport } from '../../src/engine/http/undici-transport'
import { withLinkedRecords } from '../../src/engine/linked-records'
import { MappingEngine } from '../../src/engine/mapping/mapping-engine'
import { mappingSourceFromRecord } from '../../src/engine/mapping/mapping-source'
import type { VendorSession } from '../../src/engine/vendor-session'
import { ApiError } from '../../src/lib/http-errors'
import { createLogger } from '../../src/lib/logger'
import { Redactor } from '../../src/lib/redactor'

const FILES: Record<string, string> = {
  '/a.ndjson': '{"n":1}\n{"n":2}\n\n',
  '/b.json': '[{"n":3}]',
  '/bad.ndjson': '{"n":1}\nnot json\n',
  '/gone': '',
}

let server: Server
let origin: string
const seen: Array<{ path: string; headers: IncomingHttpHeaders }> = []
const transport = createUndiciTransport()

const connector: ConnectorDefinition = {
  id: 'demo',
  label: 'Demo',
  baseUrl: 'https://api.demo.test',
  credentials: [],
  auth: { type: 'bearer', credential: 'api_key' },
  headers: { 'x-demo-version': '1' },
  errors: { messagePaths: ['message'] },
  resources: {},
}

function session(allowPrivate: boolean): VendorSession {
  return {
    deps: {
      settings: loadSettings({ UNIMETER_ALLOW_PRIVATE_URLS: String(allowPrivate), UNIMETER_RETRY_MAX: '0' }),
      transport,
      mappings: new MappingEngine(mappingSourceFromRecord({})),
      logger: createLogger('error'),
      redactor: new Redactor(),
    },
    connector,
    baseUrl: connector.baseUrl,
    credentials: { api_key: 'secret-key' },
    context: {},
    secrets: ['secret-key'],
    deadline: Date.now() + 10_000,
  }
}

const spec: LinkedRecordsSpec = { urlsPath: 'download_links', urlPolicy: 'public-https' }

async function refusal(promise: Promise<unknown>): Promise<ApiError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(ApiError)
  return err as ApiError
}

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', headers: req.headers })
    const body = FILES[req.url ?? '']
    if (body === undefined) {
      res.writeHead(403, { 'content-type': 'application/json' }).end('{"message":"link expired"}')
      return
    }
    res.writeHead(200, { 'content-type': 'application/x-ndjson' }).end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  await transport.close()
})

describe('records at download links', () => {
  it('reads every link in order (JSON lines or an array) into the records path', async () => {
    seen.length = 0
    const body = { download_links: [`${origin}/a.ndjson`, `${origin}/b.json`], report_day: '2026-11-02' }
    const out = await withLinkedRecords(session(true), spec, body, 'report.records')
    expect(out).toEqual({ ...body, report: { records: [{ n: 1 }, { n: 2 }, { n: 3 }] } })
    expect(seen.map((s) => s.path)).toEqual(['/a.ndjson', '/b.json'])
  })

  it("never sends the vendor's credentials or headers to the link's host", async () => {
    seen.length = 0
    await withLinkedRecords(session(true), spec, { download_links: `${origin}/a.ndjson` }, 'records')
    expect(seen).toHaveLength(1)
    expect(seen[0].headers.authorization).toBeUndefined()
    expect(seen[0].headers['x-demo-version']).toBeUndefined()
    expect(JSON.stringify(seen[0].headers)).not.toContain('secret-key')
  })

  it('has no records when the response gives no links', async () => {
    expect(await withLinkedRecords(session(true), spec, { download_links: [] }, 'records')).toEqual({ download_links: [], records: [] })
    expect(await withLinkedRecords(session(true), spec, {}, 'records')).toEqual({ records: [] })
  })

  it('applies the URL policy to each link: a private address is refused before any request', async () => {
    seen.length = 0
    const err = await refusal(withLinkedRecords(session(false), spec, { download_links: [`${origin}/a.ndjson`] }, 'records'))
    expect(err.status).toBe(400)
    expect(err.code).toBe('url_not_allowed')
    expect(err.message).toContain('A download link of Demo')
    expect(seen).toHaveLength(0)
  })

  it('reports a bad line, a link that is no URL, too many links, and a refused link', async () => {
    const bad = await refusal(withLinkedRecords(session(true), spec, { download_links: [`${origin}/bad.ndjson`] }, 'records'))
    expect([bad.status, bad.code, bad.message]).toEqual([
      502,
      'invalid_remote_response',
      'Demo sent a response unimeter could not read: line 2 of the JSON-lines body is not valid JSON',
    ])
    expect((await refusal(withLinkedRecords(session(true), spec, { download_links: [42] }, 'records'))).status).toBe(502)
    const many = { download_links: Array.from({ length: 3 }, () => `${origin}/a.ndjson`) }
    expect((await refusal(withLinkedRecords(session(true), { ...spec, maxLinks: 2 }, many, 'records'))).status).toBe(502)
    const expired = await refusal(withLinkedRecords(session(true), spec, { download_links: [`${origin}/expired`] }, 'records'))
    expect([expired.status, expired.message]).toEqual([403, 'link expired'])
  })

  it('reads an empty file as no records', async () => {
    expect(await withLinkedRecords(session(true), spec, { download_links: [`${origin}/gone`] }, 'records')).toMatchObject({ records: [] })
  })
})
