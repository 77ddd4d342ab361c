/**
 * The simulator kit's run-time record edits (what the sync suites use to make a vendor change
 * or remove a user), over the HTTP control surface a test in another process would use.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { DEFAULT_API_KEY, startSimulator } from '../../connectors/claude/simulator'
import type { RunningSimulator } from '../../src/sandbox/simulator-kit/types'

let sim: RunningSimulator
const headers = { 'x-api-key': DEFAULT_API_KEY, 'anthropic-version': '2023-06-01' }
const users = async (query = 'limit=100') =>
  (await (await fetch(`${sim.origin}/v1/organizations/users?${query}`, { headers })).json()) as any
const control = (method: string, body?: unknown) =>
  fetch(`${sim.origin}/__sim/records`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })

beforeAll(async () => {
  sim = await startSimulator({ users: 10 })
})
afterAll(async () => {
  await sim?.close()
})

it('changes and removes users in the list and the get, until cleared', async () => {
  const before = (await users()).data
  const [changed, removed] = [before[2], before[5]]
  const res = await control('POST', [
    { collection: 'users', id: changed.id, set: { name: 'Edited Name', role: 'billing' } },
    { collection: 'users', id: removed.id, remove: true },
  ])
  expect(res.status).toBe(200)

  const after = (await users()).data
  expect(after).toHaveLength(9)
  expect(after.find((u: any) => u.id === changed.id)).toEqual({ ...changed, name: 'Edited Name', role: 'billing' })
  expect(after.some((u: any) => u.id === removed.id)).toBe(false)
  expect((await users('limit=100&roles[]=billing')).data.map((u: any) => u.id)).toContain(changed.id)
  expect((await fetch(`${sim.origin}/v1/organizations/users/${removed.id}`, { headers })).status).toBe(404)
  expect(await (await fetch(`${sim.origin}/v1/organizations/users/${changed.id}`, { headers })).json()).toMatchObject({
    name: 'Edited Name',
  })
  // Paging walks around the removed user without a gap.
  const paged = [...(await users('limit=5')).data]
  paged.push(...(await users(`limit=5&after_id=${paged[4].id}`)).data)
  expect(paged.map((u: any) => u.id)).toEqual(after.map((u: any) => u.id))

  expect((await control('DELETE')).status).toBe(200)
  expect((await users()).data).toEqual(before)
})

it('refuses a malformed edit', async () => {
  for (const body of [{ id: 'x' }, { collection: 'users', id: 'x', remove: 'yes' }, [], 'nope']) {
    expect((await control('POST', body)).status).toBe(400)
  }
})
