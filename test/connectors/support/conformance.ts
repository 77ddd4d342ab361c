/**
 * The checks every connector must pass, as vitest suites parameterized by a small description of
 * the connector: cursor walks over odd sizes, every response format for list and get, each vendor
 * error status in the contract's envelope, and verification of a rejected key.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { usageMeteringUserSchema } from '../../../src/models/usage-metering/users'
import type { RunningSimulator } from '../../../src/sandbox/simulator-kit/types'
import { walkAll } from '../../support/gateway'
import { createAccount, routeVendor, startVendorSimulator, useGateway, USERS_PATH, withSimulatedAccount } from './vendor-accounts'

export interface ConnectorSuite {
  connector: string
  /** The vendor path of the list request (fault injection target). */
  listPath: string
  /** The gateway `limit` the size walks use. */
  pageLimit: number
  /** Larger walks, e.g. a limit above the vendor's page maximum so gateway pages fill from several vendor pages. */
  extraWalks?: Array<{ users: number; limit: number; variant?: Record<string, string> }>
  /** Every unified id the vendor holds, read straight from the simulator: what a walk must return. */
  vendorIds(sim: RunningSimulator): Promise<string[]>
  /** The records inside a raw vendor list body, and the unified id of one. */
  rawRecords(body: any): any[]
  rawId(record: any): string
  /** Vendor error statuses to check, and where the vendor puts its message. */
  errorStatuses: number[]
  vendorMessage(rawResponse: any): string
}

const SCHEMA_KEYS = Object.keys(usageMeteringUserSchema.shape)

/** `normalized` records: exactly the schema's keys (no extension fields), each valid against it. */
export function expectNormalizedUsers(records: any[]): void {
  expect(records.length).toBeGreaterThan(0)
  for (const r of records) {
    expect(Object.keys(r).sort()).toEqual([...SCHEMA_KEYS].sort())
    expect(usageMeteringUserSchema.safeParse(r).success).toBe(true)
  }
}

/** Gateway settings for these suites: one quick retry, and vendor waits above 0.5 s go to the caller. */
const ENV = { UNIMETER_RETRY_MAX: '1', UNIMETER_RETRY_AFTER_CAP_MS: '500' }

function expectEveryUserOnce(records: any[], expected: string[]) {
  const ids = records.map((r) => r.id)
  expect(ids).toHaveLength(expected.length)
  expect(new Set(ids).size).toBe(expected.length)
  expect([...ids].sort()).toEqual([...expected].sort())
}

export function describeWalks(suite: ConnectorSuite): void {
  const p = suite.pageLimit
  const sizes = [0, 1, p - 1, p, p + 1, 3 * p + 2].map((users) => ({
    users,
    limit: p,
    variant: undefined as Record<string, string> | undefined,
  }))
  const walks = [...sizes, ...(suite.extraWalks ?? [])].map((w) => ({ ...w, shape: w.variant ? JSON.stringify(w.variant) : 'default' }))

  describe(`${suite.connector}: cursor walks through the gateway`, () => {
    const gateway = useGateway({ sandbox: false, env: ENV })

    it.each(walks)('returns each of $users users exactly once with limit=$limit ($shape vendor)', async ({ users, limit, variant }) => {
      await withSimulatedAccount(gateway.g, suite.connector, { users, variant }, async (account) => {
        const expected = await suite.vendorIds(account.sim)
        const { records, pages } = await walkAll(gateway.g, `${account.list}&limit=${limit}`)
        expectEveryUserOnce(records, expected)
        expect(pages).toBe(Math.max(1, Math.ceil(expected.length / limit)))
      })
    })
  })
}

