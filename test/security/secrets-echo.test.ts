/**
 * Credentials never come back out, for every connector: not when the vendor echoes the key in
 * an error (list, get, and the verification of a new account — whose key the gateway has never
 * stored), not in debug output, not in any response format.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { baseUrlOverrideKey } from '../../src/config/settings'
import { REDACTED } from '../../src/lib/redactor'
import { startTestGateway, type TestGateway } from '../support/gateway'
import { connectorCases, liveConnector, type LiveConnector } from '../reliability/support/connectors-under-test'
import { ask } from '../reliability/support/fault-gateway'
import { expectNoSecret, leakForms, secretsOf } from './support/secrets'

let g: TestGateway
beforeAll(async () => {
  // Private URLs allowed: production accounts here point at loopback simulators.
  g = await startTestGateway({ env: { UNIMETER_RETRY_MAX: '0', UNIMETER_ALLOW_PRIVATE_URLS: 'true' }, simulator: { users: 6 } })
  for (const c of connectorCases) g.services.env[baseUrlOverrideKey(c.id)] = g.sandbox!.simulators.get(c.id)!.baseUrl
})
afterAll(async () => {
  await g?.close()
})

/** A vendor error that quotes every credential back, in every form a leak could take. */
const echo = (secrets: string[]) => `invalid credentials: ${secrets.flatMap(leakForms).join(' | ')}`

describe.each(connectorCases)('$id: credentials never leave the gateway', (c) => {
  let live: LiveConnector
  let secrets: string[]
  let someId: string

  beforeAll(async () => {
    live = liveConnector(g, c)
    secrets = secretsOf(c.id, live.sim)
    expect(secrets.length).toBeGreaterThan(0)
    live.reset()
    const first = await ask(g, live.listUrl('limit=1'))
    expect(first.status, JSON.stringify(first.body)).toBe(200)
    someId = String(first.body.result[0].id)
  })

  it.each(['list', 'get'])('a %s error echoing the key is redacted (message and raw_response)', async (method) => {
    live.reset()
    const getTarget = live.getPath ? { path: live.getPath } : {}
    live.sim.faults.add({
      fault: { kind: 'status', status: 400, message: echo(secrets) },
      times: 1,
      ...(method === 'list' ? { path: live.vendorPath } : getTarget),
    })
    const url =
      method === 'list'
        ? live.listUrl('limit=2')
        : `/unified/${c.resource}/${encodeURIComponent(someId)}?integrated_account_id=${c.accountId}`
    const res = await g.api(url)
    const text = await res.text()
    expect(res.status).toBeGreaterThanOrEqual(400)
    expectNoSecret(text, secrets, `the ${method} error response`)
    expect(text).toContain(REDACTED)
  })

  it('verifying a new account whose key the vendor echoes back redacts the candidate key', async () => {
    live.reset()
    live.sim.faults.add({ fault: { kind: 'status', status: 401, message: echo(secrets) }, times: 1 })
    const context = { ...live.sim.context, ...live.sim.credentials }
    const res = await g.api('/integrated-account', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ integration: c.id, context }),
    })
    const text = await res.text()
    expect(res.status, text).toBe(401)
    expectNoSecret(text, secrets, 'the verification error')
  })

  it('debug output shows [REDACTED] for the credentials, for list and get', async () => {
    live.reset()
    const list = await g.api(live.listUrl('limit=2&truto_response_format=debug'))
    const listText = await list.text()
    expect(list.status, listText).toBe(200)
    expectNoSecret(listText, secrets, 'list debug output')
    const get = await g.api(
      `/unified/${c.resource}/${encodeURIComponent(someId)}?integrated_account_id=${c.accountId}&truto_response_format=debug`,
    )
    const getText = await get.text()
    expect(get.status, getText).toBe(200)
    expectNoSecret(getText, secrets, 'get debug output')
  })

  it.each(['unified', 'normalized', 'raw', 'stream'])('list and get in %s format hold no credential', async (format) => {
    live.reset()
    const list = await g.api(live.listUrl(`limit=3&truto_response_format=${format}`))
    const get = await g.api(
      `/unified/${c.resource}/${encodeURIComponent(someId)}?integrated_account_id=${c.accountId}&truto_response_format=${format}`,
    )
    expect(list.status).toBe(200)
    expect(get.status).toBe(200)
    expectNoSecret(await list.text(), secrets, `list (${format})`)
    expectNoSecret(await get.text(), secrets, `get (${format})`)
  })
})