export function describeFormats(suite: ConnectorSuite): void {
  describe(`${suite.connector}: every response format on the sandbox account`, () => {
    const gateway = useGateway({ env: ENV })
    let all: any[]
    const A = `integrated_account_id=sandbox-${suite.connector}`
    const list = (query: string) => gateway.g.json(`${USERS_PATH}?${A}&${query}`)
    const get = (id: string, query = '') => gateway.g.json(`${USERS_PATH}/${encodeURIComponent(id)}?${A}&${query}`)

    beforeAll(async () => {
      all = (await walkAll(gateway.g, `${USERS_PATH}?${A}&limit=1000`)).records
    })

    it('unified: the list envelope, records in the schema with remote_data', async () => {
      const { status, body } = await list('limit=5')
      expect(status).toBe(200)
      expect(body).toMatchObject({ result_count: 5, prev_cursor: null })
      expect(typeof body.next_cursor).toBe('string')
      expect(body.result).toEqual(all.slice(0, 5))
      for (const r of body.result) {
        expect(usageMeteringUserSchema.partial().safeParse(r).success).toBe(true)
        expect(r.remote_data).toBeTypeOf('object')
      }
    })

    it('normalized: exactly the schema keys, valid against the schema', async () => {
      expectNormalizedUsers((await list('limit=5&truto_response_format=normalized')).body.result)
    })

    it('raw: the vendor body itself', async () => {
      const { status, body } = await list('limit=5&truto_response_format=raw')
      expect(status).toBe(200)
      const records = suite.rawRecords(body)
      expect(records.length).toBeGreaterThan(0)
      expect(suite.rawId(records[0])).toBe(all[0].id)
    })

    it('stream: NDJSON of every record across pages', async () => {
      const res = await gateway.g.api(`${USERS_PATH}?${A}&limit=4&truto_response_format=stream`)
      expect(res.headers.get('content-type')).toContain('application/x-ndjson')
      const lines = (await res.text())
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
      expect(lines).toEqual(all)
    })

    it('debug: the unified body and the vendor exchange, without the key', async () => {
      const { body } = await list('limit=5&truto_response_format=debug')
      expect(body.result.result).toEqual(all.slice(0, 5))
      expect(body.debug.requestUrl).toContain(suite.listPath)
      const key = gateway.g.sandbox!.simulators.get(suite.connector)!.credentials.api_key
      expect(JSON.stringify(body)).not.toContain(key)
    })

    it('get: the same record as the list, in every format', async () => {
      // A record from the middle: a get through the list finds it on a page of the list's own.
      const target = all[Math.floor(all.length / 2)]
      expect((await get(target.id)).body).toEqual(target)
      const normalized = (await get(target.id, 'truto_response_format=normalized')).body
      expect(Object.keys(normalized).sort()).toEqual([...SCHEMA_KEYS].sort())
      expect(normalized.id).toBe(target.id)
      const debug = (await get(target.id, 'truto_response_format=debug')).body
      expect(debug.result).toEqual(target)
      expect(debug.debug.requestUrl).toBeTypeOf('string')
      const raw = await get(target.id, 'truto_response_format=raw')
      expect(raw.status).toBe(200)
      expect(JSON.stringify(raw.body)).toContain(JSON.stringify(target.remote_data))
      const stream = await gateway.g.api(`${USERS_PATH}/${encodeURIComponent(target.id)}?${A}&truto_response_format=stream`)
      expect(
        (await stream.text())
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l)),
      ).toEqual([target])
    })

    it('get: the last record of the list too (vendors that list a second kind of record, e.g. invites, end with it)', async () => {
      const last = all[all.length - 1]
      expect((await get(last.id)).body).toEqual(last)
    })

    it('get: an unknown id is a 404 envelope', async () => {
      const { status, body } = await get('no-such-user-0000')
      expect(status).toBe(404)
      expect(body).toMatchObject({ statusCode: 404, error: 'Not Found' })
      expect(body.message).toBeTypeOf('string')
    })
  })
}

export function describeVendorErrors(suite: ConnectorSuite): void {
  describe(`${suite.connector}: vendor errors in the contract's envelope`, () => {
    const gateway = useGateway({ env: ENV })
    let sim: RunningSimulator
    const list = () => gateway.g.json(`${USERS_PATH}?integrated_account_id=sandbox-${suite.connector}&limit=3`)

    beforeAll(() => {
      sim = gateway.g.sandbox!.simulators.get(suite.connector)!
    })
    afterEach(() => sim.faults.clear())

    it.each(suite.errorStatuses)('a vendor %i keeps its status, message and body', async (status) => {
      sim.faults.add({ fault: { kind: 'status', status, message: `injected failure ${status}` }, times: -1, path: suite.listPath })
      const { status: got, body } = await list()
      expect(got).toBe(status)
      expect(body).toMatchObject({ statusCode: status, truto_is_remote_error: true })
      expect(body.error).toBeTypeOf('string')
      expect(body.code).toBeTypeOf('string')
      expect(body.raw_response).toBeTypeOf('object')
      expect(body.message).toBe(suite.vendorMessage(body.raw_response))
    })

    it('recovers once the vendor does (a 401 marks the account, the next success clears it)', async () => {
      sim.faults.add({ fault: { kind: 'status', status: 401 }, times: -1, path: suite.listPath })
      expect((await list()).status).toBe(401)
      expect((await gateway.g.json(`/integrated-account/sandbox-${suite.connector}`)).body.status).toBe('needs_reauth')
      sim.faults.clear()
      expect((await list()).status).toBe(200)
      expect((await gateway.g.json(`/integrated-account/sandbox-${suite.connector}`)).body.status).toBe('active')
    })
  })
}

export function describeVerification(suite: ConnectorSuite): void {
  describe(`${suite.connector}: account creation verifies the key`, () => {
    const gateway = useGateway({ sandbox: false, env: ENV })
    let sim: RunningSimulator
    beforeAll(async () => {
      sim = await startVendorSimulator(suite.connector, { users: 3 })
      routeVendor(gateway.g, suite.connector, sim.baseUrl)
    })
    afterAll(async () => {
      await sim?.close()
    })

    it('refuses a key the vendor rejects, with the vendor status and message, and stores nothing', async () => {
      const { status, body } = await createAccount(gateway.g, suite.connector, {
        ...sim.context,
        api_key: `${sim.credentials.api_key}-revoked`,
      })
      expect(status).toBe(401)
      expect(body).toMatchObject({ statusCode: 401, truto_is_remote_error: true })
      expect(body.message).toContain('rejected the credentials')
      expect(body.message).toContain(suite.vendorMessage(body.raw_response))
      expect((await gateway.g.json(`/integrated-account?integration=${suite.connector}`)).body.result).toEqual([])
    })

    it('creates the account with a key the vendor accepts, never echoing the key', async () => {
      const { status, body } = await createAccount(gateway.g, suite.connector, { ...sim.context, ...sim.credentials })
      expect(status).toBe(201)
      expect(body).toMatchObject({
        integration_name: suite.connector,
        integration: { name: suite.connector },
        status: 'active',
        // The connector's secret fields: Claude's also names its optional analytics key.
        credential_fields: expect.arrayContaining(['api_key']),
      })
      expect(JSON.stringify(body)).not.toContain(sim.credentials.api_key)
    })
  })
}

/** All of the above. */
export function describeConnectorConformance(suite: ConnectorSuite): void {
  describeWalks(suite)
  describeFormats(suite)
  describeVendorErrors(suite)
  describeVerification(suite)
}
